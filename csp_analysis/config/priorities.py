"""The priorities block of the configuration: weights, trend points, RAG thresholds, partnership ratings
and the sensitivity analysis."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from csp_analysis.errors import ConfigError

WEIGHT_NAMES = ("trend", "public_concern", "organisational_position", "confidence")
MODIFIER_WEIGHTS = ("organisational_position", "confidence")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ComponentWeights(_Strict):
    """Relative weights of trend and public concern in the pressure on an issue; organisational
    position and confidence set the strength of the two modifiers (0 = off)."""

    trend: float = Field(default=1.0, ge=0)
    public_concern: float = Field(default=1.0, ge=0)
    organisational_position: float = Field(default=0.2, ge=0, le=1)
    confidence: float = Field(default=0.2, ge=0, le=1)

    @model_validator(mode="after")
    def _pair_not_both_zero(self) -> ComponentWeights:
        if self.trend + self.public_concern <= 0:
            raise ValueError("trend and public_concern cannot both be 0 (pressure would be undefined)")
        return self


class TrendPoints(_Strict):
    """Trend score (0-5) by direction and significance. A change that is not statistically
    significant scores as stable by default (``rise`` and ``fall`` equal ``stable``): the test
    cannot tell it from chance. Set ``rise`` and ``fall`` to score such changes by direction;
    ``stable_band_pct`` is then the size below which a change that is not significant counts as stable."""

    significant_rise: float = Field(default=5.0, ge=0, le=5)
    rise: float = Field(default=2.0, ge=0, le=5)
    stable: float = Field(default=2.0, ge=0, le=5)
    fall: float = Field(default=2.0, ge=0, le=5)
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

def _range(value: tuple[float, float]) -> tuple[float, float]:
    low, high = value
    if not 0 < low <= 1 <= high:
        raise ValueError(f"give [low, high] factors with 0 < low <= 1 <= high, not [{low:g}, {high:g}]")
    return value


Range = Annotated[tuple[float, float], AfterValidator(_range)]


class SensitivitySettings(_Strict):
    """The Monte Carlo sensitivity analysis: ``draws`` random sets of weights and thresholds, each
    parameter multiplied by a factor drawn uniformly from its range; how often each issue stays in the
    top ``top_n``."""

    draws: int = Field(default=1000, ge=100)
    top_n: int = Field(default=5, ge=1)
    weight_range: Range = (0.5, 1.5)  # component weights and the harm span
    threshold_range: Range = (0.8, 1.2)  # the red threshold


class PriorityScoring(_Strict):
    """Everything the priority score depends on (the ``priorities:`` block of the configuration)."""

    weights: ComponentWeights = ComponentWeights()
    trend_points: TrendPoints = TrendPoints()
    thresholds: RagThresholds = RagThresholds()
    harm_span_decades: float = Field(default=3.0, gt=0)  # harm 5 for the largest CSS, 0 at this many tenfold less
    defaults: PartnershipInputs = PartnershipInputs()
    issues: dict[str, IssueInputs] = {}
    harm_weights: dict[str, Annotated[float, Field(ge=0)]] = {}
    sensitivity: SensitivitySettings = SensitivitySettings()

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
