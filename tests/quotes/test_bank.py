from __future__ import annotations

from pathlib import Path

import docx
import pandas as pd
import pytest

from lived_experience.coding import RuleOnlyCoder, code_frame
from lived_experience.quotes import (
    QUOTE_COLUMNS,
    build_quote_bank,
    k_safe_attributions,
    write_csv,
    write_docx,
    write_markdown,
)

PLANTED = (
    "I am the only Black consultant in cardiology and my line manager shouts at me "
    "in front of patients and bullies me every single week without fail."
)


@pytest.fixture(scope="module")
def segments(codebook, labelled_survey) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    survey, _ = labelled_survey
    sample = survey.iloc[:400].copy()
    sample.loc[sample.index[0], "q_experience"] = PLANTED
    return code_frame(
        sample, ["q_experience", "q_improve"], "respondent_id", RuleOnlyCoder(codebook)
    ).segments


@pytest.fixture(scope="module")
def bank(segments, codebook, embedder, anonymiser):  # type: ignore[no-untyped-def]
    return build_quote_bank(segments, codebook, embedder, per_code=4, anonymiser=anonymiser)


def test_shortlist_is_diverse_and_sized(bank) -> None:  # type: ignore[no-untyped-def]
    quotes = bank.quotes
    assert list(quotes.columns) == list(QUOTE_COLUMNS)
    assert quotes.groupby("code").size().max() <= 4
    assert not quotes.duplicated(["code", "id"]).any()  # never two quotes from one respondent
    for quote in quotes["quote"]:
        assert 15 <= len(quote.replace("…", "").split()) <= 120


def test_identifying_quotes_are_flagged(bank) -> None:  # type: ignore[no-untyped-def]
    planted = bank.candidates[bank.candidates["quote"].str.contains("only Black consultant")]
    assert len(planted)  # it is a candidate ...
    chosen = bank.quotes[bank.quotes["quote"].str.contains("only Black consultant")]
    assert (chosen["flags"].str.contains("indirect_identifier")).all()  # ... flagged if chosen


def test_mix_compares_shortlist_with_everyone_who_raised_the_code(bank) -> None:  # type: ignore[no-untyped-def]
    mix = bank.mix[(bank.mix["attribute"] == "ethnic_group")]
    for _, part in mix.groupby("code"):
        assert part["raised_percent"].sum() == pytest.approx(100, abs=0.5)


def test_same_inputs_same_shortlist(segments, codebook, embedder, anonymiser, bank) -> None:  # type: ignore[no-untyped-def]
    again = build_quote_bank(segments, codebook, embedder, per_code=4, anonymiser=anonymiser)
    assert again.quotes.equals(bank.quotes)


def test_attributions_are_shared_by_k_respondents() -> None:
    people = pd.DataFrame(
        {
            "id": [str(i) for i in range(30)],
            "ethnic_group": ["Ethnic minority"] * 12 + ["White"] * 18,
            "staff_group": ["Registered Nurses and Midwives"] * 11
            + ["Medical and Dental"]
            + ["Admin and Clerical"] * 18,
        }
    )
    labels = k_safe_attributions(people, k=11)
    assert labels["0"] == "Ethnic minority nurse or midwife"
    # the one doctor is described by the wider group all 12 share
    assert labels["11"] == "Ethnic minority clinical staff"
    assert labels["20"] == "White member of administrative staff"


def test_exports(bank, codebook, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_docx(bank, codebook, tmp_path / "q.docx")
    write_markdown(bank, codebook, tmp_path / "q.md")
    write_csv(bank, tmp_path / "q.csv")
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "q.docx")).paragraphs)
    assert "Bullying and harassment from staff" in text and "Raised by" in text
    assert "only Black consultant" not in text  # flagged quotes stay out of the Word file
    assert "Everyone who raised it:" in text and "This shortlist:" in text
    assert pd.read_csv(tmp_path / "q.csv").columns.tolist() == list(QUOTE_COLUMNS)
    assert (tmp_path / "q.md").read_text(encoding="utf-8").startswith("**OFFICIAL-SENSITIVE**")


def test_word_file_renders_in_libreoffice(bank, codebook, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed")
    write_docx(bank, codebook, tmp_path / "q.docx")
    subprocess.run(
        [
            office,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "q.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert (tmp_path / "q.pdf").stat().st_size > 1000
