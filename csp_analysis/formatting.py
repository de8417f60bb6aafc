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


def rate_ratio(row: pd.Series) -> str:
    """The rate ratio and its confidence interval; "n/a" where no ratio can be given.

    >>> rate_ratio(pd.Series({"rate_ratio": 0.6987, "ci_low": 0.5612, "ci_high": 0.8701}))
    '0.70 (0.56 to 0.87)'
    >>> rate_ratio(pd.Series({"rate_ratio": float("nan"), "ci_low": 0.92, "ci_high": float("nan")}))
    'n/a (at least 0.92)'
    """
    if pd.isna(row["ci_low"]):
        return "" if pd.isna(row["rate_ratio"]) else f"{row['rate_ratio']:.2f}"
    if pd.isna(row["ci_high"]):
        return f"n/a (at least {row['ci_low']:.2f})"
    return f"{row['rate_ratio']:.2f} ({row['ci_low']:.2f} to {row['ci_high']:.2f})"


def which_test(row: pd.Series) -> str:
    """The test a line was given, with the dispersion where it was estimated.

    >>> which_test(pd.Series({"test": "quasi-Poisson (monthly)", "dispersion": 7.283}))
    'quasi-Poisson (monthly, dispersion 7.3)'
    >>> which_test(pd.Series({"test": "exact Poisson (totals only)", "dispersion": float("nan")}))
    'exact Poisson (totals only)'
    """
    if pd.isna(row["dispersion"]):
        return row["test"]
    return f"{row['test'].removesuffix(')')}, dispersion {row['dispersion']:.1f})"


def ordinal(value) -> str:
    """A rank as an English ordinal.

    >>> ordinal(1), ordinal(2), ordinal(3), ordinal(11), ordinal(22)
    ('1st', '2nd', '3rd', '11th', '22nd')
    """
    value = int(value)
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"
