"""The assembled assessment: front matter, contents, executive summary, the partnership's strategy,
every section with its tables and figures numbered, methodology, data sources, caveats and QA
statement; rendered from one autoescaped Jinja2 template per part. Section pages use the same parts.

What comes from the executed notebooks is already safe HTML: tables made by ``show_table`` (every
cell escaped) and notes made by ``note`` (``<`` and ``&`` escaped before Markdown is rendered).
Everything else (configuration text, file names, captions) is escaped by the templates.
"""

from __future__ import annotations

import base64
import copy
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import mistune
import nbformat
import pandas as pd
import PIL.Image
from markupsafe import Markup

from csp_analysis.config.document import Strategy
from csp_analysis.paths import PROJECT_ROOT
from csp_analysis.report import priority_text
from csp_analysis.report.front import FrontMatter, Masthead

EXECUTIVE_SUMMARY_TAG = "executive-summary"
PARAMETERS_TAGS = {"parameters", "injected-parameters"}
DOCS = PROJECT_ROOT / "docs"
TEMPLATES = Path(__file__).resolve().parent / "templates"
_CAPTION = re.compile(r"<caption>(.*?)</caption>", re.S)
_HEADING = re.compile(r"<(/?)h([1-6])([ >])")
_MARKDOWN = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def environment() -> jinja2.Environment:
    """The templates, every one autoescaped."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def markdown_html(text: str, shift: int = 0) -> Markup:
    """Markdown (already escaped where it holds data) as HTML, headings moved ``shift`` levels down."""
    html = _MARKDOWN(text)
    if shift:
        html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}{m.group(3)}", html)
    return Markup(html)


@dataclass(frozen=True)
class Figure:
    number: int | None
    alt: str
    png: str  # base64

    @property
    def src(self) -> str:
        """The figure as a lossless WebP data URI: the same pixels as the PNG in about four fifths of the bytes."""
        image = PIL.Image.open(io.BytesIO(base64.b64decode(self.png)))
        buffer = io.BytesIO()
        image.save(buffer, format="webp", lossless=True, method=4)
        return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@dataclass(frozen=True)
class Block:
    """One piece of a part: trusted HTML (a rendered note or a table) or a figure."""

    html: Markup | None = None
    figure: Figure | None = None


@dataclass
class Part:
    """A top-level part of the document (a section, the methodology, ...)."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)


class Numbering:
    """Table and figure numbers across the document; ``None`` leaves them unnumbered (section pages)."""

    def __init__(self, numbered: bool = True):
        self.numbered, self.table, self.figure = numbered, 0, 0

    def caption(self, html: str) -> str:
        if not self.numbered:
            return html

        def label(match: re.Match) -> str:
            self.table += 1
            return f"<caption>Table {self.table}. {match.group(1)}</caption>"

        return _CAPTION.sub(label, html)

    def next_figure(self) -> int | None:
        if not self.numbered:
            return None
        self.figure += 1
        return self.figure


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def output_blocks(outputs: list, numbering: Numbering, shift: int) -> list[Block]:
    """The blocks of a code cell's outputs: Markdown notes, HTML tables and PNG figures, in order."""
    blocks = []
    for output in outputs:
        data = output.get("data", {})
        if "image/png" in data:
            alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
            blocks.append(Block(figure=Figure(numbering.next_figure(), alt, _text(data["image/png"]).strip())))
        elif "text/html" in data:
            blocks.append(Block(html=Markup(numbering.caption(_text(data["text/html"])))))
        elif "text/markdown" in data and _text(data["text/markdown"]).strip():
            blocks.append(Block(html=markdown_html(_text(data["text/markdown"]), shift)))
    return blocks


def section_part(section, notebook: nbformat.NotebookNode, numbering: Numbering, shift: int,
                 skipped: set[str] = PARAMETERS_TAGS) -> Part:
    """A section notebook as a part: its '# Title' cell gives the title, the rest its blocks (cells with a
    tag in ``skipped`` left out)."""
    part = Part(section.key, section.title)
    for cell in notebook.cells:
        if set(cell.get("metadata", {}).get("tags", [])) & skipped:
            continue
        if cell.cell_type == "markdown":
            source = cell.source
            if source.startswith("# "):
                title, _, source = source.partition("\n")
                part.title = title[2:].strip()
            if source.strip():
                part.blocks.append(Block(html=markdown_html(source, shift)))
        elif cell.cell_type == "code":
            part.blocks.extend(output_blocks(cell.get("outputs", []), numbering, shift))
    return part


def executive_summary(notebooks: dict[str, nbformat.NotebookNode]) -> list[Block]:
    """The priorities section's cell tagged ``executive-summary``, without its own heading (empty if not run)."""
    notebook = notebooks.get("priorities")
    for cell in notebook.cells if notebook is not None else []:
        if EXECUTIVE_SUMMARY_TAG in cell.get("metadata", {}).get("tags", []):
            outputs = copy.deepcopy(cell.get("outputs", []))
            for output in outputs:
                if "text/markdown" in output.get("data", {}):
                    text = _text(output["data"]["text/markdown"])
                    output["data"]["text/markdown"] = re.sub(r"\A#+ Executive summary\s*", "", text)
            return output_blocks(outputs, Numbering(False), shift=1)
    return []


def docs_page(name: str) -> Markup:
    """A docs/ page under a part heading: its own title dropped, its headings two levels down."""
    text = re.sub(r"\A# .*\n", "", (DOCS / name).read_text(encoding="utf-8"))
    return markdown_html(text, shift=1)


# --- The strategy ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Evidence:
    issue: str
    rag: str | None  # None: not among the measured issues
    text: str


@dataclass(frozen=True)
class ChosenPriority:
    number: int
    title: str
    rationale: str
    evidence: list[Evidence]
    actions: list


@dataclass(frozen=True)
class StrategyView:
    """The strategy of the configuration joined to the computed priorities table."""

    strategy: Strategy
    priorities: list[ChosenPriority]
    high_not_chosen: list[Evidence]  # rated red or amber, in no chosen priority
    chosen_not_high: list[tuple[str, str]]  # (priority, why the data do not rate it high)


def strategy_view(strategy: Strategy, scored: pd.DataFrame | None) -> StrategyView:
    """Each chosen priority with its evidence lines, and where the data and the partnership's choice differ."""
    scored = scored if scored is not None else pd.DataFrame(columns=["issue", "rag", "rank"])
    rows = scored.set_index("issue")
    count = len(scored)
    priorities = []
    for number, chosen in enumerate(strategy.priorities, start=1):
        evidence = []
        for issue in chosen.issues:
            if issue in rows.index:
                row = rows.loc[issue]
                evidence.append(Evidence(issue, row["rag"], priority_text.evidence_line(row, count)))
            else:
                evidence.append(Evidence(issue, None, "not among the issues this assessment measured"))
        priorities.append(ChosenPriority(number, chosen.title, chosen.rationale, evidence, chosen.actions))
    high = priority_text.rated_high(scored) if count else scored
    chosen_issues = {issue for p in strategy.priorities for issue in p.issues}
    high_not_chosen = [Evidence(r.issue, r.rag, f"ranked {int(r.rank)} of {count}, {r.rag.upper()}")
                       for r in high.itertuples() if r.issue not in chosen_issues]
    chosen_not_high = []
    for priority in priorities:
        measured = [e for e in priority.evidence if e.rag is not None]
        if not measured:
            chosen_not_high.append((priority.title, "no issue this assessment measures is linked to it"))
        elif not any(e.rag in ("red", "amber") for e in measured):
            names = priority_text.join_names([e.issue for e in measured])
            chosen_not_high.append((priority.title, f"{names} {'is' if len(measured) == 1 else 'are'} rated GREEN"))
    return StrategyView(strategy, priorities, high_not_chosen, chosen_not_high)


# --- The whole document ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    html: Markup


_ANY_HEADING = re.compile(r'<h([2-4])(?: id="([^"]*)")?>(.*?)</h\1>', re.S)
_ELEMENT_HEADING = re.compile(r"<h([1-6])([ >].*?)</h\1>", re.S)


def ordered_headings(html: str, above: int = 0) -> str:
    """Headings that never skip a level: each at most one below the one before it (a section whose
    first part is absent can start its notes at '###'); ``above`` is the level of the heading before.

    >>> ordered_headings("<h1>A</h1><h3>B</h3><h4>C</h4><h2>D</h2>")
    '<h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2>'
    """
    previous = above

    def visit(match: re.Match) -> str:
        nonlocal previous
        level = min(int(match.group(1)), previous + 1)
        previous = level
        return f"<h{level}{match.group(2)}</h{level}>"

    return _ELEMENT_HEADING.sub(visit, html)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"<[^>]+>|&[a-z]+;", "", text).lower()).strip("-") or "part"


def number_headings(html: str, prefix: str) -> tuple[Markup, list[Heading]]:
    """Give every h2-h4 an id (kept if it has one) and list them for the contents."""
    seen: set[str] = set()
    headings = []

    def visit(match: re.Match) -> str:
        level, given, inner = int(match.group(1)), match.group(2), match.group(3)
        ident = given or f"{prefix}-{_slug(inner)}"
        base, n = ident, 1
        while ident in seen:
            n += 1
            ident = f"{base}-{n}"
        seen.add(ident)
        headings.append(Heading(level, ident, Markup(inner)))
        return f'<h{level} id="{ident}">{inner}</h{level}>'

    return Markup(_ANY_HEADING.sub(visit, html)), headings


def data_sources(manifest: dict) -> dict:
    periods = manifest["periods"]
    return {"current": f"{periods['current'][0]} to {periods['current'][-1]}",
            "previous": f"{periods['previous'][0]} to {periods['previous'][-1]}", "inputs": manifest["inputs"]}


def assessment_html(front: FrontMatter, sections: list, notebooks: dict[str, nbformat.NotebookNode],
                    manifest: dict, strategy: Strategy | None = None, scored: pd.DataFrame | None = None) -> str:
    """The whole assessment as one self-contained HTML document."""
    env = environment()
    numbering = Numbering()
    parts_html = []
    summary = executive_summary(notebooks)
    if summary:
        parts_html.append(env.get_template("document/summary.html.j2").render(blocks=summary))
    if strategy is not None:
        parts_html.append(env.get_template("document/strategy.html.j2").render(
            view=strategy_view(strategy, scored), front=front))
    section_template = env.get_template("document/section.html.j2")
    for section in sections:
        part = section_part(section, notebooks[section.key], numbering, shift=1,
                            skipped=PARAMETERS_TAGS | {EXECUTIVE_SUMMARY_TAG})  # the summary opens the document
        parts_html.append(section_template.render(part=part, level=2))
    parts_html.append(env.get_template("document/methodology.html.j2").render(text=docs_page("methodology.md")))
    parts_html.append(env.get_template("document/sources.html.j2").render(
        sources=data_sources(manifest), front=front, sections=sections,
        caveats=docs_page("aqa/assumptions-caveats.md")))
    body, headings = number_headings(ordered_headings("\n".join(parts_html), above=1), "part")
    contents = [h for h in headings if h.level <= 3]
    return env.get_template("document/assessment.html.j2").render(
        front=front, masthead=front.masthead, body=body, contents=contents)


def section_page(masthead: Masthead, section, notebook: nbformat.NotebookNode) -> str:
    """One section as its own page: one h1 (the section's title), its notes, tables and figures."""
    env = environment()
    part = section_part(section, notebook, Numbering(False), shift=0)
    body = env.get_template("document/section.html.j2").render(part=part, level=1)
    body, _ = number_headings(ordered_headings(body), section.key)
    return env.get_template("document/page.html.j2").render(masthead=masthead, part=part, body=body)


def read_notebooks(folder: Path, sections: list) -> dict[str, nbformat.NotebookNode]:
    return {s.key: nbformat.read(folder / s.notebook, as_version=4) for s in sections}
