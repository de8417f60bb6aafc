"""Sentences computed from tables, so the text can never disagree with the figures."""

from __future__ import annotations

import re

import pandas as pd

from csp_analysis import formatting as fmt


def is_plural(subject: str) -> bool:
    """Whether a line's name takes a plural verb: 'Fire injuries were', 'Possession of weapons was'.

    >>> [is_plural(s) for s in ("Fire injuries", "Robbery", "Possession of weapons", "ASB incidents (council)",
    ...                         "Violence and sexual offences", "Bicycle theft")]
    [True, False, False, True, True, False]
    """
    if " and " in subject:
        return True
    head = re.split(r" (?:of|from|in)\b| \(", subject)[0].split()
    return bool(head) and head[-1].endswith("s") and not head[-1].endswith("ss")


def change_sentence(row: pd.Series, subject: str, noun: str = "offences") -> str:
    """'All crime rose 23.9%, 1,423 more offences (5,958 to 7,381); this is statistically significant.'"""
    prev, cur, change = int(row["previous"]), int(row["current"]), int(row["change"])
    if change == 0:
        text = f"{subject} {'were' if is_plural(subject) else 'was'} unchanged at {fmt.count(cur)}"
    elif prev == 0:
        text = f"{subject} rose from none to {fmt.count(cur)} (no percentage change can be given)"
    else:
        verb = "rose" if change > 0 else "fell"
        more = "more" if change > 0 else "fewer"
        text = (f"{subject} {verb} {abs(row['pct_change']):.1f}%, {fmt.count(abs(change))} {more} {noun} "
                f"({fmt.count(prev)} to {fmt.count(cur)})")
    if change != 0:
        verdict = "statistically significant" if row["significant"] else "within the range expected by chance"
        text += f"; the change is {verdict}"
        if row.get("small_count", False):
            text += ", and the numbers are small"
    return text + "."


def significant_changes(table: pd.DataFrame, label_column: str = "category") -> str:
    """A sentence naming the lines with significant rises and falls, largest first."""
    significant = table[table["significant"]]
    parts = []
    for direction, rows in (("rises", significant[significant["change"] > 0]),
                            ("falls", significant[significant["change"] < 0])):
        if len(rows):
            rows = rows.reindex(rows["change"].abs().sort_values(ascending=False).index)
            items = ", ".join(f"{r[label_column]} ({fmt.pct(r['pct_change'])}, {fmt.signed_count(r['change'])})"
                              for _, r in rows.iterrows())
            parts.append(f"significant {direction}: {items}")
    if not parts:
        return "No line changed by more than chance would explain, after adjusting for multiple comparisons."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
