"""Public name lists by country, split by name into a gazetteer half and an evaluation half.

The person-name gazetteer (``data/name_gazetteer.txt``) and the independent name benchmark
both draw on Faker's person locales (MIT licence; lists compiled by Faker's contributors from
public statistics offices and name-frequency tables, not from leaked personal data). To stop
the benchmark measuring memory, every name is assigned to one half by a hash of its
case-folded spelling (:func:`name_half`): the gazetteer is built only from the ``gazetteer``
half, the benchmark samples only from the ``evaluation`` half, and
:func:`evaluation_names` drops, and then asserts the absence of, any name the loaded
gazetteer knows (a name can reach both halves' countries with the same spelling, so the
check is made on the final gazetteer, not on the source lists).

Faker is needed only to rebuild the gazetteer or run the benchmark (``pip install
faker==40.54.0``, the ``bench`` extra); the toolkit itself reads the bundled text file.

>>> name_half("Priya") in {"gazetteer", "evaluation"}
True
"""

from __future__ import annotations

import hashlib
import importlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lived_experience.errors import ModelNotAvailableError

#: Share of names (by hash) kept out of the gazetteer for evaluation.
EVALUATION_SHARE = 0.3


@dataclass(frozen=True)
class CountrySource:
    """Where a country's names come from: Faker locales for first and last names."""

    country: str
    first_locales: tuple[str, ...]
    last_locales: tuple[str, ...]
    note: str = ""


def _src(country: str, *locales: str, last: tuple[str, ...] = (), note: str = "") -> CountrySource:
    return CountrySource(country, tuple(locales), last or tuple(locales), note)


#: Countries the NHS workforce comes from, with the Faker locale(s) for each. Where Faker has
#: no locale for a country, the closest documented one is used and ``note`` says so.
COUNTRY_SOURCES: tuple[CountrySource, ...] = (
    _src("GB", "en_GB"),
    _src("IE", "en_IE", "ga_IE", note="English and Irish-language (with fada) locales"),
    _src("IN", "en_IN", "hi_IN", "ta_IN"),
    _src("PK", "en_PK"),
    _src("BD", "bn_BD", note="Bengali script"),
    _src("LK", "si_LK", note="Sinhala script"),
    _src("NP", "ne_NP", note="Devanagari script"),
    _src("NG", "en_NG", "yo_NG", "ig_NG", "ha_NG"),
    _src("GH", "tw_GH"),
    _src("ZW", "zu_ZA", note="no Faker locale; closest: zu_ZA (Nguni names, shared with Ndebele)"),
    _src("ZA", "zu_ZA"),
    _src("KE", "en_KE", "sw"),
    _src("SO", "sw", note="no Faker locale; closest: sw (East African, Latin script)"),
    _src("JM", "en_US", note="no Faker locale; closest: en_US (anglophone Caribbean naming)"),
    _src(
        "PH",
        "en_US",
        last=("es_ES",),
        note="no Faker locale; closest: en_US given + es_ES surnames",
    ),
    _src("CN", "zh_CN", note="romanised (pinyin) lists of the zh_CN locale"),
    _src("MY", "id_ID", note="no Faker locale; closest: id_ID (Malay-Indonesian names)"),
    _src("VN", "vi_VN", note="with diacritics"),
    _src("PL", "pl_PL"),
    _src("RO", "ro_RO"),
    _src("LT", "lt_LT"),
    _src("PT", "pt_PT"),
    _src("ES", "es_ES"),
    _src("IT", "it_IT"),
    _src("GR", "el_GR", note="Greek script"),
    _src("EG", "ar_AA", note="no ar_EG locale; closest: ar_AA (Arabic script)"),
    _src("IQ", "ar_AA", note="no ar_IQ locale; closest: ar_AA (Arabic script)"),
    _src("SY", "ar_PS", note="no ar_SY locale; closest: ar_PS (Levantine, Arabic script)"),
    _src("TR", "tr_TR"),
    _src("IR", "fa_IR", note="Persian script"),
    _src("BR", "pt_BR"),
)


def name_half(name: str) -> str:
    """``"evaluation"`` or ``"gazetteer"``: a stable split by the name's case-folded spelling."""
    key = unicodedata.normalize("NFC", name).casefold().encode("utf-8")
    bucket = int.from_bytes(hashlib.sha256(b"lived-experience-names|" + key).digest()[:4], "big")
    return "evaluation" if bucket / 2**32 < EVALUATION_SHARE else "gazetteer"


def _provider(locale: str) -> type:
    try:
        return importlib.import_module(f"faker.providers.person.{locale}").Provider  # type: ignore[no-any-return]
    except ModuleNotFoundError as error:
        raise ModelNotAvailableError(
            "Faker is needed to build the name gazetteer or run the name benchmark. "
            "Fix: pip install faker==40.54.0 (or the project's [bench] extra)."
        ) from error


def _strings(values: object) -> list[str]:
    if isinstance(values, Mapping):
        values = list(values)
    if isinstance(values, (list, tuple)):
        return [v for v in values if isinstance(v, str)]
    return []


def locale_names(locale: str, kind: str) -> list[str]:
    """Every ``kind`` ("first" or "last") name of a Faker locale, split into single words.

    Romanised lists are used where the locale has them (zh_CN). Words are returned sorted
    and unique, so the result does not depend on Faker's internal order.
    """
    provider = _provider(locale)
    attributes = [a for a in dir(provider) if not a.startswith("_")]
    romanised = [a for a in attributes if a.startswith(f"{kind}_romanized_names")]
    chosen = romanised or [
        a
        for a in attributes
        if (a.startswith(f"{kind}_names") or a.endswith(f"{kind}_names")) and "format" not in a
    ]
    words: set[str] = set()
    for attribute in chosen:
        for value in _strings(getattr(provider, attribute)):
            for word in value.replace("-", " ").split():
                word = unicodedata.normalize("NFC", word.strip(".,()"))
                if len(word) > 1 and any(ch.isalpha() for ch in word):
                    words.add(word)
    return sorted(words)


def country_names(source: CountrySource) -> tuple[list[str], list[str]]:
    """First and last names for one country, sorted and unique."""
    first = sorted({n for loc in source.first_locales for n in locale_names(loc, "first")})
    last = sorted({n for loc in source.last_locales for n in locale_names(loc, "last")})
    return first, last


def gazetteer_half(names: Iterable[str]) -> list[str]:
    """The names that may go into the gazetteer."""
    return [n for n in names if name_half(n) == "gazetteer"]


def evaluation_names(names: Iterable[str], gazetteer: Iterable[str]) -> list[str]:
    """Names for evaluation: the evaluation half, minus anything the gazetteer knows.

    Raises ``AssertionError`` if, after the drop, a name the gazetteer knows remains (it
    cannot, but the benchmark's claim rests on it, so it is checked, not assumed).
    """
    known = {g.casefold() for g in gazetteer}
    kept = [n for n in names if name_half(n) == "evaluation" and n.casefold() not in known]
    overlap = {n for n in kept if n.casefold() in known}
    assert not overlap, f"{len(overlap)} evaluation names are in the gazetteer"
    return kept


#: Sentence frames for the per-country benchmark: {F}/{L} a first/last name, {F2} a second
#: first name, {f}/{l} the same in lower case. Each covers one way staff write a name.
FRAMES: tuple[tuple[str, str], ...] = (
    ("sentence_initial", "{F} {L} was really supportive when I started."),
    ("lower_case", "i told {f} {l} about it and nothing happened"),
    ("list_with_and", "On the rota that week were {F} and {F2}."),
    ("on_nights", "{F} on nights covered for me when my dad was ill."),
    ("from_the_ed", "Ask {F} from the ED, she saw what happened."),
    ("comma_she_is", "{F}, she's from abroad too, stood up for me."),
    ("possessive", "It was {F}'s idea to report it to the guardian."),
    ("after_role", "My ward manager {F} {L} refused my leave again."),
    ("after_title", "Dr {L} would not listen to a word I said."),
    ("mid_sentence", "I worked with {F} {L} for two years before she left."),
)


@dataclass(frozen=True)
class PlantedText:
    """A benchmark sentence and the character spans of the names planted in it."""

    country: str
    frame: str
    text: str
    spans: tuple[tuple[int, int], ...]


def planted_texts(
    country: str, first: list[str], last: list[str], per_frame: int, seed: int = 0
) -> list[PlantedText]:
    """Plant evaluation names in every frame, ``per_frame`` sentences each (seeded)."""
    import random
    import re

    rng = random.Random(f"{seed}|{country}")
    out = []
    for frame_name, frame in FRAMES:
        for _ in range(per_frame):
            values = {
                "F": rng.choice(first),
                "F2": rng.choice(first),
                "L": rng.choice(last),
            }
            values |= {"f": values["F"].lower(), "l": values["L"].lower()}
            text, spans, position = "", [], 0
            for match in re.finditer(r"\{(\w+)\}", frame):
                text += frame[position : match.start()]
                value = values[match.group(1)]
                spans.append((len(text), len(text) + len(value)))
                text += value
                position = match.end()
            text += frame[position:]
            out.append(PlantedText(country, frame_name, text, tuple(spans)))
    return out


def wilson_interval(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion (95% by default).

    >>> [round(x, 3) for x in wilson_interval(95, 100)]
    [0.888, 0.978]
    """
    if total == 0:
        return (0.0, 1.0)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * ((p * (1 - p) / total + z * z / (4 * total * total)) ** 0.5) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))
