"""Static ward maps for the HTML report: choropleth, category small multiples, hot spots by LSOA, kernel density
and points.

Every function returns a :class:`matplotlib.figure.Figure` at :data:`DPI`, single maps of :data:`FIGSIZE`
(created without pyplot, so nothing is shown twice or left open). Wards are a GeoDataFrame with
``ward_code, ward_name, geometry`` in EPSG:27700; every map names its wards (placed by adjustText so
labels do not overlap) and carries a matplotlib-scalebar scale bar and a north arrow.
:func:`category_panels` draws one category's maps as small multiples in one figure.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable

import geopandas as gpd
import mapclassify
import matplotlib
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from csp_analysis.methods.hotspots import COLD, HOT, NOT_SIGNIFICANT, KernelDensity

FIGSIZE: tuple[float, float] = (8.0, 6.0)
DPI: int = 100
MAP_AXES: tuple[float, float, float, float] = (0.02, 0.06, 0.64, 0.84)
SCHEMES: tuple[str, ...] = ("FisherJenks", "Quantiles", "EqualInterval")
MAX_DECIMALS = 6
SEQUENTIAL = "YlOrRd"
DIVERGING = "RdBu_r"
MISSING_COLOUR, MISSING_HATCH, MISSING_LABEL = "#d9d9d9", "////", "No data or suppressed"
HOTSPOT_COLOURS = {HOT: "#d7301f", COLD: "#2166ac", NOT_SIGNIFICANT: "#d9d9d9"}


def shared_bins(
    values_prev, values_cur, k: int = 5, scheme: str = "FisherJenks"
) -> mapclassify.classifiers.MapClassifier:
    """One mapclassify classification built from both periods' values pooled (NaN ignored).

    ``FisherJenks`` is Jenks natural breaks computed exactly (mapclassify's ``NaturalBreaks``
    uses random k-means starts, so it is not offered: maps must not change between runs).
    Fewer distinct values than ``k`` give as many classes as there are distinct values (a one- or
    two-month period often has only a few); a single value, or none, gives one class.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}")
    pooled = np.concatenate([np.asarray(values_prev, dtype=float), np.asarray(values_cur, dtype=float)])
    pooled = pooled[~np.isnan(pooled)]
    distinct = np.unique(pooled)
    if len(distinct) <= 1:
        only = float(distinct[0]) if len(distinct) else 0.0
        return mapclassify.UserDefined(pooled if len(pooled) else np.array([only]), bins=[only])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Numba not installed")  # speed only; same bins
        return getattr(mapclassify, scheme)(pooled, k=min(k, len(distinct)))


def class_labels(bins: mapclassify.classifiers.MapClassifier) -> list[str]:
    """Legend labels of the classes of ``bins``: ``[lowest, b1]``, ``(b1, b2]``, ...

    The number of decimals is the fewest that keep every distinct class edge distinct once
    printed (none for whole numbers), so no label rounds to an empty or repeated interval such as
    "[0.0, 0.0]"; a class holding a single value is labelled by that value alone.
    """
    edges = np.concatenate([[float(np.min(bins.y))], np.asarray(bins.bins, dtype=float)])
    distinct = np.unique(edges)
    decimals = 0
    while decimals < MAX_DECIMALS and len({f"{e:,.{decimals}f}" for e in distinct}) < len(distinct):
        decimals += 1

    def shown(value: float) -> str:
        return f"{value:,.{decimals}f}"

    labels = []
    for i, (low, high) in enumerate(zip(edges[:-1], edges[1:])):
        if low == high:
            labels.append(shown(high))
        else:
            labels.append(f"{'[' if i == 0 else '('}{shown(low)}, {shown(high)}]")
    return labels


def _aligned(values, wards: gpd.GeoDataFrame) -> np.ndarray:
    """Values in ward order: a Series is matched on ward code, anything else taken in ward order."""
    if isinstance(values, pd.Series):
        unknown = set(values.index) - set(wards["ward_code"])
        if unknown:
            raise ValueError(f"values indexed by codes that are not wards: {', '.join(map(str, sorted(unknown)[:5]))}")
        return values.reindex(wards["ward_code"]).to_numpy()
    values = np.asarray(values)
    if len(values) != len(wards):
        raise ValueError(f"{len(values)} values for {len(wards)} wards")
    return values


def _new_map(title: str) -> tuple[Figure, Axes]:
    fig = Figure(figsize=FIGSIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(MAP_AXES)
    fig.suptitle(title, x=0.02, ha="left", fontsize=12)
    return fig, ax


def _finish(
    fig: Figure, ax: Axes, wards: gpd.GeoDataFrame, handles: list | None = None, legend_title: str | None = None
) -> Figure:
    """Extent, ward names, legend, scale bar and north arrow."""
    _extent(ax, wards)
    _ward_labels(ax, wards)
    if handles:
        legend = fig.legend(
            handles=handles, title=legend_title, loc="upper left", bbox_to_anchor=(0.68, 0.9), frameon=False, fontsize=8
        )
        legend.set_gid("legend")
    _scale_bar(ax)
    _north_arrow(ax)
    return fig


def _ward_labels(ax: Axes, wards: gpd.GeoDataFrame, fontsize: float = 7) -> list:
    """Every ward's name at its representative point, moved apart by adjustText so none overlap."""
    from adjustText import adjust_text

    halo = [patheffects.withStroke(linewidth=2, foreground="white")]
    texts = [ax.text(point.x, point.y, name, ha="center", va="center", fontsize=fontsize, path_effects=halo,
                     gid="ward_name")
             for name, point in zip(wards["ward_name"], wards.representative_point())]
    if len(texts) > 1:
        ax.figure.canvas.draw()  # adjustText measures the drawn text
        adjust_text(texts, ax=ax, ensure_inside_axes=True, expand=(1.05, 1.1), iter_lim=200)  # not timed: reproducible
    return texts


def _scale_bar(ax) -> None:
    """matplotlib-scalebar's bar (one data unit is a metre in British National Grid), lower left."""
    from matplotlib_scalebar.scalebar import ScaleBar

    bar = ScaleBar(1, "m", location="lower left", length_fraction=0.2, box_alpha=0.6, font_properties={"size": 7})
    bar.set_gid("scale_bar")
    ax.add_artist(bar)


def _north_arrow(ax) -> None:
    ax.annotate(
        "N", xy=(0.95, 0.97), xytext=(0.95, 0.86), xycoords="axes fraction", ha="center", va="center",
        fontsize=10, fontweight="bold", arrowprops={"facecolor": "black", "width": 3, "headwidth": 9},
        gid="north_arrow",
    )


def _missing(values: np.ndarray, wards: gpd.GeoDataFrame, suppressed: Iterable[str]) -> np.ndarray:
    return pd.isna(values) | wards["ward_code"].isin(list(suppressed)).to_numpy()


def _draw_missing(ax, wards: gpd.GeoDataFrame, missing: np.ndarray, handles: list) -> None:
    if missing.any():
        wards[missing].plot(ax=ax, facecolor=MISSING_COLOUR, edgecolor="grey", hatch=MISSING_HATCH, linewidth=0.6)
        handles.append(Patch(facecolor=MISSING_COLOUR, edgecolor="grey", hatch=MISSING_HATCH, label=MISSING_LABEL))


def choropleth_map(
    wards: gpd.GeoDataFrame,
    values,
    bins: mapclassify.classifiers.MapClassifier,
    *,
    title: str,
    legend_title: str,
    cmap: str = SEQUENTIAL,
    suppressed: Iterable[str] = (),
) -> Figure:
    """Wards shaded by the classes of ``bins`` (from :func:`shared_bins`), legend from those bins.

    All classes are listed even when empty, so two periods drawn with the same bins have the same
    legend (labels by :func:`class_labels`). Missing values and ``suppressed`` ward codes are grey
    and hatched.
    """
    values = _aligned(values, wards).astype(float)
    missing = _missing(values, wards, suppressed)
    shown = values[~missing]
    if len(shown) and (shown.min() < bins.y.min() or shown.max() > bins.bins[-1]):
        raise ValueError("values fall outside the bins; build them from every period with shared_bins")
    colours = matplotlib.colormaps[cmap].resampled(len(bins.bins))(np.arange(len(bins.bins)))

    fig, ax = _new_map(title)
    if len(shown):
        wards[~missing].plot(ax=ax, color=colours[bins.find_bin(shown)], edgecolor="white", linewidth=0.6)
    labels = class_labels(bins)
    handles = [Patch(facecolor=colour, edgecolor="grey", label=label) for colour, label in zip(colours, labels)]
    _draw_missing(ax, wards, missing, handles)
    return _finish(fig, ax, wards, handles, legend_title)


def hotspot_panels(
    areas: gpd.GeoDataFrame, classes: dict[str, np.ndarray], wards: gpd.GeoDataFrame, *, title: str, ncols: int = 3
) -> Figure:
    """Small multiples of Gi* classes at a fine level (LSOAs): one panel per category, ward outlines on top.

    ``classes`` maps a panel title to the hot spot class of every area (in ``areas`` order); each
    panel names its count of hot and cold spots. One legend for all panels.
    """
    nrows = math.ceil(len(classes) / ncols)
    fig = Figure(figsize=(10.0, 0.4 + 3.2 * nrows), dpi=DPI)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    xmin, ymin, xmax, ymax = wards.total_bounds
    for ax, (name, values) in zip(axes, classes.items()):
        values = np.asarray(values)
        unknown = set(values) - set(HOTSPOT_COLOURS)
        if unknown:
            raise ValueError(f"unknown hot spot classes: {', '.join(map(str, unknown))}")
        areas.plot(ax=ax, color=[HOTSPOT_COLOURS[c] for c in values], edgecolor="white", linewidth=0.3)
        wards.boundary.plot(ax=ax, color="#4d4d4d", linewidth=0.5)
        ax.set_title(f"{name}\n{int((values == HOT).sum())} hot, {int((values == COLD).sum())} cold", fontsize=9,
                     loc="left")
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        ax.set_aspect("equal")
        ax.set_axis_off()
    for ax in axes[len(classes):]:
        ax.set_visible(False)
    handles = [Patch(facecolor=colour, edgecolor="grey", label=label) for label, colour in HOTSPOT_COLOURS.items()]
    legend = fig.legend(handles=handles, loc="upper right", ncols=3, frameon=False, fontsize=8,
                        title="Getis-Ord Gi*; ward boundaries in grey")
    legend.set_gid("legend")
    fig.suptitle(title, x=0.02, ha="left", fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / fig.get_size_inches()[1]))
    return fig


def kde_map(density: KernelDensity, wards: gpd.GeoDataFrame, *, title: str, cmap: str = SEQUENTIAL) -> Figure:
    """A :func:`csp_analysis.methods.hotspots.kernel_density` surface with ward outlines and its bandwidth stated."""
    fig, ax = _new_map(title)
    image = ax.imshow(density.grid, extent=density.extent, origin="lower", cmap=cmap, interpolation="nearest")
    wards.boundary.plot(ax=ax, color="#4d4d4d", linewidth=0.6)
    colourbar = fig.colorbar(image, ax=ax, location="bottom", shrink=0.5, pad=0.02)
    colourbar.set_label("Points per km²", fontsize=8)
    fig.text(
        0.02, 0.01, f"Quartic kernel, bandwidth {density.bandwidth_m:,.0f} m, {density.cell_size_m:g} m cells.",
        fontsize=7, gid="kde_note",
    )
    return _finish(fig, ax, wards)


def points_map(wards: gpd.GeoDataFrame, points, *, title: str, label: str, colour: str = "#d7301f") -> Figure:
    """Points (a GeoSeries/GeoDataFrame, reprojected to the wards' CRS, or an (n, 2) array of
    British National Grid coordinates) over ward outlines."""
    if isinstance(points, (gpd.GeoSeries, gpd.GeoDataFrame)):
        geometry = gpd.GeoSeries(points.geometry).to_crs(wards.crs)
        xy = np.column_stack([geometry.x, geometry.y])
    else:
        xy = np.asarray(points, dtype=float).reshape(-1, 2)
    fig, ax = _new_map(title)
    wards.plot(ax=ax, facecolor="#f7f7f7", edgecolor="#4d4d4d", linewidth=0.6)
    ax.scatter(xy[:, 0], xy[:, 1], s=8, color=colour, edgecolor="black", linewidth=0.3, zorder=3, label=label)
    handles = [Line2D([], [], marker="o", linestyle="", color=colour, markeredgecolor="black", label=label)]
    return _finish(fig, ax, wards, handles)


def _extent(ax: Axes, wards: gpd.GeoDataFrame) -> None:
    xmin, ymin, xmax, ymax = wards.total_bounds
    pad = 0.03 * max(xmax - xmin, ymax - ymin)
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad, ymax + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _panel_legend(ax: Axes, handles: list, title: str) -> None:
    legend = ax.legend(handles=handles, title=title, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=3,
                       fontsize=6, title_fontsize=7, frameon=False)
    legend.set_gid("legend")


def category_panels(
    wards: gpd.GeoDataFrame, previous, current, rate, change, hotspot_class, *, labels: tuple[str, str],
    title: str,
) -> Figure:
    """One category's ward maps as small multiples: records in each period (one set of bins, from
    :func:`shared_bins`, for both), the rate per 1,000 residents (its own bins; left out when no ward
    has a rate), the change (diverging, centred on zero) and, when ``hotspot_class`` is given, the
    Gi* hot and cold spots filled over a light base of all wards. Values are Series by ward code;
    ``labels`` are the two periods' names. Ward names on every panel; scale bar and north arrow on the first.
    """
    previous, current = _aligned(previous, wards).astype(float), _aligned(current, wards).astype(float)
    rate, change = _aligned(rate, wards).astype(float), _aligned(change, wards).astype(float)
    panels = ["previous", "current"] + ([] if np.isnan(rate).all() else ["rate"]) + ["change"]
    panels += [] if hotspot_class is None else ["hotspots"]
    fig = Figure(figsize=(13.0, 9.0), dpi=DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(2, 3).ravel()
    counts = shared_bins(previous, current)
    for ax, panel in zip(axes, panels):
        if panel in ("previous", "current", "rate"):
            values = {"previous": previous, "current": current, "rate": rate}[panel]
            bins = counts if panel != "rate" else shared_bins(rate, rate)
            colours = matplotlib.colormaps[SEQUENTIAL].resampled(len(bins.bins))(np.arange(len(bins.bins)))
            missing = np.isnan(values)
            if (~missing).any():
                wards[~missing].plot(ax=ax, color=colours[bins.find_bin(values[~missing])], edgecolor="white",
                                     linewidth=0.6)
            handles = [Patch(facecolor=c, edgecolor="grey", label=t) for c, t in zip(colours, class_labels(bins))]
            _draw_missing(ax, wards, missing, handles)
            name = {"previous": f"Records, {labels[0]}", "current": f"Records, {labels[1]}",
                    "rate": f"Per 1,000 residents, {labels[1]}"}[panel]
            _panel_legend(ax, handles, "Per 1,000 residents" if panel == "rate" else "Records (same bins both periods)")
        elif panel == "change":
            missing = np.isnan(change)
            limit = float(np.max(np.abs(change[~missing]), initial=0.0)) or 1.0
            norm = Normalize(vmin=-limit, vmax=limit)
            wards[~missing].assign(change=change[~missing]).plot(ax=ax, column="change", cmap=DIVERGING, norm=norm,
                                                                 edgecolor="white", linewidth=0.6)
            _draw_missing(ax, wards, missing, [])
            bar = fig.colorbar(ScalarMappable(norm=norm, cmap=DIVERGING), ax=ax, location="bottom", shrink=0.7,
                               pad=0.01)
            bar.set_label("Change in records (red: more, blue: fewer)", fontsize=7)
            bar.ax.tick_params(labelsize=6)
            name = f"Change on {labels[0]}"
        else:
            classes = _aligned(hotspot_class, wards)
            unknown = set(classes) - set(HOTSPOT_COLOURS)
            if unknown:
                raise ValueError(f"unknown hot spot classes: {', '.join(map(str, unknown))}")
            wards.plot(ax=ax, facecolor="#f4f4f4", edgecolor="#9e9e9e", linewidth=0.5)
            spots = np.isin(classes, [HOT, COLD])
            if spots.any():
                wards[spots].plot(ax=ax, color=[HOTSPOT_COLOURS[c] for c in classes[spots]], edgecolor="white",
                                  linewidth=0.6)
            _panel_legend(ax, [Patch(facecolor=HOTSPOT_COLOURS[c], edgecolor="grey", label=c) for c in (HOT, COLD)]
                          + [Patch(facecolor="#f4f4f4", edgecolor="#9e9e9e", label=NOT_SIGNIFICANT)], "Getis-Ord Gi*")
            name = f"Hot and cold spots, {labels[1]}"
        ax.set_title(name, loc="left", fontsize=9)
        _extent(ax, wards)
        ax.set_gid(panel)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(title, x=0.02, ha="left", fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    for ax in axes[:len(panels)]:
        _ward_labels(ax, wards, fontsize=5.5)
    _scale_bar(axes[0])
    _north_arrow(axes[0])
    return fig
