"""Sphinx extension: repair accessibility defects in HTML that docutils writes.

docutils 0.21 writes a bibliography as ``<div role="list" class="citation-list">``
whose children carry ``role="doc-biblioentry"``.  A ``list`` must own
``listitem`` children, so axe reports ``aria-required-children`` (critical) and
screen readers announce an empty list.  Each entry is given ``role="listitem"``
instead; the ``citation`` class, ids and links are unchanged.
"""

from __future__ import annotations

import re

_BIBLIOENTRY = re.compile(r'(<div class="citation" id="[^"]+") role="doc-biblioentry">')


def _page_context(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = _BIBLIOENTRY.sub(r'\1 role="listitem">', body)


def setup(app):
    app.connect("html-page-context", _page_context)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
