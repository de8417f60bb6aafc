"""Configuration validation: errors name the file and the key."""

import pytest

from csp_analysis.config.assessment import load_config, parse_config
from csp_analysis.errors import ConfigError
from csp_analysis.paths import PROJECT_ROOT

MINIMAL = {"area": {"name": "X", "lsoa_name_prefixes": ["X"]}, "period": {"start": "2021-01", "end": "2021-06"}}


def test_shipped_configs_load():
    for path in sorted((PROJECT_ROOT / "config").rglob("*.yml")):
        if "batches" not in path.parts:
            assert load_config(path).area.name


def test_shipped_batches_load():
    from csp_analysis.pipeline.batch import load_batch

    runs = load_batch(PROJECT_ROOT / "config" / "batches" / "hertfordshire-districts.yml")
    assert [name for name, _ in runs][:2] == ["Broxbourne", "Dacorum"] and len(runs) == 10
    assert all(config["sections"] == ["crime_performance"] and "title" not in config for _, config in runs)
    assert not any("strategy" in config or "document" in config for _, config in runs)  # St Albans' own


def test_minimal_config_defaults():
    config = parse_config(MINIMAL, "x.yml")
    assert config.period.comparison == "previous-year" and config.inputs.police_uk == "police-uk"


def test_unknown_key_is_named():
    with pytest.raises(ConfigError, match=r"x.yml: area.nmae: unknown key"):
        parse_config({**MINIMAL, "area": {"name": "X", "nmae": "y", "lsoa_codes": ["E1"]}}, "x.yml")


def test_wrong_type_is_named():
    with pytest.raises(ConfigError, match=r"area.lsoa_name_prefixes"):
        parse_config({**MINIMAL, "area": {"name": "X", "lsoa_name_prefixes": 5}}, "x.yml")


def test_bad_month_and_comparison_are_named():
    bad = {**MINIMAL, "period": {"start": "2021-13", "end": "2021-06", "comparison": "last-year"}}
    with pytest.raises(ConfigError) as error:
        parse_config(bad, "x.yml")
    assert "period.start" in str(error.value) and "period.comparison" in str(error.value)


def test_area_needs_a_selector():
    with pytest.raises(ConfigError, match="area: give at least one of"):
        parse_config({**MINIMAL, "area": {"name": "X"}}, "x.yml")


def test_district_codes_need_a_lookup():
    with pytest.raises(ConfigError, match="district_codes need inputs.lsoa_ward_lookup"):
        parse_config({**MINIMAL, "area": {"name": "X", "district_codes": ["E07000240"]}}, "x.yml")


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "absent.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("area: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(broken)
    listing = tmp_path / "list.yml"
    listing.write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_config(listing)


def test_abnormal_months_default_to_the_lockdowns_and_are_validated():
    assert parse_config(MINIMAL, "x.yml").analysis.abnormal_months == [
        "2020-03", "2020-04", "2020-05", "2020-06", "2020-11", "2021-01", "2021-02", "2021-03"]
    own = parse_config({**MINIMAL, "analysis": {"abnormal_months": ["2022-06", "2019-12", "2022-06"]}}, "x.yml")
    assert own.analysis.abnormal_months == ["2019-12", "2022-06"]  # sorted, once each
    assert parse_config({**MINIMAL, "analysis": {"abnormal_months": []}}, "x.yml").analysis.abnormal_months == []
    with pytest.raises(ConfigError, match=r"x.yml: analysis.abnormal_months: each month must be a month written "
                                          r"YYYY-MM, got '2020-13'"):
        parse_config({**MINIMAL, "analysis": {"abnormal_months": ["2020-13"]}}, "x.yml")
    with pytest.raises(ConfigError, match=r"analysis.abnormal_months: must be a list"):
        parse_config({**MINIMAL, "analysis": {"abnormal_months": "2020-04"}}, "x.yml")


def test_document_defaults_to_official_and_the_area_partnership():
    config = parse_config({"area": {"name": "X", "whole_force": True}, "period": {"start": "2025-01", "end": "2025-12"}},
                          "test")
    assert config.document.marking == "OFFICIAL" and config.author == "X Community Safety Partnership"
    assert config.strategy is None


def test_strategy_priorities_need_actions_with_owner_and_measure():
    raw = {"area": {"name": "X", "whole_force": True}, "period": {"start": "2025-01", "end": "2025-12"},
           "strategy": {"partnership": "X CSP", "partners": ["Council"], "aims": ["Aim"],
                        "priorities": [{"title": "P", "rationale": "R", "actions": [{"action": "A", "owner": "O"}]}]}}
    with pytest.raises(ConfigError, match=r"strategy\.priorities\.0\.actions\.0\.measure"):
        parse_config(raw, "test")


def test_financial_year_and_year_to_date_presets_worked_dates():
    area = MINIMAL["area"]
    year = parse_config({"area": area, "period": {"preset": "financial-year", "year": 2021}}, "x.yml").period
    assert (year.start, year.end) == ("2021-04", "2022-03")
    seed = parse_config({"area": area, "period": {"preset": "year-to-date", "through": "2022-01"}}, "x.yml").period
    assert (seed.start, seed.end) == ("2021-04", "2022-01")  # the seed's April to January
    march = parse_config({"area": area, "period": {"preset": "year-to-date", "year": 2021, "through": "2022-03"}},
                         "x.yml").period
    assert (march.start, march.end) == ("2021-04", "2022-03")
    april = parse_config({"area": area, "period": {"preset": "year-to-date", "through": "2021-04"}}, "x.yml").period
    assert (april.start, april.end) == ("2021-04", "2021-04")


@pytest.mark.parametrize("period, message", [
    ({"preset": "financial-year"}, "needs year"),
    ({"preset": "year-to-date"}, "needs through"),
    ({"preset": "year-to-date", "year": 2021, "through": "2022-04"}, "not in the financial year 2021/22"),
    ({"preset": "financial-year", "year": 2021, "start": "2021-01"}, "a preset or start and end, not both"),
    ({"preset": "calendar-year", "year": 2021}, "period.preset"),
    ({"start": "2021-01", "end": "2021-06", "year": 2021}, "go with a preset"),
])
def test_bad_presets_are_named(period, message):
    with pytest.raises(ConfigError, match=message):
        parse_config({"area": MINIMAL["area"], "period": period}, "x.yml")
