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










