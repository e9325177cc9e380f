"""The whole book as one PDF: ``make pdf`` (``python -m tests.pdf``).

Every page in ``_toc.yml`` order is opened from the built site (served on 127.0.0.1,
nothing else reachable), its charts are left to draw, and Chromium prints it with the
print stylesheet (``_static/print.css``) through Playwright.  pypdf merges the pages
into ``_build/pdf/reluctant-allies.pdf``, with one bookmark per page (its title) and
book-wide page numbers stamped at the foot of each sheet.

The viewport is as wide as the printed text column, and the page is in print media
from the start, so each chart is laid out (by ``_ext/altair_fit.js``) for the width it
is printed at rather than scaled down from a screen layout.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

from tests.site import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HTML,
    NO_TRANSITIONS_JS,
    ROOT,
    PageWatch,
    SiteServer,
    toc_pages,
)

PDF = ROOT / "_build" / "pdf" / "reluctant-allies.pdf"
#: A4 less the side margins of print.css's @page (15 mm each side), in CSS px (96/in).
COLUMN_PX = round((210 - 2 * 15) / 25.4 * 96)
BOOK_TITLE = "Reluctant Allies: an executable companion"

#: Opens togglebutton's dropdowns (exercise solutions): a browser's own print fires
#: ``beforeprint``; Page.printToPDF does not.
BEFORE_PRINT_JS = "window.dispatchEvent(new Event('beforeprint'))"
#: A chart is a picture: the static image the build put in the page (``.chart-static``,
#: img or svg), or the SVG/canvas that vega-embed drew.
CHART_PICTURE = "img.chart-static, svg.chart-static, svg.marks, canvas.marks"
#: What a visible figure is (tests/test_offline.py uses it too): a chart that shows a
#: picture, or a figure with an image, with a box of real size in the page.
FIGURES_JS = """(chartPicture) => [...document.querySelectorAll(
    "article figure, [id^='altair-viz-']")]
  .map((el) => {
    const pic = el.matches("[id^='altair-viz-']") ? el.querySelector(chartPicture)
      : el.querySelector("svg, canvas, img");
    const r = pic ? pic.getBoundingClientRect() : { width: 0, height: 0 };
    const style = pic ? getComputedStyle(pic) : null;
    return { id: el.id || el.className, drawn: !!pic, width: r.width, height: r.height,
             shown: !!style && style.visibility !== "hidden" && style.display !== "none" };
  })"""
#: Every chart is ready to print: its static picture has loaded, or (a page without
#: static pictures) vega has drawn it for the page's mode (_ext/altair_fit.js marks it).
READY_JS = """() => [...document.querySelectorAll("[id^='altair-viz-']")].every((c) => {
  const pic = c.querySelector("img.chart-static, svg.chart-static");
  if (pic) return pic.tagName !== "IMG" || (pic.complete && pic.naturalWidth > 0);
  const theme = document.documentElement.dataset.theme || "light";
  return c.dataset.chartMode === theme && !!c.querySelector("svg.marks, canvas.marks");
})"""


def wait_for_figures(page, timeout_ms: int = 15_000) -> list[dict]:
    """Wait until every chart on the page shows a picture; return ``FIGURES_JS``'s list."""
    page.wait_for_function(READY_JS, timeout=timeout_ms)
    return page.evaluate(FIGURES_JS, CHART_PICTURE)


def hidden_figures(found: list[dict]) -> list[dict]:
    """The figures from ``FIGURES_JS`` that show no picture of real size."""
    return [
        f for f in found if not (f["drawn"] and f["shown"] and min(f["width"], f["height"]) > 50)
    ]


TITLE_JS = """() => {
  const h = document.querySelector("article.bd-article h1");
  return h ? h.innerText.replace(/#$/, "").trim() : document.title;
}"""

#: One sheet per page number, printed on the same paper, laid over the merged book.
_NUMBERS_HTML = """<!DOCTYPE html><html><head><style>
@page {{ size: A4; margin: 0; }}
body {{ margin: 0; font: 9pt system-ui, sans-serif; color: #555; }}
div {{ height: 297mm; position: relative; break-after: page; }}
span {{ position: absolute; bottom: 8mm; width: 100%; text-align: center; }}
</style></head><body>{sheets}</body></html>"""


def page_pdfs(
    html_dir: Path = HTML, pages: list[str] | None = None
) -> list[tuple[str, str, bytes]]:
    """(doc, title, PDF bytes) for every page, in reading order.

    Fails when a page is missing, logs an error, asks for anything off 127.0.0.1, or
    has a figure that shows no picture in print media."""
    from playwright.sync_api import sync_playwright

    pages = pages or toc_pages()
    missing = [doc for doc in pages if not (html_dir / f"{doc}.html").exists()]
    if missing:
        raise FileNotFoundError(f"pages in _toc.yml missing from {html_dir}: {missing}")
    out: list[tuple[str, str, bytes]] = []
    problems: list[str] = []
    with SiteServer(html_dir) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": COLUMN_PX, "height": 1100},
            device_scale_factor=2,  # canvas charts are printed as bitmaps: keep them sharp
            service_workers="block",
            color_scheme="light",
            reduced_motion="reduce",
        )
        context.add_init_script(NO_TRANSITIONS_JS)
        page = context.new_page()
        page.emulate_media(media="print")
        watch = PageWatch(page)
        for doc in pages:
            page.goto(f"{server.url}{doc}.html", wait_until="load")
            problems += [
                f"{doc}: figure without a picture: {f}"
                for f in hidden_figures(wait_for_figures(page))
            ]
            page.evaluate(BEFORE_PRINT_JS)
            title = page.evaluate(TITLE_JS)
            pdf = page.pdf(prefer_css_page_size=True, print_background=True, outline=False)
            out.append((doc, title, pdf))
        problems += [f"console error: {e}" for e in watch.console_errors]
        problems += [f"page error: {e}" for e in watch.page_errors]
        problems += [f"request off 127.0.0.1: {u}" for u in watch.external]
        numbers = _number_sheets(browser, sum(_count_pages(pdf) for _, _, pdf in out))
        browser.close()
    if problems:
        raise RuntimeError("printing the book went wrong:\n" + "\n".join(problems))
    out.append(("__numbers__", "", numbers))
    return out


def _count_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _number_sheets(browser, n: int) -> bytes:
    sheets = "".join(f"<div><span>{i}</span></div>" for i in range(1, n + 1))
    page = browser.new_page()
    page.set_content(_NUMBERS_HTML.format(sheets=sheets))
    pdf = page.pdf(prefer_css_page_size=True)
    page.close()
    return pdf


def merge(parts: list[tuple[str, str, bytes]], out: Path = PDF) -> Path:
    """Merge the page PDFs in order, one bookmark each; the last part, if named
    ``__numbers__``, is laid over the sheets as page numbers."""
    from pypdf import PdfReader, PdfWriter

    numbers = None
    if parts and parts[-1][0] == "__numbers__":
        numbers = PdfReader(io.BytesIO(parts[-1][2]))
        parts = parts[:-1]
    writer = PdfWriter()
    for _doc, title, pdf in parts:
        writer.append(PdfReader(io.BytesIO(pdf)), outline_item=title)
    if numbers is not None:
        if len(numbers.pages) != len(writer.pages):
            raise ValueError(
                f"{len(numbers.pages)} page-number sheets for {len(writer.pages)} pages"
            )
        for sheet, page in zip(numbers.pages, writer.pages, strict=True):
            page.merge_page(sheet)
            page.compress_content_streams(level=9)  # merging leaves them uncompressed (x3)
    writer.compress_identical_objects()
    writer.add_metadata({"/Title": BOOK_TITLE, "/Creator": "make pdf (tests/pdf.py)"})
    writer.page_mode = "/UseOutlines"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def site_mtime(html_dir: Path = HTML) -> float:
    """When the built site last changed (its newest file): an edition older than this is
    stale, even when only a stylesheet changed."""
    return max(p.stat().st_mtime for p in html_dir.rglob("*") if p.is_file())


def build(html_dir: Path = HTML, out: Path = PDF) -> Path:
    return merge(page_pdfs(html_dir), out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=HTML, help="the built site")
    parser.add_argument("--out", type=Path, default=PDF, help="where the PDF is written")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    path = build(args.html, args.out)
    from pypdf import PdfReader

    n = len(PdfReader(path).pages)
    size = path.stat().st_size / 1e6
    print(f"{path}: {n} pages, {size:.1f} MB, in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
