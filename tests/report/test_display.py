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


def test_shares_show_the_decimals_their_column_needs():
    """A share rounded to one decimal prints '35.9', never '35.90'."""
    html = show_table(pd.DataFrame({"Ward": ["A", "B"], "Share (%)": [35.9, 12.0], "Score": [1.25, 3.0]})).data
    assert ">35.9<" in html and ">12.0<" in html and "35.90" not in html
    assert ">1.25<" in html and ">3.00<" in html


def test_row_labels_become_a_column():
    """The returns matrix (Fig 2 layout) has its areas as row labels: they must show."""
    matrix = pd.DataFrame({"Deliberate fires": ["+38% (87 to 120)"]}, index=["St Albans"]).rename_axis("Area")
    html = show_table(matrix).data
    assert ">Area</th>" in html and ">St Albans</td>" in html
