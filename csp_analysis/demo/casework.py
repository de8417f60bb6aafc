"""Synthetic council community protection team casework: one council's export, the district of
interest only, in the council's own layout (there is no national format).

One row per case: reference, dates opened and closed (dd/mm/yyyy), case type, how it came in,
ward, a location description, grid reference (blank for domestic abuse and safeguarding cases,
which the council does not export at address level, and for a few others), status and outcome
(blank while open). Counts per case type and year are fixed below (the planted story holds
exactly). One deliberate quirk: a few cases have no "Date Opened".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from csp_analysis.demo import names, roads
from csp_analysis.demo.geography import DISTRICTS, Geography
from csp_analysis.demo.sampling import (
    YEARS,
    dates_in_months,
    district_lsoas,
    locate,
    lsoa_anchor,
    pick,
    points_in_lsoas,
    seasonal_months,
    town_kernel,
)

PATH = "casework/northbridge-cpt-casework.csv"
COLUMNS = ("Case Ref", "Date Opened", "Date Closed", "Case Type", "Source", "Ward", "Location", "Easting", "Northing",
           "Status", "Outcome")
DISTRICT = DISTRICTS[0]
ASB, DOMESTIC_ABUSE, SAFEGUARDING, FLY_TIPPING, NOISE, GRAFFITI = (
    "ASB incident", "Domestic abuse referral", "Safeguarding contact", "Fly-tipping", "Noise nuisance", "Graffiti")

#: Fly-tipping a year (2023, 2024, 2025) by place: lay-bys and verges of the rural roads in
#: FLY_TIPPING_WARDS, elsewhere in those wards, and the rest of the district. The 2025 rise is
#: all in those wards.
FLY_TIPPING_WARDS = ("Hollins Green", "Millbrook", "Thornley, Oldacre and Cole Green")
FLY_TIPPING_PLACES = {"lay-by": (105, 110, 180), "rural edge": (75, 78, 125), "elsewhere": (122, 126, 128)}
#: Cases a year (2023, 2024, 2025) by case type: the planted story is here.
COUNTS: dict[str, tuple[int, int, int]] = {
    ASB: (512, 496, 489),
    DOMESTIC_ABUSE: (12, 14, 17),
    SAFEGUARDING: (86, 84, 63),
    FLY_TIPPING: tuple(int(sum(v)) for v in zip(*FLY_TIPPING_PLACES.values())),
    NOISE: (228, 236, 231),
    GRAFFITI: (64, 58, 61),
}
#: Extra cases, beyond COUNTS, exported without a Date Opened (a loader excludes them).
UNDATED = ((ASB, 2024), (FLY_TIPPING, 2025))
SENSITIVE = (DOMESTIC_ABUSE, SAFEGUARDING)  # ward only, never a grid reference or location
NO_GRID_SHARE = 0.04  # of other cases
EXPORTED = np.datetime64("2026-01-09")  # cases closing after this are still open

SEASON = {ASB: (0.2, 7), DOMESTIC_ABUSE: (0.1, 12), SAFEGUARDING: (0.05, 10), FLY_TIPPING: (0.15, 7),
          NOISE: (0.3, 7), GRAFFITI: (0.1, 6)}
#: Dispersion of the monthly counts within a year (``months.split_year``): reports come in batches.
DISPERSION = {ASB: 2.0, DOMESTIC_ABUSE: 1.0, SAFEGUARDING: 1.0, FLY_TIPPING: 1.3, NOISE: 1.5, GRAFFITI: 1.3}
#: Where cases happen: pull of the town centres on an LSOA's weight (1 + pull * closeness).
TOWN_PULL = {ASB: 3.0, DOMESTIC_ABUSE: 0.0, SAFEGUARDING: 0.0, NOISE: 1.5, GRAFFITI: 5.0}
SOURCES = {
    ASB: (("Resident report", 45), ("Online form", 25), ("Police referral", 15), ("Housing provider", 10),
          ("Councillor", 5)),
    DOMESTIC_ABUSE: (("Police referral", 70), ("Partner agency", 20), ("Self-referral", 10)),
    SAFEGUARDING: (("Officer identified", 40), ("Partner agency", 35), ("Resident report", 25)),
    FLY_TIPPING: (("Online form", 55), ("Resident report", 25), ("Officer identified", 20)),
    NOISE: (("Resident report", 55), ("Online form", 45)),
    GRAFFITI: (("Online form", 50), ("Officer identified", 35), ("Resident report", 15)),
}
#: Outcomes per case type, and days from opening to closing (low, high).
OUTCOMES = {
    ASB: ((("Advice given", 30), ("Warning letter issued", 25), ("Community Protection Warning issued", 12),
           ("Community Protection Notice issued", 4), ("Referred to police", 8), ("Mediation", 6),
           ("No further action", 15)), (3, 60)),
    DOMESTIC_ABUSE: ((("Referred to MARAC", 30), ("Referred to IDVA service", 40),
                      ("Signposted to support services", 20), ("No further action", 10)), (1, 14)),
    SAFEGUARDING: ((("Referred to adult social care", 40), ("Referred to children's services", 30),
                    ("Early help offered", 15), ("No further action", 15)), (1, 30)),
    FLY_TIPPING: ((("Cleared", 55), ("Cleared - evidence found, warning letter", 18),
                   ("Fixed penalty notice issued", 12), ("Prosecution", 2), ("Cleared - no evidence", 13)), (1, 10)),
    NOISE: ((("Advice given", 40), ("Abatement notice served", 10), ("Monitoring - no statutory nuisance", 35),
             ("No further action", 15)), (7, 90)),
    GRAFFITI: ((("Removed", 70), ("Referred to property owner", 25), ("No further action", 5)), (2, 21)),
}
RURAL_PLACES = (("Field gateway, {}", 3), ("Bridleway off {}", 2), ("{}", 5))


def generate(geo: Geography, rng: np.random.Generator) -> pd.DataFrame:
    """The export's rows (all text), in case reference order."""
    lsoas = district_lsoas(geo, DISTRICT)
    x, y = lsoa_anchor(lsoas)
    kernel = town_kernel(x, y, DISTRICT.towns)
    area = lsoas.geometry.area.to_numpy() / lsoas.geometry.area.mean()
    edge = lsoas["WD22NM"].isin(FLY_TIPPING_WARDS).to_numpy()
    streets = np.array([f"{s} {x}" for s in names.STREET_STEMS for x in names.STREET_SUFFIXES], dtype=object)
    streets = rng.choice(streets, 250, replace=False)

    parts = []
    for case_type, per_year in COUNTS.items():
        extra = [y for t, y in UNDATED if t == case_type]
        if case_type == FLY_TIPPING:
            for place, counts in FLY_TIPPING_PLACES.items():
                extra_here = extra if place == "elsewhere" else []
                parts.append(_cases(rng, case_type, counts, extra_here, place))
        else:
            parts.append(_cases(rng, case_type, per_year, extra, "area"))
    cases = pd.concat(parts, ignore_index=True)

    cases["Easting"] = cases["Northing"] = cases["Ward"] = cases["Location"] = ""
    region = shapely.union_all(lsoas[edge].geometry.to_numpy())
    for case_type in COUNTS:
        for place in ("area", *FLY_TIPPING_PLACES):
            rows = np.flatnonzero((cases["Case Type"] == case_type).to_numpy() & (cases["place"] == place).to_numpy())
            if not len(rows):
                continue
            if place == "lay-by":
                points = roads.sample(rng, region, len(rows), town_pull=0.0, junction_pull=0.0, rural_only=True)
                xy = points[["x", "y"]].to_numpy()
                lsoa = locate(lsoas, xy)
                where = pick(rng, ["Lay-by, {}", "Verge, {}"], [3, 1], len(rows))
                location = [w.format(roads.ROADS[r].name) for w, r in zip(where, points["road"])]
            else:
                weight = {"rural edge": area * edge, "elsewhere": (1 + kernel) * ~edge}.get(
                    place, 1 + TOWN_PULL.get(case_type, 0.0) * kernel)
                xy, lsoa = points_in_lsoas(rng, lsoas, weight, len(rows))
                street = rng.choice(streets, len(rows))
                if place == "rural edge":
                    location = [w.format(s) for w, s in zip(pick(rng, *zip(*RURAL_PLACES), len(rows)), street)]
                else:
                    location = list(street)
            if (lsoa < 0).any():
                raise RuntimeError("a case fell outside the district")
            cases.loc[rows, "Ward"] = lsoas["WD22NM"].to_numpy()[lsoa]
            if case_type in SENSITIVE:
                continue
            grid = rng.random(len(rows)) >= NO_GRID_SHARE
            cases.loc[rows, "Location"] = location
            cases.loc[rows, "Easting"] = np.where(grid, xy[:, 0].astype(int).astype(str), "")
            cases.loc[rows, "Northing"] = np.where(grid, xy[:, 1].astype(int).astype(str), "")

    cases["tiebreak"] = rng.random(len(cases))
    cases = cases.sort_values(["opened", "tiebreak"], kind="stable", ignore_index=True)
    year = cases["opened"].to_numpy().astype("datetime64[Y]").astype(int) + 1970
    sequence = cases.groupby(year).cumcount().to_numpy() + 1
    cases["Case Ref"] = [f"CPT/{y % 100:02d}/{s:05d}" for y, s in zip(year, sequence)]
    opened = pd.DatetimeIndex(cases["opened"]).strftime("%d/%m/%Y").to_numpy(dtype=object)
    closed = pd.DatetimeIndex(cases["closed"]).strftime("%d/%m/%Y").to_numpy(dtype=object)
    still_open = cases["closed"].to_numpy() > EXPORTED
    cases["Date Opened"] = np.where(cases["undated"].to_numpy(bool), "", opened)
    cases["Date Closed"] = np.where(still_open, "", closed)
    cases["Status"] = np.where(still_open, "Open", "Closed")
    cases["Outcome"] = np.where(still_open, "", cases["Outcome"].to_numpy(dtype=object))
    return cases[list(COLUMNS)]


def write(table: pd.DataFrame, out_dir: Path) -> None:
    path = out_dir / PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _cases(rng: np.random.Generator, case_type: str, per_year, undated_years: list[int], place: str) -> pd.DataFrame:
    """Dated cases of one type (and place), plus the undated extras."""
    extra = [sum(1 for y in undated_years if y == year) for year in YEARS]
    counts = [n + e for n, e in zip(per_year, extra)]
    months = seasonal_months(rng, counts, *SEASON[case_type], DISPERSION[case_type])
    n = len(months)
    undated = np.zeros(n, bool)
    start = 0
    for k, count in enumerate(counts):  # cases of the year drawn to stand for the undated ones
        undated[start + rng.choice(count, extra[k], replace=False)] = True
        start += count
    opened = dates_in_months(rng, months)
    options, (low, high) = OUTCOMES[case_type]
    return pd.DataFrame({
        "Case Type": case_type,
        "Source": pick(rng, *zip(*SOURCES[case_type]), n),
        "Outcome": pick(rng, *zip(*options), n),
        "opened": opened,
        "closed": opened + rng.integers(low, high + 1, n),
        "undated": undated,
        "place": place,
    })
