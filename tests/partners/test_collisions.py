"""Road traffic collisions: STATS19 fixtures of both generations, local exports through a mapping,
the summary tables, and the real Cambridgeshire export checked against the csv module.

The fixtures in tests/fixtures/stats19 are hand-written: the same seven collisions and eleven
casualties in the DfT layout before 2024 (accident_*) and since (collision_*), with -1 and
"Data missing" markers. By hand, after excluding collision 6 (severity -1):
previous (2022-11-01 .. 2023-04-30): collisions 1 slight, 2 serious; 3 casualties in the
collision file; casualty file: 1 serious, 2 slight.
current (2023-05-01 .. 2023-10-31): 3 fatal, 4 slight, 5 serious, 7 slight; 3+1+1+2 = 7
casualties; casualty file: 1 fatal, 2 serious, 3 slight (one casualty of 7 has severity -1).
"""

import csv
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pyproj import Transformer

from csp_analysis.config.mapping import SourceMapping
from csp_analysis.errors import InputDataError
from csp_analysis.partners.collisions import (
    collision_monthly_counts,
    collision_points,
    collision_summary,
    load_collisions,
    load_stats19,
    load_stats19_casualties,
)
from csp_analysis.periods import Period

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stats19"
REAL_DATA = Path(os.environ.get("CSP_REAL_DATA_DIR", ROOT / ".." / "shared" / "data")).resolve()
CAMBRIDGESHIRE = REAL_DATA / "collisions" / "cambridgeshire-rtc-2012-2017.csv"
PREVIOUS, CURRENT = Period.from_strings("2022-11", "2023-04"), Period.from_strings("2023-05", "2023-10")


@pytest.fixture(scope="module")
def collisions():
    return load_stats19(FIXTURES / "collisions-accident-generation.csv")


@pytest.fixture(scope="module")
def casualties():
    return load_stats19_casualties(FIXTURES / "casualties-accident-generation.csv")


def test_both_generations_decode_the_same_way(collisions, casualties):
    newer = load_stats19(FIXTURES / "collisions-collision-generation.csv")
    pd.testing.assert_frame_equal(newer.data, collisions.data)
    pd.testing.assert_frame_equal(newer.excluded, collisions.excluded)
    newer_casualties = load_stats19_casualties(FIXTURES / "casualties-collision-generation.csv")
    pd.testing.assert_frame_equal(newer_casualties.data, casualties.data)


def test_stats19_codes_and_missing_markers(collisions):
    data = collisions.data.set_index("collision_id")
    assert data["severity"].to_dict() == {
        "2022411000001": "slight", "2023411000002": "serious", "2023411000003": "fatal",
        "2023411000004": "slight", "2023351000005": "serious", "2023411000007": "slight"}
    assert data["police_force"].fillna("missing").tolist() == ["Hertfordshire"] * 4 + ["Cambridgeshire", "missing"]
    assert data.loc["2023411000004", ["easting", "northing"]].isna().all()  # -1
    assert pd.isna(data.loc["2023411000004", "local_authority_ons_district"])  # "Data missing"
    assert data.loc["2023351000005", ["longitude", "latitude"]].isna().all()  # "Data missing"
    assert pd.isna(data.loc["2023411000003", "datetime"])  # time -1
    assert data.loc["2023411000003", "date"] == pd.Timestamp("2023-06-20")
    assert data.loc["2022411000001", "datetime"] == pd.Timestamp("2022-11-14 08:15")
    assert data["number_of_casualties"].tolist() == [1, 2, 3, 1, 1, 2]
    assert collisions.excluded.to_dict("index") == {7: {"reason": "missing severity", "value": ""}}


def test_casualties_decode_and_exclude_missing_severity(casualties):
    assert casualties.data["severity"].value_counts().to_dict() == {"slight": 6, "serious": 3, "fatal": 1}
    assert casualties.excluded_counts().to_dict() == {"missing severity": 1}
    assert casualties.excluded.index.tolist() == [11]


def test_not_a_stats19_file(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("ref,severity\n1,2\n")
    with pytest.raises(InputDataError, match="no collision_index or accident_index"):
        load_stats19(path)


def test_collision_summary_by_hand(collisions, casualties):
    table = collision_summary(collisions.data, PREVIOUS, CURRENT).set_index("line")
    assert table[["previous", "current"]].to_dict("index") == {
        "Fatal collisions": {"previous": 0, "current": 1},
        "Serious collisions": {"previous": 1, "current": 1},
        "Slight collisions": {"previous": 1, "current": 2},
        "KSI collisions": {"previous": 1, "current": 2},
        "All collisions": {"previous": 2, "current": 4},
        "All casualties": {"previous": 3, "current": 7},
    }
    assert table.loc["Serious collisions", "change_display"] == "Equal"
    assert table.loc["Fatal collisions", "pct_change_display"] == "n/a"
    assert table.loc["All collisions", "pct_change_display"] == "+100.0%"
    assert table["small_count"].all() and table["comparison_available"].all()
    # Families: the severities together; KSI (fatal + serious) and all collisions are sums, each on its own
    assert table["family"].to_dict() == {
        "Fatal collisions": "collisions by severity", "Serious collisions": "collisions by severity",
        "Slight collisions": "collisions by severity", "KSI collisions": "KSI collisions (total)",
        "All collisions": "All collisions (total)", "All casualties": "All casualties (total)"}
    for total in ("KSI collisions", "All collisions", "All casualties"):
        assert table.loc[total, "p_adjusted"] == table.loc[total, "p_value"]

    with_casualties = collision_summary(collisions.data, PREVIOUS, CURRENT, casualties=casualties.data)
    counts = with_casualties.set_index("line")[["previous", "current"]]
    assert counts.loc["Fatal casualties"].tolist() == [0, 1]
    assert counts.loc["Serious casualties"].tolist() == [1, 2]
    assert counts.loc["Slight casualties"].tolist() == [2, 3]
    assert counts.loc["KSI casualties"].tolist() == [1, 3]
    assert counts.loc["All casualties"].tolist() == [3, 6]  # from the casualty file, not number_of_casualties
    family = with_casualties.set_index("line")["family"]
    assert family["Serious casualties"] == "casualties by severity" and family["KSI casualties"] == "KSI casualties (total)"


def test_collision_summary_without_previous_data(collisions):
    table = collision_summary(collisions.data, Period.from_strings("2021-11", "2022-10"),
                              Period.from_strings("2022-11", "2023-10"))
    assert not table["comparison_available"].any() and table["previous"].isna().all()
    assert table.set_index("line").loc["All collisions", "current"] == 6
    assert table.attrs["message"].startswith("No comparison")


def test_monthly_table(collisions):
    monthly = collision_monthly_counts(collisions.data, CURRENT)
    assert monthly.index.tolist() == ["2023-05", "2023-06", "2023-07", "2023-08", "2023-09", "2023-10"]
    assert monthly["All collisions"].tolist() == [0, 1, 0, 1, 1, 1]


def test_points_prefer_the_grid_and_project_longitude_latitude(collisions):
    data = collisions.data.copy()
    data.loc[data["collision_id"].eq("2023411000007"), ["longitude", "latitude"]] = float("nan")
    data.loc[data["collision_id"].eq("2023411000007"), ["easting", "northing"]] = float("nan")
    points = collision_points(data).set_index("collision_id")
    assert points.crs.to_epsg() == 27700
    assert (points.loc["2022411000001", "geometry"].x, points.loc["2022411000001", "geometry"].y) == (515123, 207456)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(-0.336, 51.75)
    assert points.loc["2023411000004", "geometry"].x == pytest.approx(x)
    assert points.loc["2023411000004", "geometry"].y == pytest.approx(y)
    assert points.loc["2023411000007", "geometry"] is None


def test_local_export_value_error_names_file_column_values_and_row(tmp_path):
    path = tmp_path / "rtc.csv"
    path.write_text("Reference,Date,Severity,,Day,Day\n1,20170101,Slight,,1,Sunday\n2,20170102,Severe,,2,Monday\n")
    mapping = SourceMapping.model_validate({
        "path": "rtc.csv", "columns": {"collision_id": "Reference", "severity": "Severity"},
        "values": {"severity": {"Fatal": "fatal", "Serious": "serious", "Slight": "slight"}},
        "date": {"columns": "Date", "format": "%Y%m%d"}})
    with pytest.raises(InputDataError) as caught:
        load_collisions(path, mapping)
    message = str(caught.value)
    assert str(path) in message and "row 3" in message and "column 'Severity'" in message and "'Severe'" in message


# --- The real Cambridgeshire export -------------------------------------------------------------

def severity_counts(rows, first, last):
    """Collisions by severity between two YYYYMMDD dates, from the raw rows (header: Date, Severity)."""
    counts = {}
    for row in rows:
        if first <= row["Date"] <= last:
            counts[row["Severity"].lower()] = counts.get(row["Severity"].lower(), 0) + 1
    return counts


@pytest.mark.realdata
def test_cambridgeshire_severity_by_period_matches_the_raw_file():
    if not CAMBRIDGESHIRE.is_file():
        pytest.fail(f"real data not found at {CAMBRIDGESHIRE} (set CSP_REAL_DATA_DIR)")
    with CAMBRIDGESHIRE.open(encoding="cp1252", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [{"Date": r[header.index("Date")], "Severity": r[header.index("Severity")]} for r in reader]
    previous = severity_counts(rows, "20151101", "20161031")
    current = severity_counts(rows, "20161101", "20171031")
    assert previous == {"fatal": 29, "serious": 341, "slight": 1726}
    assert current == {"fatal": 37, "serious": 376, "slight": 1556}

    block = yaml.safe_load((ROOT / "config" / "examples" / "cambridgeshire-collisions.yml")
                           .read_text(encoding="utf-8"))["collisions"]
    mapping = SourceMapping.parse(block, "collisions")
    collisions, excluded = load_collisions(REAL_DATA / mapping.path, mapping)
    assert excluded.empty and len(collisions) == len(rows) == 12108
    table = collision_summary(collisions, Period.from_strings("2015-11", "2016-10"),
                              Period.from_strings("2016-11", "2017-10")).set_index("line")
    for level in ("fatal", "serious", "slight"):
        line = f"{level.capitalize()} collisions"
        assert table.loc[line, ["previous", "current"]].tolist() == [previous[level], current[level]]
    assert table.loc["KSI collisions", "current"] == current["fatal"] + current["serious"]
    assert table.loc["All collisions", "previous"] == sum(previous.values())
    assert "All casualties" not in table.index  # the export has no casualty counts
    assert collision_points(collisions)["geometry"].notna().all()
