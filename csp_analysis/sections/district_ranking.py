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
            rows.append({"district": district, "category": category, "count": count,
                         "population": round(residents) if residents else pd.NA,
                         "rate_per_1000": 1000 * count / residents if residents else float("nan")})
    table = pd.DataFrame(rows).astype({"population": "Int64"})
    table["rank"] = table.groupby("category")["rate_per_1000"].rank(ascending=False, method="min").astype("Int64")
    table["districts"] = len(districts)
    return table


NATIONAL = "England and Wales"


def national_rates(counts: pd.DataFrame, population: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """The England and Wales rate per 1,000 of each category, from national counts by LSOA
    (``LSOA code, Crime type, count``) and LSOA population: records and residents of English (E01)
    and Welsh (W01) LSOAs only, so records without a location are not counted."""
    def welsh_or_english(codes: pd.Series) -> pd.Series:
        return codes.astype("str").str.match(r"^[EW]01")

    counts = counts[welsh_or_english(counts["LSOA code"]).to_numpy()]
    residents = round(population.loc[welsh_or_english(population["lsoa_code"]).to_numpy(), "population"].sum())
    by_type = counts.groupby("Crime type")["count"].sum()
    crimes = int(by_type.drop(ASB, errors="ignore").sum())
    rows = [{"district": NATIONAL, "category": category, "population": residents,
             "count": crimes if category == ALL_CRIME else int(by_type.get(category, 0))} for category in categories]
    table = pd.DataFrame(rows).astype({"population": "Int64"})
    return table.assign(rate_per_1000=1000 * table["count"] / residents if residents else float("nan"))


def national(ctx: Context, names: list[str]) -> pd.DataFrame | None:
    """The national rates when ``inputs.national_police_uk`` and ``inputs.national_population`` are given."""
    inputs = ctx.config.inputs
    if not (inputs.national_police_uk and inputs.national_population):
        return None
    from csp_analysis.geo.boundaries import load_lsoa_population
    from csp_analysis.police.national import lsoa_counts, street_files

    counts = lsoa_counts(street_files(ctx.settings.input_path(inputs.national_police_uk), ctx.current.months))
    return national_rates(counts, load_lsoa_population(ctx.settings.input_path(inputs.national_population)), names)


def categories(ctx: Context) -> list[str]:
    """All crime, ASB and the priority categories, in that order."""
    return [ALL_CRIME, ASB, *[c for c in ctx.config.analysis.priority_categories if c not in (ALL_CRIME, ASB)]]


def unavailable(ctx: Context) -> str | None:
    """Why the ranking cannot be shown, or None when it can."""
    county = ctx.config.county
    if county is None or len(county.lsoa_name_prefixes) < 2:
        return ("The county is not given as a list of its districts (county.lsoa_name_prefixes, one LSOA name prefix "
                "per district), so its districts cannot be ranked.")
    if not set(ctx.config.area.lsoa_name_prefixes) <= set(county.lsoa_name_prefixes):
        return f"{ctx.area} is not given by district prefixes of {county.name} (area.lsoa_name_prefixes)."
    if ctx.data.lsoa_population is None:
        return "No population file is configured (inputs.population), so rates per 1,000 residents cannot be ranked."
    return None


def for_display(table: pd.DataFrame, nation: pd.DataFrame | None = None) -> pd.DataFrame:
    """Districts as rows, highest all-crime rate first; each category's rate per 1,000 with its rank;
    the national rates (not ranked) on a last row when given."""
    cell = table.assign(text=[f"{rate(r)} ({fmt.ordinal(k)})" if pd.notna(k) else "n/a"
                              for r, k in zip(table["rate_per_1000"], table["rank"])])
    if nation is not None:
        cell = pd.concat([cell, nation.assign(text=nation["rate_per_1000"].map(rate))], ignore_index=True)
    wide = cell.pivot(index="district", columns="category", values="text")[list(dict.fromkeys(table["category"]))]
    order = table[table["category"] == table["category"].iloc[0]].sort_values("rate_per_1000", ascending=False)
    wide = wide.loc[[*order["district"], *([] if nation is None else [NATIONAL])]]
    residents = cell.drop_duplicates("district").set_index("district")["population"]
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
    """The districts of the county ranked by current-period rate per 1,000 (``district_ranking.csv``, with
    the national rates when given), a table and a chart with the area highlighted; or why it is not
    shown. None without police.uk data."""
    if not ctx.settings.has_police_data:
        return None
    heading = show.note(f"## {ctx.area} among the districts of {ctx.county or 'its county'}")
    reason = unavailable(ctx)
    if reason:
        return Items(heading, show.note(f"The district ranking is not shown. {reason}"))
    table = district_rates(ctx.data.street, ctx.data.lsoa_population, ctx.config.county.lsoa_name_prefixes,
                           ctx.current, categories(ctx))
    nation = national(ctx, categories(ctx))
    ctx.out.save_table(pd.concat([table, nation]).assign(period=f"{ctx.current.start}..{ctx.current.end}"),
                       "district_ranking")  # the national rows (when given) last, without a rank
    area = ctx.config.area.lsoa_name_prefixes
    figure = charts.ranking_small_multiples(
        table, area, ncols=4, reference=None if nation is None else nation.set_index("category")["rate_per_1000"])
    return Items(
        heading,
        show.note(rank_sentence(table, area, ctx.area, ctx.county)),
        show.show_table(for_display(table, nation), f"Districts of {ctx.county}: records per 1,000 residents and rank, "
                                            f"{ctx.current.label}", table_id="district-ranking"),
        ctx.out.figure(figure, "district_ranking",
                       alt=f"Rates per 1,000 residents of each district of {ctx.county} in {ctx.current.label}, one "
                           f"panel per category, {ctx.area} highlighted"),
        show.note(f"Counts are of the current period ({ctx.current.label}) from the same police.uk archive as the "
                  f"rest of this section, each district picked by its LSOA names; residents are its LSOAs summed "
                  f"from {ctx.config.inputs.population}. Rates are of the period's count, not annualised. "
                  + national_note(ctx, nation)))


def national_note(ctx: Context, nation: pd.DataFrame | None) -> str:
    """Where the national rate comes from, or how to add it."""
    if nation is None:
        return ("No national figure: give inputs.national_police_uk (every force's street files) and "
                "inputs.national_population (LSOA population of England and Wales) to add it.")
    return (f"{NATIONAL} (dashed line on the chart, last row of the table, not ranked): the records of English and "
            f"Welsh LSOAs in {ctx.config.inputs.national_police_uk} for the same months, per 1,000 of the "
            f"{fmt.count(nation['population'].iloc[0])} residents of {ctx.config.inputs.national_population}.")
