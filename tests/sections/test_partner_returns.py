"""The published St Albans 2017/18 figures, rerun as partner returns with correct arithmetic."""

from __future__ import annotations

import pytest

from tests.pipeline.test_end_to_end import read_rows, run_cli


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("returns") / "out"
    result = run_cli("run", "--config", "config/st-albans-2017-18-returns.yml", "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_fig1_lines_are_recomputed(published):
    rows = {r["category"]: r for r in read_rows(published / "tables" / "crime_performance.csv")}
    # Worked by hand from the published counts
    assert (rows["All Crime"]["change"], rows["All Crime"]["pct_change"]) == ("1423", "23.9")
    assert (rows["Robbery"]["change"], rows["Robbery"]["pct_change"]) == ("44", "118.9")      # printed +19, +87.1%
    assert (rows["Theft From Person"]["change"], rows["Theft From Person"]["pct_change"]) == ("13", "15.9")
    burglary = rows["Burglary residential Dwelling"]
    assert burglary["previous"] == "" and burglary["pct_change"] == "" and burglary["current"] == "381"


def test_fig2_and_fig3_lines(published):
    fire = {(r["geography"], r["line"]): r for r in read_rows(published / "tables" / "fire_summary.csv")}
    assert fire[("St Albans", "Fire Injuries")]["change_display"] == "Equal"
    assert fire[("Hertfordshire", "Fire Injuries")]["change"] == "3"                          # printed +9
    assert fire[("St Albans", "Deliberate Fires")]["pct_change"] == "37.9"
    casework = {r["line"]: r for r in read_rows(published / "tables" / "casework_summary.csv")}
    referrals = next(v for k, v in casework.items() if k.startswith("Domestic Abuse referrals"))
    assert (referrals["previous"], referrals["current"], referrals["pct_change"]) == ("6", "14", "133.3")


def test_report_states_where_published_figures_differ(published):
    crime = (published / "01_crime_performance.html").read_text(encoding="utf-8")
    assert "Where the published figures differ" in crime
    assert "37 to 81 is +44" in crime
    fire = (published / "03_fire_and_rtc.html").read_text(encoding="utf-8")
    assert "34 to 37" in fire and "Where the published figures differ" in fire
