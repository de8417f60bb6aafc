"""Whole-month periods and comparison periods."""

import pytest

from csp_analysis.errors import ConfigError
from csp_analysis.periods import Period, comparison_period


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
