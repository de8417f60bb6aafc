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
    NOT_TESTED,
    adjust_family,
    classify,
    contiguity_weights,
    default_bandwidth,
    gi_star,
    kernel_density,
    method_note,
    permutations_for,
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
    result = gi_star(GRID, planted_cluster(), permutations=99, seed=1)
    assert result.loc[CENTRE, "z"] == pytest.approx(expected)  # 5.916
    assert result.loc[CENTRE, "neighbourhood"] == 90  # the centre and its 8 neighbours, all 10
    assert result.loc[0, "neighbourhood"] == 1 + 1 + 1 + 10  # corner cell 0: itself, cells 1, 6 and 7


def test_planted_cluster_is_a_hot_spot_and_nothing_else_is_significant():
    # 9,999 permutations: with 999 the smallest two-sided p is 0.002, and BH over 36 cells
    # needs p <= 0.05 / 36 = 0.0014 for a lone significant cell.
    result = gi_star(GRID, planted_cluster(), permutations=9999, seed=7)
    # no permutation can beat the centre (all 8 neighbours high has chance 1 / C(35, 8)): p = 2 / 10,000
    assert result.loc[CENTRE, "p_two_sided"] == pytest.approx(2 / 10_000)
    adjusted, classes = classify(result["z"], result["p_two_sided"])
    classes = pd.Series(classes, index=result.index)
    assert classes[CENTRE] == HOT
    assert set(classes.index[classes == HOT]) <= set(CLUSTER)
    assert not (classes == COLD).any()
    assert (adjusted >= result["p_two_sided"].to_numpy()).all()
    assert list(result.columns) == ["z", "p_two_sided", "neighbourhood"]


def test_equal_values_have_no_hot_spots():
    result = gi_star(GRID, np.full(36, 4.0), permutations=99, seed=1)
    assert result["z"].isna().all() and result["p_two_sided"].isna().all()
    adjusted, classes = classify(result["z"], result["p_two_sided"])
    assert (classes == NOT_SIGNIFICANT).all() and np.isnan(adjusted).all()


def test_random_values_have_no_hot_spots_after_benjamini_hochberg():
    values = np.random.default_rng(2024).poisson(5, 36)
    result = gi_star(GRID, values, permutations=999, seed=3)
    assert (classify(result["z"], result["p_two_sided"])[1] == NOT_SIGNIFICANT).all()


def test_one_family_across_tables_by_hand():
    # Five tests in two tables, two not tested. Alone, table A's p = 0.01 is significant:
    # BH over {0.01, 0.04}: 0.01 x 2 / 1 = 0.02 < 0.05. In one family with table B's 0.30 and 0.02:
    # sorted 0.01, 0.02, 0.04, 0.30 -> 0.01 x 4/1 = 0.04, 0.02 x 4/2 = 0.04, 0.04 x 4/3 = 0.0533,
    # 0.30 x 4/4 = 0.30; step-up minimum from the top: 0.04, 0.04, 0.0533, 0.30.
    a = pd.DataFrame({"gi_tested": [True, True, False], "gi_z": [2.5, -1.0, np.nan], "gi_p": [0.01, 0.04, np.nan]})
    b = pd.DataFrame({"gi_tested": [True, True, False], "gi_z": [0.3, -2.2, np.nan], "gi_p": [0.30, 0.02, np.nan]})
    alone = adjust_family([a])[0]
    assert alone["gi_p_adjusted"].tolist()[:2] == pytest.approx([0.02, 0.04])
    assert alone["hotspot_class"].tolist() == [HOT, COLD, NOT_TESTED]
    first, second = adjust_family([a, b])
    assert first["gi_p_adjusted"].tolist()[:2] == pytest.approx([0.04, 0.16 / 3])
    assert second["gi_p_adjusted"].tolist()[:2] == pytest.approx([0.30, 0.04])
    assert first["hotspot_class"].tolist() == [HOT, NOT_SIGNIFICANT, NOT_TESTED]
    assert second["hotspot_class"].tolist() == [NOT_SIGNIFICANT, COLD, NOT_TESTED]
    assert first.attrs["family"] == second.attrs["family"] == {"tests": 4, "alpha": 0.05, "significant": 2}


def test_permutations_are_raised_to_the_family():
    # A lone discovery needs 2 / (R + 1) <= 0.05 / tests: 1,391 tests need R >= 55,639 -> 59,999.
    assert permutations_for(1391, 0.05, 9999) == 59_999
    assert permutations_for(100, 0.05, 9999) == 9999  # 3,999 would do; never below the configured number
    assert permutations_for(0, 0.05, 999) == 999
    assert 2 / (permutations_for(2500, 0.01, 999) + 1) <= 0.01 / 2500


def test_contiguity_tolerates_slivers_between_generalised_boundaries():
    # Two squares 0.5 m apart (a sliver a generalised boundary leaves) and a third 5 m away:
    # the first two are neighbours, the third is an island joined to its nearest.
    areas = gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100), box(100.5, 0, 200, 100), box(205, 0, 300, 100)],
                             crs="EPSG:27700")
    w, islands = contiguity_weights(areas)
    assert w.neighbors[0] == [1] and 0 in w.neighbors[1]
    assert islands == {2: 1}
    corner = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(1, 1, 2, 2)], crs="EPSG:27700")  # queen: a shared corner
    assert contiguity_weights(corner)[0].neighbors[0] == [1]


def test_island_is_attached_to_its_nearest_cell_and_reported():
    # a detached square east of the grid, centred (700, 250): nearest cell centre (550, 250) = cell 17
    areas = gpd.GeoDataFrame(geometry=[*GRID.geometry, box(650, 200, 750, 300)], crs="EPSG:27700")
    values = np.append(planted_cluster(), 1.0)
    result = gi_star(areas, values, permutations=99, seed=1)
    assert len(result) == 37 and result["z"].notna().all()
    assert result.attrs["gi_star"]["islands"] == {36: 17}
    family = {"tests": 37, "alpha": 0.05, "significant": 0}
    assert "36 joined to 17" in method_note([("cells", result.attrs["gi_star"])], family)
    named = areas.assign(ward_name=[f"Cell {k}" for k in range(36)] + ["Island"])
    gi = gi_star(named, values, permutations=99, seed=1, name_column="ward_name")
    assert "Island joined to Cell 17" in method_note([("cells", gi.attrs["gi_star"])], family)


def test_values_align_on_the_ward_index():
    wards = GRID.set_index(GRID.index + 100)
    values = planted_cluster()
    shuffled = pd.Series(values, index=wards.index)[::-1]
    by_series = gi_star(wards, shuffled, permutations=99, seed=1)
    by_array = gi_star(wards, values, permutations=99, seed=1)
    assert by_series.equals(by_array)
    with pytest.raises(ValueError, match="one non-missing value per area"):
        gi_star(GRID, np.append(values[:-1], np.nan))


def test_two_sided_p_by_hand():
    simulated = np.array([[1.0, 2, 3, 4, 5, 6, 7, 8, 9], [5, 5, 5, 5, 5, 5, 5, 5, 5]])
    # row 1: observed 10 beats all 9 -> 2 * 1 / 10; row 2: observed equals every draw -> capped at 1
    assert two_sided_pseudo_p(np.array([10.0, 5.0]), simulated) == pytest.approx([0.2, 1.0])


def test_method_note_states_the_method_and_the_family():
    wards = gi_star(GRID, planted_cluster(), permutations=59_999, seed=5).attrs["gi_star"]
    lsoas = {**wards, "n_areas": 87}
    note = method_note([("wards", wards), ("LSOAs", lsoas)], {"tests": 1391, "alpha": 0.05, "significant": 2})
    for phrase in ("Getis-Ord Gi*", "queen contiguity", "59,999 conditional permutations", "seed 5",
                   "Benjamini-Hochberg across all 1,391 tests", "36 wards and 87 LSOAs", "at both levels",
                   "below 0.05", "two-sided", "0.00003"):
        assert phrase in note, phrase
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
