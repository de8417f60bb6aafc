"""The issues the priorities section scores, gathered from the other sections' tables.

Each line comes from the same function that produces a section's table, so every number in the
priorities section can be traced to a table of the assessment.
"""

from __future__ import annotations

import pandas as pd

from csp_analysis import formatting as fmt
from csp_analysis.categories import ALL_CRIME, ASB
from csp_analysis.methods import harm, priorities
from csp_analysis.report import charts, priority_text, risk_matrix
from csp_analysis.report import display as show
from csp_analysis.report.display import HTML, Items
from csp_analysis.sections import crime_performance as cp
from csp_analysis.sections.context import Context

ISSUE_COLUMNS = ("issue", "family", "police_uk_category", "previous", "current", "pct_change", "significant",
                 "direction", "source_table")
FIRE_LINES = ("Deliberate fires", "Primary fires", "Secondary fires", "Fire injuries")
COLLISION_LINES = ("KSI collisions",)


def _rows(table: pd.DataFrame, label: str, family, category, source: str) -> pd.DataFrame:
    previous = table["previous"].astype("Float64")
    return pd.DataFrame({
        "issue": table[label].to_numpy(),
        "family": family if isinstance(family, str) else list(family),
        "police_uk_category": category,
        "previous": previous.to_numpy(),
        "current": table["current"].astype("int64").to_numpy(),
        "pct_change": table["pct_change"].astype("float64").to_numpy(),
        "significant": table["significant"].astype("boolean").fillna(False).astype(bool).to_numpy(),
        "direction": [0 if pd.isna(c) or c == 0 else (1 if c > 0 else -1) for c in table["change"]],
        "source_table": source,
    })


def council_line(case_type: str) -> str:
    """A casework type as a priority issue: plural where it counts things, marked as the council's.

    >>> [council_line(t) for t in ("ASB incident", "Fly-tipping", "Safeguarding contacts")]
    ['ASB incidents (council)', 'Fly-tipping (council)', 'Safeguarding contacts (council)']
    """
    return f"{case_type}{'' if case_type.endswith(('s', 'ing')) else 's'} (council)"


def measured_issues(ctx: Context) -> pd.DataFrame:
    """One row per measured issue of the area (``ISSUE_COLUMNS``), from every configured source."""
    settings = ctx.config.analysis
    parts = []
    if ctx.settings.has_police_data:
        crime = cp.performance_table(ctx.data.area_records, ctx.previous, ctx.current, alpha=settings.alpha,
                                     small_count=settings.small_count)
        crime = crime[crime["category"] != ALL_CRIME]
        families = ["asb" if c == ASB else "crime" for c in crime["category"]]
        parts.append(_rows(crime, "category", families, crime["category"].to_numpy(), "crime_performance.csv"))
    if ctx.config.fire is not None:
        from csp_analysis.sections.fire_and_rtc import fire_data, fire_table

        fire = fire_table(ctx, fire_data(ctx))
        fire = fire[(fire["geography"] == ctx.config.area.name) & fire["line"].isin(FIRE_LINES)]
        if fire["comparison_available"].all():
            parts.append(_rows(fire, "line", "fire", None, "fire_summary.csv"))
    if ctx.config.collisions is not None or ctx.config.stats19 is not None:
        from csp_analysis.sections.fire_and_rtc import collision_data, collision_table

        rtc = collision_table(ctx, collision_data(ctx))
        rtc = rtc[rtc["line"].isin(COLLISION_LINES)]
        if rtc["comparison_available"].all():
            parts.append(_rows(rtc, "line", "road safety", None, "collision_summary.csv"))
    if ctx.config.casework is not None:
        from csp_analysis.partners.casework import ASB_CASE, CORE_CASE_TYPES
        from csp_analysis.sections.community_protection import casework_tables

        casework = casework_tables(ctx)  # as published: a line with a suppressed count is left out
        cases = casework.summary
        if cases is not None:
            cases = cases[cases["line"].isin(CORE_CASE_TYPES) & ~cases["line"].isin(casework.hidden_lines)]
            if ctx.settings.has_police_data:  # ASB is one issue, police.uk's: the council's cases are not a second
                cases = cases[cases["line"] != ASB_CASE]
        if cases is not None and len(cases) and cases["comparison_available"].all():
            cases = cases.assign(line=cases["line"].map(council_line))
            parts.append(_rows(cases, "line", "casework", None, "casework_summary.csv"))
    if not parts:
        return pd.DataFrame(columns=list(ISSUE_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(ISSUE_COLUMNS)]


# --- What the section notebook shows -------------------------------------------------------------

SCORE_VIEW_COLUMNS = {"rank": "Rank", "issue": "Issue", "family": "Family", "current": "Count",
                      "harm_weight": "Severity weight", "css": "Crime Severity Score",
                      "css_per_1000": "CSS per 1,000 residents", "harm": "Harm", "trend": "Trend",
                      "public_concern": "Public concern", "pressure": "Pressure", "modifier": "Modifier",
                      "total": "Total", "rag": "RAG"}
STABILITY_VIEW_COLUMNS = {"rank": "Rank", "issue": "Issue", "top_share": "In the top {n} (% of draws)",
                          "rank_min": "Best rank", "rank_low": "5th percentile", "rank_median": "Median rank",
                          "rank_high": "95th percentile", "rank_max": "Worst rank", "red_share": "Red (% of draws)"}
PARAMETER_LABELS = {"trend": "trend weight", "public_concern": "public concern weight",
                    "organisational_position": "organisational position weight", "confidence": "confidence weight",
                    "harm_span_decades": "harm span (decades)", "red": "red threshold", "amber": "amber threshold"}


MEASURED_COLUMNS = ["issue", "previous", "current", "pct_change", "significant", "direction", "source_table"]


def score_issues(ctx: Context, issues: pd.DataFrame) -> pd.DataFrame:
    """The scored priorities table (``priorities.csv``) of the measured issues, with CSS per 1,000
    residents when a population is configured, and the counts and the table each comes from (the
    evidence lines of the strategy)."""
    scored = priorities.score(issues.drop(columns="source_table"), ctx.config.priorities,
                              population=ctx.data.area_population)
    measured = [c for c in MEASURED_COLUMNS if c == "issue" or c not in scored.columns]
    return scored.merge(issues[measured], on="issue", how="left", validate="one_to_one")


SOURCE_WORDS = {"crime_performance.csv": "police-recorded crime and anti-social behaviour",
                "fire_summary.csv": "fire and rescue incidents", "collision_summary.csv": "road traffic collisions",
                "casework_summary.csv": "council casework"}


def introduction(ctx: Context, issues: pd.DataFrame) -> str:
    """The section's opening line: area, periods, what the issues were measured from and what was not."""
    used = [t for t in SOURCE_WORDS if t in set(issues["source_table"])]
    absent = [words for t, words in SOURCE_WORDS.items() if t not in used]
    text = (f"**Area:** {ctx.area}. **Current period:** {ctx.current.label}. **Compared with:** "
            f"{ctx.previous.label}. {len(issues)} issues measured, from "
            + priority_text.join_names([f"{SOURCE_WORDS[t]} (table {t})" for t in used]) + ".")
    if absent:
        text += (f" This assessment had no comparable figures for {priority_text.join_names(absent)}, so those "
                 "issues are not scored here.")
    return text


def scores_view(ctx: Context, scored: pd.DataFrame) -> HTML:
    """The Crime Severity Score, the components, total, rank and RAG of every issue."""
    shown = scored[list(SCORE_VIEW_COLUMNS)].assign(
        harm_weight=scored["harm_weight"].map(priorities.weight_text), css=scored["css"].round().map(fmt.count),
        css_per_1000=scored["css_per_1000"].map(lambda v: "" if pd.isna(v) else f"{v:,.1f}"),
        current=scored["current"].map(fmt.count))
    if scored["css_per_1000"].isna().all():
        shown = shown.drop(columns="css_per_1000")
    return show.show_table(shown.round(2).rename(columns=SCORE_VIEW_COLUMNS), f"Priority scores, {ctx.current.label}",
                           table_id="priorities")


def priorities_view(ctx: Context, scored: pd.DataFrame, issues: pd.DataFrame) -> Items:
    """A paragraph per top priority, and the risk matrix."""
    return Items(
        show.note("## The priorities\n\n" + "\n\n".join(priority_text.priority_paragraphs(scored, issues))),
        ctx.out.figure(risk_matrix.risk_matrix(scored, ctx.config.priorities), "priorities_risk_matrix",
                       alt="Risk matrix: each issue's harm against the pressure on it, coloured and shaped by RAG "
                           "rating"))


def method_note(ctx: Context) -> str:
    """How the scores are made: the formula in words and where the harm weights come from."""
    return ("## How the scores are made\n\n" + priorities.formula_text(ctx.config.priorities) + "\n\nHarm weights: "
            + harm.weights_source().rstrip(".") + ".")


def moves_view(ctx: Context, issues: pd.DataFrame) -> HTML:
    """What would turn an amber issue red (``priorities_what_moves.csv``)."""
    moves = priorities.what_moves(issues.drop(columns="source_table"), ctx.config.priorities)
    ctx.out.save_table(moves, "priorities_what_moves")
    return show.note("## What would change a priority\n\n" + (" ".join(moves["note"]) if len(moves) else
                     "No issue is amber, so none is one step from red."))


def stability_sentence(stability: pd.DataFrame) -> str:
    """How stable the top of the ranking is, and which parameters were varied or left out."""
    meta = stability.attrs["stability"]
    n, top_n = meta["draws"], meta["top_n"]
    ranges = "; ".join(f"{PARAMETER_LABELS[name]} × {low:g} to {high:g}" for name, (low, high) in meta["varied"].items())
    top = stability[stability["rank"] <= top_n]
    always = top[top["top_share"] == 1.0]["issue"].tolist()
    shaky = [f"{r.issue} ({r.top_share:.0%})" for r in top.itertuples() if r.top_share < 1.0]
    entrants = [f"{r.issue} ({r.top_share:.0%})" for r in stability[stability["rank"] > top_n].itertuples()
                if r.top_share > 0]
    text = (f"**How stable are the priorities?** The scores were recomputed for {n:,} random draws (seed "
            f"{meta['seed']}), each parameter multiplied by a factor drawn uniformly and independently from its range "
            f"({ranges}). ")
    if len(always) == len(top):
        text += f"The top {top_n} are the same issues in every draw."
    else:
        text += (f"{priority_text.join_names(always) or 'No issue'} {'stays' if len(always) == 1 else 'stay'} in the top {top_n} in every "
                 f"draw; {priority_text.join_names(shaky)} {'does' if len(shaky) == 1 else 'do'} not always.")
    if entrants:
        text += f" Issues below the top {top_n} that enter it in some draws: {priority_text.join_names(entrants)}."
    if meta["dropped"]:
        text += " Not varied, because no value could change any rank or red rating: " + "; ".join(
            f"the {PARAMETER_LABELS[name]} ({reason})" for name, reason in meta["dropped"].items()) + "."
    return text


def stability_view(ctx: Context, issues: pd.DataFrame) -> Items:
    """The Monte Carlo sensitivity of the ranking (``priorities_stability.csv``): a sentence, a chart and a table."""
    stability = priorities.stability(issues.drop(columns="source_table"), ctx.config.priorities,
                                     seed=ctx.config.analysis.seed, population=ctx.data.area_population)
    ctx.out.save_table(stability, "priorities_stability")
    top_n = stability.attrs["stability"]["top_n"]
    shown = stability.assign(top_share=(100 * stability["top_share"]).round(1),
                             red_share=(100 * stability["red_share"]).round(1))
    columns = {k: v.format(n=top_n) for k, v in STABILITY_VIEW_COLUMNS.items()}
    return Items(
        show.note(stability_sentence(stability)),
        ctx.out.figure(charts.rank_stability_chart(stability, title=f"How stable each rank is, {ctx.current.label}"),
                       "priorities_stability", alt="Each issue's range of ranks over random draws of the weights and "
                                                   "thresholds, with the share of draws in the top priorities"),
        show.show_table(shown.rename(columns=columns), f"Ranks over {stability.attrs['stability']['draws']:,} draws of "
                        "the weights and thresholds", table_id="priorities-stability"))

