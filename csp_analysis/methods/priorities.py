"""Priority setting: a documented, configurable MoRiLE-style score for every measured issue.

Every issue the assessment measures (crime categories, ASB, fires, road casualties, casework lines)
becomes one scored line. The score follows the shape of MoRiLE (Management of Risk in Law
Enforcement): **likelihood x impact**, then adjusted for the partnership's **organisational
position** and its **confidence** in the information. Every number is configurable
(:class:`PriorityScoring`) and :func:`formula_text` states the formula in words for the report.

Components (each 0 to 5)
------------------------
* **volume** = 5 x ln(1 + count) / ln(1 + largest count among the issues): counts span orders of
  magnitude (ASB thousands, robbery tens), so a log scale stops volume swamping everything.
* **trend** from direction, significance and size: significant rise 5, rise 3, stable 2, fall 1,
  significant fall 0.5; a change that is not significant and smaller than ``stable_band_pct`` (5%)
  counts as stable; no previous figure scores as ``unknown`` (2, like stable).
* **harm** = 5 x ln(1 + w) / ln(1 + reference), capped at 5, where w is the issue's severity weight
  (ONS Crime Severity Score days of custody equivalent, :mod:`csp_analysis.methods.harm`) and the reference is
  8,000 (about homicide's weight): each tenfold rise in severity adds the same to the score.
* **public concern**, **organisational position**, **confidence**: the partnership's own ratings 1-5
  per issue (default 3). Organisational position is the *need for partnership action*: 5 = no
  effective response in place or a gap in capacity, 1 = well handled by existing activity.
  Confidence is confidence in the information: 5 = high, 1 = low.

Combination
-----------
* likelihood = (w_volume x volume + w_trend x trend) / (w_volume + w_trend)
* impact = (w_harm x harm + w_concern x public concern) / (w_harm + w_concern)
* modifier = (1 + w_org x (organisational position - 3) / 2) x (1 + w_conf x (confidence - 3) / 2):
  neutral (1.0) at the default rating 3; with w = 0.2 each ranges 0.8 to 1.2.
* **total** = likelihood x impact x modifier, rounded to 2 decimals (0 to 25 before the modifier);
  rank and RAG use the rounded total, so the published table reads consistently.
* **rank**: highest total first; ties broken by the higher harm weight, then by issue name.
* **RAG**: red when total >= ``thresholds.red`` (12: on average above about 3.5 of 5 on both
  likelihood and impact), amber when total >= ``thresholds.amber`` (8), otherwise green.

Why harm: ranked by volume alone shoplifting (hundreds) comes above robbery (tens); with harm
weights (robbery about 800, shoplifting about 12) robbery outranks shoplifting at realistic counts.

The issues table
----------------
:func:`score` takes one row per issue: ``issue`` (unique name), ``family`` (crime, asb, fire, road
safety, casework), ``police_uk_category`` (or empty), ``previous`` (empty when not available),
``current``, ``pct_change``, ``significant`` (bool), ``direction`` (+1, -1, 0) and optionally
``rate_per_1000``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pandera.pandas as pa

from csp_analysis.categories import POLICE_UK_CATEGORIES
from csp_analysis.config.priorities import (
    WEIGHT_NAMES,
    PartnershipInputs,
    PriorityScoring,
    RagThresholds,
    TrendPoints,
)
from csp_analysis.errors import ConfigError, InputDataError
from csp_analysis.methods.harm import issue_harm_weight, load_category_weights
from csp_analysis.schema_checks import validate_frame

__all__ = [
    "FAMILIES", "COMPONENTS", "SCORE_COLUMNS", "SENSITIVITY_COLUMNS", "RAG_ORDER", "validate_issues", "rag_for",
    "score", "formula_text", "weight_text", "sensitivity", "what_moves",
]

FAMILIES = ("crime", "asb", "fire", "road safety", "casework")
COMPONENTS = ("volume", "trend", "harm", "public_concern", "organisational_position", "confidence",
              "likelihood", "impact")
#: The columns of ``tables/priorities.csv`` (one row per issue, in rank order).
SCORE_COLUMNS = ("issue", "family", *COMPONENTS, "modifier", "total", "rank", "rag", "harm_weight", "harm_basis")
SENSITIVITY_COLUMNS = ("issue", "weight", "direction", "old_rank", "new_rank", "old_rag", "new_rag")
MOVES_COLUMNS = ("issue", "rank", "total", "red_threshold", "rise_needed", "rise_needed_pct", "would_turn_red",
                 "note")
RAG_ORDER = ("red", "amber", "green")


# --- Configuration ------------------------------------------------------------------------------



















# --- The issues table ---------------------------------------------------------------------------

ISSUES_LABEL = "priority issues table"
REQUIRED = ("issue", "family", "police_uk_category", "previous", "current", "pct_change", "significant",
            "direction")

ISSUES_SCHEMA = pa.DataFrameSchema(
    {
        "issue": pa.Column(str, pa.Check(lambda s: s.str.len() > 0, element_wise=False, error="is empty"),
                           unique=True),
        "family": pa.Column(str, pa.Check.isin(FAMILIES, error=f"is not one of {', '.join(FAMILIES)}")),
        "police_uk_category": pa.Column(str, pa.Check.isin(POLICE_UK_CATEGORIES,
                                                           error="is not a police.uk category"), nullable=True),
        "previous": pa.Column(float, pa.Check.ge(0), nullable=True),
        "current": pa.Column(float, pa.Check.ge(0)),
        "pct_change": pa.Column(float, nullable=True),
        "significant": pa.Column(bool),
        "direction": pa.Column(int, pa.Check.isin([-1, 0, 1], error="is not +1, -1 or 0")),
        "rate_per_1000": pa.Column(float, pa.Check.ge(0), nullable=True, required=False),
    },
    strict=False,
)


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna() & frame[column].astype(str).str.strip().ne("")
    if bad.any():
        raise InputDataError(ISSUES_LABEL, f"not a number: {frame.loc[bad, column].iloc[0]!r}",
                             row=int(np.flatnonzero(bad.to_numpy())[0]), column=column)
    return values.astype("float64")


def validate_issues(issues: pd.DataFrame) -> pd.DataFrame:
    """The issues table typed and checked; errors name the column and the first bad row."""
    missing = [c for c in REQUIRED if c not in issues.columns]
    if missing:
        raise InputDataError(ISSUES_LABEL, f"the column is missing (required: {', '.join(REQUIRED)})",
                             column=missing[0])
    table = issues.reset_index(drop=True).copy()
    table["issue"] = table["issue"].astype(str).str.strip()
    table["family"] = table["family"].astype(str).str.strip().str.lower()
    category = table["police_uk_category"].astype(object).where(table["police_uk_category"].notna(), "")
    category = category.astype(str).str.strip()
    table["police_uk_category"] = category.where(category.ne(""), None).astype(object)
    for column in ("previous", "current", "pct_change") + (("rate_per_1000",) if "rate_per_1000" in table else ()):
        table[column] = _numbers(table, column)
    if table["significant"].isna().any():
        raise InputDataError(ISSUES_LABEL, "is empty (give True or False)", column="significant",
                             row=int(np.flatnonzero(table["significant"].isna().to_numpy())[0]))
    truth = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
    parsed = table["significant"].map(
        lambda v: bool(v) if isinstance(v, (bool, np.bool_)) else truth.get(str(v).strip().lower()))
    if parsed.isna().any():
        first = int(np.flatnonzero(parsed.isna().to_numpy())[0])
        raise InputDataError(ISSUES_LABEL, f"not True or False: {table['significant'].iat[first]!r}",
                             column="significant", row=first)
    table["significant"] = parsed.astype(bool)
    direction = _numbers(table, "direction")
    if direction.isna().any() or (direction % 1 != 0).any():
        raise InputDataError(ISSUES_LABEL, "must be +1, -1 or 0", column="direction",
                             row=int(np.flatnonzero((direction.isna() | (direction % 1 != 0)).to_numpy())[0]))
    table["direction"] = direction.astype("int64")
    return validate_frame(ISSUES_SCHEMA, table, ISSUES_LABEL)


# --- Scoring ------------------------------------------------------------------------------------

def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _check_keys(table: pd.DataFrame, scoring: PriorityScoring) -> None:
    known = {_key(name) for name in table["issue"]}
    for block in ("issues", "harm_weights"):
        for name in getattr(scoring, block):
            if _key(name) not in known:
                raise ConfigError(f"priorities.{block}.{name}: not a measured issue "
                                  f"(issues: {', '.join(table['issue'])})")


def _prepare(issues: pd.DataFrame, scoring: PriorityScoring, category_weights: pd.DataFrame | None) -> pd.DataFrame:
    """The validated issues with harm weights and the partnership ratings resolved."""
    table = validate_issues(issues)
    _check_keys(table, scoring)
    weights = load_category_weights() if category_weights is None else category_weights
    resolved = [issue_harm_weight(row.issue, row.police_uk_category, row.family, category_table=weights,
                                  overrides=scoring.harm_weights) for row in table.itertuples()]
    table["harm_weight"] = [w for w, _ in resolved]
    table["harm_basis"] = [b for _, b in resolved]
    per_issue = {_key(k): v for k, v in scoring.issues.items()}
    for field in PartnershipInputs.model_fields:
        default = getattr(scoring.defaults, field)
        table[field] = [
            getattr(per_issue[_key(i)], field) if _key(i) in per_issue and getattr(per_issue[_key(i)], field)
            is not None else default for i in table["issue"]
        ]
    return table


def _trend(row, points: TrendPoints) -> float:
    if pd.isna(row.previous):
        return points.unknown
    if row.significant and row.direction > 0:
        return points.significant_rise
    if row.significant and row.direction < 0:
        return points.significant_fall
    if row.direction == 0 or (pd.notna(row.pct_change) and abs(row.pct_change) < points.stable_band_pct):
        return points.stable
    return points.rise if row.direction > 0 else points.fall


def _compute(table: pd.DataFrame, scoring: PriorityScoring) -> pd.DataFrame:
    """Components, modifier and rounded total for a prepared table (no rank, no RAG)."""
    w = scoring.weights
    out = table.copy()
    largest = float(out["current"].max())
    out["volume"] = (5 * np.log1p(out["current"]) / math.log1p(largest)) if largest > 0 else 0.0
    out["trend"] = [_trend(row, scoring.trend_points) for row in out.itertuples()]
    out["harm"] = np.minimum(5.0, 5 * np.log1p(out["harm_weight"]) / math.log1p(scoring.harm_reference_weight))
    out["likelihood"] = (w.volume * out["volume"] + w.trend * out["trend"]) / (w.volume + w.trend)
    out["impact"] = (w.harm * out["harm"] + w.public_concern * out["public_concern"]) / (w.harm + w.public_concern)
    out["modifier"] = ((1 + w.organisational_position * (out["organisational_position"] - 3) / 2)
                       * (1 + w.confidence * (out["confidence"] - 3) / 2))
    out["total"] = (out["likelihood"] * out["impact"] * out["modifier"]).round(2)
    return out


def rag_for(total: float, thresholds: RagThresholds) -> str:
    """'red' at or above the red threshold, 'amber' at or above amber, otherwise 'green'."""
    if total >= thresholds.red:
        return "red"
    return "amber" if total >= thresholds.amber else "green"


def _rank(computed: pd.DataFrame, scoring: PriorityScoring) -> pd.DataFrame:
    order = sorted(range(len(computed)), key=lambda i: (-computed["total"].iat[i], -computed["harm_weight"].iat[i],
                                                        computed["issue"].iat[i].casefold(), computed["issue"].iat[i]))
    ranked = computed.iloc[order].copy()
    ranked["rank"] = range(1, len(ranked) + 1)
    ranked["rag"] = [rag_for(t, scoring.thresholds) for t in ranked["total"]]
    return ranked.reset_index(drop=True)


def score(issues: pd.DataFrame, scoring: PriorityScoring | None = None, *,
          category_weights: pd.DataFrame | None = None) -> pd.DataFrame:
    """Score, rank and RAG every issue: the ``tables/priorities.csv`` table, in rank order.

    Columns: ``issue, family, volume, trend, harm, public_concern, organisational_position,
    confidence, likelihood, impact, modifier, total, rank, rag, harm_weight, harm_basis``.
    ``category_weights`` defaults to the committed ONS CSS weights (:mod:`csp_analysis.methods.harm`).
    """
    scoring = scoring or PriorityScoring()
    prepared = _prepare(issues, scoring, category_weights)
    return _rank(_compute(prepared, scoring), scoring)[list(SCORE_COLUMNS)]


def weight_text(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def formula_text(scoring: PriorityScoring | None = None) -> str:
    """The formula, weights and thresholds in words, for the methodology section of the report."""
    s = scoring or PriorityScoring()
    w, t, p = s.weights, s.thresholds, s.trend_points
    top = 25 * (1 + w.organisational_position) * (1 + w.confidence)
    d = s.defaults
    return (
        "Each measured issue is scored on components from 0 to 5. "
        "Volume is 5 × ln(1 + count) ÷ ln(1 + the largest count among the issues), so the most frequent issue "
        "scores 5 and a tenfold smaller count scores proportionally less on a log scale. "
        f"Trend scores {p.significant_rise:g} for a statistically significant rise, {p.rise:g} for a rise that is "
        f"not significant, {p.stable:g} when stable (no change, or a change under {p.stable_band_pct:g}% that is "
        f"not significant), {p.fall:g} for a fall that is not significant and {p.significant_fall:g} for a "
        f"significant fall; with no previous figure it scores {p.unknown:g}. "
        "Harm is 5 × ln(1 + severity weight) ÷ ln(1 + "
        f"{s.harm_reference_weight:,.0f}), capped at 5, where the severity weight is the ONS Crime Severity Score "
        "(days of custody equivalent) for the issue's police.uk category, averaged over the local offence mix, or a "
        "stated default for non-crime issues. Public concern, organisational position (need for partnership "
        "action: 5 = no effective response in place) and confidence in the information are the partnership's "
        f"ratings from 1 to 5 (default {d.public_concern}, {d.organisational_position} and {d.confidence}). "
        f"Likelihood = ({w.volume:g} × volume + {w.trend:g} × trend) ÷ {w.volume + w.trend:g}. "
        f"Impact = ({w.harm:g} × harm + {w.public_concern:g} × public concern) ÷ {w.harm + w.public_concern:g}. "
        f"Total = likelihood × impact × (1 + {w.organisational_position:g} × (organisational position − 3) ÷ 2) "
        f"× (1 + {w.confidence:g} × (confidence − 3) ÷ 2), rounded to two decimals; it ranges from 0 to "
        f"{top:g} (25 at neutral ratings of 3). "
        f"RAG: red when the total is {t.red:g} or more, amber from {t.amber:g} to below {t.red:g}, green below "
        f"{t.amber:g}. Issues are ranked by total; ties go to the higher harm weight, then alphabetical order."
    )


# --- Sensitivity and what moves a priority ------------------------------------------------------

def sensitivity(issues: pd.DataFrame, scoring: PriorityScoring | None = None, change: float = 0.2, *,
                category_weights: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which issues change rank or RAG when each component weight moves up and down by ``change``.

    One row per (issue, weight, direction) that changes: ``issue, weight, direction, old_rank,
    new_rank, old_rag, new_rag``; empty (same columns) when the ranking is robust. Weights of 0
    stay 0; a modifier weight moved above 1 is capped at 1.
    """
    if not 0 < change < 1:
        raise ValueError(f"change must be between 0 and 1 (a proportion), not {change}")
    scoring = scoring or PriorityScoring()
    prepared = _prepare(issues, scoring, category_weights)
    base = _rank(_compute(prepared, scoring), scoring).set_index("issue")
    rows = []
    for name in WEIGHT_NAMES:
        for label, factor in ((f"up {change:.0%}", 1 + change), (f"down {change:.0%}", 1 - change)):
            value = getattr(scoring.weights, name) * factor
            if name in ("organisational_position", "confidence"):
                value = min(value, 1.0)
            moved = scoring.model_copy(update={"weights": scoring.weights.model_copy(update={name: value})})
            new = _rank(_compute(prepared, moved), moved).set_index("issue")
            for issue in base.index:
                old_rank, new_rank = int(base.at[issue, "rank"]), int(new.at[issue, "rank"])
                old_rag, new_rag = base.at[issue, "rag"], new.at[issue, "rag"]
                if old_rank != new_rank or old_rag != new_rag:
                    rows.append({"issue": issue, "weight": name, "direction": label, "old_rank": old_rank,
                                 "new_rank": new_rank, "old_rag": old_rag, "new_rag": new_rag})
    return pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))


def _count_to_red(row: pd.Series, prepared: pd.DataFrame, scoring: PriorityScoring) -> int | None:
    """The smallest count, other things equal (trend score unchanged, largest count unchanged), at which
    the issue turns red; None if even the largest count among the issues would not do it."""
    largest = float(prepared["current"].max())
    i = prepared.index[prepared["issue"] == row["issue"]][0]
    w, red = scoring.weights, scoring.thresholds.red
    if largest <= 0 or w.volume == 0 or row["impact"] * row["modifier"] <= 0:
        return None
    likelihood = red / (row["impact"] * row["modifier"])
    volume = (likelihood * (w.volume + w.trend) - w.trend * row["trend"]) / w.volume
    if volume > 5:
        return None

    def red_at(count: int) -> bool:
        trial = prepared.copy()
        trial.at[i, "current"] = float(count)
        return bool(_compute(trial, scoring).at[i, "total"] >= red)

    count = max(int(row["current"]) + 1, math.ceil(math.expm1(max(volume, 0) / 5 * math.log1p(largest))))
    count = min(count, int(largest))
    while count < largest and not red_at(count):  # the total is rounded: step over the boundary
        count += 1
    while count - 1 > row["current"] and red_at(count - 1):
        count -= 1
    return count if red_at(count) else None


def what_moves(issues: pd.DataFrame, scoring: PriorityScoring | None = None, *,
               category_weights: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each amber issue, how far its total is from red and which single change would turn it red.

    Columns: ``issue, rank, total, red_threshold, rise_needed`` (points), ``rise_needed_pct`` (% of the
    total), ``would_turn_red`` (each single change that alone makes it red, other inputs unchanged:
    a higher public concern or organisational position rating, a statistically significant rise
    with the same count, or a higher count with the same trend score) and ``note`` (a sentence).
    """
    scoring = scoring or PriorityScoring()
    prepared = _prepare(issues, scoring, category_weights)
    ranked = _rank(_compute(prepared, scoring), scoring)
    red = scoring.thresholds.red
    rows = []
    for _, row in ranked[ranked["rag"] == "amber"].iterrows():
        i = prepared.index[prepared["issue"] == row["issue"]][0]
        changes = []
        for field, label in (("public_concern", "public concern"),
                             ("organisational_position", "organisational position")):
            for rating in range(int(row[field]) + 1, 6):
                trial = prepared.copy()
                trial.at[i, field] = rating
                if _compute(trial, scoring).at[i, "total"] >= red:
                    changes.append(f"{label} rated {rating} (now {int(row[field])})")
                    break
        if row["trend"] < scoring.trend_points.significant_rise:
            trial = prepared.copy()
            trial.at[i, "significant"], trial.at[i, "direction"] = True, 1
            if pd.isna(trial.at[i, "previous"]):
                trial.at[i, "previous"] = 0.0
            if _compute(trial, scoring).at[i, "total"] >= red:
                changes.append("a statistically significant rise")
        count = _count_to_red(row, prepared, scoring)
        if count is not None:
            changes.append(f"a count of {count:,} (now {int(row['current']):,})")
        rise = round(red - row["total"], 2)
        would = "; ".join(changes) if changes else "no single change of one input"
        note = (f"{row['issue']} (amber, total {row['total']:.2f}) needs {rise:.2f} more to reach red at "
                f"{red:g} (+{100 * rise / row['total']:.0f}%); "
                + (f"any one of these would do it: {would}." if changes else
                   "no single change of rating, trend or count would do it on its own."))
        rows.append({"issue": row["issue"], "rank": int(row["rank"]), "total": row["total"], "red_threshold": red,
                     "rise_needed": rise, "rise_needed_pct": round(100 * rise / row["total"], 1),
                     "would_turn_red": would, "note": note})
    return pd.DataFrame(rows, columns=list(MOVES_COLUMNS))


# --- Risk matrix --------------------------------------------------------------------------------





# --- Narrative ----------------------------------------------------------------------------------









