"""Static charts for the sections (matplotlib figures, never shown directly)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from csp_analysis.periods import Period

CURRENT_COLOUR = "#d95f02"
PREVIOUS_COLOUR = "#7570b3"
LINE_COLOUR = "#1b4f72"


def monthly_small_multiples(monthly: pd.DataFrame, previous: Period, current: Period, *, ncols: int = 3) -> Figure:
    """One panel per column of ``monthly`` (months ``YYYY-MM`` as rows), with both periods shaded.

    Every month from the first to the last has its place on the axis; a month missing from
    ``monthly`` (no data) breaks the line rather than being bridged by it.
    """
    columns = list(monthly.columns)
    nrows = math.ceil(len(columns) / ncols)
    figure = Figure(figsize=(10, 2.1 * nrows))
    axes = figure.subplots(nrows, ncols, sharex=True, squeeze=False).ravel()
    months = every_month(list(monthly.index))
    monthly = monthly.reindex(months)
    position = {m: i for i, m in enumerate(months)}
    for ax, column in zip(axes, columns):
        values = monthly[column].to_numpy(dtype=float)
        ax.plot(range(len(months)), values, color=LINE_COLOUR, linewidth=1.4)
        if not np.isfinite(values).any():
            ax.set_ylim(0, 1)  # nothing to draw: an empty panel, not NaN limits
        for period, colour in ((previous, PREVIOUS_COLOUR), (current, CURRENT_COLOUR)):
            inside = [position[m] for m in period.months if m in position]
            if inside:
                ax.axvspan(min(inside) - 0.5, max(inside) + 0.5, color=colour, alpha=0.12, linewidth=0)
        ax.set_title(column, loc="left")
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", linewidth=0.4, alpha=0.6)
    for ax in axes[len(columns):]:
        ax.set_visible(False)
    if len(months) > 24:  # yearly ticks on long series
        ticks = [i for i, m in enumerate(months) if m.endswith("-01")]
        labels = [months[i][:4] for i in ticks]
    else:
        ticks = [i for i, m in enumerate(months) if m.endswith(("-01", "-07"))] or [0]
        labels = [pd.Period(months[i]).strftime("%b %Y") for i in ticks]
    for ax in axes:
        ax.set_xticks(ticks, labels, fontsize=7)
    figure.legend(
        handles=[
            matplotlib_patch(PREVIOUS_COLOUR, f"Comparison period ({previous.label})"),
            matplotlib_patch(CURRENT_COLOUR, f"Current period ({current.label})"),
        ],
        loc="upper center", ncols=2, frameon=False, bbox_to_anchor=(0.5, 1.0),
    )
    figure.tight_layout(rect=(0, 0, 1, 0.97))
    return figure


def every_month(months: list[str]) -> list[str]:
    """Every month from the first to the last of ``months`` (``YYYY-MM``).

    >>> every_month(["2021-11", "2022-02"])
    ['2021-11', '2021-12', '2022-01', '2022-02']
    """
    if not months:
        return []
    return [str(p) for p in pd.period_range(min(months), max(months), freq="M")]


def matplotlib_patch(colour: str, label: str):
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, alpha=0.25, label=label)


def horizontal_shares(table: pd.DataFrame, label: str, value: str, title: str) -> Figure:
    """A horizontal bar chart of shares (%), largest at the top."""
    ordered = table.sort_values(value)
    figure = Figure(figsize=(7, 0.35 * len(ordered) + 1))
    ax = figure.subplots()
    ax.barh(ordered[label], ordered[value], color=LINE_COLOUR)
    for y, v in enumerate(ordered[value]):
        ax.text(v + 0.5, y, f"{v:.1f}%", va="center", fontsize=8)
    ax.set_xlabel("Share of the current period's crimes (%)")
    ax.set_title(title, loc="left")
    ax.set_xlim(0, max(ordered[value].max() * 1.15, 1))
    figure.tight_layout()
    return figure
