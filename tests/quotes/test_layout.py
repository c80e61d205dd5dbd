"""Quote bank behaviour on hand-made segments (no models): placeholders, quotas, layout."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lived_experience.errors import MissingColumnError
from lived_experience.quotes import build_quote_bank, write_csv, write_docx, write_markdown
from lived_experience.quotes.bank import proportional_quotas, sentence_keys
from lived_experience.quotes.placeholders import RAW_TAG, SurrogateNames, readable_placeholders


class HashEmbedder:
    """Deterministic bag-of-words vectors: enough for typicality and redundancy."""

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 64))
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, sum(map(ord, word)) % 64] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


SHARED = "My manager shouts at me in front of patients every single week on the ward."


def _segments(code: str, n_minority: int, n_white: int, shared_every: int = 0) -> pd.DataFrame:
    rows = []
    for i in range(n_minority + n_white):
        group = "Ethnic minority" if i < n_minority else "White"
        words = " ".join(f"w{i}x{j}" for j in range(12))
        first = (
            SHARED
            if shared_every and i % shared_every == 0
            else f"[PERSON_{i:04X}AA] said {words}."
        )
        answer = f"{first} It happened again on [DATE_{i:04X}BB] and I told {code} z{i}."
        rows.append(
            {
                "id": f"{code[:4]}{i:03d}",
                "field": "q_experience",
                "start": 0,
                "end": len(first),
                "code": code,
                "score": 0.9 - i / 1000,
                "answer": answer,
                "ethnic_group": group,
                "staff_group": "Registered Nurses and Midwives",
                "org_code": f"SYN{i % 5}",
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture
def segments() -> pd.DataFrame:
    return pd.concat(
        [
            _segments("bullying_from_staff", 18, 2, shared_every=3),
            _segments("career_progression", 10, 10, shared_every=3),
        ],
        ignore_index=True,
    )


def test_placeholders_replace_every_tag_readably() -> None:
    text = "[PERSON_AB12CD] and [PERSON_99FF00] met at [NHS_SITE_123456] on [DATE_494616] [NB]"
    out = readable_placeholders(text)
    assert out == "[colleague A] and [colleague B] met at [hospital] on [date] [NB]"
    assert not RAW_TAG.search(out)
    assert readable_placeholders(text, "tags") == text


def test_surrogates_are_consistent_and_distinct() -> None:
    names = SurrogateNames(["Alex", "Sam"])
    first = readable_placeholders("[PERSON_AAAA11] saw [PERSON_BBBB22]", "surrogate", names)
    again = readable_placeholders("[PERSON_BBBB22] and [PERSON_CCCC33]", "surrogate", names)
    assert first == "Alex saw Sam"
    assert again == "Sam and Alex 2"  # a third person never reuses a name


def test_quotas_follow_the_share_of_who_raised_the_code() -> None:
    assert proportional_quotas({"Ethnic minority": 0.9, "White": 0.1}, 4) == {
        "Ethnic minority": 4,
        "White": 0,
    }
    assert sum(proportional_quotas({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}, 4).values()) == 4


def test_sentence_keys_ignore_tags_case_and_ellipses() -> None:
    assert sentence_keys("… [PERSON_AB12CD] Shouts.") == sentence_keys("[PERSON_FFFF00] shouts")


def test_bank_has_ids_placeholders_proportional_mix_and_no_repeats(segments) -> None:  # type: ignore[no-untyped-def]
    bank = build_quote_bank(segments, _codebook(), HashEmbedder(), per_code=4, k=3)
    quotes = bank.quotes
    assert quotes["quote_id"].tolist() == [f"Q{n:03d}" for n in range(1, len(quotes) + 1)]
    assert not quotes["quote"].str.contains(RAW_TAG).any()
    assert quotes["quote"].str.contains(r"\[colleague\]|\[date\]").any()
    # 90% of those who raised bullying are from ethnic minorities: all 4 places, not 2-2
    bullying = quotes[quotes["code"] == "bullying_from_staff"]
    groups = segments.set_index("id")["ethnic_group"].to_dict()
    assert [groups[i] for i in bullying["id"]] == ["Ethnic minority"] * 4
    # the shared sentence is quoted at most once across the whole bank
    assert quotes["quote"].str.contains("shouts at me in front of patients").sum() <= 1
    keys = [key for quote in quotes["quote"] for key in sentence_keys(quote)]
    assert len(keys) == len(set(keys))


def test_balance_none_lets_merit_decide(segments) -> None:  # type: ignore[no-untyped-def]
    bank = build_quote_bank(segments, _codebook(), HashEmbedder(), per_code=4, k=3, balance="none")
    assert len(bank.quotes[bank.quotes["code"] == "bullying_from_staff"]) == 4


def test_where_draws_from_one_group_and_names_columns_on_error(segments) -> None:  # type: ignore[no-untyped-def]
    bank = build_quote_bank(
        segments, _codebook(), HashEmbedder(), per_code=4, k=3, where={"ethnic_group": "White"}
    )
    groups = segments.set_index("id")["ethnic_group"].to_dict()
    assert {groups[i] for i in bank.quotes["id"]} == {"White"}
    with pytest.raises(MissingColumnError) as error:
        build_quote_bank(segments, _codebook(), HashEmbedder(), where={"ethnicgroup": "White"})
    assert "ethnic_group" in str(error.value) and "Ethnic minority" not in str(error.value)


def test_mix_never_shows_a_blank_group(segments) -> None:  # type: ignore[no-untyped-def]
    blank = segments.copy()
    blank.loc[blank.index[:2], "ethnic_group"] = ""
    bank = build_quote_bank(blank, _codebook(), HashEmbedder(), per_code=4, k=3)
    assert "" not in set(bank.mix["value"])
    assert "Not stated" in set(bank.mix["value"])


def test_word_file_is_a4_numbered_marked_and_has_quote_ids(segments, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import docx

    bank = build_quote_bank(segments, _codebook(), HashEmbedder(), per_code=3, k=3)
    write_docx(bank, _codebook(), tmp_path / "q.docx", marking="OFFICIAL-SENSITIVE")
    write_csv(bank, tmp_path / "q.csv")
    write_markdown(bank, _codebook(), tmp_path / "q.md")
    document = docx.Document(str(tmp_path / "q.docx"))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert "OFFICIAL-SENSITIVE" in section.header.paragraphs[0].text
    assert "OFFICIAL-SENSITIVE" in section.footer.paragraphs[0].text
    with zipfile.ZipFile(tmp_path / "q.docx") as archive:
        footers = [archive.read(n).decode() for n in archive.namelist() if "footer" in n]
    assert any(">PAGE<" in f.replace(" ", "") for f in footers)
    text = "\n".join(p.text for p in document.paragraphs)
    csv_ids = pd.read_csv(tmp_path / "q.csv")["quote_id"].tolist()
    assert csv_ids and all(f"[{i}]" in text for i in csv_ids)
    assert not RAW_TAG.search(text)
    letter = tmp_path / "letter.docx"
    write_docx(bank, _codebook(), letter, paper="Letter", marking="")
    page = docx.Document(str(letter)).sections[0]
    assert round(page.page_width.mm, 1) == 215.9
    assert "OFFICIAL" not in page.header.paragraphs[0].text


def _codebook():  # type: ignore[no-untyped-def]
    from lived_experience.codebook import load_codebook

    return load_codebook(Path(__file__).parents[2] / "codebooks" / "wres_lived_experience.yaml")


def test_attributions_use_the_richest_k_safe_description() -> None:
    from lived_experience.quotes import k_safe_attributions

    people = pd.DataFrame(
        {
            "id": [str(i) for i in range(40)],
            "ethnic_group": ["Ethnic minority"] * 12 + ["Not stated"] * 12 + ["White"] * 16,
            "staff_group": ["Registered Nurses and Midwives"] * 24 + [""] * 16,
            "band": ["Band 5"] * 12 + ["Band 6"] * 12 + ["Band 7"] * 16,
        }
    )
    labels = k_safe_attributions(people, k=11)
    assert labels["0"] == "Ethnic minority nurse or midwife, bands 5-7"
    # group not stated: described by role, never a bare "Member of staff"
    assert labels["12"] == "Nurse or midwife"
    # no staff group: not guessed as "clinical"
    assert labels["30"] == "White member of staff"
    assert "Member of staff" not in labels.values()
