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


def rank_stability_chart(stability: pd.DataFrame, *, title: str) -> Figure:
    """The Monte Carlo range of each issue's rank (:func:`csp_analysis.methods.priorities.stability`).

    One row per issue in base rank order: a thin line from its best to its worst rank, a thick bar
    over the middle 90% of draws, a dot at its rank with the configured weights, and beside it the
    share of draws in the top N and the share red. A dashed line marks the top-N boundary.
    """
    meta = stability.attrs["stability"]
    n, top_n = len(stability), meta["top_n"]
    figure = Figure(figsize=(8.5, 1.3 + 0.32 * n))
    ax = figure.subplots()
    rows = range(n)
    ax.hlines(rows, stability["rank_min"], stability["rank_max"], color="0.55", linewidth=1)
    ax.hlines(rows, stability["rank_low"], stability["rank_high"], color=LINE_COLOUR, linewidth=5, alpha=0.45)
    ax.scatter(stability["rank"], rows, color=LINE_COLOUR, s=28, zorder=3, label="Rank with the configured weights")
    ax.axvline(top_n + 0.5, color=CURRENT_COLOUR, linestyle="--", linewidth=1, label=f"Top {top_n} boundary")
    for row, item in zip(rows, stability.itertuples()):
        ax.text(n + 1.2, row, f"top {top_n}: {item.top_share:.0%}   red: {item.red_share:.0%}", va="center",
                fontsize=7, gid="stability_label")
    ax.set_yticks(list(rows), stability["issue"].tolist(), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0.5, n + 0.5)
    ax.set_xticks(range(1, n + 1))
    ax.set_xlabel(f"Rank in {meta['draws']:,} random draws of the weights and thresholds (1 = highest priority); "
                  "line: best to worst, bar: middle 90%", fontsize=8)
    ax.set_title(title, loc="left", pad=20)
    ax.grid(axis="x", linewidth=0.3, alpha=0.5)
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, fontsize=7, frameon=False)
    figure.tight_layout()
    return figure


def ranking_small_multiples(table: pd.DataFrame, highlight: list[str], *, ncols: int = 4,
                            reference: pd.Series | None = None) -> Figure:
    """One panel per category of a district ranking (``district``, ``category``, ``rate_per_1000``):
    a bar per district, highest rate at the top, the ``highlight`` districts in the current-period colour;
    a dashed line at each category's ``reference`` rate (the national one) when given."""
    names = list(dict.fromkeys(table["category"]))
    nrows = math.ceil(len(names) / ncols)
    districts = table["district"].nunique()
    figure = Figure(figsize=(3.2 * ncols, (0.22 * districts + 0.9) * nrows))
    axes = figure.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, name in zip(axes, names):
        rows = table[table["category"] == name].sort_values("rate_per_1000")
        colours = [CURRENT_COLOUR if d in highlight else "0.7" for d in rows["district"]]
        ax.barh(rows["district"], rows["rate_per_1000"].fillna(0), color=colours)
        if reference is not None and name in reference.index:
            ax.axvline(reference[name], color=LINE_COLOUR, linestyle="--", linewidth=1, gid="reference")
        ax.set_title(name, loc="left", fontsize=9)
        ax.tick_params(labelsize=7)
        ax.set_xlabel("per 1,000 residents", fontsize=7)
        ax.set_axisbelow(True)
        ax.grid(axis="x", linewidth=0.3, alpha=0.5)
    for ax in axes[len(names):]:
        ax.set_visible(False)
    figure.tight_layout()
    return figure
