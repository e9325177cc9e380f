"""Helpers for the browser tests of the built site (served on 127.0.0.1 only).

Kept apart from the test module so ``make perf`` and manual checks can reuse
them: ``python -m tests.site`` is not needed; import what you use.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import threading
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SOURCE_SUFFIXES = (".ipynb", ".md")


def toc_pages(toc_file: Path = ROOT / "_toc.yml") -> list[str]:
    """Every document named in ``_toc.yml`` (globs expanded), in reading order."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    pages: list[str] = []

    def add(doc: str) -> None:
        if doc not in pages:
            pages.append(doc)

    def walk(entries) -> None:
        for entry in entries or []:
            if "file" in entry:
                add(str(Path(entry["file"]).with_suffix("")))
            if "glob" in entry:
                matches = sorted(p for p in ROOT.glob(entry["glob"]) if p.suffix in SOURCE_SUFFIXES)
                for match in matches:
                    add(str(match.relative_to(ROOT).with_suffix("")))
            walk(entry.get("sections"))
            walk(entry.get("chapters"))
            for part in entry.get("parts", []) if isinstance(entry, dict) else []:
                walk(part.get("chapters"))

    add(str(Path(toc["root"]).with_suffix("")))
    walk(toc.get("chapters"))
    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    return pages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test log readable
        pass


#: What a static host compresses (GitHub Pages, Netlify and nginx's gzip_types do these).
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".txt", ".md", ".csv", ".xml")


class _GzipHandler(_QuietHandler):
    """Text files sent gzip-encoded when the client accepts it, as a production host does;
    http.server sends everything as is, which a throttled page-speed audit counts in full."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class SiteServer:
    """Serve a folder on 127.0.0.1 on a free port, in a background thread (``gzip=True``:
    text files compressed, as a production host sends them)."""

    def __init__(self, folder: Path = HTML, *, gzip: bool = False):
        handler = functools.partial(_GzipHandler if gzip else _QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return (parts.hostname or "") in LOOPBACK


class PageWatch:
    """Record console errors, page errors and every request to a non-loopback host (aborted)."""

    def __init__(self, page):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.external: list[str] = []
        self.requests: list[str] = []
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if is_local(url):
            self.requests.append(url)
            route.continue_()
        else:
            self.external.append(url)
            route.abort()


CHART_SELECTOR = "[id^='altair-viz-']"
DRAWN_SELECTOR = "[id^='altair-viz-'] svg.marks, [id^='altair-viz-'] canvas.marks"
#: _ext/altair_fit.js marks a chart with the mode and width it was last laid out for.
SETTLED_JS = """([sel, n]) => {
  const theme = document.documentElement.dataset.theme || "light";
  const charts = [...document.querySelectorAll(sel)];
  return charts.length >= n && charts.every(
    (c) => c.dataset.chartMode === theme && c.querySelector("svg.marks, canvas.marks"));
}"""


#: Charts are static pictures until a reader reaches for them (_ext/chart_loader.js):
#: make every chart interactive now, as a reader who touched each would.
ENHANCE_ALL_JS = "() => { if (window.bookCharts) window.bookCharts.enhanceAll(); }"


def wait_for_charts(page, timeout_ms: int = 15_000) -> int:
    """Make every Altair chart on the page interactive and wait until each has drawn, laid
    out for the page's current mode (light/dark) and column; return how many there are."""
    n = page.locator(CHART_SELECTOR).count()
    if n:
        page.evaluate(ENHANCE_ALL_JS)
        page.wait_for_function(SETTLED_JS, arg=[CHART_SELECTOR, n], timeout=timeout_ms)
    return n


# --- the reader's views: screen widths and light/dark mode -------------------------------

WIDTHS = (360, 768, 1280)  # a phone, a tablet, a laptop
MODES = ("light", "dark")


NO_TRANSITIONS_JS = """document.addEventListener("DOMContentLoaded", () => {
  const style = document.createElement("style");
  style.textContent = "*, *::before, *::after { transition: none !important; "
    + "animation: none !important; }";
  document.head.appendChild(style);
});"""


def new_page(browser, width: int = 1280, mode: str = "light", height: int = 900):
    """A page in a fresh context of ``width`` px in ``mode``.

    Dark mode is the theme's "auto" mode with the browser preferring dark, so it also
    checks that the charts follow ``prefers-color-scheme`` (pydata-sphinx-theme resolves
    "auto" into ``data-theme``)."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        service_workers="block",
        color_scheme="dark" if mode == "dark" else "light",
        reduced_motion="reduce",
    )
    # The theme fades colours in (CSS transitions); axe and the contrast checks must read
    # the settled colours, not a frame in the middle of a fade.
    context.add_init_script(NO_TRANSITIONS_JS)
    if mode == "dark":
        context.add_init_script("localStorage.setItem('mode', 'auto');")
    return context.new_page()


#: Where the page and its charts sit: sideways scroll, and each chart's drawing (with its
#: sliders) against the content box of the article column; its background and text colours.
LAYOUT_JS = """() => {
  const root = document.documentElement;
  const article = document.querySelector("article.bd-article");
  const box = article.getBoundingClientRect(), st = getComputedStyle(article);
  const col = { left: box.left + parseFloat(st.paddingLeft),
                right: box.right - parseFloat(st.paddingRight) };
  const charts = [...document.querySelectorAll("[id^='altair-viz-']")].map((el, i) => {
    const mark = el.querySelector("svg.marks, canvas.marks");
    const r = mark.getBoundingClientRect();
    // The chart's sliders and drop-downs (name, control, value) belong to it too.
    const parts = [r, ...[...el.querySelectorAll(".vega-bind label > *")]
      .map((c) => c.getBoundingClientRect())];
    const left = Math.min(...parts.map((p) => p.left));
    const right = Math.max(...parts.map((p) => p.right));
    const natural = mark.width.baseVal ? mark.width.baseVal.value : mark.width;
    // Titles, axes, legends and facet headers sit on the chart's background (text marks may
    // sit on other marks, e.g. white labels on an area, so they are axe's to judge).
    const texts = [...mark.querySelectorAll(
      "g[class*='role-title'] text, g[class*='role-axis'] text, "
      + "g[class*='role-legend'] text, g[class*='header'] text")]
      .map((t) => getComputedStyle(t).fill);
    return { index: i, left, right, scale: r.width / natural,
             background: getComputedStyle(mark).backgroundColor, texts };
  });
  return { theme: root.dataset.theme, scroll: root.scrollWidth - root.clientWidth, col, charts };
}"""


def luminance(css_color: str) -> float | None:
    """WCAG relative luminance of a computed ``rgb(...)`` colour (None if transparent)."""
    nums = [float(x) for x in css_color[css_color.index("(") + 1 : -1].replace("/", ",").split(",")]
    if len(nums) == 4 and nums[3] == 0:
        return None
    lin = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        for c in (v / 255 for v in nums[:3])
    ]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: float, b: float) -> float:
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)
