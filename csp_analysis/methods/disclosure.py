"""Statistical disclosure control for published tables of sensitive counts.

Small counts of sensitive casework (domestic abuse, safeguarding, ...) in small-area tables can
identify the people involved, so they are suppressed before publication:

* **Primary suppression**: a sensitive cell whose count lies in ``[min_count, max_count]``
  (by default 1 to 4) is replaced by a marker (``[c]``, the GSS "confidential" symbol). Zeros are
  never suppressed: a zero discloses nothing about anyone.
* **Secondary (complementary) suppression**: when row and column totals are published, a single
  suppressed cell in a row could be worked out as the row total minus the published cells. So every
  row and column (the totals row and column included) that holds a suppressed cell must hold at least
  two. The second cell is the smallest *non-zero* unsuppressed count of that line, preferring one
  whose crossing line also needs a partner (one cell then protects two lines). A suppressed zero
  protects little (zeros are often structural and guessable), so where the line has no non-zero
  count left its total is suppressed instead, and the totals row or column then gets the same
  treatment (the grand total only as a last resort). This is repeated until stable. A total made
  only of sensitive cells (e.g. a ward's domestic abuse referrals over the year) is itself a
  sensitive count, suppressed when small.
* **Cycle check**: "two per line" is necessary but not sufficient (two separately protected blocks
  joined by one cell leave that cell recoverable). A published 2-D table with totals is a bipartite
  graph (rows and columns are nodes, suppressed cells are edges); a suppressed cell can be worked out
  exactly if and only if it lies on no cycle. Such cells get the cheapest extra suppressions (a
  shortest path over small non-zero counts) that put them on a cycle. Because no suppressed cell is
  zero, every cell on a cycle can move both up and down, so nothing is exactly recoverable.

:func:`audit` proves the result independently with linear programming: for each suppressed cell it
finds the smallest and largest value consistent with the published cells, totals and non-negativity.

Typical use (a ward x month table of domestic abuse referrals whose totals are published)::

    protected = protect(counts, sensitive=True)
    protected.table            # publish this (object dtype, "[c]" in suppressed cells)
    protected.note             # the footnote explaining the marker and the rule
    protected.audit()          # feasible interval of every suppressed cell
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.linalg import null_space
from scipy.optimize import linprog

from csp_analysis.config.disclosure import DisclosureRule

__all__ = ["TOTAL", "DisclosureRule", "Protected", "audit", "protect", "protect_series"]

LOG = logging.getLogger(__name__)

#: Label of the totals row and column added to published tables.
TOTAL = "Total"

# Cost tiers when choosing complementary cells: inner cells first, then totals, the grand total last.
_INNER, _MARGIN, _GRAND = 0, 1, 2
_TIER_COST = 1e9




@dataclass
class Protected:
    """A table made safe to publish.

    ``table`` is what to publish (object dtype: whole numbers, the marker in suppressed cells,
    with the totals row and column when totals are published); ``primary`` and ``secondary`` are
    boolean masks of the same shape (small sensitive counts; cells suppressed so that those cannot
    be worked out); ``note`` is the footnote to print under the table.
    """

    table: pd.DataFrame | pd.Series
    primary: pd.DataFrame | pd.Series
    secondary: pd.DataFrame | pd.Series
    note: str
    rule: DisclosureRule
    totals: bool
    original: pd.DataFrame | pd.Series = field(repr=False)

    @property
    def suppressed(self) -> pd.DataFrame | pd.Series:
        """Every suppressed cell (primary or secondary)."""
        return self.primary | self.secondary

    def audit(self) -> pd.DataFrame:
        """The linear-programming audit of this table (see :func:`audit`)."""
        return audit(self.suppressed, self.original, totals=self.totals, rule=self.rule)


# --- The generic structure: cells, and lines whose cells add up to the line's last cell ----------

@dataclass
class _Layout:
    """Flat cells of a published table and the additive relations between them.

    Each line is a list of flat cell indices whose last entry is the line's total: the other entries
    add up to it. ``shape`` is the 2-D shape (with totals) when the table is two-way, else None.
    """

    values: np.ndarray
    tier: np.ndarray
    lines: list[list[int]]
    shape: tuple[int, int] | None

    def lines_of(self) -> list[list[int]]:
        of: list[list[int]] = [[] for _ in range(self.values.size)]
        for k, line in enumerate(self.lines):
            for cell in line:
                of[cell].append(k)
        return of


def _grid_layout(values: np.ndarray, totals: bool) -> _Layout:
    """Layout of an inner R x C table; with totals, an (R+1) x (C+1) table whose last row/column are totals."""
    if not totals:
        return _Layout(values.ravel().astype("int64"), np.full(values.size, _INNER), [], values.shape)
    n_rows, n_cols = values.shape
    full = np.zeros((n_rows + 1, n_cols + 1), dtype="int64")
    full[:n_rows, :n_cols] = values
    full[:n_rows, n_cols] = values.sum(axis=1)
    full[n_rows, :n_cols] = values.sum(axis=0)
    full[n_rows, n_cols] = values.sum()
    tier = np.full(full.shape, _MARGIN)
    tier[:n_rows, :n_cols] = _INNER
    tier[n_rows, n_cols] = _GRAND
    width = n_cols + 1
    lines = [[i * width + j for j in range(n_cols + 1)] for i in range(n_rows + 1)]
    lines += [[i * width + j for i in range(n_rows + 1)] for j in range(n_cols + 1)]
    return _Layout(full.ravel(), tier.ravel(), lines, full.shape)


def _vector_layout(values: np.ndarray, total: bool) -> _Layout:
    """Layout of a single column of counts; with a total, the total is the last cell."""
    if not total:
        return _Layout(values.astype("int64"), np.full(values.size, _INNER), [], None)
    full = np.append(values, values.sum()).astype("int64")
    tier = np.full(full.size, _INNER)
    tier[-1] = _MARGIN
    return _Layout(full, tier, [list(range(full.size))], None)


# --- Choosing suppressions --------------------------------------------------------------------------

def _complete_lines(layout: _Layout, suppressed: np.ndarray) -> None:
    """Give every line holding exactly one suppressed cell a second one, until stable (in place).

    The second cell is a non-zero unsuppressed inner count of the line; totals only when no inner
    count is left (the grand total last). Among those, a cell whose crossing line also holds a lone
    suppressed cell comes first (one suppression then protects both lines, which keeps the number of
    suppressions down), then the smallest count, then the first in reading order.
    """
    values, tier = layout.values, layout.tier
    lines_of = layout.lines_of()
    count = np.array([int(suppressed[line].sum()) for line in layout.lines])
    changed = True
    while changed:
        changed = False
        for k, line in enumerate(layout.lines):
            if count[k] != 1:
                continue
            candidates = [c for c in line if not suppressed[c] and values[c] > 0]
            if not candidates:  # impossible when every suppressed count is > 0; kept as a guard
                raise RuntimeError(f"no cell left to protect line {k}")

            def key(c: int, k: int = k) -> tuple:
                crossing_needs = any(count[m] == 1 for m in lines_of[c] if m != k)
                return (tier[c], not crossing_needs, values[c], c)

            pick = min(candidates, key=key)
            suppressed[pick] = True
            for m in lines_of[pick]:
                count[m] += 1
            changed = True


def _bridges(shape: tuple[int, int], suppressed: np.ndarray) -> list[int]:
    """Suppressed cells lying on no cycle of the row/column graph (exactly recoverable), reading order."""
    n_rows, n_cols = shape
    edges = [int(c) for c in np.flatnonzero(suppressed)]
    adjacency: dict[int, list[tuple[int, int]]] = {}
    for cell in edges:
        row, col = divmod(cell, n_cols)
        adjacency.setdefault(row, []).append((n_rows + col, cell))
        adjacency.setdefault(n_rows + col, []).append((row, cell))
    found = []
    for cell in edges:
        row, col = divmod(cell, n_cols)
        start, goal = row, n_rows + col
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            for nxt, via in adjacency[node]:
                if via != cell and nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        if goal not in seen:
            found.append(cell)
    return found


def _close_cycle(layout: _Layout, suppressed: np.ndarray, cell: int) -> list[int]:
    """The cheapest unsuppressed non-zero cells whose suppression puts ``cell`` on a cycle.

    Shortest path between the cell's row and column avoiding the cell itself, where suppressed cells
    cost nothing and others cost their tier then their count.
    """
    n_rows, n_cols = layout.shape
    row, col = divmod(cell, n_cols)
    start, goal = row, n_rows + col
    best = {start: 0.0}
    back: dict[int, tuple[int, int]] = {}
    heap = [(0.0, start)]
    while heap:
        dist, node = heapq.heappop(heap)
        if node == goal:
            break
        if dist > best.get(node, np.inf):
            continue
        if node < n_rows:
            steps = [(node * n_cols + j, n_rows + j) for j in range(n_cols)]
        else:
            j = node - n_rows
            steps = [(i * n_cols + j, i) for i in range(n_rows)]
        for via, nxt in steps:
            if via == cell or layout.values[via] <= 0:
                continue
            cost = 0.0 if suppressed[via] else layout.tier[via] * _TIER_COST + float(layout.values[via])
            if dist + cost < best.get(nxt, np.inf):
                best[nxt] = dist + cost
                back[nxt] = (node, via)
                heapq.heappush(heap, (dist + cost, nxt))
    if goal not in back:  # impossible: every non-zero cell of a balanced table lies on a cycle
        raise RuntimeError("no complementary cells found")
    path, node = [], goal
    while node != start:
        node, via = back[node]
        if not suppressed[via]:
            path.append(via)
    return path


def _exactly_determined(layout: _Layout, suppressed: np.ndarray) -> np.ndarray:
    """Suppressed cells fixed by the published lines (null-space test; all suppressed counts > 0)."""
    cells = np.flatnonzero(suppressed)
    if cells.size == 0 or not layout.lines:
        return np.array([], dtype=int)
    position = {c: k for k, c in enumerate(cells)}
    rows = []
    for line in layout.lines:
        coeffs = np.zeros(cells.size)
        for c in line[:-1]:
            if c in position:
                coeffs[position[c]] = 1.0
        if line[-1] in position:
            coeffs[position[line[-1]]] = -1.0
        if coeffs.any():
            rows.append(coeffs)
    if not rows:
        return np.array([], dtype=int)
    free = null_space(np.array(rows))
    if free.size == 0:
        return cells
    return cells[np.abs(free).max(axis=1) < 1e-9]


def _suppress(layout: _Layout, primary: np.ndarray) -> np.ndarray:
    """All suppressions (primary included) so that no suppressed cell can be worked out exactly."""
    suppressed = primary.copy()
    if not layout.lines:
        return suppressed
    _complete_lines(layout, suppressed)
    if layout.shape is not None:
        while bridges := _bridges(layout.shape, suppressed):
            suppressed[_close_cycle(layout, suppressed, bridges[0])] = True
            _complete_lines(layout, suppressed)
    if _exactly_determined(layout, suppressed).size:  # a bug, never the user's fault
        raise RuntimeError("disclosure control left a suppressed cell recoverable")
    return suppressed


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
        note += "; further cells are suppressed so that they cannot be worked out from totals"
    return note + "."


def _published(values: pd.DataFrame | pd.Series, suppressed: pd.DataFrame | pd.Series, marker: str):
    """Object-dtype copy of ``values`` (plain ints) with ``marker`` where ``suppressed``."""
    numbers = values.to_numpy()
    shown = np.empty(numbers.shape, dtype=object)
    for position, number in np.ndenumerate(numbers):
        shown[position] = int(number)
    shown[suppressed.to_numpy()] = marker
    if isinstance(values, pd.DataFrame):
        return pd.DataFrame(shown, index=values.index, columns=values.columns, dtype=object)
    return pd.Series(shown, index=values.index, name=values.name, dtype=object)


# --- Public API --------------------------------------------------------------------------------------

def protect(
    table: pd.DataFrame,
    sensitive=None,
    rule: DisclosureRule | None = None,
    totals: bool = True,
    *,
    what: str | None = None,
    total_label: str = TOTAL,
) -> Protected:
    """Suppress small sensitive counts in a two-way table of counts, and whatever would reveal them.

    ``table`` holds whole-number counts (e.g. wards x months, or case type x ward). A row and/or
    column labelled ``total_label`` is taken as totals (checked, then rebuilt). ``sensitive`` says
    which cells are sensitive: None (rows or columns whose label names one of ``rule.sensitive``),
    True (every cell, e.g. a wards x months table of one sensitive type), a list of row or column
    labels, a boolean Series over the rows, or a boolean DataFrame / array over the cells.

    ``totals=True`` means the row, column and grand totals are published with the table (they are
    added to the result), so complementary suppression is applied; a total of sensitive cases only
    (e.g. a district's domestic abuse referrals) is itself suppressed when small. With
    ``totals=False`` only the cells are published and only the small counts are suppressed.
    ``what`` names the sensitive cases in the footnote (default: the rule's case types).
    """
    rule = rule or DisclosureRule()
    if not isinstance(table, pd.DataFrame):
        raise TypeError("protect needs a DataFrame; use protect_series for a single column")
    inner = _strip_totals(table, total_label)
    if total_label in inner.index or total_label in inner.columns:
        raise ValueError(f"more than one row or column is labelled '{total_label}'")
    values = _as_counts(inner, "the table")
    sens = _sensitive_cells(inner, sensitive, rule)
    layout = _grid_layout(values, totals)
    n_rows, n_cols = values.shape
    if totals:
        full_sens = np.zeros(layout.shape, dtype=bool)
        full_sens[:n_rows, :n_cols] = sens
        full_sens[:n_rows, n_cols] = sens.all(axis=1) if n_cols else False
        full_sens[n_rows, :n_cols] = sens.all(axis=0) if n_rows else False
        full_sens[n_rows, n_cols] = bool(sens.all()) if sens.size else False
        index = inner.index.append(pd.Index([total_label]))
        columns = inner.columns.append(pd.Index([total_label]))
    else:
        full_sens, index, columns = sens, inner.index, inner.columns
    full_sens = full_sens.ravel()
    primary = full_sens & (layout.values >= rule.min_count) & (layout.values <= rule.max_count)
    suppressed = _suppress(layout, primary)

    def frame(array: np.ndarray) -> pd.DataFrame:
        result = pd.DataFrame(array.reshape(len(index), len(columns)), index=index, columns=columns)
        result.index.name, result.columns.name = inner.index.name, inner.columns.name
        return result

    original = frame(layout.values)
    primary_df, secondary_df = frame(primary), frame(suppressed & ~primary)
    return Protected(
        table=_published(original, primary_df | secondary_df, rule.marker),
        primary=primary_df,
        secondary=secondary_df,
        note=_note(rule, what, bool(primary.any()), bool((suppressed & ~primary).any())),
        rule=rule,
        totals=totals,
        original=original,
    )


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
    label is checked and rebuilt) and a lone suppressed count gets a partner (the smallest non-zero
    count, else the total) so that it cannot be worked out by subtraction.
    """
    rule = rule or DisclosureRule()
    series = counts
    if total_label in series.index:
        series = series.drop(index=total_label)
        given = _as_counts(counts.loc[[total_label]], f"the '{total_label}' entry")[0]
        if given != _as_counts(series, "the counts").sum():
            raise ValueError(f"the '{total_label}' entry is not the sum of the other entries")
    values = _as_counts(series, "the counts")
    if isinstance(sensitive, (bool, np.bool_)):
        sens = np.full(values.size, bool(sensitive))
    elif isinstance(sensitive, pd.Series) and (sensitive.dtype == bool or str(sensitive.dtype) == "boolean"):
        aligned = sensitive.reindex(series.index)
        if aligned.isna().any():
            raise ValueError("the sensitive mask does not cover every entry")
        sens = aligned.astype(bool).to_numpy()
    else:
        labels = list(sensitive)
        unknown = [label for label in labels if label not in series.index]
        if unknown:
            raise ValueError(f"sensitive label(s) not in the counts: {', '.join(map(repr, unknown))}")
        sens = series.index.isin(labels)
    layout = _vector_layout(values, total)
    index = series.index.append(pd.Index([total_label])) if total else series.index
    if total:
        sens = np.append(sens, bool(sens.all()) if sens.size else False)
    primary = sens & (layout.values >= rule.min_count) & (layout.values <= rule.max_count)
    suppressed = _suppress(layout, primary)
    original = pd.Series(layout.values, index=index, name=counts.name)
    primary_s = pd.Series(primary, index=index, name=counts.name)
    secondary_s = pd.Series(suppressed & ~primary, index=index, name=counts.name)
    return Protected(
        table=_published(original, primary_s | secondary_s, rule.marker),
        primary=primary_s,
        secondary=secondary_s,
        note=_note(rule, what, bool(primary.any()), bool(secondary_s.any())),
        rule=rule,
        totals=total,
        original=original,
    )


def audit(
    published_mask: pd.DataFrame | pd.Series,
    original: pd.DataFrame | pd.Series,
    totals: bool = True,
    rule: DisclosureRule | None = None,
    *,
    total_label: str = TOTAL,
) -> pd.DataFrame:
    """What a reader can work out about each suppressed cell, by linear programming.

    ``published_mask`` is True where a cell is suppressed; ``original`` holds the true counts. Either
    may be the inner table or carry the totals row/column (``total_label``); with an inner mask the
    totals are taken as published in full. With ``totals=True`` the reader knows every unsuppressed
    cell and total (grand total included) and that counts are non-negative; for every suppressed cell
    ``scipy.optimize.linprog`` minimises and maximises its value under those constraints.

    One row per suppressed cell: ``row, column, value, lower, upper, width, exactly_recoverable``
    (lower == upper: the count can be worked out) and ``within_range`` (the interval lies inside
    ``[rule.min_count, rule.max_count]``: the reader learns the count is small but non-zero, though
    not which value). ``upper`` is ``inf`` when nothing bounds the cell.
    """
    rule = rule or DisclosureRule()
    if isinstance(original, pd.Series):
        counts = original.drop(index=total_label) if total_label in original.index else original
        values = _as_counts(counts, "the original counts")
        layout = _vector_layout(values, totals)
        index = counts.index.append(pd.Index([total_label])) if totals else counts.index
        mask = published_mask.reindex(index, fill_value=False).astype(bool).to_numpy()
        labels = [(label, counts.name) for label in index]
    else:
        inner = _strip_totals(original, total_label)
        values = _as_counts(inner, "the original counts")
        layout = _grid_layout(values, totals)
        if totals:
            index = inner.index.append(pd.Index([total_label]))
            columns = inner.columns.append(pd.Index([total_label]))
        else:
            index, columns = inner.index, inner.columns
        mask = (published_mask.reindex(index=index, columns=columns, fill_value=False)
                .astype(bool).to_numpy().ravel())
        labels = [(r, c) for r in index for c in columns]
    if np.asarray(published_mask).sum() != mask.sum():
        raise ValueError("the suppression mask has cells outside the table")
    return _lp_audit(layout, mask, labels, rule)


def _lp_audit(layout: _Layout, mask: np.ndarray, labels: list[tuple], rule: DisclosureRule) -> pd.DataFrame:
    cells = np.flatnonzero(mask)
    position = {c: k for k, c in enumerate(cells)}
    a_eq, b_eq = [], []
    for line in layout.lines:
        coeffs, rhs = np.zeros(cells.size), 0.0
        for k, c in enumerate(line):
            sign = -1.0 if k == len(line) - 1 else 1.0
            if c in position:
                coeffs[position[c]] = sign
            else:
                rhs -= sign * layout.values[c]
        if coeffs.any():
            a_eq.append(coeffs)
            b_eq.append(rhs)
    rows = []
    for k, cell in enumerate(cells):
        bounds = []
        for direction in (1.0, -1.0):
            objective = np.zeros(cells.size)
            objective[k] = direction
            result = linprog(objective, A_eq=np.array(a_eq) if a_eq else None, b_eq=b_eq or None,
                             bounds=[(0, None)] * cells.size, method="highs-ds")
            if result.status == 3:  # unbounded: only possible when maximising
                bounds.append(np.inf)
            elif result.status != 0:
                raise RuntimeError(f"linear programme failed for cell {labels[cell]}: {result.message}")
            else:
                bounds.append(direction * result.fun)
        lower, upper = bounds[0], bounds[1]
        lower = max(0.0, round(lower, 6))
        upper = upper if np.isinf(upper) else round(upper, 6)
        rows.append({
            "row": labels[cell][0],
            "column": labels[cell][1],
            "value": int(layout.values[cell]),
            "lower": lower,
            "upper": upper,
            "width": upper - lower,
            "exactly_recoverable": bool(upper - lower < 1e-6),
            "within_range": bool(lower >= rule.min_count and upper <= rule.max_count),
        })
    columns = ["row", "column", "value", "lower", "upper", "width", "exactly_recoverable", "within_range"]
    return pd.DataFrame(rows, columns=columns)
