"""Markup in every text the configuration or the data supply reaches every page as text, never as a
live element: the demo, all sections, with script, image, attribute and link payloads in the title,
area and county names, a ward name and a casework case type."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pytest
import yaml

from tests.conftest import PROJECT_ROOT
from tests.pipeline.test_end_to_end import run_cli

DEMO = PROJECT_ROOT / "data" / "demo"
TOKEN = "cspxss"


def payload(n: int) -> str:
    """Each way markup could come alive: an element, an attribute break-out, a Markdown link and image."""
    return (f"<script>{TOKEN}({n})</script> <img src=x onerror={TOKEN}({n})> \" onmouseover=\"{TOKEN}({n}) "
            f"' onfocus='{TOKEN}({n}) [a](javascript:{TOKEN}({n})) ![i](http://{TOKEN}.example/{n}.png)")


class LiveMarkup(HTMLParser):
    """Collects elements and attributes that the payloads would have made live, and the payload text seen."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self.seen = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            fragment = name == "href" and value.startswith("#")  # a heading's own anchor, made from its text
            if TOKEN in name or (TOKEN in value and (name.startswith("on") or name in ("href", "src")) and not fragment):
                self.live.append(f"<{tag} {name}={value!r}>")
            elif TOKEN in value:
                self.seen += 1  # inside an attribute as text (alt, title)
        if tag == "img" and dict(attrs).get("src") == "x":
            self.live.append("<img src=x>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if TOKEN in data:
            if self._in_script:
                self.live.append(f"<script>{data[:60]}")
            else:
                self.seen += 1


@pytest.fixture(scope="module")
def marked_up(tmp_path_factory):
    root = tmp_path_factory.mktemp("markup")
    run_cli("demo")
    wards = json.loads((DEMO / "boundaries" / "northbridge-wards.geojson").read_text(encoding="utf-8"))
    ward = "Abbey " + payload(4)
    wards["features"][0]["properties"]["WD22NM"] = ward
    (root / "wards.geojson").write_text(json.dumps(wards), encoding="utf-8")

    def csv_field(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    casework = (DEMO / "casework" / "northbridge-cpt-casework.csv").read_text(encoding="utf-8")
    casework = casework.replace(",Noise nuisance,", f",{csv_field('Noise ' + payload(5))},")
    (root / "casework.csv").write_text(casework.replace(",Abbey,", f",{csv_field(ward)},"), encoding="utf-8")
    raw = yaml.safe_load((PROJECT_ROOT / "config" / "default.yml").read_text(encoding="utf-8"))
    raw.update(title="Assessment " + payload(1), data_dir=str(DEMO))
    raw["area"]["name"] = "Northbridge " + payload(2)
    raw["county"]["name"] = "Demoshire " + payload(3)
    raw["inputs"]["wards"] = str(root / "wards.geojson")
    raw["casework"]["path"] = str(root / "casework.csv")
    config = root / "markup.yml"
    config.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    out = root / "out"
    result = run_cli("run", "--config", str(config), "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_no_page_has_a_live_element_from_the_configuration_or_the_data(marked_up):
    pages = sorted(marked_up.glob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "assessment.html", "00_data_quality.html",
                                       "01_crime_performance.html", "02_ward_hotspots.html", "03_fire_and_rtc.html",
                                       "04_community_protection.html", "05_priorities.html"}
    for page in pages:
        parser = LiveMarkup()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.live == [], page.name
        assert parser.seen, f"{page.name} shows none of the names: the test would prove nothing there"


def test_names_reach_table_headers_and_figure_text_as_text(marked_up):
    crime = (marked_up / "01_crime_performance.html").read_text(encoding="utf-8")
    headers = re.findall(r"<th[^>]*>(.*?)</th>", crime, re.S)
    assert any("Northbridge &lt;script&gt;" in h for h in headers)  # area name in a column header, escaped
    alts = [a for a in re.findall(r'<img [^>]*?alt="([^"]*)"', crime) if TOKEN in a]
    # the whole name stays inside the attribute: escaped there, and read back as the name's own text
    assert alts and all("<" not in a and '"' not in a for a in alts)
    assert all('<img src=x onerror=cspxss(2)> " onmouseover="' in html.unescape(a) for a in alts)
