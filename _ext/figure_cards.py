"""Sphinx extension: a figure card under every numbered figure (``reluctant_allies.cards``).

At build time, for each figure of ``reluctant_allies.replication.exhibits()`` (the list of
exhibits REPLICATION.md prints), this post-transform reads the chart's Vega-Lite spec and
its static picture from the cell's output, lets :func:`reluctant_allies.cards.card_files`
make the card's files (CSV of the plotted rows, README, SVG, PNG drawn by vl-convert,
BibTeX, table page) and puts the collapsed card (:func:`~reluctant_allies.cards.card_html`)
right after the figure.  The files are written under ``_static/figures/<chapter>/`` when
the build finishes, with one zip per chapter of all its figures' rows and READMEs.

It runs before ``static_charts`` (priority 3) merges the picture into the chart's html.
A numbered figure without a chart, a figure number that differs from the exhibit list's,
or a card that cannot be made is a build warning (``-W`` fails the build).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from static_charts import _DIV, _bound_params, _image_text, chart_spec

__version__ = "1.0"
logger = logging.getLogger(__name__)
STATIC = "_static/figures"


def _context(app):
    """Exhibits, data statements, CITATION.cff and figure -> claims, read once per build."""
    ctx = getattr(app, "figure_cards", None)
    if ctx is None:
        import yaml

        from reluctant_allies import cards, replication

        root = Path(app.srcdir)
        claims: dict[str, list[str]] = {}
        for claim in yaml.safe_load((root / "book/claims.yml").read_text(encoding="utf-8")):
            for label in claim.get("figures") or []:
                claims.setdefault(label, []).append(claim["id"])
        schema = yaml.safe_load((root / "book/permalinks.yml").read_text(encoding="utf-8"))
        ctx = {
            "permalinks": cards.check_permalinks(schema),
            "views": {},  # docname -> {label: keys} of the explorables on the page
            "exhibits": {e.label: e for e in replication.exhibits(root) if e.kind == "Figure"},
            "statements": tuple(replication.availability(root)),
            "cff": replication.citation(root),
            "claims": claims,
            "files": {},  # chapter -> {stem: {name: bytes}}
        }
        app.figure_cards = ctx
    return ctx


def _chart(figure: nodes.Element, env, docname: str):
    """(spec, svg text or None) of the chart inside ``figure``, or None without a chart."""

    def is_bundle(node):
        return isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"

    for bundle in figure.findall(is_bundle):
        by_type = {child.get("mime_type"): child for child in bundle.children}
        box = by_type.get("text/html")
        raws = list(box.findall(nodes.raw)) if box is not None else []
        if raws and _DIV.search(raws[0].astext()):
            svg_box = by_type.get("image/svg+xml")
            svg = _image_text(env, docname, svg_box, "image/svg+xml") if svg_box else None
            return chart_spec(raws[0].astext()), svg
    return None


#: The card's PNG is drawn at screen resolution (the SVG is the vector copy for print and
#: slides): at 2x the 53 PNGs weighed 16 MB, at 1x about 7 MB.
PNG_SCALE = 1


def _png(spec) -> bytes:
    import vl_convert as vlc

    from reluctant_allies.charts.render import vegalite_version

    return vlc.vegalite_to_png(spec, vl_version=vegalite_version(), scale=PNG_SCALE)


def _cell_anchor(document, exhibit) -> str | None:
    """Give the figure's code cell an id when its input is on the page; return it."""
    for cell in document.findall(nodes.container):
        if cell.get("nb_element") != "cell_code" or cell.get("cell_index") != exhibit.cell:
            continue
        shown = any(
            isinstance(n, nodes.container) and n.get("nb_element") == "cell_code_source"
            for n in cell.findall(nodes.container)
        )
        if not shown:
            return None
        anchor = f"cell-{exhibit.cell_id or exhibit.cell}"
        if anchor not in cell["ids"]:
            cell["ids"].append(anchor)
        return anchor
    return None


class FigureCards(SphinxPostTransform):
    default_priority = 2  # before static_charts (3) and myst-nb's SelectMimeType (4)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        from reluctant_allies import cards

        ctx = _context(self.app)
        docname = self.env.docname
        numbers = self.env.toc_fignumbers.get(docname, {}).get("figure", {})
        for figure in list(self.document.findall(nodes.figure)):
            label = next((i for i in figure["ids"] if i in ctx["exhibits"]), None)
            if label is None:
                continue
            exhibit = ctx["exhibits"][label]
            shown = ".".join(str(n) for n in numbers.get(label, ()))
            if shown != exhibit.number:
                logger.warning(
                    "figure_cards: %s is Figure %s on the page but %s in the exhibit list",
                    label,
                    shown,
                    exhibit.number,
                    type="figure_cards",
                    location=figure,
                )
            chart = _chart(figure, self.env, docname)
            if chart is None:
                logger.warning(
                    "figure_cards: %s has no chart to make a card from",
                    label,
                    type="figure_cards",
                    location=figure,
                )
                continue
            spec, svg = chart
            params = [p["name"] for p in _bound_params(spec)]
            if params:
                problem = cards.check_view(ctx["permalinks"], label, params)
                if problem:
                    logger.warning(
                        "figure_cards: %s", problem, type="figure_cards", location=figure
                    )
                else:
                    keys = ctx["permalinks"]["views"][label]
                    ctx["views"].setdefault(docname, {})[label] = keys
            fig = cards.Figure(
                exhibit, spec, tuple(ctx["claims"].get(label, ())), ctx["statements"], ctx["cff"]
            )
            try:
                files = cards.card_files(fig, svg=svg, png=_png(spec))
            except cards.CardError as exc:
                logger.warning("figure_cards: %s", exc, type="figure_cards", location=figure)
                continue
            chapter = Path(exhibit.chapter).name
            ctx["files"].setdefault(chapter, {})[fig.stem] = files
            up = "../" * docname.count("/")
            cell = _cell_anchor(self.document, exhibit)
            links = {
                "notebook": f"{up}_sources/{docname}.ipynb",
                "repository": cards.figure_url(fig),
                "claims": self.app.builder.get_relative_uri(docname, "book/claims"),
                "zip": f"{up}{STATIC}/{chapter}/{chapter}-figures.zip",
            }
            if cell:
                links["cell"] = f"#{cell}"
            card = cards.card_html(fig, files, base=f"{up}{STATIC}/{chapter}/", links=links)
            figure.parent.insert(
                figure.parent.index(figure) + 1, nodes.raw("", card, format="html")
            )


LINKS_SCRIPT = Path(__file__).with_name("explorable_links.js")


def _builder_inited(app) -> None:
    """Put the permalink script in a static folder outside the source tree, named by hash."""
    if app.builder.format != "html":
        return
    import hashlib

    folder = Path(app.outdir).parent / ".figure_cards_static"
    (folder / "figure_cards").mkdir(parents=True, exist_ok=True)
    tag = hashlib.sha256(LINKS_SCRIPT.read_bytes()).hexdigest()[:12]
    for old in (folder / "figure_cards").glob("explorable-links-*.js"):
        old.unlink()
    (folder / "figure_cards" / f"explorable-links-{tag}.js").write_bytes(LINKS_SCRIPT.read_bytes())
    app.config.html_static_path.append(str(folder))
    app.figure_cards_script = f"figure_cards/explorable-links-{tag}.js"


def _inputs_tag(app) -> str:
    """A digest of what the cards are made from besides the page: when it changes, every
    page is written again (an incremental build would keep cards, and a script name, that
    no longer exist)."""
    import hashlib

    root = Path(app.srcdir)
    inputs = [
        LINKS_SCRIPT,
        Path(__file__),
        root / "book/permalinks.yml",
        root / "book/claims.yml",
        root / "data/datapackage.json",
        root / "CITATION.cff",
        root / "reluctant_allies/cards.py",
    ]
    digest = hashlib.sha256()
    for path in inputs:
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:16]


def _outdated(app, env, added, changed, removed) -> list[str]:
    tag = _inputs_tag(app)
    if getattr(env, "figure_cards_tag", None) == tag:
        return []
    env.figure_cards_tag = tag
    return sorted(env.found_docs - set(added) - set(changed))


def _page_context(app, pagename, templatename, context, doctree) -> None:
    """On a page with explorables: their permalink schema, inline, and the script."""
    import json

    views = (getattr(app, "figure_cards", None) or {}).get("views", {}).get(pagename)
    if not views:
        return
    schema = app.figure_cards["permalinks"]
    page = {
        "version": schema["version"],
        "views": views,
        "migrations": [
            {**m, "rename": {k: v for k, v in (m.get("rename") or {}).items() if k in views}}
            for m in schema["migrations"]
        ],
    }
    body = json.dumps(page, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    app.add_js_file(None, body=body, type="application/json", id="explorable-links", priority=900)
    app.add_js_file(app.figure_cards_script, defer="defer", priority=901)


def _write(app, exc) -> None:
    if exc is not None or app.builder.format != "html":
        return
    from reluctant_allies import cards

    ctx = getattr(app, "figure_cards", None) or {"files": {}}
    for chapter, figures in ctx["files"].items():
        folder = Path(app.outdir) / STATIC / chapter
        folder.mkdir(parents=True, exist_ok=True)
        for files in figures.values():
            for name, content in files.items():
                (folder / name).write_bytes(content)
        (folder / f"{chapter}-figures.zip").write_bytes(cards.chapter_zip(figures))


def setup(app):
    app.add_post_transform(FigureCards)
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-outdated", _outdated)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _write)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": False}
