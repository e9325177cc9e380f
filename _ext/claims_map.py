"""Sphinx extension: the ``claims-map`` directive renders ``book/claims.yml`` as a table.

Each claim (C1-C4, the article's, from its abstract) and each prediction (P1-P4, the
book's own) is linked to the chapters and numbered figures that bear on it, with a
one-line verdict.  Links are real cross-references (``doc`` and ``numref``), so with
``-n -W`` the build fails if a chapter or figure label named in claims.yml disappears;
``tests/test_claims.py`` checks the same in the built site.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx import addnodes

REQUIRED = ("id", "claim", "whose", "chapters", "verdict")


def load_claims(path: Path) -> list[dict]:
    claims = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(claims, list) or not claims:
        raise ValueError(f"{path}: expected a non-empty list of claims")
    seen = set()
    for i, claim in enumerate(claims, start=1):
        missing = [k for k in REQUIRED if not claim.get(k)]
        if missing:
            raise ValueError(f"{path}: claim {i} lacks {missing}")
        if claim["id"] in seen:
            raise ValueError(f"{path}: duplicate claim id {claim['id']!r}")
        if claim["whose"] not in ("article", "book"):
            raise ValueError(f"{path}: claim {claim['id']}: whose must be 'article' or 'book'")
        seen.add(claim["id"])
    return claims


def _xref(reftype: str, target: str, refdoc: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype=reftype, reftarget=target, refexplicit=False, refdoc=refdoc
    )
    ref["refwarn"] = True
    ref += nodes.inline("", target)
    return ref


class ClaimsMap(Directive):
    required_arguments = 1  # path of claims.yml, relative to the page
    option_spec = {"class": directives.class_option}

    def run(self):
        env = self.state.document.settings.env
        rel, path = env.relfn2path(self.arguments[0], env.docname)
        env.note_dependency(rel)
        claims = load_claims(Path(path))
        table = nodes.table(classes=["claims-map"])
        group = nodes.tgroup(cols=5)
        table += group
        for width in (6, 30, 16, 22, 26):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += self._row(["", "Claim or prediction", "Chapters", "Figures", "Verdict"])
        body = nodes.tbody()
        group += body
        for c in claims:
            whose = "the article" if c["whose"] == "article" else "this book's"
            claim_cell = [nodes.Text(c["claim"]), nodes.Text(f" ({whose})")]
            chapters = [_xref("doc", f"/{d}", env.docname) for d in c["chapters"]]
            figures = [_xref("numref", f, env.docname) for f in c.get("figures", [])]
            body += self._row([c["id"], claim_cell, chapters, figures, c["verdict"]], ids=c["id"])
        return [table]

    @staticmethod
    def _row(cells, ids: str | None = None) -> nodes.row:
        row = nodes.row(ids=[f"claim-{ids.lower()}"] if ids else [])
        for cell in cells:
            entry = nodes.entry()
            para = nodes.paragraph()
            items = cell if isinstance(cell, list) else [nodes.Text(str(cell))]
            for i, item in enumerate(items):
                if i and not isinstance(item, nodes.Text):
                    para += nodes.Text(", ")
                para += item
            entry += para
            row += entry
        return row


def setup(app):
    app.add_directive("claims-map", ClaimsMap)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
