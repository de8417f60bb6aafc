"""The assembled document, built in process from hand-made executed notebooks: numbering, contents,
executive summary placement, skipped cells and the sources table."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from csp_analysis.report.document import assessment_notebook
from csp_analysis.sections import SECTIONS

CRIME = next(s for s in SECTIONS if s.key == "crime_performance")
PRIORITIES = next(s for s in SECTIONS if s.key == "priorities")
MANIFEST = {
    "tool": {"version": "9.9"},
    "periods": {"current": ["2025-01", "2025-02"], "previous": ["2024-01", "2024-02"]},
    "inputs": [{"path": "police-uk/2025-01/a<b>.csv", "bytes": 1234, "sha256": "ab" * 32}],
}


def _table(caption: str) -> dict:
    return new_output("display_data", data={"text/html": f"<table><caption>{caption}</caption></table>"})


def _figure(alt: str) -> dict:
    return new_output("display_data", data={"image/png": "iVBORw0KGgo="}, metadata={"image/png": {"alt": alt}})


def _crime() -> nbformat.NotebookNode:
    notebook = new_notebook()
    notebook.cells = [
        new_markdown_cell("# Crime performance"),
        new_code_cell("config = 'x'", metadata={"tags": ["parameters"]}, outputs=[]),
        new_code_cell("cp.summary_view(ctx, table)", outputs=[_table("Summary"), _figure("Trend chart")]),
        new_code_cell("cp.county_view(ctx)", outputs=[_table("County")]),
    ]
    return notebook


def _priorities() -> nbformat.NotebookNode:
    notebook = new_notebook()
    summary = new_output("display_data", data={"text/markdown": "## Executive summary\n\nRobbery is red."})
    notebook.cells = [
        new_markdown_cell("# Priorities"),
        new_code_cell("summary", metadata={"tags": ["executive-summary"]}, outputs=[summary]),
        new_code_cell("scores", outputs=[_table("Scores"), _figure("Risk matrix")]),
    ]
    return notebook


def _document():
    return assessment_notebook("Title", "Preamble", [CRIME, PRIORITIES],
                               {"crime_performance": _crime(), "priorities": _priorities()}, MANIFEST)


def _html_outputs(document) -> list[str]:
    return [o["data"]["text/html"] for c in document.cells for o in c.get("outputs", []) if "text/html" in o["data"]]


def _markdown_outputs(document) -> list[str]:
    return [o["data"]["text/markdown"] for c in document.cells for o in c.get("outputs", [])
            if "text/markdown" in o["data"]]


def test_tables_are_numbered_in_document_order():
    """Three tables across two sections: 1, 2 in crime performance, 3 in priorities."""
    captions = _html_outputs(_document())
    assert captions == ["<table><caption>Table 1. Summary</caption></table>",
                        "<table><caption>Table 2. County</caption></table>",
                        "<table><caption>Table 3. Scores</caption></table>"]


def test_each_figure_is_followed_by_its_numbered_alt_text():
    texts = [t for t in _markdown_outputs(_document()) if t.startswith("*Figure")]
    assert texts == ["*Figure 1. Trend chart*", "*Figure 2. Risk matrix*"]


def test_executive_summary_comes_first_and_once():
    document = _document()
    summaries = [i for i, c in enumerate(document.cells) for o in c.get("outputs", [])
                 if "Robbery is red" in str(o.get("data", {}))]
    first_section = next(i for i, c in enumerate(document.cells) if 'id="crime_performance"' in c.source)
    assert len(summaries) == 1 and summaries[0] < first_section


def test_parameters_cells_are_left_out_and_contents_list_every_part():
    document = _document()
    assert not any("config = 'x'" in c.source for c in document.cells)
    contents = document.cells[0].source
    for entry in ("1. [Crime performance](#crime_performance)", "2. [Priorities](#priorities)",
                  "3. [Methodology](#methodology)", "4. [Data sources, caveats and quality assurance](#sources)"):
        assert entry in contents


def test_sources_table_escapes_paths_and_states_periods():
    sources = _document().cells[-1].source
    assert "| police-uk/2025-01/a&lt;b>.csv | 1,234 |" in sources
    assert "Current period: 2025-01 to 2025-02; compared with 2024-01 to 2024-02." in sources
    assert "csp-analysis 9.9" in sources


def test_cell_ids_are_unique_and_stable():
    ids = [c["id"] for c in _document().cells]
    assert len(ids) == len(set(ids)) and ids[0] == "assessment-000"
