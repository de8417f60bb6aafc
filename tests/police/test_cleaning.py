"""Repeated files and rows, and rows of another force: counted by reason, and the counts unchanged
(the real Hertfordshire archive with a month twice under two force names; tiny hand-made files)."""

from __future__ import annotations

import pandas as pd
import yaml

from csp_analysis.police.cleaning import OTHER_FORCE, REPEATED_ROWS, repeated_file
from csp_analysis.sections import crime_performance as cp
from csp_analysis.sections import data_quality
from csp_analysis.sections.context import setup
from tests.conftest import PROJECT_ROOT
from tests.police.test_bad_inputs import archive, count

ST_ALBANS = PROJECT_ROOT / "config" / "st-albans.yml"


def linked_archive(real_data, folder):
    """The real data folder as symbolic links, police.uk file by file (nothing copied)."""
    folder.mkdir()
    for other in real_data.iterdir():
        if other.is_dir() and other.name != "police-uk":
            (folder / other.name).symlink_to(other)
    for month in sorted((real_data / "police-uk").iterdir()):
        (folder / "police-uk" / month.name).mkdir(parents=True)
        for file in month.iterdir():
            (folder / "police-uk" / month.name / file.name).symlink_to(file)
    return folder


def table(ctx) -> pd.DataFrame:
    return cp.performance_table(ctx.data.area_records, ctx.previous, ctx.current)


def test_a_month_present_twice_under_two_force_names_counts_once(real_data, tmp_path):
    doubled = linked_archive(real_data, tmp_path / "doubled")
    month = real_data / "police-uk" / "2022-01" / "2022-01-hertfordshire-street.csv"
    (doubled / "police-uk" / "2022-01" / "2022-01-herts-street.csv").symlink_to(month)
    raw = yaml.safe_load(ST_ALBANS.read_text(encoding="utf-8"))
    del raw["inputs"]["forces"]  # every force file in the folder is read
    config = tmp_path / "st-albans.yml"
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    plain, twice = setup(config, real_data), setup(config, doubled)
    assert len(twice.data.street_files) == len(plain.data.street_files) + 1
    pd.testing.assert_frame_equal(table(twice), table(plain))  # ASB not doubled, nothing flagged
    rows_in_file = len(month.read_text(encoding="utf-8").splitlines()) - 1
    quality = data_quality.quality_table(twice)
    assert data_quality.reconciles(quality)
    reason = repeated_file("2022-01-herts-street.csv", "2022-01-hertfordshire-street.csv")
    assert count(quality, reason) == rows_in_file


def test_a_file_holding_its_rows_fifty_times_counts_them_once(tmp_path):
    config, data = archive(tmp_path / "clean")
    clean = setup(config, data)
    config, data = archive(tmp_path / "repeated")
    february = data / "police-uk" / "2021-02" / "2021-02-testshire-street.csv"
    header, *rows = february.read_text(encoding="utf-8").splitlines()
    february.write_text("\n".join([header] + rows * 50) + "\n", encoding="utf-8")
    repeated = setup(config, data)
    pd.testing.assert_frame_equal(table(repeated), table(clean))
    quality = data_quality.quality_table(repeated)
    assert data_quality.reconciles(quality) and count(quality, REPEATED_ROWS) == len(rows) * 49


def test_identical_asb_rows_of_separate_incidents_are_all_kept(tmp_path):
    config, data = archive(tmp_path)
    february = data / "police-uk" / "2021-02" / "2021-02-testshire-street.csv"
    header, *rows = february.read_text(encoding="utf-8").splitlines()
    asb = next(r for r in rows if "Anti-social behaviour" in r)
    february.write_text("\n".join([header, *rows, asb, asb]) + "\n", encoding="utf-8")  # 3 alike at one snap point
    quality = data_quality.quality_table(setup(config, data))
    assert quality.loc[quality["stage"] == "excluded", "reason"].tolist() == [
        "outside the area (other districts)", "in the area, outside both periods"]  # as in the clean archive
    assert quality.loc[quality["stage"].isin(["read", "used"]), "count"].tolist() == [14, 8]  # 12 + 2, 6 + 2


def test_rows_naming_another_force_are_counted(tmp_path):
    config, data = archive(tmp_path)
    february = data / "police-uk" / "2021-02" / "2021-02-testshire-street.csv"
    lines = february.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",Testshire Police,Testshire Police,", ",Testshire Police,Otherforce Police,")
    february.write_text("\n".join(lines) + "\n", encoding="utf-8")
    quality = data_quality.quality_table(setup(config, data))
    assert count(quality, OTHER_FORCE) == 1 and data_quality.reconciles(quality)


WHOLE_FORCE = """
area: {name: Testshire, whole_force: true}
county: {name: Testshire force, whole_force: true}
period: {start: 2021-03, end: 2021-03, comparison: preceding-period}
cache: false
"""


def test_the_whole_force_reconciles_and_district_and_county_share_one_base(tmp_path):
    config, data = archive(tmp_path)
    config.write_text(WHOLE_FORCE)
    march = data / "police-uk" / "2021-03" / "2021-03-testshire-street.csv"
    lines = march.read_text(encoding="utf-8").splitlines()
    no_lsoa = lines[1].split(",")
    no_lsoa[0], no_lsoa[4:9] = "2021039999", ["", "", "No location", "", ""]  # no point, no LSOA
    march.write_text("\n".join([*lines, ",".join(no_lsoa)]) + "\n", encoding="utf-8")
    ctx = setup(config, data)
    quality = data_quality.quality_table(ctx)
    assert data_quality.reconciles(quality)
    assert count(quality, "no LSOA: cannot be placed in any district") == 1
    assert quality.loc[quality["stage"] == "used", "count"].item() == 8  # Feb and March's 4 rows each
    assert len(ctx.data.county_records) == len(ctx.data.area_records) == 12  # the no-LSOA row in neither
