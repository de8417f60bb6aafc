"""The ranking of a county's districts by rate per 1,000, on three hand-made districts."""

import pandas as pd

from csp_analysis.categories import ALL_CRIME, ASB
from csp_analysis.periods import Period
from csp_analysis.report.charts import ranking_small_multiples
from csp_analysis.sections import district_ranking as dr


def test_three_districts_ranked_by_rate_worked_by_hand():
    rows = ([("2021-03", "Alpha 001A", "Burglary")] * 10 + [("2021-03", "Alpha 001A", ASB)] * 4
            + [("2021-03", "Beta 001A", "Burglary")] * 30 + [("2021-01", "Beta 001A", "Burglary")] * 99
            + [("2021-04", "Gamma 001A", "Burglary")] * 5 + [("2021-04", "Gamma 002A", "Drugs")] * 5)
    records = pd.DataFrame(rows, columns=["Month", "LSOA name", "Crime type"]).assign(**{"LSOA code": ""})
    population = pd.DataFrame({"lsoa_code": ["A1", "B1", "G1", "G2"],
                               "lsoa_name": ["Alpha 001A", "Beta 001A", "Gamma 001A", "Gamma 002A"],
                               "population": [2000.0, 10000.0, 1000.0, 1000.0]})
    table = dr.district_rates(records, population, ["Alpha", "Beta", "Gamma"],
                              Period.from_strings("2021-03", "2021-04"),
                              [ALL_CRIME, ASB, "Burglary"]).set_index(["district", "category"])
    # burglary per 1,000: Alpha 10/2,000 = 5.0, Beta 30/10,000 = 3.0 (January outside), Gamma 5/2,000 = 2.5
    assert table.loc[("Alpha", "Burglary"), "rate_per_1000"] == 5.0
    assert table.loc[("Beta", "Burglary"), "rate_per_1000"] == 3.0
    assert table.loc[("Gamma", "Burglary"), "rate_per_1000"] == 2.5
    assert [table.loc[(d, "Burglary"), "rank"] for d in ("Alpha", "Beta", "Gamma")] == [1, 2, 3]
    # all crime excludes ASB: Alpha 10 (5.0), Beta 30 (3.0), Gamma 10 (5.0): Alpha and Gamma share 1st
    assert [table.loc[(d, ALL_CRIME), "rank"] for d in ("Alpha", "Beta", "Gamma")] == [1, 3, 1]
    assert table.loc[("Alpha", ASB), "count"] == 4 and table.loc[("Beta", ASB), "rank"] == 2
    flat = table.reset_index()
    assert dr.rank_sentence(flat, ["Beta"], "Beta", "Shire").startswith(
        "Of the 3 districts of Shire (1 = highest rate), Beta ranks: All crime (excluding ASB) 3rd (3.00 per 1,000)")
    shown = dr.for_display(flat)
    assert shown["District"].tolist()[-1] == "Beta"  # lowest all-crime rate last
    assert shown.set_index("District").loc["Gamma", "Burglary per 1,000 (rank)"] == "2.50 (3rd)"
    figure = ranking_small_multiples(flat, ["Beta"], ncols=2)
    panel = figure.axes[0]
    highlighted = [bar for bar in panel.patches if bar.get_facecolor()[:3] != (0.7, 0.7, 0.7)]
    assert len(highlighted) == 1 and highlighted[0].get_width() == 3.0


def test_the_page_says_why_the_ranking_is_not_shown():
    from types import SimpleNamespace

    from csp_analysis.config.assessment import Selection

    def ctx(county, area=("Beta",), population=True):
        config = SimpleNamespace(county=county, area=Selection(name="Beta", lsoa_name_prefixes=list(area)))
        return SimpleNamespace(settings=SimpleNamespace(has_police_data=True), config=config, area="Beta",
                               data=SimpleNamespace(lsoa_population=pd.DataFrame() if population else None))

    shire = Selection(name="Shire", lsoa_name_prefixes=["Alpha", "Beta", "Gamma"])
    assert dr.unavailable(ctx(shire)) is None
    assert "not given as a list of its districts" in dr.unavailable(ctx(Selection(name="Shire", whole_force=True)))
    assert "not given by district prefixes of Shire" in dr.unavailable(ctx(shire, area=("Delta",)))
    assert "No population file" in dr.unavailable(ctx(shire, population=False))


def test_national_rate_counts_english_and_welsh_lsoas_only():
    counts = pd.DataFrame({"LSOA code": ["E01000001", "W01000002", "", "S01000003", "E01000001"],
                           "Crime type": ["Burglary", "Burglary", "Burglary", "Burglary", ASB],
                           "count": [30, 10, 99, 50, 8]})
    population = pd.DataFrame({"lsoa_code": ["E01000001", "W01000002", "S01000003"], "lsoa_name": ["a", "b", "c"],
                               "population": [15000.0, 5000.0, 7000.0]})
    nation = dr.national_rates(counts, population, [ALL_CRIME, ASB, "Burglary"]).set_index("category")
    # burglary: 30 + 10 (no location and Scotland left out) per 20,000 residents = 2.0 per 1,000; ASB 8: 0.4
    assert nation.loc["Burglary", "rate_per_1000"] == 2.0 and nation.loc[ALL_CRIME, "count"] == 40
    assert nation.loc[ASB, "rate_per_1000"] == 0.4
    districts = pd.DataFrame({"district": ["Alpha"] * 3, "category": [ALL_CRIME, ASB, "Burglary"], "count": [4, 1, 4],
                              "population": [2000.0] * 3, "rate_per_1000": [2.0, 0.5, 2.0], "rank": [1, 1, 1],
                              "districts": 1})
    shown = dr.for_display(districts, nation.reset_index()).set_index("District")
    assert shown.index.tolist() == ["Alpha", dr.NATIONAL]
    assert shown.loc[dr.NATIONAL, "Burglary per 1,000 (rank)"] == "2.00"
    assert shown.loc[dr.NATIONAL, "Residents"] == "20,000"
    figure = ranking_small_multiples(districts, ["Alpha"], reference=nation["rate_per_1000"])
    assert [line.get_xdata()[0] for line in figure.axes[2].lines if line.get_gid() == "reference"] == [2.0]
