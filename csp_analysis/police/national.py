"""Counts by LSOA (or district) and category from many police.uk street files, fast.

For analysts who run many districts, or set their district beside all others, from a national
year of police.uk data (~6 million rows, 43 forces x 12 months). :func:`csp_analysis.police.archive.read_street` builds
the full record frame that the notebooks need for one force; here only the columns that a count
needs are parsed, with pyarrow's CSV reader (dictionary-encoded), and each file is reduced to its
counts by a group-by before the next is read, one file per core. Memory therefore follows the size of
the counts, not of the data, and the result is an ordinary pandas DataFrame.

The checks are the loader's: a file that lacks a police.uk column, cannot be parsed, or holds an
unknown (or pre-May 2013) crime type stops the run with the same :class:`InputDataError`. Area
selection uses :class:`csp_analysis.police.selection.LsoaSelector` itself (applied to the counts, which keep the LSOA code
and name), so a district is selected exactly as the notebooks select it.

Engine choice and measurements: docs/performance.md (``python benchmarks/national.py``).
"""

from __future__ import annotations

import csv
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from csp_analysis.categories import POLICE_UK_CATEGORIES
from csp_analysis.errors import InputDataError
from csp_analysis.police import archive as policeuk
from csp_analysis.police.archive import ArchiveFile
from csp_analysis.police.selection import LsoaSelector

COUNT = "count"
DISTRICT = "district"
LSOA_KEYS: tuple[str, ...] = ("LSOA code", "LSOA name", "Crime type")
_DICT = pa.dictionary(pa.int32(), pa.string())
_SUFFIX = re.compile(r" \d{3}[A-Z]$")


def street_files(folder: Path, months: list[str] | None = None, forces: list[str] | None = None) -> list[ArchiveFile]:
    """The street files of ``folder`` (archive layout) for ``months`` (all when None) and ``forces``.

    A requested month with no file at all is an error rather than a silent undercount.
    """
    files = policeuk.discover(Path(folder), "street", forces)
    if months is None:
        if not files:
            raise InputDataError(folder, "holds no police.uk street files named YYYY-MM/YYYY-MM-<force>-street.csv")
        return files
    wanted = set(months)
    missing = sorted(wanted - {f.month for f in files})
    if missing:
        raise InputDataError(folder, f"holds no police.uk street files for month(s) {', '.join(missing)}")
    return [f for f in files if f.month in wanted]


def lsoa_counts(
    files: list[ArchiveFile],
    selector: LsoaSelector | None = None,
    *,
    by_month: bool = False,
    cache_dir: Path | None = None,
    threads: int | None = None,
) -> pd.DataFrame:
    """Records per LSOA and crime type in ``files`` (optionally per month), selected by ``selector``.

    Returns ``[Month,] LSOA code, LSOA name, Crime type, count``, sorted by those keys, one row per
    combination present (no zero rows). Records without a location have empty LSOA code and name and
    are counted under them unless ``selector`` leaves them out (as every selector does, whole_force
    included: a record without an LSOA belongs to no district).
    With ``cache_dir``, the files are read through the Parquet cache of :mod:`csp_analysis.police.cache`
    (parsed once, then only the needed columns are read from Parquet).
    """
    keys = (["Month"] if by_month else []) + list(LSOA_KEYS)
    if not files:
        frame = pd.DataFrame({k: pd.Series(dtype="str") for k in keys})
        frame[COUNT] = pd.Series(dtype="int64")
        return frame
    workers = max(1, min(threads or os.cpu_count() or 1, len(files)))
    if cache_dir is not None:
        from csp_analysis.police import cache
        with ThreadPoolExecutor(workers) as pool:
            hashes = list(pool.map(cache.source_sha256, files))
            parts = list(pool.map(lambda fh: _counts_cached(fh[0], fh[1], Path(cache_dir), keys), zip(files, hashes)))
    elif workers == 1:
        parts = [_counts_csv(f, keys) for f in files]
    else:
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(lambda f: _counts_csv(f, keys), files))
    combined = pa.concat_tables(parts).unify_dictionaries()
    counts = combined.group_by(keys).aggregate([(COUNT, "sum")]).rename_columns([*keys, COUNT])
    frame = counts.to_pandas()  # dictionary columns arrive as categoricals: selection works on categories
    if selector is not None:
        frame = frame[selector.mask(frame).to_numpy()]
    for key in keys:
        frame[key] = frame[key].astype("str")
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def district_counts(
    folder: Path,
    months: list[str] | None,
    selector: LsoaSelector,
    *,
    forces: list[str] | None = None,
    by_month: bool = False,
    cache_dir: Path | None = None,
) -> pd.DataFrame:
    """Counts by LSOA and crime type for the area ``selector`` picks out of the archive ``folder``.

    Every force file of the months is read (records of a district can sit in a neighbouring force's
    file); see :func:`lsoa_counts` for the columns.
    """
    files = street_files(folder, months, forces)
    return lsoa_counts(files, selector, by_month=by_month, cache_dir=cache_dir)


def district_name(lsoa_names: pd.Series) -> pd.Series:
    """The district of each LSOA name: ``'St Albans 012A'`` -> ``'St Albans'``; ``''`` when not of that form."""
    names = lsoa_names.astype("str")
    district = names.str.replace(_SUFFIX, "", regex=True)
    return district.where(names.str.contains(_SUFFIX), "")


def all_district_counts(
    folder: Path,
    months: list[str] | None = None,
    *,
    forces: list[str] | None = None,
    by_month: bool = False,
    cache_dir: Path | None = None,
) -> pd.DataFrame:
    """Records per district (from the LSOA name) and crime type, for every district in the data.

    One scan serves a comparison of each district with all others. Returns ``[Month,] district,
    Crime type, count``, sorted; records without an LSOA name count under district ``''``.
    """
    lsoa = lsoa_counts(street_files(folder, months, forces), by_month=by_month, cache_dir=cache_dir)
    keys = (["Month"] if by_month else []) + [DISTRICT, "Crime type"]
    lsoa[DISTRICT] = district_name(lsoa["LSOA name"])
    grouped = lsoa.groupby(keys, sort=True)[COUNT].sum().reset_index()
    grouped[COUNT] = grouped[COUNT].astype("int64")
    return grouped


# ---- one file -----------------------------------------------------------------------------------

def _check_header(path: Path) -> None:
    """The loader's header check (same messages), from the first line alone."""
    try:
        with open(path, "rb") as handle:
            first = handle.readline(1 << 16)
        header = next(csv.reader([first.decode("utf-8-sig")]), [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputDataError(path, f"cannot be read as a police.uk CSV ({exc})") from None
    if not header:
        raise InputDataError(path, "cannot be read as a police.uk CSV (No columns to parse from file)")
    missing = [c for c in policeuk.STREET_COLUMNS if c not in header]
    if missing:
        raise InputDataError(
            path, f"is not a police.uk file: missing column(s) {', '.join(repr(c) for c in missing)}",
            column=missing[0],
        )


def _check_crime_types(table: pa.Table, path: Path) -> None:
    """The loader's category check, on the distinct values; the loader reports the first bad row."""
    types = table.column("Crime type")
    present = set()
    for chunk in types.chunks:  # dictionary-encoded: the distinct values are in the dictionaries
        distinct = chunk.dictionary if pa.types.is_dictionary(chunk.type) else pc.unique(chunk)
        present.update(distinct.to_pylist())
    if present - set(POLICE_UK_CATEGORIES):
        policeuk._check_categories(pd.DataFrame({"Crime type": types.cast(pa.string()).to_pandas()}), path)


def _group(table: pa.Table, keys: list[str]) -> pa.Table:
    return table.unify_dictionaries().group_by(keys).aggregate([([], "count_all")]).rename_columns([*keys, COUNT])


def _counts_csv(f: ArchiveFile, keys: list[str]) -> pa.Table:
    """Counts by ``keys`` of one police.uk street CSV, reading only those columns."""
    _check_header(f.path)
    columns = sorted(set(keys) | {"Crime type"})
    try:
        table = pacsv.read_csv(
            f.path,
            read_options=pacsv.ReadOptions(use_threads=False, block_size=1 << 22),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns, column_types={c: _DICT for c in columns}, strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise InputDataError(f.path, f"cannot be parsed: {exc}") from None
    _check_crime_types(table, f.path)
    return _group(table, keys)


def _counts_cached(f: ArchiveFile, sha256: str, cache_dir: Path, keys: list[str]) -> pa.Table:
    """Counts by ``keys`` of one file from its cache entry (parsed and cached first on a miss)."""
    from csp_analysis.police import cache

    table = cache.read_columns(f, cache_dir, sha256, keys)
    return _group(table, keys)
