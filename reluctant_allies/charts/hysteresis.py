"""Chapter 9 (hysteresis and lock-in): the record around 2014 and 2022, an "empirical loop",
the up/down sweep loops of the static and dynamic models, how the dynamic loop closes again,
and the steady states of the lock-in preset as a bifurcation-style diagram with sliders.

Everything model-related comes from :mod:`reluctant_allies.models` (this book's
reconstruction, domain.md §3b predictions 3-4); this module only reshapes and draws it.
Observed series come from ``data/`` tables passed in by the chapter; nothing is filled or
interpolated, and lines break at every missing year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns
from ..analysis.hysteresis import (
    RUNS,
    SWEEP_PRESETS,
    _band_text,
    _params,
    _pos_int,
    _r,
    loop_frame,
    memory_fade,
    memory_fade_years,
    record_frame,
    steady_branches,
)
from ._sliders import match_sliders, slider_grid
from .theme import MUTED, PALETTE, finish

__all__ = [
    "cooperation_record",
    "empirical_loop",
    "sweep_loops",
    "memory_fade_chart",
    "bifurcation_diagram",
    "band_explorer",
]


MODEL_SOURCE = "Model: this book's reconstruction (domain §3b), presets as labelled"


#: Actors whose acts can never mark a moment of Western pressure.
OWN_ACTORS = frozenset({"China", "Russia", "China–Russia"})

#: The default marks: two Western actions of the pressure record (``pressure_actions``).
DEFAULT_MARKS = {
    "crimea-sanctions": "2014 sanctions",
    "russia-sanctions-invasion-2022": "2022 sanctions",
}


def _event_marks(events: pd.DataFrame, marks: Mapping[str, str], who: str) -> pd.DataFrame:
    require_columns(events, ("id", "date", "event", "source_url"), who)
    absent = sorted(set(marks) - set(events["id"]))
    if absent:
        raise ValueError(f"{who}: no event with id(s) {absent}")
    ev = events.set_index("id").loc[list(marks)].reset_index()
    if "actor" in ev.columns:
        # a pressure marker is a Western action (review W14), never a Chinese or Russian act
        own = ev[ev["actor"].astype(str).isin(OWN_ACTORS)]
        if len(own):
            raise ValueError(
                f"{who}: marks must be Western actions; {list(own['id'])} "
                f"{'has' if len(own) == 1 else 'have'} actor {sorted(set(own['actor']))}"
            )
    date = pd.to_datetime(ev["date"])
    return pd.DataFrame(
        {
            "x": (date.dt.year + (date.dt.day_of_year - 1) / 365.25).round(3),
            "label": [marks[i] for i in ev["id"]],
            "event": ev["event"],
            "date": date.dt.strftime("%d %b %Y"),
            "source_url": ev["source_url"],
        }
    )


def _record_rules(rules: pd.DataFrame, x: alt.X) -> tuple[alt.Chart, alt.Chart]:
    """The dashed vertical rules at the marked actions and their labels."""
    rule_layer = (
        alt.Chart(rules)
        .mark_rule(color=MUTED, strokeDash=[4, 3])
        .encode(
            x=x,
            tooltip=[
                alt.Tooltip("date:N", title="date"),
                alt.Tooltip("event:N", title="event"),
                alt.Tooltip("source_url:N", title="source"),
            ],
        )
    )
    rule_text = (
        alt.Chart(rules)
        .mark_text(align="right", dx=-4, baseline="top", fontSize=11, color=MUTED)
        .encode(x=x, y=alt.value(2), text="label:N")
    )
    return rule_layer, rule_text


def _record_upper(
    top: pd.DataFrame, x: alt.X, rule_layer: alt.Chart, rule_text: alt.Chart
) -> alt.LayerChart:
    """The top panel of :func:`cooperation_record`: UNGA vote agreement with the rules."""
    agree = (
        alt.Chart(top)
        .mark_line(color=PALETTE[0], point=alt.OverlayMarkDef(size=20, color=PALETTE[0]))
        .encode(
            x=x,
            y=alt.Y("value:Q", title="share of votes alike", scale=alt.Scale(domain=[0.3, 0.9])),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("year:Q", format="d", title="year (1945 + UN session)"),
                alt.Tooltip("text:N", title="agreement"),
            ],
        )
    )
    return alt.layer(rule_layer, agree, rule_text).properties(
        width=460,
        height=140,
        title=alt.TitleParams("UN General Assembly: China–Russia vote agreement", fontSize=12.5),
    )


def _record_lower(bottom: pd.DataFrame, x: alt.X, rule_layer: alt.Chart) -> alt.LayerChart:
    """The bottom panel of :func:`cooperation_record`: Russian opinion series with the rules."""
    series = sorted(bottom["series"].unique())
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=series, range=PALETTE[: len(series)]),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=440),
    )
    enc = {
        "x": x,
        "y": alt.Y("value:Q", title="% of respondents", scale=alt.Scale(domain=[0, 100])),
        "color": colour,
    }
    lines = alt.Chart(bottom).mark_line().encode(detail="segment:N", **enc)
    dots = (
        alt.Chart(bottom)
        .mark_point(filled=True, size=50)
        .encode(
            shape=alt.Shape("series:N", title=None, scale=alt.Scale(domain=series)),
            tooltip=[
                alt.Tooltip("series:N", title="pollster: question"),
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("text:N", title="share"),
                alt.Tooltip("source_url:N", title="source"),
            ],
            **enc,
        )
    )
    return alt.layer(rule_layer, lines, dots).properties(
        width=460,
        height=140,
        title=alt.TitleParams("Russian opinion on China, by pollster and question", fontSize=12.5),
    )


def _record_description(top: pd.DataFrame, bottom: pd.DataFrame, rules: pd.DataFrame) -> str:
    """The accessible description of :func:`cooperation_record`."""
    y0, y1 = int(top["year"].min()), int(top["year"].max())
    years = sorted(bottom["year"].unique())
    return (
        f"Two line charts on one time axis. Top: share of UN General Assembly votes on which "
        f"China and Russia voted alike, {y0}–{y1}, between "
        f"{top['value'].min():.2f} and {top['value'].max():.2f}. Bottom: published Russian "
        f"opinion figures on China or on relations with China, one series per pollster "
        f"and question, in the years {', '.join(map(str, years))}; points are joined only "
        "in consecutive years. Dashed vertical lines mark "
        + " and ".join(f"{r.label} ({r.date})" for r in rules.itertuples())
        + "."
    )


def cooperation_record(
    unga: pd.DataFrame,
    opinion: pd.DataFrame,
    events: pd.DataFrame,
    *,
    marks: Mapping[str, str] | None = None,
    sources: Sequence[str],
    title: str = "Two cooperation proxies around 2014 and 2022",
):
    """Two stacked panels on one year axis: UNGA vote agreement (top) and Russian opinion
    by pollster and question (bottom), with vertical rules at the dated actions in ``marks``
    (id -> short label; default :data:`DEFAULT_MARKS`). ``events`` is a table with ``id``,
    ``date``, ``event`` and ``source_url``, normally the pressure record; a marked row whose
    ``actor`` is China or Russia is refused. Lines join consecutive years only."""
    marks = dict(marks or DEFAULT_MARKS)
    df = record_frame(unga, opinion)
    rules = _event_marks(events, marks, "cooperation_record")
    x = alt.X(
        "x:Q",
        title=None,
        scale=alt.Scale(domain=[1991, 2025], nice=False),
        axis=alt.Axis(format="d", values=list(range(1992, 2025, 4))),
    )
    rule_layer, rule_text = _record_rules(rules, x)
    top = df[df["panel"] == "UN votes"]
    upper = _record_upper(top, x, rule_layer, rule_text)
    bottom = df[df["panel"] == "Russian opinion"]
    lower = _record_lower(bottom, x, rule_layer)
    chart = alt.vconcat(upper, lower, spacing=16)
    return finish(
        chart,
        title=title,
        description=_record_description(top, bottom, rules),
        source=sources,
    )


def _loop_domains(df: pd.DataFrame) -> tuple[list[float], list[float]]:
    """The y domains of :func:`empirical_loop`'s agreement and gap panels."""
    # the axes fit the data (a longer window reaches lower agreement and wider gaps), so no
    # point is clipped; they keep the first edition's ranges where the data fit inside them
    agree_lo = min(0.6, np.floor(df["agreement"].min() * 10) / 10)
    agree_hi = max(0.9, np.ceil(df["agreement"].max() * 10) / 10)
    gap_hi = max(1.2, np.ceil(df["gap"].max() * 5) / 5)
    return [agree_lo, agree_hi], [0, gap_hi]


def _loop_panel(
    df: pd.DataFrame,
    xs: alt.X,
    colour: alt.Color,
    field: str,
    ytitle: str,
    head: str,
    reverse: bool,
    domain: list[float],
) -> alt.LayerChart:
    """One connected scatter of :func:`empirical_loop`: path, coloured points, year labels."""
    y = alt.Y(f"{field}:Q", title=ytitle, scale=alt.Scale(domain=domain, reverse=reverse))
    base = alt.Chart(df).encode(x=xs, y=y)
    path = base.mark_line(color="#999999", strokeWidth=1.2).encode(
        order="year:Q", detail="segment:N"
    )
    pts = base.mark_circle(size=55, opacity=1).encode(
        color=colour,
        tooltip=[
            alt.Tooltip("year:Q", format="d"),
            alt.Tooltip("S:Q", title="pressure index", format=".2f"),
            alt.Tooltip(f"{field}:Q", title=ytitle, format=".2f"),
        ],
    )
    text = base.mark_text(dx=7, dy=-7, align="left", fontSize=10.5).encode(text="label:N")
    return alt.layer(path, pts, text).properties(
        width=200, height=200, title=alt.TitleParams(head, fontSize=12.5)
    )


def _loop_description(df: pd.DataFrame, y0: int, y1: int) -> str:
    """The accessible description of :func:`empirical_loop`."""
    return (
        f"Two connected scatter plots, {y0}–{y1}, one point per year joined in year order "
        "and coloured from orange (early) to blue (late). Horizontal axis: the book's coded "
        "pressure index (0 to 1). Left: share of UN votes on which China and Russia voted "
        f"alike ({df['agreement'].min():.2f}–{df['agreement'].max():.2f}). Right: the gap "
        f"between their UN ideal points ({df['gap'].min():.2f}–{df['gap'].max():.2f}), axis "
        "reversed so that up means closer. The paths zigzag left and right as coded "
        "pressure jumps and fades, while the gap narrows over time; no closed loop appears."
    )


def empirical_loop(
    unga: pd.DataFrame,
    index: pd.DataFrame,
    *,
    window: tuple[int, int],
    label_years: Sequence[int] = (1999, 2004, 2008, 2014, 2018),
    sources: Sequence[str],
    title: str = "An empirical loop? Coded pressure against UN voting, year by year",
):
    """Two connected scatters (pressure index on x, one UNGA measure on y), points joined in
    year order and coloured by year; the ideal-point panel's y axis is reversed so that up
    means closer in both panels."""
    df = loop_frame(unga, index, window=window)
    df["label"] = np.where(df["year"].isin(list(label_years)), df["year"].astype(str), "")
    y0, y1 = int(df["year"].min()), int(df["year"].max())
    colour = alt.Color(
        "year:Q",
        title="year",
        scale=alt.Scale(domain=[y0, y1], range=[PALETTE[4], PALETTE[0]]),
        legend=alt.Legend(format="d", orient="bottom", direction="horizontal", gradientLength=200),
    )
    xs = alt.X("S:Q", title="coded pressure index S", scale=alt.Scale(domain=[0, 1]))
    agree_domain, gap_domain = _loop_domains(df)
    panels = [
        _loop_panel(df, xs, colour, field, ytitle, head, reverse, domain)
        for field, ytitle, head, reverse, domain in (
            ("agreement", "share of votes alike", "Vote agreement", False, agree_domain),
            ("gap", "ideal-point gap (axis reversed)", "Ideal-point gap", True, gap_domain),
        )
    ]
    chart = alt.hconcat(*panels, spacing=28)
    return finish(chart, title=title, description=_loop_description(df, y0, y1), source=sources)


def _sweep_frames(loop, legs: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One preset's sweep as a wide frame (S, up, down) and a long one (S, leg, C)."""
    wide = pd.DataFrame({"S": _r(loop.S, 3), "up": _r(loop.C_up), "down": _r(loop.C_down)})
    long = wide.melt("S", var_name="leg", value_name="C")
    long["leg"] = long["leg"].map({"up": legs[0], "down": legs[1]})
    return wide, long


def _sweep_panel(
    wide: pd.DataFrame, long: pd.DataFrame, colour: alt.Color, title: list[str]
) -> alt.LayerChart:
    """One panel of :func:`sweep_loops`: the shaded gap between the legs and the two legs."""
    xs = alt.X("S:Q", title="systemic pressure S", scale=alt.Scale(domain=[0, 1]))
    band = (
        alt.Chart(wide)
        .mark_area(color=MUTED, opacity=0.15)
        .encode(x=xs, y=alt.Y("up:Q"), y2="down:Q")
    )
    line = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=xs,
            y=alt.Y("C:Q", title="cooperation C", scale=alt.Scale(domain=[0, 1])),
            color=colour,
            tooltip=[
                alt.Tooltip("leg:N", title="pressure"),
                alt.Tooltip("S:Q", format=".3f"),
                alt.Tooltip("C:Q", format=".3f"),
            ],
        )
    )
    return alt.layer(band, line).properties(
        width=235, height=220, title=alt.TitleParams(title, fontSize=12.5)
    )


def sweep_loops(
    presets: Mapping[str, tuple[str, models.StaticParams]] | None = None,
    *,
    low: float = 0.2,
    high: float = 0.95,
    years_up: int = 40,
    plateau: int = 30,
):
    """Side-by-side loops of C against S (rising leg, falling leg, the area between) for each
    preset, from :func:`models.hysteresis_loop`; each panel's title gives the widest gap."""
    presets = dict(SWEEP_PRESETS if presets is None else presets)
    if not 1 <= len(presets) <= 2:
        raise ValueError(f"sweep_loops: give one or two presets (got {len(presets)})")
    years_up = _pos_int(years_up, "years_up", "sweep_loops", 2)
    plateau = _pos_int(plateau, "plateau", "sweep_loops", 0)
    legs = ["on the way up", "on the way down"]
    colour = alt.Color(
        "leg:N",
        title="pressure",
        scale=alt.Scale(domain=legs, range=[PALETTE[1], PALETTE[0]]),
    )
    panels, widths = [], []
    for _code, (label, p) in presets.items():
        _params(p, "sweep_loops")
        loop = models.hysteresis_loop(p, low=low, high=high, years_up=years_up, plateau=plateau)
        widths.append((label, loop.width))
        wide, long = _sweep_frames(loop, legs)
        panels.append(_sweep_panel(wide, long, colour, [label, f"widest gap {loop.width:.2f}"]))
    chart = alt.hconcat(*panels, spacing=24)
    return finish(
        chart,
        title="The way down is not the way up — but by how much?",
        description=(
            f"{len(panels)} line charts of cooperation C against pressure S while S rises from "
            f"{low} to {high} over {years_up} years, holds for {plateau} years and falls back "
            "the same way; the shaded area lies between the rising and the falling path. "
            + "; ".join(f"{lab}: widest vertical gap {w:.2f}" for lab, w in widths)
            + "."
        ),
        source=MODEL_SOURCE,
    )


#: Default panels of :func:`memory_fade_chart`: (label, parameters, pressure held).
FADE_PANELS: tuple[tuple[str, models.StaticParams, float], ...] = (
    ("Hysteresis preset, S held at 0.5", models.HYSTERESIS_DEMO, 0.5),
    ("Lock-in preset, S held at 0.62", models.LOCK_IN, 0.62),
)


def _fade_verdict(fade: pd.DataFrame, tol: float) -> str:
    """Whether and when the two histories of one :func:`memory_fade` run meet, as a phrase."""
    years = memory_fade_years(fade, tol)
    end = fade.groupby("run", sort=False)["C"].last()
    return (
        f"histories meet (gap < {tol:g}) after {years} years"
        if years is not None
        else f"no meeting: C stays at {end[RUNS[0]]:.2f} vs {end[RUNS[1]]:.2f}"
    )


def _fade_panel(df: pd.DataFrame, colour: alt.Color, hold: int, title: list[str]) -> alt.Chart:
    """One panel of :func:`memory_fade_chart`: C over the years for both histories."""
    line = (
        alt.Chart(df)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X(
                "t:Q",
                title="years at this pressure",
                scale=alt.Scale(domain=[0, hold], nice=False),
            ),
            y=alt.Y("C:Q", title="cooperation C", scale=alt.Scale(domain=[0, 1])),
            color=colour,
            tooltip=[
                alt.Tooltip("run:N", title="history"),
                alt.Tooltip("t:Q", title="years"),
                alt.Tooltip("C:Q", format=".3f"),
            ],
        )
    )
    return line.properties(width=235, height=200, title=alt.TitleParams(title, fontSize=12))


def memory_fade_chart(
    panels: Sequence[tuple[str, models.StaticParams, float]] = FADE_PANELS,
    *,
    hold: int = 80,
    tol: float = 0.01,
):
    """One panel per (label, parameters, pressure): cooperation C over the years after the
    pressure was reached from above and from below. The panel title says whether and when
    the two histories meet."""
    panels = list(panels)
    if not 1 <= len(panels) <= 2:
        raise ValueError(f"memory_fade_chart: give one or two panels (got {len(panels)})")
    colour = alt.Color(
        "run:N", title=None, scale=alt.Scale(domain=list(RUNS), range=[PALETTE[0], PALETTE[1]])
    )
    charts, said = [], []
    for label, params, at in panels:
        fade = memory_fade(params, at, hold=hold)
        verdict = _fade_verdict(fade, tol)
        said.append(f"{label}: {verdict}")
        df = fade.loc[:, ["t", "run", "C"]].round(4)
        charts.append(_fade_panel(df, colour, hold, [label, verdict]))
    chart = alt.hconcat(*charts, spacing=24)
    return finish(
        chart,
        title="Memory or lock-in? One pressure, two histories",
        description=(
            f"{len(charts)} line charts of cooperation C over {hold} years at a constant "
            "pressure that was reached in two ways: from above, after a long high-pressure "
            "episode, and from below, by pressure rising only that far. " + "; ".join(said) + "."
        ),
        source=MODEL_SOURCE,
    )


class _Branches(NamedTuple):
    """The frames and the colour/dash scales of :func:`bifurcation_diagram`."""

    br: pd.DataFrame
    df: pd.DataFrame
    domain: list[str]
    rng: list[str]
    dash: list[list[int]]


def _bifurcation_frame(
    p: models.StaticParams, label: str, compare: tuple[str, models.StaticParams] | None
) -> _Branches:
    """Steady branches of ``p`` (and of ``compare``, checked to have no band), long, with
    the legend domain, colours and dashes."""
    br = steady_branches(p, np.round(np.linspace(0, 1, 501), 4))
    long = br.melt("S", ["low", "high", "unstable"], var_name="branch", value_name="C").dropna()
    names = {
        "low": f"{label}: stable, low branch",
        "high": f"{label}: stable, high branch",
        "unstable": f"{label}: unstable tipping point",
    }
    long["name"] = long["branch"].map(names)
    domain = list(names.values())
    rng = [PALETTE[0], PALETTE[0], PALETTE[1]]
    dash = [[1, 0], [1, 0], [5, 3]]
    frames = [long]
    if compare is not None:
        clabel, cp = compare
        cbr = steady_branches(_params(cp, "bifurcation_diagram"))
        if (cbr["n_stable"] >= 2).any():
            raise ValueError("bifurcation_diagram: compare= must be a preset without a band")
        cname = f"{clabel}: the single stable state"
        frames.append(
            pd.DataFrame({"S": cbr["S"], "branch": "compare", "C": cbr["low"], "name": cname})
        )
        domain.append(cname)
        rng.append(MUTED)
        dash.append([2, 2])
    df = pd.concat(frames, ignore_index=True).round({"S": 3, "C": 4})
    return _Branches(br, df, domain, rng, dash)


def _bifurcation_lines(b: _Branches) -> alt.Chart:
    """The branch lines of :func:`bifurcation_diagram`, coloured and dashed by state."""
    xs = alt.X("S:Q", title="constant systemic pressure S", scale=alt.Scale(domain=[0, 1]))
    return (
        alt.Chart(b.df)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=xs,
            y=alt.Y("C:Q", title="long-run cooperation C", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "name:N",
                title=None,
                scale=alt.Scale(domain=b.domain, range=b.rng),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=440),
            ),
            strokeDash=alt.StrokeDash(
                "name:N", title=None, scale=alt.Scale(domain=b.domain, range=b.dash)
            ),
            detail="branch:N",
            tooltip=[
                alt.Tooltip("name:N", title="state"),
                alt.Tooltip("S:Q", format=".2f"),
                alt.Tooltip("C:Q", format=".3f"),
            ],
        )
    )


def _bifurcation_backdrop(br: pd.DataFrame, p: models.StaticParams) -> list[alt.Chart]:
    """The shaded, labelled bistable band (if any) and the dotted threshold rules."""
    layers = []
    bi = br.loc[br["n_stable"] >= 2, "S"]
    if not bi.empty:
        band = pd.DataFrame({"x0": [bi.min()], "x1": [bi.max()], "text": ["two stable states"]})
        layers.append(
            alt.Chart(band).mark_rect(color=PALETTE[4], opacity=0.18).encode(x="x0:Q", x2="x1:Q")
        )
        layers.append(
            alt.Chart(band)
            .mark_text(align="center", fontSize=11, color=MUTED)
            .encode(x=alt.X("mid:Q"), y=alt.datum(0.42), text="text:N")
            .transform_calculate(mid="(datum.x0 + datum.x1) / 2")
        )
    levels = pd.DataFrame({"C": [p.theta_E, p.theta_A], "name": ["entente θ_E", "alliance θ_A"]})
    layers.append(alt.Chart(levels).mark_rule(color="#999999", strokeDash=[1, 3]).encode(y="C:Q"))
    layers.append(
        alt.Chart(levels)
        .mark_text(align="left", dx=4, dy=-6, fontSize=11, color=MUTED)
        .encode(x=alt.value(0), y="C:Q", text="name:N")
    )
    return layers


def _bifurcation_description(
    br: pd.DataFrame, label: str, compare: tuple[str, models.StaticParams] | None
) -> str:
    """The accessible description of :func:`bifurcation_diagram`."""
    return (
        f"Line chart of long-run cooperation C against constant pressure S for the {label}: "
        f"{_band_text(br)} (shaded), where a low and a high stable branch coexist and a "
        "dashed unstable branch between them separates the starting points that end on "
        "each. Left of the band only the low state exists, right of it only the high one."
        + (
            f" A dotted grey curve shows the {compare[0]}, which has one stable state at every S."
            if compare is not None
            else ""
        )
    )


def bifurcation_diagram(
    params: models.StaticParams | None = None,
    *,
    label: str = "lock-in preset",
    compare: tuple[str, models.StaticParams] | None = ("hysteresis preset", models.HYSTERESIS_DEMO),
):
    """Stable steady states of C against constant S (solid), the unstable state between them
    (dashed), the bistable band shaded; optionally a second preset's single curve for contrast."""
    p = _params(params or models.LOCK_IN, "bifurcation_diagram")
    b = _bifurcation_frame(p, label, compare)
    lines = _bifurcation_lines(b)
    layers = _bifurcation_backdrop(b.br, p)
    chart = alt.layer(*layers, lines).properties(width=480, height=260)
    return finish(
        chart,
        title="Lock-in: two stable levels of cooperation for the same pressure",
        description=_bifurcation_description(b.br, label, compare),
        source=MODEL_SOURCE,
    )


def _band_rows(grid: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Per (λ, k) grid point: the rounded branches, and the band's read-out and extent."""
    rows, texts = [], []
    for (lam, k), br in grid.groupby(["lam", "k"], sort=True):
        br = br.sort_values("S")
        rows.append(
            {
                "lam": float(lam),
                "k": float(k),
                "S": _r(br["S"], 3),
                "low": _r(br["low"], 3),
                "high": _r(br["high"], 3),
                "unstable": _r(br["unstable"], 3),
            }
        )
        bi = br.loc[br["n_stable"] >= 2, "S"]
        texts.append(
            {
                "lam": float(lam),
                "k": float(k),
                "text": _band_text(br),
                "x0": float(bi.min()) if len(bi) else None,
                "x1": float(bi.max()) if len(bi) else None,
            }
        )
    return rows, texts


def _range_param(name: str, value: float, g: np.ndarray, label: str) -> alt.Parameter:
    """A range slider param ``name`` over the grid ``g``, starting at ``value``."""
    return alt.param(
        name=name,
        value=float(value),
        bind=alt.binding_range(
            min=float(g[0]),
            max=float(g[-1]),
            step=float(g[1] - g[0]),
            name=label,
        ),
    )


def _band_lines(rows: list[dict], match: str) -> alt.Chart:
    """The slider-filtered branch lines of :func:`band_explorer`."""
    names = ["stable state", "second stable state", "unstable tipping point"]
    colour = alt.Color(
        "which:N",
        title=None,
        scale=alt.Scale(domain=names, range=[PALETTE[0], PALETTE[2], PALETTE[1]]),
    )
    return (
        alt.Chart(alt.Data(values=rows))
        .transform_filter(match)
        .transform_flatten(["S", "low", "high", "unstable"])
        .transform_fold(["low", "high", "unstable"], as_=["branch", "C"])
        .transform_filter("isValid(datum.C)")
        .transform_calculate(
            which="datum.branch == 'low' ? 'stable state' : datum.branch == 'high' ? "
            "'second stable state' : 'unstable tipping point'"
        )
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("S:Q", title="constant systemic pressure S", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("C:Q", title="long-run cooperation C", scale=alt.Scale(domain=[0, 1])),
            color=colour,
            strokeDash=alt.StrokeDash(
                "which:N", title=None, scale=alt.Scale(domain=names, range=[[1, 0], [1, 0], [5, 3]])
            ),
            detail="branch:N",
            tooltip=[
                alt.Tooltip("which:N", title="state"),
                alt.Tooltip("S:Q", format=".2f"),
                alt.Tooltip("C:Q", format=".3f"),
            ],
        )
    )


def band_explorer(grid: pd.DataFrame, *, learning: float = 0.3, steepness: float = 20.0):
    """Kernel-free explorable of :func:`band_grid`: sliders for the learning rate and the
    steepness; the chart shows the stable and unstable branches, the band and a read-out."""
    require_columns(grid, ("lam", "k", "S", "low", "high", "unstable", "n_stable"), "band_explorer")
    lam_g = slider_grid(sorted(grid["lam"].unique()), "learning")
    k_g = slider_grid(sorted(grid["k"].unique()), "steepness")
    for name, g, v in (("learning", lam_g, learning), ("steepness", k_g, steepness)):
        if not np.isclose(g, v).any():
            raise ValueError(f"band_explorer: initial {name} {v} is not on the grid {g.tolist()}")
    rows, texts = _band_rows(grid)
    lam_p = _range_param("lam", learning, lam_g, "learning from cooperation λ (both hurdles) ")
    k_p = _range_param("steep", steepness, k_g, "steepness of the response k ")
    match = match_sliders(lam="lam", k="steep")
    lines = _band_lines(rows, match)
    info = alt.Chart(alt.Data(values=texts)).transform_filter(match)
    band = (
        info.transform_filter("isValid(datum.x0)")
        .mark_rect(color=PALETTE[4], opacity=0.18)
        .encode(x="x0:Q", x2="x1:Q")
    )
    readout = info.mark_text(align="left", fontSize=12, fontWeight=600).encode(
        x=alt.value(4), y=alt.value(10), text="text:N"
    )
    chart = alt.layer(band, lines, readout).add_params(lam_p, k_p).properties(width=480, height=260)
    return finish(
        chart,
        title="When does lock-in appear? Learning and steepness",
        description=(
            "Line chart of long-run cooperation C against constant pressure S, with sliders for "
            "the learning rate λ (how fast cooperation itself wears both hurdles down) and the "
            "steepness k of the response curve; other parameters are those of the lock-in "
            "preset. Where two stable states coexist the band is shaded and a dashed unstable "
            "branch lies between them; a text line gives the band or says there is none. Low "
            "learning or a gentle response removes the band."
        ),
        source="Model: this book's reconstruction (domain §3b), lock-in preset with λ and k varied",
    )
