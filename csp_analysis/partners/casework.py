"""Council community protection casework: a canonical schema for a team's case export.

There is no national format, so a council's export is mapped onto this one through a
``casework:`` block in the configuration (see ``csp_analysis.partners.mapping``):

| column | type | meaning |
|---|---|---|
| case_id | str | the council's case reference, unique |
| date | datetime | the date the case was opened or the contact made |
| case_type | str | "ASB incident", "Domestic abuse referral", "Safeguarding contact", "Fly-tipping", or the export's own type (other types pass through unchanged) |
| ward_name, ward_code | str, nullable | where, when recorded |
| easting, northing | float, nullable | British National Grid, when recorded |
| outcome | str, nullable | the case outcome, when recorded |

Rows are excluded, with the reason, when undated, missing a case id or type, or repeating an
earlier case id; ``Loaded.excluded_counts()`` counts them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from csp_analysis.config.mapping import SourceMapping
from csp_analysis.methods.change import change_table, monthly_totals
from csp_analysis.partners.mapping import Loaded, load_mapped
from csp_analysis.periods import (
    ENGLAND_LOCKDOWN_MONTHS,
    Period,
    comparison_caveats,
    coverage_message,
    uncovered_months,
)
from csp_analysis.schema_checks import parse_numbers, validate_frame

ASB_CASE = "ASB incident"
DOMESTIC_ABUSE = "Domestic abuse referral"
SAFEGUARDING = "Safeguarding contact"
FLY_TIPPING = "Fly-tipping"
#: The case types every assessment reports, in report order (others follow alphabetically).
CORE_CASE_TYPES = (ASB_CASE, DOMESTIC_ABUSE, SAFEGUARDING, FLY_TIPPING)

REQUIRED = ("case_id", "case_type")
OPTIONAL = ("ward_name", "ward_code", "easting", "northing", "outcome")

SCHEMA = pa.DataFrameSchema(
    {
        "case_id": pa.Column(str, unique=True),
        "date": pa.Column(pa.DateTime),
        "case_type": pa.Column(str),
        "ward_name": pa.Column(str, nullable=True, required=False),
        "ward_code": pa.Column(str, nullable=True, required=False),
        "easting": pa.Column(float, nullable=True, required=False),
        "northing": pa.Column(float, nullable=True, required=False),
        "outcome": pa.Column(str, nullable=True, required=False),
    },
    index=pa.Index(int, name="source_row", unique=True),
    strict=True,
)


def load_casework(path: str | Path, mapping: SourceMapping) -> Loaded:
    """Read a casework export into the canonical table (``Loaded.data``) and the rows left out."""
    mapping.require("casework", REQUIRED, OPTIONAL)
    loaded = load_mapped(path, mapping)
    loaded = loaded.exclude_incomplete(REQUIRED, "case_id")
    data = loaded.data.copy()
    for column in ("easting", "northing"):
        if column in data:
            data[column] = parse_numbers(data[column], path, mapping.source_column(column), whole=False)
    order = [c for c in SCHEMA.columns if c in data]
    return loaded._replace(data=validate_frame(SCHEMA, data[order], path))


def case_types(cases: pd.DataFrame) -> list[str]:
    """The core case types first (always, even when absent), then the others alphabetically."""
    others = sorted(set(cases["case_type"]) - set(CORE_CASE_TYPES))
    return [*CORE_CASE_TYPES, *others]


def case_lines(cases: pd.DataFrame, types: list[str]) -> pd.DataFrame:
    """One 0/1 column per case type for each case (for monthly and ward totals)."""
    return pd.DataFrame({t: cases["case_type"].eq(t) for t in types}, index=cases.index).astype("int64")


def casework_summary(cases: pd.DataFrame, previous: Period, current: Period, *, alpha: float = 0.05,
                     small_count: int = 10, abnormal_months=ENGLAND_LOCKDOWN_MONTHS) -> pd.DataFrame:
    """``tables/casework_summary.csv``: per case type, previous and current cases with change and
    the change test on the monthly counts (``methods.change.change_table``; one family, "case
    types": no type sums others); current figures only when the data do not cover the comparison
    period. ``attrs["message"]`` says so, and notes different seasons and abnormal months."""
    types = case_types(cases)
    lines = case_lines(cases, types)
    comparable = not uncovered_months(cases["date"], previous)
    table = change_table(monthly_totals(lines, cases["date"], previous) if comparable else None,
                         monthly_totals(lines, cases["date"], current), previous, current,
                         family=pd.Series("case types", index=types), alpha=alpha, small_count=small_count,
                         abnormal_months=abnormal_months).rename_axis("line").reset_index()
    caveats = comparison_caveats(previous, current, abnormal_months) if comparable else ""
    table.attrs["message"] = " ".join(m for m in (coverage_message(cases["date"], previous, current), caveats) if m)
    return table


def casework_monthly(cases: pd.DataFrame) -> pd.DataFrame:
    """Cases per type by month over every month of the data."""
    return monthly_totals(case_lines(cases, case_types(cases)), cases["date"])
