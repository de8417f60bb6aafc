"""The `run` command end to end: on the real St Albans data, and how it fails on bad requests."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from csp_analysis.categories import ALL_CRIME, ASB
from tests.conftest import PROJECT_ROOT

PREVIOUS = {f"2021-{m:02d}" for m in range(2, 8)}                      # Feb-Jul 2021
CURRENT = {f"2021-{m:02d}" for m in range(8, 13)} | {"2022-01"}        # Aug 2021-Jan 2022


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csp_analysis", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=600)


@pytest.fixture(scope="module")
def st_albans(real_data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "st-albans"
    result = run_cli("run", "--config", "config/st-albans.yml", "--data-dir", str(real_data),
                     "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


def independent_counts(real_data: Path, prefixes: list[str]) -> tuple[Counter, Counter]:
    """Count St Albans records by period and crime type straight from the CSVs (csv module)."""
    pattern = re.compile(r"^(%s) \d{3}[A-Z]$" % "|".join(map(re.escape, prefixes)))
    previous, current = Counter(), Counter()
    for path in sorted((real_data / "police-uk").glob("*/*-street.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if not pattern.match(row["LSOA name"]):
                    continue
                bucket = previous if row["Month"] in PREVIOUS else current if row["Month"] in CURRENT else None
                if bucket is not None:
                    bucket[row["Crime type"]] += 1
    return previous, current


def read_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_table(path: Path) -> dict[str, dict]:
    return {row["category"]: row for row in read_rows(path)}


@pytest.mark.realdata
def test_st_albans_table_matches_independent_counts(st_albans, real_data):
    table = read_table(st_albans / "tables" / "crime_performance.csv")
    previous, current = independent_counts(real_data, ["St Albans"])
    for category in set(previous) | set(current):
        assert int(table[category]["previous"]) == previous[category], category
        assert int(table[category]["current"]) == current[category], category
    crime_prev = sum(v for k, v in previous.items() if k != ASB)
    crime_cur = sum(v for k, v in current.items() if k != ASB)
    assert (int(table[ALL_CRIME]["previous"]), int(table[ALL_CRIME]["current"])) == (crime_prev, crime_cur)
    assert float(table[ALL_CRIME]["pct_change"]) == round(100 * (crime_cur - crime_prev) / crime_prev, 1)
    assert len(table) == 15  # 13 crime types, all crime, ASB


@pytest.mark.realdata
def test_st_albans_county_is_the_ten_hertfordshire_districts(st_albans, real_data):
    districts = ["Broxbourne", "Dacorum", "East Hertfordshire", "Hertsmere", "North Hertfordshire", "St Albans",
                 "Stevenage", "Three Rivers", "Watford", "Welwyn Hatfield"]
    table = read_table(st_albans / "tables" / "crime_performance_county.csv")
    previous, current = independent_counts(real_data, districts)
    assert int(table[ASB]["current"]) == current[ASB]
    assert int(table["Burglary"]["previous"]) == previous["Burglary"]


@pytest.mark.realdata
def test_st_albans_report_files(st_albans, real_data):
    for name in ("index.html", "01_crime_performance.html", "manifest.json", "notebooks/01_crime_performance.ipynb",
                 "figures/crime_monthly_trends.png", "tables/crime_outcomes.csv"):
        assert (st_albans / name).is_file(), name
    page = (st_albans / "01_crime_performance.html").read_text(encoding="utf-8")
    assert "setup(config" not in page and "from csp_analysis" not in page  # code hidden
    assert page.count("<h1") == 1 and "<title>Crime performance: St Albans" in page
    assert page.count('src="data:image/webp;base64,') >= 2  # figures embedded
    assert "<script src=" not in page  # nothing fetched from the network
    index = (st_albans / "index.html").read_text(encoding="utf-8")
    assert 'href="01_crime_performance.html"' in index and "Aug 2021 to Jan 2022" in index
    for name in ("assessment.html", "assessment.pdf", "assessment.docx"):
        assert (st_albans / name).is_file() and f'href="{name}"' in index, name
    document = (st_albans / "assessment.html").read_text(encoding="utf-8")
    for text in ("Community safety strategy", "To reduce controlled drug and alcohol misuse.",
                 "An effective multi-agency approach to fly-tipping", "For the board to discuss",
                 "<strong>Drugs</strong>: ranked "):
        assert text in document, text


@pytest.mark.realdata
def test_manifest_records_inputs_with_hashes(st_albans, real_data):
    manifest = json.loads((st_albans / "manifest.json").read_text())
    inputs = {f["path"]: f for f in manifest["inputs"]}
    street = real_data / "police-uk" / "2021-08" / "2021-08-hertfordshire-street.csv"
    entry = inputs["police-uk/2021-08/2021-08-hertfordshire-street.csv"]
    assert entry["sha256"] == hashlib.sha256(street.read_bytes()).hexdigest()
    assert entry["bytes"] == street.stat().st_size
    assert len([p for p in inputs if p.startswith("police-uk/")]) == 26  # 13 street + 13 outcomes files
    assert manifest["periods"]["previous"][0] == "2021-02" and manifest["parameters"]["comparison"] == "preceding-period"
    assert manifest["config"]["area"]["name"] == "St Albans"
    assert manifest["packages"]["pandas"] and manifest["notebooks"][0]["started"]


@pytest.mark.realdata
@pytest.mark.parametrize("args, message", [
    (["--period-start", "2021-01", "--period-end", "2021-06"], "missing month(s) 2020-07, 2020-08"),
    (["--period-start", "2021-09", "--period-end", "2021-03"], "reversed"),
    (["--period-start", "2021-9", "--period-end", "2021-12"], "YYYY-MM"),
    (["--sections", "nonsense"], "unknown section(s) nonsense"),
])
def test_bad_requests_fail_clearly_and_write_nothing(real_data, tmp_path, args, message):
    out = tmp_path / "out"
    result = run_cli("run", "--config", "config/st-albans.yml", "--data-dir", str(real_data),
                     "--output-dir", str(out), *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() and not list(tmp_path.glob(".out*"))


def test_wrong_config_key_fails_clearly(tmp_path):
    config = tmp_path / "bad.yml"
    config.write_text("area: {name: X, lsoa_name_prefixes: [X]}\nperiod: {start: 2021-01, end: 2021-06}\nperiods: {}\n")
    result = run_cli("run", "--config", str(config), "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "periods: unknown key" in result.stderr and "Traceback" not in result.stderr


def test_missing_data_dir_fails_clearly(tmp_path):
    result = run_cli("run", "--config", "config/st-albans.yml", "--data-dir", str(tmp_path / "absent"))
    assert result.returncode == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.realdata
def test_st_albans_wards_reconcile_with_the_district_totals(st_albans):
    wards = read_rows(st_albans / "tables" / "ward_counts.csv")
    assert len({r["ward_code"] for r in wards}) == 20
    assert len(wards) == 20 * 15
    district = read_table(st_albans / "tables" / "crime_performance.csv")
    assignment = {r["assignment"]: r for r in read_rows(st_albans / "tables" / "ward_assignment.csv")}
    for period in ("previous", "current"):
        mapped = sum(int(r[period]) for r in wards if r["category"] in (ALL_CRIME, ASB))
        unassigned = sum(int(assignment[a][period]) for a in ("no_location", "beyond_tolerance"))
        placed = sum(int(assignment[a][period]) for a in ("within", "nearest"))
        assert mapped == placed
        assert mapped + unassigned == int(district[ALL_CRIME][period]) + int(district[ASB][period])
        for category in ("Burglary", "Shoplifting"):
            in_wards = sum(int(r[period]) for r in wards if r["category"] == category)
            assert in_wards <= int(district[category][period])
