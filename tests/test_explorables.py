"""Explorables: valid Vega-Lite, kernel-free sliders, small data, title, source, description."""

from __future__ import annotations

import json

import altair as alt
import pytest

from reluctant_allies import explorables

BUILDERS = {
    "hysteresis_explorer": 2,
    "alliance_quadrant_explorer": 2,
}


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def built(request):
    chart = getattr(explorables, request.param)()
    return request.param, chart, chart.to_dict()  # to_dict validates against the schema


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_inline_data_is_at_most_400_kb(built):
    name, chart, spec = built
    size = len(json.dumps(spec))
    assert size <= 400_000, f"{name}: {size} bytes"


def test_title_source_and_description(built):
    _, _, spec = built
    assert spec["title"]["text"].strip()
    subtitle = spec["title"]["subtitle"]  # long source lines are wrapped into a list
    subtitle = " ".join(subtitle) if isinstance(subtitle, list) else subtitle
    assert subtitle.startswith("Source: Model: this book's reconstruction")
    assert len(spec["description"]) > 80


def test_sliders_are_bound_named_and_drive_filters(built):
    name, _, spec = built
    params = [p for p in spec.get("params", []) if "bind" in p]
    assert len(params) == BUILDERS[name]
    filters = " ".join(
        str(node["filter"]) for node in _walk(spec) if isinstance(node.get("filter"), str)
    )
    for p in params:
        label = p["bind"]["name"].strip()
        assert len(label) >= 5 and label[0].isalpha(), p
        assert p["bind"]["input"] in {"range", "select"}
        assert p["name"] in filters, f"{name}: slider {p['name']} filters nothing"
        if p["bind"]["input"] == "range":
            lo, hi, step = p["bind"]["min"], p["bind"]["max"], p["bind"]["step"]
            assert lo <= p["value"] <= hi and step > 0


def test_every_slider_position_has_rows(built):
    """A slider stop with no precomputed rows would show an empty chart."""
    name, _, spec = built
    ranges = {p["name"]: p["bind"] for p in spec["params"] if p["bind"]["input"] == "range"}
    rows = [r for ds in spec["datasets"].values() for r in ds] if "datasets" in spec else []
    rows += [
        r
        for node in _walk(spec)
        if isinstance(node.get("values"), list)
        for r in node["values"]
        if isinstance(r, dict)
    ]
    for pname, bind in ranges.items():
        n = round((bind["max"] - bind["min"]) / bind["step"]) + 1
        stops = [bind["min"] + i * bind["step"] for i in range(n)]
        fields = {
            key
            for node in _walk(spec)
            if isinstance(node.get("filter"), str)
            for key in _fields_for(node["filter"], pname)
        }
        assert fields, pname
        for field in fields:
            seen = {round(r[field], 6) for r in rows if field in r}
            assert all(round(s, 6) in seen for s in stops), (name, pname, field)


def _fields_for(expr: str, pname: str) -> list[str]:
    import re

    return re.findall(rf"abs\(datum\.(\w+) - {pname}\)", expr)


def test_float_rounding_keeps_json_small():
    spec = explorables.hysteresis_explorer().to_dict()
    numbers = [v for node in _walk(spec) for v in node.values() if isinstance(v, list)]
    floats = [x for lst in numbers for x in lst if isinstance(x, float)]
    assert floats and all(len(repr(x).split(".")[-1]) <= 4 for x in floats if "e" not in repr(x))


def test_off_grid_initial_value_is_refused():
    with pytest.raises(ValueError, match="not on the slider grid"):
        explorables.alliance_quadrant_explorer(entrapment_value=0.45)
    with pytest.raises(ValueError, match="evenly spaced"):
        explorables.alliance_quadrant_explorer(abandonment=(0.0, 0.1, 0.5))


def test_theme_is_used_not_restyled(built):
    _, chart, spec = built
    assert alt.theme.active == "reluctant_allies"
    theme = alt.theme.get()()
    assert spec["config"] == theme["config"]  # the book theme, untouched
