"""Section 04 helpers: casework tables by month and ward, made safe to publish."""

from __future__ import annotations

import pandas as pd

from csp_analysis.config.disclosure import DisclosureRule
from csp_analysis.geo.selection import locate_in_wards
from csp_analysis.methods.disclosure import Protected, protect
from csp_analysis.partners.casework import case_lines, case_types
from csp_analysis.periods import Period
from csp_analysis.sections.context import Context


def current_months(monthly: pd.DataFrame, current: Period) -> pd.DataFrame:
    """The current period's rows of a monthly table (months with no cases as 0)."""
    return monthly.reindex(pd.Index(current.months, name="month"), fill_value=0)


def non_sensitive(table: pd.DataFrame, rule: DisclosureRule) -> list[str]:
    """Columns (case types) that the disclosure rule does not treat as sensitive."""
    return [c for c in table.columns if not rule.matches(c)]


def protect_table(table: pd.DataFrame, rule: DisclosureRule, what: str) -> Protected:
    """Suppress small counts of the sensitive case types (columns), with totals published."""
    sensitive = [c for c in table.columns if rule.matches(c)]
    return protect(table, sensitive=sensitive, rule=rule, totals=True, what=what)


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
