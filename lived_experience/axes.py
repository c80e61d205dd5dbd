"""Readable chart axes: round tick values and ranges that never run past what is possible.

>>> nice_ticks(0.0, 37.2)
[0.0, 10.0, 20.0, 30.0, 40.0]
>>> nice_ticks(0.8, 1.37)
[0.8, 1.0, 1.2, 1.4]
>>> nice_ticks(-0.4, 12.3, floor=0, ceiling=100)
[0.0, 5.0, 10.0, 15.0]
"""

from __future__ import annotations

import math


def nice_step(span: float, target: int = 5) -> float:
    """A step of 1, 2, 2.5 or 5 times a power of ten giving about ``target`` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / target
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power * 1.0000001:
            return multiple * power
    return 10 * power


def nice_ticks(
    low: float,
    high: float,
    target: int = 5,
    floor: float | None = None,
    ceiling: float | None = None,
) -> list[float]:
    """Round ticks covering ``low``-``high``; never below ``floor`` or above ``ceiling``
    (0 and 100 for a percentage axis, so no axis starts at -1.5%)."""
    if math.isclose(low, high):
        low, high = low - 1, high + 1
    step = nice_step(high - low, target)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    if floor is not None:
        start = max(start, floor)
    if ceiling is not None:
        end = min(end, ceiling)
    count = int(round((end - start) / step))
    return [float(round(start + i * step, 10)) for i in range(count + 1)]


def tick_label(value: float, step: float) -> str:
    """``value`` with as many decimals as the step needs."""
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    if step < 1 and not math.isclose(step * 10**decimals % 1, 0, abs_tol=1e-9):
        decimals += 1
    return f"{value:.{decimals}f}"
