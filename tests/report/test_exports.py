"""The exports in process: Word from a small HTML document, and a machine without Pango."""

from __future__ import annotations

import logging

import docx

from csp_analysis.report import exports
from tests.report.test_document import FRONT, _document


def test_word_from_html_keeps_headings_lists_tables_and_escaped_text(tmp_path):
    html = tmp_path / "assessment.html"
    html.write_text(_document(), encoding="utf-8")
    document = docx.Document(str(exports.write_docx(html, tmp_path / "assessment.docx", FRONT)))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert headings[0] == ("Title", "Northbridge CSP strategic assessment")
    assert ("Heading 1", "Community safety strategy") in headings and ("Heading 2", "Key findings") in headings
    texts = [p.text for p in document.paragraphs]
    assert "Council <script>alert(1)</script>" in texts  # text, not markup: Word shows what the HTML showed
    assert "1. Tackle crime" in texts
    actions = next(t for t in document.tables if t.rows[0].cells[0].text == "Action")
    assert [c.text for c in actions.rows[1].cells] == ["Patrols", "Police", "Burglary offences"]
    assert len(document.inline_shapes) == 3


def test_no_pango_no_pdf_but_a_clear_warning(tmp_path, monkeypatch, caplog):
    def unavailable():
        raise exports.ExportUnavailable(f"the PDF needs {exports.SYSTEM_LIBRARIES}: no libpango")

    monkeypatch.setattr(exports, "_weasyprint", unavailable)
    html = tmp_path / "assessment.html"
    html.write_text(_document(), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        written = exports.write_exports(html, FRONT)
    assert [name for name, _ in written] == ["assessment.docx"] and not (tmp_path / "assessment.pdf").exists()
    assert "assessment.pdf not written: the PDF needs Pango" in caplog.text and "apt-get install" in caplog.text
