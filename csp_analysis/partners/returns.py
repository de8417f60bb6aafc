"""Partner returns: figures that arrive only as totals, their comparison tables and published checks.

Many lines of an assessment are not in any open record-level data: police lines such as "Domestic
Abuse Related" or "Burglary residential dwelling" (police.uk does not carry them), fire service
headline counts, council casework totals. Partners send them as aggregated figures, one count per
line and period, in this CSV format (UTF-8, one header row):

| column | required | meaning |
|---|---|---|
| section | yes | ``crime_performance``, ``fire`` or ``casework`` (the assessment section it feeds) |
| source | yes | who supplied the figure, e.g. "Hertfordshire Constabulary" |
| category | yes | the line as it is published, e.g. "Robbery", "Deliberate Fires" |
| area | yes | the area the figure covers, e.g. "St Albans", "Hertfordshire" |
| period_start | yes | first day covered, ISO date ``YYYY-MM-DD`` (any day, not only month starts) |
| period_end | yes | last day covered, ISO date, inclusive; not before ``period_start`` |
| count | yes | a whole number of 0 or more, or EMPTY for "not available" (which is not 0) |
| note | no | free text (caveats, where the figure was printed) |

One row per (section, area, category, period): a second row for the same line and period is an
error. A line is compared by pairing its two periods: the later one is "current", the earlier one
"previous". Periods may differ in length (the rates are compared per day, so the test is fair), but
they must not overlap, and a line may not have more than two periods. Errors name the file, the row
(as a spreadsheet shows it: the header is row 1) and the column.

``data/returns/st-albans-2017-18.csv`` holds the figures published in the St Albans CSP strategy
2018/19 (Fig 1, Fig 2, Fig 3); ``data/returns/st-albans-2017-18-published-changes.csv`` holds the %
and numerical changes exactly as printed there, for :func:`published_differences`, whose format is

| column | required | meaning |
|---|---|---|
| section | no | as above; when given, only lines of the table's section are checked |
| area, category | yes | the line, as in the returns |
| pct_change_published | yes | as printed: "+23.9%", "-27%", "Equal", or empty when none was printed |
| change_published | yes | as printed: "+1423", "-8", "Equal", or empty |
| note | no | free text |
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from csp_analysis import formatting as fmt
from csp_analysis.errors import InputDataError
from csp_analysis.methods.change import (
    RATE_RATIO_LABEL,
    TEST_COLUMNS,
    ChangeTest,
    adjust_by_family,
    exact_change_test,
)
from csp_analysis.paths import PROJECT_ROOT
from csp_analysis.periods import (
    ENGLAND_LOCKDOWN_MONTHS,
    abnormal_in,
    different_seasons,
    months_spanned,
)

__all__ = [
    "COLUMNS",
    "RETURNS_DIR",
    "SECTIONS",
    "ST_ALBANS_PUBLISHED_CHANGES",
    "ST_ALBANS_RETURNS",
    "as_matrix",
    "for_display",
    "load_published_changes",
    "load_returns",
    "published_differences",
    "returns_table",
]

SECTIONS = ("crime_performance", "fire", "casework")
REQUIRED = ("section", "source", "category", "area", "period_start", "period_end", "count")
COLUMNS = (*REQUIRED, "note")
KEY = ("section", "area", "category", "period_start", "period_end")
TABLE_COLUMNS = ("area", "category", "previous", "current", "change", "pct_change", *TEST_COLUMNS, "p_adjusted",
                 "family", "significant", "small_count", "different_seasons", "abnormal_months", "previous_period",
                 "current_period", "source")

RETURNS_DIR = PROJECT_ROOT / "data" / "returns"
#: The figures published in the St Albans CSP strategy 2018/19 (Figs 1 to 3).
ST_ALBANS_RETURNS = RETURNS_DIR / "st-albans-2017-18.csv"
#: The % and numerical changes as printed beside them.
ST_ALBANS_PUBLISHED_CHANGES = RETURNS_DIR / "st-albans-2017-18-published-changes.csv"

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_NOT_A_COUNT = "is not a whole number of 0 or more (leave the cell empty when the figure is not available)"
_NOT_A_DATE = "is not a date written YYYY-MM-DD"


def _real_date(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce").notna()


def _text(error: str = "is empty") -> pa.Column:
    return pa.Column(str, pa.Check(lambda s: s.str.len() > 0, element_wise=False, error=error))


def _date() -> pa.Column:
    return pa.Column(str, [pa.Check.str_matches(_ISO_DATE, error=_NOT_A_DATE),
                           pa.Check(_real_date, error=_NOT_A_DATE)])


#: The file as text: every cell checked before any conversion, so errors show what was typed.
RAW_SCHEMA = pa.DataFrameSchema(
    {
        "section": pa.Column(str, pa.Check.isin(SECTIONS, error=f"is not one of {', '.join(SECTIONS)}")),
        "source": _text(),
        "category": _text(),
        "area": _text(),
        "period_start": _date(),
        "period_end": _date(),
        "count": pa.Column(str, pa.Check.str_matches(r"^\d*$", error=_NOT_A_COUNT)),
        "note": pa.Column(str, required=False),
    },
    strict=True,
    index=pa.Index(int, name="source_row"),
)

#: The typed lines: relations between cells of a row and between rows.
SCHEMA = pa.DataFrameSchema(
    {
        "section": pa.Column(str, pa.Check.isin(SECTIONS)),
        "source": pa.Column(str),
        "category": pa.Column(str),
        "area": pa.Column(str),
        "period_start": pa.Column("datetime64[ns]"),
        "period_end": pa.Column("datetime64[ns]"),
        "count": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "note": pa.Column(str),
    },
    checks=[
        pa.Check(lambda d: d["period_end"] >= d["period_start"], name="period_order",
                 error="the period ends before it starts"),
        pa.Check(lambda d: ~d.duplicated(list(KEY), keep=False), name="one_line_per_period",
                 error="repeats a line: same section, area, category and period as another row"),
    ],
    index=pa.Index(int, name="source_row", unique=True),
)
_WIDE_CHECK_COLUMN = {"period_order": "period_end",
                      "one_line_per_period": "section, area, category, period_start, period_end"}


def _raise_failures(exc: pa.errors.SchemaErrors, frame: pd.DataFrame, path: Path) -> None:
    """One InputDataError for every failure: the first (by row) in the fields, all in the text."""
    wide = {check.error: check.name for check in SCHEMA.checks}
    problems: dict[tuple, None] = {}
    seen_duplicates: set[tuple] = set()
    for case in exc.failure_cases.itertuples():
        row = int(case.index) if pd.notna(case.index) else None
        if case.check in wide:  # a check across columns: name the column at fault, show the values
            column = _WIDE_CHECK_COLUMN[wide[case.check]]
            line = frame.loc[row]
            if wide[case.check] == "period_order":
                problem = (f"the period ends before it starts (period_end {line.period_end:%Y-%m-%d} is "
                           f"before period_start {line.period_start:%Y-%m-%d})")
            else:
                same = frame[frame[list(KEY)].eq(line[list(KEY)]).all(axis=1)].index
                if tuple(same) in seen_duplicates:
                    continue
                seen_duplicates.add(tuple(same))
                row = int(same[0])
                problem = (f"rows {', '.join(map(str, same))} repeat one line (same section, area, category "
                           f"and period: '{line.category}' for '{line.area}', "
                           f"{line.period_start:%Y-%m-%d}..{line.period_end:%Y-%m-%d}); give each period once")
        elif case.check == "column_in_dataframe":
            column, problem = case.failure_case, "is missing"
        elif case.check == "column_in_schema":
            column, problem = case.failure_case, f"is not a column of this format (expected {', '.join(COLUMNS)})"
        else:
            column = case.column
            value = case.failure_case
            problem = (str(case.check) if row is None or value == ""
                       else f"value {value!r} {case.check}")
        problems[(row if row is not None else 0, str(column), problem)] = None
    ordered = sorted(problems)
    row, column, first = ordered[0]
    text = first
    if len(ordered) > 1:
        others = "; ".join(f"row {r}, column '{c}': {p}" for r, c, p in ordered[1:6])
        more = f" (and {len(ordered) - 6} more)" if len(ordered) > 6 else ""
        text = f"{first}. Also: {others}{more}"
    raise InputDataError(path, text, row=row or None, column=column)


def load_returns(path: str | Path) -> pd.DataFrame:
    """Read and validate a returns CSV (format in the module docstring).

    Returns one row per line with columns ``section, source, category, area, period_start,
    period_end, count, note``: dates as datetimes, ``count`` as nullable ``Int64`` (``<NA>`` = not
    available), indexed by ``source_row`` (the spreadsheet row, header = 1). ``attrs["path"]`` keeps
    the file for later error messages.
    """
    path = Path(path)
    if not path.is_file():
        raise InputDataError(path, "the returns file does not exist")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputDataError(path, f"cannot be read as a CSV file ({exc})") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    for column in REQUIRED:
        if column not in raw.columns:
            raise InputDataError(path, f"is missing the required column '{column}' "
                                       f"(a returns file has {', '.join(COLUMNS)})", row=1, column=column)
    unknown = [c for c in raw.columns if c not in COLUMNS]
    if unknown:
        raise InputDataError(path, f"has a column this format does not know (expected {', '.join(COLUMNS)})",
                             row=1, column=unknown[0])
    if raw.empty:
        raise InputDataError(path, "has a header but no lines", row=2)
    raw = raw.apply(lambda s: s.str.strip())
    raw.index = pd.Index(range(2, len(raw) + 2), name="source_row")
    try:
        RAW_SCHEMA.validate(raw, lazy=True)
    except pa.errors.SchemaErrors as exc:
        _raise_failures(exc, raw, path)
    lines = pd.DataFrame({
        "section": raw["section"],
        "source": raw["source"],
        "category": raw["category"],
        "area": raw["area"],
        "period_start": pd.to_datetime(raw["period_start"], format="%Y-%m-%d").astype("datetime64[ns]"),
        "period_end": pd.to_datetime(raw["period_end"], format="%Y-%m-%d").astype("datetime64[ns]"),
        "count": pd.to_numeric(raw["count"].replace("", None)).astype("Int64"),
        "note": raw["note"] if "note" in raw.columns else "",
    }, index=raw.index)
    lines["note"] = lines["note"].astype(str)
    try:
        lines = SCHEMA.validate(lines, lazy=True)
    except pa.errors.SchemaErrors as exc:
        _raise_failures(exc, lines, path)
    lines.attrs["path"] = str(path)
    return lines


# --- The comparison table ---------------------------------------------------------------------------

def _span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    return f"{start:%Y-%m-%d}..{end:%Y-%m-%d}"


def _days(start: pd.Timestamp, end: pd.Timestamp) -> int:
    return int((end - start).days) + 1


def _pair(group: pd.DataFrame, path: str) -> tuple[pd.Series | None, pd.Series]:
    """The (previous, current) lines of one area and category, or an error naming the rows."""
    group = group.sort_values(["period_start", "period_end"])
    area, category = group["area"].iloc[0], group["category"].iloc[0]
    rows = ", ".join(str(r) for r in group.index)
    what = f"'{category}' for '{area}' (rows {rows})"
    if group[["period_start", "period_end"]].duplicated().any():
        raise InputDataError(path, f"{what} gives the same period twice; a line needs one row per period",
                             row=int(group.index[0]), column="period_start")
    if len(group) > 2:
        raise InputDataError(path, f"{what} has {len(group)} periods; a line compares exactly two",
                             row=int(group.index[0]), column="period_start")
    if len(group) == 1:
        return None, group.iloc[0]
    previous, current = group.iloc[0], group.iloc[1]
    if current["period_start"] <= previous["period_end"]:
        raise InputDataError(path, f"{what} has overlapping periods "
                                   f"({_span(previous.period_start, previous.period_end)} and "
                                   f"{_span(current.period_start, current.period_end)})",
                             row=int(current.name), column="period_start")
    return previous, current


def _is_total(category: str) -> bool:
    """A returns line that sums others of its section: its name starts with "All" ("All Crime")."""
    return category.strip().lower().startswith("all ")


def returns_table(returns: pd.DataFrame, section: str, *, alpha: float = 0.05, small_count: int = 10,
                  abnormal_months=ENGLAND_LOCKDOWN_MONTHS) -> pd.DataFrame:
    """Previous and current figure of every line of one section, with change and a fair test.

    One row per (area, category), in the order lines first appear in the file. ``previous`` and
    ``current`` are the counts of the earlier and later period (``<NA>`` where not available);
    ``change`` and ``pct_change`` are missing when a figure is not available, and ``pct_change`` also
    when the previous figure is 0 (shown "n/a", never an infinite %). Returns are totals, so the test
    is the exact conditional Poisson test with each period's length in days as exposure
    (:func:`csp_analysis.methods.change.exact_change_test`, ``test`` "exact Poisson (totals only)":
    over-dispersion cannot be checked). Families: the lines of each area ("partner returns, <area>"),
    Benjamini-Hochberg within each; a total (a line named "All ...") on its own. ``significant`` is
    ``p_adjusted < alpha``; ``small_count`` flags a known figure below ``small_count``;
    ``different_seasons`` marks periods covering different months of the year; ``abnormal_months``
    lists the months of either period in ``abnormal_months``. ``previous_period`` and
    ``current_period`` read ``YYYY-MM-DD..YYYY-MM-DD``. ``attrs`` keep the section and the file.
    """
    if section not in SECTIONS:
        raise ValueError(f"section must be one of {', '.join(SECTIONS)}, not {section!r}")
    path = returns.attrs.get("path", "<returns table>")
    lines = returns[returns["section"] == section]
    if lines.empty:
        raise InputDataError(path, f"has no lines for the section '{section}'", column="section")
    untested = ChangeTest(np.nan, np.nan, np.nan, "", np.nan, np.nan)
    records = []
    for (area, category), group in lines.groupby(["area", "category"], sort=False):
        previous, current = _pair(group, path)
        sources = list(dict.fromkeys(line["source"] for line in (previous, current) if line is not None))
        months = months_spanned(current.period_start, current.period_end)
        earlier = [] if previous is None else months_spanned(previous.period_start, previous.period_end)
        known = previous is not None and pd.notna(previous["count"]) and pd.notna(current["count"])
        test = (exact_change_test(int(previous["count"]), int(current["count"]),
                                  _days(previous.period_start, previous.period_end),
                                  _days(current.period_start, current.period_end)) if known else untested)
        records.append({
            "area": area,
            "category": category,
            "previous": pd.NA if previous is None else previous["count"],
            "current": current["count"],
            **test._asdict(),
            "family": f"{category} (total)" if _is_total(category) else f"partner returns, {area}",
            "different_seasons": previous is not None and different_seasons(earlier, months),
            "abnormal_months": " ".join(abnormal_in(earlier + months, abnormal_months)),
            "previous_period": "" if previous is None else _span(previous.period_start, previous.period_end),
            "current_period": _span(current.period_start, current.period_end),
            "source": " / ".join(sources),
        })
    table = pd.DataFrame(records)
    table["previous"] = table["previous"].astype("Int64")
    table["current"] = table["current"].astype("Int64")
    table["change"] = table["current"] - table["previous"]
    previous = table["previous"].astype("float64")
    table["pct_change"] = (100.0 * table["change"].astype("float64") / previous.where(previous > 0)).astype("float64")
    table["p_adjusted"] = adjust_by_family(table["p_value"], table["family"])
    table["significant"] = (table["p_adjusted"] < alpha).astype(bool)
    table["small_count"] = (table[["previous", "current"]].min(axis=1, skipna=True) < small_count).fillna(False)
    table["small_count"] = table["small_count"].astype(bool)
    table = table[list(TABLE_COLUMNS)].reset_index(drop=True)
    table.attrs.update({"section": section, "path": str(path)})
    return table


# --- Display -------------------------------------------------------------------------------------------

def _pct_text(value: float, change, decimals: int) -> str:
    if pd.notna(change) and change == 0:
        return "Equal"
    if value is None or pd.isna(value):
        return "n/a"
    shown = decimals
    while round(value, shown) == 0 and shown < decimals + 3:  # a real change never reads "+0%"
        shown += 1
    return f"{value:+.{shown}f}%"


def _count_text(value) -> str:
    return "n/a" if pd.isna(value) else fmt.count(value)


def _change_text(value) -> str:
    if pd.isna(value):
        return "n/a"
    return "Equal" if value == 0 else fmt.signed_count(value)


def _summary(row: pd.Series, decimals: int) -> str:
    """The Fig 2 cell: '+38% (87 to 120)', 'Equal 2', 'n/a (381; no previous figure)'."""
    if pd.isna(row["current"]):
        return "n/a (no current figure)"
    if pd.isna(row["previous"]):
        return f"n/a ({fmt.count(row['current'])}; no previous figure)"
    if row["change"] == 0:
        return f"Equal {fmt.count(row['current'])}"
    pct = _pct_text(row["pct_change"], row["change"], decimals)
    if pct == "n/a":
        pct = _change_text(row["change"])
    return f"{pct} ({fmt.count(row['previous'])} to {fmt.count(row['current'])})"


def _assessment(row: pd.Series) -> str:
    if pd.isna(row["previous"]) or pd.isna(row["current"]):
        return "No comparison (figure not available)"
    return fmt.significance(row)


def _period_label(span: str) -> str:
    """'2016-04-01..2017-01-03' -> '1 Apr 2016 to 3 Jan 2017'."""
    if not span:
        return "n/a"
    start, end = (pd.Timestamp(part) for part in span.split(".."))
    return f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"


def for_display(table: pd.DataFrame, *, decimals: int = 1) -> pd.DataFrame:
    """The returns table as a reviewer reads it: text cells, "Equal", "n/a", "+38%"-style changes.

    ``decimals`` sets the % precision (1 as in Fig 1, 0 as in Figs 2 and 3). When every line shares
    its periods they head the count columns; otherwise the periods get their own columns.
    """
    previous_labels = table["previous_period"].unique()
    current_labels = table["current_period"].unique()
    shared = len(previous_labels) == 1 and len(current_labels) == 1
    previous_head = _period_label(previous_labels[0]) if shared else "Previous"
    current_head = _period_label(current_labels[0]) if shared else "Current"
    if previous_head == current_head:
        previous_head, current_head = "Previous", "Current"
    shown = pd.DataFrame({"Area": table["area"], "Category": table["category"]})
    if not shared:
        shown["Previous period"] = table["previous_period"].map(_period_label)
    shown[previous_head] = table["previous"].map(_count_text)
    if not shared:
        shown["Current period"] = table["current_period"].map(_period_label)
    shown[current_head] = table["current"].map(_count_text)
    shown["% change"] = [_pct_text(v, c, decimals) for v, c in zip(table["pct_change"], table["change"])]
    shown["Change"] = table["change"].map(_change_text)
    shown["Summary"] = table.apply(_summary, axis=1, decimals=decimals)
    shown[RATE_RATIO_LABEL] = [fmt.rate_ratio(row) if row["test"] else "" for _, row in table.iterrows()]
    shown["Test"] = table.apply(fmt.which_test, axis=1)
    shown["Adjusted p"] = table["p_adjusted"].map(fmt.p_value)
    shown["Assessment"] = table.apply(_assessment, axis=1)
    shown["Source"] = table["source"]
    return shown


def as_matrix(table: pd.DataFrame, *, decimals: int = 0) -> pd.DataFrame:
    """Fig 2 layout: areas down, categories across, cells like '+38% (87 to 120)' or 'Equal 2'."""
    cells = table.assign(summary=table.apply(_summary, axis=1, decimals=decimals))
    matrix = cells.pivot(index="area", columns="category", values="summary")
    matrix = matrix.reindex(index=list(dict.fromkeys(table["area"])),
                            columns=list(dict.fromkeys(table["category"])))
    matrix.index.name, matrix.columns.name = None, None
    return matrix.fillna("")


# --- Published figures against their own arithmetic ------------------------------------------------------

PUBLISHED_SCHEMA = pa.DataFrameSchema(
    {
        "section": pa.Column(str, pa.Check.isin(SECTIONS, error=f"is not one of {', '.join(SECTIONS)}"),
                             required=False),
        "area": _text(),
        "category": _text(),
        "pct_change_published": pa.Column(str, pa.Check.str_matches(
            r"^(|Equal|[+-]?\d[\d,]*(\.\d+)?%)$", error="is not a printed % change such as '+23.9%' or 'Equal'")),
        "change_published": pa.Column(str, pa.Check.str_matches(
            r"^(|Equal|[+-]?\d[\d,]*)$", error="is not a printed change such as '+1423' or 'Equal'")),
        "note": pa.Column(str, required=False),
    },
    strict=True,
    index=pa.Index(int, name="source_row"),
)


def load_published_changes(path: str | Path) -> pd.DataFrame:
    """Read the published % and numerical changes (text exactly as printed), validated."""
    path = Path(path)
    if not path.is_file():
        raise InputDataError(path, "the published changes file does not exist")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputDataError(path, f"cannot be read as a CSV file ({exc})") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    raw = raw.apply(lambda s: s.str.strip())
    raw.index = pd.Index(range(2, len(raw) + 2), name="source_row")
    try:
        PUBLISHED_SCHEMA.validate(raw, lazy=True)
    except pa.errors.SchemaErrors as exc:
        _raise_failures(exc, raw, path)
    return raw


def _parse_printed(text) -> tuple[float, int] | None:
    """'+23.9%' -> (23.9, 1); '+1423' -> (1423.0, 0); 'Equal' -> (0.0, 0); '' -> None."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    if isinstance(text, (int, float, np.integer, np.floating)):
        return float(text), 0 if float(text).is_integer() else len(repr(float(text)).split(".")[1])
    text = str(text).strip().replace(",", "").rstrip("%").strip()
    if not text:
        return None
    if text.lower() == "equal":
        return 0.0, 0
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), decimals


def _signed(value: float, decimals: int, percent: bool) -> str:
    return f"{value:+,.{decimals}f}" + ("%" if percent else "")


def published_differences(table: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Lines where a published % or numerical change disagrees with the published counts.

    ``table`` is a :func:`returns_table`; ``published`` has ``area, category, pct_change_published,
    change_published`` (text as printed, or numbers; empty = nothing printed) and optionally
    ``section`` (then only the table's section is checked). A % change disagrees when it differs from
    ``100 * (current - previous) / previous`` by more than half a unit of its last printed digit (so
    "+11%" for +10.95% is fine, "-27%" for -27.6% is not); a numerical change must be exact.

    One row per disagreement: ``area, category, figure, published, computed, previous, current,
    reason`` (a sentence in plain English).
    """
    section = table.attrs.get("section")
    if "section" in published.columns and section is not None:
        published = published[published["section"] == section]
    counts = table.set_index(["area", "category"])
    findings = []

    def add(area, category, figure, shown, computed, line, reason):
        findings.append({"area": area, "category": category, "figure": figure, "published": shown,
                         "computed": computed,
                         "previous": line["previous"] if line is not None else pd.NA,
                         "current": line["current"] if line is not None else pd.NA, "reason": reason})

    for entry in published.itertuples(index=False):
        area, category = entry.area, entry.category
        printed = {"% change": entry.pct_change_published, "numerical change": entry.change_published}
        parsed = {figure: _parse_printed(text) for figure, text in printed.items()}
        if (area, category) not in counts.index:
            if any(value is not None for value in parsed.values()):
                add(area, category, "line", "", "", None,
                    f"A change is published for '{category}' in {area}, but the returns have no such line.")
            continue
        line = counts.loc[(area, category)]
        previous, current = line["previous"], line["current"]
        for figure, value in parsed.items():
            if value is None:
                continue
            shown = str(printed[figure]).strip()
            number, decimals = value
            if pd.isna(previous) or pd.isna(current):
                missing = "previous" if pd.isna(previous) else "current"
                add(area, category, figure, shown, "n/a", line,
                    f"The published {figure} ({shown}) cannot be right: the {missing} figure is not available.")
                continue
            change = int(current) - int(previous)
            if figure == "numerical change":
                if number != change:
                    reason = (f"The published numerical change ({shown}) does not match the published counts: "
                              f"{fmt.count(previous)} to {fmt.count(current)} is {_change_text(change)}.")
                    if previous > 0 and round(100 * change / previous) == number:
                        reason += (f" {shown} is the % change ({100 * change / previous:+.1f}%) rounded, "
                                   "so the % sign may be missing.")
                    add(area, category, figure, shown, _change_text(change), line, reason)
                continue
            if previous == 0:
                add(area, category, figure, shown, "n/a", line,
                    f"The published % change ({shown}) cannot be right: the previous figure is 0, "
                    "so no % change can be given.")
                continue
            exact = 100.0 * change / previous
            if abs(number - exact) > 0.5 * 10 ** -decimals + 1e-9:
                computed = _signed(exact, max(1, decimals), True)
                reason = (f"The published % change ({shown}) does not match the published counts: "
                          f"{fmt.count(previous)} to {fmt.count(current)} is a change of "
                          f"{_change_text(change)}, {computed}")
                truncated = math.trunc(exact * 10 ** decimals) / 10 ** decimals
                if abs(number - truncated) < 1e-9:
                    reason += (f", which rounds to {_signed(round(exact, decimals), decimals, True)}; "
                               f"{shown} looks truncated rather than rounded.")
                else:
                    reason += "."
                add(area, category, figure, shown, computed, line, reason)
    columns = ["area", "category", "figure", "published", "computed", "previous", "current", "reason"]
    result = pd.DataFrame(findings, columns=columns)
    result["previous"] = result["previous"].astype("Int64")
    result["current"] = result["current"].astype("Int64")
    return result
