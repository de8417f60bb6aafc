"""Synthetic Demoshire geography in EPSG:27700: LSOAs, MSOAs, wards, districts and map points.

LSOAs are Voronoi cells of spaced seeded points, dense in the towns and sparse in the country
(so each holds a similar population); a ring of points outside the county bounds them, so the
county outline follows cell edges. Districts, wards and MSOAs are contiguous groups of LSOAs
grown on the LSOA adjacency graph, so every LSOA lies wholly in one ward of one district.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from csp_analysis.demo import names

CRS = "EPSG:27700"


@dataclass(frozen=True)
class Town:
    name: str
    x: float
    y: float
    n_lsoas: int  # LSOAs expected in the town: sets the density of LSOA seed points
    sigma: float  # spread of the town in metres


@dataclass(frozen=True)
class District:
    name: str
    code: str
    n_lsoas: int
    towns: tuple[Town, ...]  # main town first


DISTRICTS: tuple[District, ...] = (
    District("Northbridge", "X07000001", 80,
             (Town("Northbridge", 450000, 249000, 34, 1400), Town("Kingsholt", 452500, 256500, 14, 900))),
    District("Eastmere", "X07000002", 82, (Town("Eastmere", 461500, 251500, 40, 1500),)),
    District("Westford", "X07000003", 80, (Town("Westford", 439000, 250500, 42, 1500),)),
)
TOWNS: tuple[Town, ...] = tuple(t for d in DISTRICTS for t in d.towns)

#: A district outside the force in which a few force records fall, as in real force files.
OUTSIDE_DISTRICT = "Farbury"
OUTSIDE_ANCHOR = (449000.0, 236500.0)
OUTSIDE_LSOAS = 6
OUTSIDE_POINTS_PER_LSOA = 12

COUNTY_CENTRE = (450000.0, 251000.0)
COUNTY_RADII = (17000.0, 11500.0)
RING_WIDTH = 5000.0
LSOAS_PER_MSOA = 5
MAP_POINTS_PER_LSOA = (32, 43)  # police.uk-style anonymous snap points per LSOA: low, high (exclusive)
POINTS_OUTSIDE_BOUNDARY = 5  # Northbridge snap points moved just outside the district (<= 150 m)
TOWN_CENTRE_RADIUS = 700.0  # metres: snap points this close to a town centre are often shops, clubs, ...


@dataclass(frozen=True)
class Geography:
    lsoas: gpd.GeoDataFrame  # LSOA21CD, LSOA21NM, MSOA21CD, MSOA21NM, WD22CD, WD22NM, LAD22CD, LAD22NM
    wards: gpd.GeoDataFrame  # WD22CD, WD22NM, LAD22CD, LAD22NM
    map_points: pd.DataFrame  # district, LSOA21CD, LSOA21NM, WD22NM, x, y, location (Farbury too)


def build(rng: np.random.Generator) -> Geography:
    """Draw the whole geography from ``rng``."""
    outline = _county_outline(rng)
    n = sum(d.n_lsoas for d in DISTRICTS)
    inner = _dart_throw(_candidates(rng, outline, TOWNS, 40_000), outline.area, np.empty((0, 2)), n)
    if len(inner) < n:
        raise RuntimeError(f"only {len(inner)} of {n} LSOA seed points could be placed")
    ring_area = outline.buffer(RING_WIDTH).difference(outline)
    ring = _dart_throw(_candidates(rng, ring_area, (), 20_000), outline.area, inner, None)
    frame = shapely.box(*outline.buffer(2 * RING_WIDTH).bounds)
    cells = shapely.get_parts(shapely.voronoi_polygons(
        shapely.multipoints(np.vstack([inner, ring])), extend_to=frame, ordered=True))
    lsoa_cells = shapely.set_precision(cells[:n], 1.0)
    adjacency = _adjacency(lsoa_cells)

    seeds = [int(np.argmin(np.hypot(*(inner - (d.towns[0].x, d.towns[0].y)).T))) for d in DISTRICTS]
    spines = [shapely.linestrings([(t.x, t.y) for t in d.towns]) if len(d.towns) > 1
              else shapely.Point(d.towns[0].x, d.towns[0].y) for d in DISTRICTS]
    cost = np.array([shapely.distance(s, shapely.points(inner)) for s in spines])
    region = _grow(np.arange(n), adjacency, seeds, cost, np.array([d.n_lsoas for d in DISTRICTS], float))
    district_of = np.array([region[i] for i in range(n)])

    lsoas = pd.concat([_name_district(rng, d, np.flatnonzero(district_of == k), inner, lsoa_cells, adjacency)
                       for k, d in enumerate(DISTRICTS)])
    lsoas = _assign_codes(lsoas)
    wards = lsoas.dissolve(by=["WD22CD", "WD22NM", "LAD22CD", "LAD22NM"], as_index=False)
    outside = _outside_lsoas(rng, ring, cells[n:], outline)
    points = pd.concat([
        _map_points(rng, lsoas, rng.integers(*MAP_POINTS_PER_LSOA, size=len(lsoas))),
        _map_points(rng, outside, np.full(OUTSIDE_LSOAS, OUTSIDE_POINTS_PER_LSOA)),
    ], ignore_index=True)
    _move_points_outside(rng, points, lsoas)
    return Geography(lsoas=lsoas, wards=wards[["WD22CD", "WD22NM", "LAD22CD", "LAD22NM", "geometry"]],
                     map_points=points)


def write(geo: Geography, out_dir: Path) -> None:
    """Write the ward and LSOA boundaries (GeoJSON, EPSG:27700) and the LSOA-to-ward lookup."""
    (out_dir / "boundaries").mkdir(parents=True, exist_ok=True)
    (out_dir / "lookups").mkdir(parents=True, exist_ok=True)
    northbridge = geo.wards[geo.wards["LAD22NM"] == "Northbridge"]
    _write_geojson(northbridge[["WD22CD", "WD22NM", "geometry"]], out_dir / "boundaries/northbridge-wards.geojson")
    _write_geojson(geo.lsoas[["LSOA21CD", "LSOA21NM", "geometry"]], out_dir / "boundaries/demoshire-lsoa.geojson")
    lookup = geo.lsoas[["LSOA21CD", "LSOA21NM", "WD22CD", "WD22NM", "LAD22CD", "LAD22NM"]]
    lookup.to_csv(out_dir / "lookups/lsoa21-to-ward22-demoshire.csv", index=False, lineterminator="\n")


def _write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.unlink(missing_ok=True)
    frame.to_file(path, driver="GeoJSON")


def _county_outline(rng: np.random.Generator) -> shapely.Polygon:
    """A blobby ellipse: a few low harmonics with random phases."""
    theta = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    phase = rng.uniform(0, 2 * np.pi, 3)
    r = 1 + 0.06 * np.sin(2 * theta + phase[0]) + 0.04 * np.sin(3 * theta + phase[1]) \
        + 0.02 * np.sin(5 * theta + phase[2])
    return shapely.Polygon(np.c_[COUNTY_CENTRE[0] + COUNTY_RADII[0] * r * np.cos(theta),
                                 COUNTY_CENTRE[1] + COUNTY_RADII[1] * r * np.sin(theta)])


def _n_rural() -> int:
    return sum(d.n_lsoas for d in DISTRICTS) - sum(t.n_lsoas for t in TOWNS)


def _density(xy: np.ndarray, county_area: float) -> np.ndarray:
    """Intended LSOA seed points per square metre: town Gaussians over a uniform countryside."""
    dens = np.full(len(xy), _n_rural() / county_area)
    for t in TOWNS:
        d2 = (xy[:, 0] - t.x) ** 2 + (xy[:, 1] - t.y) ** 2
        dens += t.n_lsoas * np.exp(-d2 / (2 * t.sigma**2)) / (2 * np.pi * t.sigma**2)
    return dens


def _candidates(rng: np.random.Generator, area, towns: tuple[Town, ...], size: int) -> np.ndarray:
    """Candidate points inside ``area`` from a mixture of the towns and a uniform countryside."""
    weights = np.array([t.n_lsoas for t in towns] + [_n_rural()], float)
    component = rng.choice(len(weights), size=size, p=weights / weights.sum())
    minx, miny, maxx, maxy = area.bounds
    xy = rng.uniform((minx, miny), (maxx, maxy), size=(size, 2))
    for k, t in enumerate(towns):
        pick = component == k
        xy[pick] = rng.normal((t.x, t.y), t.sigma, size=(int(pick.sum()), 2))
    return xy[shapely.contains_xy(area, xy[:, 0], xy[:, 1])]


def _dart_throw(candidates: np.ndarray, county_area: float, existing: np.ndarray, limit: int | None) -> np.ndarray:
    """Keep candidates in order unless closer than 0.6 x the local spacing to a kept point."""
    r_min2 = 0.36 / _density(candidates, county_area)
    kept = np.empty((len(existing) + len(candidates), 2))
    kept[: len(existing)] = existing
    count = len(existing)
    for p, r2 in zip(candidates, r_min2):
        if count and np.min(np.sum((kept[:count] - p) ** 2, axis=1)) < r2:
            continue
        kept[count] = p
        count += 1
        if limit is not None and count - len(existing) == limit:
            break
    return kept[len(existing):count]


def _adjacency(cells: np.ndarray) -> list[set[int]]:
    """Neighbours sharing an edge (not just a corner)."""
    i, j = shapely.STRtree(cells).query(cells, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    shared = shapely.length(shapely.intersection(cells[i], cells[j])) > 0
    adjacency: list[set[int]] = [set() for _ in cells]
    for a, b in zip(i[shared].tolist(), j[shared].tolist()):
        adjacency[a].add(b)
        adjacency[b].add(a)
    return adjacency


def _grow(nodes: np.ndarray, adjacency: list[set[int]], seeds: list[int], cost: np.ndarray,
          quotas: np.ndarray) -> dict[int, int]:
    """Partition connected ``nodes`` into contiguous regions grown from ``seeds``.

    At each step the region least filled relative to its quota takes the frontier node of lowest
    ``cost[region, node]``; every region therefore stays connected.
    """
    allowed = set(nodes.tolist())
    region = {s: r for r, s in enumerate(seeds)}
    size = np.ones(len(seeds))
    frontier = [(adjacency[s] & allowed) - region.keys() for s in seeds]
    while len(region) < len(allowed):
        live = [r for r in range(len(seeds)) if frontier[r]]
        r = min(live, key=lambda k: (size[k] / quotas[k], k))
        node = min(frontier[r], key=lambda m: (cost[r, m], m))
        region[node] = r
        size[r] += 1
        for f in frontier:
            f.discard(node)
        frontier[r] |= (adjacency[node] & allowed) - region.keys()
    return region


def _kmeans(rng: np.random.Generator, xy: np.ndarray, k: int, iterations: int = 30) -> np.ndarray:
    centres = xy[rng.choice(len(xy), k, replace=False)]
    for _ in range(iterations):
        label = np.argmin(((xy[:, None, :] - centres[None]) ** 2).sum(axis=2), axis=1)
        centres = np.array([xy[label == j].mean(axis=0) if np.any(label == j) else centres[j] for j in range(k)])
    return centres


def _partition(rng: np.random.Generator, nodes: np.ndarray, xy: np.ndarray, adjacency: list[set[int]],
               k: int) -> np.ndarray:
    """Split ``nodes`` into ``k`` contiguous groups of similar size around k-means centres."""
    centres = _kmeans(rng, xy[nodes], k)
    seeds: list[int] = []
    for c in centres:
        order = nodes[np.argsort(np.hypot(*(xy[nodes] - c).T), kind="stable")]
        seeds.append(next(int(m) for m in order if m not in seeds))
    cost = np.hypot(xy[None, :, 0] - centres[:, None, 0], xy[None, :, 1] - centres[:, None, 1])
    region = _grow(nodes, adjacency, seeds, cost, np.full(k, len(nodes) / k))
    return np.array([region[int(m)] for m in nodes])


def _name_district(rng: np.random.Generator, district: District, nodes: np.ndarray, xy: np.ndarray,
                   cells: np.ndarray, adjacency: list[set[int]]) -> gpd.GeoDataFrame:
    """Wards and MSOAs of one district, with ONS-style names (codes are added later)."""
    ward_names = names.WARD_NAMES[district.name]
    ward = _partition(rng, nodes, xy, adjacency, len(ward_names))
    msoa = _partition(rng, nodes, xy, adjacency, round(len(nodes) / LSOAS_PER_MSOA))
    pts = xy[nodes]

    label: dict[int, str] = {}
    for town, name in zip(district.towns, ward_names):
        w = int(ward[np.argmin(np.hypot(*(pts - (town.x, town.y)).T))])
        label.setdefault(w, name)
    rest = iter(n for n in ward_names if n not in label.values())
    main = district.towns[0]
    centroid_distance = {w: float(np.hypot(*(pts[ward == w].mean(axis=0) - (main.x, main.y))))
                         for w in range(len(ward_names))}
    for w in sorted(set(range(len(ward_names))) - label.keys(), key=lambda w: (centroid_distance[w], w)):
        label[w] = next(rest)

    # ONS numbers MSOAs from north to south; letters within an MSOA here run west to east.
    north_first = sorted(set(msoa.tolist()), key=lambda m: (-pts[msoa == m, 1].mean(), m))
    msoa_name = {m: f"{district.name} {i + 1:03d}" for i, m in enumerate(north_first)}
    lsoa_name = np.empty(len(nodes), dtype=object)
    for m in north_first:
        members = np.flatnonzero(msoa == m)
        for letter, i in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", members[np.argsort(pts[members, 0], kind="stable")]):
            lsoa_name[i] = f"{msoa_name[m]}{letter}"
    return gpd.GeoDataFrame({
        "LSOA21NM": lsoa_name,
        "MSOA21NM": [msoa_name[m] for m in msoa],
        "WD22NM": [label[w] for w in ward],
        "LAD22CD": district.code,
        "LAD22NM": district.name,
    }, geometry=cells[nodes], crs=CRS)


def _assign_codes(lsoas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Fake ONS codes (prefix X), numbered by district then name, as ONS numbers within an area."""
    order = {d.name: k for k, d in enumerate(DISTRICTS)}
    lsoas = lsoas.assign(_d=lsoas["LAD22NM"].map(order)).sort_values(["_d", "LSOA21NM"]).reset_index(drop=True)

    def codes(prefix: str, column: str) -> pd.Series:
        unique = lsoas[["_d", column]].drop_duplicates().sort_values(["_d", column])
        mapping = {name: f"{prefix}{i + 1:06d}" for i, name in enumerate(unique[column])}
        return lsoas[column].map(mapping)

    lsoas["LSOA21CD"] = [f"X01{i + 1:06d}" for i in range(len(lsoas))]
    lsoas["MSOA21CD"] = codes("X02", "MSOA21NM")
    lsoas["WD22CD"] = codes("X05", "WD22NM")
    columns = ["LSOA21CD", "LSOA21NM", "MSOA21CD", "MSOA21NM", "WD22CD", "WD22NM", "LAD22CD", "LAD22NM", "geometry"]
    return lsoas[columns]


def _outside_lsoas(rng: np.random.Generator, ring: np.ndarray, ring_cells: np.ndarray,
                   outline: shapely.Polygon) -> gpd.GeoDataFrame:
    """A few LSOAs of the neighbouring (out-of-force) district, just beyond the county edge."""
    nearest = np.argsort(np.hypot(*(ring - OUTSIDE_ANCHOR).T), kind="stable")[:OUTSIDE_LSOAS]
    msoas = np.sort(rng.choice(np.arange(1, 16), OUTSIDE_LSOAS // 2, replace=False))
    lsoa_names = [f"{OUTSIDE_DISTRICT} {m:03d}{letter}" for m in msoas
                  for letter in sorted(rng.choice(list("ABCDE"), 2, replace=False))]
    return gpd.GeoDataFrame({
        "LSOA21CD": [f"X01{900001 + i}" for i in range(OUTSIDE_LSOAS)],
        "LSOA21NM": lsoa_names,
        "WD22NM": "",
        "LAD22NM": OUTSIDE_DISTRICT,
    }, geometry=shapely.intersection(ring_cells[nearest], outline.buffer(RING_WIDTH)), crs=CRS)


def _map_points(rng: np.random.Generator, lsoas: gpd.GeoDataFrame, per_lsoa: np.ndarray) -> pd.DataFrame:
    """Snap points spread uniformly in each LSOA, each with an "On or near ..." location."""
    xy = np.vstack([_uniform_in(rng, g, k) for g, k in zip(lsoas.geometry, per_lsoa)])
    frame = pd.DataFrame({
        "district": np.repeat(lsoas["LAD22NM"].to_numpy(), per_lsoa),
        "LSOA21CD": np.repeat(lsoas["LSOA21CD"].to_numpy(), per_lsoa),
        "LSOA21NM": np.repeat(lsoas["LSOA21NM"].to_numpy(), per_lsoa),
        "WD22NM": np.repeat(lsoas["WD22NM"].to_numpy(), per_lsoa),
        "x": xy[:, 0],
        "y": xy[:, 1],
    })
    frame["location"] = "On or near " + _place_names(rng, frame)
    return frame


def _uniform_in(rng: np.random.Generator, polygon, k: int) -> np.ndarray:
    minx, miny, maxx, maxy = polygon.bounds
    found = np.empty((0, 2))
    while len(found) < k:
        xy = np.round(rng.uniform((minx, miny), (maxx, maxy), size=(4 * k, 2)))
        found = np.vstack([found, xy[shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])]])
    return found[:k]


def _place_names(rng: np.random.Generator, points: pd.DataFrame) -> np.ndarray:
    """Invented streets per district; points of interest (more of them near town centres)."""
    streets = np.array([f"{s} {x}" for s in names.STREET_STEMS for x in names.STREET_SUFFIXES])
    result = np.empty(len(points), dtype=object)
    for district in points["district"].unique():
        rows = np.flatnonzero(points["district"].to_numpy() == district)
        result[rows] = rng.choice(rng.choice(streets, 250, replace=False), len(rows))
    xy = points[["x", "y"]].to_numpy()
    near = np.min([np.hypot(*(xy - (t.x, t.y)).T) for t in TOWNS], axis=0) < TOWN_CENTRE_RADIUS
    u = rng.random(len(points))
    centre_place = near & (u < 0.3)
    other_place = ~near & (u < 0.08)
    result[centre_place] = rng.choice(names.TOWN_CENTRE_PLACES, int(centre_place.sum()))
    result[other_place] = rng.choice(names.OTHER_PLACES, int(other_place.sum()))
    return result


def _move_points_outside(rng: np.random.Generator, points: pd.DataFrame, lsoas: gpd.GeoDataFrame) -> None:
    """Move a few Northbridge snap points 20-150 m outside the district, keeping their LSOA."""
    northbridge = lsoas[lsoas["LAD22NM"] == "Northbridge"]
    outline = shapely.union_all(northbridge.geometry.to_numpy())
    edges = shapely.line_merge(shapely.intersection(northbridge.geometry.to_numpy(), outline.boundary))
    edge_lsoas = np.flatnonzero(shapely.length(edges) > 0)
    moved = 0
    while moved < POINTS_OUTSIDE_BOUNDARY:
        i = int(rng.choice(edge_lsoas))
        on_edge = shapely.line_interpolate_point(edges[i], rng.random(), normalized=True)
        centre = northbridge.geometry.iloc[i].centroid
        direction = np.array([on_edge.x - centre.x, on_edge.y - centre.y])
        target = np.round(np.array([on_edge.x, on_edge.y]) + direction / np.hypot(*direction) * rng.uniform(20, 150))
        if shapely.contains_xy(outline, *target) or shapely.distance(outline, shapely.Point(target)) > 150:
            continue
        rows = np.flatnonzero(points["LSOA21CD"].to_numpy() == northbridge["LSOA21CD"].iloc[i])
        points.loc[int(rng.choice(rows)), ["x", "y"]] = target
        moved += 1
