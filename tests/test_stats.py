from __future__ import annotations

import math

import pytest

from lived_experience.stats import katz_relative_risk, newcombe_difference, wilson


def test_wilson_matches_the_published_example() -> None:
    # Newcombe (1998), table I: 81/263 -> 0.2553 to 0.3662
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_newcombe_matches_the_published_example() -> None:
    # Newcombe (1998), method 10 example: 56/70 - 48/80 -> 0.0524 to 0.3339
    difference, low, high = newcombe_difference(56, 70, 48, 80)
    assert (round(difference, 4), round(low, 4), round(high, 4)) == (0.2, 0.0524, 0.3339)


def test_katz_interval_by_hand() -> None:
    ratio, low, high = katz_relative_risk(30, 100, 20, 100)
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 20 - 1 / 100)
    assert ratio == pytest.approx(1.5)
    assert low == pytest.approx(1.5 * math.exp(-1.959964 * se), rel=1e-5)
    assert high == pytest.approx(1.5 * math.exp(1.959964 * se), rel=1e-5)


def test_undefined_ratios_are_not_invented() -> None:
    assert math.isinf(katz_relative_risk(5, 50, 0, 50)[0])
    assert all(math.isnan(x) for x in katz_relative_risk(0, 0, 3, 10))
