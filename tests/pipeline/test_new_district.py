"""A new district with ward boundaries only (no LSOA-to-ward lookup, no population): Watford on the
real Hertfordshire archive, its wards made by dissolving its LSOAs into twelve pseudo-wards. Every
section runs; the ward section shows counts, change and hot spots, without rates."""

from __future__ import annotations

import csv

import geopandas as gpd
import pytest
import yaml

from csp_analysis.categories import ALL_CRIME, ASB
from csp_analysis.pipeline.validate import outlook_lines
from csp_analysis.sections import SECTIONS
from tests.pipeline.test_end_to_end import independent_counts, read_rows, run_cli

COUNTY = ["Broxbourne", "Dacorum", "East Hertfordshire", "Hertsmere", "North Hertfordshire", "St Albans",
          "Stevenage", "Three Rivers", "Watford", "Welwyn Hatfield"]


def watford(real_data, root):
    """The data folder (police.uk linked, pseudo-wards written) and the configuration."""
    data = root / "data"
    (data / "boundaries").mkdir(parents=True)
    (data / "police-uk").symlink_to(real_data / "police-uk")
    lsoas = gpd.read_file(real_data / "boundaries" / "hertfordshire-lsoa-2011.geojson")
    lsoas = lsoas[lsoas["LSOA11NM"].str.match(r"^Watford \d{3}[A-Z]$")]
    wards = lsoas.assign(WD99NM="Watford " + lsoas["LSOA11NM"].str.slice(8, 11)).dissolve("WD99NM").reset_index()
    wards["WD99CD"] = [f"X0599{n:04d}" for n in range(1, len(wards) + 1)]
    wards[["WD99CD", "WD99NM", "geometry"]].to_file(data / "boundaries" / "watford-wards.geojson", driver="GeoJSON")
    config = root / "watford.yml"
    config.write_text(yaml.safe_dump({
        "area": {"name": "Watford", "lsoa_name_prefixes": ["Watford"]},
        "county": {"name": "Hertfordshire", "lsoa_name_prefixes": COUNTY},
        "period": {"start": "2021-08", "end": "2022-01", "comparison": "preceding-period"},
        "inputs": {"police_uk": "police-uk", "forces": ["hertfordshire"], "wards": "boundaries/watford-wards.geojson"},
    }), encoding="utf-8")
    return config, data


@pytest.fixture(scope="module")
def run(real_data, tmp_path_factory):
    root = tmp_path_factory.mktemp("watford")
    config, data = watford(real_data, root)
    out = root / "out"
    result = run_cli("run", "--config", str(config), "--data-dir", str(data), "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    return config, out


def test_validate_says_in_advance_what_the_missing_inputs_cost(run):
    config, _ = run
    lines = {line.split()[0]: line for line in outlook_lines(config)}
    assert list(lines) == [s.key for s in SECTIONS]
    assert lines["ward_hotspots"] == ("ward_hotspots         runs: ward counts, change, Getis-Ord Gi* hot spots, "
                                      "density maps; no rates per 1,000 residents (they need inputs.population and "
                                      "inputs.lsoa_ward_lookup)")


def test_every_section_runs(run):
    _, out = run
    for section in SECTIONS:
        assert (out / section.html).is_file(), section.key


def test_the_ward_section_counts_every_record_without_rates(run, real_data):
    _, out = run
    wards = read_rows(out / "tables" / "ward_counts.csv")
    assert len({r["ward_code"] for r in wards}) == 12
    assert all(r["rate_per_1000"] == "" for r in wards)
    assignment = {r["assignment"]: r for r in read_rows(out / "tables" / "ward_assignment.csv")}
    previous, current = independent_counts(real_data, ["Watford"])
    for period, counts in (("previous", previous), ("current", current)):
        in_wards = sum(int(r[period]) for r in wards if r["category"] in (ALL_CRIME, ASB))
        unplaced = sum(int(assignment[a][period]) for a in ("no_location", "beyond_tolerance"))
        assert in_wards + unplaced == sum(counts.values())
    page = (out / "02_ward_hotspots.html").read_text(encoding="utf-8")
    assert "so the section shows counts, change and hot spots but no rates per 1,000 residents" in page
    assert not list((out / "figures").glob("ward_*_rate.png"))
    with (out / "tables" / "ward_top.csv").open(newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) > 0
