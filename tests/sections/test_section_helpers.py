"""Section helpers in process, on hand-made frames: reconciliation, the summary CSV with partner
returns, the lines view and the partner-returns block."""

from __future__ import annotations

import pandas as pd

from csp_analysis.report.tables import lines_view, method_note
from csp_analysis.sections.data_quality import for_display, reconciles
from csp_analysis.sections.partner_returns import summary_csv


def _quality(read, used, excluded):
    return pd.DataFrame([
        {"source": "s", "stage": "read", "reason": "", "count": read},
        {"source": "s", "stage": "excluded", "reason": "a", "count": excluded[0]},
        {"source": "s", "stage": "excluded", "reason": "b", "count": excluded[1]},
        {"source": "s", "stage": "used", "reason": "", "count": used},
        {"source": "s", "stage": "note", "reason": "treated", "count": 99},  # notes are not exclusions
    ])


def test_reconciles_only_when_read_is_used_plus_excluded():
    assert reconciles(_quality(1200, 1000, (150, 50)))
    assert not reconciles(_quality(1200, 1000, (150, 49)))


def test_quality_display_formats_counts():
    shown = for_display(_quality(1200, 1000, (150, 50)))
    assert list(shown.columns) == ["Source", "Stage", "Reason", "Count"]
    assert shown["Count"].tolist() == ["1,200", "150", "50", "1,000", "99"]


LINES = pd.DataFrame({
    "line": ["Deliberate fires", "Fire injuries"], "previous": pd.array([87, 2], dtype="Int64"),
    "current": [120, 2], "change": pd.array([33, 0], dtype="Int64"), "change_display": ["+33", "Equal"],
    "pct_change": [37.9, 0.0], "pct_change_display": ["+37.9%", "Equal"], "significant": [True, False],
    "small_count": [False, True], "comparison_available": [True, True],
    "rate_ratio": [1.3755, 0.9973], "ci_low": [1.0181, 0.1405], "ci_high": [1.8585, 7.0798],
    "test": ["quasi-Poisson (monthly)", "exact Poisson (no extra variation)"], "dispersion": [1.87, 0.42],
})


def test_lines_view_reads_as_the_strategy_does():
    view = lines_view(LINES, "2016/17", "2017/18")
    assert list(view.columns) == ["Line", "2016/17", "2017/18", "Change", "% change", "Rate ratio (95% CI)",
                                  "Test", "Assessment"]
    assert view.iloc[0].tolist() == ["Deliberate fires", "87", "120", "+33", "+37.9%", "1.38 (1.02 to 1.86)",
                                     "quasi-Poisson (monthly, dispersion 1.9)", "Significant rise"]
    assert view.iloc[1].tolist() == ["Fire injuries", "2", "2", "Equal", "Equal", "1.00 (0.14 to 7.08)",
                                     "exact Poisson (no extra variation, dispersion 0.4)", "No significant change (small numbers)"]


def test_method_note_names_the_tests_and_the_families():
    lines = LINES.assign(family=["fire lines", "fire lines"])
    note = method_note(lines, 0.05)
    assert "quasi-Poisson test" in note and "exact conditional Poisson test" in note
    assert "within each family: fire lines (2 lines)." in note and "A total is tested" not in note
    assert "adjusted p below 0.05" in note and "95% confidence interval" in note
    totals = pd.DataFrame({"line": ["All Crime", "Robbery", "Drugs"], "family": ["All Crime (total)", "returns",
                                                                              "returns"],
                           "test": ["exact Poisson (totals only)"] * 3})
    note = method_note(totals, 0.01)
    assert "over-dispersion cannot be checked" in note and "quasi-Poisson test" not in note
    assert "All Crime on its own; returns (2 lines)" in note and "A total is tested on its own" in note
    assert method_note(LINES.assign(test=""), 0.05) is None  # nothing compared, nothing to explain


def test_lines_view_without_comparison_shows_current_only():
    view = lines_view(LINES.assign(comparison_available=False), "2016/17", "2017/18")
    assert list(view.columns) == ["Line", "2017/18"]


def test_summary_csv_puts_returns_after_computed_lines():
    returns = pd.DataFrame({"area": ["St Albans"], "category": ["Primary fires"], "previous": [115.0],
                            "current": [114], "change": [-1.0], "pct_change": [-0.8696]})
    out = summary_csv(LINES.assign(geography="St Albans"), returns, "fire export")
    assert out["line"].tolist() == ["Deliberate fires", "Fire injuries", "Primary fires"]
    assert out["source"].tolist()[:2] == ["fire export", "fire export"]
    last = out.iloc[-1]
    assert (last["geography"], last["pct_change"], last["change_display"], last["pct_change_display"]) == (
        "St Albans", -0.9, "-1", "-0.9%")


def test_summary_csv_of_nothing_is_nothing():
    assert summary_csv(None, None, "fire export") is None
