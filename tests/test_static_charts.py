"""Static-first charts: every chart output carries a picture that matches its spec.

* ``reluctant_allies.charts.render``: the renderer writes altair's html *and* an SVG (or
  PNG) of the same spec in one output, records the spec's digest beside the picture, and
  draws the same bytes whatever the process drew before (ids renumbered);
* the committed chapters: every chart output has its picture, the picture's recorded
  digest is the digest of the spec in the same output, and re-drawing that spec now gives
  the committed SVG (a spec edited without re-running the chapter fails here, as in nbval);
* ``_ext/static_charts.py``: the picture goes inside the chart's ``<div>``, altair's script
  is deferred, explorables get their controls at the defaults, and dark mode gets colours
  with the contrast they had on white.

No network: vl-convert draws offline.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from reluctant_allies.charts import render

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
IMAGE_TYPES = ("image/svg+xml", "image/png")

sys.path.insert(0, str(ROOT / "_ext"))
import static_charts  # noqa: E402


def _line(title="A line", description="Three points joined by a line."):
    frame = pd.DataFrame({"x": [1, 2, 3], "y": [3.0, 1.0, 2.0]})
    return (
        alt.Chart(frame)
        .mark_line()
        .encode(x="x:Q", y="y:Q")
        .properties(title=title, description=description)
    )


def _clipped():
    """A chart whose SVG has ids (a clip path): vl-convert numbers them per process."""
    frame = pd.DataFrame({"x": [0, 5, 10], "y": [0.0, 5.0, 20.0]})
    return (
        alt.Chart(frame)
        .mark_line(clip=True)
        .encode(x="x:Q", y=alt.Y("y:Q", scale=alt.Scale(domain=[0, 10])))
        .properties(title="Clipped", description="A line cut at ten.")
    )


def _slider_chart():
    k = alt.param(name="k", value=2, bind=alt.binding_range(min=1, max=5, step=1, name="k "))
    frame = pd.DataFrame({"x": [1, 2, 3]})
    return (
        alt.Chart(frame)
        .mark_point()
        .encode(x="x:Q", y="y:Q")
        .transform_calculate(y="datum.x * k")
        .add_params(k)
        .properties(title="Slider", description="Points that move with k.")
    )


# --- the renderer --------------------------------------------------------------------


def test_enable_registers_the_renderer_and_keeps_the_embed_options():
    before = alt.renderers.active
    try:
        alt.renderers.set_embed_options(actions=False)
        render.enable()
        assert alt.renderers.active == render.NAME
        assert alt.renderers.options.get("embed_options", {}).get("actions") is False
        bundle = _line()._repr_mimebundle_()
        data, meta = bundle if isinstance(bundle, tuple) else (bundle, {})
        assert "text/html" in data and "image/svg+xml" in data
        assert '"actions": false' in data["text/html"]
        digest = meta["image/svg+xml"][render.META_KEY]["spec_sha256"]
        assert digest == render.spec_sha256(_line().to_dict())
    finally:
        alt.renderers.enable(before)


def test_the_picture_is_the_same_whatever_was_drawn_before():
    first = render.static_image(_clipped().to_dict())
    for _ in range(3):  # vl-convert's clip-path counter moves on with every drawing
        render.static_image(_clipped().to_dict())
        render.static_image(_line().to_dict())
    again = render.static_image(_clipped().to_dict())
    assert first == again
    assert first[0] == "image/svg+xml" and "clip-path" in first[1]


def test_normalise_svg_renumbers_ids_and_names_the_drawing():
    raw = (
        '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="10" height="10">'
        '<defs><clipPath id="clip7"><rect/></clipPath></defs>'
        '<g clip-path="url(#clip7)"><use href="#clip7"/></g></svg>'
    )
    out = render.normalise_svg(raw, "Title & more", "Says <what>", prefix="p")
    assert 'id="p-0"' in out and "url(#p-0)" in out and 'href="#p-0"' in out
    assert "clip7" not in out
    assert 'class="chart-static"' in out and 'class="marks"' not in out
    assert 'role="img"' in out and 'aria-labelledby="p-title p-desc"' in out
    assert '<title id="p-title">Title &amp; more</title>' in out
    assert '<desc id="p-desc">Says &lt;what&gt;</desc>' in out
    with pytest.raises(ValueError, match="does not start with <svg"):
        render.normalise_svg("<div></div>")


def test_slim_svg_drops_unused_attributes_and_rounds_coordinates_only():
    raw = (
        '<g role="graphics-object" aria-roledescription="group" pointer-events="none">'
        '<path class="background" d="M0,0h0v0h0Z"/>'
        '<path d="M1.23456,-7.899999h3.0001" opacity="1" aria-label="x: 1.23456"/>'
        '<text transform="translate(0.5049,2)">1.23456</text></g>'
    )
    assert render.slim_svg(raw) == (
        '<g><path d="M1.23,-7.9h3"/><text transform="translate(0.5,2)">1.23456</text></g>'
    )


def test_title_and_description_come_from_the_spec():
    spec = {"title": {"text": "T", "subtitle": ["Source: a", "b"]}, "description": " D "}
    assert render.title_and_description(spec) == ("T. Source: a b", "D")
    assert render.title_and_description({}) == ("", "")


def test_a_heavy_svg_becomes_a_png(monkeypatch):
    monkeypatch.setattr(render, "SVG_MAX_BYTES", 10)
    mime, data = render.static_image(_line().to_dict())
    import base64

    assert mime == "image/png"
    assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"


def test_spec_digest_ignores_key_order_and_rejects_non_specs():
    assert render.spec_sha256({"a": 1, "b": [1, 2]}) == render.spec_sha256({"b": [1, 2], "a": 1})
    assert render.spec_sha256({"a": 1}) != render.spec_sha256({"a": 2})
    with pytest.raises(TypeError, match="spec must be a dict"):
        render.spec_sha256("{}")
    with pytest.raises(TypeError, match="spec must be a dict"):
        render.static_image(["not", "a", "spec"])


# --- the committed chapters ----------------------------------------------------------


def chart_outputs(path: Path) -> list[tuple[str, dict]]:
    """``(where, output)`` for every output of ``path`` that holds an Altair chart."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for index, cell in enumerate(nb["cells"], start=1):
        for number, output in enumerate(cell.get("outputs", []), start=1):
            html = "".join(output.get("data", {}).get("text/html", ""))
            if 'id="altair-viz-' in html:
                found.append((f"{path.name} cell {index} output {number}", output))
    return found


def missing_pictures(path: Path) -> list[str]:
    return [
        where
        for where, output in chart_outputs(path)
        if not any(t in output.get("data", {}) for t in IMAGE_TYPES)
    ]


def stale_pictures(path: Path, redraw: bool = True) -> list[str]:
    """Chart outputs whose picture does not match the spec beside it."""
    stale = []
    for where, output in chart_outputs(path):
        data = output.get("data", {})
        mime = next((t for t in IMAGE_TYPES if t in data), None)
        if mime is None:
            continue
        spec = static_charts.chart_spec("".join(data["text/html"]))
        recorded = output.get("metadata", {}).get(mime, {}).get(render.META_KEY, {})
        if recorded.get("spec_sha256") != render.spec_sha256(spec):
            stale.append(f"{where}: the {mime} was drawn from another spec")
        elif redraw and mime == "image/svg+xml":
            committed = "".join(data[mime])
            if render.static_image(spec) != (mime, committed):
                stale.append(f"{where}: re-drawing its spec gives another SVG")
    return stale


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chart_output_has_a_static_picture(path):
    if not chart_outputs(path):
        pytest.skip(f"{path.name} has no chart outputs")
    missing = missing_pictures(path)
    assert not missing, (
        f"{len(missing)} chart output(s) without image/svg+xml or image/png (re-run the "
        "chapter with reluctant_allies.charts.render enabled):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_committed_picture_matches_its_spec(path):
    if not any(any(t in o.get("data", {}) for t in IMAGE_TYPES) for _, o in chart_outputs(path)):
        pytest.skip(f"{path.name} has no chart pictures")
    stale = stale_pictures(path)
    assert not stale, "re-run the chapter (make notebooks):\n" + "\n".join(stale)


def _notebook(tmp_path: Path, outputs: list[dict]) -> Path:
    nb = {
        "cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_the_notebook_checks_fail_on_a_missing_or_stale_picture(tmp_path):
    chart = _line()
    data, meta = render.static_renderer(chart.to_dict(), embed_options={"actions": False})
    good = {"output_type": "execute_result", "data": data, "metadata": meta}
    assert missing_pictures(_notebook(tmp_path, [good])) == []
    assert stale_pictures(_notebook(tmp_path, [good])) == []
    bare = dict(good, data={"text/html": data["text/html"]})
    assert len(missing_pictures(_notebook(tmp_path, [bare]))) == 1
    # The spec changed (a new title) but the picture was kept: the digest no longer matches.
    edited = dict(good, data=dict(data, **{"text/html": data["text/html"].replace("A line", "B")}))
    assert "another spec" in stale_pictures(_notebook(tmp_path, [edited]))[0]
    # The picture was edited by hand, its digest kept: re-drawing the spec tells.
    forged = dict(good, data=dict(data, **{"image/svg+xml": data["image/svg+xml"] + " "}))
    assert "another SVG" in stale_pictures(_notebook(tmp_path, [forged]))[0]


# --- the site's merge (_ext/static_charts.py) ---------------------------------------------


def _html(chart) -> str:
    data, _ = render.static_renderer(chart.to_dict(), embed_options={"actions": False})
    return data["text/html"]


def test_static_first_puts_the_picture_in_the_chart_and_defers_the_script():
    chart = _line()
    html = _html(chart)
    mime, svg = render.static_image(chart.to_dict())
    out = static_charts.static_first(html, mime, svg)
    div = re.search(r'<div id="altair-viz-[0-9a-f]+" class="vega-embed chart-deferred"', out)
    assert div, out[:500]
    assert out.index("<svg") > div.start() and out.index("<svg") < out.index("<script")
    assert '<script type="text/javascript">' not in out
    assert f'<script type="{static_charts.DEFERRED_TYPE}" data-chart="altair-viz-' in out
    # the spec itself is untouched, so the interactive chart is the same chart
    assert static_charts.chart_spec(out) == static_charts.chart_spec(html)
    with pytest.raises(ValueError, match="not altair's html output"):
        static_charts.static_first("<div>table</div>", mime, svg)


def test_a_heavy_script_moves_to_a_file_of_its_own(tmp_path):
    chart = _line()
    light = static_charts.static_first(_html(chart), *render.static_image(chart.to_dict()))
    assert static_charts.external_script(light, tmp_path, "../") == light  # small: stays
    assert not (tmp_path / static_charts.EXTERNAL_DIR).exists()
    rows = pd.DataFrame({"x": range(3000), "y": [i % 7 for i in range(3000)]})
    heavy_chart = alt.Chart(rows).mark_line().encode(x="x:Q", y="y:Q")
    heavy = static_charts.static_first(_html(heavy_chart), "image/png", "iVBORw0KGgo=")
    body = re.search(r'data-chart="[^"]+">(.*?)</script>', heavy, re.S).group(1)
    assert len(body.encode()) >= static_charts.EXTERNAL_MIN_BYTES
    out = static_charts.external_script(heavy, tmp_path, "../")
    tag = re.search(r'<script type="[^"]+" data-chart="([^"]+)" data-src="([^"]+)"></script>', out)
    assert tag, out[-300:]
    assert tag.group(2).startswith("../_static/charts/") and tag.group(2).endswith(".js")
    moved = tmp_path / tag.group(2).removeprefix("../")
    # the file is the script, byte for byte: the interactive chart is the same chart
    assert moved.read_text(encoding="utf-8") == body
    assert static_charts.chart_spec(moved.read_text(encoding="utf-8")) == static_charts.chart_spec(
        heavy
    )
    # nothing else in the chart's html changed
    deferred = re.compile(r"<script type=\"application/vnd[^>]*>.*?</script>", re.S)
    assert deferred.sub("", out) == deferred.sub("", heavy)
    # the same script again (another build) names the same file
    assert static_charts.external_script(heavy, tmp_path, "../") == out
    assert len(list(moved.parent.iterdir())) == 1


def test_a_png_picture_is_an_img_with_the_charts_name():
    chart = _line()
    out = static_charts.static_first(_html(chart), "image/png", "iVBORw0KGgo=")
    assert '<img class="chart-static" alt="A line. Three points joined by a line."' in out


def test_explorables_show_their_controls_at_the_defaults():
    spec = _slider_chart().to_dict()
    controls = static_charts.placeholder_controls(spec)
    assert 'type="range"' in controls and 'min="1"' in controls and 'max="5"' in controls
    assert 'value="2"' in controls and 'data-param="k"' in controls
    assert static_charts.placeholder_controls(_line().to_dict()) == ""
    out = static_charts.static_first(_html(_slider_chart()), *render.static_image(spec))
    assert "chart-placeholder-controls" in out


def _contrast(a: str, b: str) -> float:
    la, lb = (static_charts.luminance(static_charts._rgb(c)) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.mark.parametrize("colour", ["#222222", "#555555", "#888888", "#e6e6e6", "#8b4513"])
def test_dark_colours_keep_the_contrast_they_had_on_white(colour):
    dark = static_charts.dark_colour(colour)
    on_white = _contrast(colour, "#ffffff")
    on_dark = _contrast(dark, static_charts.DARK_BACKGROUND)
    assert on_dark == pytest.approx(on_white, rel=0.02), (colour, dark)


def test_dark_mode_keeps_palette_hues_and_white_text_on_marks():
    assert static_charts.dark_colour("#0072B2") is None
    assert static_charts.dark_colour("white") == static_charts.DARK_BACKGROUND
    svg = (
        '<svg><rect fill="white"/><text fill="#222222">a</text><text fill="white">b</text>'
        '<path stroke="#888888" fill="#0072b2" style="opacity:1"/></svg>'
    )
    out = static_charts.with_dark_colours(svg)
    assert f'<rect fill="white" style="--df:{static_charts.DARK_BACKGROUND}"/>' in out
    assert '<text fill="white">b</text>' in out
    ink = static_charts.dark_colour("#222222")
    assert f'<text fill="#222222" style="--df:{ink}">a</text>' in out
    rule = static_charts.dark_colour("#888888")
    assert f'style="opacity:1;--ds:{rule}"' in out and "--df:#0072b2" not in out
