"""Maths is rendered to MathML at build time: no maths library on any page."""

from __future__ import annotations

import re
import sys
from types import SimpleNamespace

import pytest
from docutils import nodes

from tests.site import HTML, ROOT

sys.path.insert(0, str(ROOT / "_ext"))
import mathml  # noqa: E402


class _Writer:
    def __init__(self):
        self.body: list[str] = []
        self.builder = SimpleNamespace(current_docname="book/test")

    def starttag(self, node, tag, suffix="\n", **attrs):
        return f'<{tag} class="{attrs.get("CLASS", "")}">'


def test_inline_and_display_maths_become_mathml():
    writer = _Writer()
    with pytest.raises(nodes.SkipNode):
        mathml.visit_math(writer, nodes.math(text=r"\theta_E < \theta_A"))
    html = "".join(writer.body)
    assert "<math" in html and "<msub>" in html and "&#x003B8;" in html  # theta


def test_unconvertible_latex_fails_loudly_naming_the_page():
    writer = _Writer()
    with pytest.raises(Exception, match="book/test"):
        mathml.visit_math(writer, nodes.math(text=r"\frac{1}{"))


def test_built_pages_load_no_maths_script_and_show_mathml():
    pages = {p: p.read_text(encoding="utf-8") for p in HTML.rglob("book/*.html")}
    assert not [p for p, t in pages.items() if re.search(r"<script[^>]+(mathjax|katex)", t, re.I)]
    assert any("<math" in t for t in pages.values()), "no MathML found in any chapter"
