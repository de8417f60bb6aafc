"""Load ward and LSOA boundaries, LSOA population and the LSOA-to-ward lookup; build ward populations."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa

from csp_analysis.errors import InputDataError
from csp_analysis.schema_checks import validate_rows

log = logging.getLogger(__name__)

#: British National Grid: every area and distance calculation happens in this CRS.
BNG = "EPSG:27700"

_WARD_CODE = r"WD\d\dCD"
_WARD_NAME = r"WD\d\dNM"
_LSOA_CODE = (r"LSOA\d\dCD", r"LSOA[ _]?(\d\d)?[ _]?code")
_LSOA_NAME = (r"LSOA\d\dNM", r"LSOA[ _]?(\d\d)?[ _]?name")
_DISTRICT_CODE = r"LAD\d\dCD"
_DISTRICT_NAME = r"LAD\d\dNM"
_POPULATION = (r"All usual residents", r"population", r"All Ages", r"Observation")


def _read_table(path: Path, what: str) -> pd.DataFrame:
    """A CSV as text columns; an empty, header-only or unreadable file is an error naming it."""
    try:
        raw = pd.read_csv(path, dtype=str)
    except pd.errors.EmptyDataError:
        raise InputDataError(path, f"is empty: a {what} file needs a header and one row per LSOA") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        raise InputDataError(path, f"cannot be read as a {what} CSV ({exc})") from None
    if raw.empty:
        raise InputDataError(path, f"holds a header but no rows: a {what} file needs one row per LSOA")
    return raw


def _find_column(
    path: str | Path,
    columns: Iterable[str],
    patterns: str | tuple[str, ...],
    what: str,
    given: str | None = None,
    required: bool = True,
) -> str | None:
    """The one column named ``given`` or matching one of ``patterns`` (whole name, any case)."""
    columns = list(columns)
    if given is not None:
        if given not in columns:
            raise InputDataError(path, f"no {what} column '{given}'; available: {', '.join(columns)}")
        return given
    patterns = (patterns,) if isinstance(patterns, str) else patterns
    for pattern in patterns:
        matches = [c for c in columns if re.fullmatch(pattern, c.strip(), flags=re.IGNORECASE)]
        if len(matches) > 1:
            raise InputDataError(
                path, f"several possible {what} columns ({', '.join(matches)}); name the one to use"
            )
        if matches:
            return matches[0]
    if required:
        raise InputDataError(
            path, f"cannot find a {what} column (looked for {' or '.join(patterns)}); available: {', '.join(columns)}"
        )
    return None


def _check_unique(path: str | Path, values: pd.Series, column: str) -> None:
    duplicated = values[values.duplicated()].unique()
    if len(duplicated):
        raise InputDataError(path, f"duplicated codes {', '.join(map(str, duplicated[:5]))}", column=column)


_GSS = r"^[EWSNX]\d{8}$"
#: The canonical tables the loaders return (declarative; checked on every load).
WARDS_SCHEMA = pa.DataFrameSchema(
    {"ward_code": pa.Column(str, unique=True), "ward_name": pa.Column(str, pa.Check.str_length(min_value=1))},
    strict=False,
)
LSOAS_SCHEMA = pa.DataFrameSchema(
    {"lsoa_code": pa.Column(str, pa.Check.str_matches(_GSS), unique=True), "lsoa_name": pa.Column(str)},
    strict=False,
)
POPULATION_SCHEMA = pa.DataFrameSchema(
    {"lsoa_code": pa.Column(str, pa.Check.str_matches(_GSS), unique=True),
     "lsoa_name": pa.Column(str, nullable=True),
     "population": pa.Column(float, pa.Check.ge(0), coerce=True)},
    strict=True,
)
LOOKUP_SCHEMA = pa.DataFrameSchema(
    {"lsoa_code": pa.Column(str, pa.Check.str_matches(_GSS), unique=True),
     "lsoa_name": pa.Column(str, nullable=True),
     "ward_code": pa.Column(str, pa.Check.str_matches(_GSS)),
     "ward_name": pa.Column(str, nullable=True),
     "district_code": pa.Column(str, nullable=True),
     "district_name": pa.Column(str, nullable=True)},
    strict=True,
)


def _check_geographic_bounds(path: Path, frame: gpd.GeoDataFrame) -> None:
    """Stop when a file that declares longitude and latitude holds coordinates that cannot be either."""
    if not frame.crs.is_geographic or frame.empty:
        return
    west, south, east, north = frame.total_bounds
    if west < -180 or east > 180 or south < -90 or north > 90:
        raise InputDataError(
            path, f"declares longitude and latitude ({frame.crs.to_string()}) but holds coordinates up to "
                  f"({east:,.0f}, {north:,.0f}): the coordinates are in another system (British National Grid "
                  "metres?); re-export the file with its true coordinate system")


def _read_vector(path: Path, what: str) -> gpd.GeoDataFrame:
    """A vector file with a coordinate reference system that its coordinates fit."""
    if not path.exists():
        raise InputDataError(path, f"{what} file not found")
    try:
        raw = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise InputDataError(path, f"cannot read as a vector file ({exc})") from exc
    if raw.crs is None:
        raise InputDataError(path, "the file has no coordinate reference system")
    _check_geographic_bounds(path, raw)
    return raw


def _load_areas(path: str | Path, patterns: tuple, fields: tuple, what: str) -> gpd.GeoDataFrame:
    """Area polygons as ``<level>_code, <level>_name, geometry`` in EPSG:27700 (see :func:`load_wards`)."""
    path = Path(path)
    level = what.split()[0].lower()
    raw = _read_vector(path, what)
    columns = [c for c in raw.columns if c != raw.geometry.name]
    code = _find_column(path, columns, patterns[0], f"{level} code", fields[0])
    name = _find_column(path, columns, patterns[1], f"{level} name", fields[1])

    if raw[code].isna().any():
        first = int(raw[code].isna().to_numpy().argmax())
        raise InputDataError(path, f"some {level}s have no code", row=first, column=code)
    empty = raw.geometry.isna() | raw.geometry.is_empty
    if empty.any():
        areas = ", ".join(raw.loc[empty, code].astype(str))
        raise InputDataError(path, f"{int(empty.sum())} {level}(s) have no geometry: {areas}", column=code)
    areas = gpd.GeoDataFrame(
        {f"{level}_code": raw[code].astype(str).str.strip(), f"{level}_name": raw[name].astype(str).str.strip()},
        geometry=raw.geometry.to_crs(BNG),
    ).reset_index(drop=True)
    _check_unique(path, areas[f"{level}_code"], code)

    invalid = ~areas.is_valid
    repaired = int(invalid.sum())
    if repaired:
        areas.loc[invalid, "geometry"] = areas.geometry[invalid].make_valid(method="structure", keep_collapsed=False)
        log.warning("%s: repaired %d invalid %s geometries with make_valid", path, repaired, level)
    areas.attrs["repaired_geometries"] = repaired
    return areas


def load_wards(path: str | Path, code_field: str | None = None, name_field: str | None = None) -> gpd.GeoDataFrame:
    """Ward polygons as ``ward_code, ward_name, geometry`` in EPSG:27700.

    Reads GeoJSON, GeoPackage or shapefile with pyogrio. Code and name fields matching
    ``WDnnCD``/``WDnnNM`` are found when not given. Invalid geometries are repaired with
    ``make_valid`` (polygonal parts kept); the count is logged and kept in
    ``.attrs["repaired_geometries"]``. Empty or missing geometries are an error.
    """
    wards = _load_areas(path, (_WARD_CODE, _WARD_NAME), (code_field, name_field), "ward boundary")
    validate_rows(WARDS_SCHEMA, wards.drop(columns="geometry"), path)
    return wards


def load_lsoas(path: str | Path) -> gpd.GeoDataFrame:
    """LSOA polygons as ``lsoa_code, lsoa_name, geometry`` in EPSG:27700 (fields ``LSOAnnCD``/``LSOAnnNM``).

    Read and checked as :func:`load_wards` reads wards.
    """
    lsoas = _load_areas(path, (_LSOA_CODE, _LSOA_NAME), (None, None), "LSOA boundary")
    validate_rows(LSOAS_SCHEMA, lsoas.drop(columns="geometry"), path)
    return lsoas


def load_boundary(path: str | Path):
    """One polygon (EPSG:27700): the union of every shape of a boundary file (a district, a town
    centre, a policing neighbourhood)."""
    path = Path(path)
    raw = _read_vector(path, "boundary")
    shapes = raw.geometry.to_crs(BNG).make_valid()
    area = shapes[shapes.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])].union_all()
    if area.is_empty or area.area == 0:
        raise InputDataError(path, "holds no polygon: a boundary needs an area to select the records inside it")
    return area


def load_lsoa_population(
    path: str | Path, code_column: str | None = None, population_column: str | None = None
) -> pd.DataFrame:
    """LSOA population as ``lsoa_code, lsoa_name, population``.

    Detects the Census 2011 bulk file's ``LSOA Code``/``LSOA Name``/``All usual residents`` and
    ONS-style ``LSOAnnCD``/``LSOAnnNM`` columns; ``lsoa_name`` is missing if the file has none.
    """
    path = Path(path)
    if not path.exists():
        raise InputDataError(path, "population file not found")
    raw = _read_table(path, "population")
    code = _find_column(path, raw.columns, _LSOA_CODE, "LSOA code", code_column)
    name = _find_column(path, raw.columns, _LSOA_NAME, "LSOA name", required=False)
    population = _find_column(path, raw.columns, _POPULATION, "population", population_column)

    values = pd.to_numeric(raw[population].str.replace(",", "", regex=False), errors="coerce")
    bad = values.isna() | (values < 0)
    if bad.any():
        first = int(bad.to_numpy().argmax())
        raise InputDataError(
            path,
            f"population '{raw[population].iloc[first]}' is not a non-negative number",
            row=first + 2,
            column=population,
        )
    table = pd.DataFrame(
        {
            "lsoa_code": raw[code].str.strip(),
            "lsoa_name": raw[name].str.strip() if name else pd.Series(pd.NA, index=raw.index, dtype="str"),
            "population": values,
        }
    )
    _check_unique(path, table["lsoa_code"], code)
    return validate_rows(POPULATION_SCHEMA, table, path)


def load_lsoa_ward_lookup(path: str | Path) -> pd.DataFrame:
    """ONS best-fit lookup as ``lsoa_code, lsoa_name, ward_code, ward_name, district_code, district_name``.

    Columns are found by their ONS pattern (``LSOAnnCD``, ``WDnnCD``, ``LADnnCD`` and the ``NM``
    names). LSOA and ward codes are required; absent name or district columns are left missing.
    Each LSOA must appear once (a best-fit lookup).
    """
    path = Path(path)
    if not path.exists():
        raise InputDataError(path, "lookup file not found")
    raw = _read_table(path, "LSOA-to-ward lookup")
    wanted = {
        "lsoa_code": (_LSOA_CODE, True),
        "lsoa_name": (_LSOA_NAME, False),
        "ward_code": (_WARD_CODE, True),
        "ward_name": (_WARD_NAME, False),
        "district_code": (_DISTRICT_CODE, False),
        "district_name": (_DISTRICT_NAME, False),
    }
    table = pd.DataFrame(index=raw.index)
    for target, (patterns, required) in wanted.items():
        column = _find_column(path, raw.columns, patterns, target.replace("_", " "), required=required)
        table[target] = raw[column].str.strip() if column else pd.Series(pd.NA, index=raw.index, dtype="str")
    _check_unique(path, table["lsoa_code"], "lsoa_code")
    return validate_rows(LOOKUP_SCHEMA, table, path)


def ward_population(lookup: pd.DataFrame, population: pd.DataFrame, wards: pd.DataFrame) -> pd.DataFrame:
    """Ward population ``ward_code, ward_name, population`` summed from LSOAs through the lookup.

    One row per ward in ``wards`` (same order). A ward with no LSOA in the lookup, or with an
    LSOA that has no population, gets NaN (never zero); such wards are logged and listed in
    ``.attrs["wards_without_population"]``.
    """
    linked = lookup[["lsoa_code", "ward_code"]].merge(
        population[["lsoa_code", "population"]], on="lsoa_code", how="left"
    )
    summed = linked.groupby("ward_code")["population"].sum(min_count=1)
    incomplete = linked.loc[linked["population"].isna(), "ward_code"].unique()
    summed[summed.index.isin(incomplete)] = float("nan")

    table = wards[["ward_code", "ward_name"]].reset_index(drop=True)
    table["population"] = table["ward_code"].map(summed).astype("float64")
    missing = table.loc[table["population"].isna(), "ward_name"].tolist()
    if missing:
        log.warning("No complete LSOA population for ward(s): %s; their rates are missing", ", ".join(missing))
    table.attrs["wards_without_population"] = missing
    return table
