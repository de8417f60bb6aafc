"""The fire and collision section run end to end on the real example exports."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from tests.pipeline.test_end_to_end import read_rows, run_cli


@pytest.fixture(scope="module")
def avon(real_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("avon") / "out"
    result = run_cli("run", "--config", "config/examples/avon-fire.yml", "--data-dir", str(real_data),
                     "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def cambridgeshire(real_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("cambs") / "out"
    result = run_cli("run", "--config", "config/examples/cambridgeshire-collisions.yml", "--data-dir",
                     str(real_data), "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_avon_fire_summary_matches_the_raw_export(avon, real_data):
    with (real_data / "fire" / "avon-fire-rescue-incidents-2014-07.csv").open(encoding="cp1252", newline="") as f:
        rows = list(csv.DictReader(f))
    fires = [r for r in rows if r["Incident Category"] == "Fire"]
    expected = {}
    for geography, subset in (("Avon", rows), ("Bristol", [r for r in rows if r["Unitary Authority"] == "BRISTOL"])):
        subset_fires = [r for r in subset if r["Incident Category"] == "Fire"]
        expected[(geography, "Deliberate fires")] = sum(r["Cause of Fire"].startswith("Deliberate") for r in subset_fires)
        expected[(geography, "Primary fires")] = sum(r["Is Primary Fire"] == "yes" for r in subset_fires)
        expected[(geography, "RTCs attended")] = sum(r["Road Traffic Collision"] == "yes" for r in subset)
    assert len(fires) == 344
    table = {(r["geography"], r["line"]): r for r in read_rows(avon / "tables" / "fire_summary.csv")}
    for key, count in expected.items():
        assert int(table[key]["current"]) == count, key
        assert table[key]["previous"] == "" and table[key]["comparison_available"] == "False"
    page = (avon / "03_fire_and_rtc.html").read_text(encoding="utf-8")
    assert "No comparison: the data hold no records for 2013-07" in page


def test_cambridgeshire_severity_counts_match_the_raw_export(cambridgeshire, real_data):
    previous, current = Counter(), Counter()
    path = real_data / "collisions" / "cambridgeshire-rtc-2012-2017.csv"
    with path.open(encoding="cp1252", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        date, severity = header.index("Date"), header.index("Severity")
        for row in reader:
            month = row[date][:6]
            if "201511" <= month <= "201610":
                previous[row[severity]] += 1
            elif "201611" <= month <= "201710":
                current[row[severity]] += 1
    table = {r["line"]: r for r in read_rows(cambridgeshire / "tables" / "collision_summary.csv")}
    for level in ("Fatal", "Serious", "Slight"):
        assert int(table[f"{level} collisions"]["previous"]) == previous[level]
        assert int(table[f"{level} collisions"]["current"]) == current[level]
    assert int(table["KSI collisions"]["current"]) == current["Fatal"] + current["Serious"]
