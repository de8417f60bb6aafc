"""The runner in process: preparing a request and the notebooks' parameters (without executing
notebooks, which the end-to-end tests do; publishing is tested in test_publish.py)."""

from __future__ import annotations

import pytest

from csp_analysis.errors import CSPError
from csp_analysis.pipeline.runner import RunRequest, prepare
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
