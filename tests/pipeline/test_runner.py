"""The runner in process: preparing a request, the notebooks' parameters, and publishing a staged
folder (without executing notebooks, which the end-to-end tests do)."""

from __future__ import annotations

from pathlib import Path

import pytest

from csp_analysis.errors import CSPError
from csp_analysis.pipeline.runner import RunRequest, _move_into_place, prepare
from csp_analysis.sections.settings import default_output_dir
from tests.conftest import PROJECT_ROOT

DEMO = PROJECT_ROOT / "config" / "default.yml"


def test_prepare_resolves_periods_sections_and_output_folder(tmp_path):
    plan = prepare(RunRequest(DEMO, period_start="2025-04", period_end="2025-09", comparison="preceding-period",
                              sections=("priorities", "crime_performance"), output_dir=tmp_path / "out"))
    assert [s.key for s in plan.sections] == ["crime_performance", "priorities"]  # report order, not asked order
    assert plan.ctx.previous.label == "Oct 2024 to Mar 2025"  # six months just before Apr-Sep 2025
    assert plan.target == tmp_path / "out"
    parameters = plan.parameters(tmp_path / "staging")
    assert parameters == {"config": str(DEMO), "data_dir": str(plan.ctx.settings.data_dir),
                          "period_start": "2025-04", "period_end": "2025-09", "comparison": "preceding-period",
                          "output_dir": str(tmp_path / "staging")}


def test_default_output_folder_carries_area_and_period():
    plan = prepare(RunRequest(DEMO))
    assert plan.target == default_output_dir(plan.ctx.config, plan.ctx.current)
    assert plan.target.name == f"northbridge_{plan.ctx.current.start}_{plan.ctx.current.end}"


def test_unknown_section_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(CSPError, match="unknown section"):
        prepare(RunRequest(DEMO, sections=("hotspots",), output_dir=tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_uncovered_period_is_refused(tmp_path):
    with pytest.raises(CSPError, match="missing month"):
        prepare(RunRequest(DEMO, period_start="2030-01", period_end="2030-03", output_dir=tmp_path / "out"))


def test_publishing_replaces_the_old_output_with_the_staged_one(tmp_path):
    target, staging = tmp_path / "out", tmp_path / ".out.partial"
    (target / "tables").mkdir(parents=True)
    (target / "tables" / "old.csv").write_text("old")
    staging.mkdir()
    (staging / "index.html").write_text("new")
    _move_into_place(staging, target)
    assert sorted(p.name for p in target.rglob("*")) == ["index.html"]
    assert not staging.exists() and not (tmp_path / ".out.old").exists()


def test_publishing_into_a_new_folder(tmp_path):
    staging = tmp_path / ".new.partial"
    staging.mkdir()
    (staging / "index.html").write_text("new")
    _move_into_place(staging, tmp_path / "new")
    assert (tmp_path / "new" / "index.html").read_text() == "new"
    assert [p.name for p in Path(tmp_path).iterdir()] == ["new"]
