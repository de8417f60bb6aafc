"""The disclosure-control rule of the configuration: which counts are too small to publish."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class DisclosureRule(BaseModel):
    """Which counts are too small to publish, for which case types, and how suppression is shown.

    ``sensitive`` lists case types matched (case-insensitively, as whole words) against a table's
    row and column labels when :func:`protect` is not told which cells are sensitive.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_count: int = Field(1, ge=1, description="smallest count suppressed (zeros are never suppressed)")
    max_count: int = Field(4, ge=1, description="largest count suppressed")
    sensitive: tuple[str, ...] = Field(
        ("domestic abuse", "domestic violence", "safeguarding", "modern slavery"),
        description="case types whose small counts are suppressed",
    )
    marker: str = Field("[c]", min_length=1, description="shown in place of a suppressed count")

    @field_validator("sensitive")
    @classmethod
    def _non_empty_terms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        terms = tuple(term.strip() for term in value)
        if any(not term for term in terms):
            raise ValueError("sensitive case types must be non-empty text")
        return terms

    @model_validator(mode="after")
    def _range(self) -> DisclosureRule:
        if self.max_count < self.min_count:
            raise ValueError(f"max_count ({self.max_count}) is below min_count ({self.min_count})")
        return self

    def matches(self, label: object) -> bool:
        """True when ``label`` names a sensitive case type ('Domestic abuse referrals' -> True)."""
        text = str(label)
        return any(re.search(rf"\b{re.escape(term)}\b", text, flags=re.IGNORECASE) for term in self.sensitive)

    def describe(self, what: str | None = None) -> str:
        """'Counts of 1 to 4 for domestic abuse and safeguarding cases are suppressed ([c])'."""
        if what is None:
            terms = list(self.sensitive)
            what = (terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " and " + terms[-1]) + " cases"
        span = (f"{self.min_count}" if self.min_count == self.max_count
                else f"{self.min_count} to {self.max_count}")
        return f"Counts of {span} for {what} are suppressed ({self.marker})"
