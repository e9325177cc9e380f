"""Chapter 6 (the memory hurdle): published opinion by pollster, memory-policy timeline,
and the rebound explorable of the dynamic model.

Three rules shape this module, all from the book's honesty rules:

* **Pollsters are never joined.** Each series is one pollster's one question; a line is
  drawn only between *consecutive* years of the same series, so a gap between surveys
  stays a gap. Points from different pollsters sit in the same panel but are never
  connected, and every tooltip carries the question as reported.
* **The memory timeline is built from the ``events`` table** (and, optionally, the
  opening dates in ``themed_years``); which events count as memory policy is the book's
  coding, written down in :data:`MEMORY_LANES`.
* **The explorable is precomputed.** :func:`memory_rebound_grid` runs the dynamic model
  (``reluctant_allies.models``) over a grid of the memory hurdle's rebound ``rho_m`` and
  policy effectiveness ``delta_m`` and over the pressure level after a pulse; the chart
  filters that grid with sliders, so it works on a static page with no kernel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns
from ..analysis.grids import SLIDER_TOL
from ..analysis.memory import (
    LANES,
    PEAK,
    POLLSTERS,
    _pack,
    _pulse_shape,
    _slider_values,
    memory_events,
    memory_rebound_grid,
    opinion_series,
)
from ._sliders import match_sliders
from .theme import INK as INK_TEXT
from .theme import MUTED, PALETTE, finish

__all__ = ["opinion_by_pollster", "memory_policy_timeline", "memory_rebound_explorable"]


PANEL_ORDER = ("Russians on China", "Chinese on Russia")


#: One colour per pollster, fixed so the chapter's charts agree.
POLLSTER_COLOURS = dict(zip(POLLSTERS, PALETTE[:4], strict=True))


#: One marker shape per series (pollster + question).
SHAPES = ["circle", "square", "diamond", "triangle-up", "triangle-down", "triangle-right", "cross"]


class _OpinionFrame(NamedTuple):
    """The opinion points and the legend order the chart draws them in."""

    df: pd.DataFrame
    pollsters: list[str]
    series_list: list[str]
    pollster_of: dict[str, str]


class _OpinionEncodings(NamedTuple):
    """The encodings every opinion panel shares."""

    x: alt.X
    colour: alt.Color
    shape: alt.Shape
    tooltip: list[alt.Tooltip]


def _opinion_frame(opinion: pd.DataFrame) -> _OpinionFrame:
    """Return the checked opinion points with the pollster and series legend order."""
    df = opinion_series(opinion)
    pollsters = [p for p in POLLSTER_COLOURS if p in set(df["pollster"])]
    # one merged legend: colour says the pollster, shape the question
    first = df.drop_duplicates("series")
    first = first.assign(_p=first["pollster"].map({p: i for i, p in enumerate(pollsters)}))
    series_list = first.sort_values(["_p", "series"])["series"].tolist()
    if len(series_list) > len(SHAPES):
        raise ValueError(f"opinion_by_pollster: {len(series_list)} series, at most {len(SHAPES)}")
    pollster_of = dict(zip(first["series"], first["pollster"], strict=True))
    return _OpinionFrame(df, pollsters, series_list, pollster_of)


def _opinion_encodings(series_list: list[str], pollster_of: dict[str, str]) -> _OpinionEncodings:
    """Return the shared x, colour, shape and tooltip encodings of the opinion panels."""
    legend = alt.Legend(
        title="Pollster: question (as reported)",
        orient="bottom",
        direction="vertical",
        columns=1,
        labelLimit=420,
        titleLimit=420,
    )
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(
            domain=series_list, range=[POLLSTER_COLOURS[pollster_of[s]] for s in series_list]
        ),
        legend=legend,
    )
    shape = alt.Shape(
        "series:N",
        scale=alt.Scale(domain=series_list, range=SHAPES[: len(series_list)]),
        legend=legend,
    )
    tooltip = [
        alt.Tooltip("pollster:N", title="pollster"),
        alt.Tooltip("question:N", title="question (as reported)"),
        alt.Tooltip("response:N", title="answer counted"),
        alt.Tooltip("share_text:N", title="share"),
        alt.Tooltip("fieldwork:N", title="fieldwork"),
        alt.Tooltip("sample:N", title="respondents (n)"),
        alt.Tooltip("quality:N", title="source quality"),
        alt.Tooltip("source_url:N", title="source"),
    ]
    x = alt.X(
        "x:Q",
        title=None,
        scale=alt.Scale(domain=[2004, 2025.5], nice=False),
        axis=alt.Axis(format="d", values=list(range(2005, 2026, 5))),
    )
    return _OpinionEncodings(x, colour, shape, tooltip)


def _opinion_panel(
    df: pd.DataFrame, name: str, height: int, enc: _OpinionEncodings
) -> alt.LayerChart:
    """Return one panel: the lines and the filled and hollow points of panel ``name``."""
    sub = df.loc[df["panel"] == name]
    encoding = {
        "x": enc.x,
        "y": alt.Y(
            "share_pct:Q",
            title="% of respondents",
            scale=alt.Scale(domain=[0, 100]),
            axis=alt.Axis(values=[0, 25, 50, 75, 100]),
        ),
        "color": enc.colour,
    }
    # each layer gets only its own rows, and an empty layer is left out: an empty mark
    # group still carries role="img" without a label (axe: svg-img-alt)
    in_line = sub.groupby("segment")["year"].transform("size") > 1
    parts = {
        "lines": sub.loc[in_line],
        "sourced": sub.loc[sub["quality"] == "sourced"],
        "weak": sub.loc[sub["quality"] != "sourced"],
    }
    layers = []
    if len(parts["lines"]):
        layers.append(
            alt.Chart(parts["lines"])
            .mark_line(strokeWidth=2)
            .encode(**encoding, detail="segment:N")
        )
    for key, filled in (("sourced", True), ("weak", False)):
        if len(parts[key]):
            layers.append(
                alt.Chart(parts[key])
                .mark_point(size=80, filled=filled, strokeWidth=2, opacity=1)
                .encode(**encoding, shape=enc.shape, tooltip=enc.tooltip)
            )
    return alt.layer(*layers).properties(
        width=520, height=height, title=alt.TitleParams(name, fontSize=13, fontWeight=600)
    )


def _opinion_description(df: pd.DataFrame, pollsters: list[str]) -> str:
    """Return the accessible description of the opinion chart."""
    summary = "; ".join(
        f"{s} ({', '.join(f'{y}: {t}' for y, t in zip(g['year'], g['share_text'], strict=True))})"
        for s, g in df.groupby("series", sort=True)
    )
    n_weak = int((df["quality"] != "sourced").sum())
    return (
        f"Two panels of published survey figures, {len(df)} points from "
        f"{len(pollsters)} pollsters, each series a single pollster's single question: "
        f"{summary}. Lines join consecutive years of one series only; "
        f"{n_weak} hollow point(s) rest on a weak source."
    )


def opinion_by_pollster(
    opinion: pd.DataFrame,
    *,
    source: str,
    title: str = "Published opinion on the partner, kept apart by pollster and question",
):
    """Two panels (Russians on China; Chinese on Russia), one colour per pollster.

    Filled points are figures the research notes could source; hollow points rest on a
    weak page. Lines join only consecutive years of one pollster's one question.
    """
    frame = _opinion_frame(opinion)
    df = frame.df
    enc = _opinion_encodings(frame.series_list, frame.pollster_of)
    panels = [
        _opinion_panel(df, p, 210 if p == PANEL_ORDER[0] else 120, enc)
        for p in PANEL_ORDER
        if p in set(df["panel"])
    ]
    chart = alt.vconcat(*panels, spacing=14).resolve_scale(color="shared", shape="shared")
    return finish(
        chart,
        title=title,
        description=_opinion_description(df, frame.pollsters),
        source=source,
    )


LANE_COLOURS = dict(zip(LANES, (PALETTE[4], PALETTE[2], PALETTE[0], PALETTE[3]), strict=True))


#: Short on-chart labels (the tooltip has the full description).
MEMORY_LABELS = {
    "border-eastern-agreement": "eastern border 1991",
    "border-western-agreement": "western border 1994",
    "treaty-2001": "2001 treaty",
    "border-complementary-agreement": "islands divided 2004",
    "border-protocol-2008": "demarcation 2008",
    "year-of-russia": "Year of Russia 2006",
    "victory-parade-moscow": "Moscow & Beijing parades 2015",
    "vladivostok-backlash": "Vladivostok-160 backlash 2020",
}


def _timeline_frame(
    events: pd.DataFrame,
    themed_years: pd.DataFrame | None,
    lanes: Mapping[str, str] | None,
    label: Mapping[str, str] | None,
) -> tuple[pd.DataFrame, list[str]]:
    """Return the labelled events (with each label's offset) and the lanes shown, in order."""
    df = memory_events(events, themed_years, lanes=lanes)
    if label is None:  # the default labels, for whichever of their events are shown
        label = {k: v for k, v in MEMORY_LABELS.items() if k in set(df["id"])}
    label = dict(label)
    absent = sorted(set(label) - set(df["id"]))
    if absent:
        raise ValueError(f"memory_policy_timeline: no event with id(s) {absent} to label")
    df["label"] = df["id"].map(label).fillna("")
    lane_order = [ln for ln in LANE_COLOURS if ln in set(df["lane"])]
    # alternate labels above and below within a lane so neighbours do not collide
    df["label_dy"] = 0
    lab = df["label"] != ""
    nth = df.loc[lab].groupby("lane").cumcount()
    df.loc[lab, "label_dy"] = nth.map(lambda i: -12 if i % 2 == 0 else 14)
    return df, lane_order


def _timeline_layers(df: pd.DataFrame, lane_order: list[str]) -> list[alt.Chart]:
    """Return the timeline's layers: sourced dots, hollow weak dots, and the two label rows."""
    x = alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(domain=["1990-01-01", "2026-06-30"]),
        axis=alt.Axis(format="%Y", tickCount=alt.TickCount(interval="year", step=5)),
    )
    y = alt.Y(
        "lane:N",
        sort=lane_order,
        title=None,
        axis=alt.Axis(labelLimit=150, domain=False, ticks=False, labelFontSize=12),
    )
    colour = alt.Color(
        "lane:N",
        scale=alt.Scale(domain=lane_order, range=[LANE_COLOURS[ln] for ln in lane_order]),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("when:N", title="date"),
        alt.Tooltip("event:N", title="event"),
        alt.Tooltip("kind:N", title="category"),
        alt.Tooltip("quality:N", title="source quality"),
        alt.Tooltip("source_url:N", title="source"),
    ]
    base = alt.Chart(df).encode(x=x, y=y)
    layers = [
        base.transform_filter(alt.datum.quality == "sourced")
        .mark_circle(size=90, opacity=0.9, stroke="white", strokeWidth=0.8)
        .encode(color=colour, tooltip=tooltip),
    ]
    if (df["quality"] != "sourced").any():  # no empty layer (axe: svg-img-alt)
        layers.append(
            base.transform_filter(alt.datum.quality != "sourced")
            .mark_point(size=90, filled=False, strokeWidth=2)
            .encode(color=colour, tooltip=tooltip)
        )
    for dy in (-12, 14):
        layers.append(
            base.transform_filter(alt.datum.label_dy == dy)
            .mark_text(fontSize=10.5, align="center", dy=dy)
            .encode(text="label:N")
        )
    return layers


def _timeline_description(df: pd.DataFrame, lane_order: list[str]) -> str:
    """Return the accessible description of the memory-policy timeline."""
    counts = df["lane"].value_counts()
    summary = ", ".join(f"{counts.get(ln, 0)} in '{ln}'" for ln in lane_order)
    return (
        f"Timeline of {len(df)} dated events from {df['date'].iloc[0][:4]} to "
        f"{df['date'].iloc[-1][:4]} in {len(lane_order)} lanes ({summary}). "
        "Hover over a dot for the event, its date and its source; hollow dots rest on a "
        "weak source."
    )


def memory_policy_timeline(
    events: pd.DataFrame,
    themed_years: pd.DataFrame | None = None,
    *,
    source: str | Sequence[str],
    lanes: Mapping[str, str] | None = None,
    label: Mapping[str, str] | None = None,
    title: str = "Working on memory: the border, themed years, shared commemoration",
):
    """Lanes of memory-policy events and memory flashpoints, 1990–2026; hover for sources.

    ``label`` maps event ids to short on-chart labels (default :data:`MEMORY_LABELS`,
    restricted to the ids shown). Hollow dots rest on a weak source.
    """
    df, lane_order = _timeline_frame(events, themed_years, lanes, label)
    layers = _timeline_layers(df, lane_order)
    chart = alt.layer(*layers).properties(width=440, height=55 * len(lane_order) + 20)
    return finish(
        chart,
        title=title,
        description=_timeline_description(df, lane_order),
        source=source,
    )


#: Width of the rebound explorable's panels, in pixels.
_REBOUND_W = 380


class _ReboundView(NamedTuple):
    """What every panel of the rebound explorable draws from."""

    flat: alt.Chart
    selected: str
    band_df: pd.DataFrame
    years: int


def _rebound_axes(
    g: pd.DataFrame, rho_m: float, delta_m: float, after: float
) -> dict[str, tuple[float, float, float]]:
    """Return (min, max, step) for each slider, after checking each start value is on the grid."""
    axes = {}
    for col, start in (("rho_m", rho_m), ("delta_m", delta_m), ("after", after)):
        vals = np.sort(g[col].unique())
        if not np.isclose(vals, start, atol=SLIDER_TOL).any():
            raise ValueError(
                f"explorable: start value {col}={start} is not on the grid {list(vals)}"
            )
        axes[col] = _slider_values(vals, col)
    return axes


def _rebound_slider(
    col: str, start: float, label: str, bounds: tuple[float, float, float]
) -> alt.Parameter:
    """Return the range slider for grid column ``col`` over ``bounds`` (min, max, step)."""
    lo, hi, step = bounds
    return alt.param(
        name=col.replace("_", ""),
        value=start,
        bind=alt.binding_range(min=lo, max=hi, step=step, name=label),
    )


def _rebound_flat(
    runs: pd.DataFrame, same_scenario: str, at: int, width: int, peak: float
) -> alt.Chart:
    """Return the packed runs of the chosen scenario unpacked to one row per run and year."""
    flat = alt.Chart(runs).transform_filter(same_scenario)
    # the year is each value's position in its run's arrays (flatten keeps array order);
    # the pressure is recomputed from the scenario, so neither is shipped in the page
    return (
        flat.transform_flatten(["h", "c"], ["H_m", "C"])
        .transform_window(i="row_number()", groupby=["r"])
        .transform_calculate(year="datum.i - 1")
        .transform_calculate(
            S=f"datum.year >= {at} && datum.year < {at + width} ? {peak:g} : datum.a"
        )
    )


def _rebound_x(years: int, *, hidden: bool) -> alt.X:
    """Return the shared year axis; ``hidden`` drops its title, labels and ticks."""
    values = list(range(0, years + 1, 5))
    return alt.X(
        "year:Q",
        title=None if hidden else "years since the start",
        scale=alt.Scale(domain=[0, years], nice=False),
        axis=alt.Axis(values=values, labels=False, ticks=False)
        if hidden
        else alt.Axis(values=values),
    )


def _pulse_band(view: _ReboundView, label: bool = False) -> alt.Chart | alt.LayerChart:
    """Return the grey band over the high-pressure years, optionally with its label."""
    rect = (
        alt.Chart(view.band_df)
        .mark_rect(color="#f0f0f0")
        .encode(x=alt.X("x0:Q", scale=alt.Scale(domain=[0, view.years])), x2="x1:Q")
    )
    if not label:
        return rect
    text = (
        alt.Chart(view.band_df)
        .mark_text(align="left", baseline="top", dx=4, dy=4, color=MUTED)
        .encode(x="x0:Q", y=alt.value(0), text="label:N")
    )
    return rect + text


def _pressure_panel(view: _ReboundView, rho_match: str, x_hidden: alt.X) -> alt.LayerChart:
    """Return the top panel: the pressure path S of the selected run."""
    return alt.layer(
        _pulse_band(view),
        view.flat.transform_filter(rho_match)
        .mark_line(interpolate="step-after", color=MUTED)
        .encode(
            x=x_hidden,
            y=alt.Y(
                "S:Q",
                title="pressure S",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(values=[0, 0.5, 1]),
            ),
        ),
    ).properties(width=_REBOUND_W, height=55)


def _state_panel(
    view: _ReboundView,
    field: str,
    title: str,
    colour: str,
    height: int,
    xenc: alt.X,
    extra: Sequence[alt.Chart] = (),
    top: Sequence[alt.Chart] = (),
) -> alt.LayerChart:
    """Return a state panel: every run of ``field`` in grey, the selected run in colour."""
    y = alt.Y(
        f"{field}:Q",
        title=title,
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(values=[0, 0.25, 0.5, 0.75, 1], format=".2~f"),
    )
    grey = view.flat.mark_line(color="#bbbbbb", strokeWidth=1).encode(x=xenc, y=y, detail="r:N")
    hi = (
        view.flat.transform_filter(view.selected)
        .mark_line(color=colour, strokeWidth=3)
        .encode(
            x=xenc,
            y=y,
            tooltip=[
                alt.Tooltip("year:Q", title="year"),
                alt.Tooltip(f"{field}:Q", title=field, format=".2f"),
                alt.Tooltip("r:Q", title="ρ_m"),
                alt.Tooltip("d:Q", title="δ_m"),
                alt.Tooltip("S:Q", title="pressure S"),
            ],
        )
    )
    return alt.layer(_pulse_band(view, label=field == "H_m"), grey, *extra, hi, *top).properties(
        width=_REBOUND_W, height=height
    )


def _rebound_thresholds(p: models.DynamicParams) -> tuple[alt.Chart, list[alt.Chart]]:
    """Return the dashed threshold rules and their haloed labels for the cooperation panel."""
    thresholds = pd.DataFrame(
        {
            "y": [p.theta_E, p.theta_A],
            "label": [f"entente θ_E = {p.theta_E:g}", f"alliance θ_A = {p.theta_A:g}"],
        }
    )
    rules = alt.Chart(thresholds).mark_rule(strokeDash=[4, 3], color=MUTED).encode(y="y:Q")
    # labels on top of the lines, with a white halo so a line passing behind stays legible
    rule_text = [
        alt.Chart(thresholds)
        .mark_text(align="right", baseline="bottom", dy=-2, **style)
        .encode(y="y:Q", x=alt.value(_REBOUND_W - 2), text="label:N")
        for style in ({"stroke": "white", "strokeWidth": 4}, {"color": INK_TEXT})
    ]
    return rules, rule_text


def _rebound_description(years: int, at: int, width: int) -> str:
    """Return the accessible description of the rebound explorable."""
    return (
        f"Model run, not data. Three stacked panels over {years} years: the pressure S "
        f"(high, {PEAK:g}, from year {at} to year {at + width}, otherwise the level set by a "
        "slider); the memory hurdle H_m; and cooperation C with the entente and alliance "
        "thresholds. The coloured line is the run for the rebound rate ρ_m chosen with a "
        "slider, grey lines are the other ρ_m values. Memory falls while pressure is high "
        "and climbs back towards its baseline afterwards, faster for larger ρ_m."
    )


def memory_rebound_explorable(
    grid: pd.DataFrame | None = None,
    *,
    rho_m: float = 0.05,
    delta_m: float = 0.08,
    after: float = 0.3,
    base: models.DynamicParams | None = None,
    title: str = "Memory worn down, and its rebound when effort lapses",
):
    """Sliders for rho_m, delta_m and the pressure after the pulse; three stacked panels.

    Top: the pressure path S. Middle: the memory hurdle H_m, the selected rho_m in colour
    and every other rho_m on the grid in grey. Bottom: cooperation C with the entente and
    alliance thresholds. ``grid`` defaults to :func:`memory_rebound_grid` (with ``base``).
    """
    p = base if base is not None else models.DynamicParams()
    g = memory_rebound_grid(base=p) if grid is None else grid
    require_columns(g, ("rho_m", "delta_m", "after", "year", "S", "H_m", "C"), "explorable")
    axes = _rebound_axes(g, rho_m, delta_m, after)
    at, width, peak, years = _pulse_shape(g)
    runs = _pack(g)
    # short labels: vega-embed puts the sliders beside the chart, which shrinks to fit
    p_rho = _rebound_slider("rho_m", rho_m, "ρ_m rebound ", axes["rho_m"])
    p_delta = _rebound_slider("delta_m", delta_m, "δ_m policy ", axes["delta_m"])
    p_after = _rebound_slider("after", after, "S after pulse ", axes["after"])

    same_scenario = match_sliders(d=p_delta.name, a=p_after.name)
    selected = f"{same_scenario} && {match_sliders(r=p_rho.name)}"
    flat = _rebound_flat(runs, same_scenario, at, width, peak)
    x = _rebound_x(years, hidden=False)
    x_hidden = _rebound_x(years, hidden=True)
    band_df = pd.DataFrame({"x0": [at], "x1": [at + width], "label": ["high pressure"]})
    view = _ReboundView(flat, selected, band_df, years)

    s_panel = _pressure_panel(view, match_sliders(r=p_rho.name), x_hidden)
    rules, rule_text = _rebound_thresholds(p)
    h_panel = _state_panel(view, "H_m", "memory hurdle H_m", PALETTE[3], 150, x_hidden)
    c_panel = _state_panel(
        view, "C", "cooperation C", PALETTE[0], 150, x, extra=(rules,), top=rule_text
    )
    chart = (
        alt.vconcat(s_panel, h_panel, c_panel, spacing=8)
        .add_params(p_rho, p_delta, p_after)
        .resolve_scale(x="shared")
    )
    return finish(
        chart,
        title=title,
        description=_rebound_description(years, at, width),
        source=("the book's dynamic model (domain.md §3b); defaults except the sliders"),
    )
