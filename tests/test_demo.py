"""`make demo` end to end: every stage's output exists, and nothing planted leaks."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_demo_runs_every_stage_and_leaks_no_planted_identifier(demo_run) -> None:  # type: ignore[no-untyped-def]
    folder, result, messages = demo_run
    assert result.ran == ["ingest", "anonymise", "code", "topics", "wres", "quotes", "report"]
    assert result.report.exists()
    shareable = folder / "shareable"
    survey = pd.read_csv(shareable / "survey_anonymised.csv", dtype=str, keep_default_na=False)
    original = pd.read_csv(
        REPO / "data" / "synthetic" / "staff_survey.csv", dtype=str, keep_default_na=False
    )
    assert survey["respondent_id"].tolist() == original["respondent_id"].tolist()
    shared_text = "\n".join(survey["q_experience"]) + "\n".join(survey["q_improve"])
    shared_text += (shareable / "transcripts_anonymised.csv").read_text(encoding="utf-8")
    shared_text += (shareable / "topics" / "topics.csv").read_text(encoding="utf-8")
    shared_text += result.report.read_text(encoding="utf-8")
    gold = [
        json.loads(line)
        for line in (REPO / "data" / "synthetic" / "gold" / "annotations.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    planted = {
        r["text"][e["start"] : e["end"]]
        for r in gold
        for e in r["entities"]
        if e["entity_type"] != "PERSON" or " " in r["text"][e["start"] : e["end"]]
    }
    leaked = sorted(value for value in planted if value in shared_text)
    assert leaked == []
    assert "Black nurses" in shared_text and "BAME network" in shared_text
    assert len(list((shareable / "wres" / "charts").glob("*.svg"))) == 9
    coded = pd.read_csv(shareable / "coded_survey.csv", dtype=str, keep_default_na=False)
    assert coded["respondent_id"].tolist() == original["respondent_id"].tolist()
    agreement = pd.read_csv(shareable / "coding_agreement.csv").set_index("code")
    assert agreement.loc["(overall)", "kappa"] >= 0.70
    assert (shareable / "quotes" / "quote_bank.docx").stat().st_size > 10_000
    topics = pd.read_csv(shareable / "topics" / "topics.csv")
    assert (topics.loc[topics["topic"] == -1, "size"].sum() / topics["size"].sum()) < 0.15
    # progress output never carries respondent text
    assert not any(value in message for message in messages for value in planted)
