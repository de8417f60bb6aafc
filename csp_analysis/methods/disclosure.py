"""Statistical disclosure control for published tables of sensitive counts.

Small counts of sensitive casework (domestic abuse, safeguarding, ...) in small-area tables can
identify the people involved. Every table that carries such counts is published through this module:

* **Primary suppression**: a sensitive count in ``rule.min_count..rule.max_count`` (1 to 4 by
  default) is replaced by the rule's marker (``[c]``, the GSS "confidential" symbol). Zeros are never
  suppressed. A total made only of sensitive cells (a district's domestic abuse referrals) is itself
  a sensitive count.
* **The attacker** (the audit): for each suppressed cell, integer programmes
  (``scipy.optimize.milp``) find the smallest and largest value it can take given everything a reader
  knows: every published cell and total of every table, that a count printed in several tables is
  the same number everywhere (linked tables), cells that other outputs show (charts, sentences),
  that counts are whole numbers, that zeros are published (so a suppressed count is at least 1), and,
  as the worst case, which suppressed cells are primary: a primary count lies in
  ``min_count..max_count`` and a suppressed sensitive count that is not primary lies above
  ``max_count``. This is the attacker's problem of tau-ARGUS and of sdcTable's ``attack()``.
* **Protection**: each primary cell's feasible interval must contain its required interval
  (:meth:`DisclosureRule.required_interval`; by default the whole range ``min_count..max_count``, so the
  published figures narrow it no further than the rule itself) and be ``sliding_protection`` wide;
  no other suppressed cell may be exactly recoverable.
* **Secondary suppression**: for each primary cell not yet protected (in table and reading order), a
  small mixed-integer programme in the manner of Fischetti and Salazar chooses the cheapest further
  cells to suppress so that two whole-number tables agreeing with every published figure exist, one
  with the cell at the top of its required interval and one at the bottom. A cell costs its count;
  a total costs more than all inner cells together and the grand total more than all other cells, so
  totals go only when nothing else will do. Zeros and cells shown elsewhere are never chosen.
  Adding suppressions never narrows an interval, so cells protected earlier stay protected.
* **Withholding**: when no choice protects some primary cells, the table holding most of them (the
  last listed, on a tie) is withheld: not published, with the reason in its note and a logged
  warning. The other tables are then protected again without it, until every primary is protected.

Typical use (a ward x month table of domestic abuse referrals whose totals are published)::

    protected = protect(counts, sensitive=True)
    protected.table            # publish this (object dtype, "[c]" in suppressed cells), unless withheld
    protected.note             # the footnote explaining the marker and the rule (or why it is withheld)
    protected.audit            # the attacker's interval of every suppressed cell (holds the true counts)

Tables that share totals are protected together with :func:`protect_linked`.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from csp_analysis.config.disclosure import DisclosureRule

__all__ = ["TOTAL", "Counts", "DisclosureRule", "LinkedProtection", "Protected", "audit", "audit_for_publication",
           "protect", "protect_linked", "protect_series"]

LOG = logging.getLogger(__name__)

#: Label of the totals row and column added to published tables.
TOTAL = "Total"

# Cost tiers of complementary cells: inner cells first, then totals, the grand total last.
_INNER, _MARGIN, _GRAND = 0, 1, 2

AUDIT_COLUMNS = ("table", "row", "column", "suppression", "value", "lower", "upper", "required_lower",
                 "required_upper", "protected")


@dataclass(frozen=True, eq=False)
class Counts:
    """One table to publish: its counts and what is published with them.

    ``table`` holds whole-number counts; a row or column labelled ``total_label`` is checked against
    the cells and dropped (totals are rebuilt from the flags). ``sensitive`` says which cells are
    sensitive (the forms :func:`protect` accepts). ``row_totals``: each row's total is published (a
    ``Total`` column); ``column_totals``: each column's total is published (a ``Total`` row); with both,
    the grand total too. ``published_elsewhere`` lists ``(row, column)`` labels (totals included) of
    cells another output shows exactly, such as a chart: they are never suppressed. ``what`` names
    the cases in the footnote.
    """

    name: str
    table: pd.DataFrame
    sensitive: object = None
    row_totals: bool = True
    column_totals: bool = True
    published_elsewhere: Iterable[tuple] = ()
    what: str | None = None
    total_label: str = TOTAL


@dataclass
class Protected:
    """A table made safe to publish, or withheld.

    ``table`` is what to publish (object dtype: whole numbers, the marker in suppressed cells, with
    the totals that are published), or None when the table is withheld (``withheld`` gives the reason,
    which is also the ``note``). ``primary`` and ``secondary`` are boolean masks of the published
    shape; ``audit`` has a row per suppressed cell with its feasible interval (it holds the true
    counts: publish :func:`audit_for_publication` of it instead).
    """

    table: pd.DataFrame | pd.Series | None
    primary: pd.DataFrame | pd.Series
    secondary: pd.DataFrame | pd.Series
    note: str
    rule: DisclosureRule
    original: pd.DataFrame | pd.Series = field(repr=False)
    audit: pd.DataFrame = field(repr=False)
    withheld: str | None = None

    @property
    def suppressed(self) -> pd.DataFrame | pd.Series:
        """Every suppressed cell (primary or secondary)."""
        return self.primary | self.secondary


@dataclass
class LinkedProtection:
    """Tables protected together (see :func:`protect_linked`).

    ``tables`` maps each name to its :class:`Protected` (published or withheld); ``audit`` is the joint
    audit of every suppressed cell of the published tables (with the true counts).
    """

    tables: dict[str, Protected]
    audit: pd.DataFrame
    rule: DisclosureRule

    @property
    def withheld(self) -> dict[str, str]:
        """Why each withheld table is not published, by name."""
        return {name: p.withheld for name, p in self.tables.items() if p.withheld}

    def statement(self) -> str:
        """The claim the report may make, computed from the audit."""
        published = len(self.tables) - len(self.withheld)
        scope = "1 table" if published == 1 else f"{published} linked tables"
        if self.withheld:
            scope += f"; {len(self.withheld)} withheld"
        return _statement(self.audit, self.rule, scope)

    def audit_for_publication(self) -> pd.DataFrame:
        """The audit without the true counts (see :func:`audit_for_publication`)."""
        return audit_for_publication(self.audit, self.rule)


# --- Tables laid out as cells and additive lines ----------------------------------------------------

@dataclass
class _Grid:
    """One table in its published layout (totals included) as flat cells, and its additive lines.

    Each line lists flat cell positions whose last entry is the line's total: the others add up to it.
    """

    spec: Counts
    index: pd.Index
    columns: pd.Index
    values: np.ndarray
    sensitive: np.ndarray
    tier: np.ndarray
    elsewhere: np.ndarray
    lines: list[list[int]]

    def position(self, row, column) -> int:
        if row not in self.index or column not in self.columns:
            raise ValueError(f"cell ({row!r}, {column!r}) is not in table '{self.spec.name}'")
        return self.index.get_loc(row) * len(self.columns) + self.columns.get_loc(column)

    def frame(self, flat: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(flat.reshape(len(self.index), len(self.columns)), index=self.index,
                            columns=self.columns)


def _grid(spec: Counts, rule: DisclosureRule) -> _Grid:
    if not isinstance(spec.table, pd.DataFrame):
        raise TypeError(f"table '{spec.name}' must be a DataFrame")
    label = spec.total_label
    inner = _strip_totals(spec.table, label)
    if label in inner.index or label in inner.columns:
        raise ValueError(f"more than one row or column of table '{spec.name}' is labelled '{label}'")
    values = _as_counts(inner, f"table '{spec.name}'")
    sens = _sensitive_cells(inner, spec.sensitive, rule)
    n_rows, n_cols = values.shape
    shape = (n_rows + spec.column_totals, n_cols + spec.row_totals)
    full = np.zeros(shape, dtype="int64")
    full_sens = np.zeros(shape, dtype=bool)
    tier = np.full(shape, _INNER)
    full[:n_rows, :n_cols], full_sens[:n_rows, :n_cols] = values, sens
    if spec.row_totals:
        full[:n_rows, n_cols] = values.sum(axis=1)
        full_sens[:n_rows, n_cols] = sens.all(axis=1) & (n_cols > 0)
        tier[:n_rows, n_cols] = _MARGIN
    if spec.column_totals:
        full[n_rows, :n_cols] = values.sum(axis=0)
        full_sens[n_rows, :n_cols] = sens.all(axis=0) & (n_rows > 0)
        tier[n_rows, :n_cols] = _MARGIN
    if spec.row_totals and spec.column_totals:
        full[n_rows, n_cols] = values.sum()
        full_sens[n_rows, n_cols] = bool(sens.all()) and sens.size > 0
        tier[n_rows, n_cols] = _GRAND
    width = shape[1]
    lines = []
    if spec.row_totals:
        lines += [[i * width + j for j in range(n_cols + 1)] for i in range(shape[0])]
    if spec.column_totals:
        lines += [[i * width + j for i in range(n_rows + 1)] for j in range(shape[1])]
    index = inner.index.append(pd.Index([label])) if spec.column_totals else inner.index
    columns = inner.columns.append(pd.Index([label])) if spec.row_totals else inner.columns
    index.name, columns.name = inner.index.name, inner.columns.name
    grid = _Grid(spec, index, columns, full.ravel(), full_sens.ravel(), tier.ravel(),
                 np.zeros(full.size, dtype=bool), lines)
    for row, column in spec.published_elsewhere:
        grid.elsewhere[grid.position(row, column)] = True
    return grid


@dataclass
class _Problem:
    """Linked tables as one set of distinct counts ("classes": a count printed in several tables is
    one class) and the lines that add them up; arrays are indexed by class."""

    grids: list[_Grid]
    classes: list[np.ndarray]  # per grid, the class of each flat cell
    values: np.ndarray
    sensitive: np.ndarray
    tier: np.ndarray
    elsewhere: np.ndarray
    lines: list[tuple[tuple[int, ...], int]]  # (classes adding up, class of their total)
    primary: np.ndarray
    cost: np.ndarray
    candidate: np.ndarray  # may be chosen as a complementary cell
    lower: np.ndarray      # what the attacker knows of each class once it is suppressed
    upper: np.ndarray

    @classmethod
    def build(cls, grids: list[_Grid], links: list[Sequence[tuple]], rule: DisclosureRule) -> _Problem:
        offsets, start = {}, 0
        for grid in grids:
            offsets[grid.spec.name] = start
            start += grid.values.size
        parent = list(range(start))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        by_name = {grid.spec.name: grid for grid in grids}
        for group in links:
            ids = []
            for name, row, column in group:
                if name not in by_name:
                    raise ValueError(f"link to an unknown table '{name}'")
                ids.append(offsets[name] + by_name[name].position(row, column))
            for other in ids[1:]:
                parent[root(other)] = root(ids[0])
        number: dict[int, int] = {}
        classes = [np.array([number.setdefault(root(offsets[g.spec.name] + k), len(number))
                             for k in range(g.values.size)], dtype=int) for g in grids]
        n = len(number)
        values, sensitive = np.full(n, -1, dtype="int64"), np.zeros(n, dtype=bool)
        tier, elsewhere = np.full(n, _INNER), np.zeros(n, dtype=bool)
        for grid, of in zip(grids, classes):
            for k, c in enumerate(of):
                if values[c] >= 0 and values[c] != grid.values[k]:
                    raise ValueError(f"linked cells differ: cell {k} of table '{grid.spec.name}' is "
                                     f"{grid.values[k]}, a cell linked to it {values[c]}")
                values[c] = grid.values[k]
            np.logical_or.at(sensitive, of, grid.sensitive)
            np.maximum.at(tier, of, grid.tier)
            np.logical_or.at(elsewhere, of, grid.elsewhere)
        lines, seen = [], set()
        for grid, of in zip(grids, classes):
            for line in grid.lines:
                members, total = tuple(int(of[k]) for k in line[:-1]), int(of[line[-1]])
                key = (tuple(sorted(members)), total)
                if key not in seen:
                    seen.add(key)
                    lines.append((members, total))
        primary = sensitive & (values >= rule.min_count) & (values <= rule.max_count)
        if (primary & elsewhere).any():
            raise ValueError("a small sensitive count is marked as published elsewhere")
        inner_step = int(values[tier == _INNER].sum()) + 1
        grand_step = inner_step + int((values[tier == _MARGIN] + inner_step).sum())
        cost = values + np.select([tier == _MARGIN, tier == _GRAND], [inner_step, grand_step], 0)
        # Never a zero (it is published), a cell shown elsewhere, or a sensitive count below the
        # rule's range (published by the rule): so a suppressed sensitive non-primary is > max_count.
        candidate = ~primary & ~elsewhere & (values > 0) & ~(sensitive & (values < rule.min_count))
        lower = np.where(primary, rule.min_count, np.where(sensitive, rule.max_count + 1, 1))
        upper = np.where(primary, float(rule.max_count), np.inf)
        return cls(grids, classes, values, sensitive, tier, elsewhere, lines, primary, cost, candidate,
                   lower, upper)

    def tables_holding(self, targets: Iterable[int]) -> list[str]:
        wanted = set(targets)
        return [g.spec.name for g, of in zip(self.grids, self.classes) if wanted & set(of.tolist())]


def _milp(*args, **kwargs):
    """``scipy.optimize.milp``, discarding what HiGHS prints straight to file descriptor 1.

    Some HiGHS diagnostics bypass Python's ``sys.stdout``; in a notebook they would land in the
    published output.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    try:
        return milp(*args, **kwargs)
    finally:
        os.dup2(saved, 1)
        os.close(saved)


# --- The attacker ----------------------------------------------------------------------------------

def _feasible_intervals(problem: _Problem, suppressed: np.ndarray, targets: Sequence[int]) -> np.ndarray:
    """The attacker's [lower, upper] of each target class (``inf`` when nothing bounds it above).

    Integer programme over the suppressed classes: every line holds, published classes are known,
    each suppressed class lies within the attacker's bounds (``problem.lower``, ``problem.upper``).
    """
    hidden = np.flatnonzero(suppressed)
    column = {int(c): k for k, c in enumerate(hidden)}
    rows, rhs = [], []
    for members, total in problem.lines:
        coeffs, known = np.zeros(hidden.size), 0.0
        for c, sign in [(m, 1.0) for m in members] + [(total, -1.0)]:
            if suppressed[c]:
                coeffs[column[c]] += sign
            else:
                known += sign * problem.values[c]
        if coeffs.any():
            rows.append(coeffs)
            rhs.append(-known)
    constraints = LinearConstraint(np.array(rows), rhs, rhs) if rows else None
    # A finite cap keeps the programme bounded; reaching it means nothing bounds the cell.
    cap = 2.0 * float(problem.values.sum()) + problem.upper[np.isfinite(problem.upper)].max(initial=0) + 1
    bounds = Bounds(problem.lower[hidden], np.minimum(problem.upper[hidden], cap))
    result = np.empty((len(targets), 2))
    for k, target in enumerate(targets):
        for side, sense in ((0, 1.0), (1, -1.0)):
            objective = np.zeros(hidden.size)
            objective[column[int(target)]] = sense
            solution = _milp(objective, integrality=np.ones(hidden.size), bounds=bounds, constraints=constraints)
            if solution.x is None:  # the true table is feasible, so this is a solver failure
                raise RuntimeError(f"the disclosure audit failed: {solution.message}")
            result[k, side] = round(sense * solution.fun)
    result[result[:, 1] >= cap, 1] = np.inf
    return result


def _is_protected(problem: _Problem, rule: DisclosureRule, target: int, lower: float, upper: float) -> bool:
    if problem.primary[target]:
        return rule.is_protected(int(problem.values[target]), lower, upper)
    return upper > lower


# --- Secondary suppression ---------------------------------------------------------------------------

def _complement(problem: _Problem, suppressed: np.ndarray, target: int, rule: DisclosureRule) -> np.ndarray | None:
    """The cheapest further classes to suppress so that primary ``target`` is protected, or None.

    Unknowns: for every suppressed or candidate class, its deviation from the true count in an
    "upper" table ``u`` and a "lower" table ``d`` (integers), and for candidates whether they are
    suppressed (``z``). Both tables satisfy every line and the attacker's bounds, deviate only in
    suppressed cells, and put the target at the top and the bottom of its required interval. A cell
    moves up by at most the target's required movement: enough in a table with totals, where any
    such change splits into cycles through the target that each move a cell by no more than the
    target moves. (A cap too tight can only withhold a table, never publish an unprotected one: the
    audit decides.)
    """
    value = int(problem.values[target])
    low, high = rule.required_interval(value)
    free = np.flatnonzero(suppressed | problem.candidate)
    new = np.flatnonzero(~suppressed[free])  # positions in ``free`` of the candidates
    n, m = free.size, new.size
    at = {int(c): k for k, c in enumerate(free)}
    room_down = (problem.values[free] - problem.lower[free]).astype(float)
    room_up = np.minimum(problem.upper[free] - problem.values[free],
                         max(high - value, value - low, rule.sliding_protection, 1))
    rows, cols, data, bottom, top = [], [], [], [], []

    def constraint(terms: list[tuple[int, float]], lowest: float, highest: float) -> None:
        for col, coeff in terms:
            rows.append(len(bottom))
            cols.append(col)
            data.append(coeff)
        bottom.append(lowest)
        top.append(highest)

    for members, total in problem.lines:
        terms = [(at[c], 1.0) for c in members if c in at] + ([(at[total], -1.0)] if total in at else [])
        for offset in (0, n) if terms else ():
            constraint([(col + offset, coeff) for col, coeff in terms], 0.0, 0.0)
    for j, k in enumerate(new):  # a candidate deviates only when suppressed
        for offset in (0, n):
            constraint([(k + offset, 1.0), (2 * n + j, -room_up[k])], -np.inf, 0.0)
            constraint([(k + offset, 1.0), (2 * n + j, room_down[k])], 0.0, np.inf)
    t = at[int(target)]
    constraint([(t, 1.0)], float(high - value), np.inf)
    constraint([(n + t, 1.0)], -np.inf, float(low - value))
    constraint([(t, 1.0), (n + t, -1.0)], float(rule.sliding_protection), np.inf)
    matrix = coo_array((data, (rows, cols)), shape=(len(bottom), 2 * n + m)).tocsr()
    objective = np.concatenate([np.zeros(2 * n), problem.cost[free[new]].astype(float)])
    bounds = Bounds(np.concatenate([-room_down, -room_down, np.zeros(m)]),
                    np.concatenate([room_up, room_up, np.ones(m)]))
    solution = _milp(objective, integrality=np.ones(2 * n + m), bounds=bounds,
                     constraints=LinearConstraint(matrix, bottom, top), options={"mip_rel_gap": 0.0})
    return None if solution.x is None else free[new[solution.x[2 * n:] > 0.5]]


def _protect(problem: _Problem, rule: DisclosureRule) -> tuple[np.ndarray, list[int]]:
    """Suppressions protecting every primary class that can be protected, and those that cannot."""
    suppressed = problem.primary.copy()
    failed = []
    for target in np.flatnonzero(problem.primary):
        (lower, upper), = _feasible_intervals(problem, suppressed, [target])
        if rule.is_protected(int(problem.values[target]), lower, upper):
            continue
        added = _complement(problem, suppressed, int(target), rule)
        if added is None:
            failed.append(int(target))
        else:
            suppressed[added] = True
    return suppressed, failed


def _audit_frame(problem: _Problem, suppressed: np.ndarray, rule: DisclosureRule) -> pd.DataFrame:
    """One row per suppressed cell of every table (a linked count once per table showing it)."""
    hidden = np.flatnonzero(suppressed)
    interval = dict(zip(hidden.tolist(), _feasible_intervals(problem, suppressed, hidden)))
    rows = []
    for grid, of in zip(problem.grids, problem.classes):
        width = len(grid.columns)
        for k in np.flatnonzero(suppressed[of]):
            c = int(of[k])
            lower, upper = interval[c]
            required = rule.required_interval(int(problem.values[c])) if problem.primary[c] else (pd.NA, pd.NA)
            rows.append({
                "table": grid.spec.name, "row": grid.index[k // width], "column": grid.columns[k % width],
                "suppression": "primary" if problem.primary[c] else "secondary",
                "value": int(problem.values[c]), "lower": lower, "upper": upper,
                "required_lower": required[0], "required_upper": required[1],
                "protected": _is_protected(problem, rule, c, lower, upper),
            })
    frame = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
    return frame.astype({"lower": "int64", "upper": "float64", "required_lower": "Int64",
                         "required_upper": "Int64", "protected": bool})


def _statement(report: pd.DataFrame, rule: DisclosureRule, scope: str) -> str:
    cells = f"{len(report):,} suppressed cell{'s' if len(report) != 1 else ''}"
    where = f"integer-programming audit of {cells} in {scope}"
    if report.empty:
        return f"No count needed suppressing ({where})."
    primary = report[report["suppression"] == "primary"]
    if rule.lower_protection is None and rule.upper_protection is None:
        claim = f"No suppressed small count can be narrowed below {primary['lower'].max():g} to " \
                f"{primary['upper'].min():g}"
    else:
        values = int((primary["upper"] - primary["lower"]).min()) + 1
        claim = f"No suppressed small count can be narrowed to fewer than {values} possible values"
    claim += " by anyone using every published figure"
    if (report["suppression"] == "secondary").any():
        claim += ", and no other suppressed count can be worked out exactly"
    return f"{claim} ({where})."


def audit_for_publication(report: pd.DataFrame, rule: DisclosureRule) -> pd.DataFrame:
    """An audit as a reviewer may read it: no true counts; the requirement as text; yes/no."""
    view = report.drop(columns=["value", "required_lower", "required_upper"])
    view.insert(len(view.columns) - 1, "required",
                np.where(report["suppression"] == "primary", rule.describe_protection(), "not exactly recoverable"))
    view["protected"] = np.where(report["protected"], "yes", "no")
    return view


# --- Inputs ------------------------------------------------------------------------------------------

def _as_counts(values: pd.DataFrame | pd.Series, what: str) -> np.ndarray:
    numbers = values.apply(pd.to_numeric, errors="coerce") if isinstance(values, pd.DataFrame) \
        else pd.to_numeric(values, errors="coerce")
    array = numbers.to_numpy(dtype="float64", na_value=np.nan)
    if np.isnan(array).any() or (array < 0).any() or (array % 1 != 0).any():
        raise ValueError(f"{what} must hold whole numbers of 0 or more, with no missing values")
    return array.astype("int64")


def _strip_totals(table: pd.DataFrame, total_label: str) -> pd.DataFrame:
    """The inner table, checking and dropping a totals row and/or column labelled ``total_label``."""
    inner = table
    if total_label in table.columns:
        inner = inner.drop(columns=total_label)
        given = _as_counts(table.loc[:, total_label], f"the '{total_label}' column")
        if not np.array_equal(given, _as_counts(inner, "the table").sum(axis=1)):
            raise ValueError(f"the '{total_label}' column is not the sum of the other columns")
    if total_label in table.index:
        body = inner.drop(index=total_label)
        given = _as_counts(inner.loc[total_label], f"the '{total_label}' row")
        if not np.array_equal(given, _as_counts(body, "the table").sum(axis=0)):
            raise ValueError(f"the '{total_label}' row is not the sum of the other rows")
        inner = body
    return inner


def _sensitive_cells(inner: pd.DataFrame, sensitive, rule: DisclosureRule) -> np.ndarray:
    """Boolean array (inner shape) of sensitive cells from the many accepted forms of ``sensitive``."""
    shape = inner.shape
    if sensitive is None:
        rows = np.array([rule.matches(label) for label in inner.index], dtype=bool)
        cols = np.array([rule.matches(label) for label in inner.columns], dtype=bool)
        if not rows.any() and not cols.any():
            LOG.warning("no row or column label names a sensitive case type (%s): nothing is treated as "
                        "sensitive; pass sensitive=True for a table of one sensitive type",
                        ", ".join(rule.sensitive))
        return rows[:, None] | cols[None, :]
    if isinstance(sensitive, (bool, np.bool_)):
        return np.full(shape, bool(sensitive))
    if isinstance(sensitive, pd.DataFrame):
        mask = sensitive.reindex(index=inner.index, columns=inner.columns)
        if mask.isna().any().any():
            raise ValueError("the sensitive mask does not cover every cell of the table")
        return mask.astype(bool).to_numpy()
    if isinstance(sensitive, pd.Series):
        if sensitive.dtype == bool or str(sensitive.dtype) == "boolean":
            rows = sensitive.reindex(inner.index)
            if rows.isna().any():
                raise ValueError("the sensitive rows mask does not cover every row of the table")
            return np.repeat(rows.astype(bool).to_numpy()[:, None], shape[1], axis=1)
        sensitive = list(sensitive)
    if isinstance(sensitive, np.ndarray) and sensitive.dtype == bool:
        if sensitive.shape != shape:
            raise ValueError(f"the sensitive mask has shape {sensitive.shape}, the table {shape}")
        return sensitive.copy()
    labels = list(sensitive) if isinstance(sensitive, Iterable) and not isinstance(sensitive, str) \
        else [sensitive]
    unknown = [label for label in labels if label not in inner.index and label not in inner.columns]
    if unknown:
        raise ValueError(f"sensitive label(s) not in the table: {', '.join(map(repr, unknown))}")
    rows = inner.index.isin(labels)
    cols = inner.columns.isin(labels)
    return rows[:, None] | cols[None, :]


def _note(rule: DisclosureRule, what: str | None, any_primary: bool, any_secondary: bool) -> str:
    if not any_primary and not any_secondary:
        return (f"No count needed suppressing. {rule.describe(what)} where they occur; "
                "the rule is applied to every table.")
    note = rule.describe(what) + " to protect the people involved"
    if any_secondary:
        note += ("; further counts are suppressed so that none of them can be worked out or narrowed down "
                 "from the published figures")
    return note + "."


def _withheld_reason(rule: DisclosureRule, what: str | None) -> str:
    return (f"This table is not published. {rule.describe(what)}, but here that is not enough: whatever "
            "else were suppressed, the figures published with it would let a reader narrow at least one "
            f"of those counts to less than {rule.describe_protection()}.")


def _published(values: pd.DataFrame, suppressed: pd.DataFrame, marker: str) -> pd.DataFrame:
    """Object-dtype copy of ``values`` (plain ints) with ``marker`` where ``suppressed``."""
    shown = np.empty(values.shape, dtype=object)
    for position, number in np.ndenumerate(values.to_numpy()):
        shown[position] = int(number)
    shown[suppressed.to_numpy()] = marker
    return pd.DataFrame(shown, index=values.index, columns=values.columns, dtype=object)


# --- Public API --------------------------------------------------------------------------------------

def protect_linked(tables: Sequence[Counts], links: Iterable[Sequence[tuple]] = (),
                   rule: DisclosureRule | None = None) -> LinkedProtection:
    """Protect tables that share figures, against an attacker who reads all of them together.

    ``links`` are groups of ``(table name, row, column)`` cells that print the same count (a monthly
    table's Total row and a ward table's Total row both give the period's total per case type): the
    attacker knows they are equal, and a shared count is suppressed everywhere or nowhere. Tables
    whose small counts cannot be protected are withheld one at a time (see the module docstring).
    """
    rule = rule or DisclosureRule()
    names = [t.name for t in tables]
    if len(set(names)) != len(names):
        raise ValueError("every table needs its own name")
    grids = [_grid(t, rule) for t in tables]
    links = [list(group) for group in links]
    withheld: dict[str, str] = {}
    while True:
        live = [g for g in grids if g.spec.name not in withheld]
        live_links = [[cell for cell in group if cell[0] not in withheld] for group in links]
        problem = _Problem.build(live, [group for group in live_links if len(group) > 1], rule)
        suppressed, failed = _protect(problem, rule)
        if not failed:
            break
        holders = [problem.tables_holding([c]) for c in failed]
        name = max(reversed([g.spec.name for g in live]), key=lambda n: sum(n in h for h in holders))
        withheld[name] = _withheld_reason(rule, next(g.spec.what for g in live if g.spec.name == name))
        LOG.warning("disclosure control: table '%s' is withheld: its small counts cannot be protected to %s",
                    name, rule.describe_protection())
    report = _audit_frame(problem, suppressed, rule)
    if not report["protected"].all():  # impossible: every primary was protected and suppressions only widen
        raise RuntimeError("disclosure control left a suppressed cell unprotected")
    result = {}
    live_classes = {g.spec.name: of for g, of in zip(problem.grids, problem.classes)}
    for grid in grids:
        name = grid.spec.name
        if name in withheld:
            primary = grid.sensitive & (grid.values >= rule.min_count) & (grid.values <= rule.max_count)
            result[name] = Protected(None, grid.frame(primary), grid.frame(np.zeros_like(primary)), withheld[name],
                                     rule, grid.frame(grid.values), report.iloc[0:0], withheld[name])
            continue
        of = live_classes[name]
        primary, hidden = problem.primary[of], suppressed[of]
        original = grid.frame(grid.values)
        result[name] = Protected(
            table=_published(original, grid.frame(hidden), rule.marker),
            primary=grid.frame(primary),
            secondary=grid.frame(hidden & ~primary),
            note=_note(rule, grid.spec.what, bool(primary.any()), bool((hidden & ~primary).any())),
            rule=rule,
            original=original,
            audit=report[report["table"] == name].reset_index(drop=True),
        )
    return LinkedProtection(result, report, rule)


def protect(
    table: pd.DataFrame,
    sensitive=None,
    rule: DisclosureRule | None = None,
    totals: bool = True,
    *,
    what: str | None = None,
    total_label: str = TOTAL,
    published_elsewhere: Iterable[tuple] = (),
    name: str = "table",
) -> Protected:
    """Suppress small sensitive counts in a two-way table of counts, and whatever would reveal them.

    ``table`` holds whole-number counts (e.g. wards x months, or case type x ward). A row and/or
    column labelled ``total_label`` is taken as totals (checked, then rebuilt). ``sensitive`` says
    which cells are sensitive: None (rows or columns whose label names one of ``rule.sensitive``),
    True (every cell, e.g. a wards x months table of one sensitive type), a list of row or column
    labels, a boolean Series over the rows, or a boolean DataFrame / array over the cells.

    ``totals=True`` means the row, column and grand totals are published with the table (they are
    added to the result), so complementary suppression is applied; with ``totals=False`` only the
    cells are published and only the small counts are suppressed. ``what`` names the sensitive cases
    in the footnote (default: the rule's case types).
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError("protect needs a DataFrame; use protect_series for a single column")
    counts = Counts(name, table, sensitive, row_totals=totals, column_totals=totals,
                    published_elsewhere=published_elsewhere, what=what, total_label=total_label)
    return protect_linked([counts], rule=rule).tables[name]


def protect_series(
    counts: pd.Series,
    rule: DisclosureRule | None = None,
    sensitive=True,
    total: bool = True,
    *,
    what: str | None = None,
    total_label: str = TOTAL,
) -> Protected:
    """Suppress small sensitive counts in one column of counts published with its total.

    For example monthly counts of one sensitive case type, or a ward list with the district total.
    ``sensitive`` is True (every entry, the default), False, a list of labels or a boolean Series.
    With ``total=True`` the total is appended (label ``total_label``; an existing entry with that
    label is checked and rebuilt). The result holds Series.
    """
    column = counts.name if counts.name is not None else "count"
    spec = Counts(str(column), counts.to_frame(column), sensitive, row_totals=False, column_totals=total,
                  what=what, total_label=total_label)
    protected = protect_linked([spec], rule=rule).tables[spec.name]

    def squeeze(part):
        return None if part is None else part.iloc[:, 0].rename(counts.name)

    return Protected(squeeze(protected.table), squeeze(protected.primary), squeeze(protected.secondary),
                     protected.note, protected.rule, squeeze(protected.original), protected.audit,
                     protected.withheld)


def audit(tables: Counts | Sequence[Counts], suppressed, links: Iterable[Sequence[tuple]] = (),
          rule: DisclosureRule | None = None) -> pd.DataFrame:
    """The attacker's audit of a given suppression pattern: one row per suppressed cell.

    ``suppressed`` is a boolean mask over a table's published layout (totals included; cells it does
    not cover are published), or a mapping of table name to such masks. Every small sensitive count
    must be suppressed. Columns: ``table, row, column, suppression`` (primary or secondary),
    ``value`` (the true count), ``lower, upper`` (the attacker's feasible interval; ``upper`` is
    ``inf`` when nothing bounds it), ``required_lower, required_upper`` (primary cells) and
    ``protected``.
    """
    rule = rule or DisclosureRule()
    tables = [tables] if isinstance(tables, Counts) else list(tables)
    masks = suppressed if isinstance(suppressed, Mapping) else {tables[0].name: suppressed}
    grids = [_grid(t, rule) for t in tables]
    problem = _Problem.build(grids, [list(group) for group in links], rule)
    hidden = np.zeros(problem.values.size, dtype=bool)
    for grid, of in zip(grids, problem.classes):
        mask = masks.get(grid.spec.name)
        if mask is None:
            continue
        if isinstance(mask, pd.Series):
            mask = mask.to_frame(grid.columns[0])
        aligned = mask.reindex(index=grid.index, columns=grid.columns, fill_value=False).astype(bool)
        if int(np.asarray(mask).sum()) != int(aligned.to_numpy().sum()):
            raise ValueError(f"the suppression mask of table '{grid.spec.name}' has cells outside the table")
        hidden[of[aligned.to_numpy().ravel()]] = True
    if (problem.primary & ~hidden).any():
        raise ValueError("a small sensitive count is published: suppress every primary cell")
    return _audit_frame(problem, hidden, rule)
