"""Change between two periods of counts: tests that allow for over-dispersion, Benjamini-Hochberg
families, and the change tables every section publishes.

The rule for one line (docs/methodology.md, "Is the change more than chance?"): fit the monthly
counts of both periods with a Poisson model with a rate ratio between the periods (days in each
month as exposure) and estimate the dispersion phi = Pearson X2 / residual degrees of freedom.
When the periods are the same months of different years, each calendar month has its own level
(the season cancels out); otherwise the model has one rate per period. Where phi > 1 the change is
a quasi-Poisson Wald test (standard error scaled by sqrt(phi), t reference on the residual degrees
of freedom); where phi <= 1 it is the exact conditional Poisson test, the same test with phi
floored at 1. Figures with no monthly counts (partner returns) get the exact test, which cannot
check them for over-dispersion.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from csp_analysis import formatting as fmt
from csp_analysis.periods import (
    ENGLAND_LOCKDOWN_MONTHS,
    Period,
    abnormal_in,
    different_seasons,
)

#: The tests a change table names in its ``test`` column.
QUASI_POISSON = "quasi-Poisson (monthly)"
QUASI_POISSON_MATCHED = "quasi-Poisson (same months)"
EXACT_NO_EXTRA = "exact Poisson (no extra variation)"
EXACT_EMPTY = "exact Poisson (no events in a period)"
EXACT_FEW_MONTHS = "exact Poisson (too few months)"
EXACT_TOTALS = "exact Poisson (totals only)"
#: Confidence level of every rate-ratio interval (for the line alone, not adjusted for multiple testing).
CI_LEVEL = 0.95
#: The heading of the rate ratio and its interval in displayed tables.
RATE_RATIO_LABEL = f"Rate ratio ({CI_LEVEL:.0%} CI)"
#: The columns a change test adds to a table, in order.
TEST_COLUMNS = ("rate_ratio", "ci_low", "ci_high", "test", "dispersion", "p_value")


class ChangeTest(NamedTuple):
    """One line's test: the rate ratio (current daily rate / previous daily rate) with its
    confidence interval (NaN where unbounded or undefined), the test used, the dispersion estimate
    (NaN when it cannot be estimated) and the two-sided p-value."""

    rate_ratio: float
    ci_low: float
    ci_high: float
    test: str
    dispersion: float
    p_value: float


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


def exact_change_test(previous: int, current: int, previous_exposure: float, current_exposure: float, *,
                      level: float = CI_LEVEL, test: str = EXACT_TOTALS, dispersion: float = np.nan) -> ChangeTest:
    """The exact conditional Poisson test with its exact (Clopper-Pearson) rate-ratio interval.

    The current share of the events, pi = RR tc / (RR tc + tp), has an exact binomial interval;
    RR = pi tp / ((1 - pi) tc) maps it onto the rate ratio. No previous events: no finite rate
    ratio or upper limit (NaN); no events at all: nothing to estimate.
    """
    p_value = poisson_change_p_value(previous, current, previous_exposure, current_exposure)
    n = int(previous) + int(current)
    if n == 0:
        return ChangeTest(np.nan, np.nan, np.nan, test, dispersion, p_value)
    interval = stats.binomtest(int(current), n).proportion_ci(confidence_level=level, method="exact")
    odds = previous_exposure / current_exposure

    def ratio(share: float) -> float:
        return share / (1 - share) * odds if share < 1 else np.nan

    rate_ratio = (current / current_exposure) / (previous / previous_exposure) if previous else np.nan
    return ChangeTest(rate_ratio, ratio(interval.low), ratio(interval.high), test, dispersion, p_value)


def quasi_poisson_change_test(previous: Sequence[int], current: Sequence[int], previous_days: Sequence[float],
                              current_days: Sequence[float], *, matched: bool = False,
                              level: float = CI_LEVEL) -> ChangeTest:
    """The change test on monthly counts, allowing for over-dispersion (the module's rule).

    Model, a Poisson GLM: log E[y_t] = b0 + b1 * current_t + log(days_t), phi = Pearson X2 / (n - 2);
    or, with ``matched`` (month i of each period is the same calendar month), a level for each
    calendar month instead of b0: log E[y_t] = s_month(t) + b1 * current_t + log(days_t), phi =
    X2 / (k - 1) over the k months with any events (a month with none in both periods says nothing).
    phi > 1: rate ratio exp(b1), Wald t test and interval with the standard error scaled by
    sqrt(phi) on the residual degrees of freedom. phi <= 1: the exact test (phi floored at 1). The
    exact test also serves where phi cannot be estimated (no residual degrees of freedom) or b1 has
    no finite estimate (a period without events).
    """
    y_previous, y_current = np.asarray(previous, float), np.asarray(current, float)
    days = np.concatenate([np.asarray(previous_days, float), np.asarray(current_days, float)])
    totals = (int(y_previous.sum()), int(y_current.sum()))
    exposures = (float(np.sum(previous_days)), float(np.sum(current_days)))
    if matched:
        keep = np.tile((y_previous + y_current) > 0, 2)
        k = int(keep.sum()) // 2
        levels = np.vstack([np.eye(k), np.eye(k)])
    else:
        keep = np.ones(len(days), bool)
        levels = np.ones((len(days), 1))
    y = np.concatenate([y_previous, y_current])[keep]
    if min(totals) == 0:
        return exact_change_test(*totals, *exposures, level=level, test=EXACT_EMPTY)
    if len(y) - levels.shape[1] - 1 < 1:
        return exact_change_test(*totals, *exposures, level=level, test=EXACT_FEW_MONTHS)
    period = np.r_[np.zeros(len(y_previous)), np.ones(len(y_current))][keep]
    design = np.column_stack([levels, period])
    model = sm.GLM(y, design, family=sm.families.Poisson(), offset=np.log(days[keep]))
    with warnings.catch_warnings():  # months that fit their period's rate exactly (phi = 0) are no error
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        # phi from a fit at scale 1 (statsmodels' scale="X2" fails when every month equals its fitted value)
        poisson = model.fit(tol=1e-12)
        dispersion = float(poisson.pearson_chi2 / poisson.df_resid)
        fit = model.fit(scale=dispersion, use_t=True, tol=1e-12) if dispersion > 1 else poisson
    if dispersion <= 1:
        return exact_change_test(*totals, *exposures, level=level, test=EXACT_NO_EXTRA, dispersion=dispersion)
    low, high = np.exp(fit.conf_int(alpha=1 - level)[-1])
    return ChangeTest(float(np.exp(fit.params[-1])), float(low), float(high),
                      QUASI_POISSON_MATCHED if matched else QUASI_POISSON, dispersion, float(fit.pvalues[-1]))


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (false discovery rate), NaN passed through."""
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        adjusted[ok] = stats.false_discovery_control(p[ok], method="bh")
    return adjusted


def families(lines, family: str | Callable[[object], str], totals: Sequence = ()) -> pd.Series:
    """The Benjamini-Hochberg family of every line: ``family`` (a name, or a function of the line),
    and each total (a line that sums others of the table) in a family of its own, "<line> (total)".

    >>> families(["All crime", "Burglary", "Drugs"], "crime types", totals=["All crime"]).tolist()
    ['All crime (total)', 'crime types', 'crime types']
    """
    lines = pd.Index(lines)
    name = family if callable(family) else (lambda _: family)
    return pd.Series([f"{line} (total)" if line in totals else name(line) for line in lines], index=lines,
                     dtype="object")


def adjust_by_family(p_values: pd.Series, family: pd.Series) -> pd.Series:
    """Benjamini-Hochberg within each family (a family of one line keeps its p-value)."""
    adjusted = pd.Series(np.nan, index=p_values.index)
    for _, members in p_values.groupby(family.reindex(p_values.index).to_numpy(), sort=False):
        adjusted[members.index] = benjamini_hochberg(members.to_numpy())
    return adjusted


def _finish(previous: pd.Series, current: pd.Series, tests: list[ChangeTest], family: pd.Series | None,
            alpha: float, small_count: int) -> pd.DataFrame:
    """The change table from totals and tests: change, % change, BH within families, flags."""
    table = pd.DataFrame({"previous": previous.astype("int64"), "current": current.astype("int64")})
    table["change"] = table["current"] - table["previous"]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * table["change"] / table["previous"].where(table["previous"] > 0)
    table["pct_change"] = pct.astype("float64")
    tested = pd.DataFrame(tests, columns=list(TEST_COLUMNS), index=table.index)
    table = pd.concat([table, tested], axis=1)
    table["family"] = family.reindex(table.index) if family is not None else "all lines"
    table["p_adjusted"] = adjust_by_family(table["p_value"], table["family"])
    table["significant"] = table["p_adjusted"] < alpha
    table["small_count"] = table[["previous", "current"]].min(axis=1) < small_count
    order = ["previous", "current", "change", "pct_change", *TEST_COLUMNS, "p_adjusted", "family", "significant",
             "small_count"]
    return table[order]


def compare_counts(previous: pd.Series, current: pd.Series, previous_exposure: float, current_exposure: float, *,
                   family: pd.Series | None = None, alpha: float = 0.05, small_count: int = 10) -> pd.DataFrame:
    """Previous vs current totals per line with the exact test (figures that come as totals only).

    Columns ``previous, current, change, pct_change, rate_ratio, ci_low, ci_high, test, dispersion,
    p_value, p_adjusted, family, significant, small_count``. ``pct_change`` is NaN where previous
    is 0 (shown "n/a", never infinite); ``p_adjusted`` is Benjamini-Hochberg within each ``family``
    (index: line, value: family name; default one family); ``small_count`` flags a period with
    fewer than ``small_count`` events.
    """
    index = previous.index.union(current.index, sort=False)
    prev, cur = previous.reindex(index, fill_value=0), current.reindex(index, fill_value=0)
    tests = [exact_change_test(int(p), int(c), previous_exposure, current_exposure)
             for p, c in zip(prev, cur)]
    return _finish(prev, cur, tests, family, alpha, small_count)


def month_days(months: pd.Index) -> np.ndarray:
    """Days in each 'YYYY-MM' month (the exposure of a monthly count)."""
    return pd.PeriodIndex(months, freq="M").days_in_month.to_numpy(dtype=float)


def compare_monthly(previous: pd.DataFrame, current: pd.DataFrame, *, family: pd.Series | None = None,
                    alpha: float = 0.05, small_count: int = 10) -> pd.DataFrame:
    """Previous vs current per line from monthly counts (rows 'YYYY-MM', columns lines), tested by
    :func:`quasi_poisson_change_test`, with the months matched when the two periods are the same
    calendar months in the same order. Columns as :func:`compare_counts`."""
    lines = previous.columns.union(current.columns, sort=False)
    previous, current = previous.reindex(columns=lines, fill_value=0), current.reindex(columns=lines, fill_value=0)
    previous_days, current_days = month_days(previous.index), month_days(current.index)
    matched = [m[5:] for m in previous.index] == [m[5:] for m in current.index]
    tests = [quasi_poisson_change_test(previous[line].to_numpy(), current[line].to_numpy(), previous_days,
                                       current_days, matched=matched) for line in lines]
    return _finish(previous.sum(), current.sum(), tests, family, alpha, small_count)


def change_table(previous_monthly: pd.DataFrame | None, current_monthly: pd.DataFrame, previous: Period | None,
                 current: Period, *, family: pd.Series | None = None, alpha: float = 0.05, small_count: int = 10,
                 abnormal_months: Sequence[str] = ENGLAND_LOCKDOWN_MONTHS) -> pd.DataFrame:
    """A published change table from the monthly counts of each period (rows 'YYYY-MM', columns lines).

    The columns of :func:`compare_monthly`, with ``change_display`` and ``pct_change_display``
    ("Equal" when unchanged) after ``pct_change``, then ``comparison_available``,
    ``different_seasons`` (the periods cover different months of the year) and ``abnormal_months``
    (the months of either period listed in ``abnormal_months``, space-separated). With
    ``previous_monthly=None`` (no comparison possible) the table holds current figures only.
    """
    if previous_monthly is None:
        table = _current_only(current_monthly.sum(), family, small_count)
    else:
        table = compare_monthly(previous_monthly, current_monthly, family=family, alpha=alpha,
                                small_count=small_count)
        table = table.astype({"previous": "Int64", "change": "Int64"})
        table["pct_change"] = table["pct_change"].round(1)
    texts = [change_texts(change, pct) for change, pct in zip(table["change"], table["pct_change"])]
    table.insert(4, "change_display", [change for change, _ in texts])
    table.insert(5, "pct_change_display", [pct for _, pct in texts])
    table["comparison_available"] = previous_monthly is not None
    months = (previous.months if previous is not None else []) + current.months
    table["different_seasons"] = previous is not None and different_seasons(previous.months, current.months)
    table["abnormal_months"] = " ".join(abnormal_in(months, abnormal_months))
    return table


def _current_only(current: pd.Series, family: pd.Series | None, small_count: int) -> pd.DataFrame:
    """A change table's columns when there is no comparison: current figures, the rest missing."""
    missing = pd.array([pd.NA] * len(current), dtype="Int64")
    table = pd.DataFrame({"previous": missing, "current": current.astype("int64"), "change": missing,
                          "pct_change": np.nan, "rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                          "test": "", "dispersion": np.nan, "p_value": np.nan, "p_adjusted": np.nan},
                         index=current.index)
    table["family"] = family.reindex(table.index) if family is not None else "all lines"
    table["significant"] = pd.array([pd.NA] * len(table), dtype="boolean")
    table["small_count"] = table["current"] < small_count
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
