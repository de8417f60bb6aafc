"""Whole-month reporting periods and how a comparison period is chosen."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from csp_analysis.errors import ConfigError

COMPARISONS = ("previous-year", "preceding-period")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

#: Months of the 2020-21 national lockdowns in England, the default abnormal months: those touched by a
#: national stay-at-home order or, in the first, by the closures that outlasted it: 2020-03 to 2020-06
#: (from 23 March; non-essential shops shut until 15 June, hospitality until 4 July), 2020-11 (5 November
#: to 2 December) and 2021-01 to 2021-03 (from 6 January; "stay at home" until 29 March).
ENGLAND_LOCKDOWN_MONTHS = ("2020-03", "2020-04", "2020-05", "2020-06", "2020-11", "2021-01", "2021-02", "2021-03")


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


PRESETS = ("financial-year", "year-to-date")


def financial_year(year: int) -> Period:
    """The financial year that starts in April ``year``.

    >>> financial_year(2021).label
    'Apr 2021 to Mar 2022'
    """
    return Period(pd.Period(f"{year}-04", freq="M"), pd.Period(f"{year + 1}-03", freq="M"))


def year_to_date(through: str, year: int | None = None) -> Period:
    """April of the financial year holding ``through`` (or starting in ``year``) to ``through``.

    >>> year_to_date("2022-01").label
    'Apr 2021 to Jan 2022'
    >>> year_to_date("2021-04").label
    'Apr 2021'
    """
    end = parse_month(through, "period.through")
    starts = end.year if end.month >= 4 else end.year - 1
    if year is not None and year != starts:
        raise ConfigError(f"period.through ({end}) is not in the financial year {year}/{str(year + 1)[2:]} "
                          f"(Apr {year} to Mar {year + 1})")
    return Period(pd.Period(f"{starts}-04", freq="M"), end)


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


# --- Seasons and abnormal months ------------------------------------------------------------------

def months_spanned(start: pd.Timestamp, end: pd.Timestamp) -> list[str]:
    """The 'YYYY-MM' months a run of days touches (for periods given by day).

    >>> months_spanned(pd.Timestamp("2016-04-01"), pd.Timestamp("2016-06-03"))
    ['2016-04', '2016-05', '2016-06']
    """
    return [str(p) for p in pd.period_range(start.to_period("M"), end.to_period("M"), freq="M")]


def different_seasons(previous: list[str], current: list[str]) -> bool:
    """True when two runs of months do not cover the same months of the year.

    >>> different_seasons(["2021-02", "2021-03"], ["2021-04", "2021-05"])
    True
    >>> different_seasons(["2020-08", "2020-09"], ["2021-08", "2021-09"])
    False
    """
    return {m[5:] for m in previous} != {m[5:] for m in current}


def abnormal_in(months: list[str], abnormal) -> list[str]:
    """The months of a run that are listed as abnormal, in order.

    >>> abnormal_in(["2021-02", "2021-03", "2021-04"], ENGLAND_LOCKDOWN_MONTHS)
    ['2021-02', '2021-03']
    """
    listed = set(abnormal)
    return [m for m in months if m in listed]


def _month_names(months: list[str]) -> str:
    names = [pd.Period(m, freq="M").strftime("%b %Y") for m in months]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def season_message(previous: Period, current: Period) -> str:
    """Why a comparison of different months of the year needs care ("" when the months match).

    >>> season_message(Period.from_strings("2021-02", "2021-07"), Period.from_strings("2021-08", "2022-01"))[:60]
    'Different seasons: the comparison period (Feb 2021 to Jul 20'
    """
    if not different_seasons(previous.months, current.months):
        return ""
    return (f"Different seasons: the comparison period ({previous.label}) and the current period ({current.label}) "
            "cover different months of the year, so part of any change may be the season rather than a trend.")


def abnormal_message(previous: Period | None, current: Period, abnormal) -> str:
    """Which abnormal months each period includes ("" when neither does)."""
    parts = []
    for name, period in (("comparison", previous), ("current", current)):
        touched = abnormal_in(period.months, abnormal) if period is not None else []
        if touched:
            parts.append(f"the {name} period ({period.label}) includes {_month_names(touched)}")
    if not parts:
        return ""
    return (f"Abnormal months: {' and '.join(parts)}, listed as abnormal in analysis.abnormal_months (by default "
            "the 2020-21 national lockdowns in England); a change may reflect those months' conditions, not a trend.")


def comparison_caveats(previous: Period, current: Period, abnormal) -> str:
    """The seasonal and abnormal-month caveats of a comparison, in one text ("" when none apply)."""
    return " ".join(text for text in (season_message(previous, current), abnormal_message(previous, current, abnormal))
                    if text)


def year_earlier(current: Period, months_available: list[str]) -> Period | None:
    """The same months a year before ``current`` when the data hold every one of them, else None.

    >>> year_earlier(Period.from_strings("2021-08", "2022-01"), ["2021-01", "2021-02"]) is None
    True
    """
    if current.n_months > 12:
        return None
    earlier = current.shifted(-12)
    return earlier if set(earlier.months) <= set(months_available) else None

