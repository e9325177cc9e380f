"""The Nu HTML Checker (vnu.jar, from the npm package ``vnu-jar``) over the built site.

``make vnu`` installs the jar into the venv (``.venv/npm``) with npm; Java runs it.
``python -m tests.vnu`` prints every error, one line each, and exits non-zero if any.
Pages are every ``*.html`` the build writes except the theme's template fragments that
pydata-sphinx-theme and sphinx-book-theme copy into ``_static/`` (Jinja macros, never
served as pages).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.site import HTML

#: The pinned version; the Makefile's `vnu` target installs exactly this one.
VNU_VERSION = "26.9.27"
JAR = Path(sys.prefix) / "npm" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class Message:
    page: str
    line: int | None
    text: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line or '?'}: {self.text}"


def jar() -> Path:
    path = Path(os.environ.get("VNU_JAR", JAR))
    if not path.exists():
        raise FileNotFoundError(f"no vnu.jar at {path}: run `make vnu` (make test does)")
    if shutil.which("java") is None:
        raise FileNotFoundError("no `java` on PATH: the Nu checker needs a Java runtime")
    return path


def pages(html_dir: Path = HTML) -> list[Path]:
    return sorted(
        p for p in html_dir.rglob("*.html") if "_static" not in p.relative_to(html_dir).parts
    )


def check(files: list[Path], root: Path = HTML) -> list[Message]:
    """Every error the checker reports for ``files`` (warnings and notes are left out)."""
    if not files:
        raise ValueError("no HTML files to check")
    run = subprocess.run(
        ["java", "-Xss1m", "-jar", str(jar()), "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(run.stderr or run.stdout)
    except json.JSONDecodeError as err:
        raise RuntimeError(f"vnu did not write its JSON report: {run.stderr[:500]}") from err
    errors = []
    for msg in report.get("messages", []):
        if msg.get("type") == "error" or msg.get("subType") == "fatal":
            url = msg.get("url", "")
            page = url.removeprefix("file:").split(str(root.resolve()) + "/")[-1]
            errors.append(Message(page, msg.get("lastLine"), msg.get("message", "")))
    return errors


def main() -> int:
    files = pages()
    errors = check(files)
    for err in errors:
        print(err)
    on = len({e.page for e in errors})
    print(f"Nu HTML Checker: {len(errors)} errors on {on} of {len(files)} pages")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
