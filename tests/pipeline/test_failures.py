"""A failed section keeps the finished ones, the published assessment stays as it was, and the
rerun redoes only what failed (the demo, two sections, one fire export broken and then mended)."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from csp_analysis.pipeline import cli
from csp_analysis.pipeline.publish import output_lock, work_folder
from tests.conftest import PROJECT_ROOT
from tests.pipeline.test_end_to_end import run_cli
from tests.pipeline.test_publish import snapshot

DEMO_FIRE = PROJECT_ROOT / "data" / "demo" / "fire" / "demoshire-fire-incidents.csv"


def started(out, key):
    return json.loads((work_folder(out) / "build" / ".runs" / f"{key}.json").read_text())["started"]


@pytest.fixture(scope="module")
def demo_with_own_fire_file(tmp_path_factory):
    root = tmp_path_factory.mktemp("failures")
    fire = root / "fire.csv"
    raw = yaml.safe_load((PROJECT_ROOT / "config" / "default.yml").read_text(encoding="utf-8"))
    raw["data_dir"] = str(PROJECT_ROOT / "data" / "demo")
    raw["fire"]["path"] = str(fire)
    raw["sections"] = ["crime_performance", "fire_and_rtc"]
    config = root / "demo.yml"
    config.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    run_cli("demo")
    shutil.copyfile(DEMO_FIRE, fire)
    out = root / "out"
    first = run_cli("run", "--config", str(config), "--output-dir", str(out))
    assert first.returncode == 0, first.stderr
    return config, fire, out


def test_a_failed_section_keeps_the_finished_ones_and_the_published_output(demo_with_own_fire_file):
    config, fire, out = demo_with_own_fire_file
    published = snapshot(out)
    crime_started = started(out, "crime_performance")
    good = fire.read_bytes()
    fire.write_text("Incident Number\n1\n", encoding="utf-8")  # a broken export
    broken = run_cli("run", "--config", str(config), "--output-dir", str(out))
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
    assert f"The published output {out} was not changed. 1 other section(s) finished and are kept in " \
           f"{work_folder(out) / 'build'}: run again once the problem is fixed and only the failed section(s) " \
           "rerun." in broken.stderr
    assert snapshot(out) == published
    assert started(out, "crime_performance") == crime_started  # current: not run again
    assert not (work_folder(out) / "build" / ".runs" / "fire_and_rtc.json").exists()

    partial = run_cli("run", "--config", str(config), "--output-dir", str(out), "--partial")
    assert partial.returncode == 2 and f"A partial assessment, labelled so on every page, was published in {out}" \
        in partial.stderr
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == ["01_crime_performance.html", "assessment.html", "index.html"]  # no fire page
    banner = ("<strong>Partial assessment.</strong> The section(s) Fire and rescue, and road traffic collisions "
              "failed and are not included: this is not the complete assessment.")
    assert all(banner in (out / p).read_text(encoding="utf-8") for p in pages)
    assert json.loads((out / "manifest.json").read_text())["partial"] == {"failed_sections": ["fire_and_rtc"]}
    assert started(out, "crime_performance") == crime_started

    fire.write_bytes(good)
    mended = run_cli("run", "--config", str(config), "--output-dir", str(out))
    assert mended.returncode == 0, mended.stderr
    assert started(out, "crime_performance") == crime_started  # only the failed section ran
    assert (out / "tables" / "fire_summary.csv").read_bytes() == published["tables/fire_summary.csv"]
    assert "Kernel is running over TCP" not in mended.stderr and mended.stderr == ""
    assert all("Partial assessment" not in p.read_text(encoding="utf-8") for p in out.glob("*.html"))
    assert "partial" not in json.loads((out / "manifest.json").read_text())


def test_runs_and_builds_on_an_output_another_run_holds_are_refused(demo_with_own_fire_file, capsys):
    config, _, out = demo_with_own_fire_file
    published = snapshot(out)
    with output_lock(out):
        for command in ("run", "build", "section", "assemble", "plan"):
            extra = ["crime_performance"] if command == "section" else []
            assert cli.main([command, *extra, "--config", str(config), "--output-dir", str(out)]) == 2, command
            assert f"error: another run is writing {out} now" in capsys.readouterr().err, command
    assert snapshot(out) == published


def test_two_runs_at_once_the_second_is_refused_and_the_first_finishes(demo_with_own_fire_file, tmp_path):
    import fcntl
    import subprocess
    import sys
    import time

    from csp_analysis.pipeline.publish import lock_path

    config, _, _ = demo_with_own_fire_file
    out = tmp_path / "concurrent"
    args = [sys.executable, "-m", "csp_analysis", "run", "--config", str(config), "--output-dir", str(out),
            "--sections", "fire_and_rtc"]
    first = subprocess.Popen(args, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while first.poll() is None and time.monotonic() < deadline:  # until the first run holds the lock
        if lock_path(out).exists():
            with lock_path(out).open("a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(handle, fcntl.LOCK_UN)
                except BlockingIOError:
                    break
        time.sleep(0.05)
    second = run_cli(*args[3:])
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert second.returncode == 2 and second.stderr == (
        f"error: another run is writing {out} now (it holds {lock_path(out)}); nothing was changed. Wait for it to "
        "finish, or choose another --output-dir.\n")
    assert (out / "tables" / "fire_summary.csv").is_file()
