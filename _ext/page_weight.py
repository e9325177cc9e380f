"""Sphinx extension: keep first-visit page weight down.

Two things pydata-sphinx-theme ships are far heavier than what the book uses:

* ``scripts/fontawesome.js`` (1.5 MB, ~540 KB gzipped) is put on every page.  It
  only swaps icon ``<i>`` tags for inline SVG "so that users can add custom
  icons"; the theme's stylesheet already draws every icon from Font Awesome's
  webfonts (``@font-face`` in pydata-sphinx-theme.css).  The script tag is removed
  from each written page.
* Those webfonts hold ~2,000 glyphs (about 300 KB of woff2) for the couple of
  dozen icons the site shows.  After the build, each woff2 font is subset with
  fontTools to the glyphs the site can display: icons named by ``fa-*`` classes in
  the written pages and scripts, plus every glyph the stylesheets use directly
  (``content: "\\f107"`` in non-``.fa-*`` rules, ``--pst-icon-*`` variables).

* Every page gets the styles and scripts of every extension, used or not.  A page
  whose body has none of an extension's markup does not load them (``_UNUSED``):
  sphinx-design (no ``sd-`` classes), the copy button (no code block), the toggle
  button (nothing it toggles), myst-nb's cell styles and Thebe, whose "Live code"
  button comes with notebook cells (no cell), and sphinx-exercise (no exercise).  On a
  text page without code that is about 30 KB gzipped.

The browser test checks that the header icons still render.
"""

from __future__ import annotations

import re
from pathlib import Path

_FONTAWESOME_JS = re.compile(
    r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'
)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_GLYPH = re.compile(r'"\\(f[0-9a-f]{3,4}|e[0-9a-f]{3})"')
_ICON_SELECTOR = re.compile(r"^\.(fa-[a-z0-9-]+):(?:before|after)$")
_ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")


#: (files a page can do without, what in its body shows it needs them)
_UNUSED = (
    (("sphinx-design.min.css", "design-tabs.js"), re.compile(r'class="[^"]*\bsd-')),
    (("copybutton.js", "clipboard.min.js", "copybutton.css"), re.compile(r'class="highlight')),
    # togglebutton_selector's default: ".toggle, .admonition.dropdown" (exercise solutions)
    (("togglebutton.js", "togglebutton.css"), re.compile(r'class="[^"]*\b(?:toggle|dropdown)\b')),
    # Thebe's "Live code" button is on every page that has notebook cells
    (("mystnb.", "sphinx-thebe."), re.compile(r'class="[^"]*\b(?:cell|output)\b')),
    (("exercise.css",), re.compile(r'class="[^"]*\b(?:exercise|solution)')),
)


def _asset_name(asset) -> str:
    return Path(str(getattr(asset, "filename", asset) or "").split("?")[0]).name


def _drop_unused(app, pagename, templatename, context, doctree) -> None:
    """Leave out the extensions' files that nothing on this page uses."""
    body = context.get("body") or ""
    drop: set[str] = set()
    for names, needed in _UNUSED:
        if not needed.search(body):
            drop.update(names)
    for key in ("css_files", "script_files"):
        files = context.get(key)
        if isinstance(files, list):
            files[:] = [
                f for f in files if not any(_asset_name(f).startswith(name) for name in drop)
            ]


def _strip_script(outdir: Path) -> None:
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _FONTAWESOME_JS.sub("", text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def needed_codepoints(css_texts: list[str], used_classes: set[str]) -> set[int]:
    """Codepoints the site can show: used icon classes, and glyphs CSS uses directly."""
    by_class: dict[str, set[int]] = {}
    always: set[int] = set()
    for css in css_texts:
        for selectors, body in _RULE.findall(css):
            glyphs = {int(g, 16) for g in _GLYPH.findall(body)}
            if not glyphs:
                continue
            names = [_ICON_SELECTOR.match(s.strip()) for s in selectors.split(",")]
            if all(names):
                for match in names:
                    by_class.setdefault(match.group(1), set()).update(glyphs)
            else:
                always |= glyphs
    wanted = set(always)
    for name in used_classes:
        wanted |= by_class.get(name, set())
    return wanted


def _subset_fonts(outdir: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    static = outdir / "_static"
    fonts = sorted(static.glob("vendor/fontawesome/*/webfonts/*.woff2")) + sorted(
        static.glob("vendor/fontawesome/webfonts/*.woff2")
    )
    if not fonts:
        return
    css = [p.read_text(encoding="utf-8", errors="replace") for p in static.rglob("*.css")]
    used: set[str] = set()
    for path in [*outdir.rglob("*.html"), *static.rglob("*.js")]:
        if "fontawesome" in path.parts or path.name.startswith("vega-bundle"):
            continue
        used |= set(_ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    wanted = needed_codepoints(css, used)
    for font_path in fonts:
        font = TTFont(font_path)
        keep = sorted(wanted & set(font.getBestCmap()))
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=keep)
        subsetter.subset(font)
        font.flavor = "woff2"
        font.save(font_path)


def _finish(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    _strip_script(outdir)
    _subset_fonts(outdir)


def setup(app):
    app.connect("html-page-context", _drop_unused, priority=900)
    app.connect("build-finished", _finish)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
