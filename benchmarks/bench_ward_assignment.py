"""Time assign_to_wards on every Hertfordshire police.uk point for 2021 against the St Albans wards.

Usage: python benchmarks/bench_ward_assignment.py [--data-dir DIR] [--repeat N]
DIR defaults to ../shared/data relative to the repository root.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd

from csp_analysis.geo.boundaries import load_wards
from csp_analysis.geo.wards import assign_to_wards

REPO_ROOT = Path(__file__).resolve().parents[1]
MONTHS = [f"2021-{month:02d}" for month in range(1, 13)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    wards = load_wards(args.data_dir / "boundaries" / "st-albans-wards-2013.geojson")
    files = [args.data_dir / "police-uk" / month / f"{month}-hertfordshire-street.csv" for month in MONTHS]
    records = pd.concat([pd.read_csv(f, usecols=["Longitude", "Latitude"]) for f in files], ignore_index=True)
    print(f"loaded {len(records):,} records and {len(wards)} wards in {time.perf_counter() - start:.2f} s")

    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        assigned = assign_to_wards(records, wards)
        timings.append(time.perf_counter() - start)
    best, median = min(timings), statistics.median(timings)
    print(f"assign_to_wards: best {best:.3f} s, median {median:.3f} s over {args.repeat} runs")
    print(assigned["assignment"].value_counts().to_string())


if __name__ == "__main__":
    main()
