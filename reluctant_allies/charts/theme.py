"""One chart style for the whole book, registered as an Altair theme.

* Palette: Okabe & Ito's eight colours, distinguishable with the common forms
  of colour-vision deficiency (black moved last so it is kept for annotations).
* Type: the system sans-serif stack at sizes readable on a phone.
* Size: 560 x 260 px fits the content column of sphinx-book-theme at desktop
  widths; on narrower columns the page re-lays every chart to fit (panels wrap,
  widths shrink, legends wrap; see ``_ext/altair_fit.js``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import altair as alt

THEME_NAME = "reluctant_allies"

#: Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design").
PALETTE = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow (fills only; too light for lines on white)
    "#000000",  # black
]

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
WIDTH, HEIGHT = 560, 260
#: A source line longer than this wraps onto further subtitle lines (Vega does not wrap text);
#: 85 characters of 12 px text stay inside a 520 px chart plus its axis.
SOURCE_WRAP = 85
#: Line dashes that tell producers (or series) apart: solid, then dashed. Two at most: a
#: third producer in one chart needs its own decision, not a silently missing dash.
DASHES = ([1, 0], [5, 3])


def dash_scale(domain: list[str]) -> alt.Scale:
    """A strokeDash scale giving ``domain``'s entries the book's dashes, in order."""
    if not 1 <= len(domain) <= len(DASHES):
        raise ValueError(
            f"dash_scale: {len(DASHES)} dash patterns for {len(domain)} entries {domain}"
        )
    return alt.Scale(domain=list(domain), range=[list(d) for d in DASHES[: len(domain)]])


INK = "#222222"
MUTED = "#555555"  # 7.4:1 on white: passes WCAG AA for small text


def _theme() -> alt.theme.ThemeConfig:
    return {
        "padding": 8,
        "config": {
            # In config, not the spec's top level, so a page can override it: the book's
            # pages draw charts on their own (light or dark) background (_ext/altair_fit.js).
            "background": "white",
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "font": FONT,
            "title": {
                "font": FONT,
                "fontSize": 15,
                "fontWeight": 600,
                "color": INK,
                "anchor": "start",
                "subtitleColor": MUTED,
                "subtitleFontSize": 12,
                "offset": 10,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "titleFontWeight": 600,
                "labelColor": MUTED,
                "titleColor": INK,
                "gridColor": "#e6e6e6",
                "domainColor": "#888888",
                "tickColor": "#888888",
            },
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelColor": INK,
                "titleColor": INK,
                "orient": "bottom",
                "direction": "horizontal",
                "labelLimit": 400,
            },
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "range": {"category": PALETTE, "ordinal": {"scheme": "blues"}},
            "line": {"strokeWidth": 2},
            "point": {"size": 40, "filled": True},
            "text": {"font": FONT, "fontSize": 11, "color": INK},
            "bar": {"color": PALETTE[0]},
            "area": {"color": PALETTE[0]},
        },
    }


def use_book_style() -> None:
    """Register and enable the book's Altair theme, its embed options and the static-first
    renderer (each chart's output carries its SVG or PNG beside the HTML: ``render.py``).

    Chapters call this once, after their imports; importing the package never does it, so a
    reader's own notebook keeps its Altair settings until it asks for the book's. Calling it
    again is harmless.
    """
    alt.theme.register(THEME_NAME, enable=True)(_theme)
    # The "..." actions menu is a <details> whose <summary> has no accessible name
    # (axe: summary-name, serious) and offers nothing a reader of the book needs.
    alt.renderers.set_embed_options(actions=False)
    from . import render  # vl-convert is loaded when a chart is first displayed

    render.enable()


def source_note(text: str) -> str:
    """The one-line source note every chart carries as its subtitle."""
    text = text.strip()
    if not text:
        raise ValueError("source_note: a chart needs a non-empty source line")
    return text if text.lower().startswith("source") else f"Source: {text}"


def finish(chart, *, title: str, description: str, source: str | Sequence[str]):
    """Give ``chart`` the title, source line(s) and accessible description every chart needs.

    ``source`` is one source line, or one per table for a chart drawn from several: each
    starts its own subtitle line, and a line longer than :data:`SOURCE_WRAP` characters wraps.
    ``description`` becomes the chart's ARIA label (Vega writes it on the SVG), so it should
    say what the chart shows in a sentence a screen reader can speak.
    """
    for name, value in (("title", title), ("description", description)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"finish: {name!r} must be a non-empty string, got {value!r}")
    sources = [source] if isinstance(source, str) else list(source)
    if not sources or not all(isinstance(s, str) for s in sources):
        raise ValueError(f"finish: source must be a string or a list of strings, got {source!r}")
    lines = [
        part
        for s in sources
        for part in textwrap.wrap(source_note(s), SOURCE_WRAP, break_long_words=False)
    ]
    return chart.properties(
        title=alt.TitleParams(text=title, subtitle=lines[0] if len(lines) == 1 else lines),
        description=description.strip(),
    )
