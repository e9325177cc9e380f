"""Sphinx extension: fail the build when prose has been parsed as maths.

With MyST's ``dollarmath`` on, any two ``$`` signs in one paragraph open and close an
inline formula: "about US$95.4 bn in 2014 ([source](…)) … US$64.2 bn" becomes italic
maths that swallows the link and runs past the column.  The book's convention
(README, "Writing"): a dollar sign in prose or a caption is written ``\\$``; maths is
``$…$``/``$$…$$`` only around mathematics.

This check is the guard for the convention.  After each page is read it looks at every
maths node and warns, naming the page, the line and the text, when the formula holds

* a URL, or a Markdown link ``](`` -- never mathematics;
* a run of three or more plain words outside ``\\text{…}``/``\\mathrm{…}`` and commands --
  prose (a formula's letters are single symbols: ``C_t \\ge \\theta_E``).

The build runs with ``-W``, so a warning fails it.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Commands whose braces hold words legitimately (``\mathrm{AIC}``, ``\text{if }``).
WORD_COMMANDS = re.compile(r"\\(?:text|mathrm|operatorname|textrm|textit|mbox|mathit)\s*\{[^{}]*\}")
COMMAND = re.compile(r"\\[A-Za-z]+")
URL = re.compile(r"https?://|www\.|\]\(")
#: Three words of two or more letters in a row, separated only by spaces or punctuation.
WORDS = re.compile(r"[A-Za-z]{2,}(?:[\s,;:.()'’\"-]+[A-Za-z]{2,}){2,}")


def prose_in_maths(latex: str) -> str | None:
    """Why ``latex`` looks like prose, or None when it looks like a formula."""
    if URL.search(latex):
        return "a URL or a Markdown link"
    bare = COMMAND.sub(" ", WORD_COMMANDS.sub(" ", latex))
    found = WORDS.search(bare)
    return f"plain words ({found.group(0)!r})" if found else None


def check_doctree(app, doctree: nodes.document) -> None:
    docname = app.env.docname
    for node in doctree.findall(lambda n: isinstance(n, nodes.math | nodes.math_block)):
        reason = prose_in_maths(node.astext())
        if reason:
            text = " ".join(node.astext().split())
            logger.warning(
                "prose parsed as maths on page %s (%s): $%s$ -- write a dollar sign as \\$",
                docname,
                reason,
                text[:160],
                location=node,
                type="stray_maths",
            )


def setup(app):
    app.connect("doctree-read", check_doctree)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
