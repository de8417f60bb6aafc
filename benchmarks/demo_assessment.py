"""Time the whole demonstration assessment (python -m csp_analysis run) from the command line.

Usage: python benchmarks/demo_assessment.py [--repeat N]
The demo data are generated first (not timed); each run writes into a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "csp_analysis", "demo"], cwd=REPO_ROOT, check=True)
    timings = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "csp_analysis", "run", "--config", "config/default.yml",
                            "--output-dir", str(Path(folder) / "out")], cwd=REPO_ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            timings.append(time.perf_counter() - start)
    print(f"whole demo assessment (5 sections): best {min(timings):.1f} s, median {statistics.median(timings):.1f} s "
          f"over {args.repeat} runs (floor: 60 s)")


if __name__ == "__main__":
    main()
