"""Home Office fire statistics definitions, encoded once and applied to canonical incidents.

| term | rule here |
|---|---|
| fire | ``incident_category == "fire"`` (not false alarms, not special services) |
| primary fire | the export's own primary flag where given; otherwise a fire with casualties (injuries or fatalities) or rescues or 5+ appliances, or a non-chimney fire in a building, vehicle or outdoor structure, except derelict buildings and vehicles |
| chimney fire | a fire confined to the chimney that is not primary; counted in neither primary nor secondary |
| secondary fire | any other fire |
| deliberate fire | a fire whose recorded cause is "deliberate" or "suspected deliberate" |
| accidental fire | any other fire, including cause "not known" and cause not recorded |
| fire injuries | non-fatal casualties at fires, as the export counts them (the Home Office headline counts only those needing hospital treatment: check what the export includes) |
| fire fatalities | the export's fire-fatality column where present, else all fatalities at fires |
| RTC attended | a special service incident flagged as a road traffic collision |

Sources: Home Office, *Fire statistics definitions* (Incident Recording System), and DOMAIN.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

INCIDENT_CATEGORIES = ("fire", "false alarm", "special service")
FIRE_TYPES = ("primary", "secondary", "chimney", "not a fire")
CAUSES_RECORDED = ("accidental", "deliberate", "suspected deliberate", "not known")
CAUSES = ("accidental", "deliberate")
DELIBERATE_CAUSES = frozenset({"deliberate", "suspected deliberate"})
PROPERTY_CLASSES = ("building", "vehicle", "outdoor structure", "outdoor", "other")
PRIMARY_PROPERTY_CLASSES = frozenset({"building", "vehicle", "outdoor structure"})
DERELICT_EXCEPTION_CLASSES = frozenset({"building", "vehicle"})
PRIMARY_MIN_APPLIANCES = 5


def fire_type(incidents: pd.DataFrame) -> pd.Series:
    """Primary, secondary, chimney or "not a fire" for each incident (see the module table)."""
    is_fire = incidents["incident_category"].eq("fire")
    chimney = incidents["is_chimney"].fillna(False).astype(bool)
    property_class = incidents["property_class"]
    derelict = incidents["is_derelict"].fillna(False).astype(bool) & property_class.isin(DERELICT_EXCEPTION_CLASSES)
    serious = (
        (incidents["injuries"] + incidents["fatalities"] > 0)
        | incidents["rescues"].fillna(0).gt(0)
        | incidents["appliances"].fillna(0).ge(PRIMARY_MIN_APPLIANCES)
    )
    derived = serious | (~chimney & property_class.isin(PRIMARY_PROPERTY_CLASSES) & ~derelict)
    primary = incidents["is_primary_fire"].astype("boolean").fillna(derived).astype(bool)
    kind = np.select([~is_fire, primary, chimney], ["not a fire", "primary", "chimney"], "secondary")
    return pd.Series(kind, index=incidents.index, dtype="str", name="fire_type")


def cause(incidents: pd.DataFrame) -> pd.Series:
    """Deliberate or accidental for fires (not known or unrecorded counts as accidental); missing otherwise."""
    grouped = np.where(incidents["cause_recorded"].isin(DELIBERATE_CAUSES), "deliberate", "accidental")
    result = pd.Series(grouped, index=incidents.index, dtype="str", name="cause")
    return result.where(incidents["incident_category"].eq("fire"))


def line_values(incidents: pd.DataFrame) -> pd.DataFrame:
    """Each incident's contribution to each summary line, in report order (0/1 for incidents, else people).

    Needs the derived ``fire_type`` and ``cause`` columns (as ``load_fire_incidents`` adds them).
    """
    is_fire = incidents["incident_category"].eq("fire")
    fire_fatalities = incidents["fire_fatalities"].astype("Int64").fillna(incidents["fatalities"])
    values = {
        "Deliberate fires": is_fire & incidents["cause"].eq("deliberate"),
        "Primary fires": incidents["fire_type"].eq("primary"),
        "Secondary fires": incidents["fire_type"].eq("secondary"),
        "Fire injuries": incidents["injuries"].where(is_fire, 0),
        "Fire fatalities": fire_fatalities.where(is_fire, 0),
        "RTCs attended": incidents["incident_category"].eq("special service") & incidents["is_rtc"],
    }
    return pd.DataFrame({line: pd.Series(v).astype("int64") for line, v in values.items()}, index=incidents.index)
