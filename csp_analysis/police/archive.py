"""police.uk street-level and outcomes files in the archive layout, and area selection.

The archive unzips to ``YYYY-MM/YYYY-MM-<force>-street.csv`` (and ``-outcomes.csv``); one
folder may hold several forces. Records are read once and then selected by LSOA.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from csp_analysis.categories import POLICE_UK_CATEGORIES, PRE_2013_CATEGORIES
from csp_analysis.errors import InputDataError
from csp_analysis.police.api import read_api_file
from csp_analysis.schema_checks import validate_rows

STREET_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
    "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)
OUTCOME_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
    "Location", "LSOA code", "LSOA name", "Outcome type",
)
_STREET_USED = ("Crime ID", "Month", "Falls within", "Longitude", "Latitude", "Location",
                "LSOA code", "LSOA name", "Crime type", "Last outcome category")
_OUTCOME_USED = ("Crime ID", "Month", "Outcome type")
#: What every street file must hold (declarative; checked on every file read).
STREET_SCHEMA = pa.DataFrameSchema(
    {
        "Crime ID": pa.Column(str),
        "Month": pa.Column(str, pa.Check.str_matches(r"^\d{4}-(0[1-9]|1[0-2])$")),
        "Falls within": pa.Column(str),
        "Longitude": pa.Column(str, pa.Check.str_matches(r"^(-?\d+(\.\d+)?)?$")),
        "Latitude": pa.Column(str, pa.Check.str_matches(r"^(-?\d+(\.\d+)?)?$")),
        "Location": pa.Column(str),
        "LSOA code": pa.Column(str, pa.Check.str_matches(r"^([EWSNX]\d{8})?$")),
        "LSOA name": pa.Column(str),
        "Crime type": pa.Column(str, pa.Check.isin(POLICE_UK_CATEGORIES)),
        "Last outcome category": pa.Column(str),
    },
    strict=True,
)
OUTCOME_SCHEMA = pa.DataFrameSchema(
    {
        "Crime ID": pa.Column(str, pa.Check.str_length(min_value=1)),
        "Month": pa.Column(str, pa.Check.str_matches(r"^\d{4}-(0[1-9]|1[0-2])$")),
        "Outcome type": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
)
_FILE = re.compile(r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+)-(?P<kind>street|outcomes)\.csv$")
#: police.uk API answers saved per month (see :mod:`csp_analysis.police.api`).
_API_FILE = re.compile(r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+)-(?P<kind>street)\.json$")


@dataclass(frozen=True)
class ArchiveFile:
    path: Path
    month: str
    force: str
    kind: str

    @property
    def is_api(self) -> bool:
        """An API answer (JSON, category slugs, no LSOA) rather than an archive CSV."""
        return self.path.suffix == ".json"


def discover(folder: Path, kind: str = "street", forces: list[str] | None = None) -> list[ArchiveFile]:
    """Every ``<kind>`` file under ``folder`` in the archive layout (archive CSVs, and for street
    records API answers saved as ``YYYY-MM-<name>-street.json``), sorted by month and force."""
    if not folder.is_dir():
        raise InputDataError(folder, "the police.uk folder does not exist")
    found = []
    for path in folder.glob(f"*/*-{kind}.*"):
        match = _FILE.match(path.name) or _API_FILE.match(path.name)
        if not match or match["month"] != path.parent.name:
            continue
        if forces and match["force"] not in forces:
            continue
        found.append(ArchiveFile(path, match["month"], match["force"], kind))
    return sorted(found, key=lambda f: (f.month, f.force))


def has_rows(path: Path) -> bool:
    """True when the file holds at least one record: a line after a CSV's header, an item of an API list."""
    if path.suffix == ".json":
        return not read_api_file(path).empty
    with path.open("rb") as handle:
        handle.readline()
        return any(line.strip() for line in handle)


def _line_of_byte(path: Path, position: int) -> int:
    """The 1-based line holding a byte offset."""
    with path.open("rb") as handle:
        return handle.read(position).count(b"\n") + 1


def _first_malformed_row(path: Path, width: int) -> int | None:
    """The first row (1-based, header = 1) whose number of fields is not the header's."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if row and len(row) != width:
                return number
    return None


def _header(path: Path, expected: tuple[str, ...]) -> pd.Index:
    """The file's columns; an error naming the file unless it is a readable CSV with ``expected``."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            first_line = handle.readline()
        header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    except UnicodeDecodeError as exc:
        row = _line_of_byte(path, exc.start)
        raise InputDataError(path, f"is not UTF-8 (byte 0x{exc.object[exc.start]:02x}); police.uk files are UTF-8: "
                             "re-save the file as UTF-8", row=row) from None
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputDataError(path, f"cannot be read as a police.uk CSV ({exc})") from None
    missing = [c for c in expected if c not in header]
    if missing:
        hint = " (the file seems to use ';' between fields: police.uk files use ',')" if ";" in first_line else ""
        raise InputDataError(
            path, f"is not a police.uk file: missing column(s) {', '.join(repr(c) for c in missing)}{hint}",
            column=missing[0],
        )
    return header


def check_header(path: Path) -> None:
    """Stop unless ``path`` is a readable police.uk archive street file (its header only is read)."""
    if path.suffix == ".csv":
        _header(path, STREET_COLUMNS)


def misfiled(folder: Path, months: list[str]) -> list[str]:
    """Files in the month folders of ``months`` that are not archive street or outcomes files."""
    return sorted(f"{p.parent.name}/{p.name}" for m in months if (folder / m).is_dir()
                  for p in (folder / m).iterdir()
                  if p.is_file() and not (_FILE.match(p.name) or _API_FILE.match(p.name)))


def _read_csv(path: Path, expected: tuple[str, ...], used: tuple[str, ...]) -> pd.DataFrame:
    header = _header(path, expected)
    try:
        frame = pd.read_csv(path, usecols=list(used), dtype=str, encoding="utf-8-sig",
                            keep_default_na=False, engine="pyarrow")
    except Exception as exc:  # pyarrow raises its own error types for malformed rows
        if isinstance(exc, UnicodeDecodeError) or "UTF8" in str(exc) or "utf-8" in str(exc):
            raise InputDataError(path, "is not UTF-8; police.uk files are UTF-8: re-save the file as UTF-8") from None
        row = _first_malformed_row(path, len(header))
        problem = f"row has a different number of fields than the header's {len(header)} (truncated or damaged file?)" \
            if row else f"cannot be parsed: {exc}"
        raise InputDataError(path, problem, row=row) from None
    return frame


def _check_categories(frame: pd.DataFrame, path: Path) -> None:
    types = frame["Crime type"]
    unknown = sorted(set(types.unique()) - set(POLICE_UK_CATEGORIES))
    if not unknown:
        return
    first_row = int(types.isin(unknown).to_numpy().argmax()) + 2  # header is line 1
    if set(unknown) & set(PRE_2013_CATEGORIES):
        problem = (f"uses the pre-May 2013 categories ({', '.join(unknown)}); periods before and after "
                   "that change cannot be compared")
    else:
        problem = f"unknown crime type(s) {', '.join(repr(u) for u in unknown)}"
    raise InputDataError(path, problem, row=first_row, column="Crime type")


def read_street(files: list[ArchiveFile]) -> pd.DataFrame:
    """All street-level records of the given files, coordinates numeric, with the source file.

    :func:`csp_analysis.police.cache.read_street_cached` gives the same frame and errors through a
    Parquet cache keyed on each file's SHA-256.
    """
    frames = []
    for f in files:
        if f.is_api:
            frame = read_api_file(f.path)
        else:
            frame = _read_csv(f.path, STREET_COLUMNS, _STREET_USED)
            _check_categories(frame, f.path)
        validate_rows(STREET_SCHEMA, frame, f.path)
        frame["source_file"] = f.path.name
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=[*_STREET_USED, "source_file"])
    records = pd.concat(frames, ignore_index=True)
    for column in ("Longitude", "Latitude"):
        records[column] = pd.to_numeric(records[column].replace("", None), errors="coerce")
    return records


def read_outcomes(files: list[ArchiveFile]) -> pd.DataFrame:
    """All outcome rows of the given files."""
    frames = [validate_rows(OUTCOME_SCHEMA, _read_csv(f.path, OUTCOME_COLUMNS, _OUTCOME_USED), f.path) for f in files]
    if not frames:
        return pd.DataFrame(columns=list(_OUTCOME_USED))
    return pd.concat(frames, ignore_index=True)




def check_forces(records: pd.DataFrame, folder: Path) -> None:
    """Refuse a file whose records fall within another force than the other files of its force slug."""
    if records.empty:
        return
    slug = records["source_file"].str.slice(8).str.removesuffix("-street.csv")
    per_file = records.groupby("source_file")["Falls within"].agg(lambda s: s.mode().iat[0])
    file_slug = slug.groupby(records["source_file"]).first()
    for force, files in per_file.groupby(file_slug):
        usual = files.mode().iat[0]
        odd = files[files != usual]
        if len(files) > 1 and len(odd) and len(odd) < len(files) / 2:
            name = odd.index[0]
            raise InputDataError(folder / name[:7] / name,
                                 f"holds records of '{odd.iat[0]}', but the other {force} files hold '{usual}': "
                                 "a file from another force?", column="Falls within")
