"""Loaders for wards, LSOA population and the LSOA-to-ward lookup; ward populations."""

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from csp_analysis.errors import InputDataError
from csp_analysis.geo.boundaries import (
    load_lsoa_population,
    load_lsoa_ward_lookup,
    load_wards,
    ward_population,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def write_wards(path: Path, geometries, **fields) -> Path:
    gpd.GeoDataFrame(fields, geometry=list(geometries), crs="EPSG:27700").to_file(path)
    return path


# --- wards -------------------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_st_albans_wards_load_with_detected_fields(real_data):
    wards = load_wards(real_data / "boundaries" / "st-albans-wards-2013.geojson")
    assert list(wards.columns) == ["ward_code", "ward_name", "geometry"]
    assert len(wards) == 20
    assert wards.crs.to_epsg() == 27700
    assert wards["ward_code"].str.fullmatch(r"E050\d{5}").all()
    assert {"St Peters", "Colney Heath", "Harpenden West"} <= set(wards["ward_name"])
    assert wards.attrs["repaired_geometries"] == 0
    # British National Grid metres: St Albans district is about 161 km² (ONS standard area 16,118 ha)
    assert wards.area.sum() / 1e6 == pytest.approx(161, rel=0.03)


@pytest.mark.parametrize("suffix", ["geojson", "gpkg", "shp"])
def test_vector_formats_and_explicit_fields(tmp_path, suffix):
    path = write_wards(
        tmp_path / f"wards.{suffix}", [box(0, 0, 100, 100), box(100, 0, 200, 100)], CODE=["W1", "W2"], LABEL=["A", "B"]
    )
    wards = load_wards(path, code_field="CODE", name_field="LABEL")
    assert wards["ward_code"].tolist() == ["W1", "W2"]
    assert wards["ward_name"].tolist() == ["A", "B"]
    assert wards.area.tolist() == pytest.approx([10_000, 10_000])


def test_missing_ward_fields_name_the_file_and_available_fields(tmp_path):
    path = write_wards(tmp_path / "wards.geojson", [box(0, 0, 1, 1)], CODE=["W1"], NAME=["A"])
    with pytest.raises(InputDataError) as info:
        load_wards(path)
    message = str(info.value)
    assert "wards.geojson" in message and "CODE" in message and "NAME" in message and "WD\\d\\dCD" in message


def test_ambiguous_ward_fields_are_an_error(tmp_path):
    path = write_wards(
        tmp_path / "wards.geojson", [box(0, 0, 1, 1)], WD13CD=["W1"], WD22CD=["X1"], WD13NM=["A"]
    )
    with pytest.raises(InputDataError, match="WD13CD, WD22CD"):
        load_wards(path)


def test_invalid_geometry_is_repaired_and_counted(tmp_path, caplog):
    bow_tie = Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])  # self-intersecting: two triangles of 2,500 m²
    geometries = [bow_tie, box(200, 0, 300, 100)]
    path = write_wards(tmp_path / "wards.geojson", geometries, WD21CD=["W1", "W2"], WD21NM=["A", "B"])
    with caplog.at_level(logging.WARNING):
        wards = load_wards(path)
    assert wards.attrs["repaired_geometries"] == 1
    assert wards.is_valid.all()
    assert wards.area.iloc[0] == pytest.approx(5_000)
    assert "repaired 1 invalid" in caplog.text


def test_empty_geometry_is_an_error(tmp_path):
    path = write_wards(tmp_path / "wards.geojson", [box(0, 0, 1, 1), Polygon()], WD13CD=["W1", "W2"], WD13NM=["A", "B"])
    with pytest.raises(InputDataError, match="no geometry: W2"):
        load_wards(path)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputDataError, match="not found"):
        load_wards(tmp_path / "nowhere.geojson")


# --- population and lookup ---------------------------------------------------------------------


@pytest.mark.realdata
def test_real_census_population_columns_detected(real_data):
    population = load_lsoa_population(real_data / "population" / "census-2011-lsoa-population-hertfordshire.csv")
    assert list(population.columns) == ["lsoa_code", "lsoa_name", "population"]
    st_albans = population[population["lsoa_name"].str.startswith("St Albans ")]
    assert len(st_albans) == 87
    assert st_albans["population"].sum() == 140_664


def test_ons_style_population_columns(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text(
        'LSOA21CD,LSOA21NM,Observation\nE01000001,City of London 001A,"1,473"\nE01000002,City of London 001B,1384\n'
    )
    population = load_lsoa_population(path)
    assert population["lsoa_code"].tolist() == ["E01000001", "E01000002"]
    assert population["population"].tolist() == [1473, 1384]


def test_population_named_explicitly_and_bad_values_located(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("LSOA11CD,people\nE01000001,10\nE01000002,ten\n")
    with pytest.raises(InputDataError) as info:
        load_lsoa_population(path, population_column="people")
    assert "row 3" in str(info.value) and "'people'" in str(info.value)


@pytest.mark.realdata
def test_real_lookup_columns_detected(real_data):
    lookup = load_lsoa_ward_lookup(real_data / "lookups" / "lsoa11-to-ward17-hertfordshire.csv")
    assert list(lookup.columns) == [
        "lsoa_code", "lsoa_name", "ward_code", "ward_name", "district_code", "district_name"
    ]
    st_albans = lookup[lookup["district_name"] == "St Albans"]
    assert len(st_albans) == 87
    assert st_albans["ward_code"].nunique() == 20
    assert (st_albans["district_code"] == "E07000240").all()


def test_lookup_with_an_lsoa_twice_is_not_best_fit(tmp_path):
    path = tmp_path / "lookup.csv"
    path.write_text("LSOA11CD,WD17CD\nE01000001,E05000001\nE01000001,E05000002\n")
    with pytest.raises(InputDataError, match="duplicated codes E01000001"):
        load_lsoa_ward_lookup(path)


def test_lookup_without_ward_codes_is_an_error(tmp_path):
    path = tmp_path / "lookup.csv"
    path.write_text("LSOA11CD,WARD\nE01000001,E05000001\n")
    with pytest.raises(InputDataError, match="ward code.*available: LSOA11CD, WARD"):
        load_lsoa_ward_lookup(path)


# --- ward population ---------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_ward_population_sums_to_the_census_total(real_data):
    wards = load_wards(real_data / "boundaries" / "st-albans-wards-2013.geojson")
    lookup = load_lsoa_ward_lookup(real_data / "lookups" / "lsoa11-to-ward17-hertfordshire.csv")
    population = load_lsoa_population(real_data / "population" / "census-2011-lsoa-population-hertfordshire.csv")
    table = ward_population(lookup, population, wards)
    assert table["ward_code"].tolist() == wards["ward_code"].tolist()
    assert table["population"].notna().all()
    assert table["population"].sum() == 140_664
    assert table.attrs["wards_without_population"] == []


def test_ward_population_never_silently_zero(caplog):
    wards = pd.DataFrame({"ward_code": ["W1", "W2", "W3"], "ward_name": ["One", "Two", "Three"]})
    lookup = pd.DataFrame({"lsoa_code": ["L1", "L2", "L3"], "ward_code": ["W1", "W1", "W3"]})
    population = pd.DataFrame({"lsoa_code": ["L1", "L2"], "population": [1500, 1200]})
    with caplog.at_level(logging.WARNING):
        table = ward_population(lookup, population, wards)
    # W1 = 1500 + 1200; W2 has no LSOA; W3's only LSOA has no population
    assert table["population"].iloc[0] == 2700
    assert np.isnan(table["population"].iloc[1]) and np.isnan(table["population"].iloc[2])
    assert table.attrs["wards_without_population"] == ["Two", "Three"]
    assert "Two, Three" in caplog.text


def test_population_schema_names_the_bad_code(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("LSOA Code,LSOA Name,All usual residents\nE01000001,A 001A,1500\nE0100002,A 001B,1600\n")
    with pytest.raises(InputDataError, match="'lsoa_code' fails .*'E0100002' \\(first at row 3\\)"):
        load_lsoa_population(path)
