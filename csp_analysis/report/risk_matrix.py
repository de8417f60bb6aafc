"""The priority risk matrix: harm against pressure, one labelled point per issue."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from csp_analysis.config.priorities import PriorityScoring
from csp_analysis.methods.priorities import RAG_ORDER

#: Colour-blind-safe colours (Okabe-Ito orange and bluish green, a dark red of distinct lightness)
#: and marker shapes, so RAG never depends on colour alone.
RAG_STYLE = {"red": ("#B2182B", "^"), "amber": ("#E69F00", "D"), "green": ("#009E73", "o")}

def _place_labels(ax, ordered: pd.DataFrame, labels: list[str]) -> list:
    """One label per issue beside its point, moved apart by adjustText (clear of the points and of
    each other, inside the axes), with a thin leader line where a label had to move."""
    from adjustText import adjust_text

    texts = [ax.text(row.pressure + 0.08, row.harm + 0.06, label, fontsize=7, zorder=4, gid="issue_label")
             for row, label in zip(ordered.itertuples(), labels)]
    arrows = {"arrowstyle": "-", "color": "0.5", "linewidth": 0.5}
    leaders: list = []
    for expand in ((1.1, 1.3), (1.2, 1.6), (1.3, 2.0)):  # wider margins until no two labels touch
        for leader in leaders:  # a retry draws its own leader lines
            leader.remove()
        ax.figure.canvas.draw()
        _, leaders = adjust_text(texts, x=ordered["pressure"].to_numpy(), y=ordered["harm"].to_numpy(), ax=ax,
                                 ensure_inside_axes=True, expand=expand, min_arrow_len=8, arrowprops=arrows,
                                 iter_lim=1000)  # an iteration limit, not a time limit: the same figure every run
        if not _overlapping(ax, texts):
            break
    return texts


def _overlapping(ax, texts: list) -> bool:
    """True when any two labels' drawn boxes intersect."""
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def risk_matrix(scored: pd.DataFrame, scoring: PriorityScoring | None = None, *,
                title: str = "Priority risk matrix") -> Figure:
    """Harm (the ONS Crime Severity Score, 0-5) against pressure (trend and public concern), one
    labelled point per issue.

    RAG is shown by colour (colour-blind-safe) **and** marker shape (red triangle, amber diamond,
    green circle). Because the total is harm x pressure x modifier, the RAG boundaries on this
    plane are the curves pressure x harm = threshold (drawn for the neutral modifier 1.0); an
    issue whose ratings give another modifier carries it in its label (e.g. "x1.20"), which is why it
    may sit on the other side of a curve. Dotted quadrant lines at the scale midpoint (2.5) split
    high from low harm and pressure.
    """
    scoring = scoring or PriorityScoring()
    t = scoring.thresholds
    figure = Figure(figsize=(8, 6.5))
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    for value in (2.5,):
        ax.axvline(value, color="0.6", linestyle=":", linewidth=0.8)
        ax.axhline(value, color="0.6", linestyle=":", linewidth=0.8)
    for level in RAG_ORDER:
        rows = scored[scored["rag"] == level]
        colour, marker = RAG_STYLE[level]
        bound = {"red": f"total ≥ {t.red:g}", "amber": f"{t.amber:g} ≤ total < {t.red:g}",
                 "green": f"total < {t.amber:g}"}[level]
        ax.scatter(rows["pressure"], rows["harm"], s=70, color=colour, marker=marker, edgecolor="black",
                   linewidth=0.6, zorder=3, label=f"{level.capitalize()} ({bound})")
    for level, threshold in (("amber", t.amber), ("red", t.red)):
        if threshold < 25:
            x = np.linspace(threshold / 5, 5, 200)
            ax.plot(x, threshold / x, color=RAG_STYLE[level][0], linestyle="--", linewidth=1.2,
                    label=f"{level.capitalize()} boundary: pressure × harm = {threshold:g} (modifier 1.00)")
    ordered = scored.sort_values("rank")
    labels = [f"{row.rank}. {row.issue}" + ("" if math.isclose(row.modifier, 1.0) else f" (×{row.modifier:.2f})")
              for row in ordered.itertuples()]
    ax.set_xlim(0, 5.2)
    ax.set_ylim(0, 5.2)
    ax.set_xlabel("Pressure (trend and public concern), 0–5")
    ax.set_ylabel("Harm (ONS Crime Severity Score, log scale), 0–5")
    ax.set_title(title, loc="left")
    ax.legend(loc="lower left", fontsize=8, frameon=True)
    ax.grid(linewidth=0.3, alpha=0.4)
    figure.tight_layout()
    _place_labels(ax, ordered, labels)
    return figure
