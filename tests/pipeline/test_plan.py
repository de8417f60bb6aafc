"""make as the build system: nothing reruns when nothing changed; a change reruns what depends on it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from csp_analysis.pipeline.publish import work_folder
from tests.conftest import PROJECT_ROOT
from tests.pipeline.test_end_to_end import run_cli
from tests.pipeline.test_publish import snapshot


def make(*args: str, makefile) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "-f", str(makefile), *args], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("build")
    out, makefile = root / "out", root / "plan.mk"
    plan = run_cli("plan", "--config", "config/default.yml", "--sections", "crime_performance", "fire_and_rtc",
                   "--output-dir", str(out), "--makefile", str(makefile))
    assert plan.returncode == 0, plan.stderr
    first = make("-j2", makefile=makefile)
    assert first.returncode == 0, first.stderr
    return out, makefile


def test_first_build_writes_every_part(built):
    out, _ = built
    for name in ("index.html", "assessment.html", "manifest.json", "01_crime_performance.html",
                 "03_fire_and_rtc.html", "tables/fire_summary.csv", "tables/crime_performance.csv"):
        assert (out / name).is_file(), name


def test_nothing_to_do_when_nothing_changed(built):
    _, makefile = built
    assert make("-q", makefile=makefile).returncode == 0  # -q: exit 0 when every target is up to date


def test_a_changed_input_reruns_only_what_reads_it(built):
    out, makefile = built
    fire = PROJECT_ROOT / "data" / "demo" / "fire" / "demoshire-fire-incidents.csv"
    later = (out / "index.html").stat().st_mtime + 5
    os.utime(fire, (later, later))
    planned = make("-n", makefile=makefile).stdout  # -n: print what would run
    assert "section fire_and_rtc" in planned and "assemble" in planned
    assert "section crime_performance" not in planned


def test_a_build_stopped_after_a_section_leaves_the_published_folder_as_it_was(built):
    out, makefile = built
    published = snapshot(out)
    fire = PROJECT_ROOT / "data" / "demo" / "fire" / "demoshire-fire-incidents.csv"
    now = time.time() - 1  # newer than the section built before, older than the one built next
    os.utime(fire, (now, now))
    section = work_folder(out) / "build" / "notebooks" / "03_fire_and_rtc.ipynb"
    only_the_section = make(str(section), makefile=makefile)  # what a build killed before 'assemble' did
    assert only_the_section.returncode == 0, only_the_section.stderr
    assert "section fire_and_rtc" in only_the_section.stdout and "assemble" not in only_the_section.stdout
    assert snapshot(out) == published  # new section tables are not mixed with the old document
    finished = make(makefile=makefile)
    assert finished.returncode == 0, finished.stderr
    assert "assemble" in finished.stdout and "section" not in finished.stdout
    assert json.loads((out / "manifest.json").read_text())["notebooks"] != \
        json.loads(published["manifest.json"])["notebooks"]


def test_a_changed_parameter_reruns_every_section(built, tmp_path):
    out, makefile = built
    replan = run_cli("plan", "--config", "config/default.yml", "--sections", "crime_performance", "fire_and_rtc",
                     "--comparison", "preceding-period", "--output-dir", str(out), "--makefile", str(makefile))
    assert replan.returncode == 0, replan.stderr
    planned = make("-n", makefile=makefile).stdout
    assert "section crime_performance" in planned and "section fire_and_rtc" in planned


def test_batch_reports_a_failure_and_runs_the_rest(real_data, tmp_path):
    batch = tmp_path / "batch.yml"
    batch.write_text(f"base: {PROJECT_ROOT / 'config' / 'st-albans.yml'}\nsections: [crime_performance]\nruns:\n"
                     "  - area: {name: Nowhere, lsoa_name_prefixes: [Nowhere]}\n"
                     "  - area: {name: Watford, lsoa_name_prefixes: [Watford]}\n")
    result = subprocess.run([sys.executable, "-m", "csp_analysis", "batch", str(batch), "--data-dir", str(real_data),
                             "--output-root", str(tmp_path / "out")], capture_output=True, text=True,
                            cwd=PROJECT_ROOT, timeout=600)
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "no police.uk records match the area 'Nowhere'" in result.stdout
    assert "1 of 2 assessments written" in result.stdout
    [watford] = (tmp_path / "out").glob("watford_2021-08_2022-01_preceding-period_crime-performance_*")
    assert (watford / "tables" / "crime_performance.csv").is_file()
