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

from csp_analysis.config.mapping import DateSpec, OtherValue, Scalar, SourceMapping
from csp_analysis.errors import InputDataError

logger = logging.getLogger(__name__)



# --- The mapping model -------------------------------------------------------------------------







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








# --- Periods and the change table shared by partner sources ------------------------------------











