"""The toolkit's statistics, in one place: intervals, prevalence and small-cell suppression.

Used by the coding crosstabs (:mod:`lived_experience.coding.crosstabs`), the WRES indicators
and the theme / WRES cross-reference, so every table computes and suppresses the same way.

* proportions: Wilson score interval;
* relative likelihoods (risk ratios): Katz log method (``scipy.stats.contingency.relative_risk``);
* differences between two independent proportions: Newcombe's hybrid score interval
  (method 10 of Newcombe 1998), built from the two Wilson intervals;
* prevalence (a share with its Wilson interval), suppressed below ``k`` respondents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import norm
from scipy.stats.contingency import relative_risk

#: The smallest group shown in any shared table (NHS England's suppression rule of thumb).
DEFAULT_K = 11


def _z(confidence: float) -> float:
    return float(norm.ppf(0.5 + confidence / 2))


def wilson(successes: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for ``successes / total`` (as proportions 0-1).

    >>> [round(x, 4) for x in wilson(30, 100)]
    [0.2189, 0.3958]
    """
    if total <= 0:
        return math.nan, math.nan
    z = _z(confidence)
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def katz_relative_risk(
    exposed_cases: int,
    exposed_total: int,
    control_cases: int,
    control_total: int,
    confidence: float = 0.95,
) -> tuple[float, float, float]:
    """Relative risk (exposed vs control) with the Katz log interval; NaN where undefined.

    >>> [round(x, 3) for x in katz_relative_risk(30, 100, 20, 100)]
    [1.5, 0.916, 2.456]
    """
    if min(exposed_total, control_total) <= 0 or exposed_cases < 0 or control_cases < 0:
        return math.nan, math.nan, math.nan
    if exposed_cases == 0 or control_cases == 0:
        ratio = (
            math.inf
            if control_cases == 0 and exposed_cases > 0
            else (0.0 if exposed_cases == 0 and control_cases > 0 else math.nan)
        )
        return ratio, math.nan, math.nan
    result = relative_risk(exposed_cases, exposed_total, control_cases, control_total)
    interval = result.confidence_interval(confidence_level=confidence)
    return float(result.relative_risk), float(interval.low), float(interval.high)


def newcombe_difference(
    successes_a: int, total_a: int, successes_b: int, total_b: int, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Difference of proportions a - b with Newcombe's hybrid score interval (0-1 scale).

    >>> [round(x, 4) for x in newcombe_difference(56, 70, 48, 80)]
    [0.2, 0.0524, 0.3339]
    """
    if total_a <= 0 or total_b <= 0:
        return math.nan, math.nan, math.nan
    p_a, p_b = successes_a / total_a, successes_b / total_b
    low_a, high_a = wilson(successes_a, total_a, confidence)
    low_b, high_b = wilson(successes_b, total_b, confidence)
    difference = p_a - p_b
    low = difference - math.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2)
    high = difference + math.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2)
    return difference, low, high


@dataclass(frozen=True)
class Prevalence:
    """``count`` of ``n`` with its Wilson interval (proportions 0-1) and whether to suppress.

    ``share`` is NaN when ``n`` is 0. A suppressed figure is still computed: callers leave
    it out of shared tables (they know their own columns).
    """

    count: int
    n: int
    share: float
    low: float
    high: float
    suppressed: bool


def prevalence(count: int, n: int, k: int = DEFAULT_K, confidence: float = 0.95) -> Prevalence:
    """The share ``count / n`` with its Wilson interval, suppressed when ``n < k``.

    >>> p = prevalence(30, 100)
    >>> round(p.share, 2), [round(x, 4) for x in (p.low, p.high)], p.suppressed
    (0.3, [0.2189, 0.3958], False)
    >>> prevalence(3, 7).suppressed
    True
    """
    low, high = wilson(count, n, confidence)
    return Prevalence(count, n, count / n if n else math.nan, low, high, n < k)


def has_code(codes: Sequence[str], code: str) -> list[bool]:
    """Whether each ``;``-joined codes cell holds ``code`` (exactly, not as a prefix).

    >>> has_code(["a;b", "ab", ""], "a")
    [True, False, False]
    """
    return [code in str(value).split(";") for value in codes]
