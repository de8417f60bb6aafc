"""What reaches the reviewer's HTML is escaped."""

import pandas as pd

from csp_analysis.report.display import note, show_table


def test_table_cells_and_caption_are_escaped():
    html = show_table(pd.DataFrame({"Location": ["<script>alert(1)</script>"]}), caption="<b>x</b>").data
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html


def test_narrative_escapes_markup_from_data():
    text = note("Hot spots: <script>alert(1)</script> & Market").data
    assert "<script>" not in text and "&lt;script>" in text and "&amp; Market" in text


def test_narrative_keeps_markdown():
    assert note("**Area:** Northbridge").data == "**Area:** Northbridge"
