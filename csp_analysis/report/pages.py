"""The reviewer pages: a section notebook rendered to HTML without code, the index page, and the
whole assessment as one document."""

from __future__ import annotations

from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter

from csp_analysis.report.document import TEMPLATES, assessment_notebook, read_notebooks

ASSESSMENT_HTML = "assessment.html"


def render_html(notebook_path: Path, target: Path) -> None:
    """Reviewer HTML: no code, no prompts, figures embedded, no network needed."""
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES / "nbconvert")], template_name="csp",
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nbformat.read(notebook_path, as_version=4))
    target.write_text(body, encoding="utf-8")


def write_index(folder: Path, *, title: str, synthetic: bool, area: str, county: str | None, current: str,
                previous: str, comparison: str, sections: list, inputs: list[dict], police_folder: str) -> None:
    """``index.html``: area, periods, the data sources (with hashes) and links to every page."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    police = [f for f in inputs if f["path"].startswith(police_folder)]
    months = sorted(f["path"].split("/")[1] for f in police)
    page = env.get_template("index.html.j2").render(
        title=title, synthetic=synthetic, area=area, county=county, current=current, previous=previous,
        comparison=comparison, sections=sections,
        others=[f for f in inputs if not f["path"].startswith(police_folder)],
        police=police, police_months=f"{months[0]} to {months[-1]}" if months else "",
    )
    (folder / "index.html").write_text(page, encoding="utf-8")


def write_assessment(folder: Path, *, title: str, preamble: str, sections: list, manifest: dict) -> None:
    """``assessment.html`` from the executed notebooks in ``folder/notebooks``."""
    document = assessment_notebook(title, preamble, sections, read_notebooks(folder / "notebooks", sections), manifest)
    path = folder / "notebooks" / "assessment.ipynb"
    nbformat.write(document, path)
    render_html(path, folder / ASSESSMENT_HTML)
    path.unlink()
