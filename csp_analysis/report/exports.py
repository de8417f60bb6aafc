"""The assessment document as PDF (WeasyPrint: CSS paged media) and Word (python-docx), both made
from the same ``assessment.html``, offline.

PDF: A4, "Page N of M", the protective marking at the top and bottom of every page, contents with
page numbers (``target-counter``), figures never split across pages, tagged for screen readers.
Word: real headings (Title, Heading 1-3), tables with a repeating header row, figures with their
alternative text, a contents field Word fills in on opening, the marking in the header and "Page N
of M" in the footer; every part of it editable.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
import re
from pathlib import Path

import PIL.Image

from csp_analysis.errors import CSPError
from csp_analysis.report.front import FrontMatter

log = logging.getLogger(__name__)
PDF_NAME = "assessment.pdf"
DOCX_NAME = "assessment.docx"
SYSTEM_LIBRARIES = ("Pango 1.44 or later, fontconfig and fonts (Debian: apt-get install libpango-1.0-0 "
                    "libpangoft2-1.0-0 libfontconfig1 fonts-liberation; make install does this as root)")


class ExportUnavailable(CSPError):
    """A format that this machine cannot write (a system library is missing)."""


def _weasyprint():
    try:
        import weasyprint
    except OSError as exc:  # the Python package is there but Pango (a C library) is not
        raise ExportUnavailable(f"the PDF needs {SYSTEM_LIBRARIES}: {exc}") from None
    return weasyprint


def write_pdf(html_path: Path, target: Path) -> Path:
    """The HTML document printed to A4 PDF with its print stylesheet."""
    weasyprint = _weasyprint()
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)  # warnings about CSS the screen styles use
    weasyprint.HTML(filename=str(html_path)).write_pdf(str(target), pdf_tags=True)
    return target


# --- Word -----------------------------------------------------------------------------------------

FIGURE_WIDTH_CM = 16.0


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES, TOC) that Word computes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run("1" if instruction in ("PAGE", "NUMPAGES") else "Right-click to update the contents.")
    char("end")


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


class _Writer:
    """Walks the HTML document's body and writes the same content with python-docx."""

    HEADING = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}

    def __init__(self, document):
        self.doc = document

    def inline(self, paragraph, element, bold=False, italic=False, code=False) -> None:
        """Text and inline markup (strong, em, code, links) as runs."""
        tag = element.tag if isinstance(element.tag, str) else ""
        bold = bold or tag in ("strong", "b", "th")
        italic = italic or tag in ("em", "i")
        code = code or tag == "code"
        if tag == "br":
            paragraph.add_run().add_break()
        elif element.text:
            self._run(paragraph, element.text, bold, italic, code)
        for child in element:
            if child.tag not in ("style", "script"):
                self.inline(paragraph, child, bold, italic, code)
            if child.tail:
                self._run(paragraph, child.tail, bold, italic, code)

    @staticmethod
    def _run(paragraph, text, bold, italic, code) -> None:
        text = re.sub(r"\s+", " ", text)
        if not text.strip() and not paragraph.text:
            return
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if code:
            run.font.name = "Consolas"

    def paragraph(self, element, style=None, prefix=""):
        paragraph = self.doc.add_paragraph(style=style)
        if prefix:
            paragraph.add_run(prefix)
        self.inline(paragraph, element)
        return paragraph

    def table(self, element) -> None:
        rows = element.xpath("./thead/tr|./tbody/tr|./tr")
        if not rows:
            return
        caption = element.find("caption")
        if caption is not None:
            self.paragraph(caption, style="Caption").paragraph_format.keep_with_next = True
        width = max(len(r.xpath("./th|./td")) for r in rows)
        table = self.doc.add_table(rows=0, cols=width, style="Table Grid")
        for index, row in enumerate(rows):
            cells = row.xpath("./th|./td")
            out = table.add_row()
            if row.getparent().tag == "thead" or (index == 0 and all(c.tag == "th" for c in cells)):
                _repeat_header(out)
            for cell, html in zip(out.cells, cells):
                paragraph = cell.paragraphs[0]
                self.inline(paragraph, html)
                if re.fullmatch(r"[+-]?[\d,.]+%?|n/a", paragraph.text.strip()):
                    paragraph.alignment = 2  # right, like the HTML's numbers
        self.doc.add_paragraph()

    def figure(self, element) -> None:
        from docx.shared import Cm

        image = element.find(".//img")
        if image is None or not image.get("src", "").startswith("data:image/"):
            return
        png = io.BytesIO()  # Word takes PNG, not WebP; the figure has at most 256 colours, so a palette loses nothing
        decoded = PIL.Image.open(io.BytesIO(base64.b64decode(image.get("src").split(",", 1)[1]))).convert("RGB")
        decoded.quantize(colors=256, method=PIL.Image.Quantize.FASTOCTREE, dither=PIL.Image.Dither.NONE).save(
            png, format="png", optimize=True)
        self.doc.add_picture(png, width=Cm(FIGURE_WIDTH_CM))
        picture = self.doc.paragraphs[-1]
        picture.paragraph_format.keep_with_next = True
        for properties in picture._p.xpath(".//wp:docPr"):
            properties.set("descr", image.get("alt", ""))
        caption = element.find("figcaption")
        if caption is not None:
            self.paragraph(caption, style="Caption")

    def block(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in self.HEADING:
            level = self.HEADING[tag]
            heading = self.doc.add_heading(level=level)
            self.inline(heading, element)
        elif tag == "p":
            self.paragraph(element)
        elif tag in ("ul", "ol"):
            for number, item in enumerate(element.findall("li"), start=1):
                self.paragraph(item, style="List Bullet" if tag == "ul" else "List Paragraph",
                               prefix=f"{number}. " if tag == "ol" else "")
        elif tag == "table":
            self.table(element)
        elif tag == "figure":
            self.figure(element)
        elif tag == "blockquote":
            for child in element:
                self.paragraph(child, style="Intense Quote")
        elif tag == "pre":
            self.paragraph(element)
        elif tag == "nav" and "contents" in element.get("class", ""):
            self.doc.add_heading("Contents", level=1)
            _field(self.doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u')
        elif tag in ("section", "div", "main", "article", "details"):
            for child in element:
                self.block(child)
        # header, footer, style, summary: the page furniture is Word's header and footer


def write_docx(html_path: Path, target: Path, front: FrontMatter) -> Path:
    """The HTML document as an editable Word file."""
    import docx
    import lxml.html
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    tree = lxml.html.fromstring(html_path.read_bytes())
    document = docx.Document()
    section = document.sections[0]
    section.orientation, section.page_width, section.page_height = WD_ORIENT.PORTRAIT, Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    header = section.header.paragraphs[0]
    header.text, header.alignment = front.masthead.marking, 1
    header.runs[0].bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = 2
    footer.add_run(f"{front.masthead.marking}    Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    properties = document.core_properties
    properties.title, properties.author = front.masthead.title, front.author
    properties.subject = f"{front.area}: {front.current}"
    properties.created = properties.modified = dt.datetime.combine(front.produced, dt.time(12))
    properties.language, properties.keywords = "en-GB", front.masthead.marking
    _update_fields_on_open(document)
    writer = _Writer(document)
    for element in tree.find("body").find("main"):
        writer.block(element)
    document.save(str(target))
    return target


def _update_fields_on_open(document) -> None:
    """Word asks to update the contents and page counts when the file is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def write_exports(html_path: Path, front: FrontMatter) -> list[tuple[str, str]]:
    """PDF and Word beside ``html_path``; a format this machine cannot write is skipped with a warning
    naming what is missing. Returns the (file, description) pairs written."""
    folder = html_path.parent
    written = []
    try:
        write_pdf(html_path, folder / PDF_NAME)
        written.append((PDF_NAME, "PDF (A4, to print or circulate)"))
    except ExportUnavailable as exc:
        log.warning("assessment.pdf not written: %s", exc)
    write_docx(html_path, folder / DOCX_NAME, front)
    written.append((DOCX_NAME, "Word (to edit before the board meeting)"))
    return written
