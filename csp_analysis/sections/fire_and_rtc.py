"""Section 03: fire and rescue incidents and road traffic collisions, area beside county."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from csp_analysis.geo.selection import locate_in_wards
from csp_analysis.methods.change import benjamini_hochberg
from csp_analysis.partners.collisions import collision_summary
from csp_analysis.partners.fire import fire_summary
from csp_analysis.report.tables import cell_text
from csp_analysis.sections.context import Assessment


@dataclass
class PartnerData:
    """One partner source after selection: the area's and county's records and the rows left out."""

    area: pd.DataFrame
    county: pd.DataFrame
    excluded: pd.DataFrame
    area_rule: str
    county_rule: str


def select_source(ctx: Assessment, loaded, source: str) -> PartnerData:
    """Split a loaded export into the area and (if configured) the county."""
    data = loaded.data
    area_mask, area_rule = ctx.partner_selection(data, "area", source)
    if ctx.config.county is not None:
        county_mask, county_rule = ctx.partner_selection(data, "county", source)
    else:
        county_mask, county_rule = pd.Series(False, index=data.index), "no county configured"
    return PartnerData(data[area_mask], data[county_mask], loaded.excluded, area_rule, county_rule)


def fire_table(ctx: Assessment, fire: PartnerData) -> pd.DataFrame:
    """The fire summary of the area beside the county (the area alone when no county is configured)."""
    settings = ctx.config.analysis
    area = ctx.config.area.name
    county_name = ctx.config.county.name if ctx.config.county else "County"
    table = fire_summary(fire.area, fire.county, ctx.previous, ctx.current, area_name=area,
                         county_name=county_name, alpha=settings.alpha, small_count=settings.small_count)
    if ctx.config.county is None:
        message = table.attrs.get("message", "")
        table = table[table["geography"] == area].reset_index(drop=True)
        if table["comparison_available"].all():  # adjust over the lines that are published
            table["p_adjusted"] = benjamini_hochberg(table["p_value"].to_numpy())
            table["significant"] = table["p_adjusted"] < settings.alpha
        table.attrs["message"] = message
    return table


def collision_table(ctx: Assessment, collisions: PartnerData) -> pd.DataFrame:
    settings = ctx.config.analysis
    casualties = ctx.casualties.data if ctx.casualties is not None else None
    table = collision_summary(collisions.area, ctx.previous, ctx.current, casualties=casualties,
                              alpha=settings.alpha, small_count=settings.small_count)
    return table




def fig2_view(table: pd.DataFrame) -> pd.DataFrame:
    """The fire summary as the strategy's Fig 2 reads: geographies as rows, lines as columns."""
    cells = table.assign(cell=table.apply(cell_text, axis=1))
    view = cells.pivot(index="geography", columns="line", values="cell")
    order = list(dict.fromkeys(table["line"]))
    geographies = list(dict.fromkeys(table["geography"]))
    return view.reindex(index=geographies, columns=order).reset_index().rename(columns={"geography": ""})




def ward_lines(ctx: Assessment, records: pd.DataFrame, line_values) -> pd.DataFrame:
    """Current-period totals of every summary line per ward (every ward, in ward order).

    ``line_values`` turns records into per-record line contributions (e.g.
    ``fire_definitions.line_values``). Records that cannot be placed in a ward are left out here
    and counted by the section's own totals.
    """
    current = records[records["date"].dt.strftime("%Y-%m").isin(ctx.current.months)]
    placed = locate_in_wards(current, ctx.wards, ctx.config.analysis.ward_tolerance_m)
    per_ward = line_values(current).groupby(placed["ward_code"]).sum()
    table = per_ward.reindex(ctx.wards["ward_code"], fill_value=0)
    table.insert(0, "ward_name", ctx.wards.set_index("ward_code")["ward_name"])
    return table


FIRE_DEFINITIONS = (
    "Definitions (Home Office): a *primary fire* is in a building, vehicle or outdoor structure, or involves "
    "casualties, rescues or five or more appliances (the export's own primary flag is used where it gives one); "
    "a *secondary fire* is any other fire, chimney fires excluded; *deliberate* includes suspected deliberate, and "
    "a cause \"not known\" counts as accidental; *fire injuries* are non-fatal casualties at fires as the export "
    "records them. \"*\" marks a change that is statistically significant after Benjamini-Hochberg adjustment "
    "(exact Poisson test, period lengths in days as exposure)."
)


