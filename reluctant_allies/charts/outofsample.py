"""Chapter 11, "Out of sample": charts of the frozen forecasts against 2019-2024.

* :func:`pressure_paths_chart` -- the coded pressure index to 2018 and the three stated
  assumptions for the hold-out years (no Western action is coded after 2018);
* :func:`forecast_chart` -- observed proxies against the four frozen models, one panel per
  proxy, with the calibration/hold-out boundary;
* :func:`holdout_error_chart` -- hold-out RMSE by proxy and model, with the spread over the
  S assumptions for the two models that read S.

The analysis itself lives in :mod:`reluctant_allies.analysis.evaluation`; these builders only draw.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from .._checks import require_columns
from ..analysis import evaluation as ev
from .theme import PALETTE, finish

__all__ = ["pressure_paths_chart", "forecast_chart", "holdout_error_chart"]

MODEL_COLOURS = {
    "static model": PALETTE[0],
    "dynamic model": PALETTE[1],
    "linear trend": PALETTE[2],
    "random walk": PALETTE[3],
}
MODEL_DASH = {
    "static model": [1, 0],
    "dynamic model": [1, 0],
    "linear trend": [6, 3],
    "random walk": [2, 2],
}
SCENARIO_COLOURS = {
    "observed": PALETTE[4],
    "held": PALETTE[1],
    "fading": PALETTE[0],
    "mean": PALETTE[2],
}
BOUNDARY = ev.CALIBRATION[1] + 0.5
#: Plausible range of each proxy in its own units: forecasts outside are clipped and noted.
PANEL_LIMITS = {"vciom_not_friendly": (0.0, 100.0)}
PANEL_W, PANEL_H = 185, 150
#: Hold-out errors are laid out to this many decimals (standardised units: a thousandth of
#: a proxy's calibration range, under a pixel, and far above what the fits can move).
RMSE_DECIMALS = 3


def _decimals(lo: float, hi: float) -> int:
    """Decimals that resolve a thousandth of the range ``lo``..``hi`` (a panel's y range)."""
    return max(0, 3 - math.floor(math.log10(hi - lo))) if hi > lo else 3


def _shown(values: pd.Series, decimals: int) -> pd.Series:
    """Values as the chart carries them: no digit the model fits cannot fix on every CPU.

    A spec holds numbers, not pixels, so unrounded fit output would make it differ from
    one machine to the next (models.fitting.TOLERANCE); tests/test_perturbation.py checks
    that the last digit kept is far above what a perturbation of the fits moves.
    """
    return values.round(decimals)


def _holdout_band(y0: float, y1: float, x: alt.X, label: bool = True):
    """Shaded hold-out years and a dashed rule at the boundary, on the chart's x scale."""
    band = pd.DataFrame({"x": [BOUNDARY], "x2": [ev.HOLDOUT[1] + 0.5], "y": [y0], "y2": [y1]})
    bx = x.copy()
    bx.shorthand = "x:Q"
    y = alt.Y("y:Q", scale=alt.Scale(domain=[y0, y1], nice=False, zero=False))
    layers = [
        alt.Chart(band).mark_rect(color="#eeeeee").encode(x=bx, x2="x2:Q", y=y, y2="y2:Q"),
        alt.Chart(band).mark_rule(color="#777777", strokeDash=[3, 2]).encode(x=bx),
    ]
    if label:
        layers.append(
            alt.Chart(band)
            .mark_text(align="left", baseline="bottom", dx=3, dy=-3, fontSize=10, color="#555555")
            .encode(x=bx, y="y:Q", text=alt.value("hold-out"))
        )
    return layers


# ---------------------------------------------------------------------------- figure 1


def _paths_frames(paths: pd.DataFrame, first_year: int, who: str):
    """The coded index rows, each hold-out path (joined to the last coded year) and all tails."""
    require_columns(paths, ("scenario", "year", "value", "window"), who, what="paths")
    unknown = sorted(set(paths["scenario"]) - set(ev.SCENARIOS))
    if unknown:
        raise ValueError(f"{who}: unknown scenario(s) {unknown}; known: {list(ev.SCENARIOS)}")
    p = paths.loc[paths["year"] >= first_year].copy()
    if p.empty:
        raise ValueError(f"{who}: no rows from {first_year}")
    if not p["value"].between(0, 1).all():
        raise ValueError(f"{who}: column 'value' must lie in [0, 1]")
    p["value"] = p["value"].round(4)
    coded = p.loc[(p["window"] == "coded") & (p["scenario"] == p["scenario"].iloc[0])]
    last = coded.loc[coded["year"] == coded["year"].max()]
    tails = []
    for name in [s for s in ev.SCENARIOS if s in set(p["scenario"])]:
        t = pd.concat([last, p.loc[(p["scenario"] == name) & (p["window"] != "coded")]])
        t = t.assign(scenario=name, label=f"{name}: {ev.SCENARIOS[name]}")
        tails.append(t)
    return coded, tails, pd.concat(tails, ignore_index=True)


def _paths_layers(coded: pd.DataFrame, tail: pd.DataFrame, x: alt.X):
    """The coded index (solid line) and the hold-out paths (dashed, one colour each)."""
    labels = list(dict.fromkeys(tail["label"]))
    base_line = (
        alt.Chart(coded)
        .mark_line(color=PALETTE[7], point=alt.OverlayMarkDef(size=16, color=PALETTE[7]))
        .encode(
            x=x,
            y=alt.Y("value:Q", title="pressure index S", scale=alt.Scale(domain=[0, 1])),
            tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("value:Q", format=".3f")],
        )
    )
    tails_chart = (
        alt.Chart(tail)
        .mark_line(strokeDash=[5, 3], point=alt.OverlayMarkDef(size=16))
        .encode(
            x=x,
            y="value:Q",
            color=alt.Color(
                "label:N",
                title="after 2018",
                scale=alt.Scale(
                    domain=labels,
                    range=[SCENARIO_COLOURS[s] for s in dict.fromkeys(tail["scenario"])],
                ),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            detail="scenario:N",
            tooltip=[
                alt.Tooltip("scenario:N", title="assumption"),
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("value:Q", format=".3f"),
            ],
        )
    )
    return base_line, tails_chart


def _paths_description(coded, tails, tail, first_year: int) -> str:
    """The accessible description of the pressure-paths chart."""
    ends = "; ".join(
        f"{ev.SCENARIOS[name]} (S = {float(t['value'].iloc[-1]):.2f} in {int(t['year'].iloc[-1])})"
        for name, t in zip(dict.fromkeys(tail["scenario"]), tails, strict=True)
    )
    return (
        f"Line chart of the pressure index S, {first_year}–{int(coded['year'].max())}, "
        f"which peaks at {float(coded['value'].max()):.2f} in "
        f"{int(coded.loc[coded['value'].idxmax(), 'year'])} within those years, followed by "
        f"{len(tails)} dashed path(s) for the hold-out years: {ends}."
    )


def pressure_paths_chart(
    paths: pd.DataFrame,
    *,
    source: str,
    first_year: int = 1996,
    title: str = "Pressure after 2018 has to be assumed",
):
    """The index to 2018 (solid) and each hold-out path (dashed, 2019-2023).

    A path's hold-out rows are those whose ``window`` is not "coded": "assumed" (a stated
    assumption) or "observed" (the pressure record, for the conditional forecast).
    """
    coded, tails, tail = _paths_frames(paths, first_year, "pressure_paths_chart")
    x = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=[first_year - 0.5, ev.HOLDOUT[1] + 0.5], nice=False),
        axis=alt.Axis(format="d", values=list(range(first_year, ev.HOLDOUT[1] + 1, 4))),
    )
    base_line, tails_chart = _paths_layers(coded, tail, x)
    chart = alt.layer(*_holdout_band(0, 1, x), base_line, tails_chart).properties(
        width=480, height=200
    )
    return finish(
        chart,
        title=title,
        description=_paths_description(coded, tails, tail, first_year),
        source=source,
    )


# ---------------------------------------------------------------------------- figure 2


def _forecast_proxies(forecasts: pd.DataFrame, who: str) -> list[str]:
    """The proxies a forecast frame holds, in :data:`evaluation.PROXIES` order."""
    have = set(forecasts["proxy"])
    unknown = sorted(have - set(ev.PROXIES))
    if unknown:
        raise ValueError(f"{who}: unknown proxy {unknown}")
    return [p for p in ev.PROXIES if p in have]


def _forecast_checks(forecasts, observed, producers, scenario: str, who: str) -> list[str]:
    """The proxies to draw, after checking the three frames and the scenario."""
    require_columns(
        forecasts, ("model", "scenario", "proxy", "year", "predicted_units"), who, what="forecasts"
    )
    proxies = _forecast_proxies(forecasts, who)
    require_columns(observed, ("year", *proxies), who, what="observed")
    require_columns(producers, ("year", "source"), who, what="producers")
    if scenario not in ev.SCENARIOS:
        raise ValueError(f"{who}: unknown scenario {scenario!r}; known: {list(ev.SCENARIOS)}")
    if scenario not in set(forecasts["scenario"]):
        raise ValueError(f"{who}: forecasts hold no run for scenario {scenario!r}")
    return proxies


def _panel_frames(forecasts, observed, producers, scenario, proxies):
    """The forecasts for ``scenario`` and the observed proxies in long form, with producers."""
    keep = forecasts["scenario"].isin([scenario, "none"])
    fc = forecasts.loc[keep, ["model", "proxy", "year", "predicted_units"]].copy()
    fc = fc.rename(columns={"predicted_units": "value"})
    obs = observed.melt(id_vars="year", value_vars=proxies, var_name="proxy").dropna()
    obs["window"] = np.where(obs["year"] > ev.CALIBRATION[1], "hold-out", "calibration")
    prod = producers.set_index("year")["source"]
    obs["producer"] = [
        prod.get(y, "") if p == "dependence_gap" else ""
        for y, p in zip(obs["year"], obs["proxy"], strict=True)
    ]
    return fc, obs


class _Panel(NamedTuple):
    """What one proxy's panel draws: forecasts, observations, off-scale rows, y range."""

    f: pd.DataFrame
    o: pd.DataFrame
    off: pd.DataFrame
    lo: float
    hi: float


def _panel_data(fc: pd.DataFrame, obs: pd.DataFrame, proxy: str) -> _Panel:
    """One proxy's rows, rounded to its panel's y range, forecasts off the panel split out."""
    f = fc.loc[fc["proxy"] == proxy].copy()
    o = obs.loc[obs["proxy"] == proxy].copy()
    lo_lim, hi_lim = PANEL_LIMITS.get(proxy, (-np.inf, np.inf))
    off = f.loc[(f["value"] < lo_lim) | (f["value"] > hi_lim)]
    vals = np.r_[o["value"], f.loc[~f.index.isin(off.index), "value"]]
    lo, hi = float(vals.min()), float(vals.max())
    pad = 0.08 * (hi - lo)
    lo, hi = max(lo - pad, lo_lim), min(hi + pad, hi_lim)
    digits = _decimals(lo, hi)
    lo, hi = math.floor(lo * 10**digits) / 10**digits, math.ceil(hi * 10**digits) / 10**digits
    f["value"] = _shown(f["value"], digits)
    o["value"] = _shown(o["value"], digits)
    # values off the panel are dropped and the line breaks there (no flat fake segment)
    inside = f["value"].between(lo, hi)
    f = f.loc[inside].sort_values(["model", "year"])
    f["segment"] = f["model"] + (f.groupby("model")["year"].diff().ne(1)).cumsum().astype(str)
    return _Panel(f, o, off, lo, hi)


def _forecast_marks(d: _Panel, x: alt.X, y: alt.Y):
    """The model lines and the observed dots of one panel."""
    models = list(ev.MODEL_ORDER)
    lines = (
        alt.Chart(d.f)
        .mark_line(strokeWidth=1.8)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "model:N",
                title=None,
                scale=alt.Scale(domain=models, range=[MODEL_COLOURS[m] for m in models]),
            ),
            strokeDash=alt.StrokeDash(
                "model:N",
                title=None,
                scale=alt.Scale(domain=models, range=[MODEL_DASH[m] for m in models]),
            ),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("model:N"),
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("value:Q", title="predicted", format=".3g"),
            ],
        )
    )
    dots = (
        alt.Chart(d.o)
        .mark_point(filled=True, size=22, color=PALETTE[7])
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("value:Q", title="observed", format=".3g"),
                alt.Tooltip("window:N"),
                alt.Tooltip("producer:N", title="trade data"),
            ],
        )
    )
    return lines, dots


def _forecast_panel(d: _Panel, proxy: str, x: alt.X):
    """One proxy's panel and its off-scale note (``None`` when nothing is clipped)."""
    spec = ev.PROXIES[proxy]
    y = alt.Y("value:Q", title=spec.unit, scale=alt.Scale(domain=[d.lo, d.hi], nice=False))
    lines, dots = _forecast_marks(d, x, y)
    layers = [*_holdout_band(d.lo, d.hi, x, label=False), lines, dots]
    note = None
    if len(d.off):
        models_off = sorted(set(d.off["model"]))
        text = f"{', '.join(models_off)} off scale in {len(d.off)} years"
        note = f"{spec.label}: {text}"
        layers.append(
            alt.Chart(pd.DataFrame({"x": [ev.CALIBRATION[0]], "y": [d.hi], "t": [text]}))
            .mark_text(align="left", baseline="top", dy=2, fontSize=10, color="#555555")
            .encode(x="x:Q", y="y:Q", text="t:N")
        )
    panel = alt.layer(*layers).properties(
        width=PANEL_W,
        height=PANEL_H,
        title=alt.TitleParams(f"{spec.label} ({spec.latent})", fontSize=12),
    )
    return panel, note


def _forecast_description(proxies, obs: pd.DataFrame, scenario: str, notes: list[str]) -> str:
    """The accessible description of the forecast chart."""
    h = obs.loc[obs["window"] == "hold-out"]
    return (
        f"{len(proxies)} small line charts, one per proxy ("
        + ", ".join(ev.PROXIES[p].label for p in proxies)
        + "), 1996–2024. Dots are "
        f"observations ({len(h)} in the shaded hold-out years 2019–2024); lines are the "
        "static model, dynamic model, linear trend and random walk fitted on 1996–2018 "
        f"with pressure {ev.SCENARIOS[scenario]}. " + ("; ".join(notes) + "." if notes else "")
    )


def forecast_chart(
    forecasts: pd.DataFrame,
    observed: pd.DataFrame,
    producers: pd.DataFrame,
    *,
    source: str,
    scenario: str = "held",
):
    """Observed proxies (dots) and the four frozen models (lines), one panel per proxy.

    Static and dynamic models are run with the S assumption ``scenario``. Values outside a
    proxy's possible range (:data:`PANEL_LIMITS`) are clipped and the panel says so.
    """
    proxies = _forecast_checks(forecasts, observed, producers, scenario, "forecast_chart")
    fc, obs = _panel_frames(forecasts, observed, producers, scenario, proxies)
    x = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=[ev.CALIBRATION[0] - 0.5, ev.HOLDOUT[1] + 0.5], nice=False),
        axis=alt.Axis(format="d", values=[2000, 2006, 2012, 2018, 2024]),
    )
    panels, notes = [], []
    for proxy in proxies:
        panel, note = _forecast_panel(_panel_data(fc, obs, proxy), proxy, x)
        panels.append(panel)
        if note is not None:
            notes.append(note)
    chart = (
        alt.vconcat(alt.hconcat(*panels[:2]), alt.hconcat(*panels[2:]))
        .resolve_scale(color="shared", strokeDash="shared", y="independent")
        .configure_legend(orient="bottom", direction="horizontal")
    )
    return finish(
        chart,
        title="Frozen at 2018: forecasts against what happened",
        description=_forecast_description(proxies, obs, scenario, notes),
        source=source,
    )


# ---------------------------------------------------------------------------- figure 3


def _error_frame(errors: pd.DataFrame, main: str, who: str):
    """The drawn error rows (rounded, with a proxy label) and the proxy labels in order."""
    require_columns(errors, ("model", "scenario", "proxy", "n", "RMSE"), who, what="errors")
    if main not in ev.SCENARIOS:
        raise ValueError(f"{who}: unknown scenario {main!r}")
    e = errors.loc[:, ["model", "scenario", "proxy", "n", "RMSE"]].copy()  # what is drawn
    e["RMSE"] = _shown(e["RMSE"], RMSE_DECIMALS)
    labels = {p: f"{s.label} ({s.latent})" for p, s in ev.PROXIES.items() if p in set(e["proxy"])}
    labels["all proxies"] = "all proxies pooled"
    e["proxy_label"] = e["proxy"].map(labels)
    if e["proxy_label"].isna().any():
        raise ValueError(
            f"{who}: unknown proxy {sorted(set(e.loc[e['proxy_label'].isna(), 'proxy']))}"
        )
    return e, list(labels.values())


def _error_layers(e: pd.DataFrame, pts: pd.DataFrame, order: list[str]):
    """Bars spanning the S assumptions and dots at the main run, per proxy and model."""
    models = list(ev.MODEL_ORDER)
    span = (
        e.loc[e["scenario"] != "none"]
        .groupby(["model", "proxy_label"], as_index=False)["RMSE"]
        .agg(lo="min", hi="max")
    )
    top = float(np.ceil(e["RMSE"].max() * 2) / 2)
    y = alt.Y("proxy_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=230))
    yoff = alt.YOffset("model:N", sort=models, scale=alt.Scale(domain=models))
    colour = alt.Color(
        "model:N",
        title=None,
        scale=alt.Scale(domain=models, range=[MODEL_COLOURS[m] for m in models]),
        legend=alt.Legend(orient="bottom", columns=2),
    )
    xs = alt.Scale(domain=[0, top], nice=False)
    bars = (
        alt.Chart(span)
        .mark_rule(strokeWidth=2, opacity=0.55)
        .encode(
            x=alt.X("lo:Q", scale=xs, title="hold-out RMSE (calibration range = 1)"),
            x2="hi:Q",
            y=y,
            yOffset=yoff,
            color=colour,
            tooltip=[
                alt.Tooltip("model:N"),
                alt.Tooltip("proxy_label:N", title="proxy"),
                alt.Tooltip("lo:Q", title="lowest over S assumptions", format=".3f"),
                alt.Tooltip("hi:Q", title="highest over S assumptions", format=".3f"),
            ],
        )
    )
    dots = (
        alt.Chart(pts)
        .mark_point(filled=True, size=45)
        .encode(
            x=alt.X("RMSE:Q", scale=xs),
            y=y,
            yOffset=yoff,
            color=colour,
            tooltip=[
                alt.Tooltip("model:N"),
                alt.Tooltip("proxy_label:N", title="proxy"),
                alt.Tooltip("n:Q", title="hold-out points"),
                alt.Tooltip("RMSE:Q", format=".3f"),
            ],
        )
    )
    return bars, dots


def _error_description(pooled: pd.Series, best: str, main: str) -> str:
    """The accessible description of the hold-out error chart."""
    return (
        "Dot chart of hold-out root-mean-square error, 2019–2024, for each proxy and all "
        "proxies pooled, by model; faint bars show the range over the pressure paths "
        f"for the static and dynamic models. Pooled, the {best} has the "
        f"lowest error ({pooled[best]:.3f}); the dynamic model the highest "
        f"({pooled['dynamic model']:.3f}, pressure {ev.SCENARIOS[main]})."
    )


def holdout_error_chart(errors: pd.DataFrame, *, source: str, main: str = "held"):
    """Hold-out RMSE per proxy (rows) and model (colour); a bar spans the S assumptions."""
    who = "holdout_error_chart"
    e, order = _error_frame(errors, main, who)
    pts = e.loc[e["scenario"].isin([main, "none"])]
    bars, dots = _error_layers(e, pts, order)
    chart = alt.layer(bars, dots).properties(width=300, height=300)
    pooled = pts.loc[pts["proxy"] == "all proxies"].set_index("model")["RMSE"]
    if pooled.empty:
        raise ValueError(f"{who}: errors hold no 'all proxies' rows")
    best = pooled.idxmin()
    return finish(
        chart,
        title=(
            "Out of sample, a baseline forecasts best"
            if best in ("linear trend", "random walk")
            else f"Out of sample, the {best} forecasts best"
        ),
        description=_error_description(pooled, best, main),
        source=source,
    )
