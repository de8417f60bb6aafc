"""Draws shared by the synthetic partner sources (fire, collisions, casework): when and where.

Every function takes the caller's ``numpy.random.Generator`` and draws in a fixed order, so a
source generated from the same generator is identical byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from csp_analysis.demo.crime import WGS84_PIPELINE
from csp_analysis.demo.geography import TOWNS, District, _uniform_in
from csp_analysis.demo.months import season, split_year

YEARS = (2023, 2024, 2025)
FIRST_MONTH = np.datetime64("2023-01", "M")
N_MONTHS = 12 * len(YEARS)
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


def seasonal_months(rng: np.random.Generator, per_year: Sequence[int], amplitude: float, peak: float,
                    dispersion: float = 1.0) -> np.ndarray:
    """Month indices (0 = 2023-01) of ``per_year[k]`` events in year k, spread by a cosine season.

    A month's weight is 1 + amplitude * cos(2 pi (month - peak) / 12); the monthly counts are
    ``dispersion`` times as variable as multinomial ones (``months.split_year``); the yearly totals
    are exact.
    """
    weight = season(amplitude, peak)
    return np.concatenate([12 * k + np.repeat(np.arange(12), split_year(rng, int(n), weight, dispersion))
                           for k, n in enumerate(per_year)]).astype(int)


def dates_in_months(rng: np.random.Generator, months: np.ndarray) -> np.ndarray:
    """A uniformly drawn day (datetime64[D]) within each month index."""
    start = (FIRST_MONTH + months).astype("datetime64[D]")
    length = ((FIRST_MONTH + months + 1).astype("datetime64[D]") - start).astype(int)
    return start + np.floor(rng.random(len(months)) * length).astype(int)


def seconds_of_day(rng: np.random.Generator, n: int, hourly: Sequence[float]) -> np.ndarray:
    """Times of day in seconds, hours drawn from a 24-value profile, uniform within the hour."""
    weight = np.asarray(hourly, float)
    return rng.choice(24, size=n, p=weight / weight.sum()) * 3600 + rng.integers(0, 3600, n)


def clock(seconds: np.ndarray, with_seconds: bool) -> np.ndarray:
    """"HH:MM:SS" or "HH:MM" text."""
    h, m, s = seconds // 3600, seconds // 60 % 60, seconds % 60
    if with_seconds:
        return np.char.add(np.char.add(np.char.add(np.char.zfill(h.astype(str), 2), ":"),
                                       np.char.add(np.char.zfill(m.astype(str), 2), ":")),
                           np.char.zfill(s.astype(str), 2)).astype(object)
    return np.char.add(np.char.add(np.char.zfill(h.astype(str), 2), ":"),
                       np.char.zfill(m.astype(str), 2)).astype(object)


def pick(rng: np.random.Generator, options: Sequence, weights: Sequence[float], n: int) -> np.ndarray:
    """``n`` draws from ``options`` with the given weights, as an object array."""
    weight = np.asarray(weights, float)
    values = np.empty(len(options), dtype=object)
    values[:] = list(options)
    return values[rng.choice(len(options), size=n, p=weight / weight.sum())]


def town_kernel(x: np.ndarray, y: np.ndarray, towns=TOWNS, spread: float = 1.0) -> np.ndarray:
    """Sum of Gaussian bumps (height 1) at the town centres, each ``spread`` x the town's sigma wide."""
    kernel = np.zeros(len(x))
    for t in towns:
        kernel += np.exp(-((x - t.x) ** 2 + (y - t.y) ** 2) / (2 * (spread * t.sigma) ** 2))
    return kernel


def town_distance(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Distance to the nearest town centre in units of that town's sigma."""
    return np.min([np.hypot(x - t.x, y - t.y) / t.sigma for t in TOWNS], axis=0)


def district_lsoas(geo, district: District) -> gpd.GeoDataFrame:
    return geo.lsoas[geo.lsoas["LAD22NM"] == district.name].reset_index(drop=True)


def lsoa_anchor(lsoas: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each LSOA (for weights that depend on position)."""
    points = shapely.point_on_surface(lsoas.geometry.to_numpy())
    return shapely.get_x(points), shapely.get_y(points)


def points_in_lsoas(rng: np.random.Generator, lsoas: gpd.GeoDataFrame, weight: np.ndarray,
                    n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` whole-metre points, each uniform within an LSOA drawn by ``weight``: (xy, LSOA row)."""
    weight = np.asarray(weight, float)
    row = rng.choice(len(lsoas), size=n, p=weight / weight.sum())
    xy = np.empty((n, 2))
    for i in np.unique(row):
        where = np.flatnonzero(row == i)
        xy[where] = _uniform_in(rng, lsoas.geometry.iloc[int(i)], len(where))
    return xy, row


def locate(lsoas: gpd.GeoDataFrame, xy: np.ndarray) -> np.ndarray:
    """Row of the LSOA holding each point (the first, on a shared edge), -1 outside them all."""
    points = shapely.points(xy)
    found, tree = shapely.STRtree(lsoas.geometry.to_numpy()).query(points, predicate="intersects")
    order = np.lexsort((tree, found))
    found, tree = found[order], tree[order]
    first = np.unique(found, return_index=True)[1]  # the smallest LSOA row wins
    row = np.full(len(xy), -1)
    row[found[first]] = tree[first]
    return row


def to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude by the same pinned transformation as the police.uk files."""
    return Transformer.from_pipeline(WGS84_PIPELINE).transform(np.asarray(x, float), np.asarray(y, float))
