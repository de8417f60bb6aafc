"""Summary tables as the reader sees them: counts, changes and the significance verdict."""

from __future__ import annotations

import pandas as pd

from csp_analysis import formatting as fmt


def cell_text(row: pd.Series) -> str:
    """'+38% (87 to 120)', 'Equal (2 to 2)', 'n/a (0 to 5)' or '114' without a comparison."""
    if not row["comparison_available"]:
        return fmt.count(row["current"])
    span = f"({fmt.count(row['previous'])} to {fmt.count(row['current'])})"
    if row["change"] == 0:
        return f"Equal {span}"
    marker = " *" if row["significant"] else ""
    return f"{fmt.pct(row['pct_change'])} {span}{marker}"

def lines_view(table: pd.DataFrame, previous_label: str, current_label: str) -> pd.DataFrame:
    """A summary table as rows of lines with counts, changes and the significance verdict.

    A figure already replaced by text (a disclosure-control marker such as "[c]") is shown as it is.
    """
    def count(value) -> str:
        return value if isinstance(value, str) else fmt.count(value)

    def verdict(row: pd.Series) -> str:
        return row["significant"] if isinstance(row["significant"], str) else fmt.significance(row)

    comparable = bool(table["comparison_available"].all())
    view = pd.DataFrame({"Line": table["line"]})
    if "geography" in table:
        view.insert(0, "Area", table["geography"])
    if comparable:
        view[previous_label] = table["previous"].map(count)
    view[current_label] = table["current"].map(count)
    if comparable:
        view["Change"] = table["change_display"]
        view["% change"] = table["pct_change_display"]
        view["Assessment"] = table.apply(verdict, axis=1)
    return view
