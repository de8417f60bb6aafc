"""What a configuration lets each section do: sections that cannot run are left out, or refused when
asked for by name; the ward section's population is optional; an empty population file is named."""

from __future__ import annotations

import pytest

from csp_analysis.errors import CSPError, InputDataError
from csp_analysis.geo.boundaries import load_lsoa_population
from csp_analysis.pipeline.runner import RunRequest, prepare
from tests.police.test_bad_inputs import archive

NO_WARDS = """
area: {name: Testshire, lsoa_name_prefixes: [Testshire]}
period: {start: 2021-03, end: 2021-03, comparison: preceding-period}
cache: false
"""


def test_a_section_that_cannot_run_is_left_out_of_a_whole_run(tmp_path):
    config, data = archive(tmp_path)
    config.write_text(NO_WARDS)
    plan = prepare(RunRequest(config, data, output_dir=tmp_path / "out"))
    assert [s.key for s in plan.sections] == ["data_quality", "crime_performance", "fire_and_rtc",
                                              "community_protection", "priorities"]


def test_a_section_that_cannot_run_asked_for_by_name_is_refused(tmp_path):
    config, data = archive(tmp_path)
    config.write_text(NO_WARDS)
    with pytest.raises(CSPError) as caught:
        prepare(RunRequest(config, data, sections=("ward_hotspots",), output_dir=tmp_path / "out"))
    assert str(caught.value) == (f"section ward_hotspots cannot run: it needs ward boundaries (inputs.wards) in "
                                 f"{config}. Nothing was written.")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text, problem", [
    ("", "is empty: a population file needs a header and one row per LSOA"),
    ("LSOA Code,LSOA Name,All usual residents\n", "holds a header but no rows: a population file needs one row per LSOA"),
])
def test_an_empty_population_file_is_named(tmp_path, text, problem):
    path = tmp_path / "population.csv"
    path.write_text(text)
    with pytest.raises(InputDataError) as caught:
        load_lsoa_population(path)
    assert str(caught.value) == f"file {path}: {problem}"
