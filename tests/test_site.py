"""The built site in a real browser: Playwright driving Debian's chromium, headless.

For every page in _toc.yml: it loads with no console or page errors and no
request to any host but 127.0.0.1 (such requests are aborted and counted);
every Altair chart draws; every slider and drop-down changes its chart; axe
finds no serious or critical violation that is not in tests/axe_allowlist.yml.
A full-page screenshot of each page lands in _build/screenshots/.
"""

from __future__ import annotations

import re

import pytest
import yaml

from tests.site import (
    HTML,
    ROOT,
    SCREENSHOTS,
    PageWatch,
    toc_pages,
    wait_for_charts,
)

PAGES = toc_pages()
ALLOWLIST = yaml.safe_load((ROOT / "tests" / "axe_allowlist.yml").read_text()) or []


def test_toc_has_pages_and_they_were_built():
    assert "book/intro" in PAGES and len(PAGES) >= 3
    missing = [p for p in PAGES if not (HTML / f"{p}.html").exists()]
    assert not missing, f"pages in _toc.yml missing from _build/html: {missing}"


def _open(page, site_url: str, doc: str) -> PageWatch:
    watch = PageWatch(page)
    page.goto(f"{site_url}{doc}.html", wait_until="load")
    return watch


def _marks(page, chart_index: int) -> str:
    return page.locator("[id^='altair-viz-']").nth(chart_index).inner_html()


def _move_controls(page) -> list[str]:
    """Move every slider and drop-down once; list the controls that did NOT change their chart."""
    stuck = []
    charts = page.locator("[id^='altair-viz-']")
    for i in range(charts.count()):
        chart = charts.nth(i)
        controls = chart.locator(".vega-bindings input[type=range], .vega-bindings select")
        for j in range(controls.count()):
            control = controls.nth(j)
            before = _marks(page, i)
            tag = control.evaluate("el => el.tagName")
            if tag == "SELECT":
                control.evaluate(
                    """el => { el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
                               el.dispatchEvent(new Event('change', {bubbles: true})); }"""
                )
            else:
                control.evaluate(
                    """el => { const lo = +el.min, hi = +el.max, v = +el.value;
                               el.value = (v === hi) ? lo : hi;
                               el.dispatchEvent(new Event('input', {bubbles: true})); }"""
                )
            try:
                page.wait_for_function(
                    "([i, before]) => document.querySelectorAll(\"[id^='altair-viz-']\")[i]"
                    ".innerHTML !== before",
                    arg=[i, before],
                    timeout=3_000,
                )
            except Exception:
                name = control.evaluate("el => el.name || el.parentElement.textContent")
                stuck.append(f"chart {i + 1}, control {name!r}")
    return stuck


@pytest.mark.parametrize("doc", PAGES)
def test_page_renders_offline(page, site_url, doc):
    watch = _open(page, site_url, doc)
    n_charts = wait_for_charts(page)
    page.wait_for_timeout(200)  # let late console messages arrive
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{doc.replace('/', '__')}.png"), full_page=True)

    assert watch.external == [], f"{doc}: requests beyond 127.0.0.1 (aborted): {watch.external}"
    assert watch.page_errors == [], f"{doc}: page errors: {watch.page_errors}"
    assert watch.console_errors == [], f"{doc}: console errors: {watch.console_errors}"
    bundle_loaded = any("altair-offline/vega-bundle" in url for url in watch.requests)
    assert bundle_loaded == (n_charts > 0), (
        f"{doc}: {n_charts} charts but vega bundle loaded={bundle_loaded} "
        "(chart pages must load the local bundle; other pages must not)"
    )
    stuck = _move_controls(page)
    assert not stuck, f"{doc}: these controls did not change their chart: {stuck}"
    assert watch.external == [], f"{doc}: requests beyond 127.0.0.1 after interaction"


def _allowed(violation: dict, node: dict) -> bool:
    for entry in ALLOWLIST:
        if entry["rule"] != violation["id"]:
            continue
        pattern = entry.get("target")
        if pattern is None or re.search(pattern, " ".join(map(str, node.get("target", [])))):
            return True
    return False


@pytest.mark.parametrize("doc", PAGES)
def test_page_accessibility(page, site_url, doc):
    from axe_playwright_python.sync_playwright import Axe

    watch = _open(page, site_url, doc)
    wait_for_charts(page)
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {node.get('target')}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
        if not _allowed(v, node)
    ]
    assert watch.external == [], f"{doc}: axe made requests beyond 127.0.0.1: {watch.external}"
    assert not serious, f"{doc}: axe violations not in tests/axe_allowlist.yml:\n" + "\n".join(
        serious
    )


def test_allowlist_entries_have_reasons():
    for entry in ALLOWLIST:
        assert set(entry) <= {"rule", "target", "reason"}, entry
        assert entry.get("reason", "").strip(), f"allowlist entry without a reason: {entry}"
