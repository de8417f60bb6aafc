"""Harm weights: count-weighted ONS CSS means per police.uk category, non-crime defaults, the committed file."""

from __future__ import annotations

import logging
import math

import pandas as pd
import pytest

from csp_analysis.errors import ConfigError, InputDataError
from csp_analysis.methods import harm

WEIGHTS_HEADER = "ONS_COUNTS_category,ONS_COUNTS_description,ONS_COUNTS_code,ONS_SEVERITY_weight,POLICE_UK_CAT_MAP_category\n"
COUNTS_HEADER = "Financial_Year,Financial_Quarter,Force_Name,Offence_Description,Offence_Code,Number_of_Offences,Policeuk_Cat\n"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path):
    """Codes: 34A (weight 800) and 34B (weight 100) are Robbery; 46 (weight 12) is Shoplifting;
    49X has offences but no weight; 99Z has offences but no category anywhere; "4.1" and "4.10"
    are different codes (read as text, not numbers)."""
    weights = write(tmp_path / "weights.csv", WEIGHTS_HEADER + "\n".join([
        "robbery,Robbery of business property,34A,800,Robbery",
        "robbery,Robbery of personal property,34B,100,Robbery",
        "theft,Shoplifting,46,12,Shoplifting",
        "violence,Manslaughter,4.1,1000,Violence and Sexual Offences",
        "violence,Corporate manslaughter,4.10,2000,Violence and Sexual Offences",
        "misc,Something odd,99Z,50,",
    ]) + "\n")
    counts = write(tmp_path / "counts.csv", COUNTS_HEADER + "\n".join([
        "2017/18,1,Testshire,Robbery of business property,34A,1,Robbery",
        "2017/18,2,Testshire,Robbery of business property,34A,1,Robbery",   # 34A: 2 offences over 2 quarters
        "2017/18,1,Testshire,Robbery of personal property,34B,6,Robbery",
        "2017/18,1,Testshire,Shoplifting,46,40,Shoplifting",
        "2017/18,1,Testshire,Other theft with no weight,49X,5,Other Theft",
        "2017/18,1,Testshire,Corporate manslaughter,4.10,1,Violence and Sexual Offences",
        "2017/18,1,Testshire,Something odd,99Z,3,",
    ]) + "\n")
    return weights, counts


def test_count_weighted_mean_by_hand(tiny, caplog):
    weights, counts = tiny
    with caplog.at_level(logging.WARNING, logger="csp_analysis.methods.harm"):
        table = harm.category_weights(weights, counts).set_index("category")
    # Robbery: (2 x 800 + 6 x 100) / 8 = 2,200 / 8 = 275 -- not the simple mean of the codes (450).
    assert table.at["Robbery", "weight"] == pytest.approx(275.0)
    assert table.at["Robbery", "offences"] == 8 and table.at["Robbery", "offence_codes"] == 2
    assert table.at["Shoplifting", "weight"] == pytest.approx(12.0)
    # "4.10" is its own code (weight 2000), not "4.1" (1000): codes are text.
    assert table.at["Violence and sexual offences", "weight"] == pytest.approx(2000.0)
    # 49X has no weight: no weighted offences, so no weight, but its 5 offences are counted.
    assert math.isnan(table.at["Other theft", "weight"])
    assert table.at["Other theft", "offences_unweighted"] == 5
    assert table.at["Other theft", "method"] == harm.METHOD_NONE
    # Both kinds of unusable code are reported in the log.
    assert "49X" in caplog.text and "no weight" in caplog.text
    assert "99Z" in caplog.text and "no category" in caplog.text
    assert set(table.columns) >= {"weight", "offences", "source", "method", "offences_unweighted"}
    assert "Testshire 2017/18" in table.at["Robbery", "source"]


def test_code_table_reports_every_code(tiny):
    codes = harm.offence_code_table(*tiny).set_index("code")
    assert codes.at["34A", "offences"] == 2
    assert codes.at["49X", "status"] == "no weight"
    assert codes.at["99Z", "status"] == "no category" and codes.at["99Z", "offences"] == 3
    assert codes["offences"].sum() == 2 + 6 + 40 + 5 + 1 + 3  # nothing dropped


def test_rendered_file_counts_exclusions(tiny):
    text = harm.render_weights_csv(*tiny)
    assert "no ONS weight: 5 in 1 codes" in text
    assert "no police.uk category: 3 in 1 codes" in text
    assert "Robbery,275.0000,8,2,0," in text


def test_mapping_file_takes_precedence(tiny, tmp_path):
    weights, counts = tiny
    mapping = write(tmp_path / "map.csv", "Offence_Group,Offence_Code,Offence_Description,Offence_Subgroup,Police.uk_Cat\n"
                                           "Misc,99Z,Something odd,Misc,Other crime\n"
                                           "Robbery,34B,Robbery of personal property,Robbery,Theft from the Person\n")
    table = harm.category_weights(weights, counts, mapping_csv=mapping).set_index("category")
    assert table.at["Other crime", "weight"] == pytest.approx(50.0)  # 99Z now placed
    assert table.at["Robbery", "weight"] == pytest.approx(800.0)     # only 34A left in Robbery
    assert table.at["Theft from the person", "weight"] == pytest.approx(100.0)


def test_zero_local_offences_uses_unweighted_mean(tmp_path):
    weights = write(tmp_path / "w.csv", WEIGHTS_HEADER + "r,a,34A,800,Robbery\nr,b,34B,100,Robbery\n")
    counts = write(tmp_path / "c.csv", COUNTS_HEADER + "2017/18,1,T,a,34A,0,Robbery\n2017/18,1,T,b,34B,0,Robbery\n")
    row = harm.category_weights(weights, counts).iloc[0]
    assert row["weight"] == pytest.approx(450.0) and row["method"] == harm.METHOD_UNWEIGHTED


def test_unknown_category_names_file_and_column(tmp_path):
    weights = write(tmp_path / "w.csv", WEIGHTS_HEADER + "r,a,34A,800,Robbery\n")
    counts = write(tmp_path / "c.csv", COUNTS_HEADER + "2017/18,1,T,a,34A,3,Robbry\n")
    with pytest.raises(InputDataError, match=r"c\.csv.*column 'Policeuk_Cat'.*'Robbry'"):
        harm.category_weights(weights, counts)


def test_conflicting_weights_and_missing_columns_are_errors(tmp_path):
    weights = write(tmp_path / "w.csv", WEIGHTS_HEADER + "r,a,34A,800,Robbery\nr,a,34A,700,Robbery\n")
    counts = write(tmp_path / "c.csv", COUNTS_HEADER + "2017/18,1,T,a,34A,3,Robbery\n")
    with pytest.raises(InputDataError, match="more than one weight: 34A"):
        harm.category_weights(weights, counts)
    good = write(tmp_path / "g.csv", WEIGHTS_HEADER + "r,a,34A,800,Robbery\n")
    bad = write(tmp_path / "b.csv", "Offence_Code,Count\n34A,3\n")
    with pytest.raises(InputDataError, match="b.csv, column 'Number_of_Offences': the column is missing"):
        harm.category_weights(good, bad)


# --- The committed derived file ---------------------------------------------------------------------

def test_committed_weights_equal_recomputation(real_data):
    folder = real_data / "home-office"
    recomputed = harm.render_weights_csv(folder / "ons-crime-severity-weights.csv",
                                         folder / "prc-pfa-2017-18-hertfordshire.csv",
                                         mapping_csv=folder / "offence-code-to-police-uk-category.csv")
    assert harm.DEFAULT_WEIGHTS_FILE.read_text(encoding="utf-8") == recomputed


def test_committed_weights_read_back():
    table = harm.load_category_weights().set_index("category")
    assert table["offences"].sum() == 82_859  # every offence in the PRC table is in a category
    assert (table["offences_unweighted"] == 0).all()
    w = table["weight"]
    assert w["Robbery"] > w["Burglary"] > w["Violence and sexual offences"] > w["Shoplifting"]
    assert w["Robbery"] == pytest.approx(799.63, abs=0.01)  # both robbery codes share one ONS weight
    assert w["Shoplifting"] == pytest.approx(11.86, abs=0.01)  # a single code
    text = harm.weights_source()
    assert "2020 edition" in text and "Hertfordshire 2017/18" in text and harm.NON_CRIME_DEFAULTS_VERSION in text


# --- Issue weights: override, category, default, error ----------------------------------------------

CATEGORY_TABLE = pd.DataFrame({"category": ["Robbery", "Shoplifting"], "weight": [800.0, 12.0]})


@pytest.mark.parametrize("issue, category, expected, basis", [
    ("Robbery", "Robbery", 800.0, "ONS CSS"),
    ("Anti-social behaviour", "Anti-social behaviour", 7.0, "Anti-social behaviour"),
    ("Anti-social behaviour incidents reported to the CPT", None, 7.0, "Anti-social behaviour"),
    ("Deliberate Fires", None, 190.0, "Deliberate fires"),
    ("KSI casualties", None, 1000.0, "KSI"),
    ("Domestic Abuse referrals for assistance to outside agencies", None, 250.0, "Domestic abuse"),
    ("Safeguarding contacts made by the CPT", None, 140.0, "Safeguarding"),
    ("Fly-tipping", None, 5.0, "Fly-tipping"),
])
def test_issue_weight_rules(issue, category, expected, basis):
    weight, why = harm.issue_harm_weight(issue, category, "x", category_table=CATEGORY_TABLE)
    assert weight == expected and basis in why


def test_override_wins_and_unknown_issue_is_a_config_error():
    weight, why = harm.issue_harm_weight("robbery", "Robbery", "crime", category_table=CATEGORY_TABLE,
                                         overrides={"Robbery": 1000})
    assert weight == 1000 and why == "configured override"
    with pytest.raises(ConfigError, match=r"priorities\.harm_weights.*'Hate incidents'"):
        harm.issue_harm_weight("Hate incidents", None, "casework", category_table=CATEGORY_TABLE)


def test_defaults_table_documents_every_default():
    table = harm.non_crime_defaults_table()
    assert len(table) == len(harm.NON_CRIME_HARM_WEIGHTS) and table["analogue"].str.len().min() > 10


# --- The Crime Severity Score, worked by hand from the published weights -----------------------------

def test_crime_severity_score_worked_from_the_published_weights(real_data):
    folder = real_data / "home-office"
    published = pd.read_csv(folder / "ons-crime-severity-weights.csv", dtype=str).set_index("ONS_COUNTS_code")
    weight = published["ONS_SEVERITY_weight"].astype(float)
    # The published weights (days of custody equivalent) of the burglary codes with Hertfordshire offences.
    assert weight["28E"] == 465.3814732  # burglary residential (28F attempted, 28G distraction: the same)
    assert weight["28F"] == weight["28G"] == weight["28E"]
    assert weight["29A"] == 2288.669158  # aggravated burglary residential
    assert weight["30C"] == 123.0183965  # burglary business and community (30D attempted: the same)
    assert weight["30D"] == weight["30C"]

    # The CSS of a set of offences is the sum of their weights: 10 residential burglaries, 4 business
    # burglaries and 1 aggravated burglary score 4,653.814732 + 492.073586 + 2,288.669158 = 7,434.557476.
    offences = {"28E": 10, "30C": 4, "29A": 1}
    by_hand = 10 * 465.3814732 + 4 * 123.0183965 + 1 * 2288.669158
    assert by_hand == pytest.approx(7434.557476)
    css = harm.crime_severity([weight[c] for c in offences], list(offences.values()))
    assert css["css"].sum() == pytest.approx(by_hand) and css["css_per_1000"].isna().all()

    # police.uk has no offence codes, so burglary's weight is the mean over Hertfordshire's 2017/18 mix:
    # residential 4,099 + 962 + 42 = 5,103 offences, aggravated 45, business 1,614 + 339 = 1,953; 7,101 in all.
    # (5,103 x 465.3814732 + 45 x 2,288.669158 + 1,953 x 123.0183965) / 7,101
    #   = (2,374,841.658 + 102,990.112 + 240,254.928) / 7,101 = 2,718,086.698 / 7,101 = 382.7752
    mean = (5103 * 465.3814732 + 45 * 2288.669158 + 1953 * 123.0183965) / 7101
    assert mean == pytest.approx(382.7752, abs=1e-4)
    derived = harm.category_weights(folder / "ons-crime-severity-weights.csv",
                                    folder / "prc-pfa-2017-18-hertfordshire.csv",
                                    mapping_csv=folder / "offence-code-to-police-uk-category.csv").set_index("category")
    assert derived.at["Burglary", "weight"] == pytest.approx(mean)
    assert derived.at["Burglary", "offences"] == 7101

    # The CSS of St Albans' 208 burglaries (August 2021 to January 2022) at that weight, and per 1,000 of
    # its 140,664 residents: 208 x 382.7752 = 79,617.2; 79,617.2 / 140.664 = 566.0.
    st_albans = harm.crime_severity([derived.at["Burglary", "weight"]], [208], population=140_664)
    assert st_albans["css"].iloc[0] == pytest.approx(79_617.2, abs=0.1)
    assert st_albans["css_per_1000"].iloc[0] == pytest.approx(566.0, abs=0.05)
