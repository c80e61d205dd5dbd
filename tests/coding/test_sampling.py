"""Choosing what to hand-code: coverage, uncertainty, diversity; deterministic; rounds."""

from __future__ import annotations

import pytest

from lived_experience.coding.labels import label_sets
from lived_experience.coding.sampling import choose_for_coding
from lived_experience.errors import ConfigError

COLUMNS = ["q_experience", "q_improve"]


def test_first_round_covers_every_code_and_is_deterministic(
    codebook, embedder, labelled_survey
) -> None:  # type: ignore[no-untyped-def]
    survey, _ = labelled_survey
    pool = survey.iloc[:300]
    first = choose_for_coding(codebook, pool, COLUMNS, "respondent_id", n=60, embedder=embedder)
    again = choose_for_coding(codebook, pool, COLUMNS, "respondent_id", n=60, embedder=embedder)
    assert first.positions == again.positions and first.reasons == again.reasons
    assert len(set(first.positions)) == 60
    covered = {r.split()[2] for r in first.reasons if r.startswith("may show")}
    assert covered == set(codebook.code_ids)
    texts = pool.iloc[first.positions]
    assert (texts["q_experience"].str.strip() + texts["q_improve"].str.strip() != "").all()
    assert first.expected_kappa == {}


def test_next_round_skips_coded_answers_and_reports_expected_kappa(  # type: ignore[no-untyped-def]
    codebook, embedder, labelled_survey
) -> None:
    survey, labels = labelled_survey
    pool = survey.iloc[:300]
    by_id = {
        i: {c for c in v.split(";") if c}
        for i, v in zip(labels["id"], labels["codes"], strict=True)
    }
    coded = {i: by_id.get(i, set()) for i in pool["respondent_id"].iloc[:80]}
    chosen = choose_for_coding(
        codebook, pool, COLUMNS, "respondent_id", n=20, labels=coded, embedder=embedder
    )
    picked = set(pool["respondent_id"].iloc[chosen.positions])
    assert not picked & set(coded) and len(picked) == 20
    assert chosen.labelled == 80
    assert chosen.expected_kappa["low"] <= chosen.expected_kappa["kappa"]
    assert chosen.expected_kappa["kappa"] <= chosen.expected_kappa["high"]
    with pytest.raises(ConfigError, match="at least 1"):
        choose_for_coding(codebook, pool, COLUMNS, "respondent_id", n=0, embedder=embedder)


def test_codes_the_sample_cannot_teach_get_more_candidates(  # type: ignore[no-untyped-def]
    codebook, embedder, labelled_survey
) -> None:
    # a code hand-coded on answers that have nothing to do with it cannot be learned: the next
    # round looks for answers that may show it even though it already has enough examples
    survey, labels = labelled_survey
    pool = survey.iloc[:300]
    by_id = label_sets(labels)
    ids = list(pool["respondent_id"].iloc[:60])
    coded = {i: by_id.get(i, set()) - {"international_staff"} for i in ids}
    unrelated = [i for i in ids if "international_staff" not in by_id.get(i, set())]
    for i in unrelated[3:40:9]:  # four answers, none about international staff
        coded[i] = coded[i] | {"international_staff"}
    chosen = choose_for_coding(
        codebook, pool, COLUMNS, "respondent_id", n=20, labels=coded, embedder=embedder
    )
    assert "international_staff" in chosen.unfitted_codes
    assert "may show international_staff (the coded sample cannot teach it yet)" in chosen.reasons
    picked = pool.iloc[
        [
            p
            for p, r in zip(chosen.positions, chosen.reasons, strict=True)
            if r.startswith("may show international_staff")
        ]
    ]
    assert len(picked) == 3
