"""Invented place, ward and street names for the synthetic Demoshire districts."""

from __future__ import annotations

#: Ward names per district: first the wards holding each town centre (in town order),
#: then the others from the main town outwards.
WARD_NAMES: dict[str, tuple[str, ...]] = {
    "Northbridge": (
        "Market", "Kingsholt", "Abbey", "Castle Hill", "Riverside", "St Mary's", "Priory",
        "Brookfield", "Millbrook", "Northbridge Park", "Fenwick", "Hollins Green", "Ashby Heath",
        "Thornley, Oldacre and Cole Green",
    ),
    "Eastmere": (
        "Eastmere Town", "Minster", "Lakeside", "Mere Green", "Chantry", "Southfields", "Northgate",
        "Hawthorn", "Orchard Vale", "Elmcote", "Sedgecombe", "Upper Wyle", "Stowbury",
        "Wexley, Dunham and Fold",
    ),
    "Westford": (
        "Westford Central", "Ford End", "Mill Race", "Westgate", "Hillside", "Beacon", "Cherry Tree",
        "Greenacre", "Foxley", "Langhurst", "Oakmoor", "Sutton Marsh", "Radwell and Tilbrook",
    ),
}

STREET_STEMS: tuple[str, ...] = (
    "Abbey", "Albert", "Alder", "Ash", "Beech", "Bell", "Bridge", "Brook", "Castle", "Cedar", "Chapel",
    "Church", "Cross", "Elm", "Farm", "Field", "Forge", "Green", "Grove", "Hall", "Hawthorn", "Hazel",
    "Hill", "Holly", "King's", "Lime", "Manor", "Maple", "Meadow", "Mill", "Nelson", "New", "Oak",
    "Orchard", "Park", "Priory", "Queen's", "Rectory", "School", "Spring", "Station", "Tanners",
    "Victoria", "Water", "Well", "Willow", "Windmill", "York",
)
STREET_SUFFIXES: tuple[str, ...] = (
    "Road", "Street", "Lane", "Close", "Avenue", "Way", "Drive", "Crescent", "Gardens", "Place",
    "Court", "Rise", "View", "Walk",
)

#: police.uk-style points of interest (the most frequent "On or near" values in real force files).
TOWN_CENTRE_PLACES: tuple[str, ...] = (
    "Shopping Area", "Supermarket", "Nightclub", "Parking Area", "Bus/Coach Station",
    "Theatre/Concert Hall", "High Street", "Pedestrian Subway",
)
OTHER_PLACES: tuple[str, ...] = (
    "Parking Area", "Supermarket", "Petrol Station", "Sports/Recreation Area", "Park/Open Space",
)
