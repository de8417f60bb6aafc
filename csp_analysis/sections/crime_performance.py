"""Section 01: recorded crime and ASB in the current period against the comparison period."""

from __future__ import annotations

import pandas as pd

from csp_analysis import formatting as fmt
from csp_analysis.categories import ALL_CRIME, ASB, CRIME_CATEGORIES
from csp_analysis.methods.change import compare_counts
from csp_analysis.periods import Period
from csp_analysis.police import outcomes
from csp_analysis.report import charts, narrative
from csp_analysis.report import display as show
from csp_analysis.report.display import Items
from csp_analysis.sections.context import Context

#: Row order of the performance table: all crime first, the crime types, ASB on its own line last.
TABLE_ORDER: tuple[str, ...] = (ALL_CRIME, *CRIME_CATEGORIES, ASB)


def counts_by_category(records: pd.DataFrame, period: Period) -> pd.Series:
    """Records per police.uk category in ``period``, with the all-crime (excluding ASB) line."""
    counts = records[period.contains(records["Month"])]["Crime type"].value_counts()
    counts[ALL_CRIME] = int(counts.drop(ASB, errors="ignore").sum())
    return counts.reindex(TABLE_ORDER, fill_value=0).astype("int64")


def performance_table(
    records: pd.DataFrame, previous: Period, current: Period, *, alpha: float = 0.05, small_count: int = 10
) -> pd.DataFrame:
    """One line per category: previous, current, change, % change and an adjusted Poisson test."""
    table = compare_counts(
        counts_by_category(records, previous),
        counts_by_category(records, current),
        previous.days,
        current.days,
        alpha=alpha,
        small_count=small_count,
    )
    table = table.rename_axis("category").reset_index()
    table["pct_change"] = table["pct_change"].round(1)
    return table


def monthly_counts(records: pd.DataFrame) -> pd.DataFrame:
    """Counts by month (rows, every month in the data) and category (columns, table order)."""
    table = pd.crosstab(records["Month"], records["Crime type"])
    table[ALL_CRIME] = table.drop(columns=[ASB], errors="ignore").sum(axis=1)
    return table.reindex(columns=list(TABLE_ORDER), fill_value=0).sort_index()


def for_display(table: pd.DataFrame, previous: Period, current: Period) -> pd.DataFrame:
    """The performance table as the reviewer reads it (strings; 'n/a' where no % can be given)."""
    return pd.DataFrame({
        "Category": table["category"],
        previous.label: table["previous"].map(fmt.count),
        current.label: table["current"].map(fmt.count),
        "% change": table["pct_change"].map(fmt.pct),
        "Change": table["change"].map(fmt.signed_count),
        "Adjusted p": table["p_adjusted"].map(fmt.p_value),
        "Assessment": table.apply(fmt.significance, axis=1),
    })


def side_by_side(area: pd.DataFrame, county: pd.DataFrame, area_name: str, county_name: str) -> pd.DataFrame:
    """District and county % changes per category, for context."""
    merged = area.merge(county, on="category", suffixes=("_area", "_county"))
    return pd.DataFrame({
        "Category": merged["category"],
        f"{area_name} now": merged["current_area"].map(fmt.count),
        f"{area_name} % change": merged["pct_change_area"].map(fmt.pct),
        f"{county_name} now": merged["current_county"].map(fmt.count),
        f"{county_name} % change": merged["pct_change_county"].map(fmt.pct),
        f"{area_name} share of {county_name} (%)": (100 * merged["current_area"]
                                                    / merged["current_county"].where(merged["current_county"] > 0)
                                                    ).map(lambda v: fmt.pct(v, signed=False)),
    })


def with_periods(table: pd.DataFrame, previous: Period, current: Period) -> pd.DataFrame:
    """The CSV form: the table plus the months each count covers."""
    return table.assign(previous_period=f"{previous.start}..{previous.end}",
                        current_period=f"{current.start}..{current.end}")


POLICE_UK_SOURCE = "police.uk street-level data"
CSV_COLUMNS = ("category", "previous", "current", "change", "pct_change", "p_value", "p_adjusted", "significant",
               "small_count", "previous_period", "current_period", "source")


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
    return pd.concat(parts, ignore_index=True)[list(CSV_COLUMNS)]


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


def area_table(ctx: Context, records: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """The performance table of the area (or of ``records``); None without police.uk data."""
    if not ctx.settings.has_police_data:
        return None
    settings = ctx.config.analysis
    return performance_table(ctx.data.area_records if records is None else records, ctx.previous, ctx.current,
                             alpha=settings.alpha, small_count=settings.small_count)


def county_table(ctx: Context) -> pd.DataFrame | None:
    """The performance table of the county; None without police.uk data or a county."""
    if not ctx.settings.has_police_data or ctx.data.county_records is None:
        return None
    return area_table(ctx, ctx.data.county_records)


def summary_view(ctx: Context, table: pd.DataFrame | None) -> Items | None:
    """Key findings (computed sentences) and the performance table."""
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
                                 f"{ctx.previous.label}", table_id="crime-performance"))


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
                        table_id="crime-performance-county"))


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
