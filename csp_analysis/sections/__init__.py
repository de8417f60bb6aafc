"""The assessment's sections, in report order, and the notebook that produces each."""

from __future__ import annotations

from dataclasses import dataclass

from csp_analysis.errors import CSPError
from csp_analysis.paths import PROJECT_ROOT

NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"


@dataclass(frozen=True)
class Section:
    key: str
    notebook: str
    title: str
    uses_police_data: bool = False

    @property
    def html(self) -> str:
        return f"{self.notebook.removesuffix('.ipynb')}.html"


SECTIONS: tuple[Section, ...] = (
    Section("data_quality", "00_data_quality.ipynb", "Data quality", uses_police_data=True),
    Section("crime_performance", "01_crime_performance.ipynb", "Crime performance", uses_police_data=True),
    Section("ward_hotspots", "02_ward_hotspots.ipynb", "Hot spots by ward", uses_police_data=True),
    Section("fire_and_rtc", "03_fire_and_rtc.ipynb", "Fire and rescue, and road traffic collisions"),
    Section("community_protection", "04_community_protection.ipynb", "Community protection casework"),
    Section("priorities", "05_priorities.ipynb", "Priorities", uses_police_data=True),
)


def select(keys: list[str] | None, default: list[str] | None = None) -> list[Section]:
    """The sections named (by key), in report order; else the configuration's list, else all."""
    keys = keys or default
    if not keys:
        return list(SECTIONS)
    known = {s.key: s for s in SECTIONS}
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise CSPError(f"unknown section(s) {', '.join(unknown)}; the sections are {', '.join(known)}")
    return [s for s in SECTIONS if s.key in keys]
