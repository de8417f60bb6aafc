"""The data one assessment reads, loaded on first use and shared by the cells of a section."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from csp_analysis.errors import CSPError, InputDataError
from csp_analysis.paths import PROJECT_ROOT
from csp_analysis.periods import label_periods
from csp_analysis.police import archive as policeuk
from csp_analysis.police.cache import read_street_cached
from csp_analysis.police.selection import LsoaSelector
from csp_analysis.sections.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Sources:
    """Every configured source of one assessment: police.uk records, wards, partner exports, returns."""

    settings: Settings

    @cached_property
    def street_files(self) -> list[policeuk.ArchiveFile]:
        folder = self.settings.input_path(self.settings.config.inputs.police_uk)
        files = policeuk.discover(folder, "street", self.settings.config.inputs.forces or None)
        if not files:
            raise InputDataError(folder, "holds no police.uk street files named YYYY-MM/YYYY-MM-<force>-street.csv"
                                 + (f" for force(s) {', '.join(self.settings.config.inputs.forces)}"
                                    if self.settings.config.inputs.forces else ""))
        return files

    @cached_property
    def outcome_files(self) -> list[policeuk.ArchiveFile]:
        folder = self.settings.input_path(self.settings.config.inputs.police_uk)
        return policeuk.discover(folder, "outcomes", self.settings.config.inputs.forces or None)

    @property
    def months_available(self) -> list[str]:
        return sorted({f.month for f in self.street_files})

    def check_coverage(self) -> None:
        """Stop with the list of missing months unless the data cover both periods with rows.

        A month whose files hold only a header counts as missing (it would read as a fall to zero).
        The files' format is checked first, so a misfiled file of another kind is named as such.
        """
        needed = set(self.settings.previous.months + self.settings.current.months)
        for f in self.street_files:
            if f.month in needed:
                policeuk.check_header(f.path)
        empty = sorted(f for f in self.street_files if f.month in needed and not policeuk.has_rows(f.path))
        with_rows = {f.month for f in self.street_files if f not in empty}
        missing = sorted(needed - {f.month for f in self.street_files})
        header_only = sorted(needed - with_rows - set(missing))
        if not (missing or header_only):
            return
        have = self.months_available
        problems = []
        if missing:
            folder = self.settings.input_path(self.settings.config.inputs.police_uk)
            others = policeuk.misfiled(folder, missing)
            problems.append(f"missing month(s) {', '.join(missing)}" + (
                f" (their folders hold {', '.join(others)}: not named YYYY-MM-<force>-street.csv (archive) or "
                "YYYY-MM-<name>-street.json (API answer), so not read)" if others else ""))
        if header_only:
            files = ", ".join(f.path.name for f in empty if f.month in header_only)
            problems.append(f"month(s) {', '.join(header_only)} with no rows ({files} hold(s) only a header)")
        raise CSPError(
            f"the police.uk data in {self.settings.input_path(self.settings.config.inputs.police_uk)} do not cover the "
            f"periods compared ({self.settings.previous.label} against {self.settings.current.label}): "
            f"{'; '.join(problems)}. The data hold {have[0]} to {have[-1]}."
        )

    def check_ward_overlap(self) -> None:
        """Stop when the ward boundaries miss every located record of the area (a boundary file in the
        wrong coordinate system, or with x and y swapped, would otherwise place nothing in any ward)."""
        import geopandas as gpd

        records = self.in_periods(self.area_records).dropna(subset=["Longitude", "Latitude"])
        if records.empty:
            return
        points = gpd.GeoSeries(gpd.points_from_xy(records["Longitude"], records["Latitude"]), crs="EPSG:4326")
        x, y = points.to_crs(self.wards.crs).x, points.to_crs(self.wards.crs).y
        tolerance = self.settings.config.analysis.ward_tolerance_m
        west, south, east, north = self.wards.total_bounds
        near = x.between(west - tolerance, east + tolerance) & y.between(south - tolerance, north + tolerance)
        if not near.any():
            raise InputDataError(
                self.settings.input_path(self.settings.config.inputs.wards),
                f"the ward boundaries do not overlap the records of {self.settings.config.area.name}: none of its "
                f"{len(records):,} located records in the periods is within {tolerance:g} m of the wards. Are the "
                "boundaries in another coordinate system than the file declares, or with x and y swapped?")

    @cached_property
    def street_quality(self):
        """The street records after cleaning (``.records``) and what the cleaning excluded or repaired."""
        from csp_analysis.police.cleaning import clean_street

        cache = PROJECT_ROOT / "data" / "cache" if self.settings.config.cache else None
        archive = [f for f in self.street_files if not f.is_api]
        records = read_street_cached(archive, cache) if cache else policeuk.read_street(archive)
        api = [f for f in self.street_files if f.is_api]
        if api:  # API answers are small: read directly, not cached
            records = pd.concat([records, policeuk.read_street(api)], ignore_index=True)
        policeuk.check_forces(records, self.settings.input_path(self.settings.config.inputs.police_uk))
        return clean_street(records)

    @property
    def street(self) -> pd.DataFrame:
        """Every usable street-level record in the force files (all months)."""
        return self.street_quality.records

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        return policeuk.read_outcomes(self.outcome_files)

    def selector(self, which: str):
        """The police.uk selector of the 'area' or the 'county': by boundary polygon, else by LSOA."""
        selection = self.settings.config.area if which == "area" else self.settings.config.county
        if selection.boundary:
            from csp_analysis.geo.boundaries import load_boundary
            from csp_analysis.geo.selection import BoundarySelector

            return BoundarySelector(load_boundary(self.settings.input_path(selection.boundary)))
        district_lsoas: list[str] = []
        if selection.district_codes:
            from csp_analysis.geo.boundaries import load_lsoa_ward_lookup
            lookup = load_lsoa_ward_lookup(self.settings.input_path(self.settings.config.inputs.lsoa_ward_lookup))
            district_lsoas = lookup.loc[lookup["district_code"].isin(selection.district_codes), "lsoa_code"].tolist()
        return LsoaSelector(selection.lsoa_name_prefixes, selection.lsoa_codes, district_lsoas, selection.whole_force)

    @cached_property
    def area_records(self) -> pd.DataFrame:
        records = self.street[self.selector("area").mask(self.street)]
        if records.empty:
            raise CSPError(
                f"no police.uk records match the area '{self.settings.config.area.name}' (check area.lsoa_name_prefixes, "
                f"lsoa_codes, district_codes or boundary in {self.settings.config_path})"
            )
        return records

    @cached_property
    def county_records(self) -> pd.DataFrame | None:
        if self.settings.config.county is None:
            return None
        return self.street[self.selector("county").mask(self.street)]

    def required_input(self, key: str, section: str) -> Path:
        """A configured input path that a section cannot do without."""
        relative = getattr(self.settings.config.inputs, key)
        if not relative:
            raise CSPError(f"the {section} section needs inputs.{key} in {self.settings.config_path}")
        return self.settings.input_path(relative)

    @cached_property
    def wards(self):
        """Ward polygons (ward_code, ward_name, geometry) in EPSG:27700."""
        from csp_analysis.geo.boundaries import load_wards

        inputs = self.settings.config.inputs
        return load_wards(self.required_input("wards", "ward"), inputs.ward_code_field, inputs.ward_name_field)

    @property
    def has_ward_population(self) -> bool:
        """Ward rates need LSOA population and the LSOA-to-ward lookup that sums it into wards."""
        inputs = self.settings.config.inputs
        return bool(inputs.population and inputs.lsoa_ward_lookup)

    @cached_property
    def ward_population(self) -> pd.DataFrame | None:
        """Residents per ward from LSOA population through the LSOA-to-ward lookup; None without them
        (the ward section then shows counts, change and hot spots, without rates)."""
        from csp_analysis.geo.boundaries import (
            load_lsoa_population,
            load_lsoa_ward_lookup,
            ward_population,
        )

        if not self.has_ward_population:
            return None
        lookup = load_lsoa_ward_lookup(self.required_input("lsoa_ward_lookup", "ward"))
        population = load_lsoa_population(self.required_input("population", "ward"))
        return ward_population(lookup, population, self.wards)

    @cached_property
    def lsoas(self):
        """The area's LSOA polygons (lsoa_code, lsoa_name, geometry), picked by the area's selection,
        or None when ``inputs.lsoa_boundaries`` is not configured."""
        from csp_analysis.geo.boundaries import load_lsoas

        relative = self.settings.config.inputs.lsoa_boundaries
        if not relative:
            return None
        path = self.settings.input_path(relative)
        lsoas = load_lsoas(path)
        chosen = self.selector("area").mask(lsoas.rename(columns={"lsoa_code": "LSOA code", "lsoa_name": "LSOA name"}))
        if not chosen.any():
            raise InputDataError(path, f"holds no LSOA of the area '{self.settings.config.area.name}'")
        return lsoas[chosen.to_numpy()].reset_index(drop=True)

    @cached_property
    def lsoa_population(self) -> pd.DataFrame | None:
        """LSOA population (lsoa_code, lsoa_name, population), or None when none is configured."""
        from csp_analysis.geo.boundaries import load_lsoa_population

        relative = self.settings.config.inputs.population
        return load_lsoa_population(self.settings.input_path(relative)) if relative else None

    @cached_property
    def area_population(self) -> float | None:
        """Residents of the area (its LSOAs, picked by the area's selection), or None without a population file."""
        population = self.lsoa_population
        if population is None:
            return None
        named = pd.DataFrame({"LSOA code": population["lsoa_code"], "LSOA name": population["lsoa_name"].fillna("")})
        chosen = self.selector("area").mask(named).to_numpy()
        return float(population.loc[chosen, "population"].sum()) if chosen.any() else None

    @cached_property
    def fire_incidents(self):
        """The fire export in the canonical schema (``.data``) and the rows left out (``.excluded``)."""
        from csp_analysis.partners.fire import load_fire_incidents

        mapping = self.settings.config.fire
        return load_fire_incidents(self.settings.input_path(str(mapping.path)), mapping)

    @cached_property
    def collisions(self):
        """Collisions (``.data``) and rows left out (``.excluded``): DfT STATS19 files or a mapped export."""
        from csp_analysis.partners.collisions import load_collisions, load_stats19

        if self.settings.config.stats19:
            return load_stats19(self.settings.input_path(self.settings.config.stats19.collisions))
        mapping = self.settings.config.collisions
        return load_collisions(self.settings.input_path(str(mapping.path)), mapping)

    @cached_property
    def casualties(self):
        """STATS19 casualties when configured, else None."""
        from csp_analysis.partners.collisions import load_stats19_casualties

        if self.settings.config.stats19 and self.settings.config.stats19.casualties:
            return load_stats19_casualties(self.settings.input_path(self.settings.config.stats19.casualties))
        return None

    @cached_property
    def casework(self):
        """Council casework (``.data``) and the rows left out (``.excluded``)."""
        from csp_analysis.partners.casework import load_casework

        mapping = self.settings.config.casework
        return load_casework(self.settings.input_path(str(mapping.path)), mapping)

    @cached_property
    def returns(self) -> pd.DataFrame | None:
        """Every partner returns line (aggregated figures), or None when none are configured."""
        from csp_analysis.partners.returns import load_returns

        if not self.settings.config.returns:
            return None
        return pd.concat([load_returns(self.settings.input_path(r)) for r in self.settings.config.returns])

    def returns_lines(self, section: str) -> pd.DataFrame | None:
        """The returns table of one section (previous against current per line), or None."""
        from csp_analysis.partners.returns import returns_table

        if self.returns is None or not (self.returns["section"] == section).any():
            return None
        settings = self.settings.config.analysis
        return returns_table(self.returns, section, alpha=settings.alpha, small_count=settings.small_count)

    def published_differences(self, lines: pd.DataFrame) -> pd.DataFrame | None:
        """Where published changes disagree with the arithmetic of the published counts."""
        from csp_analysis.partners.returns import (
            load_published_changes,
            published_differences,
        )

        if not self.settings.config.published_changes:
            return None
        return published_differences(lines, load_published_changes(self.settings.input_path(self.settings.config.published_changes)))

    def partner_selection(self, frame: pd.DataFrame, which: str, source: str) -> tuple[pd.Series, str]:
        """Rows of a partner export in the area or county, and how they were chosen."""
        from csp_analysis.geo.selection import select_records

        selection = self.settings.config.area if which == "area" else self.settings.config.county
        wards = self.wards if which == "area" and self.settings.has_wards else None
        return select_records(frame, selection, source=source, wards=wards,
                              tolerance_m=self.settings.config.analysis.ward_tolerance_m)

    def in_periods(self, records: pd.DataFrame) -> pd.DataFrame:
        """Police.uk records of the comparison and current periods, labelled by period."""
        label = label_periods(records["Month"], self.settings.previous, self.settings.current)
        return records.assign(period=label)[label.notna()]