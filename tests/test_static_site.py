"""Static-first charts on the built site, in headless Chromium (see _ext/static_charts.py).

* With JavaScript off, every figure and every chart on every page in _toc.yml is visible
  (a picture with a size, and an accessible name for each chart).
* A first visit does not fetch the Vega bundle: the pictures are in the page; the bundle
  comes when a reader hovers a chart, focuses or moves a control, or scrolls a chart into
  view; then the interactive chart replaces the picture in place, nothing below it moves,
  and a control moved on the static picture keeps its value on the real one.
* Dark mode: the pictures' text keeps its contrast against the picture's (dark)
  background, and axe finds nothing serious on the static pages, light or dark.

A summary line per page (figures and charts visible with JavaScript off) is printed.
"""

from __future__ import annotations

import pytest

from tests.site import PageWatch, contrast, luminance, new_page, toc_pages

PAGES = toc_pages()
BUNDLE = "altair-offline/vega-bundle"
#: A chapter whose first chart is an explorable (sliders), and one with several charts.
EXPLORABLE = "book/dynamic-model"
#: Chart text against the picture's background (as in test_site.py).
MIN_TEXT_CONTRAST = 3.0

#: Per figure / chart: is it drawn with a size, and what names it.
VISIBLE_JS = """() => {
  const shown = (el) => {
    const r = el.getBoundingClientRect(), st = getComputedStyle(el);
    return r.width > 20 && r.height > 20 && st.visibility !== "hidden" && st.display !== "none";
  };
  const figures = [...document.querySelectorAll("article figure")].map((f) => {
    const img = f.querySelector("svg.chart-static, img.chart-static, img, svg.marks");
    return { visible: !!img && shown(img) };
  });
  const charts = [...document.querySelectorAll("[id^='altair-viz-']")].map((c) => {
    const pic = c.querySelector("svg.chart-static, img.chart-static");
    let name = "";
    if (pic && pic.tagName === "IMG") name = pic.alt;
    else if (pic) name = (pic.getAttribute("aria-labelledby") || "").split(" ")
      .map((id) => (document.getElementById(id) || {}).textContent || "").join(" ");
    return { id: c.id, visible: !!pic && shown(pic), name: name.trim() };
  });
  return { figures, charts };
}"""

SUMMARY: list[str] = []


def _requests(page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    return urls


def test_every_figure_is_visible_with_javascript_off(browser, site_url):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    problems, total_figures, total_charts = [], 0, 0
    for doc in PAGES:
        page.goto(f"{site_url}{doc}.html", wait_until="load")
        found = page.evaluate(VISIBLE_JS)
        figures, charts = found["figures"], found["charts"]
        hidden_figures = sum(not f["visible"] for f in figures)
        hidden_charts = [c["id"] for c in charts if not c["visible"]]
        unnamed = [c["id"] for c in charts if c["visible"] and not c["name"]]
        if hidden_figures:
            problems.append(f"{doc}: {hidden_figures} of {len(figures)} figures are blank")
        if hidden_charts:
            problems.append(f"{doc}: charts without a visible picture: {hidden_charts}")
        if unnamed:
            problems.append(f"{doc}: pictures without an accessible name: {unnamed}")
        total_figures += len(figures)
        total_charts += len(charts)
        if charts or figures:
            SUMMARY.append(
                f"{doc:<34} figures visible {len(figures) - hidden_figures}/{len(figures)}, "
                f"charts visible {len(charts) - len(hidden_charts)}/{len(charts)}"
            )
    context.close()
    SUMMARY.append(
        f"JavaScript off: {total_figures} figures, {total_charts} charts on {len(PAGES)} pages"
    )
    print("\n".join(SUMMARY))
    assert total_charts > 0, "no charts found on the site"
    assert not problems, "\n".join(problems)


def _chart_pages() -> list[str]:
    from tests.site import HTML

    return [p for p in PAGES if "altair-viz-" in (HTML / f"{p}.html").read_text(encoding="utf-8")]


def test_a_first_visit_draws_pictures_and_fetches_no_vega(browser, site_url):
    page = new_page(browser, 1280, "light")
    watch = PageWatch(page)
    page.goto(f"{site_url}{EXPLORABLE}.html", wait_until="load")
    page.wait_for_timeout(500)
    states = page.eval_on_selector_all(
        "[id^='altair-viz-']", "els => els.map(e => e.dataset.chartState)"
    )
    assert states and set(states) == {"static"}, states
    assert not any(BUNDLE in url for url in watch.requests), "the Vega bundle came with the page"
    assert watch.console_errors == [] and watch.page_errors == []
    page.context.close()


#: Where the chart and what follows it are, and the layout shifts the page has seen.
GEOMETRY_JS = """(i) => {
  const el = document.querySelectorAll("[id^='altair-viz-']")[i];
  // The first element with a size after the chart's figure (or cell) in document order.
  let node = el.closest("figure") || el.closest(".cell") || el, next = null;
  while (node && !next) {
    next = node.nextElementSibling;
    while (next && !next.getBoundingClientRect().height) next = next.nextElementSibling;
    node = node.parentElement;
  }
  return { chart: el.getBoundingClientRect().top + scrollY,
           height: el.getBoundingClientRect().height,
           next: next ? next.getBoundingClientRect().top + scrollY : null,
           shifts: (window.__shifts || []).slice() };
}"""
SHIFT_OBSERVER = """new PerformanceObserver((list) => {
  window.__shifts = (window.__shifts || []).concat(list.getEntries().map((e) => e.value));
}).observe({ type: "layout-shift", buffered: true });"""


@pytest.mark.parametrize("trigger", ["hover", "focus", "slider", "scroll"])
def test_the_interactive_chart_replaces_the_picture_in_place(browser, site_url, trigger):
    page = new_page(browser, 1280, "light")
    watch = PageWatch(page)
    page.goto(f"{site_url}{EXPLORABLE}.html", wait_until="load")
    page.evaluate(SHIFT_OBSERVER)
    charts = page.locator("[id^='altair-viz-']")
    index = 0
    if trigger in ("focus", "slider"):  # the first chart with controls
        index = page.evaluate(
            """() => [...document.querySelectorAll("[id^='altair-viz-']")]
               .findIndex((c) => c.querySelector('.chart-placeholder-controls input'))"""
        )
        assert index >= 0, f"{EXPLORABLE} has no explorable with static controls"
    if trigger == "scroll":
        index = charts.count() - 1
    chart = charts.nth(index)
    before = page.evaluate(GEOMETRY_JS, index)
    moved = None
    if trigger == "hover":
        chart.hover()
    elif trigger == "focus":
        chart.locator(".chart-placeholder-controls input").first.focus()
    elif trigger == "slider":
        slider = chart.locator(".chart-placeholder-controls input[type=range]").first
        moved = slider.evaluate(
            """el => { el.value = el.max;
                       el.dispatchEvent(new Event('input', {bubbles: true})); return el.value; }"""
        )
    else:
        page.mouse.wheel(0, 200)  # a reader's scroll, then the chart is brought into view
        page.wait_for_timeout(100)
        page.evaluate(
            "(i) => document.querySelectorAll(\"[id^='altair-viz-']\")[i]"
            ".scrollIntoView({block: 'center'})",
            index,
        )
        before = page.evaluate(GEOMETRY_JS, index)
    page.wait_for_function(
        "(i) => document.querySelectorAll(\"[id^='altair-viz-']\")[i].dataset.chartState"
        " === 'interactive'",
        arg=index,
        timeout=15_000,
    )
    after = page.evaluate(GEOMETRY_JS, index)
    assert any(BUNDLE in url for url in watch.requests), "no Vega bundle after the interaction"
    assert chart.locator("svg.marks, canvas.marks").count() == 1
    assert chart.locator(".chart-static").count() == 0, "the picture is still there"
    assert abs(after["chart"] - before["chart"]) <= 0.5, (before, after)
    assert sum(after["shifts"][len(before["shifts"]) :]) == 0, "the swap shifted the layout"
    assert before["next"] is not None, "found nothing after the chart to watch"
    assert abs(after["next"] - before["next"]) <= 0.5, (
        f"the content below the chart moved by {after['next'] - before['next']:.1f} px"
    )
    if moved is not None:
        real = chart.locator(".vega-bindings input[type=range]").first.input_value()
        assert real == moved, "the slider moved on the picture did not keep its value"
    assert watch.console_errors == [] and watch.page_errors == []
    page.context.close()


#: The text colours of every static picture against its own background rectangle.
PICTURE_TEXT_JS = """() => [...document.querySelectorAll("svg.chart-static")].map((svg) => {
  const bg = svg.querySelector("rect");
  return { background: bg ? getComputedStyle(bg).fill : "rgb(255, 255, 255)",
           texts: [...svg.querySelectorAll("g[class*='role-title'] text, "
             + "g[class*='role-axis'] text, g[class*='role-legend'] text")]
             .map((t) => getComputedStyle(t).fill) };
})"""


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_static_pictures_keep_their_contrast_and_pass_axe(browser, site_url, mode):
    from axe_playwright_python.sync_playwright import Axe

    from tests.test_site import _allowed

    page = new_page(browser, 1280, mode)
    problems = []
    for doc in _chart_pages():
        page.goto(f"{site_url}{doc}.html", wait_until="load")
        for i, pic in enumerate(page.evaluate(PICTURE_TEXT_JS), start=1):
            background = luminance(pic["background"])
            if mode == "dark" and background > 0.05:
                problems.append(f"{doc} picture {i}: a light panel in dark mode")
            fills = [luminance(f) for f in pic["texts"]]
            worst = min((contrast(f, background) for f in fills if f is not None), default=21)
            if worst < MIN_TEXT_CONTRAST:
                problems.append(f"{doc} picture {i}: text at {worst:.2f}:1 on its background")
        results = Axe().run(page)
        problems += [
            f"{doc}: axe {v['id']} ({v['impact']}) at {node.get('target')}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
            for node in v["nodes"]
            if not _allowed(v, node)
        ]
        states = page.eval_on_selector_all(
            "[id^='altair-viz-']", "e => e.map(c => c.dataset.chartState)"
        )
        assert set(states) <= {"static"}, f"{doc}: axe's run made charts interactive: {states}"
    page.context.close()
    assert not problems, "\n".join(problems)
