"""Picking a district's police.uk records out of force-wide files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class LsoaSelector:
    """Picks records by LSOA name prefix ('St Albans 012A'), LSOA code or district code, or the whole force.

    Records without an LSOA belong to no district, so every selection leaves them out, the whole
    force included: a district and its county are counted on the same base.
    """

    lsoa_name_prefixes: list[str] = field(default_factory=list)
    lsoa_codes: list[str] = field(default_factory=list)
    district_lsoa_codes: list[str] = field(default_factory=list)
    whole_force: bool = False

    #: Why a record is left out before any selection: it cannot be placed in any district.
    unplaceable_reason = "no LSOA: cannot be placed in any district"

    def placeable(self, records: pd.DataFrame) -> pd.Series:
        return records["LSOA code"].ne("")

    def mask(self, records: pd.DataFrame) -> pd.Series:
        if self.whole_force:
            return records["LSOA code"].ne("")
        mask = records["LSOA code"].isin(set(self.lsoa_codes) | set(self.district_lsoa_codes))
        if self.lsoa_name_prefixes:
            pattern = r"^(?:%s) \d{3}[A-Z]$" % "|".join(re.escape(p) for p in self.lsoa_name_prefixes)
            mask |= records["LSOA name"].str.match(pattern)
        return mask
