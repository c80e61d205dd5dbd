"""Build a quote bank: typical, diverse, safe quotes per code, attributed without identifying.

For every code, candidates are the coded sentences of anonymised answers, widened to whole
sentences of 15-120 words. Each is scored by how typical it is of the code (similarity to the
centroid of all candidates for the code), the strength of its coding evidence, and
readability; the shortlist is chosen by maximal marginal relevance with no two quotes from
one respondent and a penalty for repeating an organisation or respondent group. Every chosen
quote is re-scanned by the anonymiser; a detected identifier, an indirect identifier ("the
only ...", "the first ..."), a rare detail (a proper noun fewer than k respondents used), a
residual run of six or more digits, or a capitalised place- or hospital-like phrase flags it.
The shortlist's mix is reported beside the mix of everyone who raised the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lived_experience.anonymise import Anonymiser, Detection
from lived_experience.anonymise.indirect import find_indirect_identifiers
from lived_experience.anonymise.pseudonyms import TAG_PATTERN
from lived_experience.codebook import Codebook
from lived_experience.quotes.attribution import k_safe_attributions
from lived_experience.quotes.window import quote_window
from lived_experience.schemas import require_columns

QUOTE_COLUMNS = ("quote", "code", "id", "score", "attribution", "flags")
MIX_COLUMNS = ("ethnic_group", "staff_group", "org_code")
_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{3,}\b")


@dataclass
class QuoteBank:
    """The shortlist (``quotes``), every scored candidate, and the mix comparison."""

    quotes: pd.DataFrame
    candidates: pd.DataFrame
    mix: pd.DataFrame
    raised: dict[str, int]


def _readability(text: str) -> float:
    words = len(text.split())
    length = 1.0 if 25 <= words <= 70 else max(0.0, 1 - abs(words - 47) / 80)
    tags = len(TAG_PATTERN.findall(text))
    return max(0.0, length - 0.15 * tags)


def _candidates(segments: pd.DataFrame) -> pd.DataFrame:
    rows = []
    best = segments.sort_values("score", ascending=False, kind="stable").drop_duplicates(
        ["id", "field", "code"]
    )
    for row in best.itertuples(index=False):
        quote = quote_window(str(row.answer), int(row.start), int(row.end))
        if quote is None:
            continue
        rows.append({**row._asdict(), "quote": quote})
    return pd.DataFrame(rows)


def _rare_proper_nouns(segments: pd.DataFrame, k: int) -> set[str]:
    """Capitalised words used mid-sentence by fewer than k respondents (possible identifiers)."""
    users: dict[str, set[str]] = {}
    answers = segments.drop_duplicates(["id", "field"])
    for respondent, answer in zip(answers["id"], answers["answer"], strict=True):
        for word in set(_PROPER.findall(str(answer))):
            users.setdefault(word, set()).add(str(respondent))
    return {word for word, who in users.items() if len(who) < k}


def _safety_flags(quotes: list[str], anonymiser: Anonymiser | None, rare: set[str]) -> list[str]:
    """The ``;``-joined flags of each quote (one batched anonymiser pass for all of them)."""
    detected = anonymiser.detect(quotes) if anonymiser is not None else [[] for _ in quotes]
    return [";".join(_quote_flags(q, d, rare)) for q, d in zip(quotes, detected, strict=True)]


def _quote_flags(quote: str, detected: list[Detection], rare: set[str]) -> list[str]:
    flags = []
    if detected:
        flags.append("identifier:" + "+".join(sorted({d.entity_type for d in detected})))
    if find_indirect_identifiers(quote):
        flags.append("indirect_identifier")
    found = sorted(w for w in set(_PROPER.findall(quote)) if w in rare)
    if found:
        flags.append("rare_detail")
    untagged = TAG_PATTERN.sub(" ", quote)
    if _LONG_NUMBER.search(untagged):
        flags.append("long_number")  # a bare GMC number, payroll number... the rules missed
    if _PLACE_LIKE.search(untagged):
        flags.append("place_like")  # "Frimley Park", "the Royal Free", "Salford Royal"
    return flags


#: six or more digits in a row (spaces or hyphens inside allowed)
_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[ -]?\d){5,}(?!\d)")
#: capitalised phrases shaped like a hospital or place: "the Royal X", "X Royal", "X Park",
#: "X General", "St X", "X's" after at/to/from, "X Road", "X Hospital"
_PLACE_LIKE = re.compile(
    r"\b(?:the\s+)?Royal\s+[A-Z][a-z]+|\b[A-Z][a-z]+\s+(?:Royal|Park|General|Infirmary|"
    r"Hospital|Hospitals|Trust|Road|Street|Lane|Avenue|Green|Hill|Centre|Practice|Surgery)\b|"
    r"\bSt\.?\s+[A-Z][a-z]+|(?i:\b(?:at|to|from)\s+)[A-Z][a-z]+['’]s?(?=[\s.,;!?]|$)"
)


def build_quote_bank(
    segments: pd.DataFrame,
    codebook: Codebook,
    embedder: object,
    per_code: int = 5,
    anonymiser: Anonymiser | None = None,
    k: int = 11,
    diversity: float = 0.3,
    same_group_penalty: float = 0.05,
) -> QuoteBank:
    """Select up to ``per_code`` quotes for every code of ``codebook`` (deterministic).

    ``segments`` is what ``lived-experience code --segments`` writes (coded sentences with
    the whole ``answer`` and the respondent's attributes). ``anonymiser`` re-scans the
    shortlist; pass None only in tests.
    """
    require_columns(
        segments, ["id", "field", "start", "end", "code", "score", "answer"], "coded segments"
    )
    candidates = _candidates(segments)
    respondents = segments.drop_duplicates("id")
    attributions = k_safe_attributions(respondents, k)
    rare = _rare_proper_nouns(segments, k)
    raised = segments.groupby("code")["id"].nunique().to_dict()
    chosen_rows, mix_rows, scored = [], [], []
    for code in codebook.code_ids:
        pool = (
            candidates[candidates["code"] == code].reset_index(drop=True)
            if len(candidates)
            else pd.DataFrame()
        )
        if pool.empty:
            continue
        vectors = embedder.embed(pool["quote"].tolist())  # type: ignore[attr-defined]
        centroid = vectors.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        typical = vectors @ centroid
        pool["typicality"] = np.round(typical, 4)
        pool["readability"] = [round(_readability(q), 4) for q in pool["quote"]]
        pool["total"] = np.round(
            0.5 * typical + 0.3 * pool["score"].astype(float) + 0.2 * pool["readability"], 4
        )
        scored.append(pool)
        selected: list[int] = []
        used_ids: set[str] = set()
        seen_groups: dict[str, set[str]] = {c: set() for c in MIX_COLUMNS}
        order = np.argsort(-pool["total"].to_numpy(), kind="stable")
        while len(selected) < per_code:
            best, best_value = None, -np.inf
            for i in order:
                if i in selected or str(pool.at[i, "id"]) in used_ids:
                    continue
                redundancy = max((float(vectors[i] @ vectors[j]) for j in selected), default=0.0)
                repeats = sum(
                    str(pool.at[i, c]) in seen_groups[c] for c in MIX_COLUMNS if c in pool.columns
                )
                value = (
                    (1 - diversity) * pool.at[i, "total"]
                    - diversity * redundancy
                    - same_group_penalty * repeats
                )
                if value > best_value + 1e-12:
                    best, best_value = i, value
            if best is None:
                break
            selected.append(best)
            used_ids.add(str(pool.at[best, "id"]))
            for column in MIX_COLUMNS:
                if column in pool.columns:
                    seen_groups[column].add(str(pool.at[best, column]))
        for i in selected:
            quote = str(pool.at[i, "quote"])
            chosen_rows.append(
                {
                    "quote": quote,
                    "code": code,
                    "id": str(pool.at[i, "id"]),
                    "score": float(pool.at[i, "total"]),
                    "attribution": attributions.get(str(pool.at[i, "id"]), "Member of NHS staff"),
                    "flags": "",
                }
            )
        for column in MIX_COLUMNS:
            if column not in segments.columns:
                continue
            everyone = segments[segments["code"] == code].drop_duplicates("id")[column]
            shortlist = pool.loc[selected, column]
            for value in sorted(set(everyone.astype(str))):
                mix_rows.append(
                    {
                        "code": code,
                        "attribute": column,
                        "value": value,
                        "raised_percent": round(
                            100 * float((everyone.astype(str) == value).mean()), 1
                        ),
                        "shortlist_percent": round(
                            100 * float((shortlist.astype(str) == value).mean()), 1
                        )
                        if len(shortlist)
                        else 0.0,
                    }
                )
    quotes = pd.DataFrame(chosen_rows, columns=list(QUOTE_COLUMNS))
    quotes["flags"] = _safety_flags(quotes["quote"].tolist(), anonymiser, rare)
    return QuoteBank(
        quotes,
        pd.concat(scored, ignore_index=True) if scored else pd.DataFrame(),
        pd.DataFrame(mix_rows),
        {str(k_): int(v) for k_, v in raised.items()},
    )
