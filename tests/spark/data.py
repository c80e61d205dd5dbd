"""Synthetic survey rows with planted identifiers (names, phones, NHS numbers, e-mails)."""

from __future__ import annotations

import random

import pandas as pd

FIRST = ["Priya", "Adebayo", "Grace", "Tomasz", "Mei", "Kwame", "Fatima", "Oliver"]
LAST = ["Patel", "Okonkwo", "Mensah", "Nowak", "Chen", "Boateng", "Khan", "Smith"]
TEMPLATES = [
    "My manager {name} ignored my complaint about racist remarks from a patient.",
    "Call me on 07700 900{n:03d} if you want to hear more, I am a band 6 nurse.",
    "Dr {name} said Black nurses never get promoted here. Email {first}.{last}@nhs.net",
    "My NHS number is 943 476 5919 and {name} from HR lost my file, again.",
    '=HYPERLINK("x") no identifiers here, just a long shift on the ward',
    "",
    'Nothing to add, thanks, but the BAME network helped me, with commas, and quotes "ok".',
]


def survey(rows: int, seed: int = 7) -> pd.DataFrame:
    """``rows`` synthetic answers in two text columns, with ids and one attribute."""
    rng = random.Random(seed)

    def answer() -> str:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        return rng.choice(TEMPLATES).format(
            name=f"{first} {last}", first=first.lower(), last=last.lower(), n=rng.randrange(1000)
        )

    return pd.DataFrame(
        {
            "id": [f"R{i:05d}" for i in range(rows)],
            "band": [rng.choice(["Band 5", "Band 6", "Band 7"]) for _ in range(rows)],
            "q_experience": [answer() for _ in range(rows)],
            "q_improve": [answer() for _ in range(rows)],
        }
    )


NAMES = [f"{f} {la}" for f in FIRST for la in LAST]
