"""Data quality: what was read, what was used, and every excluded record counted by reason.

Each source's rows are followed through the same steps the analysis takes, in order, so that
``read = used + excluded`` holds exactly for every source (checked when the table is built).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Longitude and latitude bounds of the United Kingdom (with a margin): points outside are not mapped.
UK_LON = (-8.8, 2.0)
UK_LAT = (49.8, 61.0)

QUALITY_COLUMNS = ("source", "stage", "reason", "count")
NO_LOCATION = "no location (counted, not mapped)"
OUTSIDE_UK = "coordinates outside the UK (counted, not mapped)"
SWAPPED = "latitude and longitude swapped (swapped back)"


@dataclass
class CleanStreet:
    """police.uk street records ready for analysis, and what was done to get there."""

    records: pd.DataFrame
    read: int
    excluded: pd.Series  # reason -> count
    location_notes: pd.Series  # reason -> count (records kept, location treated)


def _inside_uk(lon: pd.Series, lat: pd.Series) -> pd.Series:
    return lon.between(*UK_LON) & lat.between(*UK_LAT)


def clean_street(records: pd.DataFrame) -> CleanStreet:
    """Drop repeated Crime IDs and rows whose month is not their file's; repair or blank bad points.

    A row whose ``Month`` differs from its file's month (a file holding another month's data) and a
    repeated non-empty Crime ID (the same crime published twice) are excluded and counted.
    Coordinates with latitude and longitude swapped are swapped back; other coordinates outside the
    UK are blanked (the record still counts, by its LSOA, but is not mapped). Both are counted.
    """
    read = len(records)
    file_month = records["source_file"].str.slice(0, 7)
    reasons = pd.Series(pd.NA, index=records.index, dtype="object")
    reasons[records["Month"] != file_month] = "month differs from its file's month"
    ids = records["Crime ID"]
    repeated = ids.ne("") & ids.duplicated(keep="first")
    reasons[reasons.isna() & repeated] = "repeated Crime ID (published twice)"
    kept = records[reasons.isna()].copy()

    lon, lat = kept["Longitude"], kept["Latitude"]
    located = lon.notna() & lat.notna()
    swapped = located & ~_inside_uk(lon, lat) & _inside_uk(lat, lon)
    kept.loc[swapped, ["Longitude", "Latitude"]] = kept.loc[swapped, ["Latitude", "Longitude"]].to_numpy()
    outside = located & ~swapped & ~_inside_uk(kept["Longitude"], kept["Latitude"])
    kept.loc[outside, ["Longitude", "Latitude"]] = np.nan
    notes = pd.Series({SWAPPED: int(swapped.sum()), OUTSIDE_UK: int(outside.sum()),
                       NO_LOCATION: int((~located).sum())})
    return CleanStreet(kept, read, reasons.dropna().value_counts(), notes)


def _rows(source: str, read: int, steps: list[tuple[str, int]], used: int, notes: dict | None = None) -> list[dict]:
    excluded = sum(n for _, n in steps)
    if read != used + excluded:
        raise AssertionError(f"{source}: {read} read but {used} used + {excluded} excluded")
    rows = [{"source": source, "stage": "read", "reason": "", "count": read}]
    rows += [{"source": source, "stage": "excluded", "reason": r, "count": n} for r, n in steps if n]
    rows.append({"source": source, "stage": "used", "reason": "", "count": used})
    rows += [{"source": source, "stage": "note", "reason": r, "count": n} for r, n in (notes or {}).items() if n]
    return rows


def police_quality(clean: CleanStreet, area_mask: pd.Series, period: pd.Series) -> list[dict]:
    """The police.uk street records: read, excluded by reason, used by the area's two periods."""
    records = clean.records
    no_lsoa = records["LSOA code"].eq("")
    outside_area = ~no_lsoa & ~area_mask
    outside_period = ~no_lsoa & area_mask & period.isna()
    used = area_mask & period.notna()
    steps = [*clean.excluded.items(),
             ("no LSOA: cannot be placed in any district", int(no_lsoa.sum())),
             ("outside the area (other districts)", int(outside_area.sum())),
             ("in the area, outside both periods", int(outside_period.sum()))]
    area_used = records[used]
    notes = {
        NO_LOCATION: int(area_used["Longitude"].isna().sum()),
        SWAPPED: int(clean.location_notes[SWAPPED]),
        OUTSIDE_UK: int(clean.location_notes[OUTSIDE_UK]),
    }
    return _rows("police.uk street records", clean.read, steps, int(used.sum()), notes)


def partner_quality(source: str, loaded, area_mask: pd.Series, in_periods: pd.Series) -> list[dict]:
    """A partner export: rows read, excluded by the loader (by reason), outside the area or periods, used."""
    data = loaded.data
    read = len(data) + len(loaded.excluded)
    outside_area = ~area_mask
    outside_period = area_mask & ~in_periods
    steps = [*loaded.excluded_counts().items(),
             ("outside the area", int(outside_area.sum())),
             ("in the area, outside both periods", int(outside_period.sum()))]
    return _rows(source, read, steps, int((area_mask & in_periods).sum()))


def placement_rows(source: str, assignment: pd.Series) -> list[dict]:
    """How the used records were placed in wards (a breakdown of 'used', not further exclusions)."""
    labels = {"within": "inside a ward polygon", "nearest": "just outside: given to the nearest ward",
              "beyond_tolerance": "too far outside every ward: not mapped", "no_location": "no location: not mapped",
              "by_ward_field": "placed by its ward name or code", "unmatched_ward": "ward name not recognised: not mapped"}
    counts = assignment.value_counts()
    return [{"source": source, "stage": "ward placement", "reason": labels.get(k, k), "count": int(v)}
            for k, v in counts.items()]


def months_rows(source: str, present: list[str], needed: list[str]) -> list[dict]:
    """Months present in the data and months of the periods that are missing."""
    missing = sorted(set(needed) - set(present))
    rows = [{"source": source, "stage": "months present",
             "reason": f"{present[0]} to {present[-1]}" if present else "none", "count": len(present)}]
    rows.append({"source": source, "stage": "months missing", "reason": ", ".join(missing) or "none",
                 "count": len(missing)})
    return rows
