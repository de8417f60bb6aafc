"""Command line: ``python -m csp_analysis run|build|section|assemble|plan|batch|validate|demo ...``."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from csp_analysis.errors import CSPError, os_error_message
from csp_analysis.periods import COMPARISONS


def _run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, type=Path, help="YAML configuration (e.g. config/default.yml)")
    parser.add_argument("--data-dir", type=Path, help="folder the configuration's input paths are relative to")
    parser.add_argument("--period-start", metavar="YYYY-MM", help="first month of the current period")
    parser.add_argument("--period-end", metavar="YYYY-MM", help="last month of the current period")
    parser.add_argument("--comparison", choices=COMPARISONS, help="what the current period is compared with")
    parser.add_argument("--sections", nargs="+", metavar="SECTION", help="only these sections (default: all)")
    parser.add_argument("--output-dir", type=Path, help="where to write (default: outputs/<area>_<start>_<end>)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m csp_analysis", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show tracebacks and keep a failed section's output")
    commands = parser.add_subparsers(dest="command", required=True)

    run_command = commands.add_parser("run", help="run the assessment's section notebooks and write the report")
    _run_arguments(run_command)
    run_command.add_argument("--partial", action="store_true",
                     help="if a section fails, publish the finished ones anyway, labelled partial on every page")
    _run_arguments(commands.add_parser("build", help="build the assessment with make, rerunning only what changed "
                                                     "(what make assessment runs)"))
    section = commands.add_parser("section", help="run one section into the output folder (used by make)")
    section.add_argument("key", help="the section, e.g. crime_performance")
    _run_arguments(section)
    _run_arguments(commands.add_parser("assemble", help="write index, manifest and assessment.html (used by make)"))
    plan = commands.add_parser("plan", help="write the makefile that builds one assessment incrementally")
    _run_arguments(plan)
    plan.add_argument("--makefile", type=Path,
                      help="the makefile to write (default: the output's own, in .build/outputs/)")
    batch = commands.add_parser("batch", help="run a list of assessments; failures are reported at the end")
    batch.add_argument("batch_file", type=Path, help="YAML batch file (see docs/batch.md)")
    batch.add_argument("--data-dir", type=Path, help="data directory for every run")
    batch.add_argument("--output-root", type=Path, help="folder for the runs' output folders (default: outputs/)")
    batch.add_argument("--jobs", type=int, default=1, help="assessments run side by side (default 1)")

    validate = commands.add_parser("validate", help="check every input of a configuration without running it")
    validate.add_argument("--config", required=True, type=Path, help="YAML configuration")
    validate.add_argument("--data-dir", type=Path, help="folder the configuration's input paths are relative to")

    demo = commands.add_parser("demo", help="generate the synthetic demonstration district")
    demo.add_argument("--out", type=Path, default=None, help="folder to write (default: data/demo)")
    demo.add_argument("--force", action="store_true", help="regenerate even if present and current")
    return parser


def _request(args):
    from csp_analysis.pipeline.runner import RunRequest

    return RunRequest(args.config.resolve(), args.data_dir and args.data_dir.resolve(), args.period_start,
                      args.period_end, args.comparison, tuple(args.sections or ()),
                      args.output_dir and args.output_dir.resolve())


def _fail(message: str, debug: bool) -> int:
    """Report a user-facing error (after the traceback with --debug); exit status 2."""
    if debug:
        traceback.print_exc()
    print(f"error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "run":
            from csp_analysis.pipeline.runner import run

            target = run(_request(args), keep_failed=args.debug, partial=args.partial)
            print(f"assessment written to {target}/index.html")
        elif args.command == "build":
            from csp_analysis.pipeline.plan import build

            return build(_request(args))
        elif args.command == "section":
            from csp_analysis.pipeline.runner import run_one_section

            print(f"section written to {run_one_section(_request(args), args.key)}")
        elif args.command == "assemble":
            from csp_analysis.pipeline.runner import assemble_in_place

            print(f"assessment written to {assemble_in_place(_request(args))}/index.html")
        elif args.command == "plan":
            from csp_analysis.pipeline.plan import plan_makefile

            print(plan_makefile(_request(args), args.makefile and args.makefile.resolve()))
        elif args.command == "validate":
            from csp_analysis.pipeline.validate import outlook_lines, validate

            problems = validate(args.config.resolve(), args.data_dir and args.data_dir.resolve())
            if problems.empty:
                print("no problems found")
            else:
                print(problems.to_string(index=False))
            lines = outlook_lines(args.config.resolve())
            if lines:
                print("\nWhat each section will produce:\n" + "\n".join(f"  {line}" for line in lines))
            return 1 if (problems["severity"] == "error").any() else 0
        elif args.command == "batch":
            from csp_analysis.pipeline.batch import run_batch

            return run_batch(args.batch_file, args.data_dir, args.output_root, args.jobs)
        elif args.command == "demo":
            from csp_analysis import demo
            from csp_analysis.paths import PROJECT_ROOT

            out = (args.out or PROJECT_ROOT / "data" / "demo").resolve()
            (demo.generate if args.force else demo.ensure)(out)
            print(f"demonstration data in {out}")
    except CSPError as exc:
        return _fail(str(exc), args.debug)
    except OSError as exc:  # disk full, read-only or forbidden folders: the system's refusal, in words
        return _fail(os_error_message(exc), args.debug)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0
