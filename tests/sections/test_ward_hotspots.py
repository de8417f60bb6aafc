"""Section 02 helpers on hand-made frames: which categories are tested, the sentences, the LSOA table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from csp_analysis.categories import ALL_CRIME, ASB
from csp_analysis.methods.hotspots import COLD, HOT, NOT_SIGNIFICANT, NOT_TESTED
from csp_analysis.sections.ward_hotspots import (
    district_counts,
    hotspot_sentence,
    significant_lsoas,
)


def test_district_counts_are_the_current_period_by_category():
    records = pd.DataFrame({"period": ["current"] * 4 + ["previous"] * 2,
                            "Crime type": ["Robbery", "Robbery", ASB, "Drugs", "Robbery", "Drugs"]})
    counts = district_counts(records)
    assert (counts["Robbery"], counts["Drugs"], counts[ASB], counts["Burglary"]) == (2, 1, 1, 0)
    assert counts[ALL_CRIME] == 3  # ASB is not crime
    assert len(counts) == 15


def test_hotspot_sentence_says_why_a_category_was_not_tested():
    untested = pd.DataFrame({"ward_name": ["Abbey", "Bridge"], "hotspot_class": [NOT_TESTED] * 2})
    assert hotspot_sentence(untested, "Robbery", 50) == ("Not tested for hot spots: fewer than 50 robbery records "
                                                          "in the district in the current period.")
    found = pd.DataFrame({"ward_name": ["Castle", "Abbey", "Bridge"], "hotspot_class": [HOT, HOT, COLD]})
    assert hotspot_sentence(found, ASB, 50) == ("Significant hot spot wards: Abbey, Castle; cold spot wards: "
                                                "Bridge.")
    none = untested.assign(hotspot_class=NOT_SIGNIFICANT)
    assert "No ward is a significant hot or cold spot of burglary" in hotspot_sentence(none, "Burglary", 50)


def test_significant_lsoas_hot_first_strongest_first_in_report_order():
    lsoa = pd.DataFrame({
        "lsoa_code": [f"E0{k}" for k in range(5)], "lsoa_name": [f"Town 00{k}A" for k in range(5)],
        "ward_name": ["Abbey"] * 5, "category": ["Drugs", "Drugs", "Drugs", ALL_CRIME, "Drugs"],
        "current": [3, 9, 0, 40, 1], "gi_neighbourhood": [20.0, 30, 1, 200, 5], "rate_per_1000": [2.04, 6.0, 0, 25, np.nan],
        "gi_z": [3.1, 4.2, -2.0, 5.0, 0.3], "gi_p_adjusted": [0.04, 0.0004, 0.03, 0.01, 0.9],
        "hotspot_class": [HOT, HOT, COLD, HOT, NOT_SIGNIFICANT]})
    table = significant_lsoas(lsoa)
    assert table["LSOA"].tolist() == ["Town 003A", "Town 001A", "Town 000A", "Town 002A"]
    assert table.columns[:2].tolist() == ["Category", "Class"]
    assert table["Adjusted p"].tolist() == ["0.010", "<0.001", "0.040", "0.030"]
    assert table["With neighbours"].tolist() == [200, 30, 20, 1] and table["Per 1,000 residents"].iloc[2] == 2.0
