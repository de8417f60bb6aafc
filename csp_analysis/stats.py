"""Tests for change between two periods of counts, and multiple-testing control."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


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
