"""Run the section notebooks with papermill, render reviewer HTML, write the index and manifest.

Everything is written into a staging folder beside the output folder and moved into place only
when every section has succeeded, so a failed run never leaves half-written output.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import jinja2
import nbformat
import papermill
from nbconvert import HTMLExporter

from csp_analysis import __version__
from csp_analysis.errors import CSPError
from csp_analysis.report.document import TEMPLATES, assessment_notebook, read_notebooks
from csp_analysis.sections import NOTEBOOK_DIR, Section, select
from csp_analysis.sections.context import Assessment, setup

log = logging.getLogger(__name__)
RECORDED_PACKAGES = (
    "pandas", "numpy", "scipy", "pyarrow", "geopandas", "shapely", "pyogrio", "pyproj", "matplotlib",
    "seaborn", "mapclassify", "libpysal", "esda", "pandera", "pydantic", "papermill", "nbconvert", "ipykernel",
)
_USER_ERRORS = {"CSPError", "InputDataError", "ConfigError"}
ASSESSMENT_HTML = "assessment.html"


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


def section_inputs(assessment: Assessment, section: Section) -> list[Path]:
    """The data files one section reads (what its result depends on, besides code and parameters)."""
    config = assessment.config
    key = section.key
    relatives: list[str | None] = []
    if key != "crime_performance":
        relatives.append(config.inputs.wards)  # wards also place partner records
    if key == "ward_hotspots":
        relatives += [config.inputs.lsoa_ward_lookup, config.inputs.population]
    if key in ("fire_and_rtc", "priorities"):
        relatives += [str(m.path) for m in (config.fire, config.collisions) if m is not None]
        if config.stats19:
            relatives += [config.stats19.collisions, config.stats19.casualties]
    if key in ("community_protection", "priorities") and config.casework is not None:
        relatives.append(str(config.casework.path))
    if key in ("crime_performance", "fire_and_rtc", "community_protection"):
        relatives += [*config.returns, config.published_changes]
    police = assessment.has_police_data and section.uses_police_data
    files = [f.path for f in assessment.street_files + assessment.outcome_files] if police else []
    return files + [assessment.input_path(r) for r in dict.fromkeys(relatives) if r]


def input_files(assessment: Assessment, sections: list[Section]) -> list[Path]:
    """Every data file the assessment's sections read."""
    files = (f for section in sections for f in section_inputs(assessment, section))
    return list(dict.fromkeys(files))


def describe_file(path: Path, root: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    return {"path": shown.as_posix(), "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def package_versions() -> dict[str, str]:
    versions = {"python": sys.version.split()[0], "csp-analysis": __version__}
    for name in RECORDED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _execute(section: Section, parameters: dict, staging: Path) -> dict:
    """Run one section notebook; user errors inside it come back as CSPError."""
    output = staging / "notebooks" / section.notebook
    output.parent.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    try:
        papermill.execute_notebook(
            str(NOTEBOOK_DIR / section.notebook), str(output), parameters=parameters,
            kernel_name="python3", progress_bar=True, cwd=str(NOTEBOOK_DIR),
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


def render_html(notebook_path: Path, target: Path) -> None:
    """Reviewer HTML: no code, no prompts, figures embedded, no network needed."""
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES / "nbconvert")], template_name="csp",
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nbformat.read(notebook_path, as_version=4))
    target.write_text(body, encoding="utf-8")


def _write_index(assessment: Assessment, sections: list[Section], inputs: list[dict], staging: Path) -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    police_folder = f"{assessment.config.inputs.police_uk}/"
    police = [f for f in inputs if f["path"].startswith(police_folder)]
    months = sorted(f["path"].split("/")[1] for f in police)
    page = env.get_template("index.html.j2").render(
        title=assessment.config.display_title,
        synthetic=assessment.config.synthetic,
        area=assessment.config.area.name,
        county=assessment.config.county.name if assessment.config.county else None,
        current=assessment.current.label,
        previous=assessment.previous.label,
        comparison=assessment.comparison,
        sections=sections,
        others=[f for f in inputs if not f["path"].startswith(police_folder)],
        police=police,
        police_months=f"{months[0]} to {months[-1]}" if months else "",
    )
    (staging / "index.html").write_text(page, encoding="utf-8")


def _write_assessment(assessment: Assessment, sections: list[Section], manifest: dict, staging: Path) -> None:
    """``assessment.html``: the whole assessment as one self-contained document."""
    config = assessment.config
    preamble = (f"**Area:** {config.area.name}. **Current period:** {assessment.current.label}. "
                f"**Compared with:** {assessment.previous.label} ({assessment.comparison}).")
    if config.synthetic:
        preamble = ("> **Synthetic demonstration data.** Everything in this document describes a fictional district "
                    "generated by the project; none of it describes a real place.\n\n" + preamble)
    document = assessment_notebook(config.display_title, preamble, sections,
                                   read_notebooks(staging / "notebooks", sections), manifest)
    path = staging / "notebooks" / "assessment.ipynb"
    nbformat.write(document, path)
    render_html(path, staging / ASSESSMENT_HTML)
    path.unlink()


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
    """A request resolved: the assessment, its sections in order, and where the output goes."""

    assessment: Assessment
    sections: list[Section]

    @property
    def target(self) -> Path:
        return self.assessment.output_dir

    def parameters(self, output_dir: Path) -> dict:
        """The section notebooks' parameters, writing into ``output_dir``."""
        a = self.assessment
        return {"config": str(a.config_path), "data_dir": str(a.data_dir), "period_start": str(a.current.start),
                "period_end": str(a.current.end), "comparison": a.comparison, "output_dir": str(output_dir)}


def prepare(request: RunRequest) -> Plan:
    """Validate the request (configuration, periods, data coverage) before anything is written."""
    assessment = setup(request.config, request.data_dir, request.period_start, request.period_end,
                       request.comparison, request.output_dir)
    sections = select(list(request.sections), assessment.config.sections)
    if assessment.has_police_data and any(s.uses_police_data for s in sections):
        assessment.check_coverage()
    return Plan(assessment, sections)


def _staging(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def run_section(plan: Plan, section: Section, output_dir: Path) -> dict:
    """Execute one section notebook and render its reviewer page into ``output_dir``."""
    record = _execute(section, plan.parameters(output_dir), output_dir)
    render_html(output_dir / "notebooks" / section.notebook, output_dir / section.html)
    return record


def assemble(plan: Plan, output_dir: Path, runs: list[dict]) -> None:
    """Write ``manifest.json``, ``assessment.html`` and ``index.html`` from the executed sections."""
    assessment = plan.assessment
    inputs = [describe_file(p, assessment.data_dir) for p in input_files(assessment, plan.sections)]
    manifest = {
        "tool": {"name": "csp-analysis", "version": __version__},
        "parameters": {**plan.parameters(plan.target), "sections": [s.key for s in plan.sections]},
        "periods": {"current": assessment.current.months, "previous": assessment.previous.months},
        "config": assessment.config.model_dump(mode="json"),
        "inputs": inputs,
        "packages": package_versions(),
        "notebooks": runs,
    }
    (output_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    _write_assessment(assessment, plan.sections, manifest, output_dir)
    _write_index(assessment, plan.sections, inputs, output_dir)


def run(request: RunRequest, *, keep_failed: bool = False) -> Path:
    """Run the whole assessment into a staging folder and move it into place; returns the output folder."""
    plan = prepare(request)
    staging = _staging(plan.target.with_name(f".{plan.target.name}.partial"))
    try:
        runs = []
        for number, section in enumerate(plan.sections, start=1):
            print(f"[{number}/{len(plan.sections)}] {section.title} ({section.notebook})", file=sys.stderr, flush=True)
            runs.append(run_section(plan, section, staging))
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
        assemble(plan, staging, runs)
        for name in ("manifest.json", ASSESSMENT_HTML, "index.html"):
            (staging / name).replace(plan.target / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return plan.target
