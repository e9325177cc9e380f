"""Sphinx extension: repair accessibility defects in HTML that docutils writes.

docutils 0.21 writes a bibliography as ``<div role="list" class="citation-list">``
whose children carry ``role="doc-biblioentry"``.  A ``list`` must own
``listitem`` children, so axe reports ``aria-required-children`` (critical) and
screen readers announce an empty list.  Each entry is given ``role="listitem"``
instead; the ``citation`` class, ids and links are unchanged.

The theme's sidebar draws each collapsible table-of-contents branch as a
``<summary>`` holding only an icon, which has no accessible name (axe:
``summary-name``, serious).  Written pages get an ``aria-label`` on those.
"""

from __future__ import annotations

import re
from pathlib import Path

_BIBLIOENTRY = re.compile(r'(<div class="citation" id="[^"]+") role="doc-biblioentry">')


def _page_context(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = _BIBLIOENTRY.sub(r'\1 role="listitem">', body)


_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
_NAMED_TOGGLE = (
    '<summary aria-label="Show or hide this section\'s pages">'
    '<span class="toctree-toggle" role="presentation">'
)


def _name_sidebar_toggles(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if _TOGGLE in text:
            page.write_text(text.replace(_TOGGLE, _NAMED_TOGGLE), encoding="utf-8")


def setup(app):
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _name_sidebar_toggles)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
