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

The equations and parameter values are the book's reconstruction, not the article's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from ._checks import require_columns
from ._coverage import coverage_years

# Shared slider plumbing of the model explorables (one implementation for the book).
from ._sliders import first_index, match_sliders, slider_grid, slider_param, threshold_rules
from .theme import MUTED, PALETTE, finish

__all__ = [
    "dynamic_scenarios",
    "dynamic_runs",
    "dynamic_paths",
    "phase_frame",
    "phase_portrait",
    "long_run_frame",
    "long_run_curve",
    "moving_threshold_frame",
    "moving_threshold_chart",
    "ramp_milestones",
    "rebound_numbers",
    "ramp_on_calendar",
    "pressure_vs_ramp",
    "cooperation_vs_model",
    "learning_scenario",
    "learning_grid",
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


def _dynamic(params: models.DynamicParams | None, who: str) -> models.DynamicParams:
    p = models.DynamicParams() if params is None else params
    if not isinstance(p, models.DynamicParams):
        raise TypeError(f"{who}: params must be DynamicParams, got {type(p).__name__}")
    return p


def _static(params: models.StaticParams | None, who: str) -> models.StaticParams:
    p = models.StaticParams() if params is None else params
    if not isinstance(p, models.StaticParams) or isinstance(p, models.DynamicParams):
        raise TypeError(f"{who}: static must be StaticParams, got {type(p).__name__}")
    return p


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


# ---------------------------------------------------------------------------------------
# Time paths under ramp, shock and pulse
# ---------------------------------------------------------------------------------------


def dynamic_scenarios(
    *,
    years: int = 40,
    low: float = 0.3,
    high: float = 0.9,
    ramp_from: float = 0.2,
    ramp_years: int = 30,
    at: int = 10,
    width: int = 15,
) -> dict[str, models.Scenario]:
    """Three pressure paths of equal length (``years``), built with :mod:`models.scenarios`.

    * ramp: ``ramp_from`` -> ``high`` over ``ramp_years`` years, then held at ``high``;
    * shock: ``low`` until year ``at``, ``high`` from then on;
    * pulse: ``high`` for ``width`` years from year ``at``, ``low`` before and after.
    """
    if not isinstance(ramp_years, int) or not 2 <= ramp_years <= years:
        raise ValueError(
            f"ramp_years must be an integer in [2, years={years}] (got {ramp_years!r})"
        )
    r = models.ramp(ramp_from, high, ramp_years)
    ramp = models.Scenario(
        np.r_[r.S, np.full(years - ramp_years, r.S[-1])],
        np.arange(years),
        f"ramp {ramp_from:g} → {high:g} over {ramp_years} years, then held",
    )
    shock = models.shock(low, high, years, at)
    pulse = models.pulse(low, high, years, at, width)
    if at + width >= years:
        raise ValueError(f"the pulse (at={at}, width={width}) must end before year {years}")
    return {
        "ramp": ramp,
        "shock": models.Scenario(shock.S, shock.years, f"shock: {low:g} → {high:g} in year {at}"),
        "pulse": models.Scenario(
            pulse.S, pulse.years, f"pulse: {high:g} for {width} years from year {at}, else {low:g}"
        ),
    }


def dynamic_runs(
    scenarios: Mapping[str, models.Scenario],
    dynamic: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
) -> pd.DataFrame:
    """Both models on each scenario: scenario, label, year (0..T), S (pressure during that
    year; empty in the final state), C_dynamic, C_static, H_e, H_m (dynamic model)."""
    who = "dynamic_runs"
    if not isinstance(scenarios, Mapping) or not scenarios:
        raise ValueError(f"{who}: scenarios must be a non-empty mapping name -> Scenario")
    dyn = _dynamic(dynamic, who)
    sta = _static(static, who)
    frames = []
    for name, sc in scenarios.items():
        if not isinstance(sc, models.Scenario):
            raise TypeError(f"{who}: scenario {name!r} is not a models.Scenario")
        d = models.simulate_dynamic(dyn, sc)
        s = models.simulate_static(sta, sc)
        frames.append(
            pd.DataFrame(
                {
                    "scenario": name,
                    "label": sc.label,
                    "year": np.arange(len(sc) + 1),
                    "S": np.append(sc.S, np.nan).round(4),
                    "C_dynamic": d.C.round(4),
                    "C_static": s.C.round(4),
                    "H_e": d.H_e.round(4),
                    "H_m": d.H_m.round(4),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


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


# ---------------------------------------------------------------------------------------
# Phase portrait
# ---------------------------------------------------------------------------------------


def _effective(params: models.StaticParams, H_e, H_m) -> np.ndarray:
    g = params.gamma_e + params.gamma_m
    if g <= 0:
        raise ValueError("phase_frame: gamma_e + gamma_m must be > 0 for an effective hurdle")
    return (params.gamma_e * np.asarray(H_e) + params.gamma_m * np.asarray(H_m)) / g


def phase_frame(
    params: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
    *,
    levels: Sequence[float] = (0.5, 0.7, 0.8, 0.9, 1.0),
    years: int = 60,
    starts: Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """Trajectories in the (effective hurdle, C) plane for constant pressures ``levels``.

    The effective hurdle is ``(gamma_e H_e + gamma_m H_m) / (gamma_e + gamma_m)``: what the
    filter sees (the plain mean of the two hurdles when the weights are equal). ``starts``
    maps a name to an initial (hurdle, C); both hurdles start at that value. Returns kind
    ('path', 'steady', 'static steady'), S, start, year, H, C.
    """
    who = "phase_frame"
    p = _dynamic(params, who)
    sta = _static(static, who)
    lv = np.asarray(levels, dtype=float)
    if lv.ndim != 1 or lv.size == 0 or not np.all((lv >= 0) & (lv <= 1)):
        raise ValueError(f"{who}: levels must be pressures in [0, 1] (got {levels!r})")
    if not isinstance(years, int) or years < 1:
        raise ValueError(f"{who}: years must be a positive integer (got {years!r})")
    starts = dict(starts or {"default start": (p.H_e0, p.C0), "high start": (0.1, 0.95)})
    rows = []
    S = np.repeat(lv[:, None], years, axis=1)
    for name, (h0, c0) in starts.items():
        if not (0 <= h0 <= 1 and 0 <= c0 <= 1):
            raise ValueError(f"{who}: start {name!r} must lie in [0, 1]² (got {(h0, c0)})")
        tr = models.simulate(p, S, C_init=c0, H_e_init=h0, H_m_init=h0)
        H = _effective(p, tr.H_e, tr.H_m)
        for i, s in enumerate(lv):
            rows.append(
                pd.DataFrame(
                    {
                        "kind": "path",
                        "S": float(s),
                        "start": name,
                        "year": np.arange(years + 1),
                        "H": H[i].round(4),
                        "C": tr.C[i].round(4),
                    }
                )
            )
    ss = models.steady_states(p, lv)
    He, Hm = models.steady_hurdles(p, lv, ss.low)
    rows.append(
        pd.DataFrame(
            {
                "kind": "steady",
                "S": lv,
                "start": "",
                "year": -1,
                "H": _effective(p, He, Hm).round(4),
                "C": ss.low.round(4),
            }
        )
    )
    st = models.steady_states(sta, lv)
    rows.append(
        pd.DataFrame(
            {
                "kind": "static steady",
                "S": lv,
                "start": "",
                "year": -1,
                "H": np.round(_effective(sta, sta.H_e0, sta.H_m0), 4),
                "C": st.low.round(4),
            }
        )
    )
    return pd.concat(rows, ignore_index=True)


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


# ---------------------------------------------------------------------------------------
# Long-run cooperation curve and the moving threshold
# ---------------------------------------------------------------------------------------


def long_run_frame(
    dynamic: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
    *,
    S: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Long-run (steady-state) cooperation for each constant S, both models.

    Columns: model, S, C (lowest stable state), C_high (highest), bistable.
    """
    who = "long_run_frame"
    grid = np.linspace(0.0, 1.0, 101) if S is None else np.asarray(S, dtype=float)
    if grid.ndim != 1 or grid.size < 2 or not np.all((grid >= 0) & (grid <= 1)):
        raise ValueError(f"{who}: S must be at least two pressures in [0, 1]")
    frames = []
    for name, p in (
        ("static model", _static(static, who)),
        ("dynamic model", _dynamic(dynamic, who)),
    ):
        ss = models.steady_states(p, grid)
        frames.append(
            pd.DataFrame(
                {
                    "model": name,
                    "S": grid.round(4),
                    "C": ss.low.round(4),
                    "C_high": ss.high.round(4),
                    "bistable": ss.bistable,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _long_run_thresholds(dynamic, static) -> pd.DataFrame:
    rows = []
    for name, p in (("static model", static), ("dynamic model", dynamic)):
        for level, theta in (("entente", p.theta_E), ("alliance", p.theta_A)):
            lr = float(models.long_run_threshold(p, theta))
            rows.append({"model": name, "level": level, "theta": theta, "S": lr})
    return pd.DataFrame(rows)


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


def moving_threshold_frame(
    params: models.DynamicParams | None = None,
    scenario: models.Scenario | None = None,
) -> pd.DataFrame:
    """The pressure needed *now* for entente and alliance, at each year's hurdles.

    Default scenario: ramp 0.2 -> 0.9 over 30 years, held for 20 more. Columns: year
    (0..T), S (pressure during that year; empty in the final state), C, alliance,
    entente (the static thresholds at the year's hurdles).
    """
    who = "moving_threshold_frame"
    p = _dynamic(params, who)
    if scenario is None:
        r = models.ramp(0.2, 0.9, 30)
        scenario = models.Scenario(np.r_[r.S, np.full(20, 0.9)], np.arange(50), "ramp, held")
    if not isinstance(scenario, models.Scenario):
        raise TypeError(f"{who}: scenario must be a models.Scenario")
    tr = models.simulate_dynamic(p, scenario)
    return pd.DataFrame(
        {
            "year": np.arange(len(scenario) + 1),
            "S": np.append(scenario.S, np.nan).round(4),
            "C": tr.C.round(4),
            "alliance": np.asarray(models.moving_threshold(p, tr, "alliance")).round(4),
            "entente": np.asarray(models.moving_threshold(p, tr, "entente")).round(4),
        }
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


# ---------------------------------------------------------------------------------------
# Numbers the chapter prints
# ---------------------------------------------------------------------------------------


def _year_text(y: int) -> str:
    return "never" if y < 0 else str(int(y))


def ramp_milestones(
    dynamic: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
    *,
    start: float = 0.2,
    end: float = 0.9,
    years: int = 30,
) -> pd.DataFrame:
    """On a linear ramp: the first model year with entente and alliance (C at the start of
    year t, after t years of pressure), C at the end, and the long-run thresholds."""
    who = "ramp_milestones"
    sc = models.ramp(start, end, years)
    rows = []
    for name, p, run in (
        ("static model", _static(static, who), models.simulate_static),
        ("dynamic model", _dynamic(dynamic, who), models.simulate_dynamic),
    ):
        tr = run(p, sc)
        lr_e = float(models.long_run_threshold(p, p.theta_E))
        lr_a = float(models.long_run_threshold(p, p.theta_A))
        rows.append(
            {
                "model": name,
                "entente reached in year": _year_text(int(tr.first_year("entente"))),
                "alliance reached in year": _year_text(int(tr.first_year("alliance"))),
                f"C after {years} years": round(float(tr.C[-1]), 3),
                "long-run S for entente": f"{lr_e:.2f}",
                "long-run S for alliance": f"{lr_a:.2f}"
                if np.isfinite(lr_a)
                else f"none ≤ 1 ({float(models.static_threshold(p.theta_A, p)):.2f})",
            }
        )
    return pd.DataFrame(rows).set_index("model")


def rebound_numbers(
    params: models.DynamicParams | None = None,
    *,
    high: float = 0.9,
    low: float = 0.3,
    high_years: int = 20,
    after: int = 30,
) -> pd.DataFrame:
    """C and the hurdles when pressure is ``high`` for ``high_years``, then ``low`` for
    ``after`` years: at the end of the high spell and at the end of the run."""
    p = _dynamic(params, "rebound_numbers")
    sc = models.shock(high, low, high_years + after, high_years)
    tr = models.simulate_dynamic(p, sc)
    out = pd.DataFrame(
        {
            "C": [tr.C[high_years], tr.C[-1]],
            "H_e": [tr.H_e[high_years], tr.H_e[-1]],
            "H_m": [tr.H_m[high_years], tr.H_m[-1]],
        },
        index=[
            f"after {high_years} years at S = {high:g}",
            f"then {after} years at S = {low:g}",
        ],
    )
    return out.round(2)


# ---------------------------------------------------------------------------------------
# Illustrations against data (not fits)
# ---------------------------------------------------------------------------------------


def ramp_on_calendar(
    first_year: int = 1996,
    last_year: int = 2025,
    *,
    start: float = 0.2,
    end: float = 0.9,
    dynamic: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
) -> pd.DataFrame:
    """The stylised ramp placed on calendar years, for illustration only.

    Pressure ramps linearly from ``start`` in ``first_year`` to ``end`` in ``last_year``;
    C is each model's value at the *end* of the year (after that year's pressure).
    Columns: year, S, C_dynamic, C_static. The calendar placement is a choice, not a fit.
    """
    who = "ramp_on_calendar"
    if not (isinstance(first_year, int) and isinstance(last_year, int)):
        raise TypeError(f"{who}: years must be integers")
    n = last_year - first_year + 1
    if n < 2:
        raise ValueError(f"{who}: last_year must come after first_year ({first_year}–{last_year})")
    sc = models.ramp(start, end, n, start_year=first_year)
    d = models.simulate_dynamic(_dynamic(dynamic, who), sc)
    s = models.simulate_static(_static(static, who), sc)
    return pd.DataFrame(
        {
            "year": sc.years.astype(int),
            "S": sc.S.round(4),
            "C_dynamic": d.C[1:].round(4),
            "C_static": s.C[1:].round(4),
        }
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
):
    """The coded pressure index (observed, chapter 3) beside the model's stylised ramp.

    Outside ``coverage`` (the years of the coded events) the index only shows the table's
    edge, so those years are shaded and the line is thin and dashed. Missing years stay gaps.
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
                "events": index["events"].astype(str) if "events" in index else "",
            }
        ),
        lo,
        hi,
        c_lo,
        c_hi,
    )
    p["series"] = "pressure index (coded events)"
    x = _x_years(lo, hi)
    y = alt.Y("S:Q", title="pressure S (0–1)", scale=alt.Scale(domain=[0, 1]))
    names = [
        "pressure index (coded events)",
        "model input: stylised ramp (placement arbitrary)",
    ]
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
    edges = edges[edges["year2"] > edges["year"]].assign(mid=lambda d: (d["year"] + d["year2"]) / 2)
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
            f"Line chart, {lo}–{hi}. The vermillion line is the pressure index coded from "
            f"dated US and Western actions; its events run {c_lo}–{c_hi} (outside, shaded, "
            "the line only shows the table's edge). It jumps in years with new actions and "
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
    obs_colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=names, range=[PALETTE[2], PALETTE[7]]),
        legend=alt.Legend(orient="bottom", direction="vertical"),
    )
    y = alt.Y("value:Q", title="level (0–1)", scale=alt.Scale(domain=[0, 1]))
    tip = [alt.Tooltip("series:N"), alt.Tooltip("year:Q"), alt.Tooltip("value:Q", format=".2f")]
    top = alt.layer(
        _theta_layer(p, "value"),
        alt.Chart(obs)
        .mark_line(interpolate="step-after")
        .encode(
            x=_x_years(lo, hi, labels=False), y=y, color=obs_colour, detail="run:N", tooltip=tip
        )
        .transform_filter("datum.kind == 'coded'"),
        alt.Chart(obs)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=_x_years(lo, hi, labels=False), y=y, color=obs_colour, detail="run:N", tooltip=tip
        )
        .transform_filter("datum.kind == 'agree'"),
    ).properties(width=WIDTH, height=150, title=alt.TitleParams("Observed proxies", fontSize=12.5))
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
    chart = alt.vconcat(top, bottom, spacing=14).resolve_scale(
        color="independent", strokeDash="independent"
    )
    a = agree.set_index("year")["value"]
    d_ent = ramp.loc[ramp["C_dynamic"] >= p.theta_E, "year"]
    return finish(
        chart,
        title="What the model is meant to capture: a slow rise without an alliance",
        description=(
            f"Two stacked line charts on one year axis, {lo}–{hi}. Top, observed: China–Russia "
            f"agreement in UN General Assembly votes (green), {a.index.min()}–{a.index.max()}, "
            f"from {a.iloc[0]:.2f} to about 0.8; and the book's step coding of military "
            f"milestones (black), from {coded['C'].iloc[0]:.2f} to {coded['C'].iloc[-1]:.2f}. "
            "Bottom: cooperation in the static and dynamic models on the stylised pressure "
            "ramp placed on the same years; the dynamic model passes the entente line "
            f"{'in ' + str(int(d_ent.iloc[0])) if len(d_ent) else 'never'} and the static "
            "model later. Dashed lines mark the entente (0.5) and alliance (0.85) levels. "
            "An illustration, not a fit."
        ),
        source=source,
    )


# ---------------------------------------------------------------------------------------
# Explorable: policy effectiveness, learning and rebound
# ---------------------------------------------------------------------------------------


def learning_scenario(
    *,
    start: float = 0.2,
    high: float = 0.9,
    low: float = 0.3,
    up: int = 20,
    hold: int = 10,
    after: int = 20,
) -> models.Scenario:
    """Pressure rises ``start`` -> ``high`` over ``up`` years, holds ``hold`` years, then
    drops to ``low`` for ``after`` years: every hurdle force gets its turn."""
    for name, v in (("up", up), ("hold", hold), ("after", after)):
        if not isinstance(v, int) or v < 1:
            raise ValueError(f"learning_scenario: {name} must be a positive integer (got {v!r})")
    r = models.ramp(start, high, up)
    S = np.r_[r.S, np.full(hold, r.S[-1]), np.full(after, models.constant(low, 1).S[0])]
    return models.Scenario(S, np.arange(len(S)), "rise, hold, drop")


def _pack(values) -> str:
    """A path as one comma-separated string (3 decimals): compact inline JSON, even indented."""
    out = []
    for v in np.asarray(values, dtype=float):
        text = f"{v:.3f}".rstrip("0").rstrip(".")
        out.append("0" if text in ("", "-0") else text)
    return ",".join(out)


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


def learning_grid(
    params: models.DynamicParams | None = None,
    scenario: models.Scenario | None = None,
    *,
    effect: Sequence[float] = tuple(np.arange(0.0, 3.0001, 0.5)),
    learning: Sequence[float] = tuple(np.arange(0.0, 4.0001, 1.0)),
    rebound: Sequence[float] = tuple(np.arange(0.0, 0.15001, 0.025)),
) -> dict:
    """Precompute the dynamic model over (policy effectiveness x learning x rebound).

    ``effect`` and ``learning`` multiply the default delta_e, delta_m and lambda_e,
    lambda_m; ``rebound`` sets rho_e = rho_m. Returns a dict: ``rows`` (one row per slider
    position: d, l, r, the paths C, He, Hm packed as strings, first years of entente and
    alliance e, a (-1: never) and C at the end), ``reference`` (pressure S and the static
    model's C), ``axes``, ``params``, ``years`` and the ``trajectory`` itself. Every
    combination is validated by the model (delta + lambda + rho <= 1 for each hurdle).
    """
    who = "learning_grid"
    p = _dynamic(params, who)
    sc = learning_scenario() if scenario is None else scenario
    if not isinstance(sc, models.Scenario):
        raise TypeError(f"{who}: scenario must be a models.Scenario")
    d_g, l_g, r_g = (
        slider_grid(effect, "effect"),
        slider_grid(learning, "learning"),
        slider_grid(rebound, "rebound"),
    )
    for name, g in (("effect", d_g), ("learning", l_g), ("rebound", r_g)):
        if g.min() < 0:
            raise ValueError(f"{who}: {name} values must be >= 0 (got {g.min():g})")
    D, L, R = d_g[:, None, None], l_g[None, :, None], r_g[None, None, :]
    grid = models.ParamGrid.sweep(
        p,
        delta_e=p.delta_e * D,
        delta_m=p.delta_m * D,
        lambda_e=p.lambda_e * L,
        lambda_m=p.lambda_m * L,
        rho_e=R,
        rho_m=R,
    )
    tr = models.simulate(grid, sc)  # (effect, learning, rebound, T + 1)
    rows = []
    for i, d in enumerate(d_g):
        for j, lam in enumerate(l_g):
            for k, r in enumerate(r_g):
                C = tr.C[i, j, k]
                rows.append(
                    {
                        "d": float(d),
                        "l": float(lam),
                        "r": float(r),
                        "C": _pack(C),
                        "He": _pack(tr.H_e[i, j, k]),
                        "Hm": _pack(tr.H_m[i, j, k]),
                        "e": first_index(C >= p.theta_E),
                        "a": first_index(C >= p.theta_A),
                        "end": round(float(C[-1]), 2),
                    }
                )
    sta = models.simulate_static(p, sc)
    reference = [{"S": _pack(np.append(sc.S, sc.S[-1])), "Cs": _pack(sta.C)}]
    return {
        "rows": rows,
        "reference": reference,
        "axes": {"effect": d_g, "learning": l_g, "rebound": r_g},
        "params": p,
        "years": len(sc),
        "scenario": sc,
        "trajectory": tr,
    }


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
