"""What each section needs from the configuration, and what a missing input costs it.

``validate`` prints this before anything runs; a run leaves out a section that cannot run at all
(unless it was asked for by name, which is then an error before anything is written).
"""

from __future__ import annotations

from dataclasses import dataclass

from csp_analysis.config.assessment import AreaConfig
from csp_analysis.sections import Section


@dataclass(frozen=True)
class Outlook:
    """What one section will produce with this configuration."""

    section: Section
    runs: bool
    produces: str
    missing: tuple[str, ...] = ()  # what each absent input costs, in words

    def line(self) -> str:
        status = "runs" if self.runs else "left out"
        costs = "".join(f"; {m}" for m in self.missing)
        return f"{self.section.key:<22}{status}: {self.produces}{costs}"


def outlook(section: Section, config: AreaConfig) -> Outlook:
    """What ``section`` produces with ``config``, and the price of every input it lacks."""
    inputs = config.inputs
    police = inputs.police_uk is not None
    key = section.key
    if key == "data_quality":
        return Outlook(section, True, "rows read, used and excluded by reason for every configured source")
    if key == "crime_performance":
        if not police and not config.returns:
            return Outlook(section, True, "nothing to report", ("no police.uk data (inputs.police_uk) and no partner "
                                                                 "returns (returns)",))
        missing = [] if config.county else ["no county comparison (no county block)"]
        if not police:
            missing.append("partner returns only: no police.uk data (inputs.police_uk)")
        return Outlook(section, True, "crime and ASB by category, change, monthly trends, outcomes", tuple(missing))
    if key == "ward_hotspots":
        if not (police and inputs.wards):
            needs = [n for n, given in (("ward boundaries (inputs.wards)", inputs.wards),
                                        ("police.uk data (inputs.police_uk)", police)) if not given]
            return Outlook(section, False, "needs " + " and ".join(needs))
        missing = () if (inputs.population and inputs.lsoa_ward_lookup) else (
            "no rates per 1,000 residents (they need inputs.population and inputs.lsoa_ward_lookup)",)
        return Outlook(section, True, "ward counts, change, Getis-Ord Gi* hot spots, density maps", missing)
    if key == "fire_and_rtc":
        missing = [m for m, given in (
            ("no fire and rescue part (no fire export: a fire block)", config.fire),
            ("no road traffic collision part (no collisions or stats19 block)", config.collisions or config.stats19),
        ) if not given]
        return Outlook(section, True, "fire and rescue incidents and road traffic collisions, area beside county",
                       tuple(missing))
    if key == "community_protection":
        missing = () if config.casework else ("no casework tables (no casework export: a casework block)",)
        return Outlook(section, True, "council casework by month, type and ward, with disclosure control", missing)
    return Outlook(section, True, "the MoRiLE-style scores of every measured issue, risk matrix, executive summary")


def left_out(sections: list[Section], config: AreaConfig) -> list[Outlook]:
    """The sections of ``sections`` that cannot run at all with ``config``."""
    return [o for o in (outlook(s, config) for s in sections) if not o.runs]
