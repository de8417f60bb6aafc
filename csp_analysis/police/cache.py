"""A normalised Parquet cache of parsed and validated police.uk street files.

One cache entry per source file, named by the SHA-256 of the file's bytes and :data:`LOADER_VERSION`::

    <cache_dir>/street-v<LOADER_VERSION>-<sha256>.parquet

An entry holds exactly what :func:`csp_analysis.police.archive.read_street` returns for that one file
(the used columns as strings, ``Longitude``/``Latitude`` as numbers) less ``source_file``, which is
added again on reading so that a renamed or copied file is reported under its current name. A file
is parsed and validated only on a miss, with the loader's own code and error messages; nothing is
cached for a file that fails validation.

Key choice: the SHA-256 of the content, computed on every run, not size + mtime. An archive unzip
restores the archive's timestamps, ``cp -p`` and ``rsync -t`` keep them, and a re-published month can
keep its size, so a stat-only key could serve stale records; hashing costs ~0.7 s per GB on one core
here (SHA-NI) and runs on a thread per core, a small part of a parse (docs/performance.md).

Invalidation: a changed file has a new hash, hence a new entry; bumping :data:`LOADER_VERSION`
(whenever parsing, validation or normalisation change) changes every name, so old entries are never
read again (:func:`prune` deletes them). Each entry also records its version and hash in the Parquet
metadata and is checked on reading; an unreadable or mismatching entry is rebuilt.

Writes are atomic: a temporary file in the cache folder, then ``os.replace``. Concurrent runs may
both write an entry; each rename installs a complete file with the same content.
"""

from __future__ import annotations

import logging
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from csp_analysis.paths import sha256_file
from csp_analysis.police import archive as policeuk

#: Bump whenever what :func:`csp_analysis.police.archive.read_street` produces for a file changes.
LOADER_VERSION = 1

_META_VERSION = b"csp_analysis.loader_version"
_META_SHA = b"csp_analysis.source_sha256"
_PREFIX = "street-v"
_COORDINATES = ("Longitude", "Latitude")
log = logging.getLogger(__name__)


@dataclass
class CacheStats:
    """What one cached read did: the entries used and the files parsed."""

    hits: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def source_sha256(file: policeuk.ArchiveFile) -> str:
    """:func:`csp_analysis.paths.sha256_file` of a police.uk file; an unreadable file raises the loader's
    own error."""
    try:
        return sha256_file(file.path)
    except OSError:
        policeuk.read_street([file])  # raises the InputDataError the uncached loader gives
        raise


def entry_path(cache_dir: Path, sha256: str) -> Path:
    """Where the entry for a source file with this hash lives under the current loader version."""
    return Path(cache_dir) / f"{_PREFIX}{LOADER_VERSION}-{sha256}.parquet"


def _threads(n: int) -> int:
    return max(1, min(n, os.cpu_count() or 1))


def _read_entry(path: Path, sha256: str, columns: list[str] | None = None) -> pa.Table | None:
    """The cached table (``columns`` only, dictionary-encoded, if given), or None when absent,
    unreadable or not of this version and hash."""
    try:
        with pq.ParquetFile(path, read_dictionary=columns) as entry:
            meta = entry.schema_arrow.metadata or {}
            if meta.get(_META_VERSION) != str(LOADER_VERSION).encode() or meta.get(_META_SHA) != sha256.encode():
                return None
            table = entry.read(columns=columns, use_threads=False)  # one file per thread already
    except (OSError, pa.ArrowException):
        return None
    return table.replace_schema_metadata(None)


def _write_entry(path: Path, table: pa.Table, sha256: str) -> None:
    """Write ``table`` to ``path`` atomically (temporary file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = table.replace_schema_metadata({_META_VERSION: str(LOADER_VERSION).encode(), _META_SHA: sha256.encode()})
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    os.close(handle)
    try:
        pq.write_table(table, tmp, compression="snappy")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _parse(file: policeuk.ArchiveFile) -> pa.Table:
    """One file through the uncached loader (same parsing, validation and errors), as Arrow."""
    frame = policeuk.read_street([file]).drop(columns="source_file")
    # Text columns typed explicitly: an empty file's columns would otherwise be inferred as null.
    schema = pa.schema([
        pa.field(c, pa.from_numpy_dtype(frame[c].dtype) if c in _COORDINATES else pa.large_string())
        for c in frame.columns
    ])
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def street_table(file: policeuk.ArchiveFile, cache_dir: Path, sha256: str | None = None) -> tuple[pa.Table, bool]:
    """The normalised records of one street file from the cache, parsing it on a miss.

    Returns the Arrow table (no ``source_file`` column) and whether it came from the cache.
    """
    sha256 = sha256 or source_sha256(file)
    path = entry_path(cache_dir, sha256)
    table = _read_entry(path, sha256) if path.exists() else None
    if table is not None:
        return table, True
    table = _parse(file)
    _write_entry(path, table, sha256)
    return table, False


def read_columns(file: policeuk.ArchiveFile, cache_dir: Path, sha256: str, columns: list[str]) -> pa.Table:
    """Only ``columns`` of one file's entry, dictionary-encoded (parsing and caching it on a miss)."""
    path = entry_path(cache_dir, sha256)
    table = _read_entry(path, sha256, columns) if path.exists() else None
    if table is None:
        full, _ = street_table(file, cache_dir, sha256)
        table = pa.table({c: pc.dictionary_encode(full.column(c)) for c in columns})
    return table


def street_tables(files: list[policeuk.ArchiveFile], cache_dir: Path) -> tuple[list[pa.Table], CacheStats]:
    """:func:`street_table` for every file, in order (hashing and reading on one thread per core)."""
    cache_dir = Path(cache_dir)
    stats = CacheStats()
    with ThreadPoolExecutor(_threads(len(files))) as pool:
        hashes = list(pool.map(source_sha256, files))
        # Parsing raises the loader's error for the first bad file in order, as the uncached loader does.
        results = list(pool.map(lambda fh: street_table(fh[0], cache_dir, fh[1]), zip(files, hashes)))
    tables = []
    for f, (table, hit) in zip(files, results):
        (stats.hits if hit else stats.misses).append(f.path.name)
        tables.append(table)
    log.debug("police.uk cache %s: %d hit(s), %d miss(es)", cache_dir, len(stats.hits), len(stats.misses))
    return tables, stats


def read_street_cached(files: list[policeuk.ArchiveFile], cache_dir: Path) -> pd.DataFrame:
    """As :func:`csp_analysis.police.archive.read_street` (same frame, same errors), through the cache in ``cache_dir``."""
    return read_street_with_stats(files, cache_dir)[0]


def read_street_with_stats(files: list[policeuk.ArchiveFile], cache_dir: Path) -> tuple[pd.DataFrame, CacheStats]:
    """:func:`read_street_cached` and what the cache did."""
    if not files:
        return policeuk.read_street([]), CacheStats()
    tables, stats = street_tables(files, cache_dir)
    # The loader converts coordinates once over all files: int64 only when every value of every file
    # is an integer literal (per file: an int64 column, an empty file included), else float64.
    for column in _COORDINATES:
        if not all(pa.types.is_integer(t.schema.field(column).type) for t in tables):
            tables = [_as_float(t, column) for t in tables]
    with_source = [
        table.append_column("source_file", pa.repeat(pa.scalar(f.path.name, pa.string()), table.num_rows))
        for f, table in zip(files, tables)
    ]
    combined = pa.concat_tables(with_source)
    return combined.to_pandas(), stats


def _as_float(table: pa.Table, column: str) -> pa.Table:
    index = table.schema.get_field_index(column)
    return table.set_column(index, column, table.column(column).cast(pa.float64()))


def prune(cache_dir: Path) -> list[Path]:
    """Delete entries written under another :data:`LOADER_VERSION` and stray temporary files."""
    removed = []
    current = f"{_PREFIX}{LOADER_VERSION}-"
    for path in Path(cache_dir).glob(f"{_PREFIX}*.parquet"):
        if not path.name.startswith(current):
            path.unlink(missing_ok=True)
            removed.append(path)
    for path in Path(cache_dir).glob(f".{_PREFIX}*.tmp"):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed
