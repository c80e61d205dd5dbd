"""Thirty invented NHS organisations, with their sites, wards and a planted 'climate'.

The climate is the hidden truth the WRES cross-reference should recover: for a few
code / indicator pairs an organisation's multiplier raises both how often its ethnic minority
respondents describe that experience in the survey and (in the WRES returns generator) how
badly it scores on the linked indicator. The pairs are:

================================  ==================
code                              WRES indicator
================================  ==================
``abuse_from_public``             5
``bullying_from_staff``           6
``career_progression``            7
``discrimination_from_staff``     8
================================  ==================
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

#: Codes whose prevalence among ethnic minority respondents is planted per organisation.
PLANTED_CODES: dict[str, int] = {
    "abuse_from_public": 5,
    "bullying_from_staff": 6,
    "career_progression": 7,
    "discrimination_from_staff": 8,
}

_PLACES = (
    "Ashvale",
    "Brackenford",
    "Calderbrook",
    "Dunmere",
    "Elmsworth",
    "Fernleigh",
    "Glenmoor",
    "Hollinsby",
    "Kestrelmouth",
    "Larkhaven",
    "Marrowby",
    "Northcombe",
    "Oakhollow",
    "Pennington Vale",
    "Quarrydown",
    "Ravensholme",
    "Saltmere",
    "Thornbury Cross",
    "Upperwick",
    "Wexcombe",
    "Yarrowfield",
    "Ambleside Marsh",
    "Bramblecote",
    "Coldharbour Vale",
    "Drayfield",
    "Edgecombe",
    "Foxmoor",
    "Gatesby",
    "Highcliff",
    "Ingleby Moor",
)
_KINDS = (
    ("acute", "{p} Teaching Hospitals NHS Foundation Trust"),
    ("acute", "{p} and District NHS Trust"),
    ("acute", "University Hospitals of {p} NHS Foundation Trust"),
    ("mental_health", "{p} Mental Health NHS Foundation Trust"),
    ("community", "{p} Community Healthcare NHS Trust"),
    ("acute", "{p} General Hospitals NHS Trust"),
)
_SAINTS = ("Mary", "Luke", "Catherine", "Anne", "Bartholomew", "Helen", "Columba", "Peter")
_TREES = ("Rowan", "Maple", "Willow", "Cedar", "Beech", "Hazel", "Juniper", "Aspen", "Larch")


@dataclass(frozen=True)
class Organisation:
    """An invented NHS organisation with the named places its staff might mention."""

    code: str
    name: str
    kind: str
    region: str
    hospitals: tuple[str, ...]
    wards: tuple[str, ...]
    email_domain: str
    #: ethnic minority share of the workforce (drives the survey's ethnicity mix)
    minority_share: float
    #: planted multiplier per code in :data:`PLANTED_CODES` (1.0 = national average)
    climate: dict[str, float] = field(default_factory=dict)


def build_organisations(seed: int = 2024) -> tuple[Organisation, ...]:
    """Build the thirty organisations deterministically from ``seed``."""
    rng = random.Random(seed)
    regions = (
        "London",
        "Midlands",
        "North West",
        "North East and Yorkshire",
        "South East",
        "South West",
        "East of England",
    )
    orgs = []
    for i, place in enumerate(_PLACES):
        kind, pattern = _KINDS[i % len(_KINDS)]
        saint = _SAINTS[i % len(_SAINTS)]
        hospitals = (
            f"{place} General Hospital",
            f"St {saint}'s Hospital",
            f"{place} Royal Infirmary",
        )
        tree_a, tree_b = rng.sample(_TREES, 2)
        wards = (
            f"Ward {rng.randint(1, 40)}{rng.choice('ABCD')}",
            f"Ward {rng.randint(1, 30)}",
            f"{tree_a} Ward",
            f"{tree_b} Unit",
        )
        region = regions[i % len(regions)]
        base_share = 0.45 if region == "London" else 0.18 + 0.02 * (i % 7)
        climate = {code: round(rng.lognormvariate(0.0, 0.45), 3) for code in PLANTED_CODES}
        slug = place.lower().replace(" ", "")
        orgs.append(
            Organisation(
                code=f"SYN{i + 1:02d}",
                name=pattern.format(p=place),
                kind=kind,
                region=region,
                hospitals=hospitals,
                wards=wards,
                email_domain=f"{slug}.nhs.uk",
                minority_share=round(base_share, 3),
                climate=climate,
            )
        )
    return tuple(orgs)
