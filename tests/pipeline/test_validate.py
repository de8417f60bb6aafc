"""validate (and run's preparation) stop on inputs that would give silently wrong numbers: ward
boundaries that miss the records, months with no rows, misfiled files (real St Albans data)."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from csp_analysis.errors import CSPError
from csp_analysis.pipeline.runner import RunRequest, prepare
from csp_analysis.pipeline.validate import validate
from tests.conftest import PROJECT_ROOT
from tests.police.test_bad_inputs import CORPUS, archive
from tests.police.test_cleaning import linked_archive

ST_ALBANS = PROJECT_ROOT / "config" / "st-albans.yml"
WARDS = "boundaries/st-albans-wards-2013.geojson"


def data_with_wards(real_data, tmp_path, wards: gpd.GeoDataFrame):
    data = linked_archive(real_data, tmp_path / "data")
    (data / "boundaries").unlink()
    (data / "boundaries").mkdir()
    wards.to_file(data / WARDS, driver="GeoJSON")
    return data


def overlap_error(data) -> str:
    return (f"file {data / WARDS}: the ward boundaries do not overlap the records of St Albans: none of its 10,677 "
            "located records in the periods is within 250 m of the wards. Are the boundaries in another coordinate "
            "system than the file declares, or with x and y swapped?")


def test_ward_boundaries_in_metres_declared_as_longitude_and_latitude_are_an_error(real_data, tmp_path):
    wards = gpd.read_file(real_data / WARDS).to_crs(27700).set_crs(4326, allow_override=True)
    data = data_with_wards(real_data, tmp_path, wards)
    east, north = wards.total_bounds[2:]
    message = (f"file {data / WARDS}: declares longitude and latitude (EPSG:4326) but holds coordinates up to "
               f"({east:,.0f}, {north:,.0f}): the coordinates are in another system (British National Grid metres?); "
               "re-export the file with its true coordinate system")
    problems = validate(ST_ALBANS, data)
    assert problems.loc[problems["severity"] == "error", "problem"].tolist() == [message.split(": ", 1)[1]]
    with pytest.raises(CSPError) as caught:
        prepare(RunRequest(ST_ALBANS, data, sections=("ward_hotspots",), output_dir=tmp_path / "out"))
    assert str(caught.value) == message


def test_ward_boundaries_with_x_and_y_swapped_are_an_error(real_data, tmp_path):
    wards = gpd.read_file(real_data / WARDS)
    wards = wards.set_geometry(shapely.transform(wards.geometry.array, lambda xy: xy[:, ::-1]))
    data = data_with_wards(real_data, tmp_path, wards)
    problems = validate(ST_ALBANS, data)
    errors = problems[problems["severity"] == "error"]
    assert errors["problem"].tolist() == [overlap_error(data).split(": ", 1)[1]]
    with pytest.raises(CSPError) as caught:
        prepare(RunRequest(ST_ALBANS, data, sections=("ward_hotspots",), output_dir=tmp_path / "out"))
    assert str(caught.value) == overlap_error(data)
    prepare(RunRequest(ST_ALBANS, data, sections=("crime_performance",), output_dir=tmp_path / "out"))  # no wards


def test_the_real_wards_overlap(real_data):
    problems = validate(ST_ALBANS, real_data)
    assert not (problems["severity"] == "error").any(), problems.to_string()


def test_a_month_whose_file_holds_only_a_header_is_a_missing_month(tmp_path):
    config, data = archive(tmp_path, "header-only.csv")
    problems = validate(config, data)
    assert problems["problem"].tolist() == [
        f"the police.uk data in {data / 'police-uk'} do not cover the periods compared (Feb 2021 against Mar 2021): "
        "month(s) 2021-02 with no rows (2021-02-testshire-street.csv hold(s) only a header). The data hold 2021-01 "
        "to 2021-03."]
    assert (CORPUS / "header-only.csv").read_text().count("\n") == 1


def test_a_misfiled_file_is_named_where_a_month_is_missing(tmp_path):
    config, data = archive(tmp_path)
    february = data / "police-uk" / "2021-02"
    (february / "2021-02-testshire-street.csv").rename(february / "crimes-street.json")
    problems = validate(config, data)
    assert problems["problem"].tolist() == [
        f"the police.uk data in {data / 'police-uk'} do not cover the periods compared (Feb 2021 against Mar 2021): "
        "missing month(s) 2021-02 (their folders hold 2021-02/crimes-street.json: not named "
        "YYYY-MM-<force>-street.csv (archive) or YYYY-MM-<name>-street.json (API answer), so not read). The data "
        "hold 2021-01 to 2021-03."]


def test_a_misnamed_file_of_another_format_is_named_for_its_format_not_as_a_missing_month(tmp_path):
    config, data = archive(tmp_path)
    street = data / "police-uk" / "2021-02" / "2021-02-testshire-street.csv"
    street.write_text("category,location_type,month\nburglary,Force,2021-02\n", encoding="utf-8")
    problems = validate(config, data)
    assert problems["problem"].iloc[0].startswith("is not a police.uk file: missing column(s) 'Crime ID'")
