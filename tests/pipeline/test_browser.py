"""The reviewer's pages in a real browser (headless Chromium): no broken images or links, no errors,
and no serious or critical accessibility violation (axe-core, WCAG 2.2 AA rules)."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed (apt-get install chromium; .ci/run installs it)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield instance
        instance.close()


def check_page(browser, path: Path, screenshot: Path) -> dict:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed request: {request.url}"))
    page.goto(path.as_uri(), wait_until="load")
    broken = page.evaluate("Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
                           ".map(i => i.alt || i.src.slice(0, 60))")
    links = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    anchors = set(page.evaluate("Array.from(document.querySelectorAll('[id]')).map(e => e.id)"))
    images = page.evaluate("document.images.length")
    axe = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    serious = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
               for v in axe.response["violations"] if v["impact"] in ("serious", "critical")]
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot), full_page=False)
    page.close()
    for href in links:
        target = urlparse(href)
        if target.scheme in ("http", "https"):
            problems.append(f"link leaves the document: {href}")
        elif href.startswith("#"):
            if unquote(href[1:]) not in anchors:
                problems.append(f"broken anchor: {href}")
        elif target.scheme in ("", "file") and not (path.parent / unquote(target.path)).exists():
            problems.append(f"broken link: {href}")
    return {"problems": problems, "broken_images": broken, "images": images, "accessibility": serious}


def test_index_renders_cleanly(demo_run, browser):
    result = check_page(browser, demo_run / "index.html", demo_run / "screenshots" / "index.png")
    assert result["problems"] == [] and result["broken_images"] == [] and result["accessibility"] == []
    assert (demo_run / "screenshots" / "index.png").stat().st_size > 10_000


def test_assessment_renders_cleanly(demo_run, browser):
    result = check_page(browser, demo_run / "assessment.html", demo_run / "screenshots" / "assessment.png")
    assert result["problems"] == [] and result["broken_images"] == [] and result["accessibility"] == []
    figures = len(list((demo_run / "figures").glob("*.png")))
    assert result["images"] == figures >= 20  # every figure the sections wrote is embedded


@pytest.mark.parametrize("page", ["00_data_quality", "01_crime_performance", "02_ward_hotspots", "03_fire_and_rtc",
                                  "04_community_protection", "05_priorities"])
def test_section_pages_render_cleanly(demo_run, browser, page):
    result = check_page(browser, demo_run / f"{page}.html", demo_run / "screenshots" / f"{page}.png")
    assert result["problems"] == [] and result["broken_images"] == [] and result["accessibility"] == []


def test_assessment_is_one_numbered_self_contained_document(demo_run):
    page = (demo_run / "assessment.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and "<link rel=\"stylesheet\" href=" not in page
    for heading in ("Executive summary", "Contents", "Crime performance", "Hot spots by ward", "Priorities",
                    "Methodology", "Assumptions and caveats", "Quality assurance"):
        assert heading in page, heading
    assert "Table 1. " in page and "Figure 1. " in page
    tables = page.count("<caption>Table ")
    assert f"Table {tables}. " in page and f"Table {tables + 1}. " not in page  # numbered 1..n without gaps
    index = (demo_run / "index.html").read_text(encoding="utf-8")
    assert index.index('href="assessment.html"') < index.index('href="01_crime_performance.html"')
