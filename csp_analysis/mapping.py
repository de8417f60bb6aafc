"""Column and value mappings that turn a partner's export into canonical columns.

Every non-police source (fire, collisions, council casework) is described by one mapping block
in the YAML config::

    fire:
      path: fire/avon-fire-rescue-incidents-2014-07.csv   # relative to the data directory
      encoding: cp1252            # optional, default utf-8 (a byte-order mark is ignored)
      columns:                    # canonical name -> the export's column name (or 1-based number)
        incident_id: Incident Number
      values:                     # canonical column -> {export value: canonical value}
        is_primary_fire: {"yes": true, "no": false}     # quote yes/no: YAML reads them as booleans
      other:                      # optional: what values missing from a value map become
        police_force: keep        #   kept as they are, or {value: X} to set them all to X
      missing: ["-1", "Data missing"]   # optional: export values meaning "not recorded"
      date: {columns: [Day, Month, Year], format: "%d %B %Y"}       # columns joined by spaces
      time: {columns: Time, format: "%H%M", zero_pad: 4}              # optional; "725" -> 07:25

Rows are numbered as in a spreadsheet (the header is row 1); mapped frames keep that number as
their index, ``source_row``, so every error and exclusion points at a row of the file. Blank
cells and ``missing`` values are missing; value maps leave them missing. Columns are taken by
position, so blank or repeated header names do no harm unless a mapping names one (then give
the column number instead).

The last block holds what the partner sources share once mapped: selecting a ``periods.Period``,
checking the data cover it, monthly totals, and the change table with its display columns.
"""

from __future__ import annotations

import codecs
import difflib
import logging
from pathlib import Path
from typing import Literal, NamedTuple

import pandas as pd
import pandera.pandas as pa
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from csp_analysis import formatting as fmt
from csp_analysis.errors import ConfigError, InputDataError
from csp_analysis.periods import Period
from csp_analysis.stats import compare_counts

logger = logging.getLogger(__name__)

Scalar = bool | int | float | str | None
#: Columns the mapping itself produces; a ``columns:`` entry may not use these names.
RESERVED = ("source_row", "date", "datetime")


# --- The mapping model -------------------------------------------------------------------------

class DateSpec(BaseModel):
    """Which columns hold a date (or a time), joined by spaces, and their strptime format."""

    model_config = ConfigDict(extra="forbid")
    columns: list[str | int]
    format: str
    zero_pad: int | None = None

    @field_validator("columns", mode="before")
    @classmethod
    def _single_column(cls, value):
        return [value] if isinstance(value, str | int) else value


class OtherValue(BaseModel):
    """Set every value missing from a value map to this one."""

    model_config = ConfigDict(extra="forbid")
    value: Scalar


class SourceMapping(BaseModel):
    """How one export's columns and values map to a source's canonical columns."""

    model_config = ConfigDict(extra="forbid")
    path: Path
    encoding: str = "utf-8"
    columns: dict[str, str | int]
    values: dict[str, dict[str, Scalar]] = {}
    other: dict[str, Literal["keep"] | OtherValue] = {}
    missing: list[str] = []
    date: DateSpec | None = None
    time: DateSpec | None = None

    @classmethod
    def parse(cls, block: object, name: str) -> SourceMapping:
        """Validate a config block, raising a ConfigError that names the block."""
        try:
            return cls.model_validate(block)
        except ValidationError as exc:
            raise ConfigError(f"config block '{name}': {exc}") from None

    @field_validator("values", mode="before")
    @classmethod
    def _text_keys(cls, values):
        if not isinstance(values, dict):
            return values
        checked = {}
        for column, value_map in values.items():
            if not isinstance(value_map, dict):
                return values  # let pydantic report the wrong type
            for key in value_map:
                if isinstance(key, bool) or not isinstance(key, str | int):
                    raise ValueError(
                        f"values.{column}: export value {key!r} is not text; quote it (YAML reads "
                        'unquoted yes/no/true/false/on/off as booleans), e.g. "yes": true'
                    )
            checked[column] = {str(key): value for key, value in value_map.items()}
        return checked

    @model_validator(mode="after")
    def _consistent(self) -> SourceMapping:
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ValueError(f"unknown encoding {self.encoding!r}") from None
        reserved = sorted(set(self.columns) & set(RESERVED))
        if reserved:
            raise ValueError(f"columns: {reserved} are produced by the mapping itself (use date:/time:)")
        for section, names in (("values", self.values), ("other", self.other)):
            unknown = sorted(set(names) - set(self.columns))
            if unknown:
                raise ValueError(f"{section}: {unknown} are not canonical columns named under columns:")
        for spec in (self.date, self.time):
            if spec is not None and spec.zero_pad is not None and spec.zero_pad < 1:
                raise ValueError("zero_pad must be a positive width")
        return self

    def source_column(self, canonical: str) -> str:
        """The export's name for a canonical column, for messages."""
        export = self.columns[canonical]
        return f"column {export}" if isinstance(export, int) else export

    def require(self, source: str, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        """Raise a ConfigError unless the mapping names every required column and only known ones."""
        missing = [name for name in required if name not in self.columns]
        unknown = sorted(set(self.columns) - set(required) - set(optional))
        problems = []
        if missing:
            problems.append(f"columns: must name {missing}")
        if unknown:
            problems.append(f"columns: {unknown} are not {source} columns (known: {sorted(required + optional)})")
        if self.date is None:
            problems.append("date: is required")
        if problems:
            raise ConfigError(f"config block '{source}': " + "; ".join(problems))


# --- Reading and applying ----------------------------------------------------------------------

class Loaded(NamedTuple):
    """A canonical table and the rows left out of it (index ``source_row``; reason, value)."""

    data: pd.DataFrame
    excluded: pd.DataFrame

    def exclude(self, mask: pd.Series, reason: str, values: pd.Series | None = None) -> Loaded:
        """Move the rows where ``mask`` is true to ``excluded`` with a reason."""
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return self
        shown = (values.reindex(mask.index) if values is not None else pd.Series("", index=mask.index))[mask]
        moved = pd.DataFrame({"reason": reason, "value": shown.astype("str").fillna("")})
        logger.warning("excluded %d row(s): %s (first at row %d)", mask.sum(), reason, moved.index[0])
        return Loaded(self.data[~mask], pd.concat([self.excluded, moved]).sort_index())

    def exclude_incomplete(self, required: tuple[str, ...], id_column: str | None = None) -> Loaded:
        """Exclude rows missing a required column, then rows repeating an earlier ``id_column``."""
        loaded = self
        for column in required:
            loaded = loaded.exclude(loaded.data[column].isna(), f"missing {column}")
        if id_column is not None:
            ids = loaded.data[id_column]
            loaded = loaded.exclude(ids.duplicated(), f"duplicate {id_column}", ids)
        return loaded

    def excluded_counts(self) -> pd.Series:
        """Number of excluded rows by reason."""
        return self.excluded["reason"].value_counts()


def read_export(path: str | Path, encoding: str = "utf-8") -> tuple[list[str], pd.DataFrame]:
    """Read a CSV export as text: its header names, and its cells with columns numbered from 1."""
    path = Path(path)
    if not path.is_file():
        raise InputDataError(path, "file not found")
    codec = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    try:
        table = pd.read_csv(path, header=None, dtype=str, na_filter=False, skip_blank_lines=False,
                            encoding=codec)
    except UnicodeDecodeError as exc:
        raise InputDataError(path, f"cannot be read as {encoding} (byte {exc.object[exc.start]:#x} at "
                             f"offset {exc.start}); set encoding: in its mapping (Windows exports are "
                             "often cp1252)") from None
    except pd.errors.EmptyDataError:
        raise InputDataError(path, "the file is empty") from None
    except pd.errors.ParserError as exc:
        raise InputDataError(path, f"not a well-formed CSV: {exc}") from None
    header = [str(name).strip().lstrip("\ufeff") for name in table.iloc[0]]
    cells = table.iloc[1:].fillna("")
    cells.columns = range(1, len(header) + 1)
    cells.index = pd.RangeIndex(2, len(cells) + 2, name="source_row")
    return header, cells


def load_mapped(path: str | Path, mapping: SourceMapping) -> Loaded:
    """Read an export and apply its mapping."""
    header, cells = read_export(path, mapping.encoding)
    return apply_mapping(header, cells, mapping, path)


def apply_mapping(header: list[str], cells: pd.DataFrame, mapping: SourceMapping, path: str | Path) -> Loaded:
    """Rename, value-map and date-parse an export read by ``read_export``.

    Blank rows and rows whose date is missing or unparseable are excluded (with the reason and
    the text); a value missing from a value map raises an InputDataError naming the file, the
    column, the values and the first row, unless the mapping declares ``other:`` for it.
    """
    def column(export: str | int, canonical: str) -> pd.Series:
        text = cells[_position(header, export, canonical, path)].str.strip()
        return text.mask(text.eq("") | text.isin(mapping.missing))

    data = pd.DataFrame({name: column(export, name) for name, export in mapping.columns.items()},
                        index=cells.index)
    loaded = Loaded(data, pd.DataFrame({"reason": [], "value": []}, index=pd.Index([], name="source_row",
                                                                                   dtype="int64")))
    loaded = loaded.exclude(cells.eq("").all(axis=1), "blank row")
    data = loaded.data.copy()
    for name, value_map in mapping.values.items():
        data[name] = _map_values(data[name], value_map, mapping.other.get(name), path,
                                 mapping.source_column(name))
    loaded = loaded._replace(data=data)
    if mapping.date is None:
        return loaded

    def joined(spec: DateSpec, label: str) -> pd.Series:
        parts = [column(export, label).loc[loaded.data.index] for export in spec.columns]
        text = parts[0]
        for part in parts[1:]:
            text = text + " " + part
        return text.str.zfill(spec.zero_pad) if spec.zero_pad else text

    date_text = joined(mapping.date, "date")
    date = pd.to_datetime(date_text, format=mapping.date.format, errors="coerce").dt.normalize()
    data = loaded.data.assign(date=date, datetime=pd.Series(pd.NaT, index=date.index, dtype=date.dtype))
    if mapping.time is not None:
        time_text = joined(mapping.time, "time")
        time = pd.to_datetime(time_text, format=mapping.time.format, errors="coerce")
        bad = time.isna() & time_text.notna()
        if bad.any():
            logger.warning("%s: %d unparseable time(s) kept without a time, e.g. %r at row %d",
                           path, bad.sum(), time_text[bad].iloc[0], bad.idxmax())
        data["datetime"] = date + (time - time.dt.normalize())
    loaded = loaded._replace(data=data)
    loaded = loaded.exclude(date_text.isna(), "missing date")
    return loaded.exclude(loaded.data["date"].isna(), "unparseable date", date_text)


def _position(header: list[str], export: str | int, canonical: str, path: str | Path) -> int:
    """The 1-based position of the export column mapped to ``canonical``."""
    if isinstance(export, int):
        if not 1 <= export <= len(header):
            raise InputDataError(path, f"'{canonical}' is mapped to column {export}, but the file has "
                                 f"{len(header)} columns")
        return export
    found = [i for i, name in enumerate(header, start=1) if name == export.strip()]
    if len(found) > 1:
        raise InputDataError(path, f"'{canonical}' is mapped to '{export}', a header name used by columns "
                             f"{found}; map it to the column number instead (e.g. {canonical}: {found[0]})")
    if not found:
        near = difflib.get_close_matches(export, header, n=3)
        hint = f"; did you mean {near}?" if near else f"; the columns are {header}"
        raise InputDataError(path, f"no column '{export}' (mapped to '{canonical}'){hint}")
    return found[0]


def _map_values(series: pd.Series, value_map: dict[str, Scalar], other: Literal["keep"] | OtherValue | None,
                path: str | Path, export_name: str) -> pd.Series:
    """Translate export values to canonical ones; missing values stay missing."""
    unexpected = series.notna() & ~series.isin(list(value_map))
    if unexpected.any() and other is None:
        values = series[unexpected].unique()
        shown = ", ".join(repr(v) for v in values[:10]) + (", ..." if len(values) > 10 else "")
        raise InputDataError(
            path,
            f"{unexpected.sum()} row(s) hold value(s) the mapping for '{series.name}' does not list: {shown} "
            f"(first at row {unexpected.idxmax()}); add them under values.{series.name}, or declare "
            f"other.{series.name}",
            row=int(unexpected.idxmax()),
            column=export_name,
        )
    mapped = series.map(value_map)
    targets = {type(v) for v in value_map.values() if v is not None}
    if other == "keep":
        mapped = mapped.where(~unexpected, series)
        targets.add(str)
    elif other is not None:
        mapped = mapped.where(~unexpected, other.value)
        targets |= {type(other.value)} - {type(None)}
    if targets == {bool}:
        return mapped.astype("boolean")
    if targets == {str}:
        return mapped.astype("str")
    if targets == {int}:
        return mapped.astype("Int64")
    return mapped


def parse_numbers(series: pd.Series, path: str | Path, export_name: str, *, whole: bool) -> pd.Series:
    """Numbers from text, blanks missing: ``whole`` means whole numbers of 0 or more (Int64),
    otherwise floats. Any other text raises an InputDataError naming the first row."""
    numbers = pd.to_numeric(series, errors="coerce")
    bad = numbers.isna() & series.notna()
    if whole:
        bad |= numbers.notna() & ((numbers < 0) | (numbers % 1 != 0))
    if bad.any():
        kind = "a whole number of 0 or more" if whole else "a number"
        shown = ", ".join(repr(v) for v in series[bad].unique()[:5])
        raise InputDataError(path, f"{bad.sum()} value(s) are not {kind}: {shown}", row=int(bad.idxmax()),
                             column=export_name)
    return numbers.astype("Int64") if whole else numbers.astype("float64")


def validate_frame(schema: pa.DataFrameSchema, frame: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    """Validate against a pandera schema, reporting every failure as one InputDataError."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        for (column, check), cases in exc.failure_cases.groupby(["column", "check"], dropna=False, sort=False):
            shown = ", ".join(repr(v) for v in cases["failure_case"].drop_duplicates().head(5))
            rows = pd.to_numeric(cases["index"], errors="coerce").dropna()
            where = f" (first at row {int(rows.min())})" if len(rows) else ""
            problems.append(f"'{column}' fails {check}: {shown}{where}")
        raise InputDataError(path, "; ".join(problems)) from None


def validate_rows(schema: pa.DataFrameSchema, frame: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    """As :func:`validate_frame` for a frame read straight from a CSV (a 0-based index): errors
    give the file's row numbers (the header is row 1)."""
    numbered = frame.set_axis(pd.RangeIndex(2, len(frame) + 2), axis=0)
    validate_frame(schema, numbered, path)
    return frame


# --- Periods and the change table shared by partner sources ------------------------------------

def in_period(dates: pd.Series, period: Period) -> pd.Series:
    """True where a date falls within the period's months."""
    months = dates.dt.to_period("M")
    return months.ge(period.start) & months.le(period.end)


def uncovered_months(dates: pd.Series, period: Period) -> list[str]:
    """Months of the period outside the span of months the data cover (first to last record)."""
    if dates.notna().sum() == 0:
        return period.months
    first, last = str(dates.min().to_period("M")), str(dates.max().to_period("M"))
    return [month for month in period.months if not first <= month <= last]


def coverage_message(dates: pd.Series, previous: Period | None, current: Period) -> str:
    """Why no comparison is possible, and whether the current period is incomplete ("" if neither)."""
    if previous is None:
        return "No comparison: no comparison period was given; current figures only."
    notes = []
    for label, period in (("comparison", previous), ("current", current)):
        gap = uncovered_months(dates, period)
        if gap:
            months = gap[0] if len(gap) == 1 else f"{gap[0]} .. {gap[-1]} ({len(gap)} months)"
            notes.append(f"the data hold no records for {months} of the {label} period ({period.label})")
    if uncovered_months(dates, previous):
        return f"No comparison: {'; '.join(notes)}. Current figures only."
    return f"Incomplete: {notes[0]}." if notes else ""


def change_table(previous_counts: pd.Series | None, current_counts: pd.Series, previous: Period | None,
                 current: Period, *, alpha: float = 0.05, small_count: int = 10) -> pd.DataFrame:
    """Previous and current totals per line with change, % change, display text and significance.

    Significance comes from ``stats.compare_counts`` with the period lengths in days as exposure
    (Benjamini-Hochberg across all rows). With ``previous_counts=None`` (no comparison possible)
    the table holds current figures only and ``comparison_available`` is False.
    """
    if previous_counts is None:
        missing = [pd.NA] * len(current_counts)
        table = pd.DataFrame({"previous": pd.array(missing, dtype="Int64"), "current": current_counts.astype("int64"),
                              "change": pd.array(missing, dtype="Int64"), "pct_change": float("nan"),
                              "p_value": float("nan"), "p_adjusted": float("nan"),
                              "significant": pd.array(missing, dtype="boolean")}, index=current_counts.index)
        table["small_count"] = table["current"] < small_count
    else:
        table = compare_counts(previous_counts, current_counts, previous.days, current.days,
                               alpha=alpha, small_count=small_count)
        table = table.astype({"previous": "Int64", "change": "Int64"})
        table["pct_change"] = table["pct_change"].round(1)
    texts = [change_texts(change, pct) for change, pct in zip(table["change"], table["pct_change"])]
    table.insert(4, "change_display", [change for change, _ in texts])
    table.insert(5, "pct_change_display", [pct for _, pct in texts])
    table["comparison_available"] = previous_counts is not None
    return table


def change_texts(change, pct, missing: str = "") -> tuple[str, str]:
    """Change and % change as displayed: "Equal" when unchanged, ``missing`` without a comparison."""
    if pd.isna(change):
        return missing, missing
    if change == 0:
        return "Equal", "Equal"
    return fmt.signed_count(change), fmt.pct(pct)


def monthly_totals(lines: pd.DataFrame, dates: pd.Series, period: Period | None = None) -> pd.DataFrame:
    """Sum per-record line values by month ("YYYY-MM" index ``month``), empty months as 0.

    The months are the period's, or every month from the first record to the last.
    """
    months = dates.dt.to_period("M")
    if period is not None:
        keep = in_period(dates, period)
        lines, months = lines[keep], months[keep]
        index = period.months
    elif months.notna().any():
        index = [str(m) for m in pd.period_range(months.min(), months.max(), freq="M")]
    else:
        index = []
    totals = lines.groupby(months.astype("str")).sum()
    return totals.reindex(pd.Index(index, name="month"), fill_value=0)
