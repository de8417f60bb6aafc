"""Tests for change between two periods of counts, and multiple-testing control."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from csp_analysis import formatting as fmt
from csp_analysis.periods import Period


def poisson_change_p_value(previous: int, current: int, previous_exposure: float, current_exposure: float) -> float:
    """Two-sided exact conditional test that two Poisson counts share one rate.

    Given ``n = previous + current`` events, under the null hypothesis the current count is
    Binomial(n, current_exposure / (previous_exposure + current_exposure)). Exposure is the
    length of each period (days), so periods of unequal length compare fairly.
    """
    if previous < 0 or current < 0:
        raise ValueError("counts must be non-negative")
    n = int(previous) + int(current)
    if n == 0:
        return 1.0
    share = current_exposure / (previous_exposure + current_exposure)
    return float(stats.binomtest(int(current), n, share, alternative="two-sided").pvalue)


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (false discovery rate), NaN passed through."""
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        adjusted[ok] = stats.false_discovery_control(p[ok], method="bh")
    return adjusted


def compare_counts(
    previous: pd.Series,
    current: pd.Series,
    previous_exposure: float,
    current_exposure: float,
    *,
    alpha: float = 0.05,
    small_count: int = 10,
) -> pd.DataFrame:
    """Previous vs current counts per line, with change, % change and an adjusted significance test.

    Returns one row per index value with columns ``previous, current, change, pct_change,
    p_value, p_adjusted, significant, small_count``. ``pct_change`` is NaN where previous is 0
    (shown as "n/a", never infinite). ``p_adjusted`` applies Benjamini-Hochberg across the rows.
    ``small_count`` flags rows where either period has fewer than ``small_count`` events.
    """
    index = previous.index.union(current.index, sort=False)
    prev = previous.reindex(index, fill_value=0).astype("int64")
    cur = current.reindex(index, fill_value=0).astype("int64")
    table = pd.DataFrame({"previous": prev, "current": cur})
    table["change"] = table["current"] - table["previous"]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * table["change"] / table["previous"].where(table["previous"] > 0)
    table["pct_change"] = pct.astype("float64")
    table["p_value"] = [
        poisson_change_p_value(p, c, previous_exposure, current_exposure) for p, c in zip(prev, cur)
    ]
    table["p_adjusted"] = benjamini_hochberg(table["p_value"].to_numpy())
    table["significant"] = table["p_adjusted"] < alpha
    table["small_count"] = (table[["previous", "current"]].min(axis=1) < small_count)
    return table


def change_table(previous_counts: pd.Series | None, current_counts: pd.Series, previous: Period | None,
                 current: Period, *, alpha: float = 0.05, small_count: int = 10) -> pd.DataFrame:
    """Previous and current totals per line with change, % change, display text and significance.

    Significance comes from ``stats.compare_counts`` with the period lengths in days as exposure
    (Benjamini-Hochberg across all rows). With ``previous_counts=None`` (no comparison possible)
    the table holds current figures only and ``comparison_available`` is False.
    """
    if previous_counts is None:
        missing = [pd.NA] * len(current_counts)
        table = pd.DataFrame({"previous": pd.array(missing, dtype="Int64"), "current": current_counts.astype("int64"),
                              "change": pd.array(missing, dtype="Int64"), "pct_change": float("nan"),
                              "p_value": float("nan"), "p_adjusted": float("nan"),
                              "significant": pd.array(missing, dtype="boolean")}, index=current_counts.index)
        table["small_count"] = table["current"] < small_count
    else:
        table = compare_counts(previous_counts, current_counts, previous.days, current.days,
                               alpha=alpha, small_count=small_count)
        table = table.astype({"previous": "Int64", "change": "Int64"})
        table["pct_change"] = table["pct_change"].round(1)
    texts = [change_texts(change, pct) for change, pct in zip(table["change"], table["pct_change"])]
    table.insert(4, "change_display", [change for change, _ in texts])
    table.insert(5, "pct_change_display", [pct for _, pct in texts])
    table["comparison_available"] = previous_counts is not None
    return table

def change_texts(change, pct, missing: str = "") -> tuple[str, str]:
    """Change and % change as displayed: "Equal" when unchanged, ``missing`` without a comparison."""
    if pd.isna(change):
        return missing, missing
    if change == 0:
        return "Equal", "Equal"
    return fmt.signed_count(change), fmt.pct(pct)

def monthly_totals(lines: pd.DataFrame, dates: pd.Series, period: Period | None = None) -> pd.DataFrame:
    """Sum per-record line values by month ("YYYY-MM" index ``month``), empty months as 0.

    The months are the period's, or every month from the first record to the last.
    """
    months = dates.dt.to_period("M")
    if period is not None:
        keep = period.contains(dates)
        lines, months = lines[keep], months[keep]
        index = period.months
    elif months.notna().any():
        index = [str(m) for m in pd.period_range(months.min(), months.max(), freq="M")]
    else:
        index = []
    totals = lines.groupby(months.astype("str")).sum()
    return totals.reindex(pd.Index(index, name="month"), fill_value=0)
