"""Section 01 depends on the population file (rates, ranking) and on a national archive when given."""

from pathlib import Path
from types import SimpleNamespace

from csp_analysis.config.assessment import parse_config
from csp_analysis.periods import Period
from csp_analysis.pipeline.manifest import section_inputs
from csp_analysis.sections import SECTIONS


def test_crime_performance_reads_the_population_and_the_national_files(tmp_path):
    (tmp_path / "national" / "2021-01").mkdir(parents=True)
    national = tmp_path / "national" / "2021-01" / "2021-01-kent-street.csv"
    national.write_text("")
    config = parse_config({"area": {"name": "X", "lsoa_name_prefixes": ["X"]},
                           "period": {"start": "2021-01", "end": "2021-01"},
                           "inputs": {"population": "pop.csv", "national_police_uk": "national",
                                      "national_population": "ew.csv"}}, "x.yml")
    ctx = SimpleNamespace(config=config, current=Period.from_strings("2021-01", "2021-01"),
                          settings=SimpleNamespace(has_police_data=True, input_path=lambda r: tmp_path / r),
                          data=SimpleNamespace(street_files=[SimpleNamespace(path=Path("/s.csv"))], outcome_files=[]))
    files = section_inputs(ctx, SECTIONS[1])
    assert files == [Path("/s.csv"), national, tmp_path / "pop.csv", tmp_path / "ew.csv"]
