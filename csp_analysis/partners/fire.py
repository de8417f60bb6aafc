"""Fire and rescue incidents: the canonical table, its loader, and the section's tables.

Canonical incident table, one row per incident, index ``source_row`` (the export's row):

| column | type | meaning |
|---|---|---|
| incident_id | str | the service's incident reference, unique |
| date | datetime | date of the call |
| datetime | datetime, nullable | date and time of the call (missing when the export has no time) |
| incident_category | str | "fire", "false alarm" or "special service" |
| fire_type | str | "primary", "secondary", "chimney" or "not a fire" (derived: ``fire_definitions``) |
| cause | str, nullable | fires only: "accidental" or "deliberate" (derived: ``fire_definitions``) |
| cause_recorded | str, nullable | as recorded: "accidental", "deliberate", "suspected deliberate", "not known" |
| is_primary_fire | bool, nullable | the export's own primary fire flag |
| property_class | str, nullable | "building", "vehicle", "outdoor structure", "outdoor" or "other" |
| is_chimney, is_derelict | bool | fire confined to a chimney; property derelict (blank = no) |
| appliances | float, nullable | pumping appliances attending |
| is_rtc | bool | special service road traffic collision (blank = no) |
| injuries, fatalities, rescues | int | people (blank = 0; rescues missing when not in the export) |
| fire_fatalities | Int64, nullable | the export's fire-fatality count, missing when it has none |
| ward_name, ward_code | str, nullable | at least one of them |
| district, easting, northing | str / float, nullable | only when the mapping names them |

A fire mapping names, under ``columns:``, at least ``incident_id, incident_category, cause, is_rtc,
injuries, fatalities``, one of ``is_primary_fire`` / ``property_class``, and one of ``ward_name`` /
``ward_code``; the value maps must give the vocabularies above (true/false for flags).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from csp_analysis.config.mapping import SourceMapping
from csp_analysis.errors import ConfigError
from csp_analysis.methods.change import change_table, monthly_totals
from csp_analysis.partners import fire_rules as fd
from csp_analysis.partners.mapping import Loaded, load_mapped
from csp_analysis.periods import (
    ENGLAND_LOCKDOWN_MONTHS,
    Period,
    comparison_caveats,
    coverage_message,
    uncovered_months,
)
from csp_analysis.schema_checks import parse_numbers, validate_frame

REQUIRED = ("incident_id", "incident_category", "cause", "is_rtc", "injuries", "fatalities")
FLAGS = ("is_primary_fire", "is_chimney", "is_derelict", "is_rtc")
COUNTS = ("injuries", "fatalities", "rescues", "fire_fatalities")
LOCATION = ("ward_name", "ward_code", "district", "easting", "northing")
#: Optional columns filled as all-missing when the mapping does not name them, with their types.
FILLED = {"is_primary_fire": "boolean", "property_class": "str", "is_chimney": "boolean", "is_derelict": "boolean",
          "appliances": "float64", "rescues": "Int64", "fire_fatalities": "Int64"}
OPTIONAL = tuple(FILLED) + LOCATION
WARD_KEYS = ("district", "ward_code", "ward_name")


def _text(vocabulary: tuple[str, ...] | None = None, *, nullable: bool = True, required: bool = True) -> pa.Column:
    checks = [pa.Check.isin(vocabulary)] if vocabulary else []
    return pa.Column(str, checks=checks, nullable=nullable, required=required)


SCHEMA = pa.DataFrameSchema(
    {
        "incident_id": pa.Column(str, unique=True),
        "date": pa.Column(pa.DateTime),
        "datetime": pa.Column(pa.DateTime, nullable=True),
        "incident_category": _text(fd.INCIDENT_CATEGORIES, nullable=False),
        "fire_type": _text(fd.FIRE_TYPES, nullable=False),
        "cause": _text(fd.CAUSES),
        "cause_recorded": _text(fd.CAUSES_RECORDED),
        "is_primary_fire": pa.Column("boolean", nullable=True),
        "property_class": _text(fd.PROPERTY_CLASSES),
        "is_chimney": pa.Column(bool),
        "is_derelict": pa.Column(bool),
        "appliances": pa.Column(float, pa.Check.ge(0), nullable=True),
        "is_rtc": pa.Column(bool),
        "injuries": pa.Column("int64", pa.Check.ge(0)),
        "fatalities": pa.Column("int64", pa.Check.ge(0)),
        "rescues": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "fire_fatalities": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "ward_name": _text(required=False),
        "ward_code": _text(required=False),
        "district": _text(required=False),
        "easting": pa.Column(float, nullable=True, required=False),
        "northing": pa.Column(float, nullable=True, required=False),
    },
    index=pa.Index(int, name="source_row", unique=True),
    strict=True,
)


def load_fire_incidents(path: str | Path, mapping: SourceMapping) -> Loaded:
    """Read a fire and rescue export into the canonical table (``Loaded.data``).

    Rows are excluded, with the reason, when blank, undated, missing an incident id or
    category, or repeating an earlier incident id (``Loaded.excluded_counts()`` counts them).
    """
    mapping.require("fire", REQUIRED, OPTIONAL)
    for needs in (("is_primary_fire", "property_class"), ("ward_name", "ward_code")):
        if not set(needs) & set(mapping.columns):
            raise ConfigError(f"config block 'fire': columns: must name at least one of {list(needs)}")
    loaded = load_mapped(path, mapping)
    loaded = loaded.exclude_incomplete(("incident_id", "incident_category"), "incident_id")

    data = loaded.data.copy()
    for column, dtype in FILLED.items():
        if column not in data:
            data[column] = pd.Series(index=data.index, dtype=dtype)
    for column in FLAGS:
        if column in mapping.columns and not isinstance(data[column].dtype, pd.BooleanDtype):
            raise ConfigError(f"config block 'fire': values.{column} must map the export's values to true/false")
        data[column] = data[column].astype("boolean")
        if column != "is_primary_fire":
            data[column] = data[column].fillna(False).astype(bool)
    for column in COUNTS + ("appliances", "easting", "northing"):
        if column in mapping.columns:
            numbers = parse_numbers(data[column], path, mapping.source_column(column), whole=column in COUNTS)
            data[column] = numbers.fillna(0) if column in COUNTS else numbers
    data = data.astype({"injuries": "int64", "fatalities": "int64", "rescues": "Int64",
                        "fire_fatalities": "Int64", "appliances": "float64"})
    data = data.rename(columns={"cause": "cause_recorded"})
    data["fire_type"] = fd.fire_type(data)
    data["cause"] = fd.cause(data)
    order = [c for c in SCHEMA.columns if c in data]
    return loaded._replace(data=validate_frame(SCHEMA, data[order], path))


def fire_summary(
    incidents_area: pd.DataFrame,
    incidents_county: pd.DataFrame,
    previous_period: Period | None,
    current_period: Period,
    *,
    area_name: str = "Area",
    county_name: str = "County",
    alpha: float = 0.05,
    small_count: int = 10,
    abnormal_months=ENGLAND_LOCKDOWN_MONTHS,
) -> pd.DataFrame:
    """The fire and rescue summary (``tables/fire_summary.csv``): each line for area and county.

    Periods are ``periods.Period`` (whole months). Columns: geography, line, then those of
    ``methods.change.change_table`` (the test on each line's monthly counts, Benjamini-Hochberg
    within each geography's family "<geography> fire lines": the lines are not totals of each other).
    Injury and fatality lines count people, the others incidents. When the county data do not span
    the previous period (or no previous period is given) the table holds current figures only,
    ``comparison_available`` is False, and ``attrs["message"]`` says why; the message also notes an
    incomplete current period, different seasons and abnormal months.
    """
    dates = pd.concat([incidents_area["date"], incidents_county["date"]])
    comparable = previous_period is not None and not uncovered_months(dates, previous_period)

    def monthly(period: Period) -> pd.DataFrame:
        return pd.concat({area_name: fire_monthly_counts(incidents_area, period),
                          county_name: fire_monthly_counts(incidents_county, period)}, axis=1,
                         names=["geography", "line"])

    current = monthly(current_period)
    family = pd.Series([f"{geography} fire lines" for geography, _ in current.columns], index=current.columns)
    table = change_table(monthly(previous_period) if comparable else None, current, previous_period, current_period,
                         family=family, alpha=alpha, small_count=small_count,
                         abnormal_months=abnormal_months).reset_index()
    caveats = comparison_caveats(previous_period, current_period, abnormal_months) if comparable else ""
    table.attrs["message"] = " ".join(m for m in (coverage_message(dates, previous_period, current_period), caveats)
                                      if m)
    return table


def fire_monthly_counts(incidents: pd.DataFrame, period: Period | None = None) -> pd.DataFrame:
    """Each summary line by month ("YYYY-MM" index ``month``), as ``charts.monthly_small_multiples`` takes."""
    return monthly_totals(fd.line_values(incidents), incidents["date"], period)
