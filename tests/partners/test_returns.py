"""Partner returns: the shipped St Albans figures, hand-worked arithmetic, published errors, bad files.

Expected values are worked out by hand from the strategy's printed counts, e.g. robbery
81 - 37 = 44 and 44 / 37 = 118.9%; never copied from what the code prints.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from csp_analysis.errors import InputDataError
from csp_analysis.partners.returns import (
    ST_ALBANS_PUBLISHED_CHANGES,
    ST_ALBANS_RETURNS,
    TABLE_COLUMNS,
    as_matrix,
    for_display,
    load_published_changes,
    load_returns,
    published_differences,
    returns_table,
)

HEADER = "section,source,category,area,period_start,period_end,count,note\n"
DA_CPT = "Domestic Abuse referrals for assistance to outside agencies by the Community Protection Team"
SAFEGUARDING = "Safeguarding contacts made by the Community Protection Team"


@pytest.fixture(scope="module")
def returns() -> pd.DataFrame:
    return load_returns(ST_ALBANS_RETURNS)


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return load_published_changes(ST_ALBANS_PUBLISHED_CHANGES)


def line(table: pd.DataFrame, category: str, area: str = "St Albans") -> pd.Series:
    found = table[(table["area"] == area) & (table["category"] == category)]
    assert len(found) == 1, (area, category)
    return found.iloc[0]


def write(tmp_path, text: str, name: str = "returns.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- The shipped file ------------------------------------------------------------------------------------

def test_shipped_returns_load(returns):
    assert len(returns) == 46  # Fig 1: 14 lines x 2; Fig 2: 6 x 2; Fig 3: 3 x 2
    assert returns.groupby("section").size().to_dict() == {"casework": 6, "crime_performance": 28, "fire": 12}
    assert str(returns["count"].dtype) == "Int64"
    assert returns["count"].isna().sum() == 3  # the three burglary lines of last year: not available
    assert returns.index[0] == 2  # spreadsheet rows: the header is row 1


def test_crime_performance_arithmetic(returns):
    table = returns_table(returns, "crime_performance")
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert table["category"].iloc[0] == "All Crime" and table["category"].iloc[-1] == "ASB"  # file order
    all_crime = line(table, "All Crime")
    assert (all_crime.previous, all_crime.current, all_crime.change) == (5958, 7381, 1423)
    assert round(all_crime["pct_change"], 1) == 23.9  # 1423 / 5958 = 0.23884
    robbery = line(table, "Robbery")
    assert (robbery.change, round(robbery["pct_change"], 1)) == (44, 118.9)  # 44 / 37 = 1.18919
    theft = line(table, "Theft From Person")
    assert (theft.change, round(theft["pct_change"], 1)) == (13, 15.9)  # 13 / 82 = 0.15854
    assert all_crime.previous_period == "2016-04-01..2017-01-03"
    assert all_crime.current_period == "2017-04-01..2018-01-03"
    assert all_crime.source == "Hertfordshire Constabulary"
    # Equal periods (278 days each), so the test is the plain binomial one; 1423 more is no chance.
    assert all_crime.p_value < 1e-20 and all_crime.significant
    # Totals only: the exact test, which cannot check over-dispersion. All Crime sums the other lines,
    # so it is tested on its own; the rest of St Albans' lines are one family.
    assert (table["test"] == "exact Poisson (totals only)").sum() == 11 and (table["test"] == "").sum() == 3
    assert all_crime.family == "All Crime (total)" and all_crime.p_adjusted == all_crime.p_value
    assert set(table.loc[table["category"] != "All Crime", "family"]) == {"partner returns, St Albans"}
    # Same days of the year in both periods (1 Apr to 3 Jan), no abnormal months in 2016-18
    assert not table["different_seasons"].any() and (table["abnormal_months"] == "").all()


def test_burglary_lines_without_last_year_show_na(returns):
    table = returns_table(returns, "crime_performance")
    shown = for_display(table).set_index("Category")
    for category in ("Burglary residential Dwelling", "Burglary residential Non Dwelling",
                     "Burglary Business & community"):
        row = line(table, category)
        assert pd.isna(row.previous) and pd.isna(row.change) and math.isnan(row["pct_change"])
        assert math.isnan(row.p_value) and not row.significant
        assert shown.loc[category, "% change"] == "n/a"
        assert shown.loc[category, "Change"] == "n/a"
        assert shown.loc[category, "1 Apr 2016 to 3 Jan 2017"] == "n/a"
    assert shown.loc["Burglary residential Dwelling", "1 Apr 2017 to 3 Jan 2018"] == "381"
    assert "inf" not in shown.to_string()


def test_fire_table_fig2_style(returns):
    table = returns_table(returns, "fire")
    injuries = line(table, "Fire Injuries")
    assert (injuries.previous, injuries.current, injuries.change) == (2, 2, 0)
    herts = line(table, "Fire Injuries", "Hertfordshire")
    assert herts.change == 3  # 37 - 34
    shown = for_display(table, decimals=0)
    st_albans = shown[shown["Area"] == "St Albans"].set_index("Category")
    assert st_albans.loc["Fire Injuries", "Change"] == "Equal"
    assert st_albans.loc["Fire Injuries", "% change"] == "Equal"
    assert st_albans.loc["Deliberate Fires", "% change"] == "+38%"  # 33 / 87 = 0.379
    matrix = as_matrix(table)
    assert matrix.loc["St Albans", "Deliberate Fires"] == "+38% (87 to 120)"
    assert matrix.loc["St Albans", "Fire Injuries"] == "Equal 2"
    assert matrix.loc["Hertfordshire", "Primary Fires"] == "-6% (910 to 851)"  # -59 / 910 = -0.0648
    # BH runs within each area: Hertfordshire's three lines, St Albans's three lines.
    assert line(table, "Fire Injuries").p_adjusted == pytest.approx(1.0)


def test_casework_arithmetic(returns):
    table = returns_table(returns, "casework")
    da = line(table, DA_CPT)
    assert (da.previous, da.current, da.change) == (6, 14, 8)
    assert round(da["pct_change"], 1) == 133.3  # 8 / 6
    assert da.small_count  # 6 < 10
    assert line(table, SAFEGUARDING).change == -24
    shown = for_display(table, decimals=0).set_index("Category")
    assert shown.loc[DA_CPT, "% change"] == "+133%"
    # -2 / 488 = -0.41%: at whole-number precision it would read "-0%", so one more decimal is shown
    assert shown.loc["Anti-Social Behaviour incidents reported to the CPT", "% change"] == "-0.4%"


# --- Published figures against their own counts -------------------------------------------------------

def test_published_differences_flag_the_strategy_errors(returns, published):
    crime = published_differences(returns_table(returns, "crime_performance"), published)
    found = {(row.category, row.figure): row for row in crime.itertuples()}
    assert set(found) == {("Robbery", "% change"), ("Robbery", "numerical change"),
                          ("Theft From Person", "% change")}
    assert found[("Robbery", "% change")].published == "+87.1%"
    assert found[("Robbery", "% change")].computed == "+118.9%"
    assert found[("Robbery", "numerical change")].computed == "+44"
    assert "37 to 81" in found[("Robbery", "numerical change")].reason
    assert found[("Theft From Person", "% change")].computed == "+15.9%"
    # "+11%" for 31 / 283 = +10.95% is only rounding: not flagged (nor are the unprinted burglary lines).

    fire = published_differences(returns_table(returns, "fire"), published)
    assert len(fire) == 1
    herts = fire.iloc[0]
    assert (herts.area, herts.category, herts.figure, herts.published, herts.computed) == (
        "Hertfordshire", "Fire Injuries", "numerical change", "+9", "+3")
    assert "% sign may be missing" in herts.reason  # 3 / 34 = +8.8%, which rounds to +9

    casework = published_differences(returns_table(returns, "casework"), published)
    # -24 / 87 = -27.59%: rounds to -28%, printed -27% (truncated). +133% and -0.4% are fine.
    assert casework["category"].tolist() == [SAFEGUARDING]
    assert "truncated" in casework["reason"].iloc[0]


def test_published_differences_accept_numbers_and_report_unknown_lines(returns):
    table = returns_table(returns, "crime_performance")
    published = pd.DataFrame({
        "area": ["St Albans", "St Albans", "St Albans"],
        "category": ["All Crime", "Burglary residential Dwelling", "Shoplifting"],
        "pct_change_published": [23.9, None, "+5%"],
        "change_published": [1423, "+381", None],
    })
    found = published_differences(table, published)
    assert found["category"].tolist() == ["Burglary residential Dwelling", "Shoplifting"]
    assert "previous figure is not available" in found["reason"].iloc[0]
    assert "no such line" in found["reason"].iloc[1]


# --- Pairing periods -----------------------------------------------------------------------------------

def test_unequal_periods_compare_by_exposure(tmp_path):
    # 30 in 30 days then 60 in 60 days: the same daily rate, so no real change (p = 1) despite +100%.
    path = write(tmp_path, HEADER
                 + "casework,Council,Fly-tipping,Town,2017-01-01,2017-01-30,30,\n"
                 + "casework,Council,Fly-tipping,Town,2017-02-01,2017-04-01,60,\n")
    row = returns_table(load_returns(path), "casework").iloc[0]
    assert (row.previous, row.current, row.change, row["pct_change"]) == (30, 60, 30, 100.0)
    assert row.p_value == pytest.approx(1.0)
    assert (row.previous_period, row.current_period) == ("2017-01-01..2017-01-30", "2017-02-01..2017-04-01")


def test_previous_zero_gives_no_percentage(tmp_path):
    path = write(tmp_path, HEADER
                 + "casework,Council,Modern slavery referrals,Town,2016-04-01,2016-12-31,0,\n"
                 + "casework,Council,Modern slavery referrals,Town,2017-04-01,2017-12-31,3,\n")
    table = returns_table(load_returns(path), "casework")
    assert table["change"].iloc[0] == 3 and math.isnan(table["pct_change"].iloc[0])
    assert for_display(table)["% change"].iloc[0] == "n/a"


def test_three_periods_for_a_line_is_an_error(tmp_path):
    path = write(tmp_path, HEADER
                 + "fire,FRS,Deliberate Fires,Town,2015-04-01,2015-10-31,5,\n"
                 + "fire,FRS,Deliberate Fires,Town,2016-04-01,2016-10-31,6,\n"
                 + "fire,FRS,Deliberate Fires,Town,2017-04-01,2017-10-31,7,\n")
    with pytest.raises(InputDataError) as caught:
        returns_table(load_returns(path), "fire")
    error = caught.value
    assert error.path == path and error.row == 2 and error.column == "period_start"
    assert "rows 2, 3, 4" in str(error) and "3 periods" in str(error)


def test_overlapping_periods_are_an_error(tmp_path):
    path = write(tmp_path, HEADER
                 + "fire,FRS,Deliberate Fires,Town,2016-04-01,2016-12-31,5,\n"
                 + "fire,FRS,Deliberate Fires,Town,2016-10-01,2017-06-30,6,\n")
    with pytest.raises(InputDataError, match="overlapping periods") as caught:
        returns_table(load_returns(path), "fire")
    assert (caught.value.row, caught.value.column) == (3, "period_start")


# --- Bad files: every error names the file, the row and the column ------------------------------------

GOOD = "casework,Council,DA referrals,Town,2016-04-01,2016-12-31,6,\n"


@pytest.mark.parametrize(("second_line", "row", "column", "text"), [
    ("casework,Council,DA referrals,Town,2017-04-01,2017-12-31,12a,\n", 3, "count", "'12a' is not a whole number"),
    ("casework,Council,DA referrals,Town,2017-04-01,2017-12-31,-3,\n", 3, "count", "'-3' is not a whole number"),
    ("casework,Council,DA referrals,Town,2017-12-31,2017-04-01,14,\n", 3, "period_end", "ends before it starts"),
    ("police,Council,DA referrals,Town,2017-04-01,2017-12-31,14,\n", 3, "section", "'police' is not one of"),
    ("casework,Council,DA referrals,Town,2017-02-30,2017-12-31,14,\n", 3, "period_start", "'2017-02-30' is not a date"),
    ("casework,Council,DA referrals,Town,01/04/2017,2017-12-31,14,\n", 3, "period_start", "is not a date"),
    ("casework,Council,,Town,2017-04-01,2017-12-31,14,\n", 3, "category", "is empty"),
    ("casework,Council,DA referrals,Town,2016-04-01,2016-12-31,7,\n", 2,
     "section, area, category, period_start, period_end", "rows 2, 3 repeat one line"),
])
def test_bad_lines_name_file_row_and_column(tmp_path, second_line, row, column, text):
    path = write(tmp_path, HEADER + GOOD + second_line)
    with pytest.raises(InputDataError) as caught:
        load_returns(path)
    error = caught.value
    assert error.path == path
    assert (error.row, error.column) == (row, column)
    assert text in str(error)
    assert str(path) in str(error) and f"row {row}" in str(error)


def test_bad_header_names_the_column(tmp_path):
    missing = write(tmp_path, "section,source,category,area,period_start,period_end,cuont\n" + GOOD, "a.csv")
    with pytest.raises(InputDataError, match="missing the required column 'count'") as caught:
        load_returns(missing)
    assert (caught.value.row, caught.value.column) == (1, "count")
    extra = write(tmp_path, HEADER.strip() + ",ward\n" + GOOD.strip() + ",x\n", "b.csv")
    with pytest.raises(InputDataError) as caught:
        load_returns(extra)
    assert (caught.value.row, caught.value.column) == (1, "ward")


def test_every_problem_is_listed(tmp_path):
    path = write(tmp_path, HEADER + "casework,Council,DA,Town,2016-04-01,2016-12-31,x,\n"
                 + "fires,Council,DA,Town,2017-04-01,2017-12-31,1,\n")
    with pytest.raises(InputDataError) as caught:
        load_returns(path)
    assert (caught.value.row, caught.value.column) == (2, "count")
    assert "row 3, column 'section'" in str(caught.value)


def test_missing_file_and_empty_section(tmp_path, returns):
    with pytest.raises(InputDataError, match="does not exist"):
        load_returns(tmp_path / "nowhere.csv")
    only_fire = returns[returns["section"] == "fire"]
    only_fire.attrs["path"] = str(ST_ALBANS_RETURNS)
    with pytest.raises(InputDataError, match="no lines for the section 'casework'"):
        returns_table(only_fire, "casework")
    with pytest.raises(ValueError, match="section must be one of"):
        returns_table(returns, "roads")
