"""Wording the reader sees, one test per defect found in review."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from csp_analysis.report.narrative import change_sentence
from csp_analysis.sections.fire_and_rtc import _rtc_noun, collision_view, fire_view
from csp_analysis.sections.priorities import (
    SCORE_VIEW_COLUMNS,
    council_line,
    introduction,
    scores_view,
)


def test_casework_issue_names_are_not_pluralised_twice():
    assert council_line("Fly-tipping") == "Fly-tipping (council)"
    assert council_line("ASB incident") == "ASB incidents (council)"


def test_casualty_lines_count_casualties():
    row = pd.Series({"previous": 431, "current": 405, "change": -26, "pct_change": -6.03, "significant": False})
    assert "26 fewer casualties" in change_sentence(row, "All casualties", noun=_rtc_noun("All casualties"))
    assert _rtc_noun("KSI collisions") == "collisions"


def test_scores_table_heads_the_rating_rag_in_capitals():
    scored = pd.DataFrame([{c: 1 for c in SCORE_VIEW_COLUMNS} | {"issue": "Robbery", "family": "crime", "rag": "red"}])
    ctx = SimpleNamespace(current=SimpleNamespace(label="Jan 2025 to Dec 2025"))
    html = scores_view(ctx, scored).data
    assert ">RAG</th>" in html and ">Rag</th>" not in html


def test_priorities_introduction_says_in_words_what_was_not_measured():
    ctx = SimpleNamespace(area="St Albans", current=SimpleNamespace(label="Aug 2021 to Jan 2022"),
                          previous=SimpleNamespace(label="Feb 2021 to Jul 2021"))
    text = introduction(ctx, pd.DataFrame({"source_table": ["crime_performance.csv"] * 14}))
    assert "14 issues measured, from police-recorded crime and anti-social behaviour (table crime_performance.csv)." \
        in text
    assert text.endswith("no comparable figures for fire and rescue incidents, road traffic collisions and council "
                         "casework, so those issues are not scored here.")


def test_missing_fire_and_collision_data_are_said_in_plain_words():
    fire = fire_view(SimpleNamespace(), None, None, has_returns=False).data
    collisions = collision_view(SimpleNamespace(), None, None).items[0].data
    for text in (fire, collisions):
        assert "configured" not in text and "export is" not in text and text.startswith("This assessment had no ")
