"""The code has no undefined names, unused imports or syntax errors (ruff's F and E9 rules)."""

import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F,E9", "--no-cache",
                             "csp_analysis", "tests", "benchmarks"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
