"""Synthetic police.uk street-level crime and outcomes files for the Demoshire force.

Counts per district, category and year are set from hard-coded shares and trends (so the planted
year-on-year story holds exactly), spread over months by seasonality, and placed on map points
with town-centre hotspots and one planted cluster. Outcomes follow the real mix per category.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from csp_analysis.categories import ASB, POLICE_UK_CATEGORIES
from csp_analysis.demo.geography import DISTRICTS, OUTSIDE_DISTRICT, District, Geography
from csp_analysis.demo.months import season, split_year

FORCE_SLUG = "demoshire"
FORCE_NAME = "Demoshire Constabulary"
STUDY_DISTRICT = DISTRICTS[0]
FIRST_MONTH = "2023-01"
N_MONTHS = 36
#: Crimes of the months before FIRST_MONTH appear only through their outcomes, as in a real archive.
BURN_IN_MONTHS = 6
MONTHS = pd.period_range(pd.Period(FIRST_MONTH, "M") - BURN_IN_MONTHS, periods=BURN_IN_MONTHS + N_MONTHS,
                         freq="M")
LAST = len(MONTHS) - 1

STREET_COLUMNS = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                  "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
OUTCOME_COLUMNS = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                   "LSOA code", "LSOA name", "Outcome type"]

#: Share of street-level records by category: Hertfordshire Constabulary, police.uk 2021-01..2022-01
#: (108,465 records), rounded.
CATEGORY_SHARE = {
    "Anti-social behaviour": 0.2568, "Bicycle theft": 0.0106, "Burglary": 0.0348,
    "Criminal damage and arson": 0.0734, "Drugs": 0.0266, "Other crime": 0.0162, "Other theft": 0.0747,
    "Possession of weapons": 0.0067, "Public order": 0.0546, "Robbery": 0.0055, "Shoplifting": 0.0604,
    "Theft from the person": 0.0099, "Vehicle crime": 0.0723, "Violence and sexual offences": 0.2975,
}
#: Categories of records with no location (same source; ASB always has one), rounded.
NO_LOCATION_SHARE = {
    "Violence and sexual offences": 0.255, "Other crime": 0.161, "Shoplifting": 0.130, "Public order": 0.093,
    "Criminal damage and arson": 0.087, "Other theft": 0.087, "Drugs": 0.056, "Burglary": 0.037,
    "Bicycle theft": 0.031, "Vehicle crime": 0.031, "Theft from the person": 0.025, "Robbery": 0.006,
}
NO_LOCATION_RATE = 0.015  # of all records (1.6% in the source)
OUTSIDE_PER_MONTH = 10  # mean records a month in LSOAs of the out-of-force district

#: Street-level records in 2023, all categories.
ANNUAL_RECORDS = {"Northbridge": 11000, "Eastmere": 10400, "Westford": 11600}
#: Change per category in every district: (2024 on 2023, 2025 on 2024).
CHANGE = {
    "Anti-social behaviour": (-0.04, -0.03), "Bicycle theft": (0.03, -0.02), "Burglary": (-0.03, -0.04),
    "Criminal damage and arson": (-0.02, 0.01), "Drugs": (0.04, 0.02), "Other crime": (0.02, 0.03),
    "Other theft": (0.01, -0.02), "Possession of weapons": (0.03, 0.02), "Public order": (-0.01, 0.02),
    "Robbery": (0.04, 0.05), "Shoplifting": (0.06, 0.05), "Theft from the person": (0.02, 0.03),
    "Vehicle crime": (-0.02, -0.01), "Violence and sexual offences": (0.01, 0.02),
}
#: The story planted in the district of interest: 2025 on 2024.
STUDY_CHANGE_2025 = {"Shoplifting": 0.20, "Burglary": -0.15, "Robbery": 0.30}

#: Seasonality (amplitude, peak month): monthly weight 1 + amplitude * cos(2 pi (month - peak) / 12).
SEASON = {
    "Anti-social behaviour": (0.20, 7), "Bicycle theft": (0.30, 8), "Burglary": (0.15, 12),
    "Criminal damage and arson": (0.06, 6), "Drugs": (0.05, 3), "Other crime": (0.0, 1),
    "Other theft": (0.06, 8), "Possession of weapons": (0.08, 8), "Public order": (0.10, 7),
    "Robbery": (0.10, 11), "Shoplifting": (0.06, 12), "Theft from the person": (0.15, 12),
    "Vehicle crime": (0.10, 11), "Violence and sexual offences": (0.10, 7),
}
#: Dispersion of the monthly counts within a year (1: as variable as multinomial counts), a little
#: below what St Albans shows (2021: ASB 7, vehicle crime 7, shoplifting 3, burglary 1.8, robbery under
#: 1), where seasons and trends inside a period count too.
DISPERSION = {
    "Anti-social behaviour": 4.0, "Bicycle theft": 1.5, "Burglary": 1.8, "Criminal damage and arson": 1.5,
    "Drugs": 1.8, "Other crime": 1.3, "Other theft": 1.8, "Possession of weapons": 1.2, "Public order": 1.5,
    "Robbery": 1.0, "Shoplifting": 2.0, "Theft from the person": 1.5, "Vehicle crime": 4.0,
    "Violence and sexual offences": 2.0,
}
#: Pull of town centres: a map point's weight is 1 + HOTSPOT * kernel (kernel 1 at a main town centre).
HOTSPOT = {
    "Anti-social behaviour": 3, "Bicycle theft": 6, "Burglary": -0.5, "Criminal damage and arson": 1,
    "Drugs": 6, "Other crime": 1, "Other theft": 4, "Possession of weapons": 5, "Public order": 8,
    "Robbery": 8, "Shoplifting": 40, "Theft from the person": 40, "Vehicle crime": -0.3,
    "Violence and sexual offences": 4,
}
HOTSPOT_SIGMA = 450.0  # metres
SECOND_TOWN_WEIGHT = 0.4
CLUSTER_CATEGORY = "Vehicle crime"
CLUSTER_FACTOR = 3.0

CHARGED = "Suspect charged"
NO_UPDATE = "Status update unavailable"
OUTCOMES = (
    "Investigation complete; no suspect identified", "Unable to prosecute suspect", CHARGED, "Local resolution",
    "Offender given a caution", "Action to be taken by another organisation",
    "Formal action is not in the public interest", "Further action is not in the public interest",
    "Further investigation is not in the public interest", NO_UPDATE,
)
#: Final outcome mix (%, in OUTCOMES order) per category, from the same source's street and outcomes files
#: (charged = "Awaiting court outcome" or "Court result unavailable" in the street file).
OUTCOME_MIX = {
    "Bicycle theft": (84, 9, 3, 0, 0.2, 0, 0.2, 0, 0.1, 3.6),
    "Burglary": (81, 11, 3.3, 0, 0.3, 0, 0, 0, 0, 4.2),
    "Criminal damage and arson": (62, 29.5, 3.2, 1, 1.5, 0, 0.1, 0, 0, 3.1),
    "Drugs": (1, 8, 24, 38, 7, 0.1, 3, 0, 0, 18.6),
    "Other crime": (14, 33, 11, 1, 1.4, 5.5, 1.2, 0.3, 11.2, 21.4),
    "Other theft": (74, 21, 1.2, 0.4, 0.2, 0.2, 0, 0, 0, 3.3),
    "Possession of weapons": (3.3, 28.7, 37.5, 1.4, 4.9, 0.7, 0.9, 0, 0, 22.6),
    "Public order": (15.4, 64, 8.9, 1.8, 1.8, 0.1, 1.2, 0.3, 0, 6.5),
    "Robbery": (38.3, 46.5, 3.7, 0.2, 0, 0, 0, 0, 0, 11.3),
    "Shoplifting": (62, 18, 14, 2, 0.9, 0, 0.3, 0.1, 0, 2.5),
    "Theft from the person": (76, 18.3, 0.6, 0, 0.2, 0.1, 0, 0, 0, 4.7),
    "Vehicle crime": (86.7, 7.5, 2.3, 0.1, 0.1, 0, 0, 0, 0, 3.2),
    "Violence and sexual offences": (8.7, 74.8, 5.1, 1.0, 1.7, 1.7, 0.1, 0.2, 0, 6.7),
}
#: Months from crime to outcome (%, lags 0..12), same source; LONG_LAG_SHARE take 6-30 months instead.
LAG_SHARE = (33, 33, 15, 7, 4, 2.5, 2, 1.2, 0.9, 0.6, 0.4, 0.3, 0.1)
LONG_LAG_SHARE = 0.08
#: Share of outcomes republished in 1-3 following months (real files repeat charged cases most).
REPEAT_SHARE, CHARGED_REPEAT_SHARE = 0.04, 0.25
AWAITING_COURT_SHARE = 0.67

#: OSGB36 -> WGS84 by the 7-parameter Helmert transformation (EPSG:1314), pinned so the output does not
#: depend on whether the PROJ OSTN15 grid is installed.
WGS84_PIPELINE = (
    "+proj=pipeline +step +inv +proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 "
    "+ellps=airy +step +proj=push +v_3 +step +proj=cart +ellps=airy +step +proj=helmert +x=446.448 "
    "+y=-125.157 +z=542.06 +rx=0.15 +ry=0.247 +rz=0.842 +s=-20.489 +convention=position_vector "
    "+step +inv +proj=cart +ellps=WGS84 +step +proj=pop +v_3 +step +proj=unitconvert +xy_in=rad +xy_out=deg"
)


def cluster_wards(geo: Geography) -> tuple[str, str]:
    """The two adjacent wards of the district of interest given the planted cluster.

    The adjacent pair nearest the main town centre among wards that hold no town centre.
    """
    wards = geo.wards[geo.wards["LAD22NM"] == STUDY_DISTRICT.name].reset_index(drop=True)
    towns = shapely.points([(t.x, t.y) for t in STUDY_DISTRICT.towns])
    eligible = [i for i, g in enumerate(wards.geometry) if not shapely.intersects(g, towns).any()]
    distance = wards.geometry.centroid.distance(towns[0])
    pairs = [(i, j) for i in eligible for j in eligible
             if i < j and shapely.intersection(wards.geometry[i], wards.geometry[j]).length > 0]
    i, j = min(pairs, key=lambda p: (distance[p[0]] + distance[p[1]], p))
    return tuple(sorted((wards["WD22NM"][i], wards["WD22NM"][j])))


def generate(geo: Geography, rng: np.random.Generator, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Street-level records and outcome rows for the published months, in police.uk columns."""
    records = _records(geo, rng)
    crime = records["category"].to_numpy() != ASB
    ids = np.full(len(records), "", dtype=object)
    ids[crime] = [hashlib.sha256(f"{FORCE_SLUG}:{seed}:{i}".encode()).hexdigest() for i in range(int(crime.sum()))]
    records["crime_id"] = ids
    last, outcomes = _outcomes(records[crime], rng)
    records["last_outcome"] = ""
    records.loc[crime, "last_outcome"] = last

    where = _point_columns(geo)
    published = records[records["month"] >= BURN_IN_MONTHS]
    street = _with_place(published, where, "No Location").assign(**{
        "Crime type": published["category"].to_numpy(),
        "Last outcome category": published["last_outcome"].to_numpy(),
        "Context": "",
    })
    outcome_rows = _with_place(outcomes, where, "No location").assign(**{
        "Outcome type": outcomes["outcome"].to_numpy()})
    return street[STREET_COLUMNS], outcome_rows[OUTCOME_COLUMNS]


def write(street: pd.DataFrame, outcomes: pd.DataFrame, out_dir: Path) -> None:
    """One folder per month as in the police.uk archive; rows ordered by LSOA name like real files."""
    for month in MONTHS[BURN_IN_MONTHS:].strftime("%Y-%m"):
        folder = out_dir / "police-uk" / month
        folder.mkdir(parents=True, exist_ok=True)
        rows = street[street["Month"] == month]
        rows = rows.assign(_none=rows["LSOA name"] == "").sort_values(["_none", "LSOA name"], kind="stable")
        rows[STREET_COLUMNS].to_csv(folder / f"{month}-{FORCE_SLUG}-street.csv", index=False, lineterminator="\n")
        rows = outcomes[outcomes["Month"] == month].sort_values("LSOA name", kind="stable")
        rows.to_csv(folder / f"{month}-{FORCE_SLUG}-outcomes.csv", index=False, lineterminator="\n")


def _records(geo: Geography, rng: np.random.Generator) -> pd.DataFrame:
    """month (index into MONTHS), category and point (row of geo.map_points, -1 = no location)."""
    points = geo.map_points
    cluster = points["WD22NM"].isin(cluster_wards(geo)).to_numpy()
    parts = []
    for district in DISTRICTS:
        rows = np.flatnonzero(points["district"].to_numpy() == district.name)
        kernel = _town_kernel(points.iloc[rows], district)
        for category in POLICE_UK_CATEGORIES:
            weight = 1 + HOTSPOT[category] * kernel
            if district is STUDY_DISTRICT and category == CLUSTER_CATEGORY:
                weight = weight * np.where(cluster[rows], CLUSTER_FACTOR, 1.0)
            months = _months(rng, district, category)
            chosen = rng.choice(rows, size=len(months), p=weight / weight.sum())
            parts.append(pd.DataFrame({"month": months, "category": category, "point": chosen}))
    located = pd.concat(parts, ignore_index=True)

    per_month = np.bincount(located["month"], minlength=len(MONTHS))
    n_none = rng.poisson(per_month * NO_LOCATION_RATE / (1 - NO_LOCATION_RATE))
    share = np.array(list(NO_LOCATION_SHARE.values()))
    no_location = pd.DataFrame({
        "month": np.repeat(np.arange(len(MONTHS)), n_none),
        "category": rng.choice(list(NO_LOCATION_SHARE), n_none.sum(), p=share / share.sum()),
        "point": -1,
    })
    outside_rows = np.flatnonzero(points["district"].to_numpy() == OUTSIDE_DISTRICT)
    n_outside = rng.poisson(OUTSIDE_PER_MONTH, len(MONTHS))
    share = np.array(list(CATEGORY_SHARE.values()))
    outside = pd.DataFrame({
        "month": np.repeat(np.arange(len(MONTHS)), n_outside),
        "category": rng.choice(list(CATEGORY_SHARE), n_outside.sum(), p=share / share.sum()),
        "point": rng.choice(outside_rows, n_outside.sum()),
    })
    records = pd.concat([located, no_location, outside], ignore_index=True)
    return records.sort_values("month", kind="stable", ignore_index=True)


def _town_kernel(points: pd.DataFrame, district: District) -> np.ndarray:
    kernel = np.zeros(len(points))
    for k, town in enumerate(district.towns):
        d2 = (points["x"].to_numpy() - town.x) ** 2 + (points["y"].to_numpy() - town.y) ** 2
        kernel += (1.0 if k == 0 else SECOND_TOWN_WEIGHT) * np.exp(-d2 / (2 * HOTSPOT_SIGMA**2))
    return kernel


def _months(rng: np.random.Generator, district: District, category: str) -> np.ndarray:
    """Month indices of one district's records in one category: fixed yearly totals, seasonal and
    over-dispersed months."""
    weight = season(*SEASON[category])
    share = CATEGORY_SHARE[category] / sum(CATEGORY_SHARE.values())
    change_2024, change_2025 = CHANGE[category]
    if district is STUDY_DISTRICT:
        change_2025 = STUDY_CHANGE_2025.get(category, change_2025)
    level = {2022: 1.0, 2023: 1.0, 2024: 1 + change_2024, 2025: (1 + change_2024) * (1 + change_2025)}
    first_year = MONTHS[0].year
    months = []
    for year, factor in level.items():
        expected = ANNUAL_RECORDS[district.name] * share * factor * np.exp(rng.normal(0, 0.01))
        counts = split_year(rng, round(expected), weight, DISPERSION[category])
        index = np.repeat((year - first_year) * 12 + np.arange(12) - (MONTHS[0].month - 1), counts)
        months.append(index[(index >= 0) & (index <= LAST)])
    return np.concatenate(months)


def _outcomes(crimes: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, pd.DataFrame]:
    """Last outcome category per crime, and the outcome rows of the published months."""
    n = len(crimes)
    category = crimes["category"].to_numpy()
    outcome = np.zeros(n, dtype=int)
    for name, mix in OUTCOME_MIX.items():
        rows = np.flatnonzero(category == name)
        outcome[rows] = rng.choice(len(OUTCOMES), size=len(rows), p=np.array(mix) / sum(mix))
    lag = rng.choice(len(LAG_SHARE), size=n, p=np.array(LAG_SHARE) / sum(LAG_SHARE))
    long = rng.random(n) < LONG_LAG_SHARE
    lag[long] = rng.integers(6, 31, int(long.sum()))
    outcome_month = crimes["month"].to_numpy() + lag
    charged = outcome == OUTCOMES.index(CHARGED)
    repeats = np.where(rng.random(n) < np.where(charged, CHARGED_REPEAT_SHARE, REPEAT_SHARE),
                       rng.integers(1, 4, n), 0)
    court = np.where(rng.random(n) < AWAITING_COURT_SHARE, "Awaiting court outcome", "Court result unavailable")

    last = np.array(OUTCOMES, dtype=object)[outcome]
    last[charged] = court[charged]
    published = outcome != OUTCOMES.index(NO_UPDATE)
    last[published & (outcome_month > LAST)] = "Under investigation"

    rows = []
    for r in range(int(repeats.max(initial=0)) + 1):
        keep = published & (repeats >= r) & (outcome_month + r <= LAST) & (outcome_month + r >= BURN_IN_MONTHS)
        rows.append(pd.DataFrame({
            "crime_id": crimes["crime_id"].to_numpy()[keep],
            "month": outcome_month[keep] + r,
            "point": crimes["point"].to_numpy()[keep],
            "outcome": np.array(OUTCOMES)[outcome[keep]],
        }))
    return last, pd.concat(rows, ignore_index=True).sort_values("month", kind="stable", ignore_index=True)


def _point_columns(geo: Geography) -> dict[str, np.ndarray]:
    """police.uk place columns per map point, with a last entry for records with no location."""
    points = geo.map_points
    lon, lat = Transformer.from_pipeline(WGS84_PIPELINE).transform(points["x"].to_numpy(), points["y"].to_numpy())
    return {
        "Longitude": np.append(np.char.mod("%.6f", lon), ""),
        "Latitude": np.append(np.char.mod("%.6f", lat), ""),
        "Location": np.append(points["location"].to_numpy(dtype=object), ""),
        "LSOA code": np.append(points["LSOA21CD"].to_numpy(dtype=object), ""),
        "LSOA name": np.append(points["LSOA21NM"].to_numpy(dtype=object), ""),
    }


def _with_place(rows: pd.DataFrame, where: dict[str, np.ndarray], no_location: str) -> pd.DataFrame:
    """The police.uk columns from Crime ID to LSOA name for records or outcome rows."""
    point = rows["point"].to_numpy()
    place = {column: values[point] for column, values in where.items()}
    place["Location"] = np.where(point < 0, no_location, place["Location"])
    return pd.DataFrame({
        "Crime ID": rows["crime_id"].to_numpy(),
        "Month": MONTHS[rows["month"].to_numpy()].strftime("%Y-%m"),
        "Reported by": FORCE_NAME,
        "Falls within": FORCE_NAME,
        **place,
    })
