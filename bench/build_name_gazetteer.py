"""Rebuild the person-name gazetteer from public name lists (Faker's locales, MIT).

    PYTHONPATH=. python bench/build_name_gazetteer.py

Writes lived_experience/anonymise/data/name_gazetteer.txt. Only the ``gazetteer`` half of
each country's names (see lived_experience/anonymise/name_sources.py) goes in; the other
half is kept for the independent benchmark. A name that is also an everyday English word
(spaCy en_core_web_md tags its lower-case form as a common noun, verb, adjective... in all
three test frames, never as a proper noun, and wordfreq gives it a Zipf frequency >= 4)
is written on a ``common`` line: the recogniser
counts such names only with context (a title, a role, another name), never on the list alone.
Needs the ``bench`` extra (faker, wordfreq) and en_core_web_md.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from lived_experience.anonymise.name_sources import (
    COUNTRY_SOURCES,
    EVALUATION_SHARE,
    country_names,
    gazetteer_half,
)
from lived_experience.anonymise.protected import ProtectedTerms
from lived_experience.anonymise.recognisers.person_names import MONTHS_AND_DAYS, TITLES
from lived_experience.models import load_spacy

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "lived_experience" / "anonymise" / "data" / "name_gazetteer.txt"
#: a word at least this frequent in English (wordfreq's Zipf scale: 4 = ten per million
#: words) and never tagged as a proper noun is "also an everyday word"
COMMON_ZIPF = 4.0
FRAMES = ("i really like the {} here .", "there was some {} .", "she said it was {} .")


def common_words(words: list[str]) -> set[str]:
    """Lower-case words spaCy's tagger reads as ordinary English in every frame."""
    nlp = load_spacy(None)
    vectors = nlp.vocab.vectors
    candidates = [
        w for w in words if w.isascii() and vectors.find(key=nlp.vocab.strings.add(w)) >= 0
    ]
    docs = nlp.pipe(
        [f.format(w) for w in candidates for f in FRAMES],
        batch_size=512,
        disable=["ner", "parser", "lemmatizer"],
    )
    tags: dict[str, list[str]] = defaultdict(list)
    for i, doc in enumerate(docs):
        word = candidates[i // len(FRAMES)]
        tags[word] += [t.pos_ for t in doc if t.text == word]
    from wordfreq import zipf_frequency

    return {
        w
        for w, pos in tags.items()
        if pos and all(p != "PROPN" for p in pos) and zipf_frequency(w, "en") >= COMMON_ZIPF
    }


def main() -> None:
    protected = ProtectedTerms()
    excluded = set(STOP_WORDS) | MONTHS_AND_DAYS | {t.rstrip(".") for t in TITLES}
    by_line: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source in COUNTRY_SOURCES:
        first, last = country_names(source)
        for kind, names in (("first", first), ("last", last)):
            for name in gazetteer_half(names):
                lower = name.lower()
                if len(name) < 3 and name.isascii():
                    continue  # two-letter romanised names (Le, Ma) need context
                if lower in excluded or protected.is_protected_word(lower):
                    continue
                by_line[(source.country, kind)].add(name)
    every = sorted({n.lower() for names in by_line.values() for n in names})
    common = common_words(every)
    lines = [
        "# Person-name gazetteer, by country of the NHS workforce. GENERATED: do not edit;",
        "# rebuild with `PYTHONPATH=. python bench/build_name_gazetteer.py`.",
        "# Source: Faker 40.54.0 person locales (MIT licence, (c) Daniele Faraglia and Faker",
        "# contributors; lists compiled from public name statistics), see name_sources.py for",
        "# the locale(s) used per country and where the closest locale stands in for a country.",
        f"# Only the 'gazetteer' half (by a hash of each name; {1 - EVALUATION_SHARE:.0%}) is",
        "# here; the other half is held out for bench/independent_anonymiser_benchmark.py.",
        "# List-thresholded: names of two letters or fewer, stop words, months, titles and",
        "# research descriptors are left out. Names that are also everyday English words",
        "# (spaCy en_core_web_md never tags them as proper nouns, and wordfreq 3.1.1 puts them",
        "# at Zipf >= 4) are on 'common' lines: context only.",
        "# Format: <origin> <first|last|common>: names separated by spaces.",
    ]
    for (country, kind), names in sorted(by_line.items()):
        plain = sorted(n for n in names if n.lower() not in common)
        shared = sorted(n for n in names if n.lower() in common)
        if plain:
            lines.append(f"{country} {kind}: {' '.join(plain)}")
        if shared:
            lines.append(f"{country} common: {' '.join(shared)}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(every)} names, {len(common)} also common words -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
