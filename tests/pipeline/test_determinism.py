"""The same inputs and parameters give byte-identical tables and identical notebook outputs."""

from __future__ import annotations

import nbformat

from tests.pipeline.test_end_to_end import run_cli

SECTIONS = ("data_quality", "crime_performance", "ward_hotspots")


def outputs(path) -> list:
    notebook = nbformat.read(path, as_version=4)
    return [cell.get("outputs", []) for cell in notebook.cells]


def test_two_runs_are_identical(real_data, tmp_path):
    runs = []
    for name in ("first", "second"):
        out = tmp_path / name
        result = run_cli("run", "--config", "config/st-albans.yml", "--data-dir", str(real_data),
                         "--sections", *SECTIONS, "--output-dir", str(out))
        assert result.returncode == 0, result.stderr
        runs.append(out)
    first, second = runs
    tables = sorted(p.name for p in (first / "tables").glob("*.csv"))
    assert tables == sorted(p.name for p in (second / "tables").glob("*.csv")) and len(tables) >= 8
    for name in tables:
        assert (first / "tables" / name).read_bytes() == (second / "tables" / name).read_bytes(), name
    for notebook in (first / "notebooks").glob("*.ipynb"):
        assert outputs(notebook) == outputs(second / "notebooks" / notebook.name), notebook.name
    figures = sorted((first / "figures").glob("*.png"))
    assert figures and all(f.read_bytes() == (second / "figures" / f.name).read_bytes() for f in figures)
