"""Sphinx extension: pages that pass the Nu HTML Checker, and are findable and light.

The tools behind the book emit markup that the W3C's Nu checker rejects; each is fixed
here, where it is emitted, rather than by hand in the output:

* **sphinx-exercise** gives every exercise's body ``<section id="exercise-content">``
  (and every solution's ``id="solution-content"``): the same id on each exercise of a
  page.  A post-transform renames it after its exercise (``ex-trade-content``), or drops
  it when the exercise has no id; nothing links to these ids.
* **pandas** writes ``<style scoped>`` before each DataFrame's HTML table.  ``scoped``
  is not HTML (no browser ever scoped it: the rules applied to the whole page anyway),
  and a ``<style>`` in the body draws "selector matches an element before the style"
  errors.  The blocks are taken out of the body and each distinct one is put once in
  ``<head>``.
* **myst-nb** puts two ``<p>`` (the "Show/Hide code cell source" labels) in a
  ``<summary>``, which allows only phrasing content.  They become ``<span>``;
  ``valid_pages.css`` restyles them as myst-nb styles the paragraphs.
* **sphinx-external-toc** writes the root ``index.html`` as a bare ``<meta>`` refresh
  (no doctype, no ``<title>``).  After it, a complete redirect page is written.

Findable and light:

* each page gets ``<meta name="description">`` from its "Learning goal" box (chapters),
  else from its first paragraph;
* the favicon is ``html_favicon`` in ``_config.yml`` (its 404 was the one console error);
* pydata-sphinx-theme loads ``searchindex.js`` (~100 KB) and Sphinx's search scripts on
  every page for its search-as-you-type box.  The book does not turn that box on, so the
  three scripts are dropped from every page but ``search.html``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

__version__ = "1.0"

CSS_FILE = "valid-pages.css"
CSS_SOURCE = Path(__file__).with_name("valid_pages.css")

# --- sphinx-exercise: one id per exercise body ---------------------------------------

_CONTENT_IDS = {"exercise-content", "solution-content"}


class UniqueExerciseContentIds(SphinxPostTransform):
    """Rename sphinx-exercise's constant ``exercise-content``/``solution-content`` ids."""

    default_priority = 900

    def run(self, **kwargs) -> None:
        for section in list(self.document.findall(nodes.section)):
            shared = [i for i in section["ids"] if i in _CONTENT_IDS]
            if not shared:
                continue
            kept = [i for i in section["ids"] if i not in _CONTENT_IDS]
            owner_ids = section.parent.get("ids", []) if section.parent is not None else []
            if owner_ids:
                new_id = f"{owner_ids[0]}-content"
                if new_id not in self.document.ids:
                    kept.append(new_id)
                    self.document.ids[new_id] = section
            section["ids"] = kept


# --- pandas' <style scoped> and myst-nb's <p> in <summary> ----------------------------

_SCOPED_STYLE = re.compile(r"<style scoped>(.*?)</style>\s*", re.DOTALL)
_SUMMARY = re.compile(r"(<summary\b[^>]*>)(.*?)(</summary>)", re.DOTALL)
_P_OPEN = re.compile(r"<p(\s[^>]*)?>")


def hoist_scoped_styles(body: str) -> tuple[str, list[str]]:
    """Remove every ``<style scoped>`` from ``body``; return the body and the distinct
    style sheets, in the order they first appear."""
    sheets: list[str] = []
    for match in _SCOPED_STYLE.finditer(body):
        sheet = "\n".join(line.strip() for line in match.group(1).strip().splitlines())
        if sheet not in sheets:
            sheets.append(sheet)
    return _SCOPED_STYLE.sub("", body), sheets


def summary_paragraphs_to_spans(body: str) -> str:
    """``<p>`` inside ``<summary>`` becomes ``<span>`` (same attributes)."""

    def fix(match: re.Match) -> str:
        inner = _P_OPEN.sub(lambda m: f"<span{m.group(1) or ''}>", match.group(2))
        return match.group(1) + inner.replace("</p>", "</span>") + match.group(3)

    return _SUMMARY.sub(fix, body)


# --- meta description -------------------------------------------------------------------

DESCRIPTION_CHARS = 300


def _first_goal_text(doctree) -> str | None:
    for admonition in doctree.findall(nodes.admonition):
        titles = [c for c in admonition.children if isinstance(c, nodes.title)]
        if titles and titles[0].astext().strip().lower() == "learning goal":
            return " ".join(
                c.astext() for c in admonition.children if not isinstance(c, nodes.title)
            )
    return None


def _first_paragraph_text(doctree) -> str | None:
    for paragraph in doctree.findall(nodes.paragraph):
        # skip paragraphs inside admonitions, captions, tables and the like
        if isinstance(paragraph.parent, nodes.section):
            text = paragraph.astext().strip()
            if text:
                return text
    return None


def describe(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """One line of at most ``limit`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
    return cut + "…"


def page_description(doctree) -> str | None:
    if doctree is None:
        return None
    text = _first_goal_text(doctree) or _first_paragraph_text(doctree)
    return describe(text) if text else None


def _page_context(app, pagename, templatename, context, doctree) -> None:
    metatags = context.get("metatags", "")
    body = context.get("body")
    if body:
        body, sheets = hoist_scoped_styles(body)
        body = summary_paragraphs_to_spans(body)
        context["body"] = body
        for sheet in sheets:
            metatags += f"\n<style>\n{sheet}\n</style>"
    description = page_description(doctree)
    if description:
        metatags += f'\n<meta name="description" content="{html.escape(description)}" />'
    context["metatags"] = metatags


# --- after the build: search scripts, root redirect, stylesheet --------------------------

_SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js'
    r'|searchindex\.js)[^"]*"></script>'
)


def drop_search_scripts(text: str) -> str:
    return _SEARCH_SCRIPTS.sub("", text)


def redirect_page(target: str, title: str) -> str:
    target, title = html.escape(target), html.escape(title)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8" />\n'
        f"<title>{title}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={target}" />\n'
        f'<link rel="canonical" href="{target}" />\n'
        '<meta name="robots" content="noindex" />\n'
        f'</head>\n<body>\n<p><a href="{target}">{title}</a></p>\n</body>\n</html>\n'
    )


_REFRESH = re.compile(r'^<meta http-equiv="Refresh" content="0; url=([^"]+)" />\s*$')


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    (outdir / "_static" / CSS_FILE).write_text(CSS_SOURCE.read_text(encoding="utf-8"))
    if not (app.config.html_theme_options or {}).get("search_as_you_type", False):
        for page in outdir.rglob("*.html"):
            if page == outdir / "search.html" or "_static" in page.relative_to(outdir).parts:
                continue
            text = page.read_text(encoding="utf-8")
            new = drop_search_scripts(text)
            if new != text:
                page.write_text(new, encoding="utf-8")
    index = outdir / "index.html"
    if index.exists():
        match = _REFRESH.match(index.read_text(encoding="utf-8"))
        if match:
            index.write_text(redirect_page(match.group(1), app.config.html_title))


def setup(app):
    app.add_post_transform(UniqueExerciseContentIds)
    app.add_css_file(CSS_FILE)
    app.connect("html-page-context", _page_context)
    # after sphinx-external-toc (priority 500) has written the root redirect
    app.connect("build-finished", _build_finished, priority=900)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
