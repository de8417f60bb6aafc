"""The issues the priorities section scores, gathered from the other sections' tables.

Each line comes from the same function that produces a section's table, so every number in the
priorities section can be traced to a table of the assessment.
"""

from __future__ import annotations

import pandas as pd

from csp_analysis.categories import ALL_CRIME, ASB
from csp_analysis.methods import harm, priorities
from csp_analysis.report import display as show
from csp_analysis.report import priority_text, risk_matrix
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
        from csp_analysis.partners.casework import CORE_CASE_TYPES, casework_summary

        cases = casework_summary(ctx.data.casework.data, ctx.previous, ctx.current, alpha=settings.alpha,
                                 small_count=settings.small_count)
        cases = cases[cases["line"].isin(CORE_CASE_TYPES)]
        if cases["comparison_available"].all():
            cases = cases.assign(line=cases["line"].map(council_line))
            parts.append(_rows(cases, "line", "casework", None, "casework_summary.csv"))
    if not parts:
        return pd.DataFrame(columns=list(ISSUE_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(ISSUE_COLUMNS)]


# --- What the section notebook shows -------------------------------------------------------------

SCORE_VIEW_COLUMNS = ("rank", "issue", "family", "volume", "trend", "harm", "public_concern", "likelihood", "impact",
                      "modifier", "total", "rag")


MEASURED_COLUMNS = ["issue", "previous", "current", "pct_change", "significant", "direction", "source_table"]


def score_issues(ctx: Context, issues: pd.DataFrame) -> pd.DataFrame:
    """The scored priorities table (``priorities.csv``) of the measured issues, with the counts and the
    table each comes from (the evidence lines of the strategy)."""
    scored = priorities.score(issues.drop(columns="source_table"), ctx.config.priorities)
    return scored.merge(issues[MEASURED_COLUMNS], on="issue", how="left", validate="one_to_one")


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
    """The score components, total, rank and RAG of every issue."""
    shown = scored[list(SCORE_VIEW_COLUMNS)].round(2).rename(
        columns=lambda c: "RAG" if c == "rag" else c.replace("_", " ").capitalize())
    return show.show_table(shown, f"Priority scores, {ctx.current.label}", table_id="priorities")


def priorities_view(ctx: Context, scored: pd.DataFrame, issues: pd.DataFrame) -> Items:
    """A paragraph per top priority, and the risk matrix."""
    return Items(
        show.note("## The priorities\n\n" + "\n\n".join(priority_text.priority_paragraphs(scored, issues))),
        ctx.out.figure(risk_matrix.risk_matrix(scored, ctx.config.priorities), "priorities_risk_matrix",
                       alt="Risk matrix: each issue's impact against its likelihood, coloured and shaped by RAG rating"))


def method_note(ctx: Context) -> str:
    """How the scores are made: the formula in words and where the harm weights come from."""
    return ("## How the scores are made\n\n" + priorities.formula_text(ctx.config.priorities) + "\n\nHarm weights: "
            + harm.weights_source().rstrip(".") + ".")


def changes_view(ctx: Context, issues: pd.DataFrame) -> Items:
    """What would turn an amber issue red (``priorities_what_moves.csv``) and how the ranks move when
    a weight moves by 20% (``priorities_sensitivity.csv``)."""
    inputs, scoring = issues.drop(columns="source_table"), ctx.config.priorities
    moves = priorities.what_moves(inputs, scoring)
    ctx.out.save_table(moves, "priorities_what_moves")
    sensitivity = priorities.sensitivity(inputs, scoring, change=0.2)
    ctx.out.save_table(sensitivity, "priorities_sensitivity")
    return Items(
        show.note("## What would change a priority\n\n" + (" ".join(moves["note"]) if len(moves) else
                  "No issue is amber, so none is one step from red.")),
        show.note(f"**Sensitivity.** Moving each component weight up and down by 20% changes the rank or RAG of "
                  f"{sensitivity['issue'].nunique()} issue(s) in {len(sensitivity)} case(s)"
                  + (":" if len(sensitivity) else "; the priorities do not depend on the exact weights.")),
        show.show_table(sensitivity.rename(columns=lambda c: c.replace("_", " ").capitalize()),
                        "Ranks and RAG ratings that change when one weight moves by 20%",
                        table_id="priorities-sensitivity") if len(sensitivity) else None)
