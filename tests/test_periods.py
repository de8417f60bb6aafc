"""Whole-month periods and comparison periods."""

import pytest

from csp_analysis.errors import ConfigError
from csp_analysis.periods import (
    ENGLAND_LOCKDOWN_MONTHS,
    Period,
    abnormal_message,
    comparison_caveats,
    comparison_period,
    different_seasons,
    season_message,
    year_earlier,
)


def test_preceding_period_of_six_months():
    current = Period.from_strings("2021-08", "2022-01")
    previous = comparison_period(current, "preceding-period")
    assert previous.months == ["2021-02", "2021-03", "2021-04", "2021-05", "2021-06", "2021-07"]


def test_previous_year_is_same_months_a_year_earlier():
    previous = comparison_period(Period.from_strings("2025-01", "2025-12"), "previous-year")
    assert (str(previous.start), str(previous.end)) == ("2024-01", "2024-12")


def test_days_count_whole_months():
    # Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 + Jan 31 = 184
    assert Period.from_strings("2021-08", "2022-01").days == 184
    assert Period.from_strings("2024-02", "2024-02").days == 29  # leap year


def test_label():
    assert Period.from_strings("2021-08", "2022-01").label == "Aug 2021 to Jan 2022"
    assert Period.from_strings("2014-07", "2014-07").label == "Jul 2014"


def test_reversed_period_is_refused():
    with pytest.raises(ConfigError, match="reversed"):
        Period.from_strings("2022-01", "2021-08")


@pytest.mark.parametrize("bad", ["2021-13", "21-08", "August 2021", "2021/08"])
def test_bad_month_names_the_setting(bad):
    with pytest.raises(ConfigError, match="period start must be a month written YYYY-MM"):
        Period.from_strings(bad, "2022-01")


def test_long_period_cannot_use_previous_year():
    with pytest.raises(ConfigError, match="overlap"):
        comparison_period(Period.from_strings("2020-01", "2021-06"), "previous-year")


def test_unknown_comparison():
    with pytest.raises(ConfigError, match="comparison must be one of"):
        comparison_period(Period.from_strings("2021-01", "2021-06"), "last-year")


# --- Seasons and abnormal months ------------------------------------------------------------------

ST_ALBANS_CURRENT = Period.from_strings("2021-08", "2022-01")
ST_ALBANS_PREVIOUS = Period.from_strings("2021-02", "2021-07")


def test_preceding_period_is_a_different_season_and_previous_year_is_not():
    assert different_seasons(ST_ALBANS_PREVIOUS.months, ST_ALBANS_CURRENT.months)
    same = comparison_period(ST_ALBANS_CURRENT, "previous-year")
    assert not different_seasons(same.months, ST_ALBANS_CURRENT.months)
    # twelve months against the twelve before cover every month of the year in both
    year = Period.from_strings("2025-01", "2025-12")
    assert not different_seasons(comparison_period(year, "preceding-period").months, year.months)
    assert season_message(same, ST_ALBANS_CURRENT) == ""
    assert season_message(ST_ALBANS_PREVIOUS, ST_ALBANS_CURRENT) == (
        "Different seasons: the comparison period (Feb 2021 to Jul 2021) and the current period (Aug 2021 to "
        "Jan 2022) cover different months of the year, so part of any change may be the season rather than a trend.")


def test_lockdown_months_are_marked_where_a_period_touches_them():
    # The default list: 2020-03..06, 2020-11, 2021-01..03. Feb-Jul 2021 touches Feb and Mar 2021.
    assert ENGLAND_LOCKDOWN_MONTHS == ("2020-03", "2020-04", "2020-05", "2020-06", "2020-11", "2021-01", "2021-02",
                                       "2021-03")
    message = abnormal_message(ST_ALBANS_PREVIOUS, ST_ALBANS_CURRENT, ENGLAND_LOCKDOWN_MONTHS)
    assert message.startswith("Abnormal months: the comparison period (Feb 2021 to Jul 2021) includes Feb 2021 and "
                              "Mar 2021, listed as abnormal")
    assert "current period" not in message  # Aug 2021 to Jan 2022 touches none
    assert abnormal_message(ST_ALBANS_PREVIOUS, ST_ALBANS_CURRENT, []) == ""
    both = abnormal_message(Period.from_strings("2020-01", "2020-12"), Period.from_strings("2021-01", "2021-12"),
                            ENGLAND_LOCKDOWN_MONTHS)
    assert "comparison period (Jan 2020 to Dec 2020) includes Mar 2020, Apr 2020, May 2020, Jun 2020 and Nov 2020" in both
    assert "current period (Jan 2021 to Dec 2021) includes Jan 2021, Feb 2021 and Mar 2021" in both
    caveats = comparison_caveats(ST_ALBANS_PREVIOUS, ST_ALBANS_CURRENT, ENGLAND_LOCKDOWN_MONTHS)
    assert caveats.startswith("Different seasons:") and "Abnormal months:" in caveats


def test_same_months_a_year_earlier_only_when_the_data_hold_them():
    archive = [f"2021-{m:02d}" for m in range(1, 13)] + ["2022-01"]  # the St Albans archive
    assert year_earlier(ST_ALBANS_CURRENT, archive) is None  # Aug 2020 .. Jan 2021 are not all there
    longer = [f"2020-{m:02d}" for m in range(8, 13)] + archive
    assert year_earlier(ST_ALBANS_CURRENT, longer).label == "Aug 2020 to Jan 2021"
    assert year_earlier(Period.from_strings("2020-01", "2021-06"), longer) is None  # 18 months would overlap
