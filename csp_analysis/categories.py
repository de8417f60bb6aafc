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

#: The police.uk API's category slugs (``/api/crimes-street``) and the archive's crime types they
#: stand for. The API's ``all-crime`` is a query, never a record's category.
API_CATEGORY_SLUGS: dict[str, str] = {
    "anti-social-behaviour": "Anti-social behaviour",
    "bicycle-theft": "Bicycle theft",
    "burglary": "Burglary",
    "criminal-damage-arson": "Criminal damage and arson",
    "drugs": "Drugs",
    "other-crime": "Other crime",
    "other-theft": "Other theft",
    "possession-of-weapons": "Possession of weapons",
    "public-order": "Public order",
    "robbery": "Robbery",
    "shoplifting": "Shoplifting",
    "theft-from-the-person": "Theft from the person",
    "vehicle-crime": "Vehicle crime",
    "violent-crime": "Violence and sexual offences",
}
