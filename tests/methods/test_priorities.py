"""Priority scoring: hand-worked totals, RAG boundaries, ties, the Monte Carlo stability, what drives
a difference, what moves a priority, narrative, errors.

The fixtures give every issue a Crime Severity Score (count x harm weight) that is a power of ten,
so with the default span of 3 decades every harm score is a simple fraction: the largest CSS scores 5
and each tenfold less 5/3 fewer points.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from csp_analysis.config import priorities as scoring_config
from csp_analysis.errors import ConfigError, InputDataError
from csp_analysis.methods import priorities as pr
from csp_analysis.methods.harm import load_category_weights
from csp_analysis.report import charts, priority_text, risk_matrix

COLUMNS = ["issue", "family", "police_uk_category", "previous", "current", "pct_change", "significant", "direction"]


def issues_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


HAND = issues_frame([
    ("Alpha", "crime", None, 800, 1000, 25.0, True, 1),
    ("Bravo", "casework", None, 90, 100, 11.1, False, 1),
    ("Charlie", "fire", None, 12, 10, -16.7, False, -1),
    ("Delta", "road safety", None, None, 1, None, False, 0),
    ("Echo", "crime", None, 1, 1, 0.0, False, 0),
])
HAND_SCORING = scoring_config.PriorityScoring(
    harm_weights={"Alpha": 10, "Bravo": 10, "Charlie": 10, "Delta": 1000, "Echo": 5},
    issues={"Bravo": {"public_concern": 4, "organisational_position": 4}, "Charlie": {"confidence": 1}},
)
# Default weights: trend 1, public concern 1, organisational position 0.2, confidence 0.2; span 3 decades.
# CSS = count x weight: Alpha 10,000 (the largest), Bravo 1,000, Charlie 100, Delta 1,000, Echo 5.
# harm = 5 - (5/3) log10(10,000 / CSS): Alpha 5, Bravo 10/3, Charlie 5/3, Delta 10/3,
#        Echo 5 - (5/3) x 3.301 = -0.50 -> 0 (less than a thousandth of the largest harm).
#
# Alpha:   T = 5 (significant rise); C = 3;  P = (5 + 3)/2 = 4;  M = 1;    total = 5 x 4 = 20.00, red
# Bravo:   T = 2 (a rise of 11% that is not significant scores as stable); C = 4; P = 3;
#          M = 1 + 0.2 x (4 - 3)/2 = 1.1;                total = 10/3 x 3 x 1.1 = 11.00, amber
# Charlie: T = 2 (a fall that is not significant); C = 3; P = 2.5; confidence 1: M = 1 + 0.2 x (1 - 3)/2 = 0.8
#                                                         total = 5/3 x 2.5 x 0.8 = 3.33, green
# Delta:   T = 2 (no previous figure); P = 2.5;  M = 1;   total = 10/3 x 2.5 = 8.33, amber
# Echo:    T = 2 (no change);          P = 2.5;           total = 0, green
EXPECTED = {  # issue: (css, harm, trend, pressure, modifier, total, rank, rag)
    "Alpha": (10_000, 5, 5, 4, 1.0, 20.0, 1, "red"),
    "Bravo": (1000, 10 / 3, 2, 3, 1.1, 11.0, 2, "amber"),
    "Delta": (1000, 10 / 3, 2, 2.5, 1.0, 8.33, 3, "amber"),
    "Charlie": (100, 5 / 3, 2, 2.5, 0.8, 3.33, 4, "green"),
    "Echo": (5, 0, 2, 2.5, 1.0, 0.0, 5, "green"),
}


def test_hand_worked_scores():
    scored = pr.score(HAND, HAND_SCORING, population=50_000).set_index("issue")
    for issue, (css, harm, trend, pressure, modifier, total, rank, rag) in EXPECTED.items():
        row = scored.loc[issue]
        assert row["css"] == pytest.approx(css)
        assert row["css_per_1000"] == pytest.approx(css / 50)  # 1,000 x CSS / 50,000 residents
        assert row["harm"] == pytest.approx(harm)
        assert row["trend"] == pytest.approx(trend)
        assert row["pressure"] == pytest.approx(pressure)
        assert row["modifier"] == pytest.approx(modifier)
        assert row["total"] == pytest.approx(total, abs=1e-9)
        assert (row["rank"], row["rag"]) == (rank, rag)
    assert list(pr.score(HAND, HAND_SCORING).columns) == list(pr.SCORE_COLUMNS)
    assert pr.score(HAND, HAND_SCORING)["css_per_1000"].isna().all()  # no population, no rate
    assert scored.at["Bravo", "harm_basis"] == "configured override"


def test_harm_scale_depends_only_on_ratios_of_harm():
    # Doubling every count doubles every CSS: the largest still scores 5 and the rest keep their scores.
    doubled = HAND.assign(current=HAND["current"] * 2)
    assert pr.score(doubled, HAND_SCORING)["harm"].tolist() == pytest.approx(pr.score(HAND, HAND_SCORING)["harm"].tolist())
    # A span of 2 decades: each tenfold less harm costs 2.5 points; Charlie (a hundredth) scores 0.
    wide = HAND_SCORING.model_copy(update={"harm_span_decades": 2.0})
    assert pr.score(HAND, wide).set_index("issue")["harm"].to_dict() == pytest.approx(
        {"Alpha": 5, "Bravo": 2.5, "Delta": 2.5, "Charlie": 0, "Echo": 0})


def test_non_significant_changes_can_be_scored_by_direction():
    by_direction = HAND_SCORING.model_copy(update={"trend_points": scoring_config.TrendPoints(rise=3, fall=1)})
    scored = pr.score(HAND, by_direction).set_index("issue")
    # Bravo +11.1% (beyond the 5% band): 3; Charlie -16.7%: 1; Echo unchanged: 2; Delta no previous figure: 2
    assert scored["trend"].to_dict() == {"Alpha": 5, "Bravo": 3, "Charlie": 1, "Delta": 2, "Echo": 2}


def test_rag_boundaries():
    t = scoring_config.RagThresholds(red=12, amber=8)
    assert [pr.rag_for(x, t) for x in (12.0, 11.99, 8.0, 7.99, 0.0)] == ["red", "amber", "amber", "green", "green"]
    # Through score(): a total exactly on a threshold takes the higher RAG (totals are rounded first).
    on = HAND_SCORING.model_copy(update={"thresholds": scoring_config.RagThresholds(red=11, amber=8.33)})
    scored = pr.score(HAND, on).set_index("issue")
    assert scored.at["Bravo", "rag"] == "red" and scored.at["Delta", "rag"] == "amber"
    above = HAND_SCORING.model_copy(update={"thresholds": scoring_config.RagThresholds(red=11.01, amber=8.34)})
    scored = pr.score(HAND, above).set_index("issue")
    assert scored.at["Bravo", "rag"] == "amber" and scored.at["Delta", "rag"] == "green"


def test_ties_broken_by_css_then_name():
    # Yankee: CSS 1,000 (harm 10/3), public concern 4 -> pressure 3, total 10.00.
    # Zulu and able: CSS 10,000 (harm 5), public concern 2 -> pressure 2, total 10.00.
    tied = issues_frame([
        ("Yankee", "crime", None, 100, 100, 0.0, False, 0),
        ("Zulu", "crime", None, 1000, 1000, 0.0, False, 0),
        ("able", "crime", None, 1000, 1000, 0.0, False, 0),
    ])
    scoring = scoring_config.PriorityScoring(
        harm_weights={"Yankee": 10, "Zulu": 10, "able": 10},
        issues={"Yankee": {"public_concern": 4}, "Zulu": {"public_concern": 2}, "able": {"public_concern": 2}})
    scored = pr.score(tied, scoring)
    assert scored["total"].tolist() == [10.0, 10.0, 10.0]
    assert scored["issue"].tolist() == ["able", "Zulu", "Yankee"]  # CSS 10,000 first; then names ignoring case
    assert scored["rank"].tolist() == [1, 2, 3]


# --- The Monte Carlo stability --------------------------------------------------------------------

# Four issues with the same CSS (harm 5 each), so the harm span cannot matter, and neutral ratings, so
# neither modifier weight can. P (significant rise, public concern 1) against Q (stable, concern 4):
#   P = 5 (5 wt + 1 wc) / (wt + wc),  Q = 5 (2 wt + 4 wc) / (wt + wc);  P > Q exactly when wt > wc.
# wt and wc are 1 x U(0.5, 1.5), independent and identically distributed, so P ranks above Q in half
# the draws. R (stable, concern 2) has pressure 2 whatever the weights: total 10 in every draw; red is
# 12 x U(0.8, 1.2) = U(9.6, 14.4), so R is red in (10 - 9.6) / 4.8 = 1/12 of the draws. S (significant
# fall, concern 1): pressure between 0.5 and 1, total at most 5, always last.
MC = issues_frame([
    ("P", "crime", None, 50, 100, 100.0, True, 1),
    ("Q", "crime", None, 100, 100, 0.0, False, 0),
    ("R", "crime", None, 100, 100, 0.0, False, 0),
    ("S", "crime", None, 200, 100, -50.0, True, -1),
])
MC_SCORING = scoring_config.PriorityScoring(
    harm_weights={"P": 10, "Q": 10, "R": 10, "S": 10},
    issues={"P": {"public_concern": 1}, "Q": {"public_concern": 4}, "R": {"public_concern": 2},
            "S": {"public_concern": 1}},
    sensitivity={"draws": 2000, "top_n": 1})


def test_stability_shares_match_the_hand_worked_probabilities():
    # Base: P = 5 x 3 = 15.00 and Q = 5 x 3 = 15.00 tie; equal CSS, so P ranks first by name.
    stability = pr.stability(MC, MC_SCORING, seed=2024).set_index("issue")
    assert list(stability.columns) == list(pr.STABILITY_COLUMNS)[1:]
    assert stability["rank"].to_dict() == {"P": 1, "Q": 2, "R": 3, "S": 4}
    # Shares from 2,000 draws: within three binomial standard errors of the worked probabilities.
    for issue, share in (("P", 0.5), ("Q", 0.5)):
        assert abs(stability.at[issue, "top_share"] - share) < 3 * math.sqrt(share * (1 - share) / 2000)
    assert stability.at["P", "top_share"] + stability.at["Q", "top_share"] == 1.0
    assert abs(stability.at["R", "red_share"] - 1 / 12) < 3 * math.sqrt(1 / 12 * 11 / 12 / 2000)
    assert (stability.at["R", "rank_min"], stability.at["R", "rank_max"]) == (3, 3)
    assert (stability.at["S", "rank_min"], stability.at["S", "rank_max"], stability.at["S", "red_share"]) == (4, 4, 0)
    assert (stability.at["P", "rank_min"], stability.at["P", "rank_max"]) == (1, 2)


def test_stability_drops_what_cannot_change_anything_and_says_why():
    meta = pr.stability(MC, MC_SCORING, seed=1).attrs["stability"]
    assert set(meta["varied"]) == {"trend", "public_concern", "red"}
    assert set(meta["dropped"]) == {"organisational_position", "confidence", "harm_span_decades", "amber"}
    assert "neutral rating 3" in meta["dropped"]["confidence"]
    assert "same Crime Severity Score" in meta["dropped"]["harm_span_decades"]
    assert (meta["draws"], meta["seed"], meta["top_n"]) == (2000, 1, 1)
    # A rating away from 3 brings its weight back in; a weight of 0 is dropped whatever the ratings.
    rated = MC_SCORING.model_copy(update={
        "issues": {**MC_SCORING.issues, "Q": scoring_config.IssueInputs(public_concern=4, confidence=5)},
        "weights": scoring_config.ComponentWeights(organisational_position=0)})
    meta = pr.stability(MC, rated, seed=1).attrs["stability"]
    assert "confidence" in meta["varied"] and "weight 0" in meta["dropped"]["organisational_position"]
    # With one pressure weight at 0, pressure is the other component whatever either weight is.
    one = MC_SCORING.model_copy(update={"weights": scoring_config.ComponentWeights(public_concern=0)})
    assert {"trend", "public_concern"} <= set(pr.stability(MC, one, seed=1).attrs["stability"]["dropped"])


def test_stability_is_reproducible_under_a_seed():
    first = pr.stability(HAND, HAND_SCORING, seed=7)
    again = pr.stability(HAND, HAND_SCORING, seed=7)
    pd.testing.assert_frame_equal(first, again)
    assert first.attrs == again.attrs
    other = pr.stability(MC, MC_SCORING, seed=8)
    assert not other.equals(pr.stability(MC, MC_SCORING, seed=9))  # P's share depends on the draws
    # The base ranks are those of score().
    assert first["issue"].tolist() == pr.score(HAND, HAND_SCORING)["issue"].tolist()
    assert first["rank"].tolist() == [1, 2, 3, 4, 5]


def test_stability_chart():
    stability = pr.stability(MC, MC_SCORING, seed=2024)
    figure = charts.rank_stability_chart(stability, title="t")
    assert isinstance(figure, Figure)
    labels = [t.get_text() for t in figure.findobj(lambda a: a.get_gid() == "stability_label")]
    p = stability.set_index("issue").loc["P"]
    assert labels[0] == f"top 1: {p['top_share']:.0%}   red: {p['red_share']:.0%}" and len(labels) == 4
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["P", "Q", "R", "S"]


# --- What drives a difference: the cause sentences -------------------------------------------------

# By count the top 3 are Big (1,000), Many (500) and Steady (200). Rising has 100 offences of weight 10
# and Steady 200 of weight 5: the same CSS, 1,000, so the same harm (10/3). Rising's significant rise
# (trend 5, pressure 4) against Steady's stable trend (2, pressure 2.5) is all that puts it above:
# totals 13.33 and 8.33. Rare (10 offences of weight 1,000: CSS 10,000, harm 5, stable: 12.50) comes in
# on its severity: against Many (500 offences of weight 2: CSS 1,000, harm 10/3, 8.33) it has a fiftieth
# of the offences, so severity (a factor of 500) is what lifts it; likewise against Steady (200 of weight 5).
CAUSES = issues_frame([
    ("Big", "crime", None, 1000, 1000, 0.0, False, 0),
    ("Many", "crime", None, 500, 500, 0.0, False, 0),
    ("Steady", "crime", None, 200, 200, 0.0, False, 0),
    ("Rising", "crime", None, 50, 100, 100.0, True, 1),
    ("Rare", "crime", None, 10, 10, 0.0, False, 0),
])
CAUSES_SCORING = scoring_config.PriorityScoring(
    harm_weights={"Big": 10, "Many": 2, "Steady": 5, "Rising": 10, "Rare": 1000})


def test_drivers_split_the_difference_exactly():
    scored = pr.score(CAUSES, CAUSES_SCORING)
    # Rising 13.33; Big and Rare 12.50 (the same CSS: Big first by name); Many and Steady 8.33.
    assert scored["issue"].tolist() == ["Rising", "Big", "Rare", "Many", "Steady"]
    parts = pr.drivers(scored, "Rising", "Steady", CAUSES_SCORING)
    # The same CSS: the harm ratio is 1, so count and severity contribute nothing; ln(4 / 2.5) is all trend.
    assert parts.index[0] == "trend" and parts["trend"] == pytest.approx(math.log(4 / 2.5))
    assert parts["count"] == parts["severity"] == 0
    rows = scored.set_index("issue")
    assert parts.sum() == pytest.approx(math.log(rows.at["Rising", "total"] / rows.at["Steady", "total"]), abs=1e-3)
    # Rare against Many: pressure equal; ln(harm 5 / harm 10/3) = ln 1.5, split by the log ratios of
    # count (log10(10/500) = -1.699) and severity (log10(1000/2) = 2.699), which sum to 1 decade:
    # severity ln 1.5 x 2.699 = 1.094, count ln 1.5 x -1.699 = -0.689.
    parts = pr.drivers(scored, "Rare", "Many", CAUSES_SCORING)
    assert parts.index[0] == "severity"
    assert parts["severity"] == pytest.approx(math.log(1.5) * math.log10(500))
    assert parts["count"] == pytest.approx(math.log(1.5) * math.log10(10 / 500))


def test_executive_summary_names_the_inputs_that_moved():
    scored = pr.score(CAUSES, CAUSES_SCORING)
    summary = priority_text.executive_summary(scored, CAUSES, CAUSES_SCORING)
    assert "Ranked by volume alone the top 3 would be Big, Many and Steady" in summary
    # Each issue brought in is compared with a displaced one, both in score order: Rising with Many
    # (8.33, first of the two by name), Rare with Steady. Harm alone would not explain Rising: its CSS
    # equals Many's.
    assert ("Rising mainly on its trend (5, a statistically significant rise, against 2 for Many)" in summary)
    assert "Rare mainly on its severity weight (1,000 against 5.0 for Steady)" in summary
    assert "harm brings in" not in summary


# --- What moves a priority ------------------------------------------------------------------------

def test_what_moves_an_amber_issue():
    moves = pr.what_moves(HAND, HAND_SCORING).set_index("issue")
    assert list(moves.index) == ["Bravo", "Delta"]  # the amber issues
    bravo = moves.loc["Bravo"]
    assert bravo["rise_needed"] == pytest.approx(12 - 11.0)
    # Public concern 5: P = 3.5, total 10/3 x 3.5 x 1.1 = 12.83 (red). Organisational position 5:
    # 10/3 x 3 x 1.2 = 12.00 (red). A significant rise: P = (5 + 4)/2 = 4.5, total 16.5 (red).
    assert bravo["would_turn_red"].startswith("public concern rated 5 (now 4); organisational position rated 5 "
                                              "(now 4); a statistically significant rise")
    assert "needs 1.00 more to reach red at 12" in bravo["note"]


def test_what_moves_finds_the_count_that_turns_red():
    # Delta (1 offence of weight 1,000, stable, 8.33): red needs harm x 2.5 >= 12, harm >= 4.8, i.e.
    # log10(10,000 / CSS) <= 0.12, CSS >= 10,000 / 10^0.12 = 7,586: a count of about 8 (the total is rounded).
    moves = pr.what_moves(HAND, HAND_SCORING).set_index("issue")
    text = moves.at["Delta", "would_turn_red"]
    count = int(text.split("a count of ")[1].split(" ")[0].replace(",", ""))
    assert count == 8
    for n, colour in ((count, "red"), (count - 1, "amber")):
        trial = HAND.copy()
        trial.loc[trial["issue"] == "Delta", "current"] = n
        assert pr.score(trial, HAND_SCORING).set_index("issue").at["Delta", "rag"] == colour


@pytest.mark.parametrize("significant, direction", [(False, 1), (True, 1), (False, 0), (False, -1)])
def test_robbery_outranks_shoplifting_with_harm(significant, direction):
    issues = issues_frame([
        ("Shoplifting", "crime", "Shoplifting", 800, 850, 6.25 * direction, significant, direction),
        ("Robbery", "crime", "Robbery", 75, 80, 6.67 * direction, significant, direction),
    ])
    by_volume = issues.sort_values("current", ascending=False)["issue"].tolist()
    assert by_volume == ["Shoplifting", "Robbery"]  # volume alone puts shoplifting first
    # CSS: robbery 80 x 799.63 = 63,970 against shoplifting 850 x 11.86 = 10,077.
    scored = pr.score(issues, category_weights=load_category_weights())  # the committed ONS CSS weights
    assert scored["issue"].tolist() == ["Robbery", "Shoplifting"]


def test_realistic_mix_keeps_robbery_above_shoplifting():
    # St Albans 2017/18 figures from the strategy (crime, ASB, fires, casework).
    issues = issues_frame([
        ("Anti-social behaviour", "asb", "Anti-social behaviour", 2240, 2653, 18.4, True, 1),
        ("Violence and sexual offences", "crime", "Violence and sexual offences", 1572, 1966, 25.1, True, 1),
        ("Shoplifting", "crime", "Shoplifting", 587, 692, 17.9, True, 1),
        ("Robbery", "crime", "Robbery", 37, 81, 118.9, True, 1),
        ("Deliberate fires", "fire", None, 87, 120, 37.9, True, 1),
        ("Domestic abuse referrals", "casework", None, 6, 14, 133.3, False, 1),
        ("Safeguarding contacts", "casework", None, 87, 63, -27.6, False, -1),
    ])
    scored = pr.score(issues).set_index("issue")
    # Robbery: CSS 81 x 799.63 = 64,770 against violence's 1,966 x 247.58 = 486,737: harm
    # 5 - (5/3) log10(7.515) = 3.54; a significant rise: pressure 4; total 14.16, red.
    assert scored.at["Robbery", "total"] == pytest.approx(14.16, abs=0.01)
    assert scored.at["Robbery", "rank"] < scored.at["Shoplifting", "rank"]
    assert scored.at["Robbery", "rag"] == "red"
    assert scored.at["Anti-social behaviour", "rank"] > scored.at["Robbery", "rank"]


def test_risk_matrix_figure():
    scored = pr.score(HAND, HAND_SCORING)
    figure = risk_matrix.risk_matrix(scored, HAND_SCORING)
    assert isinstance(figure, Figure)
    ax = figure.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert "2. Bravo (×1.10)" in labels and "1. Alpha" in labels and len(labels) == 5
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("Red (total ≥ 12") for t in legend)
    assert any("pressure × harm = 12" in t for t in legend)
    # RAG is shown by shape as well as colour: one scatter per RAG with distinct markers.
    markers = {len(c.get_paths()[0].vertices) for c in ax.collections if len(c.get_offsets())}
    assert len(markers) == 3


def test_paragraphs_use_the_tables_numbers():
    scored = pr.score(HAND, HAND_SCORING, population=50_000)
    paragraphs = priority_text.priority_paragraphs(scored, HAND)
    assert len(paragraphs) == 1  # one red issue
    text = paragraphs[0]
    for piece in ("**1. Alpha** (RED, total 20.00)", "1,000 in the current period against 800 in the previous",
                  "(+200, +25.0%)", "a statistically significant rise", "Crime Severity Score) 10,000 days",
                  "200.0 per 1,000 residents", "1,000 × a severity weight of 10.0", "harm score of 5.00",
                  "Pressure 4.00 of 5 (trend 5, public concern 3 of 5)"):
        assert piece in text, piece
    bravo = priority_text.priority_paragraphs(scored, HAND, top=2)[1]
    assert "not a statistically significant change" in bravo and "by 1.10" in bravo
    delta = priority_text.priority_paragraphs(scored, HAND, top=3)[2]
    assert "no previous figure" in delta and "n/a" not in delta
    summary = priority_text.executive_summary(scored, HAND, HAND_SCORING)
    assert "5 issues" in summary and "1 red, 2 amber and 2 green" in summary
    assert "The red priority is Alpha (20.00)" in summary and "Crime Severity Score of 10,000" in summary
    assert "top 3 would be Alpha, Bravo and Charlie" in summary  # by count: 1,000, 100, 10
    assert "Delta mainly on its severity weight (1,000 against 10.0 for Charlie)" in summary


def test_formula_text_states_weights_and_thresholds():
    text = pr.formula_text(HAND_SCORING)
    assert "red when the total is 12 or more" in text and "amber from 8" in text
    assert "Pressure = (1 × trend + 1 × public concern) ÷ 2" in text and "1.67 points (5 ÷ 3)" in text
    assert "1/1,000 of the largest harm" in text and "anything the change test cannot tell from chance" in text
    changed = pr.formula_text(scoring_config.PriorityScoring(thresholds={"red": 15, "amber": 10}))
    assert "red when the total is 15 or more" in changed


# --- Errors name the key or the column ------------------------------------------------------------

@pytest.mark.parametrize("raw, pattern", [
    ({"weights": {"trend": -1}}, r"x\.yml: priorities\.weights\.trend: Input should be greater than or equal to 0"),
    ({"weights": {"harm": 1}}, r"priorities\.weights\.harm: unknown key"),
    ({"thresholds": {"red": 8, "amber": 12}}, r"priorities\.thresholds: amber \(12\) must be below red \(8\)"),
    ({"issues": {"Robbery": {"public_concern": 6}}}, r"priorities\.issues\.Robbery\.public_concern"),
    ({"weights": {"trend": 0, "public_concern": 0}}, r"priorities\.weights: trend and public_concern cannot both"),
    ({"harm_weights": {"Robbery": "lots"}}, r"priorities\.harm_weights\.Robbery"),
    ({"sensitivity": {"weight_range": [1.2, 1.5]}}, r"priorities\.sensitivity\.weight_range: .*0 < low <= 1 <= high"),
    ({"sensitivity": {"draws": 10}}, r"priorities\.sensitivity\.draws"),
    ({"harm_span_decades": 0}, r"priorities\.harm_span_decades"),
    ([1, 2], r"priorities: must be a mapping"),
])
def test_configuration_errors_name_the_key(raw, pattern):
    with pytest.raises(ConfigError, match=pattern):
        scoring_config.parse_scoring(raw, "x.yml")


def test_config_for_an_unmeasured_issue_is_named():
    assert scoring_config.parse_scoring(None) == scoring_config.PriorityScoring()
    scoring = scoring_config.parse_scoring({"issues": {"Burglry": {"public_concern": 4}}}, "x.yml")
    with pytest.raises(ConfigError, match=r"priorities\.issues\.Burglry: not a measured issue"):
        pr.score(HAND, scoring)


def test_bad_issue_tables_name_the_column():
    bad_family = HAND.assign(family=["crime", "crimes", "fire", "fire", "crime"])
    with pytest.raises(InputDataError, match=r"'family' fails is not one of"):
        pr.score(bad_family, HAND_SCORING)
    with pytest.raises(InputDataError, match=r"column 'direction'"):
        pr.score(HAND.drop(columns="direction"), HAND_SCORING)
    with pytest.raises(InputDataError, match=r"column 'current'.*not a number"):
        pr.score(HAND.assign(current=["999", "x", "9", "99", "1"]), HAND_SCORING)
    with pytest.raises(InputDataError, match=r"column 'significant'.*'maybe'"):
        pr.score(HAND.assign(significant=[True, "maybe", False, False, False]), HAND_SCORING)
    as_text = pr.score(HAND.assign(significant=["True", "false", "no", "0", "False"]), HAND_SCORING)
    assert as_text["total"].tolist() == pr.score(HAND, HAND_SCORING)["total"].tolist()


def test_no_harm_weight_asks_for_configuration():
    issues = issues_frame([("Hate incidents", "casework", None, 5, 9, 80.0, False, 1)])
    with pytest.raises(ConfigError, match=r"harm_weights.*'Hate incidents'"):
        pr.score(issues)
    scored = pr.score(issues, scoring_config.PriorityScoring(harm_weights={"hate incidents": 36}))
    assert not np.isnan(scored["total"][0]) and scored["css"][0] == 9 * 36


def test_risk_matrix_labels_never_overlap_even_when_points_cluster():
    # twelve issues on nearly the same point: every label must still stand clear of the others
    scored = pd.DataFrame({"issue": [f"Issue number {k}" for k in range(12)], "rank": range(1, 13),
                           "pressure": [2.0 + 0.01 * k for k in range(12)], "harm": [2.0 + 0.01 * k for k in range(12)],
                           "modifier": 1.0, "rag": ["red", "amber", "green"] * 4})
    figure = risk_matrix.risk_matrix(scored)
    ax = figure.axes[0]
    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == "issue_label"]
    assert len(boxes) == 12
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
