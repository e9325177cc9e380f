"""Sphinx extension: render the book's LaTeX maths to MathML when the site is built.

Browsers display MathML natively (MathML Core), so pages need no maths library at
all: MathJax cost every page that has a formula ~260 KB gzipped of script plus
its fonts, and a moment of re-layout after load.  Conversion uses the
``latex2mathml`` package; a formula it cannot convert fails the build with the
formula and the page named, rather than printing raw LaTeX.

Registered as the HTML maths renderer ``mathml`` (``html_math_renderer``).
"""

from __future__ import annotations

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.errors import ExtensionError


def _mathml(self, latex: str, display: str) -> str:
    try:
        return convert(latex, display=display)
    except Exception as exc:  # latex2mathml raises several exception types
        where = self.builder.current_docname
        raise ExtensionError(f"mathml: cannot convert {latex!r} on page {where}: {exc}") from exc


def visit_math(self, node: nodes.math) -> None:
    self.body.append(
        self.starttag(node, "span", "", CLASS="math notranslate")
        + _mathml(self, node.astext(), "inline")
        + "</span>"
    )
    raise nodes.SkipNode


def visit_displaymath(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    if node.get("number"):
        self.body.append(f'<span class="eqno">({node["number"]})</span>')
        self.add_permalink_ref(node, "Link to this equation")
    self.body.append(_mathml(self, node.astext(), "block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
