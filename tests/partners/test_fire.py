"""Fire and rescue: Home Office definitions on hand-made records, the loader, the summary tables,
and the real Avon July 2014 export checked against counts made here with the csv module."""

import csv
import math
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml
from scipy import stats

from csp_analysis.config.mapping import SourceMapping
from csp_analysis.errors import ConfigError, InputDataError
from csp_analysis.partners import fire_rules as fd
from csp_analysis.partners.fire import (
    fire_monthly_counts,
    fire_summary,
    load_fire_incidents,
)
from csp_analysis.periods import Period, comparison_period

ROOT = Path(__file__).resolve().parents[2]
REAL_DATA = Path(os.environ.get("CSP_REAL_DATA_DIR", ROOT / ".." / "shared" / "data")).resolve()
AVON = REAL_DATA / "fire" / "avon-fire-rescue-incidents-2014-07.csv"


def record(**fields):
    """One canonical incident: an accidental fire, no flags, nobody hurt, unless overridden."""
    base = dict(incident_category="fire", is_primary_fire=pd.NA, property_class=pd.NA, is_chimney=False,
                is_derelict=False, appliances=float("nan"), injuries=0, fatalities=0, rescues=0,
                fire_fatalities=pd.NA, is_rtc=False, cause_recorded="accidental")
    return base | fields


def frame(*records):
    data = pd.DataFrame(list(records))
    return data.astype({"is_primary_fire": "boolean", "property_class": "str", "appliances": "float64",
                        "rescues": "Int64", "fire_fatalities": "Int64", "cause_recorded": "str"})


# --- Home Office definitions --------------------------------------------------------------------

@pytest.mark.parametrize("fields, expected", [
    # the export's own flag wins where given
    (dict(is_primary_fire=True, property_class="outdoor"), "primary"),
    (dict(is_primary_fire=False, property_class="building"), "secondary"),
    (dict(is_primary_fire=False, is_chimney=True), "chimney"),
    (dict(is_primary_fire=True, is_chimney=True), "primary"),
    # otherwise derived: buildings, vehicles and outdoor structures are primary ...
    (dict(property_class="building"), "primary"),
    (dict(property_class="vehicle"), "primary"),
    (dict(property_class="outdoor structure"), "primary"),
    # ... other outdoor fires secondary, unless casualties, rescues or 5+ appliances
    (dict(property_class="outdoor"), "secondary"),
    (dict(property_class="other"), "secondary"),
    (dict(property_class="outdoor", injuries=1), "primary"),
    (dict(property_class="outdoor", fatalities=1), "primary"),
    (dict(property_class="outdoor", rescues=2), "primary"),
    (dict(property_class="outdoor", appliances=5.0), "primary"),
    (dict(property_class="outdoor", appliances=4.0), "secondary"),
    # derelict buildings and vehicles are secondary unless someone is hurt or rescued
    (dict(property_class="building", is_derelict=True), "secondary"),
    (dict(property_class="vehicle", is_derelict=True), "secondary"),
    (dict(property_class="building", is_derelict=True, injuries=1), "primary"),
    (dict(property_class="outdoor structure", is_derelict=True), "primary"),
    # chimney fires are neither, unless they involve casualties, rescues or 5+ appliances
    (dict(property_class="building", is_chimney=True), "chimney"),
    (dict(property_class="building", is_chimney=True, injuries=1), "primary"),
    (dict(property_class="building", is_chimney=True, appliances=6.0), "primary"),
    # not fires at all
    (dict(incident_category="false alarm", property_class="building"), "not a fire"),
    (dict(incident_category="special service", is_primary_fire=True), "not a fire"),
])
def test_fire_type(fields, expected):
    assert fd.fire_type(frame(record(**fields))).tolist() == [expected]


@pytest.mark.parametrize("fields, expected", [
    (dict(cause_recorded="deliberate"), "deliberate"),
    (dict(cause_recorded="suspected deliberate"), "deliberate"),
    (dict(cause_recorded="accidental"), "accidental"),
    (dict(cause_recorded="not known"), "accidental"),
    (dict(cause_recorded=pd.NA), "accidental"),
    (dict(incident_category="false alarm", cause_recorded="deliberate"), None),
])
def test_cause(fields, expected):
    result = fd.cause(frame(record(**fields))).iloc[0]
    assert (pd.isna(result) if expected is None else result == expected)


def test_line_values_count_people_at_fires_only_and_attended_rtcs():
    incidents = frame(
        record(property_class="building", injuries=2, fatalities=1, fire_fatalities=1, cause_recorded="deliberate"),
        record(property_class="vehicle", injuries=1, fatalities=1),  # no fire-fatality column value: falls back
        record(property_class="outdoor", fatalities=1, fire_fatalities=0),  # died at a fire, not of it: primary
        record(property_class="outdoor"),
        record(incident_category="special service", is_rtc=True, injuries=3, fatalities=1),
        record(incident_category="special service", is_rtc=False),
        record(incident_category="false alarm", is_rtc=True),
    )
    incidents["fire_type"] = fd.fire_type(incidents)
    incidents["cause"] = fd.cause(incidents)
    totals = fd.line_values(incidents).sum()
    assert totals.to_dict() == {"Deliberate fires": 1, "Primary fires": 3, "Secondary fires": 1,
                                "Fire injuries": 3, "Fire fatalities": 2, "RTCs attended": 1}


# --- Loader on a hand-made export ---------------------------------------------------------------

EXPORT = """\
Date,Ref,Category,Primary,Cause,Chimney,RTC,Injured,Died,Ward
01/03/2021,F1,Fire,Y,Deliberate,,N,0,0,Abbey
02/03/2021,F2,Fire,N,Accidental,N,N,,,Abbey
02/03/2021,F3,Fire,N,Not known,Y,N,0,0,Park
03/03/2021,F4,Special,,,,Y,1,0,Park
03/03/2021,F4,Special,,,,Y,1,0,Park
31/02/2021,F6,Fire,Y,Accidental,,N,1,0,Abbey
04/03/2021,F7,Alarm,,,,N,,,
"""

MAPPING = {
    "path": "fire.csv",
    "columns": {"incident_id": "Ref", "incident_category": "Category", "is_primary_fire": "Primary",
                "cause": "Cause", "is_chimney": "Chimney", "is_rtc": "RTC", "injuries": "Injured",
                "fatalities": "Died", "ward_name": "Ward"},
    "values": {"incident_category": {"Fire": "fire", "Alarm": "false alarm", "Special": "special service"},
               "is_primary_fire": {"Y": True, "N": False}, "is_chimney": {"Y": True, "N": False},
               "is_rtc": {"Y": True, "N": False},
               "cause": {"Deliberate": "deliberate", "Accidental": "accidental", "Not known": "not known"}},
    "date": {"columns": "Date", "format": "%d/%m/%Y"},
}


def test_load_fire_incidents_from_a_small_export(tmp_path):
    path = tmp_path / "fire.csv"
    path.write_text(EXPORT)
    incidents, excluded = load_fire_incidents(path, SourceMapping.model_validate(MAPPING))
    assert incidents["incident_id"].tolist() == ["F1", "F2", "F3", "F4", "F7"]
    assert excluded.to_dict("index") == {6: {"reason": "duplicate incident_id", "value": "F4"},
                                         7: {"reason": "unparseable date", "value": "31/02/2021"}}
    assert incidents["fire_type"].tolist() == ["primary", "secondary", "chimney", "not a fire", "not a fire"]
    assert incidents["cause"].tolist()[:3] == ["deliberate", "accidental", "accidental"]
    assert incidents["injuries"].tolist() == [0, 0, 0, 1, 0]  # blanks are nobody
    assert incidents["is_rtc"].tolist() == [False, False, False, True, False]
    assert incidents["ward_name"].isna().tolist() == [False, False, False, False, True]


def test_loader_refuses_incomplete_or_untyped_mappings(tmp_path):
    path = tmp_path / "fire.csv"
    path.write_text(EXPORT)
    no_rtc = {**MAPPING, "columns": {k: v for k, v in MAPPING["columns"].items() if k != "is_rtc"},
              "values": {k: v for k, v in MAPPING["values"].items() if k != "is_rtc"}}
    with pytest.raises(ConfigError, match=r"must name \['is_rtc'\]"):
        load_fire_incidents(path, SourceMapping.model_validate(no_rtc))
    untyped = {**MAPPING, "values": {k: v for k, v in MAPPING["values"].items() if k != "is_rtc"}}
    with pytest.raises(ConfigError, match="values.is_rtc must map"):
        load_fire_incidents(path, SourceMapping.model_validate(untyped))
    path.write_text(EXPORT.replace("Deliberate", "Arson"))
    with pytest.raises(InputDataError, match=r"row 2, column 'Cause'.*'Arson'"):
        load_fire_incidents(path, SourceMapping.model_validate(MAPPING))
    path.write_text(EXPORT.replace("Accidental,N,N,,", "Accidental,N,N,one,"))
    with pytest.raises(InputDataError, match=r"row 3, column 'Injured'.*'one'"):
        load_fire_incidents(path, SourceMapping.model_validate(MAPPING))


# --- Summary, monthly and ward tables -----------------------------------------------------------

YEAR_2019, YEAR_2020 = Period.from_strings("2019-01", "2019-12"), Period.from_strings("2020-01", "2020-12")


def dated(day, ward, **fields):
    return record(date=pd.Timestamp(day), ward_name=ward, **fields)


@pytest.fixture
def two_years():
    rows = [
        # previous year (2019): area Abbey has 2 deliberate primary fires; county adds 1 more and an RTC
        dated("2019-01-10", "Abbey", property_class="building", cause_recorded="deliberate", injuries=1),
        dated("2019-06-10", "Abbey", property_class="outdoor", cause_recorded="deliberate"),
        dated("2019-12-31", "Park", property_class="building"),
        dated("2019-03-01", "Park", incident_category="special service", is_rtc=True),
        # current year (2020): area 2 deliberate (Equal), 1 primary; county adds 3 outdoor fires
        dated("2020-02-01", "Abbey", property_class="vehicle", cause_recorded="suspected deliberate", injuries=1),
        dated("2020-07-01", "Abbey", property_class="outdoor", cause_recorded="deliberate"),
        dated("2020-08-01", "Park", property_class="outdoor"),
        dated("2020-09-01", "Park", property_class="outdoor"),
        dated("2020-12-31", "Park", property_class="outdoor"),
    ]
    incidents = frame(*rows)
    incidents["fire_type"] = fd.fire_type(incidents)
    incidents["cause"] = fd.cause(incidents)
    return incidents


def test_fire_summary_compares_area_and_county(two_years):
    county = two_years
    area = county[county["ward_name"].eq("Abbey")]
    table = fire_summary(area, county, YEAR_2019, YEAR_2020, area_name="Abbey", county_name="Shire")
    rows = table.set_index(["geography", "line"])
    assert rows.loc[("Abbey", "Deliberate fires"), ["previous", "current"]].tolist() == [2, 2]
    assert rows.loc[("Abbey", "Deliberate fires"), "change_display"] == "Equal"
    assert rows.loc[("Abbey", "Deliberate fires"), "pct_change_display"] == "Equal"
    assert rows.loc[("Abbey", "Primary fires"), ["previous", "current", "change_display",
                                                 "pct_change_display"]].tolist() == [1, 1, "Equal", "Equal"]
    assert rows.loc[("Shire", "Secondary fires"), ["previous", "current", "change_display",
                                                   "pct_change_display"]].tolist() == [1, 4, "+3", "+300.0%"]
    assert rows.loc[("Shire", "RTCs attended"), ["previous", "current", "pct_change_display"]].tolist() == [1, 0,
                                                                                                           "-100.0%"]
    assert rows.loc[("Shire", "Fire injuries"), ["previous", "current"]].tolist() == [1, 1]
    # Secondary fires in Shire, 2019 against 2020, the same months: Jun 2019 1; Jul, Aug, Sep, Dec 2020 1 each.
    # Each calendar month has its own level; equal days in each pair, so RR = 4 / 1 and pi = 4/5. The five
    # months with fires give X2 = (0 - 0.8)^2 / 0.16 + 4 x (1 - 0.8)^2 / 0.16 = 4 + 1 = 5 on 5 - 1 = 4 df:
    # phi = 1.25 > 1, quasi-Poisson; se = sqrt(1.25 (1/1 + 1/4)) = 1.25, t = log 4 / 1.25 on 4 df.
    secondary = rows.loc[("Shire", "Secondary fires")]
    assert secondary["test"] == "quasi-Poisson (same months)"
    assert secondary["dispersion"] == pytest.approx(1.25) and secondary["rate_ratio"] == pytest.approx(4.0)
    assert secondary["p_value"] == pytest.approx(2 * stats.t.sf(math.log(4) / 1.25, 4))
    assert table["comparison_available"].all()
    # 2020 holds the lockdown months of the default analysis.abnormal_months: the message names them
    assert table.attrs["message"].startswith("Abnormal months: the current period (Jan 2020 to Dec 2020) includes "
                                             "Mar 2020, Apr 2020, May 2020, Jun 2020 and Nov 2020")
    assert (table["abnormal_months"] == "2020-03 2020-04 2020-05 2020-06 2020-11").all()
    assert not table["different_seasons"].any()  # a year against the year before
    # one family per geography: the district's lines are not adjusted with the county's
    assert table.groupby("geography")["family"].unique().map(list).to_dict() == {
        "Abbey": ["Abbey fire lines"], "Shire": ["Shire fire lines"]}
    assert len(table) == 12


def test_fire_summary_without_a_comparison_period_shows_current_figures(two_years):
    current_only = two_years[two_years["date"].dt.year.eq(2020)]
    table = fire_summary(current_only, current_only, YEAR_2019, YEAR_2020)
    assert not table["comparison_available"].any()
    assert table["previous"].isna().all() and table["change_display"].eq("").all()
    assert table.set_index(["geography", "line"]).loc[("County", "Secondary fires"), "current"] == 4
    assert table.attrs["message"].startswith("No comparison")
    no_period = fire_summary(current_only, current_only, None, YEAR_2020)
    assert not no_period["comparison_available"].any()


def test_monthly_counts(two_years):
    monthly = fire_monthly_counts(two_years, YEAR_2020)
    assert len(monthly) == 12
    assert monthly["Secondary fires"].tolist() == [0] * 6 + [1, 1, 1, 0, 0, 1]


# --- The real Avon export -----------------------------------------------------------------------

def avon_rows():
    if not AVON.is_file():
        pytest.fail(f"real data not found at {AVON} (set CSP_REAL_DATA_DIR)")
    with AVON.open(encoding="cp1252", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def avon():
    avon_rows()
    block = yaml.safe_load((ROOT / "config" / "examples" / "avon-fire.yml").read_text(encoding="utf-8"))["fire"]
    mapping = SourceMapping.parse(block, "fire")
    return load_fire_incidents(REAL_DATA / mapping.path, mapping)


@pytest.mark.realdata
def test_avon_counts_match_the_raw_file(avon):
    rows = avon_rows()
    fires = [r for r in rows if r["Incident Category"] == "Fire"]
    incidents, excluded = avon
    assert excluded.empty and len(incidents) == len(rows) == 1084
    by_category = {}
    for r in rows:
        by_category[r["Incident Category"].lower()] = by_category.get(r["Incident Category"].lower(), 0) + 1
    assert incidents["incident_category"].value_counts().to_dict() == by_category
    assert by_category == {"fire": 344, "false alarm": 523, "special service": 217}
    # the export flags every fire as primary or not, and no fire as confined to a chimney
    primary = sum(r["Is Primary Fire"] == "yes" for r in fires)
    secondary = sum(r["Is Primary Fire"] == "no" and r["Is Fire Confined to Chimney?"] != "yes" for r in fires)
    deliberate = sum(r["Cause of Fire"].startswith("Deliberate") for r in fires)
    injuries = sum(int(r["No. of injuries"] or 0) for r in fires)
    rtcs = sum(r["Incident Category"] == "Special Service" and r["Road Traffic Collision"] == "yes" for r in rows)
    assert (primary, secondary, deliberate, injuries, rtcs) == (136, 208, 208, 18, 63)
    assert incidents["fire_type"].value_counts().to_dict() == {"not a fire": 740, "primary": primary,
                                                                "secondary": secondary}
    assert incidents["cause"].value_counts().to_dict() == {"deliberate": deliberate,
                                                            "accidental": len(fires) - deliberate}


@pytest.mark.realdata
def test_avon_summary_has_no_comparison_period_and_shows_current_figures(avon):
    rows = avon_rows()
    incidents = avon.data
    bristol = incidents[incidents["district"].eq("Bristol")]
    july = Period.from_strings("2014-07", "2014-07")
    table = fire_summary(bristol, incidents, comparison_period(july, "previous-year"), july,
                         area_name="Bristol", county_name="Avon")
    assert not table["comparison_available"].any() and table["previous"].isna().all()
    assert table.attrs["message"].startswith("No comparison: the data hold no records for 2013-07 of the")
    current = table.set_index(["geography", "line"])["current"]
    bristol_fires = [r for r in rows if r["Incident Category"] == "Fire" and r["Unitary Authority"] == "BRISTOL"]
    assert current[("Bristol", "Deliberate fires")] == sum(r["Cause of Fire"].startswith("Deliberate")
                                                           for r in bristol_fires)
    assert current[("Bristol", "Primary fires")] == sum(r["Is Primary Fire"] == "yes" for r in bristol_fires)
    assert current[("Avon", "Primary fires")] == 136 and current[("Avon", "Fire fatalities")] == 0
    monthly = fire_monthly_counts(incidents)
    assert monthly.index.tolist() == ["2014-07"] and monthly["RTCs attended"].iloc[0] == 63


def test_fire_summary_compares_without_a_county(two_years):
    # No county records: whether the comparison period is covered is judged on the area's own dates
    table = fire_summary(two_years, two_years.iloc[0:0], YEAR_2019, YEAR_2020, area_name="Area")
    area = table[table["geography"] == "Area"]
    assert area["comparison_available"].all()
    assert area.set_index("line").loc["Secondary fires", "current"] == 4
