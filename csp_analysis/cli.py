"""Command line: ``python -m csp_analysis run|demo ...``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .errors import CSPError
from .periods import COMPARISONS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m csp_analysis", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show tracebacks and keep partial output")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the assessment's section notebooks and write the report")
    run.add_argument("--config", required=True, type=Path, help="YAML configuration (e.g. config/default.yml)")
    run.add_argument("--data-dir", type=Path, help="folder the configuration's input paths are relative to")
    run.add_argument("--period-start", metavar="YYYY-MM", help="first month of the current period")
    run.add_argument("--period-end", metavar="YYYY-MM", help="last month of the current period")
    run.add_argument("--comparison", choices=COMPARISONS, help="what the current period is compared with")
    run.add_argument("--sections", nargs="+", metavar="SECTION", help="only these sections (default: all)")
    run.add_argument("--output-dir", type=Path, help="where to write (default: outputs/<area>_<start>_<end>)")

    demo = commands.add_parser("demo", help="generate the synthetic demonstration district")
    demo.add_argument("--out", type=Path, default=None, help="folder to write (default: data/demo)")
    demo.add_argument("--force", action="store_true", help="regenerate even if present and current")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "run":
            from .runner import RunRequest, run

            request = RunRequest(args.config.resolve(), args.data_dir and args.data_dir.resolve(),
                                 args.period_start, args.period_end, args.comparison,
                                 tuple(args.sections or ()), args.output_dir and args.output_dir.resolve())
            target = run(request, keep_failed=args.debug)
            print(f"assessment written to {target}/index.html")
        elif args.command == "demo":
            from . import demo
            from .config import PROJECT_ROOT

            out = (args.out or PROJECT_ROOT / "data" / "demo").resolve()
            (demo.generate if args.force else demo.ensure)(out)
            print(f"demonstration data in {out}")
    except CSPError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0
