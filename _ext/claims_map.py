"""Sphinx extension: the ``claims-map`` directive renders ``book/claims.yml`` as a table.

Each claim (C1-C4, the article's, from its abstract) and each prediction (P1-P4, the
book's own) is linked to the chapters and numbered figures that bear on it, with a
one-line verdict.  Links are real cross-references (``doc`` and ``numref``), so with
``-n -W`` the build fails if a chapter or figure label named in claims.yml disappears;
``tests/test_claims.py`` checks the same in the built site.

A claim may carry ``computed``: the outcome of the chapter functions behind its verdict,
as ``book/claims_verdicts.json`` (written by ``python -m reluctant_allies.analysis.claims``)
stores it. The directive refuses to build when the two differ, and prints the computed
outcome under the verdict with the first digits of the inputs' sha256.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx import addnodes

REQUIRED = ("id", "claim", "whose", "chapters", "verdict")
VERDICTS = "claims_verdicts.json"  # beside claims.yml


def load_verdicts(claims_path: Path) -> dict | None:
    """The stored computed outcomes beside ``claims_path``, or None if there is no file."""
    path = Path(claims_path).with_name(VERDICTS)
    if not path.exists():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    if "outcomes" not in record or "inputs_sha256" not in record:
        raise ValueError(f"{path}: expected 'outcomes' and 'inputs_sha256'")
    return record


def check_computed(claims: list[dict], record: dict | None, where: str) -> list[str]:
    """Claims whose ``computed`` line differs from the stored outcome (one message each)."""
    outcomes = (record or {}).get("outcomes", {})
    problems = []
    for c in claims:
        if "computed" not in c and c["id"] not in outcomes:
            continue
        if c.get("computed") != outcomes.get(c["id"]):
            problems.append(
                f"{where}: claim {c['id']}: computed {c.get('computed')!r} but the chapters' "
                f"functions give {outcomes.get(c['id'])!r}; rewrite its verdict and computed line"
            )
    return problems


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
        record = load_verdicts(Path(path))
        if record is not None:
            env.note_dependency(str(Path(path).with_name(VERDICTS)))
        problems = check_computed(claims, record, rel)
        if problems:
            raise self.error("; ".join(problems))
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
            verdict = [nodes.Text(c["verdict"])]
            if c.get("computed"):
                verdict.append(nodes.Text(f" [computed: {c['computed']}]"))
            body += self._row([c["id"], claim_cell, chapters, figures, verdict], ids=c["id"])
        out = [table]
        if record is not None:
            out.append(
                nodes.paragraph(
                    "",
                    "Computed outcomes from the data package's resources and the rules' "
                    f"parameters, inputs sha256 {record['inputs_sha256'][:12]}.",
                )
            )
        return out

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
