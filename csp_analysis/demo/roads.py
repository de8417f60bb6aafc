"""Invented Demoshire roads: polylines through the towns, and points drawn along them.

Collisions, fire service road traffic collisions and lay-by fly-tipping are placed on these
roads, so maps show routes rather than blobs. Roads run beyond the county; every draw is clipped
to a region (a district or some wards) shrunk by ``INSET`` metres, so rounded points stay inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import shapely

from csp_analysis.demo.sampling import town_distance, town_kernel


@dataclass(frozen=True)
class Road:
    name: str
    road_class: int  # STATS19 first_road_class: 3 = A road, 4 = B road
    number: int
    waypoints: tuple[tuple[float, float], ...]
    traffic: float  # relative collisions per kilometre
    dual: bool = False
    trunk: bool = False


ROADS: tuple[Road, ...] = (
    Road("A450", 3, 450, ((430000, 251900), (435500, 251200), (439000, 250500), (442000, 250300), (445500, 249600),
                          (450000, 249000), (453500, 249600), (457500, 250800), (461500, 251500), (465000, 252300),
                          (470000, 253100)), 3.0, trunk=True),
    Road("A452", 3, 452, ((450000, 249000), (450600, 251500), (451300, 254200), (452500, 256500), (453300, 259000),
                          (454200, 265000)), 2.5),
    Road("A4510", 3, 4510, ((445500, 249600), (447200, 247300), (449500, 246300), (452000, 246800),
                            (453500, 249600)), 2.0, dual=True),
    Road("A457", 3, 457, ((461500, 251500), (462000, 248000), (462800, 244000), (463600, 236000)), 2.0),
    Road("B4120", 4, 4120, ((450000, 249000), (449700, 246000), (449300, 243000), (448700, 236000)), 1.2),
    Road("B4125", 4, 4125, ((452500, 256500), (455500, 255800), (458500, 253800), (461500, 251500)), 1.2),
    Road("B4128", 4, 4128, ((450600, 251500), (449000, 253500), (448000, 256500), (447300, 259500),
                            (446600, 265000)), 1.0),
    Road("B4301", 4, 4301, ((439000, 250500), (438500, 253500), (437800, 257000), (436800, 264000)), 1.0),
    Road("B4312", 4, 4312, ((439000, 250500), (440800, 247500), (442500, 244500), (444200, 238000)), 1.0),
    Road("B4140", 4, 4140, ((461500, 251500), (462300, 254000), (461000, 257500), (460500, 263000)), 1.0),
    Road("B4136", 4, 4136, ((457500, 250800), (456000, 246500), (455000, 241000), (454500, 236000)), 1.0),
)

SPACING = 10.0  # metres between candidate points along a road
INSET = 5.0  # metres: regions are shrunk by this much before clipping
JITTER = 2.5  # metres: candidate points move up to this much in x and y
JUNCTION_RADIUS = 25.0  # metres: a point this close to a junction is "at" it
JUNCTION_SIGMA = 40.0  # metres: spread of the extra collisions at junctions
URBAN_SIGMAS = 2.0  # within this many town sigmas of a town centre a road is urban
TOWN_SIGMAS_30 = 1.3  # ... and within this many it is a 30 mph (dual: 40 mph) road
#: STATS19 junction_detail / junction_control codes by junction kind.
ROUNDABOUT, T_JUNCTION, CROSSROADS = 1, 3, 6
GIVE_WAY, SIGNALS = 4, 2


def lines() -> np.ndarray:
    return np.array([shapely.LineString(r.waypoints) for r in ROADS], dtype=object)


@cache
def junctions() -> pd.DataFrame:
    """Where roads meet: x, y, kind (junction_detail), control (junction_control), roads (indices)."""
    geoms = lines()
    meets: dict[tuple[int, int], set[int]] = {}
    for i in range(len(ROADS)):
        for j in range(i + 1, len(ROADS)):
            for point in shapely.get_parts(shapely.intersection(geoms[i], geoms[j])):
                if shapely.get_type_id(point) == 0:
                    meets.setdefault((round(point.x), round(point.y)), set()).update((i, j))
    rows = []
    for (x, y), roads in sorted(meets.items()):
        ends = any((x, y) in (tuple(map(round, ROADS[r].waypoints[0])), tuple(map(round, ROADS[r].waypoints[-1])))
                   for r in roads)
        kind = ROUNDABOUT if len(roads) >= 3 else T_JUNCTION if ends else CROSSROADS
        rows.append({"x": float(x), "y": float(y), "kind": kind, "control": SIGNALS if kind == CROSSROADS else GIVE_WAY,
                     "roads": tuple(sorted(roads))})
    return pd.DataFrame(rows)


def sample(rng: np.random.Generator, region, n: int, *, town_pull: float, junction_pull: float,
           rural_only: bool = False) -> pd.DataFrame:
    """``n`` whole-metre points on the roads inside ``region``.

    A candidate every ``SPACING`` metres is weighted by its road's traffic, by
    1 + town_pull * (closeness to a town centre) and by 1 + junction_pull * (closeness to a
    junction). Columns: x, y, road (index into ROADS), speed_limit, urban, junction (row of
    ``junctions()`` or -1), second_road (index into ROADS or -1).
    """
    candidates = _candidates(region)
    if rural_only:
        candidates = candidates[~candidates["urban"]].reset_index(drop=True)
    if candidates.empty:
        raise ValueError("no road runs through the region")
    weight = np.array([ROADS[r].traffic for r in candidates["road"]])
    weight = weight * (1 + town_pull * town_kernel(candidates["x"].to_numpy(), candidates["y"].to_numpy(), spread=1.5))
    weight = weight * (1 + junction_pull * np.exp(-candidates["junction_distance"].to_numpy() ** 2
                                                  / (2 * JUNCTION_SIGMA**2)))
    chosen = candidates.iloc[rng.choice(len(candidates), size=n, p=weight / weight.sum())].reset_index(drop=True)
    xy = np.round(chosen[["x", "y"]].to_numpy() + rng.uniform(-JITTER, JITTER, size=(n, 2)))
    table = junctions()
    at = chosen["junction_distance"].to_numpy() <= JUNCTION_RADIUS
    junction = np.where(at, chosen["junction"].to_numpy(), -1)
    second = np.array([next((r for r in table["roads"][j] if r != road), -1) if j >= 0 else -1
                       for j, road in zip(junction, chosen["road"])], dtype=int)
    return pd.DataFrame({"x": xy[:, 0].astype(int), "y": xy[:, 1].astype(int), "road": chosen["road"].to_numpy(),
                         "speed_limit": chosen["speed_limit"].to_numpy(), "urban": chosen["urban"].to_numpy(),
                         "junction": junction, "second_road": second})


def _candidates(region) -> pd.DataFrame:
    inner = shapely.buffer(region, -INSET)
    xs, ys, roads = [], [], []
    for i, line in enumerate(lines()):
        for part in shapely.get_parts(shapely.intersection(line, inner)):
            if shapely.get_type_id(part) != 1 or part.length < SPACING:
                continue
            points = shapely.line_interpolate_point(part, np.arange(SPACING / 2, part.length, SPACING))
            xs.append(shapely.get_x(points))
            ys.append(shapely.get_y(points))
            roads.append(np.full(len(points), i))
    if not xs:
        return pd.DataFrame(columns=["x", "y", "road", "urban", "speed_limit", "junction", "junction_distance"])
    x, y, road = np.concatenate(xs), np.concatenate(ys), np.concatenate(roads)
    distance = town_distance(x, y)
    urban = distance < URBAN_SIGMAS
    dual = np.array([ROADS[r].dual for r in road])
    near = distance < TOWN_SIGMAS_30
    speed = np.where(dual, np.where(near, 40, np.where(urban, 50, 70)), np.where(near, 30, np.where(urban, 40, 60)))
    table = junctions()
    gaps = np.hypot(x[:, None] - table["x"].to_numpy()[None], y[:, None] - table["y"].to_numpy()[None])
    return pd.DataFrame({"x": x, "y": y, "road": road, "urban": urban, "speed_limit": speed,
                         "junction": np.argmin(gaps, axis=1), "junction_distance": np.min(gaps, axis=1)})
