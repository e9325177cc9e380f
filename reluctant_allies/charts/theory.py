"""Chapter 2 (neoclassical realism): the causal diagram, the systemic picture, the
written-obligation record, and the static model with hurdle-weight sliders.

Every number in the explorable comes from :mod:`reluctant_allies.models` (the book's
reconstruction, domain.md §3a); this module only lays the results out on a grid the
page can filter without a kernel."""

from __future__ import annotations

from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from ..analysis.theory import (
    _COUNTRIES,
    _DATASETS,
    _DYADS,
    _OBLIGATIONS,
    _by_phi,
    _check_params,
    _check_step,
    _levels,
    obligation_tiles,
    spending_shares,
    static_filter_grid,
    static_filter_thresholds,
)
from .theme import MUTED, PALETTE, finish

__all__ = [
    "ncr_causal_diagram",
    "unipolarity_spending_shares",
    "alliance_obligation_tiles",
    "static_filter_explorable",
]


#: Boxes of the diagram: id -> (x centre, y centre, half-width, half-height, label lines, role).
_NODES = {
    "S": (1.3, 3.3, 1.15, 0.6, ["Systemic pressure S", "(US-led unipolarity)"], "system"),
    "He": (5.0, 3.95, 1.25, 0.42, ["Economic models H_e"], "unit"),
    "Hm": (5.0, 2.75, 1.25, 0.42, ["Historical memory H_m"], "unit"),
    "C": (8.75, 3.3, 1.15, 0.6, ["Cooperation C", "(entente … alliance)"], "outcome"),
    "P": (5.0, 0.55, 1.25, 0.42, ["State policies P"], "policy"),
}


#: The frame around the intervening variables.
_GROUP = (3.45, 6.55, 2.05, 5.3)  # x0, x1, y0, y1


_ROLE_COLOUR = {
    "system": PALETTE[1],
    "unit": PALETTE[4],
    "outcome": PALETTE[0],
    "policy": PALETTE[2],
}


def _edges() -> pd.DataFrame:
    """Polylines of the arrows, one row per vertex; the last vertex carries the head."""
    x0, x1, y0, _ = _GROUP
    rows = [
        # solid: the filter picture (system -> intervening variables -> policy outcome)
        ("S→H", "static", [(2.45, 3.3), (x0, 3.3)], "right"),
        ("H→C", "static", [(x1, 3.3), (7.6, 3.3)], "right"),
        # dashed: the article's addition (C3-C4)
        ("S→P", "feedback", [(1.3, 2.7), (1.3, 0.55), (3.75, 0.55)], "right"),
        ("P→H", "feedback", [(5.0, 0.97), (5.0, y0)], "up"),
    ]
    out = []
    for edge, kind, pts, head in rows:
        for order, (x, y) in enumerate(pts):
            out.append(
                {
                    "edge": edge,
                    "kind": kind,
                    "order": order,
                    "x": x,
                    "y": y,
                    "head": head if order == len(pts) - 1 else "",
                }
            )
    return pd.DataFrame(out)


def _diagram_nodes() -> pd.DataFrame:
    """The diagram's boxes, one row per node with its extent, label lines and role."""
    return pd.DataFrame(
        [
            {
                "id": k,
                "x": x,
                "y": y,
                "x0": x - w,
                "x1": x + w,
                "y0": y - h,
                "y1": y + h,
                "text": lines,
                "role": role,
            }
            for k, (x, y, w, h, lines, role) in _NODES.items()
        ]
    )


def _diagram_x(field: str) -> alt.X:
    """An axis-less x encoding on the diagram's fixed 0-10 canvas."""
    return alt.X(field, scale=alt.Scale(domain=[0, 10], nice=False), axis=None)


def _diagram_y(field: str) -> alt.Y:
    """An axis-less y encoding on the diagram's fixed 0-5.6 canvas."""
    return alt.Y(field, scale=alt.Scale(domain=[0, 5.6], nice=False), axis=None)


def _diagram_box_layers(nodes: pd.DataFrame) -> tuple[alt.Chart, alt.Chart, alt.Chart, alt.Chart]:
    """The group frame, its label, the node boxes and the node labels, in that order."""
    X, Y = _diagram_x, _diagram_y
    gx0, gx1, gy0, gy1 = _GROUP
    group = (
        alt.Chart(pd.DataFrame([{"x0": gx0, "x1": gx1, "y0": gy0, "y1": gy1}]))
        .mark_rect(fill="#fbf6ea", stroke=_ROLE_COLOUR["unit"], strokeWidth=1.2, cornerRadius=6)
        .encode(x=X("x0:Q"), x2="x1:Q", y=Y("y0:Q"), y2="y1:Q")
    )
    group_label = (
        alt.Chart(pd.DataFrame([{"x": (gx0 + gx1) / 2, "y": gy1 - 0.3}]))
        .mark_text(fontSize=11, fontWeight=600, color=MUTED)
        .encode(x=X("x:Q"), y=Y("y:Q"), text=alt.value("Intervening (unit-level) variables"))
    )
    boxes = (
        alt.Chart(nodes)
        .mark_rect(fill="white", strokeWidth=2, cornerRadius=5)
        .encode(
            x=X("x0:Q"),
            x2="x1:Q",
            y=Y("y0:Q"),
            y2="y1:Q",
            stroke=alt.Color(
                "role:N",
                scale=alt.Scale(domain=list(_ROLE_COLOUR), range=list(_ROLE_COLOUR.values())),
                legend=None,
            ),
        )
    )
    labels = (
        alt.Chart(nodes)
        .mark_text(fontSize=12, lineHeight=15, baseline="middle")
        .encode(x=X("x:Q"), y=Y("y:Q"), text="text")
    )
    return group, group_label, boxes, labels


def _diagram_arrow_layers(edges: pd.DataFrame, colour: alt.Scale) -> tuple[alt.Chart, list]:
    """The arrow shafts (one line per edge) and the list of arrowhead layers."""
    X, Y = _diagram_x, _diagram_y
    dash = alt.Scale(domain=["static", "feedback"], range=[[1, 0], [6, 4]])
    lines = (
        alt.Chart(edges)
        .mark_line(strokeWidth=2.2)
        .encode(
            x=X("x:Q"),
            y=Y("y:Q"),
            detail="edge:N",
            order="order:Q",
            strokeDash=alt.StrokeDash("kind:N", scale=dash, legend=None),
            color=alt.Color("kind:N", scale=colour, legend=None),
        )
    )
    heads = []
    for head, shape in (("right", "triangle-right"), ("up", "triangle-up")):
        heads.append(
            alt.Chart(edges)
            .transform_filter(alt.datum.head == head)
            .mark_point(shape=shape, size=110, filled=True, opacity=1)
            .encode(
                x=X("x:Q"),
                y=Y("y:Q"),
                color=alt.Color("kind:N", scale=colour, legend=None),
            )
        )
    return lines, heads


def _diagram_note_layer(colour: alt.Scale) -> alt.Chart:
    """The italic notes beside the arrows, coloured by arrow kind."""
    notes = pd.DataFrame(
        [
            {"x": 2.95, "y": 3.62, "t": "pushes", "c": "static"},
            {"x": 7.08, "y": 3.62, "t": "filtered", "c": "static"},
            {"x": 2.5, "y": 0.22, "t": "pressure calls forth policy", "c": "feedback"},
            {"x": 6.75, "y": 1.45, "t": "policy transforms hurdles", "c": "feedback"},
            {"x": 6.75, "y": 1.12, "t": "(the article's addition)", "c": "feedback"},
        ]
    )
    return (
        alt.Chart(notes)
        .mark_text(fontSize=11, fontStyle="italic")
        .encode(
            x=_diagram_x("x:Q"),
            y=_diagram_y("y:Q"),
            text="t:N",
            color=alt.Color("c:N", scale=colour, legend=None),
        )
    )


_NCR_DESCRIPTION = (
    "Causal diagram, not data. Solid arrows: systemic pressure S from US-led "
    "unipolarity pushes cooperation C, moderated by two unit-level intervening "
    "variables, economic models H_e and historical memory H_m. Dashed arrows: the "
    "article's addition, in which pressure calls forth state policies P that "
    "transform the hurdles themselves."
)


def ncr_causal_diagram(
    *,
    source: str = (
        "Source: this book's reading of the abstract (Korolev & Portyakov 2019); "
        "a diagram, not data"
    ),
    title: str = "Neoclassical realism as the article extends it",
):
    """System -> intervening variables -> cooperation (solid), plus the article's feedback
    route system -> state policies -> hurdles (dashed). Drawn with Altair marks so it
    carries a title, a source line and an accessible description like every chart."""
    nodes = _diagram_nodes()
    edges = _edges()
    group, group_label, boxes, labels = _diagram_box_layers(nodes)
    colour = alt.Scale(domain=["static", "feedback"], range=["#444444", PALETTE[2]])
    lines, heads = _diagram_arrow_layers(edges, colour)
    note_marks = _diagram_note_layer(colour)
    chart = alt.layer(group, group_label, lines, *heads, boxes, labels, note_marks).properties(
        width=540, height=290
    )
    return finish(chart, title=title, source=source, description=_NCR_DESCRIPTION)


def _shares_frame(power: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
    """The spending-share frame with its stacking order, and its first and last year."""
    df = spending_shares(power)
    order = {c: i for i, c in enumerate(_COUNTRIES)}
    df["stack"] = df["country"].map(order)
    first, last = int(df["year"].min()), int(df["year"].max())
    return df, first, last


def _shares_layers(df: pd.DataFrame, first: int, last: int, x: alt.X) -> list:
    """The stacked areas, the US boundary line and the US end labels."""
    colours = alt.Scale(domain=list(_COUNTRIES), range=[PALETTE[0], PALETTE[1], PALETTE[2]])
    area = (
        alt.Chart(df)
        .mark_area(opacity=0.85, interpolate="linear")
        .encode(
            x=x,
            y=alt.Y(
                "share:Q",
                stack="zero",
                title="share of the three-country total",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color("country:N", scale=colours, sort=list(_COUNTRIES), title=None),
            order=alt.Order("stack:Q"),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                "country:N",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
    )
    us = df[df["country"] == "USA"]
    line = alt.Chart(us).mark_line(color="white", strokeWidth=1.5).encode(x=x, y="share:Q")
    ends = us[us["year"].isin([first, last])].copy()
    ends["label"] = ends["share"].map(lambda s: f"USA {s:.0%}")
    end_labels = [
        alt.Chart(ends[ends["year"] == yr])
        .mark_text(color="white", fontWeight=600, fontSize=12, dy=14, align=side, dx=dx)
        .encode(x=x, y="share:Q", text="label:N")
        for yr, side, dx in ((first, "left", 4), (last, "right", -4))
    ]
    return [area, line, *end_labels]


def _uncertain_layers(first: int, last: int, uncertain_from: int) -> list:
    """The shaded band over the uncertain Russian years and its note (empty if none)."""
    if uncertain_from > last:
        return []
    band = pd.DataFrame([{"a": max(uncertain_from, first) - 0.5, "b": last}])
    rect = (
        alt.Chart(band)
        .mark_rect(fill="white", opacity=0.35, stroke="#333333", strokeDash=[3, 3])
        .encode(x="a:Q", x2="b:Q")
    )
    note = (
        alt.Chart(
            pd.DataFrame(
                [
                    {"x": uncertain_from - 0.8, "y": 0.40, "t": "Russia: SIPRI"},
                    {"x": uncertain_from - 0.8, "y": 0.34, "t": "estimates highly"},
                    {"x": uncertain_from - 0.8, "y": 0.28, "t": "uncertain →"},
                ]
            )
        )
        .mark_text(align="right", fontSize=11, color="white", fontWeight=600)
        .encode(x="x:Q", y="y:Q", text="t:N")
    )
    return [rect, note]


def _shares_description(df: pd.DataFrame, first: int, last: int, uncertain_from: int) -> str:
    """The accessible description of the spending-shares chart."""
    us = df[df["country"] == "USA"]
    s0 = float(us.loc[us["year"] == first, "share"].iloc[0])
    s1 = float(us.loc[us["year"] == last, "share"].iloc[0])
    return (
        f"Stacked area chart, {first} to {last}: the United States' share of the summed "
        f"military spending of the USA, China and Russia falls from {s0:.0%} to {s1:.0%}, "
        "while China's share grows; Russia's share is small throughout. "
        f"Years from {uncertain_from} are shaded because SIPRI's Russian figures are "
        "highly uncertain."
    )


def unipolarity_spending_shares(
    power: pd.DataFrame,
    *,
    source: str,
    uncertain_from: int = 2022,
    title: str = "Shares of US + Chinese + Russian military spending",
):
    """Stacked shares (USA at the bottom) of the three states' summed SIPRI military
    spending, constant 2023 US$. Years from ``uncertain_from`` are shaded: SIPRI flags
    Russia's figures for them as highly uncertain."""
    df, first, last = _shares_frame(power)
    x = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=[first, last], nice=False),
        axis=alt.Axis(format="d", tickCount=8),
    )
    layers = _shares_layers(df, first, last, x) + _uncertain_layers(first, last, uncertain_from)
    chart = alt.layer(*layers).properties(width=500, height=260)
    return finish(
        chart,
        title=title,
        source=source,
        description=_shares_description(df, first, last, uncertain_from),
    )


def alliance_obligation_tiles(
    alliances: pd.DataFrame,
    *,
    source: str,
    start: int = 1950,
    title: str = "Written alliance obligations between the three powers",
):
    """Tile chart: for each dyad and obligation type, the years in which ATOP (upper strip)
    and COW (lower strip) code an obligation in force. Blank = no such obligation coded."""
    tiles = obligation_tiles(alliances, start)
    end = int(alliances["year"].max())
    colours = alt.Scale(domain=list(_DATASETS.values()), range=[PALETTE[0], PALETTE[4]])
    chart = (
        alt.Chart(tiles)
        .mark_rect()
        .encode(
            x=alt.X(
                "year:O",
                title=None,
                scale=alt.Scale(domain=list(range(start, end + 1)), paddingInner=0.08),
                axis=alt.Axis(
                    values=list(range(start - start % 10 + 10, end + 1, 10)),
                    labelAngle=0,
                ),
            ),
            y=alt.Y("obligation:N", sort=list(_OBLIGATIONS.values()), title=None),
            yOffset=alt.YOffset("dataset:N", sort=list(_DATASETS.values())),
            color=alt.Color("dataset:N", scale=colours, title=None),
            row=alt.Row(
                "dyad:N",
                sort=list(_DYADS),
                title=None,
                header=alt.Header(
                    labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight=600
                ),
            ),
            tooltip=["dyad:N", "year:O", "obligation:N", "dataset:N"],
        )
        .properties(width=440, height=alt.Step(6))
        .configure_facet(spacing=6)
    )
    cr = tiles[tiles["dyad"] == "China–Russia"]
    last_def = cr.loc[cr["obligation"] == "defence", "year"]
    last_def_text = f"the last in {int(last_def.max())}" if len(last_def) else "none"
    return finish(
        chart,
        title=title,
        source=source,
        description=(
            f"Tile chart, {start} to {end}, one panel per dyad (China–Russia, China–USA, "
            "Russia–USA) and one row per obligation type; blue tiles are ATOP codings, "
            "orange tiles COW codings. China–Russia defence obligations are coded in the "
            f"early decades ({last_def_text}); afterwards only non-aggression, consultation "
            "(ATOP) and entente (COW) appear."
        ),
    )


def _threshold_text(S_E: float, S_A: float) -> str:
    def one(name: str, value: float) -> str:
        if not np.isfinite(value):
            return f"{name}: never (no push gets through)"
        return f"{name} = {value:.2f}" + (" (> 1: unreachable)" if value > 1 else "")

    return f"{one('S_E', S_E)};  {one('S_A', S_A)}"


class _StaticFrames(NamedTuple):
    """The frames the static explorable draws."""

    curves: pd.DataFrame
    cuts_phi: pd.DataFrame
    cuts: pd.DataFrame
    pairs: pd.DataFrame


def _check_static_args(
    params: models.StaticParams | None, gamma_step: float, hurdle_step: float, s_step: float
) -> models.StaticParams:
    """The checked parameters; raises if a step is bad or a default is off the slider grid."""
    params = _check_params(params)
    for name, step in (
        ("gamma_step", gamma_step),
        ("hurdle_step", hurdle_step),
        ("s_step", s_step),
    ):
        _check_step(name, step)
    for name in ("gamma_e", "gamma_m", "H_e0", "H_m0"):
        step = gamma_step if name.startswith("gamma") else hurdle_step
        value = getattr(params, name)
        if abs(value / step - round(value / step)) > 1e-9:
            raise ValueError(f"params.{name}={value:g} is not on the slider grid (step {step:g})")
    return params


def _rejected_pairs(gamma_step: float) -> pd.DataFrame:
    """The weight pairs with gamma_e + gamma_m > 1, each with the message shown for it."""
    g = _levels("gamma_step", gamma_step)
    pairs = pd.DataFrame([(a, b) for a in g for b in g], columns=["g_e", "g_m"])
    pairs["valid"] = np.round(pairs["g_e"] + pairs["g_m"], 9) <= 1.0
    pairs = pairs[~pairs["valid"]].copy()
    pairs["text"] = [
        f"γ_e + γ_m = {a + b:.1f} > 1: the model rejects this. Lower one weight."
        for a, b in zip(pairs["g_e"], pairs["g_m"], strict=True)
    ]
    return pairs


def _static_frames(
    params: models.StaticParams, gamma_step: float, hurdle_step: float, s_step: float
) -> _StaticFrames:
    """The curves, the per-phi threshold texts, the threshold cuts and the rejected pairs."""
    grid = static_filter_grid(params, gamma_step=gamma_step, hurdle_step=hurdle_step, s_step=s_step)
    curves = _by_phi(grid, ["S"], ["C"])
    table = static_filter_thresholds(params, gamma_step=gamma_step, hurdle_step=hurdle_step)
    cuts_phi = _by_phi(table, [], ["S_E", "S_A"])
    cuts_phi["text"] = [
        _threshold_text(a, b) for a, b in zip(cuts_phi.S_E, cuts_phi.S_A, strict=True)
    ]
    cuts = cuts_phi.melt(id_vars="phi", value_vars=["S_E", "S_A"], var_name="which", value_name="S")
    cuts = cuts[np.isfinite(cuts["S"]) & (cuts["S"] <= 1.0)].copy()
    cuts["C"] = cuts["which"].map({"S_E": params.theta_E, "S_A": params.theta_A})
    cuts["floor"] = 0.0
    return _StaticFrames(curves, cuts_phi, cuts, _rejected_pairs(gamma_step))


def _slider(name: str, value: float, step: float, label: str) -> alt.Parameter:
    """A named 0-1 range slider parameter."""
    return alt.param(
        name=name,
        value=round(value, 6),
        bind=alt.binding_range(min=0, max=1, step=step, name=label),
    )


def _static_sliders(
    params: models.StaticParams, gamma_step: float, hurdle_step: float
) -> tuple[alt.Parameter, ...]:
    """The four sliders gamma_e, gamma_m, H_e, H_m, in that order."""
    return (
        _slider("gamma_e", params.gamma_e, gamma_step, "γ_e, weight of the economic hurdle "),
        _slider("gamma_m", params.gamma_m, gamma_step, "γ_m, weight of the memory hurdle "),
        _slider("H_e", params.H_e0, hurdle_step, "H_e, level of the economic hurdle "),
        _slider("H_m", params.H_m0, hurdle_step, "H_m, level of the memory hurdle "),
    )


def _theta_layers(params: models.StaticParams) -> list:
    """The entente-alliance band and the two threshold rules with their labels."""
    band = (
        alt.Chart(pd.DataFrame([{"lo": params.theta_E, "hi": params.theta_A}]))
        .mark_rect(color=PALETTE[4], opacity=0.12)
        .encode(y=alt.Y("lo:Q", scale=alt.Scale(domain=[0, 1])), y2="hi:Q")
    )
    thetas = pd.DataFrame(
        [
            {"C": params.theta_E, "t": f"θ_E = {params.theta_E:g}: entente"},
            {"C": params.theta_A, "t": f"θ_A = {params.theta_A:g}: alliance"},
        ]
    )
    theta_rules = alt.Chart(thetas).mark_rule(color=MUTED, strokeDash=[4, 3]).encode(y="C:Q")
    theta_text = (
        alt.Chart(thetas)
        .mark_text(align="left", dx=4, dy=-6, fontSize=11, color="#222222")
        .encode(x=alt.value(0), y="C:Q", text="t:N")
    )
    return [band, theta_rules, theta_text]


def _curve_layers(frames: _StaticFrames, chosen_phi: str, default_phi: float) -> list:
    """The grey default curve, the live curve and the live threshold cuts with labels."""
    x = alt.X("S:Q", title="systemic pressure S", scale=alt.Scale(domain=[0, 1], nice=False))
    y = alt.Y("C:Q", title="equilibrium cooperation C*", scale=alt.Scale(domain=[0, 1]))
    reference = (
        alt.Chart(frames.curves)
        .transform_filter(f"abs(datum.phi - {default_phi}) < 0.005")
        .mark_line(color="#8a8a8a", strokeWidth=1.5, strokeDash=[2, 2])
        .encode(x=x, y=y)
    )
    live = (
        alt.Chart(frames.curves)
        .transform_filter(chosen_phi)
        .mark_line(color=PALETTE[0], strokeWidth=3)
        .encode(
            x=x,
            y=y,
            tooltip=[alt.Tooltip("S:Q", format=".2f"), alt.Tooltip("C:Q", format=".3f")],
        )
    )
    cut_rules = (
        alt.Chart(frames.cuts)
        .transform_filter(chosen_phi)
        .mark_rule(color=PALETTE[1], strokeWidth=1.5)
        .encode(x="S:Q", y="C:Q", y2="floor:Q")
    )
    cut_labels = (
        alt.Chart(frames.cuts)
        .transform_filter(chosen_phi)
        .mark_text(color=PALETTE[1], fontWeight=600, dy=-8, fontSize=11)
        .encode(x="S:Q", y="C:Q", text="which:N")
    )
    return [reference, live, cut_rules, cut_labels]


def _text_layers(frames: _StaticFrames, chosen_phi: str, bad_pair: str) -> list:
    """The threshold headline, the rejected-weights message and the slider read-out."""
    headline = dict(align="left", fontSize=12, fontWeight=600)
    status = (
        alt.Chart(frames.cuts_phi[["phi", "text"]])
        .transform_filter(chosen_phi)
        .mark_text(**headline, color="#222222")
        .encode(x=alt.value(4), y=alt.value(-8), text="text:N")
    )
    message = (
        alt.Chart(frames.pairs)
        .transform_filter(bad_pair)
        .mark_text(**headline, color=PALETTE[1])
        .encode(x=alt.value(4), y=alt.value(-8), text="text:N")
    )
    # a read-out of the four sliders, so every slider changes the chart even where the
    # model rejects the weights and no curve is drawn
    readout = alt.Chart(pd.DataFrame([{}])).mark_text(
        align="left",
        fontSize=11,
        color=MUTED,
        x=6,
        y=10,
        text=alt.expr(
            "'setting: γ_e = ' + format(gamma_e, '.1f') + ', γ_m = ' + format(gamma_m, '.1f')"
            " + ', H_e = ' + format(H_e, '.1f') + ', H_m = ' + format(H_m, '.1f')"
        ),
    )
    return [status, message, readout]


def _static_description(
    params: models.StaticParams, cuts_phi: pd.DataFrame, default_phi: float
) -> str:
    """The accessible description of the static explorable, with the default thresholds."""
    d = cuts_phi[np.abs(cuts_phi["phi"] - default_phi) < 0.005]
    default_text = d["text"].iloc[0] if len(d) else ""
    return (
        "Interactive line chart of the book's static model: equilibrium cooperation C* "
        "against systemic pressure S from 0 to 1, with sliders for the hurdle weights "
        "gamma_e and gamma_m and the hurdle levels H_e and H_m. Horizontal dashed lines "
        f"mark the entente threshold {params.theta_E:g} and the alliance threshold "
        f"{params.theta_A:g}; vertical lines mark the pressures S_E and S_A at which they "
        f"are reached. At the defaults (weights {params.gamma_e:g} and "
        f"{params.gamma_m:g}, hurdles {params.H_e0:g} and {params.H_m0:g}): "
        f"{default_text}. A grey dotted curve keeps the default for comparison."
    )


def static_filter_explorable(
    params: models.StaticParams | None = None,
    *,
    gamma_step: float = 0.1,
    hurdle_step: float = 0.2,
    s_step: float = 0.02,
    title: str = "Static model: how the hurdles move the thresholds",
    source: str = "Source: this book's static model (reluctant_allies.models), not data",
):
    """Four sliders (hurdle weights gamma_e, gamma_m; hurdle levels H_e, H_m) and the curve
    C*(S) on [0, 1], with the entente and alliance thresholds theta_E, theta_A (horizontal)
    and S_E, S_A (vertical, drawn only where S <= 1). A grey dotted curve keeps the
    defaults of ``params`` for comparison. Weight pairs with gamma_e + gamma_m > 1 show a
    message instead of a curve, because the model rejects them."""
    params = _check_static_args(params, gamma_step, hurdle_step, s_step)
    frames = _static_frames(params, gamma_step, hurdle_step, s_step)
    sliders = _static_sliders(params, gamma_step, hurdle_step)
    tol_g = gamma_step / 4
    valid = f"gamma_e + gamma_m <= 1 + {tol_g}"
    # the join key: the same filter the model applies (checked against the model in tests)
    chosen_phi = f"({valid}) && abs(datum.phi - (1 - gamma_e * H_e - gamma_m * H_m)) < 0.005"
    default_phi = round(1 - params.gamma_e * params.H_e0 - params.gamma_m * params.H_m0, 6)
    bad_pair = f"abs(datum.g_e - gamma_e) < {tol_g} && abs(datum.g_m - gamma_m) < {tol_g}"
    chart = (
        alt.layer(
            *_theta_layers(params),
            *_curve_layers(frames, chosen_phi, default_phi),
            *_text_layers(frames, chosen_phi, bad_pair),
        )
        .add_params(*sliders)
        .properties(width=500, height=260)
    )
    return finish(
        chart,
        title=title,
        source=source,
        description=_static_description(params, frames.cuts_phi, default_phi),
    )
