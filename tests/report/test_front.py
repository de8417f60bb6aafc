"""The front matter's date produced, code version and inputs hash."""

from __future__ import annotations

import datetime as dt
import subprocess

from csp_analysis import __version__
from csp_analysis.report import front

RUNS = [{"ended": "2026-01-05T10:00:00+0000"}, {"ended": "2026-01-06T09:00:00+0000"}]


def test_date_produced_is_the_configured_date_first_then_source_date_epoch_then_the_run():
    assert front.produced(dt.date(2026, 2, 2), RUNS, environ={"SOURCE_DATE_EPOCH": "0"}) == (
        dt.date(2026, 2, 2), "set in the configuration")
    assert front.produced(None, RUNS, environ={"SOURCE_DATE_EPOCH": "1767225600"}) == (
        dt.date(2026, 1, 1), "SOURCE_DATE_EPOCH")
    assert front.produced(None, RUNS, environ={}) == (dt.date(2026, 1, 6), "the date the sections ran")


def test_code_version_without_git_is_the_package_version(monkeypatch):
    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(subprocess, "run", no_git)
    assert front.code_version() == __version__


def test_inputs_hash_changes_with_any_input_and_not_with_order():
    a, b = {"path": "a.csv", "sha256": "1" * 64}, {"path": "b.csv", "sha256": "2" * 64}
    assert front.inputs_hash([a, b]) == front.inputs_hash([b, a])
    assert front.inputs_hash([a, b]) != front.inputs_hash([a, {**b, "sha256": "3" * 64}])
