"""The corpus of bad inputs in tests/bad_inputs: each gives a specific error or a counted exclusion."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from csp_analysis.errors import InputDataError
from csp_analysis.geo.boundaries import load_wards
from csp_analysis.sections import crime_performance as cp
from csp_analysis.sections import data_quality
from csp_analysis.sections.context import setup
from tests.conftest import PROJECT_ROOT

CORPUS = Path(__file__).resolve().parents[1] / "bad_inputs"
CONFIG = """
area: {name: Testshire, lsoa_name_prefixes: [Testshire]}
period: {start: 2021-03, end: 2021-03, comparison: preceding-period}
inputs: {police_uk: police-uk}
cache: false
"""


def archive(tmp_path: Path, bad: str | None = None) -> tuple[Path, Path]:
    """A copy of the clean archive with its February file replaced by a corpus file; and its config."""
    data = tmp_path / "data"
    shutil.copytree(CORPUS / "clean", data / "police-uk")
    if bad:
        shutil.copy(CORPUS / bad, data / "police-uk" / "2021-02" / "2021-02-testshire-street.csv")
    config = tmp_path / "config.yml"
    config.write_text(CONFIG)
    return config, data


def validate(config: Path, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csp_analysis", "validate", "--config", str(config),
                           "--data-dir", str(data)], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)


@pytest.mark.parametrize("bad, message", [
    ("truncated.csv", "row 5 row has a different number of fields than the header's 12"),
    ("cp1252.csv", "is not UTF-8"),
    ("semicolon.csv", "the file seems to use ';' between fields"),
    ("other-force.csv", "holds records of 'Otherforce Police'"),
])
def test_errors_name_the_file_and_the_problem(tmp_path, bad, message):
    config, data = archive(tmp_path, bad)
    result = validate(config, data)
    assert result.returncode == 1
    assert "2021-02-testshire-street.csv" in result.stdout and message in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_clean_archive_validates(tmp_path):
    config, data = archive(tmp_path)
    result = validate(config, data)
    assert result.returncode == 0 and "no problems found" in result.stdout


def test_bom_gives_the_same_results_as_clean_data(tmp_path):
    config, data = archive(tmp_path / "clean")
    bom_config, bom_data = archive(tmp_path / "bom", "bom.csv")
    clean = setup(config, data)
    bom = setup(bom_config, bom_data)
    pd.testing.assert_frame_equal(cp.performance_table(clean.data.area_records, clean.previous, clean.current),
                                  cp.performance_table(bom.data.area_records, bom.previous, bom.current))


def quality(tmp_path, bad) -> pd.DataFrame:
    config, data = archive(tmp_path, bad)
    table = data_quality.quality_table(setup(config, data))
    assert data_quality.reconciles(table)
    return table


def count(table: pd.DataFrame, reason: str) -> int:
    return int(table.loc[table["reason"] == reason, "count"].sum())


def test_another_months_rows_are_excluded_and_counted(tmp_path):
    table = quality(tmp_path, "other-month.csv")
    # 12 rows read; February's file held January's 4 rows again: excluded, counted
    assert count(table, "month differs from its file's month") == 4
    assert table.loc[table["stage"] == "read", "count"].item() == 12


def test_swapped_and_outside_uk_coordinates_are_counted(tmp_path):
    assert count(quality(tmp_path / "a", "swapped.csv"), "latitude and longitude swapped (swapped back)") == 1
    assert count(quality(tmp_path / "b", "outside-uk.csv"), "coordinates outside the UK (counted, not mapped)") == 1


def test_header_only_file_is_reported(tmp_path):
    table = quality(tmp_path, "header-only.csv")
    assert table["reason"].str.contains("files with no usable records: 2021-02-testshire-street.csv").any()


def test_a_period_beyond_the_data_lists_the_missing_months(tmp_path):
    config, data = archive(tmp_path)
    ctx = setup(config, data, period_start="2021-06", period_end="2021-06")
    with pytest.raises(Exception, match="missing month\\(s\\) 2021-05, 2021-06"):
        ctx.data.check_coverage()


def test_corrupt_ward_file_is_an_error_naming_it():
    with pytest.raises(InputDataError, match="wards-corrupt.geojson"):
        load_wards(CORPUS / "wards-corrupt.geojson")


def test_self_intersecting_ward_is_repaired_and_counted():
    wards = load_wards(CORPUS / "wards-bowtie.geojson")
    assert wards.attrs["repaired_geometries"] == 1 and wards.geometry.is_valid.all()
