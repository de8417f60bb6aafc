"""Section 02: where crime and ASB happen by ward, how that changed, and significant hot spots."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from csp_analysis import formatting as fmt
from csp_analysis.categories import ALL_CRIME, ASB, POLICE_UK_CATEGORIES
from csp_analysis.geo.boundaries import BNG
from csp_analysis.geo.wards import (
    ASSIGNMENTS,
    assign_to_wards,
    top_wards,
    ward_counts,
    ward_table,
)
from csp_analysis.sections.context import Assessment

ASSIGNMENT_LABELS = {
    "within": "Inside a ward polygon",
    "nearest": "Just outside: given to the nearest ward",
    "no_location": "No location: counted, not mapped",
    "beyond_tolerance": "Too far outside every ward: counted, not mapped",
}


@dataclass
class WardAnalysis:
    records: pd.DataFrame  # area records of both periods with ward assignment
    table: pd.DataFrame  # ward_counts.csv
    assignment: pd.DataFrame  # counts by assignment and period


def analyse(ctx: Assessment) -> WardAnalysis:
    """Assign the area's records of both periods to wards and build the ward table."""
    settings = ctx.config.analysis
    records = ctx.in_periods(ctx.area_records)
    assigned = records.join(assign_to_wards(records, ctx.wards, tolerance_m=settings.ward_tolerance_m))
    counts = {
        period: ward_counts(assigned[(assigned["period"] == period) & assigned["ward_code"].notna()], ctx.wards)
        for period in ("previous", "current")
    }
    table = ward_table(counts["previous"], counts["current"], ctx.wards, ctx.ward_population,
                       permutations=settings.permutations, seed=settings.seed, alpha=settings.alpha)
    summary = (pd.crosstab(assigned["assignment"], assigned["period"])
               .reindex(index=list(ASSIGNMENTS), columns=["previous", "current"], fill_value=0))
    return WardAnalysis(assigned, table, summary)


def assignment_table(analysis: WardAnalysis, ctx: Assessment) -> pd.DataFrame:
    """How every record of both periods was placed (the columns add up to the area totals)."""
    summary = analysis.assignment
    shown = pd.DataFrame({
        "How the record was placed": [ASSIGNMENT_LABELS[a] for a in summary.index],
        ctx.previous.label: summary["previous"].map(fmt.count).to_numpy(),
        ctx.current.label: summary["current"].map(fmt.count).to_numpy(),
    })
    totals = pd.DataFrame({"How the record was placed": ["All records in the area"],
                           ctx.previous.label: [fmt.count(summary["previous"].sum())],
                           ctx.current.label: [fmt.count(summary["current"].sum())]})
    return pd.concat([shown, totals], ignore_index=True)


def csv_table(table: pd.DataFrame) -> pd.DataFrame:
    """``ward_counts.csv``: rounded rates and percentages, categories in report order."""
    order = {c: i for i, c in enumerate((ALL_CRIME, *POLICE_UK_CATEGORIES))}
    out = table.sort_values(["category", "ward_name"], key=lambda s: s.map(order) if s.name == "category" else s,
                            kind="stable").reset_index(drop=True)
    return out.assign(pct_change=out["pct_change"].round(1), rate_per_1000=out["rate_per_1000"].round(2),
                      gi_z=out["gi_z"].round(3))


def category_frame(table: pd.DataFrame, wards: gpd.GeoDataFrame, category: str) -> gpd.GeoDataFrame:
    """One category's rows of the ward table joined to the ward polygons (ward order)."""
    rows = table[table["category"] == category].drop(columns="ward_name")
    return wards.merge(rows, on="ward_code", how="left").set_index("ward_code", drop=False)


def top_wards_table(table: pd.DataFrame, categories: list[str], n: int) -> pd.DataFrame:
    """The top ``n`` wards (current period) of each category and their share of the district."""
    parts = []
    for category in categories:
        top = top_wards(table, category, n)
        parts.append(top.assign(category=category, rank=np.arange(1, len(top) + 1)))
    out = pd.concat(parts, ignore_index=True)
    return out[["category", "rank", "ward_code", "ward_name", "count", "share_pct", "cumulative_share_pct"]].round(1)


def concentration_sentence(top: pd.DataFrame, category: str, n: int) -> str:
    """'The 5 wards with most burglary held 48.2% of the district's burglary: A, B, ...'."""
    rows = top[top["category"] == category]
    share = rows["cumulative_share_pct"].iloc[-1]
    names = ", ".join(rows["ward_name"])
    label = category if category in (ALL_CRIME, ASB) else category.lower()
    return (f"The {len(rows)} wards with the most {label} in the current period held {share:.1f}% of the "
            f"district's total (top {n}: {names}).")


def hotspot_sentence(frame: pd.DataFrame, category: str) -> str:
    """Names the significant hot and cold spot wards of a category."""
    parts = []
    for cls, word in (("Hot spot", "hot spots"), ("Cold spot", "cold spots")):
        names = sorted(frame.loc[frame["hotspot_class"] == cls, "ward_name"])
        if names:
            parts.append(f"{word}: {', '.join(names)}")
    if not parts:
        return f"No ward is a significant hot or cold spot of {category.lower() if category not in (ALL_CRIME, ASB) else category} after adjustment."
    return "Significant " + "; ".join(parts) + "."


def points_xy(records: pd.DataFrame) -> np.ndarray:
    """British National Grid coordinates of located records."""
    located = records.dropna(subset=["Longitude", "Latitude"])
    points = gpd.GeoSeries(gpd.points_from_xy(located["Longitude"], located["Latitude"]), crs="EPSG:4326").to_crs(BNG)
    return np.column_stack([points.x, points.y])
