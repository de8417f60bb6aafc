"""The disclosure-control rule of the configuration: which counts are too small to publish, and how
far a reader must be kept from working them out."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class DisclosureRule(BaseModel):
    """Which counts are too small to publish, for which case types, how suppression is shown, and the
    protection every suppressed small count must keep.

    ``sensitive`` lists case types matched (case-insensitively, as whole words) against a table's
    row and column labels when :func:`protect` is not told which cells are sensitive.

    Protection follows tau-ARGUS and sdcTable: after suppression, the values a reader could still
    hold for a suppressed small count (its feasible interval, computed by the audit) must contain
    the count's required interval (:meth:`required_interval`) and be at least ``sliding_protection``
    wide. By default the required interval is the whole suppressed range ``min_count..max_count``:
    the published figures narrow a suppressed small count no further than the rule itself does.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_count: int = Field(1, ge=1, description="smallest count suppressed (zeros are never suppressed)")
    max_count: int = Field(4, ge=1, description="largest count suppressed")
    sensitive: tuple[str, ...] = Field(
        ("domestic abuse", "domestic violence", "safeguarding", "modern slavery"),
        description="case types whose small counts are suppressed",
    )
    marker: str = Field("[c]", min_length=1, description="shown in place of a suppressed count")
    lower_protection: int | None = Field(
        None, ge=1, description="lower protection level: a reader must not rule out the count minus this "
                                "(never below min_count); default: min_count itself")
    upper_protection: int | None = Field(
        None, ge=1, description="upper protection level: a reader must not rule out the count plus this "
                                "(never above max_count); default: max_count itself")
    sliding_protection: int = Field(
        0, ge=0, description="smallest width (upper - lower) of a suppressed small count's feasible interval")

    @field_validator("sensitive")
    @classmethod
    def _non_empty_terms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        terms = tuple(term.strip() for term in value)
        if any(not term for term in terms):
            raise ValueError("sensitive case types must be non-empty text")
        return terms

    @model_validator(mode="after")
    def _range(self) -> DisclosureRule:
        if self.max_count <= self.min_count:
            raise ValueError(f"max_count ({self.max_count}) must be above min_count ({self.min_count}): a "
                             "suppressed count known to have a single possible value is not protected")
        if self.sliding_protection > self.max_count - self.min_count:
            raise ValueError(f"sliding_protection ({self.sliding_protection}) cannot exceed max_count - min_count "
                             f"({self.max_count - self.min_count}): a suppressed small count lies in that range")
        return self

    def matches(self, label: object) -> bool:
        """True when ``label`` names a sensitive case type ('Domestic abuse referrals' -> True)."""
        text = str(label)
        return any(re.search(rf"\b{re.escape(term)}\b", text, flags=re.IGNORECASE) for term in self.sensitive)

    @property
    def span(self) -> str:
        """The suppressed range as text: '1 to 4'."""
        return f"{self.min_count} to {self.max_count}"

    def describe(self, what: str | None = None) -> str:
        """'Counts of 1 to 4 for domestic abuse and safeguarding cases are suppressed ([c])'."""
        if what is None:
            terms = list(self.sensitive)
            what = (terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " and " + terms[-1]) + " cases"
        return f"Counts of {self.span} for {what} are suppressed ({self.marker})"

    def required_interval(self, value: int) -> tuple[int, int]:
        """The values a reader must not be able to rule out for a suppressed small count ``value``."""
        low = self.min_count if self.lower_protection is None else max(self.min_count, value - self.lower_protection)
        high = self.max_count if self.upper_protection is None else min(self.max_count, value + self.upper_protection)
        return low, high

    def is_protected(self, value: int, lower: float, upper: float) -> bool:
        """Whether a feasible interval ``[lower, upper]`` protects a suppressed small count ``value``."""
        low, high = self.required_interval(value)
        return lower <= low and upper >= high and upper - lower >= self.sliding_protection

    def describe_protection(self) -> str:
        """The requirement as text, without any count: 'the whole range 1 to 4'."""
        if self.lower_protection is None and self.upper_protection is None:
            text = f"the whole range {self.span}"
        else:
            below = "down to " + (str(self.min_count) if self.lower_protection is None
                                  else f"the count minus {self.lower_protection}")
            above = "up to " + (str(self.max_count) if self.upper_protection is None
                                else f"the count plus {self.upper_protection}")
            text = f"{below} and {above}, within {self.span}"
        if self.sliding_protection:
            text += f", at least {self.sliding_protection} wide"
        return text
