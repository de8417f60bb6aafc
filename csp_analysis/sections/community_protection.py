"""Section 04 helpers: the casework tables (summary, by month, by ward), made safe to publish together.

The three tables share figures (the summary's current count of each case type is the Total row of
the monthly and the ward table), so they are protected against an attacker who reads all of them,
and everything else the section shows (the chart, the maps, the sentences) is drawn from the
protected tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from csp_analysis.config.disclosure import DisclosureRule
from csp_analysis.geo.selection import locate_in_wards
from csp_analysis.methods.change import benjamini_hochberg
from csp_analysis.methods.disclosure import (
    TOTAL,
    Counts,
    LinkedProtection,
    Protected,
    protect_linked,
)
from csp_analysis.partners.casework import (
    ASB_CASE,
    CORE_CASE_TYPES,
    FLY_TIPPING,
    case_lines,
    case_types,
    casework_monthly,
    casework_summary,
)
from csp_analysis.paths import slug
from csp_analysis.periods import Period
from csp_analysis.report import charts, maps, narrative
from csp_analysis.report import display as show
from csp_analysis.report.display import Items
from csp_analysis.report.tables import lines_view, method_note
from csp_analysis.sections.context import Context

SUMMARY, MONTHLY, WARDS = "casework_summary", "casework_monthly", "casework_by_ward"

#: Summary columns computed from a line's counts: suppressed with them.
DERIVED = ("change", "pct_change", "change_display", "pct_change_display", "rate_ratio", "ci_low", "ci_high",
           "test", "dispersion", "p_value", "p_adjusted", "significant", "small_count")


@dataclass
class CaseworkTables:
    """The section's casework tables after disclosure control.

    ``summary`` is ``casework_summary`` as published (a suppressed count, and every figure computed
    from it, replaced by the marker), or None when withheld; ``hidden_lines`` are its lines with a
    suppressed count. ``monthly`` (the current period) and ``wards`` (None without wards) are the
    protected tables, ``ward_codes`` maps the ward table's names to codes, and ``protection`` holds the
    joint audit and the statement the section prints.
    """

    summary: pd.DataFrame | None
    hidden_lines: list[str]
    monthly: Protected
    wards: Protected | None
    ward_codes: pd.Series | None
    protection: LinkedProtection

    @property
    def rule(self) -> DisclosureRule:
        return self.protection.rule


def current_months(monthly: pd.DataFrame, current: Period) -> pd.DataFrame:
    """The current period's rows of a monthly table (months with no cases as 0)."""
    return monthly.reindex(pd.Index(current.months, name="month"), fill_value=0)


def non_sensitive(table: pd.DataFrame, rule: DisclosureRule) -> list[str]:
    """Columns (case types) that the disclosure rule does not treat as sensitive."""
    return [c for c in table.columns if not rule.matches(c)]


def ward_table(ctx: Context, cases: pd.DataFrame) -> pd.DataFrame:
    """Current-period cases per ward (rows, every ward) and case type (columns).

    Cases are placed by their coordinates, else by their ward name or code; cases that cannot be
    placed form a final "Ward not known" row, so the columns still add up to the district totals.
    """
    current = cases[ctx.current.contains(cases["date"])]
    placed = locate_in_wards(current, ctx.data.wards, ctx.config.analysis.ward_tolerance_m)
    lines = case_lines(current, case_types(cases))
    counts = lines.groupby(placed["ward_code"].fillna("")).sum()
    wards = ctx.data.wards.sort_values("ward_name")
    table = counts.reindex(list(wards["ward_code"]) + [""], fill_value=0)
    names = dict(zip(wards["ward_code"], wards["ward_name"]))
    table.insert(0, "Ward", [names.get(code, "Ward not known") for code in table.index])
    table = table.rename_axis("ward_code").reset_index()
    unknown = table["ward_code"].eq("")
    if table.loc[unknown, table.columns[2:]].to_numpy().sum() == 0:
        table = table[~unknown]
    return table.reset_index(drop=True)


def protect_casework(summary: pd.DataFrame, monthly: pd.DataFrame, wards: pd.DataFrame | None,
                     rule: DisclosureRule, *, alpha: float = 0.05) -> CaseworkTables:
    """Protect the summary's counts, the current period's monthly table and the ward table together.

    ``summary`` is :func:`casework_summary`; ``monthly`` has the current months as rows and case types
    as columns; ``wards`` (or None) has ward names as rows ("Ward not known" included) and the same
    columns. The attacker reads all three: the summary's current count of each case type is the Total
    row of the other two, its total of all types their grand total. Published elsewhere, so never
    suppressed: each period's total of all case types (the data-quality section counts the records
    used in both periods) and the comparison period's count of each non-sensitive type (the chart
    shows all its months). Benjamini-Hochberg adjusted p-values of the published lines are
    recomputed without the suppressed lines, whose p-values would otherwise show through them.
    """
    types = list(monthly.columns)
    sensitive = [t for t in types if rule.matches(t)]
    what = (" and ".join(t.lower() for t in sensitive) + " cases") if sensitive else None
    comparable = bool(summary["comparison_available"].all())
    periods = ["previous", "current"] if comparable else ["current"]
    elsewhere = [(TOTAL, period) for period in periods]
    if comparable:
        elsewhere += [(t, "previous") for t in types if t not in sensitive]
    tables = [
        Counts(SUMMARY, summary.set_index("line")[periods].astype("int64"), sensitive, row_totals=False,
               published_elsewhere=elsewhere, what=what),
        Counts(MONTHLY, monthly, sensitive, what=what),
    ]
    links = [[(SUMMARY, t, "current"), (MONTHLY, TOTAL, t)] for t in types]
    links.append([(SUMMARY, TOTAL, "current"), (MONTHLY, TOTAL, TOTAL)])
    if wards is not None:
        tables.append(Counts(WARDS, wards.drop(columns="ward_code").set_index("Ward"), sensitive, what=what))
        for group in links:
            group.append((WARDS, TOTAL, group[-1][2]))
    protection = protect_linked(tables, links, rule)
    counts = protection.tables[SUMMARY]
    published, hidden = (None, []) if counts.withheld else _published_summary(summary, counts, rule, alpha)
    return CaseworkTables(published, hidden, protection.tables[MONTHLY], protection.tables.get(WARDS),
                          None if wards is None else wards.set_index("Ward")["ward_code"], protection)


def _published_summary(summary: pd.DataFrame, counts: Protected, rule: DisclosureRule,
                       alpha: float) -> tuple[pd.DataFrame, list[str]]:
    hidden = counts.suppressed.drop(index=TOTAL).reindex(summary["line"])
    rows = hidden.any(axis=1).to_numpy()
    table = summary.astype({column: object for column in (*hidden.columns, *DERIVED)})
    for period in hidden.columns:
        table.loc[hidden[period].to_numpy(), period] = rule.marker
    if rows.any():
        if bool(summary["comparison_available"].all()):
            kept = ~rows
            adjusted = benjamini_hochberg(summary.loc[kept, "p_value"].to_numpy())
            table.loc[kept, "p_adjusted"] = list(adjusted)
            table.loc[kept, "significant"] = list(adjusted < alpha)
        table.loc[rows, list(DERIVED)] = rule.marker
    return table, list(summary.loc[rows, "line"])


def casework_tables(ctx: Context) -> CaseworkTables | None:
    """The council export's casework tables for the current period, protected together; None when no
    casework export is configured."""
    if ctx.config.casework is None:
        return None
    cases = ctx.data.casework.data
    settings = ctx.config.analysis
    summary = casework_summary(cases, ctx.previous, ctx.current, alpha=settings.alpha,
                               small_count=settings.small_count, abnormal_months=settings.abnormal_months)
    monthly = current_months(casework_monthly(cases), ctx.current)
    wards = ward_table(ctx, cases) if ctx.settings.has_wards else None
    return protect_casework(summary, monthly, wards, ctx.config.disclosure, alpha=settings.alpha)


def change_sentences(casework: CaseworkTables, lines) -> str:
    """A bullet per line: its change from the published summary, or that its figures are suppressed."""
    rows = casework.summary.set_index("line")
    bullets = []
    for line in lines:
        if line in casework.hidden_lines:
            bullets.append(f"- {line}: the figures are suppressed ({casework.rule.marker}) to protect the "
                           "people involved.")
        else:
            bullets.append("- " + narrative.change_sentence(rows.loc[line], line, noun="cases"))
    return "\n".join(bullets)


def chart_counts(monthly: pd.DataFrame, casework: CaseworkTables) -> pd.DataFrame:
    """The non-sensitive case types by month as the chart draws them: a month of the current period
    only where the published monthly table shows it (a gap where it is suppressed, none if withheld)."""
    counts = monthly[non_sensitive(monthly, casework.rule)].astype("float64")
    protected = casework.monthly
    current = protected.original.index.drop(TOTAL).intersection(counts.index)
    if protected.withheld:
        counts.loc[current] = np.nan
    else:
        counts.loc[current] = counts.loc[current].mask(protected.suppressed.loc[current, counts.columns])
    return counts


def map_values(casework: CaseworkTables, case_type: str) -> pd.Series:
    """A case type's count per ward code as the map shows it: missing where the ward table suppresses
    it. Cases that could not be placed in a ward are not mapped."""
    wards = casework.wards
    counts = wards.original[case_type].drop(index=TOTAL).astype("float64")
    counts = counts.mask(wards.suppressed[case_type].drop(index=TOTAL))
    codes = casework.ward_codes.reindex(counts.index).to_numpy()
    return pd.Series(counts.to_numpy(), index=codes, name=case_type).drop(index="", errors="ignore")


# --- What the section notebook shows -------------------------------------------------------------

def published_summary(casework: CaseworkTables | None) -> pd.DataFrame | None:
    """The summary table as published, or None (no export, or the summary is withheld)."""
    return casework.summary if casework is not None else None


def introduction(ctx: Context) -> str:
    """The section's opening line."""
    return (f"**Area:** {ctx.area}. **Current period:** {ctx.current.label}. "
            f"**Compared with:** {ctx.previous.label}.")


def summary_view(ctx: Context, casework: CaseworkTables | None, has_returns: bool) -> Items | None:
    """The export's extent, the protected summary table and a sentence per core case type."""
    if casework is None:
        return None if has_returns else show.note(
            "No council casework export or casework returns were supplied, so this section reports nothing.")
    loaded = ctx.data.casework
    cases, summary = loaded.data, casework.summary
    notes = [f"{len(cases):,} cases in the council's export ({cases['date'].min():%b %Y} to "
             f"{cases['date'].max():%b %Y}); {len(loaded.excluded):,} rows were left out."]
    if summary is None:
        notes.append(casework.protection.withheld[SUMMARY])
        return Items(show.note(" ".join(notes)))
    if summary.attrs.get("message"):
        notes.append(summary.attrs["message"])
    comparable = bool(summary["comparison_available"].all())
    return Items(
        show.note(" ".join(notes)),
        show.show_table(lines_view(summary, ctx.previous.label, ctx.current.label),
                        f"Community protection team casework: {ctx.current.label}"
                        + (f" against {ctx.previous.label}" if comparable else ""), table_id="casework-summary"),
        show.note(method_note(summary[~summary["line"].isin(casework.hidden_lines)], ctx.config.analysis.alpha))
        if comparable else None,
        show.note(change_sentences(casework, CORE_CASE_TYPES)) if comparable else None)


def monthly_view(ctx: Context, casework: CaseworkTables | None) -> Items | None:
    """The protected monthly table (``casework_monthly.csv``) and the chart of non-sensitive types."""
    if casework is None:
        return None
    protected = casework.monthly
    if protected.withheld:
        table = show.note(protected.withheld)
    else:
        ctx.out.save_table(protected.table.reset_index(), MONTHLY)
        table = Items(show.show_table(protected.table.reset_index(), f"Cases by month, {ctx.current.label}",
                                      table_id="casework-monthly"), show.note(protected.note))
    chart = charts.monthly_small_multiples(chart_counts(casework_monthly(ctx.data.casework.data), casework),
                                           ctx.previous, ctx.current)
    return Items(
        show.note("## Monthly cases"), table,
        ctx.out.figure(chart, "casework_monthly", alt=f"Monthly cases of each non-sensitive case type in {ctx.area}"),
        show.note("The chart shows only the case types that are not sensitive; sensitive types appear only in the "
                  "table above, after disclosure control. A month of the current period whose count is suppressed "
                  "in the table is left as a gap."))


def ward_view(ctx: Context, casework: CaseworkTables | None) -> Items | None:
    """The protected ward table (``casework_by_ward.csv``) and maps of the non-sensitive types."""
    if casework is None or casework.wards is None:
        return None
    protected = casework.wards
    if protected.withheld:
        return Items(show.note("## Cases by ward"), show.note(protected.withheld))
    ctx.out.save_table(protected.table.reset_index(), WARDS)
    figures = []
    for case_type in (t for t in (FLY_TIPPING, ASB_CASE) if not casework.rule.matches(t)):
        values = map_values(casework, case_type)
        figures.append(ctx.out.figure(
            maps.choropleth_map(ctx.data.wards, values, maps.shared_bins(values, values),
                                title=f"{case_type} cases by ward: {ctx.current.label}", legend_title="Cases"),
            f"casework_{slug(case_type, '_')}_wards", alt=f"Map of {case_type} cases by ward in {ctx.area}"))
    return Items(
        show.note("## Cases by ward"),
        show.show_table(protected.table.reset_index(), f"Cases by ward, {ctx.current.label}",
                        table_id="casework-wards"),
        show.note(protected.note), *figures,
        show.note("Only case types that are not sensitive are mapped; a ward whose count is suppressed in the table "
                  "is hatched."))


def disclosure_view(ctx: Context, casework: CaseworkTables | None) -> Items | None:
    """The audit of every suppressed cell (``casework_disclosure_audit.csv``) and the statement computed from it."""
    if casework is None:
        return None
    ctx.out.save_table(casework.protection.audit_for_publication(), "casework_disclosure_audit")
    return Items(show.note("## Disclosure control"), show.note(
        casework.protection.statement() + " The audit assumes a reader who has every table, chart, map and sentence "
        "of this section, knows the rule (and that zeros are published) and even which suppressed cells are small "
        "counts; every suppressed cell, with the values such a reader could still hold for it, is listed in "
        "`tables/casework_disclosure_audit.csv`."))
