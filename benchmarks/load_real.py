"""Time loading and selecting the real Hertfordshire police.uk files with the project's loader.

Usage: python benchmarks/load_real.py [--data-dir DIR] [--district NAME] [--repeat N] [--cache-dir DIR]

DIR defaults to ../shared/data relative to the repository root (13 monthly street files,
2021-01 to 2022-01, 108,465 rows). Each run is a fresh subprocess: ``policeuk.discover`` +
``policeuk.read_street`` + ``LsoaSelector(lsoa_name_prefixes=[NAME]).mask`` (NAME: St Albans), timed
after the imports, with the subprocess's own peak RSS (``os.wait4``). Then the same through the
Parquet cache (second run), in a temporary cache folder unless ``--cache-dir`` is given.
Floor: under 1 s for the uncached load and selection.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from child import measure_subprocess

REPO_ROOT = Path(__file__).resolve().parents[1]
FLOOR_SECONDS = 1.0


def child(data_dir: Path, district: str, cache_dir: Path | None) -> None:
    start = time.perf_counter()
    from csp_analysis.police import archive as policeuk
    from csp_analysis.police.selection import LsoaSelector
    imported = time.perf_counter()
    files = policeuk.discover(data_dir / "police-uk", "street")
    records = policeuk.read_street(files, cache_dir=cache_dir)
    area = records[LsoaSelector(lsoa_name_prefixes=[district]).mask(records)]
    done = time.perf_counter()
    print("RESULT " + json.dumps({"seconds": done - imported, "import_seconds": imported - start,
                                  "files": len(files), "rows": len(records), "selected": len(area)}))


def measure(args: argparse.Namespace, cache_dir: Path | None) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--data-dir", str(args.data_dir),
               "--district", args.district]
    if cache_dir is not None:
        command += ["--cache-dir", str(cache_dir)]
    return measure_subprocess(command, "load")


def summarise(label: str, runs: list[dict]) -> str:
    median = statistics.median(r["seconds"] for r in runs)
    return (f"| {label} | {median:.3f} | {min(r['seconds'] for r in runs):.3f} | "
            f"{statistics.median(r['process_seconds'] for r in runs):.2f} | {max(r['peak_mb'] for r in runs):,.0f} | "
            f"{runs[0]['files']} files, {runs[0]['rows']:,} rows, {runs[0]['selected']:,} selected |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    parser.add_argument("--district", default="St Albans")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache-dir", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.data_dir, args.district, args.cache_dir)
        return

    plain = [measure(args, None) for _ in range(args.repeat)]
    with tempfile.TemporaryDirectory(prefix="csp-cache-") as scratch:
        cache_dir = args.cache_dir or Path(scratch)
        first = measure(args, cache_dir)
        warm = [measure(args, cache_dir) for _ in range(args.repeat)]
    median = statistics.median(r["seconds"] for r in plain)
    print(f"Real Hertfordshire police.uk data in {args.data_dir / 'police-uk'}; district {args.district}; "
          f"{args.repeat} fresh subprocesses each; load average {tuple(round(x, 2) for x in os.getloadavg())}")
    print()
    print("| load + select | median s | best s | process s | peak RSS MB | result |")
    print("|---|---:|---:|---:|---:|---|")
    print(summarise("`read_street(files)` (CSV, pyarrow engine)", plain))
    print(summarise("`read_street(files, cache_dir=...)`, first run (parse + write)", [first]))
    print(summarise("`read_street(files, cache_dir=...)`, second run (Parquet)", warm))
    print()
    print(f"Floor (uncached load + select under {FLOOR_SECONDS:.0f} s): {median:.3f} s: "
          f"{'MET' if median < FLOOR_SECONDS else 'NOT MET'}")


if __name__ == "__main__":
    main()
