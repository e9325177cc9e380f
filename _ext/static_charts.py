"""Sphinx extension: every chart is a static picture first, and interactive on demand.

Each chart output made by ``reluctant_allies.charts.render`` holds, side by side,
altair's ``text/html`` (a ``<div>`` and a script that draws the chart with Vega) and
``image/svg+xml`` (or ``image/png``) drawn from the same spec when the notebook ran.
myst-nb would keep only one of them; this post-transform runs just before myst-nb
picks (``SelectMimeType``) and merges the two into the HTML it keeps:

* the picture goes *inside* the chart's ``<div>``, so it is in the page at first
  paint, with its accessible name (``role="img"``, ``<title>``, ``<desc>``), and
  shows with JavaScript off, in print and in a PDF;
* an explorable's sliders and drop-downs are drawn as ordinary form controls under
  the picture, at their default values, so the page does not move when the real
  ones replace them (and a reader's first slider move is kept);
* altair's script is kept but not run (its ``type`` is changed); the chart loader
  (``chart_loader.js``, added by ``altair_offline``) runs it when the chart is
  useful: on the first hover, focus or control use, or when the chart scrolls into
  view after the reader has scrolled; only then is the Vega bundle fetched;
* a script heavier than :data:`EXTERNAL_MIN_BYTES` (an explorable's precomputed grid)
  is moved out of the page into ``_static/charts/<digest>.js`` and the deferred script
  keeps only its address (``data-src``): a reader who never touches the chart does not
  download it, and the page's first paint does not wait for it (it is a plain script
  file, so the site still works from ``file://``);
* dark mode: each colour of the picture that the interactive chart would redraw for
  the dark page gets its dark twin as a CSS custom property (``--df`` fill,
  ``--ds`` stroke), computed like ``altair_fit.js`` does (same contrast against the
  dark background; Okabe-Ito hues kept; white text on marks stays white), and
  ``_static/static-charts.css`` applies them under ``data-theme="dark"``.

A chart output without a picture (a notebook executed without the renderer) is
left as it was, and the build warns (``-W`` fails it): that chart would be a blank
for every reader without JavaScript.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

__version__ = "1.0"
logger = logging.getLogger(__name__)

#: The type altair's script is given so the browser does not run it on load.
DEFERRED_TYPE = "application/vnd.book-chart+javascript"
#: pydata-sphinx-theme 0.17's --pst-color-background in dark mode (altair_fit.js reads it
#: from the page; a static page needs it at build time).
DARK_BACKGROUND = "#14181e"
OKABE_ITO = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442"}

#: Above this (bytes of script), the chart's script is a file of its own, fetched on demand:
#: on the dynamic model's page one explorable's 266 KB (53 KB gzipped) of precomputed paths
#: was 40% of the page a first visit downloads, for a chart most readers only look at.
EXTERNAL_MIN_BYTES = 40_000
#: Where the moved scripts go, under the site's root.
EXTERNAL_DIR = "_static/charts"

_DIV = re.compile(r'<div id="(altair-viz-[0-9a-f]+)"></div>')
_SCRIPT = re.compile(r'<script type="text/javascript">(?=\s*var VEGA_DEBUG)')
_SPEC = re.compile(r"\}\)\(")
_TAG = re.compile(r"<(\w+)((?:\s[^<>]*?)?)(/?)>")
_NAMED = {"white": "#ffffff", "black": "#000000"}


# --- colours (a port of darkColor in altair_fit.js) --------------------------------------


def _rgb(text: str) -> tuple[int, int, int] | None:
    s = _NAMED.get(text.strip().lower(), text.strip().lower())
    if re.fullmatch(r"#[0-9a-f]{3}", s):
        return tuple(int(c * 2, 16) for c in s[1:])  # type: ignore[return-value]
    if re.fullmatch(r"#[0-9a-f]{6}", s):
        return tuple(int(s[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
    return None


def luminance(rgb) -> float:
    lin = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)
    ]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _hsl(rgb):
    r, g, b = (v / 255 for v in rgb)
    hi, lo = max(r, g, b), min(r, g, b)
    light = (hi + lo) / 2
    if hi == lo:
        return 0.0, 0.0, light
    d = hi - lo
    sat = d / (2 - hi - lo) if light > 0.5 else d / (hi + lo)
    if hi == r:
        hue = (g - b) / d + (6 if g < b else 0)
    elif hi == g:
        hue = (b - r) / d + 2
    else:
        hue = (r - g) / d + 4
    return hue / 6, sat, light


def _from_hsl(h, s, light):
    if s == 0:
        return (light * 255,) * 3
    q = light * (1 + s) if light < 0.5 else light + s - light * s
    p = 2 * light - q

    def f(t):
        t %= 1
        if t < 1 / 6:
            return p + (q - p) * 6 * t
        if t < 1 / 2:
            return q
        if t < 2 / 3:
            return p + (q - p) * (2 / 3 - t) * 6
        return p

    return f(h + 1 / 3) * 255, f(h) * 255, f(h - 1 / 3) * 255


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(max(0, min(255, v))):02x}" for v in rgb)


def dark_colour(text: str, background: str = DARK_BACKGROUND) -> str | None:
    """The colour ``text`` is redrawn with on the dark page (same contrast as on white), or
    None if it is kept (Okabe-Ito hues, colours this cannot parse)."""
    rgb = _rgb(text)
    if rgb is None or _hex(rgb) in OKABE_ITO:
        return None
    if rgb == (255, 255, 255):
        return background  # the chart's own background becomes the page's
    bg = luminance(_rgb(background))
    contrast = 1.05 / (luminance(rgb) + 0.05)
    target = min(1.0, contrast * (bg + 0.05) - 0.05)
    h, s, _ = _hsl(rgb)
    lo, hi = 0.0, 1.0
    for _ in range(24):
        mid = (lo + hi) / 2
        if luminance(_from_hsl(h, s, mid)) < target:
            lo = mid
        else:
            hi = mid
    return _hex(_from_hsl(h, s, (lo + hi) / 2))


def with_dark_colours(svg: str) -> str:
    """Give each element whose fill/stroke changes in dark mode its dark twin as a CSS
    custom property in its style (``--df`` fill, ``--ds`` stroke)."""

    def element(match: re.Match) -> str:
        tag, attrs, end = match.groups()
        twins = []
        for which, var in (("fill", "--df"), ("stroke", "--ds")):
            value = re.search(rf'\s{which}="([^"]+)"', attrs)
            if value is None:
                continue
            if tag == "text" and which == "fill" and _rgb(value.group(1)) == (255, 255, 255):
                continue  # white text sits on a coloured mark: it stays white
            dark = dark_colour(value.group(1))
            if dark is not None:
                twins.append(f"{var}:{dark}")
        if not twins:
            return match.group(0)
        style = re.search(r'\sstyle="([^"]*)"', attrs)
        if style:
            merged = ";".join([style.group(1).rstrip(";"), *twins]).lstrip(";")
            attrs = attrs[: style.start()] + f' style="{merged}"' + attrs[style.end() :]
        else:
            attrs += f' style="{";".join(twins)}"'
        return f"<{tag}{attrs}{end}>"

    return _TAG.sub(element, svg)


# --- the chart's controls, drawn before Vega is loaded ------------------------------------


def _bound_params(spec) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            for p in node.get("params", []) or []:
                if isinstance(p, dict) and isinstance(p.get("bind"), dict) and "input" in p["bind"]:
                    if not p.get("select"):
                        found.append(p)
            for key, value in node.items():
                if key not in ("params", "datasets", "data"):
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def placeholder_controls(spec: dict) -> str:
    """The explorable's controls at their defaults, in the markup vega-embed gives them."""
    rows = []
    for p in _bound_params(spec):
        bind, name = p["bind"], p["name"]
        label = html.escape(str(bind.get("name", name)))
        value = p.get("value")
        kind = bind["input"]
        attr = f'name="{html.escape(name)}" data-param="{html.escape(name)}"'
        if kind == "range":
            lo, hi = bind.get("min", 0), bind.get("max", 100)
            step = bind.get("step", "any")
            control = (
                f'<input type="range" {attr} min="{lo}" max="{hi}" step="{step}" value="{value}">'
                f"<span>{html.escape(str(value))}</span>"
            )
        elif kind == "select":
            labels = bind.get("labels") or bind.get("options", [])
            options = "".join(
                f'<option value="{html.escape(json.dumps(o))}"'
                + (" selected" if o == value else "")
                + f">{html.escape(str(lab))}</option>"
                for o, lab in zip(bind.get("options", []), labels, strict=False)
            )
            control = f"<select {attr}>{options}</select>"
        elif kind == "checkbox":
            control = f'<input type="checkbox" {attr}' + (" checked" if value else "") + ">"
        else:
            continue  # radio and others: drawn by Vega only
        rows.append(
            f'<div class="vega-bind"><label><span class="vega-bind-name">{label}</span>'
            f"{control}</label></div>"
        )
    if not rows:
        return ""
    return f'<div class="vega-bindings chart-placeholder-controls">{"".join(rows)}</div>'


# --- the merge ---------------------------------------------------------------------------


def chart_spec(chart_html: str) -> dict:
    """The Vega-Lite spec inside altair's output (the first argument of its script)."""
    starts = [m.end() for m in _SPEC.finditer(chart_html)]
    if not starts:
        raise ValueError("static_charts: altair's output has no spec argument")
    spec, _ = json.JSONDecoder().raw_decode(chart_html[starts[-1] :])
    return spec


def static_first(chart_html: str, mime: str, image: str, *, width: int | None = None) -> str:
    """altair's output with ``image`` inside its ``<div>`` and its script deferred."""
    div = _DIV.search(chart_html)
    if div is None or not _SCRIPT.search(chart_html):
        raise ValueError("static_charts: not altair's html output (no chart <div> or script)")
    chart_id = div.group(1)
    spec = chart_spec(chart_html)
    if mime == "image/svg+xml":
        picture = with_dark_colours(image.strip())
    else:
        from reluctant_allies.charts.render import title_and_description

        title, desc = title_and_description(spec)
        alt = html.escape(". ".join(t for t in (title, desc) if t))
        picture = f'<img class="chart-static" alt="{alt}" src="data:{mime};base64,{image.strip()}">'
    inner = f'<div class="chart-static-frame">{picture}</div>{placeholder_controls(spec)}'
    out = chart_html.replace(
        div.group(0),
        f'<div id="{chart_id}" class="vega-embed chart-deferred" data-chart-state="static">'
        f"{inner}</div>",
        1,
    )
    return _SCRIPT.sub(f'<script type="{DEFERRED_TYPE}" data-chart="{chart_id}">', out, count=1)


_DEFERRED_SCRIPT = re.compile(
    rf'(<script type="{re.escape(DEFERRED_TYPE)}" data-chart="[^"]+")>(.*?)</script>', re.S
)


def external_script(page_html: str, outdir: Path, up: str) -> str:
    """``page_html`` with a deferred script heavier than :data:`EXTERNAL_MIN_BYTES` moved
    to ``outdir/_static/charts/<sha256 of the script>.js``; the tag keeps ``data-src``
    (relative to the page: ``up`` is ``"../"`` per folder between the page and the root)."""
    import hashlib

    def move(match: re.Match) -> str:
        body = match.group(2)
        data = body.encode("utf-8")
        if len(data) < EXTERNAL_MIN_BYTES:
            return match.group(0)
        name = f"{hashlib.sha256(data).hexdigest()[:20]}.js"
        folder = Path(outdir) / EXTERNAL_DIR
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
        return f'{match.group(1)} data-src="{up}{EXTERNAL_DIR}/{name}"></script>'

    return _DEFERRED_SCRIPT.sub(move, page_html)


def _image_text(env, docname: str, container: nodes.Element, mime: str) -> str | None:
    for image in container.findall(nodes.image):
        # After Sphinx's image collector the uri is relative to the source folder
        # (candidates); before it, myst-nb's "/..." form (relfn2path reads both).
        names = [*image.get("candidates", {}).values(), image["uri"]]
        paths = [Path(env.srcdir) / n for n in names if not n.startswith("/")]
        paths.append(Path(env.relfn2path(image["uri"], docname)[1]))
        path = next((p for p in paths if p.is_file()), None)
        if path is not None:
            data = path.read_bytes()
            return (
                data.decode("utf-8") if mime == "image/svg+xml" else base64.b64encode(data).decode()
            )
    return None


class StaticFirstCharts(SphinxPostTransform):
    default_priority = 3  # before myst-nb's SelectMimeType (4), which keeps one type only
    formats = ("html",)

    def run(self, **kwargs) -> None:
        def is_bundle(node):
            return isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"

        for bundle in list(self.document.findall(is_bundle)):
            by_type = {child.get("mime_type"): child for child in bundle.children}
            html_box = by_type.get("text/html")
            raws = list(html_box.findall(nodes.raw)) if html_box is not None else []
            if not raws or not _DIV.search(raws[0].astext()):
                continue
            mime = next((m for m in ("image/svg+xml", "image/png") if m in by_type), None)
            image = _image_text(self.env, self.env.docname, by_type[mime], mime) if mime else None
            if image is None:
                logger.warning(
                    "static_charts: a chart in %s has no static picture (run the chapter with "
                    "reluctant_allies.charts.render enabled); without JavaScript it is blank",
                    self.env.docname,
                    type="static_charts",
                    location=bundle,
                )
                continue
            raw = raws[0]
            merged = static_first(raw.astext(), mime, image)
            up = "../" * self.env.docname.count("/")
            merged = external_script(merged, Path(self.app.outdir), up)
            raw.replace_self(nodes.raw("", merged, format="html", classes=raw.get("classes", [])))
            for other in (m for m in ("image/svg+xml", "image/png") if m in by_type):
                bundle.remove(by_type[other])


def setup(app):
    app.add_post_transform(StaticFirstCharts)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
