"""Section 04: the casework summary, monthly and ward tables protected together, and everything drawn
from them (sentences, chart, maps) showing only what the protected tables publish.

The attacker is the independent one of tests/methods/test_disclosure.py (its docstring states the
model): it reads the three printed tables together, with the facts published elsewhere (each period's
total of all case types, the comparison period's counts of non-sensitive types) as printed figures.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from csp_analysis.categories import ASB
from csp_analysis.config.assessment import Analysis
from csp_analysis.config.disclosure import DisclosureRule
from csp_analysis.methods.change import benjamini_hochberg
from csp_analysis.methods.disclosure import TOTAL
from csp_analysis.partners.casework import (
    ASB_CASE,
    DOMESTIC_ABUSE,
    FLY_TIPPING,
    SAFEGUARDING,
    casework_monthly,
    casework_summary,
)
from csp_analysis.periods import Period
from csp_analysis.report.tables import lines_view
from csp_analysis.sections import community_protection as cpt
from csp_analysis.sections.priorities import measured_issues
from tests.methods.test_disclosure import (
    assert_unbreakable,
    attack,
    printed_sensitivity,
)

RULE = DisclosureRule()
PREVIOUS, CURRENT = Period.from_strings("2024-01", "2024-03"), Period.from_strings("2025-01", "2025-03")
WARDS = {"W1": "North", "W2": "South", "W3": "East"}
TYPES = [ASB_CASE, DOMESTIC_ABUSE, SAFEGUARDING, FLY_TIPPING]


def casework(counts) -> pd.DataFrame:
    """Cases from ``counts(type, month, ward) -> n`` (months 0-2 the comparison period, 3-5 the current
    one; wards 0-2) plus two current fly-tipping cases a month with no ward."""
    rows = []
    for m, month in enumerate(PREVIOUS.months + CURRENT.months):
        for w, code in enumerate([*WARDS, None]):
            for case_type in TYPES:
                n = counts(case_type, m, w) if code else 2 * (case_type == FLY_TIPPING and m >= 3)
                rows += [{"date": pd.Timestamp(f"{month}-15"), "case_type": case_type, "ward_code": code}] * n
    cases = pd.DataFrame(rows)
    cases["case_id"] = [f"C{k}" for k in range(len(cases))]
    return cases


def tables(cases: pd.DataFrame, rule: DisclosureRule = RULE):
    summary = casework_summary(cases, PREVIOUS, CURRENT)
    monthly = cpt.current_months(casework_monthly(cases), CURRENT)
    current = cases[cases["date"].dt.strftime("%Y-%m").isin(CURRENT.months)]
    by_ward = (pd.crosstab(current["ward_code"].fillna(""), current["case_type"]).reindex(columns=TYPES, fill_value=0)
               .reindex([*WARDS, ""], fill_value=0).rename_axis("ward_code").reset_index())
    by_ward.insert(1, "Ward", [WARDS.get(code, "Ward not known") for code in by_ward["ward_code"]])
    by_ward.columns.name = None
    return cpt.protect_casework(summary, monthly, by_ward, rule), by_ward


def usual(case_type: str, m: int, w: int) -> int:
    m = m % 3
    return {ASB_CASE: 6 + m + w, DOMESTIC_ABUSE: (m + w) % 3, SAFEGUARDING: 4 + (m * w) % 4,
            FLY_TIPPING: 3 + (2 * m + w) % 4}[case_type]


def attack_casework(result) -> None:
    """The independent attacker on the published tables of the section, read together."""
    protection = result.protection
    published = {n: p for n, p in protection.tables.items() if not p.withheld}
    links = [[(cpt.SUMMARY, t, "current"), (cpt.MONTHLY, TOTAL, t), (cpt.WARDS, TOTAL, t)] for t in TYPES]
    links.append([(cpt.SUMMARY, TOTAL, "current"), (cpt.MONTHLY, TOTAL, TOTAL), (cpt.WARDS, TOTAL, TOTAL)])
    sensitive = {}
    for name, p in published.items():
        inner = pd.DataFrame(False, index=p.table.index, columns=p.table.columns)
        if name == cpt.SUMMARY:
            inner.loc[[DOMESTIC_ABUSE, SAFEGUARDING]] = True
        else:
            inner[[DOMESTIC_ABUSE, SAFEGUARDING]] = True
        sensitive[name] = printed_sensitivity(p.table, inner)
    printed = {n: p.table for n, p in published.items()}
    primary = {n: p.primary for n, p in published.items()}
    intervals = attack(printed, primary, sensitive, links)
    assert_unbreakable(intervals, primary, {n: p.original for n, p in published.items()})
    assert len(intervals) == len(protection.audit)


def test_the_three_tables_are_protected_together():
    result, _ = tables(casework(usual))
    assert not result.protection.withheld and result.hidden_lines == []
    attack_casework(result)
    # a shared total is suppressed everywhere or nowhere
    for t in [*TYPES, TOTAL]:
        assert result.monthly.suppressed.loc[TOTAL, t] == result.wards.suppressed.loc[TOTAL, t]
    assert result.monthly.primary[DOMESTIC_ABUSE].sum() > 0
    statement = result.protection.statement()
    assert statement.startswith("No suppressed small count can be narrowed below 1 to 4 by anyone using every "
                                "published figure") and statement.endswith("in 3 linked tables).")
    audit = result.protection.audit_for_publication()
    assert "value" not in audit.columns and set(audit["table"]) <= {cpt.SUMMARY, cpt.MONTHLY, cpt.WARDS}


def test_everything_computed_from_a_suppressed_count_is_suppressed():
    def small_previous_referrals(case_type, m, w):  # 3 referrals in the comparison period
        if case_type == DOMESTIC_ABUSE and m < 3:
            return 3 * (m == 0 and w == 0)
        return usual(case_type, m, w)

    result, _ = tables(casework(small_previous_referrals))
    summary = result.summary.set_index("line")
    assert summary.loc[DOMESTIC_ABUSE, "previous"] == "[c]"
    assert (summary.loc[DOMESTIC_ABUSE, list(cpt.DERIVED)] == "[c]").all()
    assert DOMESTIC_ABUSE in result.hidden_lines
    shown = [line for line in summary.index if line not in result.hidden_lines]
    adjusted = benjamini_hochberg(summary.loc[shown, "p_value"].astype(float).to_numpy())
    assert np.allclose(summary.loc[shown, "p_adjusted"].astype(float), adjusted)  # adjusted without hidden lines
    view = lines_view(result.summary, "before", "now").set_index("Line")
    assert view.loc[DOMESTIC_ABUSE, ["before", "Change", "% change", "Assessment"]].tolist() == ["[c]"] * 4
    sentences = cpt.change_sentences(result, [ASB_CASE, DOMESTIC_ABUSE])
    assert f"- {DOMESTIC_ABUSE}: the figures are suppressed ([c]) to protect the people involved." in sentences
    assert sentences.startswith(f"- {ASB_CASE} was unchanged at ")
    attack_casework(result)


def test_chart_and_maps_show_only_published_counts():
    cases = casework(usual)
    result, by_ward = tables(cases)
    chart = cpt.chart_counts(casework_monthly(cases), result)
    assert list(chart.columns) == [ASB_CASE, FLY_TIPPING]
    hidden = result.monthly.suppressed.loc[CURRENT.months, chart.columns]
    assert chart.loc[CURRENT.months].isna().equals(hidden)
    assert chart.loc[PREVIOUS.months].notna().all().all()
    for case_type in (ASB_CASE, FLY_TIPPING):
        values = cpt.map_values(result, case_type)
        assert list(values.index) == list(WARDS)  # cases with no ward are not mapped
        hidden = result.wards.suppressed[case_type].loc[list(WARDS.values())].to_numpy()
        assert values.isna().to_numpy().tolist() == hidden.tolist()
        shown = by_ward.set_index("ward_code").loc[list(WARDS), case_type][~hidden]
        assert values.dropna().tolist() == shown.astype(float).tolist()


def test_tables_that_cannot_be_protected_are_withheld_and_leave_the_chart():
    """Three current referrals, one a month in three wards: any table splitting them by month or ward
    lets a reader hold each below 4 (three counts of at least 1 adding up to at most 4), so the monthly
    and ward tables are withheld; the summary alone keeps its referral count hidden."""
    def three_referrals(case_type, m, w):
        return int(m % 3 == w) if case_type == DOMESTIC_ABUSE else usual(case_type, m, w)

    cases = casework(three_referrals)
    result, _ = tables(cases)
    assert set(result.protection.withheld) == {cpt.MONTHLY, cpt.WARDS}
    assert result.monthly.table is None and result.monthly.note.startswith("This table is not published.")
    assert result.summary.set_index("line").loc[DOMESTIC_ABUSE, "current"] == "[c]"
    chart = cpt.chart_counts(casework_monthly(cases), result)
    assert chart.loc[CURRENT.months].isna().all().all() and chart.loc[PREVIOUS.months].notna().all().all()
    attack_casework(result)
    assert result.protection.statement().endswith("in 1 table; 2 withheld).")


@pytest.mark.parametrize("rule", [DisclosureRule(), DisclosureRule(upper_protection=2, sliding_protection=2)])
def test_the_audit_table_carries_no_true_counts(rule):
    result, _ = tables(casework(usual), rule)
    published = result.protection.audit_for_publication()
    assert list(published.columns) == ["table", "row", "column", "suppression", "lower", "upper", "required",
                                       "protected"]
    assert set(published["protected"]) == {"yes"}
    assert set(published.loc[published["suppression"] == "primary", "required"]) == {rule.describe_protection()}


def test_priorities_leave_out_casework_lines_whose_counts_are_suppressed():
    def small_previous_referrals(case_type, m, w):
        if case_type == DOMESTIC_ABUSE and m < 3:
            return 3 * (m == 0 and w == 0)
        return usual(case_type, m, w)

    config = SimpleNamespace(fire=None, collisions=None, stats19=None, casework=object(), analysis=Analysis(),
                             disclosure=RULE)
    ctx = SimpleNamespace(config=config, settings=SimpleNamespace(has_police_data=False, has_wards=False),
                          previous=PREVIOUS, current=CURRENT,
                          data=SimpleNamespace(casework=SimpleNamespace(data=casework(small_previous_referrals))))
    issues = measured_issues(ctx)
    # the referral and safeguarding lines hide their comparison-period counts, so they are not scored
    assert issues["issue"].tolist() == ["ASB incidents (council)", "Fly-tipping (council)"]
    assert issues["previous"].notna().all()


def test_asb_is_one_priority_issue_when_police_data_measure_it():
    # police.uk ASB and the council's ASB incidents would put ASB in the risk matrix twice
    config = SimpleNamespace(fire=None, collisions=None, stats19=None, casework=object(), analysis=Analysis(),
                             disclosure=RULE)
    police = pd.DataFrame({"Month": ["2024-01", "2025-01", "2025-02"], "Crime type": [ASB, ASB, "Burglary"]})
    ctx = SimpleNamespace(config=config, settings=SimpleNamespace(has_police_data=True, has_wards=False),
                          previous=PREVIOUS, current=CURRENT,
                          data=SimpleNamespace(area_records=police, casework=SimpleNamespace(data=casework(usual))))
    issues = measured_issues(ctx)["issue"].tolist()
    assert issues.count(ASB) == 1 and "ASB incidents (council)" not in issues
    assert "Fly-tipping (council)" in issues and "Burglary" in issues
