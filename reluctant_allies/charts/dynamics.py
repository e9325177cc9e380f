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

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns
from ..analysis._coverage import coverage_years
from ..analysis.dynamics import _dynamic, _long_run_thresholds, _static

# Shared slider plumbing of the model explorables (one implementation for the book).
from ._sliders import match_sliders, slider_param, threshold_rules
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


def dynamic_paths(runs: pd.DataFrame, params: models.StaticParams | None = None):
    """One panel per scenario: pressure, static and dynamic C, and the two hurdles."""
    who = "dynamic_paths"
    require_columns(runs, ("scenario", "label", "year", *RUN_COLUMNS), who)
    if runs.empty:
        raise ValueError(f"{who}: no rows")
    p = params or models.DynamicParams()
    long = runs.melt(
        id_vars=["scenario", "label", "year"],
        value_vars=list(RUN_COLUMNS),
        var_name="var",
        value_name="value",
    ).dropna(subset=["value"])
    long["series"] = long["var"].map(RUN_COLUMNS)
    last = int(runs["year"].max())
    enc = _series_scales(list(RUN_COLUMNS.values()))
    panels = []
    order = list(dict.fromkeys(runs["scenario"]))
    for i, name in enumerate(order):
        df = long[long["scenario"] == name]
        label = str(df["label"].iloc[0])
        x = alt.X(
            "year:Q",
            title="model year" if i == len(order) - 1 else None,
            scale=alt.Scale(domain=[0, last], nice=False),
            axis=alt.Axis(labels=i == len(order) - 1, tickMinStep=5),
        )
        lines = (
            alt.Chart(df.drop(columns=["label", "var"]))
            .mark_line()
            .encode(
                x=x,
                y=alt.Y("value:Q", title="level (0–1)", scale=alt.Scale(domain=[0, 1])),
                tooltip=[
                    alt.Tooltip("series:N"),
                    alt.Tooltip("year:Q", title="model year"),
                    alt.Tooltip("value:Q", format=".3f"),
                ],
                **enc,
            )
        )
        panels.append(
            alt.layer(_theta_layer(p, "value"), lines).properties(
                width=WIDTH, height=125, title=alt.TitleParams(label, fontSize=12.5)
            )
        )
    ramp = runs[runs["scenario"] == order[0]]
    chart = alt.vconcat(*panels, spacing=10)
    return finish(
        chart,
        title="Three pressure paths, two models",
        description=(
            f"{len(order)} stacked line charts over {last} model years, one per pressure path "
            f"({', '.join(order)}). Each shows pressure S (dotted grey), cooperation C in the "
            "static model (dashed vermillion) and in the dynamic model (thick blue), and the "
            "dynamic model's economic and memory hurdles (orange, purple), with dashed lines "
            "at the entente (0.5) and alliance (0.85) thresholds. On the ramp the dynamic "
            f"model ends at C = {ramp['C_dynamic'].iloc[-1]:.2f} and the static at "
            f"{ramp['C_static'].iloc[-1]:.2f}; after a pulse the hurdles grow back and "
            "cooperation falls."
        ),
        source=MODEL_SOURCE,
    )


def phase_portrait(frame: pd.DataFrame, params: models.StaticParams | None = None):
    """Trajectories (C against the effective hurdle) for several constant pressures."""
    who = "phase_portrait"
    require_columns(frame, ("kind", "S", "start", "year", "H", "C"), who)
    paths = frame[frame["kind"] == "path"].copy()
    steady = frame[frame["kind"] == "steady"].copy()
    static = frame[frame["kind"] == "static steady"].copy()
    if paths.empty or steady.empty:
        raise ValueError(f"{who}: need 'path' and 'steady' rows (see phase_frame)")
    p = params or models.DynamicParams()
    levels = sorted(paths["S"].unique())
    paths["pressure"] = paths["S"].map(lambda s: f"S = {s:g}")
    steady["pressure"] = steady["S"].map(lambda s: f"S = {s:g}")
    names = [f"S = {s:g}" for s in levels]
    blues = ["#9ecae1", "#56B4E9", "#0072B2", "#08519c", "#08306b", "#000000"]
    colour = alt.Color(
        "pressure:N",
        title="constant pressure",
        scale=alt.Scale(domain=names, range=blues[-len(names) :] if len(names) <= 6 else None),
        legend=alt.Legend(orient="bottom", direction="horizontal"),
    )
    starts = list(dict.fromkeys(paths["start"]))
    x = alt.X(
        "H:Q",
        title="effective hurdle (weighted mean of H_e and H_m)",
        scale=alt.Scale(domain=[0, 0.7], nice=False),
    )
    y = alt.Y("C:Q", title="cooperation C", scale=alt.Scale(domain=[0, 1]))
    tip = [
        alt.Tooltip("pressure:N"),
        alt.Tooltip("start:N"),
        alt.Tooltip("year:Q", title="model year"),
        alt.Tooltip("H:Q", title="effective hurdle", format=".3f"),
        alt.Tooltip("C:Q", format=".3f"),
    ]
    lines = (
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
    rest = (
        alt.Chart(steady)
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
    if not static.empty:
        static["pressure"] = static["S"].map(lambda s: f"S = {s:g}")
        layers.append(
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
        layers.append(
            alt.Chart(pd.DataFrame([mid]))
            .mark_text(angle=270, dy=16, fontSize=11, color=PALETTE[1])
            .encode(x=x, y=y, text=alt.value("static model: hurdles fixed"))
        )
    chart = alt.layer(*layers).properties(width=WIDTH, height=300)
    hi = steady.sort_values("S").iloc[-1]
    return finish(
        chart,
        title="Phase portrait: cooperation rises as the hurdles fall",
        description=(
            "Line chart of cooperation C (vertical) against the effective hurdle (horizontal) "
            f"for constant pressures {', '.join(names)}. Solid paths start from the default "
            "(hurdles 0.6, C 0.1) and move up and to the left as hurdles erode; dashed paths "
            "start from low hurdles and high cooperation. Both reach the same long-run point "
            f"for each pressure (open circles), e.g. C = {hi['C']:.2f} at hurdle "
            f"{hi['H']:.2f} for {names[-1]}. Vermillion crosses mark the static model's "
            "long-run points, stacked on the fixed hurdle 0.6. Dashed lines mark the entente "
            "and alliance thresholds."
        ),
        source=MODEL_SOURCE,
    )


def long_run_curve(
    frame: pd.DataFrame,
    dynamic: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
):
    """C*(S) for the static and dynamic model, with the long-run thresholds marked."""
    who = "long_run_curve"
    require_columns(frame, ("model", "S", "C", "C_high", "bistable"), who)
    if set(frame["model"]) != {"static model", "dynamic model"}:
        raise ValueError(f"{who}: need rows for 'static model' and 'dynamic model'")
    dyn = _dynamic(dynamic, who)
    sta = _static(static, who)
    thr = _long_run_thresholds(dyn, sta)
    reach = thr[np.isfinite(thr["S"])].copy()
    reach["label"] = reach["S"].map(lambda s: f"{s:.2f}")
    names = ["static model C", "dynamic model C"]
    df = frame.assign(
        series=frame["model"].map({"static model": names[0], "dynamic model": names[1]})
    )
    enc = _series_scales(names)
    x = alt.X("S:Q", title="constant systemic pressure S", scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("C:Q", title="long-run cooperation C*", scale=alt.Scale(domain=[0, 1]))
    lines = (
        alt.Chart(df[["series", "S", "C"]])
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
    reach["series"] = reach["model"].map({"static model": names[0], "dynamic model": names[1]})
    reach["C"] = reach["theta"]
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
    s_a_static = float(models.static_threshold(sta.theta_A, sta))
    note = pd.DataFrame(
        [
            {
                "S": 0.02,
                "C": 0.97,
                "text": f"static model: alliance needs S = {s_a_static:.2f}, beyond the scale",
            }
        ]
    )
    note_layer = (
        alt.Chart(note)
        .mark_text(align="left", fontSize=11, color=PALETTE[1])
        .encode(x=x, y=y, text="text:N")
    )
    chart = alt.layer(_theta_layer(dyn, "C"), lines, dots, labels, note_layer).properties(
        width=WIDTH, height=280
    )
    t = thr.set_index(["model", "level"])["S"]
    return finish(
        chart,
        title="Long-run cooperation: the dynamic model reaches the alliance threshold",
        description=(
            "Line chart of long-run cooperation C* against constant pressure S from 0 to 1 "
            "for the static model (dashed vermillion) and the dynamic model (thick blue). "
            "The dynamic curve lies above the static one at every pressure above about 0.3. "
            f"Dots mark where each crosses the entente line 0.5 (static S = "
            f"{t['static model', 'entente']:.2f}, dynamic S = "
            f"{t['dynamic model', 'entente']:.2f}) and the alliance line 0.85 (dynamic S = "
            f"{t['dynamic model', 'alliance']:.2f}); the static curve never reaches 0.85, "
            f"its alliance threshold being S = {s_a_static:.2f}."
        ),
        source=MODEL_SOURCE,
    )


def moving_threshold_chart(frame: pd.DataFrame, params: models.DynamicParams | None = None):
    """Pressure on the path against the pressure an alliance (or entente) would need now."""
    who = "moving_threshold_chart"
    require_columns(frame, ("year", "S", "C", "alliance", "entente"), who)
    if frame.empty:
        raise ValueError(f"{who}: no rows")
    p = _dynamic(params, who)
    names = {
        "S": "pressure on the path S",
        "alliance": "S an alliance needs at this year's hurdles",
        "entente": "S an entente needs at this year's hurdles",
    }
    colours = [MUTED, PALETTE[0], PALETTE[2]]
    dashes = [[2, 2], [1, 0], [6, 3]]
    long = frame.melt(
        id_vars="year", value_vars=list(names), var_name="var", value_name="value"
    ).dropna(subset=["value"])
    long["series"] = long["var"].map(names)
    last = int(frame["year"].max())
    x = alt.X("year:Q", title="model year", scale=alt.Scale(domain=[0, last], nice=False))
    y_scale = alt.Scale(domain=[0, 1.1], nice=False)
    y = alt.Y("value:Q", title="systemic pressure S", scale=y_scale)
    legend = alt.Legend(title=None, orient="bottom", direction="vertical")
    dom = list(names.values())
    lines = (
        alt.Chart(long[["year", "series", "value"]])
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color("series:N", scale=alt.Scale(domain=dom, range=colours), legend=legend),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=dom, range=dashes), legend=legend
            ),
            tooltip=[
                alt.Tooltip("series:N"),
                alt.Tooltip("year:Q", title="model year"),
                alt.Tooltip("value:Q", format=".3f"),
            ],
        )
    )
    lr = float(models.long_run_threshold(p))
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
    hit = frame.index[frame["C"] >= p.theta_A]
    layers = [ref_rules, ref_text, lines]
    if len(hit):
        first = int(frame.loc[hit[0], "year"])
        mark = pd.DataFrame(
            [{"year": first, "text": f"C reaches θ_A = {p.theta_A:g} (year {first})"}]
        )
        layers.append(
            alt.Chart(mark).mark_rule(color=PALETTE[0], strokeDash=[4, 2]).encode(x="year:Q")
        )
        layers.append(
            alt.Chart(mark)
            .mark_text(align="right", dx=-4, fontSize=11, color=PALETTE[0])
            .encode(x="year:Q", y=alt.value(250), text="text:N")
        )
    chart = alt.layer(*layers).properties(width=WIDTH, height=270)
    a = frame["alliance"]
    return finish(
        chart,
        title="The moving threshold: how much pressure an alliance needs",
        description=(
            f"Line chart over {last} model years. The grey dotted line is the pressure on the "
            "path (a ramp from 0.2 to 0.9, then held). The blue line is the pressure an "
            "alliance would need at that year's hurdles: it starts at "
            f"{a.iloc[0]:.2f}, above the top of the scale, and falls to {a.iloc[-1]:.2f} as "
            f"the hurdles erode, toward the long-run threshold {lr:.2f}. The green dashed line "
            "is the same for an entente. Where the grey line rises above a threshold line, "
            "that level of cooperation becomes reachable."
        ),
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
    p = coverage_years(
        pd.DataFrame(
            {
                "year": index["year"].astype(int),
                "S": vals.round(4),
                "events": (
                    index["events"].astype(str)
                    if "events" in index
                    else index["acts"].astype(str)
                    if "acts" in index
                    else ""
                ),
            }
        ),
        lo,
        hi,
        c_lo,
        c_hi,
    )
    p["series"] = label
    x = _x_years(lo, hi)
    y = alt.Y("S:Q", title="pressure S (0–1)", scale=alt.Scale(domain=[0, 1]))
    names = [label, "model input: stylised ramp (placement arbitrary)"]
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=names, range=[PALETTE[1], MUTED]),
        legend=alt.Legend(orient="bottom", direction="horizontal"),
    )
    edges = pd.DataFrame(
        [
            {"year": lo - 0.6, "year2": c_lo - 0.5},
            {"year": c_hi + 0.5, "year2": hi + 0.6},
        ]
    )
    # an edge is drawn only if it holds at least one year outside the coverage
    edges = edges[[c_lo > lo, c_hi < hi]].assign(mid=lambda d: (d["year"] + d["year2"]) / 2)
    layers = []
    if len(edges):
        layers.append(alt.Chart(edges).mark_rect(color="#eeeeee").encode(x=x, x2="year2:Q"))
        layers.append(
            alt.Chart(edges.assign(year=edges["mid"]))
            .mark_text(fontSize=10, color=MUTED, baseline="top", dy=4, lineBreak="\n")
            .encode(x=x, y=alt.value(0), text=alt.value("no coded\nevents"))
        )
    tip = [alt.Tooltip("series:N"), alt.Tooltip("year:Q"), alt.Tooltip("S:Q", format=".2f")]
    base = alt.Chart(p).encode(
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
    chart = alt.layer(*layers).properties(width=WIDTH, height=220)
    inside = p[p["inside"]]
    peak = inside.loc[inside["S"].idxmax()]
    return finish(
        chart,
        title="What the model is fed: a smooth ramp; what was coded: jolts that fade",
        description=(
            f"Line chart, {lo}–{hi}. The vermillion line is the {label}, coded from "
            f"dated US and Western actions; its actions run {c_lo}–{c_hi} (outside, shaded, "
            "the line only shows the record's edge). It jumps in years with new actions and "
            f"fades between them, peaking at {peak['S']:.2f} in {int(peak['year'])}. The grey "
            f"dashed line is the model's stylised input, a straight ramp from "
            f"{ramp['S'].iloc[0]:.1f} in {int(ramp['year'].iloc[0])} to "
            f"{ramp['S'].iloc[-1]:.1f} in {int(ramp['year'].iloc[-1])}. An illustration, not a fit."
        ),
        source=source,
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
    p = params or models.DynamicParams()
    names = [
        "UN vote agreement, China–Russia (Voeten)",
        "milestone coding (chapter 4, the book's)",
    ]
    obs = pd.concat(
        [
            pd.DataFrame(
                {
                    "year": agree["year"].astype(int),
                    "value": agree["value"].round(3),
                    "series": names[0],
                    "kind": "agree",
                }
            ),
            pd.DataFrame(
                {
                    "year": coded["year"].astype(int),
                    "value": coded["C"].round(3),
                    "series": names[1],
                    "kind": "coded",
                }
            ),
        ],
        ignore_index=True,
    )
    # a gap stays a gap: each series is cut into runs of consecutive years
    obs = obs.sort_values(["series", "year"])
    obs["run"] = obs.groupby("series")["year"].transform(lambda s: (s.diff() != 1).cumsum())
    lo = int(min(obs["year"].min(), ramp["year"].min()))
    hi = int(max(obs["year"].max(), ramp["year"].max()))
    # W9: the proxies are not on the model's C scale, so each gets its own panel and axis
    # and no entente or alliance line is drawn over them.
    tip = [alt.Tooltip("series:N"), alt.Tooltip("year:Q"), alt.Tooltip("value:Q", format=".2f")]
    panels = []
    for kind, name, colour, ytitle, mark in (
        ("agree", names[0], PALETTE[2], "share of votes alike", "line"),
        ("coded", names[1], PALETTE[7], "milestone rung", "step"),
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
    y = alt.Y("value:Q", title="model C (0–1)", scale=alt.Scale(domain=[0, 1]))
    model_names = ["static model C", "dynamic model C"]
    mod = ramp.melt(id_vars="year", value_vars=["C_static", "C_dynamic"], var_name="var")
    mod["series"] = mod["var"].map({"C_static": model_names[0], "C_dynamic": model_names[1]})
    bottom = alt.layer(
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
    chart = alt.vconcat(*panels, bottom, spacing=14).resolve_scale(
        color="independent", strokeDash="independent", y="independent"
    )
    a = agree.set_index("year")["value"].sort_index()
    d_ent = ramp.loc[ramp["C_dynamic"] >= p.theta_E, "year"]
    return finish(
        chart,
        title="What the model is meant to capture: a slow rise without an alliance",
        description=(
            f"Three stacked line charts on one year axis, {lo}–{hi}. Top, observed, each on "
            "its own axis and without thresholds, because neither is on the model's scale: "
            f"China–Russia agreement in UN General Assembly votes (green), "
            f"{a.index.min()}–{a.index.max()}, from {a.iloc[0]:.2f} to {a.iloc[-1]:.2f}; and "
            "the book's step coding of military milestones (black), from "
            f"{coded['C'].iloc[0]:.2f} to {coded['C'].iloc[-1]:.2f}. Bottom: cooperation in "
            "the static and dynamic models on the stylised pressure ramp placed on the same "
            "years; the dynamic model passes the entente line "
            f"{'in ' + str(int(d_ent.iloc[0])) if len(d_ent) else 'never'} and the static "
            f"model later. Dashed lines mark the model's entente ({p.theta_E:g}) and alliance "
            f"({p.theta_A:g}) levels. An illustration, not a fit."
        ),
        source=source,
    )


def _unpack_paths(values: list, match: str, labels: Mapping[str, str]) -> alt.Chart:
    """Lines over model years from rows whose ``labels`` fields are packed strings: filter
    by the sliders, split each string into numbers, number the years, fold them long."""
    fields = list(labels)
    first = fields[0]
    split = {f"{f}_v": f"split(datum.{f}, ',')" for f in fields}
    series = " : ".join(f"datum.which == '{f}_v' ? '{v}'" for f, v in labels.items())
    return (
        alt.Chart(alt.Data(values=values))
        .transform_filter(match)
        .transform_calculate(**split, t=f"sequence(0, length(split(datum.{first}, ',')))")
        .transform_flatten(["t", *split])
        .transform_fold(list(split), as_=["which", "text"])
        .transform_calculate(value="toNumber(datum.text)", series=f"{series} : ''")
        .mark_line()
    )


def learning_explorable(
    grid: dict, *, effect: float = 1.0, learning: float = 1.0, rebound: float = 0.05
):
    """Sliders for policy effectiveness (x default delta), learning (x default lambda) and
    the rebound rate rho; the page filters the precomputed rows (no kernel needed)."""
    who = "learning_explorable"
    for key in ("rows", "reference", "axes", "params", "years", "scenario"):
        if not isinstance(grid, dict) or key not in grid:
            raise ValueError(f"{who}: grid lacks {key!r} (build it with learning_grid)")
    ax, p, years = grid["axes"], grid["params"], int(grid["years"])
    d_p = slider_param("effect", "policy effectiveness (× default δ)", ax["effect"], effect)
    l_p = slider_param(
        "learning", "learning from cooperation (× default λ)", ax["learning"], learning
    )
    r_p = slider_param("rebound", "rebound rate ρ", ax["rebound"], rebound)
    names = list(SERIES)
    enc_scales = _series_scales(names)
    enc = {
        "x": alt.X("t:Q", title="model year", scale=alt.Scale(domain=[0, years])),
        "y": alt.Y("value:Q", title="level (0–1)", scale=alt.Scale(domain=[0, 1])),
        "tooltip": [
            alt.Tooltip("series:N"),
            alt.Tooltip("t:Q", title="model year"),
            alt.Tooltip("value:Q", format=".3f"),
        ],
        **enc_scales,
    }
    match = match_sliders(d="effect", l="learning", r="rebound")
    ref = _unpack_paths(grid["reference"], "true", {"S": names[0], "Cs": names[1]}).encode(**enc)
    dyn = _unpack_paths(grid["rows"], match, {"He": names[3], "Hm": names[4], "C": names[2]})
    readout_rows = [{k: row[k] for k in ("d", "l", "r", "e", "a", "end")} for row in grid["rows"]]
    readout = (
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
    drop = int(np.argmax(np.diff(grid["scenario"].S) < 0)) + 1
    band = (
        alt.Chart(pd.DataFrame([{"x0": drop, "x1": years}]))
        .mark_rect(color=MUTED, opacity=0.08)
        .encode(x="x0:Q", x2="x1:Q")
    )
    chart = (
        alt.layer(band, _theta_layer(p, "value"), ref, dyn.encode(**enc), readout)
        .add_params(d_p, l_p, r_p)
        .properties(width=WIDTH, height=280)
    )
    return finish(
        chart,
        title="Policy, learning and rebound: what keeps the hurdles down",
        description=(
            f"Line chart over {years} model years: pressure (dotted grey) rises from 0.2 to 0.9 "
            f"over 20 years, holds, and drops to 0.3 in year {drop} (shaded after). The "
            "dynamic model's cooperation C (thick blue) and its economic and memory hurdles "
            "(orange, purple) respond; the static model's C (dashed vermillion) is the "
            "reference. Three sliders scale policy effectiveness δ, learning from cooperation "
            "λ and set the rebound rate ρ; a text line gives the years of entente and alliance "
            "and C at the end. More policy or learning lowers the hurdles and raises C; more "
            "rebound brings the hurdles back faster after the drop."
        ),
        source=MODEL_SOURCE,
    )
