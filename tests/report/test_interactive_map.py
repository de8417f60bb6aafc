"""interactive_map.html: self-contained (no script, style or tile from the network), escaped tooltips."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from csp_analysis.report.interactive_map import (
    INTERACTIVE_MAP,
    NO_VALUE,
    PALETTE,
    build_map,
    ward_features,
    write_map,
)

EVIL = '<img src=x onerror="alert(1)">'


@pytest.fixture
def wards() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"ward_code": ["E05000001", "E05000002", "E05000003"], "ward_name": [EVIL, "Castle", "Abbey & Mill"]},
        geometry=[box(530000, 180000, 531000, 181000), box(531000, 180000, 532000, 181000),
                  box(530000, 181000, 531000, 182000)],
        crs="EPSG:27700",
    )


def rows(rate=(1.5, 2.5, float("nan"))) -> pd.DataFrame:
    return pd.DataFrame({
        "category": "All crime (excluding ASB)",
        "ward_code": ["E05000001", "E05000002", "E05000003"],
        "ward_name": [EVIL, "Castle", "Abbey & Mill"],
        "previous": [8, 23, 30], "current": [10, 20, 30], "change": [2, -3, 0],
        "pct_change": [25.0, -13.04, 0.0], "rate_per_1000": list(rate),
        "hotspot_class": ["Hot spot", "Not significant", "<b>odd</b>"],
    })


def _tooltips(wards, table) -> list[str]:
    collection, _, _ = ward_features(wards, table)
    return [f["properties"]["tooltip"] for f in collection["features"]]


def test_tooltips_hold_each_wards_figures(wards):
    tips = _tooltips(wards, rows())
    assert "Castle" in tips[1] and "Records: 20" in tips[1] and "Rate per 1,000 residents: 2.5" in tips[1]
    assert "Change: -3 (-13.0%)" in tips[1] and "Gi* class: Not significant" in tips[1]
    assert "Change: +2 (+25.0%)" in tips[0] and "Gi* class: Hot spot" in tips[0]
    assert "Rate per 1,000 residents: n/a" in tips[2]


def test_data_strings_are_escaped(wards):
    tips = _tooltips(wards, rows())
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in tips[0] and "<img" not in tips[0]
    assert "Abbey &amp; Mill" in tips[2] and "&lt;b&gt;odd&lt;/b&gt;" in tips[2] and "<b>" not in tips[2]
    page = build_map(wards, rows(), "All crime <script>x</script>")
    assert "<img" not in page and "onerror=\"alert" not in page
    assert "All crime &lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page


def test_colours_follow_the_rate_or_the_count_without_population(wards):
    collection, breaks, use_rate = ward_features(wards, rows())
    fills = [f["properties"]["fill"] for f in collection["features"]]
    assert use_rate and fills[0] == PALETTE[0] and fills[1] == PALETTE[-1] and fills[2] == NO_VALUE
    collection, _, use_rate = ward_features(wards, rows(rate=(float("nan"),) * 3))
    fills = [f["properties"]["fill"] for f in collection["features"]]
    assert not use_rate and fills[0] == PALETTE[0] and fills[2] == PALETTE[-1]
    assert "(no population)" in collection["features"][0]["properties"]["tooltip"]


def test_polygons_are_in_wgs84(wards):
    collection, _, _ = ward_features(wards, rows())
    lon, lat = collection["features"][0]["geometry"]["coordinates"][0][0]
    assert -1 < lon < 1 and 51 < lat < 52


def test_page_works_offline(wards, tmp_path):
    path = write_map(tmp_path, wards, rows(), "All crime by ward")
    assert path == tmp_path / INTERACTIVE_MAP
    page = path.read_text(encoding="utf-8")
    assert "L.geoJson" in page and "Castle" in page  # the map and its data are there
    assert "L.map(" in page or "L.map (" in page
    # no script, style, image or frame loaded from the network, no CSS import or url() of a web address
    assert not re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page, re.I)
    assert not re.findall(r"url\(\s*[\"']?(?:https?:)?//", page, re.I)
    assert not re.findall(r"@import", page, re.I)
    assert "L.tileLayer(" not in page  # no base tiles
    assert len(page) < 600_000
    assert "Leaflet 1.9" in page  # Leaflet itself is embedded in the page
    assert set(re.findall(r"<script\b[^>]*>", page)) == {"<script>"}  # every script inline


def test_no_data_string_is_in_the_script(wards):
    page = build_map(wards, rows(), "t")
    scripts = " ".join(re.findall(r"<script>(.*?)</script>", page, re.S))
    assert "alert(1)" not in scripts and "Castle" not in scripts and "Abbey" not in scripts
    tips = re.search(r'<div id="csp-tips" hidden>(.*?)</div></div>', page, re.S).group(1)
    assert '<div id="csp-tip-0"><strong>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</strong>' in tips
    assert "csp-tip-" in scripts and "bindTooltip" in scripts


def _front():
    from types import SimpleNamespace

    from csp_analysis.report.front import Masthead

    masthead = Masthead("Assessment", "Jan 2025 to Dec 2025", "OFFICIAL", False)
    return SimpleNamespace(masthead=masthead, area="Area", county=None, current="Jan 2025 to Dec 2025",
                           previous="Jan 2024 to Dec 2024", comparison="previous", produced_text="today",
                           author="analyst")


@pytest.mark.parametrize("present", [True, False])
def test_index_links_to_the_map_only_when_it_exists(tmp_path, wards, present):
    from csp_analysis.report.pages import write_index

    if present:
        write_map(tmp_path, wards, rows(), "t")
    write_index(tmp_path, front=_front(), sections=[], inputs=[], police_folder="police_uk/", exports=[],
                has_strategy=False)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert (f'href="{INTERACTIVE_MAP}"' in index) is present
