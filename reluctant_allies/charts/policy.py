"""Chapter 7, "Policy as a lever": the policies aimed at the hurdles, set against pressure.

Three kinds of builder:

* data views -- :func:`themed_years_gantt` (the themed-years programme as a Gantt chart)
  and :func:`policy_years` / :func:`policy_vs_pressure` (a yearly count of hurdle
  policies beside a yearly pressure measure);
* a model comparison -- :func:`policy_effort_runs` / :func:`policy_effort_chart`:
  the dynamic model with no policy, with *constant* policy effort and with
  *pressure-driven* effort;
* a kernel-free explorable -- :func:`policy_effort_grid` / :func:`policy_effort_explorable`
  (sliders for policy effectiveness and the pressure level s0 at which effort starts).

The coding here (which event targets which hurdle, how effort is matched) is the
book's reconstruction, not the article's; the chapter says so in its boxes."""

from __future__ import annotations

from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from .. import pressure as pressure_mod
from .._checks import require_columns
from ..analysis._coverage import coverage_years
from ..analysis.policy import _check_themed, _closest
from ._sliders import SLIDER_TOL, match_sliders
from .system import INDEX_COLOURS
from .theme import PALETTE, finish

__all__ = [
    "themed_years_gantt",
    "policy_vs_pressure",
    "policy_effort_chart",
    "policy_effort_explorable",
]


HURDLE_COLOURS = {"memory hurdle": PALETTE[4], "economic hurdle": PALETTE[0]}


RUN_COLOURS = {
    "no policy": "#777777",
    "constant effort": PALETTE[2],
    "pressure-driven effort": PALETTE[1],
}


VARIABLES = {
    "H_m": "memory hurdle H_m",
    "H_e": "economic hurdle H_e",
    "C": "cooperation C",
}


def _gantt_frame(df: pd.DataFrame) -> pd.DataFrame:
    """One row per checked, sorted theme: label, ISO start/end/opened dates and tooltip text."""
    out = pd.DataFrame(
        {
            "theme": df["theme"].astype(str),
            "start": pd.to_datetime(df["first_year"].astype(int).astype(str) + "-01-01"),
            "end": pd.to_datetime((df["last_year"].astype(int) + 1).astype(str) + "-01-01"),
            "years": [
                f"{a}" if a == b else f"{a}–{b}"
                for a, b in zip(df["first_year"], df["last_year"], strict=True)
            ],
            "confidence": df["confidence"].astype(str),
            "source_url": df["source_url"].astype(str),
        }
    )
    out["label"] = np.where(
        out["confidence"] == "weak", out["theme"] + " (weak source)", out["theme"]
    )
    opened = df["opened"] if "opened" in df.columns else pd.Series([pd.NaT] * len(df))
    out["opened"] = pd.to_datetime(opened).reset_index(drop=True)
    out["opened_text"] = out["opened"].dt.strftime("%d %b %Y").fillna("not given")
    for col in ("start", "end", "opened"):
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out


def _gantt_layers(out: pd.DataFrame) -> alt.LayerChart:
    """The theme bars (hollow and dashed when weak) with the opening-ceremony ticks."""
    y = alt.Y(
        "label:N",
        sort=list(out["label"]),
        title=None,
        axis=alt.Axis(labelLimit=300, domain=False, ticks=False, labelFontSize=12),
    )
    x = alt.X(
        "start:T",
        title=None,
        scale=alt.Scale(domain=["2005-01-01", "2026-07-01"]),
        axis=alt.Axis(format="%Y", tickCount=alt.TickCount(interval="year", step=2)),
    )
    tooltip = [
        alt.Tooltip("theme:N", title="theme"),
        alt.Tooltip("years:N", title="years"),
        alt.Tooltip("opened_text:N", title="opened"),
        alt.Tooltip("confidence:N", title="confidence"),
        alt.Tooltip("source_url:N", title="source"),
    ]
    conf_scale = alt.Scale(domain=["sourced", "weak"], range=[PALETTE[4], "white"])
    base = alt.Chart(out).encode(y=y)
    bars = base.mark_bar(height=16, strokeWidth=1.5, stroke=PALETTE[4]).encode(
        x=x,
        x2="end:T",
        fill=alt.Fill(
            "confidence:N",
            scale=conf_scale,
            legend=alt.Legend(
                title="source confidence",
                symbolStrokeColor=PALETTE[4],
                labelExpr="datum.label == 'weak' ? 'weak (low-quality page; re-check)' : 'sourced'",
            ),
        ),
        strokeDash=alt.condition(
            alt.datum.confidence == "weak", alt.value([4, 3]), alt.value([1, 0])
        ),
        tooltip=tooltip,
    )
    ticks = (
        base.transform_filter("isValid(datum.opened)")
        .mark_tick(color="#000000", thickness=2.5, size=22)
        .encode(x=alt.X("opened:T"), tooltip=tooltip)
    )
    return alt.layer(bars, ticks).properties(width=320, height=alt.Step(30))


def themed_years_gantt(themed: pd.DataFrame, *, source: str, include_weak: bool = True):
    """The themed-years programme as a Gantt chart: one bar per theme, first to last year.

    Rows with confidence 'sourced' are solid bars; 'weak' rows (a low-quality page only)
    are drawn hollow with a dashed outline and say so in their label, or are left out
    with ``include_weak=False``. A black tick marks the opening ceremony where the
    source gives its date (it can fall before the first year).
    """
    who = "themed_years_gantt"
    df = _check_themed(themed, who)
    if not include_weak:
        df = df[df["confidence"] == "sourced"]
    if df.empty:
        raise ValueError(f"{who}: no rows to draw")
    df = df.sort_values(["first_year", "id"], kind="stable").reset_index(drop=True)
    out = _gantt_frame(df)
    chart = _gantt_layers(out)
    n_weak = int((out["confidence"] == "weak").sum())
    first, last = int(df["first_year"].min()), int(df["last_year"].max())
    return finish(
        chart,
        title="The themed-years programme, 2006–2025",
        description=(
            f"Gantt chart of {len(out)} China–Russia themed years from {first} to {last}, one "
            f"bar per theme from its first to its last year; {n_weak} bar(s) resting on a "
            "low-quality source are drawn hollow with a dashed outline. Black ticks mark "
            "opening ceremonies. Hover over a bar for its dates and source."
        ),
        source=source,
    )


def _pressure_groups(
    pressure: pd.DataFrame, value: str, pressure_title: str, who: str
) -> list[tuple[str, pd.DataFrame]]:
    """(label, frame) per pressure line; raises on a repeated year or a non-finite value."""
    if "index" in pressure.columns:
        # a long frame of the pressure record's indices: one line per index
        groups = [
            (pressure_mod.INDEX_LABELS.get(str(k), str(k)), g)
            for k, g in pressure.groupby("index", sort=False)
        ]
    else:
        groups = [(pressure_title, pressure)]
    for label, g in groups:
        if g["year"].duplicated().any():
            dup = int(g.loc[g["year"].duplicated(), "year"].iloc[0])
            raise ValueError(f"{who}: pressure table has year {dup} twice ({label})")
        vals = pd.to_numeric(g[value], errors="coerce")
        if not np.isfinite(vals.dropna()).all():
            raise ValueError(f"{who}: column {value!r} holds a non-finite value")
    return groups


class _Years(NamedTuple):
    """The axis span (lo, hi) and the coverage span (c_lo, c_hi) of the policy chart."""

    lo: int
    hi: int
    c_lo: int
    c_hi: int


def _policy_years_span(yearly: pd.DataFrame, coverage: tuple[int, int] | None, who: str) -> _Years:
    """The axis and coverage spans; raises if ``coverage`` is not an ordered pair inside."""
    lo, hi = int(yearly["year"].min()), int(yearly["year"].max())
    if coverage is None:
        return _Years(lo, hi, lo, hi)
    c_lo, c_hi = (int(v) for v in coverage)
    if not lo <= c_lo <= c_hi <= hi:
        raise ValueError(f"{who}: coverage {coverage} must be an ordered pair inside {lo}–{hi}")
    return _Years(lo, hi, c_lo, c_hi)


def _pressure_frame(groups: list, value: str, span: _Years) -> pd.DataFrame:
    """Every axis year per pressure line, with null gaps and the coverage flags."""
    # A gap stays a gap: every year of the axis is present, missing values are null; the
    # line is solid inside the coverage and dashed on the edges (see coverage_years).
    return pd.concat(
        [
            coverage_years(
                pd.DataFrame(
                    {
                        "year": g["year"].astype(int),
                        "S": pd.to_numeric(g[value], errors="coerce").round(4),
                    }
                ),
                *span,
            ).assign(label=label)
            for label, g in groups
        ],
        ignore_index=True,
    )


def _pressure_colour(labels: list[str]) -> alt.Color:
    """The pressure lines' colour: chapter 3's index colours, or one line without legend."""
    if len(labels) > 1:
        known = [d for d in INDEX_COLOURS.domain if d in labels]
        colour_scale = alt.Scale(
            domain=known,
            range=[
                r
                for d, r in zip(INDEX_COLOURS.domain, INDEX_COLOURS.range, strict=True)
                if d in labels
            ],
        )
        return alt.Color(
            "label:N",
            scale=colour_scale,
            legend=alt.Legend(title=None, orient="top", direction="horizontal"),
        )
    return alt.Color("label:N", scale=alt.Scale(domain=labels, range=[PALETTE[1]]), legend=None)


def _edge_layers(span: _Years, x: alt.X, x_scale: alt.Scale) -> list:
    """The shaded years outside the coverage and their note (empty if there are none)."""
    lo, hi, c_lo, c_hi = span
    edges = pd.DataFrame(
        [
            {"year": lo - 0.6, "year2": c_lo - 0.5, "mid": (lo - 0.6 + c_lo - 0.5) / 2},
            {"year": c_hi + 0.5, "year2": hi + 0.6, "mid": (c_hi + 0.5 + hi + 0.6) / 2},
        ]
    )
    # an edge is drawn only if it holds at least one year outside the coverage
    edges = edges[[c_lo > lo, c_hi < hi]]
    if not len(edges):
        return []
    return [
        alt.Chart(edges).mark_rect(color="#eeeeee").encode(x=x, x2="year2:Q"),
        alt.Chart(edges)
        .mark_text(fontSize=10, color="#555555", baseline="top", dy=4, lineBreak="\n")
        .encode(
            x=alt.X("mid:Q", scale=x_scale, axis=None),
            y=alt.value(0),
            text=alt.value("no coded\nevents"),
        ),
    ]


def _pressure_lines(p: pd.DataFrame, x: alt.X, colour: alt.Color, pressure_title: str) -> list:
    """The top panel's pressure lines: dashed on the edges, solid inside, with points."""
    ptip = [
        alt.Tooltip("label:N", title="index"),
        alt.Tooltip("year:Q", title="year"),
        alt.Tooltip("S:Q", title=pressure_title, format=".2f"),
    ]
    y = alt.Y("S:Q", title=pressure_title, scale=alt.Scale(domain=[0, 1]))
    base = alt.Chart(p).encode(x=x, y=y, color=colour, detail="label:N", tooltip=ptip)
    layers = [
        base.transform_filter(f"datum.{flag}").mark_line(strokeWidth=1.2, strokeDash=[3, 3])
        for flag in ("before", "after")
    ]
    layers.append(base.transform_filter("datum.inside").mark_line())
    layers.append(base.mark_point(size=16))
    return layers


def _policy_bars(yearly: pd.DataFrame, x_bare: alt.X, width: int) -> alt.Chart:
    """The middle panel: new policies per year, stacked by the hurdle they aim at."""
    long = yearly.melt(
        id_vars="year", value_vars=["memory", "economic"], var_name="hurdle", value_name="n"
    )
    long = long[long["n"] > 0].copy()
    long["hurdle"] = long["hurdle"] + " hurdle"
    return (
        alt.Chart(long)
        .mark_bar(width=8)
        .encode(
            x=x_bare,
            y=alt.Y(
                "n:Q",
                title="new policies",
                stack=True,
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            color=alt.Color(
                "hurdle:N",
                scale=alt.Scale(domain=list(HURDLE_COLOURS), range=list(HURDLE_COLOURS.values())),
                legend=alt.Legend(
                    title="new policy aimed at the",
                    orient="top-left",
                    direction="vertical",
                    fillColor="white",
                    padding=4,
                ),
            ),
            order=alt.Order("hurdle:N", sort="descending"),
            tooltip=[
                alt.Tooltip("year:Q", title="year"),
                alt.Tooltip("hurdle:N", title="aimed at"),
                alt.Tooltip("n:Q", title="new policy events"),
            ],
        )
        .properties(width=width, height=110)
    )


def _themed_strip(yearly: pd.DataFrame, x: alt.X, width: int) -> alt.Chart:
    """The bottom panel: one square per themed year, hollow where the source is weak."""
    ty = yearly.loc[:, ["year", "themed_year", "themed_year_weak"]].copy()
    ty["status"] = np.select(
        [ty["themed_year"] == 1, ty["themed_year_weak"] == 1],
        ["themed year (sourced)", "themed year (weak source only)"],
        default="",
    )
    ty = ty[ty["status"] != ""]
    ty["row"] = "themed year"
    return (
        alt.Chart(ty)
        .mark_square(size=60, stroke=PALETTE[4], strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y("row:N", title=None, axis=alt.Axis(domain=False, ticks=False)),
            fill=alt.Fill(
                "status:N",
                scale=alt.Scale(
                    domain=["themed year (sourced)", "themed year (weak source only)"],
                    range=[PALETTE[4], "white"],
                ),
                legend=alt.Legend(title=None, symbolStrokeColor=PALETTE[4]),
            ),
            tooltip=[alt.Tooltip("year:Q", title="year"), alt.Tooltip("status:N", title="")],
        )
        .properties(width=width, height=20)
    )


def _policy_pressure_description(
    yearly: pd.DataFrame, span: _Years, labels: list[str], pressure_title: str
) -> str:
    """The accessible description of the three-panel policy-and-pressure chart."""
    lo, hi, c_lo, c_hi = span
    n_pol = int((yearly["memory"] + yearly["economic"]).sum())
    n_ty = int(yearly["themed_year"].sum())
    return (
        f"Three aligned panels for {lo}–{hi}. Top: the {pressure_title}"
        + (f" ({', '.join(labels)})" if len(labels) > 1 else "")
        + ", one value per "
        f"year, solid where coded events exist ({c_lo}–{c_hi}) and dashed on shaded "
        f"years outside that range. Middle: {n_pol} new policy events aimed at the "
        "memory or the economic hurdle, stacked per year. Bottom: the "
        f"{n_ty} years in which a sourced themed year ran (filled squares) and years "
        "covered only by a weak-source one (hollow)."
    )


def policy_vs_pressure(
    yearly: pd.DataFrame,
    pressure: pd.DataFrame,
    *,
    source: str,
    coverage: tuple[int, int] | None = None,
    value: str = "value",
    pressure_title: str = "pressure index S",
):
    """Three panels on one year axis: a pressure index (top), new hurdle policies (middle)
    and the years a themed year ran (bottom).

    ``yearly`` is :func:`policy_years`' frame; ``pressure`` has ``year`` and ``value``
    columns (e.g. :func:`reluctant_allies.pressure.pressure_index`), or is the long frame
    of :func:`reluctant_allies.pressure.record_indices` (an ``index`` column: one line per
    index, coloured as in chapter 3). Years missing from
    ``pressure`` stay gaps. ``coverage`` = (first, last) year of the events the index is
    coded from: outside it the index only shows the table's edge (zeros before, a fading
    tail after), so those years are shaded and the line there is drawn thin and dashed.
    """
    who = "policy_vs_pressure"
    require_columns(yearly, ("year", "memory", "economic", "themed_year", "themed_year_weak"), who)
    require_columns(pressure, ("year", value), who)
    groups = _pressure_groups(pressure, value, pressure_title, who)
    span = _policy_years_span(yearly, coverage, who)
    p = _pressure_frame(groups, value, span)
    labels = [label for label, _ in groups]
    colour = _pressure_colour(labels)
    width = 470
    lo, hi = span.lo, span.hi
    ticks = list(range(lo - lo % 5 + 5, hi + 1, 5))
    x_scale = alt.Scale(domain=[lo - 0.6, hi + 0.6], nice=False)
    x = alt.X("year:Q", title=None, scale=x_scale, axis=alt.Axis(format="d", values=ticks))
    x_bare = alt.X(
        "year:Q", title=None, scale=x_scale, axis=alt.Axis(format="d", values=ticks, labels=False)
    )
    top_layers = _edge_layers(span, x, x_scale) + _pressure_lines(p, x, colour, pressure_title)
    top = alt.layer(*top_layers).properties(width=width, height=120)
    bars = _policy_bars(yearly, x_bare, width)
    strip = _themed_strip(yearly, x, width)
    chart = (
        alt.vconcat(top, bars, strip, spacing=8)
        .resolve_scale(color="independent", fill="independent")
        .resolve_legend(color="independent", fill="independent")
    )
    return finish(
        chart,
        title="Hurdle policies and systemic pressure, year by year",
        description=_policy_pressure_description(yearly, span, labels, pressure_title),
        source=source,
    )


def _run_lines(df: pd.DataFrame, var: str, *, width: int, height: int, legend: bool):
    y_title = VARIABLES[var]
    colour = alt.Color(
        "run:N",
        scale=alt.Scale(domain=list(RUN_COLOURS), range=list(RUN_COLOURS.values())),
        legend=alt.Legend(title="policy rule") if legend else None,
    )
    lines = (
        alt.Chart(df, title=alt.TitleParams(y_title, fontSize=12, fontWeight=600, subtitle=""))
        .mark_line()
        .encode(
            x=alt.X("year:Q", title="scenario year"),
            y=alt.Y(f"{var}:Q", title=None, scale=alt.Scale(domain=[0, 1])),
            color=colour,
            strokeDash=alt.StrokeDash(
                "run:N",
                scale=alt.Scale(domain=list(RUN_COLOURS), range=[[2, 2], [6, 3], [1, 0]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("run:N", title="rule"),
                alt.Tooltip("year:Q", title="year"),
                alt.Tooltip(f"{var}:Q", title=var, format=".2f"),
            ],
        )
    )
    return lines.properties(width=width, height=height)


def _pulse_band(df: pd.DataFrame, threshold: float):
    """Grey band behind the years whose pressure is above ``threshold`` (the pulse)."""
    s = df.drop_duplicates("year").dropna(subset=["S"])
    high = s[s["S"] > threshold]["year"]
    if high.empty:
        return None
    band = pd.DataFrame({"a": [int(high.min())], "b": [int(high.max()) + 1]})
    return alt.Chart(band).mark_rect(color="#eeeeee").encode(x="a:Q", x2="b:Q")


def _threshold_rows(p: models.DynamicParams) -> pd.DataFrame:
    """The entente and alliance thresholds of ``p``, one labelled row each."""
    return pd.DataFrame(
        {"y": [p.theta_E, p.theta_A], "label": ["entente threshold", "alliance threshold"]}
    )


def policy_effort_chart(runs: pd.DataFrame, params: models.DynamicParams | None = None):
    """Three panels (memory hurdle, economic hurdle, cooperation) for the three policy rules,
    with the high-pressure years shaded and the entente/alliance thresholds on C."""
    who = "policy_effort_chart"
    require_columns(runs, ("run", "year", "S", "C", "H_e", "H_m"), who)
    unknown = sorted(set(runs["run"]) - set(RUN_COLOURS))
    if unknown:
        raise ValueError(f"{who}: unknown run name(s) {unknown}")
    p = models.DynamicParams() if params is None else params
    df = runs.copy()
    for col in ("C", "H_e", "H_m", "S", "P"):
        if col in df:
            df[col] = df[col].round(4)
    s = df["S"].dropna()
    mid = float((s.min() + s.max()) / 2)
    band = _pulse_band(df, mid)
    panels = []
    for i, var in enumerate(("H_m", "H_e", "C")):
        layers = [] if band is None else [band]
        layers.append(_run_lines(df, var, width=158, height=180, legend=i == 0))
        if var == "C":
            rules = _threshold_rows(p)
            layers.append(
                alt.Chart(rules).mark_rule(color="#000000", strokeDash=[3, 3]).encode(y="y:Q")
            )
            layers.append(
                alt.Chart(rules)
                .mark_text(align="left", dx=2, dy=-6, fontSize=10)
                .encode(y="y:Q", x=alt.value(0), text="label:N")
            )
        panels.append(alt.layer(*layers))
    chart = alt.hconcat(*panels, spacing=10)
    end = df[df["year"] == df["year"].max()].set_index("run")
    peak = df.groupby("run")["C"].max()
    return finish(
        chart,
        title="Same pressure, three policy rules",
        description=(
            "Three small line charts over scenario years, one line per policy rule (no "
            "policy, constant effort, pressure-driven effort); shaded years have high "
            "pressure. Left: memory hurdle; middle: economic hurdle; right: cooperation "
            "with the entente and alliance thresholds. Peak cooperation: "
            + ", ".join(f"{r} {peak[r]:.2f}" for r in RUN_COLOURS if r in peak)
            + "; memory hurdle in the last year: "
            + ", ".join(f"{r} {end.loc[r, 'H_m']:.2f}" for r in RUN_COLOURS if r in end.index)
            + "."
        ),
        source="Source: the book's dynamic model, default parameters, stylised pressure "
        "pulse (a model run, not data)",
    )


def _effort_axes(grid: pd.DataFrame, who: str) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The grid's sorted m and s0 values and their steps; raises if they cannot be sliders."""
    ms = np.sort(grid["m"].unique())
    s0s = np.sort(grid["s0"].unique())
    if len(ms) < 2 or len(s0s) < 2:
        raise ValueError(f"{who}: the grid needs at least two values of m and of s0")
    if 0.0 not in set(np.round(ms, 6)):
        raise ValueError(f"{who}: the grid needs m = 0 (the no-policy reference)")
    steps = {name: np.round(np.diff(v), 6) for name, v in (("m", ms), ("s0", s0s))}
    for name, st in steps.items():
        if len(set(st)) != 1:
            raise ValueError(f"{who}: {name} values must be evenly spaced for a slider")
    return ms, s0s, float(steps["m"][0]), float(steps["s0"][0])


def _grid_slider(
    name: str, value: float, values: np.ndarray, step: float, label: str
) -> alt.Parameter:
    """A named range slider over the span of ``values``."""
    return alt.param(
        name=name,
        value=value,
        bind=alt.binding_range(min=float(values[0]), max=float(values[-1]), step=step, name=label),
    )


def _effort_lines(grid: pd.DataFrame, chosen: str, same_s0: str) -> list:
    """The chosen setting's three lines and the dashed no-policy cooperation path."""
    base = alt.Chart(grid)
    colour = alt.Color(
        "variable:N",
        scale=alt.Scale(
            domain=list(VARIABLES.values()) + ["cooperation, no policy"],
            range=[PALETTE[4], PALETTE[0], PALETTE[7], "#777777"],
        ),
        legend=alt.Legend(title=None, columns=2),
    )
    x = alt.X("year:Q", title="scenario year")
    y = alt.Y("value:Q", title="level (0–1)", scale=alt.Scale(domain=[0, 1]))
    tip = [
        alt.Tooltip("variable:N", title=""),
        alt.Tooltip("year:Q", title="year"),
        alt.Tooltip("value:Q", title="level", format=".2f"),
    ]
    chosen_lines = (
        base.transform_filter(chosen)
        .transform_fold(list(VARIABLES), as_=["key", "value"])
        .transform_calculate(
            variable="datum.key == 'C' ? 'cooperation C' : datum.key == 'H_m' ? "
            "'memory hurdle H_m' : 'economic hurdle H_e'"
        )
        .mark_line()
        .encode(x=x, y=y, color=colour, tooltip=tip)
    )
    reference = (
        base.transform_filter(f"abs(datum.m) < {SLIDER_TOL} && {same_s0}")
        .transform_calculate(value="datum.C", variable="'cooperation, no policy'")
        .mark_line(strokeDash=[4, 3], strokeWidth=1.5)
        .encode(x=x, y=y, color=colour, tooltip=tip)
    )
    return [chosen_lines, reference]


def policy_effort_explorable(grid: pd.DataFrame, params: models.DynamicParams | None = None):
    """Sliders for policy effectiveness m and effort threshold s0 over :func:`policy_effort_grid`.

    Lines: memory hurdle, economic hurdle and cooperation for the chosen setting, with
    the no-policy cooperation path (m = 0, same s0) as a grey dashed reference and the
    high-pressure years shaded. Works in a static page (no kernel).
    """
    who = "policy_effort_explorable"
    require_columns(grid, ("m", "s0", "year", "S", "C", "H_e", "H_m"), who)
    p = models.DynamicParams() if params is None else params
    ms, s0s, m_step, s0_step = _effort_axes(grid, who)
    m_param = _grid_slider(
        "m", _closest(ms, 1.0), ms, m_step, "policy effectiveness (× default δ) "
    )
    s0_param = _grid_slider(
        "s0_sel", _closest(s0s, p.s0), s0s, s0_step, "pressure at which effort starts (s₀) "
    )
    # slider values are floats: match the grid's keys within SLIDER_TOL
    same_s0 = match_sliders(s0="s0_sel")
    chosen = f"{match_sliders(m='m')} && {same_s0}"
    s = grid.drop_duplicates("year").dropna(subset=["S"])
    mid = float((s["S"].min() + s["S"].max()) / 2)
    band = _pulse_band(grid.drop_duplicates("year"), mid)
    layers = [] if band is None else [band]
    layers += _effort_lines(grid, chosen, same_s0)
    rules = _threshold_rows(p)
    layers.append(alt.Chart(rules).mark_rule(color="#000000", strokeDash=[2, 3]).encode(y="y:Q"))
    layers.append(
        alt.Chart(rules)
        .mark_text(align="right", dy=-6, fontSize=10)
        .encode(y="y:Q", x=alt.value(520), text="label:N")
    )
    chart = alt.layer(*layers).add_params(m_param, s0_param).properties(width=520, height=260)
    return finish(
        chart,
        title="Policy effort in the dynamic model",
        description=(
            "Line chart over scenario years of the memory hurdle, the economic hurdle and "
            "cooperation in the book's dynamic model under a stylised pressure pulse (shaded "
            "years), with the no-policy cooperation path dashed. Two sliders set policy "
            f"effectiveness (from {ms[0]:g} to {ms[-1]:g} times the default δ) and the "
            f"pressure level s₀ at which effort starts (from {s0s[0]:g} to {s0s[-1]:g})."
        ),
        source="Source: the book's dynamic model, precomputed over a grid of settings "
        "(a model run, not data)",
    )
