"""The document's front matter: what it is, for which area and period, when and by what it was
produced, from which inputs, by whom, and its protective marking."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from dataclasses import dataclass

from csp_analysis import __version__
from csp_analysis.config.assessment import AreaConfig
from csp_analysis.paths import PROJECT_ROOT


@dataclass(frozen=True)
class Masthead:
    """What every page carries: the document's title, its period and its protective marking."""

    title: str
    period: str
    marking: str
    synthetic: bool


@dataclass(frozen=True)
class FrontMatter:
    """The front page's facts, each stated with where it comes from."""

    masthead: Masthead
    area: str
    county: str | None
    current: str
    previous: str
    comparison: str
    author: str
    produced: dt.date
    produced_basis: str
    document_version: str | None
    code_version: str
    inputs_hash: str
    input_count: int

    @property
    def produced_text(self) -> str:
        return f"{self.produced.day} {self.produced:%B %Y}"


def masthead(config: AreaConfig, period: str) -> Masthead:
    return Masthead(config.display_title, period, config.document.marking, config.synthetic)


def code_version() -> str:
    """The package version, with the git commit when the code runs from a clone ('0.1.0, commit 1a2b3c4d5e6f')."""
    try:
        commit = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short=12", "HEAD"],
                                capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return __version__
    return f"{__version__}, commit {commit}" + (" with local changes" if dirty else "")


def inputs_hash(inputs: list[dict]) -> str:
    """One SHA-256 over every input's path and SHA-256 (sorted by path): changes if any input changes.

    >>> inputs_hash([{"path": "b", "sha256": "2"}, {"path": "a", "sha256": "1"}])[:12]  # sha256 of "a\\t1\\nb\\t2\\n"
    '6d2d1bd0abae'
    """
    lines = "".join(f"{f['path']}\t{f['sha256']}\n" for f in sorted(inputs, key=lambda f: f["path"]))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def produced(configured: dt.date | None, runs: list[dict], environ=os.environ) -> tuple[dt.date, str]:
    """The date the document states, and where it comes from: the configuration's ``document.produced``,
    else ``SOURCE_DATE_EPOCH``, else the date the last section ran (recorded in ``manifest.json``).

    >>> produced(None, [{"ended": "2026-01-05T10:00:00+0000"}], environ={})
    (datetime.date(2026, 1, 5), 'the date the sections ran')
    """
    if configured is not None:
        return configured, "set in the configuration"
    if environ.get("SOURCE_DATE_EPOCH"):
        stamp = dt.datetime.fromtimestamp(int(environ["SOURCE_DATE_EPOCH"]), tz=dt.timezone.utc)
        return stamp.date(), "SOURCE_DATE_EPOCH"
    ended = [r["ended"][:10] for r in runs if r.get("ended")]
    if ended:
        return dt.date.fromisoformat(max(ended)), "the date the sections ran"
    return dt.date.today(), "the date the document was assembled"


def front_matter(config: AreaConfig, manifest: dict, *, area: str, county: str | None, current: str,
                 previous: str, comparison: str) -> FrontMatter:
    """The front matter of one run, from its configuration and its manifest."""
    date, basis = produced(config.document.produced, manifest.get("notebooks", []))
    return FrontMatter(
        masthead=masthead(config, current), area=area, county=county, current=current, previous=previous,
        comparison=comparison, author=config.author, produced=date, produced_basis=basis,
        document_version=config.document.version, code_version=code_version(),
        inputs_hash=inputs_hash(manifest["inputs"]), input_count=len(manifest["inputs"]))
