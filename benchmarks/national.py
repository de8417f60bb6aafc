"""National-scale benchmark: a synthetic year of police.uk street files for 43 forces, and timings.

Usage:
    python benchmarks/national.py [--rows-per-force-month N] [--work-dir DIR] [--repeat R]
                                  [--compare-python PYTHON] [--tasks TASK ...] [--json PATH]
                                  [--data-dir DIR] [--from-json PATH]

The first run writes a deterministic (seeded) national year in the police.uk archive layout,
``DIR/police-uk/YYYY-MM/YYYY-MM-<force>-street.csv`` for 43 forces x 12 months (default 11,600 rows
a file: ~6.0 million rows, ~1.3 GB), and reuses it on later runs while the parameters match.
Each measurement then runs ``R`` times, every time in a fresh subprocess, so that its peak resident
memory (``ru_maxrss`` from ``os.wait4``) is its own; the table shows the median wall time and the
largest peak:

  a  ingest every file + select one district + count by LSOA and category (the chosen engine,
     ``csp_analysis.police.national.district_counts``: pyarrow CSV reader, per-file group-by)
  b  the same with a naive pandas loop: ``pd.concat([pd.read_csv(f) for f in files])``, then select
     and count in pandas
  c  a plain lazy columnar scan of the same files with the chosen engine (``pyarrow.dataset``,
     every column, streamed batch by batch, nothing kept): the cost of reading alone
  d  ward assignment of one force-year (Hertfordshire, ~139k points) to the 20 St Albans wards with
     ``csp_analysis.geo.wards.assign_to_wards`` (needs ``--data-dir``'s boundaries; skipped without)
  e  the Parquet cache: ``policeuk.read_street(files, cache_dir=...)`` cold (parse + write) and warm
     (second run), and ``district_counts(..., cache_dir=...)`` warm

``--compare-python`` names another interpreter (e.g. a scratch venv with polars and duckdb) in which
the same ingest-select-aggregate is also timed with polars, DuckDB and pandas' pyarrow engine, for the
engine decision (docs/performance.md). Nothing is written inside the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np
from child import measure_subprocess

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORK_DIR = Path(tempfile.gettempdir()) / "csp-national-bench"
DEFAULT_ROWS = 11_600          # x 43 forces x 12 months = 5,985,600 rows
SEED = 20240101
YEAR = 2024
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
GENERATOR_VERSION = 1
DISTRICT = "St Albans"         # the district selected in the benchmark
FORCE_FOR_WARDS = "hertfordshire"

# ---------------------------------------------------------------------------------------------------
# The synthetic national year
# ---------------------------------------------------------------------------------------------------

#: The 43 territorial police forces of England and Wales: police.uk file slug and "Falls within" name.
FORCES: tuple[tuple[str, str], ...] = (
    ("avon-and-somerset", "Avon and Somerset Constabulary"), ("bedfordshire", "Bedfordshire Police"),
    ("cambridgeshire", "Cambridgeshire Constabulary"), ("cheshire", "Cheshire Constabulary"),
    ("city-of-london", "City of London Police"), ("cleveland", "Cleveland Police"),
    ("cumbria", "Cumbria Constabulary"), ("derbyshire", "Derbyshire Constabulary"),
    ("devon-and-cornwall", "Devon & Cornwall Police"), ("dorset", "Dorset Police"),
    ("durham", "Durham Constabulary"), ("dyfed-powys", "Dyfed-Powys Police"), ("essex", "Essex Police"),
    ("gloucestershire", "Gloucestershire Constabulary"), ("greater-manchester", "Greater Manchester Police"),
    ("gwent", "Gwent Police"), ("hampshire", "Hampshire Constabulary"),
    ("hertfordshire", "Hertfordshire Constabulary"), ("humberside", "Humberside Police"),
    ("kent", "Kent Police"), ("lancashire", "Lancashire Constabulary"),
    ("leicestershire", "Leicestershire Police"), ("lincolnshire", "Lincolnshire Police"),
    ("merseyside", "Merseyside Police"), ("metropolitan", "Metropolitan Police Service"),
    ("norfolk", "Norfolk Constabulary"), ("north-wales", "North Wales Police"),
    ("north-yorkshire", "North Yorkshire Police"), ("northamptonshire", "Northamptonshire Police"),
    ("northumbria", "Northumbria Police"), ("nottinghamshire", "Nottinghamshire Police"),
    ("south-wales", "South Wales Police"), ("south-yorkshire", "South Yorkshire Police"),
    ("staffordshire", "Staffordshire Police"), ("suffolk", "Suffolk Constabulary"),
    ("surrey", "Surrey Police"), ("sussex", "Sussex Police"), ("thames-valley", "Thames Valley Police"),
    ("warwickshire", "Warwickshire Police"), ("west-mercia", "West Mercia Police"),
    ("west-midlands", "West Midlands Police"), ("west-yorkshire", "West Yorkshire Police"),
    ("wiltshire", "Wiltshire Police"),
)
WELSH = {"dyfed-powys", "gwent", "north-wales", "south-wales"}

#: Real district names (and rough centres, lon/lat) where the benchmark or the wards need them.
HERTS_DISTRICTS = {
    "Broxbourne": (-0.03, 51.72), "Dacorum": (-0.55, 51.77), "East Hertfordshire": (0.05, 51.85),
    "Hertsmere": (-0.28, 51.68), "North Hertfordshire": (-0.20, 51.98), "St Albans": (-0.34, 51.76),
    "Stevenage": (-0.20, 51.90), "Three Rivers": (-0.45, 51.65), "Watford": (-0.40, 51.66),
    "Welwyn Hatfield": (-0.20, 51.78),
}
LONDON_BOROUGHS = (
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "Croydon", "Ealing",
    "Enfield", "Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey", "Harrow", "Havering",
    "Hillingdon", "Hounslow", "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth",
    "Lewisham", "Merton", "Newham", "Redbridge", "Richmond upon Thames", "Southwark", "Sutton",
    "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster",
)
_FIRST = ("Ash", "Brad", "Bram", "Chel", "Dar", "Eden", "Fen", "Gras", "Hal", "Ickle", "Kel", "Lang",
          "Mar", "Nor", "Oak", "Pen", "Ravens", "Stan", "Thorn", "Ux", "Wex", "Wick", "Ald", "Bex",
          "Cran", "Dun", "Elm", "Fair", "Glen", "Holm", "Kings", "Lyd", "Mel", "New", "Ock", "Pid")
_LAST = ("bury", "ford", "ham", "ley", "ton", "wick", "field", "mouth", "stone", "worth", "dale",
         "borough", "chester", "minster", "bridge", "combe")
_QUALIFIER = ("North ", "South ", "East ", "West ", "Mid ", "", "", "", "", "", "", "")

#: Shares of each category in the real Hertfordshire 2021 files (Violence ~27%, ASB ~24%, ...).
CRIME_TYPES = (
    ("Violence and sexual offences", 29667), ("Anti-social behaviour", 26156), ("Other theft", 7394),
    ("Criminal damage and arson", 7343), ("Vehicle crime", 7215), ("Shoplifting", 6064),
    ("Public order", 5540), ("Burglary", 3403), ("Drugs", 2692), ("Other crime", 1635),
    ("Bicycle theft", 1088), ("Theft from the person", 985), ("Possession of weapons", 675),
    ("Robbery", 550),
)
OUTCOMES = (
    ("Unable to prosecute suspect", 29957), ("Investigation complete; no suspect identified", 26545),
    ("Under investigation", 6070), ("Status update unavailable", 4191), ("Awaiting court outcome", 2695),
    ("Local resolution", 1485), ("Court result unavailable", 1395), ("Offender given a caution", 913),
    ("Action to be taken by another organisation", 546),
    ("Formal action is not in the public interest", 200),
    ("Further investigation is not in the public interest", 173),
    ("Further action is not in the public interest", 75), ("Suspect charged as part of another case", 6),
)
_PLACES = ("Supermarket", "Parking Area", "Petrol Station", "Pedestrian Subway", "Sports/Recreation Area",
           "Shopping Area", "Nightclub", "Hospital", "Police Station", "Further/Higher Educational Building")
_STREETS = ("Street", "Road", "Lane", "Avenue", "Close", "Way", "Drive", "Grove", "Crescent", "Gardens")
NO_LOCATION_SHARE = 0.015       # rows with no coordinates and no LSOA (as ~1.5% of the real files)
CROSS_BORDER_SHARE = 0.015      # rows in a neighbouring force's LSOAs (as "Aylesbury Vale 009A" in Herts)
POINTS_PER_LSOA = 12            # anonymous map points per LSOA that rows are snapped to
STREET_COLUMNS = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                  "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]


@lru_cache(maxsize=1)
def geography(seed: int = SEED) -> dict:
    """Districts, LSOAs and snapped map points of every force (deterministic from ``seed``)."""
    rng = np.random.default_rng(seed)
    names = sorted({q + a + b for q in _QUALIFIER for a in _FIRST for b in _LAST} - {"St Albans"})
    rng.shuffle(names)
    pool = iter(names)
    lsoa_serial = {"E": 0, "W": 0}
    forces = []
    for number, (slug, falls_within) in enumerate(FORCES):
        if slug == "hertfordshire":
            districts = list(HERTS_DISTRICTS.items())
            centre = (-0.25, 51.80)
        else:
            centre = (-4.8 + 6.0 * ((number * 0.618) % 1.0), 50.6 + 4.2 * ((number * 0.381) % 1.0))
            if slug == "metropolitan":
                labels = list(LONDON_BOROUGHS)
                centre = (-0.12, 51.50)
            elif slug == "city-of-london":
                labels = ["City of London"]
                centre = (-0.09, 51.515)
            else:
                labels = [next(pool) for _ in range(int(rng.integers(5, 9)))]
                if slug == "bedfordshire":
                    labels[0] = "St Albansbury"  # shares a prefix with the selected district
            districts = [(label, (centre[0] + rng.normal(0, 0.15), centre[1] + rng.normal(0, 0.10)))
                         for label in labels]
        country = "W" if slug in WELSH else "E"
        lsoa_code, lsoa_name, lsoa_lon, lsoa_lat = [], [], [], []
        for label, (lon, lat) in districts:
            count = int(rng.integers(60, 160))
            msoa = np.sort(rng.integers(1, max(2, count // 5), size=count))
            letters = {}
            for m in msoa:
                letters[m] = letters.get(m, 0) + 1
                lsoa_serial[country] += 1
                lsoa_code.append(f"{country}01{lsoa_serial[country]:06d}")
                lsoa_name.append(f"{label} {m:03d}{chr(64 + min(letters[m], 26))}")
            lsoa_lon.append(lon + rng.normal(0, 0.035, size=count))
            lsoa_lat.append(lat + rng.normal(0, 0.025, size=count))
        lsoa_lon, lsoa_lat = np.concatenate(lsoa_lon), np.concatenate(lsoa_lat)
        n_lsoa = len(lsoa_code)
        point_lsoa = np.repeat(np.arange(n_lsoa), POINTS_PER_LSOA)
        point_lon = np.round(lsoa_lon[point_lsoa] + rng.normal(0, 0.004, size=point_lsoa.size), 6)
        point_lat = np.round(lsoa_lat[point_lsoa] + rng.normal(0, 0.003, size=point_lsoa.size), 6)
        kind = rng.integers(0, 3, size=point_lsoa.size)
        place = np.array([f"On or near {p}" for p in _PLACES])[rng.integers(0, len(_PLACES), point_lsoa.size)]
        street = np.array([f"On or near {a}{b} {s}" for a in _FIRST for b in _LAST[:6] for s in _STREETS])
        street = street[rng.integers(0, street.size, point_lsoa.size)]
        point_location = np.where(kind == 0, place, street)
        forces.append({
            "slug": slug, "falls_within": falls_within, "districts": [d for d, _ in districts],
            "lsoa_code": np.array(lsoa_code), "lsoa_name": np.array(lsoa_name),
            "lsoa_weight": rng.lognormal(0, 0.8, size=n_lsoa),
            "point_lsoa": point_lsoa, "point_lon": point_lon, "point_lat": point_lat,
            "point_location": point_location,
        })
    return {"forces": forces}


def _write_force_month(args: tuple[int, str, int, Path, int]) -> int:
    """Write one ``YYYY-MM-<force>-street.csv``; returns its size in bytes."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    force_index, month, rows, folder, seed = args
    geo = geography(seed)
    force = geo["forces"][force_index]
    neighbour = geo["forces"][(force_index + 1) % len(geo["forces"])]
    rng = np.random.default_rng([seed, force_index, int(month[-2:])])

    where = rng.random(rows)
    cross = where < CROSS_BORDER_SHARE
    nowhere = (where >= CROSS_BORDER_SHARE) & (where < CROSS_BORDER_SHARE + NO_LOCATION_SHARE)
    own_p = force["lsoa_weight"] / force["lsoa_weight"].sum()
    lsoa = rng.choice(own_p.size, size=rows, p=own_p)
    point = lsoa * POINTS_PER_LSOA + rng.integers(0, POINTS_PER_LSOA, rows)
    n_cross = int(cross.sum())
    cross_point = rng.integers(0, neighbour["point_lsoa"].size, n_cross)

    def pick(key_points: str, key_lsoa: str | None = None) -> np.ndarray:
        if key_lsoa is None:
            values = force[key_points][point].astype(object)
            values[cross] = neighbour[key_points][cross_point]
        else:
            values = force[key_lsoa][lsoa].astype(object)
            values[cross] = neighbour[key_lsoa][neighbour["point_lsoa"][cross_point]]
        return values

    lon, lat = pick("point_lon").astype(float), pick("point_lat").astype(float)
    lon[nowhere] = np.nan
    lat[nowhere] = np.nan
    location = pick("point_location")
    location[nowhere] = "No location"
    code, name = pick("", "lsoa_code"), pick("", "lsoa_name")
    code[nowhere] = ""
    name[nowhere] = ""

    type_names = np.array([t for t, _ in CRIME_TYPES], dtype=object)
    type_p = np.array([n for _, n in CRIME_TYPES], dtype=float)
    crime_type = type_names[rng.choice(type_names.size, size=rows, p=type_p / type_p.sum())]
    asb = crime_type == "Anti-social behaviour"
    outcome_names = np.array([o for o, _ in OUTCOMES], dtype=object)
    outcome_p = np.array([n for _, n in OUTCOMES], dtype=float)
    outcome = outcome_names[rng.choice(outcome_names.size, size=rows, p=outcome_p / outcome_p.sum())]
    outcome[asb] = ""
    hex_digits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    nibbles = rng.integers(0, 16, size=(rows, 64), dtype=np.uint8)
    crime_id = hex_digits[nibbles].view("S64").ravel().astype(object)
    crime_id[asb] = b""

    def text(values) -> pa.Array:
        return pa.array(values, type=pa.string())

    def coordinate(values: np.ndarray) -> pa.Array:
        strings = np.char.mod("%.6f", values).astype(object)
        strings[~np.isfinite(values)] = ""
        return text(strings)

    table = pa.table({
        "Crime ID": pa.array(crime_id, type=pa.binary()).cast(pa.string()),
        "Month": text(np.full(rows, month, dtype=object)),
        "Reported by": text(np.full(rows, force["falls_within"], dtype=object)),
        "Falls within": text(np.full(rows, force["falls_within"], dtype=object)),
        "Longitude": coordinate(lon), "Latitude": coordinate(lat), "Location": text(location),
        "LSOA code": text(code), "LSOA name": text(name), "Crime type": text(crime_type),
        "Last outcome category": text(outcome), "Context": text(np.full(rows, "", dtype=object)),
    })
    path = folder / month / f"{month}-{force['slug']}-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pacsv.write_csv(table, tmp, pacsv.WriteOptions(quoting_style="none", quoting_header="none"))
    os.replace(tmp, path)
    return path.stat().st_size


def ensure_national(work_dir: Path, rows: int, seed: int = SEED) -> Path:
    """The synthetic national year under ``work_dir/police-uk``, written unless already there."""
    folder = work_dir / "police-uk"
    marker = folder / "generated.json"
    wanted = {"generator_version": GENERATOR_VERSION, "rows_per_force_month": rows, "seed": seed,
              "forces": len(FORCES), "months": MONTHS}
    if marker.exists() and json.loads(marker.read_text()).get("parameters") == wanted:
        return folder
    if folder.exists():
        for old in folder.glob("*/*-street.csv"):
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    tasks = [(i, month, rows, folder, seed) for i in range(len(FORCES)) for month in MONTHS]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        sizes = list(pool.map(_write_force_month, tasks, chunksize=4))
    geo = geography(seed)
    marker.write_text(json.dumps({
        "parameters": wanted, "files": len(tasks), "rows": rows * len(tasks), "bytes": sum(sizes),
        "districts": sum(len(f["districts"]) for f in geo["forces"]),
        "lsoas": sum(len(f["lsoa_code"]) for f in geo["forces"]),
        "seconds": round(time.perf_counter() - start, 1),
    }, indent=2))
    return folder


# ---------------------------------------------------------------------------------------------------
# Measurements: each runs in a fresh subprocess (`national.py --child TASK ...`)
# ---------------------------------------------------------------------------------------------------

SELECT_PATTERN = r"^(?:St Albans) \d{3}[A-Z]$"   # what LsoaSelector(lsoa_name_prefixes=[DISTRICT]) matches
KEYS = ["LSOA code", "LSOA name", "Crime type"]


def _files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.glob("*/*-street.csv"))


def _summary(frame) -> dict:
    """Groups and records of a count table (columns KEYS + a count), to check engines agree."""
    return {"groups": len(frame), "records": int(frame.iloc[:, -1].sum())}


def child_ingest(folder: Path, **_) -> dict:
    """(a) the chosen engine: csp_analysis.police.national.district_counts (pyarrow CSV, per-file group-by)."""
    from csp_analysis.police import archive as policeuk
    from csp_analysis.police import national

    frame = national.district_counts(folder, None, policeuk.LsoaSelector(lsoa_name_prefixes=[DISTRICT]))
    return _summary(frame)


def child_naive(folder: Path, **_) -> dict:
    """(b) naive pandas: read every file whole with defaults, concatenate, select, count."""
    import pandas as pd

    from csp_analysis.police import archive as policeuk

    records = pd.concat([pd.read_csv(f) for f in _files(folder)], ignore_index=True)
    records["LSOA name"] = records["LSOA name"].fillna("")
    records["LSOA code"] = records["LSOA code"].fillna("")
    chosen = records[policeuk.LsoaSelector(lsoa_name_prefixes=[DISTRICT]).mask(records)]
    return _summary(chosen.groupby(KEYS).size().reset_index())


def child_scan(folder: Path, **_) -> dict:
    """(c) plain lazy columnar scan with the chosen engine: pyarrow.dataset, every column, streamed."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.dataset as ds

    fmt = ds.CsvFileFormat(convert_options=pacsv.ConvertOptions(
        column_types={c: pa.string() for c in STREET_COLUMNS}, strings_can_be_null=False))
    rows = 0
    for batch in ds.dataset(_files(folder), format=fmt).to_batches():
        rows += batch.num_rows
    return {"rows": rows}


def child_loader(folder: Path, **_) -> dict:
    """The project's full loader at national scale: policeuk.read_street, then select and count."""
    from csp_analysis.police import archive as policeuk

    records = policeuk.read_street(policeuk.discover(folder))
    chosen = records[policeuk.LsoaSelector(lsoa_name_prefixes=[DISTRICT]).mask(records)]
    return _summary(chosen.groupby(KEYS).size().reset_index())


def child_pandas_pyarrow(folder: Path, **_) -> dict:
    """Candidate: pandas with the pyarrow engine, only the needed columns, then select and count."""
    import pandas as pd

    from csp_analysis.police import archive as policeuk

    records = pd.concat([pd.read_csv(f, usecols=KEYS, dtype=str, keep_default_na=False, engine="pyarrow")
                         for f in _files(folder)], ignore_index=True)
    chosen = records[policeuk.LsoaSelector(lsoa_name_prefixes=[DISTRICT]).mask(records)]
    return _summary(chosen.groupby(KEYS).size().reset_index())


def child_pyarrow_dataset(folder: Path, **_) -> dict:
    """Candidate: pyarrow.dataset (whole projected table, one Acero group-by), then select in pandas."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.dataset as ds

    from csp_analysis.police import archive as policeuk

    fmt = ds.CsvFileFormat(convert_options=pacsv.ConvertOptions(
        column_types={c: pa.string() for c in STREET_COLUMNS}, strings_can_be_null=False))
    table = ds.dataset(_files(folder), format=fmt).to_table(columns=KEYS)
    counts = table.group_by(KEYS).aggregate([([], "count_all")]).to_pandas()
    return _summary(counts[policeuk.LsoaSelector(lsoa_name_prefixes=[DISTRICT]).mask(counts)])


def child_polars(folder: Path, **_) -> dict:
    """Candidate: polars lazy scan, filter, group-by on the streaming engine, result to pandas."""
    import polars as pl

    query = (pl.scan_csv(_files(folder), infer_schema=False).select(KEYS)
             .filter(pl.col("LSOA name").str.contains(SELECT_PATTERN)).group_by(KEYS).len())
    return _summary(query.collect(engine="streaming").to_pandas())


def child_duckdb(folder: Path, **_) -> dict:
    """Candidate: DuckDB read_csv over the file list, filter and group by in SQL, result to pandas."""
    import duckdb

    sql = ('SELECT "LSOA code", "LSOA name", "Crime type", count(*) AS n '
           'FROM read_csv(?, all_varchar = true, header = true) '
           'WHERE regexp_full_match("LSOA name", ?) GROUP BY ALL')
    frame = duckdb.connect().execute(sql, [_files(folder), SELECT_PATTERN[1:-1]]).df()
    return _summary(frame)


def child_wards(folder: Path, data_dir: Path, **_) -> dict:
    """(d) assign_to_wards for one force-year (Hertfordshire) against the 20 St Albans wards."""
    from csp_analysis.geo.boundaries import load_wards
    from csp_analysis.geo.wards import assign_to_wards
    from csp_analysis.police import archive as policeuk

    wards = load_wards(data_dir / "boundaries" / "st-albans-wards-2013.geojson")
    records = policeuk.read_street(policeuk.discover(folder, forces=[FORCE_FOR_WARDS]))
    start = time.perf_counter()
    assigned = assign_to_wards(records, wards)
    seconds = time.perf_counter() - start
    counts = assigned["assignment"].value_counts()
    return {"seconds": seconds, "points": len(records), "wards": len(wards),
            "within": int(counts.get("within", 0)), "nearest": int(counts.get("nearest", 0))}


def child_cache_read(folder: Path, cache_dir: Path, **_) -> dict:
    """(e) policeuk.read_street through the Parquet cache (cold when the cache folder is empty)."""
    from csp_analysis.police import archive as policeuk
    from csp_analysis.police import cache

    records, stats = cache.read_street_with_stats(policeuk.discover(folder), cache_dir)
    return {"rows": len(records), "hits": len(stats.hits), "misses": len(stats.misses)}


def child_cache_counts(folder: Path, cache_dir: Path, **_) -> dict:
    """(e) district_counts reading the cached Parquet (only the three needed columns)."""
    from csp_analysis.police import archive as policeuk
    from csp_analysis.police import national

    frame = national.district_counts(folder, None, policeuk.LsoaSelector(lsoa_name_prefixes=[DISTRICT]),
                                     cache_dir=cache_dir)
    return _summary(frame)


def child_baseline(folder: Path, **_) -> dict:
    """Interpreter plus pandas, pyarrow and csp_analysis imported: the floor under every peak."""
    import pyarrow.csv  # noqa: F401

    from csp_analysis.police import national  # noqa: F401
    return {}


CHILDREN = {name[len("child_"):]: fn for name, fn in globals().items() if name.startswith("child_")}


def run_child(task: str, folder: Path, cache_dir: Path | None, data_dir: Path) -> None:
    start = time.perf_counter()
    result = CHILDREN[task](folder, cache_dir=cache_dir, data_dir=data_dir)
    result.setdefault("seconds", time.perf_counter() - start)
    print("RESULT " + json.dumps(result))


def measure(python: str, task: str, folder: Path, *, cache_dir: Path | None, data_dir: Path) -> dict:
    """Run one child in a fresh process; its own peak RSS comes from ``os.wait4`` (ru_maxrss)."""
    command = [python, str(Path(__file__).resolve()), "--child", task, "--work-dir", str(folder.parent),
               "--data-dir", str(data_dir)]
    if cache_dir is not None:
        command += ["--cache-dir", str(cache_dir)]
    return measure_subprocess(command, task)


# ---------------------------------------------------------------------------------------------------
# The suite
# ---------------------------------------------------------------------------------------------------

#: (id, task, label, interpreter: "project" or "compare", cache: None, "cold" or "warm")
PLAN: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("a", "ingest", ("ingest + select district + count by LSOA x category: pyarrow CSV, per-file group-by "
                    "(`national.district_counts`) - CHOSEN"), "project", None),
    ("b", "naive", "naive pandas: `pd.concat([pd.read_csv(f) for f in files])`, then select + count",
     "project", None),
    ("c", "scan", "plain lazy columnar scan, all 12 columns, streamed (`pyarrow.dataset`)", "project", None),
    ("", "loader", "project loader `policeuk.read_street` (all columns, validated), then select + count",
     "project", None),
    ("", "pandas_pyarrow", "candidate: pandas `read_csv(engine='pyarrow')`, 3 columns, concat, select + count",
     "project", None),
    ("", "pyarrow_dataset", "candidate: `pyarrow.dataset` projected table, one Acero group-by, select",
     "project", None),
    ("", "polars", "candidate: polars `scan_csv` + filter + group_by, streaming engine", "compare", None),
    ("", "duckdb", "candidate: DuckDB `read_csv` + WHERE + GROUP BY", "compare", None),
    ("d", "wards", "ward assignment of one force-year to 20 wards (`assign_to_wards`; time of the call)",
     "project", None),
    ("e", "cache_read", "`read_street(files, cache_dir=...)`, first run (parse + write Parquet)", "project", "cold"),
    ("e", "cache_read", "`read_street(files, cache_dir=...)`, second run (Parquet)", "project", "warm"),
    ("e", "cache_counts", "`district_counts(..., cache_dir=...)`, second run (3 columns from Parquet)",
     "project", "warm"),
    ("", "baseline", "baseline: interpreter + pandas + pyarrow + csp_analysis imported", "project", None),
)


def machine(compare_python: str | None) -> dict:
    from importlib import metadata

    info = {"cores": os.cpu_count(), "cpu": platform.processor() or platform.machine(),
            "python": sys.version.split()[0], "platform": platform.platform()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("model name"))
        meminfo = Path("/proc/meminfo").read_text().split()
        info["memory_gib"] = round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2, 1)
    except (OSError, StopIteration, ValueError):
        pass
    for name in ("pandas", "pyarrow", "numpy", "geopandas", "shapely"):
        try:
            info[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            info[name] = "not installed"
    if compare_python:
        probe = ("import importlib.metadata as m, json; print(json.dumps({n: m.version(n) "
                 "for n in ('polars', 'duckdb', 'pandas', 'pyarrow')}))")
        found = subprocess.run([compare_python, "-c", probe], capture_output=True, text=True, check=False)
        if found.returncode == 0:
            info["compare"] = json.loads(found.stdout)
    info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE", "")
    return info


def _check(result: dict) -> str:
    if "groups" in result:
        return f"{result['groups']:,} groups, {result['records']:,} records"
    if "points" in result:
        return f"{result['points']:,} points: {result['within']:,} within, {result['nearest']:,} nearest"
    if "hits" in result:
        return f"{result['rows']:,} rows, {result['hits']} hits / {result['misses']} misses"
    if "rows" in result:
        return f"{result['rows']:,} rows"
    return ""


def run_suite(args: argparse.Namespace) -> dict:
    """Every measurement ``--repeat`` times, round-robin (so that load from other processes on the
    machine falls on all of them alike), each run in a fresh subprocess."""
    folder = ensure_national(args.work_dir, args.rows_per_force_month)
    generated = json.loads((folder / "generated.json").read_text())
    info = machine(args.compare_python)
    info["load_average_start"] = os.getloadavg()
    cache_dir = args.work_dir / "parquet-cache"
    plan = []
    for ident, task, label, interpreter, cache in PLAN:
        python = sys.executable if interpreter == "project" else args.compare_python
        if (args.tasks and task not in args.tasks) or python is None:
            continue
        if task == "wards" and not (args.data_dir / "boundaries" / "st-albans-wards-2013.geojson").exists():
            print(f"skipped {task}: no wards under {args.data_dir}", file=sys.stderr)
            continue
        plan.append((ident, task, label, python, cache, []))
    for round_number in range(args.repeat):
        for ident, task, label, python, cache, results in plan:
            if cache == "cold" and cache_dir.exists():
                shutil.rmtree(cache_dir)
            if cache == "warm" and not cache_dir.exists():
                measure(python, "cache_read", folder, cache_dir=cache_dir, data_dir=args.data_dir)
            results.append(measure(python, task, folder, cache_dir=cache_dir if cache else None,
                                   data_dir=args.data_dir))
            print(f"  round {round_number + 1}: {task:16} {cache or '':5} {results[-1]['seconds']:7.2f} s "
                  f"{results[-1]['cpu_seconds']:7.2f} cpu-s {results[-1]['peak_mb']:7.0f} MB", file=sys.stderr)
    rows = []
    for ident, task, label, python, cache, results in plan:
        rows.append({
            "id": ident, "task": task, "label": label, "cache": cache, "runs": len(results),
            "seconds": statistics.median(r["seconds"] for r in results),
            "seconds_all": [round(r["seconds"], 2) for r in results],
            "process_seconds": statistics.median(r["process_seconds"] for r in results),
            "cpu_seconds": statistics.median(r["cpu_seconds"] for r in results),
            "peak_mb": max(r["peak_mb"] for r in results),
            "check": " | ".join(sorted({_check(r) for r in results})),
        })
    info["load_average_end"] = os.getloadavg()
    return {"machine": info, "data": generated, "rows": rows}


def render(report: dict) -> str:
    info, data, rows = report["machine"], report["data"], report["rows"]
    chosen = next((r for r in rows if r["task"] == "ingest"), None)
    lines = [
        f"Machine: {info['cores']} cores ({info.get('cpu', '?')}), {info.get('memory_gib', '?')} GiB; "
        f"Python {info['python']}, pandas {info['pandas']}, pyarrow {info['pyarrow']}, numpy {info['numpy']}, "
        f"geopandas {info['geopandas']}, shapely {info['shapely']}"
        + (f"; compared: {', '.join(f'{k} {v}' for k, v in info['compare'].items())}" if "compare" in info else ""),
        (f"Load average at start {tuple(round(x, 2) for x in info['load_average_start'])}, "
        f"at end {tuple(round(x, 2) for x in info['load_average_end'])}"),
        (f"Data: {data['files']} files ({len(data['parameters']['months'])} months x {data['parameters']['forces']} "
        f"forces), {data['rows']:,} rows, {data['bytes'] / 1e9:.2f} GB, {data['districts']} districts, "
        f"{data['lsoas']:,} LSOAs; district selected: {DISTRICT}"),
        "",
        ("| | measurement | wall s (median) | best s | process s | CPU s | peak RSS MB | time / (a) | peak / (a) "
        "| result |"),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        comparable = chosen and r["task"] not in ("wards", "baseline")
        ratio_t = f"{r['seconds'] / chosen['seconds']:.1f}x" if comparable else ""
        ratio_m = f"{r['peak_mb'] / chosen['peak_mb']:.1f}x" if chosen and r["task"] != "baseline" else ""
        lines.append(f"| {r['id']} | {r['label']} | {r['seconds']:.2f} | {min(r['seconds_all']):.2f} | "
                     f"{r['process_seconds']:.2f} | "
                     f"{r['cpu_seconds']:.2f} | {r['peak_mb']:,.0f} | {ratio_t} | {ratio_m} | {r['check']} |")
    if chosen:
        ok = chosen["process_seconds"] < 10 and chosen["peak_mb"] < 1500
        lines += ["", (f"Floor (national ingest-select-aggregate under 10 s and 1.5 GB, whole process): "
                      f"{chosen['process_seconds']:.2f} s, {chosen['peak_mb']:,.0f} MB: {'MET' if ok else 'NOT MET'}")]
    lines += ["", (f"Each row: median of {rows[0]['runs'] if rows else 0} runs, round-robin, each in a fresh "
                  "subprocess; peak RSS is the largest ru_maxrss of those runs (os.wait4). 'wall s' times the "
                  "operation after imports; 'process s' and 'CPU s' (user + system, all threads) the whole "
                  "subprocess, interpreter start and imports included.")]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows-per-force-month", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT.parent / "shared" / "data",
                        help="the published data (for the St Albans ward boundaries); default ../shared/data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare-python", help="an interpreter with polars and duckdb, for the candidates")
    parser.add_argument("--tasks", nargs="*", help=f"only these tasks ({', '.join(sorted(CHILDREN))})")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--from-json", type=Path, help="only print the table of an earlier --json file")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.work_dir = args.work_dir.resolve()
    if args.work_dir == REPO_ROOT or REPO_ROOT in args.work_dir.parents:
        parser.error("--work-dir must be outside the repository")
    if args.child:
        run_child(args.child, args.work_dir / "police-uk", args.cache_dir, args.data_dir)
        return
    if args.from_json:
        print(render(json.loads(args.from_json.read_text())))
        return
    report = run_suite(args)
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
