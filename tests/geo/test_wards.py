"""Ward assignment, ward counts, the ward table and concentration."""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import box

from csp_analysis.categories import ALL_CRIME, ASB
from csp_analysis.geo.boundaries import (
    load_lsoa_population,
    load_lsoa_ward_lookup,
    load_lsoas,
    load_wards,
    ward_population,
)
from csp_analysis.geo.wards import (
    ASSIGNMENTS,
    LSOA_TABLE_COLUMNS,
    WARD_TABLE_COLUMNS,
    area_counts,
    assign_to_wards,
    concentration,
    lsoa_table,
    top_wards,
    ward_table,
)
from csp_analysis.methods.hotspots import NOT_SIGNIFICANT, NOT_TESTED, adjust_family

REPO_ROOT = Path(__file__).resolve().parents[2]
TO_WGS84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)

# Three 1 km squares in a row (west to east): W1 Abbey, W2 Bridge, W3 Castle.
X0, Y0 = 515_000, 205_000
WARDS = gpd.GeoDataFrame(
    {"ward_code": ["W1", "W2", "W3"], "ward_name": ["Abbey", "Bridge", "Castle"]},
    geometry=[box(X0 + 1000 * k, Y0, X0 + 1000 * (k + 1), Y0 + 1000) for k in range(3)],
    crs="EPSG:27700",
)


def records_at(xy, crime_types=None, index=None) -> pd.DataFrame:
    """police.uk-style records at British National Grid points (None for no location)."""
    lon, lat = [], []
    for point in xy:
        if point is None:
            lon.append(np.nan)
            lat.append(np.nan)
        else:
            x, y = TO_WGS84.transform(*point)
            lon.append(x)
            lat.append(y)
    frame = pd.DataFrame({"Longitude": lon, "Latitude": lat}, index=index)
    if crime_types is not None:
        frame["Crime type"] = crime_types
    return frame


# --- assignment rules on a hand-made fixture -----------------------------------------------------


def test_assignment_rules():
    records = records_at(
        [
            (X0 + 500, Y0 + 500),  # inside W1
            (X0 + 2500, Y0 + 200),  # inside W3
            (X0 + 1500, Y0 + 1100),  # 100 m north of W2
            (X0 - 240, Y0 + 500),  # 240 m west of W1
            (X0 + 1500, Y0 + 1400),  # 400 m north of W2: beyond 250 m
            None,  # no coordinates
        ],
        index=["a", "b", "c", "d", "e", "f"],
    )
    result = assign_to_wards(records, WARDS, tolerance_m=250)
    assert result.index.tolist() == ["a", "b", "c", "d", "e", "f"]
    assert result["assignment"].tolist() == [
        "within", "within", "nearest", "nearest", "beyond_tolerance", "no_location"
    ]
    assert result["ward_code"].tolist()[:4] == ["W1", "W3", "W2", "W1"]
    assert result["ward_name"].tolist()[:4] == ["Abbey", "Castle", "Bridge", "Abbey"]
    assert result["ward_code"].iloc[4:].isna().all()
    assert result["distance_m"].iloc[:4].tolist() == pytest.approx([0, 0, 100, 240], abs=0.01)
    assert result["distance_m"].iloc[4:].isna().all()


def test_tolerance_is_respected_and_nothing_is_dropped():
    records = records_at([(X0 + 1500, Y0 + 1100), (X0 + 1500, Y0 - 300)])
    assert assign_to_wards(records, WARDS, tolerance_m=50)["assignment"].tolist() == ["beyond_tolerance"] * 2
    assert assign_to_wards(records, WARDS, tolerance_m=350)["assignment"].tolist() == ["nearest"] * 2


def test_bad_coordinates_are_no_location_and_duplicate_index_is_kept():
    x, y = TO_WGS84.transform(X0 + 500, Y0 + 500)
    records = pd.DataFrame({"Longitude": [x, "", x, None], "Latitude": [y, y, "n/a", y]}, index=[7, 7, 8, 8])
    result = assign_to_wards(records, WARDS)
    assert result.index.tolist() == [7, 7, 8, 8]
    assert result["assignment"].tolist() == ["within", "no_location", "no_location", "no_location"]


def test_point_on_a_shared_edge_goes_to_the_lowest_code():
    # the edge x = X0 + 1000 is shared by W1 and W2; build the point in WGS84 exactly on it after projection
    shared = WARDS.iloc[[0, 1]].copy()
    lon, lat = TO_WGS84.transform(X0 + 1000, Y0 + 500)
    x, _ = TO_BNG.transform(lon, lat)
    shared.geometry = [box(X0, Y0, x, Y0 + 1000), box(x, Y0, X0 + 2000, Y0 + 1000)]
    shuffled = shared.iloc[::-1]  # order of the ward file must not matter
    result = assign_to_wards(pd.DataFrame({"Longitude": [lon], "Latitude": [lat]}), shuffled)
    assert result["assignment"].iloc[0] == "within"
    assert result["ward_code"].iloc[0] == "W1"


# --- counts, rates, Gi* table and concentration -------------------------------------------------


def test_ward_counts_every_ward_and_all_crime_excludes_asb():
    assigned = pd.DataFrame(
        {
            "ward_code": ["W1", "W1", "W1", "W3", None],
            "Crime type": ["Burglary", ASB, "Robbery", "Burglary", "Burglary"],
        }
    )
    counts = area_counts(assigned, WARDS)
    assert counts.index.tolist() == ["W1", "W2", "W3"]
    assert counts.loc["W1", "Burglary"] == 1 and counts.loc["W3", "Burglary"] == 1
    assert counts.loc["W1", ASB] == 1
    assert counts[ALL_CRIME].tolist() == [2, 0, 1]  # the unassigned burglary is not in any ward
    assert counts.loc["W2"].sum() == 0


def test_ward_counts_refuses_unknown_categories():
    assigned = pd.DataFrame({"ward_code": ["W1"], "Crime type": ["Violent crime"]})
    with pytest.raises(ValueError, match="Violent crime"):
        area_counts(assigned, WARDS)
    with pytest.raises(ValueError, match="1 records have no 'Crime type'"):
        area_counts(pd.DataFrame({"ward_code": ["W1"], "Crime type": [None]}), WARDS)


def test_ward_table_rates_per_1000_and_changes():
    previous = pd.DataFrame({"ward_code": ["W1"] * 8 + ["W2"] * 3, "Crime type": ["Burglary"] * 11})
    current = pd.DataFrame(
        {"ward_code": ["W1"] * 10 + ["W2"] * 3 + ["W3"] * 4, "Crime type": ["Burglary"] * 16 + [ASB]}
    )
    population = pd.DataFrame({"ward_code": ["W1", "W2", "W3"], "population": [2000, 500, np.nan]})
    table = ward_table(area_counts(previous, WARDS), area_counts(current, WARDS), WARDS, population,
                       tested=["Burglary"], small_count=10, permutations=99)
    assert list(table.columns) == list(WARD_TABLE_COLUMNS[:-2])  # adjust_family adds the last two
    (table,) = adjust_family([table])
    assert list(table.columns) == list(WARD_TABLE_COLUMNS)
    assert len(table) == 3 * 15
    burglary = table[table["category"] == "Burglary"].set_index("ward_code")
    assert burglary["previous"].tolist() == [8, 3, 0]
    assert burglary["current"].tolist() == [10, 3, 3]
    assert burglary["change"].tolist() == [2, 0, 3]
    # 2 / 8 = +25%; 0 / 3 = 0%; previous 0 -> n/a (missing, never infinite)
    assert burglary.loc["W1", "pct_change"] == pytest.approx(25.0)
    assert burglary.loc["W2", "pct_change"] == 0
    assert np.isnan(burglary.loc["W3", "pct_change"])
    # fewer than 10 in either period: W1 (8 before), W2 and W3; a flag on every row of every category
    assert burglary["small_count"].tolist() == [True, True, True]
    assert table["small_count"].all()
    wide = ward_table(area_counts(previous, WARDS), area_counts(current, WARDS), WARDS, population, small_count=3)
    assert wide[wide["category"] == "Burglary"]["small_count"].tolist() == [False, False, True]  # 0 before in W3
    # 10 / 2,000 * 1,000 = 5; 3 / 500 * 1,000 = 6; no population -> missing
    assert burglary.loc["W1", "rate_per_1000"] == pytest.approx(5.0)
    assert burglary.loc["W2", "rate_per_1000"] == pytest.approx(6.0)
    assert np.isnan(burglary.loc["W3", "rate_per_1000"])
    all_crime = table[table["category"] == ALL_CRIME]
    assert all_crime["current"].tolist() == [10, 3, 3]  # the ASB record is excluded
    # Gi* only on the tested category: the others are "Not tested", with no statistic
    assert set(burglary["hotspot_class"]) <= {"Hot spot", "Cold spot", NOT_SIGNIFICANT}
    assert burglary["gi_tested"].all()
    assert burglary["gi_z"].isna().tolist() == [False, True, False]  # W2's neighbourhood is every ward: no z
    assert burglary["gi_neighbourhood"].tolist() == [13, 16, 6]  # W1+W2, all three, W2+W3
    others = table[table["category"] != "Burglary"]
    assert (others["hotspot_class"] == NOT_TESTED).all() and others["gi_p"].isna().all()


def test_lsoa_table_names_the_ward_holding_each_lsoa():
    # Six 500 m LSOAs, two per ward (west and east halves of each 1 km ward square).
    lsoas = gpd.GeoDataFrame(
        {"lsoa_code": [f"E0100000{k}" for k in range(6)], "lsoa_name": [f"Test {k:03d}A" for k in range(6)]},
        geometry=[box(X0 + 500 * k, Y0, X0 + 500 * (k + 1), Y0 + 1000) for k in range(6)], crs="EPSG:27700")
    records = pd.DataFrame({"lsoa_code": ["E01000000"] * 3 + ["E01000005"] * 12, "Crime type": ["Drugs"] * 15})
    population = pd.DataFrame({"lsoa_code": lsoas["lsoa_code"], "population": [1500.0] * 6})
    table = lsoa_table(area_counts(records.head(3), lsoas, code="lsoa_code"),
                       area_counts(records, lsoas, code="lsoa_code"), lsoas, population, WARDS,
                       tested=["Drugs"], permutations=99)
    (table,) = adjust_family([table])
    assert list(table.columns) == list(LSOA_TABLE_COLUMNS)
    drugs = table[table["category"] == "Drugs"].set_index("lsoa_code")
    assert drugs["ward_name"].tolist() == ["Abbey", "Abbey", "Bridge", "Bridge", "Castle", "Castle"]
    assert drugs["current"].tolist() == [3, 0, 0, 0, 0, 12]
    assert drugs.loc["E01000005", "rate_per_1000"] == pytest.approx(8.0)  # 12 / 1,500 x 1,000
    assert drugs.loc["E01000005", "gi_neighbourhood"] == 12  # with its one neighbour, E01000004 (0)
    no_rates = lsoa_table(area_counts(records, lsoas, code="lsoa_code"), area_counts(records, lsoas, code="lsoa_code"),
                          lsoas, None, WARDS)
    assert no_rates["rate_per_1000"].isna().all() and not no_rates["gi_tested"].any()


def test_top_wards_and_concentration():
    table = pd.DataFrame(
        {
            "ward_code": ["W1", "W2", "W3", "W4"],
            "ward_name": ["Abbey", "Bridge", "Castle", "Dock"],
            "category": "Robbery",
            "current": [10, 50, 30, 10],
        }
    )
    top = top_wards(table, "Robbery", n=3)
    # 50 / 100, 30 / 100, then the 10-10 tie goes to Abbey by name
    assert top["ward_name"].tolist() == ["Bridge", "Castle", "Abbey"]
    assert top["share_pct"].tolist() == pytest.approx([50, 30, 10])
    assert top["cumulative_share_pct"].tolist() == pytest.approx([50, 80, 90])
    assert concentration(table, "Robbery", n=2) == pytest.approx(80)
    with pytest.raises(ValueError, match="Burglary"):
        top_wards(table, "Burglary")


# --- real data: St Albans, 2021 -------------------------------------------------------------------


@pytest.fixture(scope="module")
def hertfordshire_2021(real_data) -> pd.DataFrame:
    months = [f"2021-{m:02d}" for m in range(1, 13)]
    files = [real_data / "police-uk" / m / f"{m}-hertfordshire-street.csv" for m in months]
    return pd.concat([pd.read_csv(f) for f in files], ignore_index=True)


@pytest.fixture(scope="module")
def st_albans_wards(real_data) -> gpd.GeoDataFrame:
    return load_wards(real_data / "boundaries" / "st-albans-wards-2013.geojson")


def independent_assignment(records: pd.DataFrame, wards: gpd.GeoDataFrame, tolerance_m: float) -> pd.Series:
    """Ward code per record re-derived with plain shapely: covered by a polygon (lowest code on an
    edge), else the nearest polygon within the tolerance (lowest code on a tie), else missing."""
    x, y = TO_BNG.transform(records["Longitude"].to_numpy(float), records["Latitude"].to_numpy(float))
    polygons = wards.sort_values("ward_code")
    codes = np.full(len(records), None, dtype=object)
    best = np.full(len(records), np.inf)
    for code, polygon in zip(polygons["ward_code"], polygons.geometry):
        inside = shapely.intersects_xy(polygon, x, y) & (best > 0)
        codes[inside], best[inside] = code, 0.0
    outside = np.flatnonzero(np.isfinite(x) & (best > 0))
    points = shapely.points(x[outside], y[outside])
    for code, polygon in zip(polygons["ward_code"], polygons.geometry):
        distance = shapely.distance(polygon, points)
        closer = (distance <= tolerance_m) & (distance < best[outside])
        codes[outside[closer]], best[outside[closer]] = code, distance[closer]
    return pd.Series(codes, index=records.index, name="ward_code")


@pytest.mark.realdata
def test_real_st_albans_records_all_accounted_for(hertfordshire_2021, st_albans_wards):
    district = hertfordshire_2021[hertfordshire_2021["LSOA name"].str.startswith("St Albans ", na=False)]
    assigned = assign_to_wards(district, st_albans_wards)
    by_assignment = assigned["assignment"].value_counts()
    assert set(by_assignment.index) <= set(ASSIGNMENTS)
    assert by_assignment.sum() == len(district) == 10_620

    counts = area_counts(district.join(assigned), st_albans_wards)
    unassigned = assigned["ward_code"].isna().sum()
    assert counts.drop(columns=ALL_CRIME).to_numpy().sum() + unassigned == len(district)

    expected = independent_assignment(district, st_albans_wards, tolerance_m=250)
    assert assigned["ward_code"].fillna("-").equals(expected.fillna("-"))
    per_ward = expected.value_counts().reindex(st_albans_wards["ward_code"], fill_value=0)
    assert counts.drop(columns=ALL_CRIME).sum(axis=1).tolist() == per_ward.tolist()


@pytest.mark.realdata
def test_real_force_wide_points_nearest_rule(hertfordshire_2021, st_albans_wards):
    # Force-wide points include neighbouring districts, some within 250 m of St Albans: the nearest rule bites.
    assigned = assign_to_wards(hertfordshire_2021, st_albans_wards)
    assert assigned["assignment"].value_counts().reindex(ASSIGNMENTS, fill_value=0).sum() == len(hertfordshire_2021)
    assert (assigned["assignment"] == "no_location").sum() == hertfordshire_2021["Longitude"].isna().sum()
    nearest = assigned["assignment"] == "nearest"
    assert nearest.sum() > 0
    assert assigned.loc[nearest, "distance_m"].between(0, 250).all()

    # re-derive for the points near the district (a point farther than 250 m from its bounding box can match nothing)
    xmin, ymin, xmax, ymax = st_albans_wards.total_bounds
    lon, lat = hertfordshire_2021["Longitude"].to_numpy(float), hertfordshire_2021["Latitude"].to_numpy(float)
    x, y = TO_BNG.transform(lon, lat)
    near = (x > xmin - 250) & (x < xmax + 250) & (y > ymin - 250) & (y < ymax + 250)
    expected = independent_assignment(hertfordshire_2021[near], st_albans_wards, tolerance_m=250)
    assert assigned.loc[near, "ward_code"].fillna("-").equals(expected.fillna("-"))
    assert assigned.loc[~near, "ward_code"].isna().all()


@pytest.mark.realdata
def test_real_ward_table_for_st_albans(real_data, hertfordshire_2021, st_albans_wards):
    district = hertfordshire_2021[hertfordshire_2021["LSOA name"].str.startswith("St Albans ", na=False)]
    assigned = district.join(assign_to_wards(district, st_albans_wards))
    first_half = assigned["Month"] <= "2021-06"
    population = ward_population(
        load_lsoa_ward_lookup(real_data / "lookups" / "lsoa11-to-ward17-hertfordshire.csv"),
        load_lsoa_population(real_data / "population" / "census-2011-lsoa-population-hertfordshire.csv"),
        st_albans_wards,
    )
    table = ward_table(
        area_counts(assigned[first_half], st_albans_wards),
        area_counts(assigned[~first_half], st_albans_wards),
        st_albans_wards,
        population,
        tested=[ALL_CRIME],
        permutations=99,
    )
    all_crime = table[table["category"] == ALL_CRIME]
    crimes = district["Crime type"] != ASB
    assert all_crime["previous"].sum() == (crimes & (district["Month"] <= "2021-06")).sum()
    assert all_crime["current"].sum() == (crimes & (district["Month"] > "2021-06")).sum()
    district_rate = 1000 * all_crime["current"].sum() / 140_664
    weighted = (all_crime["rate_per_1000"] * population["population"].to_numpy()).sum() / 140_664
    assert weighted == pytest.approx(district_rate)


@pytest.mark.realdata
def test_real_st_albans_lsoas_are_contiguous(real_data, hertfordshire_2021, st_albans_wards):
    # The 87 St Albans LSOAs touch without sharing vertices: vertex-based queen contiguity finds no
    # neighbour for any of them; the 1 m tolerance finds the neighbours (2 to 14 each) and no island.
    from csp_analysis.methods.hotspots import contiguity_weights

    lsoas = load_lsoas(real_data / "boundaries" / "st-albans-lsoa-2011.geojson")
    assert len(lsoas) == 87 and lsoas["lsoa_name"].str.startswith("St Albans ").all()
    w, islands = contiguity_weights(lsoas)
    assert islands == {} and min(w.cardinalities.values()) == 2 and max(w.cardinalities.values()) == 14
    district = hertfordshire_2021[hertfordshire_2021["LSOA name"].str.startswith("St Albans ", na=False)]
    counts = area_counts(district.rename(columns={"LSOA code": "lsoa_code"}), lsoas, code="lsoa_code")
    assert counts.drop(columns=ALL_CRIME).to_numpy().sum() == len(district)  # every record has one of the 87


def test_the_ward_table_without_population_has_counts_and_no_rates():
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    from csp_analysis.geo.wards import ward_table

    wards = gpd.GeoDataFrame({"ward_code": ["A", "B", "C"], "ward_name": ["a", "b", "c"]},
                             geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)], crs=27700)
    previous = pd.DataFrame({"Burglary": [1, 2, 3]}, index=["A", "B", "C"])
    current = pd.DataFrame({"Burglary": [2, 2, 6]}, index=["A", "B", "C"])
    table = ward_table(previous, current, wards, None, permutations=999)
    assert table["change"].tolist() == [1, 0, 3] and table["rate_per_1000"].isna().all()
