"""Change tests, checked against values worked out by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from csp_analysis.methods.change import (
    benjamini_hochberg,
    compare_counts,
    poisson_change_p_value,
)


def test_equal_exposure_reduces_to_fair_coin():
    # 0 previous, 3 current, equal exposure: P(X=3)+P(X=0) for Bin(3, 1/2) = 1/8 + 1/8
    assert poisson_change_p_value(0, 3, 30, 30) == pytest.approx(0.25)


def test_two_sided_binomial_by_hand():
    # 1 vs 5 with equal exposure: Bin(6, 0.5); outcomes as or less likely than P(5)=6/64:
    # k in {0, 1, 5, 6} -> (1 + 6 + 6 + 1) / 64
    assert poisson_change_p_value(1, 5, 10, 10) == pytest.approx(14 / 64)


def test_unequal_exposure_shifts_the_null():
    # 2 events in 1 day vs 4 in 2 days is exactly the null rate: p = 1
    assert poisson_change_p_value(2, 4, 1, 2) == pytest.approx(1.0)


def test_no_events_is_not_significant():
    assert poisson_change_p_value(0, 0, 31, 31) == 1.0


def test_benjamini_hochberg_by_hand():
    # sorted p: 0.01, 0.02, 0.03, 0.5 ; m = 4 ; p*m/rank = 0.04, 0.04, 0.04, 0.5
    adjusted = benjamini_hochberg([0.03, 0.5, 0.01, 0.02])
    np.testing.assert_allclose(adjusted, [0.04, 0.5, 0.04, 0.04])


def test_compare_counts_columns_and_na_percentage():
    previous = pd.Series({"A": 100, "B": 0})
    current = pd.Series({"A": 125, "B": 4, "C": 7})
    table = compare_counts(previous, current, 365, 365)
    assert list(table.index) == ["A", "B", "C"]
    assert table.loc["A", "change"] == 25
    assert table.loc["A", "pct_change"] == pytest.approx(25.0)
    assert math.isnan(table.loc["B", "pct_change"])  # no previous figure: n/a, never inf
    assert table.loc["C", "previous"] == 0
    assert bool(table.loc["B", "small_count"]) and not bool(table.loc["A", "small_count"])
    # 100 -> 125 with equal exposure: Bin(225, 0.5) two-sided p about 0.10 -> not significant
    assert 0.05 < table.loc["A", "p_value"] < 0.2
    # 0 -> 7: p = 2/128 = 0.0156; BH with m = 3 ranks it first: 0.0156 * 3 = 0.047 < 0.05
    assert table.loc["C", "p_adjusted"] == pytest.approx(3 * 2 / 128)
    assert table["significant"].tolist() == [False, False, True]
