"""The crime performance table on hand-made records, and its narrative."""

import math

import pandas as pd
import pytest

from csp_analysis.categories import ALL_CRIME, ASB
from csp_analysis.periods import Period
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
