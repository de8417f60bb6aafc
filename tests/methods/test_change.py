"""Change tests, checked against values worked out by hand.

The model of the monthly tests here: the monthly counts y_t of both periods are Poisson with one
rate per period, log E[y_t] = b0 + b1 * current_t + log(days_t); the dispersion phi is Pearson
X2 / (n - 2). For this two-group design the estimates have a closed form, which the tests write
out: the rate of each period is its total over its days, mu_t = rate * days_t, and
var(b1) = phi (1 / Y_previous + 1 / Y_current). phi > 1: quasi-Poisson Wald test on a t
reference with n - 2 degrees of freedom; phi <= 1: the exact conditional Poisson (binomial) test.
When the periods are the same calendar months ("same months"), each month m has its own level;
with equal days in each pair of months the rate ratio is still Y_current / Y_previous, the fitted
current count of month m is N_m pi (N_m the pair's events, pi = Y_current / (Y_previous + Y_current)),
X2 = sum over m of (y_current,m - N_m pi)^2 / (N_m pi (1 - pi)) on k - 1 degrees of freedom, and
var(b1) is as above. Unless a test says otherwise the lines form one Benjamini-Hochberg family.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from csp_analysis.methods.change import (
    EXACT_EMPTY,
    EXACT_FEW_MONTHS,
    EXACT_NO_EXTRA,
    EXACT_TOTALS,
    QUASI_POISSON,
    QUASI_POISSON_MATCHED,
    adjust_by_family,
    benjamini_hochberg,
    compare_counts,
    compare_monthly,
    exact_change_test,
    families,
    poisson_change_p_value,
    quasi_poisson_change_test,
)

DAYS_30 = [30.0] * 6  # months of equal length keep the hand arithmetic short


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


def test_quasi_poisson_by_hand():
    """Three 30-day months a period: previous 10, 30, 20 (60), current 40, 60, 50 (150).

    Rates: 60/90 and 150/90 a day, so mu = 20 a month before and 50 after, and the rate ratio is
    150/60 = 2.5. Pearson X2 = (10-20)^2/20 + (30-20)^2/20 + 0 + (40-50)^2/50 + (60-50)^2/50 + 0
    = 5 + 5 + 2 + 2 = 14 on 6 - 2 = 4 degrees of freedom: phi = 3.5 > 1, so quasi-Poisson.
    se(log RR) = sqrt(3.5 (1/60 + 1/150)) = sqrt(0.081667) = 0.28577; t = log 2.5 / se = 3.2063.
    """
    result = quasi_poisson_change_test([10, 30, 20], [40, 60, 50], [30.0] * 3, [30.0] * 3)
    se = math.sqrt(3.5 * (1 / 60 + 1 / 150))
    t = math.log(2.5) / se
    quantile = stats.t.ppf(0.975, 4)  # 2.7764
    assert result.test == QUASI_POISSON
    assert result.dispersion == pytest.approx(3.5)
    assert result.rate_ratio == pytest.approx(2.5)
    assert t == pytest.approx(3.2063, abs=1e-4)
    assert result.p_value == pytest.approx(2 * stats.t.sf(t, 4))  # 0.0327
    assert result.p_value == pytest.approx(0.0327, abs=1e-4)
    assert result.ci_low == pytest.approx(2.5 * math.exp(-quantile * se))  # 1.1307
    assert result.ci_high == pytest.approx(2.5 * math.exp(quantile * se))  # 5.5274


def test_over_dispersed_series_flagged_by_the_exact_test_only():
    """Months swinging between about 50 and 170 in both periods: 600 then 700 events.

    Exact test: Bin(1300, 1/2) at 700, p = 0.0056, a "significant" rise. Pearson X2 by hand:
    previous mean 100, squared deviations 2500, 2500, 0, 1600, 1600, 0 -> 8200 / 100 = 82;
    current mean 116.67, squared deviations 2844.4, 3211.1, 177.8, 2177.8, 1877.8, 44.4 ->
    10333.3 / 116.67 = 88.57; phi = 170.57 / 10 = 17.06. The quasi-Poisson standard error is
    sqrt(17.06) = 4.1 times the Poisson one: p = 0.52, no significant change.
    """
    previous, current = [50, 150, 100, 60, 140, 100], [170, 60, 130, 70, 160, 110]
    exact = poisson_change_p_value(600, 700, 180, 180)
    assert exact == pytest.approx(stats.binomtest(700, 1300, 0.5).pvalue) and exact < 0.01
    result = quasi_poisson_change_test(previous, current, DAYS_30, DAYS_30)
    assert result.test == QUASI_POISSON
    assert result.dispersion == pytest.approx(170.5714 / 10, rel=1e-4)
    se = math.sqrt(result.dispersion * (1 / 600 + 1 / 700))
    assert result.p_value == pytest.approx(2 * stats.t.sf(math.log(7 / 6) / se, 10))
    assert result.p_value > 0.5
    assert result.ci_low < 1 < result.ci_high


def test_series_with_no_extra_variation_is_the_exact_test():
    """Previous 18, 22, 20, 25, 15, 20 (120), current 30, 26, 34, 28, 32, 30 (180).

    X2 = (4 + 4 + 0 + 25 + 25 + 0) / 20 + (0 + 16 + 16 + 4 + 4 + 0) / 30 = 2.9 + 1.333 = 4.233;
    phi = 0.423 <= 1: no extra variation, so the exact test, whose p-value it reports unchanged.
    """
    result = quasi_poisson_change_test([18, 22, 20, 25, 15, 20], [30, 26, 34, 28, 32, 30], DAYS_30, DAYS_30)
    assert result.test == EXACT_NO_EXTRA
    assert result.dispersion == pytest.approx(4.2333 / 10, rel=1e-4)
    assert result.p_value == pytest.approx(poisson_change_p_value(120, 180, 180, 180))
    assert result.rate_ratio == pytest.approx(1.5)


def test_poisson_like_series_both_tests_agree():
    """Previous 14, 26, 20, 27, 13, 20 (120), current 30, 24, 36, 27, 33, 30 (180).

    X2 = (36 + 36 + 0 + 49 + 49 + 0) / 20 + (0 + 36 + 36 + 9 + 9 + 0) / 30 = 8.5 + 3 = 11.5;
    phi = 1.15, barely above 1. se = sqrt(1.15 (1/120 + 1/180)) = 0.12638, t = log 1.5 / se =
    3.208 on 10 df: p = 0.0094; the exact test gives 0.0006. Both call the rise significant.
    """
    result = quasi_poisson_change_test([14, 26, 20, 27, 13, 20], [30, 24, 36, 27, 33, 30], DAYS_30, DAYS_30)
    assert result.test == QUASI_POISSON and result.dispersion == pytest.approx(1.15)
    se = math.sqrt(1.15 * (1 / 120 + 1 / 180))
    assert result.p_value == pytest.approx(2 * stats.t.sf(math.log(1.5) / se, 10))
    exact = poisson_change_p_value(120, 180, 180, 180)
    assert exact < result.p_value < 0.05 and exact < 0.05


def test_same_months_by_hand():
    """Three pairs of 30-day months: previous 10, 40, 20 (70), current 30, 40, 40 (110).

    pi = 110/180 = 0.61111, pi (1 - pi) = 0.237654; pairs N = 40, 80, 60, fitted current 24.444,
    48.889, 36.667. X2 = 30.864/9.5062 + 79.012/19.012 + 11.111/14.259 = 3.2468 + 4.1558 + 0.7792
    = 8.1818 on 3 - 1 = 2 df: phi = 4.0909. se = sqrt(4.0909 (1/70 + 1/110)) = 0.30926,
    t = log(110/70) / se = 1.4615 on 2 df.
    """
    result = quasi_poisson_change_test([10, 40, 20], [30, 40, 40], [30.0] * 3, [30.0] * 3, matched=True)
    pi = 110 / 180
    x2 = sum((c - n * pi) ** 2 / (n * pi * (1 - pi)) for c, n in ((30, 40), (40, 80), (40, 60)))
    assert x2 == pytest.approx(8.1818, abs=1e-4)
    assert result.test == QUASI_POISSON_MATCHED and result.dispersion == pytest.approx(x2 / 2)
    se = math.sqrt(x2 / 2 * (1 / 70 + 1 / 110))
    assert result.rate_ratio == pytest.approx(110 / 70)
    assert result.p_value == pytest.approx(2 * stats.t.sf(math.log(110 / 70) / se, 2))
    assert result.ci_high == pytest.approx(110 / 70 * math.exp(stats.t.ppf(0.975, 2) * se))


def test_a_season_shared_by_both_years_is_not_extra_variation():
    """Months rising from 10 to 80 and back, the same shape both years, +10% (180 to 198).

    With one rate per period the season looks like over-dispersion: previous mean 30, X2 =
    (400 + 100 + 100 + 2500 + 100 + 100) / 30 = 110 from the previous months alone, phi > 20.
    Matched by month the pairs split as Poisson counts would (each current month is 1.1 times its
    month of the year before, pi = 198/378 in every pair: X2 = 0), so the exact test applies.
    """
    previous, current = [10, 20, 40, 80, 20, 10], [11, 22, 44, 88, 22, 11]
    plain = quasi_poisson_change_test(previous, current, DAYS_30, DAYS_30)
    assert plain.test == QUASI_POISSON and plain.dispersion > 20
    matched = quasi_poisson_change_test(previous, current, DAYS_30, DAYS_30, matched=True)
    assert matched.test == EXACT_NO_EXTRA and matched.dispersion == pytest.approx(0.0, abs=1e-9)
    assert matched.p_value == pytest.approx(poisson_change_p_value(180, 198, 180, 180))


def test_exact_interval_by_hand():
    """3 events then 6 in equal periods: the current share pi has the Clopper-Pearson interval
    [Beta(0.025; 6, 4), Beta(0.975; 7, 3)], and RR = pi / (1 - pi) (equal exposure)."""
    result = exact_change_test(3, 6, 90, 90)
    low, high = stats.beta.ppf(0.025, 6, 4), stats.beta.ppf(0.975, 7, 3)
    assert result.test == EXACT_TOTALS and math.isnan(result.dispersion)
    assert result.rate_ratio == pytest.approx(2.0)
    assert result.ci_low == pytest.approx(low / (1 - low))
    assert result.ci_high == pytest.approx(high / (1 - high))
    # 0 previous events: no finite rate ratio or upper limit; the lower limit Beta(0.025; 5, 1) still holds
    none_before = exact_change_test(0, 5, 30, 30)
    share = stats.beta.ppf(0.025, 5, 1)
    assert math.isnan(none_before.rate_ratio) and math.isnan(none_before.ci_high)
    assert none_before.ci_low == pytest.approx(share / (1 - share))


def test_a_period_without_events_and_too_few_months_fall_back_to_the_exact_test():
    empty = quasi_poisson_change_test([0, 0, 0], [2, 5, 1], [30.0] * 3, [30.0] * 3)
    assert empty.test == EXACT_EMPTY and math.isnan(empty.dispersion)
    assert empty.p_value == pytest.approx(2 / 2**8)  # Bin(8, 1/2) at 8 or 0
    short = quasi_poisson_change_test([4], [9], [31.0], [30.0])
    assert short.test == EXACT_FEW_MONTHS
    assert short.p_value == pytest.approx(poisson_change_p_value(4, 9, 31, 30))


def test_compare_monthly_uses_the_days_of_each_month():
    """28 events in Feb 2021 (28 days) and 31 in Mar (31 days), then 31 in Apr (30 days) and 31 in May
    (31 days): the rate ratio is (62 / 61) / (59 / 59) = 1.0164, not 62 / 59. Different months of the
    year, so one rate per period (not matched)."""
    previous = pd.DataFrame({"x": [28, 31]}, index=["2021-02", "2021-03"])
    current = pd.DataFrame({"x": [31, 31]}, index=["2021-04", "2021-05"])
    row = compare_monthly(previous, current).loc["x"]
    assert row["rate_ratio"] == pytest.approx(62 / 61)
    assert row["test"] == EXACT_NO_EXTRA  # nearly one rate a day throughout: phi < 1
    assert row["p_value"] == pytest.approx(poisson_change_p_value(59, 62, 59, 61))
    same_months = compare_monthly(previous, previous.set_axis(["2022-02", "2022-03"])).loc["x"]
    assert same_months["rate_ratio"] == pytest.approx(1.0) and same_months["p_value"] == pytest.approx(1.0)


def test_families_adjust_separately_and_totals_stand_alone():
    """Lines a, b, c in one family, "total" (their sum) on its own: BH over a, b, c only, and the
    total keeps its own p-value. p = 0.01, 0.04, 0.5 -> 0.03, 0.06, 0.5 (m = 3, not 4)."""
    family = families(["total", "a", "b", "c"], "parts", totals=["total"])
    assert family.to_dict() == {"total": "total (total)", "a": "parts", "b": "parts", "c": "parts"}
    p = pd.Series({"total": 0.02, "a": 0.01, "b": 0.04, "c": 0.5})
    adjusted = adjust_by_family(p, family)
    assert adjusted.to_dict() == pytest.approx({"total": 0.02, "a": 0.03, "b": 0.06, "c": 0.5})


def test_compare_counts_columns_and_na_percentage():
    previous = pd.Series({"A": 100, "B": 0})
    current = pd.Series({"A": 125, "B": 4, "C": 7})
    table = compare_counts(previous, current, 365, 365)
    assert list(table.index) == ["A", "B", "C"]
    assert list(table.columns) == ["previous", "current", "change", "pct_change", "rate_ratio", "ci_low", "ci_high",
                                   "test", "dispersion", "p_value", "p_adjusted", "family", "significant",
                                   "small_count"]
    assert table.loc["A", "change"] == 25
    assert table.loc["A", "pct_change"] == pytest.approx(25.0)
    assert math.isnan(table.loc["B", "pct_change"])  # no previous figure: n/a, never inf
    assert table.loc["C", "previous"] == 0
    assert bool(table.loc["B", "small_count"]) and not bool(table.loc["A", "small_count"])
    assert (table["test"] == EXACT_TOTALS).all() and (table["family"] == "all lines").all()
    # 100 -> 125 with equal exposure: Bin(225, 0.5) two-sided p about 0.10 -> not significant
    assert 0.05 < table.loc["A", "p_value"] < 0.2
    # 0 -> 7: p = 2/128 = 0.0156; BH with m = 3 ranks it first: 0.0156 * 3 = 0.047 < 0.05
    assert table.loc["C", "p_adjusted"] == pytest.approx(3 * 2 / 128)
    assert table["significant"].tolist() == [False, False, True]


def test_months_equal_to_their_fitted_values_fall_back_to_the_exact_test():
    """Three calendar months with 3 events each in both years (matched model): every month sits on
    its fitted value, so phi is about 0 (no extra variation) and the exact test applies: given 18
    events, the current count is Bin(18, 90 / 181) under one rate (91 and 90 days), observed 9."""
    result = quasi_poisson_change_test([3, 3, 3], [3, 3, 3], [31.0, 29.0, 31.0], [31.0, 28.0, 31.0], matched=True)
    assert result.test == EXACT_NO_EXTRA
    assert result.dispersion < 0.01
    assert result.p_value == pytest.approx(stats.binomtest(9, 18, 90 / 181).pvalue)
