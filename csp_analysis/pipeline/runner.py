"""Run the section notebooks with papermill, render reviewer HTML, write the index and manifest.

Sections are built in the output's build folder (in the project's ``.build/outputs/``, see
:mod:`publish`), each in a
staging folder of its own first, and recorded with a key of everything its result depends on.
A section whose key is unchanged is not run again, so a rerun after a failure redoes only what
failed. The published folder is replaced, whole and by renaming, only once every section has
succeeded and the document is assembled.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import papermill
from traitlets.config import Config

from csp_analysis.errors import CSPError, os_error_message
from csp_analysis.paths import PACKAGE_DIR, PROJECT_ROOT, sha256_file
from csp_analysis.pipeline.manifest import manifest, section_inputs
from csp_analysis.pipeline.progress import Progress
from csp_analysis.pipeline.publish import (
    MARKER,
    build_folder,
    check_target,
    check_writable,
    new_staging,
    output_lock,
    publish_copy,
    remove_stale_staging,
)
from csp_analysis.report.escape import html_text
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
from csp_analysis.sections.needs import left_out
from csp_analysis.sections.settings import resolve

log = logging.getLogger(__name__)
_USER_ERRORS = {"CSPError", "InputDataError", "ConfigError"}
_OS_ERROR = re.compile(r"^\[Errno (?P<errno>\d+)\] (?P<strerror>[^:]+?)(?:: '(?P<filename>.*)')?$")
#: The build folder's record of each section run: ``.runs/<key>.json``.
RUNS = ".runs"
ASSEMBLED = ("manifest.json", ASSESSMENT_HTML, PDF_NAME, DOCX_NAME, "index.html")
#: Sections that place police.uk records in wards.
WARD_SECTIONS = ("data_quality", "ward_hotspots")


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


def _kernel_error(section: Section, exc: papermill.PapermillExecutionError) -> CSPError:
    """A notebook's failure as one paragraph: user errors as they are, disk and permission errors explained."""
    if exc.ename in _USER_ERRORS:
        return CSPError(exc.evalue)
    match = _OS_ERROR.match(exc.evalue or "")
    if match:
        error = OSError(int(match["errno"]), match["strerror"], match["filename"])
        return CSPError(f"section '{section.title}': {os_error_message(error)}")
    return CSPError(f"section '{section.title}' failed with {exc.ename}: {exc.evalue} (rerun with --debug to keep "
                    "the executed notebook for inspection)")


def _execute(section: Section, parameters: dict, staging: Path) -> dict:
    """Run one section notebook; user errors inside it come back as CSPError."""
    output = staging / "notebooks" / section.notebook
    output.parent.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    # The kernel talks to papermill over local sockets (IPC), not unencrypted TCP ports: nothing is
    # reachable from outside, and the kernel has no TCP warning to print.
    with tempfile.TemporaryDirectory(prefix="csp-kernel-") as sockets:
        transport = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "kernel")}})
        try:
            papermill.execute_notebook(
                str(NOTEBOOK_DIR / section.notebook), str(output), parameters=parameters,
                kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOK_DIR), config=transport,
            )
        except papermill.PapermillExecutionError as exc:
            raise _kernel_error(section, exc) from (None if exc.ename in _USER_ERRORS else exc)
    ended = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    return {"section": section.key, "notebook": f"notebooks/{section.notebook}", "started": started, "ended": ended}


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
    """Validate the request (configuration, periods, data coverage, output folder) before anything is written."""
    ctx = context(resolve(request.config, request.data_dir, request.period_start, request.period_end,
                          request.comparison, request.output_dir))
    sections = select(list(request.sections), ctx.config.sections)
    unable = left_out(sections, ctx.config)
    if unable and (request.sections or ctx.config.sections):
        raise CSPError("; ".join(f"section {o.section.key} cannot run: it {o.produces}" for o in unable)
                       + f" in {ctx.settings.config_path}. Nothing was written.")
    sections = [s for s in sections if s not in {o.section for o in unable}]
    settings = ctx.settings
    check_target(settings.output_dir, [PROJECT_ROOT, settings.data_dir, settings.config_path])
    if settings.has_police_data and any(s.uses_police_data for s in sections):
        ctx.data.check_coverage()
        if settings.has_wards and any(s.key in WARD_SECTIONS for s in sections):
            ctx.data.check_ward_overlap()
    check_writable(settings.output_dir)
    return Plan(ctx, sections)


def _code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".json", ".csv") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def section_key(plan: Plan, section: Section) -> str:
    """A digest of everything one section's result depends on: parameters, configuration, notebook,
    the package's code and the data files it reads."""
    record = {
        "parameters": plan.parameters(plan.target),
        "config": plan.ctx.config.model_dump(mode="json"),
        "notebook": sha256_file(NOTEBOOK_DIR / section.notebook),
        "code": _code_digest(),
        "inputs": [[str(p), sha256_file(p)] for p in section_inputs(plan.ctx, section)],
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def _record_path(build: Path, section: Section) -> Path:
    return build / RUNS / f"{section.key}.json"


def _record(build: Path, section: Section) -> dict | None:
    try:
        return json.loads(_record_path(build, section).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build_section(plan: Plan, section: Section, build: Path, *, keep_failed: bool = False) -> dict:
    """Run one section in a staging folder of its own, then move its files into the build folder.

    The section's earlier files and record are removed first, so a failed run never leaves an old
    result looking current.
    """
    key = section_key(plan, section)
    old = _record(build, section)
    _record_path(build, section).unlink(missing_ok=True)
    for relative in (old or {}).get("files", []):
        (build / relative).unlink(missing_ok=True)
    staging = new_staging(plan.target, f"{section.key}.partial")
    try:
        record = _execute(section, plan.parameters(staging), staging)
        render_html(staging / "notebooks" / section.notebook, staging / section.html,
                    masthead(plan.ctx.config, plan.ctx.current.label), section)
        (staging / MARKER).unlink()
        files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        for relative in files:
            destination = build / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            (staging / relative).replace(destination)
    except BaseException:
        if keep_failed:
            print(f"the failed section's output is kept in {staging}", file=sys.stderr)
        else:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    record = {**record, "key": key, "files": files}
    _record_path(build, section).parent.mkdir(exist_ok=True)
    _record_path(build, section).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record


def current_record(plan: Plan, section: Section, build: Path) -> dict | None:
    """The build folder's record of ``section`` if it is up to date, else None."""
    record = _record(build, section)
    if record and record.get("key") == section_key(plan, section) and \
            all((build / f).is_file() for f in record.get("files", [])):
        return record
    return None


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


def _assemble_and_publish(plan: Plan, build: Path, runs: list[dict], failed: list[Section] = ()) -> None:
    """Assemble the document in the build folder and publish this run's files as the output folder
    (a partial one, without the ``failed`` sections, labelled so on every page)."""
    for name in ASSEMBLED:
        (build / name).unlink(missing_ok=True)
    assemble(plan, build, runs)
    assembled = [name for name in ASSEMBLED if (build / name).exists()]  # no PDF where it cannot be made
    files = [f for run in runs for f in run["files"]] + assembled + [MARKER]
    banner = None
    if failed:
        record = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
        record["partial"] = {"failed_sections": [s.key for s in failed]}
        (build / "manifest.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        banner = ('<p class="csp-partial" style="background:#f8d7da;border-left:6px solid #b02a37;padding:0.6em 1em">'
                  f"<strong>Partial assessment.</strong> {html_text(partial_note(failed))}</p>")
    publish_copy(build, plan.target, files, banner)


def partial_note(failed: list[Section]) -> str:
    """What every page of a partial assessment says."""
    return (f"The section(s) {', '.join(s.title for s in failed)} failed and are not included: this is not the "
            "complete assessment.")


def _failure_message(plan: Plan, failures: list[tuple[Section, CSPError]], build: Path) -> str:
    failed = "; ".join(f"{exc}" for _, exc in failures)
    finished = len(plan.sections) - len(failures)
    return (f"{failed}. The published output {plan.target} was not changed. "
            f"{finished} other section(s) finished and are kept in {build}: run again once the problem is fixed "
            "and only the failed section(s) rerun.")


def run(request: RunRequest, *, keep_failed: bool = False, partial: bool = False) -> Path:
    """Run the assessment's sections (those not already current) and publish it; returns the output folder.

    When a section fails, the published folder is left as it was, unless ``partial``: then the
    finished sections are published, labelled as a partial assessment on every page (and the run
    still ends in the error).
    """
    plan = prepare(request)
    with output_lock(plan.target):
        remove_stale_staging(plan.target)
        build = build_folder(plan.target)
        runs, failures = [], []
        with Progress(len(plan.sections) + 1, "sections") as progress:
            for section in plan.sections:
                progress.start(section.title)
                record = current_record(plan, section, build)
                if record is None:
                    try:
                        record = build_section(plan, section, build, keep_failed=keep_failed)
                    except CSPError as exc:
                        failures.append((section, exc))
                progress.done()
                if record is not None:
                    runs.append(record)
            if failures and not (partial and runs):
                raise CSPError(_failure_message(plan, failures, build))
            progress.start("assembling the document")
            failed = [s for s, _ in failures]
            finished = Plan(plan.ctx, [s for s in plan.sections if s not in failed])
            _assemble_and_publish(finished, build, runs, failed)
    if failures:
        raise CSPError(f"{'; '.join(str(e) for _, e in failures)}. A partial assessment, labelled so on every page, "
                       f"was published in {plan.target}; run again once the problem is fixed and only the failed "
                       "section(s) rerun.")
    return plan.target


# ---- step by step, for make ----------------------------------------------------------------------


def run_one_section(request: RunRequest, key: str) -> Path:
    """Run one section into the build folder (used by make: sections of one build may run side by side)."""
    plan = prepare(request)
    section = next((s for s in plan.sections if s.key == key), None)
    if section is None:
        raise CSPError(f"section '{key}' is not one of this run's sections ({', '.join(s.key for s in plan.sections)})")
    with output_lock(plan.target, shared=True):
        build = build_folder(plan.target)
        build_section(plan, section, build)
    return build / "notebooks" / section.notebook


def assemble_in_place(request: RunRequest) -> Path:
    """Assemble the document from the built sections and publish it (used by make after the sections).

    A section not built, or built from other inputs, code or parameters than the current ones (make
    judges by file times, this by content), is run first.
    """
    plan = prepare(request)
    with output_lock(plan.target):
        remove_stale_staging(plan.target)
        build = build_folder(plan.target)
        runs = []
        for section in plan.sections:
            record = current_record(plan, section, build)
            if record is None:
                print(f"section {section.key} (not current in {build}: running it now)")
                record = build_section(plan, section, build)
            runs.append(record)
        _assemble_and_publish(plan, build, runs)
    return plan.target
