"""Which records belong to the area: police.uk records by a boundary polygon, and partner records
(fire incidents, collisions, casework), with their wards."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from csp_analysis.config.assessment import Selection
from csp_analysis.errors import CSPError
from csp_analysis.geo.wards import assign_xy_to_wards

_TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


@dataclass
class BoundarySelector:
    """Picks police.uk records whose point lies inside a polygon (EPSG:27700), whatever their LSOA:
    for boundaries LSOAs do not fit, and for police.uk API answers, which have no LSOA."""

    boundary: shapely.Geometry
    #: Why a record is left out before any selection: it cannot be placed against the boundary.
    unplaceable_reason = "no location: cannot be placed inside or outside the boundary"

    def placeable(self, records: pd.DataFrame) -> pd.Series:
        return records["Longitude"].notna() & records["Latitude"].notna()

    def mask(self, records: pd.DataFrame) -> pd.Series:
        x, y = _TO_BNG.transform(records["Longitude"].to_numpy(float), records["Latitude"].to_numpy(float))
        shapely.prepare(self.boundary)
        inside = shapely.contains_xy(self.boundary, x, y)
        return pd.Series(inside, index=records.index) & self.placeable(records)


def _has(frame: pd.DataFrame, column: str) -> bool:
    return column in frame and frame[column].notna().any()


def grid_coordinates(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Eastings and northings: as given, else projected from longitude/latitude; NaN where neither."""
    x = pd.to_numeric(frame.get("easting", pd.Series(np.nan, index=frame.index)), errors="coerce").to_numpy(float)
    y = pd.to_numeric(frame.get("northing", pd.Series(np.nan, index=frame.index)), errors="coerce").to_numpy(float)
    if "longitude" in frame and "latitude" in frame:
        gap = ~(np.isfinite(x) & np.isfinite(y))
        lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(float)
        lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(float)
        px, py = _TO_BNG.transform(lon, lat)
        x, y = np.where(gap, px, x), np.where(gap, py, y)
    return x, y


def locate_in_wards(frame: pd.DataFrame, wards: gpd.GeoDataFrame, tolerance_m: float) -> pd.DataFrame:
    """Ward of each record: by coordinates where it has them, else by its ward code or name.

    Returns ``ward_code, ward_name, assignment`` aligned to ``frame``; ``assignment`` adds
    ``by_ward_field`` and ``unmatched_ward`` to the point-in-polygon outcomes.
    """
    x, y = grid_coordinates(frame)
    placed = assign_xy_to_wards(x, y, wards, tolerance_m, index=frame.index)
    no_point = placed["assignment"].eq("no_location")
    for column in ("ward_code", "ward_name"):
        if not (_has(frame, column) and no_point.any()):
            continue
        keys = wards.assign(key=wards[column].str.casefold()).set_index("key")
        given = frame.loc[no_point, column]
        matched = given.str.casefold().map(keys["ward_code"])
        codes = matched[matched.notna()]
        placed.loc[codes.index, "ward_code"] = codes
        placed.loc[codes.index, "ward_name"] = codes.map(wards.set_index("ward_code")["ward_name"])
        placed.loc[codes.index, "assignment"] = "by_ward_field"
        placed.loc[given.index[given.notna() & matched.isna()], "assignment"] = "unmatched_ward"
        no_point = placed["assignment"].eq("no_location")
    return placed


def select_records(frame: pd.DataFrame, selection: Selection, *, source: str,
                   wards: gpd.GeoDataFrame | None = None, tolerance_m: float = 250) -> tuple[pd.Series, str]:
    """The records of ``frame`` in the area or county ``selection``, and how they were chosen.

    In order: the whole export (``whole_force``); the export's district code
    (``local_authority_ons_district``) against ``district_codes``; its district name against
    ``district_names``; else the area's ward polygons. Without any of these it is an error.
    """
    if selection.whole_force:
        return pd.Series(True, index=frame.index), "every record in the export"
    code_column = "local_authority_ons_district"
    if selection.district_codes and _has(frame, code_column):
        return (frame[code_column].isin(selection.district_codes),
                f"district code {', '.join(selection.district_codes)}")
    if selection.district_names and _has(frame, "district"):
        names = {n.casefold() for n in selection.district_names}
        return frame["district"].str.casefold().isin(names), f"district {', '.join(selection.district_names)}"
    if wards is not None:
        placed = locate_in_wards(frame, wards, tolerance_m)
        return placed["ward_code"].notna(), f"location within the {selection.name} wards"
    raise CSPError(
        f"cannot tell which {source} records belong to {selection.name}: give district_names matching the "
        f"export's district column, district_codes, ward boundaries (inputs.wards), or whole_force: true"
    )
