"""Priority scoring: hand-worked totals, RAG boundaries, ties, sensitivity, what moves, narrative, errors.

The fixtures use harm weights 9, 99, 999 with a harm reference of 9,999 and counts 9, 99, 999, so
every log ratio is a simple fraction: ln(1 + 99) / ln(1 + 999) = 2/3, log(1 + 999) / log(1 + 9999) = 3/4.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from matplotlib.figure import Figure

from csp_analysis.config import priorities as scoring_config
from csp_analysis.errors import ConfigError, InputDataError
from csp_analysis.methods import priorities as pr
from csp_analysis.methods.harm import load_category_weights
from csp_analysis.report import priority_text, risk_matrix

COLUMNS = ["issue", "family", "police_uk_category", "previous", "current", "pct_change", "significant", "direction"]


def issues_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


HAND = issues_frame([
    ("Alpha", "crime", None, 800, 999, 24.9, True, 1),
    ("Bravo", "casework", None, 90, 99, 10.0, False, 1),
    ("Charlie", "fire", None, 12, 9, -25.0, False, -1),
    ("Delta", "road safety", None, None, 99, None, False, 0),
])
HAND_SCORING = scoring_config.PriorityScoring(
    harm_reference_weight=9999,
    harm_weights={"Alpha": 9, "Bravo": 999, "Charlie": 99, "Delta": 99},
    issues={"Bravo": {"public_concern": 4, "organisational_position": 5}, "Charlie": {"confidence": 1}},
)
# Default weights: volume 1, trend 1, harm 2, public concern 1, organisational position 0.2, confidence 0.2.
# Largest count 999, so volume = 5 ln(1 + n) / ln(1000); harm = 5 log(1 + w) / log(10000).
#
# Alpha:   V = 5;            T = 5 (significant rise);  H = 5 x 1/4 = 1.25;  C = 3
#          L = (5 + 5)/2 = 5;        I = (2 x 1.25 + 3)/3 = 1.8333;  M = 1
#          total = 5 x 1.8333 = 9.1667 -> 9.17, amber (8 <= 9.17 < 12)
# Bravo:   V = 5 x 2/3 = 3.3333; T = 3 (rise of 10%, not significant, above the 5% band); H = 3.75; C = 4
#          L = (3.3333 + 3)/2 = 3.1667;  I = (7.5 + 4)/3 = 3.8333;  M = 1 + 0.2 x (5 - 3)/2 = 1.2
#          total = 3.1667 x 3.8333 x 1.2 = 14.5667 -> 14.57, red
# Charlie: V = 5 x 1/3 = 1.6667; T = 1 (fall, not significant); H = 2.5; C = 3; confidence 1
#          L = 1.3333;  I = (5 + 3)/3 = 2.6667;  M = 1 + 0.2 x (1 - 3)/2 = 0.8
#          total = 1.3333 x 2.6667 x 0.8 = 2.8444 -> 2.84, green
# Delta:   V = 3.3333; T = 2 (no previous figure: unknown); H = 2.5; C = 3
#          L = 2.6667;  I = 2.6667;  M = 1;  total = 7.1111 -> 7.11, green
EXPECTED = {  # issue: (volume, trend, harm, likelihood, impact, modifier, total, rank, rag)
    "Bravo": (10 / 3, 3, 3.75, 19 / 6, 23 / 6, 1.2, 14.57, 1, "red"),
    "Alpha": (5, 5, 1.25, 5, 11 / 6, 1.0, 9.17, 2, "amber"),
    "Delta": (10 / 3, 2, 2.5, 8 / 3, 8 / 3, 1.0, 7.11, 3, "green"),
    "Charlie": (5 / 3, 1, 2.5, 4 / 3, 8 / 3, 0.8, 2.84, 4, "green"),
}


def test_hand_worked_scores():
    scored = pr.score(HAND, HAND_SCORING).set_index("issue")
    for issue, (v, t, h, lk, im, mod, total, rank, rag) in EXPECTED.items():
        row = scored.loc[issue]
        assert row["volume"] == pytest.approx(v)
        assert row["trend"] == pytest.approx(t)
        assert row["harm"] == pytest.approx(h)
        assert row["likelihood"] == pytest.approx(lk)
        assert row["impact"] == pytest.approx(im)
        assert row["modifier"] == pytest.approx(mod)
        assert row["total"] == pytest.approx(total, abs=1e-9)
        assert (row["rank"], row["rag"]) == (rank, rag)
    assert list(pr.score(HAND, HAND_SCORING).columns) == list(pr.SCORE_COLUMNS)
    assert scored.at["Bravo", "harm_basis"] == "configured override"


def test_rag_boundaries():
    t = scoring_config.RagThresholds(red=12, amber=8)
    assert [pr.rag_for(x, t) for x in (12.0, 11.99, 8.0, 7.99, 0.0)] == ["red", "amber", "amber", "green", "green"]
    # Through score(): a total exactly on a threshold takes the higher RAG (totals are rounded first).
    on = HAND_SCORING.model_copy(update={"thresholds": scoring_config.RagThresholds(red=14.57, amber=9.17)})
    scored = pr.score(HAND, on).set_index("issue")
    assert scored.at["Bravo", "rag"] == "red" and scored.at["Alpha", "rag"] == "amber"
    above = HAND_SCORING.model_copy(update={"thresholds": scoring_config.RagThresholds(red=14.58, amber=9.18)})
    scored = pr.score(HAND, above).set_index("issue")
    assert scored.at["Bravo", "rag"] == "amber" and scored.at["Alpha", "rag"] == "green"


def test_ties_broken_by_harm_then_name():
    # With the harm weight at 0, harm does not enter the total, so these three tie exactly:
    # V = 5, T = 2 (unchanged), L = 3.5; I = public concern = 3; total 10.5 each.
    tied = issues_frame([
        ("Yankee", "crime", None, 50, 50, 0.0, False, 0),
        ("Zulu", "crime", None, 50, 50, 0.0, False, 0),
        ("able", "crime", None, 50, 50, 0.0, False, 0),
    ])
    scoring = scoring_config.PriorityScoring(weights={"harm": 0}, harm_weights={"Zulu": 999, "Yankee": 9, "able": 9})
    scored = pr.score(tied, scoring)
    assert scored["total"].tolist() == [10.5, 10.5, 10.5]
    assert scored["issue"].tolist() == ["Zulu", "able", "Yankee"]  # harm 999 first; then names ignoring case
    assert scored["rank"].tolist() == [1, 2, 3]


# P: count 999, stable, harm 99:  L = (5 + 2)/2 = 3.5,       I = (2 x 2.5 + 3)/3 = 2.6667  -> 9.3333
# Q: count 99,  stable, harm 999: L = (3.3333 + 2)/2 = 2.6667, I = (2 x 3.75 + 3)/3 = 3.5   -> 9.3333
# A tie: Q ranks first on harm. Volume weight up 20%: L_P = (6 + 2)/2.2 = 3.6364 -> 9.70,
# L_Q = (4 + 2)/2.2 = 2.7273 -> 9.55, so P overtakes Q. Likewise harm down 20% (I_P = 7/2.6 = 2.6923 -> 9.42;
# I_Q = 9/2.6 = 3.4615 -> 9.23), trend down 20% (L_P = 6.6/1.8 -> 9.78; L_Q = 4.9333/1.8 -> 9.59) and public
# concern up 20% (I_P = 8.6/3.2 -> 9.41; I_Q = 11.1/3.2 -> 9.25). The other four moves keep Q first, and the
# modifier weights do nothing at the neutral rating 3. Every total stays amber.
SWAP = issues_frame([
    ("P", "crime", None, 999, 999, 0.0, False, 0),
    ("Q", "crime", None, 99, 99, 0.0, False, 0),
])
SWAP_SCORING = scoring_config.PriorityScoring(harm_reference_weight=9999, harm_weights={"P": 99, "Q": 999})


def test_sensitivity_finds_the_engineered_swap():
    base = pr.score(SWAP, SWAP_SCORING)
    assert base["issue"].tolist() == ["Q", "P"] and base["total"].tolist() == [9.33, 9.33]
    moves = pr.sensitivity(SWAP, SWAP_SCORING, change=0.2)
    assert list(moves.columns) == list(pr.SENSITIVITY_COLUMNS)
    found = {(r.issue, r.weight, r.direction, r.old_rank, r.new_rank) for r in moves.itertuples()}
    expected = set()
    for weight, direction in (("volume", "up 20%"), ("harm", "down 20%"), ("trend", "down 20%"),
                              ("public_concern", "up 20%")):
        expected |= {("P", weight, direction, 2, 1), ("Q", weight, direction, 1, 2)}
    assert found == expected
    assert (moves["old_rag"] == "amber").all() and (moves["new_rag"] == "amber").all()


def test_sensitivity_reports_rag_changes_and_is_empty_when_robust():
    # With red at 9.5 both P and Q (9.33) are amber; the moves above that push a total past 9.5 are
    # volume up (P 9.70, Q 9.55) and trend down (P 9.78, Q 9.59). Harm down (9.42, 9.23) and public
    # concern up (9.41, 9.25) still swap the ranks but stay amber.
    scoring = SWAP_SCORING.model_copy(update={"thresholds": scoring_config.RagThresholds(red=9.5, amber=8)})
    moves = pr.sensitivity(SWAP, scoring)
    to_red = {(r.issue, r.weight, r.direction) for r in moves.itertuples() if r.new_rag == "red"}
    assert to_red == {("P", "volume", "up 20%"), ("Q", "volume", "up 20%"),
                      ("P", "trend", "down 20%"), ("Q", "trend", "down 20%")}
    assert len(moves) == 8 and (moves["old_rag"] == "amber").all()
    # The hand-worked fixture is robust: no 20% move changes any rank or RAG (totals 14.57, 9.17, 7.11,
    # 2.84 are far apart; e.g. Alpha with the harm weight down 20%: I = (1.6 x 1.25 + 3)/2.6, total 9.62).
    robust = pr.sensitivity(HAND, HAND_SCORING)
    assert robust.empty and list(robust.columns) == list(pr.SENSITIVITY_COLUMNS)


def test_what_moves_an_amber_issue():
    moves = pr.what_moves(HAND, HAND_SCORING).set_index("issue")
    assert list(moves.index) == ["Alpha"]  # the only amber issue
    alpha = moves.loc["Alpha"]
    assert alpha["rise_needed"] == pytest.approx(12 - 9.17)
    # Public concern 4: I = 6.5/3, total 10.83 (amber); 5: I = 2.5, total 12.5 (red).
    # Organisational position 5: 9.1667 x 1.2 = 11.0 (amber). Trend already a significant rise.
    # Volume already the largest, so no count would do it.
    assert alpha["would_turn_red"] == "public concern rated 5 (now 3)"
    assert "needs 2.83 more to reach red at 12" in alpha["note"]


def test_what_moves_finds_the_count_that_turns_red():
    # Q (9.33): red needs L >= 12/3.5 = 3.4286, i.e. volume >= 4.857, a count of about 817 with the
    # trend score unchanged (the total is rounded to 2 decimals, so 11.995 counts as 12.00).
    moves = pr.what_moves(SWAP, SWAP_SCORING).set_index("issue")
    text = moves.at["Q", "would_turn_red"]
    count = int(text.split("a count of ")[1].split(" ")[0].replace(",", ""))
    assert 810 <= count <= 825
    for n, colour in ((count, "red"), (count - 1, "amber")):
        trial = SWAP.copy()
        trial.loc[trial["issue"] == "Q", "current"] = n
        assert pr.score(trial, SWAP_SCORING).set_index("issue").at["Q", "rag"] == colour


@pytest.mark.parametrize("significant, direction", [(False, 1), (True, 1), (False, 0), (False, -1)])
def test_robbery_outranks_shoplifting_with_harm(significant, direction):
    issues = issues_frame([
        ("Shoplifting", "crime", "Shoplifting", 800, 850, 6.25 * direction, significant, direction),
        ("Robbery", "crime", "Robbery", 75, 80, 6.67 * direction, significant, direction),
    ])
    by_volume = issues.sort_values("current", ascending=False)["issue"].tolist()
    assert by_volume == ["Shoplifting", "Robbery"]  # volume alone puts shoplifting first
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
    assert scored.at["Robbery", "rank"] < scored.at["Shoplifting", "rank"]
    assert scored.at["Robbery", "rag"] == "red"
    assert scored.at["Anti-social behaviour", "rank"] > scored.at["Robbery", "rank"]


def test_risk_matrix_figure():
    scored = pr.score(HAND, HAND_SCORING)
    figure = risk_matrix.risk_matrix(scored, HAND_SCORING)
    assert isinstance(figure, Figure)
    ax = figure.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert "1. Bravo (×1.20)" in labels and "2. Alpha" in labels and len(labels) == 4
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith(("Red (total ≥ 14.57", "Red (total ≥ 12")) for t in legend)
    # RAG is shown by shape as well as colour: one scatter per RAG with distinct markers.
    markers = {len(c.get_paths()[0].vertices) for c in ax.collections if len(c.get_offsets())}
    assert len(markers) == 3


def test_paragraphs_use_the_tables_numbers():
    scored = pr.score(HAND, HAND_SCORING)
    paragraphs = priority_text.priority_paragraphs(scored, HAND)
    assert len(paragraphs) == 1  # one red issue
    text = paragraphs[0]
    for piece in ("**1. Bravo** (RED, total 14.57)", "99 in the current period against 90 in the previous",
                  "(+9, +10.0%)", "not a statistically significant change", "Harm weight 999",
                  "likelihood".capitalize() + " 3.17", "impact 3.83", "public concern 4 of 5", "by 1.20"):
        assert piece in text, piece
    delta = priority_text.priority_paragraphs(scored, HAND, top=3)[2]
    assert "no previous figure" in delta and "n/a" not in delta
    summary = priority_text.executive_summary(scored, HAND, HAND_SCORING)
    assert "4 issues" in summary and "1 red, 1 amber and 2 green" in summary
    assert "The red priority is Bravo (14.57)" in summary
    assert "top 3 would be Alpha, Bravo and Delta" in summary  # by count: 999, 99, 99 (names break the tie)


def test_formula_text_states_weights_and_thresholds():
    text = pr.formula_text(HAND_SCORING)
    assert "red when the total is 12 or more" in text and "amber from 8" in text
    assert "(2 × harm + 1 × public concern) ÷ 3" in text and "ln(1 + 9,999)" in text
    changed = pr.formula_text(scoring_config.PriorityScoring(thresholds={"red": 15, "amber": 10}))
    assert "red when the total is 15 or more" in changed


# --- Errors name the key or the column ------------------------------------------------------------

@pytest.mark.parametrize("raw, pattern", [
    ({"weights": {"harm": -1}}, r"x\.yml: priorities\.weights\.harm: Input should be greater than or equal to 0"),
    ({"weights": {"hram": 1}}, r"priorities\.weights\.hram: unknown key"),
    ({"thresholds": {"red": 8, "amber": 12}}, r"priorities\.thresholds: amber \(12\) must be below red \(8\)"),
    ({"issues": {"Robbery": {"public_concern": 6}}}, r"priorities\.issues\.Robbery\.public_concern"),
    ({"weights": {"volume": 0, "trend": 0}}, r"priorities\.weights: volume and trend cannot both be 0"),
    ({"harm_weights": {"Robbery": "lots"}}, r"priorities\.harm_weights\.Robbery"),
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
    bad_family = HAND.assign(family=["crime", "crimes", "fire", "fire"])
    with pytest.raises(InputDataError, match=r"'family' fails is not one of"):
        pr.score(bad_family, HAND_SCORING)
    with pytest.raises(InputDataError, match=r"column 'direction'"):
        pr.score(HAND.drop(columns="direction"), HAND_SCORING)
    with pytest.raises(InputDataError, match=r"column 'current'.*not a number"):
        pr.score(HAND.assign(current=["999", "x", "9", "99"]), HAND_SCORING)
    with pytest.raises(InputDataError, match=r"column 'significant'.*'maybe'"):
        pr.score(HAND.assign(significant=[True, "maybe", False, False]), HAND_SCORING)
    as_text = pr.score(HAND.assign(significant=["True", "false", "no", "0"]), HAND_SCORING)
    assert as_text["total"].tolist() == pr.score(HAND, HAND_SCORING)["total"].tolist()


def test_no_harm_weight_asks_for_configuration():
    issues = issues_frame([("Hate incidents", "casework", None, 5, 9, 80.0, False, 1)])
    with pytest.raises(ConfigError, match=r"harm_weights.*'Hate incidents'"):
        pr.score(issues)
    assert not math.isnan(pr.score(issues, scoring_config.PriorityScoring(harm_weights={"hate incidents": 36}))["total"][0])
