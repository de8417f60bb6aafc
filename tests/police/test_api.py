"""police.uk API answers (category slugs, no LSOA) and selection by a boundary polygon, on the real
Hertfordshire archive turned into API answers and St Albans's LSOAs dissolved into one boundary."""

from __future__ import annotations

import csv
import json
from collections import Counter

import geopandas as gpd
import pandas as pd
import pytest
import yaml

from csp_analysis.categories import API_CATEGORY_SLUGS
from csp_analysis.errors import InputDataError
from csp_analysis.police.api import read_api_file
from csp_analysis.sections import crime_performance as cp
from csp_analysis.sections import data_quality
from csp_analysis.sections.context import setup
from tests.pipeline.test_end_to_end import CURRENT, PREVIOUS

SLUG = {category: slug for slug, category in API_CATEGORY_SLUGS.items()}


def api_answer(row: dict) -> dict:
    """One archive row as the API's crimes-street answer gives it."""
    return {"category": SLUG[row["Crime type"]], "location_type": "Force", "context": "",
            "persistent_id": row["Crime ID"], "id": 1, "location_subtype": "", "month": row["Month"],
            "location": {"latitude": row["Latitude"], "longitude": row["Longitude"],
                         "street": {"id": 1, "name": row["Location"]}},
            "outcome_status": {"category": row["Last outcome category"], "date": row["Month"]}
            if row["Last outcome category"] else None}


@pytest.fixture(scope="module")
def st_albans_api(real_data, tmp_path_factory):
    """API answers for every month (located rows only: the API has no others), the boundary, configs."""
    root = tmp_path_factory.mktemp("api")
    rows_by_month = {}
    for path in sorted((real_data / "police-uk").glob("*/*-street.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = [r for r in csv.DictReader(handle) if r["Longitude"]]
        month = path.parent.name
        rows_by_month[month] = rows
        (root / "api" / "police-uk" / month).mkdir(parents=True)
        (root / "api" / "police-uk" / month / f"{month}-st-albans-street.json").write_text(
            json.dumps([api_answer(r) for r in rows]), encoding="utf-8")
    lsoas = gpd.read_file(real_data / "boundaries" / "st-albans-lsoa-2011.geojson")
    boundary = lsoas.dissolve()[["geometry"]]
    for folder in ("api", "archive"):
        (root / folder / "boundaries").mkdir(parents=True, exist_ok=True)
        boundary.to_file(root / folder / "boundaries" / "st-albans.geojson", driver="GeoJSON")
    (root / "archive" / "police-uk").symlink_to(real_data / "police-uk")
    config = root / "boundary.yml"
    config.write_text(yaml.safe_dump({
        "area": {"name": "St Albans", "boundary": "boundaries/st-albans.geojson"},
        "period": {"start": "2021-08", "end": "2022-01", "comparison": "preceding-period"},
        "cache": False,
    }), encoding="utf-8")
    return root, config, rows_by_month, boundary.to_crs(27700).geometry.iat[0]


def inside_counts(rows_by_month, polygon) -> tuple[Counter, Counter]:
    """Records by period and type whose point is inside the polygon, counted straight from the CSV rows."""
    previous, current = Counter(), Counter()
    for month, rows in rows_by_month.items():
        bucket = previous if month in PREVIOUS else current if month in CURRENT else None
        if bucket is None:
            continue
        points = gpd.GeoSeries(gpd.points_from_xy([float(r["Longitude"]) for r in rows],
                                                  [float(r["Latitude"]) for r in rows]), crs=4326).to_crs(27700)
        for row, inside in zip(rows, points.within(polygon)):
            if inside and row["Month"] == month:
                bucket[row["Crime type"]] += 1
    return previous, current


def test_api_answers_selected_by_a_boundary_count_what_lies_inside(st_albans_api):
    root, config, rows_by_month, polygon = st_albans_api
    ctx = setup(config, root / "api")
    table = cp.performance_table(ctx.data.area_records, ctx.previous, ctx.current).set_index("category")
    previous, current = inside_counts(rows_by_month, polygon)
    for category in set(previous) | set(current):
        assert (table.at[category, "previous"], table.at[category, "current"]) == \
            (previous[category], current[category]), category
    quality = data_quality.quality_table(ctx)
    assert data_quality.reconciles(quality)


def test_the_archive_selected_by_the_same_boundary_gives_the_same_table(st_albans_api):
    root, config, _, _ = st_albans_api
    api, archive = setup(config, root / "api"), setup(config, root / "archive")
    pd.testing.assert_frame_equal(cp.performance_table(api.data.area_records, api.previous, api.current),
                                  cp.performance_table(archive.data.area_records, archive.previous, archive.current))
    quality = data_quality.quality_table(archive)
    unplaced = quality.loc[quality["reason"] == "no location: cannot be placed inside or outside the boundary"]
    assert data_quality.reconciles(quality) and unplaced["count"].item() == unlocated_first_publications(root)


def unlocated_first_publications(root) -> int:
    """Archive rows with no point, less those whose Crime ID was already seen (repeats go first)."""
    seen, count = set(), 0
    for path in sorted((root / "archive" / "police-uk").glob("*/*-street.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                repeat = row["Crime ID"] != "" and row["Crime ID"] in seen
                seen.add(row["Crime ID"])
                count += not row["Longitude"] and not repeat
    return count


def test_an_unknown_api_category_is_named(tmp_path):
    path = tmp_path / "2021-01-x-street.json"
    path.write_text(json.dumps([{"category": "burglary", "month": "2021-01"},
                                {"category": "violence", "month": "2021-01"}]))
    with pytest.raises(InputDataError) as caught:
        read_api_file(path)
    assert str(caught.value).startswith(f"file {path}, column 'category': record 2: unknown police.uk API "
                                        "category 'violence' (known: anti-social-behaviour, bicycle-theft,")


def test_a_run_on_api_answers_writes_its_sections(st_albans_api, tmp_path):
    from tests.pipeline.test_end_to_end import read_table, run_cli

    root, config, rows_by_month, polygon = st_albans_api
    out = tmp_path / "out"
    result = run_cli("run", "--config", str(config), "--data-dir", str(root / "api"), "--output-dir", str(out),
                     "--sections", "data_quality", "crime_performance")
    assert result.returncode == 0, result.stderr
    _, current = inside_counts(rows_by_month, polygon)
    assert int(read_table(out / "tables" / "crime_performance.csv")["Burglary"]["current"]) == current["Burglary"]
