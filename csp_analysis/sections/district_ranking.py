"""Where the area ranks among the districts of its county: current-period counts and rates per 1,000."""

from __future__ import annotations

import pandas as pd

from csp_analysis import formatting as fmt
from csp_analysis.categories import ALL_CRIME, ASB
from csp_analysis.periods import Period
from csp_analysis.police.selection import LsoaSelector
from csp_analysis.report import charts
from csp_analysis.report import display as show
from csp_analysis.report.display import Items
from csp_analysis.sections.context import Context
from csp_analysis.sections.crime_performance import rate, selected_population


def district_rates(records: pd.DataFrame, population: pd.DataFrame, districts: list[str], period: Period,
                   categories: list[str]) -> pd.DataFrame:
    """One row per district (an LSOA name prefix) and category: the count in ``period``, the district's
    residents, the rate per 1,000 and the rank among the districts (1 = highest rate; ties share the
    better rank). All crime excludes ASB."""
    current = records[period.contains(records["Month"])]
    rows = []
    for district in districts:
        selector = LsoaSelector([district])
        counts = current[selector.mask(current)]["Crime type"].value_counts()
        residents = selected_population(population, selector)
        for category in categories:
            count = int(counts.drop(ASB, errors="ignore").sum() if category == ALL_CRIME else counts.get(category, 0))
            rows.append({"district": district, "category": category, "count": count, "population": residents,
                         "rate_per_1000": 1000 * count / residents if residents else float("nan")})
    table = pd.DataFrame(rows)
    table["rank"] = table.groupby("category")["rate_per_1000"].rank(ascending=False, method="min").astype("Int64")
    table["districts"] = len(districts)
    return table


def categories(ctx: Context) -> list[str]:
    """All crime, ASB and the priority categories, in that order."""
    return [ALL_CRIME, ASB, *[c for c in ctx.config.analysis.priority_categories if c not in (ALL_CRIME, ASB)]]


def unavailable(ctx: Context) -> str | None:
    """Why the ranking cannot be shown, or None when it can."""
    county = ctx.config.county
    if not ctx.settings.has_police_data:
        return "No police.uk data are configured."
    if county is None or len(county.lsoa_name_prefixes) < 2:
        return ("The county is not given as a list of its districts (county.lsoa_name_prefixes, one LSOA name prefix "
                "per district), so its districts cannot be ranked.")
    if not set(ctx.config.area.lsoa_name_prefixes) <= set(county.lsoa_name_prefixes):
        return f"{ctx.area} is not given by district prefixes of {county.name} (area.lsoa_name_prefixes)."
    if ctx.data.lsoa_population is None:
        return "No population file is configured (inputs.population), so rates per 1,000 residents cannot be ranked."
    return None


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """Districts as rows, highest all-crime rate first; each category's rate per 1,000 with its rank."""
    cell = table.assign(text=[f"{rate(r)} ({fmt.ordinal(k)})" if pd.notna(k) else "n/a"
                              for r, k in zip(table["rate_per_1000"], table["rank"])])
    wide = cell.pivot(index="district", columns="category", values="text")[list(dict.fromkeys(table["category"]))]
    residents = table.drop_duplicates("district").set_index("district")["population"]
    order = table[table["category"] == table["category"].iloc[0]].sort_values("rate_per_1000", ascending=False)
    wide = wide.loc[order["district"]]
    wide.insert(0, "Residents", residents.loc[wide.index].map(lambda v: "n/a" if pd.isna(v) else fmt.count(v)))
    return wide.rename(columns=lambda c: c if c == "Residents" else f"{c} per 1,000 (rank)").rename_axis(
        "District").reset_index()


def rank_sentence(table: pd.DataFrame, area: list[str], area_name: str, county_name: str) -> str:
    """The area's rank in each category, as one sentence."""
    mine = table[table["district"].isin(area)]
    parts = [f"{row.category} {fmt.ordinal(row.rank)} ({rate(row.rate_per_1000)} per 1,000)"
             for row in mine.itertuples() if pd.notna(row.rank)]
    return (f"Of the {table['districts'].iloc[0]} districts of {county_name} (1 = highest rate), {area_name} ranks: "
            + "; ".join(parts) + ".")


def view(ctx: Context) -> Items | None:
    """The districts of the county ranked by current-period rate per 1,000 (``district_ranking.csv``),
    a table and a chart with the area highlighted; or why it is not shown."""
    heading = show.note(f"## {ctx.area} among the districts of {ctx.county or 'its county'}")
    reason = unavailable(ctx)
    if reason:
        return Items(heading, show.note(f"The district ranking is not shown. {reason}"))
    table = district_rates(ctx.data.street, ctx.data.lsoa_population, ctx.config.county.lsoa_name_prefixes,
                           ctx.current, categories(ctx))
    ctx.out.save_table(table.assign(period=f"{ctx.current.start}..{ctx.current.end}"), "district_ranking")
    area = ctx.config.area.lsoa_name_prefixes
    figure = charts.ranking_small_multiples(table, area, ncols=4)
    return Items(
        heading,
        show.note(rank_sentence(table, area, ctx.area, ctx.county)),
        show.show_table(for_display(table), f"Districts of {ctx.county}: records per 1,000 residents and rank, "
                                            f"{ctx.current.label}", table_id="district-ranking"),
        ctx.out.figure(figure, "district_ranking",
                       alt=f"Rates per 1,000 residents of each district of {ctx.county} in {ctx.current.label}, one "
                           f"panel per category, {ctx.area} highlighted"),
        show.note(f"Counts are of the current period ({ctx.current.label}) from the same police.uk archive as the "
                  f"rest of this section, each district picked by its LSOA names; residents are its LSOAs summed "
                  f"from {ctx.config.inputs.population}. Rates are of the period's count, not annualised. A national "
                  "figure is not given: no national archive input exists yet."))
