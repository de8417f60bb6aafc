"""Shared fixtures: the real data directory and tiny police.uk archives written by hand."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STREET_HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                 "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
OUTCOME_HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                  "LSOA code", "LSOA name", "Outcome type"]


def real_data_dir() -> Path:
    return Path(os.environ.get("CSP_REAL_DATA_DIR", PROJECT_ROOT.parent / "shared" / "data")).resolve()


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The published data directory (police.uk Hertfordshire, St Albans boundaries, ...)."""
    path = real_data_dir()
    if not (path / "police-uk").is_dir():
        pytest.fail(f"real data directory {path} is missing: set CSP_REAL_DATA_DIR")
    return path


def write_street(folder: Path, month: str, rows: list[dict], force: str = "testshire") -> Path:
    """Write one police.uk street file; each row gives at least Month/LSOA name/Crime type."""
    path = folder / month / f"{month}-{force}-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, STREET_HEADER)
        writer.writeheader()
        for i, row in enumerate(rows):
            full = {key: "" for key in STREET_HEADER}
            full.update({"Month": month, "Reported by": "Testshire Police", "Falls within": "Testshire Police",
                         "Longitude": "-0.3", "Latitude": "51.75", "Location": "On or near Test Street"})
            full.update(row)
            if full["Crime type"] != "Anti-social behaviour" and not full["Crime ID"]:
                full["Crime ID"] = f"{month}-{i:04d}"
            writer.writerow(full)
    return path


def write_outcomes(folder: Path, month: str, rows: list[tuple[str, str]], force: str = "testshire") -> Path:
    """Write one outcomes file from (Crime ID, Outcome type) pairs."""
    path = folder / month / f"{month}-{force}-outcomes.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTCOME_HEADER)
        for crime_id, outcome in rows:
            writer.writerow([crime_id, month, "Testshire Police", "Testshire Police", "", "", "No location",
                             "", "", outcome])
    return path


def pytest_collection_modifyitems(items):
    """Tests that use the real data directory are marked `realdata` (deselect with -m 'not realdata')."""
    for item in items:
        if "real_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.realdata)
