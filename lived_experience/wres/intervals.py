"""Confidence intervals used by the WRES indicators.

* proportions: Wilson score interval;
* relative likelihoods (risk ratios): Katz log method (``scipy.stats.contingency.relative_risk``);
* differences between two independent proportions: Newcombe's hybrid score interval
  (method 10 of Newcombe 1998), built from the two Wilson intervals.
"""

from __future__ import annotations

import math

from scipy.stats import norm
from scipy.stats.contingency import relative_risk


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
