from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lived_experience.coding.agreement import agreement, gwet_ac1, krippendorff_alpha


def test_perfect_agreement_and_reading() -> None:
    a = pd.DataFrame({"id": ["1", "2", "3", "4"], "codes": ["x", "x;y", "", "y"]})
    table = agreement(a, a.copy()).set_index("code")
    assert table.loc["x", "kappa"] == 1.0 and table.loc["x", "alpha"] == 1.0
    assert table.loc["(overall)", "reading"] == "reliable"


def test_values_match_hand_calculation() -> None:
    a = pd.DataFrame({"id": list("abcdefghij"), "codes": ["x"] * 4 + [""] * 6})
    b = pd.DataFrame({"id": list("abcdefghij"), "codes": ["x"] * 3 + [""] * 6 + ["x"]})
    row = agreement(a, b, code_ids=["x"]).set_index("code").loc["x"]
    # observed 0.8; chance (0.4*0.4 + 0.6*0.6) = 0.52 -> kappa = 0.28 / 0.48
    assert row["kappa"] == pytest.approx(0.5833, abs=1e-4)
    assert row["percent_agreement"] == 80.0
    assert row["precision"] == 0.75 and row["recall"] == 0.75
    assert row["support"] == 4


def test_ac1_stays_high_where_kappa_collapses_for_a_rare_code() -> None:
    a = np.array([0] * 98 + [1, 0])
    b = np.array([0] * 98 + [0, 1])
    assert gwet_ac1(a, b) > 0.95
    assert krippendorff_alpha(a, b) < 0.05
    assert math.isnan(krippendorff_alpha(np.zeros(5), np.zeros(5)))
