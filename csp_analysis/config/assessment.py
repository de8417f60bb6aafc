"""The YAML configuration: which area, which inputs, which periods. Validated on load."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from csp_analysis.categories import POLICE_UK_CATEGORIES
from csp_analysis.config.disclosure import DisclosureRule
from csp_analysis.config.document import DocumentSettings, Strategy
from csp_analysis.config.mapping import SourceMapping
from csp_analysis.config.priorities import PriorityScoring
from csp_analysis.errors import ConfigError
from csp_analysis.periods import ENGLAND_LOCKDOWN_MONTHS, financial_year, parse_month, year_to_date


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Selection(_Strict):
    """How an area's records are picked out of force-wide data."""

    name: str = Field(min_length=1)
    lsoa_name_prefixes: list[str] = []
    lsoa_codes: list[str] = []
    district_codes: list[str] = []
    district_names: list[str] = []  # as partner exports write the district (fire, collisions)
    whole_force: bool = False
    boundary: Optional[str] = None  # police.uk: a polygon file; records whose point lies inside

    @model_validator(mode="after")
    def _has_a_selector(self) -> "Selection":
        if not (self.lsoa_name_prefixes or self.lsoa_codes or self.district_codes or self.district_names
                or self.whole_force or self.boundary):
            raise ValueError(
                "give at least one of lsoa_name_prefixes, lsoa_codes, district_codes, district_names, boundary "
                "or whole_force: true"
            )
        if self.boundary and (self.lsoa_name_prefixes or self.lsoa_codes or self.whole_force):
            raise ValueError("police.uk records are picked by boundary or by LSOA (lsoa_name_prefixes, lsoa_codes) "
                             "or whole_force, not both: remove one")
        return self


class PeriodSettings(_Strict):
    """The current period: ``start`` and ``end``, or a preset (``financial-year`` with ``year``,
    ``year-to-date`` with ``through``) that gives them."""

    start: str
    end: str
    comparison: Literal["previous-year", "preceding-period"] = "previous-year"
    preset: Optional[Literal["financial-year", "year-to-date"]] = None
    year: Optional[int] = Field(default=None, ge=2000, le=2100)
    through: Optional[str] = None

    @model_validator(mode="before")
    @classmethod
    def _from_preset(cls, raw: Any) -> Any:
        if not isinstance(raw, dict) or raw.get("preset") is None:
            if isinstance(raw, dict) and (raw.get("year") is not None or raw.get("through") is not None):
                raise ValueError("year and through go with a preset (financial-year or year-to-date)")
            return raw
        if "start" in raw or "end" in raw:
            raise ValueError("give a preset or start and end, not both")
        preset, year, through = raw["preset"], raw.get("year"), raw.get("through")
        try:
            if preset == "financial-year":
                if year is None or through is not None:
                    raise ValueError("the financial-year preset needs year (the year its April falls in), "
                                     "and no through")
                period = financial_year(int(year))
            elif preset == "year-to-date":
                if through is None:
                    raise ValueError("the year-to-date preset needs through (the last month, YYYY-MM)")
                period = year_to_date(str(through), None if year is None else int(year))
            else:
                return raw  # the Literal check names the bad preset
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return {**raw, "start": str(period.start), "end": str(period.end)}

    @field_validator("start", "end", mode="before")
    @classmethod
    def _month(cls, value: Any, info) -> str:
        try:
            return str(parse_month(value, "value"))
        except ConfigError as exc:
            raise ValueError(str(exc)) from None


class Inputs(_Strict):
    """Paths relative to the data directory."""

    police_uk: Optional[str] = "police-uk"  # null: no police.uk data (partner returns only)
    forces: list[str] = []
    wards: Optional[str] = None
    ward_code_field: Optional[str] = None
    ward_name_field: Optional[str] = None
    lsoa_ward_lookup: Optional[str] = None
    population: Optional[str] = None
    lsoa_boundaries: Optional[str] = None  # LSOA polygons: hot spots at LSOA level as well as by ward
    national_police_uk: Optional[str] = None  # every force's street files (archive layout): the national rate
    national_population: Optional[str] = None  # LSOA population of England and Wales, for the national rate


DEFAULT_PRIORITIES = ["Burglary", "Robbery", "Vehicle crime", "Shoplifting", "Violence and sexual offences", "Drugs"]


class Analysis(_Strict):
    """Statistical settings shared by the sections."""

    alpha: float = Field(default=0.05, gt=0, lt=1)
    small_count: int = Field(default=10, ge=0)
    priority_categories: list[str] = DEFAULT_PRIORITIES
    ward_tolerance_m: float = Field(default=250, ge=0)
    permutations: int = Field(default=9999, ge=999)
    seed: int = 12345
    top_wards: int = Field(default=5, ge=1)
    hotspot_min_count: int = Field(default=50, ge=0)  # district records (current period) for a Gi* test
    #: Write interactive_map.html (the wards, all crime, to pan, zoom and hover; HTML output only).
    interactive_map: bool = True
    #: Months known to be abnormal (YYYY-MM), marked wherever a period touches them.
    abnormal_months: list[str] = list(ENGLAND_LOCKDOWN_MONTHS)

    @field_validator("abnormal_months", mode="before")
    @classmethod
    def _months(cls, value: Any) -> list[str]:
        if not isinstance(value, list):
            raise ValueError("must be a list of months written YYYY-MM (an empty list [] for none)")
        months = []
        for item in value:
            try:
                months.append(str(parse_month(item, "each month")))
            except ConfigError as exc:
                raise ValueError(str(exc)) from None
        return sorted(set(months))

    @field_validator("priority_categories")
    @classmethod
    def _police_uk_types(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in POLICE_UK_CATEGORIES]
        if unknown:
            raise ValueError(f"not police.uk crime types: {', '.join(unknown)} "
                             f"(choose from {', '.join(POLICE_UK_CATEGORIES)})")
        return value


class Stats19Inputs(_Strict):
    """DfT road casualty statistics files (either generation), relative to the data directory."""

    collisions: str
    casualties: Optional[str] = None


class AreaConfig(_Strict):
    """A whole assessment configuration."""

    title: Optional[str] = None
    sections: Optional[list[str]] = None  # default: every section
    synthetic: bool = False
    demo: bool = False
    data_dir: Optional[str] = None
    cache: bool = True  # keep parsed police.uk files as Parquet in data/cache (keyed on their SHA-256)
    area: Selection
    county: Optional[Selection] = None
    period: PeriodSettings
    inputs: Inputs = Inputs()
    analysis: Analysis = Analysis()
    fire: Optional[SourceMapping] = None  # a fire and rescue incident export
    collisions: Optional[SourceMapping] = None  # a local collision export
    stats19: Optional[Stats19Inputs] = None  # DfT STATS19 files
    casework: Optional[SourceMapping] = None  # a council community protection casework export
    returns: list[str] = []  # partner returns files (aggregated figures), relative to the data directory
    published_changes: Optional[str] = None  # published % and numerical changes to check the returns against
    disclosure: DisclosureRule = DisclosureRule()
    priorities: PriorityScoring = PriorityScoring()  # scoring weights, thresholds and partnership inputs
    document: DocumentSettings = DocumentSettings()  # author, protective marking, date produced
    strategy: Optional[Strategy] = None  # partners, aims and the priorities the partnership chose

    @model_validator(mode="after")
    def _district_codes_need_lookup(self) -> "AreaConfig":
        uses_codes = (self.area.district_codes and not self.area.boundary) or (
            self.county and self.county.district_codes and not self.county.boundary)
        if uses_codes and self.inputs.police_uk and not self.inputs.lsoa_ward_lookup:
            raise ValueError("district_codes need inputs.lsoa_ward_lookup (LSOA to district lookup) to select "
                             "police.uk records")
        if self.collisions and self.stats19:
            raise ValueError("give collisions (a local export) or stats19 (DfT files), not both")
        return self

    @property
    def author(self) -> str:
        """The organisation the document is from."""
        return self.document.author or f"{self.area.name} Community Safety Partnership"

    @property
    def display_title(self) -> str:
        base = self.title or f"{self.area.name} Community Safety Partnership strategic assessment"
        return f"{base} (synthetic demonstration data)" if self.synthetic and "synthetic" not in base.lower() else base


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"{where}: unknown key"
    message = error["msg"].removeprefix("Value error, ")
    return f"{where}: {message}"


def parse_config(raw: Any, source: str) -> AreaConfig:
    """Validate a parsed YAML document; errors name the source and every bad key."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the configuration must be a mapping of keys to values")
    try:
        return AreaConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors())
        raise ConfigError(f"{source}: {problems}") from None


def load_config(path: str | Path) -> AreaConfig:
    """Read and validate a YAML configuration file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"configuration file {path} cannot be read: {exc.strerror}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"configuration file {path} is not valid YAML: {exc}") from None
    return parse_config(raw, str(path))


def resolve_data_dir(config: AreaConfig, config_path: Path, data_dir: str | Path | None) -> Path:
    """The data directory: the one given, else the config's ``data_dir`` relative to the config file."""
    if data_dir is not None:
        chosen = Path(data_dir).expanduser().resolve()
    elif config.data_dir is not None:
        chosen = (config_path.resolve().parent / config.data_dir).resolve()
    else:
        raise ConfigError(
            f"{config_path}: no data directory: pass --data-dir DIR (or set data_dir in the configuration)"
        )
    if not config.demo and not chosen.is_dir():
        raise ConfigError(f"data directory {chosen} does not exist")
    return chosen
