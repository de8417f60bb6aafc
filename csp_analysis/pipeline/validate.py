"""``python -m csp_analysis validate``: check every configured input without running the assessment."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from csp_analysis.errors import CSPError, InputDataError

COLUMNS = ("file", "where", "problem", "count", "severity")


def _error(exc: Exception, default_file: str) -> dict:
    if isinstance(exc, InputDataError):
        where = ", ".join(x for x in (f"row {exc.row}" if exc.row else "",
                                      f"column '{exc.column}'" if exc.column else "") if x)
        return {"file": str(exc.path), "where": where, "problem": exc.problem, "count": 1, "severity": "error"}
    return {"file": default_file, "where": "", "problem": str(exc), "count": 1, "severity": "error"}


def _check(rows: list[dict], label: str, action) -> object:
    try:
        return action()
    except CSPError as exc:
        rows.append(_error(exc, label))
    except Exception as exc:  # an unexpected failure is still a problem with that input
        rows.append({"file": label, "where": "", "problem": f"{type(exc).__name__}: {exc}", "count": 1,
                     "severity": "error"})
    return None


def _exclusions(rows: list[dict], path: Path, loaded) -> None:
    for reason, count in loaded.excluded_counts().items():
        first = int(loaded.excluded.index[loaded.excluded["reason"] == reason][0])
        rows.append({"file": str(path), "where": f"first at row {first}", "problem": f"excluded: {reason}",
                     "count": int(count), "severity": "warning"})


def validate(config: Path, data_dir: Path | None) -> pd.DataFrame:
    """Every problem found in the configuration and its inputs: errors, and counted exclusions as warnings."""
    from csp_analysis.police import archive as policeuk
    from csp_analysis.sections.context import context
    from csp_analysis.sections.settings import resolve

    rows: list[dict] = []
    ctx = _check(rows, str(config), lambda: context(resolve(config, data_dir)))
    if ctx is None:
        return pd.DataFrame(rows, columns=list(COLUMNS))
    cfg = ctx.config
    if ctx.settings.has_police_data:
        files = _check(rows, str(ctx.settings.input_path(cfg.inputs.police_uk)), lambda: ctx.data.street_files) or []
        for f in files:
            _check(rows, str(f.path), lambda f=f: policeuk.read_street([f]))
        for f in ctx.data.outcome_files:
            _check(rows, str(f.path), lambda f=f: policeuk.read_outcomes([f]))
        if files and not any(r["severity"] == "error" for r in rows):
            clean = _check(rows, "police.uk", lambda: ctx.data.street_quality)
            if clean is not None:
                for reason, count in [*clean.excluded.items(), *clean.location_notes.items(), *clean.notes.items()]:
                    if count and reason != "no location (counted, not mapped)":
                        rows.append({"file": str(ctx.settings.input_path(cfg.inputs.police_uk)), "where": "",
                                     "problem": reason, "count": int(count), "severity": "warning"})
            _check(rows, "police.uk", ctx.data.check_coverage)
    wards = None
    if cfg.inputs.wards:
        wards = _check(rows, cfg.inputs.wards, lambda: ctx.data.wards)
        repaired = wards.attrs.get("repaired_geometries", 0) if wards is not None else 0
        if repaired:
            rows.append({"file": str(ctx.settings.input_path(cfg.inputs.wards)), "where": "geometry",
                         "problem": "invalid geometries repaired", "count": int(repaired), "severity": "warning"})
        if wards is not None and ctx.settings.has_police_data and not any(r["severity"] == "error" for r in rows):
            _check(rows, cfg.inputs.wards, ctx.data.check_ward_overlap)
    if cfg.inputs.lsoa_ward_lookup and cfg.inputs.population and cfg.inputs.wards and wards is not None:
        _check(rows, cfg.inputs.population, lambda: ctx.data.ward_population)
    for label, configured, loader, path in (
        ("fire", cfg.fire, lambda: ctx.data.fire_incidents, cfg.fire and cfg.fire.path),
        ("collisions", cfg.collisions or cfg.stats19, lambda: ctx.data.collisions,
         (cfg.collisions and cfg.collisions.path) or (cfg.stats19 and cfg.stats19.collisions)),
        ("casework", cfg.casework, lambda: ctx.data.casework, cfg.casework and cfg.casework.path),
    ):
        if configured:
            loaded = _check(rows, str(ctx.settings.input_path(str(path))), loader)
            if loaded is not None:
                _exclusions(rows, ctx.settings.input_path(str(path)), loaded)
    if cfg.returns:
        _check(rows, ", ".join(cfg.returns), lambda: ctx.data.returns)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def outlook_lines(config: Path) -> list[str]:
    """What each section will produce with the configuration, and what each missing input costs
    (empty when the configuration itself cannot be read: validate reports that as an error)."""
    from csp_analysis.config.assessment import load_config
    from csp_analysis.sections import select
    from csp_analysis.sections.needs import outlook

    try:
        cfg = load_config(config)
        sections = select(None, cfg.sections)
    except CSPError:
        return []
    return [outlook(section, cfg).line() for section in sections]
