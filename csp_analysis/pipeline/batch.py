"""Run many assessments from one batch file: every district of a force, several periods, ...

A batch file names a base configuration and a list of runs, each overriding any of its keys::

    base: ../st-albans.yml            # relative to the batch file
    sections: [crime_performance]     # optional, for every run
    runs:
      - area: {name: Dacorum, lsoa_name_prefixes: [Dacorum]}
      - area: {name: Watford, lsoa_name_prefixes: [Watford]}
        period: {start: 2021-07, end: 2021-12}

Each run writes its own output folder, named after everything that makes two outputs differ (see
:func:`output_name`), and never replaces a folder holding another configuration's output; one
run's failure is reported at the end and does not stop the others. The configuration each run
used is kept beside the outputs in ``.batch/``.
"""

from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

from csp_analysis.config.assessment import parse_config
from csp_analysis.errors import CSPError
from csp_analysis.paths import PROJECT_ROOT, slug
from csp_analysis.pipeline.progress import Progress

_RUN_KEYS = {"base", "sections", "runs"}


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) \
            else value
    return merged


def load_batch(path: Path) -> list[tuple[str, dict]]:
    """The batch's runs as (name, configuration) pairs, each validated like a configuration file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CSPError(f"batch file {path} cannot be read: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("runs"), list) or "base" not in raw:
        raise CSPError(f"batch file {path}: needs 'base' (a configuration file) and 'runs' (a list)")
    unknown = set(raw) - _RUN_KEYS
    if unknown:
        raise CSPError(f"batch file {path}: unknown key(s) {', '.join(sorted(unknown))}")
    base_path = (path.parent / raw["base"]).resolve()
    base = yaml.safe_load(base_path.read_text(encoding="utf-8"))
    for key in ("title", "strategy", "document"):  # each run is its own area's, not the base's partnership's
        base.pop(key, None)
    if base.get("data_dir"):
        base["data_dir"] = str((base_path.parent / base["data_dir"]).resolve())
    runs = []
    for number, override in enumerate(raw["runs"], start=1):
        config = _merge(base, override or {})
        if "sections" in raw:
            config["sections"] = raw["sections"]
        name = config.get("area", {}).get("name", f"run {number}")
        parse_config(config, f"{path} run {number} ({name})")
        runs.append((name, config))
    return runs


def output_name(config: dict, settings, sections: list[str]) -> str:
    """``<area>_<start>_<end>_<comparison>_<sections>_<digest>``: the digest covers the whole
    resolved configuration and the data folder, so runs that differ in anything get their own folder."""
    from csp_analysis.sections import SECTIONS

    chosen = "all" if sorted(sections) == sorted(s.key for s in SECTIONS) else \
        "-".join(slug(k) for k in sections)
    record = {"config": settings.config.model_dump(mode="json"), "data_dir": str(settings.data_dir),
              "comparison": settings.comparison, "sections": sections}
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:8]
    return f"{slug(config['area']['name'])}_{settings.current.slug}_{settings.comparison}_{chosen}_{digest}"


def _same_configuration(folder: Path, config: dict) -> bool:
    """True unless ``folder`` holds an output whose recorded configuration differs from ``config``."""
    try:
        recorded = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return recorded.get("config") == config


def _run_one(name: str, config: dict, config_file: Path, data_dir: Path | None, output_root: Path) -> tuple:
    from csp_analysis.pipeline.runner import RunRequest, run

    started = time.perf_counter()
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    try:
        from csp_analysis.sections import select
        from csp_analysis.sections.settings import resolve

        settings = resolve(config_file, data_dir)
        sections = [s.key for s in select(None, settings.config.sections)]
        out = output_root / output_name(config, settings, sections)
        if not _same_configuration(out, settings.config.model_dump(mode="json")):
            raise CSPError(f"{out} holds the output of another configuration; it was not replaced")
        target = run(RunRequest(config_file, data_dir, output_dir=out))
        return name, str(target), None, time.perf_counter() - started
    except CSPError as exc:
        return name, None, str(exc), time.perf_counter() - started
    except Exception as exc:  # one area's failure must not stop the others
        return name, None, f"{type(exc).__name__}: {exc}", time.perf_counter() - started


def run_batch(path: Path, data_dir: Path | None, output_root: Path | None, jobs: int = 1) -> int:
    """Run every assessment of a batch file; returns the exit status (0 when all succeeded)."""
    runs = load_batch(path.resolve())
    output_root = (output_root or PROJECT_ROOT / "outputs").resolve()
    configs = output_root / ".batch"
    configs.mkdir(parents=True, exist_ok=True)
    data_dir = data_dir.resolve() if data_dir else None
    started = time.perf_counter()
    jobs_args = [(name, config, configs / f"{number:02d}-{slug(name)}.yml", data_dir, output_root)
                 for number, (name, config) in enumerate(runs, start=1)]
    results = []
    with Progress(len(runs), f"assessments ({jobs} at a time)") as progress:
        if jobs > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for result in pool.map(_run_one, *zip(*jobs_args)):
                    progress.start(result[0])
                    results.append(result)
                    progress.done()
        else:
            for args in jobs_args:
                progress.start(args[0])
                results.append(_run_one(*args))
                progress.done()
    failed = [r for r in results if r[2] is not None]
    for name, target, error, seconds in results:
        status = f"ok   {seconds:6.1f} s  {target}" if error is None else f"FAIL {seconds:6.1f} s  {error}"
        print(f"{name:<24} {status}")
    print(f"{len(results) - len(failed)} of {len(results)} assessments written in "
          f"{time.perf_counter() - started:.1f} s" + (f"; {len(failed)} failed" if failed else ""))
    return 1 if failed else 0
