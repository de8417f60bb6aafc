"""Reading police.uk archive files and selecting an area, on hand-written files."""

import pandas as pd
import pytest

from csp_analysis.errors import InputDataError
from csp_analysis.police import archive as policeuk
from csp_analysis.police.selection import LsoaSelector
from tests.conftest import write_street


def test_discover_reads_archive_layout_and_filters_forces(tmp_path):
    write_street(tmp_path, "2021-01", [{"Crime type": "Burglary"}])
    write_street(tmp_path, "2021-01", [{"Crime type": "Burglary"}], force="otherforce")
    write_street(tmp_path, "2021-02", [{"Crime type": "Drugs"}])
    (tmp_path / "2021-02" / "notes.csv").write_text("not a police file")
    found = policeuk.discover(tmp_path)
    assert [(f.month, f.force) for f in found] == [("2021-01", "otherforce"), ("2021-01", "testshire"),
                                                  ("2021-02", "testshire")]
    assert [f.force for f in policeuk.discover(tmp_path, forces=["testshire"])] == ["testshire", "testshire"]


def test_read_street_keeps_every_row_and_parses_coordinates(tmp_path):
    write_street(tmp_path, "2021-01", [
        {"Crime type": "Burglary", "LSOA name": "Alpha 001A"},
        {"Crime type": "Anti-social behaviour", "Longitude": "", "Latitude": "", "Location": "No location"},
    ])
    records = policeuk.read_street(policeuk.discover(tmp_path))
    assert len(records) == 2
    assert records["Longitude"].iloc[0] == pytest.approx(-0.3)
    assert pd.isna(records["Longitude"].iloc[1])
    assert records["Crime ID"].iloc[1] == ""  # ASB rows carry no crime id


def test_bom_is_harmless(tmp_path):
    path = write_street(tmp_path, "2021-01", [{"Crime type": "Burglary"}])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    records = policeuk.read_street(policeuk.discover(tmp_path))
    assert records["Crime type"].tolist() == ["Burglary"]


def test_unknown_crime_type_names_file_row_and_value(tmp_path):
    write_street(tmp_path, "2021-01", [{"Crime type": "Burglary"}, {"Crime type": "Fraud"}])
    with pytest.raises(InputDataError) as error:
        policeuk.read_street(policeuk.discover(tmp_path))
    message = str(error.value)
    assert "2021-01-testshire-street.csv" in message and "row 3" in message and "'Fraud'" in message


def test_pre_2013_categories_are_refused(tmp_path):
    write_street(tmp_path, "2013-04", [{"Crime type": "Violent crime"}])
    with pytest.raises(InputDataError, match="pre-May 2013"):
        policeuk.read_street(policeuk.discover(tmp_path))


def test_missing_column_is_named(tmp_path):
    path = write_street(tmp_path, "2021-01", [{"Crime type": "Burglary"}])
    frame = pd.read_csv(path, dtype=str).drop(columns=["LSOA name"])
    frame.to_csv(path, index=False)
    with pytest.raises(InputDataError, match="missing column\\(s\\) 'LSOA name'"):
        policeuk.read_street(policeuk.discover(tmp_path))


def test_missing_folder(tmp_path):
    with pytest.raises(InputDataError, match="does not exist"):
        policeuk.discover(tmp_path / "nowhere")


def test_prefix_selection_is_exact_on_the_district_name():
    records = pd.DataFrame({
        "LSOA name": ["St Albans 001A", "St Albansbury 001A", "Welwyn Hatfield 010C", "", "St Albans 02A"],
        "LSOA code": ["E1", "E2", "E3", "", "E5"],
    })
    mask = LsoaSelector(lsoa_name_prefixes=["St Albans"]).mask(records)
    assert mask.tolist() == [True, False, False, False, False]
    by_code = LsoaSelector(lsoa_codes=["E3"], lsoa_name_prefixes=["St Albans"]).mask(records)
    assert by_code.tolist() == [True, False, True, False, False]
    # the whole force: every record that has an LSOA (one without belongs to no district)
    assert LsoaSelector(whole_force=True).mask(records).tolist() == [True, True, True, False, True]


def test_unreadable_file_is_named(tmp_path):
    path = write_street(tmp_path, "2021-01", [{"Crime type": "Burglary"}])
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe garbage")
    with pytest.raises(InputDataError, match="2021-01-testshire-street.csv, row 1: is not UTF-8"):
        policeuk.read_street(policeuk.discover(tmp_path))


def test_row_with_extra_fields_is_named(tmp_path):
    path = write_street(tmp_path, "2021-01", [{"Crime type": "Burglary"}])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("x,2021-01,a,b,1,2,c,d,e,Burglary,f,g,EXTRA,MORE\n")
    with pytest.raises(InputDataError, match="2021-01-testshire-street.csv, row 3: row has a different number of fields"):
        policeuk.read_street(policeuk.discover(tmp_path))


def test_schema_names_column_value_and_row(tmp_path):
    write_street(tmp_path, "2021-01", [{"Crime type": "Burglary", "LSOA code": "E01000001"},
                                       {"Crime type": "Drugs", "LSOA code": "not-a-code"}])
    with pytest.raises(InputDataError, match="'LSOA code' fails .*'not-a-code' \\(first at row 3\\)"):
        policeuk.read_street(policeuk.discover(tmp_path))
