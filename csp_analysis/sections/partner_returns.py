"""Partner returns shown beside the lines computed from records."""

from __future__ import annotations

import pandas as pd

from csp_analysis.methods.change import change_texts


def summary_csv(table: pd.DataFrame | None, returns_lines: pd.DataFrame | None, source: str) -> pd.DataFrame:
    """A section summary CSV: the lines computed from records, then the lines from partner returns.

    Returns lines take the summary's columns (``geography`` from their area, ``line`` from their
    category) and keep their own periods; every line names its source. A returns line with no
    previous figure shows "n/a".
    """
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
