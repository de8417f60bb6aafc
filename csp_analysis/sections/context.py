"""The context every section notebook starts from: its settings, its data and its output folder."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from csp_analysis.config.assessment import AreaConfig
from csp_analysis.periods import Period
from csp_analysis.report.display import configure
from csp_analysis.sections.outputs import Outputs
from csp_analysis.sections.settings import Settings, resolve, scratch_output_dir
from csp_analysis.sections.sources import Sources


@dataclass
class Context:
    """A section's settings (``settings``), data (``data``) and output folder (``out``)."""

    settings: Settings
    data: Sources
    out: Outputs

    @property
    def config(self) -> AreaConfig:
        return self.settings.config

    @property
    def current(self) -> Period:
        return self.settings.current

    @property
    def previous(self) -> Period:
        return self.settings.previous

    @property
    def area(self) -> str:
        """The area's name as the configuration gives it."""
        return self.settings.config.area.name

    @property
    def county(self) -> str | None:
        """The comparison county's name, or None when none is configured."""
        county = self.settings.config.county
        return county.name if county else None


def context(settings: Settings) -> Context:
    """The context of a run whose settings are resolved (demo data generated if the config asks)."""
    if settings.config.demo:
        from csp_analysis import demo

        demo.ensure(settings.data_dir)
    return Context(settings, Sources(settings), Outputs(settings.output_dir))


def setup(
    config: str | Path | None = None,
    data_dir: str | Path | None = None,
    period_start: str | None = None,
    period_end: str | None = None,
    comparison: str | None = None,
    output_dir: str | Path | None = None,
) -> Context:
    """Resolve a section notebook's parameters into a :class:`Context` and set display defaults.

    Relative paths are taken from the project root, so a notebook behaves the same whether
    papermill, nbval or JupyterLab runs it. Without ``output_dir`` (a notebook run by hand) tables
    and figures go to ``outputs/scratch/<area>_<start>_<end>``, never to a published output.
    """
    configure()
    settings = resolve(config, data_dir, period_start, period_end, comparison, output_dir)
    if not output_dir:
        settings = replace(settings, output_dir=scratch_output_dir(settings.config, settings.current))
    return context(settings)
