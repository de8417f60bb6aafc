"""Escaping in process: table headers and captions, notes, and the section page's image alt text."""

from __future__ import annotations

import base64
import io
from html.parser import HTMLParser

import nbformat
import pandas as pd
import PIL.Image
from nbformat.v4 import new_code_cell, new_notebook, new_output

from csp_analysis.report.display import note, show_table
from csp_analysis.report.front import Masthead
from csp_analysis.report.pages import render_html
from csp_analysis.sections import SECTIONS

NAME = '<img src=x onerror="alert(1)">'


def test_table_headers_cells_and_caption_are_escaped():
    table = pd.DataFrame({f"{NAME} previous": [1], "ward": [NAME]})
    html = show_table(table, f"Caption {NAME}").data
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=") == 3  # header, cell, caption


def test_notes_hold_no_html_link_or_image():
    shown = note(f"**Ward** {NAME} [a](javascript:x()) ![i](http://example.org/i.png) [c]\n[d]: http://e.org").data
    assert shown == ('**Ward** &lt;img src=x onerror="alert(1)"> [a]\\(javascript:x()) '
                     '![i]\\(http:\\/\\/example.org/i.png) [c]\n\\[d]: http:\\/\\/e.org')


def _png() -> str:
    buffer = io.BytesIO()
    PIL.Image.new("RGB", (4, 4), "white").save(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def test_the_section_page_escapes_the_whole_alt_text_and_the_title(tmp_path):
    notebook = new_notebook()
    notebook.cells = [new_code_cell("x", outputs=[new_output(
        "display_data", data={"image/png": _png()}, metadata={"image/png": {"alt": 'a" onerror="x()'}})])]
    nbformat.write(notebook, tmp_path / "n.ipynb")
    render_html(tmp_path / "n.ipynb", tmp_path / "n.html", Masthead(f"Title {NAME}", "Jan 2025", "OFFICIAL", False),
                SECTIONS[1])
    images = []

    class Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                images.append(dict(attrs))

    Images().feed((tmp_path / "n.html").read_text(encoding="utf-8"))
    assert [(i["alt"], "onerror" in i) for i in images] == [('a" onerror="x()', False)]
    assert "<img src=x" not in (tmp_path / "n.html").read_text(encoding="utf-8")  # the title is text
