"""Computed sentences, with the expected text worked out by hand from the counts."""

from __future__ import annotations

import pandas as pd

from csp_analysis.report.narrative import change_sentence, significant_changes


def _row(previous, current, significant=False, small=False):
    change = current - previous
    pct = 100 * change / previous if previous else float("nan")
    return pd.Series({"previous": previous, "current": current, "change": change, "pct_change": pct,
                      "significant": significant, "small_count": small})


def test_rise_sentence_from_the_published_st_albans_all_crime():
    # 5,958 -> 7,381: +1,423, 1423 / 5958 = 23.88% -> 23.9%
    assert change_sentence(_row(5958, 7381, significant=True), "All crime") == (
        "All crime rose 23.9%, 1,423 more offences (5,958 to 7,381); the change is statistically significant.")


def test_fall_with_small_numbers():
    # 8 -> 6: -2, -25.0%
    assert change_sentence(_row(8, 6, small=True), "Robbery") == (
        "Robbery fell 25.0%, 2 fewer offences (8 to 6); the change is within the range expected by chance, "
        "and the numbers are small.")


def test_unchanged_and_from_none():
    assert change_sentence(_row(2, 2), "Fire injuries", noun="people") == "Fire injuries were unchanged at 2."
    assert change_sentence(_row(2, 2), "Robbery") == "Robbery was unchanged at 2."
    assert change_sentence(_row(0, 5), "Drugs").startswith("Drugs rose from none to 5 (no percentage")


def test_significant_changes_are_named_largest_first_by_direction():
    table = pd.DataFrame([
        {"category": "A", **_row(100, 150, True)}, {"category": "B", **_row(100, 110, True)},
        {"category": "C", **_row(100, 60, True)}, {"category": "D", **_row(100, 101)},
    ])
    assert significant_changes(table) == ("Significant rises: A (+50.0%, +50), B (+10.0%, +10); "
                                          "significant falls: C (-40.0%, -40).")


def test_no_significant_change():
    table = pd.DataFrame([{"category": "A", **_row(10, 12)}])
    assert significant_changes(table).startswith("No line changed by more than chance")
