"""Chapter 10 (two players, one alliance): builders for Snyder's alliance game.

* :func:`post2022_timeline`      -- who said and did what, 2019-2025, one lane per actor
* :func:`ideal_point_distances`  -- UNGA ideal-point distance for the three pairs of states
* :func:`threshold_table`        -- each state's thresholds and equilibria in named games
* :func:`corner_drift_explorable` -- sliders for Russia's exposure X_RU and the years of
  hurdle wear: the alliance quadrant's corner moves down-left as the hurdles fall
* :func:`readout_below`          -- lays out a quadrant explorer with its read-out under the
  square, so the chart fits the content column

Model numbers come from :mod:`reluctant_allies.models` (the book's reconstruction, domain
§3b-c); this module only arranges them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns
from ..analysis.game import PAIRS, _corners, _distances
from ._sliders import match_sliders, slider_grid, slider_param, star_rules
from .theme import MUTED, PALETTE, finish
from .timeline import CATEGORIES

__all__ = ["post2022_timeline", "ideal_point_distances", "corner_drift_explorable", "readout_below"]


#: Lanes, top to bottom: who acted. "Russia–DPRK" is the contrast case (a defence clause).
ACTORS = ("China–Russia", "China", "Russia", "Russia–DPRK")


def _timeline_window(
    events: pd.DataFrame, start: str, end: str
) -> tuple[pd.DataFrame, pd.Timestamp, pd.Timestamp]:
    """The checked events between ``start`` and ``end`` (dates parsed), and the two bounds."""
    require_columns(
        events,
        ("id", "date", "event", "category", "actor", "source_url"),
        "timeline",
        nonempty=True,
    )
    try:
        lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    except (TypeError, ValueError) as err:
        raise ValueError(f"post2022_timeline: start/end must be dates ({err})") from None
    if lo >= hi:
        raise ValueError(f"post2022_timeline: start {start} is not before end {end}")
    df = events.copy()
    df["date"] = pd.to_datetime(df["date"])
    df = df[(df["date"] >= lo) & (df["date"] <= hi)]
    if df.empty:
        raise ValueError(f"post2022_timeline: no events between {start} and {end}")
    unknown = sorted(set(df["actor"]) - set(ACTORS))
    if unknown:
        raise ValueError(f"post2022_timeline: actor value(s) {unknown} have no lane")
    bad_cat = sorted(set(df["category"]) - set(CATEGORIES))
    if bad_cat:
        raise ValueError(f"post2022_timeline: unknown category value(s) {bad_cat}")
    return df, lo, hi


def _timeline_frame(df: pd.DataFrame, label: dict[str, str]) -> pd.DataFrame:
    """The events sorted by date, with their labels and alternating label offsets."""
    df = df.sort_values("date", kind="stable").reset_index(drop=True)
    df["label"] = df["id"].map(label).fillna("")
    labelled = df["label"] != ""
    nth = df.loc[labelled].groupby("actor").cumcount()
    df["label_dy"] = 0
    df.loc[labelled, "label_dy"] = nth.map(lambda i: -12 if i % 2 == 0 else 14)
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    return df[["id", "date", "event", "category", "actor", "source_url", "label", "label_dy"]]


def _timeline_chart(df: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> alt.LayerChart:
    """One lane per actor: a dot per event, coloured by category, and the labels."""
    cats = [c for c in CATEGORIES if c in set(df["category"])]
    base = alt.Chart(df).encode(
        x=alt.X(
            "date:T",
            title=None,
            scale=alt.Scale(domain=[lo.strftime("%Y-%m-%d"), hi.strftime("%Y-%m-%d")]),
            axis=alt.Axis(format="%Y", tickCount=alt.TickCount(interval="year", step=1)),
        ),
        y=alt.Y(
            "actor:N",
            sort=list(ACTORS),
            scale=alt.Scale(domain=list(ACTORS)),
            title=None,
            axis=alt.Axis(labelLimit=120, domain=False, ticks=False),
        ),
    )
    dots = base.mark_circle(size=80, opacity=0.9, stroke="white", strokeWidth=0.8).encode(
        color=alt.Color(
            "category:N",
            title=None,
            scale=alt.Scale(domain=cats, range=[CATEGORIES[c] for c in cats]),
        ),
        tooltip=[
            alt.Tooltip("date:T", title="date", format="%d %b %Y"),
            alt.Tooltip("event:N", title="event"),
            alt.Tooltip("actor:N", title="actor"),
            alt.Tooltip("source_url:N", title="source"),
        ],
    )
    layers = [dots]
    for dy in (-12, 14):
        layers.append(
            base.transform_filter(alt.datum.label_dy == dy)
            .mark_text(fontSize=10.5, dy=dy)
            .encode(text="label:N")
        )
    return alt.layer(*layers).properties(width=500, height=230)


def post2022_timeline(
    events: pd.DataFrame,
    *,
    source: str,
    label: Mapping[str, str] | None = None,
    start: str = "2019-01-01",
    end: str = "2025-12-31",
    title: str = "Closer, but not allied: China and Russia, 2019–2025",
):
    """One lane per actor, one dot per dated event between ``start`` and ``end``.

    Colours are the event categories of the book's main timeline. ``label`` maps event
    ids to short names drawn on the chart; labels alternate above and below their dot.
    """
    df, lo, hi = _timeline_window(events, start, end)
    label = dict(label or {})
    absent = sorted(set(label) - set(df["id"]))
    if absent:
        raise ValueError(f"post2022_timeline: no event in range with id(s) {absent}")
    df = _timeline_frame(df, label)
    chart = _timeline_chart(df, lo, hi)
    counts = df["actor"].value_counts()
    summary = ", ".join(f"{counts.get(a, 0)} by {a}" for a in ACTORS)
    return finish(
        chart,
        title=title,
        description=(
            f"Timeline of {len(df)} dated events from {df['date'].iloc[0][:4]} to "
            f"{df['date'].iloc[-1][:4]}, one row per actor ({summary}); colour gives the kind "
            "of event. Joint patrols and joint statements continue through 2025, while China "
            "abstains at the UN in March 2022, the two governments write in March 2023 that "
            "they are not an alliance, and Russia signs a treaty with a mutual-assistance "
            "clause with North Korea in June 2024. Hover over a dot for its source."
        ),
        source=source,
    )


#: One colour per pair of states (the pairs are :data:`analysis.game.PAIRS`).
PAIR_COLOURS = dict(zip(PAIRS, (PALETTE[2], PALETTE[4], PALETTE[3]), strict=True))


def _distance_layers(df: pd.DataFrame, marks: dict[int, str], y0: int, y1: int) -> list[alt.Chart]:
    """The pairs' distance lines and dots, plus a labelled dashed rule per marked year."""
    enc = {
        "x": alt.X(
            "year:Q",
            title=None,
            scale=alt.Scale(domain=[y0, y1], nice=False),
            axis=alt.Axis(format="d", values=list(range(y0, y1 + 1, 4))),
        ),
        "y": alt.Y(
            "distance:Q",
            title="distance between ideal points",
            scale=alt.Scale(domain=[0, float(np.ceil(df["distance"].max()))]),
        ),
        "color": alt.Color(
            "pair:N",
            title=None,
            scale=alt.Scale(domain=list(PAIR_COLOURS), range=list(PAIR_COLOURS.values())),
        ),
    }
    tip = [
        alt.Tooltip("pair:N"),
        alt.Tooltip("year:Q", format="d"),
        alt.Tooltip("distance:Q", format=".2f"),
    ]
    layers = [
        alt.Chart(df).mark_line().encode(detail="series:N", **enc),
        alt.Chart(df).mark_circle(size=22).encode(tooltip=tip, **enc),
    ]
    if marks:
        m = pd.DataFrame({"year": list(marks), "text": list(marks.values())})
        rule = alt.Chart(m).encode(x="year:Q")
        layers.append(rule.mark_rule(strokeDash=[4, 3], color=MUTED))
        layers.append(
            rule.mark_text(align="right", dx=-4, baseline="top", fontSize=11, color=MUTED).encode(
                y=alt.value(2), text="text:N"
            )
        )
    return layers


def _distance_description(df: pd.DataFrame, y0: int, y1: int) -> str:
    """The accessible description of :func:`ideal_point_distances`."""
    wide = df.pivot(index="year", columns="pair", values="distance")

    def v(pair: str, year: int) -> str:
        return f"{wide.loc[year, pair]:.2f}" if year in wide.index else "n/a"

    return (
        f"Line chart, {y0}–{y1}, of the distance between two states' UN General Assembly "
        f"ideal points. China–Russia: {v('China–Russia', y0)} in {y0}, "
        f"{v('China–Russia', 2021)} in 2021, {v('China–Russia', 2022)} in 2022 and "
        f"{v('China–Russia', y1)} in {y1}. China–USA stays near 3 and Russia–USA rises "
        f"from {v('Russia–USA', y0)} to {v('Russia–USA', y1)}, with a peak of "
        f"{v('Russia–USA', 2022)} in 2022."
    )


def ideal_point_distances(
    unga: pd.DataFrame,
    *,
    source: str,
    marks: Mapping[int, str] | None = None,
    title: str = "Distance between UN voting positions, three pairs of states",
):
    """Absolute distance between two states' UNGA ideal points, per year, for each pair.

    ``marks`` maps years to a short label drawn with a vertical rule (e.g. 2014, 2022).
    Lines break at missing years.
    """
    df = _distances(unga)
    marks = dict(marks or {})
    y0, y1 = int(df["year"].min()), int(df["year"].max())
    outside = sorted(y for y in marks if not y0 <= int(y) <= y1)
    if outside:
        raise ValueError(f"ideal_point_distances: mark year(s) {outside} outside {y0}–{y1}")
    layers = _distance_layers(df, marks, y0, y1)
    chart = alt.layer(*layers).properties(width=500, height=240)
    return finish(chart, title=title, description=_distance_description(df, y0, y1), source=source)


REGIONS = (
    "both would accept an alliance, but no entente",
    "entente, alliance refused: reluctant allies",
    "alliance: entente and both accept",
)


REGION_COLOURS = ("#cfe6f5", PALETTE[4], PALETTE[0])


class _CornerRows(NamedTuple):
    """The explorable's precomputed rows, one set per (X_RU, year) slider position."""

    rects: list[dict]
    rules: list[dict]
    texts: list[dict]
    trail: list[dict]


def _corner_text(r: SimpleNamespace) -> str:
    """The three-line read-out for one slider position (a :func:`_corners` row)."""
    never = " (never)"
    return "\n".join(
        [
            f"year {r.t}: hurdles H_e = {r.H_e:.2f}, H_m = {r.H_m:.2f}; "
            f"entente needs S ≥ {r.S_cn_entente:.2f}",
            f"China accepts from S_CN* = {r.S_cn_star:.2f}"
            + (never if r.S_cn_star > 1 else "")
            + f"; Russia from S_RU* = {r.S_ru_star:.2f}"
            + (never if r.S_ru_star > 1 else ""),
            f"reluctant-allies share of the square: {r.reluctant_area:.3f}",
        ]
    )


def _corner_rows(corners: list) -> _CornerRows:
    """Region boxes, threshold rules, read-out texts and corner trail from :func:`_corners`."""
    rows = _CornerRows([], [], [], [])
    for r, q in ((SimpleNamespace(**row), q) for row, q in corners):
        key = {"X": r.X, "t": r.t}
        for name, rect in zip(REGIONS, (q.acceptance, q.entente, q.alliance), strict=True):
            if rect is not None and rect.area > 0:
                box = np.round([rect.x0, rect.x1, rect.y0, rect.y1], 4).tolist()
                rows.rects.append(
                    {**key, "region": name, **dict(zip(("x0", "x1", "y0", "y1"), box, strict=True))}
                )
        for axis, v in (("x", q.S_cn_star), ("y", q.S_ru_star)):
            if 0 <= v <= 1:
                rows.rules.append({**key, "axis": axis, "v": round(v, 4)})
        rows.texts.append({**key, "text": _corner_text(r)})
        if q.alliance is not None:
            rows.trail.append(
                {"X": r.X, "t": r.t, "x": round(q.alliance.x0, 4), "y": round(q.alliance.y0, 4)}
            )
    return rows


def _corner_region_layer(rects: list[dict], both: str, scale: alt.Scale) -> alt.Chart:
    """The square's coloured regions for the slider position ``both`` matches."""
    return (
        alt.Chart(pd.DataFrame(rects))
        .transform_filter(both)
        .mark_rect()
        .encode(
            x=alt.X("x0:Q", title="pressure on China S_CN", scale=scale),
            x2="x1:Q",
            y=alt.Y("y0:Q", title="pressure on Russia S_RU", scale=scale),
            y2="y1:Q",
            color=alt.Color(
                "region:N",
                title=None,
                scale=alt.Scale(domain=list(REGIONS), range=list(REGION_COLOURS)),
                legend=alt.Legend(direction="vertical", orient="bottom"),
            ),
            tooltip=[alt.Tooltip("region:N")],
        )
    )


def _corner_trail_layers(trail: list[dict], scale: alt.Scale) -> tuple[alt.Chart, alt.Chart]:
    """The alliance corner's path over the years for the chosen X_RU: line and dots."""
    path = (
        alt.Chart(pd.DataFrame(trail))
        .transform_filter(match_sliders(X="xru"))
        .encode(
            x=alt.X("x:Q", scale=scale),
            y=alt.Y("y:Q", scale=scale),
            order="t:Q",
            tooltip=[
                alt.Tooltip("t:Q", title="year"),
                alt.Tooltip("x:Q", title="corner S_CN", format=".2f"),
                alt.Tooltip("y:Q", title="corner S_RU", format=".2f"),
            ],
        )
    )
    trail_line = path.mark_line(color="#000000", strokeWidth=1, opacity=0.6)
    trail_dots = path.mark_point(color="#000000", size=22, filled=True, opacity=0.7)
    return trail_line, trail_dots


def _corner_square(
    rows: _CornerRows, both: str, x_p: alt.Parameter, t_p: alt.Parameter
) -> alt.LayerChart:
    """The (S_CN, S_RU) square: regions, labelled threshold rules and the corner trail."""
    scale = alt.Scale(domain=[0, 1], nice=False)
    region = _corner_region_layer(rows.rects, both, scale)
    rule_data = alt.Chart(pd.DataFrame(rows.rules)).transform_filter(both)
    vrule, hrule = star_rules(rule_data)
    vlabel = vrule.mark_text(align="right", dx=-3, baseline="top", fontSize=11).encode(
        y=alt.value(2), text=alt.value("S_CN*")
    )
    hlabel = hrule.mark_text(align="left", dx=3, dy=-6, fontSize=11).encode(
        x=alt.value(2), text=alt.value("S_RU*")
    )
    trail_line, trail_dots = _corner_trail_layers(rows.trail, scale)
    return (
        alt.layer(region, vrule, hrule, vlabel, hlabel, trail_line, trail_dots)
        .add_params(x_p, t_p)
        .properties(width=360, height=360)
    )


def _corner_description(
    grid: pd.DataFrame, ts: np.ndarray, pressure: float, exposure_value: float
) -> str:
    """The accessible description of :func:`corner_drift_explorable`."""
    first = grid[(grid["t"] == ts[0]) & np.isclose(grid["X"], exposure_value)].iloc[0]
    last = grid[(grid["t"] == ts[-1]) & np.isclose(grid["X"], exposure_value)].iloc[0]
    return (
        "Square chart of pressure on China (horizontal) against pressure on Russia "
        "(vertical), both from 0 to 1, with coloured regions where both would accept a "
        "formal alliance, where both are at entente level but one refuses (reluctant "
        "allies), and where an alliance forms; dashed lines are the acceptance "
        "thresholds. One slider sets Russia's exposure to its own conflicts, the other "
        f"the years of hurdle wear under constant pressure {pressure:g}; black dots trace "
        "the alliance corner over the years. At exposure "
        f"{exposure_value:g} the corner moves from ({first.S_cn_entente:.2f}, "
        f"{first.S_ru_entente:.2f}) in year {ts[0]:.0f} down and left, while China's "
        f"threshold falls only from {first.S_cn_star:.2f} to {last.S_cn_star:.2f}."
    )


def corner_drift_explorable(
    game: models.AllianceGame | None = None,
    *,
    pressure: float = 0.7,
    exposures: Sequence[float] = tuple(np.round(np.arange(0.0, 1.0001, 0.1), 1)),
    years: Sequence[int] = tuple(range(0, 41, 4)),
    exposure_value: float = 0.8,
    year_value: int = 0,
):
    """The (S_CN, S_RU) square with two sliders: Russia's exposure X_RU (entrapment risk
    for China) and the years of hurdle wear under constant ``pressure``. A trail of dots
    shows where the alliance corner sits in every year for the chosen X_RU."""
    corners = _corners(game, None, pressure, exposures, years)
    grid = pd.DataFrame([row for row, _ in corners])
    xs = slider_grid(exposures, "exposures")
    ts = slider_grid(years, "years")
    rows = _corner_rows(corners)
    x_p = slider_param("xru", "Russia's exposure X_RU", xs, exposure_value)
    t_p = slider_param("yr", "years of hurdle wear", ts, year_value)
    both = match_sliders(X="xru", t="yr")
    square = _corner_square(rows, both, x_p, t_p)
    readout = (
        alt.Chart(pd.DataFrame(rows.texts))
        .transform_filter(both)
        .mark_text(align="left", baseline="top", fontSize=12, lineBreak="\n", lineHeight=18)
        .encode(x=alt.value(0), y=alt.value(0), text="text:N")
        .properties(width=480, height=56)
    )
    chart = alt.vconcat(square, readout, spacing=6)
    return finish(
        chart,
        title="As the hurdles wear down, what keeps the alliance away?",
        description=_corner_description(grid, ts, pressure, exposure_value),
        source=(
            "Model: this book's reconstruction (domain §3b–c); post-2022 exposures "
            "illustrative [inference], dynamic hurdles with default parameters"
        ),
    )


def readout_below(chart: alt.LayerChart, *, width: int = 480) -> alt.VConcatChart:
    """Move a quadrant explorer's text read-out (its last layer) under the square.

    ``explorables.alliance_quadrant_explorer()`` draws the read-out to the right of a
    380 px square, which overflows the content column; the layers, sliders, title and
    description are kept as they are.
    """
    if not isinstance(chart, alt.LayerChart) or len(chart.layer) < 2:
        raise ValueError("readout_below: expected a layered explorer chart")
    *layers, text = chart.layer
    if getattr(text, "mark", None) is None or _mark(text) != "text":
        raise ValueError("readout_below: the last layer is not a text read-out")
    square = alt.layer(*layers).properties(width=chart.width, height=chart.height)
    square.params = list(chart.params) if isinstance(chart.params, list) else alt.Undefined
    below = text.encode(x=alt.value(0), y=alt.value(0)).properties(width=width, height=56)
    out = alt.vconcat(square, below, spacing=6)
    return out.properties(title=chart.title, description=chart.description)


def _mark(layer) -> str:
    mark = layer.mark
    return mark if isinstance(mark, str) else getattr(mark, "type", "")
