"""The issues the priorities section scores, gathered from the other sections' tables.

Each line comes from the same function that produces a section's table, so every number in the
priorities section can be traced to a table of the assessment.
"""

from __future__ import annotations

import pandas as pd

from csp_analysis.categories import ALL_CRIME, ASB
from csp_analysis.sections import crime_performance as cp
from csp_analysis.sections.context import Assessment

ISSUE_COLUMNS = ("issue", "family", "police_uk_category", "previous", "current", "pct_change", "significant",
                 "direction", "source_table")
FIRE_LINES = ("Deliberate fires", "Primary fires", "Secondary fires", "Fire injuries")
COLLISION_LINES = ("KSI collisions",)


def _rows(table: pd.DataFrame, label: str, family, category, source: str) -> pd.DataFrame:
    previous = table["previous"].astype("Float64")
    return pd.DataFrame({
        "issue": table[label].to_numpy(),
        "family": family if isinstance(family, str) else list(family),
        "police_uk_category": category,
        "previous": previous.to_numpy(),
        "current": table["current"].astype("int64").to_numpy(),
        "pct_change": table["pct_change"].astype("float64").to_numpy(),
        "significant": table["significant"].astype("boolean").fillna(False).astype(bool).to_numpy(),
        "direction": [0 if pd.isna(c) or c == 0 else (1 if c > 0 else -1) for c in table["change"]],
        "source_table": source,
    })


def measured_issues(ctx: Assessment) -> pd.DataFrame:
    """One row per measured issue of the area (``ISSUE_COLUMNS``), from every configured source."""
    settings = ctx.config.analysis
    parts = []
    if ctx.has_police_data:
        crime = cp.performance_table(ctx.area_records, ctx.previous, ctx.current, alpha=settings.alpha,
                                     small_count=settings.small_count)
        crime = crime[crime["category"] != ALL_CRIME]
        families = ["asb" if c == ASB else "crime" for c in crime["category"]]
        parts.append(_rows(crime, "category", families, crime["category"].to_numpy(), "crime_performance.csv"))
    if ctx.config.fire is not None:
        from csp_analysis.sections.fire_and_rtc import fire_table, select_source

        fire = fire_table(ctx, select_source(ctx, ctx.fire_incidents, "fire and rescue"))
        fire = fire[(fire["geography"] == ctx.config.area.name) & fire["line"].isin(FIRE_LINES)]
        if fire["comparison_available"].all():
            parts.append(_rows(fire, "line", "fire", None, "fire_summary.csv"))
    if ctx.config.collisions is not None or ctx.config.stats19 is not None:
        from csp_analysis.sections.fire_and_rtc import collision_table, select_source

        rtc = collision_table(ctx, select_source(ctx, ctx.collisions, "collision"))
        rtc = rtc[rtc["line"].isin(COLLISION_LINES)]
        if rtc["comparison_available"].all():
            parts.append(_rows(rtc, "line", "road safety", None, "collision_summary.csv"))
    if ctx.config.casework is not None:
        from csp_analysis.partners.casework import CORE_CASE_TYPES
        from csp_analysis.sections.community_protection import casework_tables

        casework = casework_tables(ctx)  # as published: a line with a suppressed count is left out
        cases = casework.summary
        if cases is not None:
            cases = cases[cases["line"].isin(CORE_CASE_TYPES) & ~cases["line"].isin(casework.hidden_lines)]
        if cases is not None and len(cases) and cases["comparison_available"].all():
            cases = cases.assign(line=cases["line"].map(lambda t: f"{t}s (council)" if not t.endswith("s") else t))
            parts.append(_rows(cases, "line", "casework", None, "casework_summary.csv"))
    if not parts:
        return pd.DataFrame(columns=list(ISSUE_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(ISSUE_COLUMNS)]
