"""Hot spot statistics: Getis-Ord Gi* on ward values and quartic kernel density of points."""

from __future__ import annotations

import logging
import math
import warnings
from typing import NamedTuple

# esda imports tqdm.auto, which warns inside a kernel without ipywidgets; no progress bars are used.
warnings.filterwarnings("ignore", message="IProgress not found")
import esda  # noqa: E402
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from esda.significance import calculate_significance
from libpysal.weights import KNN, Queen, W, attach_islands
from scipy.spatial import cKDTree

from csp_analysis.methods.change import benjamini_hochberg

log = logging.getLogger(__name__)

HOT, COLD, NOT_SIGNIFICANT = "Hot spot", "Cold spot", "Not significant"


def contiguity_weights(areas: gpd.GeoDataFrame) -> tuple[W, dict]:
    """Binary queen contiguity on ``areas.index``; islands joined to their nearest area (KNN, k=1).

    Returns the weights and ``{island: attached neighbour}`` (index labels), empty if none.
    """
    with warnings.catch_warnings():
        # libpysal warns about islands and disconnected components; islands are handled below.
        warnings.filterwarnings("ignore", message=".*(not fully connected|island).*")
        w = Queen.from_dataframe(areas, use_index=True)
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


def getis_ord_gi_star(
    wards: gpd.GeoDataFrame,
    values,
    permutations: int = 999,
    seed: int = 12345,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Getis-Ord Gi* per ward: ``z, p_two_sided, p_adjusted, hotspot_class`` on ``wards.index``.

    Queen contiguity with islands attached to their nearest ward (reported in
    ``.attrs["gi_star"]["islands"]`` and logged), binary weights including the ward itself
    (``esda.G_Local(transform="B", star=True)``). ``z`` is the analytical Gi* z-score; p-values
    are two-sided pseudo p-values from ``permutations`` conditional permutations with ``seed``
    (:func:`two_sided_pseudo_p`), then Benjamini-Hochberg across the wards. Significant wards
    (adjusted p < ``alpha``) are hot spots when z > 0 and cold spots when z < 0. Values that do
    not vary give no statistic (missing z and p, not significant); neither does a ward whose
    neighbourhood is every ward (missing z). ``values`` is a Series on ``wards.index`` or an
    array in ward order. With 999 permutations the smallest p is 0.002, so after
    Benjamini-Hochberg a lone hot ward can only be significant among at most 25 wards.
    """
    y = np.asarray(values.reindex(wards.index) if isinstance(values, pd.Series) else values, dtype=float)
    if y.shape != (len(wards),) or np.isnan(y).any():
        raise ValueError("Gi* needs one non-missing value per ward")
    w, attached = contiguity_weights(wards)
    label = wards["ward_name"] if "ward_name" in wards else wards.index.to_series()
    islands = {label[island]: label[neighbour] for island, neighbour in attached.items()}
    w_ids = pd.Index(w.id_order)
    y = y[wards.index.get_indexer(w_ids)]

    if np.ptp(y) == 0:
        z = p = np.full(len(y), np.nan)
    else:
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            # esda warns that crand's default one-sided p_sim will change; it is not used here.
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            g = esda.G_Local(y, w, transform="B", star=True, permutations=permutations, seed=seed, n_jobs=1)
        z = g.Zs
        p = two_sided_pseudo_p(g.Gs, g.rGs)
    p_adjusted = benjamini_hochberg(p)
    significant = p_adjusted < alpha
    hotspot_class = np.where(significant & (z > 0), HOT, np.where(significant & (z < 0), COLD, NOT_SIGNIFICANT))

    result = pd.DataFrame(
        {"z": z, "p_two_sided": p, "p_adjusted": p_adjusted, "hotspot_class": hotspot_class}, index=w_ids
    ).reindex(wards.index)
    result.attrs["gi_star"] = {
        "permutations": permutations,
        "seed": seed,
        "alpha": alpha,
        "n_areas": len(wards),
        "islands": islands,
    }
    return result


def method_note(gi: pd.DataFrame, what: str = "current-period counts") -> str:
    """The sentence printed under a hot spot map, from a :func:`getis_ord_gi_star` result."""
    meta = gi.attrs["gi_star"]
    note = (
        f"Hot and cold spots: Getis-Ord Gi* on {what} per ward (queen contiguity, binary weights, "
        f"each ward counted in its own neighbourhood); two-sided pseudo p-values from "
        f"{meta['permutations']:,} conditional permutations (seed {meta['seed']}), adjusted for "
        f"{meta['n_areas']} wards with Benjamini-Hochberg; a ward is a hot (cold) spot when its "
        f"adjusted p-value is below {meta['alpha']:g} and its z-score is positive (negative)."
    )
    if meta["islands"]:
        pairs = "; ".join(f"{island} joined to {neighbour}" for island, neighbour in meta["islands"].items())
        note += f" Areas with no contiguous neighbour were joined to their nearest area ({pairs})."
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
