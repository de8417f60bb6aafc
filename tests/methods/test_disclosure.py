"""Statistical disclosure control: hand-worked suppression patterns and an LP audit of each.

Expected suppressions follow the documented rule (primary: sensitive counts 1 to 4; complement: per
line a non-zero cell whose crossing line also needs a partner first, then the smallest; totals only
when no non-zero inner cell is left). Expected feasible intervals were worked out by hand by writing
every suppressed cell as its true value plus a multiple of the free cycle shifts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydantic
import pytest

from csp_analysis.config.disclosure import DisclosureRule
from csp_analysis.methods.disclosure import TOTAL, audit, protect, protect_series

C = "[c]"


def cells(mask: pd.DataFrame | pd.Series) -> set:
    """The (row, column) labels (or labels, for a Series) where a mask is True."""
    if isinstance(mask, pd.Series):
        return set(mask.index[mask.to_numpy()])
    stacked = mask.stack()
    return set(stacked.index[stacked.to_numpy()])


def intervals(report: pd.DataFrame) -> dict:
    return {(r.row, r.column): (r.lower, r.upper) for r in report.itertuples()}


# --- 3 x 3: two primaries in different rows and columns ----------------------------------------------

def test_three_by_three_case_type_by_ward():
    table = pd.DataFrame(
        {"W1": [12, 3, 6], "W2": [7, 9, 11], "W3": [20, 15, 2]},
        index=["ASB", "Domestic abuse", "Safeguarding"],
    )
    protected = protect(table)  # sensitive rows found from the labels

    assert cells(protected.primary) == {("Domestic abuse", "W1"), ("Safeguarding", "W3")}
    # Row DA needs a partner: W3 (15) because column W3 also holds a lone suppression (beats W2 = 9);
    # row Safeguarding then takes W1 (6), whose column also needs one. One 4-cycle, nothing else.
    assert cells(protected.secondary) == {("Domestic abuse", "W3"), ("Safeguarding", "W1")}
    assert list(protected.table.columns) == ["W1", "W2", "W3", TOTAL]
    assert list(protected.table.index) == ["ASB", "Domestic abuse", "Safeguarding", TOTAL]
    assert protected.table.loc["Domestic abuse"].tolist() == [C, 9, C, 27]
    assert protected.table.loc[TOTAL].tolist() == [21, 27, 37, 85]
    assert protected.table.dtypes.eq(object).all()

    # Shift t around the cycle: DA W1 = 3+t, DA W3 = 15-t, Sg W1 = 6-t, Sg W3 = 2+t, t in [-2, 6].
    report = protected.audit()
    assert intervals(report) == {
        ("Domestic abuse", "W1"): (1, 9), ("Domestic abuse", "W3"): (9, 17),
        ("Safeguarding", "W1"): (0, 8), ("Safeguarding", "W3"): (0, 8),
    }
    assert (report["width"] > 0).all() and not report["exactly_recoverable"].any()
    assert not report["within_range"].any()


# --- 4 x 5 wards x months with its totals row and column given, a small ward total -----------------

def test_four_by_five_with_totals_and_a_small_ward_total():
    months = ["Apr", "May", "Jun", "Jul", "Aug"]
    inner = pd.DataFrame(
        [[0, 6, 8, 5, 7], [3, 9, 10, 6, 12], [0, 1, 0, 2, 0], [5, 8, 6, 13, 10]],
        index=["Ward A", "Ward B", "Ward C", "Ward D"], columns=months,
    )
    with_totals = inner.copy()
    with_totals[TOTAL] = inner.sum(axis=1)
    with_totals.loc[TOTAL] = with_totals.sum()
    assert with_totals.loc["Ward C", TOTAL] == 3 and with_totals.loc[TOTAL, TOTAL] == 111

    protected = protect(with_totals, sensitive=True, what="domestic abuse referrals")

    # Ward C's total (3) counts only sensitive cases, so it is suppressed like any other small count.
    assert cells(protected.primary) == {("Ward B", "Apr"), ("Ward C", "May"), ("Ward C", "Jul"),
                                        ("Ward C", TOTAL)}
    # Worked by hand: B takes Jul (column Jul needs a partner; 6 < May's 9); column Apr takes D Apr (5);
    # column May takes D May (8: row D needs a partner); the totals column takes Ward A's total (26,
    # the smallest ward total); row A then takes its smallest non-zero month, Jul (5).
    assert cells(protected.secondary) == {("Ward B", "Jul"), ("Ward D", "Apr"), ("Ward D", "May"),
                                          ("Ward A", TOTAL), ("Ward A", "Jul")}
    assert protected.table.loc["Ward C"].tolist() == [0, C, 0, C, 0, C]
    assert protected.table.loc[TOTAL].tolist() == [8, 24, 24, 26, 29, 111]
    assert protected.note == (
        "Counts of 1 to 4 for domestic abuse referrals are suppressed ([c]) to protect the people involved; "
        "further cells are suppressed so that they cannot be worked out from totals."
    )

    # Two free cycle shifts s (B-Apr-D-May-C-Jul) and u (A-Jul-C-Total): s in [-3, 1], u in [-5, 3].
    report = audit(protected.suppressed, with_totals)
    assert intervals(report) == {
        ("Ward B", "Apr"): (0, 4), ("Ward C", "May"): (0, 4), ("Ward C", "Jul"): (0, 8),
        ("Ward C", TOTAL): (0, 8), ("Ward A", TOTAL): (21, 29), ("Ward A", "Jul"): (0, 8),
        ("Ward B", "Jul"): (5, 9), ("Ward D", "Apr"): (4, 8), ("Ward D", "May"): (5, 9),
    }
    assert (report["width"] > 0).all()
    # The same audit from the inner table and a mask with the totals row/column gives the same answer.
    pd.testing.assert_frame_equal(audit(protected.suppressed, inner), report)


# --- The only candidate in a column is a zero: the column's total is suppressed instead --------------

def test_zero_is_never_a_complement_the_total_is_suppressed_instead():
    table = pd.DataFrame({"W1": [0, 2], "W2": [8, 6], "W3": [9, 7]}, index=["ASB", "Domestic abuse"])
    protected = protect(table)

    assert cells(protected.primary) == {("Domestic abuse", "W1")}
    # Column W1 holds DA 2 and ASB 0: publishing the zero and the W1 total would give DA = 2 - 0, and
    # a suppressed zero protects little, so the W1 total goes. Then: DA W2 (6, smallest in row DA),
    # ASB W2 (8, column W2), ASB W3 (9; ASB W1 is zero), and in the totals row W3's total (16: column
    # W3 needs a partner, preferred over W2's 14).
    assert cells(protected.secondary) == {("Domestic abuse", "W2"), ("ASB", "W2"), ("ASB", "W3"),
                                          (TOTAL, "W1"), (TOTAL, "W3")}
    assert protected.table.loc["ASB", "W1"] == 0
    assert protected.table.to_numpy().tolist() == [
        [0, C, C, 17],
        [C, C, 7, 15],
        [C, 14, C, 32],
    ]
    # One 6-cycle, shift s in [-2, 6]: DA W1 = Total W1 = 2+s, DA W2 = 6-s, ASB W2 = 8+s, ...
    report = protected.audit()
    assert intervals(report) == {
        ("Domestic abuse", "W1"): (0, 8), (TOTAL, "W1"): (0, 8), ("Domestic abuse", "W2"): (0, 8),
        ("ASB", "W2"): (6, 14), ("ASB", "W3"): (3, 11), (TOTAL, "W3"): (10, 18),
    }
    assert (report["width"] > 0).all()


# --- Two per line is not enough: a cell joining two protected blocks gets an extra complement --------

def test_cell_bridging_two_blocks_is_put_on_a_cycle():
    table = pd.DataFrame(
        [[1, 2, 9, 8], [3, 4, 2, 7], [10, 6, 1, 3], [12, 11, 4, 2]],
        index=["r0", "r1", "r2", "r3"], columns=["c0", "c1", "c2", "c3"],
    )
    protected = protect(table, sensitive=True)
    primary = {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1"), ("r1", "c2"),
               ("r2", "c2"), ("r2", "c3"), ("r3", "c2"), ("r3", "c3")}
    assert cells(protected.primary) == primary
    # Every row and column already holds two suppressions, yet (r1, c2) joins the two 2x2 blocks only
    # through itself: rows r0-r1 total 36, less their published 9 + 8 + 7, less block A (columns c0-c1
    # total 49 less published 10 + 6 + 12 + 11 = 10) leaves exactly 2. The LP audit sees it:
    naive = audit(protected.primary, table)
    assert naive.set_index(["row", "column"]).loc[("r1", "c2"), "exactly_recoverable"]
    assert naive["exactly_recoverable"].sum() == 1
    # The cheapest fix is one more cell between the blocks: (r2, c1) = 6 closes r1-c2-r2-c1.
    assert cells(protected.secondary) == {("r2", "c1")}
    report = protected.audit()
    assert not report["exactly_recoverable"].any() and (report["width"] > 0).all()


# --- Nothing to suppress -------------------------------------------------------------------------------

def test_no_sensitive_small_cells_nothing_suppressed():
    table = pd.DataFrame(
        {"W1": [1, 0, 5], "W2": [3, 12, 0], "W3": [2, 7, 9]},
        index=["Fly-tipping", "Domestic abuse referrals", "Safeguarding contacts"],
    )
    protected = protect(table)
    assert not protected.suppressed.to_numpy().any()
    expected = table.copy()
    expected[TOTAL] = table.sum(axis=1)
    expected.loc[TOTAL] = expected.sum()
    assert protected.table.to_numpy().tolist() == expected.to_numpy().tolist()
    assert protected.note.startswith("No count needed suppressing.")
    assert protected.audit().empty


def test_without_totals_only_small_counts_are_suppressed():
    table = pd.DataFrame({"W1": [0, 2], "W2": [8, 6]}, index=["ASB", "Domestic abuse"])
    protected = protect(table, totals=False)
    assert cells(protected.suppressed) == {("Domestic abuse", "W1")}
    assert TOTAL not in protected.table.index
    assert protected.note.endswith("to protect the people involved.")
    report = protected.audit()
    assert (report["lower"].iloc[0], report["upper"].iloc[0]) == (0, np.inf)


# --- One column with a published total ----------------------------------------------------------------

def test_one_column_monthly_counts_with_total():
    months = pd.Series([7, 3, 0, 9, 12], index=["Apr", "May", "Jun", "Jul", "Aug"], name="DA referrals")
    protected = protect_series(months)
    assert cells(protected.primary) == {"May"}
    assert cells(protected.secondary) == {"Apr"}  # smallest non-zero count (Jun is 0)
    assert protected.table.tolist() == [C, C, 0, 9, 12, 31]
    # May + Apr = 10 is all a reader knows.
    report = protected.audit()
    assert intervals(report) == {("May", "DA referrals"): (0, 10), ("Apr", "DA referrals"): (0, 10)}


def test_one_column_lone_count_suppresses_the_total():
    wards = pd.Series([0, 3, 0], index=["Ward A", "Ward B", "Ward C"], name="safeguarding")
    protected = protect_series(wards, sensitive=["Ward B"])
    # The total (3) is not a safeguarding-only count (wards A and C are not sensitive), but it would
    # reveal Ward B exactly, and every other entry is zero: so the total is suppressed.
    assert cells(protected.primary) == {"Ward B"}
    assert cells(protected.secondary) == {TOTAL}
    assert protected.table.tolist() == [0, C, 0, C]
    report = protected.audit()
    assert report["lower"].tolist() == [0, 0] and report["upper"].tolist() == [np.inf, np.inf]


def test_one_column_small_sensitive_total_is_itself_suppressed():
    wards = pd.Series([0, 2, 1, 0], index=list("ABCD"))
    protected = protect_series(wards)
    assert cells(protected.primary) == {"B", "C", TOTAL}
    assert protected.secondary.sum() == 0
    assert not protected.audit()["exactly_recoverable"].any()


# --- Rule and input checks --------------------------------------------------------------------------------

def test_rule_is_strict_and_configurable():
    with pytest.raises(pydantic.ValidationError):
        DisclosureRule(min_count=1, max_count=4, threshold=5)  # unknown key
    with pytest.raises(pydantic.ValidationError):
        DisclosureRule(min_count=5, max_count=4)
    with pytest.raises(pydantic.ValidationError):
        DisclosureRule(min_count=0)  # zeros are never suppressed
    rule = DisclosureRule(max_count=9, sensitive=["hate crime"], marker="*")
    table = pd.DataFrame({"W1": [6, 20], "W2": [30, 40]}, index=["Hate crime", "ASB"])
    protected = protect(table, rule=rule)
    assert protected.table.loc["Hate crime", "W1"] == "*"
    assert protected.note.startswith("Counts of 1 to 9 for hate crime cases are suppressed (*)")
    assert DisclosureRule().matches("Domestic Abuse referrals")
    assert not DisclosureRule().matches("Violence and sexual offences")


def test_bad_inputs_are_refused():
    table = pd.DataFrame({"W1": [1, 2], "W2": [3, 4]}, index=["A", "B"])
    bad_total = table.assign(Total=[4, 99])
    with pytest.raises(ValueError, match="'Total' column is not the sum"):
        protect(bad_total, sensitive=True)
    with pytest.raises(ValueError, match="not in the table: 'C'"):
        protect(table, sensitive=["C"])
    with pytest.raises(ValueError, match="whole numbers"):
        protect(table.astype(float).assign(W1=[1.5, 2]), sensitive=True)
    with pytest.raises(ValueError, match="whole numbers"):
        protect(table.assign(W1=[-1, 2]), sensitive=True)


# --- Property: protect never leaves a suppressed cell exactly recoverable -----------------------------

def test_random_tables_never_leave_a_recoverable_cell():
    rng = np.random.default_rng(20180119)
    checked = 0
    for _ in range(300):
        n_rows, n_cols = int(rng.integers(2, 6)), int(rng.integers(2, 7))
        mean = rng.choice([0.8, 2.0, 4.0, 9.0])
        values = rng.poisson(mean, size=(n_rows, n_cols)) * (rng.random((n_rows, n_cols)) > 0.25)
        table = pd.DataFrame(values, index=[f"r{i}" for i in range(n_rows)],
                             columns=[f"c{j}" for j in range(n_cols)])
        kind = int(rng.integers(3))
        if kind == 0:
            sensitive, sens = True, np.ones(values.shape, dtype=bool)
        elif kind == 1:
            sensitive = sens = rng.random(values.shape) < 0.5
        else:
            rows = rng.random(n_rows) < 0.5
            sensitive, sens = pd.Series(rows, index=table.index), np.repeat(rows[:, None], n_cols, axis=1)
        protected = protect(table, sensitive)
        report = audit(protected.suppressed, table)
        assert not report["exactly_recoverable"].any(), (table, protected.table, report)
        assert (report["width"] > 0).all()
        hidden = protected.suppressed.to_numpy()
        shown, true = protected.table.to_numpy(), protected.original.to_numpy()
        assert (shown[hidden] == C).all() and (shown[~hidden] == true[~hidden]).all()
        small_sensitive = sens & (values >= 1) & (values <= 4)
        assert hidden[:-1, :-1][small_sensitive].all()
        assert (true[hidden] > 0).all()  # zeros are never suppressed
        checked += len(report)
    assert checked > 500  # the property was exercised on plenty of suppressed cells
