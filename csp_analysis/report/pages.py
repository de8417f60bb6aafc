"""The reviewer pages: each section notebook as its own page, the index page, and the whole
assessment as one document."""

from __future__ import annotations

from pathlib import Path

import nbformat

from csp_analysis.report.document import (
    assessment_html,
    environment,
    read_notebooks,
    section_page,
)
from csp_analysis.report.front import FrontMatter, Masthead
from csp_analysis.report.interactive_map import INTERACTIVE_MAP

ASSESSMENT_HTML = "assessment.html"


def render_html(notebook_path: Path, target: Path, masthead: Masthead, section) -> None:
    """A section's page: no code, figures embedded, no network needed."""
    target.write_text(section_page(masthead, section, nbformat.read(notebook_path, as_version=4)), encoding="utf-8")


def write_index(folder: Path, *, front: FrontMatter, sections: list, inputs: list[dict], police_folder: str,
                exports: list[tuple[str, str]], has_strategy: bool) -> None:
    """``index.html``: area, periods, the documents, links to every page and the data sources (with hashes)."""
    police = [f for f in inputs if f["path"].startswith(police_folder)]
    months = sorted(f["path"].split("/")[1] for f in police)
    page = environment().get_template("index.html.j2").render(
        front=front, masthead=front.masthead, sections=sections, exports=exports, has_strategy=has_strategy,
        others=[f for f in inputs if not f["path"].startswith(police_folder)],
        police=police, police_months=f"{months[0]} to {months[-1]}" if months else "",
        interactive_map=INTERACTIVE_MAP if (folder / INTERACTIVE_MAP).is_file() else None,
    )
    (folder / "index.html").write_text(page, encoding="utf-8")


def write_assessment(folder: Path, *, front: FrontMatter, sections: list, manifest: dict, strategy=None,
                     scored=None) -> Path:
    """``assessment.html`` from the executed notebooks in ``folder/notebooks``."""
    path = folder / ASSESSMENT_HTML
    path.write_text(assessment_html(front, sections, read_notebooks(folder / "notebooks", sections), manifest,
                                    strategy, scored), encoding="utf-8")
    return path
