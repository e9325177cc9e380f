"""Static-first chart outputs: every Altair chart is stored with its own picture.

Altair's html renderer writes a chart as ``text/html`` holding a script, which
GitHub, nbviewer, a JupyterLab without the Vega extension, print and PDF cannot
run: they show a blank.  The renderer registered here writes the same
``text/html`` *and*, in the same output, a static rendering of the same spec made
offline by ``vl-convert`` when the cell runs:

* ``image/svg+xml`` (text stays text, so it is searchable and sharp), or
* ``image/png`` (at 2x) when the SVG would be heavier than :data:`SVG_MAX_BYTES`
  (charts with thousands of marks).

Every front end picks the richest type it can show.  The book's own site shows
the SVG at first paint and swaps in the interactive chart when a reader reaches
for it (``_ext/static_charts.py``).

The output's metadata records, under the image's type, the SHA-256 of the
spec the image was drawn from (:func:`spec_sha256`) and the vl-convert version, so
a test can tell an image that no longer matches its spec (``tests/test_static_charts.py``).
The SVG is deterministic: vl-convert numbers clip paths and gradients with
counters that depend on what the process drew before, so ids are renumbered per
image (:func:`normalise_svg`).

Chapters call ``enable()`` (through ``charts.use_book_style()``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

import altair as alt

NAME = "reluctant_allies_static"
#: Above this, the static picture is a PNG: an SVG of thousands of marks costs more
#: to store and to parse than a 2x bitmap of the chart.
SVG_MAX_BYTES = 1_000_000
PNG_SCALE = 2
#: The key under the image's output metadata that records what it was drawn from.
META_KEY = "reluctant_allies"

_ID = re.compile(r'\bid="([^"]+)"')
#: Attributes of vega's SVG that a static picture does not use: inside one role="img" its
#: marks are not exposed to assistive technology (the picture's title and description
#: are), nothing in it takes pointer events, and the rest restate SVG defaults. Dropping
#: them halves the SVG (about 40% of it gzipped).
_UNUSED = re.compile(
    r' (?:pointer-events="none"|aria-hidden="true"|opacity="1"|stroke-miterlimit="10"'
    r'|aria-roledescription="[^"]*"|aria-label="[^"]*"|role="graphics-[a-z-]*")'
)
_EMPTY_BACKGROUND = '<path class="background" d="M0,0h0v0h0Z"/>'
_TAG = re.compile(r"<[^<>]+>")
#: Coordinates to 0.01 px (vega writes up to 15 digits); only inside tags, never in text.
_LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")


def _round(match: re.Match) -> str:
    return f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")


def slim_svg(svg: str) -> str:
    """vega's SVG without what a static picture does not use, coordinates to 0.01 px."""
    svg = _UNUSED.sub("", svg).replace(_EMPTY_BACKGROUND, "")
    return _TAG.sub(lambda tag: _LONG_NUMBER.sub(_round, tag.group(0)), svg)


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def vegalite_version() -> str | None:
    """The vega-lite version vl-convert should use: altair's own (major.minor), if bundled."""
    import vl_convert as vlc

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return wanted if wanted in vlc.get_vegalite_versions() else None


def spec_sha256(spec: dict) -> str:
    """A digest of ``spec`` that does not depend on key order or whitespace."""
    if not isinstance(spec, dict):
        raise TypeError(f"spec_sha256: spec must be a dict, got {type(spec).__name__}")
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _text(value) -> str:
    """A title or subtitle (a string or a list of lines) as one line of text."""
    if isinstance(value, dict):
        value = value.get("text", "")
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value or "")


def title_and_description(spec: dict) -> tuple[str, str]:
    """The chart's title (with its source line) and its accessible description."""
    title = spec.get("title", "")
    text = _text(title)
    if isinstance(title, dict) and title.get("subtitle"):
        text = f"{text}. {_text(title['subtitle'])}" if text else _text(title["subtitle"])
    return text.strip(), str(spec.get("description", "")).strip()


def normalise_svg(svg: str, title: str = "", description: str = "", prefix: str = "ra") -> str:
    """Slim the drawing (:func:`slim_svg`), renumber its ids in order of appearance and
    give it an accessible name.

    Ids become ``{prefix}-0``, ``{prefix}-1`` ... (the prefix comes from the spec's
    digest, so two different charts inlined in one page never share an id).

    The root ``<svg>`` gets ``role="img"``, a ``<title>`` and a ``<desc>`` (what a
    screen reader and a hover tooltip use), and loses vega's ``class="marks"``: the
    book's scripts use that class for drawn, interactive charts only.
    """
    if not svg.lstrip().startswith("<svg"):
        raise ValueError("normalise_svg: the drawing does not start with <svg")
    svg = slim_svg(svg)
    ids: dict[str, str] = {}
    for old in _ID.findall(svg):
        ids.setdefault(old, f"{prefix}-{len(ids)}")
    for old, new in ids.items():
        svg = re.sub(rf'(\bid="|url\(#|href="#){re.escape(old)}(?=[")])', rf"\g<1>{new}", svg)
    head = _SVG_OPEN.match(svg.lstrip())
    assert head is not None  # checked above
    opening = head.group(0).replace(' class="marks"', ' class="chart-static"')
    labelled = []
    extra = ""
    if title:
        extra += f'<title id="{prefix}-title">{html.escape(title, quote=False)}</title>'
        labelled.append(f"{prefix}-title")
    if description:
        extra += f'<desc id="{prefix}-desc">{html.escape(description, quote=False)}</desc>'
        labelled.append(f"{prefix}-desc")
    attrs = ' role="img"'
    if labelled:
        attrs += f' aria-labelledby="{" ".join(labelled)}"'
    opening = opening[:-1] + attrs + ">"
    return opening + extra + svg.lstrip()[head.end() :]


def static_image(spec: dict) -> tuple[str, str]:
    """``(mime type, data)`` of the static picture of ``spec``: an SVG, or a base64 PNG."""
    import vl_convert as vlc

    if not isinstance(spec, dict):
        raise TypeError(f"static_image: spec must be a dict, got {type(spec).__name__}")
    version = vegalite_version()
    title, description = title_and_description(spec)
    prefix = f"ra{spec_sha256(spec)[:10]}"
    svg = normalise_svg(vlc.vegalite_to_svg(spec, vl_version=version), title, description, prefix)
    if len(svg.encode("utf-8")) <= SVG_MAX_BYTES:
        return "image/svg+xml", svg
    png = vlc.vegalite_to_png(spec, vl_version=version, scale=PNG_SCALE)
    return "image/png", base64.b64encode(png).decode("ascii")


def static_renderer(spec: dict, **metadata):
    """Altair renderer: the html renderer's output plus a static picture of the same spec."""
    import vl_convert as vlc
    from altair.vegalite.v6.display import html_renderer

    bundle = html_renderer(spec, **metadata)
    if isinstance(bundle, tuple):  # (data, metadata) from a future altair
        bundle, meta = bundle
    else:
        meta = {}
    bundle = dict(bundle)
    mime, image = static_image(spec)
    bundle[mime] = image
    meta = dict(meta)
    meta[mime] = {
        META_KEY: {"spec_sha256": spec_sha256(spec), "vl_convert": vlc.__version__},
    }
    return bundle, meta


def enable() -> None:
    """Register the static-first renderer and make it the active one.

    Embed options already set (``actions=False`` by the book's theme) are kept:
    altair's ``enable`` would otherwise replace them.
    """
    options = dict(alt.renderers.options)
    if NAME not in alt.renderers.names():
        alt.renderers.register(NAME, static_renderer)
    alt.renderers.enable(NAME, **options)
