"""Build a quote bank: typical, diverse, safe quotes per code, attributed without identifying.

For every code, candidates are the coded sentences of anonymised answers, widened to whole
sentences of 15-120 words. Each is scored by how typical it is of the code (similarity to the
centroid of all candidates for the code), the strength of its coding evidence, and
readability; the shortlist is chosen by maximal marginal relevance with no two quotes from
one respondent and a penalty for repeating an organisation or respondent group. Every chosen
quote is re-scanned by the anonymiser; a detected identifier, an indirect identifier ("the
only ...", "the first ..."), a rare detail (a proper noun fewer than k respondents used), a
residual run of six or more digits, or a capitalised place- or hospital-like phrase flags it.
No sentence appears in two quotes of the bank. By default the shortlist's mix of
respondent groups (``group_column``) follows the mix of everyone who raised the code (largest
remainder quotas), so a group that is 3% of those who raised a code does not get a quarter
of its quotes; the mix is reported beside everyone who raised the code. Quotes shown to
readers carry readable placeholders ("[colleague]", "[date]") instead of pseudonym tags
(:mod:`lived_experience.quotes.placeholders`); every quote has a ``quote_id`` that the Word,
Markdown and CSV files share.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from lived_experience.anonymise import Anonymiser, Detection
from lived_experience.anonymise.indirect import find_indirect_identifiers
from lived_experience.anonymise.pseudonyms import TAG_PATTERN
from lived_experience.codebook import Codebook
from lived_experience.errors import ConfigError, MissingColumnError
from lived_experience.quotes.attribution import k_safe_attributions
from lived_experience.quotes.placeholders import (
    PlaceholderStyle,
    SurrogateNames,
    readable_placeholders,
)
from lived_experience.quotes.window import quote_window
from lived_experience.schemas import require_columns

QUOTE_COLUMNS = ("quote_id", "quote", "code", "id", "score", "attribution", "flags")
#: How a group's share of the shortlist is set: like everyone who raised the code, or free.
Balance = Literal["proportional", "none"]
#: Shown for a blank group value in the mix (never an empty string).
NOT_STATED = "Not stated"
MIX_COLUMNS = ("ethnic_group", "staff_group", "org_code")
_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{3,}\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


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


def sentence_keys(quote: str) -> set[str]:
    """The normalised sentences of ``quote``: case, ellipses and which tag ignored.

    >>> sorted(sentence_keys("… [PERSON_AB12CD] shouts at me. It hurts!"))
    ['[x] shouts at me', 'it hurts']
    """
    text = TAG_PATTERN.sub("[x]", quote.replace("…", " "))
    keys = set()
    for sentence in _SENTENCE_END.split(text):
        key = " ".join(sentence.casefold().split()).strip(" .!?,;:")
        if key:
            keys.add(key)
    return keys


def proportional_quotas(shares: Mapping[str, float], seats: int) -> dict[str, int]:
    """Seats per group in proportion to ``shares`` (largest remainder, ties by name).

    >>> proportional_quotas({"Ethnic minority": 0.71, "White": 0.25, "Not stated": 0.04}, 4)
    {'Ethnic minority': 3, 'White': 1, 'Not stated': 0}
    """
    total = sum(shares.values()) or 1.0
    exact = {group: seats * share / total for group, share in shares.items()}
    quotas = {group: int(value) for group, value in exact.items()}
    left = seats - sum(quotas.values())
    for group in sorted(exact, key=lambda g: (-(exact[g] - quotas[g]), g))[:left]:
        quotas[group] += 1
    return quotas


def parse_where(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["ethnic_group=Ethnic minority"]`` -> ``{"ethnic_group": "Ethnic minority"}``.

    >>> parse_where(["ethnic_group=Ethnic minority", "band=Band 5"])
    {'ethnic_group': 'Ethnic minority', 'band': 'Band 5'}
    """
    where: dict[str, str] = {}
    for item in items:
        column, sep, value = item.partition("=")
        if not sep or not column.strip():
            raise ConfigError(
                f"--where '{item}' is not COLUMN=VALUE. Fix: write it like "
                "--where 'ethnic_group=Ethnic minority'."
            )
        where[column.strip()] = value.strip()
    return where


def select_where(segments: pd.DataFrame, where: Mapping[str, str] | None) -> pd.DataFrame:
    """The rows of ``segments`` whose every ``column`` equals ``value`` in ``where``.

    Raises :class:`MissingColumnError` listing the available columns (never any values).
    """
    if not where:
        return segments
    keep = pd.Series(True, index=segments.index)
    for column, value in where.items():
        if column not in segments.columns:
            available = ", ".join(map(str, segments.columns))
            raise MissingColumnError(
                f"--where {column}=...: no column '{column}' in the coded segments. Available "
                f"columns: {available}. Fix: use one of those names (case-sensitive)."
            )
        keep &= segments[column].fillna("").astype(str) == str(value)
    return segments[keep]


def build_quote_bank(
    segments: pd.DataFrame,
    codebook: Codebook,
    embedder: object,
    per_code: int = 5,
    anonymiser: Anonymiser | None = None,
    k: int = 11,
    diversity: float = 0.3,
    same_group_penalty: float = 0.05,
    balance: Balance = "proportional",
    group_column: str = "ethnic_group",
    where: Mapping[str, str] | None = None,
    placeholders: PlaceholderStyle = "placeholder",
) -> QuoteBank:
    """Select up to ``per_code`` quotes for every code of ``codebook`` (deterministic).

    ``segments`` is what ``lived-experience code --segments`` writes (coded sentences with
    the whole ``answer`` and the respondent's attributes). ``anonymiser`` re-scans the
    shortlist; pass None only in tests.

    Parameters
    ----------
    balance
        ``"proportional"``: each value of ``group_column`` gets a share of every code's
        shortlist like its share of the respondents who raised the code (a group with too
        few candidates leaves its places to the others); ``"none"``: chosen on merit and
        diversity alone.
    where
        Draw quotes only from respondents with these attribute values, e.g.
        ``{"ethnic_group": "Ethnic minority"}``. Attributions stay k-safe over everyone.
    placeholders
        How pseudonym tags read in the quotes: ``"placeholder"`` ("[colleague]"),
        ``"surrogate"`` (consistent invented names; see
        :mod:`lived_experience.quotes.placeholders` for the risks) or ``"tags"`` (as is).
    """
    for name, value, allowed in (
        ("balance", balance, ("proportional", "none")),
        ("placeholders", placeholders, ("placeholder", "surrogate", "tags")),
    ):
        if value not in allowed:
            raise ConfigError(
                f"quotes: {name} '{value}' is not known. Fix: use one of {', '.join(allowed)}."
            )
    require_columns(
        segments, ["id", "field", "start", "end", "code", "score", "answer"], "coded segments"
    )
    respondents = segments.drop_duplicates("id")
    attributions = k_safe_attributions(respondents, k)
    rare = _rare_proper_nouns(segments, k)
    segments = select_where(segments, where)
    candidates = _candidates(segments)
    raised = segments.groupby("code")["id"].nunique().to_dict()
    chosen_rows, mix_rows, scored = [], [], []
    used_sentences: set[str] = set()
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
        keys = [sentence_keys(str(q)) for q in pool["quote"]]
        groups = (
            pool[group_column].fillna("").astype(str).replace("", NOT_STATED)
            if group_column in pool.columns
            else pd.Series(NOT_STATED, index=pool.index)
        )
        everyone_code = segments[segments["code"] == code].drop_duplicates("id")
        quotas: dict[str, int] | None = None
        if balance == "proportional" and group_column in everyone_code.columns:
            shares = (
                everyone_code[group_column]
                .fillna("")
                .astype(str)
                .replace("", NOT_STATED)
                .value_counts(normalize=True)
            )
            quotas = proportional_quotas(shares.to_dict(), min(per_code, len(pool)))
        selected: list[int] = []
        used_ids: set[str] = set()
        seen_groups: dict[str, set[str]] = {c: set() for c in MIX_COLUMNS}
        order = np.argsort(-pool["total"].to_numpy(), kind="stable")

        passes = (True, False) if quotas is not None else (False,)
        while len(selected) < per_code:
            best, best_value = None, -np.inf
            # first within each group's quota; if no group with places left has a candidate,
            # the others take its places
            for respect_quota in passes:
                for i in order:
                    if i in selected or str(pool.at[i, "id"]) in used_ids:
                        continue
                    if keys[i] & used_sentences:
                        continue  # a sentence already quoted elsewhere in the bank
                    if respect_quota and quotas is not None:
                        taken = sum(groups.iat[j] == groups.iat[i] for j in selected)
                        if taken >= quotas.get(groups.iat[i], 0):
                            continue
                    redundancy = max(
                        (float(vectors[i] @ vectors[j]) for j in selected), default=0.0
                    )
                    repeats = sum(
                        str(pool.at[i, c]) in seen_groups[c]
                        for c in MIX_COLUMNS
                        if c in pool.columns
                    )
                    value = (
                        (1 - diversity) * pool.at[i, "total"]
                        - diversity * redundancy
                        - same_group_penalty * repeats
                    )
                    if value > best_value + 1e-12:
                        best, best_value = int(i), value
                if best is not None:
                    break
            if best is None:
                break
            selected.append(best)
            used_ids.add(str(pool.at[best, "id"]))
            used_sentences.update(keys[best])
            for column in MIX_COLUMNS:
                if column in pool.columns:
                    seen_groups[column].add(str(pool.at[best, column]))
        for i in selected:
            chosen_rows.append(
                {
                    "quote": str(pool.at[i, "quote"]),
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
            everyone = everyone_code[column].fillna("").astype(str).replace("", NOT_STATED)
            shortlist = pool.loc[selected, column].fillna("").astype(str).replace("", NOT_STATED)
            for value in sorted(set(everyone)):
                mix_rows.append(
                    {
                        "code": code,
                        "attribute": column,
                        "value": value,
                        "raised_percent": round(100 * float((everyone == value).mean()), 1),
                        "shortlist_percent": round(100 * float((shortlist == value).mean()), 1)
                        if len(shortlist)
                        else 0.0,
                    }
                )
    quotes = pd.DataFrame(chosen_rows, columns=[c for c in QUOTE_COLUMNS if c != "quote_id"])
    quotes["flags"] = _safety_flags(quotes["quote"].tolist(), anonymiser, rare)
    surrogates = SurrogateNames() if placeholders == "surrogate" else None
    quotes["quote"] = [readable_placeholders(q, placeholders, surrogates) for q in quotes["quote"]]
    quotes.insert(0, "quote_id", [f"Q{n:03d}" for n in range(1, len(quotes) + 1)])
    return QuoteBank(
        quotes,
        pd.concat(scored, ignore_index=True) if scored else pd.DataFrame(),
        pd.DataFrame(mix_rows),
        {str(k_): int(v) for k_, v in raised.items()},
    )
