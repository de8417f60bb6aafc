"""police.uk category and outcome vocabularies."""

from __future__ import annotations

ASB = "Anti-social behaviour"
ALL_CRIME = "All crime (excluding ASB)"

#: The 14 street-level categories police.uk has published since May 2013.
POLICE_UK_CATEGORIES: tuple[str, ...] = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)

#: Categories used before May 2013; periods using them cannot be compared with later ones.
PRE_2013_CATEGORIES: tuple[str, ...] = ("Violent crime", "Public disorder and weapons")

CRIME_CATEGORIES: tuple[str, ...] = tuple(c for c in POLICE_UK_CATEGORIES if c != ASB)
