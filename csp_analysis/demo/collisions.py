"""Synthetic DfT STATS19 collision and casualty files (current, "collision_*" generation) for the
whole Demoshire force area.

Column names and codes follow the DfT road safety open data files published since 2024 (a subset
of their columns; -1 where a code does not apply or is missing). Collision counts per district,
severity and year are fixed below (the planted story holds exactly). Most collisions lie on the
invented roads of ``roads`` (more at junctions and near towns; killed or seriously injured more
often on fast rural stretches), the rest on unclassified streets around the towns. Every collision
has 1 to 5 casualty rows, the most severe of which has the collision's severity.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from csp_analysis.demo import roads
from csp_analysis.demo.geography import DISTRICTS, District, Geography
from csp_analysis.demo.sampling import (
    YEARS,
    clock,
    dates_in_months,
    district_lsoas,
    locate,
    lsoa_anchor,
    pick,
    points_in_lsoas,
    seasonal_months,
    seconds_of_day,
    to_wgs84,
    town_distance,
    town_kernel,
)

COLLISION_PATH = "collisions/dft-road-casualty-statistics-collision-demoshire.csv"
CASUALTY_PATH = "collisions/dft-road-casualty-statistics-casualty-demoshire.csv"
COLLISION_COLUMNS = (
    "collision_index", "collision_year", "collision_ref_no", "location_easting_osgr", "location_northing_osgr",
    "longitude", "latitude", "police_force", "collision_severity", "number_of_vehicles", "number_of_casualties",
    "date", "day_of_week", "time", "local_authority_district", "local_authority_ons_district",
    "local_authority_highway", "first_road_class", "first_road_number", "road_type", "speed_limit",
    "junction_detail", "junction_control", "second_road_class", "second_road_number", "light_conditions",
    "weather_conditions", "road_surface_conditions", "special_conditions_at_site", "carriageway_hazards",
    "urban_or_rural_area", "did_police_officer_attend_scene_of_accident", "trunk_road_flag",
    "lsoa_of_accident_location", "enhanced_severity_collision", "collision_injury_based",
)
CASUALTY_COLUMNS = (
    "collision_index", "collision_year", "collision_ref_no", "vehicle_reference", "casualty_reference",
    "casualty_class", "sex_of_casualty", "age_of_casualty", "age_band_of_casualty", "casualty_severity",
    "pedestrian_location", "pedestrian_movement", "car_passenger", "bus_or_coach_passenger",
    "pedestrian_road_maintenance_worker", "casualty_type", "casualty_imd_decile", "lsoa_of_casualty",
    "enhanced_casualty_severity", "casualty_injury_based", "casualty_distance_banding",
)
STUDY = DISTRICTS[0]
#: STATS19 police_force code of the fictional force: no real force uses it.
FORCE_CODE = "85"
#: Highway authority (the county council), a fake code like the others.
HIGHWAY_AUTHORITY = "X10000001"

#: Collisions in 2023 per district; shares by severity; change (2024 on 2023, 2025 on 2024).
BASE = {"Northbridge": 312, "Eastmere": 296, "Westford": 325}
FATAL_SHARE, SERIOUS_SHARE = 0.02, 0.19
SLIGHT_CHANGE = (-0.02, -0.01)
KSI_CHANGE = (-0.02, 0.0)
#: The story planted in the district of interest: killed or seriously injured, 2025 on 2024.
STUDY_KSI_CHANGE_2025 = -0.15
YEAR_NOISE = 0.03  # other districts only
SEASON = (0.08, 11)
TRAFFIC_HOURS = (0.8, 0.6, 0.5, 0.4, 0.4, 0.7, 1.6, 3.5, 5, 3.6, 3.2, 3.5, 3.8, 3.9, 4, 4.6, 5.4, 5.6, 4.4, 3.2,
                 2.4, 2, 1.6, 1.2)
#: Share of collisions on the named roads, and how strongly they gather near towns and junctions.
ON_ROAD_SHARE = {"slight": 0.72, "ksi": 0.85}
TOWN_PULL = {"slight": 3.0, "ksi": 0.5}
JUNCTION_PULL = 4.0
MINOR_TOWN_PULL = 6.0

SEVERITY_CODE = {"fatal": 1, "serious": 2, "slight": 3}
#: Further casualties' severity given the collision's: (fatal, serious, slight) weights.
OTHER_CASUALTY_SEVERITY = {1: (0.1, 0.3, 0.6), 2: (0.0, 0.25, 0.75), 3: (0.0, 0.0, 1.0)}
CASUALTIES = ((1, 72), (2, 18), (3, 6), (4, 3), (5, 1))
VEHICLES = ((1, 22), (2, 65), (3, 9), (4, 3), (5, 1))
#: Vehicle of a driver or rider casualty: (casualty_type code, weight, carries passengers).
CASUALTY_VEHICLES = ((9, 70, True), (1, 9, False), (3, 3, False), (5, 4, False), (19, 6, True), (21, 2, False),
                     (11, 2, True), (8, 2, True))
#: Sunrise and sunset (clock hours, about 52 N) by month, for light_conditions.
DAYLIGHT = ((8.1, 16.4), (7.4, 17.3), (6.4, 18.1), (6.3, 19.9), (5.3, 20.7), (4.8, 21.3), (5.1, 21.2),
            (5.8, 20.4), (6.7, 19.3), (7.5, 18.2), (7.3, 16.4), (8.0, 16.0))
RAIN_BY_MONTH = (0.18, 0.16, 0.14, 0.11, 0.10, 0.08, 0.08, 0.09, 0.11, 0.15, 0.18, 0.18)
AGE_BAND_TOPS = (5, 10, 15, 20, 25, 35, 45, 55, 65, 75)  # age_band_of_casualty 1..11
DISTANCE_BAND_TOPS = (5000, 10000, 20000, 100000)  # casualty_distance_banding 1..5


def generate(geo: Geography, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The collision file and the casualty file (all text), rows in time order."""
    collisions = pd.concat([_district(geo, d, rng) for d in DISTRICTS], ignore_index=True)
    collisions = collisions.sort_values(["date", "seconds"], kind="stable", ignore_index=True)
    _references(collisions, rng)
    _conditions(collisions, rng)
    casualties = _casualties(collisions, geo, rng)
    lon, lat = to_wgs84(collisions["x"].to_numpy(), collisions["y"].to_numpy())
    date = pd.DatetimeIndex(collisions["date"])
    days = collisions["date"].to_numpy().astype("datetime64[D]").astype(int)
    collisions = collisions.assign(
        location_easting_osgr=collisions["x"].astype(str), location_northing_osgr=collisions["y"].astype(str),
        longitude=np.char.mod("%.6f", lon), latitude=np.char.mod("%.6f", lat), police_force=FORCE_CODE,
        collision_severity=collisions["severity"],
        date=date.strftime("%d/%m/%Y"), day_of_week=((days + 3) % 7 + 1) % 7 + 1,
        time=clock(collisions["seconds"].to_numpy(), with_seconds=False), local_authority_district="-1",
        local_authority_highway=HIGHWAY_AUTHORITY, collision_injury_based=1,
    )
    return collisions[list(COLLISION_COLUMNS)].astype(str), casualties[list(CASUALTY_COLUMNS)].astype(str)


def write(collisions: pd.DataFrame, casualties: pd.DataFrame, out_dir: Path) -> None:
    for table, path in ((collisions, COLLISION_PATH), (casualties, CASUALTY_PATH)):
        (out_dir / path).parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out_dir / path, index=False, lineterminator="\n", encoding="utf-8")


def annual_counts(district: District, rng: np.random.Generator) -> dict[str, list[int]]:
    """Collisions by severity and year (2023, 2024, 2025)."""
    slight, ksi = [1.0], [1.0]
    for k, (s, c) in enumerate(zip(SLIGHT_CHANGE, KSI_CHANGE)):
        if district is STUDY and k == 1:
            c = STUDY_KSI_CHANGE_2025
        slight.append(slight[-1] * (1 + s))
        ksi.append(ksi[-1] * (1 + c))
    noise = np.ones(len(YEARS)) if district is STUDY else np.exp(rng.normal(0, YEAR_NOISE, len(YEARS)))
    base = BASE[district.name]
    return {
        "fatal": [round(base * FATAL_SHARE * k) for k in ksi],
        "serious": [round(base * SERIOUS_SHARE * k * e) for k, e in zip(ksi, noise)],
        "slight": [round(base * (1 - FATAL_SHARE - SERIOUS_SHARE) * s * e) for s, e in zip(slight, noise)],
    }


def _district(geo: Geography, district: District, rng: np.random.Generator) -> pd.DataFrame:
    """One district's collisions: when, how severe, where and on what road."""
    lsoas = district_lsoas(geo, district)
    region = shapely.union_all(lsoas.geometry.to_numpy())
    x, y = lsoa_anchor(lsoas)
    minor_weight = 1 + MINOR_TOWN_PULL * town_kernel(x, y, district.towns)
    parts = []
    for severity, per_year in annual_counts(district, rng).items():
        months = seasonal_months(rng, per_year, *SEASON)
        n = len(months)
        group = "slight" if severity == "slight" else "ksi"
        on_road = rng.random(n) < ON_ROAD_SHARE[group]
        place = pd.DataFrame(index=range(n), columns=["x", "y", "first_road_class", "first_road_number", "road_type",
                                                      "speed_limit", "junction_detail", "junction_control",
                                                      "second_road_class", "second_road_number", "trunk_road_flag"])
        rows = np.flatnonzero(on_road)
        sampled = roads.sample(rng, region, len(rows), town_pull=TOWN_PULL[group], junction_pull=JUNCTION_PULL)
        place.iloc[rows] = _named_road_columns(sampled).to_numpy()
        rows = np.flatnonzero(~on_road)
        xy, _ = points_in_lsoas(rng, lsoas, minor_weight, len(rows))
        place.iloc[rows] = _minor_road_columns(xy, rng).to_numpy()
        parts.append(place.assign(
            severity=SEVERITY_CODE[severity], group=group, month=months, date=dates_in_months(rng, months),
            seconds=seconds_of_day(rng, n, TRAFFIC_HOURS),
        ))
    collisions = pd.concat(parts, ignore_index=True)
    collisions[["x", "y"]] = collisions[["x", "y"]].astype(int)
    row = locate(lsoas, collisions[["x", "y"]].to_numpy())
    if (row < 0).any():
        raise RuntimeError(f"{(row < 0).sum()} collision(s) fell outside {district.name}")
    collisions["lsoa_of_accident_location"] = lsoas["LSOA21CD"].to_numpy()[row]
    collisions["local_authority_ons_district"] = district.code
    collisions["urban"] = town_distance(collisions["x"].to_numpy(float), collisions["y"].to_numpy(float)) \
        < roads.URBAN_SIGMAS
    return collisions


def _named_road_columns(sampled: pd.DataFrame) -> pd.DataFrame:
    table = roads.junctions()
    road = [roads.ROADS[r] for r in sampled["road"]]
    at = sampled["junction"].to_numpy() >= 0
    kind = np.where(at, table["kind"].to_numpy()[np.maximum(sampled["junction"], 0)], 0)
    control = np.where(at, table["control"].to_numpy()[np.maximum(sampled["junction"], 0)], -1)
    second = [roads.ROADS[s] if s >= 0 else None for s in sampled["second_road"]]
    road_type = np.where(kind == roads.ROUNDABOUT, 1, np.where([r.dual for r in road], 3, 6))
    return pd.DataFrame({
        "x": sampled["x"], "y": sampled["y"],
        "first_road_class": [r.road_class for r in road], "first_road_number": [r.number for r in road],
        "road_type": road_type, "speed_limit": sampled["speed_limit"], "junction_detail": kind,
        "junction_control": control,
        "second_road_class": [s.road_class if s else -1 for s in second],
        "second_road_number": [s.number if s else -1 for s in second],
        "trunk_road_flag": [1 if r.trunk else 2 for r in road],
    })


def _minor_road_columns(xy: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Unclassified streets: junction kinds and controls as on town streets."""
    n = len(xy)
    junction = pick(rng, [0, 3, 2, 6, 8, 9, 99], [45, 28, 4, 8, 8, 5, 2], n).astype(int)
    control = np.select([junction == 0, junction == 99, junction == 6],
                        [-1, 9, pick(rng, [2, 4], [1, 1], n).astype(int)], 4)
    return pd.DataFrame({
        "x": xy[:, 0].astype(int), "y": xy[:, 1].astype(int), "first_road_class": 6, "first_road_number": 0,
        "road_type": pick(rng, [6, 2, 9], [88, 10, 2], n), "speed_limit": pick(rng, [30, 20, 40], [80, 15, 5], n),
        "junction_detail": junction, "junction_control": control,
        "second_road_class": np.where(junction == 0, -1, 6), "second_road_number": np.where(junction == 0, -1, 0),
        "trunk_road_flag": 2,
    })


def _references(collisions: pd.DataFrame, rng: np.random.Generator) -> None:
    """collision_ref_no: force code and a running number per year (with gaps); index = year + ref."""
    year = pd.DatetimeIndex(collisions["date"]).year.to_numpy()
    number = np.empty(len(collisions), dtype=int)
    for y in YEARS:
        rows = np.flatnonzero(year == y)
        number[rows] = rng.integers(100_000, 300_000) + np.cumsum(rng.geometric(0.4, len(rows)))
    collisions["collision_year"] = year
    collisions["collision_ref_no"] = [f"{FORCE_CODE}{n:07d}" for n in number]
    collisions["collision_index"] = [f"{y}{r}" for y, r in zip(year, collisions["collision_ref_no"])]


def _conditions(collisions: pd.DataFrame, rng: np.random.Generator) -> None:
    """Light, weather, surface, site, police attendance, vehicles, casualties and enhanced severity."""
    n = len(collisions)
    month = pd.DatetimeIndex(collisions["date"]).month.to_numpy() - 1
    hour = collisions["seconds"].to_numpy() / 3600
    sunrise, sunset = np.array(DAYLIGHT).T
    dark = (hour < sunrise[month]) | (hour > sunset[month])
    urban = collisions["urban"].to_numpy(bool)
    lit = np.where(urban, pick(rng, [4, 7], [90, 10], n), pick(rng, [6, 4, 5], [70, 25, 5], n))
    light = np.where(dark, lit, 1)
    light[rng.random(n) < 0.004] = -1
    rain = rng.random(n) < np.array(RAIN_BY_MONTH)[month]
    winter = np.isin(month, (0, 1, 11))
    weather = np.where(rain, pick(rng, [2, 5], [90, 10], n), pick(rng, [1, 4, 7, 8, 9], [93, 2, 1, 1, 3], n))
    weather[winter & (rng.random(n) < 0.015)] = 3
    surface = np.select([np.isin(weather, (2, 5)), weather == 3],
                        [2, 3], np.where(rng.random(n) < np.where(winter, 0.22, 0.08), 2, 1))
    surface[winter & (surface == 1) & (rng.random(n) < 0.06)] = 4
    weather[rng.random(n) < 0.004] = -1
    surface[rng.random(n) < 0.006] = -1
    ksi = collisions["group"].to_numpy() == "ksi"
    pedestrian_share = np.select([urban & ksi, urban, ksi], [0.22, 0.12, 0.06], 0.03)
    pedestrian = rng.random(n) < pedestrian_share
    vehicles = np.where(pedestrian, pick(rng, [1, 2], [93, 7], n), pick(rng, *zip(*VEHICLES), n)).astype(int)
    severity = collisions["severity"].to_numpy()
    enhanced = np.select([severity == 1, severity == 2], [1, pick(rng, [5, 6, 7], [25, 45, 30], n)], 3)
    collisions["pedestrian"] = pedestrian
    collisions["light_conditions"] = light
    collisions["weather_conditions"] = weather
    collisions["road_surface_conditions"] = surface
    collisions["special_conditions_at_site"] = pick(rng, [0, 4, 5, 7, -1], [96, 1.5, 0.5, 0.5, 1.5], n)
    collisions["carriageway_hazards"] = pick(rng, [0, 2, 7, 1, -1], [96.5, 1, 1, 0.5, 1], n)
    collisions["urban_or_rural_area"] = np.where(urban, 1, 2)
    collisions["did_police_officer_attend_scene_of_accident"] = np.where(
        ksi, pick(rng, [1, 2], [92, 8], n), pick(rng, [1, 2, 3], [62, 23, 15], n))
    collisions["number_of_vehicles"] = vehicles
    collisions["number_of_casualties"] = pick(rng, *zip(*CASUALTIES), n).astype(int)
    collisions["enhanced_severity_collision"] = enhanced


def _casualties(collisions: pd.DataFrame, geo: Geography, rng: np.random.Generator) -> pd.DataFrame:
    """Casualty rows: the first has the collision's severity, the others no worse."""
    lsoas = geo.lsoas.reset_index(drop=True)
    home_x, home_y = lsoa_anchor(lsoas)
    imd = rng.integers(1, 11, len(lsoas))  # a deprivation decile per LSOA
    district_of = lsoas["LAD22CD"].to_numpy()
    rows = []
    for c in collisions.itertuples(index=False):
        k, n_vehicles = int(c.number_of_casualties), int(c.number_of_vehicles)
        severity = [int(c.severity)] + list(rng.choice([1, 2, 3], k - 1, p=OTHER_CASUALTY_SEVERITY[int(c.severity)]))
        kinds = rng.choice(len(CASUALTY_VEHICLES), n_vehicles, p=_share([v[1] for v in CASUALTY_VEHICLES]))
        drivers = {1}
        for j in range(k):
            if c.pedestrian and (j == 0 or rng.random() < 0.3):
                casualty_class, vehicle, casualty_type = 3, 1, 0
            elif j == 0:
                casualty_class, vehicle, casualty_type = 1, 1, CASUALTY_VEHICLES[kinds[0]][0]
            else:
                spare = [v for v in range(2, n_vehicles + 1) if v not in drivers]
                if spare and rng.random() < 0.5:
                    vehicle = spare[0]
                    drivers.add(vehicle)
                    casualty_class = 1
                else:
                    carriers = [v for v in range(1, n_vehicles + 1) if CASUALTY_VEHICLES[kinds[v - 1]][2]]
                    vehicle = carriers[0] if carriers else 1
                    casualty_class = 2
                casualty_type = CASUALTY_VEHICLES[kinds[vehicle - 1]][0]
            rows.append((c.collision_index, c.collision_year, c.collision_ref_no, vehicle, j + 1, casualty_class,
                         casualty_type, severity[j], c.x, c.y, c.local_authority_ons_district))
    table = pd.DataFrame(rows, columns=["collision_index", "collision_year", "collision_ref_no", "vehicle_reference",
                                        "casualty_reference", "casualty_class", "casualty_type", "casualty_severity",
                                        "x", "y", "district"])
    n = len(table)
    cls = table["casualty_class"].to_numpy()
    kind = table["casualty_type"].to_numpy()
    age = np.select(
        [cls == 3, cls == 2, kind == 1],
        [np.where(rng.random(n) < 0.3, rng.integers(4, 16, n), np.clip(np.round(rng.normal(45, 22, n)), 16, 95)),
         np.clip(np.round(rng.normal(32, 20, n)), 1, 95), np.clip(np.round(rng.normal(38, 15, n)), 8, 85)],
        np.clip(np.round(rng.normal(40, 16, n)), 17, 92)).astype(int)
    age[rng.random(n) < 0.01] = -1
    band = np.where(age < 0, -1, np.searchsorted(AGE_BAND_TOPS, age, side="left") + 1)
    severity = table["casualty_severity"].to_numpy()
    pedestrian = cls == 3
    car_passenger = (cls == 2) & np.isin(kind, (8, 9))

    known = rng.random(n) < 0.78
    local = rng.random(n) < 0.65
    home = np.empty(n, dtype=int)
    for d in np.unique(table["district"]):
        here = np.flatnonzero(district_of == d)
        rows_d = np.flatnonzero(table["district"].to_numpy() == d)
        home[rows_d] = np.where(local[rows_d], rng.choice(here, len(rows_d)), rng.integers(0, len(lsoas), len(rows_d)))
    distance = np.hypot(home_x[home] - table["x"].to_numpy(float), home_y[home] - table["y"].to_numpy(float))
    return table.assign(
        sex_of_casualty=pick(rng, [1, 2, 9, -1], [58, 41, 0.5, 0.5], n),
        age_of_casualty=age,
        age_band_of_casualty=band,
        pedestrian_location=np.where(pedestrian, pick(rng, [1, 5, 6, 4, 9], [20, 40, 15, 15, 10], n), 0),
        pedestrian_movement=np.where(pedestrian, pick(rng, [1, 3, 5, 8, 9], [40, 25, 10, 15, 10], n), 0),
        car_passenger=np.where(car_passenger, pick(rng, [1, 2], [55, 45], n), 0),
        bus_or_coach_passenger=np.where((cls == 2) & (kind == 11), 4, 0),
        pedestrian_road_maintenance_worker=np.where(pedestrian, pick(rng, [0, 2, -1], [85, 10, 5], n), 0),
        casualty_imd_decile=np.where(known, imd[home], -1),
        lsoa_of_casualty=np.where(known, lsoas["LSOA21CD"].to_numpy()[home], "-1"),
        enhanced_casualty_severity=np.select([severity == 1, severity == 2],
                                             [1, pick(rng, [5, 6, 7], [25, 45, 30], n)], 3),
        casualty_injury_based=1,
        casualty_distance_banding=np.where(known, np.searchsorted(DISTANCE_BAND_TOPS, distance) + 1, -1),
    )


def _share(weights) -> np.ndarray:
    weights = np.asarray(weights, float)
    return weights / weights.sum()
