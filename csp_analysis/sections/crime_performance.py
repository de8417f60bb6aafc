"""Section 01: recorded crime and ASB in the current period against the comparison period."""

from __future__ import annotations

import pandas as pd

from csp_analysis import formatting as fmt
from csp_analysis.categories import ALL_CRIME, ASB, CRIME_CATEGORIES
from csp_analysis.methods.change import compare_counts
from csp_analysis.periods import Period

#: Row order of the performance table: all crime first, the crime types, ASB on its own line last.
TABLE_ORDER: tuple[str, ...] = (ALL_CRIME, *CRIME_CATEGORIES, ASB)


def counts_by_category(records: pd.DataFrame, period: Period) -> pd.Series:
    """Records per police.uk category in ``period``, with the all-crime (excluding ASB) line."""
    in_period = records[records["Month"].isin(period.months)]
    counts = in_period["Crime type"].value_counts()
    counts[ALL_CRIME] = int(counts.drop(ASB, errors="ignore").sum())
    return counts.reindex(TABLE_ORDER, fill_value=0).astype("int64")


def performance_table(
    records: pd.DataFrame, previous: Period, current: Period, *, alpha: float = 0.05, small_count: int = 10
) -> pd.DataFrame:
    """One line per category: previous, current, change, % change and an adjusted Poisson test."""
    table = compare_counts(
        counts_by_category(records, previous),
        counts_by_category(records, current),
        previous.days,
        current.days,
        alpha=alpha,
        small_count=small_count,
    )
    table = table.rename_axis("category").reset_index()
    table["pct_change"] = table["pct_change"].round(1)
    return table


def monthly_counts(records: pd.DataFrame) -> pd.DataFrame:
    """Counts by month (rows, every month in the data) and category (columns, table order)."""
    table = pd.crosstab(records["Month"], records["Crime type"])
    table[ALL_CRIME] = table.drop(columns=[ASB], errors="ignore").sum(axis=1)
    return table.reindex(columns=list(TABLE_ORDER), fill_value=0).sort_index()


def for_display(table: pd.DataFrame, previous: Period, current: Period) -> pd.DataFrame:
    """The performance table as the reviewer reads it (strings; 'n/a' where no % can be given)."""
    return pd.DataFrame({
        "Category": table["category"],
        previous.label: table["previous"].map(fmt.count),
        current.label: table["current"].map(fmt.count),
        "% change": table["pct_change"].map(fmt.pct),
        "Change": table["change"].map(fmt.signed_count),
        "Adjusted p": table["p_adjusted"].map(fmt.p_value),
        "Assessment": table.apply(fmt.significance, axis=1),
    })


def side_by_side(area: pd.DataFrame, county: pd.DataFrame, area_name: str, county_name: str) -> pd.DataFrame:
    """District and county % changes per category, for context."""
    merged = area.merge(county, on="category", suffixes=("_area", "_county"))
    return pd.DataFrame({
        "Category": merged["category"],
        f"{area_name} now": merged["current_area"].map(fmt.count),
        f"{area_name} % change": merged["pct_change_area"].map(fmt.pct),
        f"{county_name} now": merged["current_county"].map(fmt.count),
        f"{county_name} % change": merged["pct_change_county"].map(fmt.pct),
        f"{area_name} share of {county_name} (%)": (100 * merged["current_area"]
                                                    / merged["current_county"].where(merged["current_county"] > 0)
                                                    ).map(lambda v: fmt.pct(v, signed=False)),
    })


def with_periods(table: pd.DataFrame, previous: Period, current: Period) -> pd.DataFrame:
    """The CSV form: the table plus the months each count covers."""
    return table.assign(previous_period=f"{previous.start}..{previous.end}",
                        current_period=f"{current.start}..{current.end}")


POLICE_UK_SOURCE = "police.uk street-level data"
CSV_COLUMNS = ("category", "previous", "current", "change", "pct_change", "p_value", "p_adjusted", "significant",
               "small_count", "previous_period", "current_period", "source")


def csv_table(police: pd.DataFrame | None, returns_lines: pd.DataFrame | None, area_name: str,
              previous: Period, current: Period) -> pd.DataFrame:
    """``crime_performance.csv``: the police.uk lines, then the area's lines from partner returns."""
    parts = []
    if police is not None:
        parts.append(with_periods(police, previous, current).assign(source=POLICE_UK_SOURCE))
    if returns_lines is not None:
        mine = returns_lines[returns_lines["area"] == area_name].drop(columns="area")
        parts.append(mine.assign(pct_change=mine["pct_change"].round(1)))
    if not parts:
        return pd.DataFrame(columns=list(CSV_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(CSV_COLUMNS)]
