"""National counts by LSOA or district and category, on tiny hand-written archives counted by hand."""

import pandas as pd
import pytest

from csp_analysis.errors import InputDataError
from csp_analysis.police import archive as policeuk
from csp_analysis.police import national
from csp_analysis.police.selection import LsoaSelector
from tests.conftest import write_street

A1 = {"LSOA code": "E01000001", "LSOA name": "Alpha 001A"}
A2 = {"LSOA code": "E01000002", "LSOA name": "Alpha 002B"}
B1 = {"LSOA code": "E01000003", "LSOA name": "Beta 001A"}
TRAP = {"LSOA code": "E01000004", "LSOA name": "Alphaville 001A"}  # not district "Alpha"
NOWHERE = {"Longitude": "", "Latitude": "", "Location": "No location"}


def _archive(folder):
    """Two forces, two months. By hand:

    2021-01 testshire:  Alpha 001A Burglary x2, Alpha 001A Drugs x1, Alpha 002B Burglary x1,
                        Beta 001A Robbery x1, Alphaville 001A Burglary x1, no location ASB x1
    2021-01 otherforce: Alpha 002B Burglary x1 (over the border), Beta 001A Robbery x2
    2021-02 testshire:  Alpha 001A Burglary x1, Alpha 001A Anti-social behaviour x1
    """
    write_street(folder, "2021-01", [
        {"Crime type": "Burglary", **A1}, {"Crime type": "Burglary", **A1}, {"Crime type": "Drugs", **A1},
        {"Crime type": "Burglary", **A2}, {"Crime type": "Robbery", **B1}, {"Crime type": "Burglary", **TRAP},
        {"Crime type": "Anti-social behaviour", **NOWHERE},
    ])
    write_street(folder, "2021-01", [
        {"Crime type": "Burglary", **A2}, {"Crime type": "Robbery", **B1}, {"Crime type": "Robbery", **B1},
    ], force="otherforce")
    write_street(folder, "2021-02", [{"Crime type": "Burglary", **A1}, {"Crime type": "Anti-social behaviour", **A1}])
    return folder


def _rows(frame, columns):
    return [tuple(row) for row in frame[columns].itertuples(index=False)]


ALPHA = LsoaSelector(lsoa_name_prefixes=["Alpha"])
LSOA_COLUMNS = ["LSOA name", "Crime type", "count"]


def test_district_counts_both_months(tmp_path):
    counts = national.district_counts(_archive(tmp_path), ["2021-01", "2021-02"], ALPHA)
    assert list(counts.columns) == ["LSOA code", "LSOA name", "Crime type", "count"]
    assert _rows(counts, LSOA_COLUMNS) == [
        ("Alpha 001A", "Anti-social behaviour", 1),
        ("Alpha 001A", "Burglary", 3),
        ("Alpha 001A", "Drugs", 1),
        ("Alpha 002B", "Burglary", 2),
    ]
    assert counts["count"].dtype == "int64" and pd.api.types.is_string_dtype(counts["LSOA name"])


def test_district_counts_one_month_and_by_month(tmp_path):
    folder = _archive(tmp_path)
    january = national.district_counts(folder, ["2021-01"], ALPHA)
    assert _rows(january, LSOA_COLUMNS) == [("Alpha 001A", "Burglary", 2), ("Alpha 001A", "Drugs", 1),
                                            ("Alpha 002B", "Burglary", 2)]
    monthly = national.district_counts(folder, None, ALPHA, by_month=True)
    assert _rows(monthly, ["Month", *LSOA_COLUMNS]) == [
        ("2021-01", "Alpha 001A", "Burglary", 2), ("2021-01", "Alpha 001A", "Drugs", 1),
        ("2021-01", "Alpha 002B", "Burglary", 2),
        ("2021-02", "Alpha 001A", "Anti-social behaviour", 1), ("2021-02", "Alpha 001A", "Burglary", 1),
    ]


def test_selection_by_code_and_whole_force(tmp_path):
    folder = _archive(tmp_path)
    by_code = national.district_counts(folder, None, LsoaSelector(lsoa_codes=["E01000003"]))
    assert _rows(by_code, LSOA_COLUMNS) == [("Beta 001A", "Robbery", 3)]
    everything = national.district_counts(folder, ["2021-01"], LsoaSelector(whole_force=True),
                                          forces=["testshire"])
    assert everything["count"].sum() == 6  # the force's 7 records less the one with no location (no LSOA)
    assert ("", "Anti-social behaviour", 1) not in _rows(everything, LSOA_COLUMNS)


def test_all_district_counts(tmp_path):
    counts = national.all_district_counts(_archive(tmp_path))
    assert _rows(counts, ["district", "Crime type", "count"]) == [
        ("", "Anti-social behaviour", 1),
        ("Alpha", "Anti-social behaviour", 1),
        ("Alpha", "Burglary", 5),
        ("Alpha", "Drugs", 1),
        ("Alphaville", "Burglary", 1),
        ("Beta", "Robbery", 3),
    ]


def test_district_name():
    names = pd.Series(["St Albans 012A", "Kingston upon Thames 001B", "", "Odd name", "Alpha 01A"])
    assert national.district_name(names).tolist() == ["St Albans", "Kingston upon Thames", "", "", ""]


def test_same_counts_as_the_loader(tmp_path):
    files = policeuk.discover(_archive(tmp_path))
    records = policeuk.read_street(files)
    expected = (records[ALPHA.mask(records)].groupby(list(national.LSOA_KEYS)).size().rename("count")
                .reset_index())
    pd.testing.assert_frame_equal(national.lsoa_counts(files, ALPHA), expected, check_dtype=False)


def test_counts_through_the_cache_are_the_same(tmp_path):
    folder = _archive(tmp_path / "data")
    direct = national.district_counts(folder, None, ALPHA, by_month=True)
    for _ in range(2):  # cold, then warm
        cached = national.district_counts(folder, None, ALPHA, by_month=True, cache_dir=tmp_path / "cache")
        pd.testing.assert_frame_equal(cached, direct)
    assert len(list((tmp_path / "cache").glob("*.parquet"))) == 3


def test_single_thread_gives_the_same(tmp_path):
    files = policeuk.discover(_archive(tmp_path))
    pd.testing.assert_frame_equal(national.lsoa_counts(files, threads=1), national.lsoa_counts(files, threads=2))


def test_missing_month_is_an_error(tmp_path):
    with pytest.raises(InputDataError, match="no police.uk street files for month\\(s\\) 2021-03"):
        national.district_counts(_archive(tmp_path), ["2021-02", "2021-03"], ALPHA)


def test_no_files_at_all(tmp_path):
    with pytest.raises(InputDataError, match="holds no police.uk street files"):
        national.all_district_counts(tmp_path)
    empty = national.lsoa_counts([])
    assert list(empty.columns) == ["LSOA code", "LSOA name", "Crime type", "count"] and empty.empty


def test_unknown_crime_type_is_the_loaders_error(tmp_path):
    folder = _archive(tmp_path)
    write_street(folder, "2021-02", [{"Crime type": "Burglary", **A1}, {"Crime type": "Fraud", **A1}],
                 force="thirdforce")
    with pytest.raises(InputDataError) as loader:
        policeuk.read_street(policeuk.discover(folder))
    with pytest.raises(InputDataError) as fast:
        national.district_counts(folder, None, ALPHA)
    assert str(fast.value) == str(loader.value)
    assert "2021-02-thirdforce-street.csv" in str(fast.value) and "row 3" in str(fast.value)


def test_pre_2013_categories_are_refused(tmp_path):
    write_street(tmp_path, "2013-04", [{"Crime type": "Violent crime", **A1}])
    with pytest.raises(InputDataError, match="pre-May 2013"):
        national.district_counts(tmp_path, None, ALPHA)


def test_missing_column_is_the_loaders_error(tmp_path):
    path = write_street(tmp_path, "2021-01", [{"Crime type": "Burglary", **A1}])
    pd.read_csv(path, dtype=str).drop(columns=["LSOA name"]).to_csv(path, index=False)
    with pytest.raises(InputDataError) as loader:
        policeuk.read_street(policeuk.discover(tmp_path))
    with pytest.raises(InputDataError) as fast:
        national.district_counts(tmp_path, None, ALPHA)
    assert str(fast.value) == str(loader.value)


def test_bom_is_harmless(tmp_path):
    path = write_street(tmp_path, "2021-01", [{"Crime type": "Burglary", **A1}])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert _rows(national.district_counts(tmp_path, None, ALPHA), LSOA_COLUMNS) == [("Alpha 001A", "Burglary", 1)]
