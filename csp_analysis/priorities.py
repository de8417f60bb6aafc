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
  (ONS Crime Severity Score days of custody equivalent, :mod:`csp_analysis.harm`) and the reference is
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
from typing import Annotated, Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from matplotlib.figure import Figure
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from . import formatting as fmt
from .categories import POLICE_UK_CATEGORIES
from .errors import ConfigError, InputDataError
from .harm import issue_harm_weight, load_category_weights
from .mapping import validate_frame

__all__ = [
    "FAMILIES", "WEIGHT_NAMES", "COMPONENTS", "SCORE_COLUMNS", "SENSITIVITY_COLUMNS", "RAG_STYLE",
    "ComponentWeights", "TrendPoints", "RagThresholds", "PartnershipInputs", "IssueInputs", "PriorityScoring",
    "parse_scoring", "validate_issues", "rag_for", "score", "formula_text", "sensitivity", "what_moves",
    "risk_matrix", "priority_paragraphs", "executive_summary",
]

FAMILIES = ("crime", "asb", "fire", "road safety", "casework")
WEIGHT_NAMES = ("volume", "trend", "harm", "public_concern", "organisational_position", "confidence")
COMPONENTS = ("volume", "trend", "harm", "public_concern", "organisational_position", "confidence",
              "likelihood", "impact")
#: The columns of ``tables/priorities.csv`` (one row per issue, in rank order).
SCORE_COLUMNS = ("issue", "family", *COMPONENTS, "modifier", "total", "rank", "rag", "harm_weight", "harm_basis")
SENSITIVITY_COLUMNS = ("issue", "weight", "direction", "old_rank", "new_rank", "old_rag", "new_rag")
MOVES_COLUMNS = ("issue", "rank", "total", "red_threshold", "rise_needed", "rise_needed_pct", "would_turn_red",
                 "note")
RAG_ORDER = ("red", "amber", "green")
#: Colour-blind-safe colours (Okabe-Ito orange and bluish green, a dark red of distinct lightness)
#: and marker shapes, so RAG never depends on colour alone.
RAG_STYLE = {"red": ("#B2182B", "^"), "amber": ("#E69F00", "D"), "green": ("#009E73", "o")}


# --- Configuration ------------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ComponentWeights(_Strict):
    """Relative weights: volume and trend make likelihood; harm and public concern make impact;
    organisational position and confidence set the strength of the two modifiers (0 = off)."""

    volume: float = Field(default=1.0, ge=0)
    trend: float = Field(default=1.0, ge=0)
    harm: float = Field(default=2.0, ge=0)
    public_concern: float = Field(default=1.0, ge=0)
    organisational_position: float = Field(default=0.2, ge=0, le=1)
    confidence: float = Field(default=0.2, ge=0, le=1)

    @model_validator(mode="after")
    def _pairs_not_both_zero(self) -> ComponentWeights:
        if self.volume + self.trend <= 0:
            raise ValueError("volume and trend cannot both be 0 (likelihood would be undefined)")
        if self.harm + self.public_concern <= 0:
            raise ValueError("harm and public_concern cannot both be 0 (impact would be undefined)")
        return self


class TrendPoints(_Strict):
    """Trend score (0-5) by direction and significance; ``stable_band_pct`` is the size below which a
    change that is not significant counts as stable."""

    significant_rise: float = Field(default=5.0, ge=0, le=5)
    rise: float = Field(default=3.0, ge=0, le=5)
    stable: float = Field(default=2.0, ge=0, le=5)
    fall: float = Field(default=1.0, ge=0, le=5)
    significant_fall: float = Field(default=0.5, ge=0, le=5)
    unknown: float = Field(default=2.0, ge=0, le=5)
    stable_band_pct: float = Field(default=5.0, ge=0)


class RagThresholds(_Strict):
    """RAG from the total: red at ``red`` or more, amber at ``amber`` or more, otherwise green."""

    red: float = Field(default=12.0, gt=0)
    amber: float = Field(default=8.0, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> RagThresholds:
        if self.amber >= self.red:
            raise ValueError(f"amber ({self.amber:g}) must be below red ({self.red:g})")
        return self


Rating = Annotated[int, Field(ge=1, le=5)]


class PartnershipInputs(_Strict):
    """The partnership's ratings 1-5 that apply to an issue unless set for it in ``issues``."""

    public_concern: Rating = 3
    organisational_position: Rating = 3
    confidence: Rating = 3


class IssueInputs(_Strict):
    """Ratings for one issue; any left out take ``defaults``."""

    public_concern: Rating | None = None
    organisational_position: Rating | None = None
    confidence: Rating | None = None


class PriorityScoring(_Strict):
    """Everything the priority score depends on (the ``priorities:`` block of the configuration)."""

    weights: ComponentWeights = ComponentWeights()
    trend_points: TrendPoints = TrendPoints()
    thresholds: RagThresholds = RagThresholds()
    harm_reference_weight: float = Field(default=8000.0, gt=0)
    defaults: PartnershipInputs = PartnershipInputs()
    issues: dict[str, IssueInputs] = {}
    harm_weights: dict[str, Annotated[float, Field(ge=0)]] = {}


def parse_scoring(raw: Any, source: str = "configuration", *, prefix: str = "priorities") -> PriorityScoring:
    """Validate a parsed ``priorities:`` mapping (``None`` = all defaults); errors name every bad key."""
    if raw is None:
        return PriorityScoring()
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: {prefix}: must be a mapping of keys to values")
    try:
        return PriorityScoring.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join([prefix, *(str(part) for part in error["loc"])])
            message = ("unknown key" if error["type"] == "extra_forbidden"
                       else error["msg"].removeprefix("Value error, "))
            problems.append(f"{where}: {message}")
        raise ConfigError(f"{source}: {'; '.join(problems)}") from None


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
    ``category_weights`` defaults to the committed ONS CSS weights (:mod:`csp_analysis.harm`).
    """
    scoring = scoring or PriorityScoring()
    prepared = _prepare(issues, scoring, category_weights)
    return _rank(_compute(prepared, scoring), scoring)[list(SCORE_COLUMNS)]


def _weight_text(value: float) -> str:
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

def _label_positions(scored: pd.DataFrame, labels: list[str]) -> list[tuple[float, float, str]]:
    """Label anchors (x, y, alignment) in rank order: right of the point, or left of it near the right
    edge, nudged up or down until clear of labels already placed (widths estimated from the text)."""
    height, per_char = 0.13, 0.05
    # the markers are obstacles too: (left, right, y of a label-sized box centred on the point)
    placed: list[tuple[float, float, float]] = [(r.likelihood - 0.08, r.likelihood + 0.08, r.impact - height / 2)
                                                for r in scored.itertuples()]
    out = []
    for row, label in zip(scored.sort_values("rank").itertuples(), labels):
        ha = "right" if row.likelihood > 3.4 else "left"
        x = row.likelihood + (-0.1 if ha == "right" else 0.1)
        width = per_char * len(label)
        left, right = (x - width, x) if ha == "right" else (x, x + width)
        base = row.impact + 0.06
        y = base
        for step in (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5):
            y = base + step * height
            if not any(abs(y - py) < height and left < pr and pl < right for pl, pr, py in placed):
                break
        placed.append((left, right, y))
        out.append((x, y, ha))
    return out


def risk_matrix(scored: pd.DataFrame, scoring: PriorityScoring | None = None, *,
                title: str = "Priority risk matrix") -> Figure:
    """Impact (harm and public concern) against likelihood (volume and trend), one labelled point per issue.

    RAG is shown by colour (colour-blind-safe) **and** marker shape (red triangle, amber diamond,
    green circle). Because the total is likelihood x impact x modifier, the RAG boundaries on this
    plane are the curves likelihood x impact = threshold (drawn for the neutral modifier 1.0); an
    issue whose ratings give another modifier carries it in its label (e.g. "x1.20"), which is why it
    may sit on the other side of a curve. Dotted quadrant lines at the scale midpoint (2.5) split
    high from low likelihood and impact.
    """
    scoring = scoring or PriorityScoring()
    t = scoring.thresholds
    figure = Figure(figsize=(8, 6.5))
    ax = figure.subplots()
    for value in (2.5,):
        ax.axvline(value, color="0.6", linestyle=":", linewidth=0.8)
        ax.axhline(value, color="0.6", linestyle=":", linewidth=0.8)
    for level in RAG_ORDER:
        rows = scored[scored["rag"] == level]
        colour, marker = RAG_STYLE[level]
        bound = {"red": f"total ≥ {t.red:g}", "amber": f"{t.amber:g} ≤ total < {t.red:g}",
                 "green": f"total < {t.amber:g}"}[level]
        ax.scatter(rows["likelihood"], rows["impact"], s=70, color=colour, marker=marker, edgecolor="black",
                   linewidth=0.6, zorder=3, label=f"{level.capitalize()} ({bound})")
    for level, threshold in (("amber", t.amber), ("red", t.red)):
        if threshold < 25:
            x = np.linspace(threshold / 5, 5, 200)
            ax.plot(x, threshold / x, color=RAG_STYLE[level][0], linestyle="--", linewidth=1.2,
                    label=f"{level.capitalize()} boundary: likelihood × impact = {threshold:g} (modifier 1.00)")
    ordered = scored.sort_values("rank")
    labels = [f"{row.rank}. {row.issue}" + ("" if math.isclose(row.modifier, 1.0) else f" (×{row.modifier:.2f})")
              for row in ordered.itertuples()]
    for row, label, (x, y, ha) in zip(ordered.itertuples(), labels, _label_positions(scored, labels)):
        moved = not math.isclose(y, row.impact + 0.06)
        ax.annotate(label, (row.likelihood, row.impact), xytext=(x, y), textcoords="data", ha=ha, va="bottom",
                    fontsize=7, zorder=4,
                    arrowprops={"arrowstyle": "-", "color": "0.5", "linewidth": 0.5} if moved else None)
    ax.set_xlim(0, 5.2)
    ax.set_ylim(0, 5.2)
    ax.set_xlabel("Likelihood (volume and trend), 0–5")
    ax.set_ylabel("Impact (harm and public concern), 0–5")
    ax.set_title(title, loc="left")
    ax.legend(loc="lower left", fontsize=8, frameon=True)
    ax.grid(linewidth=0.3, alpha=0.4)
    figure.tight_layout()
    return figure


# --- Narrative ----------------------------------------------------------------------------------

def _change_sentence(line: pd.Series) -> str:
    current = fmt.count(line["current"])
    rate = ""
    if "rate_per_1000" in line and pd.notna(line.get("rate_per_1000")):
        rate = f" ({line['rate_per_1000']:.2f} per 1,000 residents)"
    if pd.isna(line["previous"]):
        return f"{current} in the current period{rate}; no previous figure, so no change can be measured"
    change = line["current"] - line["previous"]
    if line["significant"] and line["direction"] > 0:
        verdict = "a statistically significant rise"
    elif line["significant"] and line["direction"] < 0:
        verdict = "a statistically significant fall"
    elif change == 0:
        verdict = "no change"
    else:
        verdict = "not a statistically significant change"
    return (f"{current} in the current period{rate} against {fmt.count(line['previous'])} in the previous "
            f"({fmt.signed_count(change)}, {fmt.pct(line['pct_change'])}), {verdict}")


def _default_top(scored: pd.DataFrame) -> int:
    reds = int((scored["rag"] == "red").sum())
    return reds if reds else min(3, len(scored))


def priority_paragraphs(scored: pd.DataFrame, issues: pd.DataFrame, *, top: int | None = None) -> list[str]:
    """One paragraph per top priority (default: every red issue, or the top three if none is red).

    Every number comes from the tables: count and change from ``issues``; harm weight, components,
    total, rank and RAG from ``scored``.
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
            f"{_change_sentence(line)}. "
            f"Harm weight {_weight_text(row.harm_weight)} days of custody equivalent ({row.harm_basis}), "
            f"a harm score of {row.harm:.2f} of 5. "
            f"Likelihood {row.likelihood:.2f} of 5 (volume {row.volume:.2f}, trend {row.trend:g}); "
            f"impact {row.impact:.2f} of 5 (harm {row.harm:.2f}, public concern {row.public_concern} of 5)."
            + modifier
        )
    return paragraphs


def _names(names: list[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def executive_summary(scored: pd.DataFrame, issues: pd.DataFrame, scoring: PriorityScoring | None = None) -> str:
    """A short computed summary: RAG counts, the red priorities, what harm changes, the thresholds."""
    scoring = scoring or PriorityScoring()
    table = validate_issues(issues)
    counts = scored["rag"].value_counts()
    n_red, n_amber, n_green = (int(counts.get(k, 0)) for k in RAG_ORDER)
    ordered = scored.sort_values("rank")
    reds = ordered[ordered["rag"] == "red"]
    text = [f"{len(scored)} issues were scored for harm as well as volume: {n_red} red, {n_amber} amber and "
            f"{n_green} green (red at a total of {scoring.thresholds.red:g} or more, amber from "
            f"{scoring.thresholds.amber:g})."]
    if len(reds):
        listed = [f"{r.issue} ({r.total:.2f})" for r in reds.itertuples()]
        text.append(f"The red {'priority is' if len(reds) == 1 else 'priorities are'} {_names(listed)}.")
    first = ordered.iloc[0]
    line = table.set_index("issue").loc[first["issue"]]
    text.append(f"The highest-scoring issue, {first['issue']}, had {_change_sentence(line)}, and a harm weight of "
                f"{_weight_text(first['harm_weight'])}.")
    k = min(3, len(scored))
    by_volume = table.sort_values(["current", "issue"], ascending=[False, True])["issue"].head(k).tolist()
    by_score = ordered["issue"].head(k).tolist()
    if by_volume == by_score:
        text.append(f"Ranking by volume alone gives the same top {k}.")
    else:
        raised = [i for i in by_score if i not in by_volume]
        text.append(f"Ranked by volume alone the top {k} would be {_names(by_volume)}"
                    + (f"; weighing harm brings in {_names(raised)}." if raised else
                       f"; weighing harm reorders them as {_names(by_score)}."))
    if n_amber:
        gaps = ordered[ordered["rag"] == "amber"]
        closest = gaps.loc[gaps["total"].idxmax()]
        text.append(f"The amber issue closest to red is {closest['issue']} ({closest['total']:.2f}, "
                    f"{scoring.thresholds.red - closest['total']:.2f} below the red threshold).")
    return " ".join(text)
