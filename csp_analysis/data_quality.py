"""Section 00: the data-quality table of every configured source (``tables/data_quality.csv``)."""

from __future__ import annotations

import pandas as pd

from . import quality
from .assessment import Assessment
from .mapping import in_period


def _in_periods(ctx: Assessment, dates: pd.Series) -> pd.Series:
    return in_period(dates, ctx.previous) | in_period(dates, ctx.current)


def quality_table(ctx: Assessment) -> pd.DataFrame:
    """One row per (source, stage, reason); for each source read = used + every exclusion."""
    rows: list[dict] = []
    if ctx.has_police_data:
        clean = ctx.street_quality
        area = ctx.selector("area").mask(clean.records)
        period = ctx.in_periods(clean.records)["period"].reindex(clean.records.index)
        rows += quality.police_quality(clean, area, period)
        rows += quality.months_rows("police.uk street records", ctx.months_available,
                                    ctx.previous.months + ctx.current.months)
        empty = [f.path.name for f in ctx.street_files if not (clean.records["source_file"] == f.path.name).any()]
        if empty:
            rows.append({"source": "police.uk street records", "stage": "note",
                         "reason": f"files with no usable records: {', '.join(empty)}", "count": len(empty)})
        if ctx.has_wards:
            from .wards import assign_to_wards

            used = ctx.in_periods(ctx.area_records)
            placed = assign_to_wards(used, ctx.wards, tolerance_m=ctx.config.analysis.ward_tolerance_m)
            rows += quality.placement_rows("police.uk street records", placed["assignment"])
    for name, source, configured, loaded_fn in (
        ("fire and rescue incidents", "fire and rescue", ctx.config.fire is not None, lambda: ctx.fire_incidents),
        ("road traffic collisions", "collision", ctx.config.collisions is not None or ctx.config.stats19 is not None,
         lambda: ctx.collisions),
        ("council casework", None, ctx.config.casework is not None, lambda: ctx.casework),
    ):
        if not configured:
            continue
        loaded = loaded_fn()
        if source is None:  # a council's casework export is its own district
            area = pd.Series(True, index=loaded.data.index)
        else:
            area, _ = ctx.partner_selection(loaded.data, "area", source)
        rows += quality.partner_quality(name, loaded, area, _in_periods(ctx, loaded.data["date"]))
    if ctx.returns is not None:
        rows += [{"source": "partner returns", "stage": "read", "reason": "", "count": len(ctx.returns)},
                 {"source": "partner returns", "stage": "used", "reason": "", "count": len(ctx.returns)}]
    return pd.DataFrame(rows, columns=list(quality.QUALITY_COLUMNS))


def reconciles(table: pd.DataFrame) -> bool:
    """True when, for every source, rows read equal rows used plus rows excluded."""
    for _, rows in table.groupby("source"):
        count = rows.groupby("stage")["count"].sum()
        if count.get("read", 0) != count.get("used", 0) + count.get("excluded", 0):
            return False
    return True
