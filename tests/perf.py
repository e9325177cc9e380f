"""`make perf`: build cost and page weight of the book, measured in one run.

Prints, for this machine:
* clean build time, the sum of standalone execution times of every executed page
  (chapters and data pages, run one by one with nbclient), and their ratio
  (the build's overhead over just running the notebooks; goal <= 1.3);
* no-change rebuild time;
* per page: first-visit transfer size (raw and gzipped, every file the page
  loads from the local server) and the time from navigation until every chart
  has drawn, in headless Chromium (goals: <= 700 KB gzipped, <= 1 s).

Run it from the repository root: ``python -m tests.perf`` (``make perf``).
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


def page_figures() -> list[tuple[str, int, int, int, float]]:
    from playwright.sync_api import sync_playwright

    from tests.site import CHROMIUM, CHROMIUM_ARGS, HTML, SiteServer, toc_pages, wait_for_charts

    rows = []
    with SiteServer(HTML) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for doc in toc_pages():
            context = browser.new_context()  # empty cache: a first visit
            page = context.new_page()
            files: list[str] = []
            page.on("requestfinished", lambda r, files=files: files.append(r.url))
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(server.url) else route.abort()
                ),
            )
            start = time.perf_counter()
            page.goto(f"{server.url}{doc}.html", wait_until="domcontentloaded")
            n = wait_for_charts(page)
            drawn = time.perf_counter() - start
            page.wait_for_load_state("load")
            raw = gz = 0
            for url in set(files):
                local = HTML / url[len(server.url) :].split("?")[0].split("#")[0]
                if local.is_file():
                    body = local.read_bytes()
                    raw += len(body)
                    gz += len(gzip.compress(body, 6))
            rows.append((doc, n, raw, gz, drawn))
            context.close()
        browser.close()
    return rows


def main() -> int:
    sys.path.insert(0, str(ROOT))
    for label, value in build_figures():
        print(f"{label:<50} {value}")
    print()
    print(f"{'page':<34} {'charts':>6} {'raw KB':>8} {'gzip KB':>8} {'drawn s':>8}")
    worst = 0.0
    for doc, n, raw, gz, drawn in page_figures():
        flag = "" if gz <= 700_000 and (n == 0 or drawn <= 1.0) else "  <- over goal"
        worst = max(worst, gz)
        print(f"{doc:<34} {n:>6} {raw / 1000:>8.0f} {gz / 1000:>8.0f} {drawn:>8.2f}{flag}")
    print(f"\nlargest first visit: {worst / 1000:.0f} KB gzipped (goal <= 700 KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
