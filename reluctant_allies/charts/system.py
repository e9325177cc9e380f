"""Chapter 3, "Measuring the system": material power and a coded pressure index.

* :func:`us_power_shares` -- the US share of USA + China + Russia military spending (SIPRI)
  and GDP (World Bank), one line per producer, gaps left as gaps;
* :func:`cinc_shares` -- COW's CINC for the three states, one panel per NMC release
  (v6.0, and the transcribed, unconfirmed v7.0 extract), never joined;
* :func:`pressure_rules_table` -- the written coding rules of :mod:`reluctant_allies.pressure`
  as an HTML table;
* :func:`pressure_index_chart` -- the index as a step area with the coded events marked;
* :func:`pressure_codings` -- the index under alternative codings, side by side;
* second edition, from the pressure record (``pressure_actions``):
  :func:`pressure_record_rules` (the record's rules and codes, as data),
  :func:`pressure_indices_chart` (China-directed, Russia-directed and combined indices),
  :func:`pressure_coverage_chart` (rows per year and source tier) and
  :func:`pressure_variants_chart` (the three indices under the sensitivity variants),
  :func:`record_model_run` (the static model fed with a record index) and
  :func:`record_explorer` (sliders for the coding choices over a precomputed grid, with the
  static model's predicted cooperation underneath; no kernel).

The index and its rules are the book's reconstruction (see :mod:`reluctant_allies.pressure`)."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from .. import data, models, pressure
from ..analysis.system import (
    CINC_RELEASES,
    CODINGS,
    COUNTRIES,
    DOCTRINE_WEIGHTS,
    HALF_LIVES,
    SHARE_SERIES,
    china_above_usa,
    cinc_frame,
    codings_frame,
    record_explorer_grid,
    record_model_frame,
    us_share_frame,
)
from ._sliders import match_sliders
from .theme import MUTED, PALETTE, finish

__all__ = [
    "us_power_shares",
    "cinc_shares",
    "pressure_rules_table",
    "pressure_index_chart",
    "pressure_codings",
    "pressure_record_rules",
    "pressure_indices_chart",
    "pressure_coverage_chart",
    "pressure_variants_chart",
    "record_explorer",
    "record_model_run",
]


COUNTRY_COLOURS = alt.Scale(domain=list(COUNTRIES), range=[PALETTE[0], PALETTE[1], PALETTE[2]])


#: SIPRI calls Russia's figures from this year on highly uncertain (datapackage caveat).
SIPRI_UNCERTAIN_FROM = 2022


#: Short labels drawn on the index chart, by event id (the tooltip has the full text).
EVENT_LABELS = {
    "nato-enlargement-1999": "NATO +3",
    "abm-withdrawal-notice": "ABM exit",
    "abm-withdrawal-effective": "ABM in force",
    "colour-revolutions": "colour revs.",
    "nato-enlargement-2004": "NATO +7",
    "us-pivot": "pivot to Asia",
    "crimea-sanctions": "Crimea sanctions",
    "us-nss-2017": "NSS",
    "us-nds-2018": "NDS",
    "us-sanctions-pla-edd": "PLA sanctions",
}


#: Source note of the model charts (the index's inputs, then the model).
RECORD_MODEL_SOURCE = (
    "the book's pressure record, pressure_actions (one URL per row); the book's static model, "
    "default parameters"
)


YEAR_AXIS = alt.Axis(format="d", tickCount=8, title=None)


def _x(field: str, first: int, last: int) -> alt.X:
    """A year axis with a fixed domain; every layer of a chart uses it so none adds 0."""
    return alt.X(
        f"{field}:Q", axis=YEAR_AXIS, scale=alt.Scale(domain=[first - 0.5, last + 0.5], zero=False)
    )


def _window(values: pd.Series, who: str) -> tuple[int, int]:
    if values.empty:
        raise ValueError(f"{who}: no rows to draw")
    return int(values.min()), int(values.max())


def _index_kwargs(weights, half_life, include_weak) -> dict:
    return {"weights": weights, "half_life": half_life, "include_weak": include_weak}


def _uncovered(events: pd.DataFrame, end: int) -> tuple[int, int] | None:
    """Years after the last systemic-pressure row of the table, if any, as (first, last)."""
    last = pressure.coverage(events)[1]
    return (last + 1, end) if last < end else None


def _gap_band(span: tuple[int, int] | None, window: tuple[int, int], *, y_top: float, text: str):
    """A grey band over the years the events table does not cover, with a note on top."""
    if span is None:
        return []
    df = pd.DataFrame({"x0": [span[0] - 0.5], "x1": [span[1] + 0.5], "note": [text]})
    band = (
        alt.Chart(df)
        .mark_rect(color="#eeeeee")
        .encode(x=_x("x0", *window), x2="x1:Q", tooltip=alt.Tooltip("note:N", title="note"))
    )
    label = (
        alt.Chart(df.assign(y=y_top))
        .mark_text(align="right", baseline="top", dx=-3, dy=3, fontSize=10.5, color=MUTED)
        .encode(x=_x("x1", *window), y="y:Q", text=alt.value("not covered"))
    )
    return [band, label]


def _uncertain_band(first: int, last: int):
    """The shaded years in which SIPRI calls Russia's figures highly uncertain, labelled."""
    uncertain = pd.DataFrame({"x0": [SIPRI_UNCERTAIN_FROM - 0.5], "x1": [last + 0.5]})
    band = (
        alt.Chart(uncertain)
        .mark_rect(color="#eeeeee")
        .encode(
            x=_x("x0", first, last),
            x2="x1:Q",
            tooltip=alt.Tooltip("note:N", title="note"),
        )
        .transform_calculate(note="'SIPRI: Russia\\'s figures from 2022 are highly uncertain'")
    )
    band_label = (
        alt.Chart(uncertain.assign(y=1.0))
        .mark_text(align="right", baseline="top", dx=-3, dy=3, fontSize=10.5, color=MUTED)
        .encode(x=_x("x1", first, last), y="y:Q", text=alt.value("Russia uncertain"))
    )
    return band, band_label


def _half_line(first: int, last: int):
    """The dashed 50% rule (the USA equals China and Russia combined) and its label."""
    half = pd.DataFrame({"y": [0.5], "x": [first], "text": ["US = China + Russia combined"]})
    half_rule = alt.Chart(half).mark_rule(color=MUTED, strokeDash=[3, 3]).encode(y="y:Q")
    half_text = (
        alt.Chart(half)
        .mark_text(align="left", baseline="bottom", dy=-3, fontSize=10.5, color=MUTED)
        .encode(x=_x("x", first, last), y="y:Q", text="text:N")
    )
    return half_rule, half_text


def _share_lines(df: pd.DataFrame, x: alt.X, y: alt.Y, colour: alt.Color):
    """The share lines (one per run) and the dots carrying the tooltip."""
    base = alt.Chart(df).encode(x=x, y=y, color=colour)
    lines = base.mark_line().encode(detail="run:N")
    dots = base.mark_circle(size=22).encode(
        tooltip=[
            alt.Tooltip("year:Q", format="d"),
            alt.Tooltip("series:N"),
            alt.Tooltip("share:Q", format=".1%", title="US share"),
            alt.Tooltip("USA:Q", format=",.0f", title="USA (US$ m)"),
            alt.Tooltip("China:Q", format=",.0f", title="China (US$ m)"),
            alt.Tooltip("Russia:Q", format=",.0f", title="Russia (US$ m)"),
        ]
    )
    return lines, dots


def _share_description(df: pd.DataFrame) -> str:
    """The accessible description of the US-share chart (first and last share per series)."""
    parts = []
    for indicator, (_, label) in SHARE_SERIES.items():
        s = df.loc[df["indicator"] == indicator].sort_values("year")
        a, b = s.iloc[0], s.iloc[-1]
        parts.append(
            f"{label}: {a['share']:.0%} in {int(a['year'])}, {b['share']:.0%} in {int(b['year'])}"
        )
    return (
        "Two lines, "
        + "; ".join(parts)
        + ". Both stay above the dashed 50% line: the USA alone still exceeds China and "
        "Russia combined. Years from 2022 are shaded because SIPRI calls Russia's figures "
        "highly uncertain."
    )


def us_power_shares(power: pd.DataFrame, *, source: str | None = None):
    """The US share of USA + China + Russia military spending and GDP, one line per series."""
    df = us_share_frame(power)
    first, last = _window(df["year"], "us_power_shares")
    df = df.round({"share": 4, "USA": 0, "China": 0, "Russia": 0})
    labels = [label for _, label in SHARE_SERIES.values()]
    x = _x("year", first, last)
    y = alt.Y(
        "share:Q",
        title="US share of USA + China + Russia",
        axis=alt.Axis(format="%", values=[0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]),
        scale=alt.Scale(domain=[0.4, 1.0], zero=False),
    )
    colour = alt.Color(
        "series:N",
        title=None,
        sort=labels,
        scale=alt.Scale(domain=labels, range=[PALETTE[0], PALETTE[4]]),
    )
    band, band_label = _uncertain_band(first, last)
    half_rule, half_text = _half_line(first, last)
    lines, dots = _share_lines(df, x, y, colour)
    chart = alt.layer(band, band_label, half_rule, half_text, lines, dots).properties(
        width=540, height=260
    )
    return finish(
        chart,
        title="The US share of three-power military spending and GDP is falling",
        description=_share_description(df),
        source=source or data.source_line("power", [p for p, _ in SHARE_SERIES.values()]),
    )


def _cinc_panel(sub: pd.DataFrame, key: str, title: str, year: int | None, window: tuple[int, int]):
    """One NMC release's panel: CINC lines and dots, and the year China passes the USA."""
    first, last = window
    x = _x("year", first, last)
    y = alt.Y(
        "value:Q",
        title="CINC (share of world capabilities)",
        axis=alt.Axis(format=".2f"),
        scale=alt.Scale(domain=[0, 0.25]),
    )
    base = alt.Chart(sub).encode(
        x=x,
        y=y,
        color=alt.Color("country:N", scale=COUNTRY_COLOURS, sort=list(COUNTRIES), title=None),
    )
    layers = [
        base.mark_line(strokeDash=[5, 3] if key == "cow_nmc_v7" else [1, 0]).encode(detail="run:N"),
        base.mark_circle(size=16).encode(
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                "country:N",
                alt.Tooltip("value:Q", format=".3f", title="CINC"),
                alt.Tooltip("release:N"),
            ]
        ),
    ]
    if year is not None:
        mark = pd.DataFrame({"x": [year], "y": [0.245], "t": [f"China above the USA from {year}"]})
        layers.append(
            alt.Chart(mark).mark_rule(color=MUTED, strokeDash=[2, 2]).encode(x=_x("x", first, last))
        )
        layers.append(
            alt.Chart(mark)
            .mark_text(align="left", baseline="top", dx=4, fontSize=10.5, color=MUTED)
            .encode(x=_x("x", first, last), y="y:Q", text="t:N")
        )
    return alt.layer(*layers).properties(
        width=235, height=220, title=alt.TitleParams(title, fontSize=12, fontWeight=600)
    )


def cinc_shares(power: pd.DataFrame, *, source: str | None = None):
    """CINC of the USA, China and Russia, one panel per NMC release (never joined)."""
    df = cinc_frame(power)
    crossing = china_above_usa(df)
    window = _window(df["year"], "cinc_shares")
    panels = []
    for key, title in CINC_RELEASES.items():
        sub = df.loc[df["source"] == key].round({"value": 4})
        if sub.empty:
            continue
        panels.append(_cinc_panel(sub, key, title, crossing.get(key), window))
    chart = alt.hconcat(*panels, spacing=18).resolve_scale(color="shared")
    cross = ", ".join(f"{CINC_RELEASES[k]}: {v}" for k, v in crossing.items() if v)
    return finish(
        chart,
        title="CINC ranks China above the USA — a property of the index",
        description=(
            "Two panels of COW's Composite Index of National Capability for the USA, China and "
            "Russia: NMC v6.0 (1992–2016, solid lines) and a transcribed, unconfirmed NMC v7.0 "
            f"extract (1992–2022, dashed). China's CINC first exceeds the USA's in ({cross}) and "
            "stays above it, bar a near-tie in 2002; Russia's falls below 0.05. The two "
            "releases are drawn separately, not joined."
        ),
        source=source or data.source_line("power", list(CINC_RELEASES)),
    )


def pressure_rules_table(
    events: pd.DataFrame | None = None, weights: Mapping[str, float] | None = None
):
    """The coding rules (and the events each one codes) as an HTML table for the page.

    With ``events``, each coded event is listed as "year: description" from the table;
    without, by its id.
    """
    from IPython.display import HTML

    table = pressure.rules_table(weights)
    names: dict[str, str] = {}
    if events is not None:
        sheet = pressure.code_events(events, include_weak=True)
        if "event" not in sheet.columns:
            raise ValueError("pressure_rules_table: events table lacks column(s) ['event']")
        names = {r.id: f"{r.year}: {r.event}" for r in sheet.itertuples()}
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in table.columns)
    rows = []
    for rec in table.itertuples(index=False):
        coded = [names.get(i, i) for i in rec[3].split(", ") if i]
        cells = [
            f'<th scope="row">{html.escape(rec[0])}</th>',
            f"<td>{html.escape(rec[1])}</td>",
            f"<td>{rec[2]:g}</td>",
            "<td>" + "<br>".join(html.escape(c) for c in coded) + "</td>",
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return HTML(
        '<table class="table">'
        "<caption>The book's coding rules for the pressure index (default weights)</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _event_marks(events: pd.DataFrame, include_weak: bool, end: int) -> pd.DataFrame:
    sheet = pressure.code_events(events, include_weak=include_weak)
    sheet = sheet.loc[sheet["year"] <= end].copy()
    sheet["label"] = sheet["id"].map(EVENT_LABELS).fillna(sheet["id"])
    sheet["status"] = np.where(sheet["counted"], "counted", "not counted: " + sheet["reason"])
    per_year = (
        sheet.groupby("year")
        .agg(
            label=("label", " + ".join),
            counted=("counted", "any"),
            detail=("event" if "event" in sheet else "id", "; ".join),
            status=("status", "; ".join),
        )
        .reset_index()
    )
    per_year.loc[~per_year["counted"], "label"] += " (not counted)"
    per_year["y"] = _label_rows(per_year["year"].tolist(), per_year["label"].tolist())
    per_year["y0"] = 0.0
    return per_year


#: Label rows above the index (data units) and the width of one character in years
#: (about 6 px a character on a 540 px axis spanning 36 years).
LABEL_ROWS = (1.36, 1.26, 1.16, 1.06)


YEARS_PER_CHAR = 6 / (540 / 36)


def _label_rows(years: list[int], labels: list[str]) -> list[float]:
    """Greedy: each label goes in the highest row where it clears the previous label."""
    ends = [-math.inf] * len(LABEL_ROWS)
    out = []
    for year, label in zip(years, labels, strict=True):
        row = next((i for i, end in enumerate(ends) if end < year), None)
        if row is None:  # no row is free: take the one that frees up first
            row = int(np.argmin(ends))
        ends[row] = year + 0.3 + len(label) * YEARS_PER_CHAR
        out.append(LABEL_ROWS[row])
    return out


def _index_area(df: pd.DataFrame, x: alt.X, y: alt.Y):
    """The index as a step area with its per-year tooltip."""
    return (
        alt.Chart(df)
        .mark_area(interpolate="step", color=PALETTE[1], opacity=0.35, line={"color": PALETTE[1]})
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("value:Q", format=".2f", title="index"),
                alt.Tooltip("raw:Q", format=".2f", title="weighted sum"),
                alt.Tooltip("events:N", title="coded that year"),
            ],
        )
    )


def _event_layers(marks: pd.DataFrame, first: int, last: int):
    """A rule and a label per coded year, grey and dashed where nothing is counted."""
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeWidth=1)
        .encode(
            x=_x("year", first, last),
            y=alt.Y("y0:Q"),
            y2="y:Q",
            color=alt.condition(alt.datum.counted, alt.value("#333333"), alt.value("#aaaaaa")),
            strokeDash=alt.condition(alt.datum.counted, alt.value([1, 0]), alt.value([3, 3])),
        )
    )
    labels = (
        alt.Chart(marks)
        .mark_text(align="left", baseline="middle", dx=3, fontSize=10.5)
        .encode(
            x=_x("year", first, last),
            y="y:Q",
            text="label:N",
            color=alt.condition(alt.datum.counted, alt.value("#222222"), alt.value(MUTED)),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("detail:N", title="event"),
                alt.Tooltip("status:N", title="coding"),
            ],
        )
    )
    return rules, labels


def _index_description(s: pd.DataFrame, events: pd.DataFrame, include_weak, half_life) -> str:
    """The accessible description of the pressure-index chart."""
    first, last = int(s["year"].min()), int(s["year"].max())
    peak = int(s.loc[s["value"].idxmax(), "year"])
    counted = int(pressure.code_events(events, include_weak=include_weak)["counted"].sum())
    cover = pressure.coverage(events)
    return (
        f"Step area of the book's pressure index, {first}–{last}, built from {counted} "
        f"counted US, EU or NATO actions, each marked by a vertical line and label. The "
        f"index is 0 before {cover[0]}, rises with each action and fades between them "
        f"(half-life {half_life:g} years); it peaks at 1 in {peak}. The table holds no "
        f"systemic-pressure rows after {cover[1]}, so the later years are shaded as not "
        "covered."
    )


def pressure_index_chart(
    events: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    *,
    half_life: float = pressure.DEFAULT_HALF_LIFE,
    include_weak: bool = False,
    source: str | None = None,
):
    """The pressure index as a step area, each coded event marked at its year."""
    s = pressure.pressure_index(events, **_index_kwargs(weights, half_life, include_weak))
    first, last = int(s["year"].min()), int(s["year"].max())
    marks = _event_marks(events, include_weak, last)
    x = _x("year", first, last)
    y = alt.Y(
        "value:Q",
        title="pressure index (0–1)",
        scale=alt.Scale(domain=[0, 1.4]),
        axis=alt.Axis(values=[0, 0.25, 0.5, 0.75, 1.0], format=".2f"),
    )
    area = _index_area(s.round({"value": 4, "raw": 4}), x, y)
    rules, labels = _event_layers(marks, first, last)
    gap = _gap_band(
        _uncovered(events, last), (first, last), y_top=1.4, text="no systemic-pressure rows"
    )
    chart = alt.layer(*gap, area, rules, labels).properties(width=540, height=280)
    return finish(
        chart,
        title="A pressure index coded from US and Western actions",
        description=_index_description(s, events, include_weak, half_life),
        source=source or data.source_line("events"),
    )


def _panels(chart, field: str, order: list[str]):
    """Small multiples of ``chart`` by ``field``, two columns, panels in ``order``."""
    return chart.facet(
        facet=alt.Facet(
            f"{field}:N",
            sort=order,
            title=None,
            header=alt.Header(labelFontSize=12, labelFontWeight=600, labelAnchor="start"),
        ),
        columns=2,
        spacing={"row": 14, "column": 24},
    )


def pressure_codings(events: pd.DataFrame, *, source: str | None = None):
    """Small multiples: the index under alternative codings, the default in grey behind each."""
    df = codings_frame(events).round({"value": 4, "default": 4})
    first, last = int(df["year"].min()), int(df["year"].max())
    x = _x("year", first, last)
    y = alt.Y("value:Q", title="index", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(tickCount=3))
    base = alt.Chart().encode(x=x)
    default = base.mark_line(interpolate="step", color="#b0b0b0", strokeWidth=1.5).encode(
        y=alt.Y("default:Q", title="index")
    )
    line = base.mark_line(interpolate="step", color=PALETTE[1]).encode(
        y=y,
        tooltip=[
            alt.Tooltip("coding:N"),
            alt.Tooltip("year:Q", format="d"),
            alt.Tooltip("value:Q", format=".2f", title="index"),
            alt.Tooltip("default:Q", format=".2f", title="default rules"),
        ],
    )
    chart = alt.layer(default, line, data=df).properties(width=250, height=120)
    chart = _panels(chart, "coding", list(CODINGS))
    peaks = df.loc[df.groupby("coding")["value"].idxmax(), ["coding", "year"]]
    peak_text = "; ".join(f"{r.coding}: peak {r.year}" for r in peaks.itertuples())
    return finish(
        chart,
        title="Four codings of the same events",
        description=(
            "Four small panels of the pressure index, each in vermillion over the default "
            f"coding in grey, {first}–{last}. {peak_text}. Without fading the index only "
            "rises; counting the weakly sourced colour revolutions raises 2003–2005."
        ),
        source=source or data.source_line("events"),
    )


def record_model_run(
    actions: pd.DataFrame,
    params: models.StaticParams | None = None,
    *,
    index: str = "combined",
    source: str | None = None,
    **record_kwargs,
):
    """The static model fed with one index of the pressure record (1991–2025).

    ``index`` and ``record_kwargs`` (weights, half-life, switches) go to
    :func:`reluctant_allies.pressure.record_index`; the record covers every year, so no
    band is shaded.
    """
    params = models.StaticParams() if params is None else params
    df = record_model_frame(actions, params, index=index, **record_kwargs)
    return _model_run(df, params, source=source or RECORD_MODEL_SOURCE)


def _threshold_layers(params: models.StaticParams, labels, first: int, last: int, **text):
    """Dotted rules at the entente and alliance thresholds, each labelled at the left."""
    th = pd.DataFrame(
        {"y": [params.theta_E, params.theta_A], "t": list(labels), "x": [first, first]}
    )
    return [
        alt.Chart(th).mark_rule(color="#333333", strokeDash=[2, 3]).encode(y="y:Q"),
        alt.Chart(th)
        .mark_text(align="left", baseline="bottom", dy=-2, fontSize=10.5, **text)
        .encode(x=_x("x", first, last), y="y:Q", text="t:N"),
    ]


def _model_lines(long: pd.DataFrame, names: list[str], first: int, last: int):
    """S, C* and C as step lines, coloured and dashed by series."""
    colour = alt.Color(
        "series:N",
        title=None,
        sort=names,
        scale=alt.Scale(domain=names, range=["#b0b0b0", PALETTE[5], PALETTE[0]]),
    )
    dash = alt.StrokeDash(
        "series:N",
        sort=names,
        scale=alt.Scale(domain=names, range=[[1, 0], [4, 3], [1, 0]]),
        title=None,
    )
    return (
        alt.Chart(long)
        .mark_line(interpolate="step")
        .encode(
            x=_x("year", first, last),
            y=alt.Y("level:Q", title="level (0–1)", scale=alt.Scale(domain=[0, 1])),
            color=colour,
            strokeDash=dash,
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                "series:N",
                alt.Tooltip("level:Q", format=".2f"),
            ],
        )
    )


def _model_description(df: pd.DataFrame, params: models.StaticParams) -> str:
    """The accessible description of the static-model chart."""
    first, last = int(df["year"].min()), int(df["year"].max())
    entente = df.loc[df["C"] >= params.theta_E, "year"].tolist()
    S_E, S_A = (float(v) for v in models.static_thresholds(params))
    return (
        f"Three step lines, {first}–{last}: the pressure index S (grey), the static "
        f"model's equilibrium cooperation C* (dashed) and cooperation C adjusting toward it "
        f"(blue), with dotted lines at the entente ({params.theta_E:g}) and alliance "
        f"({params.theta_A:g}) thresholds. C peaks at {df['C'].max():.2f}; it is at or "
        f"above the entente threshold in {len(entente)} year(s)"
        + (f" ({', '.join(map(str, entente))})" if entente else "")
        + f" and never reaches the alliance threshold (the model needs S ≥ {S_A:.2f} for "
        f"that, S ≥ {S_E:.2f} for entente)."
    )


def _model_run(df: pd.DataFrame, params: models.StaticParams, *, source: str):
    """S, C* and C as step lines with the two thresholds."""
    first, last = int(df["year"].min()), int(df["year"].max())
    names = {
        "S": "pressure index S",
        "C_star": "equilibrium cooperation C*",
        "C": "cooperation C (adjusts at speed κ)",
    }
    long = df.melt("year", var_name="key", value_name="level").round({"level": 4})
    long["series"] = long["key"].map(names)
    lines = _model_lines(long, list(names.values()), first, last)
    labels = (f"entente θ_E = {params.theta_E:g}", f"alliance θ_A = {params.theta_A:g}")
    rules, rule_text = _threshold_layers(params, labels, first, last, color="#333333")
    chart = alt.layer(rules, rule_text, lines).properties(width=540, height=270)
    return finish(
        chart,
        title="What the static model predicts from the coded pressure",
        description=_model_description(df, params),
        source=source,
    )


def record_explorer(
    actions: pd.DataFrame,
    params: models.StaticParams | None = None,
    *,
    index: str = "combined",
    source: str | None = None,
):
    """The coding sliders on the pressure record: its index (top) and the static model's C."""
    params = models.StaticParams() if params is None else params
    df = record_explorer_grid(actions, params, index=index)
    d0 = pressure.record_weights()["doctrine"]
    return _explorer(df, params, d0=d0, source=source or RECORD_MODEL_SOURCE)


def _explorer_params(d0: float, h0: float):
    """The doctrine-weight and half-life sliders and the weak-rows checkbox."""
    doc = alt.param(
        name="doc",
        value=d0,
        bind=alt.binding_range(
            min=DOCTRINE_WEIGHTS[0],
            max=DOCTRINE_WEIGHTS[-1],
            step=DOCTRINE_WEIGHTS[1] - DOCTRINE_WEIGHTS[0],
            name="weight of strategy documents ",
        ),
    )
    half = alt.param(
        name="half",
        value=h0,
        bind=alt.binding_range(
            min=HALF_LIVES[0], max=HALF_LIVES[-1], step=1, name="half-life (years) "
        ),
    )
    weak = alt.param(
        name="weak", value=False, bind=alt.binding_checkbox(name="count weak-sourced rows ")
    )
    return doc, half, weak


def _explorer_lines(base: alt.Chart, y: alt.Y, colour: str, *, default: str, chosen: str):
    """The default coding (grey) and the reader's coding (``colour``) as step lines."""
    return [
        base.transform_filter(default)
        .mark_line(interpolate="step", color="#b0b0b0", strokeWidth=1.5)
        .encode(y=y),
        base.transform_filter(chosen)
        .mark_line(interpolate="step", color=colour, strokeWidth=2.5)
        .encode(
            y=y,
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("v:Q", format=".2f", title="index"),
                alt.Tooltip("c:Q", format=".2f", title="predicted C"),
            ],
        ),
    ]


def _explorer_description(first: int, last: int) -> str:
    """The accessible description of the coding explorer."""
    return (
        "Two stacked step-line panels, "
        f"{first}–{last}: the pressure index (top) and the cooperation the static model "
        "predicts from it (bottom), each for the reader's settings, with the default "
        "coding in grey behind. Sliders set the weight of US strategy documents "
        f"({DOCTRINE_WEIGHTS[0]:g}–{DOCTRINE_WEIGHTS[-1]:g}) and the half-life of an "
        f"event's effect ({HALF_LIVES[0]:g}–{HALF_LIVES[-1]:g} years); a checkbox counts "
        "the weakly sourced rows."
        + " Longer half-lives make the index a more lasting stock and lift predicted "
        "cooperation above the entente line in more years."
    )


def _explorer(df: pd.DataFrame, params: models.StaticParams, *, d0: float, source: str):
    """Sliders for doctrine weight, half-life and weak rows over a precomputed grid."""
    first, last = int(df["year"].min()), int(df["year"].max())
    h0 = pressure.DEFAULT_HALF_LIFE
    doc, half, weak = _explorer_params(d0, h0)
    chosen = f"{match_sliders(d='doc', h='half')} && datum.w == (weak ? 1 : 0)"
    default = f"{match_sliders(d=str(d0), h=str(h0))} && datum.w == 0"
    base = alt.Chart(df).encode(x=_x("year", first, last))
    y_v = alt.Y("v:Q", title="pressure index", scale=alt.Scale(domain=[0, 1]))
    top = alt.layer(
        *_explorer_lines(base, y_v, PALETTE[1], default=default, chosen=chosen)
    ).properties(width=540, height=150)
    y_c = alt.Y("c:Q", title="predicted cooperation C", scale=alt.Scale(domain=[0, 1]))
    bottom = alt.layer(
        *_explorer_lines(base, y_c, PALETTE[0], default=default, chosen=chosen),
        *_threshold_layers(params, ("entente", "alliance"), first, last),
    ).properties(width=540, height=150)
    chart = (
        alt.vconcat(top, bottom, spacing=12).add_params(doc, half, weak).resolve_scale(x="shared")
    )
    return finish(
        chart,
        title="Move the coding choices and watch the index and the model's cooperation",
        description=_explorer_description(first, last),
        source=source,
    )


#: Colours of the three indices of the pressure record.
INDEX_COLOURS = alt.Scale(
    domain=[pressure.INDEX_LABELS[k] for k in ("combined", "China", "Russia")],
    range=["#333333", PALETTE[1], PALETTE[0]],
)


INDEX_DASHES = alt.Scale(
    domain=[pressure.INDEX_LABELS[k] for k in ("combined", "China", "Russia")],
    range=[[1, 0], [5, 3], [2, 2]],
)


TIER_COLOURS = alt.Scale(domain=["A", "B", "C"], range=[PALETTE[0], PALETTE[2], PALETTE[4]])


TIER_LABELS = {
    "A": "A: official, scholarly, institute",
    "B": "B: wire, paper of record",
    "C": "C: other (weak)",
}


def _html_table(caption: str, columns: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{html.escape(r[0])}</th>'
        + "".join(f"<td>{html.escape(c)}</td>" for c in r[1:])
        + "</tr>"
        for r in rows
    )
    return (
        f'<table class="table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def pressure_record_rules(actions: pd.DataFrame):
    """The record's general rules and its codes (rule, weight, rows) as HTML tables.

    Both come from the package (the ``rules`` and ``codes`` of ``pressure_actions``).
    """
    from IPython.display import HTML

    rules = pressure.record_rules()
    codes = pressure.code_table(actions)
    first = _html_table(
        "The rules of the pressure record (kept as data in data/datapackage.json)",
        ["rule", "text"],
        [[r.rule, r.text] for r in rules.itertuples()],
    )
    second = _html_table(
        "The pressure codes: one-line rule, default weight and rows coded",
        ["code", "rule", "weight", "rows"],
        [[r.label, r.rule, f"{r.weight:g}", str(r.rows)] for r in codes.itertuples()],
    )
    return HTML(first + second)


def _index_lines(df: pd.DataFrame, first: int, last: int, *, width: int, height: int):
    """The three indices as step lines, coloured and dashed by index (legend on top)."""
    legend = alt.Legend(orient="top", title=None)
    return (
        alt.Chart(df)
        .mark_line(strokeWidth=2)
        .encode(
            x=_x("year", first, last),
            y=alt.Y("value:Q", title="pressure index (0–1)", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("label:N", scale=INDEX_COLOURS, legend=legend),
            strokeDash=alt.StrokeDash("label:N", scale=INDEX_DASHES, legend=legend),
            tooltip=[
                alt.Tooltip("label:N", title="index"),
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("value:Q", format=".2f", title="index value"),
            ],
        )
        .properties(width=width, height=height)
    )


def _coverage_bars(actions: pd.DataFrame, *, width: int, height: int):
    """Rows recorded per year, stacked by source tier (no title: a panel or a chart)."""
    df = pressure.coverage_density(actions)
    df["tier"] = df["source_tier"].map(TIER_LABELS)
    first, last = int(df["year"].min()), int(df["year"].max())
    bars = (
        alt.Chart(df)
        .mark_bar(width=10)
        .encode(
            x=_x("year", first, last),
            y=alt.Y("sum(rows):Q", title="rows recorded", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "tier:N",
                title="source tier",
                scale=alt.Scale(domain=list(TIER_LABELS.values()), range=TIER_COLOURS.range),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("source_tier:N"),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("tier:N", title="tier"),
                alt.Tooltip("rows:Q", title="rows"),
            ],
        )
        .properties(width=width, height=height)
    )
    per_year = df.groupby("year")["rows"].sum()
    early, late = int(per_year.loc[:2018].sum()), int(per_year.loc[2019:].sum())
    text = (
        f"{early} rows fall in {first}–2018 and {late} in 2019–{last}, at most "
        f"{int(per_year.max())} in one year ({int(per_year.idxmax())}); denser recent "
        "coverage partly reflects where sources are easier to find."
    )
    return bars, text


def pressure_indices_chart(
    actions: pd.DataFrame, *, coverage: bool = True, source: str | None = None, **kwargs
):
    """China-directed, Russia-directed and combined pressure indices, 1991–2025, one scale.

    With ``coverage`` (the default) a second panel below shows the rows recorded per year
    by source tier, so the density of the record is read with the index. ``kwargs`` go to
    :func:`reluctant_allies.pressure.record_indices` (half-life, switches).
    """
    df = pressure.record_indices(actions, **kwargs)
    df["label"] = df["index"].map(pressure.INDEX_LABELS)
    df = df.round({"value": 4, "raw": 4})
    first, last = int(df["year"].min()), int(df["year"].max())
    chart = _index_lines(df.drop(columns="raw"), first, last, width=540, height=240)
    switches = {k: kwargs[k] for k in ("include_weak", "include_reactive") if k in kwargs}
    n_counted = int(pressure.count_acts(actions, **switches)["counted"].sum())
    wide = df.pivot(index="year", columns="index", values="value")
    peak = int(wide["combined"].idxmax())
    onset = int(wide.index[wide["combined"] > 0].min())
    description = (
        f"Line chart of three pressure indices, {first}–{last}, on one scale where the "
        f"combined index peaks at 1 in {peak}. They are built from {n_counted} counted acts "
        f"(combined index) of {len(actions)} recorded rows. All three are 0 before {onset} "
        f"and rise unevenly; in {last} the combined index is {wide.loc[last, 'combined']:.2f}, "
        f"the Russia-directed {wide.loc[last, 'Russia']:.2f} and the China-directed "
        f"{wide.loc[last, 'China']:.2f}."
    )
    if coverage:
        bars, text = _coverage_bars(actions, width=540, height=110)
        chart = alt.vconcat(chart, bars, spacing=18).resolve_scale(
            color="independent", strokeDash="independent"
        )
        description += f" Below, a bar chart of rows recorded per year by source tier: {text}"
    return finish(
        chart,
        title="Three pressure indices from the pressure record",
        description=description,
        source=source or data.source_line("pressure_actions"),
    )


def pressure_coverage_chart(actions: pd.DataFrame, *, source: str | None = None):
    """Rows of the pressure record per year, stacked by source tier (coverage density)."""
    bars, text = _coverage_bars(actions, width=540, height=170)
    return finish(
        bars,
        title="Coverage density of the pressure record",
        description=f"Bar chart of rows recorded per year, stacked by source tier. {text}",
        source=source or data.source_line("pressure_actions"),
    )


def pressure_variants_chart(actions: pd.DataFrame, *, source: str | None = None):
    """Small multiples: the three indices under each sensitivity variant."""
    df = pressure.sensitivity(actions)
    df["label"] = df["index"].map(pressure.INDEX_LABELS)
    df = df.round({"value": 4})
    first, last = int(df["year"].min()), int(df["year"].max())
    chart = _index_lines(df, first, last, width=250, height=110).encode(
        tooltip=[
            alt.Tooltip("variant:N"),
            alt.Tooltip("label:N", title="index"),
            alt.Tooltip("year:Q", format="d"),
            alt.Tooltip("value:Q", format=".2f", title="index value"),
        ]
    )
    chart = _panels(chart, "variant", list(pressure.VARIANTS))
    combined = df[df["index"] == "combined"]
    peaks = combined.loc[combined.groupby("variant")["value"].idxmax(), ["variant", "year"]]
    peak_text = "; ".join(f"{r.variant}: combined peak {r.year}" for r in peaks.itertuples())
    return finish(
        chart,
        title="The three indices under five codings",
        description=(
            f"{len(pressure.VARIANTS)} small panels, each with the combined, China-directed "
            f"and Russia-directed indices, {first}–{last}, scaled by that panel's combined "
            f"peak. {peak_text}."
        ),
        source=source or data.source_line("pressure_actions"),
    )
