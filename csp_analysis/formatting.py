"""How numbers read in tables and sentences: thousands separators, signed changes, 'n/a'."""

from __future__ import annotations

import math

import pandas as pd


def count(value) -> str:
    """A count with thousands separators.

    >>> count(12345)
    '12,345'
    """
    return f"{int(value):,}"


def signed_count(value) -> str:
    """A change with its sign; no sign on zero.

    >>> signed_count(1423), signed_count(-8), signed_count(0)
    ('+1,423', '-8', '0')
    """
    return f"{int(value):+,}" if value else "0"


def pct(value, *, signed: bool = True) -> str:
    """A percentage to one decimal; 'n/a' where there is no previous figure to take it of.

    >>> pct(23.87), pct(float("nan")), pct(35.9, signed=False)
    ('+23.9%', 'n/a', '35.9%')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "n/a"
    return f"{value:+.1f}%" if signed else f"{value:.1f}%"


def p_value(value) -> str:
    """p-values as reviewers read them: '<0.001' or three decimals.

    >>> p_value(0.0004), p_value(0.04567)
    ('<0.001', '0.046')
    """
    if pd.isna(value):
        return ""
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def significance(row: pd.Series) -> str:
    """'Significant rise', 'Significant fall' or 'No significant change' (with a small-count flag)."""
    if row["significant"]:
        text = "Significant rise" if row["change"] > 0 else "Significant fall"
    else:
        text = "No significant change"
    return f"{text} (small numbers)" if row.get("small_count", False) else text
