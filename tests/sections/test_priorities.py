"""Section 05: the stability sentence on a hand-made table, and the real St Albans ranking."""

from __future__ import annotations

import pandas as pd
import pytest

from csp_analysis.sections import priorities as section


def stability_table(shares) -> pd.DataFrame:
    table = pd.DataFrame({"issue": list("ABCDE"), "rank": range(1, 6), "top_share": shares})
    table.attrs["stability"] = {
        "draws": 1000, "seed": 7, "top_n": 2,
        "varied": {"trend": (0.5, 1.5), "red": (0.8, 1.2)},
        "dropped": {"confidence": "every issue has the neutral rating 3, so the modifier is 1.00 whatever its weight"}}
    return table


def test_stability_sentence_names_the_stable_and_the_shaky():
    text = section.stability_sentence(stability_table([1.0, 0.62, 0.38, 0.0, 0.0]))
    assert "1,000 random draws (seed 7)" in text
    assert "(trend weight × 0.5 to 1.5; red threshold × 0.8 to 1.2)" in text
    assert "A stays in the top 2 in every draw; B (62%) does not always." in text
    assert "Issues below the top 2 that enter it in some draws: C (38%)." in text
    assert "Not varied, because no value could change any rank or red rating: the confidence weight (every issue" in text
    assert "The top 2 are the same issues in every draw." in section.stability_sentence(
        stability_table([1.0, 1.0, 0.0, 0.0, 0.0]))


@pytest.mark.realdata
def test_real_st_albans_robbery_ranks_fifth_as_its_crime_severity_score_does(real_data, tmp_path):
    # St Albans, Aug 2021 to Jan 2022: robbery (16 offences of weight 799.6: CSS 12,794) has the fifth
    # largest Crime Severity Score of the 14 issues, after violence, burglary, vehicle crime and other theft.
    from csp_analysis.sections.context import setup

    ctx = setup("config/st-albans.yml", real_data, output_dir=tmp_path)
    issues = section.measured_issues(ctx)
    scored = section.score_issues(ctx, issues).set_index("issue")
    by_css = scored["css"].rank(ascending=False)
    assert by_css["Robbery"] == 5 and scored.at["Robbery", "rank"] == 5
    assert scored.at["Robbery", "css"] == pytest.approx(16 * 799.6289, abs=0.01)
    assert scored.at["Robbery", "css_per_1000"] == pytest.approx(16 * 799.6289 / 140.664, abs=0.01)
    assert ctx.data.area_population == 140_664
