"""Static maps on tiny fixtures: legends from the bins passed in, scale bar, north arrow, key."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from shapely.geometry import box

from csp_analysis.methods.hotspots import COLD, HOT, NOT_SIGNIFICANT, kernel_density
from csp_analysis.report.maps import (
    DPI,
    FIGSIZE,
    MISSING_LABEL,
    category_panels,
    choropleth_map,
    class_labels,
    hotspot_panels,
    kde_map,
    points_map,
    shared_bins,
)


def square(column: int, row: int):
    """A 1 km ward at grid position (column, row) in British National Grid metres."""
    x, y = 500_000 + 1000 * column, 200_000 + 1000 * row
    return box(x, y, x + 1000, y + 1000)


# four 1 km wards in a 2 x 2 block, and twelve in a 4 x 3 block (more than fit as names)
FOUR = gpd.GeoDataFrame(
    {"ward_code": ["W1", "W2", "W3", "W4"], "ward_name": ["Abbey", "Bridge", "Castle", "Dock"]},
    geometry=[square(k % 2, k // 2) for k in range(4)],
    crs="EPSG:27700",
)
TWELVE = gpd.GeoDataFrame(
    {"ward_code": [f"W{k:02d}" for k in range(12)], "ward_name": [f"Ward {chr(76 - k)}" for k in range(12)]},
    geometry=[square(k % 4, k // 4) for k in range(12)],
    crs="EPSG:27700",
)


def by_gid(fig: Figure, gid: str) -> list:
    return fig.findobj(lambda artist: artist.get_gid() == gid)


def legend_labels(fig: Figure) -> list[str]:
    return [text.get_text() for text in fig.legends[0].get_texts()]


def twelve_ward_map() -> Figure:
    return choropleth_map(TWELVE, np.arange(12), shared_bins(np.arange(12), [], k=3), title="t", legend_title="x")


def assert_furniture(fig: Figure) -> None:
    assert tuple(fig.get_size_inches()) == FIGSIZE and fig.dpi == DPI
    assert by_gid(fig, "scale_bar") and by_gid(fig, "north_arrow")


def test_shared_bins_pool_both_periods():
    # Jenks natural breaks of {1, 2, 3, 10, 11, 12} in two classes: {1, 2, 3} and {10, 11, 12}
    bins = shared_bins([1, 2, 3], [10, 11, 12, np.nan], k=2)
    assert bins.bins.tolist() == [3, 12]
    quantiles = shared_bins([1, 2], [3, 4], k=2, scheme="Quantiles")
    assert quantiles.bins.tolist() == [2.5, 4]
    with pytest.raises(ValueError, match="FisherJenks"):
        shared_bins([1], [2], scheme="NaturalBreaks")


def test_both_periods_get_the_legend_of_the_shared_bins():
    previous, current = [1, 2, 3, 10], [2, 11, 12, 3]
    bins = shared_bins(previous, current, k=2)
    figures = [choropleth_map(FOUR, values, bins, title=t, legend_title="Crimes") for t, values in
               (("Previous", previous), ("Current", current))]
    expected = class_labels(bins)
    assert expected == ["[1, 3]", "(3, 12]"]
    for fig in figures:
        assert legend_labels(fig) == expected
        assert_furniture(fig)
        assert fig.legends[0].get_title().get_text() == "Crimes"


def test_legends_never_round_to_an_empty_or_repeated_interval():
    # Rates of a rare crime: Jenks breaks 0, 0.01, 0.02, 0.05, 0.31. One decimal would print
    # "[0.0, 0.0]", "(0.0, 0.0]", ...; two decimals keep every edge distinct. The first class holds
    # only the value 0, so it is labelled "0.00" rather than as an interval.
    rates = [0, 0, 0.01, 0.02, 0.05, 0.3, 0.31]
    assert class_labels(shared_bins(rates, rates)) == ["0.00", "(0.00, 0.01]", "(0.01, 0.02]", "(0.02, 0.05]",
                                                       "(0.05, 0.31]"]
    # Thousands keep their separator; whole-number edges print without decimals.
    assert class_labels(shared_bins([0, 1500], [3000, 12000], k=2)) == ["[0, 3,000]", "(3,000, 12,000]"]
    for labels in (class_labels(shared_bins(np.linspace(0, 1, 40) ** 3, [], k=k)) for k in (3, 5, 7)):
        assert len(set(labels)) == len(labels) and not any(l in ("[0.0, 0.0]", "(0.0, 0.0]") for l in labels)


def test_few_distinct_values_give_fewer_classes():
    # A one-month period: only the values 0 and 1 (mapclassify refuses five classes for two values).
    bins = shared_bins([0, 0, 1, 1], [0, 1], k=5)
    assert class_labels(bins) == ["0", "(0, 1]"]
    fig = choropleth_map(FOUR, [0, 1, 1, 0], bins, title="t", legend_title="Records")
    assert legend_labels(fig) == ["0", "(0, 1]"]
    one = shared_bins([2, 2], [2, 2])  # a single value: one class
    assert class_labels(one) == ["2"]
    assert legend_labels(choropleth_map(FOUR, [2, 2, 2, 2], one, title="t", legend_title="x")) == ["2"]
    nothing = shared_bins([np.nan], [np.nan])  # no values at all: every ward missing
    assert legend_labels(choropleth_map(FOUR, [np.nan] * 4, nothing, title="t", legend_title="x"))[-1] == MISSING_LABEL


def test_choropleth_colours_follow_the_bins_and_missing_wards_are_hatched():
    bins = shared_bins([0, 5], [20, 30], k=2)  # classes [0, 5] and (5, 30]
    values = pd.Series({"W1": 0.0, "W2": 30.0, "W3": np.nan, "W4": 4.0})
    fig = choropleth_map(FOUR, values, bins, title="t", legend_title="Crimes", suppressed=["W4"])
    assert legend_labels(fig)[-1] == MISSING_LABEL
    ax = fig.axes[0]
    shaded = ax.collections[0]  # W1 and W2, in ward order
    class_colours = [to_hex(patch.get_facecolor()) for patch in fig.legends[0].get_patches()[:2]]
    assert [to_hex(c) for c in shaded.get_facecolors()] == class_colours
    missing = ax.collections[1]
    assert len(missing.get_paths()) == 2 and missing.get_hatch() == "////"


def test_values_outside_the_bins_are_refused():
    bins = shared_bins([1, 2], [3, 4], k=2)
    with pytest.raises(ValueError, match="shared_bins"):
        choropleth_map(FOUR, [1, 2, 3, 9], bins, title="t", legend_title="x")
    with pytest.raises(ValueError, match="not wards"):
        choropleth_map(FOUR, pd.Series({"W9": 1}), bins, title="t", legend_title="x")


def test_every_ward_is_named_and_no_two_names_overlap():
    fig = twelve_ward_map()
    names = by_gid(fig, "ward_name")
    assert sorted(t.get_text() for t in names) == sorted(TWELVE["ward_name"])
    assert not by_gid(fig, "ward_key")
    assert_no_overlap(fig, names)


def assert_no_overlap(fig: Figure, texts: list) -> None:
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), "two labels overlap"


def test_hotspot_panels_one_per_category_with_counts():
    classes = {"Burglary": [HOT, HOT, NOT_SIGNIFICANT, COLD], "Drugs": [NOT_SIGNIFICANT] * 4}
    fig = hotspot_panels(FOUR, classes, FOUR, title="By LSOA")
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in shown] == ["Burglary\n2 hot, 1 cold", "Drugs\n0 hot, 0 cold"]
    assert len(fig.axes) == 3  # one row of three panels, the third hidden
    assert legend_labels(fig) == [HOT, COLD, NOT_SIGNIFICANT]
    with pytest.raises(ValueError, match="unknown"):
        hotspot_panels(FOUR, {"x": ["Warm"] * 4}, FOUR, title="t")


def test_kde_and_points_maps():
    points = np.array([[500_500.0, 200_500], [501_500, 201_500], [500_600, 200_400]])
    density = kernel_density(points, FOUR, cell_size=100, bandwidth=500)
    fig = kde_map(density, FOUR, title="Density")
    assert fig.axes[0].images[0].get_extent() == list(density.extent)
    assert "bandwidth 500 m" in by_gid(fig, "kde_note")[0].get_text()
    assert_furniture(fig)

    collisions = gpd.GeoSeries(gpd.points_from_xy(points[:, 0], points[:, 1]), crs="EPSG:27700").to_crs("EPSG:4326")
    fig = points_map(FOUR, collisions, title="Collisions", label="Collision")
    offsets = fig.axes[0].collections[-1].get_offsets()
    assert np.asarray(offsets) == pytest.approx(points, abs=0.01)
    assert legend_labels(fig) == ["Collision"]
    assert_furniture(fig)


def test_scale_bar_is_matplotlib_scalebar_in_metres():
    from matplotlib_scalebar.scalebar import ScaleBar

    bar = by_gid(twelve_ward_map(), "scale_bar")[0]
    assert isinstance(bar, ScaleBar) and bar.dx == 1 and bar.units == "m"  # British National Grid metres


def test_category_panels_share_bins_name_wards_and_draw_hot_spots_over_a_light_base():
    codes = TWELVE["ward_code"]
    series = lambda values: pd.Series(values, index=codes)  # noqa: E731
    previous, current = series(np.arange(12)), series(np.arange(12)[::-1] * 2)
    classes = series([HOT, COLD] + [NOT_SIGNIFICANT] * 10)
    fig = category_panels(TWELVE, previous, current, series(np.linspace(0, 3, 12)), current - previous, classes,
                          labels=("2021", "2022"), title="Burglary by ward")
    panels = {ax.get_gid(): ax for ax in fig.axes if ax.get_gid()}
    assert list(panels) == ["previous", "current", "rate", "change", "hotspots"]
    legend = lambda ax: [t.get_text() for t in ax.get_legend().get_texts()]  # noqa: E731
    assert legend(panels["previous"]) == legend(panels["current"])  # one set of bins, from both periods
    assert legend(panels["previous"])[-1].endswith("22]")  # the current period's maximum, 22
    base, spots = panels["hotspots"].collections[:2]
    assert len(base.get_paths()) == 12 and len(spots.get_paths()) == 2  # every ward, then the two spots
    assert [to_hex(c) for c in spots.get_facecolors()] == ["#d7301f", "#2166ac"]
    for ax in panels.values():
        names = [t for t in ax.texts if t.get_gid() == "ward_name"]
        assert len(names) == 12
        assert_no_overlap(fig, names)
    assert by_gid(fig, "scale_bar") and by_gid(fig, "north_arrow")
    colourbar = next(ax for ax in fig.axes if not ax.get_gid() and ax.get_visible())
    assert colourbar.get_xlim() == pytest.approx((-22, 22))  # centred on zero: changes 22 - 3k run +22 to -11
    no_rate = category_panels(TWELVE, previous, current, series([np.nan] * 12), current - previous, None,
                              labels=("2021", "2022"), title="t")
    assert [ax.get_gid() for ax in no_rate.axes if ax.get_gid()] == ["previous", "current", "change"]
