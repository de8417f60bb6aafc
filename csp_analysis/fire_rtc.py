"""Section 03: fire and rescue incidents and road traffic collisions, area beside county."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import formatting as fmt
from .assessment import Assessment
from .collisions import collision_summary
from .fire import fire_summary
from .mapping import change_texts
from .partner_areas import locate_in_wards
from .stats import benjamini_hochberg


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


def _cell(row: pd.Series) -> str:
    """'+38% (87 to 120)', 'Equal (2 to 2)', 'n/a (0 to 5)' or '114' without a comparison."""
    if not row["comparison_available"]:
        return fmt.count(row["current"])
    span = f"({fmt.count(row['previous'])} to {fmt.count(row['current'])})"
    if row["change"] == 0:
        return f"Equal {span}"
    marker = " *" if row["significant"] else ""
    return f"{fmt.pct(row['pct_change'])} {span}{marker}"


def fig2_view(table: pd.DataFrame) -> pd.DataFrame:
    """The fire summary as the strategy's Fig 2 reads: geographies as rows, lines as columns."""
    cells = table.assign(cell=table.apply(_cell, axis=1))
    view = cells.pivot(index="geography", columns="line", values="cell")
    order = list(dict.fromkeys(table["line"]))
    geographies = list(dict.fromkeys(table["geography"]))
    return view.reindex(index=geographies, columns=order).reset_index().rename(columns={"geography": ""})


def lines_view(table: pd.DataFrame, previous_label: str, current_label: str) -> pd.DataFrame:
    """A summary table as rows of lines with counts, changes and the significance verdict."""
    comparable = bool(table["comparison_available"].all())
    view = pd.DataFrame({"Line": table["line"]})
    if "geography" in table:
        view.insert(0, "Area", table["geography"])
    if comparable:
        view[previous_label] = table["previous"].map(fmt.count)
    view[current_label] = table["current"].map(fmt.count)
    if comparable:
        view["Change"] = table["change_display"]
        view["% change"] = table["pct_change_display"]
        view["Assessment"] = table.apply(fmt.significance, axis=1)
    return view


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


def summary_csv(table: pd.DataFrame | None, returns_lines: pd.DataFrame | None, source: str) -> pd.DataFrame:
    """A section summary CSV: the lines computed from records, then the lines from partner returns.

    Returns lines take the summary's columns (``geography`` from their area, ``line`` from their
    category) and keep their own periods; every line names its source. A returns line with no
    previous figure shows "n/a".
    """
    parts = []
    if table is not None:
        parts.append(table.assign(source=source))
    if returns_lines is not None:
        lines = returns_lines.rename(columns={"area": "geography", "category": "line"})
        texts = [change_texts(c, p, missing="n/a") for c, p in zip(lines["change"], lines["pct_change"])]
        lines = lines.assign(pct_change=lines["pct_change"].round(1), change_display=[c for c, _ in texts],
                             pct_change_display=[p for _, p in texts],
                             comparison_available=lines["previous"].notna())
        parts.append(lines)
    return pd.concat(parts, ignore_index=True)
