"""Section 01: recorded crime and ASB in the current period against the comparison period."""

from __future__ import annotations

import pandas as pd

from csp_analysis import formatting as fmt
from csp_analysis.categories import ALL_CRIME, ASB, CRIME_CATEGORIES
from csp_analysis.methods.change import change_table, families
from csp_analysis.periods import (
    ENGLAND_LOCKDOWN_MONTHS,
    Period,
    comparison_caveats,
    different_seasons,
    year_earlier,
)
from csp_analysis.police import outcomes
from csp_analysis.police.selection import LsoaSelector
from csp_analysis.report import charts, narrative
from csp_analysis.report import display as show
from csp_analysis.report.display import Items
from csp_analysis.report.tables import RATE_RATIO, method_note
from csp_analysis.sections.context import Context

#: Row order of the performance table: all crime first, the crime types, ASB on its own line last.
TABLE_ORDER: tuple[str, ...] = (ALL_CRIME, *CRIME_CATEGORIES, ASB)
#: Benjamini-Hochberg families of the table: the crime types and ASB; all crime (their sum, less ASB) alone.
FAMILIES = families(TABLE_ORDER, "crime types and ASB", totals=[ALL_CRIME])


def counts_by_category(records: pd.DataFrame, period: Period) -> pd.Series:
    """Records per police.uk category in ``period``, with the all-crime (excluding ASB) line."""
    counts = records[period.contains(records["Month"])]["Crime type"].value_counts()
    counts[ALL_CRIME] = int(counts.drop(ASB, errors="ignore").sum())
    return counts.reindex(TABLE_ORDER, fill_value=0).astype("int64")


def performance_table(
    records: pd.DataFrame, previous: Period, current: Period, *, alpha: float = 0.05, small_count: int = 10,
    abnormal_months=ENGLAND_LOCKDOWN_MONTHS,
) -> pd.DataFrame:
    """One line per category: previous, current, change, % change and the change test on the
    monthly counts of each period (``methods.change.change_table``), Benjamini-Hochberg within
    ``FAMILIES``."""
    monthly = monthly_counts(records)
    table = change_table(monthly.reindex(previous.months, fill_value=0),
                         monthly.reindex(current.months, fill_value=0), previous, current, family=FAMILIES,
                         alpha=alpha, small_count=small_count, abnormal_months=abnormal_months)
    return table.rename_axis("category").reset_index()


def monthly_counts(records: pd.DataFrame) -> pd.DataFrame:
    """Counts by month (rows, every month in the data) and category (columns, table order)."""
    table = pd.crosstab(records["Month"], records["Crime type"])
    table[ALL_CRIME] = table.drop(columns=[ASB], errors="ignore").sum(axis=1)
    return table.reindex(columns=list(TABLE_ORDER), fill_value=0).sort_index()


def selected_population(population: pd.DataFrame | None, selector: LsoaSelector) -> float | None:
    """Residents of the LSOAs a selector picks from an LSOA population table (None: no table or no LSOA)."""
    if population is None:
        return None
    named = pd.DataFrame({"LSOA code": population["lsoa_code"], "LSOA name": population["lsoa_name"].fillna("")})
    chosen = selector.mask(named).to_numpy()
    return float(population.loc[chosen, "population"].sum()) if chosen.any() else None


def with_rates(table: pd.DataFrame, population: float | None) -> pd.DataFrame:
    """The table with ``population`` and each period's count per 1,000 residents (``rate_previous``,
    ``rate_current``; missing without a population). Rates are of the period's count, not annualised."""
    per = 1000 / population if population else float("nan")
    return table.assign(population=pd.array([round(population) if population else pd.NA] * len(table), dtype="Int64"),
                        rate_previous=table["previous"] * per, rate_current=table["current"] * per)


def rate(value) -> str:
    """A rate per 1,000 residents to two decimals; 'n/a' when missing."""
    return "n/a" if pd.isna(value) else f"{value:,.2f}"


def for_display(table: pd.DataFrame, previous: Period, current: Period) -> pd.DataFrame:
    """The performance table as the reviewer reads it (strings; 'n/a' where no % can be given);
    the rate per 1,000 residents of each period when the table has a population."""
    rates = {}
    if "population" in table and table["population"].notna().any():
        rates = {f"{previous.label} per 1,000": table["rate_previous"].map(rate),
                 f"{current.label} per 1,000": table["rate_current"].map(rate)}
    return pd.DataFrame({
        "Category": table["category"],
        previous.label: table["previous"].map(fmt.count),
        current.label: table["current"].map(fmt.count),
        **rates,
        "% change": table["pct_change"].map(fmt.pct),
        "Change": table["change"].map(fmt.signed_count),
        RATE_RATIO: table.apply(fmt.rate_ratio, axis=1),
        "Test": table.apply(fmt.which_test, axis=1),
        "Adjusted p": table["p_adjusted"].map(fmt.p_value),
        "Assessment": table.apply(fmt.significance, axis=1),
    })


def side_by_side(area: pd.DataFrame, county: pd.DataFrame, area_name: str, county_name: str) -> pd.DataFrame:
    """District and county % changes per category, with the county's verdict and test, for context."""
    merged = area.merge(county, on="category", suffixes=("_area", "_county"))
    county_rows = county.set_index("category").loc[merged["category"]].reset_index()
    rates = {}
    if "population" in area and area["population"].notna().any() and county["population"].notna().any():
        rates = {f"{area_name} per 1,000": merged["rate_current_area"].map(rate),
                 f"{county_name} per 1,000": merged["rate_current_county"].map(rate)}
    return pd.DataFrame({
        "Category": merged["category"],
        f"{area_name} now": merged["current_area"].map(fmt.count),
        f"{area_name} % change": merged["pct_change_area"].map(fmt.pct),
        f"{county_name} now": merged["current_county"].map(fmt.count),
        f"{county_name} % change": merged["pct_change_county"].map(fmt.pct),
        **rates,
        f"{county_name} assessment": [fmt.significance(row) for _, row in county_rows.iterrows()],
        f"{county_name} test": [fmt.which_test(row) for _, row in county_rows.iterrows()],
        f"{area_name} share of {county_name} (%)": (100 * merged["current_area"]
                                                    / merged["current_county"].where(merged["current_county"] > 0)
                                                    ).map(lambda v: fmt.pct(v, signed=False)),
    })


def with_periods(table: pd.DataFrame, previous: Period, current: Period) -> pd.DataFrame:
    """The CSV form: the table plus the months each count covers."""
    return table.assign(previous_period=f"{previous.start}..{previous.end}",
                        current_period=f"{current.start}..{current.end}")


POLICE_UK_SOURCE = "police.uk street-level data"
CSV_COLUMNS = ("category", "previous", "current", "change", "pct_change", "rate_ratio", "ci_low", "ci_high", "test",
               "dispersion", "p_value", "p_adjusted", "family", "significant", "small_count", "different_seasons",
               "abnormal_months", "population", "rate_previous", "rate_current", "previous_period", "current_period",
               "source")


def csv_table(police: pd.DataFrame | None, returns_lines: pd.DataFrame | None, area_name: str,
              previous: Period, current: Period) -> pd.DataFrame:
    """``crime_performance.csv``: the police.uk lines, then the area's lines from partner returns."""
    parts = []
    if police is not None:
        parts.append(with_periods(police, previous, current).assign(source=POLICE_UK_SOURCE))
    if returns_lines is not None:
        mine = returns_lines[returns_lines["area"] == area_name].drop(columns="area")
        parts.append(mine.assign(pct_change=mine["pct_change"].round(1)))
    if not parts:
        return pd.DataFrame(columns=list(CSV_COLUMNS))
    return pd.concat(parts, ignore_index=True).reindex(columns=list(CSV_COLUMNS))


# --- What the section notebook shows -------------------------------------------------------------

def introduction(ctx: Context) -> str:
    """The section's opening line: area, periods and source (after checking the data cover both periods)."""
    if not ctx.settings.has_police_data:
        return f"**Area:** {ctx.area}. No police.uk data are configured: this section reports the partner returns only."
    ctx.data.check_coverage()
    months = ctx.data.months_available
    return (f"**Area:** {ctx.area}. **Current period:** {ctx.current.label} ({ctx.current.n_months} months). "
            f"**Compared with:** {ctx.previous.label}. **Source:** police.uk street-level crime and ASB, "
            f"{len(ctx.data.street_files)} monthly file(s), {months[0]} to {months[-1]}.")


def population(ctx: Context, which: str = "area") -> float | None:
    """Residents of the 'area' or the 'county' (their LSOAs in ``inputs.population``), or None."""
    if which == "area":
        return ctx.data.area_population
    if ctx.config.county is None:
        return None
    return selected_population(ctx.data.lsoa_population, ctx.data.selector(which))


def area_table(ctx: Context, records: pd.DataFrame | None = None, previous: Period | None = None,
               which: str = "area") -> pd.DataFrame | None:
    """The performance table of the area (or of ``records``, of the 'area' or 'county' named by
    ``which``) against the comparison period (or ``previous``), with rates per 1,000 residents; None
    without police.uk data."""
    if not ctx.settings.has_police_data:
        return None
    settings = ctx.config.analysis
    table = performance_table(ctx.data.area_records if records is None else records, previous or ctx.previous,
                              ctx.current, alpha=settings.alpha, small_count=settings.small_count,
                              abnormal_months=settings.abnormal_months)
    return with_rates(table, population(ctx, which))


def county_table(ctx: Context) -> pd.DataFrame | None:
    """The performance table of the county; None without police.uk data or a county."""
    if not ctx.settings.has_police_data or ctx.data.county_records is None:
        return None
    return area_table(ctx, ctx.data.county_records, which="county")


def population_note(ctx: Context, table: pd.DataFrame, name: str | None = None) -> str:
    """Where the residents behind the rates of ``name`` (default: the area) come from, or why there are none."""
    name = name or ctx.area
    if not ctx.config.inputs.population:
        return ("**Rates.** No population file is configured (inputs.population), so rates per 1,000 residents "
                "are not shown.")
    residents = table["population"].iloc[0]
    if pd.isna(residents):
        return f"**Rates.** The population file holds no LSOA of {name}, so rates per 1,000 residents are not shown."
    return (f"**Rates** are each period's count per 1,000 residents (not annualised), with {fmt.count(residents)} "
            f"residents: the LSOAs of {name} summed from {ctx.config.inputs.population}.")


def reading_note(ctx: Context, table: pd.DataFrame, previous: Period) -> str:
    """How to read a performance table: the columns, the test and its families, and the caveats
    of the periods compared."""
    settings = ctx.config.analysis
    caveats = comparison_caveats(previous, ctx.current, settings.abnormal_months)
    return "\n\n".join(text for text in (
        "**How to read this table.** *Change* and *% change* compare the two periods; \"n/a\" means there is no "
        "previous figure to take a percentage of. \"small numbers\" marks lines with fewer than "
        f"{settings.small_count} events in either period, where percentages swing widely.",
        method_note(table, settings.alpha, label="category"),
        population_note(ctx, table) if "population" in table else None,
        f"**The periods compared.** {caveats}" if caveats else None) if text)


def summary_view(ctx: Context, table: pd.DataFrame | None) -> Items | None:
    """Key findings (computed sentences), the performance table and how to read it."""
    if table is None:
        return None
    rows = table.set_index("category", drop=False)
    findings = "\n".join([
        "- " + narrative.change_sentence(rows.loc[ALL_CRIME], ALL_CRIME),
        "- " + narrative.change_sentence(rows.loc[ASB], ASB, noun="incidents"),
        "- " + narrative.significant_changes(table[table["category"] != ALL_CRIME]),
    ])
    return Items(show.note("## Key findings\n\n" + findings),
                 show.show_table(for_display(table, ctx.previous, ctx.current),
                                 f"{ctx.area} crime performance summary: {ctx.current.label} against "
                                 f"{ctx.previous.label}", table_id="crime-performance"),
                 show.note(reading_note(ctx, table, ctx.previous)))


def year_earlier_view(ctx: Context) -> Items | None:
    """Where the periods compared are different seasons: the current period against the same months
    a year earlier (``crime_performance_year_earlier.csv``), or why the data cannot show it."""
    if not ctx.settings.has_police_data or not different_seasons(ctx.previous.months, ctx.current.months):
        return None
    heading = show.note("## Against the same months a year earlier")
    earlier = year_earlier(ctx.current, ctx.data.months_available)
    if earlier is None:
        months = ctx.data.months_available
        return Items(heading, show.note(
            f"The comparison above sets different seasons against each other. The police.uk data hold {months[0]} to "
            f"{months[-1]}, not the same months a year earlier ({ctx.current.shifted(-12).label}), so the change on a "
            "year earlier cannot be shown: read the changes above with the seasons in mind."))
    table = area_table(ctx, previous=earlier)
    ctx.out.save_table(csv_table(table, None, ctx.area, earlier, ctx.current), "crime_performance_year_earlier")
    sentence = narrative.change_sentence(table.set_index("category").loc[ALL_CRIME], ALL_CRIME)
    return Items(
        heading,
        show.note(f"The comparison above sets different seasons against each other; against the same months a year "
                  f"earlier ({earlier.label}), the season is the same. {sentence}"),
        show.show_table(for_display(table, earlier, ctx.current),
                        f"{ctx.area} crime performance: {ctx.current.label} against {earlier.label}",
                        table_id="crime-performance-year-earlier"),
        show.note(" ".join(text for text in (
            "The lines are tested as in the table above, in the same families; here the months are matched, so "
            "the season does not count as variation.",
            comparison_caveats(earlier, ctx.current, ctx.config.analysis.abnormal_months)) if text)))


def county_view(ctx: Context, table: pd.DataFrame | None, county: pd.DataFrame | None,
                returns_lines: pd.DataFrame | None) -> Items | None:
    """The area beside the county (``crime_performance_county.csv``): a sentence on the county's all
    crime, and the side-by-side table."""
    if table is None or county is None:
        return None
    ctx.out.save_table(csv_table(county, returns_lines, ctx.county, ctx.previous, ctx.current),
                       "crime_performance_county")
    line = county.set_index("category").loc[ALL_CRIME]
    return Items(
        show.note(f"## {ctx.area} beside {ctx.county}\n\n"
                  + narrative.change_sentence(line, f"In {ctx.county} as a whole, all crime (excluding ASB)")),
        show.show_table(side_by_side(table, county, ctx.area, ctx.county),
                        f"{ctx.area} and {ctx.county}: {ctx.current.label} and change on {ctx.previous.label}",
                        table_id="crime-performance-county"),
        show.note(f"{ctx.county}'s lines are tested as {ctx.area}'s are (the test on each line's monthly counts, "
                  "its families: the crime types and ASB; all crime on its own), as a table of their own."),
        show.note(population_note(ctx, county, ctx.county)))


def monthly_view(ctx: Context) -> Items | None:
    """Monthly counts of every category (``crime_monthly.csv``) as small multiples."""
    if not ctx.settings.has_police_data:
        return None
    monthly = monthly_counts(ctx.data.area_records)
    ctx.out.save_table(monthly.reset_index().rename(columns={"Month": "month"}), "crime_monthly")
    figure = charts.monthly_small_multiples(monthly, ctx.previous, ctx.current)
    return Items(
        show.note("## Monthly trends"),
        ctx.out.figure(figure, "crime_monthly_trends", alt=f"Monthly counts of each crime category and ASB in {ctx.area}"),
        show.note(f"Monthly records in {ctx.area}, every month in the data ({monthly.index[0]} to "
                  f"{monthly.index[-1]}); the comparison and current periods are shaded. Each panel has its own scale."))


def current_crimes(ctx: Context) -> pd.DataFrame:
    """The area's crimes (records with a Crime ID, so not ASB) of the current period."""
    records = ctx.data.area_records
    return records[ctx.current.contains(records["Month"]) & records["Crime ID"].ne("")]


def outcomes_view(ctx: Context) -> Items | None:
    """The latest outcome of each current-period crime (``crime_outcomes.csv``), table and chart."""
    if not ctx.settings.has_police_data:
        return None
    if not ctx.data.outcome_files:
        return Items(show.note("## Outcomes"),
                     show.note("No police.uk outcomes files were found, so outcomes are not reported."))
    crimes = current_crimes(ctx)
    shares = outcomes.outcome_shares(crimes["Crime ID"], ctx.data.outcomes)
    ctx.out.save_table(shares, "crime_outcomes")
    return Items(
        show.note("## Outcomes"),
        show.note(f"The latest outcome recorded for each of the {len(crimes):,} crimes of the current period, from the "
                  f"police.uk outcomes files up to {ctx.data.outcome_files[-1].month}. Recent crimes have had less "
                  "time to reach an outcome."),
        show.show_table(shares.rename(columns={"outcome_group": "Outcome group", "crimes": "Crimes",
                                               "share_pct": "Share (%)"}),
                        f"Outcomes of {ctx.area} crimes, {ctx.current.label}", table_id="crime-outcomes"),
        ctx.out.figure(charts.horizontal_shares(shares, "outcome_group", "share_pct",
                                                f"Outcome groups, {ctx.current.label}"),
                       "crime_outcomes", alt=f"Share of {ctx.area} crimes in each outcome group"))
