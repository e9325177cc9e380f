"""Explorables: valid Vega-Lite, kernel-free sliders, small data, title, source, description."""

from __future__ import annotations

import json
import re

import altair as alt
import pytest

from reluctant_allies import explorables
from tests._spec import missing_fields
from tests.conftest import shared_scope

BUILDERS = {
    "hysteresis_explorer": 2,
    "alliance_quadrant_explorer": 2,
}


@pytest.fixture(scope=shared_scope, params=sorted(BUILDERS))
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


# ---- the spec reads only what its rows hold, and every slider reaches every view --------

#: ``abs(datum.FIELD - PARAM) < tol``: how charts._sliders.match_sliders ties rows to a slider
SLIDER_MATCH = re.compile(r"abs\(datum\.(\w+) - ([^)]*)\)")


def _views(node, rows, datasets):
    """(view, its rows) for every view that draws a mark; a view without data inherits."""
    data = node.get("data")
    if isinstance(data, dict):
        rows = data["values"] if "values" in data else datasets.get(data.get("name"))
    if "mark" in node:
        yield node, rows
    for child in node.get("layer", []):
        yield from _views(child, rows, datasets)


def _declared_params(spec) -> set[str]:
    return {p["name"] for node in _walk(spec) for p in node.get("params", []) if "name" in p}


def _view_problems(spec) -> list[str]:
    params = _declared_params(spec)
    tied = {f for node in _walk(spec) for f, _ in SLIDER_MATCH.findall(str(node.get("filter")))}
    problems = []
    for i, (view, rows) in enumerate(_views(spec, None, spec.get("datasets", {}))):
        mark = view["mark"] if isinstance(view["mark"], str) else view["mark"]["type"]
        where = f"view {i} ({mark})"
        if not rows:
            problems.append(f"{where}: no rows to draw")
            continue
        cols = set().union(*(r.keys() for r in rows))
        filtered = set()
        for t in view.get("transform", []):
            expr = t.get("filter", t.get("calculate"))
            if isinstance(expr, str):
                problems += [
                    f"{where}: reads datum.{f}"
                    for f in re.findall(r"datum\.(\w+)", expr)
                    if f not in cols
                ]
                for f, p in SLIDER_MATCH.findall(expr):
                    filtered.add(f)
                    if p not in params:
                        problems.append(f"{where}: filters on {p!r}, which is no slider")
            for key in ("flatten", "fold"):
                problems += [
                    f"{where}: {key}s missing {f!r}" for f in t.get(key, []) if f not in cols
                ]
            made = t.get("as", [])
            cols |= {made} if isinstance(made, str) else set(made)
        # rows that differ along a slider's field must be chosen by that slider, or the
        # view draws every slider position at once
        for f in tied - filtered:
            if len({repr(r.get(f)) for r in rows if f in r}) > 1:
                problems.append(f"{where}: rows vary in {f!r} but no slider selects them")
        colour = view.get("encoding", {}).get("color", {})
        if isinstance(colour.get("scale", {}).get("domain"), list) and "field" not in colour:
            problems.append(f"{where}: a colour legend with no field splits nothing")
    return problems


def test_every_view_reads_fields_its_rows_hold_and_is_tied_to_every_slider(built):
    name, _, spec = built
    assert missing_fields(spec) == [], name
    assert _view_problems(spec) == [], name


def test_the_view_check_catches_a_stray_slider_name_and_an_unfiltered_view():
    spec = explorables.hysteresis_explorer().to_dict()
    bad = json.loads(json.dumps(spec).replace("legYears)", "legyears)", 1))
    assert any("'legyears', which is no slider" in p for p in _view_problems(bad))
    *_, (last, _) = _views(bad, None, bad.get("datasets", {}))  # the width read-out
    last["transform"] = [t for t in last["transform"] if "filter" not in t]
    assert any("no slider selects them" in p for p in _view_problems(bad))


def _reader_text(spec) -> list[str]:
    """Titles, subtitles, slider labels, axis and legend titles, legend entries, text marks."""
    out = []
    for node in _walk(spec):
        for key in ("text", "subtitle", "title", "name", "labels", "domain"):
            v = node.get(key)
            for s in v if isinstance(v, list) else [v]:
                if isinstance(s, str):
                    out.append(s)
        if isinstance(node.get("bind"), dict):
            out.append(node["bind"].get("name", ""))
    return out


def test_reader_text_is_not_shouted(built):
    """House style: sentence case; a word in capitals (four letters or more) is only an
    acronym the book defines."""
    name, _, spec = built
    acronyms = {"GDP", "UNGA", "BACI", "SIPRI"}
    shouted = [
        s
        for s in _reader_text(spec)
        for w in re.findall(r"[^\W\d_]{4,}", s)
        if w.isupper() and w not in acronyms
    ]
    assert not shouted, (name, shouted)


def test_the_hysteresis_explorer_names_a_bad_legs_grid():
    with pytest.raises(ValueError, match="^legs must be evenly spaced"):
        explorables.hysteresis_explorer(legs=(10, 20, 40))
