"""Priority paragraphs and the executive summary, computed from the scored priorities table."""

from __future__ import annotations

import math

import pandas as pd

from csp_analysis import formatting as fmt
from csp_analysis.config.priorities import PriorityScoring
from csp_analysis.methods.priorities import (
    DRIVER_LABELS,
    RAG_ORDER,
    drivers,
    validate_issues,
    weight_text,
)


def _verdict(line: pd.Series) -> str:
    """What the change test says of an issue's change ('a statistically significant rise', ...)."""
    if pd.isna(line["previous"]):
        return "no previous figure"
    if line["significant"] and line["direction"] > 0:
        return "a statistically significant rise"
    if line["significant"] and line["direction"] < 0:
        return "a statistically significant fall"
    return "no change" if line["current"] == line["previous"] else "not a statistically significant change"


def _change_sentence(line: pd.Series) -> str:
    current = fmt.count(line["current"])
    rate = ""
    if "rate_per_1000" in line and pd.notna(line.get("rate_per_1000")):
        rate = f" ({line['rate_per_1000']:.2f} per 1,000 residents)"
    if pd.isna(line["previous"]):
        return f"{current} in the current period{rate}; no previous figure, so no change can be measured"
    change = line["current"] - line["previous"]
    return (f"{current} in the current period{rate} against {fmt.count(line['previous'])} in the previous "
            f"({fmt.signed_count(change)}, {fmt.pct(line['pct_change'])}), {_verdict(line)}")


def _default_top(scored: pd.DataFrame) -> int:
    reds = int((scored["rag"] == "red").sum())
    return reds if reds else min(3, len(scored))

def _harm_sentence(row) -> str:
    per_1000 = "" if pd.isna(row.css_per_1000) else f", {row.css_per_1000:,.1f} per 1,000 residents"
    return (f"Harm (ONS Crime Severity Score) {fmt.count(round(row.css))} days of custody equivalent{per_1000}: "
            f"{fmt.count(row.current)} × a severity weight of {weight_text(row.harm_weight)} ({row.harm_basis}), "
            f"a harm score of {row.harm:.2f} of 5")


def priority_paragraphs(scored: pd.DataFrame, issues: pd.DataFrame, *, top: int | None = None) -> list[str]:
    """One paragraph per top priority (default: every red issue, or the top three if none is red).

    Every number comes from the tables: count and change from ``issues``; CSS, harm weight,
    components, total, rank and RAG from ``scored``.
    """
    table = validate_issues(issues).set_index("issue")
    top = _default_top(scored) if top is None else top
    paragraphs = []
    for row in scored.sort_values("rank").head(top).itertuples():
        line = table.loc[row.issue]
        modifier = ("" if math.isclose(row.modifier, 1.0) else
                    f" The partnership's ratings (organisational position {row.organisational_position}, "
                    f"confidence {row.confidence} of 5) multiply the score by {row.modifier:.2f}.")
        paragraphs.append(
            f"**{row.rank}. {row.issue}** ({row.rag.upper()}, total {row.total:.2f}). "
            f"{_change_sentence(line)}. {_harm_sentence(row)}. "
            f"Pressure {row.pressure:.2f} of 5 (trend {row.trend:g}, public concern {row.public_concern} of 5)."
            + modifier
        )
    return paragraphs


def _driver_text(scored: pd.DataFrame, lines: pd.DataFrame, issue: str, other: str,
                 scoring: PriorityScoring) -> str:
    """'Robbery mainly on its severity weight (800 against 12 for Shoplifting)': the input that
    contributes most to ``issue`` outscoring ``other`` (:func:`csp_analysis.methods.priorities.drivers`)."""
    name = drivers(scored, issue, other, scoring).idxmax()
    rows = scored.set_index("issue")
    a, b = rows.loc[issue], rows.loc[other]
    if name == "trend":
        return (f"{issue} mainly on its trend ({a['trend']:g}, {_verdict(lines.loc[issue])}, against "
                f"{b['trend']:g} for {other})")
    shown = {"count": lambda r: fmt.count(r["current"]), "severity": lambda r: weight_text(r["harm_weight"])}.get(
        name, lambda r: f"{r[name]} of 5")
    return f"{issue} mainly on its {DRIVER_LABELS[name]} ({shown(a)} against {shown(b)} for {other})"


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]

def executive_summary(scored: pd.DataFrame, issues: pd.DataFrame, scoring: PriorityScoring | None = None) -> str:
    """A short computed summary: RAG counts, the red priorities, what differs from a ranking by volume
    and why (the input that contributes most to each difference, :func:`_driver_text`), the thresholds."""
    scoring = scoring or PriorityScoring()
    table = validate_issues(issues)
    counts = scored["rag"].value_counts()
    n_red, n_amber, n_green = (int(counts.get(k, 0)) for k in RAG_ORDER)
    ordered = scored.sort_values("rank")
    reds = ordered[ordered["rag"] == "red"]
    text = [f"{len(scored)} issues were scored for harm (the ONS Crime Severity Score: how many offences times "
            f"how serious each is) as well as trend: {n_red} red, {n_amber} amber and "
            f"{n_green} green (red at a total of {scoring.thresholds.red:g} or more, amber from "
            f"{scoring.thresholds.amber:g})."]
    if len(reds):
        listed = [f"{r.issue} ({r.total:.2f})" for r in reds.itertuples()]
        text.append(f"The red {'priority is' if len(reds) == 1 else 'priorities are'} {join_names(listed)}.")
    first = ordered.iloc[0]
    line = table.set_index("issue").loc[first["issue"]]
    text.append(f"The highest-scoring issue, {first['issue']}, had {_change_sentence(line)}, and a Crime Severity "
                f"Score of {fmt.count(round(first['css']))}.")
    k = min(3, len(scored))
    by_volume = table.sort_values(["current", "issue"], ascending=[False, True])["issue"].head(k).tolist()
    by_score = ordered["issue"].head(k).tolist()
    if by_volume == by_score:
        text.append(f"Ranking by volume alone gives the same top {k}.")
    else:
        raised = [i for i in by_score if i not in by_volume]
        displaced = [i for i in ordered["issue"] if i in by_volume and i not in by_score]
        if raised:
            lines = table.set_index("issue")
            causes = [_driver_text(scored, lines, issue, other, scoring) for issue, other in zip(raised, displaced)]
            text.append(f"Ranked by volume alone the top {k} would be {join_names(by_volume)}; the score brings in "
                        f"{join_names(causes)}.")
        else:
            text.append(f"Ranked by volume alone the top {k} would be {join_names(by_volume)}; the score reorders them "
                        f"as {join_names(by_score)}.")
    if n_amber:
        gaps = ordered[ordered["rag"] == "amber"]
        closest = gaps.loc[gaps["total"].idxmax()]
        text.append(f"The amber issue closest to red is {closest['issue']} ({closest['total']:.2f}, "
                    f"{scoring.thresholds.red - closest['total']:.2f} below the red threshold).")
    return " ".join(text)


def evidence_line(row: pd.Series, issues_scored: int) -> str:
    """One measured issue as evidence for a priority: its rank, rating and score, and its change.

    ``row`` is a row of ``priorities.csv`` (scores with the counts they came from).
    """
    return (f"ranked {int(row['rank'])} of {issues_scored}, {row['rag'].upper()} (total {row['total']:.2f}); "
            f"{_change_sentence(row)} (table {row['source_table']})")


def rated_high(scored: pd.DataFrame) -> pd.DataFrame:
    """The issues the data rates red or amber, highest first."""
    return scored[scored["rag"].isin(["red", "amber"])].sort_values("rank")
