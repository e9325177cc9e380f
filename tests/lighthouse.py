"""`make lighthouse`: Lighthouse's mobile performance score of every chapter of the built site.

Lighthouse (npm, pinned below) runs with its default mobile setting (a 412 px phone, 4x
CPU slowdown and a slow 4G connection, both simulated) against the site served on
127.0.0.1 with text files gzip-encoded, as a static host sends them (served as is, the
theme's 397 KB stylesheet alone costs two simulated seconds), driving Debian's chromium.
It prints, per page, the performance score and the metrics behind it: first and largest
contentful paint, total blocking time and cumulative layout shift. Issue 14's goal: a
score of at least 90 on every chapter.

The score is a measurement of this machine at this moment: a busy machine scores lower
(the simulated slowdown is applied on top of the real one), so this is not a test.

    python -m tests.lighthouse              every page of _toc.yml
    python -m tests.lighthouse book/system  the pages named
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.site import CHROMIUM, HTML, ROOT, SiteServer, toc_pages

LIGHTHOUSE_VERSION = "12.2.3"
PREFIX = ROOT / ".venv" / "lighthouse"
BIN = PREFIX / "node_modules" / ".bin" / "lighthouse"
GOAL = 90


def install() -> None:
    if BIN.exists():
        return
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(PREFIX),
            "--no-save",
            "--no-package-lock",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            f"lighthouse@{LIGHTHOUSE_VERSION}",
        ],
        check=True,
    )


def audit(url: str) -> dict:
    """Lighthouse's performance category and four metrics for ``url``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [
                str(BIN),
                url,
                "--quiet",
                "--only-categories=performance",
                "--output=json",
                f"--output-path={out}",
                "--chrome-flags=--headless=new --no-sandbox",
            ],
            check=True,
            env=dict(os.environ, CHROME_PATH=CHROMIUM),
        )
        report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]

    def ms(key: str) -> float:
        return audits[key]["numericValue"]

    return {
        "score": round(100 * (report["categories"]["performance"]["score"] or 0)),
        "fcp": ms("first-contentful-paint") / 1000,
        "lcp": ms("largest-contentful-paint") / 1000,
        "tbt": ms("total-blocking-time"),
        "cls": audits["cumulative-layout-shift"]["numericValue"],
    }


def main(argv: list[str]) -> int:
    if not (HTML / "index.html").exists():
        print(f"no built site at {HTML}: run `make book` first", file=sys.stderr)
        return 2
    install()
    pages = argv or [p for p in toc_pages() if (ROOT / f"{p}.ipynb").exists()]
    print(f"Lighthouse {LIGHTHOUSE_VERSION}, mobile (simulated), performance; goal >= {GOAL}")
    print(f"{'page':28} {'score':>5} {'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6}")
    below = 0
    with SiteServer(HTML, gzip=True) as server:
        for page in pages:
            r = audit(f"{server.url.rstrip('/')}/{page}.html")
            below += r["score"] < GOAL
            print(
                f"{page:28} {r['score']:>5} {r['fcp']:>6.2f} {r['lcp']:>6.2f} "
                f"{r['tbt']:>7.0f} {r['cls']:>6.3f}"
            )
    print(f"{len(pages) - below} of {len(pages)} pages at or above {GOAL}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
