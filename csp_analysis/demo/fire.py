"""Synthetic fire and rescue incidents for the whole Demoshire force area, in the layout of a real
fire service export (Avon Fire & Rescue Service, Incident Recording System fields).

The columns, their order, the value vocabulary (including the en dash in "Deliberate – ...") and
which columns are filled for which kind of incident copy the real export; grid references are
whole metres and not masked. Counts per district, kind and year are fixed below (so the planted
story holds exactly), spread over months by season and placed in LSOAs by kind, with RTCs on the
invented roads. One deliberate quirk: a few incidents appear twice, as in overlapping extracts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from csp_analysis.demo import roads
from csp_analysis.demo.geography import DISTRICTS, District, Geography
from csp_analysis.demo.sampling import (
    MONTH_NAMES,
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
    town_kernel,
)

PATH = "fire/demoshire-fire-incidents.csv"
COLUMNS = (
    "Day", "Month", "Year", "Time of Call", "Incident Number", "X Coordinate", "Y Coordinate", "Unitary Authority",
    "Ward", "Origin of Call", "Incident Category", "Property Category", "Property Type", "Is Primary Fire",
    "Cause of Fire", "Is Property Derelict?", "Is Property Occupied at the Incident?", "Property Normally Occupied?",
    "Is Fire Confined to Chimney?", "How Fire Was Discovered?", "Main Cause of Fire", "Ignition Source",
    "Ignition Source Powered", "Item First Damaged", "Item Responsible for Spread of Fire",
    "Main action by Other Than FRS", "Main Action by FRS", "Special Service Type", "Road Traffic Collision",
    "False Alarm Reason", "Victims Involved?", "Were Alarm Systems Present?", "No. of fatalities",
    "No. of fire fatalities", "No. of injuries", "No. of rescues",
)
STUDY = DISTRICTS[0]

#: Incidents a year in the district of interest, 2023, 2024, 2025: the planted story is here.
#: Deliberate fires (deliberate secondary fires plus about a third of primary fires) rise ~45% in
#: 2025, all of the rise in DELIBERATE_FIRE_WARDS; primary fires stay level.
STUDY_COUNTS: dict[str, tuple[int, int, int]] = {
    "false alarm": (535, 528, 520),
    "primary fire": (124, 122, 125),
    "secondary fire, accidental": (58, 55, 57),
    "secondary fire, deliberate, hot spot": (104, 102, 200),
    "secondary fire, deliberate, elsewhere": (88, 86, 90),
    "chimney fire": (11, 9, 10),
    "RTC": (52, 48, 46),
    "other special service": (131, 128, 135),
}
KINDS = tuple(STUDY_COUNTS)
#: The other districts: the study district's 2023 levels scaled, each year within a few per cent.
OTHER_SCALE = {"Eastmere": 0.94, "Westford": 1.06}
YEAR_NOISE = 0.03
#: Adjacent wards of the study district where deliberate secondary fires concentrate (and rise).
DELIBERATE_FIRE_WARDS = ("Priory", "Riverside", "St Mary's")
DUPLICATED_ROWS = 3  # incidents written twice (the loader excludes the repeats)

#: Seasonality (amplitude, peak month) and hour-of-call profile per kind.
SEASON = {
    "false alarm": (0.05, 7), "primary fire": (0.08, 12), "secondary fire, accidental": (0.6, 7),
    "secondary fire, deliberate, hot spot": (0.55, 5), "secondary fire, deliberate, elsewhere": (0.55, 5),
    "chimney fire": (0.9, 1), "RTC": (0.1, 11), "other special service": (0.1, 1),
}
#: Dispersion of the monthly counts within a year (``months.split_year``): fires come in spells.
DISPERSION = {
    "false alarm": 1.3, "primary fire": 1.2, "secondary fire, accidental": 1.5,
    "secondary fire, deliberate, hot spot": 1.3, "secondary fire, deliberate, elsewhere": 1.3,
    "chimney fire": 1.0, "RTC": 1.0, "other special service": 1.2,
}
DAYTIME = (2, 1.5, 1.2, 1, 1, 1.2, 2, 3.5, 5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5, 4.5, 4, 3.5, 3.2, 3, 2.7, 2.3)
EVENING = (3, 2.5, 2, 1.5, 1, 0.7, 0.5, 0.5, 0.7, 1, 1.3, 1.7, 2.2, 2.8, 3.3, 4, 5, 6, 7, 7.5, 7, 6, 5, 4)
HOME = (2.5, 2.2, 2, 1.8, 1.5, 1.3, 1.5, 2, 2.5, 3, 3.2, 3.5, 3.8, 4, 4, 4.2, 4.6, 5.2, 5.6, 5.3, 4.8, 4.2, 3.6, 3)
FIRESIDE = (1, 0.8, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1, 1.5, 2, 2.2, 2.5, 2.8, 3.2, 4, 5, 6, 6.5, 6, 5, 4, 2.5, 1.5)
TRAFFIC = (0.8, 0.6, 0.5, 0.4, 0.4, 0.7, 1.6, 3.5, 5, 3.6, 3.2, 3.5, 3.8, 3.9, 4, 4.6, 5.4, 5.6, 4.4, 3.2, 2.4, 2,
           1.6, 1.2)
HOURS = {
    "false alarm": DAYTIME, "primary fire": HOME, "secondary fire, accidental": DAYTIME,
    "secondary fire, deliberate, hot spot": EVENING, "secondary fire, deliberate, elsewhere": EVENING,
    "chimney fire": FIRESIDE, "RTC": TRAFFIC, "other special service": DAYTIME,
}

# --- Vocabulary (values as the real export writes them) -----------------------------------------

DASH = "\u2013"
OTHERS, OWN, UNKNOWN = (f"Deliberate {DASH} others property", f"Deliberate {DASH} own property",
                        f"Deliberate {DASH} unknown owner")
#: Property types per property category: (type, weight) for fires and for other incidents.
PROPERTY_TYPES = {
    "Dwelling": (
        ("Building > Dwelling > House - single occupancy", 97),
        ("Building > Dwelling > Self contained Sheltered Housing", 40),
        ("Building > Dwelling > Purpose Built Flat/Maisonette - multiple occupancy > Up to 3 storeys", 53),
        ("Building > Dwelling > Converted Flat/Maisonette - multiple occupancy > 3 or more storeys", 27),
        ("Building > Dwelling > Bungalow - single occupancy", 26),
        ("Building > Dwelling > Purpose Built Flat/Maisonette - multiple occupancy > 4 to 9 storeys", 25),
        ("Building > Dwelling > Converted Flat/Maisonette - multiple occupancy > Up to 2 storeys", 23),
        ("Building > Dwelling > Purpose Built Flat/Maisonette - multiple occupancy > 10 or more storeys", 6),
    ),
    "OtherResidential": (
        ("Building > Other Residential > Residential Home > Nursing/Care", 5),
        ("Building > Other Residential > Other Residential Home", 5),
        ("Building > Other Residential > Hotel/motel", 5),
        ("Building > Other Residential > Sheltered Housing - not self contained", 4),
        ("Building > Other Residential > Student Hall of Residence", 2),
        ("Building > Other Residential > Hostel (e.g. for homeless people)", 2),
    ),
    "NonResidential": (
        ("Building > Non Residential > Hospitals and medical care > Hospital", 30),
        ("Building > Non Residential > Offices and call centres > Purpose built office", 20),
        ("Building > Non Residential > Education > Infant/primary school", 14),
        ("Building > Non Residential > Retail > Single shop", 13),
        ("Building > Non Residential > Offices and call centres > Converted office", 8),
        ("Building > Non Residential > Warehouses and bulk storage > Warehouse", 7),
        ("Building > Non Residential > Industrial Manufacturing > Factory", 5),
        ("Building > Non Residential > Education > Secondary school", 4),
        ("Building > Non Residential > Retail > Shopping Centre", 4),
    ),
    "RoadVehicle": (
        ("Road Vehicle > Car", 35), ("Road Vehicle > Motorcycle", 5), ("Road Vehicle > Lorry/HGV", 4),
        ("Road Vehicle > Van", 3), ("Road Vehicle > Caravan unspecified", 2), ("Road Vehicle > Bus/coach", 1),
    ),
    "Outdoor": (
        ("Outdoor > Grassland, woodland and crops > Grassland, pasture, grazing etc", 37),
        ("Outdoor > Other outdoors (including land) > Loose refuse (incl in garden)", 32),
        ("Outdoor > Grassland, woodland and crops > Tree scrub (includes single trees not in garden)", 20),
        ("Outdoor > Grassland, woodland and crops > Scrub land", 15),
        (("Outdoor > Grassland, woodland and crops > Private/Domestic garden/allotment (vegetation not "
          "equipment/building)"), 14),
        ("Outdoor > Grassland, woodland and crops > Hedge", 11),
        ("Outdoor > Grassland, woodland and crops > Roadside vegetation", 7),
        ("Outdoor > Other outdoors (including land) > Wasteland", 6),
        ("Outdoor > Other outdoors (including land) > Park", 5),
        ("Outdoor > Grassland, woodland and crops > Railway trackside vegetation", 4),
    ),
    "OutdoorStructure": (
        ("Outdoor > Outdoor structures > Small refuse/rubbish/recycle container (excluding wheelie bin)", 24),
        ("Outdoor > Outdoor structures > Fence", 6),
        ("Outdoor > Outdoor structures > Large refuse/rubbish container (e.g. skip)", 6),
        ("Outdoor > Outdoor structures > Refuse/rubbish tip", 5),
        ("Outdoor > Outdoor structures > Wheelie bin", 4),
        ("Outdoor > Outdoor structures > Outdoor storage", 2),
        ("Outdoor > Outdoor structures > Shelter", 1),
    ),
}
#: Non-residential buildings that burn are more often garages, sheds, pubs and barns.
NONRES_FIRE_TYPES = (
    ("Building > Non Residential > Private garage", 3), ("Building > Non Residential > Private Garden Shed", 3),
    ("Building > Non Residential > Food and Drink > Pub/wine bar/bar", 2),
    ("Building > Non Residential > Food and Drink > Other Restaurant/cafe - Not known if - licensed", 2),
    ("Building > Non Residential > Permanent Agricultural > Barn", 2),
    ("Building > Non Residential > Retail > Single shop", 2),
    ("Building > Non Residential > Industrial Manufacturing > Factory", 1),
    ("Building > Non Residential > Education > Secondary school", 1),
)
RTC_VEHICLES = (("Road Vehicle > Car", 61), ("Road Vehicle > Multiple Vehicles", 7), ("Road Vehicle > Motorcycle", 3),
                ("Road Vehicle > Van", 3), ("Road Vehicle > Lorry/HGV", 2), ("Road Vehicle > Bus/coach", 2))

#: Primary fires: property category weight, share deliberate, where they happen.
PRIMARY_PROPERTY = {
    "Dwelling": (43, 0.09), "NonResidential": (25, 0.30), "OtherResidential": (3, 0.0), "Outdoor": (6, 0.5),
    "OutdoorStructure": (7, 0.7), "RoadVehicle": (52, 0.5),
}
SECONDARY_PROPERTY = {"Outdoor": 158, "OutdoorStructure": 50}
#: Deliberate causes by owner: (others, unknown owner, own) weights for primary and secondary fires.
DELIBERATE_PRIMARY = {OTHERS: 0.6, UNKNOWN: 0.25, OWN: 0.15}
DELIBERATE_SECONDARY = {OTHERS: 0.5, UNKNOWN: 0.43, OWN: 0.07}
NOT_KNOWN_SHARE = 0.02  # of accidental fires, recorded as cause "Not known"
SECONDARY_DERELICT_SHARE = 0.03

#: Primary fire detail: (main cause, ignition source, ignition source powered, item first damaged).
ACCIDENTAL_DETAIL = {
    "home": (
        ("Accidental;  Cooking - other cooking", "Cooking appliance -> Cooker incl oven", "Electric",
         "Food -> Cooking oil or fat", 30),
        ("Accidental;  Cooking - chip pan/deep fat fryer", "Cooking appliance -> Ring/hot plate (separate appliance)",
         f"Gas {DASH} mains", "Food -> Cooking oil or fat", 8),
        ("Accidental;  Fault in equipment or appliance", "Other domestic style appliance -> Tumble dryer", "Electric",
         "Clothing/Textiles  -> Clothing", 10),
        ("Accidental;  Faulty fuel supplies - Electricity", "Electricity supply ->  Wiring, cabling, plugs", "Electric",
         f"Structural/Fixtures/Fitting s {DASH} Internal -> Wiring insulation", 10),
        ("Accidental;  Careless handling - due to careless disposal", "Smoking Related -> Smoking materials",
         "Not applicable", "Furniture/Furnishings - Bed/Mattress 12 Upholstered furniture", 8),
        ("Accidental;  Combustible articles too close to heat source (or fire)",
         "Naked flame -> Lighted paper or card, or other naked flame", "Not applicable",
         "Paper/Cardboard -> Paper/Cardboard", 6),
        ("Accidental;  Overheating, unknown cause", "Not known", "Not known", "Not known", 5),
    ),
    "vehicle": (
        ("Accidental;  Overheating, unknown cause", "Vehicles only -> Electrical fault", "Electric",
         f"Structural/Fixtures/Fitting s {DASH} Internal -> Wiring insulation", 10),
        ("Accidental;  Overheating, unknown cause", "Vehicles only -> Engine, fuel line or pump", "Not applicable",
         "Explosives, gas, chemicals -> Petrol/Oil products", 8),
        ("Accidental;  Fault in equipment or appliance", "Vehicles only -> Unknown", "Not known", "Not known", 6),
        ("Accidental;  Faulty fuel supplies - Petrol product", "Vehicles only -> Wheels or brakes", "Not applicable",
         f"Foam, rubber, plastic -> Plastic {DASH} raw material only", 2),
    ),
    "other": (
        ("Accidental;  Fault in equipment or appliance", "Electricity supply ->  Wiring, cabling, plugs", "Electric",
         f"Structural/Fixtures/Fitting s {DASH} Internal -> Wiring insulation", 8),
        ("Accidental;  Careless handling - due to careless disposal", "Smoking Related -> Smoking materials",
         "Not applicable", "Rubbish/Waste/Recycling -> Rubbish/Waste material", 8),
        ("Accidental;  Bonfire going out of control", "Naked flame -> Lighted paper or card, or other naked flame",
         "Not applicable", "Vegetation -> Straw/Stubble", 4),
        ("Accidental;  Natural occurrence", "Not known", "Not applicable", "Vegetation -> Straw/Stubble", 2),
        ("Accidental;  Overheating, unknown cause", "Not known", "Not known", "Not known", 4),
    ),
}
DELIBERATE_MAIN_CAUSE = {
    OTHERS: "Deliberate;  - others property: Heat source and combustibles brought together deliberately",
    UNKNOWN: "Deliberate;  - unknown owner: Heat source and combustibles brought together deliberately",
    OWN: f"Deliberate;  {DASH} own property: Heat source and combustibles brought together deliberately",
}
DELIBERATE_IGNITION = (("Smoking Related -> Cigarette lighter", "Not applicable", 8),
                       ("Matches and candles -> Matches", "Not applicable", 7),
                       ("Naked flame -> Lighted paper or card, or other naked flame", "Not applicable", 6),
                       ("Fuel/chemical related -> Liquids; petrol/oil related", "Not applicable", 3),
                       ("Not known", "Not known", 10))
DELIBERATE_ITEMS = (("Rubbish/Waste/Recycling -> Rubbish/Waste material", 9),
                    (f"Foam, rubber, plastic -> Plastic {DASH} raw material only", 6),
                    ("Furniture/Furnishings - Bed/Mattress 12 Upholstered furniture", 3),
                    ("Paper/Cardboard -> Paper/Cardboard", 3), ("Not known", 10))
ACTION_BY_OTHERS = (("None", 92), ("Water from bucket/container", 12), ("Fire extinguisher", 10),
                    ("Fuel supply disconnected", 7), ("Water from garden hose", 5), ("Smothering", 2))
ACTION_BY_FRS = (("None -> No firefighting", 35), (f"Small means -> Water {DASH} from bucket/containers", 6),
                 ("Small means -> Disconnection of fuel supply -> switched off", 5),
                 ("Small means -> Removal from/of heat source", 5),
                 ("Portable extinguishers -> C02 (carbon dioxide) -> mobile unit", 4),
                 ("None -> Burned out (Allowed to burn under control)", 2))
ACTION_BY_FRS_SHARE = 0.43
BUILDINGS = ("Dwelling", "OtherResidential", "NonResidential")

#: False alarm reasons: (reason, weight, property categories it goes with).
FALSE_ALARMS = (
    ("Fire alarm due to Apparatus > Unknown", 87, BUILDINGS),
    ("Fire alarm due to Apparatus > Human > Cooking/burnt toast", 65, ("Dwelling", "OtherResidential")),
    ("Fire alarm due to Apparatus > System: smoke alarm > Faulty", 52, BUILDINGS),
    ("Fire alarm due to Apparatus > Human > Accidentally/carelessly set off", 26, BUILDINGS),
    ("Fire alarm due to Apparatus > Human > Testing", 18, ("NonResidential",)),
    ("Fire alarm due to Apparatus > Contaminants > Dust", 16, BUILDINGS),
    ("Fire alarm due to Apparatus > System: other > Faulty", 16, ("NonResidential", "OtherResidential")),
    ("Fire alarm due to Apparatus > Contaminants > Steam", 7, ("Dwelling", "NonResidential")),
    ("Fire alarm due to Apparatus > Human > Smoking", 7, ("Dwelling", "OtherResidential")),
    ("Fire alarm due to Apparatus > External factors > Power surge", 4, ("NonResidential",)),
    ("Good Intent false alarm > Fire > Controlled burning", 45, ("Outdoor",)),
    ("Good Intent false alarm > Fire > Bonfire", 20, ("Outdoor",)),
    ("Good Intent false alarm > Fire > Other", 17, ("Dwelling", "Outdoor", "NonResidential")),
    ("Good Intent false alarm > Fire > Vehicle", 12, ("RoadVehicle",)),
    ("Good Intent false alarm > Fire > Reported incident/Location not found", 10, ("Outdoor",)),
    ("Good Intent false alarm > Fire > Other cooking", 9, ("Dwelling",)),
    ("Good Intent false alarm > Fire > BBQ", 5, ("Outdoor", "OutdoorStructure")),
    ("Good Intent false alarm > Special Service > Not required", 21, ("RoadVehicle", "Dwelling")),
    ("Malicious False Alarm > Activation of fire call point/alarm", 9, ("NonResidential",)),
    ("Malicious False Alarm > By phone", 6, ("Outdoor", "Dwelling")),
)
FALSE_ALARM_CATEGORY_WEIGHT = {"Dwelling": 223, "NonResidential": 175, "OtherResidential": 24, "Outdoor": 72,
                               "OutdoorStructure": 5, "RoadVehicle": 23}
ORIGINS = {
    "apparatus": (("AFA from call centre", 72), ("Person (land line)", 20), ("Person (mobile)", 5),
                  ("AFA from originator", 3)),
    "good intent": (("Person (mobile)", 50), ("Person (land line)", 35), ("Police", 12), ("Ambulance", 3)),
    "malicious": (("Person (land line)", 50), ("Person (mobile)", 30), ("AFA from call centre", 20)),
    "primary": (("Person (mobile)", 73), ("Person (land line)", 43), ("Police", 9), ("AFA from call centre", 9),
                ("Ambulance", 1), ("Other FRS", 1)),
    "secondary": (("Person (mobile)", 117), ("Person (land line)", 68), ("Police", 18), ("Other", 3),
                  ("Ambulance", 1)),
    "special": (("Person (land line)", 64), ("Person (mobile)", 62), ("Police", 47), ("Ambulance", 26),
                ("Person (running call)", 7), ("Other", 6)),
}
#: RTC special service types: (type, weight, people freed: rescues likely).
RTC_TYPES = (("RTC, Make vehicle safe", 19, False), ("RTC, Make scene safe", 14, False),
             ("RTC, Extrication of person/s", 10, True), ("RTC, Wash down road", 8, False),
             ("RTC, Stand by - no action", 5, False), ("RTC, Release of person/s", 3, True),
             ("RTC, Medical assistance only", 2, False), ("RTC, Advice only", 1, False))
#: Other special services: (type, weight, property category, property type, victims: "", "rescue" or "injury").
SPECIAL_TYPES = (
    ("No action (not false alarm), Service not required", 18, "Dwelling", "", ""),
    ("Flooding, Make safe", 10, "Dwelling", "", ""),
    ("Effecting entry/exit, For able bodied person not in distress", 9, "Dwelling", "", "rescue"),
    ("Spills and Leaks (not RTC), Vehicle leaking fuel", 9, "RoadVehicle", "Road Vehicle > Car", ""),
    ("Lift Release, For able bodied person not in distress", 9, "NonResidential",
     "Building > Non Residential > Retail > Shopping Centre", "rescue"),
    ("Assist other agencies, Assistance to other agencies", 8, "Dwelling", "", ""),
    ("Effecting entry/exit, For child", 7, "Dwelling", "", "rescue"),
    ("Removal of objects from people, Ring removal", 6, "NonResidential",
     "Building > Non Residential > Public admin, security and safety > Fire station", "injury"),
    ("Effecting entry/exit, For person in distress", 6, "Dwelling", "", "rescue"),
    ("Animal assistance incidents, Rescue from height, Domestic e.g. Cat, Dog, Rodents, Horse, Bird, etc.", 5,
     "Outdoor", "Outdoor > Grassland, woodland and crops > Tree scrub (includes single trees not in garden)", ""),
    ("Flooding, Advice only", 5, "Dwelling", "", ""),
    ("Making Safe (not RTC), Stabilise or otherwise make safe unsafe structure", 4, "OutdoorStructure",
     "Outdoor > Outdoor structures > Other outdoor structures", ""),
    ("Hazardous Materials incident, Class 2: Gases, No containment required", 4, "NonResidential",
     "Building > Non Residential > Warehouses and bulk storage > Warehouse", ""),
    ("Medical Incident - First responder, Other", 3, "Dwelling", "", "injury"),
    ("Effecting entry/exit, For medical case", 3, "Dwelling", "", "injury"),
    ("Animal assistance incidents, Trapped Animal, Wild e.g. Horse, Deer, Wildfowl, Game, Aquatic, Exotic, etc.", 2,
     "Outdoor", "Outdoor > Grassland, woodland and crops > Grassland, pasture, grazing etc", ""),
    (("Rescue or evacuation from water, Person in water or at immediate risk of entering water, Bank side, partly "
      "in or out of water."), 1, "Outdoor", "Outdoor > Other outdoors (including land) > River/canal", "rescue"),
    ("Advice Only, Other advice", 1, "Dwelling", "", ""),
)

#: Casualties per district and year (small numbers, as in a real district).
FATAL_FIRES_MEAN, INJURY_FIRES_MEAN, RESCUE_FIRES_MEAN = 0.45, 3.5, 2.0
MAX_FIRE_INJURIES = 9
RTC_FATAL_MEAN = 0.4


def generate(geo: Geography, rng: np.random.Generator) -> pd.DataFrame:
    """The export's rows (all text), in call order, with the planted repeats."""
    parts = []
    for district in DISTRICTS:
        counts = _counts(district, rng)
        for kind in KINDS:
            months = seasonal_months(rng, counts[kind], *SEASON[kind], DISPERSION[kind])
            rows = _describe(kind, len(months), rng)
            rows["month"] = months
            rows["date"] = dates_in_months(rng, months)
            rows["seconds"] = seconds_of_day(rng, len(months), HOURS[kind])
            rows["district"] = district.name
            parts.append(rows)
    incidents = pd.concat(parts, ignore_index=True)
    for district in DISTRICTS:
        _place(incidents, geo, district, rng)
    for district in DISTRICTS:
        for year in YEARS:
            _casualties(incidents, district.name, year, rng)
    incidents = incidents.sort_values(["date", "seconds"], kind="stable", ignore_index=True)
    incidents["Incident Number"] = _incident_numbers(incidents["date"].to_numpy(), rng)
    date = pd.DatetimeIndex(incidents["date"])
    incidents["Day"] = date.day.astype(str)
    incidents["Month"] = np.array(MONTH_NAMES, dtype=object)[date.month - 1]
    incidents["Year"] = date.year.astype(str)
    incidents["Time of Call"] = clock(incidents["seconds"].to_numpy(), with_seconds=True)
    table = incidents[list(COLUMNS)]
    repeat = np.sort(rng.choice(len(table), DUPLICATED_ROWS, replace=False))
    order = np.sort(np.concatenate([np.arange(len(table)), repeat]), kind="stable")
    return table.iloc[order].reset_index(drop=True)


def write(table: pd.DataFrame, out_dir: Path) -> None:
    path = out_dir / PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _counts(district: District, rng: np.random.Generator) -> dict[str, tuple[int, ...]]:
    if district is STUDY:
        return STUDY_COUNTS
    scale = OTHER_SCALE[district.name]
    return {kind: tuple(round(levels[0] * scale * np.exp(rng.normal(0, YEAR_NOISE))) for _ in YEARS)
            for kind, levels in STUDY_COUNTS.items()}


def _blank(n: int) -> dict[str, np.ndarray]:
    return {column: np.full(n, "", dtype=object) for column in COLUMNS}


def _types(rng: np.random.Generator, category: np.ndarray, fire: bool) -> np.ndarray:
    result = np.full(len(category), "", dtype=object)
    for name, options in PROPERTY_TYPES.items():
        if fire and name == "NonResidential":
            options = NONRES_FIRE_TYPES
        rows = np.flatnonzero(category == name)
        result[rows] = pick(rng, [o[0] for o in options], [o[1] for o in options], len(rows))
    return result


def _describe(kind: str, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """The incident's own columns (category, property, cause, detail), plus ``where`` for placing it."""
    col = _blank(n)
    col["Victims Involved?"][:] = "no"
    where = np.full(n, "residential", dtype=object)
    if kind == "false alarm":
        reason = rng.choice(len(FALSE_ALARMS), size=n, p=_share([r[1] for r in FALSE_ALARMS]))
        category = np.empty(n, dtype=object)
        for k, (_, _, allowed) in enumerate(FALSE_ALARMS):
            rows = np.flatnonzero(reason == k)
            category[rows] = pick(rng, allowed, [FALSE_ALARM_CATEGORY_WEIGHT[a] for a in allowed], len(rows))
        col["Incident Category"][:] = "False Alarm"
        col["False Alarm Reason"] = np.array([r[0] for r in FALSE_ALARMS], dtype=object)[reason]
        group = np.where(np.char.startswith(col["False Alarm Reason"].astype(str), "Fire alarm"), "apparatus",
                         np.where(np.char.startswith(col["False Alarm Reason"].astype(str), "Good"), "good intent",
                                  "malicious"))
        for name, origins in ORIGINS.items():
            rows = np.flatnonzero(group == name)
            col["Origin of Call"][rows] = pick(rng, *zip(*origins), len(rows))
        col["Property Category"] = category
        col["Property Type"] = _types(rng, category, fire=False)
        where = np.where(np.isin(category, ("NonResidential", "OtherResidential")), "central",
                         np.where(category == "Outdoor", "village", "residential")).astype(object)
    elif kind == "primary fire":
        names = list(PRIMARY_PROPERTY)
        category = pick(rng, names, [PRIMARY_PROPERTY[c][0] for c in names], n)
        deliberate = rng.random(n) < np.array([PRIMARY_PROPERTY[c][1] for c in category])
        _fire_columns(col, rng, category, deliberate, primary=True)
        where = np.select([np.isin(category, ("NonResidential",)),
                           np.isin(category, ("Outdoor", "OutdoorStructure")),
                           (category == "RoadVehicle") & deliberate],
                          ["central", "village", "deliberate vehicle"], "residential").astype(object)
    elif kind.startswith("secondary fire"):
        category = pick(rng, list(SECONDARY_PROPERTY), list(SECONDARY_PROPERTY.values()), n)
        deliberate = np.full(n, "deliberate" in kind)
        _fire_columns(col, rng, category, deliberate, primary=False)
        where[:] = {"secondary fire, accidental": "rural", "secondary fire, deliberate, hot spot": "hot spot",
                    "secondary fire, deliberate, elsewhere": "elsewhere"}[kind]
    elif kind == "chimney fire":
        category = np.full(n, "Dwelling", dtype=object)
        _fire_columns(col, rng, category, np.zeros(n, bool), primary=False)
        col["Property Type"] = pick(rng, ["Building > Dwelling > House - single occupancy",
                                          "Building > Dwelling > Bungalow - single occupancy"], [3, 1], n)
        col["Cause of Fire"][:] = "Accidental"
        col["Is Fire Confined to Chimney?"][:] = "yes"
        where[:] = "village"
    elif kind == "RTC":
        col["Incident Category"][:] = "Special Service"
        col["Origin of Call"] = pick(rng, *zip(*ORIGINS["special"]), n)
        col["Property Category"][:] = "RoadVehicle"
        col["Property Type"] = pick(rng, *zip(*RTC_VEHICLES), n)
        col["Special Service Type"] = pick(rng, [t[0] for t in RTC_TYPES], [t[1] for t in RTC_TYPES], n)
        col["Road Traffic Collision"][:] = "yes"
        where[:] = "road"
    else:
        col["Incident Category"][:] = "Special Service"
        col["Origin of Call"] = pick(rng, *zip(*ORIGINS["special"]), n)
        chosen = rng.choice(len(SPECIAL_TYPES), size=n, p=_share([t[1] for t in SPECIAL_TYPES]))
        col["Special Service Type"] = np.array([t[0] for t in SPECIAL_TYPES], dtype=object)[chosen]
        category = np.array([t[2] for t in SPECIAL_TYPES], dtype=object)[chosen]
        col["Property Category"] = category
        given = np.array([t[3] for t in SPECIAL_TYPES], dtype=object)[chosen]
        col["Property Type"] = np.where(given != "", given, _types(rng, category, fire=False))
        col["Road Traffic Collision"][:] = "no"
        where = np.where(category == "Dwelling", "residential", "central").astype(object)
    frame = pd.DataFrame(col)
    frame["kind"] = kind
    frame["where"] = where
    return frame


def _fire_columns(col: dict[str, np.ndarray], rng: np.random.Generator, category: np.ndarray,
                  deliberate: np.ndarray, *, primary: bool) -> None:
    n = len(category)
    col["Incident Category"][:] = "Fire"
    col["Origin of Call"] = pick(rng, *zip(*ORIGINS["primary" if primary else "secondary"]), n)
    col["Property Category"] = category
    col["Property Type"] = _types(rng, category, fire=True)
    col["Is Primary Fire"][:] = "yes" if primary else "no"
    owners = DELIBERATE_PRIMARY if primary else DELIBERATE_SECONDARY
    accidental = np.where(rng.random(n) < NOT_KNOWN_SHARE, "Not known", "Accidental")
    col["Cause of Fire"] = np.where(deliberate, pick(rng, list(owners), list(owners.values()), n),
                                    accidental).astype(object)
    derelict = (~np.full(n, primary)) & (rng.random(n) < SECONDARY_DERELICT_SHARE)
    col["Is Property Derelict?"] = np.where(derelict, "yes", "no").astype(object)
    col["Road Traffic Collision"][:] = "no"
    if not primary:
        return
    building = np.isin(category, BUILDINGS)
    col["Is Property Occupied at the Incident?"] = np.where(
        building, pick(rng, ["yes", "no"], [58, 13], n), "").astype(object)
    vacant = building & (col["Is Property Occupied at the Incident?"] == "no") & (rng.random(n) < 0.5)
    col["Property Normally Occupied?"] = np.where(
        building, np.where(vacant, "No - unoccupied permanently (vacant)", "Yes - occupied"), "").astype(object)
    col["Is Fire Confined to Chimney?"] = np.where(building, "no", "").astype(object)
    col["Were Alarm Systems Present?"] = np.where(
        building, pick(rng, ["yes", "no", "don't know"], [41, 28, 2], n), "").astype(object)
    col["How Fire Was Discovered?"] = np.where(
        building & (rng.random(n) < 0.15), "Automatic alarm system", "Person running call").astype(object)
    group = np.where(np.isin(category, ("Dwelling", "OtherResidential")), "home",
                     np.where(category == "RoadVehicle", "vehicle", "other"))
    detail = np.full((n, 4), "", dtype=object)
    for name, options in ACCIDENTAL_DETAIL.items():
        rows = np.flatnonzero((group == name) & ~deliberate)
        chosen = rng.choice(len(options), size=len(rows), p=_share([o[4] for o in options]))
        detail[rows] = np.array([o[:4] for o in options], dtype=object)[chosen]
    rows = np.flatnonzero(deliberate)
    owner = col["Cause of Fire"][rows]
    ignition = rng.choice(len(DELIBERATE_IGNITION), size=len(rows), p=_share([o[2] for o in DELIBERATE_IGNITION]))
    detail[rows, 0] = [DELIBERATE_MAIN_CAUSE[o] for o in owner]
    detail[rows, 1] = np.array([o[0] for o in DELIBERATE_IGNITION], dtype=object)[ignition]
    detail[rows, 2] = np.array([o[1] for o in DELIBERATE_IGNITION], dtype=object)[ignition]
    detail[rows, 3] = pick(rng, *zip(*DELIBERATE_ITEMS), len(rows))
    col["Main Cause of Fire"], col["Ignition Source"] = detail[:, 0], detail[:, 1]
    col["Ignition Source Powered"] = detail[:, 2]
    col["Item First Damaged"] = np.where(rng.random(n) < 0.97, detail[:, 3], "").astype(object)
    spread = np.where(rng.random(n) < 0.7, detail[:, 3], pick(rng, ["None", "Not known"], [15, 25], n))
    col["Item Responsible for Spread of Fire"] = np.where(rng.random(n) < 0.95, spread, "").astype(object)
    col["Main action by Other Than FRS"] = pick(rng, *zip(*ACTION_BY_OTHERS), n)
    col["Main Action by FRS"] = np.where(rng.random(n) < ACTION_BY_FRS_SHARE,
                                         pick(rng, *zip(*ACTION_BY_FRS), n), "").astype(object)


def _share(weights) -> np.ndarray:
    weights = np.asarray(weights, float)
    return weights / weights.sum()


def _place(incidents: pd.DataFrame, geo: Geography, district: District, rng: np.random.Generator) -> None:
    """Fill X/Y Coordinate, Unitary Authority and Ward for one district's incidents, by ``where``."""
    lsoas = district_lsoas(geo, district)
    x, y = lsoa_anchor(lsoas)
    kernel = town_kernel(x, y, district.towns)
    area = lsoas.geometry.area.to_numpy()
    area = area / area.mean()
    hot = lsoas["WD22NM"].isin(DELIBERATE_FIRE_WARDS).to_numpy() if district is STUDY else None
    weights = {
        "residential": np.ones(len(lsoas)),
        "central": 1 + 3 * kernel,
        "village": area**0.6,
        "rural": area,
        "hot spot": hot.astype(float) if hot is not None else 1 + kernel,
        "elsewhere": (1 + kernel) * ~hot if hot is not None else 1 + kernel,
        "deliberate vehicle": 1 + 2 * hot if hot is not None else 1 + kernel,
    }
    mine = incidents["district"].to_numpy() == district.name
    where = incidents["where"].to_numpy()
    region = shapely.union_all(lsoas.geometry.to_numpy())
    for name in (*weights, "road"):
        rows = np.flatnonzero(mine & (where == name))
        if not len(rows):
            continue
        if name == "road":
            points = roads.sample(rng, region, len(rows), town_pull=2.0, junction_pull=3.0)
            xy = points[["x", "y"]].to_numpy()
            lsoa = locate(lsoas, xy)
        else:
            xy, lsoa = points_in_lsoas(rng, lsoas, weights[name], len(rows))
        incidents.loc[rows, "X Coordinate"] = xy[:, 0].astype(int).astype(str)
        incidents.loc[rows, "Y Coordinate"] = xy[:, 1].astype(int).astype(str)
        incidents.loc[rows, "Ward"] = lsoas["WD22NM"].to_numpy()[lsoa].astype(str)
    incidents.loc[mine, "Ward"] = incidents.loc[mine, "Ward"].str.upper()
    incidents.loc[mine, "Unitary Authority"] = district.name


def _casualties(incidents: pd.DataFrame, district: str, year: int, rng: np.random.Generator) -> None:
    """Victims, injuries, fatalities and rescues for one district and year (small numbers)."""
    here = (incidents["district"].to_numpy() == district) & (pd.DatetimeIndex(incidents["date"]).year == year)
    kind = incidents["kind"].to_numpy()
    category = incidents["Property Category"].to_numpy()
    counts = {c: np.zeros(len(incidents), int) for c in ("fatalities", "fire fatalities", "injuries", "rescues")}
    victims = np.zeros(len(incidents), bool)

    primary = np.flatnonzero(here & (kind == "primary fire"))
    dwelling = primary[category[primary] == "Dwelling"]
    fatal = dwelling[rng.choice(len(dwelling), min(int(rng.poisson(FATAL_FIRES_MEAN)), 1), replace=False)]
    counts["fatalities"][fatal] = counts["fire fatalities"][fatal] = 1
    open_ = np.setdiff1d(primary, fatal)
    weight = np.select([category[open_] == "Dwelling", category[open_] == "OtherResidential"], [8.0, 4.0], 1.0)
    n_injury = int(np.clip(rng.poisson(INJURY_FIRES_MEAN), 1, 6))
    injured = open_[rng.choice(len(open_), n_injury, replace=False, p=weight / weight.sum())]
    people = rng.choice([1, 1, 1, 2, 2, 3], n_injury)
    while people.sum() > MAX_FIRE_INJURIES:
        people[np.argmax(people)] -= 1
    counts["injuries"][injured] = people
    spare = np.setdiff1d(dwelling, np.concatenate([fatal, injured]))
    rescued = spare[rng.choice(len(spare), min(int(rng.poisson(RESCUE_FIRES_MEAN)), len(spare)), replace=False)]
    counts["rescues"][rescued] = rng.choice([1, 1, 2], len(rescued))
    victims[np.concatenate([fatal, injured, rescued])] = True

    service = incidents["Special Service Type"].to_numpy()
    rtc = np.flatnonzero(here & (kind == "RTC"))
    freeing = np.isin(service[rtc], [t[0] for t in RTC_TYPES if t[2]])
    trapped = rtc[freeing]
    counts["rescues"][trapped] = rng.choice([1, 1, 1, 2], len(trapped))
    counts["injuries"][trapped] = rng.choice([0, 1, 1, 2], len(trapped))
    hurt = rtc[~freeing & np.isin(service[rtc], ["RTC, Make vehicle safe", "RTC, Make scene safe",
                                                 "RTC, Medical assistance only"]) & (rng.random(len(rtc)) < 0.35)]
    counts["injuries"][hurt] = rng.choice([1, 1, 2], len(hurt))
    if len(trapped):
        counts["fatalities"][trapped[rng.choice(len(trapped), min(int(rng.poisson(RTC_FATAL_MEAN)), 1),
                                               replace=False)]] = 1
    victims[trapped] = victims[hurt] = True

    other = np.flatnonzero(here & (kind == "other special service"))
    need = {t[0]: t[4] for t in SPECIAL_TYPES}
    need = np.array([need[s] for s in service[other]], dtype=object)
    rescue = other[(need == "rescue") & (rng.random(len(other)) < 0.6)]
    counts["rescues"][rescue] = 1
    injury = other[(need == "injury") & (rng.random(len(other)) < 0.6)]
    counts["injuries"][injury] = 1
    victims[rescue] = victims[injury] = True

    rows = np.flatnonzero(victims)
    incidents.loc[rows, "Victims Involved?"] = "yes"
    for column, name in (("No. of fatalities", "fatalities"), ("No. of fire fatalities", "fire fatalities"),
                         ("No. of injuries", "injuries"), ("No. of rescues", "rescues")):
        incidents.loc[rows, column] = counts[name][rows].astype(str)


def _incident_numbers(dates: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """"NNNNNN-DDMMYYYY": a running number restarting each January (with gaps), then the call date."""
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    number = np.empty(len(dates), dtype=int)
    for year in np.unique(years):
        rows = np.flatnonzero(years == year)
        number[rows] = rng.integers(1, 40) + np.cumsum(rng.geometric(0.7, len(rows)))
    text = pd.DatetimeIndex(dates).strftime("%d%m%Y").to_numpy()
    return np.char.add(np.char.add(np.char.zfill(number.astype(str), 6), "-"), text.astype(str)).astype(object)
