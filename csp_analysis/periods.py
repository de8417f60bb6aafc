"""Whole-month reporting periods and how a comparison period is chosen."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from csp_analysis.errors import ConfigError

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
        """Human label of the months.

        >>> Period.from_strings("2021-08", "2022-01").label
        'Aug 2021 to Jan 2022'
        >>> Period.from_strings("2014-07", "2014-07").label
        'Jul 2014'
        """
        first, last = self.start.strftime("%b %Y"), self.end.strftime("%b %Y")
        return first if first == last else f"{first} to {last}"

    @property
    def slug(self) -> str:
        return f"{self.start}_{self.end}"

    def contains(self, values: pd.Series) -> pd.Series:
        """True where a date, or a month written 'YYYY-MM', falls in the period (missing: False).

        >>> period = Period.from_strings("2025-01", "2025-03")
        >>> period.contains(pd.Series(["2024-12", "2025-02", ""])).tolist()
        [False, True, False]
        >>> period.contains(pd.to_datetime(pd.Series(["2025-03-31", "2025-04-01"]))).tolist()
        [True, False]
        """
        if pd.api.types.is_datetime64_any_dtype(values):
            months = values.dt.to_period("M")
        else:
            months = pd.to_datetime(values, format="%Y-%m", errors="coerce").dt.to_period("M")
        return (months.ge(self.start) & months.le(self.end)).fillna(False).astype(bool)

    def shifted(self, months: int) -> "Period":
        return Period(self.start + months, self.end + months)


def label_periods(values: pd.Series, previous: Period, current: Period) -> pd.Series:
    """'previous' or 'current' where a date or 'YYYY-MM' month falls in that period, else missing."""
    label = pd.Series(pd.NA, index=values.index, dtype="object")
    label[previous.contains(values)] = "previous"
    label[current.contains(values)] = "current"
    return label


def comparison_period(current: Period, mode: str) -> Period:
    """The period that ``current`` is compared with: the same months a year earlier, or the
    equally long period just before it.

    >>> current = Period.from_strings("2021-08", "2022-01")
    >>> comparison_period(current, "preceding-period").label
    'Feb 2021 to Jul 2021'
    >>> comparison_period(current, "previous-year").label
    'Aug 2020 to Jan 2021'
    """
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



def uncovered_months(dates: pd.Series, period: Period) -> list[str]:
    """Months of the period outside the span of months the data cover (first to last record)."""
    if dates.notna().sum() == 0:
        return period.months
    first, last = str(dates.min().to_period("M")), str(dates.max().to_period("M"))
    return [month for month in period.months if not first <= month <= last]

def coverage_message(dates: pd.Series, previous: Period | None, current: Period) -> str:
    """Why no comparison is possible, and whether the current period is incomplete ("" if neither)."""
    if previous is None:
        return "No comparison: no comparison period was given; current figures only."
    notes = []
    for label, period in (("comparison", previous), ("current", current)):
        gap = uncovered_months(dates, period)
        if gap:
            months = gap[0] if len(gap) == 1 else f"{gap[0]} .. {gap[-1]} ({len(gap)} months)"
            notes.append(f"the data hold no records for {months} of the {label} period ({period.label})")
    if uncovered_months(dates, previous):
        return f"No comparison: {'; '.join(notes)}. Current figures only."
    return f"Incomplete: {notes[0]}." if notes else ""
