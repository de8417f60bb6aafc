"""The context every section notebook starts from: config, periods, data and output folders."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from csp_analysis.config.assessment import (
    AreaConfig,
    load_config,
    resolve_data_dir,
)
from csp_analysis.errors import CSPError, InputDataError
from csp_analysis.paths import DEFAULT_CONFIG, PROJECT_ROOT
from csp_analysis.periods import Period, comparison_period
from csp_analysis.police import archive as policeuk
from csp_analysis.police.cache import read_street_cached
from csp_analysis.police.selection import LsoaSelector

log = logging.getLogger(__name__)


def _project_path(value: str | Path | None, default: Path) -> Path:
    """Notebook parameters are relative to the project root, whatever the working directory."""
    if value is None or value == "":
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path).resolve()


def default_output_dir(config: AreaConfig, current: Period) -> Path:
    """outputs/<area>_<start>_<end>: the name carries the area and the period."""
    slug = "-".join(config.area.name.lower().split())
    return PROJECT_ROOT / "outputs" / f"{slug}_{current.slug}"


@dataclass
class Assessment:
    """Resolved settings and lazily loaded data shared by the sections of one assessment."""

    config: AreaConfig
    config_path: Path
    data_dir: Path
    current: Period
    previous: Period
    comparison: str
    output_dir: Path
    _selectors: dict = field(default_factory=dict, repr=False)

    # ---- inputs -------------------------------------------------------------------------------
    def input_path(self, relative: str) -> Path:
        """A configured input, relative to the data directory."""
        return self.data_dir / relative

    @cached_property
    def street_files(self) -> list[policeuk.ArchiveFile]:
        folder = self.input_path(self.config.inputs.police_uk)
        files = policeuk.discover(folder, "street", self.config.inputs.forces or None)
        if not files:
            raise InputDataError(folder, "holds no police.uk street files named YYYY-MM/YYYY-MM-<force>-street.csv"
                                 + (f" for force(s) {', '.join(self.config.inputs.forces)}"
                                    if self.config.inputs.forces else ""))
        return files

    @cached_property
    def outcome_files(self) -> list[policeuk.ArchiveFile]:
        folder = self.input_path(self.config.inputs.police_uk)
        return policeuk.discover(folder, "outcomes", self.config.inputs.forces or None)

    @property
    def months_available(self) -> list[str]:
        return sorted({f.month for f in self.street_files})

    def check_coverage(self) -> None:
        """Stop with the list of missing months unless the data cover both periods."""
        missing = sorted(set(self.previous.months + self.current.months) - set(self.months_available))
        if missing:
            have = self.months_available
            raise CSPError(
                f"the police.uk data in {self.input_path(self.config.inputs.police_uk)} do not cover the "
                f"periods compared ({self.previous.label} against {self.current.label}): missing month(s) "
                f"{', '.join(missing)}. The data hold {have[0]} to {have[-1]}."
            )

    @cached_property
    def street_quality(self):
        """The street records after cleaning (``.records``) and what the cleaning excluded or repaired."""
        from csp_analysis.police.cleaning import clean_street

        cache = PROJECT_ROOT / "data" / "cache" if self.config.cache else None
        records = (read_street_cached(self.street_files, cache) if cache else policeuk.read_street(self.street_files))
        policeuk.check_forces(records, self.input_path(self.config.inputs.police_uk))
        return clean_street(records)

    @property
    def street(self) -> pd.DataFrame:
        """Every usable street-level record in the force files (all months)."""
        return self.street_quality.records

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        return policeuk.read_outcomes(self.outcome_files)

    def selector(self, which: str) -> LsoaSelector:
        """The LSOA selector for the 'area' or the 'county'."""
        selection = self.config.area if which == "area" else self.config.county
        district_lsoas: list[str] = []
        if selection.district_codes:
            from csp_analysis.geo.boundaries import load_lsoa_ward_lookup
            lookup = load_lsoa_ward_lookup(self.input_path(self.config.inputs.lsoa_ward_lookup))
            district_lsoas = lookup.loc[lookup["district_code"].isin(selection.district_codes), "lsoa_code"].tolist()
        return LsoaSelector(selection.lsoa_name_prefixes, selection.lsoa_codes, district_lsoas, selection.whole_force)

    @cached_property
    def area_records(self) -> pd.DataFrame:
        records = self.street[self.selector("area").mask(self.street)]
        if records.empty:
            raise CSPError(
                f"no police.uk records match the area '{self.config.area.name}' (check area.lsoa_name_prefixes, "
                f"lsoa_codes or district_codes in {self.config_path})"
            )
        return records

    @cached_property
    def county_records(self) -> pd.DataFrame | None:
        if self.config.county is None:
            return None
        return self.street[self.selector("county").mask(self.street)]

    def required_input(self, key: str, section: str) -> Path:
        """A configured input path that a section cannot do without."""
        relative = getattr(self.config.inputs, key)
        if not relative:
            raise CSPError(f"the {section} section needs inputs.{key} in {self.config_path}")
        return self.input_path(relative)

    @cached_property
    def wards(self):
        """Ward polygons (ward_code, ward_name, geometry) in EPSG:27700."""
        from csp_analysis.geo.boundaries import load_wards

        inputs = self.config.inputs
        return load_wards(self.required_input("wards", "ward"), inputs.ward_code_field, inputs.ward_name_field)

    @cached_property
    def ward_population(self) -> pd.DataFrame:
        """Residents per ward from LSOA population through the LSOA-to-ward lookup."""
        from csp_analysis.geo.boundaries import (
            load_lsoa_population,
            load_lsoa_ward_lookup,
            ward_population,
        )

        lookup = load_lsoa_ward_lookup(self.required_input("lsoa_ward_lookup", "ward"))
        population = load_lsoa_population(self.required_input("population", "ward"))
        return ward_population(lookup, population, self.wards)

    @cached_property
    def fire_incidents(self):
        """The fire export in the canonical schema (``.data``) and the rows left out (``.excluded``)."""
        from csp_analysis.partners.fire import load_fire_incidents

        mapping = self.config.fire
        return load_fire_incidents(self.input_path(str(mapping.path)), mapping)

    @cached_property
    def collisions(self):
        """Collisions (``.data``) and rows left out (``.excluded``): DfT STATS19 files or a mapped export."""
        from csp_analysis.partners.collisions import load_collisions, load_stats19

        if self.config.stats19:
            return load_stats19(self.input_path(self.config.stats19.collisions))
        mapping = self.config.collisions
        return load_collisions(self.input_path(str(mapping.path)), mapping)

    @cached_property
    def casualties(self):
        """STATS19 casualties when configured, else None."""
        from csp_analysis.partners.collisions import load_stats19_casualties

        if self.config.stats19 and self.config.stats19.casualties:
            return load_stats19_casualties(self.input_path(self.config.stats19.casualties))
        return None

    @cached_property
    def casework(self):
        """Council casework (``.data``) and the rows left out (``.excluded``)."""
        from csp_analysis.partners.casework import load_casework

        mapping = self.config.casework
        return load_casework(self.input_path(str(mapping.path)), mapping)

    @cached_property
    def returns(self) -> pd.DataFrame | None:
        """Every partner returns line (aggregated figures), or None when none are configured."""
        from csp_analysis.partners.returns import load_returns

        if not self.config.returns:
            return None
        return pd.concat([load_returns(self.input_path(r)) for r in self.config.returns])

    def returns_lines(self, section: str) -> pd.DataFrame | None:
        """The returns table of one section (previous against current per line), or None."""
        from csp_analysis.partners.returns import returns_table

        if self.returns is None or not (self.returns["section"] == section).any():
            return None
        settings = self.config.analysis
        return returns_table(self.returns, section, alpha=settings.alpha, small_count=settings.small_count)

    def published_differences(self, lines: pd.DataFrame) -> pd.DataFrame | None:
        """Where published changes disagree with the arithmetic of the published counts."""
        from csp_analysis.partners.returns import (
            load_published_changes,
            published_differences,
        )

        if not self.config.published_changes:
            return None
        return published_differences(lines, load_published_changes(self.input_path(self.config.published_changes)))

    @property
    def has_police_data(self) -> bool:
        return self.config.inputs.police_uk is not None

    @property
    def has_wards(self) -> bool:
        return bool(self.config.inputs.wards)

    def partner_selection(self, frame: pd.DataFrame, which: str, source: str) -> tuple[pd.Series, str]:
        """Rows of a partner export in the area or county, and how they were chosen."""
        from csp_analysis.geo.selection import select_records

        selection = self.config.area if which == "area" else self.config.county
        wards = self.wards if which == "area" and self.has_wards else None
        return select_records(frame, selection, source=source, wards=wards,
                              tolerance_m=self.config.analysis.ward_tolerance_m)

    def in_periods(self, records: pd.DataFrame) -> pd.DataFrame:
        """Records of the comparison and current periods, labelled by period."""
        label = records["Month"].map({**dict.fromkeys(self.previous.months, "previous"),
                                      **dict.fromkeys(self.current.months, "current")})
        return records.assign(period=label)[label.notna()]

    # ---- outputs ------------------------------------------------------------------------------
    def save_table(self, table: pd.DataFrame, name: str) -> None:
        """Write ``tables/<name>.csv`` (every table shown is also written as CSV)."""
        path = self.output_dir / "tables" / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(path, index=False, float_format="%.6g", lineterminator="\n")

    def figure(self, figure, name: str, alt: str):
        """Write ``figures/<name>.png`` and return it for display, with its alternative text."""
        from csp_analysis.report.display import figure_png, show_figure

        png = figure_png(figure)
        path = self.output_dir / "figures" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        return show_figure(png, alt)


def setup(
    config: str | Path | None = None,
    data_dir: str | Path | None = None,
    period_start: str | None = None,
    period_end: str | None = None,
    comparison: str | None = None,
    output_dir: str | Path | None = None,
) -> Assessment:
    """Resolve a section's parameters into an :class:`Assessment` (and set up display defaults).

    Relative paths are taken from the project root, so a notebook behaves the same whether
    papermill, nbval or JupyterLab runs it.
    """
    from csp_analysis.report.display import configure

    configure()
    config_path = _project_path(config, DEFAULT_CONFIG)
    cfg = load_config(config_path)
    resolved_data = resolve_data_dir(cfg, config_path, data_dir and _project_path(data_dir, PROJECT_ROOT))
    if cfg.demo:
        from csp_analysis import demo

        demo.ensure(resolved_data)
    current = Period.from_strings(period_start or cfg.period.start, period_end or cfg.period.end)
    mode = comparison or cfg.period.comparison
    previous = comparison_period(current, mode)
    out = _project_path(output_dir, default_output_dir(cfg, current))
    return Assessment(cfg, config_path, resolved_data, current, previous, mode, out)
