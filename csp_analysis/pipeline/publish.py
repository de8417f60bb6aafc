"""Where a run may write and how its output replaces the published one.

Rules that keep everything outside a run's own output untouched:

- A run replaces only a folder it wrote itself: one holding the :data:`MARKER` file (or a
  ``manifest.json`` of this tool, from versions before the marker). Any other existing folder, or
  a file, is refused before anything is written.
- A run's working files live in the project, in one folder per output folder
  (``.build/outputs/<name>-<hash of its path>/``, :func:`work_folder`): the lock, the build folder
  of the sections (kept between runs, so that a rerun redoes only what changed or failed) and
  make's plan. Nothing is left beside the output.
- One run at a time per output folder: a second run is refused with a clear message while the
  first holds the lock.
- The output is published from a fresh staging folder beside it (``.<name>.<random>.partial``,
  removed at once), swapped in by renaming, so a reader only ever sees the old complete
  assessment or the new complete one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from csp_analysis.errors import CSPError
from csp_analysis.paths import PROJECT_ROOT

MARKER = ".csp-analysis-output"
_MARKER_TEXT = "Written by csp-analysis. The next run into this folder replaces it whole.\n"
#: Set by ``python -m csp_analysis build`` for the make steps it runs: the lock it already holds.
LOCK_ENV = "CSP_OUTPUT_LOCK"
WORK_ROOT = PROJECT_ROOT / ".build" / "outputs"


def owned(folder: Path) -> bool:
    """True when ``folder`` was written by this tool (its marker, or this tool's manifest)."""
    if (folder / MARKER).is_file():
        return True
    try:
        record = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and record.get("tool", {}).get("name") == "csp-analysis"


def mark(folder: Path) -> None:
    """Mark ``folder`` as written by this tool."""
    (folder / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")


def check_target(target: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is a file, holds a ``protected`` path, or is someone else's folder."""
    if target.exists() and not target.is_dir():
        raise CSPError(f"the output folder {target} is an existing file, not a folder; nothing was changed. "
                       "Choose another --output-dir.")
    for path in protected:
        if path == target or path.is_relative_to(target):
            raise CSPError(f"the output folder {target} holds {path}, which a run must never replace; nothing was "
                           "changed. Choose an --output-dir of its own, e.g. a new folder under outputs/.")
    if target.is_dir() and any(target.iterdir()) and not owned(target):
        raise CSPError(f"the output folder {target} already exists and was not written by this tool (it has no "
                       f"{MARKER} file); a run replaces its output folder whole, so it will not write there. "
                       "Nothing was changed. Choose a new --output-dir, or empty that folder first.")


def work_folder(target: Path) -> Path:
    """The project's folder for one output's lock, build folder and plan."""
    digest = hashlib.sha256(str(target).encode()).hexdigest()[:10]
    return WORK_ROOT / f"{target.name}-{digest}"


def lock_path(target: Path) -> Path:
    return work_folder(target) / "lock"


@contextmanager
def output_lock(target: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the output folder's lock; refuse at once if another run holds it.

    ``shared``: the steps of one make build (sections side by side) may hold it together, but not
    while a ``run`` or a ``build`` holds it alone. A step run by ``build`` uses the build's lock.
    """
    path = lock_path(target)
    if os.environ.get(LOCK_ENV) == str(path):
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CSPError(f"another run is writing {target} now (it holds {path}); nothing was changed. Wait for it "
                           "to finish, or choose another --output-dir.") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_folder(target: Path) -> Path:
    """The folder where the sections of ``target`` are built and kept between runs (made if absent)."""
    folder = work_folder(target) / "build"
    if folder.exists() and not (folder.is_dir() and owned(folder)):
        raise CSPError(f"{folder} exists and was not written by this tool; nothing was changed. Remove it or "
                       "choose another --output-dir.")
    folder.mkdir(parents=True, exist_ok=True)
    mark(folder)
    return folder


def new_staging(target: Path, label: str = "partial") -> Path:
    """A fresh, marked folder beside ``target`` that no other run shares."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=f".{label}", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)  # mkdtemp's folders are private; the published one reads like any other
    mark(folder)
    return folder


def check_writable(target: Path) -> None:
    """Stop before any section runs if the output's folder cannot be written (read-only, forbidden,
    full): a staging folder is made there and removed at once. The error names the output folder."""
    try:
        shutil.rmtree(new_staging(target))
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None


def remove_stale_staging(target: Path) -> None:
    """Remove staging folders left by killed runs (call with the lock held: no other run is using them)."""
    for folder in target.parent.glob(f".{target.name}.*.partial"):
        if folder.is_dir() and owned(folder):
            shutil.rmtree(folder, ignore_errors=True)


def publish(staging: Path, target: Path) -> None:
    """Swap the complete ``staging`` folder in as ``target``; the old output (ours) is removed."""
    check_target(target, [])
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        old.rmdir()
        target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_BODY = re.compile(r"<body[^>]*>")


def label_page(path: Path, banner_html: str) -> None:
    """Put ``banner_html`` first in the page's body."""
    page = path.read_text(encoding="utf-8")
    path.write_text(_BODY.sub(lambda m: m.group(0) + banner_html, page, count=1), encoding="utf-8")


def publish_copy(build: Path, target: Path, files: list[str], banner_html: str | None = None) -> None:
    """Publish a copy of ``files`` (paths relative to the ``build`` folder) as ``target``; with
    ``banner_html``, every page of the copy carries it (the build folder's pages stay as they are)."""
    staging = new_staging(target)
    try:
        for relative in files:
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(build / relative, destination)
            if banner_html and destination.suffix == ".html":
                label_page(destination, banner_html)
        publish(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
