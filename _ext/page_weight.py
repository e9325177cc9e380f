"""Sphinx extension: keep first-visit page weight down.

pydata-sphinx-theme puts ``scripts/fontawesome.js`` (1.5 MB, ~540 KB gzipped) on
every page.  That script only swaps icon ``<i>`` tags for inline SVG "so that users
can add custom icons"; the theme's own stylesheet already draws every icon the book
uses from Font Awesome's webfonts (``@font-face`` in pydata-sphinx-theme.css), so
the script is removed from each written page.  The browser test checks that the
header icons still render with the webfont.
"""

from __future__ import annotations

import re
from pathlib import Path

_FONTAWESOME_JS = re.compile(
    r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'
)


def _strip(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _FONTAWESOME_JS.sub("", text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _strip)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
