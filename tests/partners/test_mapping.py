"""The export mapping: reading, renaming, value maps, dates, and the shared period helpers.

Every input is a tiny hand-written CSV; expected values are worked out by hand in the comments.
"""

import math

import pandas as pd
import pytest
import yaml

from csp_analysis.config.mapping import SourceMapping
from csp_analysis.errors import ConfigError, InputDataError
from csp_analysis.methods.change import change_table, monthly_totals
from csp_analysis.partners.mapping import load_mapped
from csp_analysis.periods import Period, coverage_message, uncovered_months


def write(tmp_path, text, name="export.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def mapping(**block):
    return SourceMapping.model_validate({"path": "export.csv", **block})


CASES = "Ref,When,Status\nA1,2020-01-05,Open\nA2,2020-02-10,Closed\nA3,2020-02-11,Open\n"


def test_bom_blank_and_repeated_header_names_are_taken_by_position(tmp_path):
    path = write(tmp_path, "\ufeffRef,Day,Day,,When\nA1,5,Sunday,x,2020-01-05\nA2,10,Monday,,2020-02-10\n")
    loaded = load_mapped(path, mapping(columns={"case_id": "Ref", "weekday": 3},
                                       date={"columns": "When", "format": "%Y-%m-%d"}))
    assert loaded.data["case_id"].tolist() == ["A1", "A2"]  # the BOM is not part of "Ref"
    assert loaded.data["weekday"].tolist() == ["Sunday", "Monday"]
    assert loaded.data.index.tolist() == [2, 3]  # spreadsheet rows: the header is row 1
    assert loaded.data["date"].tolist() == [pd.Timestamp("2020-01-05"), pd.Timestamp("2020-02-10")]

    with pytest.raises(InputDataError, match=r"'Day', a header name used by columns \[2, 3\]"):
        load_mapped(path, mapping(columns={"day": "Day"}))


def test_unknown_column_suggests_the_nearest_name(tmp_path):
    path = write(tmp_path, CASES)
    with pytest.raises(InputDataError, match=r"no column 'Staus' \(mapped to 'status'\); did you mean \['Status'\]"):
        load_mapped(path, mapping(columns={"status": "Staus"}))


def test_cp1252_file_read_as_utf8_asks_for_the_encoding(tmp_path):
    path = write(tmp_path, "Ref,Cause\nA1,Deliberate – own property\n", encoding="cp1252")
    with pytest.raises(InputDataError, match="cannot be read as utf-8.*encoding"):
        load_mapped(path, mapping(columns={"case_id": "Ref"}))
    loaded = load_mapped(path, mapping(encoding="cp1252", columns={"cause": "Cause"}))
    assert loaded.data["cause"].tolist() == ["Deliberate – own property"]


def test_value_map_error_names_file_column_values_and_first_row(tmp_path):
    path = write(tmp_path, "Ref,Status\nA1,Open\nA2,Maybe\nA3,Closed\nA4,Pending\nA5,Maybe\n")
    with pytest.raises(InputDataError) as caught:
        load_mapped(path, mapping(columns={"case_id": "Ref", "is_open": "Status"},
                                  values={"is_open": {"Open": True, "Closed": False}}))
    error = caught.value
    # data rows A2 (row 3) and A4 (row 5) are the first two unexpected values; three rows in all
    assert error.row == 3 and error.column == "Status"
    message = str(error)
    assert str(path) in message and "column 'Status'" in message and "row 3" in message
    assert "3 row(s)" in message and "'Maybe', 'Pending'" in message


def test_value_maps_type_their_results_and_leave_blanks_missing(tmp_path):
    path = write(tmp_path, "Ref,Status,Kind\nA1,Open,x\nA2,,y\nA3,Closed,z\n")
    loaded = load_mapped(path, mapping(columns={"is_open": "Status", "kind": "Kind"},
                                       values={"is_open": {"Open": True, "Closed": False},
                                               "kind": {"x": "ex"}},
                                       other={"kind": "keep"}))
    assert str(loaded.data["is_open"].dtype) == "boolean"
    assert loaded.data["is_open"].tolist() == [True, pd.NA, False]
    assert loaded.data["kind"].tolist() == ["ex", "y", "z"]

    loaded = load_mapped(path, mapping(columns={"kind": "Kind"}, values={"kind": {"x": "ex"}},
                                       other={"kind": {"value": "other"}}))
    assert loaded.data["kind"].tolist() == ["ex", "other", "other"]


def test_missing_markers_and_blank_rows(tmp_path):
    path = write(tmp_path, "Ref,Count\nA1,-1\n\nA3,Data missing\n,\nA5,4\n")
    loaded = load_mapped(path, mapping(columns={"case_id": "Ref", "count": "Count"},
                                       missing=["-1", "Data missing"]))
    assert loaded.data.index.tolist() == [2, 4, 6]
    assert loaded.data["count"].isna().tolist() == [True, True, False]
    assert loaded.excluded.index.tolist() == [3, 5]
    assert loaded.excluded_counts().to_dict() == {"blank row": 2}


def test_missing_and_unparseable_dates_are_excluded_with_their_rows(tmp_path):
    path = write(tmp_path, "Ref,When\nA1,2020-01-05\nA2,\nA3,2020-02-30\nA4,2020-03-01\nA5,05/01/2020\n")
    loaded = load_mapped(path, mapping(columns={"case_id": "Ref"}, date={"columns": ["When"], "format": "%Y-%m-%d"}))
    assert loaded.data["case_id"].tolist() == ["A1", "A4"]
    assert loaded.excluded.to_dict("index") == {
        3: {"reason": "missing date", "value": ""},
        4: {"reason": "unparseable date", "value": "2020-02-30"},
        6: {"reason": "unparseable date", "value": "05/01/2020"},
    }
    assert loaded.excluded_counts().to_dict() == {"unparseable date": 2, "missing date": 1}


def test_date_from_several_columns_and_zero_padded_times(tmp_path):
    path = write(tmp_path, "Day,Month,Year,Time\n1,July,2014,30\n31,July,2014,725\n9,July,2014,2561\n9,July,2014,\n")
    loaded = load_mapped(path, mapping(columns={}, date={"columns": ["Day", "Month", "Year"], "format": "%d %B %Y"},
                                       time={"columns": "Time", "format": "%H%M", "zero_pad": 4}))
    assert loaded.data["date"].dt.strftime("%Y-%m-%d").tolist() == ["2014-07-01", "2014-07-31", "2014-07-09",
                                                                     "2014-07-09"]
    # "30" is 00:30 and "725" 07:25; "2561" is no time, and a blank time is none: rows kept, no datetime
    assert loaded.data["datetime"].tolist()[:2] == [pd.Timestamp("2014-07-01 00:30"), pd.Timestamp("2014-07-31 07:25")]
    assert loaded.data["datetime"].iloc[2:].isna().all()
    assert loaded.excluded.empty


def test_yaml_booleans_as_export_values_are_refused():
    block = yaml.safe_load("path: x.csv\ncolumns: {is_open: Status}\nvalues: {is_open: {yes: true, no: false}}")
    with pytest.raises(ConfigError, match="quote it"):
        SourceMapping.parse(block, "casework")
    block = yaml.safe_load('path: x.csv\ncolumns: {is_open: Status}\nvalues: {is_open: {"yes": true, "no": false}}')
    assert SourceMapping.parse(block, "casework").values == {"is_open": {"yes": True, "no": False}}


@pytest.mark.parametrize("block, problem", [
    ({"columns": {"date": "When"}}, "produced by the mapping itself"),
    ({"columns": {"a": "A"}, "values": {"b": {"x": 1}}}, "not canonical columns"),
    ({"columns": {"a": "A"}, "values": {"a": {"x": 1}}, "other": {"b": "keep"}}, "not canonical columns"),
    ({"columns": {"a": "A"}, "encoding": "klingon"}, "unknown encoding"),
    ({"columns": {"a": "A"}, "colums": {}}, "Extra inputs are not permitted"),
])
def test_inconsistent_mappings_are_config_errors(block, problem):
    with pytest.raises(ConfigError, match=problem):
        SourceMapping.parse({"path": "x.csv", **block}, "casework")


def test_coverage_of_periods():
    dates = pd.Series(pd.to_datetime(["2014-07-03", "2014-07-28"]))
    july = Period.from_strings("2014-07", "2014-07")
    assert uncovered_months(dates, july) == []
    assert uncovered_months(dates, Period.from_strings("2014-05", "2014-07")) == ["2014-05", "2014-06"]
    message = coverage_message(dates, Period.from_strings("2013-07", "2014-06"), july)
    assert message == ("No comparison: the data hold no records for 2013-07 .. 2014-06 (12 months) of the "
                       "comparison period (Jul 2013 to Jun 2014). Current figures only.")
    assert coverage_message(dates, None, july).startswith("No comparison")
    assert coverage_message(dates, july, july) == ""
    assert coverage_message(dates, july, Period.from_strings("2014-07", "2014-08")) == (
        "Incomplete: the data hold no records for 2014-08 of the current period (Jul 2014 to Aug 2014).")


def test_change_table_displays_equal_and_na():
    previous = pd.DataFrame({"a": [5], "b": [0], "c": [4]}, index=["2020-01"])
    current = pd.DataFrame({"a": [5], "b": [3], "c": [2]}, index=["2020-02"])
    table = change_table(previous, current, Period.from_strings("2020-01", "2020-01"),
                         Period.from_strings("2020-02", "2020-02"))
    assert table["change"].tolist() == [0, 3, -2]
    assert table["change_display"].tolist() == ["Equal", "+3", "-2"]
    assert table["pct_change_display"].tolist() == ["Equal", "n/a", "-50.0%"]
    assert table["comparison_available"].all()
    # one month a period leaves no residual degrees of freedom; b has no events before
    assert table["test"].tolist() == ["exact Poisson (too few months)", "exact Poisson (no events in a period)",
                                      "exact Poisson (too few months)"]

    alone = change_table(None, current, None, Period.from_strings("2020-02", "2020-02"))
    assert alone["previous"].isna().all() and alone["current"].tolist() == [5, 3, 2]
    assert alone["change_display"].tolist() == ["", "", ""] and math.isnan(alone["p_value"].iloc[0])
    assert alone["test"].tolist() == ["", "", ""]
    assert not alone["comparison_available"].any()


def test_monthly_totals_keep_empty_months():
    dates = pd.Series(pd.to_datetime(["2020-01-15", "2020-03-02", "2020-03-09"]))
    lines = pd.DataFrame({"x": [1, 2, 3]})
    monthly = monthly_totals(lines, dates, Period.from_strings("2020-01", "2020-04"))
    assert monthly.index.tolist() == ["2020-01", "2020-02", "2020-03", "2020-04"]
    assert monthly["x"].tolist() == [1, 0, 5, 0]
    assert monthly_totals(lines, dates)["x"].tolist() == [1, 0, 5]  # first to last record
