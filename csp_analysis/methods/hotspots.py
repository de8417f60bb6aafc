"""Hot spot statistics: Getis-Ord Gi* on area values, one false-discovery family, kernel density of points."""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Sequence
from typing import NamedTuple

# esda imports tqdm.auto, which warns inside a kernel without ipywidgets; no progress bars are used.
warnings.filterwarnings("ignore", message="IProgress not found")
import esda  # noqa: E402
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from esda.significance import calculate_significance
from libpysal.weights import KNN, W, attach_islands
from scipy.spatial import cKDTree

from csp_analysis.methods.change import benjamini_hochberg

log = logging.getLogger(__name__)

HOT, COLD, NOT_SIGNIFICANT, NOT_TESTED = "Hot spot", "Cold spot", "Not significant", "Not tested"
#: Areas whose boundaries come this close (metres) are neighbours: generalised boundaries published
#: polygon by polygon (the St Albans LSOAs) touch without sharing vertices, and leave sub-metre gaps.
CONTIGUITY_TOLERANCE_M = 1.0


def contiguity_weights(areas: gpd.GeoDataFrame, tolerance_m: float = CONTIGUITY_TOLERANCE_M) -> tuple[W, dict]:
    """Binary queen contiguity on ``areas.index``; islands joined to their nearest area (KNN, k=1).

    Two areas are neighbours when their polygons touch or come within ``tolerance_m`` metres (a
    shared edge or corner, allowing for the slivers of generalised boundaries); for clean boundaries
    this is exactly vertex-based queen contiguity. Returns the weights and ``{island: attached
    neighbour}`` (index labels), empty if none.
    """
    geometries = areas.geometry.to_numpy()
    left, right = shapely.STRtree(geometries).query(geometries, predicate="dwithin", distance=tolerance_m)
    ids = list(areas.index)
    neighbours = {label: [] for label in ids}
    for i, j in zip(left, right):
        if i != j:
            neighbours[ids[i]].append(ids[j])
    with warnings.catch_warnings():
        # libpysal warns about islands and disconnected components; islands are handled below.
        warnings.filterwarnings("ignore", message=".*(not fully connected|island).*")
        w = W(neighbours, id_order=ids)
        if not w.islands:
            return w, {}
        knn = KNN.from_dataframe(areas.set_geometry(areas.representative_point()), k=1, use_index=True)
        attached = {island: knn.neighbors[island][0] for island in w.islands}
        log.warning("Areas with no contiguous neighbour joined to their nearest area: %s", attached)
        return attach_islands(w, knn), attached


def two_sided_pseudo_p(observed: np.ndarray, simulated: np.ndarray) -> np.ndarray:
    """Two-sided permutation p-value: twice the smaller one-sided ``(M + 1) / (R + 1)``, capped at 1.

    ``simulated`` is (areas, permutations). esda 2.9's ``alternative="two-sided"`` is not used:
    when the observation beats every permutation it counts all permutations tied at the reference
    minimum as extreme too, so with tied counts a clear hot spot can get p near 0.1, and p can
    exceed 1. This formula is the one proposed to replace it (pysal/esda pull request 514).
    """
    greater = calculate_significance(observed, simulated, alternative="greater")
    lesser = calculate_significance(observed, simulated, alternative="lesser")
    return np.minimum(2 * np.minimum(greater, lesser), 1.0)


def gi_star(
    areas: gpd.GeoDataFrame,
    values,
    permutations: int = 9999,
    seed: int = 12345,
    name_column: str | None = None,
) -> pd.DataFrame:
    """Getis-Ord Gi* per area: ``z, p_two_sided, neighbourhood`` on ``areas.index``, before any
    multiple-testing adjustment (``neighbourhood`` is the sum of the area's value and its neighbours').

    Queen contiguity (:func:`contiguity_weights`) with islands attached to their nearest area
    (reported in ``.attrs["gi_star"]["islands"]`` by ``name_column``, and logged), binary weights
    including the area itself (``esda.G_Local(transform="B", star=True)``). ``z`` is the analytical
    Gi* z-score; p-values are two-sided pseudo p-values from ``permutations`` conditional
    permutations with ``seed`` (:func:`two_sided_pseudo_p`): the smallest possible is
    2 / (permutations + 1). Values that do not vary give no statistic (missing z and p); neither
    does an area whose neighbourhood is every area (missing z). ``values`` is a Series on
    ``areas.index`` or an array in area order. Adjust with :func:`classify` or :func:`adjust_family`.
    """
    y = np.asarray(values.reindex(areas.index) if isinstance(values, pd.Series) else values, dtype=float)
    if y.shape != (len(areas),) or np.isnan(y).any():
        raise ValueError("Gi* needs one non-missing value per area")
    w, attached = contiguity_weights(areas)
    label = areas[name_column] if name_column else areas.index.to_series()
    islands = {label[island]: label[neighbour] for island, neighbour in attached.items()}
    w_ids = pd.Index(w.id_order)
    y = y[areas.index.get_indexer(w_ids)]

    neighbourhood = y + w.sparse @ y
    if np.ptp(y) == 0:
        z = p = np.full(len(y), np.nan)
    else:
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            # esda warns that crand's default one-sided p_sim will change; it is not used here.
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            g = esda.G_Local(y, w, transform="B", star=True, permutations=permutations, seed=seed, n_jobs=1)
        z = g.Zs
        p = two_sided_pseudo_p(g.Gs, g.rGs)
    result = pd.DataFrame({"z": z, "p_two_sided": p, "neighbourhood": neighbourhood}, index=w_ids).reindex(areas.index)
    result.attrs["gi_star"] = {"permutations": permutations, "seed": seed, "n_areas": len(areas),
                               "islands": islands}
    return result


def permutations_for(tests: int, alpha: float, at_least: int) -> int:
    """Permutations enough for a lone discovery to be possible in a family of ``tests``: the smallest
    pseudo p-value, 2 / (R + 1), must not exceed the first Benjamini-Hochberg bound ``alpha / tests``.
    Rounded up to a whole number of ten thousands, less one (9,999; 59,999), never below ``at_least``.
    """
    needed = math.ceil(2 * tests / alpha) - 1
    return at_least if needed <= at_least else math.ceil((needed + 1) / 10_000) * 10_000 - 1


def classify(z, p, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini-Hochberg over every non-missing ``p`` as one family, then the class of each test.

    Returns ``(p_adjusted, hotspot_class)``: a hot (cold) spot has an adjusted p below ``alpha``
    and a positive (negative) z; a missing p (values that do not vary) is not significant.
    """
    z, p = np.asarray(z, dtype=float), np.asarray(p, dtype=float)
    adjusted = benjamini_hochberg(p)
    significant = adjusted < alpha
    return adjusted, np.where(significant & (z > 0), HOT, np.where(significant & (z < 0), COLD, NOT_SIGNIFICANT))


def adjust_family(tables: Sequence[pd.DataFrame], alpha: float = 0.05) -> list[pd.DataFrame]:
    """One Benjamini-Hochberg family across every tested row of every table (areas x categories x levels).

    Each table has ``gi_tested`` (bool), ``gi_z`` and ``gi_p`` (the unadjusted two-sided p); the
    copies returned gain ``gi_p_adjusted`` and ``hotspot_class`` (:data:`NOT_TESTED` on rows not
    tested) and ``.attrs["family"] = {"tests", "alpha", "significant"}``, the same for every table.
    """
    tested = [t["gi_tested"].to_numpy(dtype=bool) for t in tables]
    z = np.concatenate([t["gi_z"].to_numpy(dtype=float)[m] for t, m in zip(tables, tested)])
    p = np.concatenate([t["gi_p"].to_numpy(dtype=float)[m] for t, m in zip(tables, tested)])
    adjusted, classes = classify(z, p, alpha)
    family = {"tests": int(np.count_nonzero(~np.isnan(p))), "alpha": alpha,
              "significant": int(np.isin(classes, (HOT, COLD)).sum())}
    out, start = [], 0
    for table, mask in zip(tables, tested):
        n = int(mask.sum())
        copy = table.copy()
        copy["gi_p_adjusted"] = np.nan
        copy["hotspot_class"] = NOT_TESTED
        copy.loc[mask, "gi_p_adjusted"] = adjusted[start:start + n]
        copy.loc[mask, "hotspot_class"] = classes[start:start + n]
        copy.attrs = {**table.attrs, "family": family}
        out.append(copy)
        start += n
    return out


def method_note(levels: Sequence[tuple[str, dict]], family: dict, what: str = "current-period counts") -> str:
    """The paragraph stating how hot spots were found: ``levels`` are (plural unit name, Gi* attrs)."""
    first = levels[0][1]
    units = " and ".join(f"{meta['n_areas']} {unit}" for unit, meta in levels)
    note = (
        f"Hot and cold spots: Getis-Ord Gi* on {what} per area ({units}): queen contiguity (areas whose "
        f"boundaries touch, within {CONTIGUITY_TOLERANCE_M:g} m), binary weights, each area counted in its own "
        f"neighbourhood; two-sided pseudo p-values from {first['permutations']:,} conditional permutations "
        f"(seed {first['seed']}; at least `analysis.permutations`, raised so that the smallest possible p-value, "
        f"{2 / (first['permutations'] + 1):.5f}, can survive the family). One false-discovery family: Benjamini-Hochberg across all {family['tests']:,} "
        f"tests on this page (every tested category in every area{' at both levels' if len(levels) > 1 else ''}); "
        f"an area is a hot (cold) spot when its adjusted p-value is below {family['alpha']:g} and its z-score is "
        f"positive (negative)."
    )
    for unit, meta in levels:
        if meta["islands"]:
            pairs = "; ".join(f"{island} joined to {neighbour}" for island, neighbour in meta["islands"].items())
            note += f" {unit.capitalize()} with no contiguous neighbour were joined to their nearest ({pairs})."
    return note


class KernelDensity(NamedTuple):
    """A density grid (points per km², row 0 at the south, NaN outside the boundary)."""

    grid: np.ndarray
    extent: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax in metres (imshow order)
    bandwidth_m: float
    bandwidth_rule: str
    cell_size_m: float


BANDWIDTH_RULE = (
    "quartic kernel; bandwidth 0.9 x min(standard distance, sqrt(1/ln 2) x median distance to the "
    "mean centre) x n^-0.2 (Silverman's rule of thumb, spatial variant as in ArcGIS Kernel Density)"
)


def default_bandwidth(points_xy: np.ndarray) -> float:
    """Bandwidth in metres by :data:`BANDWIDTH_RULE` (needs at least two distinct points)."""
    n = len(points_xy)
    if n < 2:
        raise ValueError("the bandwidth rule needs at least two distinct points; pass bandwidth")
    distances = np.hypot(*(points_xy - points_xy.mean(axis=0)).T)
    standard_distance = math.sqrt((distances**2).mean())
    spread = min(standard_distance, math.sqrt(1 / math.log(2)) * float(np.median(distances)))
    if spread == 0:
        raise ValueError("the bandwidth rule gives 0 (most points coincide); pass bandwidth")
    return 0.9 * spread * n**-0.2


def kernel_density(
    points_xy,
    boundary,
    cell_size: float = 100,
    bandwidth: float | None = None,
) -> KernelDensity:
    """Quartic (biweight) kernel density of points on a grid clipped to ``boundary``.

    ``points_xy`` is an (n, 2) array of British National Grid coordinates; ``boundary`` a
    polygon (or GeoSeries/GeoDataFrame, dissolved) in the same CRS. Cells are ``cell_size`` metres,
    aligned to multiples of it; each cell holds the density at its centre in points per km², so the
    grid sums to about the number of points times (cell area / 1 km²) wherever the kernels fall
    inside the boundary. ``bandwidth`` (the kernel radius, metres) defaults to
    :func:`default_bandwidth`.
    """
    points_xy = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    if isinstance(boundary, (gpd.GeoSeries, gpd.GeoDataFrame)):
        boundary = boundary.union_all()
    rule = BANDWIDTH_RULE if bandwidth is None else "quartic kernel; fixed bandwidth given by the analyst"
    h = default_bandwidth(points_xy) if bandwidth is None else float(bandwidth)

    xmin, ymin, xmax, ymax = boundary.bounds
    xmin, ymin = math.floor(xmin / cell_size) * cell_size, math.floor(ymin / cell_size) * cell_size
    xmax, ymax = math.ceil(xmax / cell_size) * cell_size, math.ceil(ymax / cell_size) * cell_size
    xs = np.arange(xmin, xmax, cell_size) + cell_size / 2
    ys = np.arange(ymin, ymax, cell_size) + cell_size / 2
    cx, cy = np.meshgrid(xs, ys)
    inside = shapely.contains_xy(boundary, cx, cy)

    centres = np.column_stack([cx[inside], cy[inside]])
    pairs = cKDTree(centres).sparse_distance_matrix(cKDTree(points_xy), max_distance=h, output_type="ndarray")
    weights = 3.0 / (math.pi * h**2) * (1.0 - (pairs["v"] / h) ** 2) ** 2
    density = np.bincount(pairs["i"], weights=weights, minlength=len(centres)) * 1e6

    grid = np.full(cx.shape, np.nan)
    grid[inside] = density
    return KernelDensity(grid, (xmin, xmax, ymin, ymax), h, rule, float(cell_size))
