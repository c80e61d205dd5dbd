"""The nine WRES indicators, with intervals and flags, as NHS England defines them.

One output row per organisation, year, indicator and group, with the columns
``org_code, year, indicator, group, value, ci_low, ci_high, flag``. Values are percentages
(0-100) for indicators 1 and 5-8, relative likelihoods for 2-4 (above 1 means ethnic
minority staff are disadvantaged) and percentage points for indicator 9 and the ``difference``
rows of 5-8. ``flag`` joins, with ``;``:

``significant``     the interval excludes 1 (relative likelihoods) or 0 (differences)
``above_1.25``      a relative likelihood at or above 1.25, NHS England's threshold of concern
``few_events``      fewer than 10 events behind the figure: read with care
``suppressed``      a count of 1-10 people would be disclosed; value left empty, row kept
``wording_changed`` indicator 7 before WRES 2022: the survey question was reworded in 2021
``undefined``       a zero denominator or zero events in one group
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from lived_experience.errors import ConfigError
from lived_experience.stats import katz_relative_risk, newcombe_difference, wilson

OUTPUT_COLUMNS = ("org_code", "year", "indicator", "group", "value", "ci_low", "ci_high", "flag")
SUPPRESS_BELOW = 11
FEW_EVENTS = 10
THRESHOLD = 1.25


def _row(
    org: str,
    year: int,
    indicator: int,
    group: str,
    value: float,
    low: float,
    high: float,
    flags: Iterable[str],
) -> dict[str, object]:
    flags = list(dict.fromkeys(flags))
    if "suppressed" in flags:
        value = low = high = math.nan
    return {
        "org_code": org,
        "year": int(year),
        "indicator": indicator,
        "group": group,
        "value": round(value, 4) if math.isfinite(value) else math.nan,
        "ci_low": round(low, 4) if math.isfinite(low) else math.nan,
        "ci_high": round(high, 4) if math.isfinite(high) else math.nan,
        "flag": ";".join(flags),
    }


def _small(*counts: int) -> bool:
    return any(0 < c < SUPPRESS_BELOW for c in counts)


def _ratio_row(
    org: str,
    year: int,
    indicator: int,
    group: str,
    a: int,
    n_a: int,
    b: int,
    n_b: int,
    confidence: float,
) -> dict[str, object]:
    """Relative likelihood of group a (a of n_a) against group b (b of n_b)."""
    value, low, high = katz_relative_risk(a, n_a, b, n_b, confidence)
    flags = []
    if not math.isfinite(low):
        flags.append("undefined")
    elif low > 1 or high < 1:
        flags.append("significant")
    if math.isfinite(value) and value >= THRESHOLD:
        flags.append("above_1.25")
    if min(a, b) < FEW_EVENTS:
        flags.append("few_events")
    if _small(n_a, n_b):
        flags.append("suppressed")
    return _row(org, year, indicator, group, value, low, high, flags)


def _share_row(
    org: str,
    year: int,
    indicator: int,
    group: str,
    part: int,
    whole: int,
    confidence: float,
    suppress: bool = True,
) -> dict[str, object]:
    low, high = wilson(part, whole, confidence)
    value = 100 * part / whole if whole else math.nan
    flags = ["undefined"] if not whole else []
    if suppress and _small(part, whole):
        flags.append("suppressed")
    return _row(org, year, indicator, group, value, 100 * low, 100 * high, flags)


def _difference_row(
    org: str,
    year: int,
    indicator: int,
    group: str,
    a: int,
    n_a: int,
    b: int,
    n_b: int,
    confidence: float,
    suppress: bool = True,
) -> dict[str, object]:
    value, low, high = newcombe_difference(a, n_a, b, n_b, confidence)
    flags = []
    if not math.isfinite(value):
        flags.append("undefined")
    elif low > 0 or high < 0:
        flags.append("significant")
    if min(a, n_a - a) < FEW_EVENTS:
        flags.append("few_events")
    if suppress and _small(a, n_a, b, n_b):
        flags.append("suppressed")
    return _row(org, year, indicator, group, 100 * value, 100 * low, 100 * high, flags)


def workforce_indicators(
    returns: pd.DataFrame, confidence: float = 0.95
) -> list[dict[str, object]]:
    """Indicators 2, 3 (single year and two-year rolling), 4 and 9 from ``returns.csv``."""
    rows: list[dict[str, object]] = []
    by_key = {(r.org_code, r.year): r for r in returns.itertuples()}
    for r in returns.sort_values(["org_code", "year"]).itertuples():
        org, year = r.org_code, r.year
        rows.append(
            _ratio_row(
                org,
                year,
                2,
                "",
                r.appointed_white,
                r.shortlisted_white,
                r.appointed_bme,
                r.shortlisted_bme,
                confidence,
            )
        )
        rows.append(
            _ratio_row(
                org,
                year,
                3,
                "",
                r.disciplinary_bme,
                r.headcount_bme,
                r.disciplinary_white,
                r.headcount_white,
                confidence,
            )
        )
        previous = by_key.get((org, year - 1))
        if previous is not None:
            rows.append(
                _ratio_row(
                    org,
                    year,
                    3,
                    "two_year",
                    r.disciplinary_bme + previous.disciplinary_bme,
                    r.headcount_bme + previous.headcount_bme,
                    r.disciplinary_white + previous.disciplinary_white,
                    r.headcount_white + previous.headcount_white,
                    confidence,
                )
            )
        rows.append(
            _ratio_row(
                org,
                year,
                4,
                "",
                r.training_white,
                r.headcount_white,
                r.training_bme,
                r.headcount_bme,
                confidence,
            )
        )
        workforce = r.headcount_white + r.headcount_bme + r.headcount_unknown
        for group, white, bme, unknown in (
            ("voting", r.board_voting_white, r.board_voting_bme, r.board_voting_unknown),
            ("executive", r.board_exec_white, r.board_exec_bme, r.board_exec_unknown),
        ):
            # Board members hold public office and their ethnicity is published: not suppressed.
            rows.append(
                _difference_row(
                    org,
                    year,
                    9,
                    group,
                    bme,
                    white + bme + unknown,
                    r.headcount_bme,
                    workforce,
                    confidence,
                    suppress=False,
                )
            )
    return rows


def band_indicators(bands: pd.DataFrame, confidence: float = 0.95) -> list[dict[str, object]]:
    """Indicator 1: BME share of each band by staff group, and of the whole workforce."""
    rows: list[dict[str, object]] = []
    wide = bands.pivot_table(
        index=["org_code", "year", "staff_group", "band"],
        columns="ethnicity",
        values="headcount",
        aggfunc="sum",
        fill_value=0,
    ).reset_index()
    for column in ("white", "bme", "unknown"):
        if column not in wide:
            wide[column] = 0
    wide["total"] = wide["white"] + wide["bme"] + wide["unknown"]
    for (org, year), group in wide.groupby(["org_code", "year"], sort=True):
        rows.append(
            _share_row(
                str(org),
                int(year),
                1,
                "overall",
                int(group["bme"].sum()),
                int(group["total"].sum()),
                confidence,
            )
        )
        for r in group.itertuples():
            rows.append(
                _share_row(
                    str(org),
                    int(year),
                    1,
                    f"{r.staff_group}:{r.band}",
                    int(r.bme),
                    int(r.total),
                    confidence,
                )
            )
    return rows


def survey_indicators(survey: pd.DataFrame, confidence: float = 0.95) -> list[dict[str, object]]:
    """Indicators 5-8 for white and BME staff, and the BME - white difference.

    ``survey.year`` is the year the NHS Staff Survey ran; WRES year N uses the survey run in
    autumn N-1, so the output year is the survey year + 1.
    """
    rows: list[dict[str, object]] = []
    for (org, year, indicator), group in survey.groupby(
        ["org_code", "year", "indicator"], sort=True
    ):
        wres_year = int(year) + 1
        counts = {r.ethnicity: (int(r.positive), int(r.respondents)) for r in group.itertuples()}
        extra = ["wording_changed"] if indicator == 7 and wres_year < 2022 else []
        for ethnicity in ("white", "bme"):
            if ethnicity in counts:
                row = _share_row(
                    str(org), wres_year, int(indicator), ethnicity, *counts[ethnicity], confidence
                )
                row["flag"] = ";".join(filter(None, [row["flag"], *extra]))  # type: ignore[list-item]
                rows.append(row)
        if {"white", "bme"} <= counts.keys():
            row = _difference_row(
                str(org),
                wres_year,
                int(indicator),
                "difference",
                *counts["bme"],
                *counts["white"],
                confidence,
            )
            row["flag"] = ";".join(filter(None, [row["flag"], *extra]))  # type: ignore[list-item]
            rows.append(row)
    return rows


def compute_indicators(
    returns: pd.DataFrame,
    bands: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """All indicators the inputs allow, sorted by organisation, year, indicator and group.

    Examples
    --------
    >>> from lived_experience.synthetic.wres import synthetic_wres
    >>> data = synthetic_wres(n_orgs=2, years=(2023, 2024))
    >>> table = compute_indicators(data.returns, data.bands, data.survey)
    >>> sorted(table["indicator"].unique().tolist())
    [1, 2, 3, 4, 5, 6, 7, 8, 9]
    """
    if not 0 < confidence < 1:
        raise ConfigError(
            f"confidence {confidence} is not between 0 and 1. Fix: give a level such as 0.95 "
            "(--confidence 0.95)."
        )
    rows = workforce_indicators(returns, confidence)
    if bands is not None:
        rows += band_indicators(bands, confidence)
    if survey is not None:
        rows += survey_indicators(survey, confidence)
    table = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
    return table.sort_values(["org_code", "year", "indicator", "group"], kind="stable").reset_index(
        drop=True
    )


def national_indicators(returns: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Indicators 2-4 and the BME share of the workforce for the sum of all organisations."""
    totals = returns.groupby("year", as_index=False)[
        list(c for c in returns.columns if c not in {"org_code", "org_name", "year"})
    ].sum()
    totals["org_code"] = "ALL"
    totals["org_name"] = "All organisations"
    table = pd.DataFrame(workforce_indicators(totals, confidence), columns=list(OUTPUT_COLUMNS))
    shares = [
        _share_row(
            "ALL",
            int(r.year),
            1,
            "overall",
            int(r.headcount_bme),
            int(r.headcount_white + r.headcount_bme + r.headcount_unknown),
            confidence,
        )
        for r in totals.itertuples()
    ]
    return pd.concat([table, pd.DataFrame(shares)], ignore_index=True)
