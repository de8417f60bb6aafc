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


def os_error_message(exc: OSError) -> str:
    """An operating system's refusal (disk full, read-only, no permission) as one paragraph."""
    import errno

    where = f" {exc.filename}" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"the disk is full (writing{where}): free some space, or choose an --output-dir on another disk, "
                "and run again. The published output was not changed.")
    if exc.errno == errno.EROFS:
        return (f"cannot write{where}: the file system is read-only. Choose an --output-dir you can write to. "
                "The published output was not changed.")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (f"permission denied for{where}: choose an --output-dir you can write to, or ask for write access "
                "to it. The published output was not changed.")
    return f"{exc.strerror or exc}{' (' + str(exc.filename) + ')' if exc.filename else ''}. The published output was not changed."
