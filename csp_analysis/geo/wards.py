"""Assign records to wards, count them per area (ward or LSOA) and category, and summarise where crime concentrates."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from csp_analysis.categories import ALL_CRIME, ASB, POLICE_UK_CATEGORIES
from csp_analysis.geo.boundaries import BNG
from csp_analysis.methods.hotspots import gi_star

_TO_BNG = Transformer.from_crs("EPSG:4326", BNG, always_xy=True)

ASSIGNMENTS: tuple[str, ...] = ("within", "nearest", "beyond_tolerance", "no_location")

#: The columns of an area table after :func:`csp_analysis.methods.hotspots.adjust_family`
#: (:func:`area_table` gives all but the last two).
AREA_COLUMNS: tuple[str, ...] = (
    "category", "previous", "current", "change", "pct_change", "small_count", "rate_per_1000",
    "gi_tested", "gi_neighbourhood", "gi_z", "gi_p", "gi_p_adjusted", "hotspot_class",
)
WARD_TABLE_COLUMNS: tuple[str, ...] = ("ward_code", "ward_name", *AREA_COLUMNS)
LSOA_TABLE_COLUMNS: tuple[str, ...] = ("lsoa_code", "lsoa_name", "ward_name", *AREA_COLUMNS)


def assign_to_wards(records: pd.DataFrame, wards: gpd.GeoDataFrame, tolerance_m: float = 250) -> pd.DataFrame:
    """Ward of each record from its ``Longitude``/``Latitude`` (WGS84), aligned to ``records.index``.

    Returns ``ward_code, ward_name, assignment, distance_m``. ``assignment`` is ``within`` (in or on
    the edge of a ward polygon; a point on a shared edge goes to the lowest ward code), ``nearest``
    (outside every ward but within ``tolerance_m`` metres of one: the nearest, ties to the lowest
    ward code), ``beyond_tolerance`` or ``no_location`` (missing or non-numeric coordinates).
    ``distance_m`` is 0 for ``within`` and missing when unassigned. Nothing is dropped.
    """
    lon = pd.to_numeric(records["Longitude"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(records["Latitude"], errors="coerce").to_numpy(dtype=float)
    x, y = _TO_BNG.transform(lon, lat)
    return assign_xy_to_wards(x, y, wards, tolerance_m, index=records.index)


def assign_xy_to_wards(x, y, wards: gpd.GeoDataFrame, tolerance_m: float = 250, *, index=None) -> pd.DataFrame:
    """As :func:`assign_to_wards`, from British National Grid eastings and northings."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    located = np.isfinite(x) & np.isfinite(y)

    result = pd.DataFrame(
        {
            "ward_code": pd.Series(pd.NA, index=range(len(x)), dtype="str"),
            "ward_name": pd.Series(pd.NA, index=range(len(x)), dtype="str"),
            "assignment": np.where(located, "beyond_tolerance", "no_location"),
            "distance_m": np.nan,
        }
    )
    polygons = wards[["ward_code", "ward_name", "geometry"]].to_crs(BNG).sort_values("ward_code", kind="stable")
    # Points beyond the wards' bounding box plus the tolerance cannot be assigned: skip building them.
    xmin, ymin, xmax, ymax = polygons.total_bounds
    candidate = located & (x >= xmin - tolerance_m) & (x <= xmax + tolerance_m)
    candidate &= (y >= ymin - tolerance_m) & (y <= ymax + tolerance_m)
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(x[candidate], y[candidate], crs=BNG), index=np.flatnonzero(candidate)
    )

    inside = gpd.sjoin(points, polygons, predicate="intersects", how="inner")
    inside = inside.sort_values("ward_code", kind="stable")
    inside = inside[~inside.index.duplicated(keep="first")]
    result.loc[inside.index, ["ward_code", "ward_name"]] = inside[["ward_code", "ward_name"]].to_numpy()
    result.loc[inside.index, "assignment"] = "within"
    result.loc[inside.index, "distance_m"] = 0.0

    outside = points[~points.index.isin(inside.index)]
    near = gpd.sjoin_nearest(outside, polygons, how="inner", max_distance=tolerance_m, distance_col="distance_m")
    near = near.sort_values(["distance_m", "ward_code"], kind="stable")
    near = near[~near.index.duplicated(keep="first")]
    result.loc[near.index, ["ward_code", "ward_name"]] = near[["ward_code", "ward_name"]].to_numpy()
    result.loc[near.index, "assignment"] = "nearest"
    result.loc[near.index, "distance_m"] = near["distance_m"].to_numpy()

    if index is not None:
        result.index = index
    return result


def area_counts(
    assigned: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    code: str = "ward_code",
    category_column: str = "Crime type",
    categories: tuple[str, ...] = POLICE_UK_CATEGORIES,
) -> pd.DataFrame:
    """Counts per area (rows, every area of ``areas``) and category (columns, plus ``ALL_CRIME``).

    ``assigned`` holds one row per record with its category and its area code in column ``code``
    (the ``ward_code`` from :func:`assign_to_wards`, or ``lsoa_code``); records with no code, or a
    code that is not one of ``areas[code]``, are not counted here. ``ALL_CRIME`` counts every
    category except anti-social behaviour. A missing category or one outside ``categories`` is an
    error rather than silently dropped.
    """
    if assigned[category_column].isna().any():
        raise ValueError(f"{int(assigned[category_column].isna().sum())} records have no '{category_column}'")
    unknown = sorted(set(assigned[category_column]) - set(categories))
    if unknown:
        raise ValueError(f"categories not in the expected list: {', '.join(unknown)}")
    table = pd.crosstab(assigned[code], assigned[category_column])
    table = table.reindex(index=pd.Index(areas[code], name=code), columns=list(categories), fill_value=0)
    table[ALL_CRIME] = table.drop(columns=ASB, errors="ignore").sum(axis=1)
    table.columns.name = "category"
    return table.astype("int64")


def area_table(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    people: np.ndarray,
    *,
    code: str,
    name: str,
    tested=(),
    small_count: int = 10,
    permutations: int = 9999,
    seed: int = 12345,
) -> pd.DataFrame:
    """One row per area and category: counts, change, small-count flag, rate and unadjusted Gi*.

    ``previous`` and ``current`` come from :func:`area_counts`; ``people`` is the residents of each
    area in ``areas`` order (NaN when unknown). ``pct_change`` is missing where the previous count
    is 0, ``rate_per_1000`` (current period) where the population is missing or 0. ``small_count``
    flags rows with fewer than ``small_count`` records in either period (their % change swings
    widely). Gi* runs on the current counts of each category in ``tested`` (``gi_tested``;
    ``gi_neighbourhood`` is the current count of the area and its neighbours); ``gi_*`` are missing
    for the others. Adjust every table of one page together with
    :func:`csp_analysis.methods.hotspots.adjust_family`. ``.attrs["gi_star"]`` holds the Gi* settings.
    """
    people = np.where(np.asarray(people, dtype=float) > 0, np.asarray(people, dtype=float), np.nan)
    codes = areas[code]
    parts, meta = [], {"permutations": permutations, "seed": seed, "n_areas": len(areas), "islands": {}}
    for category in current.columns:
        cur = current[category].reindex(codes).to_numpy()
        prev = previous[category].reindex(codes).to_numpy()
        is_tested = category in tested
        if is_tested:
            gi = gi_star(areas, cur, permutations=permutations, seed=seed, name_column=name)
            meta = gi.attrs["gi_star"]
            z, p, local = gi["z"].to_numpy(), gi["p_two_sided"].to_numpy(), gi["neighbourhood"].to_numpy()
        else:
            z = p = local = np.full(len(areas), np.nan)
        parts.append(pd.DataFrame({
            code: codes.to_numpy(),
            name: areas[name].to_numpy(),
            "category": category,
            "previous": prev,
            "current": cur,
            "change": cur - prev,
            "pct_change": 100.0 * (cur - prev) / np.where(prev > 0, prev, np.nan),
            "small_count": (prev < small_count) | (cur < small_count),
            "rate_per_1000": 1000.0 * cur / people,
            "gi_tested": is_tested,
            "gi_neighbourhood": local,
            "gi_z": z,
            "gi_p": p,
        }))
    result = pd.concat(parts, ignore_index=True)
    result.attrs["gi_star"] = meta  # the same settings for every category
    return result


def ward_table(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    wards: gpd.GeoDataFrame,
    population: pd.DataFrame | None,
    **options,
) -> pd.DataFrame:
    """The ``ward_counts.csv`` table before adjustment: :func:`area_table` of the wards.

    ``population`` comes from :func:`csp_analysis.geo.boundaries.ward_population`; ``options`` are
    those of :func:`area_table` (``tested``, ``small_count``, ``permutations``, ``seed``).
    """
    if population is None:  # no population: every rate missing
        people = np.full(len(wards), np.nan)
    else:
        people = population.set_index("ward_code")["population"].reindex(wards["ward_code"])
        people = people.where(people > 0).to_numpy(dtype=float)
    return area_table(previous, current, wards, people, code="ward_code", name="ward_name", **options)


def lsoa_table(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    lsoas: gpd.GeoDataFrame,
    population: pd.DataFrame | None,
    wards: gpd.GeoDataFrame,
    **options,
) -> pd.DataFrame:
    """The ``lsoa_counts.csv`` table before adjustment: :func:`area_table` of the LSOAs, with the
    name of the ward holding each LSOA (the ward containing its representative point).

    ``population`` is the LSOA population (:func:`csp_analysis.geo.boundaries.load_lsoa_population`)
    or None (no rates).
    """
    people = (np.full(len(lsoas), np.nan) if population is None else
              population.set_index("lsoa_code")["population"].reindex(lsoas["lsoa_code"]).to_numpy(dtype=float))
    table = area_table(previous, current, lsoas, people, code="lsoa_code", name="lsoa_name", **options)
    points = gpd.GeoDataFrame(lsoas[["lsoa_code"]], geometry=lsoas.representative_point(), crs=lsoas.crs)
    held = gpd.sjoin(points, wards[["ward_name", "geometry"]].to_crs(lsoas.crs), predicate="within", how="left")
    ward_of = held.drop_duplicates("lsoa_code").set_index("lsoa_code")["ward_name"]
    table.insert(2, "ward_name", table["lsoa_code"].map(ward_of))
    return table


def top_wards(table: pd.DataFrame, category: str, n: int = 5, column: str = "current") -> pd.DataFrame:
    """The ``n`` wards with the highest ``column`` for ``category`` and their share of the district.

    ``table`` is :func:`ward_table` output. Shares are percentages of the sum over all wards
    (records assigned to a ward). Ties are broken by ward name. Returns ``ward_code, ward_name,
    count, share_pct, cumulative_share_pct``.
    """
    rows = table[table["category"] == category]
    if rows.empty:
        raise ValueError(f"no rows for category '{category}'")
    total = rows[column].sum()
    ranked = rows.sort_values([column, "ward_name"], ascending=[False, True], kind="stable").head(n)
    top = ranked[["ward_code", "ward_name"]].assign(count=ranked[column]).reset_index(drop=True)
    top["share_pct"] = 100.0 * top["count"] / total if total else np.nan
    top["cumulative_share_pct"] = top["share_pct"].cumsum()
    return top


def concentration(table: pd.DataFrame, category: str, n: int = 5, column: str = "current") -> float:
    """Percentage of the district's ``category`` count that falls in its top ``n`` wards."""
    return float(top_wards(table, category, n, column)["cumulative_share_pct"].iloc[-1])
