"""The built site in a real browser: Playwright driving Debian's chromium, headless.

For every page in _toc.yml: it loads with no console or page errors and no
request to any host but 127.0.0.1 (such requests are aborted and counted);
every Altair chart draws; every slider and drop-down changes its chart; axe
finds no serious or critical violation that is not in tests/axe_allowlist.yml,
in light and in dark mode.

The reader's views: at 360, 768 and 1280 px, light and dark, no page scrolls sideways,
every chart's drawing lies inside the article column, and in dark mode every chart is
drawn dark with readable text. Each width/mode prints one summary line (pages with
sideways scroll, charts outside their column) at the end of the run.

Full-page screenshots land in _build/screenshots/: <page>.png (1280 px, light), and
360-light/, 360-dark/ and 1280-dark/ for the phone and dark views.
"""

from __future__ import annotations

import re

import pytest
import yaml

from tests.site import (
    HTML,
    LAYOUT_JS,
    MODES,
    ROOT,
    SCREENSHOTS,
    WIDTHS,
    PageWatch,
    contrast,
    luminance,
    new_page,
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


def _allowed(violation: dict, node: dict, allowlist: list[dict] | None = None) -> bool:
    for entry in ALLOWLIST if allowlist is None else allowlist:
        if entry["rule"] != violation["id"]:
            continue
        pattern = entry.get("target")
        if pattern is None or re.search(pattern, " ".join(map(str, node.get("target", [])))):
            return True
    return False


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("doc", PAGES)
def test_page_accessibility(browser, site_url, doc, mode):
    from axe_playwright_python.sync_playwright import Axe

    page = new_page(browser, 1280, mode)
    watch = _open(page, site_url, doc)
    wait_for_charts(page)
    # the figure cards open (issue 15: axe stays clean with them open)
    page.evaluate("document.querySelectorAll('details.figure-card').forEach(d => d.open = true)")
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {node.get('target')}"
        + "".join(f" [{check.get('message')}]" for check in node.get("any", [])[:1])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
        if not _allowed(v, node)
    ]
    page.context.close()
    assert watch.external == [], f"{doc}: axe made requests beyond 127.0.0.1: {watch.external}"
    assert not serious, f"{doc} ({mode}): axe violations not in tests/axe_allowlist.yml:\n" + (
        "\n".join(serious)
    )


def _check_allowlist(entries: list[dict]) -> None:
    for entry in entries:
        assert set(entry) <= {"rule", "target", "reason"}, entry
        assert entry.get("rule"), f"allowlist entry without a rule id: {entry}"
        assert entry.get("reason", "").strip(), f"allowlist entry without a reason: {entry}"


def test_allowlist_entries_have_reasons():
    _check_allowlist(ALLOWLIST)
    # the check itself can fail (the allowlist is empty today, so a loop over it alone could not)
    with pytest.raises(AssertionError, match="without a reason"):
        _check_allowlist([{"rule": "color-contrast", "reason": " "}])


def test_allowlist_matches_rule_and_target_only():
    entry = {"rule": "color-contrast", "target": r"\.search-button", "reason": "theme"}
    node = {"target": [".navbar-item > .search-button__default-text"]}
    other = {"target": ["article p > a"]}
    assert _allowed({"id": "color-contrast"}, node, [entry])
    assert not _allowed({"id": "color-contrast"}, other, [entry])
    assert not _allowed({"id": "image-alt"}, node, [entry])
    assert not _allowed({"id": "color-contrast"}, node, [])


# --- the reader's views: 360/768/1280 px, light and dark -------------------------------

#: One line per width and mode, printed at the end of the run (tests/conftest.py).
LAYOUT_SUMMARY: list[str] = []
#: Screenshots of the phone and dark views (the 1280 px light ones come from the test above).
SHOT_VIEWS = {(360, "light"), (360, "dark"), (1280, "dark")}
#: Chart text against the chart's background. WCAG's 3:1 is for large text and graphics;
#: axe checks body text at 4.5:1. This catches grey-on-dark that nobody can read.
MIN_TEXT_CONTRAST = 3.0
#: A chart that cannot be re-laid to fit is scaled down (CSS), never clipped; scaled
#: further than this its 12 px text would fall below ~9 px, which is not a fit.
MIN_SCALE = 0.75
#: In dark mode a chart's background is at most this luminance (the page's is ~0.007).
MAX_DARK_BACKGROUND = 0.05


def _layout_problems(doc: str, mode: str, layout: dict) -> tuple[list[str], int, int]:
    """What is wrong on one page: sideways scroll, charts outside the column, light charts
    in dark mode, unreadable chart text; and the number of charts outside / scaled down."""
    problems, outside, scaled = [], 0, 0
    col = layout["col"]
    if layout["scroll"] > 0:
        problems.append(f"{doc}: the page scrolls sideways by {layout['scroll']} px")
    if layout["theme"] != mode:
        problems.append(f"{doc}: the page is in {layout['theme']} mode, expected {mode}")
    for chart in layout["charts"]:
        name = f"{doc} chart {chart['index'] + 1}"
        if chart["left"] < col["left"] - 0.5 or chart["right"] > col["right"] + 0.5:
            outside += 1
            problems.append(
                f"{name} spans {chart['left']:.0f}-{chart['right']:.0f} px, outside its column "
                f"{col['left']:.0f}-{col['right']:.0f} px"
            )
        scaled += chart["scale"] < 0.995
        if chart["scale"] < MIN_SCALE:
            problems.append(f"{name} is scaled to {chart['scale']:.2f} of its size to fit")
        background = luminance(chart["background"])
        if background is None:
            problems.append(f"{name} has a transparent background")
            continue
        if mode == "dark" and background > MAX_DARK_BACKGROUND:
            problems.append(f"{name} is a light panel in dark mode ({chart['background']})")
        fills = [luminance(fill) for fill in chart["texts"]]
        worst = min((contrast(f, background) for f in fills if f is not None), default=21.0)
        if worst < MIN_TEXT_CONTRAST:
            problems.append(f"{name} has text at {worst:.2f}:1 contrast on its background")
    return problems, outside, scaled


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS)
def test_charts_fit_every_screen_and_follow_the_mode(browser, site_url, width, mode):
    """Every page in _toc.yml at one width and mode: see the module docstring."""
    page = new_page(browser, width, mode)
    shots = SCREENSHOTS / f"{width}-{mode}"
    if (width, mode) in SHOT_VIEWS:
        shots.mkdir(parents=True, exist_ok=True)
    problems, n_scroll, n_outside, n_charts, n_scaled, smallest = [], 0, 0, 0, 0, 1.0
    for doc in PAGES:
        page.goto(f"{site_url}{doc}.html", wait_until="load")
        wait_for_charts(page)
        layout = page.evaluate(LAYOUT_JS)
        found, outside, scaled = _layout_problems(doc, mode, layout)
        problems += found
        n_scroll += layout["scroll"] > 0
        n_outside += outside
        n_charts += len(layout["charts"])
        n_scaled += scaled
        smallest = min([smallest] + [c["scale"] for c in layout["charts"]])
        if (width, mode) in SHOT_VIEWS:
            page.screenshot(path=str(shots / f"{doc.replace('/', '__')}.png"), full_page=True)
    page.context.close()
    line = (
        f"{width:>4} px {mode:<5}: {len(PAGES)} pages, {n_charts} charts; "
        f"pages with sideways scroll: {n_scroll}; charts outside their column: {n_outside}; "
        f"charts scaled down to fit: {n_scaled} (smallest scale {smallest:.2f})"
    )
    LAYOUT_SUMMARY.append(line)
    print(line)
    assert not problems, "\n".join(problems)


def test_charts_redraw_when_the_mode_or_width_changes(browser, site_url):
    """Toggling the theme re-draws the charts in the new mode and keeps slider positions;
    narrowing the window (a phone turned) re-lays them for the new column."""
    page = new_page(browser, 1280, "light")
    page.goto(f"{site_url}book/dynamic-model.html", wait_until="load")
    n = wait_for_charts(page)
    slider = page.locator(".vega-bindings input[type=range]").first
    slider.evaluate(
        "el => { el.value = el.max; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    moved = slider.input_value()
    page.evaluate("document.documentElement.dataset.theme = 'dark'")  # what the toggle does
    wait_for_charts(page)
    layout = page.evaluate(LAYOUT_JS)
    assert len(layout["charts"]) == n
    assert all(luminance(c["background"]) <= MAX_DARK_BACKGROUND for c in layout["charts"])
    assert page.locator(".vega-bindings input[type=range]").first.input_value() == moved, (
        "a slider went back to its default when the mode changed"
    )
    page.set_viewport_size({"width": 360, "height": 800})
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[id^='altair-viz-']\")]"
        ".every(c => +c.dataset.chartWidth < 400)",
        timeout=15_000,
    )
    wait_for_charts(page)
    found, outside, _ = _layout_problems("book/dynamic-model", "dark", page.evaluate(LAYOUT_JS))
    page.context.close()
    assert not found, "\n".join(found)
