"""Where the project's own folders are: resolved from the package, never from the working directory."""

from __future__ import annotations

from pathlib import Path

#: The package folder (csp_analysis/).
PACKAGE_DIR = Path(__file__).resolve().parent
#: The project folder that holds the package, notebooks/, config/, data/ and outputs/.
PROJECT_ROOT = PACKAGE_DIR.parent

DEFAULT_CONFIG = PROJECT_ROOT / "config" / "default.yml"
