"""The synthetic demonstration dataset: deterministic, police.uk/ONS formats, planted patterns."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from csp_analysis.categories import ASB, POLICE_UK_CATEGORIES
from csp_analysis.demo import DEMO_VERSION, ensure, generate

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
    assert len(files) == 2 * 36 + 6
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
