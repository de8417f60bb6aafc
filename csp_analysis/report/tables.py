"""Summary tables as the reader sees them: counts, changes, the test and the significance verdict."""

from __future__ import annotations

import pandas as pd

from csp_analysis import formatting as fmt
from csp_analysis.methods import change

RATE_RATIO = change.RATE_RATIO_LABEL


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
    """A summary table as rows of lines with counts, changes, the rate ratio, the test (with its
    dispersion) and the significance verdict.

    A line whose figures were replaced by text (a disclosure-control marker such as "[c]") shows
    that text in every column computed from its counts.
    """
    def hidden(row: pd.Series) -> bool:
        return isinstance(row["significant"], str)

    def count(value) -> str:
        return value if isinstance(value, str) else fmt.count(value)

    def computed(describe):
        return lambda row: row["significant"] if hidden(row) else describe(row)

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
        view[RATE_RATIO] = table.apply(computed(fmt.rate_ratio), axis=1)
        view["Test"] = table.apply(computed(fmt.which_test), axis=1)
        view["Assessment"] = table.apply(computed(fmt.significance), axis=1)
    return view


def _family_list(table: pd.DataFrame, label: str) -> str:
    parts = []
    for family, rows in table.groupby("family", sort=False):
        parts.append(f"{rows[label].iloc[0]} on its own" if len(rows) == 1 else f"{family} ({len(rows)} lines)")
    return "; ".join(parts)


def method_note(table: pd.DataFrame, alpha: float, label: str = "line") -> str | None:
    """How the table's changes were tested, in words: the model and its assumptions for the tests
    the table uses, the interval, and the Benjamini-Hochberg families (None when nothing was tested)."""
    table = table[table["test"] != ""]
    if table.empty:
        return None
    tests = set(table["test"])
    text = ["**How the changes are tested.**"]
    if tests & {change.QUASI_POISSON, change.QUASI_POISSON_MATCHED, change.EXACT_NO_EXTRA}:
        text.append(
            "Each line's monthly counts in the two periods are fitted by a Poisson model of the rate ratio between "
            "the periods, with days in each month as exposure. When the periods are the same months of different "
            "years, each calendar month has its own level, so the season cancels out (\"same months\"); otherwise "
            "there is one rate per period (\"monthly\") and a season or trend inside the periods counts as extra "
            "variation, which makes the test cautious. The *dispersion* (Pearson chi-square over the residual "
            "degrees of freedom) measures how much the months vary: about 1 is what chance alone gives, more means "
            "the counts come in bursts (series offending, spells of weather, batches of reports). Above 1, the "
            "change is a quasi-Poisson test: the model's standard error is widened by the square root of the "
            "dispersion and the rate ratio is tested against a t distribution on the residual degrees of freedom. "
            "At 1 or below, it is the exact conditional Poisson test (binomial, period lengths in days as "
            "exposure): the same rule with the dispersion floored at 1.")
    if change.EXACT_EMPTY in tests:
        text.append("A line with no events in one period has no finite rate ratio, so it gets the exact test, "
                    "which does not allow for extra variation.")
    if change.EXACT_FEW_MONTHS in tests:
        text.append("Where too few months have events to estimate the dispersion, a line gets the exact test, "
                    "which does not allow for extra variation.")
    if change.EXACT_TOTALS in tests:
        text.append("Figures supplied as totals have no monthly counts, so their over-dispersion cannot be "
                    "checked: they get the exact conditional Poisson test, which assumes none and may call "
                    "significant a change that month-to-month variation would explain.")
    text.append(
        f"*Rate ratio* is the current daily rate over the comparison daily rate, with its {change.CI_LEVEL:.0%} "
        "confidence interval for that line alone. p-values are adjusted for multiple testing by Benjamini-Hochberg "
        f"within each family: {_family_list(table, label)}.")
    if table["family"].str.endswith("(total)").any():
        text.append("A total is tested on its own, outside the family of the lines it sums.")
    text.append(f"A significant rise or fall has an adjusted p below {alpha:g}.")
    return " ".join(text)
