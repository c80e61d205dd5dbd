"""Arbitrary text, ids and attributes go through the commands and come back, row for row.

The input is written with the toolkit's own writer (so formula-like cells are escaped as a
survey tool that escapes them would), run through ``ingest``, ``anonymise`` (rules only, for
speed) and ``code`` (the rule coder), and the outputs are read back with the one reader.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lived_experience.anonymise.files import anonymise_file
from lived_experience.cli import app
from lived_experience.ingest import read_table
from lived_experience.output import write_table
from tests.conftest import REPO

runner = CliRunner()
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
TRICKY = st.sampled_from(["\r", "a\rb", "\r\n", '"q"', "a,b", "=1+1", "+44", "-x", "@h", "'=y"])
VALUE = st.one_of(TEXT, TRICKY)
ID = st.one_of(TEXT, TRICKY).filter(lambda s: s.strip() != "")


def _survey(ids: list[str], texts: list[str], attributes: list[str], folder: Path) -> Path:
    frame = pd.DataFrame({"rid": ids, "band": attributes, "answer": texts})
    path = folder / "survey.csv"
    write_table(frame, path)
    return path


SURVEYS = st.integers(1, 6).flatmap(
    lambda n: st.tuples(
        st.lists(ID, min_size=n, max_size=n, unique=True),
        st.lists(VALUE, min_size=n, max_size=n),
        st.lists(VALUE, min_size=n, max_size=n),
    )
)
SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(SURVEYS)
def test_ingest_keeps_every_row_in_order(tmp_path_factory, survey) -> None:  # type: ignore[no-untyped-def]
    ids, texts, attributes = survey
    folder = tmp_path_factory.mktemp("ingest")
    path = _survey(ids, texts, attributes, folder)
    out = folder / "segments.csv"
    result = runner.invoke(
        app,
        [
            "ingest",
            str(path),
            "--output",
            str(out),
            "--id-column",
            "rid",
            "--text-column",
            "answer",
        ],
    )
    assert result.exit_code == 0, result.output
    back = read_table(out)
    assert back["document_id"].tolist() == ids
    assert back["text"].tolist() == texts
    assert back["band"].tolist() == attributes


@SETTINGS
@given(SURVEYS)
def test_anonymise_keeps_every_row_id_and_attribute(tmp_path_factory, rules_only, survey) -> None:  # type: ignore[no-untyped-def]
    ids, texts, attributes = survey
    folder = tmp_path_factory.mktemp("anon")
    path = _survey(ids, texts, attributes, folder)
    out = folder / "anon.csv"
    entities = folder / "review" / "entities.csv"
    anonymise_file(path, out, ["answer"], "rid", rules_only, entities_path=entities)
    back = read_table(out)
    assert back["rid"].tolist() == ids
    assert back["band"].tolist() == attributes
    changed = set(read_table(entities)["record_id"])
    assert set(changed) <= set(ids)
    for rid, before, after in zip(ids, texts, back["answer"], strict=True):
        if rid not in changed:
            assert after == before


@SETTINGS
@given(SURVEYS)
def test_code_keeps_every_row_id_text_and_attribute(tmp_path_factory, survey) -> None:  # type: ignore[no-untyped-def]
    ids, texts, attributes = survey
    folder = tmp_path_factory.mktemp("code")
    path = _survey(ids, texts, attributes, folder)
    out = folder / "coded.csv"
    result = runner.invoke(
        app,
        [
            "code",
            str(path),
            "--codebook",
            str(REPO / "codebooks" / "wres_lived_experience.yaml"),
            "--coder",
            "rule",
            "--output",
            str(out),
            "--segments",
            str(folder / "segments.csv"),
            "--id-column",
            "rid",
            "--text-column",
            "answer",
        ],
    )
    assert result.exit_code == 0, result.output
    back = read_table(out)
    assert back["rid"].tolist() == ids
    assert back["answer"].tolist() == texts
    assert back["band"].tolist() == attributes
    segments = read_table(folder / "segments.csv")
    assert set(segments["id"]) <= set(ids)
