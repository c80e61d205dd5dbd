"""Behaviour of the whole anonymiser with the default spaCy model (loaded once)."""

from __future__ import annotations

import socket
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lived_experience.anonymise import Anonymiser, AnonymiserSettings
from lived_experience.anonymise.pseudonyms import TAG_PATTERN
from lived_experience.errors import ConfigError
from lived_experience.synthetic.names import NAMES_BY_ORIGIN

DESCRIPTORS = [
    "Black nurses",
    "Asian colleagues",
    "BAME network",
    "band 6",
    "Freedom to Speak Up Guardian",
    "WRES",
    "HR",
    "the board",
    "staff nurse",
    "consultant",
    "porter",
    "Muslim",
    "Filipino",
    "Nigerian",
    "Irish",
    "ethnic minority",
]


@pytest.mark.parametrize("descriptor", DESCRIPTORS)
def test_anonymise_keeps_research_descriptors(anonymiser: Anonymiser, descriptor: str) -> None:
    text = f"As one of the {descriptor} here, I raised it with my manager Adebayo Okonkwo."
    new, detections = anonymiser.anonymise_text(text)
    assert descriptor in new
    assert "Adebayo" not in new and "Okonkwo" not in new


@pytest.mark.parametrize("origin", sorted(NAMES_BY_ORIGIN))
def test_anonymise_removes_names_of_every_origin(anonymiser: Anonymiser, origin: str) -> None:
    firsts, lasts = NAMES_BY_ORIGIN[origin]
    texts = [f"I told {f} {s} about the rota." for f, s in zip(firsts, lasts, strict=False)]
    texts += [f"Yesterday {f} was rude to me on the ward." for f in firsts]
    for text, (new, _) in zip(texts, anonymiser.anonymise_texts(texts), strict=True):
        name = text.split(" about")[0].removeprefix("I told ").removeprefix("Yesterday ")
        name = name.split(" was rude")[0]
        assert name not in new, (origin, new)


def test_anonymise_words_that_are_names_only_when_used_as_names(anonymiser: Anonymiser) -> None:
    new, _ = anonymiser.anonymise_text("I have hope and joy at work. Sister Grace told me off.")
    assert "hope and joy" in new and "Grace" not in new and "Sister" in new


def test_pseudonyms_are_consistent_across_rows_and_columns(anonymiser: Anonymiser) -> None:
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "q1": ["My manager Priya Patel ignores me.", "n/a"],
            "q2": ["", "priya patel again, call 07700 900123"],
        }
    )
    result = anonymiser.anonymise_frame(frame, ["q1", "q2"], "id")
    tag_1 = TAG_PATTERN.findall(result.frame.loc[0, "q1"])
    tag_2 = TAG_PATTERN.findall(result.frame.loc[1, "q2"])
    assert tag_1[0] == tag_2[0] and tag_1[0].startswith("[PERSON_")
    assert result.frame.loc[1, "q1"] == "n/a"


def test_anonymise_frame_changes_only_text_columns(anonymiser: Anonymiser) -> None:
    frame = pd.DataFrame(
        {
            "id": ["r1", "r2", "r3"],
            "band": ["Band 5", "=1+1", "Band 7"],
            "text": ["Dr Chen was kind.", None, "fine"],
        },
        index=[10, 11, 12],
    )
    result = anonymiser.anonymise_frame(frame, ["text"], "id")
    assert result.frame.index.tolist() == [10, 11, 12]
    assert result.frame[["id", "band"]].equals(frame[["id", "band"]])
    assert pd.isna(result.frame.loc[11, "text"])
    assert result.frame.loc[10, "text"].startswith("Dr [PERSON_")
    assert frame.loc[10, "text"] == "Dr Chen was kind."  # the input is not mutated


def test_anonymise_is_idempotent_and_deterministic(anonymiser: Anonymiser, synthetic_dir) -> None:  # type: ignore[no-untyped-def]
    survey = pd.read_csv(synthetic_dir / "staff_survey.csv", dtype=str, keep_default_na=False)
    texts = survey["q_experience"].iloc[:300].tolist()
    once = [t for t, _ in anonymiser.anonymise_texts(texts)]
    assert once == [t for t, _ in anonymiser.anonymise_texts(texts)]
    twice = anonymiser.anonymise_texts(once)
    assert [t for t, _ in twice] == once
    assert all(not detections for _, detections in twice)


def test_anonymise_makes_no_network_call(nlp_md) -> None:  # type: ignore[no-untyped-def]
    attempts: list[object] = []

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event in {"socket.connect", "socket.getaddrinfo"}:
            attempts.append(args)

    sys.addaudithook(hook)
    anonymiser = Anonymiser(secret=b"x" * 32, nlp=nlp_md)
    anonymiser.anonymise_texts(["Email me at kemi.adeyemi@nhs.net or see www.example.org."])
    socket.setdefaulttimeout(None)
    assert attempts == []


def test_allow_and_deny_lists(nlp_md) -> None:  # type: ignore[no-untyped-def]
    settings = AnonymiserSettings(allow_list=("Prerana Issar",), deny_list=("Project Nightingale",))
    anonymiser = Anonymiser(settings, secret=b"x" * 32, nlp=nlp_md)
    new, _ = anonymiser.anonymise_text("Prerana Issar spoke about project nightingale.")
    assert "Prerana Issar" in new and "nightingale" not in new


@pytest.mark.parametrize(
    "operator, pattern",
    [
        ("redact", r"Dr \[REDACTED\] said"),
        ("type_tag", r"Dr \[PERSON\] said"),
        ("surrogate", r"Dr [A-Z][a-z]+ said"),
    ],
)
def test_operators(nlp_md, operator: str, pattern: str) -> None:  # type: ignore[no-untyped-def]
    anonymiser = Anonymiser(AnonymiserSettings(operator=operator), secret=b"x" * 32, nlp=nlp_md)
    new, _ = anonymiser.anonymise_text("Dr Okafor said no.")
    assert pd.Series([new]).str.match(pattern).all() and "Okafor" not in new


def test_unknown_operator_lists_the_available_ones(rules_only: Anonymiser) -> None:
    bad = Anonymiser(AnonymiserSettings(operator="shred"), secret=b"x" * 32)
    with pytest.raises(ConfigError, match="pseudonym.v1"):
        bad.replace("Call 07700 900123", [])


def test_settings_reject_typos() -> None:
    with pytest.raises(ValueError, match="opperator"):
        AnonymiserSettings(opperator="redact")  # type: ignore[call-arg]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prefix=st.text(alphabet="abcdefghij ,.", max_size=30),
    number=st.sampled_from(
        ["943 476 5919", "07700 900123", "LS1 4AB", "AB 12 34 56 C", "kemi.a@nhs.net", "12A3456E"]
    ),
)
def test_no_planted_structured_identifier_survives(
    rules_only: Anonymiser, prefix: str, number: str
) -> None:
    new, _ = rules_only.anonymise_text(f"{prefix} {number} {prefix}")
    assert number not in new


@pytest.mark.slow
def test_recall_on_names_the_gazetteer_has_never_seen(anonymiser: Anonymiser) -> None:
    from lived_experience.synthetic.heldout_names import texts_and_spans

    rows = texts_and_spans()
    found = anonymiser.detect([text for _, text, _ in rows])
    by_origin: dict[str, list[bool]] = {}
    for (origin, text, spans), detections in zip(rows, found, strict=True):
        for start, end in spans:
            by_origin.setdefault(origin, []).append(
                all(
                    text[i].isspace() or any(d.start <= i < d.end for d in detections)
                    for i in range(start, end)
                )
            )
    recall = {origin: sum(v) / len(v) for origin, v in by_origin.items()}
    assert len(recall) >= 7  # origins whose held-out names the gazetteer does not know
    assert min(recall.values()) >= 0.95, recall


def test_detection_matches_presidio_analyze(anonymiser: Anonymiser) -> None:
    """The anonymiser calls its recognisers itself (no per-call overhead of Presidio's
    ``AnalyzerEngine.analyze``); on the synthetic survey both give the same spans."""
    from lived_experience.anonymise.engine import _recognise
    from lived_experience.synthetic.generate import generate_study

    texts = (
        generate_study(seed=3, n_respondents=60, n_pulse=0, n_transcripts=0)
        .survey["q_experience"]
        .tolist()
    )
    analyzer = anonymiser._build()
    entities = list(anonymiser.settings.entities)
    recognisers = analyzer.registry.get_recognizers(language="en", entities=entities)
    threshold = anonymiser.settings.score_threshold
    for text, artifacts in zip(texts, anonymiser._artifacts(texts), strict=True):
        ours = _recognise(text, artifacts, recognisers, entities, threshold)
        presidio = analyzer.analyze(
            text,
            language="en",
            entities=entities,
            nlp_artifacts=artifacts,  # type: ignore[arg-type]
            score_threshold=threshold,
        )
        assert {(r.start, r.end, r.entity_type) for r in ours} == {
            (r.start, r.end, r.entity_type) for r in presidio
        }
