"""Chapter 8, "The dynamic interaction model": the book's reading of the article's claim C4.

Four kinds of builder, all on top of :mod:`reluctant_allies.models` (this module only lays
numbers out; every number is computed there):

* model runs -- :func:`dynamic_scenarios` / :func:`dynamic_runs` / :func:`dynamic_paths`
  (time paths under a ramp, a shock and a pulse), :func:`phase_frame` /
  :func:`phase_portrait` (trajectories in the plane of hurdle and cooperation),
  :func:`long_run_frame` / :func:`long_run_curve` (long-run cooperation C*(S), static vs
  dynamic), :func:`moving_threshold_frame` / :func:`moving_threshold_chart` (the pressure
  an alliance needs at each year's hurdles);
* the numbers the chapter prints -- :func:`ramp_milestones`, :func:`rebound_numbers`;
* illustrations against data -- :func:`ramp_on_calendar`, :func:`pressure_vs_ramp` (the
  stylised ramp against the coded pressure index), :func:`cooperation_vs_model` (model
  paths against two observed cooperation proxies). Illustrations, not fits;
* a kernel-free explorable -- :func:`learning_grid` / :func:`learning_explorable` with
  sliders for policy effectiveness, learning and rebound.

The equations and parameter values are the book's reconstruction, not the article's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns
from ..analysis._coverage import coverage_years
from ..analysis.dynamics import _dynamic, _long_run_thresholds, _static

# Shared slider plumbing of the model explorables (one implementation for the book).
from ._sliders import match_sliders, slider_param, threshold_rules, unpack_paths
from .theme import MUTED, PALETTE, finish

__all__ = [
    "dynamic_paths",
    "phase_portrait",
    "long_run_curve",
    "moving_threshold_chart",
    "pressure_vs_ramp",
    "cooperation_vs_model",
    "learning_explorable",
]


MODEL_SOURCE = "Model: this book's reconstruction (domain §3a–3b), default parameters"


WIDTH = 470


#: Line styles of the model's variables, shared by the charts of this chapter.
SERIES = {
    "pressure S": (MUTED, [2, 2], 1.5),
    "static model C": (PALETTE[1], [6, 3], 2),
    "dynamic model C": (PALETTE[0], [1, 0], 3),
    "economic hurdle H_e": (PALETTE[4], [1, 0], 2),
    "memory hurdle H_m": (PALETTE[3], [1, 0], 2),
}


def _series_scales(names: Sequence[str]) -> dict:
    """Colour, dash and width encodings for the named model series (one merged legend)."""
    dom = list(names)
    unknown = [n for n in dom if n not in SERIES]
    if unknown:
        raise ValueError(f"unknown series {unknown}; known: {list(SERIES)}")
    legend = alt.Legend(title=None, orient="bottom", direction="horizontal", columns=3)
    return {
        "color": alt.Color(
            "series:N",
            scale=alt.Scale(domain=dom, range=[SERIES[n][0] for n in dom]),
            legend=legend,
        ),
        "strokeDash": alt.StrokeDash(
            "series:N",
            scale=alt.Scale(domain=dom, range=[SERIES[n][1] for n in dom]),
            legend=legend,
        ),
        "strokeWidth": alt.StrokeWidth(
            "series:N",
            scale=alt.Scale(domain=dom, range=[SERIES[n][2] for n in dom]),
            legend=None,
        ),
    }


def _colour_scale(names: Sequence[str]) -> alt.Scale:
    return alt.Scale(domain=list(names), range=[SERIES[n][0] for n in names])


def _theta_layer(params: models.StaticParams, y: str) -> alt.LayerChart:
    return threshold_rules(params, y)


RUN_COLUMNS = {
    "S": "pressure S",
    "C_static": "static model C",
    "C_dynamic": "dynamic model C",
    "H_e": "economic hurdle H_e",
    "H_m": "memory hurdle H_m",
}


#: The two model series of the long-run and calendar charts, static first.
MODEL_C = ("static model C", "dynamic model C")


def _model_tooltip(x_field: str = "year") -> list[alt.Tooltip]:
    """Tooltip of a model line: the series, the model year (``x_field``) and the value."""
    return [
        alt.Tooltip("series:N"),
        alt.Tooltip(f"{x_field}:Q", title="model year"),
        alt.Tooltip("value:Q", format=".3f"),
    ]


def _long_series(
    frame: pd.DataFrame, id_vars: str | list[str], names: Mapping[str, str]
) -> pd.DataFrame:
    """``frame``'s ``names`` columns folded long (``var``, ``value``, ``series``), nulls dropped."""
    long = frame.melt(
        id_vars=id_vars, value_vars=list(names), var_name="var", value_name="value"
    ).dropna(subset=["value"])
    long["series"] = long["var"].map(names)
    return long


def _paths_frame(runs: pd.DataFrame, who: str) -> pd.DataFrame:
    """The model runs, checked, one row per scenario, year and model series."""
    require_columns(runs, ("scenario", "label", "year", *RUN_COLUMNS), who)
    if runs.empty:
        raise ValueError(f"{who}: no rows")
    return _long_series(runs, ["scenario", "label", "year"], RUN_COLUMNS)


def _path_panel(
    df: pd.DataFrame, p: models.StaticParams, enc: dict, *, last: int, bottom: bool
) -> alt.LayerChart:
    """One scenario's panel: threshold rules under its model lines (year axis if ``bottom``)."""
    label = str(df["label"].iloc[0])
    x = alt.X(
        "year:Q",
        title="model year" if bottom else None,
        scale=alt.Scale(domain=[0, last], nice=False),
        axis=alt.Axis(labels=bottom, tickMinStep=5),
    )
    lines = (
        alt.Chart(df.drop(columns=["label", "var"]))
        .mark_line()
        .encode(
            x=x,
            y=alt.Y("value:Q", title="level (0–1)", scale=alt.Scale(domain=[0, 1])),
            tooltip=_model_tooltip(),
            **enc,
        )
    )
    return alt.layer(_theta_layer(p, "value"), lines).properties(
        width=WIDTH, height=125, title=alt.TitleParams(label, fontSize=12.5)
    )


def _paths_description(order: list[str], last: int, ramp: pd.DataFrame) -> str:
    """The accessible description of :func:`dynamic_paths`."""
    return (
        f"{len(order)} stacked line charts over {last} model years, one per pressure path "
        f"({', '.join(order)}). Each shows pressure S (dotted grey), cooperation C in the "
        "static model (dashed vermillion) and in the dynamic model (thick blue), and the "
        "dynamic model's economic and memory hurdles (orange, purple), with dashed lines "
        "at the entente (0.5) and alliance (0.85) thresholds. On the ramp the dynamic "
        f"model ends at C = {ramp['C_dynamic'].iloc[-1]:.2f} and the static at "
        f"{ramp['C_static'].iloc[-1]:.2f}; after a pulse the hurdles grow back and "
        "cooperation falls."
    )


def dynamic_paths(runs: pd.DataFrame, params: models.StaticParams | None = None):
    """One panel per scenario: pressure, static and dynamic C, and the two hurdles."""
    who = "dynamic_paths"
    long = _paths_frame(runs, who)
    p = params or models.DynamicParams()
    last = int(runs["year"].max())
    enc = _series_scales(list(RUN_COLUMNS.values()))
    order = list(dict.fromkeys(runs["scenario"]))
    panels = [
        _path_panel(long[long["scenario"] == name], p, enc, last=last, bottom=i == len(order) - 1)
        for i, name in enumerate(order)
    ]
    ramp = runs[runs["scenario"] == order[0]]
    chart = alt.vconcat(*panels, spacing=10)
    return finish(
        chart,
        title="Three pressure paths, two models",
        description=_paths_description(order, last, ramp),
        source=MODEL_SOURCE,
    )


class _Phase(NamedTuple):
    """The rows a phase portrait draws, each kind labelled by its pressure."""

    paths: pd.DataFrame
    steady: pd.DataFrame
    static: pd.DataFrame
    names: list[str]


def _pressure_label(s: float) -> str:
    """The legend label of a constant pressure ``s``."""
    return f"S = {s:g}"


def _phase_frames(frame: pd.DataFrame, who: str) -> _Phase:
    """The path, steady and static-steady rows of ``frame``, checked and labelled."""
    require_columns(frame, ("kind", "S", "start", "year", "H", "C"), who)
    paths = frame[frame["kind"] == "path"].copy()
    steady = frame[frame["kind"] == "steady"].copy()
    static = frame[frame["kind"] == "static steady"].copy()
    if paths.empty or steady.empty:
        raise ValueError(f"{who}: need 'path' and 'steady' rows (see phase_frame)")
    levels = sorted(paths["S"].unique())
    paths["pressure"] = paths["S"].map(_pressure_label)
    steady["pressure"] = steady["S"].map(_pressure_label)
    if not static.empty:
        static["pressure"] = static["S"].map(_pressure_label)
    return _Phase(paths, steady, static, [_pressure_label(s) for s in levels])


def _phase_axes(names: list[str]) -> tuple[alt.X, alt.Y, alt.Color]:
    """The hurdle (x) and cooperation (y) encodings and the blues of the pressures."""
    blues = ["#9ecae1", "#56B4E9", "#0072B2", "#08519c", "#08306b", "#000000"]
    colour = alt.Color(
        "pressure:N",
        title="constant pressure",
        scale=alt.Scale(domain=names, range=blues[-len(names) :] if len(names) <= 6 else None),
        legend=alt.Legend(orient="bottom", direction="horizontal"),
    )
    x = alt.X(
        "H:Q",
        title="effective hurdle (weighted mean of H_e and H_m)",
        scale=alt.Scale(domain=[0, 0.7], nice=False),
    )
    y = alt.Y("C:Q", title="cooperation C", scale=alt.Scale(domain=[0, 1]))
    return x, y, colour


def _phase_paths(paths: pd.DataFrame, x: alt.X, y: alt.Y, colour: alt.Color) -> alt.Chart:
    """The trajectories, one line per pressure and start (dashed by start)."""
    starts = list(dict.fromkeys(paths["start"]))
    tip = [
        alt.Tooltip("pressure:N"),
        alt.Tooltip("start:N"),
        alt.Tooltip("year:Q", title="model year"),
        alt.Tooltip("H:Q", title="effective hurdle", format=".3f"),
        alt.Tooltip("C:Q", format=".3f"),
    ]
    return (
        alt.Chart(paths)
        .mark_line(point=alt.OverlayMarkDef(size=10, filled=True))
        .encode(
            x=x,
            y=y,
            color=colour,
            detail="start:N",
            order="year:Q",
            strokeDash=alt.StrokeDash(
                "start:N",
                title="start",
                scale=alt.Scale(domain=starts, range=[[1, 0], [4, 3], [1, 2]][: len(starts)]),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
            tooltip=tip,
        )
    )


def _static_points(static: pd.DataFrame, x: alt.X, y: alt.Y) -> list[alt.Chart]:
    """The static model's long-run points (crosses) and the note on their fixed hurdle."""
    points = (
        alt.Chart(static)
        .mark_point(shape="cross", size=70, color=PALETTE[1], filled=True)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("pressure:N"),
                alt.Tooltip("C:Q", title="static long-run C", format=".3f"),
            ],
        )
    )
    mid = {"H": float(static["H"].iloc[0]), "C": float(static["C"].mean())}
    note = (
        alt.Chart(pd.DataFrame([mid]))
        .mark_text(angle=270, dy=16, fontSize=11, color=PALETTE[1])
        .encode(x=x, y=y, text=alt.value("static model: hurdles fixed"))
    )
    return [points, note]


def _phase_layers(phase: _Phase, p: models.StaticParams) -> list:
    """Threshold rules, trajectories, long-run points and (if any) the static model's."""
    x, y, colour = _phase_axes(phase.names)
    lines = _phase_paths(phase.paths, x, y, colour)
    rest = (
        alt.Chart(phase.steady)
        .mark_point(shape="circle", size=150, filled=False, strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("pressure:N"),
                alt.Tooltip("H:Q", title="long-run effective hurdle", format=".3f"),
                alt.Tooltip("C:Q", title="long-run C", format=".3f"),
            ],
        )
    )
    layers = [_theta_layer(p, "C"), lines, rest]
    if not phase.static.empty:
        layers.extend(_static_points(phase.static, x, y))
    return layers


def _phase_description(names: list[str], steady: pd.DataFrame) -> str:
    """The accessible description of :func:`phase_portrait`."""
    hi = steady.sort_values("S").iloc[-1]
    return (
        "Line chart of cooperation C (vertical) against the effective hurdle (horizontal) "
        f"for constant pressures {', '.join(names)}. Solid paths start from the default "
        "(hurdles 0.6, C 0.1) and move up and to the left as hurdles erode; dashed paths "
        "start from low hurdles and high cooperation. Both reach the same long-run point "
        f"for each pressure (open circles), e.g. C = {hi['C']:.2f} at hurdle "
        f"{hi['H']:.2f} for {names[-1]}. Vermillion crosses mark the static model's "
        "long-run points, stacked on the fixed hurdle 0.6. Dashed lines mark the entente "
        "and alliance thresholds."
    )


def phase_portrait(frame: pd.DataFrame, params: models.StaticParams | None = None):
    """Trajectories (C against the effective hurdle) for several constant pressures."""
    who = "phase_portrait"
    phase = _phase_frames(frame, who)
    p = params or models.DynamicParams()
    chart = alt.layer(*_phase_layers(phase, p)).properties(width=WIDTH, height=300)
    return finish(
        chart,
        title="Phase portrait: cooperation rises as the hurdles fall",
        description=_phase_description(phase.names, phase.steady),
        source=MODEL_SOURCE,
    )


class _LongRun(NamedTuple):
    """The long-run curves, the thresholds they reach and the checked parameters."""

    curves: pd.DataFrame
    reach: pd.DataFrame
    thresholds: pd.DataFrame
    dyn: models.DynamicParams
    sta: models.StaticParams


def _long_run_frames(
    frame: pd.DataFrame,
    dynamic: models.DynamicParams | None,
    static: models.StaticParams | None,
    who: str,
) -> _LongRun:
    """``frame`` checked and labelled by series, with each model's finite thresholds."""
    require_columns(frame, ("model", "S", "C", "C_high", "bistable"), who)
    if set(frame["model"]) != {"static model", "dynamic model"}:
        raise ValueError(f"{who}: need rows for 'static model' and 'dynamic model'")
    dyn = _dynamic(dynamic, who)
    sta = _static(static, who)
    thr = _long_run_thresholds(dyn, sta)
    series = {"static model": MODEL_C[0], "dynamic model": MODEL_C[1]}
    reach = thr[np.isfinite(thr["S"])].copy()
    reach["label"] = reach["S"].map(lambda s: f"{s:.2f}")
    reach["series"] = reach["model"].map(series)
    reach["C"] = reach["theta"]
    return _LongRun(frame.assign(series=frame["model"].map(series)), reach, thr, dyn, sta)


def _threshold_dots(
    reach: pd.DataFrame, names: list[str], x: alt.X, y: alt.Y
) -> tuple[alt.Chart, alt.Chart]:
    """Dots where each curve crosses a threshold line, and their S labels."""
    dots = (
        alt.Chart(reach)
        .mark_point(filled=True, size=70)
        .encode(
            x=x,
            y=y,
            color=alt.Color("series:N", scale=_colour_scale(names), legend=None),
            tooltip=[
                alt.Tooltip("series:N"),
                alt.Tooltip("level:N"),
                alt.Tooltip("S:Q", title="long-run threshold S", format=".3f"),
            ],
        )
    )
    labels = (
        alt.Chart(reach)
        .mark_text(dx=6, dy=14, align="left", fontSize=11, fontWeight=600)
        .encode(
            x=x,
            y=y,
            text="label:N",
            color=alt.Color("series:N", scale=_colour_scale(names), legend=None),
        )
    )
    return dots, labels


def _long_run_layers(run: _LongRun, s_a_static: float) -> list:
    """Threshold rules, both curves, their crossing dots and the static model's note."""
    names = list(MODEL_C)
    enc = _series_scales(names)
    x = alt.X("S:Q", title="constant systemic pressure S", scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("C:Q", title="long-run cooperation C*", scale=alt.Scale(domain=[0, 1]))
    lines = (
        alt.Chart(run.curves[["series", "S", "C"]])
        .mark_line()
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("series:N"),
                alt.Tooltip("S:Q", format=".2f"),
                alt.Tooltip("C:Q", title="long-run C", format=".3f"),
            ],
            **enc,
        )
    )
    dots, labels = _threshold_dots(run.reach, names, x, y)
    text = f"static model: alliance needs S = {s_a_static:.2f}, beyond the scale"
    note_layer = (
        alt.Chart(pd.DataFrame([{"S": 0.02, "C": 0.97, "text": text}]))
        .mark_text(align="left", fontSize=11, color=PALETTE[1])
        .encode(x=x, y=y, text="text:N")
    )
    return [_theta_layer(run.dyn, "C"), lines, dots, labels, note_layer]


def _long_run_description(thresholds: pd.DataFrame, s_a_static: float) -> str:
    """The accessible description of :func:`long_run_curve`."""
    t = thresholds.set_index(["model", "level"])["S"]
    return (
        "Line chart of long-run cooperation C* against constant pressure S from 0 to 1 "
        "for the static model (dashed vermillion) and the dynamic model (thick blue). "
        "The dynamic curve lies above the static one at every pressure above about 0.3. "
        f"Dots mark where each crosses the entente line 0.5 (static S = "
        f"{t['static model', 'entente']:.2f}, dynamic S = "
        f"{t['dynamic model', 'entente']:.2f}) and the alliance line 0.85 (dynamic S = "
        f"{t['dynamic model', 'alliance']:.2f}); the static curve never reaches 0.85, "
        f"its alliance threshold being S = {s_a_static:.2f}."
    )


def long_run_curve(
    frame: pd.DataFrame,
    dynamic: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
):
    """C*(S) for the static and dynamic model, with the long-run thresholds marked."""
    who = "long_run_curve"
    run = _long_run_frames(frame, dynamic, static, who)
    s_a_static = float(models.static_threshold(run.sta.theta_A, run.sta))
    chart = alt.layer(*_long_run_layers(run, s_a_static)).properties(width=WIDTH, height=280)
    return finish(
        chart,
        title="Long-run cooperation: the dynamic model reaches the alliance threshold",
        description=_long_run_description(run.thresholds, s_a_static),
        source=MODEL_SOURCE,
    )


#: The series of the moving-threshold chart, by column.
MOVING_COLUMNS = {
    "S": "pressure on the path S",
    "alliance": "S an alliance needs at this year's hurdles",
    "entente": "S an entente needs at this year's hurdles",
}


def _moving_frame(frame: pd.DataFrame, who: str) -> pd.DataFrame:
    """The moving-threshold rows, checked, one row per year and series."""
    require_columns(frame, ("year", "S", "C", "alliance", "entente"), who)
    if frame.empty:
        raise ValueError(f"{who}: no rows")
    return _long_series(frame, "year", MOVING_COLUMNS)


def _moving_lines(long: pd.DataFrame, x: alt.X, y: alt.Y) -> alt.Chart:
    """The pressure on the path and the two thresholds it must pass, one legend."""
    colours = [MUTED, PALETTE[0], PALETTE[2]]
    dashes = [[2, 2], [1, 0], [6, 3]]
    legend = alt.Legend(title=None, orient="bottom", direction="vertical")
    dom = list(MOVING_COLUMNS.values())
    return (
        alt.Chart(long[["year", "series", "value"]])
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color("series:N", scale=alt.Scale(domain=dom, range=colours), legend=legend),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=dom, range=dashes), legend=legend
            ),
            tooltip=_model_tooltip(),
        )
    )


def _moving_refs(lr: float, y: alt.Y) -> tuple[alt.Chart, alt.LayerChart]:
    """Dotted reference rules (S = 1 and the long-run threshold ``lr``) and their labels."""
    refs = pd.DataFrame(
        [
            {"value": 1.0, "text": "the top of the pressure scale, S = 1", "x": WIDTH - 4},
            {"value": round(lr, 4), "text": f"long-run alliance threshold {lr:.2f}", "x": 4},
        ]
    )
    ref_rules = alt.Chart(refs).mark_rule(color="#999999", strokeDash=[1, 3]).encode(y=y)
    ref_text = alt.layer(
        *(
            alt.Chart(refs.iloc[[i]])
            .mark_text(align=align, dy=-6, fontSize=11, color=MUTED)
            .encode(x=alt.value(float(refs["x"].iloc[i])), y=y, text="text:N")
            for i, align in enumerate(("right", "left"))
        )
    )
    return ref_rules, ref_text


def _alliance_marker(frame: pd.DataFrame, p: models.DynamicParams) -> list[alt.Chart]:
    """A labelled rule at the first year C reaches the alliance level (none if never)."""
    hit = frame.index[frame["C"] >= p.theta_A]
    if not len(hit):
        return []
    first = int(frame.loc[hit[0], "year"])
    mark = pd.DataFrame([{"year": first, "text": f"C reaches θ_A = {p.theta_A:g} (year {first})"}])
    return [
        alt.Chart(mark).mark_rule(color=PALETTE[0], strokeDash=[4, 2]).encode(x="year:Q"),
        alt.Chart(mark)
        .mark_text(align="right", dx=-4, fontSize=11, color=PALETTE[0])
        .encode(x="year:Q", y=alt.value(250), text="text:N"),
    ]


def _moving_description(last: int, alliance: pd.Series, lr: float) -> str:
    """The accessible description of :func:`moving_threshold_chart`."""
    return (
        f"Line chart over {last} model years. The grey dotted line is the pressure on the "
        "path (a ramp from 0.2 to 0.9, then held). The blue line is the pressure an "
        "alliance would need at that year's hurdles: it starts at "
        f"{alliance.iloc[0]:.2f}, above the top of the scale, and falls to "
        f"{alliance.iloc[-1]:.2f} as the hurdles erode, toward the long-run threshold "
        f"{lr:.2f}. The green dashed line is the same for an entente. Where the grey line "
        "rises above a threshold line, that level of cooperation becomes reachable."
    )


def moving_threshold_chart(frame: pd.DataFrame, params: models.DynamicParams | None = None):
    """Pressure on the path against the pressure an alliance (or entente) would need now."""
    who = "moving_threshold_chart"
    long = _moving_frame(frame, who)
    p = _dynamic(params, who)
    last = int(frame["year"].max())
    x = alt.X("year:Q", title="model year", scale=alt.Scale(domain=[0, last], nice=False))
    y = alt.Y("value:Q", title="systemic pressure S", scale=alt.Scale(domain=[0, 1.1], nice=False))
    lines = _moving_lines(long, x, y)
    lr = float(models.long_run_threshold(p))
    layers = [*_moving_refs(lr, y), lines, *_alliance_marker(frame, p)]
    chart = alt.layer(*layers).properties(width=WIDTH, height=270)
    return finish(
        chart,
        title="The moving threshold: how much pressure an alliance needs",
        description=_moving_description(last, frame["alliance"], lr),
        source=MODEL_SOURCE,
    )


def _year_scale(lo: int, hi: int) -> alt.Scale:
    return alt.Scale(domain=[lo - 0.6, hi + 0.6], nice=False)


def _x_years(lo: int, hi: int, *, labels: bool = True) -> alt.X:
    ticks = list(range(lo - lo % 5 + 5, hi + 1, 5))
    return alt.X(
        "year:Q",
        title=None,
        scale=_year_scale(lo, hi),
        axis=alt.Axis(format="d", values=ticks, labels=labels),
    )


class _Coverage(NamedTuple):
    """The index on every year ``lo``..``hi`` and the years ``c_lo``..``c_hi`` it covers."""

    index: pd.DataFrame
    lo: int
    hi: int
    c_lo: int
    c_hi: int


def _event_labels(index: pd.DataFrame) -> pd.Series | str:
    """The new events of each year for the tooltip (``events``, else ``acts``, else none)."""
    if "events" in index:
        return index["events"].astype(str)
    if "acts" in index:
        return index["acts"].astype(str)
    return ""


def _pressure_frame(
    index: pd.DataFrame,
    ramp: pd.DataFrame,
    coverage: tuple[int, int],
    value: str,
    label: str,
    who: str,
) -> _Coverage:
    """The index, checked, on every year of index and ramp, marked inside/outside coverage."""
    require_columns(index, ("year", value), who)
    require_columns(ramp, ("year", "S"), who)
    if index["year"].duplicated().any():
        raise ValueError(f"{who}: index has a year twice")
    vals = pd.to_numeric(index[value], errors="coerce")
    if not np.isfinite(vals.dropna()).all() or ((vals < 0) | (vals > 1)).any():
        raise ValueError(f"{who}: column {value!r} must be finite and in [0, 1]")
    lo = int(min(index["year"].min(), ramp["year"].min()))
    hi = int(max(index["year"].max(), ramp["year"].max()))
    c_lo, c_hi = (int(v) for v in coverage)
    if not lo <= c_lo <= c_hi <= hi:
        raise ValueError(f"{who}: coverage {coverage} must be an ordered pair inside {lo}–{hi}")
    frame = pd.DataFrame(
        {"year": index["year"].astype(int), "S": vals.round(4), "events": _event_labels(index)}
    )
    p = coverage_years(frame, lo, hi, c_lo, c_hi)
    p["series"] = label
    return _Coverage(p, lo, hi, c_lo, c_hi)


def _edge_layers(cov: _Coverage, x: alt.X) -> list[alt.Chart]:
    """Shaded bands, labelled, over the years outside the coverage (none if there are none)."""
    lo, hi, c_lo, c_hi = cov.lo, cov.hi, cov.c_lo, cov.c_hi
    edges = pd.DataFrame(
        [
            {"year": lo - 0.6, "year2": c_lo - 0.5},
            {"year": c_hi + 0.5, "year2": hi + 0.6},
        ]
    )
    # an edge is drawn only if it holds at least one year outside the coverage
    edges = edges[[c_lo > lo, c_hi < hi]].assign(mid=lambda d: (d["year"] + d["year2"]) / 2)
    if not len(edges):
        return []
    return [
        alt.Chart(edges).mark_rect(color="#eeeeee").encode(x=x, x2="year2:Q"),
        alt.Chart(edges.assign(year=edges["mid"]))
        .mark_text(fontSize=10, color=MUTED, baseline="top", dy=4, lineBreak="\n")
        .encode(x=x, y=alt.value(0), text=alt.value("no coded\nevents")),
    ]


def _pressure_layers(cov: _Coverage, ramp: pd.DataFrame, label: str) -> list[alt.Chart]:
    """Shaded edges, the index (thin and dashed outside coverage) and the model's ramp."""
    x = _x_years(cov.lo, cov.hi)
    y = alt.Y("S:Q", title="pressure S (0–1)", scale=alt.Scale(domain=[0, 1]))
    names = [label, "model input: stylised ramp (placement arbitrary)"]
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=names, range=[PALETTE[1], MUTED]),
        legend=alt.Legend(orient="bottom", direction="horizontal"),
    )
    layers = _edge_layers(cov, x)
    tip = [alt.Tooltip("series:N"), alt.Tooltip("year:Q"), alt.Tooltip("S:Q", format=".2f")]
    base = alt.Chart(cov.index).encode(
        x=x, y=y, color=colour, tooltip=[*tip, alt.Tooltip("events:N", title="new events")]
    )
    for flag in ("before", "after"):
        layers.append(
            base.transform_filter(f"datum.{flag}").mark_line(strokeWidth=1.2, strokeDash=[3, 3])
        )
    layers.append(base.transform_filter("datum.inside").mark_line())
    layers.append(base.mark_point(size=16))
    r = ramp[["year", "S"]].assign(series=names[1])
    layers.append(
        alt.Chart(r)
        .mark_line(strokeDash=[6, 3], strokeWidth=2)
        .encode(x=x, y=y, color=colour, tooltip=tip)
    )
    return layers


def _pressure_description(cov: _Coverage, ramp: pd.DataFrame, label: str) -> str:
    """The accessible description of :func:`pressure_vs_ramp`."""
    inside = cov.index[cov.index["inside"]]
    peak = inside.loc[inside["S"].idxmax()]
    return (
        f"Line chart, {cov.lo}–{cov.hi}. The vermillion line is the {label}, coded from "
        f"dated US and Western actions; its actions run {cov.c_lo}–{cov.c_hi} (outside, "
        "shaded, the line only shows the record's edge). It jumps in years with new actions "
        f"and fades between them, peaking at {peak['S']:.2f} in {int(peak['year'])}. The grey "
        f"dashed line is the model's stylised input, a straight ramp from "
        f"{ramp['S'].iloc[0]:.1f} in {int(ramp['year'].iloc[0])} to "
        f"{ramp['S'].iloc[-1]:.1f} in {int(ramp['year'].iloc[-1])}. An illustration, not a fit."
    )


def pressure_vs_ramp(
    index: pd.DataFrame,
    ramp: pd.DataFrame,
    *,
    coverage: tuple[int, int],
    source: str,
    value: str = "value",
    label: str = "pressure index (coded events)",
):
    """The coded pressure index (observed, chapter 3) beside the model's stylised ramp.

    ``index`` is one index, e.g. :func:`reluctant_allies.pressure.record_index` (whose
    ``acts`` column, like the first edition's ``events``, feeds the tooltip). Outside
    ``coverage`` (the years of the coded actions) the index only shows the record's edge,
    so those years are shaded and the line is thin and dashed. Missing years stay gaps.
    ``label`` names the index in the legend.
    """
    who = "pressure_vs_ramp"
    cov = _pressure_frame(index, ramp, coverage, value, label, who)
    chart = alt.layer(*_pressure_layers(cov, ramp, label)).properties(width=WIDTH, height=220)
    return finish(
        chart,
        title="What the model is fed: a smooth ramp; what was coded: jolts that fade",
        description=_pressure_description(cov, ramp, label),
        source=source,
    )


#: The two observed cooperation proxies, in panel order.
PROXY_NAMES = (
    "UN vote agreement, China–Russia (Voeten)",
    "milestone coding (chapter 4, the book's)",
)


class _Observed(NamedTuple):
    """The UNGA agreement rows, both proxies long, and the years all series span."""

    agree: pd.DataFrame
    obs: pd.DataFrame
    lo: int
    hi: int


def _proxy_rows(year: pd.Series, value: pd.Series, series: str, kind: str) -> pd.DataFrame:
    """One observed proxy as rows of ``year``, ``value`` (3 decimals), ``series``, ``kind``."""
    return pd.DataFrame(
        {"year": year.astype(int), "value": value.round(3), "series": series, "kind": kind}
    )


def _cooperation_frame(
    unga: pd.DataFrame, coded: pd.DataFrame, ramp: pd.DataFrame, who: str
) -> _Observed:
    """The inputs checked; both proxies long, each cut into runs of consecutive years."""
    require_columns(unga, ("year", "measure", "subject", "value"), who)
    require_columns(coded, ("year", "C"), who)
    require_columns(ramp, ("year", "C_dynamic", "C_static"), who)
    agree = unga[(unga["measure"] == "agreement") & (unga["subject"] == "China–Russia")]
    if agree.empty:
        raise ValueError(f"{who}: unga has no China–Russia agreement rows")
    if agree["value"].isna().any():
        raise ValueError(f"{who}: unga agreement has missing values; drop those rows")
    if coded["year"].duplicated().any() or agree["year"].duplicated().any():
        raise ValueError(f"{who}: a series has a year twice")
    obs = pd.concat(
        [
            _proxy_rows(agree["year"], agree["value"], PROXY_NAMES[0], "agree"),
            _proxy_rows(coded["year"], coded["C"], PROXY_NAMES[1], "coded"),
        ],
        ignore_index=True,
    )
    # a gap stays a gap: each series is cut into runs of consecutive years
    obs = obs.sort_values(["series", "year"])
    obs["run"] = obs.groupby("series")["year"].transform(lambda s: (s.diff() != 1).cumsum())
    lo = int(min(obs["year"].min(), ramp["year"].min()))
    hi = int(max(obs["year"].max(), ramp["year"].max()))
    return _Observed(agree, obs, lo, hi)


def _observed_panels(observed: _Observed, tip: list[alt.Tooltip]) -> list[alt.Chart]:
    """One panel per observed proxy, each on its own axis and without threshold lines."""
    lo, hi, obs = observed.lo, observed.hi, observed.obs
    panels = []
    for kind, name, colour, ytitle, mark in (
        ("agree", PROXY_NAMES[0], PALETTE[2], "share of votes alike", "line"),
        ("coded", PROXY_NAMES[1], PALETTE[7], "milestone rung", "step"),
    ):
        sub = obs[obs["kind"] == kind]
        y_obs = alt.Y("value:Q", title=ytitle, scale=alt.Scale(domain=[0, 1]))
        line = (
            alt.Chart(sub).mark_line(interpolate="step-after", color=colour)
            if mark == "step"
            else alt.Chart(sub).mark_line(color=colour, point=alt.OverlayMarkDef(size=18))
        )
        panels.append(
            line.encode(
                x=_x_years(lo, hi, labels=False), y=y_obs, detail="run:N", tooltip=tip
            ).properties(
                width=WIDTH,
                height=90,
                title=alt.TitleParams(f"Observed: {name}", fontSize=12.5),
            )
        )
    return panels


def _model_panel(
    ramp: pd.DataFrame, p: models.StaticParams, lo: int, hi: int, tip: list[alt.Tooltip]
) -> alt.LayerChart:
    """Static and dynamic model C on the calendar ramp, with the threshold lines."""
    y = alt.Y("value:Q", title="model C (0–1)", scale=alt.Scale(domain=[0, 1]))
    model_names = list(MODEL_C)
    mod = ramp.melt(id_vars="year", value_vars=["C_static", "C_dynamic"], var_name="var")
    mod["series"] = mod["var"].map({"C_static": model_names[0], "C_dynamic": model_names[1]})
    return alt.layer(
        _theta_layer(p, "value"),
        alt.Chart(mod[["year", "series", "value"]])
        .mark_line()
        .encode(x=_x_years(lo, hi), y=y, tooltip=tip, **_series_scales(model_names)),
    ).properties(
        width=WIDTH,
        height=150,
        title=alt.TitleParams(
            "Model on the stylised ramp (calendar placement arbitrary)", fontSize=12.5
        ),
    )


def _cooperation_description(
    observed: _Observed, coded: pd.DataFrame, ramp: pd.DataFrame, p: models.StaticParams
) -> str:
    """The accessible description of :func:`cooperation_vs_model`."""
    a = observed.agree.set_index("year")["value"].sort_index()
    d_ent = ramp.loc[ramp["C_dynamic"] >= p.theta_E, "year"]
    return (
        f"Three stacked line charts on one year axis, {observed.lo}–{observed.hi}. Top, "
        "observed, each on its own axis and without thresholds, because neither is on the "
        f"model's scale: China–Russia agreement in UN General Assembly votes (green), "
        f"{a.index.min()}–{a.index.max()}, from {a.iloc[0]:.2f} to {a.iloc[-1]:.2f}; and "
        "the book's step coding of military milestones (black), from "
        f"{coded['C'].iloc[0]:.2f} to {coded['C'].iloc[-1]:.2f}. Bottom: cooperation in "
        "the static and dynamic models on the stylised pressure ramp placed on the same "
        "years; the dynamic model passes the entente line "
        f"{'in ' + str(int(d_ent.iloc[0])) if len(d_ent) else 'never'} and the static "
        f"model later. Dashed lines mark the model's entente ({p.theta_E:g}) and alliance "
        f"({p.theta_A:g}) levels. An illustration, not a fit."
    )


def cooperation_vs_model(
    unga: pd.DataFrame,
    coded: pd.DataFrame,
    ramp: pd.DataFrame,
    *,
    source: str,
    params: models.StaticParams | None = None,
):
    """Top: two observed cooperation proxies (UNGA China–Russia vote agreement; the book's
    milestone coding of chapter 4), kept as separate series. Bottom: static and dynamic
    model C on the stylised calendar ramp. Same year axis; an illustration, not a fit."""
    who = "cooperation_vs_model"
    observed = _cooperation_frame(unga, coded, ramp, who)
    p = params or models.DynamicParams()
    # W9: the proxies are not on the model's C scale, so each gets its own panel and axis
    # and no entente or alliance line is drawn over them.
    tip = [alt.Tooltip("series:N"), alt.Tooltip("year:Q"), alt.Tooltip("value:Q", format=".2f")]
    panels = _observed_panels(observed, tip)
    bottom = _model_panel(ramp, p, observed.lo, observed.hi, tip)
    chart = alt.vconcat(*panels, bottom, spacing=14).resolve_scale(
        color="independent", strokeDash="independent", y="independent"
    )
    return finish(
        chart,
        title="What the model is meant to capture: a slow rise without an alliance",
        description=_cooperation_description(observed, coded, ramp, p),
        source=source,
    )


def _unpack_paths(values: list, match: str, labels: Mapping[str, str]) -> alt.Chart:
    """Lines over model years from the rows the sliders pick, their ``labels`` fields
    holding packed paths (:func:`_sliders.unpack_paths`)."""
    picked = alt.Chart(alt.Data(values=values)).transform_filter(match)
    return unpack_paths(picked, labels).mark_line()


def _check_grid(grid: dict, who: str) -> None:
    """None; raises ValueError if ``grid`` lacks a key that :func:`learning_grid` gives it."""
    for key in ("rows", "reference", "axes", "params", "years", "scenario"):
        if not isinstance(grid, dict) or key not in grid:
            raise ValueError(f"{who}: grid lacks {key!r} (build it with learning_grid)")


def _learning_sliders(
    axes: Mapping[str, np.ndarray], effect: float, learning: float, rebound: float
) -> tuple[alt.Parameter, alt.Parameter, alt.Parameter]:
    """The policy-effectiveness, learning and rebound sliders, in that order."""
    d_p = slider_param("effect", "policy effectiveness (× default δ)", axes["effect"], effect)
    l_p = slider_param(
        "learning", "learning from cooperation (× default λ)", axes["learning"], learning
    )
    r_p = slider_param("rebound", "rebound rate ρ", axes["rebound"], rebound)
    return d_p, l_p, r_p


def _learning_readout(rows: list[dict], match: str, years: int) -> alt.Chart:
    """A text line with the slider row's entente and alliance years and its final C."""
    readout_rows = [{k: row[k] for k in ("d", "l", "r", "e", "a", "end")} for row in rows]
    return (
        alt.Chart(alt.Data(values=readout_rows))
        .transform_filter(match)
        .transform_calculate(
            text=(
                "'Dynamic model: entente ' + (datum.e < 0 ? 'never' : 'in year ' + datum.e) + "
                "', alliance ' + (datum.a < 0 ? 'never' : 'in year ' + datum.a) + "
                f"'; C in year {years}: ' + format(datum.end, '.2f')"
            )
        )
        .mark_text(align="left", fontSize=12, fontWeight=600, color=PALETTE[0])
        .encode(x=alt.value(4), y=alt.value(-8), text="text:N")
    )


def _learning_description(years: int, drop: int) -> str:
    """The accessible description of :func:`learning_explorable`."""
    return (
        f"Line chart over {years} model years: pressure (dotted grey) rises from 0.2 to 0.9 "
        f"over 20 years, holds, and drops to 0.3 in year {drop} (shaded after). The "
        "dynamic model's cooperation C (thick blue) and its economic and memory hurdles "
        "(orange, purple) respond; the static model's C (dashed vermillion) is the "
        "reference. Three sliders scale policy effectiveness δ, learning from cooperation "
        "λ and set the rebound rate ρ; a text line gives the years of entente and alliance "
        "and C at the end. More policy or learning lowers the hurdles and raises C; more "
        "rebound brings the hurdles back faster after the drop."
    )


def learning_explorable(
    grid: dict, *, effect: float = 1.0, learning: float = 1.0, rebound: float = 0.05
):
    """Sliders for policy effectiveness (x default delta), learning (x default lambda) and
    the rebound rate rho; the page filters the precomputed rows (no kernel needed)."""
    who = "learning_explorable"
    _check_grid(grid, who)
    p, years = grid["params"], int(grid["years"])
    sliders = _learning_sliders(grid["axes"], effect, learning, rebound)
    names = list(SERIES)
    enc = {
        "x": alt.X("t:Q", title="model year", scale=alt.Scale(domain=[0, years])),
        "y": alt.Y("value:Q", title="level (0–1)", scale=alt.Scale(domain=[0, 1])),
        "tooltip": _model_tooltip("t"),
        **_series_scales(names),
    }
    match = match_sliders(d="effect", l="learning", r="rebound")
    ref = _unpack_paths(grid["reference"], "true", {"S": names[0], "Cs": names[1]}).encode(**enc)
    dyn = _unpack_paths(grid["rows"], match, {"He": names[3], "Hm": names[4], "C": names[2]})
    readout = _learning_readout(grid["rows"], match, years)
    drop = int(np.argmax(np.diff(grid["scenario"].S) < 0)) + 1
    band = (
        alt.Chart(pd.DataFrame([{"x0": drop, "x1": years}]))
        .mark_rect(color=MUTED, opacity=0.08)
        .encode(x="x0:Q", x2="x1:Q")
    )
    chart = (
        alt.layer(band, _theta_layer(p, "value"), ref, dyn.encode(**enc), readout)
        .add_params(*sliders)
        .properties(width=WIDTH, height=280)
    )
    return finish(
        chart,
        title="Policy, learning and rebound: what keeps the hurdles down",
        description=_learning_description(years, drop),
        source=MODEL_SOURCE,
    )
