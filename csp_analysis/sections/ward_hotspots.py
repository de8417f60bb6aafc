"""Section 02: where crime and ASB happen by ward, how that changed, and hot spots that hold up
(by ward and, where LSOA boundaries are given, by LSOA)."""

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
    area_counts,
    assign_to_wards,
    lsoa_table,
    top_wards,
    ward_table,
)
from csp_analysis.methods import hotspots
from csp_analysis.paths import slug
from csp_analysis.report import display as show
from csp_analysis.report import maps
from csp_analysis.report.display import HTML, Items
from csp_analysis.report.escape import html_text
from csp_analysis.report.interactive_map import INTERACTIVE_MAP, write_map
from csp_analysis.sections.context import Context

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
    district_counts: pd.Series  # current-period records of the area by category (ALL_CRIME included)
    tested: list[str]  # categories with at least analysis.hotspot_min_count records: Gi* run
    lsoa: pd.DataFrame | None = None  # lsoa_counts.csv, when inputs.lsoa_boundaries is configured
    lsoa_unmatched: int = 0  # records of both periods whose LSOA code is not among the LSOA polygons


def district_counts(records: pd.DataFrame) -> pd.Series:
    """Current-period records of the area by category, all categories and ``ALL_CRIME``."""
    current = records.loc[records["period"] == "current", "Crime type"].value_counts()
    counts = current.reindex(list(POLICE_UK_CATEGORIES), fill_value=0)
    return pd.concat([counts, pd.Series({ALL_CRIME: int(counts.drop(ASB).sum())})]).astype("int64")


def analyse(ctx: Context) -> WardAnalysis:
    """Assign the area's records of both periods to wards, count them by ward (and LSOA), and find hot
    spots: Gi* on every category with enough records, adjusted as one family across categories and levels."""
    settings = ctx.config.analysis
    records = ctx.data.in_periods(ctx.data.area_records)
    assigned = records.join(assign_to_wards(records, ctx.data.wards, tolerance_m=settings.ward_tolerance_m))
    totals = district_counts(assigned)
    tested = [c for c in (ALL_CRIME, *POLICE_UK_CATEGORIES) if totals[c] >= settings.hotspot_min_count]
    lsoas, unmatched = ctx.data.lsoas, 0
    tests = len(tested) * (len(ctx.data.wards) + (0 if lsoas is None else len(lsoas)))
    options = {"tested": tested, "small_count": settings.small_count, "seed": settings.seed,
               "permutations": hotspots.permutations_for(tests, settings.alpha, settings.permutations)}
    by_period = {period: assigned[assigned["period"] == period] for period in ("previous", "current")}
    ward_rows = {period: area_counts(frame[frame["ward_code"].notna()], ctx.data.wards)
                 for period, frame in by_period.items()}
    tables = [ward_table(ward_rows["previous"], ward_rows["current"], ctx.data.wards, ctx.data.ward_population,
                         **options)]
    if lsoas is not None:
        lsoa_rows = {period: area_counts(frame.rename(columns={"LSOA code": "lsoa_code"}), lsoas, code="lsoa_code")
                     for period, frame in by_period.items()}
        unmatched = int((~assigned["LSOA code"].isin(lsoas["lsoa_code"])).sum())
        tables.append(lsoa_table(lsoa_rows["previous"], lsoa_rows["current"], lsoas, ctx.data.lsoa_population,
                                 ctx.data.wards, **options))
    adjusted = hotspots.adjust_family(tables, alpha=settings.alpha)
    summary = (pd.crosstab(assigned["assignment"], assigned["period"])
               .reindex(index=list(ASSIGNMENTS), columns=["previous", "current"], fill_value=0))
    return WardAnalysis(assigned, adjusted[0], summary, totals, tested,
                        adjusted[1] if lsoas is not None else None, unmatched)


def assignment_table(analysis: WardAnalysis, ctx: Context) -> pd.DataFrame:
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


def csv_table(table: pd.DataFrame, name: str = "ward_name") -> pd.DataFrame:
    """``ward_counts.csv`` (or ``lsoa_counts.csv``, by ``lsoa_name``): rounded rates and percentages,
    categories in report order."""
    order = {c: i for i, c in enumerate((ALL_CRIME, *POLICE_UK_CATEGORIES))}
    out = table.sort_values(["category", name], key=lambda s: s.map(order) if s.name == "category" else s,
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


def _label(category: str) -> str:
    return category if category in (ALL_CRIME, ASB) else category.lower()


def hotspot_sentence(frame: pd.DataFrame, category: str, min_count: int) -> str:
    """Names the significant hot and cold spot wards of a category, or says why it was not tested."""
    if (frame["hotspot_class"] == hotspots.NOT_TESTED).all():
        return (f"Not tested for hot spots: fewer than {min_count:,} {_label(category)} records in the district "
                "in the current period.")
    parts = []
    for cls, word in ((hotspots.HOT, "hot spot wards"), (hotspots.COLD, "cold spot wards")):
        names = sorted(frame.loc[frame["hotspot_class"] == cls, "ward_name"])
        if names:
            parts.append(f"{word}: {', '.join(names)}")
    if not parts:
        return f"No ward is a significant hot or cold spot of {_label(category)} after adjustment."
    return "Significant " + "; ".join(parts) + "."


def points_xy(records: pd.DataFrame) -> np.ndarray:
    """British National Grid coordinates of located records."""
    located = records.dropna(subset=["Longitude", "Latitude"])
    points = gpd.GeoSeries(gpd.points_from_xy(located["Longitude"], located["Latitude"]), crs="EPSG:4326").to_crs(BNG)
    return np.column_stack([points.x, points.y])


# --- What the section notebook shows -------------------------------------------------------------

def categories(ctx: Context) -> list[str]:
    """The categories mapped ward by ward: all crime, ASB and the configured priority crime types."""
    return [ALL_CRIME, ASB, *ctx.config.analysis.priority_categories]


def introduction(ctx: Context) -> str:
    """The section's opening line (after checking the data cover both periods)."""
    ctx.data.check_coverage()
    return (f"**Area:** {ctx.area}, {len(ctx.data.wards)} wards. **Current period:** {ctx.current.label}. "
            f"**Compared with:** {ctx.previous.label}.")


def placement_view(ctx: Context, analysis: WardAnalysis) -> Items:
    """How the records were placed in wards, in words and as a table."""
    tolerance = ctx.config.analysis.ward_tolerance_m
    return Items(
        show.note(f"Each record of {ctx.area} is placed in the ward whose polygon contains its (anonymised) map "
                  "point, in British National Grid (EPSG:27700). Points that fall just outside the generalised ward "
                  f"boundaries go to the nearest ward within {tolerance:,.0f} m; records without a location are "
                  "counted but cannot be mapped."),
        show.show_table(assignment_table(analysis, ctx), "How the records were placed", table_id="ward-assignment"))


def population_note(ctx: Context) -> str:
    """Where the ward rates' residents come from, and the wards without population."""
    population = ctx.data.ward_population
    if population is None:
        return ("No resident population is given for the wards (it needs LSOA population and an LSOA-to-ward "
                "lookup), so the section shows counts, change and hot spots but no rates per 1,000 residents.")
    missing = population.attrs.get("wards_without_population", [])
    return (f"Rates are per 1,000 residents, from {population['population'].sum():,.0f} residents summed from LSOA "
            "population through the LSOA-to-ward lookup. Wards with few residents but many visitors (town centres) "
            "have high rates that do not reflect risk to residents; small wards' rates are noisy."
            + (f" No population is available for: {', '.join(missing)}." if missing else ""))


def top_view(ctx: Context, top: pd.DataFrame) -> HTML:
    """The top wards of each category and their cumulative share of the district."""
    n = ctx.config.analysis.top_wards
    return show.show_table(top.rename(columns={"category": "Category", "rank": "Rank", "ward_code": "Ward code",
                                               "ward_name": "Ward", "count": "Count", "share_pct": "Share (%)",
                                               "cumulative_share_pct": "Cumulative share (%)"}),
                           f"Top {n} wards by category, {ctx.current.label}", table_id="ward-top")


def interactive_map_view(ctx: Context, analysis: WardAnalysis) -> HTML | None:
    """When ``analysis.interactive_map`` is on: write ``interactive_map.html`` (all crime by ward, current
    period, to pan, zoom and hover, working offline) into the output folder and return a note linking to
    it; otherwise nothing."""
    if not ctx.config.analysis.interactive_map:
        return None
    ctx.out.folder.mkdir(parents=True, exist_ok=True)
    rows = analysis.table[analysis.table["category"] == ALL_CRIME]
    write_map(ctx.out.folder, ctx.data.wards, rows, f"{ALL_CRIME} by ward, {ctx.current.label}: {ctx.area}")
    measure = "rate per 1,000 residents" if rows["rate_per_1000"].notna().any() else "count"
    return HTML(f'<p class="csp-interactive-map">An <a href="{INTERACTIVE_MAP}">interactive map of the wards</a> '
                f"({html_text(ALL_CRIME)}, {html_text(ctx.current.label)}, coloured by {measure}) opens as a page "
                "of its own: pan, zoom and hover over a ward for its count, rate, change and hot spot class. "
                "It works offline and is not part of the printed document.</p>")


def category_view(ctx: Context, analysis: WardAnalysis, top: pd.DataFrame, category: str) -> Items:
    """One category: where it concentrates, its hot spots, and one figure of its ward maps (counts in
    both periods, rate, change and, when tested, Gi* hot spots)."""
    frame = category_frame(analysis.table, ctx.data.wards, category)
    tested = category in analysis.tested
    figure = maps.category_panels(ctx.data.wards, frame["previous"], frame["current"], frame["rate_per_1000"],
                                  frame["change"], frame["hotspot_class"] if tested else None,
                                  labels=(ctx.previous.label, ctx.current.label), title=f"{category} by ward")
    return Items(
        show.note(f"### {category}\n\n" + concentration_sentence(top, category, ctx.config.analysis.top_wards)
                  + " " + hotspot_sentence(frame, category, ctx.config.analysis.hotspot_min_count)),
        ctx.out.figure(figure, f"ward_{slug(category, '_')}",
                       alt=f"Maps of {category} by ward: records in {ctx.previous.label} and {ctx.current.label}, "
                           + ("" if frame["rate_per_1000"].isna().all() else "rate per 1,000 residents, ") + "change"
                           + (" and Getis-Ord Gi* hot and cold spots" if tested else "")))


def method_view(ctx: Context, analysis: WardAnalysis) -> str:
    """How hot spots were found (one family across categories and levels) and which categories were not tested."""
    settings = ctx.config.analysis
    levels = [("wards", analysis.table.attrs["gi_star"])]
    if analysis.lsoa is not None:
        levels.append(("LSOAs", analysis.lsoa.attrs["gi_star"]))
    family = analysis.table.attrs["family"]
    skipped = analysis.district_counts.drop(analysis.tested)
    skipped = skipped.reindex([c for c in (ALL_CRIME, *POLICE_UK_CATEGORIES) if c in skipped.index])
    text = hotspots.method_note(levels, family) + (
        f" {family['significant']:,} of the {family['tests']:,} tests found a hot or cold spot." if family["tests"]
        else " No category had enough records to test.")
    if len(skipped):
        listed = ", ".join(f"{c} ({fmt.count(n)})" for c, n in skipped.items())
        text += (f" Categories with fewer than {settings.hotspot_min_count:,} records in the district in the current "
                 f"period are not tested (too few for a neighbourhood to stand out from chance; "
                 f"`analysis.hotspot_min_count`): {listed}.")
    return (text + " Maps of the two periods share one classification (Fisher-Jenks breaks of both periods' values "
            "pooled), so their colours compare.")


SIGNIFICANT_LSOA_COLUMNS = {"category": "Category", "hotspot_class": "Class", "lsoa_name": "LSOA",
                            "lsoa_code": "LSOA code", "ward_name": "Ward", "current": "Records",
                            "gi_neighbourhood": "With neighbours", "rate_per_1000": "Per 1,000 residents",
                            "gi_z": "Gi* z", "gi_p_adjusted": "Adjusted p"}


def significant_lsoas(lsoa: pd.DataFrame) -> pd.DataFrame:
    """The LSOA hot and cold spots of every tested category, hot first, strongest first."""
    order = {c: i for i, c in enumerate((ALL_CRIME, *POLICE_UK_CATEGORIES))}
    rows = lsoa[lsoa["hotspot_class"].isin((hotspots.HOT, hotspots.COLD))]
    rows = rows.assign(_order=rows["category"].map(order), _hot=rows["hotspot_class"] != hotspots.HOT,
                       _strength=-rows["gi_z"].abs())
    rows = rows.sort_values(["_order", "_hot", "_strength", "lsoa_name"], kind="stable")
    shown = rows[list(SIGNIFICANT_LSOA_COLUMNS)].assign(
        gi_neighbourhood=rows["gi_neighbourhood"].astype("int64"), rate_per_1000=rows["rate_per_1000"].round(1),
        gi_z=rows["gi_z"].round(2),
        gi_p_adjusted=rows["gi_p_adjusted"].map(fmt.p_value))
    return shown.rename(columns=SIGNIFICANT_LSOA_COLUMNS).reset_index(drop=True)


def lsoa_view(ctx: Context, analysis: WardAnalysis) -> Items:
    """Hot spots by LSOA: the significant LSOAs, and one small map per tested category that is mapped by ward
    or has a significant LSOA (``lsoa_counts.csv``, ``lsoa_hotspots.csv``)."""
    if analysis.lsoa is None:
        return Items(show.note("Hot spots by LSOA are not run: no LSOA boundaries are configured "
                               "(`inputs.lsoa_boundaries`), so the wards above are the only areas tested."))
    lsoa, lsoas = analysis.lsoa, ctx.data.lsoas
    unmatched = (f" {fmt.count(analysis.lsoa_unmatched)} records of the two periods carry an LSOA code that is not "
                 "in the boundary file (another LSOA vintage?) and are not counted by LSOA."
                 if analysis.lsoa_unmatched else "")
    ctx.out.save_table(csv_table(lsoa, "lsoa_name"), "lsoa_counts")
    significant = significant_lsoas(lsoa)
    ctx.out.save_table(significant, "lsoa_hotspots")
    found = set(lsoa.loc[lsoa["hotspot_class"].isin((hotspots.HOT, hotspots.COLD)), "category"])
    mapped = [c for c in analysis.tested if c in categories(ctx) or c in found]
    panels = {c: lsoa.loc[lsoa["category"] == c, "hotspot_class"].to_numpy() for c in mapped}
    figure = (ctx.out.figure(maps.hotspot_panels(lsoas, panels, ctx.data.wards,
                                                 title=f"Hot and cold spots by LSOA, {ctx.current.label}"),
                             "lsoa_hotspots", alt="Small maps of Getis-Ord Gi* hot and cold spots by LSOA, one per "
                                                  "category")
              if panels else None)
    return Items(
        show.note(f"The {len(lsoas)} LSOAs of {ctx.area} are tested as well as its {len(ctx.data.wards)} wards, in the "
                  "same family: a ward is too coarse to show a cluster of a few streets. Records are counted in the "
                  "LSOA police.uk gives them; the ward named is the one holding the LSOA. Gi* tests the LSOA with its "
                  "neighbours, so an LSOA with few records of its own can be a hot spot when its neighbourhood has "
                  "many (\"With neighbours\")." + unmatched),
        show.show_table(significant, f"LSOA hot and cold spots, {ctx.current.label}", table_id="lsoa-hotspots")
        if len(significant) else show.note("No LSOA is a significant hot or cold spot of any tested category after "
                                           "adjustment."),
        figure)


def density_view(ctx: Context, analysis: WardAnalysis) -> Items:
    """Kernel density surfaces of the priority crime types in the current period, clipped to the district."""
    current = analysis.records[analysis.records["period"] == "current"]
    boundary = ctx.data.wards.union_all()
    parts = []
    for category in ctx.config.analysis.priority_categories:
        xy = points_xy(current[current["Crime type"] == category])
        if len(xy) < 3:
            parts.append(show.note(f"Too few located {category.lower()} records ({len(xy)}) for a density surface."))
            continue
        density = hotspots.kernel_density(xy, boundary)
        parts.append(ctx.out.figure(maps.kde_map(density, ctx.data.wards,
                                                 title=f"{category}: density, {ctx.current.label}"),
                                    f"kde_{slug(category, '_')}", alt=f"Kernel density map of {category}"))
    parts.append(show.note(f"Kernel density: {hotspots.BANDWIDTH_RULE}; 100 m cells, clipped to the district."))
    return Items(*parts)
