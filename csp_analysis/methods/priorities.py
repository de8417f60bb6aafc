"""Priority setting: a documented, configurable score for every measured issue, driven by harm as
the ONS Crime Severity Score defines it.

Every issue the assessment measures (crime categories, ASB, fires, road casualties, casework lines)
becomes one scored line. In the terms of MoRiLE (Management of Risk in Law Enforcement) the ONS
Crime Severity Score is already likelihood x impact: how many offences there were times how serious
each is. The score starts from that harm, sets it against the **pressure** on the issue (is it
rising, how much does the public worry) and adjusts it for the partnership's **organisational
position** and its **confidence** in the information. Every number is configurable
(:class:`~csp_analysis.config.priorities.PriorityScoring`) and :func:`formula_text` states the
formula in words for the report; ``docs/methodology.md`` works an example by hand.

Components
----------
* **CSS** (harm volume) = severity weight x count, in days of custody equivalent: the ONS Crime
  Severity Score of the issue's offences (:func:`csp_analysis.methods.harm.crime_severity`). A crime
  category's weight is the mean ONS weight of its offences in the force's offence mix; non-crime
  issues have stated default weights. Per 1,000 residents when the population is known.
* **harm** (0-5) = 5 - (5 / span) x log10(largest CSS among the issues / CSS), floored at 0: the
  issue with the most harm scores 5, and each tenfold less harm costs 5 / span points (span
  ``harm_span_decades``, default 3: a thousandth of the largest harm scores 0). The scale depends
  only on ratios of CSS, so doubling every count changes nothing.
* **trend** from direction and significance: significant rise 5, significant fall 0.5, anything the
  change test cannot tell from chance (and no previous figure) 2, as stable.
* **public concern**, **organisational position**, **confidence**: the partnership's ratings 1-5
  per issue (default 3). Organisational position is the *need for partnership action*: 5 = no
  effective response in place or a gap in capacity, 1 = well handled by existing activity.
  Confidence is confidence in the information: 5 = high, 1 = low.

Combination
-----------
* pressure = (w_trend x trend + w_concern x public concern) / (w_trend + w_concern)
* modifier = (1 + w_org x (organisational position - 3) / 2) x (1 + w_conf x (confidence - 3) / 2):
  neutral (1.0) at the default rating 3; with w = 0.2 each ranges 0.8 to 1.2.
* **total** = harm x pressure x modifier, rounded to 2 decimals (0 to 25 before the modifier);
  rank and RAG use the rounded total, so the published table reads consistently.
* **rank**: highest total first; ties broken by the higher CSS, then by issue name.
* **RAG**: red when total >= ``thresholds.red`` (12), amber when total >= ``thresholds.amber`` (8),
  otherwise green.

At neutral trend and ratings the ranking is the ranking by CSS: robbery (a few offences of weight
about 800) comes above shoplifting (hundreds of weight about 12) whenever its CSS is larger.

Sensitivity
-----------
:func:`stability` redraws the weights, the harm span and the thresholds at random
(``priorities.sensitivity``) and reports how often each issue stays in the top N, its range of
ranks and how often it is red; parameters that cannot change any rank or RAG are left out and named.

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
    MODIFIER_WEIGHTS,
    WEIGHT_NAMES,
    PartnershipInputs,
    PriorityScoring,
    RagThresholds,
    TrendPoints,
)
from csp_analysis.errors import ConfigError, InputDataError
from csp_analysis.methods.harm import (
    crime_severity,
    issue_harm_weight,
    load_category_weights,
)
from csp_analysis.schema_checks import validate_frame

__all__ = [
    "FAMILIES", "COMPONENTS", "SCORE_COLUMNS", "STABILITY_COLUMNS", "RAG_ORDER", "validate_issues", "rag_for",
    "score", "formula_text", "weight_text", "stability", "drivers", "what_moves",
]

FAMILIES = ("crime", "asb", "fire", "road safety", "casework")
COMPONENTS = ("harm", "trend", "public_concern", "organisational_position", "confidence", "pressure")
#: The columns of ``tables/priorities.csv`` (one row per issue, in rank order).
SCORE_COLUMNS = ("issue", "family", "current", "harm_weight", "css", "css_per_1000", *COMPONENTS, "modifier",
                 "total", "rank", "rag", "harm_basis")
STABILITY_COLUMNS = ("issue", "rank", "top_share", "rank_min", "rank_low", "rank_median", "rank_high", "rank_max",
                     "red_share")
MOVES_COLUMNS = ("issue", "rank", "total", "red_threshold", "rise_needed", "rise_needed_pct", "would_turn_red",
                 "note")
RAG_ORDER = ("red", "amber", "green")
#: What each input of the total is called in sentences (see :func:`drivers`).
DRIVER_LABELS = {"count": "number of offences", "severity": "severity weight", "trend": "trend",
                 "public_concern": "public concern rating", "organisational_position": "organisational position",
                 "confidence": "confidence rating"}


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


def _harm(css: np.ndarray, span) -> np.ndarray:
    """Harm 0-5 from CSS on a log scale relative to the largest (``span`` broadcasts over draws)."""
    css = np.asarray(css, dtype=float)
    largest = css.max(initial=0.0)
    if largest <= 0:
        return np.zeros(np.broadcast_shapes(css.shape, np.shape(span)))
    with np.errstate(divide="ignore"):
        decades = np.where(css > 0, np.log10(largest / np.where(css > 0, css, 1.0)), np.inf)
    return np.clip(5.0 - 5.0 / np.asarray(span, dtype=float) * decades, 0.0, 5.0)


def _pressure(trend, concern, w_trend, w_concern):
    return (w_trend * trend + w_concern * concern) / (w_trend + w_concern)


def _modifier(position, confidence, w_position, w_confidence):
    return (1 + w_position * (position - 3) / 2) * (1 + w_confidence * (confidence - 3) / 2)


def _compute(table: pd.DataFrame, scoring: PriorityScoring, population: float | None = None) -> pd.DataFrame:
    """CSS, components, modifier and rounded total for a prepared table (no rank, no RAG)."""
    w = scoring.weights
    out = table.copy()
    severity = crime_severity(out["harm_weight"], out["current"], population)
    out["css"], out["css_per_1000"] = severity["css"].to_numpy(), severity["css_per_1000"].to_numpy()
    out["harm"] = _harm(out["css"].to_numpy(), scoring.harm_span_decades)
    out["trend"] = [_trend(row, scoring.trend_points) for row in out.itertuples()]
    out["pressure"] = _pressure(out["trend"], out["public_concern"], w.trend, w.public_concern)
    out["modifier"] = _modifier(out["organisational_position"], out["confidence"], w.organisational_position,
                                w.confidence)
    out["total"] = (out["harm"] * out["pressure"] * out["modifier"]).round(2)
    return out


def rag_for(total: float, thresholds: RagThresholds) -> str:
    """'red' at or above the red threshold, 'amber' at or above amber, otherwise 'green'."""
    if total >= thresholds.red:
        return "red"
    return "amber" if total >= thresholds.amber else "green"


def _tiebreak(computed: pd.DataFrame) -> np.ndarray:
    """Each issue's place among equal totals: higher CSS first, then name (case ignored, then as written)."""
    order = sorted(range(len(computed)), key=lambda i: (-computed["css"].iat[i], computed["issue"].iat[i].casefold(),
                                                        computed["issue"].iat[i]))
    place = np.empty(len(computed), dtype=int)
    place[order] = np.arange(len(computed))
    return place


def _order(totals: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Issue indices in rank order for each row of ``totals`` (highest total first, then ``tiebreak``)."""
    cents = np.rint(np.asarray(totals, dtype=float) * 100).astype(np.int64)
    return np.argsort(-cents * len(tiebreak) + tiebreak, axis=-1, kind="stable")


def _rank(computed: pd.DataFrame, scoring: PriorityScoring) -> pd.DataFrame:
    ranked = computed.iloc[_order(computed["total"].to_numpy(), _tiebreak(computed))].copy()
    ranked["rank"] = range(1, len(ranked) + 1)
    ranked["rag"] = [rag_for(t, scoring.thresholds) for t in ranked["total"]]
    return ranked.reset_index(drop=True)


def score(issues: pd.DataFrame, scoring: PriorityScoring | None = None, *,
          category_weights: pd.DataFrame | None = None, population: float | None = None) -> pd.DataFrame:
    """Score, rank and RAG every issue: the ``tables/priorities.csv`` table, in rank order.

    Columns :data:`SCORE_COLUMNS`. ``category_weights`` defaults to the committed ONS CSS weights
    (:mod:`csp_analysis.methods.harm`); ``population`` (the area's residents) gives ``css_per_1000``.
    """
    scoring = scoring or PriorityScoring()
    prepared = _prepare(issues, scoring, category_weights)
    return _rank(_compute(prepared, scoring, population), scoring)[list(SCORE_COLUMNS)]


def weight_text(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def formula_text(scoring: PriorityScoring | None = None) -> str:
    """The formula, weights and thresholds in words, for the methodology section of the report."""
    s = scoring or PriorityScoring()
    w, t, p = s.weights, s.thresholds, s.trend_points
    top = 25 * (1 + w.organisational_position) * (1 + w.confidence)
    d = s.defaults
    if p.rise == p.stable == p.fall:
        middle = (f"{p.stable:g} for anything the change test cannot tell from chance (a change that is not "
                  "statistically significant, or none)")
    else:
        middle = (f"{p.rise:g} for a rise that is not significant, {p.stable:g} when stable (no change, or a change "
                  f"under {p.stable_band_pct:g}% that is not significant), {p.fall:g} for a fall that is not "
                  "significant")
    return (
        "Harm is the ONS Crime Severity Score of the issue: its count times its severity weight (days of custody "
        "equivalent: the ONS weight of each offence, averaged over the force's offence mix for a police.uk category, "
        "or a stated default for non-crime issues). On the score the issue with the most harm scores 5, and each "
        f"tenfold less harm costs {5 / s.harm_span_decades:.2f} points (5 ÷ {s.harm_span_decades:g}), so an issue with "
        f"1/{10 ** s.harm_span_decades:,.0f} of the largest harm or less scores 0. "
        f"Trend scores {p.significant_rise:g} for a statistically significant rise, {middle} and "
        f"{p.significant_fall:g} for a significant fall; with no previous figure it scores {p.unknown:g}. "
        "Public concern, organisational position (need for partnership action: 5 = no effective response in place) "
        "and confidence in the information are the partnership's ratings from 1 to 5 (default "
        f"{d.public_concern}, {d.organisational_position} and {d.confidence}). "
        f"Pressure = ({w.trend:g} × trend + {w.public_concern:g} × public concern) ÷ {w.trend + w.public_concern:g}. "
        f"Total = harm × pressure × (1 + {w.organisational_position:g} × (organisational position − 3) ÷ 2) "
        f"× (1 + {w.confidence:g} × (confidence − 3) ÷ 2), rounded to two decimals; it ranges from 0 to "
        f"{top:g} (25 at neutral ratings of 3). "
        f"RAG: red when the total is {t.red:g} or more, amber from {t.amber:g} to below {t.red:g}, green below "
        f"{t.amber:g}. Issues are ranked by total; ties go to the higher Crime Severity Score, then alphabetical order."
    )


# --- Sensitivity: a Monte Carlo over the weights and thresholds ----------------------------------

def _inert(computed: pd.DataFrame, scoring: PriorityScoring) -> dict[str, str]:
    """The parameters that no value in their range could make change a rank or a RAG, and why."""
    w = scoring.weights
    out = {}
    for name in MODIFIER_WEIGHTS:
        if getattr(w, name) == 0:
            out[name] = "weight 0: the modifier is off whatever factor multiplies it"
        elif (computed[name] == 3).all():
            out[name] = "every issue has the neutral rating 3, so the modifier is 1.00 whatever its weight"
    if w.trend == 0 or w.public_concern == 0:
        reason = ("one of the two pressure weights is 0, so pressure is the other component whatever "
                  "either weight is")
        out.update({"trend": reason, "public_concern": reason})
    elif np.allclose(computed["trend"], computed["public_concern"]):
        reason = "every issue's trend score equals its public concern rating, so pressure does not depend on them"
        out.update({"trend": reason, "public_concern": reason})
    css = computed["css"].to_numpy()
    if np.all(css == css.max()) or np.all(css == 0):
        out["harm_span_decades"] = "every issue has the same Crime Severity Score, so harm does not depend on the span"
    return out


def stability(issues: pd.DataFrame, scoring: PriorityScoring | None = None, *, seed: int = 12345,
              category_weights: pd.DataFrame | None = None, population: float | None = None) -> pd.DataFrame:
    """How stable the ranking is when the weights and thresholds are uncertain (a Monte Carlo).

    ``scoring.sensitivity.draws`` times, each component weight and the harm span are multiplied by a
    factor drawn uniformly from ``weight_range`` (modifier weights capped at 1) and the red threshold
    by a factor from ``threshold_range``, independently, with
    ``numpy.random.default_rng(seed)``; the issues are scored and ranked again. One row per issue, in
    base rank order: ``rank`` (base), ``top_share`` (share of draws in the top ``top_n``),
    ``rank_min``, ``rank_low`` and ``rank_high`` (5th and 95th percentiles), ``rank_median``,
    ``rank_max``, ``red_share``. Parameters that cannot change any rank or red rating (:func:`_inert`,
    and the amber threshold) are not drawn: ``.attrs["stability"]`` lists what was varied over which
    range and what was left out, and why.
    """
    scoring = scoring or PriorityScoring()
    settings = scoring.sensitivity
    computed = _compute(_prepare(issues, scoring, category_weights), scoring, population)
    base = _rank(computed, scoring)
    inert = _inert(computed, scoring)
    rng = np.random.default_rng(seed)
    n = settings.draws

    def drawn(name: str, value: float, bounds: tuple[float, float], cap: float | None = None) -> np.ndarray:
        if name in inert:
            return np.full((n, 1), value)
        factors = rng.uniform(*bounds, size=(n, 1))
        return np.minimum(value * factors, cap) if cap is not None else value * factors

    w = scoring.weights
    weights = {name: drawn(name, getattr(w, name), settings.weight_range,
                           1.0 if name in MODIFIER_WEIGHTS else None) for name in WEIGHT_NAMES}
    span = drawn("harm_span_decades", scoring.harm_span_decades, settings.weight_range)
    red = drawn("red", scoring.thresholds.red, settings.threshold_range)

    column = {c: computed[c].to_numpy(dtype=float)[None, :] for c in
              ("trend", "public_concern", "organisational_position", "confidence")}
    harm = _harm(computed["css"].to_numpy(), span)
    pressure = _pressure(column["trend"], column["public_concern"], weights["trend"], weights["public_concern"])
    modifier = _modifier(column["organisational_position"], column["confidence"],
                         weights["organisational_position"], weights["confidence"])
    totals = np.round(harm * pressure * modifier, 2)
    order = _order(totals, _tiebreak(computed))
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, order.shape[1] + 1)[None, :], axis=1)
    reds = totals >= red

    rows = []
    for row in base.itertuples():
        i = int(np.flatnonzero(computed["issue"].to_numpy() == row.issue)[0])
        r = ranks[:, i]
        rows.append({"issue": row.issue, "rank": row.rank, "top_share": float((r <= settings.top_n).mean()),
                     "rank_min": int(r.min()), "rank_low": float(np.percentile(r, 5)),
                     "rank_median": float(np.median(r)), "rank_high": float(np.percentile(r, 95)),
                     "rank_max": int(r.max()), "red_share": float(reds[:, i].mean())})
    result = pd.DataFrame(rows, columns=list(STABILITY_COLUMNS))
    varied = {name: settings.weight_range for name in (*WEIGHT_NAMES, "harm_span_decades") if name not in inert}
    varied["red"] = settings.threshold_range
    dropped = {**inert, "amber": "it only separates amber from green: no rank or share red depends on it"}
    result.attrs["stability"] = {"draws": n, "seed": seed, "top_n": settings.top_n, "varied": varied,
                                 "dropped": dropped}
    return result


# --- What drives a difference, and what moves a priority ---------------------------------------

def drivers(scored: pd.DataFrame, issue: str, other: str, scoring: PriorityScoring | None = None) -> pd.Series:
    """Why ``issue`` scores more (or less) than ``other``: each input's share of the difference.

    The total is harm x pressure x modifier, so ln(total A / total B) is the sum of the three
    factors' log ratios; harm's part is split between the number of offences and the severity
    weight in proportion to their log ratios (harm is linear in log CSS = log count + log weight),
    pressure's between trend and public concern in proportion to their weighted differences, and
    the modifier's between its two ratings exactly. Returns the parts (``count, severity, trend,
    public_concern, organisational_position, confidence``; positive: in favour of ``issue``),
    largest in size first, summing to ln(total A / total B). ``scored`` is :func:`score` output.
    """
    w = (scoring or PriorityScoring()).weights
    table = scored.set_index("issue")
    a, b = table.loc[issue], table.loc[other]
    tiny = 1e-12

    def log_ratio(column: str) -> float:
        return math.log(max(a[column], tiny) / max(b[column], tiny))

    parts = dict.fromkeys(DRIVER_LABELS, 0.0)
    count_part = math.log10(max(a["current"], tiny) / max(b["current"], tiny))
    severity_part = math.log10(max(a["harm_weight"], tiny) / max(b["harm_weight"], tiny))
    for name, piece, whole in (("count", count_part, count_part + severity_part),
                               ("severity", severity_part, count_part + severity_part)):
        parts[name] = log_ratio("harm") * piece / whole if whole else 0.0
    trend_part = w.trend * (a["trend"] - b["trend"])
    concern_part = w.public_concern * (a["public_concern"] - b["public_concern"])
    for name, piece in (("trend", trend_part), ("public_concern", concern_part)):
        parts[name] = log_ratio("pressure") * piece / (trend_part + concern_part) if trend_part + concern_part else 0.0
    parts["organisational_position"] = math.log(_modifier(a["organisational_position"], 3, w.organisational_position, 0)
                                                / _modifier(b["organisational_position"], 3, w.organisational_position, 0))
    parts["confidence"] = math.log(_modifier(3, a["confidence"], 0, w.confidence)
                                   / _modifier(3, b["confidence"], 0, w.confidence))
    result = pd.Series(parts)
    return result.reindex(result.abs().sort_values(ascending=False, kind="stable").index)


def _count_to_red(row: pd.Series, prepared: pd.DataFrame, scoring: PriorityScoring) -> int | None:
    """The smallest count, other things equal (trend score and the other issues unchanged), at which the
    issue turns red; None if no count would. The total grows with the count until the issue has the
    largest Crime Severity Score (harm 5), then stays, so the count is found by bisection below that."""
    i = prepared.index[prepared["issue"] == row["issue"]][0]
    red, weight = scoring.thresholds.red, float(prepared.at[i, "harm_weight"])
    if weight <= 0:
        return None

    def red_at(count: int) -> bool:
        trial = prepared.copy()
        trial.at[i, "current"] = float(count)
        return bool(_compute(trial, scoring).at[i, "total"] >= red)

    others = (prepared["harm_weight"] * prepared["current"]).drop(index=i).max()
    low, high = int(row["current"]), max(int(row["current"]) + 1, math.ceil(others / weight))
    if not red_at(high):
        return None
    while high - low > 1:  # red_at(low) is False, red_at(high) is True
        middle = (low + high) // 2
        low, high = (low, middle) if red_at(middle) else (middle, high)
    return high


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
