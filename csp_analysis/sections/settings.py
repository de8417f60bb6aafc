"""One assessment's resolved settings: configuration, data folder, periods and output folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from csp_analysis.config.assessment import AreaConfig, load_config, resolve_data_dir
from csp_analysis.paths import DEFAULT_CONFIG, PROJECT_ROOT, slug
from csp_analysis.periods import Period, comparison_period


def project_path(value: str | Path | None, default: Path) -> Path:
    """Notebook parameters are relative to the project root, whatever the working directory."""
    if value is None or value == "":
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path).resolve()


OUTPUTS_ROOT = PROJECT_ROOT / "outputs"
#: Where a notebook run by hand (no output_dir parameter) writes: never the published outputs.
SCRATCH_ROOT = OUTPUTS_ROOT / "scratch"


def output_name(config: AreaConfig, current: Period) -> str:
    """<area>_<start>_<end>: a safe folder name (no separators, dots or spaces) from the area and period."""
    return f"{slug(config.area.name)}_{current.slug}"


def default_output_dir(config: AreaConfig, current: Period) -> Path:
    """outputs/<area>_<start>_<end>, always inside outputs/ whatever the area is called."""
    folder = OUTPUTS_ROOT / output_name(config, current)
    assert folder.parent == OUTPUTS_ROOT, folder
    return folder


def scratch_output_dir(config: AreaConfig, current: Period) -> Path:
    """outputs/scratch/<area>_<start>_<end>: a hand-run notebook's output."""
    return SCRATCH_ROOT / output_name(config, current)


@dataclass(frozen=True)
class Settings:
    """What one run of the assessment is: the configuration, where its data are, the two periods
    compared and where the output goes."""

    config: AreaConfig
    config_path: Path
    data_dir: Path
    current: Period
    previous: Period
    comparison: str
    output_dir: Path

    def input_path(self, relative: str) -> Path:
        """A configured input, relative to the data directory."""
        return self.data_dir / relative

    @property
    def has_police_data(self) -> bool:
        return self.config.inputs.police_uk is not None

    @property
    def has_wards(self) -> bool:
        return bool(self.config.inputs.wards)


def resolve(
    config: str | Path | None = None,
    data_dir: str | Path | None = None,
    period_start: str | None = None,
    period_end: str | None = None,
    comparison: str | None = None,
    output_dir: str | Path | None = None,
) -> Settings:
    """Resolve a section's parameters (None: as the configuration says) into :class:`Settings`."""
    config_path = project_path(config, DEFAULT_CONFIG)
    cfg = load_config(config_path)
    resolved_data = resolve_data_dir(cfg, config_path, data_dir and project_path(data_dir, PROJECT_ROOT))
    current = Period.from_strings(period_start or cfg.period.start, period_end or cfg.period.end)
    mode = comparison or cfg.period.comparison
    previous = comparison_period(current, mode)
    out = project_path(output_dir, default_output_dir(cfg, current))
    return Settings(cfg, config_path, resolved_data, current, previous, mode, out)
