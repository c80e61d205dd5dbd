"""The one CSV writer and the one reader: every row back, in order, formulas escaped."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lived_experience.ingest import read_table
from lived_experience.output import (
    escape_formula,
    format_csv,
    unescape_formula,
    write_table,
)

#: Any text a cell can hold, but NUL (refused on input as a sign of UTF-16) and surrogates.
CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=25,
)
TRICKY = st.sampled_from(
    ["\r", "\n", "\r\n", '"', ",", "=1+1", "+44", "-x", "@SUM", "\tx", "'=x", "''-", "-3.5", ""]
)


def test_a_bare_cr_is_quoted_and_reads_back_as_one_row(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["a\rb", "2"], "text": ["one\rtwo", "x"], "band": ["5", "6\r"]})
    path = tmp_path / "out.csv"
    write_table(frame, path)
    assert b'"one\rtwo"' in path.read_bytes()
    back = read_table(path)
    assert back.to_dict("list") == frame.to_dict("list")
    # any CSV reader sees two rows, not more
    assert len(pd.read_csv(path, dtype=str, keep_default_na=False)) == 2


@pytest.mark.parametrize("value", ["=cmd", "+1 2", "-a", "@x", "\tx", "\rx"])
def test_formula_cells_are_escaped_in_every_column(tmp_path: Path, value: str) -> None:
    frame = pd.DataFrame({"id": [value], "attribute": [value], "text": [value]})
    path = tmp_path / "out.csv"
    write_table(frame, path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert all(raw[c][0] == "'" + value for c in raw.columns)
    assert read_table(path).to_dict("list") == frame.to_dict("list")


def test_plain_numbers_are_not_escaped_and_the_opt_out_writes_cells_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = pd.DataFrame({"delta": ["-2.5", "+3", "-1e-3"], "n": [-1, 2, 3]})
    assert format_csv(frame) == "delta,n\n-2.5,-1\n+3,2\n-1e-3,3\n"
    formula = pd.DataFrame({"a": ["=1"]})
    assert format_csv(formula, formula_escape=False) == "a\n=1\n"
    monkeypatch.setenv("LIVED_EXPERIENCE_FORMULA_ESCAPE", "0")
    write_table(formula, tmp_path / "machine.csv")
    assert (tmp_path / "machine.csv").read_text(encoding="utf-8") == "a\n=1\n"


def test_a_single_column_with_empty_cells_keeps_every_row(tmp_path: Path) -> None:
    frame = pd.DataFrame({"only": ["a", "", ""]})
    write_table(frame, tmp_path / "one.csv")
    assert read_table(tmp_path / "one.csv")["only"].tolist() == ["a", "", ""]


@given(st.one_of(CELL, TRICKY))
def test_escaping_is_reversible(value: str) -> None:
    assert unescape_formula(escape_formula(value)) == value  # type: ignore[arg-type]
    escaped = str(escape_formula(value))
    if escaped.startswith(("=", "+", "-", "@", "\t", "\r")):  # only plain numbers stay bare
        float(escaped)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(st.one_of(CELL, TRICKY), st.one_of(CELL, TRICKY)), min_size=1, max_size=8
    )
)
def test_any_table_written_reads_back_the_same(tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["a", "b"])
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"t{suffix}"
        if suffix == ".xlsx" and any(
            any(ord(c) < 32 and c not in "\t\n\r" for c in v) for row in rows for v in row
        ):
            continue  # Excel cannot hold control characters: write_table refuses (tested below)
        write_table(frame, path)
        back = read_table(path)
        if suffix == ".xlsx":  # Excel stores CR LF as it is but may not keep a lone CR
            continue
        assert back.to_dict("list") == frame.to_dict("list")


def test_xlsx_refuses_control_characters_and_is_byte_identical(tmp_path: Path) -> None:
    from lived_experience.errors import OutputError

    with pytest.raises(OutputError, match="control character"):
        write_table(pd.DataFrame({"a": ["x\x01"]}), tmp_path / "bad.xlsx")
    assert not (tmp_path / "bad.xlsx").exists()
    frame = pd.DataFrame({"id": ["=1", "2"], "n": [1.5, 2.0]})
    write_table(frame, tmp_path / "a.xlsx")
    import time

    time.sleep(2.1)  # zip timestamps have two-second resolution
    write_table(frame, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    back = read_table(tmp_path / "a.xlsx")
    assert back["id"].tolist() == ["=1", "2"]


def test_format_csv_matches_pandas_for_plain_tables() -> None:
    frame = pd.DataFrame({"a": ["x", "y,z"], "n": [1, 2], "f": [0.1, float("nan")]})
    expected = io.StringIO()
    frame.to_csv(expected, index=False, lineterminator="\n")
    assert format_csv(frame) == expected.getvalue()


def test_a_row_written_alone_matches_the_table_writer() -> None:
    from lived_experience.output import format_csv_row

    frame = pd.DataFrame({"id": ["=1", "a\rb"], "n": [3, -2.5], "t": ['say "x"', "@h"]})
    rows = [format_csv_row(list(frame.columns)), *(format_csv_row(r) for r in frame.values)]
    assert "".join(rows) == format_csv(frame)
