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
OTHER_MONTH = "month differs from its file's month"
REPEATED_ID = "repeated Crime ID (published twice)"
REPEATED_ROWS = "row repeated: its file holds every row several times over"
OTHER_FORCE = "names another force than the rest of its file (kept: selected by LSOA like any row)"


def repeated_file(file: str, first: str) -> str:
    """The exclusion reason of a whole file that repeats another's force and month."""
    return f"file repeated: {file} holds the same force and month as {first}"


@dataclass
class CleanStreet:
    """police.uk street records ready for analysis, and what was done to get there."""

    records: pd.DataFrame
    read: int
    excluded: pd.Series  # reason -> count
    location_notes: pd.Series  # reason -> count (records kept, location treated)
    notes: pd.Series  # reason -> count (records kept, worth knowing)


def _inside_uk(lon: pd.Series, lat: pd.Series) -> pd.Series:
    return lon.between(*UK_LON) & lat.between(*UK_LAT)


def _file_force(records: pd.DataFrame) -> pd.Series:
    """Each row's file's force: the 'Falls within' most of the file's rows name."""
    usual = records.groupby("source_file")["Falls within"].agg(lambda s: s.mode().iat[0] if len(s) else "")
    return records["source_file"].map(usual)


def _repeated_files(records: pd.DataFrame, candidates: pd.Series) -> pd.Series:
    """For rows of a file that repeats an earlier file's force and month, the reason; else NA."""
    rows = records[candidates]
    files = (rows.assign(force=_file_force(rows), file_month=rows["source_file"].str.slice(0, 7))
             .drop_duplicates("source_file").sort_values("source_file"))
    first = files.groupby(["file_month", "force"])["source_file"].transform("first")
    reason_of = {f: repeated_file(f, o) for f, o in zip(files["source_file"], first) if f != o}
    return records["source_file"].map(reason_of).where(candidates)


def _repeated_rows(records: pd.DataFrame, candidates: pd.Series) -> pd.Series:
    """True for the extra copies in a file that holds every one of its rows k >= 2 times.

    police.uk ASB rows legitimately repeat (same month, snap point and type, no ID), so single
    repeated rows are never dropped; only a file whose every distinct row appears a multiple of k
    times, crimes included (whose IDs cannot repeat), is reduced to one k-th.
    """
    rows = records[candidates]
    columns = [c for c in rows.columns if c != "source_file"]
    row_id = rows.groupby(["source_file", *columns], sort=False, dropna=False).ngroup()
    count = row_id.map(row_id.value_counts())
    k = count.groupby(rows["source_file"]).transform(lambda c: np.gcd.reduce(c.unique()))
    has_crimes = rows["Crime ID"].ne("").groupby(rows["source_file"]).transform("any")
    copy = rows.groupby(row_id).cumcount() >= count // k
    return (copy & (k >= 2) & has_crimes).reindex(records.index, fill_value=False)


def clean_street(records: pd.DataFrame) -> CleanStreet:
    """Drop rows of the wrong month, repeated files and rows, repeated Crime IDs; repair or blank bad points.

    Excluded and counted, in order: a row whose ``Month`` differs from its file's month (a file
    holding another month's data); every row of a file that repeats an earlier file's force and
    month (the same month downloaded twice, or under two force names); the extra copies in a file
    that holds all its rows several times over; a repeated non-empty Crime ID (the same crime
    published twice). Coordinates with latitude and longitude swapped are swapped back; other
    coordinates outside the UK are blanked (the record still counts, by its LSOA, but is not mapped).
    Rows naming another force than the rest of their file are kept and counted.
    """
    read = len(records)
    file_month = records["source_file"].str.slice(0, 7)
    reasons = pd.Series(pd.NA, index=records.index, dtype="object")
    reasons[records["Month"] != file_month] = OTHER_MONTH
    reasons = reasons.fillna(_repeated_files(records, reasons.isna()))
    reasons[reasons.isna() & _repeated_rows(records, reasons.isna())] = REPEATED_ROWS
    ids = records["Crime ID"].where(reasons.isna(), "")
    repeated = ids.ne("") & ids.duplicated(keep="first")
    reasons[reasons.isna() & repeated] = REPEATED_ID
    kept = records[reasons.isna()].copy()

    other_force = kept["Falls within"] != _file_force(kept)

    lon, lat = kept["Longitude"], kept["Latitude"]
    located = lon.notna() & lat.notna()
    swapped = located & ~_inside_uk(lon, lat) & _inside_uk(lat, lon)
    kept.loc[swapped, ["Longitude", "Latitude"]] = kept.loc[swapped, ["Latitude", "Longitude"]].to_numpy()
    outside = located & ~swapped & ~_inside_uk(kept["Longitude"], kept["Latitude"])
    kept.loc[outside, ["Longitude", "Latitude"]] = np.nan
    location = pd.Series({SWAPPED: int(swapped.sum()), OUTSIDE_UK: int(outside.sum()),
                          NO_LOCATION: int((~located).sum())})
    notes = pd.Series({OTHER_FORCE: int(other_force.sum())})
    return CleanStreet(kept, read, reasons.dropna().value_counts(), location, notes)
