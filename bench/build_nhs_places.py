"""Rebuild the list of real NHS trusts and hospital sites from NHS Digital's ODS ``etr.csv``.

    PYTHONPATH=. python bench/build_nhs_places.py PATH/TO/etr.csv

Source: the Organisation Data Service (ODS) "NHS Trusts" extract ``etr.csv`` (NHS Digital,
Open Government Licence v3.0; headerless, one trust per row: code, name, grouping,
health geography, five address lines, postcode, open date, close date, ...). The copy
used for the bundled file is the one in the public repository jah-photoshop/nhsparse at
commit 12ebc71b6a80e8905723830928522421b13e8aa9 (241 English trusts, open and closed,
about 2016). Only names are taken: each trust's name, and every address line that names a
hospital, infirmary or health park (a trust's headquarters site). Names of NHS bodies and
hospitals are public facts, not personal data.

Writes ``lived_experience/anonymise/data/nhs_places.txt`` with three kinds of line:

* ``trust: <name>`` and ``site: <name>``: the full name, matched wherever it is written;
* ``short: <name>``: how staff shorten a site ("Northwick Park", "Royal Free", "Salford
  Royal", "Guy's and St Thomas'"), matched when capitalised, anywhere;
* ``cued: <name>``: a one-word short form ("Whittington", "Addenbrookes", "Christie"),
  matched only after a site cue ("at", "from", "the", "joined"...) or as a possessive.

Short forms that are only generic words ("County", "General", "Queen's", "University")
are never written.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from build_place_lists import REGIONS

from lived_experience.anonymise.recognisers.places import load_places

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "lived_experience" / "anonymise" / "data" / "nhs_places.txt"

_SMALL = {"and", "of", "the", "for", "upon", "on", "under", "in", "at"}
_UPPER = {"nhs", "ii", "iii", "hm"}
#: words that name no place on their own: a short form made only of these is not written
GENERIC = set(
    [
        "royal",
        "general",
        "university",
        "hospital",
        "hospitals",
        "infirmary",
        "district",
        "county",
        "city",
        "community",
        "memorial",
        "queen",
        "queens",
        "queen's",
        "women's",
        "womens",
        "children's",
        "childrens",
        "national",
        "teaching",
        "north",
        "south",
        "east",
        "west",
        "north-east",
        "new",
        "st",
        "saint",
        "the",
        "and",
        "of",
        "for",
        "central",
        "mid",
        "northern",
        "southern",
        "eastern",
        "western",
        "health",
        "healthcare",
        "care",
        "trust",
        "foundation",
        "nhs",
        "services",
        "service",
        "partnership",
        "acute",
        "mental",
        "group",
        "site",
        "gen",
        "park",
        "manor",
        "heart",
        "chest",
        "eye",
        "cancer",
        "centre",
        "orthopaedic",
        "specialist",
    ]
)
_SITE_WORDS = re.compile(
    r"\b(?:HOSPITALS?|INFIRMARY|HEALTH PARK)\b",
)
_SITE_TAIL = re.compile(
    r"\s+(?:(?:University|General|District|Memorial|County|Teaching|Community|Gen)\s+)*"
    r"(?:Hospitals?|Infirmary|Health\s+Park)(?:\s+Site)?$"
)
_TRUST_TAIL = re.compile(r",?\s+NHS\s+(?:Foundation\s+)?Trust$")
_INSTITUTIONAL = re.compile(
    r"\b(?:Hospitals?|Healthcare|Health|Teaching|University|Partnership|Infirmary|Royal)\b"
)


def title(name: str) -> str:
    """Title case for an ODS name: "GUY'S HOSPITAL" -> "Guy's Hospital"."""
    words = []
    for i, word in enumerate(name.split()):
        lower = word.lower()
        if lower in _UPPER:
            words.append(word.upper())
        elif lower in _SMALL and i > 0:
            words.append(lower)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in lower.split("-")))
    return " ".join(words).replace(" & ", " and ")


def _distinctive(words: list[str]) -> bool:
    return any(w.lower().strip("'’") not in GENERIC for w in words)


def short_forms(site: str) -> list[tuple[str, str]]:
    """("short" | "cued", form) pairs for a site name: "Northwick Park Hospital" ->
    "Northwick Park"; "The Whittington Hospital" -> "Whittington" (cued)."""
    core = re.sub(r"^The\s+", "", _SITE_TAIL.sub("", site)).strip()
    if not core or core == site:
        return []
    words = core.split()
    if not _distinctive(words):
        return []
    if len(words) == 1:
        return [("cued", core)]
    return [("short", core)]


def main(path: str) -> None:
    trusts: set[str] = set()
    sites: set[str] = set()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) < 10:
                continue
            trusts.add(title(row[1]))
            for line in row[4:9]:
                line = line.strip()
                if _SITE_WORDS.search(line) and "NHS" not in line and "LANE" not in line:
                    sites.add(title(re.sub(r"\s+SITE$", "", line)))
    lines: dict[str, set[str]] = {"trust": trusts, "site": sites, "short": set(), "cued": set()}
    for site in sites:
        for kind, form in short_forms(site):
            lines[kind].add(form)
    for trust in trusts:
        core = _TRUST_TAIL.sub("", trust).strip()
        core = re.sub(r"^The\s+", "", core)
        words = core.split()
        if core == trust or not _distinctive(words) or core.casefold() in REGIONS:
            continue
        if len(words) > 1 or _INSTITUTIONAL.search(core):
            lines["short"].add(core)  # "Guy's and St Thomas'", "Frimley Health"
        else:
            lines["cued"].add(core)  # "The Christie NHS Foundation Trust" -> "Christie"
    lines["cued"] -= lines["short"]
    # a short form that is a town ("Bradford", "Milton Keynes") is a UK place, found as one
    uk, uk_common = load_places("uk_places.txt")
    towns = {t.casefold() for t in uk | uk_common}
    for kind in ("short", "cued"):
        lines[kind] = {f for f in lines[kind] if f.casefold() not in towns}
    header = (
        "# NHS trusts and hospital sites in England. GENERATED: do not edit; rebuild with\n"
        "# `PYTHONPATH=. python bench/build_nhs_places.py etr.csv`.\n"
        "# Source: NHS Digital Organisation Data Service, etr.csv (NHS Trusts), Open Government\n"
        "# Licence v3.0; copy in github.com/jah-photoshop/nhsparse at commit 12ebc71b6a80.\n"
        "# Names of public bodies and hospitals (facts), no personal data. 'short' lines are\n"
        "# how staff shorten a name; 'cued' lines are one-word short forms taken only after a\n"
        "# site cue ('at', 'from', 'the') or as a possessive.\n"
    )
    body = [f"{kind}: {name}" for kind in lines for name in sorted(lines[kind])]
    OUT.write_text(header + "\n".join(body) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(REPO)}: " + ", ".join(f"{len(v)} {k}" for k, v in lines.items()))


if __name__ == "__main__":
    main(sys.argv[1])
