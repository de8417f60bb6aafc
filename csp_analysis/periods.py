"""Whole-month reporting periods and how a comparison period is chosen."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .errors import ConfigError

COMPARISONS = ("previous-year", "preceding-period")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def parse_month(value: object, what: str) -> pd.Period:
    """Parse 'YYYY-MM' into a monthly period; ``what`` names the setting in the error."""
    text = str(value).strip()
    if not _MONTH.match(text):
        raise ConfigError(f"{what} must be a month written YYYY-MM, got '{value}'")
    return pd.Period(text, freq="M")


@dataclass(frozen=True)
class Period:
    """An inclusive run of whole calendar months."""

    start: pd.Period
    end: pd.Period

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ConfigError(
                f"the period is reversed: it ends ({self.end}) before it starts ({self.start})"
            )

    @classmethod
    def from_strings(cls, start: str, end: str) -> "Period":
        return cls(parse_month(start, "period start"), parse_month(end, "period end"))

    @property
    def months(self) -> list[str]:
        """Months in the period as 'YYYY-MM' strings, in order."""
        return [str(p) for p in pd.period_range(self.start, self.end, freq="M")]

    @property
    def n_months(self) -> int:
        return len(self.months)

    @property
    def days(self) -> int:
        """Length in days: the exposure used when comparing counts between periods."""
        return int((self.end.end_time.normalize() - self.start.start_time).days) + 1

    @property
    def label(self) -> str:
        """Human label such as 'Aug 2021 to Jan 2022' (or 'Jul 2014' for one month)."""
        first, last = self.start.strftime("%b %Y"), self.end.strftime("%b %Y")
        return first if first == last else f"{first} to {last}"

    @property
    def slug(self) -> str:
        return f"{self.start}_{self.end}"

    def shifted(self, months: int) -> "Period":
        return Period(self.start + months, self.end + months)


def comparison_period(current: Period, mode: str) -> Period:
    """The period that ``current`` is compared with: the same months a year earlier, or the
    equally long period just before it."""
    if mode == "previous-year":
        if current.n_months > 12:
            raise ConfigError(
                f"a {current.n_months}-month period cannot be compared with the same months a year "
                "earlier (they would overlap); use comparison 'preceding-period' or a shorter period"
            )
        return current.shifted(-12)
    if mode == "preceding-period":
        return current.shifted(-current.n_months)
    raise ConfigError(f"comparison must be one of {', '.join(COMPARISONS)}, got '{mode}'")
