"""Run the everyday benchmarks in turn (make benchmark); the national suite is `make benchmark-national`.

Usage: python benchmarks/run.py [--data-dir DIR]   (DIR: the published data, default ../shared/data)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=HERE.parent.parent / "shared" / "data")
    args = parser.parse_args()
    for script, extra in (("load_real.py", ["--data-dir", str(args.data_dir)]),
                          ("bench_ward_assignment.py", ["--data-dir", str(args.data_dir)]),
                          ("demo_assessment.py", [])):
        print(f"== {script}", flush=True)
        subprocess.run([sys.executable, str(HERE / script), *extra], check=True)


if __name__ == "__main__":
    main()
