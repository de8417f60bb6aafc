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

from . import __version__
from .assemble import assessment_notebook, read_notebooks
from .assessment import Assessment, setup
from .errors import CSPError
from .sections import NOTEBOOK_DIR, Section, select

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"
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


def input_files(assessment: Assessment, sections: list[Section]) -> list[Path]:
    """Every data file the assessment's sections read."""
    config = assessment.config
    files = []
    if assessment.has_police_data and any(s.uses_police_data for s in sections):
        files += [f.path for f in assessment.street_files + assessment.outcome_files]
    relatives = [config.inputs.wards, config.inputs.lsoa_ward_lookup, config.inputs.population,
                 *config.returns, config.published_changes]
    relatives += [str(m.path) for m in (config.fire, config.collisions, config.casework) if m is not None]
    if config.stats19:
        relatives += [config.stats19.collisions, config.stats19.casualties]
    return files + [assessment.input_path(r) for r in relatives if r]


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


def run(request: RunRequest, *, keep_failed: bool = False) -> Path:
    """Run the assessment; returns the output folder."""
    assessment = setup(request.config, request.data_dir, request.period_start, request.period_end,
                       request.comparison, request.output_dir)
    sections = select(list(request.sections), assessment.config.sections)
    if assessment.has_police_data and any(s.uses_police_data for s in sections):
        assessment.check_coverage()
    target = assessment.output_dir
    staging = target.with_name(f".{target.name}.partial")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    parameters = {
        "config": str(assessment.config_path),
        "data_dir": str(assessment.data_dir),
        "period_start": str(assessment.current.start),
        "period_end": str(assessment.current.end),
        "comparison": assessment.comparison,
        "output_dir": str(staging),
    }
    try:
        runs = []
        for number, section in enumerate(sections, start=1):
            print(f"[{number}/{len(sections)}] {section.title} ({section.notebook})", file=sys.stderr, flush=True)
            runs.append(_execute(section, parameters, staging))
            render_html(staging / "notebooks" / section.notebook, staging / section.html)
        inputs = [describe_file(p, assessment.data_dir) for p in input_files(assessment, sections)]
        manifest = {
            "tool": {"name": "csp-analysis", "version": __version__},
            "parameters": {**parameters, "output_dir": str(target), "sections": [s.key for s in sections]},
            "periods": {"current": assessment.current.months, "previous": assessment.previous.months},
            "config": assessment.config.model_dump(mode="json"),
            "inputs": inputs,
            "packages": package_versions(),
            "notebooks": runs,
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _write_assessment(assessment, sections, manifest, staging)
        _write_index(assessment, sections, inputs, staging)
    except BaseException:
        if keep_failed:
            print(f"the partial output is kept in {staging}", file=sys.stderr)
        else:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    _move_into_place(staging, target)
    return target
