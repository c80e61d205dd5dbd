"""Themes x WRES: what ethnic minority staff say, set beside the indicators it explains.

Per organisation, the prevalence of each code among ethnic minority and among white
respondents (Wilson intervals), their ratio (Katz interval), beside the WRES indicators the
codebook links to that code; and across organisations, the correlation between the ethnic
minority prevalence of a code and the linked indicator, with a Fisher-z interval and the
number of organisations behind it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from lived_experience.schemas import require_columns
from lived_experience.stats import katz_relative_risk, prevalence

MINORITY, WHITE = "Ethnic minority", "White"
#: the indicator value that stands for an organisation in the correlation
INDICATOR_GROUP = {
    1: "overall",
    2: "",
    3: "",
    4: "",
    5: "bme",
    6: "bme",
    7: "bme",
    8: "bme",
    9: "voting",
}


def theme_prevalence(
    coded: pd.DataFrame,
    codes: Sequence[str],
    org_column: str = "org_code",
    group_column: str = "ethnic_group",
    codes_column: str = "codes",
    k: int = 11,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Per organisation and code: prevalence among ethnic minority and white respondents.

    ``coded`` has one row per respondent and a ``codes`` column of code ids joined with
    ``;``. Groups with fewer than ``k`` respondents are kept but their figures suppressed.
    """
    require_columns(coded, [org_column, group_column, codes_column], "coded responses")
    has = {
        code: coded[codes_column].fillna("").str.split(";").map(lambda c, x=code: x in c)
        for code in codes
    }
    rows = []
    for org, frame in coded.groupby(org_column, sort=True):
        minority = (frame[group_column] == MINORITY).to_numpy()
        white = (frame[group_column] == WHITE).to_numpy()
        n_m, n_w = int(minority.sum()), int(white.sum())
        for code in codes:
            flags = has[code].loc[frame.index].to_numpy()
            k_m, k_w = int(flags[minority].sum()), int(flags[white].sum())
            in_minority = prevalence(k_m, n_m, k, confidence)
            in_white = prevalence(k_w, n_w, k, confidence)
            low_m, high_m = in_minority.low, in_minority.high
            low_w, high_w = in_white.low, in_white.high
            ratio, r_low, r_high = katz_relative_risk(k_m, n_m, k_w, n_w, confidence)
            suppressed = in_minority.suppressed or in_white.suppressed
            row = {
                "org_code": org,
                "code": code,
                "minority_n": n_m,
                "minority_with_code": k_m,
                "minority_prevalence": 100 * k_m / n_m if n_m else math.nan,
                "minority_ci_low": 100 * low_m,
                "minority_ci_high": 100 * high_m,
                "white_n": n_w,
                "white_with_code": k_w,
                "white_prevalence": 100 * k_w / n_w if n_w else math.nan,
                "white_ci_low": 100 * low_w,
                "white_ci_high": 100 * high_w,
                "ratio": ratio,
                "ratio_ci_low": r_low,
                "ratio_ci_high": r_high,
                "flag": "suppressed" if suppressed else "",
            }
            if suppressed:
                for column in (
                    "minority_with_code",
                    "minority_prevalence",
                    "minority_ci_low",
                    "minority_ci_high",
                    "white_with_code",
                    "white_prevalence",
                    "white_ci_low",
                    "white_ci_high",
                    "ratio",
                    "ratio_ci_low",
                    "ratio_ci_high",
                ):
                    row[column] = math.nan
            rows.append(row)
    return pd.DataFrame(rows)


def crossref(
    coded: pd.DataFrame,
    indicators: pd.DataFrame,
    links: Mapping[str, Sequence[int]],
    year: int | None = None,
    confidence: float = 0.95,
    k: int = 11,
    org_column: str = "org_code",
    group_column: str = "ethnic_group",
    codes_column: str = "codes",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (tidy table per organisation, code and linked indicator; correlations).

    ``links`` maps a code id to the WRES indicators its codebook links it to. ``year`` is the
    WRES year to read the indicators from (default: the latest in ``indicators``).
    """
    year = int(indicators["year"].max()) if year is None else year
    prevalence = theme_prevalence(
        coded, list(links), org_column, group_column, codes_column, k, confidence
    )
    chosen = indicators[indicators["year"] == year]
    tables, correlations = [], []
    for code, linked in links.items():
        for indicator in linked:
            values = chosen[
                (chosen["indicator"] == indicator) & (chosen["group"] == INDICATOR_GROUP[indicator])
            ]
            part = prevalence[prevalence["code"] == code].merge(
                values[["org_code", "value", "ci_low", "ci_high", "flag"]].rename(
                    columns={
                        "value": "indicator_value",
                        "ci_low": "indicator_ci_low",
                        "ci_high": "indicator_ci_high",
                        "flag": "indicator_flag",
                    }
                ),
                on="org_code",
                how="left",
            )
            part.insert(2, "indicator", indicator)
            part.insert(3, "year", year)
            tables.append(part)
            correlations.append(_correlation(code, indicator, part, confidence))
    return pd.concat(tables, ignore_index=True), pd.DataFrame(correlations)


def _correlation(
    code: str, indicator: int, part: pd.DataFrame, confidence: float
) -> dict[str, object]:
    usable = part.dropna(subset=["minority_prevalence", "indicator_value"])
    n = len(usable)
    row: dict[str, object] = {
        "code": code,
        "indicator": indicator,
        "organisations": n,
        "pearson_r": math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "p_value": math.nan,
    }
    if (
        n < 4
        or usable["minority_prevalence"].nunique() < 2
        or usable["indicator_value"].nunique() < 2
    ):
        return row
    r, p = stats.pearsonr(usable["minority_prevalence"], usable["indicator_value"])
    z = np.arctanh(r)
    half = stats.norm.ppf(0.5 + confidence / 2) / math.sqrt(n - 3)
    row.update(
        pearson_r=round(float(r), 4),
        ci_low=round(float(np.tanh(z - half)), 4),
        ci_high=round(float(np.tanh(z + half)), 4),
        p_value=float(p),
    )
    return row
