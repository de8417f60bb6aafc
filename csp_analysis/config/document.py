"""The document blocks of the configuration: who publishes it and how it is marked (``document:``),
and the partnership's strategy (``strategy:``): partners, aims and the priorities it chose."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

Text = Field(min_length=1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentSettings(_Strict):
    """Front matter: the author organisation, the protective marking and the date produced."""

    author: Optional[str] = None  # default: "<area> Community Safety Partnership"
    marking: str = Field(default="OFFICIAL", min_length=1)  # Government Security Classifications
    produced: Optional[dt.date] = None  # default: SOURCE_DATE_EPOCH, else the date the sections ran
    version: Optional[str] = None  # the document's own version ("Draft for the board, v2"), shown beside the code's


class Action(_Strict):
    """What a partner will do for a priority, who leads it and the measure that tracks it."""

    action: str = Text
    owner: str = Text
    measure: str = Text


class StrategyPriority(_Strict):
    """A specific priority the partnership chose, with its reasons, its actions and the measured issues
    (names in ``tables/priorities.csv``) that are its evidence."""

    title: str = Text
    rationale: str = Text
    issues: list[str] = []
    actions: list[Action] = Field(min_length=1)


class Strategy(_Strict):
    """The partnership's strategy: who it is, its high-level aims and its specific priorities."""

    partnership: str = Text
    period: Optional[str] = None  # the years the strategy covers, e.g. "2026/27"
    introduction: Optional[str] = None
    partners: list[str] = Field(min_length=1)
    other_agencies: list[str] = []
    aims: list[str] = Field(min_length=1)
    priorities: list[StrategyPriority] = Field(min_length=1)
    closing: Optional[str] = None  # how the strategy is agreed and where it feeds
