"""Partner returns shown beside the lines computed from records."""

from __future__ import annotations

import pandas as pd

from csp_analysis.methods.change import change_texts
from csp_analysis.partners import returns
from csp_analysis.report import display as show
from csp_analysis.report.display import Items
from csp_analysis.report.tables import method_note
from csp_analysis.sections.context import Context


def summary_csv(table: pd.DataFrame | None, returns_lines: pd.DataFrame | None, source: str) -> pd.DataFrame | None:
    """A section summary CSV: the lines computed from records, then the lines from partner returns.

    Returns lines take the summary's columns (``geography`` from their area, ``line`` from their
    category) and keep their own periods; every line names its source. A returns line with no
    previous figure shows "n/a". None when there are neither.
    """
    if table is None and returns_lines is None:
        return None
    parts = []
    if table is not None:
        parts.append(table.assign(source=source))
    if returns_lines is not None:
        lines = returns_lines.rename(columns={"area": "geography", "category": "line"})
        texts = [change_texts(c, p, missing="n/a") for c, p in zip(lines["change"], lines["pct_change"])]
        lines = lines.assign(pct_change=lines["pct_change"].round(1), change_display=[c for c, _ in texts],
                             pct_change_display=[p for _, p in texts],
                             comparison_available=lines["previous"].notna())
        parts.append(lines)
    return pd.concat(parts, ignore_index=True)


def _period_flags(lines: pd.DataFrame) -> str | None:
    """Which returns lines compare different seasons or touch abnormal months (None when none do)."""
    notes = []
    seasons = lines.loc[lines["different_seasons"], "category"].tolist()
    if seasons:
        notes.append(f"Different seasons: the two periods of {', '.join(seasons)} cover different months of the "
                     "year, so part of the change may be the season rather than a trend.")
    abnormal = lines[lines["abnormal_months"] != ""]
    if len(abnormal):
        notes.append(f"Abnormal months: the periods of {', '.join(abnormal['category'])} include months listed in "
                     "analysis.abnormal_months (by default the 2020-21 national lockdowns in England).")
    return " ".join(notes) or None


def view(ctx: Context, lines: pd.DataFrame | None, what: str, *, table_id: str, matrix: bool = False) -> Items | None:
    """The partner returns of one section as the reader sees them: the lines (and, for fire, the
    strategy's Fig 2 layout), then where published changes disagree with their own counts."""
    if lines is None:
        return None
    differences = ctx.data.published_differences(lines)
    return Items(
        show.note("### Figures from partner returns\n\nLines supplied as aggregated figures by partners (periods "
                  "as given by each partner, compared by their lengths in days)."),
        show.show_table(returns.as_matrix(lines).rename_axis("Area"), f"Partner returns: {what} (Fig 2 layout)",
                        table_id=f"{table_id}-matrix") if matrix else None,
        show.show_table(returns.for_display(lines), f"Partner returns: {what}" + (", in detail" if matrix else ""),
                        table_id=table_id),
        show.note(method_note(lines, ctx.config.analysis.alpha, label="category")),
        show.note(_period_flags(lines)),
        show.note("**Where the published figures differ.** " + " ".join(differences["reason"]))
        if differences is not None and len(differences) else None,
    )
