"""The crime performance table on hand-made records, and its narrative."""

import math

import pandas as pd
import pytest
from scipy import stats

from csp_analysis.categories import ALL_CRIME, ASB
from csp_analysis.periods import Period
from csp_analysis.police.selection import LsoaSelector
from csp_analysis.report.narrative import change_sentence, significant_changes
from csp_analysis.sections import crime_performance as cp


def records(rows):
    return pd.DataFrame(rows, columns=["Month", "Crime type"])


@pytest.fixture
def tiny():
    # previous = 2021-01..02, current = 2021-03..04
    return records(
        [("2021-01", "Burglary")] * 3 + [("2021-02", "Burglary")] * 1 +     # previous burglary 4
        [("2021-03", "Burglary")] * 2 +                                       # current burglary 2
        [("2021-02", "Robbery")] * 0 + [("2021-04", "Robbery")] * 5 +         # robbery 0 -> 5
        [("2021-01", ASB)] * 10 + [("2021-03", ASB)] * 6 +                    # ASB 10 -> 6
        [("2021-05", "Burglary")] * 9                                         # outside both periods
    )


def test_counts_and_changes_worked_by_hand(tiny):
    previous, current = Period.from_strings("2021-01", "2021-02"), Period.from_strings("2021-03", "2021-04")
    table = cp.performance_table(tiny, previous, current).set_index("category")
    assert list(table.index) == list(cp.TABLE_ORDER)
    assert table.index[0] == ALL_CRIME and table.index[-1] == ASB
    assert (table.loc["Burglary", "previous"], table.loc["Burglary", "current"]) == (4, 2)
    assert table.loc["Burglary", "pct_change"] == -50.0
    assert (table.loc[ALL_CRIME, "previous"], table.loc[ALL_CRIME, "current"]) == (4, 7)  # ASB excluded
    assert table.loc[ALL_CRIME, "pct_change"] == 75.0
    assert table.loc["Robbery", "change"] == 5 and math.isnan(table.loc["Robbery", "pct_change"])
    assert (table.loc[ASB, "previous"], table.loc[ASB, "current"], table.loc[ASB, "change"]) == (10, 6, -4)
    assert table.loc["Drugs", ["previous", "current"]].tolist() == [0, 0]
    assert table.loc["Drugs", "p_value"] == 1.0
    assert table["small_count"].all()  # every line has fewer than 10 in one period


def test_exposure_uses_days():
    # Feb 2021 (28 days) against Mar 2021 (31 days), 28 vs 31 events: identical daily rate, p = 1
    data = records([("2021-02", "Drugs")] * 28 + [("2021-03", "Drugs")] * 31)
    table = cp.performance_table(data, Period.from_strings("2021-02", "2021-02"),
                                 Period.from_strings("2021-03", "2021-03")).set_index("category")
    assert table.loc["Drugs", "p_value"] == pytest.approx(1.0)


def test_monthly_counts():
    data = records([("2021-01", "Burglary"), ("2021-01", ASB), ("2021-02", "Drugs"), ("2021-02", "Drugs")])
    monthly = cp.monthly_counts(data)
    assert monthly.loc["2021-01", ALL_CRIME] == 1 and monthly.loc["2021-02", ALL_CRIME] == 2
    assert monthly.loc["2021-01", ASB] == 1 and monthly.loc["2021-01", "Robbery"] == 0


def test_published_all_crime_sentence():
    # The St Albans strategy: all crime 5,958 -> 7,381, +23.9%, +1,423
    row = pd.Series({"previous": 5958, "current": 7381, "change": 1423, "pct_change": 23.88,
                     "significant": True, "small_count": False})
    assert change_sentence(row, "All crime") == (
        "All crime rose 23.9%, 1,423 more offences (5,958 to 7,381); the change is statistically significant.")


def test_fall_and_no_previous_sentences():
    fall = pd.Series({"previous": 175, "current": 167, "change": -8, "pct_change": -4.571,
                      "significant": False, "small_count": False})
    assert change_sentence(fall, "Drug possession") == (
        "Drug possession fell 4.6%, 8 fewer offences (175 to 167); the change is within the range expected by chance.")
    new = pd.Series({"previous": 0, "current": 381, "change": 381, "pct_change": float("nan"),
                     "significant": True, "small_count": True})
    assert change_sentence(new, "Dwelling burglary").startswith(
        "Dwelling burglary rose from none to 381 (no percentage change can be given)")
    same = pd.Series({"previous": 2, "current": 2, "change": 0, "pct_change": 0.0, "significant": False})
    assert change_sentence(same, "Fire injuries", "injuries") == "Fire injuries were unchanged at 2."


def test_significant_changes_lists_largest_first():
    table = pd.DataFrame({
        "category": ["A", "B", "C", "D"], "change": [10, 50, -20, 5], "pct_change": [10.0, 25.0, -20.0, 5.0],
        "significant": [True, True, True, False],
    })
    assert significant_changes(table) == (
        "Significant rises: B (+25.0%, +50), A (+10.0%, +10); significant falls: C (-20.0%, -20).")


def _bh(p):
    """Benjamini-Hochberg written out: sort, p * m / rank, then the running minimum from the top."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    m, adjusted, smallest = len(p), [0.0] * len(p), 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        smallest = min(smallest, p[i] * m / rank)
        adjusted[i] = smallest
    return adjusted


def test_all_crime_is_tested_outside_its_components_family(tiny):
    """Families of the performance table: the 13 crime types and ASB (14 lines) in one
    Benjamini-Hochberg family; all crime, their sum less ASB, on its own (adjusted p = its p)."""
    previous, current = Period.from_strings("2021-01", "2021-02"), Period.from_strings("2021-03", "2021-04")
    table = cp.performance_table(tiny, previous, current).set_index("category")
    assert table.loc[ALL_CRIME, "family"] == f"{ALL_CRIME} (total)"
    assert table.loc[ALL_CRIME, "p_adjusted"] == table.loc[ALL_CRIME, "p_value"]
    parts = table.drop(ALL_CRIME)
    assert (parts["family"] == "crime types and ASB").all() and len(parts) == 14
    assert parts["p_adjusted"].tolist() == pytest.approx(_bh(parts["p_value"].tolist()))


def test_over_dispersed_monthly_counts_are_not_called_significant():
    """Burglary swings between 20 and 90 a month: 300 in Jan-Jun 2021, 360 in Jul-Dec 2021 (+20%).

    The exact test on the totals (181 and 184 days) gives p = 0.035, a significant rise on its own.
    The months vary far more than Poisson counts would: with months of equal length, X2 =
    (900 + 1600 + 400 + 900 + 625 + 25) / 50 + (900 + 1600 + 625 + 900 + 1225 + 400) / 60 = 89 + 94.2,
    phi = 183.2 / 10 = 18.3 (20.0 with the days of each month), so the quasi-Poisson test finds the
    rise well within chance. Family: the crime types and ASB."""
    before, after = [20, 90, 30, 80, 25, 55], [90, 20, 85, 30, 95, 40]
    months = [f"2021-{m:02d}" for m in range(1, 13)]
    rows = [(month, "Burglary") for month, n in zip(months, before + after) for _ in range(n)]
    previous, current = Period.from_strings("2021-01", "2021-06"), Period.from_strings("2021-07", "2021-12")
    table = cp.performance_table(records(rows), previous, current).set_index("category")
    burglary = table.loc["Burglary"]
    exact = stats.binomtest(360, 660, 184 / 365).pvalue
    assert exact < 0.05
    assert burglary["test"] == "quasi-Poisson (monthly)" and burglary["dispersion"] == pytest.approx(20.0, abs=0.1)
    assert burglary["p_value"] > 0.5 and not burglary["significant"]
    assert burglary["ci_low"] < 1 < burglary["ci_high"]
    assert burglary["rate_ratio"] == pytest.approx((360 / 184) / (300 / 181))


def test_table_marks_seasons_and_abnormal_months(tiny):
    """Jan-Feb 2021 against Mar-Apr 2021: different months of the year, and Jan to Mar 2021 are in
    the default abnormal months (the third national lockdown)."""
    previous, current = Period.from_strings("2021-01", "2021-02"), Period.from_strings("2021-03", "2021-04")
    table = cp.performance_table(tiny, previous, current)
    assert table["different_seasons"].all()
    assert (table["abnormal_months"] == "2021-01 2021-02 2021-03").all()
    assert (cp.performance_table(tiny, previous, current, abnormal_months=[])["abnormal_months"] == "").all()
    shown = cp.for_display(table, previous, current)
    assert {"Rate ratio (95% CI)", "Test", "Adjusted p", "Assessment"} <= set(shown.columns)
    csv = cp.csv_table(table, None, "Area", previous, current)
    assert list(csv.columns) == list(cp.CSV_COLUMNS)
    assert {"test", "dispersion", "rate_ratio", "ci_low", "ci_high", "family", "abnormal_months"} <= set(csv.columns)


def test_rates_per_1000_worked_by_hand(tiny):
    # two LSOAs of "Alpha" (1,500 + 500 residents) and one of "Beta" (3,000): Alpha has 2,000 residents
    population = pd.DataFrame({"lsoa_code": ["E1", "E2", "E3"], "lsoa_name": ["Alpha 001A", "Alpha 002A", "Beta 001A"],
                               "population": [1500.0, 500.0, 3000.0]})
    assert cp.selected_population(population, LsoaSelector(["Alpha"])) == 2000
    assert cp.selected_population(population, LsoaSelector(["Alpha", "Beta"])) == 5000
    assert cp.selected_population(population, LsoaSelector(["Gamma"])) is None
    previous, current = Period.from_strings("2021-01", "2021-02"), Period.from_strings("2021-03", "2021-04")
    table = cp.with_rates(cp.performance_table(tiny, previous, current), 2000).set_index("category")
    # burglary 4 -> 2 in 2,000 residents: 2.0 and 1.0 per 1,000; ASB 10 -> 6: 5.0 and 3.0
    assert table.loc["Burglary", ["rate_previous", "rate_current"]].tolist() == [2.0, 1.0]
    assert table.loc[ASB, ["rate_previous", "rate_current"]].tolist() == [5.0, 3.0]
    shown = cp.for_display(table.reset_index(), previous, current).set_index("Category")
    assert shown.loc["Burglary", "Mar 2021 to Apr 2021 per 1,000"] == "1.00"
    no_population = cp.with_rates(cp.performance_table(tiny, previous, current), None)
    assert no_population["rate_current"].isna().all()
    assert not any("per 1,000" in c for c in cp.for_display(no_population, previous, current).columns)
