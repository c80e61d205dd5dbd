from __future__ import annotations

from pathlib import Path

import pytest

from lived_experience.anonymise import STRUCTURED_ENTITIES, Anonymiser
from lived_experience.anonymise.detection import Detection
from lived_experience.anonymise.evaluate import (
    GoldRecord,
    evaluate_anonymiser,
    load_gold,
    score_detections,
)
from lived_experience.errors import InputFileError


def test_partial_removal_counts_as_a_leak() -> None:
    gold = [
        GoldRecord(
            "s",
            "r1",
            "f",
            "Dr Priya Patel said",
            ({"start": 3, "end": 14, "entity_type": "PERSON", "origin": "south_asian"},),
            (),
        )
    ]
    partial = [[Detection(3, 8, "PERSON", 0.9, "t")]]
    metrics, _ = score_detections(gold, partial)
    assert metrics.set_index("group").loc["all identifiers", "recall"] == 0.0
    full = [[Detection(3, 8, "PERSON", 0.9, "t"), Detection(9, 14, "PERSON", 0.9, "t")]]
    metrics, _ = score_detections(gold, full)
    assert metrics.set_index("group").loc["south_asian", "recall"] == 1.0


@pytest.mark.slow
def test_recall_targets_on_a_slice_of_the_synthetic_gold(
    anonymiser: Anonymiser, synthetic_dir: Path
) -> None:
    records = load_gold(synthetic_dir / "gold" / "annotations.jsonl")
    with_entities = [r for r in records if r.entities][:700]
    metrics, spans = evaluate_anonymiser(with_entities, anonymiser)
    by_group = metrics.set_index(["group_kind", "group"])["recall"]
    for entity_type in STRUCTURED_ENTITIES:
        if ("entity_type", entity_type) in by_group.index:
            assert by_group[("entity_type", entity_type)] == 1.0, entity_type
    assert by_group[("entity_type", "PERSON")] >= 0.98
    origins = by_group.loc["name_origin"]
    assert origins.min() >= 0.96, origins.to_dict()
    assert by_group[("keep_rate", "protected descriptors")] >= 0.99


def test_load_gold_reports_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        '{"record_id": "1", "field": "f", "text": "x", "entities": []}\n{oops\n', encoding="utf-8"
    )
    with pytest.raises(InputFileError, match="line 2"):
        load_gold(path)
