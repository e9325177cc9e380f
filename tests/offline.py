"""The offline edition: ``make offline`` (``python -m tests.offline``).

One zip, ``_build/offline/reluctant-allies-offline.zip``, that a reader unpacks and
opens with no server and no network:

    reluctant-allies/README.txt      what is where, how to open it
    reluctant-allies/site/           the built site: open site/index.html
    reluctant-allies/data/           the data package (datapackage.json and the CSVs)
    reluctant-allies/notebooks/      the notebooks as the build executed them

The site is the one ``make book`` built, with one change for ``file://``: Sphinx's
search page fetches each hit's source text to show a summary, and a browser refuses
``fetch`` of ``file://`` addresses (an error per hit).  In the zip the summaries are
off (``SHOW_SEARCH_SUMMARY: false``); the hits and their links are unchanged.

Entries are sorted and stamped with one fixed time, so the same build gives the same zip.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from tests.site import HTML, ROOT

ZIP = ROOT / "_build" / "offline" / "reluctant-allies-offline.zip"
EXECUTED = ROOT / "_build" / "jupyter_execute" / "book"
DATA = ROOT / "data"
TOP = "reluctant-allies"
STAMP = (2020, 1, 1, 0, 0, 0)
SEARCH_OPTIONS = "_static/documentation_options.js"

README = """Reluctant Allies: an executable companion (offline edition)

site/index.html   open it in a browser: the whole book, with its charts and sliders,
                  needs no server and no network (search works; hits show no summary)
data/             the data package: datapackage.json (schema, units, sources,
                  licences, checksums) and one CSV per table
notebooks/        every chapter and data page as the build executed it, outputs included

To re-run the notebooks, use the repository (README.md there: `make book`).
"""


def _for_file_urls(rel: str, content: bytes) -> bytes:
    if rel == SEARCH_OPTIONS:
        text = content.decode("utf-8")
        if "SHOW_SEARCH_SUMMARY: true" not in text:
            raise ValueError(f"{rel}: SHOW_SEARCH_SUMMARY not found; Sphinx changed its options")
        return text.replace("SHOW_SEARCH_SUMMARY: true", "SHOW_SEARCH_SUMMARY: false").encode()
    return content


def members(html_dir: Path = HTML, data_dir: Path = DATA, executed: Path = EXECUTED):
    """(name in the zip, source file) for every file, in the zip's order."""
    for label, folder, suffixes in (
        ("site", html_dir, None),
        ("data", data_dir, None),
        ("notebooks", executed, {".ipynb"}),
    ):
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} does not exist: run `make book` first")
        files = sorted(
            p
            for p in folder.rglob("*")
            if p.is_file()
            and not p.name.startswith(".")  # Sphinx's .buildinfo, editors' dotfiles
            and (suffixes is None or p.suffix in suffixes)
        )
        if not files:
            raise FileNotFoundError(f"{folder} holds no files for the {label}/ folder")
        for path in files:
            yield f"{TOP}/{label}/{path.relative_to(folder).as_posix()}", path


def build(
    out: Path = ZIP, html_dir: Path = HTML, data_dir: Path = DATA, executed: Path = EXECUTED
) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(zipfile.ZipInfo(f"{TOP}/README.txt", STAMP), README)
        for name, path in members(html_dir, data_dir, executed):
            content = path.read_bytes()
            if name.startswith(f"{TOP}/site/"):
                content = _for_file_urls(name.removeprefix(f"{TOP}/site/"), content)
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, content)
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ZIP)
    args = parser.parse_args(argv)
    path = build(args.out)
    with zipfile.ZipFile(path) as zf:
        n = len(zf.infolist())
    print(f"{path}: {n} files, {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
