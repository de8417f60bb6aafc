"""The Parquet cache of police.uk street files, on tiny hand-written archives."""

import os

import pandas as pd
import pyarrow.parquet as pq
import pytest

from csp_analysis.errors import InputDataError
from csp_analysis.police import archive as policeuk
from csp_analysis.police import cache
from tests.conftest import write_street


def _archive(folder):
    """Two months, two forces: ASB without a crime id, a row with no location, a BOM on one file."""
    write_street(folder, "2021-01", [
        {"Crime type": "Burglary", "LSOA code": "E01000001", "LSOA name": "Alpha 001A"},
        {"Crime type": "Anti-social behaviour", "LSOA code": "E01000002", "LSOA name": "Alpha 002B",
         "Longitude": "-0.312345", "Latitude": "51.765432"},
        {"Crime type": "Drugs", "Longitude": "", "Latitude": "", "Location": "No location",
         "Last outcome category": "Under investigation"},
    ])
    write_street(folder, "2021-01", [{"Crime type": "Robbery", "LSOA name": "Beta 001A"}], force="otherforce")
    path = write_street(folder, "2021-02", [{"Crime type": "Shoplifting", "LSOA name": "Alpha 001A"}])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return policeuk.discover(folder)


def _entries(cache_dir):
    return sorted(p.name for p in cache_dir.glob("*.parquet"))


def _no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the CSV was parsed although the cache holds it")
    monkeypatch.setattr(policeuk, "_read_csv", refuse)


def test_frame_from_cache_is_identical_to_frame_from_csv(tmp_path):
    files = _archive(tmp_path / "data")
    expected = policeuk.read_street(files)
    cold = cache.read_street_cached(files, tmp_path / "cache")
    warm = cache.read_street_cached(files, tmp_path / "cache")
    pd.testing.assert_frame_equal(cold, expected)
    pd.testing.assert_frame_equal(warm, expected)
    assert warm.dtypes.equals(expected.dtypes)
    assert warm["Longitude"].iloc[2] == pytest.approx(-0.312345)
    assert pd.isna(warm["Longitude"].iloc[3]) and warm["Crime ID"].iloc[2] == ""
    assert warm["source_file"].tolist() == ["2021-01-otherforce-street.csv"] + ["2021-01-testshire-street.csv"] * 3 \
        + ["2021-02-testshire-street.csv"]


def test_second_run_is_a_hit_and_parses_nothing(tmp_path, monkeypatch):
    files = _archive(tmp_path / "data")
    first, stats = cache.read_street_with_stats(files, tmp_path / "cache")
    assert stats.hits == [] and len(stats.misses) == 3
    assert len(_entries(tmp_path / "cache")) == 3
    _no_parsing(monkeypatch)
    second, stats = cache.read_street_with_stats(files, tmp_path / "cache")
    assert len(stats.hits) == 3 and stats.misses == []
    pd.testing.assert_frame_equal(first, second)


def test_entry_is_keyed_on_content_sha256_and_loader_version(tmp_path):
    files = _archive(tmp_path / "data")
    cache.read_street_cached(files, tmp_path / "cache")
    import hashlib
    digest = hashlib.sha256(files[0].path.read_bytes()).hexdigest()
    assert (tmp_path / "cache" / f"street-v{cache.LOADER_VERSION}-{digest}.parquet").exists()
    meta = pq.read_schema(cache.entry_path(tmp_path / "cache", digest)).metadata
    assert meta[b"csp_analysis.source_sha256"] == digest.encode()


def test_changed_content_is_a_miss_even_with_same_size_and_mtime(tmp_path):
    files = _archive(tmp_path / "data")
    cache.read_street_cached(files, tmp_path / "cache")
    target = files[1].path  # 2021-01 testshire
    stat = target.stat()
    changed = target.read_bytes().replace(b"Test Street", b"Best Street")  # same length
    assert changed != target.read_bytes() and len(changed) == stat.st_size
    target.write_bytes(changed)
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as an unzip or `cp -p` would leave it
    records, stats = cache.read_street_with_stats(files, tmp_path / "cache")
    assert stats.misses == [target.name] and len(stats.hits) == 2
    assert "On or near Best Street" in records.loc[records["source_file"] == target.name, "Location"].tolist()
    pd.testing.assert_frame_equal(records, policeuk.read_street(files))


def test_loader_version_change_is_a_miss_and_prune_removes_old_entries(tmp_path, monkeypatch):
    files = _archive(tmp_path / "data")
    cache.read_street_cached(files, tmp_path / "cache")
    old = _entries(tmp_path / "cache")
    monkeypatch.setattr(cache, "LOADER_VERSION", cache.LOADER_VERSION + 1)
    records, stats = cache.read_street_with_stats(files, tmp_path / "cache")
    assert stats.hits == [] and len(stats.misses) == 3
    pd.testing.assert_frame_equal(records, policeuk.read_street(files))
    assert len(_entries(tmp_path / "cache")) == 6
    removed = cache.prune(tmp_path / "cache")
    assert sorted(p.name for p in removed) == old
    assert all(name.startswith(f"street-v{cache.LOADER_VERSION}-") for name in _entries(tmp_path / "cache"))


def test_entry_of_another_version_under_the_current_name_is_rebuilt(tmp_path, monkeypatch):
    files = _archive(tmp_path / "data")[:1]
    cache.read_street_cached(files, tmp_path / "cache")
    (entry,) = (tmp_path / "cache").glob("*.parquet")
    table = pq.read_table(entry)
    pq.write_table(table.replace_schema_metadata({b"csp_analysis.loader_version": b"0"}), entry)
    _, stats = cache.read_street_with_stats(files, tmp_path / "cache")
    assert stats.misses == [files[0].path.name]


def test_corrupt_entry_is_rebuilt(tmp_path):
    files = _archive(tmp_path / "data")
    expected = cache.read_street_cached(files, tmp_path / "cache")
    entry = min((tmp_path / "cache").glob("*.parquet"))
    entry.write_bytes(entry.read_bytes()[:40])
    records, stats = cache.read_street_with_stats(files, tmp_path / "cache")
    assert len(stats.misses) == 1
    pd.testing.assert_frame_equal(records, expected)


def test_renamed_file_is_a_hit_reported_under_its_new_name(tmp_path, monkeypatch):
    files = _archive(tmp_path / "data")
    cache.read_street_cached(files, tmp_path / "cache")
    moved = tmp_path / "moved"
    write_street(moved, "2021-01", [{"Crime type": "Robbery", "LSOA name": "Beta 001A"}], force="renamedforce")
    # Same bytes as the otherforce file: same key.
    (moved / "2021-01" / "2021-01-renamedforce-street.csv").write_bytes(files[0].path.read_bytes())
    _no_parsing(monkeypatch)
    records, stats = cache.read_street_with_stats(policeuk.discover(moved), tmp_path / "cache")
    assert stats.misses == [] and records["source_file"].unique().tolist() == ["2021-01-renamedforce-street.csv"]


def test_invalid_file_raises_the_loaders_error_and_is_not_cached(tmp_path):
    write_street(tmp_path / "data", "2021-01", [{"Crime type": "Burglary"}, {"Crime type": "Fraud"}])
    files = policeuk.discover(tmp_path / "data")
    with pytest.raises(InputDataError) as uncached:
        policeuk.read_street(files)
    with pytest.raises(InputDataError) as cached:
        cache.read_street_cached(files, tmp_path / "cache")
    assert str(cached.value) == str(uncached.value)
    assert "row 3" in str(cached.value) and "'Fraud'" in str(cached.value)
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_failed_write_leaves_neither_entry_nor_temporary_file(tmp_path, monkeypatch):
    files = _archive(tmp_path / "data")

    def broken(table, where, **kwargs):
        with open(where, "wb") as handle:
            handle.write(b"PAR1 half-written")
        raise OSError("disk full")

    monkeypatch.setattr(cache.pq, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        cache.read_street_cached(files, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_no_files_gives_the_loaders_empty_frame(tmp_path):
    pd.testing.assert_frame_equal(cache.read_street_cached([], tmp_path / "cache"), policeuk.read_street([]))


def test_header_only_file_round_trips(tmp_path):
    write_street(tmp_path / "data", "2021-01", [])
    write_street(tmp_path / "data", "2021-02", [{"Crime type": "Drugs", "LSOA name": "Alpha 001A"}])
    files = policeuk.discover(tmp_path / "data")
    expected = policeuk.read_street(files)
    cache.read_street_cached(files, tmp_path / "cache")
    pd.testing.assert_frame_equal(cache.read_street_cached(files, tmp_path / "cache"), expected)


@pytest.mark.parametrize("other_longitude", ["0", "-0.25"])
def test_coordinate_dtype_follows_the_loader_across_files(tmp_path, other_longitude):
    """The loader converts coordinates over all files at once: int64 only if every value is an integer."""
    write_street(tmp_path / "data", "2021-01", [{"Crime type": "Drugs", "Longitude": "1", "Latitude": "52"}])
    write_street(tmp_path / "data", "2021-02", [{"Crime type": "Drugs", "Longitude": other_longitude,
                                                 "Latitude": "51"}])
    files = policeuk.discover(tmp_path / "data")
    expected = policeuk.read_street(files)
    cache.read_street_cached(files, tmp_path / "cache")
    pd.testing.assert_frame_equal(cache.read_street_cached(files, tmp_path / "cache"), expected)
    # The same file cached under one run serves another whose combined dtype differs.
    pd.testing.assert_frame_equal(cache.read_street_cached(files[:1], tmp_path / "cache"),
                                  policeuk.read_street(files[:1]))


def test_vanished_file_raises_the_loaders_error(tmp_path):
    files = _archive(tmp_path / "data")
    files[0].path.unlink()
    with pytest.raises(InputDataError) as uncached:
        policeuk.read_street(files)
    with pytest.raises(InputDataError) as cached:
        cache.read_street_cached(files, tmp_path / "cache")
    assert str(cached.value) == str(uncached.value) and "cannot be read" in str(cached.value)
