"""The demo's PDF and Word documents read back: pages numbered "N of M" with the marking, contents
whose page numbers are right, the headings, tables and figures of the HTML document."""

from __future__ import annotations

import re

import docx
import lxml.html
import pypdf
import pytest


@pytest.fixture(scope="module")
def html(demo_run):
    return lxml.html.fromstring((demo_run / "assessment.html").read_bytes())


@pytest.fixture(scope="module")
def pdf_pages(demo_run) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(demo_run / "assessment.pdf").pages]


def test_every_page_is_numbered_n_of_m_and_marked(pdf_pages):
    total = len(pdf_pages)
    assert 30 < total < 150
    for number, text in enumerate(pdf_pages, start=1):
        assert f"Page {number} of {total}" in text, number
        assert text.count("OFFICIAL") >= 2, number  # running header and footer


def test_contents_page_numbers_point_at_their_headings(pdf_pages, html):
    contents = next(text for text in pdf_pages if text.startswith("Contents\n"))
    entries = re.findall(r"^(.+?) \.{3,}\s*(\d+)$", contents, flags=re.M)
    assert len(entries) >= 10
    for title, page in entries:
        text = re.sub(r"\s+", " ", pdf_pages[int(page) - 1])
        assert re.sub(r"\s+", " ", title.strip()) in text, (title, page)
    parts = [h.text_content() for h in html.xpath("//h2")]
    listed = [title.strip() for title, _ in entries]
    assert all(p in listed for p in parts if p != "Contents"), set(parts) - set(listed)


def test_pdf_outline_has_the_document_headings(demo_run, html):
    reader = pypdf.PdfReader(demo_run / "assessment.pdf")
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == [h.text_content() for h in html.xpath("//h1")]
    children = next(item for item in reader.outline if isinstance(item, list))
    assert [c.title for c in children if not isinstance(c, list)] == [h.text_content() for h in html.xpath("//h2")]


@pytest.fixture(scope="module")
def word(demo_run):
    return docx.Document(str(demo_run / "assessment.docx"))


def test_word_headings_are_real_headings_in_the_documents_order(word, html):
    styled = [(p.style.name, p.text) for p in word.paragraphs if p.style.name == "Title"
              or p.style.name.startswith("Heading")]
    expected = [("Title" if h.tag == "h1" else f"Heading {int(h.tag[1]) - 1}", h.text_content())
                for h in html.xpath("//main//*[self::h1 or self::h2 or self::h3 or self::h4]")]
    assert styled == expected


def test_word_tables_are_real_tables_with_header_rows(word, html):
    tables = html.xpath("//main//table")
    assert len(word.tables) == len(tables) >= 20
    for table, source in zip(word.tables, tables):
        assert bool(table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")) == bool(source.xpath("./thead")), source
    scores = next(t for t in word.tables if t.rows[0].cells[0].text == "Rank")
    assert [c.text for c in scores.rows[0].cells][-1] == "RAG" and len(scores.rows) > 10


def test_word_figures_carry_their_alternative_text(word, html, demo_run):
    alts = [img.get("alt") for img in html.xpath("//main//img")]
    described = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert described == alts and all(alts) and len(alts) == len(list((demo_run / "figures").glob("*.png"))) >= 20


def test_word_header_and_footer_carry_the_marking_and_page_n_of_m(word):
    section = word.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL"
    footer = section.footer.paragraphs[0]._p.xml
    assert "OFFICIAL" in footer and " PAGE " in footer and " NUMPAGES " in footer
    assert word.core_properties.title.startswith("Northbridge Community Safety Partnership")


def test_figures_are_not_split_from_their_captions(demo_run):
    """Each page draws as many images as it has 'Figure N.' captions: no figure is broken across pages."""
    reader = pypdf.PdfReader(demo_run / "assessment.pdf")
    drawn = 0
    for number, page in enumerate(reader.pages, start=1):
        images = len(re.findall(rb"/[\w.]+ Do\b", page.get_contents().get_data()))
        captions = len(re.findall(r"^Figure \d+\. ", page.extract_text(), flags=re.M))
        assert images == captions, number
        drawn += images
    assert drawn == len(list((demo_run / "figures").glob("*.png"))) >= 20
