"""police.uk API downloads: ``/api/crimes-street`` answers saved as JSON, one file per month.

Files are named like the archive's, ``YYYY-MM/YYYY-MM-<name>-street.json``, and read into the
same frame as :func:`csp_analysis.police.archive.read_street`, so every later step is shared:

- ``category`` slugs become the archive's crime types (:data:`~csp_analysis.categories.API_CATEGORY_SLUGS`;
  an unknown slug is an error naming the file and the record);
- ``persistent_id`` is the Crime ID (empty for ASB, as in the archive), ``month`` the Month,
  ``location.latitude``/``longitude`` the point, ``location.street.name`` the Location,
  ``outcome_status.category`` the last outcome, ``location_type`` (``Force`` or ``BTP``) is kept
  as "Falls within";
- the API gives no LSOA: such records are selected by a boundary polygon (``area.boundary``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from csp_analysis.categories import API_CATEGORY_SLUGS
from csp_analysis.errors import InputDataError

_STREET_USED = ("Crime ID", "Month", "Falls within", "Longitude", "Latitude", "Location",
                "LSOA code", "LSOA name", "Crime type", "Last outcome category")


def _text(value) -> str:
    return "" if value is None else str(value)


def read_api_file(path: Path) -> pd.DataFrame:
    """One API answer as archive-style rows (all columns text, as the archive reader's are)."""
    try:
        records = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputDataError(path, f"cannot be read as a police.uk API answer (JSON): {exc}") from None
    if not isinstance(records, list):
        raise InputDataError(path, "is not a police.uk API answer: expected a JSON list of records")
    rows = []
    for number, record in enumerate(records, start=1):
        try:
            category = record["category"]
            location = record.get("location") or {}
            outcome = record.get("outcome_status") or {}
            rows.append((_text(record.get("persistent_id")), _text(record["month"]),
                         _text(record.get("location_type")), _text(location.get("longitude")),
                         _text(location.get("latitude")), _text((location.get("street") or {}).get("name")), "", "",
                         category, _text(outcome.get("category"))))
        except (KeyError, TypeError, AttributeError):
            raise InputDataError(path, f"record {number} is not a police.uk API crime record (it needs category "
                                       "and month)") from None
    frame = pd.DataFrame(rows, columns=list(_STREET_USED), dtype=str)
    unknown = sorted(set(frame["Crime type"]) - set(API_CATEGORY_SLUGS))
    if unknown:
        first = int(frame["Crime type"].isin(unknown).to_numpy().argmax()) + 1
        raise InputDataError(path, f"record {first}: unknown police.uk API category {', '.join(map(repr, unknown))} "
                                   f"(known: {', '.join(API_CATEGORY_SLUGS)})", column="category")
    frame["Crime type"] = frame["Crime type"].map(API_CATEGORY_SLUGS)
    return frame
