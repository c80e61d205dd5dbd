"""Code prevalence by respondent attribute, with Wilson intervals and small-cell suppression.

``prevalence_by_group`` gives, for every code and every value of an attribute (ethnic group,
staff group, band, organisation), the number and percentage of respondents with the code and
a Wilson 95% interval; ``minority_white_ratio`` the ratio of prevalence between ethnic
minority and white respondents with a Katz interval. Cells built on fewer than k respondents
(default 11) are suppressed — kept as rows, figures left empty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lived_experience.schemas import require_columns
from lived_experience.stats import DEFAULT_K, has_code, katz_relative_risk, prevalence


def _has(coded: pd.DataFrame, code: str, codes_column: str) -> np.ndarray:
    return np.array(has_code(coded[codes_column].fillna("").astype(str).tolist(), code), bool)


def prevalence_by_group(
    coded: pd.DataFrame,
    attribute: str,
    code_ids: Sequence[str],
    codes_column: str = "codes",
    k: int = DEFAULT_K,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Rows of (code, group, respondents, with_code, percent, ci_low, ci_high, suppressed)."""
    require_columns(coded, [attribute, codes_column], "crosstab")
    rows = []
    groups = coded[attribute].fillna("").astype(str)
    for code in code_ids:
        has = _has(coded, code, codes_column)
        for group in sorted(groups.unique()):
            mask = (groups == group).to_numpy()
            n, count = int(mask.sum()), int(has[mask].sum())
            cell = prevalence(count, n, k, confidence)
            small, low, high = cell.suppressed, cell.low, cell.high
            rows.append(
                {
                    "code": code,
                    attribute: group,
                    "respondents": n,
                    "with_code": math.nan if small else count,
                    "percent": math.nan if small else round(100 * count / n, 2),
                    "ci_low": math.nan if small else round(100 * low, 2),
                    "ci_high": math.nan if small else round(100 * high, 2),
                    "suppressed": small,
                }
            )
    return pd.DataFrame(rows)


def minority_white_ratio(
    coded: pd.DataFrame,
    code_ids: Sequence[str],
    group_column: str = "ethnic_group",
    codes_column: str = "codes",
    minority: str = "Ethnic minority",
    white: str = "White",
    k: int = DEFAULT_K,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Prevalence among ethnic minority vs white respondents, and their ratio (Katz interval)."""
    require_columns(coded, [group_column, codes_column], "crosstab")
    is_minority = (coded[group_column] == minority).to_numpy()
    is_white = (coded[group_column] == white).to_numpy()
    n_m, n_w = int(is_minority.sum()), int(is_white.sum())
    rows = []
    for code in code_ids:
        has = _has(coded, code, codes_column)
        k_m, k_w = int(has[is_minority].sum()), int(has[is_white].sum())
        ratio, low, high = katz_relative_risk(k_m, n_m, k_w, n_w, confidence)
        small = n_m < k or n_w < k
        rows.append(
            {
                "code": code,
                "minority_n": n_m,
                "minority_percent": math.nan if small or not n_m else round(100 * k_m / n_m, 2),
                "white_n": n_w,
                "white_percent": math.nan if small or not n_w else round(100 * k_w / n_w, 2),
                "ratio": math.nan if small else round(ratio, 3),
                "ci_low": math.nan if small else round(low, 3),
                "ci_high": math.nan if small else round(high, 3),
                "suppressed": small,
            }
        )
    return pd.DataFrame(rows)
