"""What a run records beside its outputs: the data files each section read, their hashes, and the
package versions (``manifest.json``)."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from csp_analysis import __version__
from csp_analysis.paths import sha256_file
from csp_analysis.sections import Section
from csp_analysis.sections.context import Context

RECORDED_PACKAGES = (
    "pandas", "numpy", "scipy", "pyarrow", "geopandas", "shapely", "pyogrio", "pyproj", "matplotlib",
    "seaborn", "mapclassify", "libpysal", "esda", "pandera", "pydantic", "papermill", "nbconvert", "ipykernel",
)


def section_inputs(ctx: Context, section: Section) -> list[Path]:
    """The data files one section reads (what its result depends on, besides code and parameters)."""
    config = ctx.config
    key = section.key
    relatives: list[str | None] = []
    if key != "crime_performance":
        relatives.append(config.inputs.wards)  # wards also place partner records
    if key == "ward_hotspots":
        relatives += [config.inputs.lsoa_ward_lookup, config.inputs.population, config.inputs.lsoa_boundaries]
    if key in ("crime_performance", "priorities"):
        relatives.append(config.inputs.population)  # rates per 1,000 and the district ranking; the CSS per 1,000
    if key == "crime_performance":
        relatives.append(config.inputs.national_population)
    if key in ("fire_and_rtc", "priorities"):
        relatives += [str(m.path) for m in (config.fire, config.collisions) if m is not None]
        if config.stats19:
            relatives += [config.stats19.collisions, config.stats19.casualties]
    if key in ("community_protection", "priorities") and config.casework is not None:
        relatives.append(str(config.casework.path))
    if key in ("crime_performance", "fire_and_rtc", "community_protection"):
        relatives += [*config.returns, config.published_changes]
    police = ctx.settings.has_police_data and section.uses_police_data
    files = [f.path for f in ctx.data.street_files + ctx.data.outcome_files] if police else []
    if key == "crime_performance" and config.inputs.national_police_uk:
        from csp_analysis.police.national import street_files

        files += [f.path for f in street_files(ctx.settings.input_path(config.inputs.national_police_uk),
                                               ctx.current.months)]
    return list(dict.fromkeys(files + [ctx.settings.input_path(r) for r in dict.fromkeys(relatives) if r]))


def input_files(ctx: Context, sections: list[Section]) -> list[Path]:
    """Every data file the assessment's sections read."""
    files = (f for section in sections for f in section_inputs(ctx, section))
    return list(dict.fromkeys(files))


def describe_file(path: Path, root: Path) -> dict:
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    return {"path": shown.as_posix(), "bytes": path.stat().st_size, "sha256": sha256_file(path)}


def package_versions() -> dict[str, str]:
    versions = {"python": sys.version.split()[0], "csp-analysis": __version__}
    for name in RECORDED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def manifest(ctx: Context, sections: list[Section], parameters: dict, runs: list[dict]) -> dict:
    """The run's record: parameters, periods, resolved configuration, inputs, packages, notebook times."""
    return {
        "tool": {"name": "csp-analysis", "version": __version__},
        "parameters": {**parameters, "sections": [s.key for s in sections]},
        "periods": {"current": ctx.current.months, "previous": ctx.previous.months},
        "config": ctx.config.model_dump(mode="json"),
        "inputs": [describe_file(p, ctx.settings.data_dir) for p in input_files(ctx, sections)],
        "packages": package_versions(),
        "notebooks": runs,
    }
