"""User-facing errors: one clear paragraph naming the file, row or column and the problem."""

from __future__ import annotations

from pathlib import Path


class CSPError(Exception):
    """An error caused by the user's input or configuration, reported without a traceback."""


class InputDataError(CSPError):
    """A data file is missing, unreadable or malformed."""

    def __init__(self, path: str | Path, problem: str, *, row: int | None = None, column: str | None = None):
        self.path = Path(path)
        self.problem = problem
        self.row = row
        self.column = column
        where = [f"file {self.path}"]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {problem}")


class ConfigError(CSPError):
    """The YAML configuration is missing, malformed or inconsistent."""
