"""Checks of data frames against schemas, reported as one error naming the file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from csp_analysis.errors import InputDataError


def parse_numbers(series: pd.Series, path: str | Path, export_name: str, *, whole: bool) -> pd.Series:
    """Numbers from text, blanks missing: ``whole`` means whole numbers of 0 or more (Int64),
    otherwise floats. Any other text raises an InputDataError naming the first row."""
    numbers = pd.to_numeric(series, errors="coerce")
    bad = numbers.isna() & series.notna()
    if whole:
        bad |= numbers.notna() & ((numbers < 0) | (numbers % 1 != 0))
    if bad.any():
        kind = "a whole number of 0 or more" if whole else "a number"
        shown = ", ".join(repr(v) for v in series[bad].unique()[:5])
        raise InputDataError(path, f"{bad.sum()} value(s) are not {kind}: {shown}", row=int(bad.idxmax()),
                             column=export_name)
    return numbers.astype("Int64") if whole else numbers.astype("float64")

def validate_frame(schema: pa.DataFrameSchema, frame: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    """Validate against a pandera schema, reporting every failure as one InputDataError."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        for (column, check), cases in exc.failure_cases.groupby(["column", "check"], dropna=False, sort=False):
            shown = ", ".join(repr(v) for v in cases["failure_case"].drop_duplicates().head(5))
            rows = pd.to_numeric(cases["index"], errors="coerce").dropna()
            where = f" (first at row {int(rows.min())})" if len(rows) else ""
            problems.append(f"'{column}' fails {check}: {shown}{where}")
        raise InputDataError(path, "; ".join(problems)) from None

def validate_rows(schema: pa.DataFrameSchema, frame: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    """As :func:`validate_frame` for a frame read straight from a CSV (a 0-based index): errors
    give the file's row numbers (the header is row 1)."""
    numbered = frame.set_axis(pd.RangeIndex(2, len(frame) + 2), axis=0)
    validate_frame(schema, numbered, path)
    return frame
