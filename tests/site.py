"""Helpers for the browser tests of the built site (served on 127.0.0.1 only).

Kept apart from the test module so ``make perf`` and manual checks can reuse
them: ``python -m tests.site`` is not needed; import what you use.
"""

from __future__ import annotations

import functools
import http.server
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


class SiteServer:
    """Serve a folder on 127.0.0.1 on a free port, in a background thread."""

    def __init__(self, folder: Path = HTML):
        handler = functools.partial(_QuietHandler, directory=str(folder))
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


def wait_for_charts(page, timeout_ms: int = 15_000) -> int:
    """Wait until every Altair chart container on the page has drawn; return how many."""
    n = page.locator(CHART_SELECTOR).count()
    if n:
        page.wait_for_function(
            "([sel, n]) => document.querySelectorAll(sel).length >= n",
            arg=[DRAWN_SELECTOR, n],
            timeout=timeout_ms,
        )
    return n
