"""One progress display for the sections of a run and the assessments of a batch: a bar on a
terminal, nothing when output goes to a file or a pipe (CI logs, make, tests)."""

from __future__ import annotations

import sys

from tqdm import tqdm


class Progress:
    """Count steps of ``total`` named things; the current step's name is shown beside the bar."""

    def __init__(self, total: int, what: str):
        self._bar = tqdm(total=total, desc=what, unit="", file=sys.stderr, disable=not sys.stderr.isatty(),
                         bar_format="{desc}: {n_fmt}/{total_fmt} {bar} {postfix}", leave=False)

    def start(self, name: str) -> None:
        """Show that step ``name`` has begun."""
        self._bar.set_postfix_str(name)

    def done(self) -> None:
        """Count one step as finished."""
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_) -> None:
        self.close()
