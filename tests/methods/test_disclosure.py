"""Statistical disclosure control, checked by an attacker written here.

``attack`` below is independent of the module: it reads only the tables as printed (the marker in
suppressed cells) and builds its own integer programme. Its attacker model, used by every test:

* the reader has every published table, with the totals printed in it, and knows which printed cells
  of different tables are the same count (linked tables);
* counts are whole numbers and zeros are printed, so a marker hides a count of at least 1;
* the reader knows the rule and, as the worst case, which suppressed cells are primary: a primary
  hides a count in ``min_count..max_count``, a suppressed sensitive cell that is not primary hides
  more than ``max_count`` (any small sensitive count would have been primary);
* for every suppressed cell the reader minimises and maximises its value under all of that.

A primary cell is protected when that feasible interval contains its required interval (by default
the whole range 1 to 4) and is at least ``sliding_protection`` wide; a secondary cell when it is not
exactly recoverable.
"""

from __future__ import annotations

import itertools
import logging
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from csp_analysis.config.disclosure import DisclosureRule
from csp_analysis.methods.disclosure import (
    TOTAL,
    Counts,
    audit,
    protect,
    protect_linked,
    protect_series,
)

C = "[c]"
RULE = DisclosureRule()
NO_BOUND = 10**6
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
DA, SG = "Domestic abuse referral", "Safeguarding contact"


# --- The attacker -------------------------------------------------------------------------------------

def printed_sensitivity(printed: pd.DataFrame, inner_sensitive: pd.DataFrame) -> pd.DataFrame:
    """Which printed cells are sensitive: inner cells as given; a total when all it adds up are."""
    rows = [r for r in printed.index if r != TOTAL]
    cols = [c for c in printed.columns if c != TOTAL]
    mask = pd.DataFrame(False, index=printed.index, columns=printed.columns)
    mask.loc[rows, cols] = inner_sensitive.loc[rows, cols].to_numpy()
    if TOTAL in printed.columns:
        mask.loc[rows, TOTAL] = inner_sensitive.loc[rows, cols].all(axis=1).to_numpy() & bool(cols)
    if TOTAL in printed.index:
        mask.loc[TOTAL, cols] = inner_sensitive.loc[rows, cols].all(axis=0).to_numpy() & bool(rows)
    if TOTAL in printed.columns and TOTAL in printed.index:
        mask.loc[TOTAL, TOTAL] = bool(inner_sensitive.loc[rows, cols].to_numpy().all()) and bool(rows) and bool(cols)
    return mask


def attack(printed: dict, primary: dict, sensitive: dict, links=(), rule: DisclosureRule = RULE,
           only_primary: bool = False) -> dict:
    """``{(table, row, column): (lower, upper)}`` for every printed marker (see the module docstring),
    or only the primary ones.

    ``printed``: table name -> the table as published; ``primary`` and ``sensitive``: table name ->
    boolean masks over the printed layout; ``links``: groups of (table, row, column) printing one count.
    """
    unknown = [(name, r, c) for name, t in printed.items() for r in t.index for c in t.columns if t.loc[r, c] == C]
    at = {cell: k for k, cell in enumerate(unknown)}
    rows, rhs = [], []

    def equation(terms, constant):  # sum of coefficient * cell == constant
        coeffs, known = np.zeros(len(unknown)), 0.0
        for cell, coeff in terms:
            shown = printed[cell[0]].loc[cell[1], cell[2]]
            if shown == C:
                coeffs[at[cell]] += coeff
            else:
                known += coeff * float(shown)
        if coeffs.any():
            rows.append(coeffs)
            rhs.append(constant - known)

    for name, t in printed.items():
        inner_rows = [r for r in t.index if r != TOTAL]
        inner_cols = [c for c in t.columns if c != TOTAL]
        if TOTAL in t.columns:
            for r in t.index:
                equation([((name, r, c), 1.0) for c in inner_cols] + [((name, r, TOTAL), -1.0)], 0.0)
        if TOTAL in t.index:
            for c in t.columns:
                equation([((name, r, c), 1.0) for r in inner_rows] + [((name, TOTAL, c), -1.0)], 0.0)
    for group in links:
        shown = [cell for cell in group if cell[0] in printed]
        for a, b in itertools.pairwise(shown):
            equation([(a, 1.0), (b, -1.0)], 0.0)
    lower = [rule.min_count if primary[n].loc[r, c] else rule.max_count + 1 if sensitive[n].loc[r, c] else 1
             for n, r, c in unknown]
    upper = [rule.max_count if primary[n].loc[r, c] else NO_BOUND for n, r, c in unknown]
    constraints = LinearConstraint(np.array(rows), rhs, rhs) if rows else None
    intervals = {}
    for cell, k in at.items():
        if only_primary and not primary[cell[0]].loc[cell[1], cell[2]]:
            continue
        ends = []
        for sense in (1.0, -1.0):
            objective = np.zeros(len(unknown))
            objective[k] = sense
            result = milp(objective, integrality=np.ones(len(unknown)), bounds=Bounds(lower, upper),
                          constraints=constraints)
            assert result.success, result.message  # the true table is always a solution
            ends.append(round(sense * result.fun))
        intervals[cell] = (ends[0], np.inf if ends[1] >= NO_BOUND else ends[1])
    return intervals


def assert_unbreakable(intervals: dict, primary: dict, original: dict, rule: DisclosureRule = RULE) -> None:
    """Every primary keeps its required interval (and width); no other suppressed cell is recoverable."""
    for (name, r, c), (lower, upper) in intervals.items():
        if primary[name].loc[r, c]:
            low, high = rule.required_interval(int(original[name].loc[r, c]))
            assert lower <= low and upper >= high, ((name, r, c), (lower, upper), (low, high))
            assert upper - lower >= rule.sliding_protection
        else:
            assert upper > lower, ((name, r, c), lower, upper)


def assert_printed_faithfully(protected, rule: DisclosureRule = RULE) -> None:
    """Markers exactly in suppressed cells, true counts elsewhere; zeros never suppressed."""
    hidden, shown, true = protected.suppressed.to_numpy(), protected.table.to_numpy(), protected.original.to_numpy()
    assert (shown[hidden] == rule.marker).all() and (shown[~hidden] == true[~hidden]).all()
    assert (true[hidden] > 0).all()


def attack_protected(result, sensitive: dict, links=(), rule: DisclosureRule = RULE) -> dict:
    """The attacker on the published tables of a protect_linked result."""
    published = {n: p for n, p in result.tables.items() if not p.withheld}
    for p in published.values():
        assert_printed_faithfully(p, rule)
    printed = {n: p.table for n, p in published.items()}
    primary = {n: p.primary for n, p in published.items()}
    intervals = attack(printed, primary, {n: sensitive[n] for n in published}, links, rule)
    assert_unbreakable(intervals, primary, {n: p.original for n, p in published.items()}, rule)
    return intervals


def maximal_pattern_protects(result, sensitive: dict, links=(), rule: DisclosureRule = RULE) -> bool:
    """Whether suppressing every non-zero count of every table (the most a table can hide) would
    protect every primary cell: if not, withholding is the only way."""
    printed, primary, original = {}, {}, {}
    for name, p in result.tables.items():
        small = sensitive[name] & (p.original >= rule.min_count) & (p.original <= rule.max_count)
        printed[name] = p.original.astype(object).mask(p.original > 0, C)
        primary[name], original[name] = small, p.original
    try:
        assert_unbreakable(attack(printed, primary, sensitive, links, rule, only_primary=True), primary, original, rule)
    except AssertionError:
        return False
    return True


# --- The issue's example: Ashby Heath (wards) and 2025-03 (months) --------------------------------------

ASHBY_HEATH = pd.DataFrame([[21, 1, 5, 7, 1, 5]], index=pd.Index(["Ashby Heath"], name="Ward"),
                           columns=["ASB incident", DA, SG, "Fly-tipping", "Graffiti", "Noise nuisance"])
MARCH_2025 = pd.DataFrame([[43, 1, 5, 29, 1, 23]], index=pd.Index(["2025-03"], name="month"),
                          columns=ASHBY_HEATH.columns)


@pytest.mark.parametrize("row", [ASHBY_HEATH, MARCH_2025], ids=["Ashby Heath", "2025-03"])
def test_the_issue_example_old_pattern_is_broken_new_protection_is_not(row):
    """Attacker model of the module docstring, on one published row with its total.

    The old pattern published 21 + [c] + 5 + 7 + [c] + 5 = 40 (Ashby Heath; 2025-03 is alike): with
    whole numbers and zeros published, DA + Graffiti = 2 forces both to be 1. After protection the
    same attacker cannot narrow the domestic abuse count below 1 to 4.
    """
    label = row.index[0]
    counts = Counts("row", row, sensitive=[DA, SG], column_totals=False)
    printed = row.astype(object).assign(Total=int(row.to_numpy().sum()))
    old = printed.copy()
    old.loc[label, [DA, "Graffiti"]] = C
    primary = printed.map(lambda _: False)
    primary.loc[label, DA] = True
    sensitive = printed_sensitivity(printed, row.map(lambda _: False).assign(**{DA: True, SG: True}))

    broken = attack({"row": old}, {"row": primary}, {"row": sensitive})
    assert broken[("row", label, DA)] == (1, 1) and broken[("row", label, "Graffiti")] == (1, 1)
    report = audit(counts, old.eq(C))  # the module's own audit sees it too
    assert report[["lower", "upper"]].to_numpy().tolist() == [[1, 1.0], [1, 1.0]]
    assert not report["protected"].any()

    protected = protect_linked([counts]).tables["row"]
    assert_printed_faithfully(protected)
    # DA (1) must be able to reach 4, so another cell of the row must be able to fall by 3: not
    # Graffiti (1) nor Safeguarding (5, a sensitive count above the range: at least 5), so the
    # cheapest of the others, Noise nuisance (5 in Ashby Heath, 23 in 2025-03).
    assert set(protected.secondary.columns[protected.secondary.loc[label]]) == {"Noise nuisance"}
    intervals = attack({"row": protected.table}, {"row": protected.primary}, {"row": sensitive})
    assert_unbreakable(intervals, {"row": protected.primary}, {"row": protected.original})
    assert intervals[("row", label, DA)] == (1, 4)
    assert protected.audit.set_index("column").loc[DA, ["lower", "upper"]].tolist() == [1, 4]


# --- Hand-worked choices of complementary cells ----------------------------------------------------------

def sensitive_rows(protected, rows) -> pd.DataFrame:
    """Printed sensitivity of a table whose sensitive cases are the given rows."""
    inner = pd.DataFrame(False, index=protected.table.index, columns=protected.table.columns)
    inner.loc[list(rows)] = True
    return printed_sensitivity(protected.table, inner)


def test_cheapest_cycle_of_inner_cells():
    """Attacker model of the module docstring, on a 2 x 3 table with every total printed.

    DA W1 = 3 must be free to reach 1 and 4. Every complement must lie on a cycle through it; the
    cheapest is DA W2 (9; a suppressed domestic abuse count above the range, so at least 5) with ASB
    W2 (7) and ASB W1 (12): cost 28, against 47 through W3 and more through any total.
    """
    table = pd.DataFrame({"W1": [12, 3], "W2": [7, 9], "W3": [20, 15]}, index=["ASB", "Domestic abuse"])
    protected = protect(table)
    assert protected.primary.sum().sum() == 1 and protected.primary.loc["Domestic abuse", "W1"]
    stacked = protected.secondary.stack()
    assert set(stacked.index[stacked.to_numpy()]) == {("Domestic abuse", "W2"), ("ASB", "W2"), ("ASB", "W1")}
    assert protected.table.loc[TOTAL].tolist() == [15, 16, 35, 66]
    intervals = attack({"t": protected.table}, {"t": protected.primary},
                       {"t": sensitive_rows(protected, ["Domestic abuse"])})
    assert_unbreakable(intervals, {"t": protected.primary}, {"t": protected.original})
    # Shift s around the cycle: DA W1 = 3 + s in 1..4, DA W2 = 9 - s >= 5, ASB W2 = 7 + s, ASB W1 = 12 - s,
    # so s runs from -2 to 1.
    assert intervals[("t", "Domestic abuse", "W1")] == (1, 4)
    assert intervals[("t", "Domestic abuse", "W2")] == (8, 11)
    assert protected.audit.set_index(["row", "column"])[["lower", "upper"]].to_dict("index")[
        ("ASB", "W1")] == {"lower": 11, "upper": 14.0}


def test_a_total_is_suppressed_only_where_no_inner_cell_will_do():
    """Attacker model of the module docstring. Column W1 holds DA 2 and a published zero, so only its
    total can hide DA W1; the grand total and the other totals stay published."""
    table = pd.DataFrame({"W1": [0, 2], "W2": [8, 6], "W3": [9, 7]}, index=["ASB", "Domestic abuse"])
    protected = protect(table)
    assert protected.secondary.loc[TOTAL, "W1"] and protected.table.loc["ASB", "W1"] == 0
    assert protected.table.loc[TOTAL, TOTAL] == 32
    assert protected.secondary.loc[TOTAL].sum() == 2  # W1's total and the one that closes its cycle
    assert not protected.secondary[TOTAL].any()
    attack_protected(*_as_linked("t", protected, sensitive_rows(protected, ["Domestic abuse"])))


def test_cells_published_elsewhere_are_never_suppressed():
    """Attacker model of the module docstring. ASB W2 is shown exactly in a chart, so the cycle of
    the previous test cannot use it; the next cheapest goes through W3."""
    table = pd.DataFrame({"W1": [12, 3], "W2": [7, 9], "W3": [20, 15]}, index=["ASB", "Domestic abuse"])
    protected = protect(table, published_elsewhere=[("ASB", "W2")])
    assert not protected.suppressed.loc["ASB", "W2"]
    stacked = protected.secondary.stack()
    assert set(stacked.index[stacked.to_numpy()]) == {("Domestic abuse", "W3"), ("ASB", "W3"), ("ASB", "W1")}
    attack_protected(*_as_linked("t", protected, sensitive_rows(protected, ["Domestic abuse"])))


def _as_linked(name, protected, printed_sensitive):
    """A single table's result shaped like protect_linked's, for attack_protected."""
    return SimpleNamespace(tables={name: protected}), {name: printed_sensitive}


# --- One column, no totals, withholding ------------------------------------------------------------------

def test_one_column_monthly_counts_with_total():
    """Attacker model of the module docstring. May (3) needs a partner able to fall by 1 and rise by
    2: April (7; at least 5 as a suppressed referral count) is the smallest; May + April = 10."""
    months = pd.Series([7, 3, 0, 9, 12], index=["Apr", "May", "Jun", "Jul", "Aug"], name="DA referrals")
    protected = protect_series(months)
    assert protected.table.tolist() == [C, C, 0, 9, 12, 31]
    assert protected.primary.tolist() == [False, True, False, False, False, False]
    report = protected.audit.set_index("row")
    assert report.loc["May", ["lower", "upper"]].tolist() == [1, 4]
    assert report.loc["Apr", ["lower", "upper"]].tolist() == [6, 9]


def test_without_totals_only_small_counts_are_suppressed():
    """Attacker model of the module docstring, with no totals printed: a primary keeps 1 to 4."""
    table = pd.DataFrame({"W1": [0, 2], "W2": [8, 6]}, index=["ASB", "Domestic abuse"])
    protected = protect(table, totals=False)
    assert protected.suppressed.to_numpy().tolist() == [[False, False], [True, False]]
    assert TOTAL not in protected.table.index
    assert protected.audit[["lower", "upper"]].to_numpy().tolist() == [[1, 4.0]]


def test_a_table_that_cannot_be_protected_is_withheld(caplog):
    """Attacker model of the module docstring. B (2) and C (1) add up to a sensitive total of 3,
    itself in 1 to 4: whatever is suppressed, B + C <= 4 with C >= 1 keeps B <= 3, so the table is
    withheld, says why and logs it."""
    wards = pd.Series([0, 2, 1, 0], index=list("ABCD"), name="referrals")
    with caplog.at_level(logging.WARNING):
        protected = protect_series(wards, what="domestic abuse referrals")
    assert protected.table is None and protected.audit.empty
    assert protected.withheld == protected.note
    assert protected.note.startswith("This table is not published. Counts of 1 to 4 for domestic abuse "
                                     "referrals are suppressed ([c]), but here that is not enough")
    assert "withheld" in caplog.text and "referrals" in caplog.text


def test_linked_tables_withhold_only_the_table_that_cannot_be_protected():
    """Attacker model of the module docstring, on two tables sharing their Total row.

    Table A's referrals (1 and 1) add up to 2, a small count: neither can reach 4, so A is withheld.
    B alone (referrals 2 and 0, the same total) can be protected, and is published.
    """
    a = pd.DataFrame({"ASB": [10, 12], DA: [1, 1]}, index=["a1", "a2"])
    b = pd.DataFrame({"ASB": [15, 7], DA: [2, 0]}, index=["b1", "b2"])
    links = [[("A", TOTAL, c), ("B", TOTAL, c)] for c in ["ASB", DA, TOTAL]]
    result = protect_linked([Counts("A", a, [DA]), Counts("B", b, [DA])], links)
    assert set(result.withheld) == {"A"} and result.tables["B"].table is not None
    sensitive = {"B": printed_sensitivity(result.tables["B"].table, result.tables["B"].table.map(lambda _: False)
                                          .assign(**{DA: True}))}
    attack_protected(result, sensitive, links)
    assert result.statement().endswith("(integer-programming audit of 4 suppressed cells in 1 table; 1 withheld).")


# --- Properties on random tables ---------------------------------------------------------------------------

@st.composite
def random_table(draw):
    n_rows, n_cols = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    count = st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8, 11, 15, 25])
    values = np.array(draw(st.lists(st.lists(count, min_size=n_cols, max_size=n_cols), min_size=n_rows,
                                    max_size=n_rows)))
    table = pd.DataFrame(values, index=[f"r{i}" for i in range(n_rows)], columns=[f"c{j}" for j in range(n_cols)])
    if draw(st.booleans()):  # sensitive case types as columns
        columns = np.array(draw(st.lists(st.booleans(), min_size=n_cols, max_size=n_cols)))
        mask = np.repeat(columns[None, :], n_rows, axis=0)
    else:  # any cells
        mask = np.array(draw(st.lists(st.lists(st.booleans(), min_size=n_cols, max_size=n_cols),
                                      min_size=n_rows, max_size=n_rows)))
    return table, pd.DataFrame(mask, index=table.index, columns=table.columns)


@st.composite
def random_rule(draw):
    if draw(st.booleans()):
        return RULE
    return DisclosureRule(lower_protection=draw(st.none() | st.integers(1, 3)),
                          upper_protection=draw(st.none() | st.integers(1, 3)),
                          sliding_protection=draw(st.integers(0, 3)))


@PROPERTY
@given(random_table(), random_rule())
def test_random_tables_cannot_be_broken(drawn, rule):
    """Attacker model of the module docstring, on random tables with all totals printed and random
    protection levels: nothing published can be recovered or narrowed below its required interval;
    every small sensitive count is suppressed; and a table is withheld exactly when even suppressing
    every non-zero count would not protect it."""
    table, mask = drawn
    protected = protect(table, mask.to_numpy(), rule)
    full = protected.original
    sensitive = printed_sensitivity(full, mask.reindex(index=full.index, columns=full.columns, fill_value=False))
    result, by_name = _as_linked("t", protected, sensitive)
    assert (protected.withheld is not None) == (not maximal_pattern_protects(result, by_name, rule=rule))
    if protected.withheld:
        return
    small = sensitive & (full >= rule.min_count) & (full <= rule.max_count)
    assert protected.primary.equals(small) and protected.suppressed[small].fillna(True).all().all()
    attack_protected(result, by_name, rule=rule)
    assert protected.audit["protected"].all()


@st.composite
def linked_casework(draw):
    """Cases by month, ward and type drawn at random, tabulated as months x types, wards x types and
    a summary per type: the three tables of the casework section, sharing their per-type and grand
    totals."""
    n_months, n_wards, n_types = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    cube = np.array(draw(st.lists(st.sampled_from([0, 0, 1, 1, 2, 3, 5]), min_size=n_months * n_wards * n_types,
                                  max_size=n_months * n_wards * n_types))).reshape(n_months, n_wards, n_types)
    types = [f"type{k}" for k in range(n_types)]
    flags = [True] + draw(st.lists(st.booleans(), min_size=n_types - 1, max_size=n_types - 1))
    sensitive = [t for t, flag in zip(types, flags) if flag]
    monthly = pd.DataFrame(cube.sum(axis=1), index=[f"m{i}" for i in range(n_months)], columns=types)
    wards = pd.DataFrame(cube.sum(axis=0), index=[f"w{i}" for i in range(n_wards)], columns=types)
    return monthly.sum().to_frame("current"), monthly, wards, sensitive


@PROPERTY
@given(linked_casework())
def test_random_linked_tables_cannot_be_broken(drawn):
    """Attacker model of the module docstring, reading the three linked tables together: nothing
    published can be recovered or narrowed below 1 to 4, a shared count is suppressed in every table
    or in none, and tables are withheld only when even suppressing every non-zero count would not
    protect them (and then the others stay protected)."""
    summary, monthly, wards, sensitive = drawn
    types = list(monthly.columns)
    links = [[("summary", t, "current"), ("monthly", TOTAL, t), ("wards", TOTAL, t)] for t in types]
    links.append([("summary", TOTAL, "current"), ("monthly", TOTAL, TOTAL), ("wards", TOTAL, TOTAL)])
    tables = [Counts("summary", summary, sensitive, row_totals=False), Counts("monthly", monthly, sensitive),
              Counts("wards", wards, sensitive)]
    result = protect_linked(tables, links)
    by_name = {}
    for name, p in result.tables.items():
        inner = pd.DataFrame(False, index=p.original.index, columns=p.original.columns)
        if name == "summary":
            inner.loc[sensitive] = True
        else:
            inner[sensitive] = True
        by_name[name] = printed_sensitivity(p.original, inner)
    assert bool(result.withheld) == (not maximal_pattern_protects(result, by_name, links))
    attack_protected(result, by_name, links)
    published = {n: p for n, p in result.tables.items() if not p.withheld}
    for group in links:
        shown = [published[n].suppressed.loc[r, c] for n, r, c in group if n in published]
        assert len(set(shown)) <= 1, group
    if published:
        assert result.statement().startswith("No suppressed small count can be narrowed below 1 to 4 by anyone using "
                                             "every published figure") or result.audit.empty


# --- The statement, the rule and the inputs -----------------------------------------------------------------

def test_the_statement_is_computed_from_the_audit():
    table = pd.DataFrame({"W1": [12, 3], "W2": [7, 9], "W3": [20, 15]}, index=["ASB", "Domestic abuse"])
    result = protect_linked([Counts("t", table)])
    assert result.statement() == (
        "No suppressed small count can be narrowed below 1 to 4 by anyone using every published figure, and no "
        "other suppressed count can be worked out exactly (integer-programming audit of 4 suppressed cells in "
        "1 table).")
    levels = DisclosureRule(lower_protection=1, upper_protection=1)
    assert protect_linked([Counts("t", table)], rule=levels).statement().startswith(
        "No suppressed small count can be narrowed to fewer than 4 possible values")
    nothing = protect_linked([Counts("t", table.replace(3, 30))])
    assert nothing.statement() == "No count needed suppressing (integer-programming audit of 0 suppressed " \
                                  "cells in 1 table)."
    published = result.audit_for_publication()
    assert list(published.columns) == ["table", "row", "column", "suppression", "lower", "upper", "required",
                                       "protected"]
    assert published.loc[published["suppression"] == "primary", "required"].tolist() == ["the whole range 1 to 4"]
    assert set(published["protected"]) == {"yes"}


def test_rule_is_strict_and_configurable():
    with pytest.raises(pydantic.ValidationError):
        DisclosureRule(min_count=1, max_count=4, threshold=5)  # unknown key
    with pytest.raises(pydantic.ValidationError):
        DisclosureRule(min_count=5, max_count=4)
    with pytest.raises(pydantic.ValidationError, match="single possible value"):
        DisclosureRule(min_count=3, max_count=3)
    with pytest.raises(pydantic.ValidationError):
        DisclosureRule(min_count=0)  # zeros are never suppressed
    with pytest.raises(pydantic.ValidationError, match="sliding_protection"):
        DisclosureRule(sliding_protection=4)
    with pytest.raises(pydantic.ValidationError):
        DisclosureRule(upper_protection=0)
    levels = DisclosureRule(lower_protection=1, upper_protection=2, sliding_protection=2)
    assert levels.required_interval(1) == (1, 3) and levels.required_interval(3) == (2, 4)
    assert levels.is_protected(3, 2, 4) and not levels.is_protected(3, 2, 3) and not levels.is_protected(1, 1, 2)
    assert levels.describe_protection() == "down to the count minus 1 and up to the count plus 2, within 1 to 4, " \
                                           "at least 2 wide"
    assert RULE.required_interval(2) == (1, 4) and RULE.describe_protection() == "the whole range 1 to 4"
    rule = DisclosureRule(max_count=9, sensitive=["hate crime"], marker="*")
    table = pd.DataFrame({"W1": [6, 20], "W2": [30, 40]}, index=["Hate crime", "ASB"])
    protected = protect(table, rule=rule)
    assert protected.table.loc["Hate crime", "W1"] == "*"
    assert protected.note.startswith("Counts of 1 to 9 for hate crime cases are suppressed (*)")
    assert RULE.matches("Domestic Abuse referrals")
    assert not RULE.matches("Violence and sexual offences")


def test_bad_inputs_are_refused():
    table = pd.DataFrame({"W1": [1, 2], "W2": [3, 4]}, index=["A", "B"])
    with pytest.raises(ValueError, match="'Total' column is not the sum"):
        protect(table.assign(Total=[4, 99]), sensitive=True)
    with pytest.raises(ValueError, match="not in the table: 'C'"):
        protect(table, sensitive=["C"])
    with pytest.raises(ValueError, match="whole numbers"):
        protect(table.astype(float).assign(W1=[1.5, 2]), sensitive=True)
    with pytest.raises(ValueError, match="whole numbers"):
        protect(table.assign(W1=[-1, 2]), sensitive=True)
    with pytest.raises(ValueError, match="linked cells differ"):
        protect_linked([Counts("a", table), Counts("b", table + 1)], [[("a", TOTAL, TOTAL), ("b", TOTAL, TOTAL)]])
    with pytest.raises(ValueError, match="published elsewhere"):
        protect(table, sensitive=True, published_elsewhere=[("A", "W1")])
    with pytest.raises(ValueError, match="a small sensitive count is published"):
        audit(Counts("t", table, sensitive=True), table.eq(0))
