"""`make perf`: build cost and page weight of the book, measured in one run.

Prints, for this machine:
* clean build time, the sum of standalone execution times of every executed page
  (chapters and data pages, run one by one with nbclient), and their ratio
  (the build's overhead over just running the notebooks; goal <= 1.3);
* no-change rebuild time;
* per page, in headless Chromium, each a first visit: the transfer before any
  interaction (raw and gzipped, every file the page loads from the local server),
  the time from DOMContentLoaded to the first visible figure, and the time from a
  reader's first touch of a chart to the interactive chart (goals, issue 14: a
  chapter <= 300 KB gzipped, a text page <= 150 KB, a figure <= 0.3 s, interactive
  <= 1 s).

Run it from the repository root: ``python -m tests.perf`` (``make perf``);
``make perf PERF_ARGS=--pages-only`` measures the site already built, without the
two timed builds.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = [str(ROOT / ".venv/bin/jupyter-book"), "build", "-W", "-n", "--keep-going", str(ROOT)]


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _execute_standalone(path: Path) -> float:
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(path)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def build_figures() -> list[tuple[str, str]]:
    from tests.site import toc_pages

    pages = [ROOT / f"{p}.ipynb" for p in toc_pages()] + [ROOT / f"{p}.md" for p in toc_pages()]
    executed = [
        p for p in pages if p.exists() and (p.suffix == ".ipynb" or "code-cell" in p.read_text())
    ]
    notebooks = sum(_execute_standalone(p) for p in executed)
    shutil.rmtree(ROOT / "_build" / "html", ignore_errors=True)
    shutil.rmtree(ROOT / "_build" / ".doctrees", ignore_errors=True)
    shutil.rmtree(ROOT / "_build" / "jupyter_execute", ignore_errors=True)
    clean = _timed(BUILD)
    rebuild = _timed(BUILD)
    return [
        ("executed pages", f"{len(executed)}"),
        ("sum of standalone execution times", f"{notebooks:.1f} s"),
        ("clean build", f"{clean:.1f} s"),
        (
            "build overhead ratio (clean build / execution)",
            f"{clean / notebooks:.2f}  (goal <= 1.3)",
        ),
        ("no-change rebuild", f"{rebuild:.1f} s"),
    ]


#: Set before any page script runs: when DOMContentLoaded fires, and when the first figure
#: (a static chart picture, a drawn chart or a figure's image) is on screen with a size.
TIMING_JS = """window.__perf = {};
document.addEventListener("DOMContentLoaded", () => {
  window.__perf.dcl = performance.now();
  const sel = "svg.chart-static, img.chart-static, svg.marks, canvas.marks, article figure img";
  const check = () => {
    const shown = [...document.querySelectorAll(sel)].some((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 20 && r.height > 20;
    });
    // two frames: the figure has been laid out and painted
    if (shown) requestAnimationFrame(() => { window.__perf.figure = performance.now(); });
    else requestAnimationFrame(check);
  };
  check();
});"""

#: The first chart's time to interactive after a reader's first touch (the pointer enters
#: it): from the event to the chart drawn by Vega, bundle download included.
INTERACT_JS = """async () => {
  const el = document.querySelector("[id^='altair-viz-']");
  if (!el || !window.bookCharts) return null;
  const t0 = performance.now();
  el.dispatchEvent(new PointerEvent("pointerenter"));
  await window.bookCharts.enhance(el);
  return performance.now() - t0;
}"""

GOAL_CHAPTER_KB, GOAL_TEXT_KB, GOAL_FIGURE_S, GOAL_INTERACTIVE_S = 300, 150, 0.3, 1.0


def _transfer(files: list[str], prefix: str) -> tuple[int, int]:
    raw = gz = 0
    for url in set(files):
        local = HTML_DIR / url[len(prefix) :].split("?")[0].split("#")[0]
        if local.is_file():
            body = local.read_bytes()
            raw += len(body)
            gz += len(gzip.compress(body, 6))
    return raw, gz


HTML_DIR = ROOT / "_build" / "html"


def page_figures() -> list[dict]:
    """Per page in _toc.yml, in a fresh browser context each (a first visit): charts, the
    transfer before any interaction (raw and gzipped, every file the page loaded from the
    local server within 0.5 s of the load event), the time from DOMContentLoaded to the
    first visible figure, and the first chart's time to interactive after a first touch."""
    from playwright.sync_api import sync_playwright

    from tests.site import CHROMIUM, CHROMIUM_ARGS, HTML, SiteServer, toc_pages

    rows = []
    with SiteServer(HTML) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for doc in toc_pages():
            context = browser.new_context()  # empty cache: a first visit
            context.add_init_script(TIMING_JS)
            page = context.new_page()
            files: list[str] = []
            page.on("requestfinished", lambda r, files=files: files.append(r.url))
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(server.url) else route.abort()
                ),
            )
            page.goto(f"{server.url}{doc}.html", wait_until="load")
            page.wait_for_timeout(500)
            raw, gz = _transfer(list(files), server.url)
            n = page.locator("[id^='altair-viz-']").count()
            has_figure = page.locator(
                "svg.chart-static, img.chart-static, svg.marks, canvas.marks, article figure img"
            ).count()
            figure = None
            if has_figure:
                page.wait_for_function("() => window.__perf.figure !== undefined", timeout=15_000)
                timing = page.evaluate("() => window.__perf")
                figure = max(0.0, (timing["figure"] - timing["dcl"]) / 1000)
            interactive = None
            if n:
                ms = page.evaluate(INTERACT_JS)
                interactive = None if ms is None else ms / 1000
            rows.append(
                {"doc": doc, "charts": n, "raw": raw, "gz": gz, "figure": figure,
                 "interactive": interactive}
            )  # fmt: skip
            context.close()
        browser.close()
    return rows


def page_table(rows: list[dict]) -> tuple[str, int]:
    """The per-page table against the goals, and how many pages miss one."""

    def fmt(value):
        return "-" if value is None else f"{value:.2f}"

    lines = [
        f"{'page':<34} {'charts':>6} {'raw KB':>8} {'gzip KB':>8} {'figure s':>9} "
        f"{'interactive s':>14}"
    ]
    over = 0
    for r in rows:
        goal_kb = GOAL_CHAPTER_KB if r["charts"] else GOAL_TEXT_KB
        misses = []
        if r["gz"] > goal_kb * 1000:
            misses.append(f"transfer > {goal_kb} KB")
        if r["figure"] is not None and r["figure"] > GOAL_FIGURE_S:
            misses.append(f"figure > {GOAL_FIGURE_S} s")
        if r["interactive"] is not None and r["interactive"] > GOAL_INTERACTIVE_S:
            misses.append(f"interactive > {GOAL_INTERACTIVE_S} s")
        over += bool(misses)
        lines.append(
            f"{r['doc']:<34} {r['charts']:>6} {r['raw'] / 1000:>8.0f} {r['gz'] / 1000:>8.0f} "
            f"{fmt(r['figure']):>9} {fmt(r['interactive']):>14}"
            + (f"  <- {', '.join(misses)}" if misses else "")
        )
    lines.append(
        f"goals: first visit <= {GOAL_CHAPTER_KB} KB gzipped (chapters with charts), "
        f"<= {GOAL_TEXT_KB} KB (text pages); first figure <= {GOAL_FIGURE_S} s after "
        f"DOMContentLoaded; interactive <= {GOAL_INTERACTIVE_S} s after the first touch. "
        f"Pages missing a goal: {over} of {len(rows)}"
    )
    return "\n".join(lines), over


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.perf", description=__doc__)
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="skip the build timings; measure the pages of the site already in _build/html",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if not args.pages_only:
        for label, value in build_figures():
            print(f"{label:<50} {value}")
        print()
    table, _ = page_table(page_figures())
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
