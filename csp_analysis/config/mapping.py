"""The column-and-value mapping block that describes one partner export in the configuration."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    field_validator,
    model_validator,
)

from csp_analysis.errors import ConfigError

Scalar = bool | int | float | str | None

#: Columns the mapping itself produces; a ``columns:`` entry may not use these names.
RESERVED = ("source_row", "date", "datetime")

class DateSpec(BaseModel):
    """Which columns hold a date (or a time), joined by spaces, and their strptime format."""

    model_config = ConfigDict(extra="forbid")
    columns: list[str | int]
    format: str
    zero_pad: int | None = None

    @field_validator("columns", mode="before")
    @classmethod
    def _single_column(cls, value):
        return [value] if isinstance(value, str | int) else value

class OtherValue(BaseModel):
    """Set every value missing from a value map to this one."""

    model_config = ConfigDict(extra="forbid")
    value: Scalar

class SourceMapping(BaseModel):
    """How one export's columns and values map to a source's canonical columns."""

    model_config = ConfigDict(extra="forbid")
    path: Path
    encoding: str = "utf-8"
    columns: dict[str, str | int]
    values: dict[str, dict[str, Scalar]] = {}
    other: dict[str, Literal["keep"] | OtherValue] = {}
    missing: list[str] = []
    date: DateSpec | None = None
    time: DateSpec | None = None

    @classmethod
    def parse(cls, block: object, name: str) -> SourceMapping:
        """Validate a config block, raising a ConfigError that names the block."""
        try:
            return cls.model_validate(block)
        except ValidationError as exc:
            raise ConfigError(f"config block '{name}': {exc}") from None

    @field_validator("values", mode="before")
    @classmethod
    def _text_keys(cls, values):
        if not isinstance(values, dict):
            return values
        checked = {}
        for column, value_map in values.items():
            if not isinstance(value_map, dict):
                return values  # let pydantic report the wrong type
            for key in value_map:
                if isinstance(key, bool) or not isinstance(key, str | int):
                    raise ValueError(
                        f"values.{column}: export value {key!r} is not text; quote it (YAML reads "
                        'unquoted yes/no/true/false/on/off as booleans), e.g. "yes": true'
                    )
            checked[column] = {str(key): value for key, value in value_map.items()}
        return checked

    @model_validator(mode="after")
    def _consistent(self) -> SourceMapping:
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ValueError(f"unknown encoding {self.encoding!r}") from None
        reserved = sorted(set(self.columns) & set(RESERVED))
        if reserved:
            raise ValueError(f"columns: {reserved} are produced by the mapping itself (use date:/time:)")
        for section, names in (("values", self.values), ("other", self.other)):
            unknown = sorted(set(names) - set(self.columns))
            if unknown:
                raise ValueError(f"{section}: {unknown} are not canonical columns named under columns:")
        for spec in (self.date, self.time):
            if spec is not None and spec.zero_pad is not None and spec.zero_pad < 1:
                raise ValueError("zero_pad must be a positive width")
        return self

    def source_column(self, canonical: str) -> str:
        """The export's name for a canonical column, for messages."""
        export = self.columns[canonical]
        return f"column {export}" if isinstance(export, int) else export

    def require(self, source: str, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        """Raise a ConfigError unless the mapping names every required column and only known ones."""
        missing = [name for name in required if name not in self.columns]
        unknown = sorted(set(self.columns) - set(required) - set(optional))
        problems = []
        if missing:
            problems.append(f"columns: must name {missing}")
        if unknown:
            problems.append(f"columns: {unknown} are not {source} columns (known: {sorted(required + optional)})")
        if self.date is None:
            problems.append("date: is required")
        if problems:
            raise ConfigError(f"config block '{source}': " + "; ".join(problems))
