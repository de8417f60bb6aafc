"""The assembled document, built in process from hand-made executed notebooks: numbering, headings,
title, contents, executive summary, the strategy part, escaping and the sources table."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

import nbformat
import pandas as pd
import PIL.Image
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from csp_analysis.config.document import Strategy
from csp_analysis.report.document import assessment_html, section_page, strategy_view
from csp_analysis.report.front import FrontMatter, Masthead
from csp_analysis.sections import SECTIONS

CRIME = next(s for s in SECTIONS if s.key == "crime_performance")
PRIORITIES = next(s for s in SECTIONS if s.key == "priorities")
MANIFEST = {
    "tool": {"version": "9.9"},
    "periods": {"current": ["2025-01", "2025-02"], "previous": ["2024-01", "2024-02"]},
    "inputs": [{"path": "police-uk/2025-01/a<b>.csv", "bytes": 1234, "sha256": "ab" * 32}],
}
MASTHEAD = Masthead("Northbridge CSP strategic assessment", "Jan 2025 to Feb 2025", "OFFICIAL-SENSITIVE", False)
FRONT = FrontMatter(masthead=MASTHEAD, area="Northbridge", county="Demoshire", current="Jan 2025 to Feb 2025",
                    previous="Jan 2024 to Feb 2024", comparison="previous-year", author="Northbridge <CSP>",
                    produced=dt.date(2026, 2, 2), produced_basis="set in the configuration", document_version="v2",
                    code_version="9.9", inputs_hash="cd" * 32, input_count=1)
SCORED = pd.DataFrame({
    "issue": ["Robbery", "Burglary", "Drugs"], "rank": [1, 2, 3], "rag": ["red", "amber", "green"],
    "total": [12.5, 9.0, 4.0], "previous": [10.0, 20.0, 5.0], "current": [20, 22, 5], "pct_change": [100.0, 10.0, 0.0],
    "significant": [True, False, False], "direction": [1, 1, 0], "source_table": ["crime_performance.csv"] * 3,
})
STRATEGY = Strategy.model_validate({
    "partnership": "Northbridge CSP", "partners": ["Council <script>alert(1)</script>"], "aims": ["Tackle crime"],
    "priorities": [
        {"title": "Neighbourhood crime", "rationale": "Residents' concern.", "issues": ["Burglary", "Fly tipping"],
         "actions": [{"action": "Patrols", "owner": "Police", "measure": "Burglary offences"}]},
        {"title": "Drugs", "rationale": "County lines.", "issues": ["Drugs"],
         "actions": [{"action": "Closures", "owner": "Council", "measure": "Closure orders"}]},
    ]})


def _table(caption: str) -> dict:
    return new_output("display_data", data={"text/html": f"<table><caption>{caption}</caption></table>"})


def _png() -> str:
    buffer = io.BytesIO()
    PIL.Image.new("P", (4, 3)).save(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(alt: str) -> dict:
    return new_output("display_data", data={"image/png": _png()}, metadata={"image/png": {"alt": alt}})


def _note(text: str) -> dict:
    return new_output("display_data", data={"text/markdown": text})


def _crime() -> nbformat.NotebookNode:
    notebook = new_notebook()
    notebook.cells = [
        new_markdown_cell("# Crime performance\n\nRecorded crime."),
        new_code_cell("config = 'x'", metadata={"tags": ["parameters"]}, outputs=[]),
        new_code_cell("cp.summary_view(ctx, table)", outputs=[_note("## Key findings\n\n- All crime rose."),
                                                              _table("Summary"), _figure("Trend chart")]),
        new_code_cell("cp.county_view(ctx)", outputs=[_table("County"), _figure("Map of Getis-Ord Gi* hot spots")]),
    ]
    return notebook


def _priorities() -> nbformat.NotebookNode:
    notebook = new_notebook()
    notebook.cells = [
        new_markdown_cell("# Priorities"),
        new_code_cell("summary", metadata={"tags": ["executive-summary"]},
                      outputs=[_note("## Executive summary\n\nRobbery is red.")]),
        new_code_cell("scores", outputs=[_table("Scores"), _figure("Risk matrix")]),
    ]
    return notebook


def _document(strategy=STRATEGY) -> str:
    return assessment_html(FRONT, [CRIME, PRIORITIES], {"crime_performance": _crime(), "priorities": _priorities()},
                           MANIFEST, strategy, SCORED)


def _headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]


def test_tables_and_figures_are_numbered_in_document_order():
    html = _document()
    assert re.findall(r"<caption>Table (\d+)\. (\w+)", html) == [("1", "Summary"), ("2", "County"), ("3", "Scores")]
    assert re.findall(r"<figcaption>Figure (\d+)\.", html) == ["1", "2", "3"]


def test_gi_star_caption_reads_as_written():
    """The caption is text, not Markdown: the asterisk of Gi* cannot start italics."""
    html = _document()
    assert "<figcaption>Figure 2. Map of Getis-Ord Gi* hot spots</figcaption>" in html


def test_one_h1_headings_in_order_and_a_real_title():
    html = _document()
    levels = _headings(html)
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    assert "<title>Northbridge CSP strategic assessment, Jan 2025 to Feb 2025</title>" in html
    assert '<html lang="en-GB">' in html


def test_front_matter_states_date_versions_hash_author_and_marking():
    html = _document()
    for text in ("2 February 2026 (set in the configuration)", "csp-analysis 9.9", "v2", "cd" * 8,
                 "Northbridge &lt;CSP&gt;", '<span class="marking-source">OFFICIAL-SENSITIVE</span>'):
        assert text in html, text


def test_executive_summary_comes_first_once_under_the_documents_heading():
    html = _document()
    assert html.count("Robbery is red") == 1 and html.count(">Executive summary</h2>") == 1
    assert html.index("Robbery is red") < html.index('id="crime_performance"')


def test_parameters_cells_are_left_out_and_contents_link_every_heading():
    html = _document()
    assert "config = 'x'" not in html
    contents = html[html.index('<nav class="contents"'):html.index("</nav>")]
    targets = re.findall(r'href="#([^"]+)"', contents)
    ids = set(re.findall(r' id="([^"]+)"', html))
    assert targets and all(t in ids for t in targets)
    for title in ("Executive summary", "Community safety strategy", "Crime performance", "Key findings",
                  "Priorities", "Methodology", "Data sources, caveats and quality assurance"):
        assert f">{title}</a>" in contents, title


def test_sources_table_escapes_paths_and_states_periods():
    html = _document()
    assert "<td>police-uk/2025-01/a&lt;b&gt;.csv</td><td class=\"num\">1,234</td>" in html
    assert "Current period: 2025-01 to 2025-02; compared with 2024-01 to 2024-02." in html


def test_strategy_text_is_escaped():
    html = _document()
    assert "<script>alert(1)" not in html and "Council &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_each_priority_lists_its_evidence_lines():
    view = strategy_view(STRATEGY, SCORED)
    burglary, fly_tipping = view.priorities[0].evidence
    assert burglary.text.startswith("ranked 2 of 3, AMBER (total 9.00); 22 in the current period against 20")
    assert fly_tipping.rag is None and fly_tipping.text == "not among the issues this assessment measured"


def test_differences_between_the_data_and_the_choice_are_listed():
    view = strategy_view(STRATEGY, SCORED)
    assert [e.issue for e in view.high_not_chosen] == ["Robbery"]
    assert view.chosen_not_high == [("Drugs", "Drugs is rated GREEN")]


def test_no_strategy_no_strategy_part():
    assert "Community safety strategy" not in _document(strategy=None)


def test_section_page_has_one_h1_and_a_real_title():
    html = section_page(MASTHEAD, CRIME, _crime())
    assert _headings(html) == [1, 2]
    assert "<title>Crime performance: Northbridge CSP strategic assessment, Jan 2025 to Feb 2025</title>" in html
    assert "Table 1." not in html and "<caption>Summary</caption>" in html


def test_priorities_page_keeps_its_executive_summary():
    html = section_page(MASTHEAD, PRIORITIES, _priorities())
    assert "Robbery is red" in html and _headings(html) == [1, 2]


def test_a_section_whose_notes_start_at_level_three_does_not_skip_a_level():
    notebook = new_notebook()
    notebook.cells = [new_markdown_cell("# Community protection casework"),
                      new_code_cell("returns", outputs=[_note("### Figures from partner returns\n\nText.")])]
    html = section_page(MASTHEAD, CRIME, notebook)
    assert _headings(html) == [1, 2] and "Figures from partner returns</h2>" in html
