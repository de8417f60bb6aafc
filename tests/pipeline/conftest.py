"""One demo run shared by the tests that read its pages and documents (browser, accessibility, exports)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.pipeline.test_end_to_end import run_cli


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> Path:
    """A fresh demo run (``CSP_DEMO_RUN=DIR`` checks an existing run's output instead, to iterate quickly)."""
    if os.environ.get("CSP_DEMO_RUN"):
        return Path(os.environ["CSP_DEMO_RUN"])
    out = tmp_path_factory.mktemp("demo") / "northbridge"
    result = run_cli("run", "--config", "config/default.yml", "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out
