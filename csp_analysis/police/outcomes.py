"""Grouping police.uk outcome types, and the latest outcome of each crime."""

from __future__ import annotations

import pandas as pd

NO_OUTCOME = "No outcome recorded yet"
OTHER = "Other outcome"

#: police.uk outcome types grouped as analysts report them; unlisted types fall to "Other outcome".
OUTCOME_GROUPS: dict[str, str] = {
    **dict.fromkeys([
        "Suspect charged", "Suspect charged as part of another case", "Awaiting court outcome",
        "Court result unavailable", "Offender sent to prison", "Offender given suspended prison sentence",
        "Offender given community sentence", "Offender fined", "Offender given conditional discharge",
        "Offender given absolute discharge", "Offender ordered to pay compensation",
        "Offender deprived of property", "Offender otherwise dealt with", "Defendant found not guilty",
        "Defendant sent to Crown Court", "Court case unable to proceed",
    ], "Charged or summonsed"),
    **dict.fromkeys([
        "Offender given a caution", "Local resolution", "Offender given a drugs possession warning",
        "Offender given penalty notice", "Penalty notice issued",
    ], "Out-of-court disposal"),
    "Investigation complete; no suspect identified": "No suspect identified",
    "Unable to prosecute suspect": "Unable to prosecute",
    **dict.fromkeys([
        "Formal action is not in the public interest", "Further action is not in the public interest",
        "Further investigation is not in the public interest",
    ], "Not in the public interest"),
    "Action to be taken by another organisation": "Passed to another organisation",
    **dict.fromkeys(["Under investigation", "Status update unavailable"], "Under investigation"),
}


def latest_outcomes(outcomes: pd.DataFrame) -> pd.Series:
    """The latest outcome type of each Crime ID (by outcome month; file order breaks ties)."""
    ordered = outcomes[outcomes["Crime ID"] != ""].sort_values("Month", kind="stable")
    return ordered.groupby("Crime ID", sort=False)["Outcome type"].last()


def outcome_shares(crime_ids: pd.Series, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Count and share of crimes by outcome group; crimes with no outcome row are their own group."""
    latest = latest_outcomes(outcomes)
    types = crime_ids.map(latest)
    groups = types.map(lambda t: NO_OUTCOME if pd.isna(t) else OUTCOME_GROUPS.get(t, OTHER))
    counts = groups.value_counts().rename_axis("outcome_group").rename("crimes")
    table = counts.reset_index()
    table["share_pct"] = (100 * table["crimes"] / table["crimes"].sum()).round(1)
    return table.sort_values(["crimes", "outcome_group"], ascending=[False, True], ignore_index=True)
