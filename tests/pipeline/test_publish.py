"""Nothing outside a run's own output is ever changed: ownership, confinement, locks, staging,
publishing and the operating system's refusals, in process."""

from __future__ import annotations

import errno
import json

import papermill
import pytest

from csp_analysis.config.assessment import parse_config
from csp_analysis.errors import CSPError, os_error_message
from csp_analysis.periods import Period
from csp_analysis.pipeline import cli
from csp_analysis.pipeline.plan import default_makefile
from csp_analysis.pipeline.publish import (
    MARKER,
    build_folder,
    new_staging,
    output_lock,
    owned,
    publish,
    publish_copy,
    remove_stale_staging,
    work_folder,
)
from csp_analysis.pipeline.runner import RunRequest, _kernel_error, prepare
from csp_analysis.sections import SECTIONS
from csp_analysis.sections.context import setup
from csp_analysis.sections.settings import (
    OUTPUTS_ROOT,
    SCRATCH_ROOT,
    default_output_dir,
)
from tests.conftest import PROJECT_ROOT

DEMO = PROJECT_ROOT / "config" / "default.yml"


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_folder_the_tool_did_not_write_is_refused_and_untouched(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "board paper.docx").write_bytes(b"the user's document")
    with pytest.raises(CSPError) as caught:
        prepare(RunRequest(DEMO, output_dir=folder))
    assert str(caught.value) == (
        f"the output folder {folder} already exists and was not written by this tool (it has no {MARKER} file); a "
        "run replaces its output folder whole, so it will not write there. Nothing was changed. Choose a new "
        "--output-dir, or empty that folder first.")
    assert snapshot(folder) == {"board paper.docx": b"the user's document"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_an_existing_file_as_output_folder_is_refused_and_untouched(tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("keep me")
    with pytest.raises(CSPError, match=r"is an existing file, not a folder; nothing was changed"):
        prepare(RunRequest(DEMO, output_dir=file))
    assert file.read_text() == "keep me" and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("which", ["project", "data", "parent of the data"])
def test_the_project_and_the_data_folders_are_never_output_folders(which):
    data = PROJECT_ROOT / "data" / "demo"
    folder = {"project": PROJECT_ROOT, "data": data, "parent of the data": data.parent}[which]
    with pytest.raises(CSPError, match="which a run must never replace; nothing was changed"):
        prepare(RunRequest(DEMO, output_dir=folder))


def test_an_empty_folder_and_the_tools_own_output_are_accepted(tmp_path):
    (tmp_path / "empty").mkdir()
    assert prepare(RunRequest(DEMO, output_dir=tmp_path / "empty")).target == tmp_path / "empty"
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "manifest.json").write_text(json.dumps({"tool": {"name": "csp-analysis", "version": "0.1"}}))
    assert owned(legacy)
    (legacy / "manifest.json").write_text(json.dumps({"tool": {"name": "something else"}}))
    assert not owned(legacy)


@pytest.mark.parametrize("name", ["../../../x", "/x", "..", ".", "a/b\\c", "~"])
def test_area_names_become_a_folder_inside_outputs(name):
    config = parse_config({"area": {"name": name, "whole_force": True},
                           "period": {"start": "2021-01", "end": "2021-06"}}, "test")
    folder = default_output_dir(config, Period.from_strings("2021-01", "2021-06"))
    assert folder.parent == OUTPUTS_ROOT
    assert folder.name in {"x_2021-01_2021-06", "unnamed_2021-01_2021-06", "a-b-c_2021-01_2021-06"}


def test_a_notebook_run_by_hand_writes_to_the_scratch_folder():
    ctx = setup(str(DEMO))
    assert ctx.out.folder == SCRATCH_ROOT / "northbridge_2025-01_2025-12"
    assert ctx.out.folder != default_output_dir(ctx.config, ctx.current)


def test_publishing_swaps_in_the_staged_folder_and_removes_the_old_output(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / MARKER).write_text("")
    (target / "old.csv").write_text("old")
    staging = new_staging(target)
    (staging / "index.html").write_text("new")
    publish(staging, target)
    assert sorted(snapshot(target)) == [MARKER, "index.html"] and (target / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_publishing_never_replaces_a_folder_that_became_someone_elses(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "theirs.txt").write_text("theirs")
    staging = new_staging(target)
    with pytest.raises(CSPError, match="was not written by this tool"):
        publish(staging, target)
    assert snapshot(target) == {"theirs.txt": b"theirs"}


def test_publishing_a_build_copies_only_the_files_named(tmp_path):
    target = tmp_path / "out"
    build = build_folder(target)
    (build / "tables").mkdir()
    (build / "tables" / "kept.csv").write_text("k")
    (build / "tables" / "of_another_section.csv").write_text("x")
    publish_copy(build, target, ["tables/kept.csv", MARKER])
    assert sorted(snapshot(target)) == [MARKER, "tables/kept.csv"]
    assert (build / "tables" / "of_another_section.csv").exists()  # the build folder is kept for the next run


def test_each_run_stages_in_a_folder_of_its_own_and_stale_ones_are_removed(tmp_path):
    target = tmp_path / "out"
    first, second = new_staging(target), new_staging(target)
    assert first != second and first.name.startswith(".out.") and first.name.endswith(".partial")
    stranger = tmp_path / ".out.user.partial"
    stranger.mkdir()
    remove_stale_staging(target)
    assert not first.exists() and not second.exists() and stranger.exists()


def test_a_second_run_on_the_same_output_is_refused_while_the_first_holds_the_lock(tmp_path):
    target = tmp_path / "out"
    with output_lock(target):
        with pytest.raises(CSPError) as caught:
            with output_lock(target):
                pass
        with pytest.raises(CSPError):
            with output_lock(target, shared=True):
                pass
    assert str(caught.value) == (f"another run is writing {target} now (it holds {work_folder(target) / 'lock'}); nothing "
                                 "was changed. Wait for it to finish, or choose another --output-dir.")
    with output_lock(target, shared=True), output_lock(target, shared=True):  # sections of one make build
        pass
    with output_lock(target):  # released
        pass


def test_every_output_folder_has_its_own_plan_file(tmp_path):
    assert default_makefile(tmp_path / "a") != default_makefile(tmp_path / "b")
    assert default_makefile(tmp_path / "a") == default_makefile(tmp_path / "a")
    assert default_makefile(tmp_path / "a").parent.parent == PROJECT_ROOT / ".build" / "outputs"


@pytest.mark.parametrize("number, text", [
    (errno.ENOSPC, "the disk is full (writing /out/x.csv): free some space, or choose an --output-dir on another "
                   "disk, and run again. The published output was not changed."),
    (errno.EROFS, "cannot write /out/x.csv: the file system is read-only. Choose an --output-dir you can write "
                  "to. The published output was not changed."),
    (errno.EACCES, "permission denied for /out/x.csv: choose an --output-dir you can write to, or ask for write "
                   "access to it. The published output was not changed."),
])
def test_operating_system_refusals_are_one_paragraph(number, text, monkeypatch, capsys):
    assert os_error_message(OSError(number, "whatever", "/out/x.csv")) == text

    def refuse(*args, **kwargs):
        raise OSError(number, "whatever", "/out/x.csv")

    monkeypatch.setattr("csp_analysis.pipeline.runner.run", refuse)
    assert cli.main(["run", "--config", str(DEMO)]) == 2
    assert capsys.readouterr().err == f"error: {text}\n"


def test_a_disk_full_inside_a_notebook_is_explained_too():
    section = next(s for s in SECTIONS if s.key == "crime_performance")
    failure = papermill.PapermillExecutionError(
        0, 1, "", "OSError", "[Errno 28] No space left on device: '/out/tables/x.csv'", [])
    assert str(_kernel_error(section, failure)) == (
        "section 'Crime performance': the disk is full (writing /out/tables/x.csv): free some space, or choose an "
        "--output-dir on another disk, and run again. The published output was not changed.")


def test_debug_prints_the_traceback_and_keeps_the_exit_status(tmp_path, capsys):
    config = tmp_path / "bad.yml"
    config.write_text("area: {name: X}\n")
    assert cli.main(["run", "--config", str(config)]) == 2
    plain = capsys.readouterr().err
    assert cli.main(["--debug", "run", "--config", str(config)]) == 2
    debug = capsys.readouterr().err
    assert "Traceback" not in plain and plain.startswith("error: ")
    assert "Traceback (most recent call last)" in debug and debug.endswith(plain)


def test_batch_folder_names_carry_everything_that_makes_two_outputs_differ(tmp_path):
    from csp_analysis.pipeline.batch import _same_configuration, output_name
    from csp_analysis.sections.settings import resolve

    base = {"area": {"name": "St Albans", "lsoa_name_prefixes": ["St Albans"]},
            "period": {"start": "2021-08", "end": "2022-01", "comparison": "preceding-period"}}
    names = {}
    for label, change, sections in (
        ("base", {}, ["crime_performance"]),
        ("six sections", {}, [s.key for s in SECTIONS]),
        ("previous year", {"period": {**base["period"], "comparison": "previous-year"}}, ["crime_performance"]),
        ("other alpha", {"analysis": {"alpha": 0.01}}, ["crime_performance"]),
    ):
        config = tmp_path / f"{len(names)}.yml"
        config.write_text(json.dumps({**base, **change}))
        names[label] = output_name({**base, **change}, resolve(config, tmp_path), sections)
    assert len(set(names.values())) == 4
    assert names["base"].startswith("st-albans_2021-08_2022-01_preceding-period_crime-performance_")
    assert names["six sections"].startswith("st-albans_2021-08_2022-01_preceding-period_all_")
    assert names["previous year"].startswith("st-albans_2021-08_2022-01_previous-year_crime-performance_")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"tool": {"name": "csp-analysis"}, "config": {"a": 1}}))
    assert _same_configuration(folder, {"a": 1}) and not _same_configuration(folder, {"a": 2})


def test_make_lab_allows_root_only_for_root():
    import os
    import subprocess

    planned = subprocess.run(["make", "-n", "-o", ".venv/.installed", "lab"], capture_output=True, text=True,
                             cwd=PROJECT_ROOT, check=True).stdout
    assert "-m jupyter lab notebooks/" in planned
    assert ("--allow-root" in planned) == (os.geteuid() == 0)


def test_an_output_folder_the_system_refuses_is_one_paragraph_before_anything_runs(capsys):
    """/sys refuses new folders even to root (EPERM): the same path as a read-only or forbidden folder."""
    assert cli.main(["run", "--config", str(DEMO), "--output-dir", "/sys/csp-output"]) == 2
    assert capsys.readouterr().err == (
        "error: permission denied for /sys/csp-output: choose an --output-dir you can write to, or ask for write "
        "access to it. The published output was not changed.\n")
