"""Getis-Ord Gi* on hand-made grids and quartic kernel density, against values worked out by hand."""

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from csp_analysis.methods.hotspots import (
    BANDWIDTH_RULE,
    COLD,
    HOT,
    NOT_SIGNIFICANT,
    default_bandwidth,
    getis_ord_gi_star,
    kernel_density,
    method_note,
    two_sided_pseudo_p,
)

# 6 x 6 grid of 100 m squares; cell (column i, row j) has index 6j + i
GRID = gpd.GeoDataFrame(
    geometry=[box(100 * i, 100 * j, 100 * (i + 1), 100 * (j + 1)) for j in range(6) for i in range(6)], crs="EPSG:27700"
)
CLUSTER = [6 * j + i for j in (1, 2, 3) for i in (1, 2, 3)]  # a 3 x 3 block; its centre is cell 14
CENTRE = 14


def planted_cluster() -> np.ndarray:
    values = np.ones(36)
    values[CLUSTER] = 10
    return values


def test_gi_star_z_of_the_cluster_centre_by_hand():
    # Gi* z = (sum_j w_ij x_j - mean * W_i) / (S * sqrt((n W_i - W_i^2) / (n - 1))), self included
    # n = 36, total 27 + 90 = 117, mean 3.25, S^2 = (27 + 900) / 36 - 3.25^2 = 15.1875, W_i = 9
    expected = (90 - 3.25 * 9) / (math.sqrt(15.1875) * math.sqrt((36 * 9 - 81) / 35))
    result = getis_ord_gi_star(GRID, planted_cluster(), permutations=99, seed=1)
    assert result.loc[CENTRE, "z"] == pytest.approx(expected)  # 5.916


def test_planted_cluster_is_a_hot_spot_and_nothing_else_is_significant():
    # 9,999 permutations: with 999 the smallest two-sided p is 0.002, and BH over 36 cells
    # needs p <= 0.05 / 36 = 0.0014 for a lone significant cell.
    result = getis_ord_gi_star(GRID, planted_cluster(), permutations=9999, seed=7)
    # no permutation can beat the centre (all 8 neighbours high has chance 1 / C(35, 8)): p = 2 / 10,000
    assert result.loc[CENTRE, "p_two_sided"] == pytest.approx(2 / 10_000)
    assert result.loc[CENTRE, "hotspot_class"] == HOT
    hot = set(result.index[result["hotspot_class"] == HOT])
    assert hot <= set(CLUSTER)
    assert not (result["hotspot_class"] == COLD).any()
    assert list(result.columns) == ["z", "p_two_sided", "p_adjusted", "hotspot_class"]


def test_equal_values_have_no_hot_spots():
    result = getis_ord_gi_star(GRID, np.full(36, 4.0), permutations=99, seed=1)
    assert (result["hotspot_class"] == NOT_SIGNIFICANT).all()
    assert result["z"].isna().all() and result["p_adjusted"].isna().all()


def test_random_values_have_no_hot_spots_after_benjamini_hochberg():
    values = np.random.default_rng(2024).poisson(5, 36)
    result = getis_ord_gi_star(GRID, values, permutations=999, seed=3)
    assert (result["hotspot_class"] == NOT_SIGNIFICANT).all()
    assert (result["p_adjusted"] >= result["p_two_sided"]).all()


def test_island_is_attached_to_its_nearest_cell_and_reported():
    # a detached square east of the grid, centred (700, 250): nearest cell centre (550, 250) = cell 17
    areas = gpd.GeoDataFrame(geometry=[*GRID.geometry, box(650, 200, 750, 300)], crs="EPSG:27700")
    values = np.append(planted_cluster(), 1.0)
    result = getis_ord_gi_star(areas, values, permutations=99, seed=1)
    assert len(result) == 37 and result["z"].notna().all()
    assert result.attrs["gi_star"]["islands"] == {36: 17}
    assert "36 joined to 17" in method_note(result)
    named = areas.assign(ward_name=[f"Cell {k}" for k in range(36)] + ["Island"])
    assert "Island joined to Cell 17" in method_note(getis_ord_gi_star(named, values, permutations=99, seed=1))


def test_values_align_on_the_ward_index():
    wards = GRID.set_index(GRID.index + 100)
    values = planted_cluster()
    shuffled = pd.Series(values, index=wards.index)[::-1]
    by_series = getis_ord_gi_star(wards, shuffled, permutations=99, seed=1)
    by_array = getis_ord_gi_star(wards, values, permutations=99, seed=1)
    assert by_series.equals(by_array)
    with pytest.raises(ValueError, match="one non-missing value per ward"):
        getis_ord_gi_star(GRID, np.append(values[:-1], np.nan))


def test_two_sided_p_by_hand():
    simulated = np.array([[1.0, 2, 3, 4, 5, 6, 7, 8, 9], [5, 5, 5, 5, 5, 5, 5, 5, 5]])
    # row 1: observed 10 beats all 9 -> 2 * 1 / 10; row 2: observed equals every draw -> capped at 1
    assert two_sided_pseudo_p(np.array([10.0, 5.0]), simulated) == pytest.approx([0.2, 1.0])


def test_method_note_states_the_method():
    result = getis_ord_gi_star(GRID, planted_cluster(), permutations=999, seed=5)
    note = method_note(result)
    for phrase in ("Getis-Ord Gi*", "queen contiguity", "999 conditional permutations", "seed 5",
                   "Benjamini-Hochberg", "36 wards", "below 0.05", "two-sided"):
        assert phrase in note
    assert "joined" not in note


# --- kernel density ----------------------------------------------------------------------------


def test_default_bandwidth_by_hand():
    # four points 400 m from their centre: standard distance 400, median distance 400,
    # h = 0.9 * min(400, 1.201 * 400) * 4^-0.2
    points = np.array([[400.0, 0], [-400, 0], [0, 400], [0, -400]])
    assert default_bandwidth(points) == pytest.approx(0.9 * 400 * 4**-0.2)
    with pytest.raises(ValueError):
        default_bandwidth(points[:1])


def test_kde_mass_peak_and_clipping():
    rng = np.random.default_rng(11)
    cluster = rng.normal([3000, 2000], 150, size=(300, 2))
    background = rng.uniform([1500, 1500], [4500, 4500], size=(100, 2))
    points = np.vstack([cluster, background])
    boundary = Point(3000, 3000).buffer(2900)  # a disc containing every point's kernel (h = 300 m)
    result = kernel_density(points, boundary, cell_size=50, bandwidth=300)

    assert result.bandwidth_m == 300 and result.cell_size_m == 50
    cell_km2 = (50 / 1000) ** 2
    assert np.nansum(result.grid) * cell_km2 == pytest.approx(len(points), rel=0.01)
    xmin, xmax, ymin, ymax = result.extent
    row, col = np.unravel_index(np.nanargmax(result.grid), result.grid.shape)
    peak = (xmin + (col + 0.5) * 50, ymin + (row + 0.5) * 50)
    assert math.dist(peak, (3000, 2000)) < 150
    # bounding-box corners are outside the disc; the centre is inside
    assert np.isnan(result.grid[0, 0]) and np.isnan(result.grid[-1, -1])
    assert not np.isnan(result.grid[result.grid.shape[0] // 2, result.grid.shape[1] // 2])
    assert (xmin, ymin) == (100, 100) and (xmax - xmin) / 50 == result.grid.shape[1]


def test_kde_states_its_bandwidth_rule():
    points = np.random.default_rng(1).normal(0, 500, size=(200, 2))
    result = kernel_density(points, box(-3000, -3000, 3000, 3000), cell_size=200)
    assert result.bandwidth_rule == BANDWIDTH_RULE
    assert result.bandwidth_m == pytest.approx(default_bandwidth(points))
