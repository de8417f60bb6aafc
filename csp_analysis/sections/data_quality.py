"""Section 00: the data-quality table of every configured source (``tables/data_quality.csv``)."""

from __future__ import annotations

import pandas as pd

from csp_analysis.police.cleaning import NO_LOCATION, OUTSIDE_UK, SWAPPED, CleanStreet
from csp_analysis.sections.context import Context


def _in_periods(ctx: Context, dates: pd.Series) -> pd.Series:
    return ctx.previous.contains(dates) | ctx.current.contains(dates)


def quality_table(ctx: Context) -> pd.DataFrame:
    """One row per (source, stage, reason); for each source read = used + every exclusion."""
    rows: list[dict] = []
    if ctx.settings.has_police_data:
        clean = ctx.data.street_quality
        selector = ctx.data.selector("area")
        area = selector.mask(clean.records)
        period = ctx.data.in_periods(clean.records)["period"].reindex(clean.records.index)
        rows += police_quality(clean, area, period, selector.placeable(clean.records), selector.unplaceable_reason)
        rows += months_rows("police.uk street records", ctx.data.months_available,
                                    ctx.previous.months + ctx.current.months)
        empty = [f.path.name for f in ctx.data.street_files if not (clean.records["source_file"] == f.path.name).any()]
        if empty:
            rows.append({"source": "police.uk street records", "stage": "note",
                         "reason": f"files with no usable records: {', '.join(empty)}", "count": len(empty)})
        if ctx.settings.has_wards:
            from csp_analysis.geo.wards import assign_to_wards

            used = ctx.data.in_periods(ctx.data.area_records)
            placed = assign_to_wards(used, ctx.data.wards, tolerance_m=ctx.config.analysis.ward_tolerance_m)
            rows += placement_rows("police.uk street records", placed["assignment"])
    for name, source, configured, loaded_fn in (
        ("fire and rescue incidents", "fire and rescue", ctx.config.fire is not None, lambda: ctx.data.fire_incidents),
        ("road traffic collisions", "collision", ctx.config.collisions is not None or ctx.config.stats19 is not None,
         lambda: ctx.data.collisions),
        ("council casework", None, ctx.config.casework is not None, lambda: ctx.data.casework),
    ):
        if not configured:
            continue
        loaded = loaded_fn()
        if source is None:  # a council's casework export is its own district
            area = pd.Series(True, index=loaded.data.index)
        else:
            area, _ = ctx.data.partner_selection(loaded.data, "area", source)
        rows += partner_quality(name, loaded, area, _in_periods(ctx, loaded.data["date"]))
    if ctx.data.returns is not None:
        rows += [{"source": "partner returns", "stage": "read", "reason": "", "count": len(ctx.data.returns)},
                 {"source": "partner returns", "stage": "used", "reason": "", "count": len(ctx.data.returns)}]
    return pd.DataFrame(rows, columns=list(QUALITY_COLUMNS))


def reconciles(table: pd.DataFrame) -> bool:
    """True when, for every source, rows read equal rows used plus rows excluded."""
    for _, rows in table.groupby("source"):
        count = rows.groupby("stage")["count"].sum()
        if count.get("read", 0) != count.get("used", 0) + count.get("excluded", 0):
            return False
    return True


QUALITY_COLUMNS = ("source", "stage", "reason", "count")

def _rows(source: str, read: int, steps: list[tuple[str, int]], used: int, notes: dict | None = None) -> list[dict]:
    excluded = sum(n for _, n in steps)
    if read != used + excluded:
        raise AssertionError(f"{source}: {read} read but {used} used + {excluded} excluded")
    rows = [{"source": source, "stage": "read", "reason": "", "count": read}]
    rows += [{"source": source, "stage": "excluded", "reason": r, "count": n} for r, n in steps if n]
    rows.append({"source": source, "stage": "used", "reason": "", "count": used})
    rows += [{"source": source, "stage": "note", "reason": r, "count": n} for r, n in (notes or {}).items() if n]
    return rows

def police_quality(clean: CleanStreet, area_mask: pd.Series, period: pd.Series, placeable: pd.Series,
                   unplaceable_reason: str) -> list[dict]:
    """The police.uk street records: read, excluded by reason, used by the area's two periods.

    ``placeable`` marks the records the area's selection can judge at all (with an LSOA, or with a
    point for a boundary); the others are excluded first, for ``unplaceable_reason``.
    """
    records = clean.records
    unplaceable = ~placeable
    outside_area = placeable & ~area_mask
    outside_period = placeable & area_mask & period.isna()
    used = area_mask & period.notna()
    steps = [*clean.excluded.items(),
             (unplaceable_reason, int(unplaceable.sum())),
             ("outside the area (other districts)", int(outside_area.sum())),
             ("in the area, outside both periods", int(outside_period.sum()))]
    area_used = records[used]
    notes = {
        NO_LOCATION: int(area_used["Longitude"].isna().sum()),
        SWAPPED: int(clean.location_notes[SWAPPED]),
        OUTSIDE_UK: int(clean.location_notes[OUTSIDE_UK]),
        **clean.notes.to_dict(),
    }
    return _rows("police.uk street records", clean.read, steps, int(used.sum()), notes)

def partner_quality(source: str, loaded, area_mask: pd.Series, in_periods: pd.Series) -> list[dict]:
    """A partner export: rows read, excluded by the loader (by reason), outside the area or periods, used."""
    data = loaded.data
    read = len(data) + len(loaded.excluded)
    outside_area = ~area_mask
    outside_period = area_mask & ~in_periods
    steps = [*loaded.excluded_counts().items(),
             ("outside the area", int(outside_area.sum())),
             ("in the area, outside both periods", int(outside_period.sum()))]
    return _rows(source, read, steps, int((area_mask & in_periods).sum()))

def placement_rows(source: str, assignment: pd.Series) -> list[dict]:
    """How the used records were placed in wards (a breakdown of 'used', not further exclusions)."""
    labels = {"within": "inside a ward polygon", "nearest": "just outside: given to the nearest ward",
              "beyond_tolerance": "too far outside every ward: not mapped", "no_location": "no location: not mapped",
              "by_ward_field": "placed by its ward name or code", "unmatched_ward": "ward name not recognised: not mapped"}
    counts = assignment.value_counts()
    return [{"source": source, "stage": "ward placement", "reason": labels.get(k, k), "count": int(v)}
            for k, v in counts.items()]

def months_rows(source: str, present: list[str], needed: list[str]) -> list[dict]:
    """Months present in the data and months of the periods that are missing."""
    missing = sorted(set(needed) - set(present))
    rows = [{"source": source, "stage": "months present",
             "reason": f"{present[0]} to {present[-1]}" if present else "none", "count": len(present)}]
    rows.append({"source": source, "stage": "months missing", "reason": ", ".join(missing) or "none",
                 "count": len(missing)})
    return rows


def summary(ctx: Context, table: pd.DataFrame) -> str:
    """The section's opening line: area, periods and whether every source reconciles."""
    check = ("Every source reconciles: rows read = rows used + rows excluded." if reconciles(table)
             else "**A source does not reconcile: see the table.**")
    return f"**Area:** {ctx.area}. **Periods used:** {ctx.previous.label} and {ctx.current.label}. {check}"


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """The quality table as the reader sees it: capitalised headers, counts with thousands separators."""
    return table.rename(columns=str.capitalize).assign(Count=table["count"].map("{:,}".format))
