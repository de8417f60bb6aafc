"""The synthetic demonstration dataset: deterministic, police.uk/ONS/IRS/STATS19/council formats,
planted patterns, and the partner files read by the project's own loaders."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from scipy import stats

from csp_analysis.categories import ASB, POLICE_UK_CATEGORIES
from csp_analysis.config.mapping import SourceMapping
from csp_analysis.demo import DEMO_VERSION, ensure, generate, roads
from csp_analysis.demo.casework import FLY_TIPPING_WARDS
from csp_analysis.demo.fire import DELIBERATE_FIRE_WARDS
from csp_analysis.methods.change import poisson_change_p_value
from csp_analysis.partners.collisions import load_stats19, load_stats19_casualties
from csp_analysis.partners.fire import fire_summary, load_fire_incidents
from csp_analysis.partners.mapping import load_mapped
from csp_analysis.periods import Period

STREET_COLUMNS = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                  "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
OUTCOME_COLUMNS = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                   "LSOA code", "LSOA name", "Outcome type"]
POLICE_UK_OUTCOMES = {
    "Investigation complete; no suspect identified", "Unable to prosecute suspect", "Under investigation",
    "Status update unavailable", "Awaiting court outcome", "Court result unavailable", "Local resolution",
    "Offender given a caution", "Action to be taken by another organisation", "Suspect charged",
    "Formal action is not in the public interest", "Further investigation is not in the public interest",
    "Further action is not in the public interest", "Suspect charged as part of another case",
}
MONTHS = [str(p) for p in pd.period_range("2023-01", "2025-12", freq="M")]
YEARS = (2023, 2024, 2025)
DISTRICTS = {"X07000001": "Northbridge", "X07000002": "Eastmere", "X07000003": "Westford"}
FIRE_PATH = "fire/demoshire-fire-incidents.csv"
COLLISION_PATH = "collisions/dft-road-casualty-statistics-collision-demoshire.csv"
CASUALTY_PATH = "collisions/dft-road-casualty-statistics-casualty-demoshire.csv"
CASEWORK_PATH = "casework/northbridge-cpt-casework.csv"
#: The real Avon Fire & Rescue export's header, column for column.
FIRE_COLUMNS = [
    "Day", "Month", "Year", "Time of Call", "Incident Number", "X Coordinate", "Y Coordinate", "Unitary Authority",
    "Ward", "Origin of Call", "Incident Category", "Property Category", "Property Type", "Is Primary Fire",
    "Cause of Fire", "Is Property Derelict?", "Is Property Occupied at the Incident?", "Property Normally Occupied?",
    "Is Fire Confined to Chimney?", "How Fire Was Discovered?", "Main Cause of Fire", "Ignition Source",
    "Ignition Source Powered", "Item First Damaged", "Item Responsible for Spread of Fire",
    "Main action by Other Than FRS", "Main Action by FRS", "Special Service Type", "Road Traffic Collision",
    "False Alarm Reason", "Victims Involved?", "Were Alarm Systems Present?", "No. of fatalities",
    "No. of fire fatalities", "No. of injuries", "No. of rescues",
]
COLLISION_COLUMNS = [
    "collision_index", "collision_year", "collision_ref_no", "location_easting_osgr", "location_northing_osgr",
    "longitude", "latitude", "police_force", "collision_severity", "number_of_vehicles", "number_of_casualties",
    "date", "day_of_week", "time", "local_authority_district", "local_authority_ons_district",
    "local_authority_highway", "first_road_class", "first_road_number", "road_type", "speed_limit",
    "junction_detail", "junction_control", "second_road_class", "second_road_number", "light_conditions",
    "weather_conditions", "road_surface_conditions", "special_conditions_at_site", "carriageway_hazards",
    "urban_or_rural_area", "did_police_officer_attend_scene_of_accident", "trunk_road_flag",
    "lsoa_of_accident_location", "enhanced_severity_collision", "collision_injury_based",
]
CASUALTY_COLUMNS = [
    "collision_index", "collision_year", "collision_ref_no", "vehicle_reference", "casualty_reference",
    "casualty_class", "sex_of_casualty", "age_of_casualty", "age_band_of_casualty", "casualty_severity",
    "pedestrian_location", "pedestrian_movement", "car_passenger", "bus_or_coach_passenger",
    "pedestrian_road_maintenance_worker", "casualty_type", "casualty_imd_decile", "lsoa_of_casualty",
    "enhanced_casualty_severity", "casualty_injury_based", "casualty_distance_banding",
]
CASEWORK_COLUMNS = ["Case Ref", "Date Opened", "Date Closed", "Case Type", "Source", "Ward", "Location", "Easting",
                    "Northing", "Status", "Outcome"]
#: The mapping of config/examples/avon-fire.yml, for the demo export: UTF-8, and the districts
#: already carry their names (so no value map for them).
FIRE_MAPPING = {
    "path": FIRE_PATH,
    "columns": {
        "incident_id": "Incident Number", "incident_category": "Incident Category",
        "is_primary_fire": "Is Primary Fire", "property_class": "Property Category",
        "is_derelict": "Is Property Derelict?", "is_chimney": "Is Fire Confined to Chimney?",
        "cause": "Cause of Fire", "is_rtc": "Road Traffic Collision", "injuries": "No. of injuries",
        "fatalities": "No. of fatalities", "fire_fatalities": "No. of fire fatalities", "rescues": "No. of rescues",
        "ward_name": "Ward", "district": "Unitary Authority", "easting": "X Coordinate", "northing": "Y Coordinate",
    },
    "values": {
        "incident_category": {"Fire": "fire", "False Alarm": "false alarm", "Special Service": "special service"},
        "is_primary_fire": {"yes": True, "no": False},
        "is_derelict": {"yes": True, "no": False},
        "is_chimney": {"yes": True, "no": False},
        "is_rtc": {"yes": True, "no": False},
        "cause": {"Accidental": "accidental", "Deliberate \u2013 others property": "deliberate",
                  "Deliberate \u2013 own property": "deliberate", "Deliberate \u2013 unknown owner": "deliberate",
                  "Not known": "not known"},
        "property_class": {"Dwelling": "building", "OtherResidential": "building", "NonResidential": "building",
                           "RoadVehicle": "vehicle", "Boat": "vehicle", "Aircraft": "vehicle",
                           "OutdoorStructure": "outdoor structure", "Outdoor": "outdoor"},
    },
    "date": {"columns": ["Day", "Month", "Year"], "format": "%d %B %Y"},
    "time": {"columns": ["Time of Call"], "format": "%H:%M:%S"},
}
CASEWORK_MAPPING = {
    "path": CASEWORK_PATH,
    "columns": {"case_id": "Case Ref", "case_type": "Case Type", "ward_name": "Ward", "easting": "Easting",
                "northing": "Northing", "outcome": "Outcome"},
    "date": {"columns": ["Date Opened"], "format": "%d/%m/%Y"},
}
PREVIOUS, CURRENT = Period.from_strings("2024-01", "2024-12"), Period.from_strings("2025-01", "2025-12")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("demo") / "a")


@pytest.fixture(scope="module")
def second(tmp_path_factory) -> Path:
    """A second copy, made through ensure() into an empty folder."""
    return ensure(tmp_path_factory.mktemp("demo") / "b")


def _read(paths) -> pd.DataFrame:
    return pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(paths)], ignore_index=True)


@pytest.fixture(scope="module")
def street(demo) -> pd.DataFrame:
    frame = _read(demo.glob("police-uk/*/*-demoshire-street.csv"))
    return frame.assign(district=frame["LSOA name"].str.replace(r" \d{3}[A-Z]$", "", regex=True),
                        year=frame["Month"].str[:4])


@pytest.fixture(scope="module")
def outcomes(demo) -> pd.DataFrame:
    return _read(demo.glob("police-uk/*/*-demoshire-outcomes.csv"))


def test_two_runs_are_byte_identical(demo, second):
    files = sorted(p.relative_to(demo) for p in demo.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len(files) == 2 * 36 + 10
    for f in files:
        assert (demo / f).read_bytes() == (second / f).read_bytes(), f


def test_36_months_in_police_uk_layout(demo):
    assert sorted(p.name for p in (demo / "police-uk").iterdir()) == MONTHS
    for month in MONTHS:
        street = pd.read_csv(demo / f"police-uk/{month}/{month}-demoshire-street.csv", nrows=1)
        assert list(street.columns) == STREET_COLUMNS
        outcomes = pd.read_csv(demo / f"police-uk/{month}/{month}-demoshire-outcomes.csv", nrows=1)
        assert list(outcomes.columns) == OUTCOME_COLUMNS
    assert (demo / "DEMO_VERSION").read_text().strip() == DEMO_VERSION
    assert "synthetic" in (demo / "README.md").read_text()


def test_categories_are_the_14_police_uk_ones(street):
    assert set(street["Crime type"]) == set(POLICE_UK_CATEGORIES)
    assert set(street["Reported by"]) == set(street["Falls within"]) == {"Demoshire Constabulary"}


def test_asb_has_no_crime_id_or_outcome_and_crimes_have_hex_ids(street):
    asb = street[street["Crime type"] == ASB]
    assert (asb["Crime ID"] == "").all() and (asb["Last outcome category"] == "").all()
    crimes = street[street["Crime type"] != ASB]
    assert crimes["Crime ID"].str.fullmatch(r"[0-9a-f]{64}").all() and crimes["Crime ID"].is_unique
    assert set(crimes["Last outcome category"]) <= POLICE_UK_OUTCOMES


def test_lsoa_names_and_real_data_quirks(street):
    located = street[street["LSOA name"] != ""]
    assert located["LSOA name"].str.fullmatch(r"(Northbridge|Eastmere|Westford|Farbury) \d{3}[A-Z]").all()
    assert located["Longitude"].str.fullmatch(r"-?\d\.\d{6}").all()
    unlocated = street[street["LSOA name"] == ""]
    assert (unlocated["Location"] == "No Location").all() and (unlocated["Longitude"] == "").all()
    assert 0.01 < len(unlocated) / len(street) < 0.02
    assert 0 < (street["district"] == "Farbury").sum() < 0.01 * len(street)


def test_records_per_district_and_year(street):
    counts = street.groupby(["district", "year"]).size()
    for district in ("Northbridge", "Eastmere", "Westford"):
        for year in ("2023", "2024", "2025"):
            assert 10_000 <= counts[district, year] <= 12_000
    northbridge = street[street["district"] == "Northbridge"]
    assert 0.2 < (northbridge["Crime type"] == ASB).mean() < 0.3


def test_planted_year_on_year_changes(street):
    northbridge = street[street["district"] == "Northbridge"]
    counts = pd.crosstab(northbridge["Crime type"], northbridge["year"])
    change = counts["2025"] / counts["2024"] - 1
    assert change["Shoplifting"] > 0.10
    assert change["Burglary"] < -0.10
    assert change["Robbery"] > 0.15
    assert change.drop(["Shoplifting", "Burglary", "Robbery"]).abs().max() < 0.08


def _bh(p: list[float]) -> list[float]:
    """Benjamini-Hochberg written out: p * m / rank, then the running minimum from the largest p."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    adjusted, smallest = [0.0] * len(p), 1.0
    for rank in range(len(p), 0, -1):
        smallest = min(smallest, p[order[rank - 1]] * len(p) / rank)
        adjusted[order[rank - 1]] = smallest
    return adjusted


def _matched_dispersion(before: np.ndarray, after: np.ndarray) -> float:
    """Pearson X2 / (k - 1) of a year against the year before, month by month (equal days in a pair
    but February 2024): each pair's events N split pi = Y_after / (Y_before + Y_after)."""
    pi = after.sum() / (before.sum() + after.sum())
    n = before + after
    return float(((after - n * pi) ** 2 / (n * pi * (1 - pi))).sum() / (len(n) - 1))


@pytest.fixture(scope="module")
def northbridge_monthly(street) -> pd.DataFrame:
    northbridge = street[street["district"] == "Northbridge"]
    return pd.crosstab(northbridge["Month"], northbridge["Crime type"])


def test_monthly_counts_are_seasonal_and_over_dispersed(northbridge_monthly):
    """Summer peaks for ASB and violence, winter peaks for burglary and vehicle crime; the months of
    ASB vary several times more than Poisson counts, robbery's about as much."""
    monthly = northbridge_monthly
    month = monthly.index.str[5:].astype(int)
    summer, winter = month.isin([6, 7, 8]), month.isin([12, 1, 2])
    for category in (ASB, "Violence and sexual offences"):
        assert monthly.loc[summer, category].mean() > 1.1 * monthly.loc[winter, category].mean(), category
    for category in ("Burglary", "Vehicle crime"):
        assert monthly.loc[winter, category].mean() > 1.1 * monthly.loc[summer, category].mean(), category
    y2024, y2025 = monthly[monthly.index.str.startswith("2024")], monthly[monthly.index.str.startswith("2025")]
    dispersion = {c: _matched_dispersion(y2024[c].to_numpy(), y2025[c].to_numpy()) for c in monthly.columns}
    assert dispersion[ASB] > 2.5
    assert dispersion["Robbery"] < 2
    assert np.mean(list(dispersion.values())) > 1.3  # over-dispersed on the whole, not only ASB
    # Half a year against the half before, one rate each: the season counts as variation too (St Albans: ASB 7.3)
    first, second = y2025.iloc[:6][ASB].to_numpy(), y2025.iloc[6:][ASB].to_numpy()
    x2 = sum(((y - y.mean()) ** 2 / y.mean()).sum() for y in (first, second))  # months of near-equal length
    assert x2 / 10 > 4


def test_the_shoplifting_rise_is_significant_only_if_over_dispersion_is_ignored(street, northbridge_monthly):
    """2025 against 2024, the 14 lines (13 crime types and ASB) as one Benjamini-Hochberg family.

    Exact test on the yearly totals (366 and 365 days): shoplifting's rise survives the adjustment.
    Quasi-Poisson with the months matched (phi = X2 / 11 over the month pairs, se = sqrt(phi (1/Y_2024
    + 1/Y_2025)), t on 11 degrees of freedom): it does not, and neither does any other line; the
    crime performance table says the same."""
    from csp_analysis.sections.crime_performance import performance_table

    monthly = northbridge_monthly
    y2024, y2025 = monthly[monthly.index.str.startswith("2024")], monthly[monthly.index.str.startswith("2025")]
    lines = list(monthly.columns)
    exact = [stats.binomtest(int(y2025[c].sum()), int(y2024[c].sum() + y2025[c].sum()), 365 / 731).pvalue
             for c in lines]
    quasi = []
    for c in lines:
        before, after = y2024[c].to_numpy(), y2025[c].to_numpy()
        phi = _matched_dispersion(before, after)
        rate_ratio = after.sum() / before.sum()  # months matched, equal days in each pair (29 February aside)
        se = np.sqrt(max(phi, 1.0) * (1 / before.sum() + 1 / after.sum()))
        quasi.append(2 * stats.t.sf(abs(np.log(rate_ratio)) / se, 11))
    exact_adjusted, quasi_adjusted = dict(zip(lines, _bh(exact))), dict(zip(lines, _bh(quasi)))
    quasi = dict(zip(lines, quasi))
    assert exact_adjusted["Shoplifting"] < 0.01
    assert min(quasi_adjusted.values()) > 0.05
    table = performance_table(street[street["district"] == "Northbridge"], PREVIOUS, CURRENT).set_index("category")
    assert table.loc["Shoplifting", "test"] == "quasi-Poisson (same months)"
    # the hand formula takes equal days in every pair; 29 February 2024 moves p a little (0.021 against 0.019)
    assert table.loc["Shoplifting", "p_value"] == pytest.approx(quasi["Shoplifting"], rel=0.15)
    assert not table["significant"].any()


def test_outcomes_follow_their_crimes(street, outcomes):
    assert (outcomes["Crime ID"] != "").all()
    assert set(outcomes["Outcome type"]) <= POLICE_UK_OUTCOMES
    matched = outcomes.merge(street[["Crime ID", "Month"]], on="Crime ID", suffixes=("", "_crime"))
    assert len(matched) > 0.8 * len(outcomes)  # the rest belong to crimes of 2022
    assert (matched["Month"] >= matched["Month_crime"]).all()


def test_wards_are_valid_and_do_not_overlap(demo):
    wards = gpd.read_file(demo / "boundaries/northbridge-wards.geojson")
    assert wards.crs.to_epsg() == 27700
    assert list(wards.columns) == ["WD22CD", "WD22NM", "geometry"] and len(wards) == 14
    assert wards["WD22CD"].str.fullmatch(r"X05\d{6}").all()
    assert wards.is_valid.all()
    assert abs(wards.area.sum() - wards.union_all().area) < 1.0  # square metres


def test_northbridge_lsoas_lie_in_their_looked_up_ward(demo):
    wards = gpd.read_file(demo / "boundaries/northbridge-wards.geojson").set_index("WD22CD")
    lsoas = gpd.read_file(demo / "boundaries/demoshire-lsoa.geojson")
    lookup = pd.read_csv(demo / "lookups/lsoa21-to-ward22-demoshire.csv", dtype=str)
    assert list(lookup.columns) == ["LSOA21CD", "LSOA21NM", "WD22CD", "WD22NM", "LAD22CD", "LAD22NM"]
    assert lsoas.crs.to_epsg() == 27700 and set(lsoas["LSOA21CD"]) == set(lookup["LSOA21CD"])
    northbridge = lookup[lookup["LAD22NM"] == "Northbridge"].merge(lsoas, on=["LSOA21CD", "LSOA21NM"])
    assert 70 <= len(northbridge) <= 90
    for row in northbridge.itertuples():
        assert wards.geometry[row.WD22CD].contains(row.geometry.representative_point()), row.LSOA21NM
    assert northbridge["WD22NM"].eq(northbridge["WD22CD"].map(wards["WD22NM"])).all()


def test_population_in_intended_range(demo):
    population = pd.read_csv(demo / "population/demoshire-lsoa-population.csv")
    assert list(population.columns)[:9] == [
        "Region code", "Region name", "Local authority code", "Local authority name", "MSOA Code",
        "MSOA Name", "LSOA Code", "LSOA Name", "All usual residents"]
    assert population["All usual residents"].between(1300, 2000).all()
    totals = population.groupby("Local authority name")["All usual residents"].sum()
    assert 120_000 <= totals["Northbridge"] <= 140_000
    assert totals.drop("Northbridge").between(110_000, 150_000).all()


def test_ensure_regenerates_only_on_version_change(second):
    stamp = second / "DEMO_VERSION"
    probe = second / "police-uk/2025-12/2025-12-demoshire-street.csv"
    before = probe.stat().st_mtime_ns
    assert ensure(second) == second
    assert probe.stat().st_mtime_ns == before

    stamp.write_text("0-outdated\n")
    ensure(second)
    assert probe.stat().st_mtime_ns != before
    assert stamp.read_text().strip() == DEMO_VERSION


# --- Partner sources: fire and rescue, STATS19 collisions, council casework ----------------------

@pytest.fixture(scope="module")
def geography(demo) -> gpd.GeoDataFrame:
    """Every LSOA of the force area with its ward and district."""
    lsoas = gpd.read_file(demo / "boundaries/demoshire-lsoa.geojson")
    lookup = pd.read_csv(demo / "lookups/lsoa21-to-ward22-demoshire.csv", dtype=str)
    return lsoas.merge(lookup, on=["LSOA21CD", "LSOA21NM"])


@pytest.fixture(scope="module")
def fire(demo):
    return load_fire_incidents(demo / FIRE_PATH, SourceMapping.parse(FIRE_MAPPING, "fire"))


@pytest.fixture(scope="module")
def collisions(demo):
    return load_stats19(demo / COLLISION_PATH)


@pytest.fixture(scope="module")
def casualties(demo):
    return load_stats19_casualties(demo / CASUALTY_PATH)


@pytest.fixture(scope="module")
def casework(demo):
    return load_mapped(demo / CASEWORK_PATH, SourceMapping.parse(CASEWORK_MAPPING, "casework"))


def _per_year(dates: pd.Series, mask=None, weights=None) -> dict[int, int]:
    values = pd.Series(1, index=dates.index) if weights is None else weights
    if mask is not None:
        values, dates = values[mask], dates[mask]
    return {year: int(values[dates.dt.year == year].sum()) for year in YEARS}


def _in_region(points: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, column: str) -> pd.Series:
    """The ``column`` value of the area each point falls in (the first, on a shared edge)."""
    joined = gpd.sjoin(points, areas[[column, "geometry"]], predicate="intersects")
    return joined[~joined.index.duplicated()][column].reindex(points.index)


def test_partner_files_have_the_real_headers(demo):
    for path, columns in ((FIRE_PATH, FIRE_COLUMNS), (COLLISION_PATH, COLLISION_COLUMNS),
                          (CASUALTY_PATH, CASUALTY_COLUMNS), (CASEWORK_PATH, CASEWORK_COLUMNS)):
        assert list(pd.read_csv(demo / path, nrows=0).columns) == columns, path
    raw = (demo / FIRE_PATH).read_bytes()
    assert "Deliberate \u2013 others property".encode() in raw  # the en dash, written as UTF-8
    readme = (demo / "README.md").read_text()
    for path in (FIRE_PATH, COLLISION_PATH, CASUALTY_PATH, CASEWORK_PATH):
        assert path in readme
    assert "fire incidents written twice" in readme and "casework rows with no Date Opened" in readme


def test_fire_export_loads_with_an_avon_style_mapping(fire, demo):
    assert fire.excluded_counts().to_dict() == {"duplicate incident_id": 3}  # the planted repeats
    data = fire.data
    assert set(data["district"]) == set(DISTRICTS.values())
    assert data["date"].min() == pd.Timestamp("2023-01-01") and data["date"].max() <= pd.Timestamp("2025-12-31")
    assert data["datetime"].notna().all()
    assert data["incident_id"].str.fullmatch(r"\d{6}-\d{8}").all()
    assert set(data["fire_type"]) == {"primary", "secondary", "chimney", "not a fire"}
    wards = gpd.read_file(demo / "boundaries/northbridge-wards.geojson")
    assert set(data.loc[data["district"] == "Northbridge", "ward_name"]) == set(wards["WD22NM"].str.upper())


def test_fire_incidents_lie_in_their_district_and_ward(fire, geography):
    data = fire.data
    points = gpd.GeoDataFrame(data, geometry=gpd.points_from_xy(data["easting"], data["northing"]), crs=27700)
    assert (data[["easting", "northing"]] % 1 == 0).all().all()  # whole metres, not masked
    assert _in_region(points, geography, "LAD22NM").eq(data["district"]).all()
    assert _in_region(points, geography, "WD22NM").str.upper().eq(data["ward_name"]).all()


def test_fire_volumes_in_northbridge(fire):
    data = fire.data[fire.data["district"] == "Northbridge"]
    dates, category = data["date"], data["incident_category"]
    for year, total in _per_year(dates).items():
        assert 1000 <= total <= 1200, year
        assert 0.30 <= _per_year(dates, category == "fire")[year] / total <= 0.42
        assert 0.42 <= _per_year(dates, category == "false alarm")[year] / total <= 0.55
        assert 40 <= _per_year(dates, (category == "special service") & data["is_rtc"])[year] <= 60
    for district in ("Eastmere", "Westford"):
        totals = _per_year(fire.data.loc[fire.data["district"] == district, "date"])
        assert all(900 <= n <= 1300 for n in totals.values()), district


def test_fire_story_deliberate_fires_up_primary_level_few_casualties(fire):
    data = fire.data[fire.data["district"] == "Northbridge"]
    is_fire = data["incident_category"] == "fire"
    deliberate = _per_year(data["date"], is_fire & (data["cause"] == "deliberate"))
    primary = _per_year(data["date"], data["fire_type"] == "primary")
    assert deliberate[2025] > 1.2 * deliberate[2024]
    assert poisson_change_p_value(deliberate[2024], deliberate[2025], 366, 365) < 0.01
    assert abs(primary[2025] / primary[2024] - 1) < 0.10
    injuries = _per_year(data["date"], is_fire, data["injuries"])
    deaths = _per_year(data["date"], is_fire, data["fire_fatalities"].astype("int64"))
    assert all(0 < n < 10 for n in injuries.values()) and all(n <= 1 for n in deaths.values())
    # deliberate secondary fires: concentrated in a few wards, peaking in spring and summer
    secondary = data[(data["fire_type"] == "secondary") & (data["cause"] == "deliberate")]
    assert secondary["ward_name"].isin([w.upper() for w in DELIBERATE_FIRE_WARDS]).mean() > 0.45
    assert secondary["date"].dt.month.between(3, 8).mean() > 0.6


def test_fire_summary_flags_the_planted_rise_as_significant(fire):
    data = fire.data
    table = fire_summary(data[data["district"] == "Northbridge"], data, PREVIOUS, CURRENT,
                         area_name="Northbridge", county_name="Demoshire").set_index(["geography", "line"])
    assert bool(table.loc[("Northbridge", "Deliberate fires"), "significant"])
    assert not bool(table.loc[("Northbridge", "Primary fires"), "significant"])


def test_stats19_files_load_with_nothing_excluded(collisions, casualties):
    assert collisions.excluded.empty and casualties.excluded.empty
    data = collisions.data
    assert data["collision_id"].str.fullmatch(r"(2023|2024|2025)85\d{7}").all()
    assert set(data["local_authority_ons_district"]) == set(DISTRICTS)
    assert data[["easting", "northing", "longitude", "latitude", "number_of_casualties"]].notna().all().all()
    assert data["datetime"].notna().all()
    # number_of_casualties equals the casualty rows, and the worst casualty sets the severity
    rows = casualties.data.groupby("collision_id").size()
    assert rows.reindex(data["collision_id"]).fillna(0).astype(int).tolist() == data["number_of_casualties"].tolist()
    rank = {"fatal": 1, "serious": 2, "slight": 3}
    worst = casualties.data["severity"].map(rank).groupby(casualties.data["collision_id"]).min()
    assert worst.reindex(data["collision_id"]).tolist() == data["severity"].map(rank).tolist()


def test_stats19_volumes_and_ksi_down_in_northbridge(collisions):
    data = collisions.data[collisions.data["local_authority_ons_district"] == "X07000001"]
    total = _per_year(data["date"])
    fatal = _per_year(data["date"], data["severity"] == "fatal")
    serious = _per_year(data["date"], data["severity"] == "serious")
    for year in YEARS:
        assert 250 <= total[year] <= 350
        assert 0.005 <= fatal[year] / total[year] <= 0.04
        assert 0.14 <= serious[year] / total[year] <= 0.26
    ksi = {year: fatal[year] + serious[year] for year in YEARS}
    assert ksi[2025] < 0.9 * ksi[2024]
    assert abs(total[2025] / total[2024] - 1) < 0.10


def test_stats19_points_are_consistent_and_follow_the_roads(collisions, geography):
    data = collisions.data
    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    x, y = to_grid.transform(data["longitude"].to_numpy(), data["latitude"].to_numpy())
    assert np.hypot(x - data["easting"], y - data["northing"]).max() < 2  # metres
    points = gpd.GeoDataFrame(data, geometry=gpd.points_from_xy(data["easting"], data["northing"]), crs=27700)
    assert _in_region(points, geography, "LAD22CD").eq(data["local_authority_ons_district"]).all()
    network = shapely.union_all(roads.lines())
    on_roads = shapely.distance(network, points.geometry.to_numpy()) <= 10
    assert 0.6 < on_roads.mean() < 0.95  # routes, with some unclassified town streets


def test_casework_loads_and_keeps_to_northbridge(casework, demo):
    assert casework.excluded["reason"].tolist() == ["missing date", "missing date"]  # the planted rows
    data = casework.data
    assert data["case_id"].is_unique and data["case_id"].str.fullmatch(r"CPT/\d{2}/\d{5}").all()
    wards = gpd.read_file(demo / "boundaries/northbridge-wards.geojson")
    assert set(data["ward_name"]) == set(wards["WD22NM"])
    sensitive = data["case_type"].isin(["Domestic abuse referral", "Safeguarding contact"])
    assert data.loc[sensitive, ["easting", "northing"]].isna().all().all()
    located = data[data["easting"].notna()]
    assert 0.9 < len(located) / (~sensitive).sum() < 1
    points = gpd.GeoDataFrame(located, geometry=gpd.points_from_xy(located["easting"].astype(float),
                                                                   located["northing"].astype(float)), crs=27700)
    assert _in_region(points, wards, "WD22NM").eq(located["ward_name"]).all()


def test_casework_volumes_and_story(casework):
    data = casework.data
    counts = {t: _per_year(data["date"], data["case_type"] == t) for t in sorted(set(data["case_type"]))}
    assert set(counts) >= {"ASB incident", "Domestic abuse referral", "Safeguarding contact", "Fly-tipping",
                           "Noise nuisance", "Graffiti"}
    for year in YEARS:
        assert 450 <= counts["ASB incident"][year] <= 550
        assert 10 <= counts["Domestic abuse referral"][year] <= 20
        assert 60 <= counts["Safeguarding contact"][year] <= 90
        assert 300 <= counts["Fly-tipping"][year] <= 450
    tipping = counts["Fly-tipping"]
    # the places' yearly counts: 105 + 75 + 122 = 302, 110 + 78 + 126 = 314, 180 + 125 + 128 = 433
    assert (tipping[2023], tipping[2024], tipping[2025]) == (302, 314, 433)
    assert tipping[2025] > 1.3 * tipping[2024]
    assert poisson_change_p_value(tipping[2024], tipping[2025], 366, 365) < 0.01
    assert counts["Safeguarding contact"][2025] < 0.85 * counts["Safeguarding contact"][2024]
    fly = data[data["case_type"] == "Fly-tipping"]
    assert fly["ward_name"].isin(FLY_TIPPING_WARDS).mean() > 0.5
    # domestic abuse referrals: small numbers per ward, as disclosure control expects
    abuse = data[data["case_type"] == "Domestic abuse referral"]
    by_ward = pd.crosstab(abuse["ward_name"], abuse["date"].dt.year)
    assert by_ward.to_numpy().max() <= 4
    assert ((by_ward >= 1) & (by_ward <= 4)).sum().min() >= 3
