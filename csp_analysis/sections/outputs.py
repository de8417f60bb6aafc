"""Where a section writes what it shows: every table as CSV, every figure as PNG."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from csp_analysis.report.display import figure_png, show_figure


@dataclass(frozen=True)
class Outputs:
    """The output folder of one run: ``tables/<name>.csv`` and ``figures/<name>.png``."""

    folder: Path

    def save_table(self, table: pd.DataFrame | None, name: str) -> None:
        """Write ``tables/<name>.csv`` (every table shown is also written as CSV); None writes nothing."""
        if table is None:
            return
        path = self.folder / "tables" / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(path, index=False, float_format="%.6g", lineterminator="\n")

    def figure(self, figure, name: str, alt: str):
        """Write ``figures/<name>.png`` and return it for display, with its alternative text."""
        png = figure_png(figure)
        path = self.folder / "figures" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        return show_figure(png, alt)
