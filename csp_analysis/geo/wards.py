"""Assign records to wards, count them per ward and category, and summarise where crime concentrates."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from csp_analysis.categories import ALL_CRIME, ASB, POLICE_UK_CATEGORIES
from csp_analysis.geo.boundaries import BNG
from csp_analysis.methods.hotspots import getis_ord_gi_star

_TO_BNG = Transformer.from_crs("EPSG:4326", BNG, always_xy=True)

ASSIGNMENTS: tuple[str, ...] = ("within", "nearest", "beyond_tolerance", "no_location")

WARD_TABLE_COLUMNS: tuple[str, ...] = (
    "ward_code", "ward_name", "category", "previous", "current", "change", "pct_change",
    "rate_per_1000", "gi_z", "gi_p", "gi_p_adjusted", "hotspot_class",
)


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


def ward_counts(
    assigned: pd.DataFrame,
    wards: pd.DataFrame,
    *,
    category_column: str = "Crime type",
    categories: tuple[str, ...] = POLICE_UK_CATEGORIES,
) -> pd.DataFrame:
    """Counts per ward (rows, every ward in ``wards``) and category (columns, plus ``ALL_CRIME``).

    ``assigned`` holds one row per record with its category and the ``ward_code`` from
    :func:`assign_to_wards`; unassigned records (no ward code) are not counted here.
    ``ALL_CRIME`` counts every category except anti-social behaviour. A missing category or one
    outside ``categories`` is an error rather than silently dropped.
    """
    if assigned[category_column].isna().any():
        raise ValueError(f"{int(assigned[category_column].isna().sum())} records have no '{category_column}'")
    unknown = sorted(set(assigned[category_column]) - set(categories))
    if unknown:
        raise ValueError(f"categories not in the expected list: {', '.join(unknown)}")
    table = pd.crosstab(assigned["ward_code"], assigned[category_column])
    table = table.reindex(index=pd.Index(wards["ward_code"], name="ward_code"), columns=list(categories), fill_value=0)
    table[ALL_CRIME] = table.drop(columns=ASB, errors="ignore").sum(axis=1)
    table.columns.name = "category"
    return table.astype("int64")


def ward_table(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    wards: gpd.GeoDataFrame,
    population: pd.DataFrame | None,
    *,
    permutations: int = 999,
    seed: int = 12345,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The ``ward_counts.csv`` table: one row per ward and category.

    ``previous`` and ``current`` come from :func:`ward_counts`; ``population`` from
    :func:`csp_analysis.geo.boundaries.ward_population` (None: no population, every rate missing).
    ``pct_change`` is missing where the previous count is 0, ``rate_per_1000`` (current period)
    where the population is missing or 0. Gi* is
    run on each category's current counts across the wards, with Benjamini-Hochberg across the
    wards of that category (see :func:`csp_analysis.methods.hotspots.getis_ord_gi_star`).
    """
    if population is None:
        people = np.full(len(wards), np.nan)
    else:
        people = population.set_index("ward_code")["population"].reindex(wards["ward_code"])
        people = people.where(people > 0).to_numpy(dtype=float)
    parts = []
    for category in current.columns:
        cur = current[category].reindex(wards["ward_code"]).to_numpy()
        prev = previous[category].reindex(wards["ward_code"]).to_numpy()
        gi = getis_ord_gi_star(wards, cur, permutations=permutations, seed=seed, alpha=alpha)
        part = pd.DataFrame(
            {
                "ward_code": wards["ward_code"].to_numpy(),
                "ward_name": wards["ward_name"].to_numpy(),
                "category": category,
                "previous": prev,
                "current": cur,
                "change": cur - prev,
                "pct_change": 100.0 * (cur - prev) / np.where(prev > 0, prev, np.nan),
                "rate_per_1000": 1000.0 * cur / people,
                "gi_z": gi["z"].to_numpy(),
                "gi_p": gi["p_two_sided"].to_numpy(),
                "gi_p_adjusted": gi["p_adjusted"].to_numpy(),
                "hotspot_class": gi["hotspot_class"].to_numpy(),
            }
        )
        parts.append(part)
    result = pd.concat(parts, ignore_index=True)[list(WARD_TABLE_COLUMNS)]
    result.attrs["gi_star"] = gi.attrs["gi_star"]  # the same settings for every category
    return result


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
