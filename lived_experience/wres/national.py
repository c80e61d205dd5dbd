"""National England figures to set an organisation's indicators beside, and year-on-year change.

The figures are NHS England's published national WRES results for NHS trusts; each is listed
with its source in ``docs/wres.md``. Years are WRES reporting years.
"""

from __future__ import annotations

import pandas as pd

#: (indicator, group, measure) -> {WRES year: published national value}
NATIONAL: dict[tuple[int, str, str], dict[int, float]] = {
    (2, "", "relative likelihood white vs BME appointed from shortlisting"): {
        2016: 1.57,
        2017: 1.60,
        2018: 1.45,
        2019: 1.46,
        2021: 1.61,
        2022: 1.54,
        2023: 1.59,
    },
    (3, "", "relative likelihood BME vs white entering formal disciplinary"): {
        2016: 1.56,
        2017: 1.37,
        2018: 1.24,
        2019: 1.22,
    },
    (4, "", "relative likelihood white vs BME accessing non-mandatory training"): {
        2016: 1.11,
        2017: 1.22,
        2018: 1.15,
        2019: 1.15,
    },
    (1, "overall", "BME share of the NHS trust workforce (%)"): {2016: 17.7, 2024: 28.6},
    (9, "voting", "BME share of trust board members (%)"): {2016: 7.1, 2024: 16.5},
}


def national_reference() -> pd.DataFrame:
    """The bundled national figures as a tidy table."""
    rows = [
        {"indicator": i, "group": g, "measure": m, "year": y, "national": v}
        for (i, g, m), years in NATIONAL.items()
        for y, v in sorted(years.items())
    ]
    return pd.DataFrame(rows)


def compare_with_national(indicators: pd.DataFrame) -> pd.DataFrame:
    """Add the national figure for the same indicator, group and year, where published.

    Indicator 9 is compared on the BME share of the board, which the national series reports,
    so only relative likelihoods and indicator 1 ``overall`` are joined directly.
    """
    reference = national_reference()
    reference = reference[reference["indicator"].isin([1, 2, 3, 4])]
    joined = indicators.merge(
        reference[["indicator", "group", "year", "national"]],
        on=["indicator", "group", "year"],
        how="left",
    )
    joined["versus_national"] = joined["value"] - joined["national"]
    return joined


def year_on_year(indicators: pd.DataFrame) -> pd.DataFrame:
    """Add ``previous_value`` and ``change`` against the previous year of the same series."""
    ordered = indicators.sort_values(["org_code", "indicator", "group", "year"]).copy()
    keys = ["org_code", "indicator", "group"]
    ordered["previous_year"] = ordered.groupby(keys)["year"].shift(1)
    ordered["previous_value"] = ordered.groupby(keys)["value"].shift(1)
    consecutive = ordered["previous_year"] == ordered["year"] - 1
    ordered.loc[~consecutive, ["previous_value"]] = float("nan")
    ordered["change"] = ordered["value"] - ordered["previous_value"]
    return ordered.drop(columns=["previous_year"]).sort_index()
