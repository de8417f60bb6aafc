"""Where the project's own folders are: resolved from the package, never from the working directory."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

#: The package folder (csp_analysis/).
PACKAGE_DIR = Path(__file__).resolve().parent
#: The project folder that holds the package, notebooks/, config/, data/ and outputs/.
PROJECT_ROOT = PACKAGE_DIR.parent

DEFAULT_CONFIG = PROJECT_ROOT / "config" / "default.yml"


def slug(text: str, sep: str = "-") -> str:
    """A safe file or folder name part: ASCII letters and digits, other runs of characters as ``sep``.

    >>> slug("St Albans")
    'st-albans'
    >>> slug("All crime (excluding ASB)", "_")
    'all_crime_excluding_asb'
    >>> slug("../../../x")
    'x'
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", sep, ascii_text.lower()).strip(sep) or "unnamed"


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file's bytes."""
    with Path(path).open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
