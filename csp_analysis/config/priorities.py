"""The priorities block of the configuration: weights, trend points, RAG thresholds and partnership ratings."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from csp_analysis.errors import ConfigError

WEIGHT_NAMES = ("volume", "trend", "harm", "public_concern", "organisational_position", "confidence")

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
