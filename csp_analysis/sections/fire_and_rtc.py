"""Section 03: fire and rescue incidents and road traffic collisions, area beside county."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from csp_analysis.geo.selection import locate_in_wards
from csp_analysis.partners.collisions import (
    collision_line_values,
    collision_monthly_counts,
    collision_points,
    collision_summary,
)
from csp_analysis.partners.fire import fire_monthly_counts, fire_summary
from csp_analysis.partners.fire_rules import line_values as fire_line_values
from csp_analysis.report import charts, maps, narrative
from csp_analysis.report import display as show
from csp_analysis.report.display import Items
from csp_analysis.report.tables import cell_text, lines_view, method_note
from csp_analysis.sections.context import Context


@dataclass
class PartnerData:
    """One partner source after selection: the area's and county's records and the rows left out."""

    area: pd.DataFrame
    county: pd.DataFrame
    excluded: pd.DataFrame
    area_rule: str
    county_rule: str


def select_source(ctx: Context, loaded, source: str) -> PartnerData:
    """Split a loaded export into the area and (if configured) the county."""
    data = loaded.data
    area_mask, area_rule = ctx.data.partner_selection(data, "area", source)
    if ctx.config.county is not None:
        county_mask, county_rule = ctx.data.partner_selection(data, "county", source)
    else:
        county_mask, county_rule = pd.Series(False, index=data.index), "no county configured"
    return PartnerData(data[area_mask], data[county_mask], loaded.excluded, area_rule, county_rule)


def fire_data(ctx: Context) -> PartnerData | None:
    """The fire export's incidents in the area and county; None when no fire export is configured."""
    return select_source(ctx, ctx.data.fire_incidents, "fire and rescue") if ctx.config.fire is not None else None


def collision_data(ctx: Context) -> PartnerData | None:
    """The collisions in the area; None when no collision data are configured."""
    configured = ctx.config.collisions is not None or ctx.config.stats19 is not None
    return select_source(ctx, ctx.data.collisions, "collision") if configured else None


def fire_table(ctx: Context, fire: PartnerData | None) -> pd.DataFrame | None:
    """The fire summary of the area beside the county (the area alone when no county is configured)."""
    if fire is None:
        return None
    settings = ctx.config.analysis
    area = ctx.config.area.name
    county_name = ctx.config.county.name if ctx.config.county else "County"
    table = fire_summary(fire.area, fire.county, ctx.previous, ctx.current, area_name=area,
                         county_name=county_name, alpha=settings.alpha, small_count=settings.small_count,
                         abnormal_months=settings.abnormal_months)
    if ctx.config.county is None:  # each geography is its own family, so the area's tests stand as they are
        message = table.attrs.get("message", "")
        table = table[table["geography"] == area].reset_index(drop=True)
        table.attrs["message"] = message
    return table


def collision_table(ctx: Context, collisions: PartnerData | None) -> pd.DataFrame | None:
    """Collisions by severity (and casualties when STATS19 casualties are given) in both periods."""
    if collisions is None:
        return None
    settings = ctx.config.analysis
    casualties = ctx.data.casualties.data if ctx.data.casualties is not None else None
    return collision_summary(collisions.area, ctx.previous, ctx.current, casualties=casualties,
                             alpha=settings.alpha, small_count=settings.small_count,
                             abnormal_months=settings.abnormal_months)


def fig2_view(table: pd.DataFrame) -> pd.DataFrame:
    """The fire summary as the strategy's Fig 2 reads: geographies as rows, lines as columns."""
    cells = table.assign(cell=table.apply(cell_text, axis=1))
    view = cells.pivot(index="geography", columns="line", values="cell")
    order = list(dict.fromkeys(table["line"]))
    geographies = list(dict.fromkeys(table["geography"]))
    return view.reindex(index=geographies, columns=order).reset_index().rename(columns={"geography": "Area"})




def ward_lines(ctx: Context, records: pd.DataFrame, line_values) -> pd.DataFrame:
    """Current-period totals of every summary line per ward (every ward, in ward order).

    ``line_values`` turns records into per-record line contributions (e.g.
    ``fire_definitions.line_values``). Records that cannot be placed in a ward are left out here
    and counted by the section's own totals.
    """
    current = records[ctx.current.contains(records["date"])]
    placed = locate_in_wards(current, ctx.data.wards, ctx.config.analysis.ward_tolerance_m)
    per_ward = line_values(current).groupby(placed["ward_code"]).sum()
    table = per_ward.reindex(ctx.data.wards["ward_code"], fill_value=0)
    table.insert(0, "ward_name", ctx.data.wards.set_index("ward_code")["ward_name"])
    return table


FIRE_DEFINITIONS = (
    "Definitions (Home Office): a *primary fire* is in a building, vehicle or outdoor structure, or involves "
    "casualties, rescues or five or more appliances (the export's own primary flag is used where it gives one); "
    "a *secondary fire* is any other fire, chimney fires excluded; *deliberate* includes suspected deliberate, and "
    "a cause \"not known\" counts as accidental; *fire injuries* are non-fatal casualties at fires as the export "
    "records them. \"*\" marks a change that is statistically significant after Benjamini-Hochberg adjustment "
    "(the test of each line is named in the detailed table and explained under it)."
)




# --- What the section notebook shows -------------------------------------------------------------

def _against(ctx: Context, table: pd.DataFrame) -> str:
    return f" against {ctx.previous.label}" if table["comparison_available"].all() else ""


def _noun(line: str) -> str:
    """What a fire line counts: people for injuries and fatalities, incidents otherwise."""
    return "people" if "injur" in line.lower() or "fatal" in line.lower() else "incidents"


def _rtc_noun(line: str) -> str:
    """What a collision line counts: casualties for casualty lines, collisions otherwise."""
    return "casualties" if "casualt" in line.lower() else "collisions"


def fire_view(ctx: Context, fire: PartnerData | None, table: pd.DataFrame | None, has_returns: bool) -> Items | None:
    """The fire summary in the strategy's Fig 2 layout, its sentences and the lines in detail."""
    if fire is None:
        return None if has_returns else show.note(
            "This assessment had no fire and rescue service incident data, so fires and fire injuries are not "
            "reported here.")
    notes = [f"{len(fire.area):,} incidents in {ctx.area} (selected by {fire.area_rule})"
             + (f" and {len(fire.county):,} in {ctx.county} ({fire.county_rule})" if ctx.county else "")
             + f"; {len(fire.excluded):,} rows of the export were left out."]
    if table.attrs.get("message"):
        notes.append(table.attrs["message"])
    sentences = None
    if table["comparison_available"].all():
        rows = table[table["geography"] == ctx.area].set_index("line")
        sentences = show.note("\n".join("- " + narrative.change_sentence(rows.loc[line], line, noun=_noun(line))
                                         for line in rows.index))
    return Items(
        show.note(" ".join(notes)),
        show.show_table(fig2_view(table), f"Fire and rescue summary: {ctx.current.label}" + _against(ctx, table),
                        table_id="fire-fig2"),
        sentences,
        show.show_table(lines_view(table, ctx.previous.label, ctx.current.label), "Fire and rescue lines in detail",
                        table_id="fire-lines"),
        show.note(method_note(table, ctx.config.analysis.alpha)))


def fire_trend_view(ctx: Context, fire: PartnerData | None) -> Items | None:
    """The Home Office definitions, monthly fire counts (``fire_monthly.csv``) and deliberate fires by ward."""
    if fire is None:
        return None
    monthly = fire_monthly_counts(fire.area)
    ctx.out.save_table(monthly.reset_index(), "fire_monthly")
    if len(monthly) >= 3:
        trend = ctx.out.figure(charts.monthly_small_multiples(monthly, ctx.previous, ctx.current), "fire_monthly",
                               alt=f"Monthly fire and rescue counts in {ctx.area}")
    else:
        trend = show.note(f"The fire data hold {len(monthly)} month(s), too few for a monthly trend chart.")
    ward_map = None
    if ctx.settings.has_wards:
        by_ward = ward_lines(ctx, fire.area, fire_line_values)
        ctx.out.save_table(by_ward.reset_index(), "fire_by_ward")
        deliberate = by_ward["Deliberate fires"]
        ward_map = ctx.out.figure(maps.choropleth_map(ctx.data.wards, deliberate, maps.shared_bins(deliberate, deliberate),
                                                      title=f"Deliberate fires by ward: {ctx.current.label}",
                                                      legend_title="Deliberate fires"),
                                  "fire_deliberate_wards", alt=f"Map of deliberate fires by ward in {ctx.area}")
    return Items(show.note(FIRE_DEFINITIONS), trend, ward_map)


def collision_view(ctx: Context, collisions: PartnerData | None, table: pd.DataFrame | None) -> Items:
    """The collision summary by severity, with its sentences."""
    if collisions is None:
        return Items(show.note("This assessment had no road traffic collision data (police STATS19 or a local "
                               "export), so collisions and casualties are not reported here."))
    notes = [f"{len(collisions.area):,} collisions in {ctx.area} over all months of the data (selected by "
             f"{collisions.area_rule}); {len(collisions.excluded):,} rows of the file were left out."]
    if table.attrs.get("message"):
        notes.append(table.attrs["message"])
    sentences = None
    if table["comparison_available"].all():
        rows = table.set_index("line")
        sentences = show.note("\n".join("- " + narrative.change_sentence(rows.loc[line], line, noun=_rtc_noun(line))
                                         for line in rows.index if line.startswith(("KSI", "All"))))
    return Items(
        show.note(" ".join(notes)),
        show.show_table(lines_view(table, ctx.previous.label, ctx.current.label),
                        f"Road traffic collisions in {ctx.area}: {ctx.current.label}" + _against(ctx, table),
                        table_id="collision-summary"),
        show.note("KSI: killed or seriously injured (fatal plus serious). A collision's severity is that of its "
                  "most severe casualty, as recorded by the police (STATS19)."),
        show.note(method_note(table, ctx.config.analysis.alpha)),
        sentences)


def collision_trend_view(ctx: Context, collisions: PartnerData | None) -> Items | None:
    """Monthly collisions by severity (``collision_monthly.csv``), by ward, and a map of the current period's."""
    if collisions is None:
        return None
    monthly = collision_monthly_counts(collisions.area)
    ctx.out.save_table(monthly.reset_index(), "collision_monthly")
    trend = (ctx.out.figure(charts.monthly_small_multiples(monthly, ctx.previous, ctx.current), "collision_monthly",
                            alt=f"Monthly collisions in {ctx.area} by severity") if len(monthly) >= 3 else None)
    points = None
    if ctx.settings.has_wards:
        ctx.out.save_table(ward_lines(ctx, collisions.area, collision_line_values).reset_index(), "collision_by_ward")
        current = collisions.area[ctx.current.contains(collisions.area["date"])]
        points = ctx.out.figure(maps.points_map(ctx.data.wards, collision_points(current).dropna(subset=["geometry"]),
                                                title=f"Collisions: {ctx.current.label}", label="Collision"),
                                "collision_points", alt=f"Map of collision locations in {ctx.area}")
    return Items(trend, points)
