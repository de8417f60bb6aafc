"""Road traffic collisions: DfT STATS19 files and local republished exports, and the section's tables.

Canonical collision table, one row per collision, index ``source_row`` (the file's row):

| column | type | meaning |
|---|---|---|
| collision_id | str | ``collision_index`` (``accident_index`` before 2024) or the export's reference, unique |
| date | datetime | date of the collision |
| datetime | datetime, nullable | date and time (missing when the time is) |
| severity | str | "fatal", "serious" or "slight" (KSI = fatal + serious) |
| number_of_casualties | Int64, nullable | casualties in the collision |
| police_force | str, nullable | force name where the DfT code is known, else the code as given |
| local_authority_ons_district | str, nullable | ONS district code, e.g. E07000240 |
| easting, northing | float, nullable | British National Grid (``location_easting_osgr`` ...) |
| longitude, latitude | float, nullable | WGS84 |
| district, ward_code, ward_name | str, nullable | only when mapped (or added by a ward join) |

DfT files are recognised by their index column and decoded here; codes -1 and "Data missing"
mean missing. Local exports go through a ``collisions:`` mapping block (``csp_analysis.partners.mapping``)
that names at least ``collision_id`` and ``severity``. Casualty files give a table of
``collision_id`` and casualty ``severity``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa
from pyproj import Transformer

from csp_analysis.config.mapping import DateSpec, SourceMapping
from csp_analysis.errors import InputDataError
from csp_analysis.methods.change import change_table, families, monthly_totals
from csp_analysis.partners.mapping import (
    Loaded,
    apply_mapping,
    load_mapped,
    read_export,
)
from csp_analysis.periods import (
    ENGLAND_LOCKDOWN_MONTHS,
    Period,
    comparison_caveats,
    coverage_message,
    uncovered_months,
)
from csp_analysis.schema_checks import parse_numbers, validate_frame

logger = logging.getLogger(__name__)

SEVERITIES = ("fatal", "serious", "slight")
KSI = ("fatal", "serious")
SEVERITY_CODES = {"1": "fatal", "2": "serious", "3": "slight"}
#: STATS19 ``police_force`` codes (DfT road safety data guide); other codes are kept as given.
POLICE_FORCES = {
    "1": "Metropolitan Police", "3": "Cumbria", "4": "Lancashire", "5": "Merseyside", "6": "Greater Manchester",
    "7": "Cheshire", "10": "Northumbria", "11": "Durham", "12": "North Yorkshire", "13": "West Yorkshire",
    "14": "South Yorkshire", "16": "Humberside", "17": "Cleveland", "20": "West Midlands", "21": "Staffordshire",
    "22": "West Mercia", "23": "Warwickshire", "30": "Derbyshire", "31": "Nottinghamshire", "32": "Lincolnshire",
    "33": "Leicestershire", "34": "Northamptonshire", "35": "Cambridgeshire", "36": "Norfolk", "37": "Suffolk",
    "40": "Bedfordshire", "41": "Hertfordshire", "42": "Essex", "43": "Thames Valley", "44": "Hampshire",
    "45": "Surrey", "46": "Kent", "47": "Sussex", "48": "City of London", "50": "Devon and Cornwall",
    "52": "Avon and Somerset", "53": "Gloucestershire", "54": "Wiltshire", "55": "Dorset", "60": "North Wales",
    "61": "Gwent", "62": "South Wales", "63": "Dyfed-Powys", "91": "Northern", "92": "Grampian", "93": "Tayside",
    "94": "Fife", "95": "Lothian and Borders", "96": "Central", "97": "Strathclyde", "98": "Dumfries and Galloway",
    "99": "Police Scotland",
}
STATS19_MISSING = ["-1", "Data missing", "Data missing or out of range", "NULL"]
#: Canonical name -> DfT name, for columns named alike in both generations.
STATS19_COLUMNS = {
    "number_of_casualties": "number_of_casualties",
    "police_force": "police_force",
    "local_authority_ons_district": "local_authority_ons_district",
    "easting": "location_easting_osgr",
    "northing": "location_northing_osgr",
    "longitude": "longitude",
    "latitude": "latitude",
}
REQUIRED = ("collision_id", "severity")
#: Attribute columns, filled as all-missing when not mapped, with their types.
ATTRIBUTES = {"number_of_casualties": "Int64", "police_force": "str", "local_authority_ons_district": "str",
              "easting": "float64", "northing": "float64", "longitude": "float64", "latitude": "float64"}
LOCATION = ("district", "ward_code", "ward_name")

SCHEMA = pa.DataFrameSchema(
    {
        "collision_id": pa.Column(str, unique=True),
        "date": pa.Column(pa.DateTime),
        "datetime": pa.Column(pa.DateTime, nullable=True),
        "severity": pa.Column(str, pa.Check.isin(SEVERITIES)),
        "number_of_casualties": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "police_force": pa.Column(str, nullable=True),
        "local_authority_ons_district": pa.Column(str, nullable=True),
        "easting": pa.Column(float, nullable=True),
        "northing": pa.Column(float, nullable=True),
        "longitude": pa.Column(float, pa.Check.in_range(-180, 180), nullable=True),
        "latitude": pa.Column(float, pa.Check.in_range(-90, 90), nullable=True),
        **{name: pa.Column(str, nullable=True, required=False) for name in LOCATION},
    },
    index=pa.Index(int, name="source_row", unique=True),
    strict=True,
)
CASUALTY_SCHEMA = pa.DataFrameSchema(
    {"collision_id": pa.Column(str), "severity": pa.Column(str, pa.Check.isin(SEVERITIES))},
    index=pa.Index(int, name="source_row", unique=True),
    strict=True,
)


def _generation(header: list[str], path: str | Path) -> str:
    """"collision" for files since 2024, "accident" before, from the index column's name."""
    for prefix in ("collision", "accident"):
        if f"{prefix}_index" in header:
            return prefix
    raise InputDataError(path, "not a STATS19 file: it has no collision_index or accident_index column")


def stats19_mapping(path: str | Path, header: list[str]) -> SourceMapping:
    """The mapping that decodes a DfT STATS19 collision file with this header (either generation)."""
    prefix = _generation(header, path)
    columns = {"collision_id": f"{prefix}_index", "severity": f"{prefix}_severity"}
    columns |= {name: dft for name, dft in STATS19_COLUMNS.items() if dft in header}
    values = {"severity": SEVERITY_CODES} | ({"police_force": POLICE_FORCES} if "police_force" in columns else {})
    return SourceMapping(
        path=path,
        columns=columns,
        values=values,
        other={"police_force": "keep"} if "police_force" in columns else {},
        missing=STATS19_MISSING,
        date=DateSpec(columns=["date"], format="%d/%m/%Y"),
        time=DateSpec(columns=["time"], format="%H:%M") if "time" in header else None,
    )


def load_stats19(path: str | Path) -> Loaded:
    """Read a DfT STATS19 collision CSV (either generation) into the canonical table."""
    header, cells = read_export(path)
    mapping = stats19_mapping(path, header)
    return _finish(apply_mapping(header, cells, mapping, path), mapping, path)


def load_collisions(path: str | Path, mapping: SourceMapping) -> Loaded:
    """Read a local collision export through its ``collisions:`` mapping into the canonical table."""
    mapping.require("collisions", REQUIRED, tuple(ATTRIBUTES) + LOCATION)
    return _finish(load_mapped(path, mapping), mapping, path)


def _finish(loaded: Loaded, mapping: SourceMapping, path: str | Path) -> Loaded:
    """Exclude unusable rows, type the columns and validate."""
    loaded = loaded.exclude_incomplete(REQUIRED, "collision_id")
    data = loaded.data.copy()
    for column, dtype in ATTRIBUTES.items():
        if column not in data:
            data[column] = pd.Series(index=data.index, dtype=dtype)
        elif dtype != "str":
            data[column] = parse_numbers(data[column], path, mapping.source_column(column), whole=dtype == "Int64")
    order = [c for c in SCHEMA.columns if c in data]
    return loaded._replace(data=validate_frame(SCHEMA, data[order], path))


def load_stats19_casualties(path: str | Path) -> Loaded:
    """Read a DfT STATS19 casualty CSV (either generation): collision_id and casualty severity."""
    header, cells = read_export(path)
    mapping = SourceMapping(
        path=path,
        columns={"collision_id": f"{_generation(header, path)}_index", "severity": "casualty_severity"},
        values={"severity": SEVERITY_CODES},
        missing=STATS19_MISSING,
    )
    loaded = apply_mapping(header, cells, mapping, path).exclude_incomplete(REQUIRED)
    return loaded._replace(data=validate_frame(CASUALTY_SCHEMA, loaded.data, path))


def collision_points(collisions: pd.DataFrame) -> gpd.GeoDataFrame:
    """Collisions as points in British National Grid (EPSG:27700).

    Easting/northing where given, else longitude/latitude projected; no geometry where neither.
    """
    x, y = collisions["easting"].copy(), collisions["northing"].copy()
    from_lonlat = (x.isna() | y.isna()) & collisions["longitude"].notna() & collisions["latitude"].notna()
    if from_lonlat.any():
        to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
        x[from_lonlat], y[from_lonlat] = to_grid.transform(collisions.loc[from_lonlat, "longitude"].to_numpy(),
                                                           collisions.loc[from_lonlat, "latitude"].to_numpy())
    located = x.notna() & y.notna()
    if not located.all():
        logger.warning("%d collision(s) have no location and no geometry", (~located).sum())
    points = gpd.GeoSeries(gpd.points_from_xy(x, y), index=collisions.index, crs="EPSG:27700")
    return gpd.GeoDataFrame(collisions, geometry=points.where(located, None))


def collision_line_values(collisions: pd.DataFrame) -> pd.DataFrame:
    """Each collision's contribution to the collision lines (and to "All casualties" when every
    collision has ``number_of_casualties``)."""
    severity = collisions["severity"]
    lines = {f"{level.capitalize()} collisions": severity.eq(level) for level in SEVERITIES}
    lines["KSI collisions"] = severity.isin(KSI)
    lines["All collisions"] = severity.notna()
    if collisions["number_of_casualties"].notna().all():
        lines["All casualties"] = collisions["number_of_casualties"]
    return pd.DataFrame(lines, index=collisions.index).astype("int64")


def _casualty_line_values(casualties: pd.DataFrame) -> pd.DataFrame:
    severity = casualties["severity"]
    lines = {f"{level.capitalize()} casualties": severity.eq(level) for level in SEVERITIES}
    lines["KSI casualties"] = severity.isin(KSI)
    lines["All casualties"] = severity.notna()
    return pd.DataFrame(lines, index=casualties.index).astype("int64")


#: Lines that sum others of the collision table: each is tested on its own, outside the severity families.
TOTAL_LINES = ("KSI collisions", "All collisions", "KSI casualties", "All casualties")


def collision_summary(
    collisions: pd.DataFrame,
    previous_period: Period | None,
    current_period: Period,
    *,
    casualties: pd.DataFrame | None = None,
    alpha: float = 0.05,
    small_count: int = 10,
    abnormal_months=ENGLAND_LOCKDOWN_MONTHS,
) -> pd.DataFrame:
    """The collision summary (``tables/collision_summary.csv``): one row per line.

    Lines: fatal, serious, slight, KSI and all collisions; with ``casualties`` (a casualty table
    whose collisions are looked up in ``collisions``, so only those casualties count) casualties
    by severity, KSI and all; without it "All casualties" from ``number_of_casualties`` when
    every collision has one. Columns as ``methods.change.change_table`` plus ``line``; families:
    "collisions by severity", "casualties by severity", and each of ``TOTAL_LINES`` on its own.
    When the data do not span the previous period the table holds current figures only (see
    ``attrs["message"]``, which also notes different seasons and abnormal months).
    """
    records = [(collision_line_values(collisions), collisions["date"])]
    if casualties is not None:
        dated = casualties.join(collisions.set_index("collision_id")["date"], on="collision_id", how="inner")
        records = [(records[0][0].drop(columns="All casualties", errors="ignore"), collisions["date"]),
                   (_casualty_line_values(dated), dated["date"])]

    def monthly(period: Period) -> pd.DataFrame:
        return pd.concat([monthly_totals(lines, dates, period) for lines, dates in records], axis=1)

    current = monthly(current_period)
    family = families(current.columns, lambda line: f"{line.split()[-1]} by severity", totals=TOTAL_LINES)
    comparable = previous_period is not None and not uncovered_months(collisions["date"], previous_period)
    table = change_table(monthly(previous_period) if comparable else None, current, previous_period, current_period,
                         family=family, alpha=alpha, small_count=small_count,
                         abnormal_months=abnormal_months).rename_axis("line").reset_index()
    caveats = comparison_caveats(previous_period, current_period, abnormal_months) if comparable else ""
    table.attrs["message"] = " ".join(m for m in (coverage_message(collisions["date"], previous_period,
                                                                   current_period), caveats) if m)
    return table


def collision_monthly_counts(collisions: pd.DataFrame, period: Period | None = None) -> pd.DataFrame:
    """The collision lines by month ("YYYY-MM" index ``month``), as ``charts.monthly_small_multiples`` takes."""
    return monthly_totals(collision_line_values(collisions), collisions["date"], period)
