"""Council casework on a tiny hand-made export, with expected values worked out by hand."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from csp_analysis.config.mapping import SourceMapping
from csp_analysis.errors import ConfigError
from csp_analysis.geo.selection import locate_in_wards
from csp_analysis.partners.casework import casework_summary, load_casework
from csp_analysis.periods import Period

EXPORT = """Ref,Opened,Type,Ward,E,N
C1,05/01/2024,ASB incident,North,,
C2,10/02/2024,Fly-tipping,South,500100,200100
C3,15/01/2025,ASB incident,North,,
C4,20/01/2025,ASB incident,south,,
C5,02/02/2025,Domestic abuse referral,North,,
C6,03/02/2025,Noise nuisance,,500900,200900
C7,03/02/2025,Noise nuisance,,,
C1,04/02/2025,Fly-tipping,North,,
C8,,Graffiti,North,,
"""

MAPPING = {
    "path": "casework.csv",
    "columns": {"case_id": "Ref", "case_type": "Type", "ward_name": "Ward", "easting": "E", "northing": "N"},
    "date": {"columns": ["Opened"], "format": "%d/%m/%Y"},
}


@pytest.fixture
def cases(tmp_path):
    path = tmp_path / "casework.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return load_casework(path, SourceMapping.model_validate(MAPPING))


def test_loader_excludes_with_reasons(cases):
    # C1 appears twice (second dropped), C8 has no date: 9 rows read, 7 kept
    assert len(cases.data) == 7
    assert cases.excluded_counts().to_dict() == {"duplicate case_id": 1, "missing date": 1}


def test_summary_worked_by_hand(cases):
    table = casework_summary(cases.data, Period.from_strings("2024-01", "2024-02"),
                             Period.from_strings("2025-01", "2025-02")).set_index("line")
    # Core types always listed first; others alphabetically after them
    assert list(table.index) == ["ASB incident", "Domestic abuse referral", "Safeguarding contact", "Fly-tipping",
                                 "Noise nuisance"]
    assert (table.loc["ASB incident", "previous"], table.loc["ASB incident", "current"]) == (1, 2)
    assert table.loc["ASB incident", "pct_change"] == 100.0
    assert (table.loc["Fly-tipping", "previous"], table.loc["Fly-tipping", "current"]) == (1, 0)
    assert table.loc["Safeguarding contact", "change_display"] == "Equal"  # 0 -> 0
    assert table.loc["Noise nuisance", "pct_change_display"] == "n/a"       # 0 -> 2
    assert (table["family"] == "case types").all()  # no case type sums others: one family
    # Fly-tipping 1 -> 0: no events in the current period, so the exact test, p = 1 (Bin(1, 1/2))
    assert table.loc["Fly-tipping", "test"] == "exact Poisson (no events in a period)"
    assert table.loc["Fly-tipping", "p_value"] == pytest.approx(1.0)


def test_cases_are_placed_by_point_then_by_ward_name(cases):
    wards = gpd.GeoDataFrame({"ward_code": ["W1", "W2"], "ward_name": ["North", "South"]},
                             geometry=[box(500500, 200500, 501000, 201000), box(500000, 200000, 500500, 200500)],
                             crs="EPSG:27700")
    placed = locate_in_wards(cases.data, wards, tolerance_m=250)
    by_id = placed.assign(case_id=cases.data["case_id"]).set_index("case_id")
    assert by_id.loc["C2", "ward_code"] == "W2" and by_id.loc["C2", "assignment"] == "within"
    assert by_id.loc["C6", "ward_code"] == "W1"                       # by its point, though no ward name
    assert by_id.loc["C4", "ward_code"] == "W2" and by_id.loc["C4", "assignment"] == "by_ward_field"  # "south"
    assert by_id.loc["C7", "assignment"] == "no_location"


def test_mapping_must_name_the_required_columns(tmp_path):
    bad = {**MAPPING, "columns": {"case_id": "Ref"}}
    with pytest.raises(ConfigError, match="case_type"):
        load_casework(tmp_path / "casework.csv", SourceMapping.model_validate(bad))
