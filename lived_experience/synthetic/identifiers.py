"""Invented identifiers in the forms people really write them.

Every value is fake but well formed: NHS numbers pass the Modulus 11 check, NI numbers use
allowed prefixes, phone numbers come from Ofcom's ranges reserved for drama (07700 900xxx,
020 7946 0xxx, 0113 496 0xxx, ...), so none belongs to a real person.
"""

from __future__ import annotations

import random
import string

from lived_experience.anonymise.recognisers.nhs_number import nhs_check_digit

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NINO_BANNED = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}
_POSTCODE_AREAS = (
    "LS1",
    "LS7",
    "M13",
    "M8",
    "B15",
    "B21",
    "E1",
    "E17",
    "N15",
    "SE15",
    "BD8",
    "L8",
    "NG7",
    "LE4",
    "CF10",
    "S11",
    "HU3",
    "BS5",
    "OL9",
    "WF13",
)


def nhs_number(rng: random.Random) -> str:
    """A ten-digit NHS number with a valid check digit, in a common written form."""
    while True:
        body = "".join(rng.choice(string.digits) for _ in range(9))
        if body[0] == "0":
            continue
        check = nhs_check_digit(body)
        if check is not None:
            break
    digits = body + str(check)
    style = rng.random()
    if style < 0.4:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    if style < 0.55:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return digits


def phone(rng: random.Random) -> str:
    """A UK phone number from a drama range, in one of the usual formats."""
    n = rng.randint(0, 999)
    style = rng.randrange(8)
    if style == 0:
        return f"07700 900{n:03d}"
    if style == 1:
        return f"07700900{n:03d}"
    if style == 2:
        return f"+44 7700 900{n:03d}"
    if style == 3:
        return f"020 7946 0{n:03d}"
    if style == 4:
        return f"+44 (0)20 7946 0{n:03d}"
    if style == 5:
        return f"(0113) 496 0{n:03d}"
    if style == 6:
        return f"0161-496-0{n:03d}"
    return f"0121 496 0{n:03d}"


def email(rng: random.Random, first: str, last: str, domain: str) -> str:
    """A work or personal e-mail address built from a name."""
    clean_first = "".join(c for c in first.lower() if c.isalpha())
    clean_last = "".join(c for c in last.lower() if c.isalpha())
    style = rng.randrange(4)
    if style == 0:
        return f"{clean_first}.{clean_last}@nhs.net"
    if style == 1:
        return f"{clean_first[0]}.{clean_last}@{domain}"
    if style == 2:
        return f"{clean_first}{clean_last}{rng.randint(1, 99)}@gmail.com"
    return f"{clean_last}.{clean_first}{rng.randint(1, 9)}@outlook.com"


def postcode(rng: random.Random) -> str:
    """A UK postcode in the standard format (area from a fixed list, random inward code)."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    inward = f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    outward = rng.choice(_POSTCODE_AREAS)
    return f"{outward} {inward}" if rng.random() < 0.85 else f"{outward}{inward}"


def national_insurance_number(rng: random.Random) -> str:
    """A National Insurance number with an allowed prefix, spaced or not."""
    while True:
        prefix = rng.choice(_NINO_FIRST) + rng.choice(_NINO_SECOND)
        if prefix not in _NINO_BANNED:
            break
    digits = [f"{rng.randint(0, 99):02d}" for _ in range(3)]
    suffix = rng.choice("ABCD")
    if rng.random() < 0.5:
        return f"{prefix} {' '.join(digits)} {suffix}"
    return f"{prefix}{''.join(digits)}{suffix}"


def gmc_number(rng: random.Random) -> str:
    """A seven-digit GMC reference number."""
    return str(rng.randint(1_000_000, 7_999_999))


def nmc_pin(rng: random.Random) -> str:
    """An NMC PIN: two digits, a letter, four digits, a letter (e.g. 12A3456E)."""
    return (
        f"{rng.randint(0, 99):02d}{rng.choice(string.ascii_uppercase)}"
        f"{rng.randint(0, 9999):04d}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"
    )


def staff_id(rng: random.Random) -> str:
    """A staff, employee or payroll number as trusts issue them."""
    if rng.random() < 0.5:
        return f"{rng.choice('EPS')}{rng.randint(1_000_000, 9_999_999)}"
    return str(rng.randint(10_000_000, 39_999_999))


def specific_date(rng: random.Random) -> str:
    """A specific date (a day, not just a month or year) in a common written form."""
    day = rng.randint(1, 28)
    month = rng.randrange(12)
    year = rng.choice((2021, 2022, 2023, 2024))
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    style = rng.randrange(5)
    if style == 0:
        return f"{day} {_MONTHS[month]} {year}"
    if style == 1:
        return f"{day:02d}/{month + 1:02d}/{year}"
    if style == 2:
        return f"the {day}{suffix} of {_MONTHS[month]}"
    if style == 3:
        return f"{_MONTHS[month]} {day}{suffix} {year}"
    return f"{_DAYS[rng.randrange(5)]} {day}{suffix} {_MONTHS[month]}"


def social_handle(rng: random.Random, first: str) -> str:
    """A social media handle."""
    clean = "".join(c for c in first.lower() if c.isalpha())
    return f"@{rng.choice(('nurse', 'dr', 'its', 'the'))}_{clean}{rng.randint(1, 99)}"


def profile_url(rng: random.Random, first: str, last: str) -> str:
    """A personal profile URL."""
    clean_first = "".join(c for c in first.lower() if c.isalpha())
    clean_last = "".join(c for c in last.lower() if c.isalpha())
    return f"https://www.linkedin.com/in/{clean_first}-{clean_last}-{rng.randint(100, 999)}"
