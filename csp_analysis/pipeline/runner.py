"""Run the section notebooks with papermill, render reviewer HTML, write the index and manifest.

Everything is written into a staging folder beside the output folder and moved into place only
when every section has succeeded, so a failed run never leaves half-written output.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import papermill

from csp_analysis.errors import CSPError
from csp_analysis.pipeline.manifest import manifest
from csp_analysis.pipeline.progress import Progress
from csp_analysis.report.exports import DOCX_NAME, PDF_NAME, write_exports
from csp_analysis.report.front import front_matter, masthead
from csp_analysis.report.pages import (
    ASSESSMENT_HTML,
    render_html,
    write_assessment,
    write_index,
)
from csp_analysis.sections import NOTEBOOK_DIR, Section, select
from csp_analysis.sections.context import Context, context
from csp_analysis.sections.settings import resolve

log = logging.getLogger(__name__)
_USER_ERRORS = {"CSPError", "InputDataError", "ConfigError"}


@dataclass(frozen=True)
class RunRequest:
    """The command line's choices; None means 'as the configuration says'."""

    config: Path
    data_dir: Path | None = None
    period_start: str | None = None
    period_end: str | None = None
    comparison: str | None = None
    sections: tuple[str, ...] = ()
    output_dir: Path | None = None


def _execute(section: Section, parameters: dict, staging: Path) -> dict:
    """Run one section notebook; user errors inside it come back as CSPError."""
    output = staging / "notebooks" / section.notebook
    output.parent.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    try:
        papermill.execute_notebook(
            str(NOTEBOOK_DIR / section.notebook), str(output), parameters=parameters,
            kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOK_DIR),
        )
    except papermill.PapermillExecutionError as exc:
        if exc.ename in _USER_ERRORS:
            raise CSPError(exc.evalue) from None
        raise CSPError(
            f"section '{section.title}' failed with {exc.ename}: {exc.evalue} (rerun with --debug to keep "
            "the executed notebook for inspection)"
        ) from exc
    ended = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    return {"section": section.key, "notebook": f"notebooks/{section.notebook}", "started": started, "ended": ended}


def _move_into_place(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    if old.exists():
        shutil.rmtree(old)


@dataclass
class Plan:
    """A request resolved: the assessment's context, its sections in order, and where the output goes."""

    ctx: Context
    sections: list[Section]

    @property
    def target(self) -> Path:
        return self.ctx.settings.output_dir

    def parameters(self, output_dir: Path) -> dict:
        """The section notebooks' parameters, writing into ``output_dir``."""
        s = self.ctx.settings
        return {"config": str(s.config_path), "data_dir": str(s.data_dir), "period_start": str(s.current.start),
                "period_end": str(s.current.end), "comparison": s.comparison, "output_dir": str(output_dir)}


def prepare(request: RunRequest) -> Plan:
    """Validate the request (configuration, periods, data coverage) before anything is written."""
    ctx = context(resolve(request.config, request.data_dir, request.period_start, request.period_end,
                          request.comparison, request.output_dir))
    sections = select(list(request.sections), ctx.config.sections)
    if ctx.settings.has_police_data and any(s.uses_police_data for s in sections):
        ctx.data.check_coverage()
    return Plan(ctx, sections)


def _staging(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def run_section(plan: Plan, section: Section, output_dir: Path) -> dict:
    """Execute one section notebook and render its reviewer page into ``output_dir``."""
    record = _execute(section, plan.parameters(output_dir), output_dir)
    render_html(output_dir / "notebooks" / section.notebook, output_dir / section.html,
                masthead(plan.ctx.config, plan.ctx.current.label), section)
    return record


PRIORITIES_TABLE = Path("tables") / "priorities.csv"


def assemble(plan: Plan, output_dir: Path, runs: list[dict]) -> None:
    """Write ``manifest.json``, the document (``assessment.html``, ``.pdf``, ``.docx``) and ``index.html``
    from the executed sections."""
    ctx = plan.ctx
    config = ctx.config
    record = manifest(ctx, plan.sections, plan.parameters(plan.target), runs)
    (output_dir / "manifest.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    front = front_matter(config, record, area=ctx.area, county=ctx.county, current=ctx.current.label,
                         previous=ctx.previous.label, comparison=ctx.settings.comparison)
    scores = output_dir / PRIORITIES_TABLE
    scored = pd.read_csv(scores) if scores.exists() else None
    html = write_assessment(output_dir, front=front, sections=plan.sections, manifest=record,
                            strategy=config.strategy, scored=scored)
    exports = write_exports(html, front)
    write_index(output_dir, front=front, sections=plan.sections, inputs=record["inputs"],
                police_folder=f"{config.inputs.police_uk}/", exports=exports, has_strategy=config.strategy is not None)


def run(request: RunRequest, *, keep_failed: bool = False) -> Path:
    """Run the whole assessment into a staging folder and move it into place; returns the output folder."""
    plan = prepare(request)
    staging = _staging(plan.target.with_name(f".{plan.target.name}.partial"))
    try:
        runs = []
        with Progress(len(plan.sections) + 1, "sections") as progress:
            for section in plan.sections:
                progress.start(section.title)
                runs.append(run_section(plan, section, staging))
                progress.done()
            progress.start("assembling the document")
            assemble(plan, staging, runs)
    except BaseException:
        if keep_failed:
            print(f"the partial output is kept in {staging}", file=sys.stderr)
        else:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    _move_into_place(staging, plan.target)
    return plan.target


# ---- step by step, for make ----------------------------------------------------------------------

RUNS = ".runs"


def run_one_section(request: RunRequest, key: str) -> Path:
    """Run one section into the output folder (staged, then moved in), keeping the other sections."""
    plan = prepare(request)
    section = next((s for s in plan.sections if s.key == key), None)
    if section is None:
        raise CSPError(f"section '{key}' is not one of this run's sections ({', '.join(s.key for s in plan.sections)})")
    staging = _staging(plan.target.with_name(f".{plan.target.name}.{key}.partial"))
    try:
        record = run_section(plan, section, staging)
        (staging / RUNS).mkdir()
        (staging / RUNS / f"{key}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        plan.target.mkdir(parents=True, exist_ok=True)
        for path in sorted(p for p in staging.rglob("*") if p.is_file()):
            destination = plan.target / path.relative_to(staging)
            destination.parent.mkdir(parents=True, exist_ok=True)
            path.replace(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return plan.target / "notebooks" / section.notebook


def assemble_in_place(request: RunRequest) -> Path:
    """Assemble the index, manifest and whole document from the sections already in the output folder."""
    plan = prepare(request)
    missing = [s.key for s in plan.sections if not (plan.target / RUNS / f"{s.key}.json").exists()]
    if missing:
        raise CSPError(f"sections not run yet in {plan.target}: {', '.join(missing)}")
    runs = [json.loads((plan.target / RUNS / f"{s.key}.json").read_text()) for s in plan.sections]
    staging = _staging(plan.target.with_name(f".{plan.target.name}.assemble.partial"))
    try:
        (staging / "notebooks").mkdir()
        for section in plan.sections:
            shutil.copy2(plan.target / "notebooks" / section.notebook, staging / "notebooks" / section.notebook)
        if (plan.target / PRIORITIES_TABLE).exists():
            (staging / "tables").mkdir()
            shutil.copy2(plan.target / PRIORITIES_TABLE, staging / PRIORITIES_TABLE)
        assemble(plan, staging, runs)
        for name in ("manifest.json", ASSESSMENT_HTML, PDF_NAME, DOCX_NAME, "index.html"):
            if (staging / name).exists():
                (staging / name).replace(plan.target / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return plan.target
