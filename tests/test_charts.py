"""The book's chart style and the builders chapters reuse."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

from reluctant_allies import charts, data


def test_book_style_enables_the_theme():
    charts.use_book_style()
    assert alt.theme.active == charts.THEME_NAME
    spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    assert spec["config"]["range"]["category"] == charts.PALETTE
    # white by default, but in config so the book's pages can draw on a dark background
    assert spec["config"]["background"] == "white" and "background" not in spec


def test_book_style_switches_the_actions_menu_off():
    charts.use_book_style()
    # the actions <summary> has no accessible name (axe: summary-name)
    assert alt.renderers.options.get("embed_options", {}).get("actions") is False


def test_finish_requires_title_description_and_source():
    base = alt.Chart(pd.DataFrame({"x": [1]})).mark_point()
    done = charts.finish(base, title="T", description="D", source="SIPRI")
    spec = done.to_dict()
    assert spec["title"] == {"text": "T", "subtitle": "Source: SIPRI"}
    assert spec["description"] == "D"
    for bad in ("", "   "):
        with pytest.raises(ValueError, match="title"):
            charts.finish(base, title=bad, description="D", source="S")
        with pytest.raises(ValueError, match="description"):
            charts.finish(base, title="T", description=bad, source="S")
        with pytest.raises(ValueError, match="source"):
            charts.finish(base, title="T", description="D", source=bad)


def test_long_source_lines_wrap_instead_of_being_clipped():
    base = alt.Chart(pd.DataFrame({"x": [1]})).mark_point()
    long = "SIPRI Military Expenditure Database; World Bank WDI; " * 4
    subtitle = charts.finish(base, title="T", description="D", source=long).to_dict()["title"][
        "subtitle"
    ]
    assert isinstance(subtitle, list) and len(subtitle) > 1
    assert all(len(line) <= charts.theme.SOURCE_WRAP for line in subtitle)
    assert " ".join(subtitle) == "Source: " + long.strip()


def test_milestones_timeline_on_the_real_events_table():
    events = data.load("events")
    chart = charts.milestones_timeline(
        events, label={"treaty-2001": "2001 treaty"}, source=data.source_line("events")
    )
    spec = chart.to_dict()
    assert spec["title"]["text"].startswith("Milestones")
    assert str(len(events)) in spec["description"]
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == len(events)
    assert {r["label"] for r in rows} == {"", "2001 treaty"}
    assert all(r["source_url"].startswith("http") for r in rows)
    json.dumps(spec)  # serialisable for the page


def test_milestones_timeline_rejects_bad_input():
    events = data.load("events")
    with pytest.raises(ValueError, match="source_url"):
        charts.milestones_timeline(events.drop(columns="source_url"), source="x")
    with pytest.raises(ValueError, match="unknown category"):
        bad = events.copy()
        bad.loc[0, "category"] = "gossip"
        charts.milestones_timeline(bad, source="x")
    with pytest.raises(ValueError, match="no event with id"):
        charts.milestones_timeline(events, label={"no-such-event": "x"}, source="x")


def test_require_columns_is_the_one_column_check():
    from reluctant_allies._checks import NotADataFrameError, require_columns

    with pytest.raises(ValueError, match=r"who: table lacks column\(s\) \['b'\]"):
        require_columns(pd.DataFrame({"a": [1]}), ("a", "b"), "who")
    with pytest.raises(ValueError, match="who: trade table is empty \\(no rows\\)"):
        require_columns(pd.DataFrame({"a": []}), ("a",), "who", what="trade table", nonempty=True)
    require_columns(pd.DataFrame({"a": []}), ("a",), "who")  # empty is fine unless asked
    # historically some builders raised TypeError and others ValueError: both still catch it
    for error in (TypeError, ValueError, NotADataFrameError):
        with pytest.raises(error, match="must be a pandas DataFrame, got list"):
            require_columns([1], ("a",), "who")


def test_dash_scale_gives_solid_then_dashed_and_refuses_a_third():
    from reluctant_allies.charts.theme import dash_scale

    scale = dash_scale(["COW", "BACI"]).to_dict()
    assert scale == {"domain": ["COW", "BACI"], "range": [[1, 0], [5, 3]]}
    assert dash_scale(["COW"]).to_dict()["range"] == [[1, 0]]
    with pytest.raises(ValueError, match="3 entries"):
        dash_scale(["COW", "BACI", "DOTS"])


def test_finish_gives_each_source_its_own_wrapped_lines():
    base = alt.Chart(pd.DataFrame({"x": [1]})).mark_point()
    long = "UN General Assembly voting data (Voeten et al.), ideal points, version 2025 of the file"
    spec = charts.finish(base, title="T", description="D", source=["SIPRI", long]).to_dict()
    sub = spec["title"]["subtitle"]
    assert sub[0] == "Source: SIPRI"
    assert all(len(line) <= 85 for line in sub) and len(sub) == 3
    assert " ".join(sub[1:]) == f"Source: {long}"
    one = charts.finish(base, title="T", description="D", source=["SIPRI"]).to_dict()
    assert one["title"]["subtitle"] == "Source: SIPRI"
    with pytest.raises(ValueError, match="source"):
        charts.finish(base, title="T", description="D", source=[])
