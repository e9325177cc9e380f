"""Chapter 12 (what would change our minds): falsifier indicators, scenarios, explorable.

Two kinds of builder live here:

* **data** -- the current values of the indicators the book's falsifiers watch:
  the ATOP/COW obligations of the China–Russia dyad (:func:`treaty_record`), the signs of a
  rupture (:func:`rupture_indicators`: UNGA agreement, exercises and patrols, reported
  trade), and one table that applies the book's stated rules to the latest values
  (:func:`falsifier_status`);
* **model** -- three pressure scenarios run through the static model, the dynamic model and
  the two-player game (:func:`scenario_runs`, :func:`scenario_verdicts`,
  :func:`scenario_fan`), and a kernel-free explorable in which a reader sets the pressure
  path and the effectiveness of hurdle policy (:func:`reader_grid`,
  :func:`reader_explorable`).

The falsifier rules, the scenario shapes and every parameter value are this book's
reconstruction, not the article's (chapter 12 says so in its Reconstruction boxes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns
from ..analysis.falsifiers import (
    _VERDICT_MODELS,
    SHAPES,
    _check_params,
    _decimal_year,
)
from ..analysis.grids import unpack_path
from ..analysis.verdicts import (
    DYAD,
    FalsifierRules,
    exercise_rows,
    reported_turnover,
    unga_agreement,
)
from ._sliders import SLIDER_TOL, match_sliders, time_encoding, unpack_paths
from .theme import MUTED, PALETTE, finish

__all__ = ["treaty_record", "rupture_indicators", "scenario_fan", "reader_explorable"]


MODEL_SOURCE = (
    "Model: this book's reconstruction (domain §3a–3c), default parameters; "
    "game weights: the illustrative post-2022 setting [inference]"
)


OBLIGATIONS = {
    "defense": "defence",
    "consultation": "consultation (ATOP only)",
    "nonaggression": "non-aggression",
    "entente": "entente (COW only)",
}


_DATASET = {"atop_5_1": "ATOP 5.1", "cow_alliance_4_1": "COW 4.1"}


class _YearAxis(NamedTuple):
    """A year scale and its axis (ticks every five years), shared by stacked panels."""

    scale: alt.Scale
    axis: alt.Axis

    def x(self, field: str) -> alt.X:
        """Return the untitled x encoding of ``field`` on this scale and axis."""
        return alt.X(f"{field}:Q", scale=self.scale, axis=self.axis, title=None)


def _check_span(start: int, end: int, who: str) -> None:
    """Raise ValueError (naming ``who``) unless ``start`` < ``end`` are both integers."""
    if not (isinstance(start, int) and isinstance(end, int) and start < end):
        raise ValueError(f"{who}: need integer start < end (got {start!r}, {end!r})")


def _year_axis(start: int, end: int, upper: float) -> _YearAxis:
    """Return the year scale from ``start - 0.5`` to ``upper``, ticks every five years."""
    return _YearAxis(
        alt.Scale(domain=[start - 0.5, upper], nice=False),
        alt.Axis(format="d", values=list(range(start - start % 5 + 5, end + 1, 5))),
    )


def _treaty_frame(alliances: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Return the checked China–Russia rows of ``alliances`` between ``start`` and ``end``."""
    require_columns(
        alliances,
        ("year", "dyad", "source", "defense", "consultation", "nonaggression"),
        "treaty_record",
        nonempty=True,
    )
    _check_span(start, end, "treaty_record")
    df = alliances[(alliances["dyad"] == DYAD) & alliances["year"].between(start, end)]
    unknown = sorted(set(df["source"]) - set(_DATASET))
    if unknown:
        raise ValueError(f"treaty_record: unknown source value(s) {unknown}")
    if df.empty:
        raise ValueError(f"treaty_record: no {DYAD} rows between {start} and {end}")
    return df


def _treaty_tiles(df: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Return one tile per coded (year, obligation, dataset) and the defence-lane note."""
    tiles = []
    for _, row in df.iterrows():
        for col, name in OBLIGATIONS.items():
            if col in df.columns and pd.notna(row[col]) and int(row[col]) == 1:
                tiles.append(
                    {
                        "year": int(row["year"]),
                        "obligation": name,
                        "dataset": _DATASET[row["source"]],
                    }
                )
    tiles = pd.DataFrame(tiles, columns=["year", "obligation", "dataset"])
    if (tiles["obligation"] == "defence").any():
        note = "defence obligation coded in: " + ", ".join(
            str(y) for y in sorted(set(tiles.loc[tiles["obligation"] == "defence", "year"]))
        )
    else:
        note = "no defence obligation coded in any year"
    return tiles, note


def _treaty_shade(df: pd.DataFrame, end: int) -> list[dict]:
    """Return the spans after each dataset's last year, up to ``end``."""
    ends = df.groupby("source")["year"].max()
    return [
        {"x0": int(ends[s]) + 0.5, "x1": end + 0.5, "dataset": _DATASET[s]}
        for s in ends.index
        if ends[s] < end
    ]


def _treaty_panel(
    ds: str, tiles: pd.DataFrame, shade: list[dict], note: str, years: _YearAxis, y: alt.Y
) -> alt.LayerChart:
    """Return dataset ``ds``'s panel: shaded uncoded years, the tiles and the defence note."""
    mine = tiles[tiles["dataset"] == ds].assign(year_end=lambda d: d["year"] + 0.92)
    layers = []
    spans = [s for s in shade if s["dataset"] == ds]
    if spans:
        layers.append(
            alt.Chart(pd.DataFrame(spans))
            .mark_rect(color=MUTED, opacity=0.12)
            .encode(x=years.x("x0"), x2="x1:Q")
        )
        layers.append(
            alt.Chart(pd.DataFrame(spans).assign(text="dataset ends: not coded"))
            .mark_text(align="left", baseline="top", fontSize=10, color=MUTED, dx=3, dy=2)
            .encode(x=alt.X("x0:Q", scale=years.scale), y=alt.value(0), text="text:N")
        )
    layers.append(
        alt.Chart(mine)
        .mark_rect(color=PALETTE[0], height=14)
        .encode(
            x=years.x("year"),
            x2="year_end:Q",
            y=y,
            tooltip=[alt.Tooltip("year:Q", format="d"), "obligation:N", "dataset:N"],
        )
    )
    layers.append(
        alt.Chart(pd.DataFrame({"obligation": ["defence"], "text": [note]}))
        .mark_text(align="left", dx=4, fontSize=11, fontStyle="italic", color=PALETTE[1])
        .encode(x=alt.value(0), y=y, text="text:N")
    )
    return alt.layer(*layers).properties(
        width=430, height=92, title=alt.TitleParams(ds, fontSize=12, anchor="start")
    )


def treaty_record(alliances: pd.DataFrame, *, source: str, start: int = 1992, end: int = 2025):
    """Which written obligations ATOP and COW code for the China–Russia dyad, year by year.

    One lane per obligation, a tile for each year a dataset codes it 1; the defence lane
    stays empty and says so. Years after each dataset ends are shaded: not coded is not 0.
    """
    df = _treaty_frame(alliances, start, end)
    tiles, note = _treaty_tiles(df)
    shade = _treaty_shade(df, end)
    lanes = list(OBLIGATIONS.values())
    years = _year_axis(start, end, end + 0.5)
    y = alt.Y("obligation:N", title=None, sort=lanes, scale=alt.Scale(domain=lanes))
    panels = [_treaty_panel(ds, tiles, shade, note, years, y) for ds in _DATASET.values()]
    chart = alt.vconcat(*panels, spacing=8)
    return finish(
        chart,
        title="Falsifier (a): no mutual-defence obligation in the treaty record",
        description=(
            f"Tile chart of the written obligations that ATOP 5.1 and COW 4.1 code for the "
            f"China–Russia dyad, {start}–{end}, one lane per obligation. ATOP codes "
            "non-aggression from 1992 and consultation from 2001; COW codes non-aggression and "
            f"entente. The defence lane is empty in both: {note}. Shaded years lie after the "
            "dataset ends and are not coded at all."
        ),
        source=source,
    )


#: Width and height of a rupture-indicator panel, in pixels.
_RUPTURE_W, _RUPTURE_H = 430, 110


#: The dashed rupture line's style.
_RULE_STYLE = {"strokeDash": [5, 3], "color": PALETTE[1]}


def _rupture_line(line: pd.DataFrame, x: int, align: str, dy: int) -> list[alt.Chart]:
    """Return the dashed rupture rule at ``line.y`` and its label at pixel ``x``."""
    return [
        alt.Chart(line).mark_rule(**_RULE_STYLE).encode(y="y:Q"),
        alt.Chart(line)
        .mark_text(align=align, dy=dy, fontSize=10, color=PALETTE[1])
        .encode(x=alt.value(x), y="y:Q", text="text:N"),
    ]


def _unga_panel(ag: pd.DataFrame, rules: FalsifierRules, years: _YearAxis) -> alt.LayerChart:
    """Return the top panel: UNGA agreement by session (gaps unjoined) and its rupture line."""
    a = ag[["year", "session", "value"]].astype({"year": int, "session": int}).copy()
    a["run"] = (a["year"].diff() != 1).cumsum()
    unga_line = (
        alt.Chart(a)
        .mark_line(point=alt.OverlayMarkDef(size=18), color=PALETTE[0])
        .encode(
            x=years.x("year"),
            y=alt.Y("value:Q", title="agreement", scale=alt.Scale(domain=[0.3, 1])),
            detail="run:N",
            tooltip=[
                alt.Tooltip("session:Q", title="UNGA session"),
                alt.Tooltip("year:Q", title="session opened", format="d"),
                alt.Tooltip("value:Q", title="agreement", format=".2f"),
            ],
        )
    )
    floor = pd.DataFrame({"y": [rules.unga_floor], "text": [f"rupture line {rules.unga_floor:g}"]})
    return alt.layer(unga_line, *_rupture_line(floor, _RUPTURE_W, "right", 9)).properties(
        width=_RUPTURE_W,
        height=_RUPTURE_H,
        title=alt.TitleParams("UNGA vote agreement, China–Russia (by session)", fontSize=12),
    )


def _exercise_frame(ex: pd.DataFrame) -> pd.DataFrame:
    """Return the exercises placed at their decimal start date, with a printable date."""
    ex = ex.copy()
    ex["x"] = _decimal_year(ex["start"], ex["year"])
    ex["date"] = [
        "date not given" if pd.isna(s) else pd.Timestamp(s).strftime("%d %b %Y")
        for s in ex["start"]
    ]
    return ex[["name", "kind", "x", "date", "confidence", "source_url"]]


def _exercise_panel(ex: pd.DataFrame, years: _YearAxis) -> alt.LayerChart:
    """Return the middle panel: one point per exercise or patrol, hollow for a weak source."""
    kinds = ["exercise", "patrol"]
    tooltip = [
        alt.Tooltip("name:N"),
        alt.Tooltip("date:N", title="start"),
        alt.Tooltip("confidence:N"),
        alt.Tooltip("source_url:N", title="source"),
    ]
    base = alt.Chart(ex).encode(
        x=years.x("x"),
        y=alt.Y("kind:N", title=None, sort=kinds, scale=alt.Scale(domain=kinds)),
        color=alt.Color(
            "kind:N", scale=alt.Scale(domain=kinds, range=[PALETTE[2], PALETTE[3]]), legend=None
        ),
        tooltip=tooltip,
    )
    ex_layers = [
        base.transform_filter("datum.confidence == 'sourced'").mark_point(
            filled=True, size=70, opacity=0.85
        )
    ]
    if (ex["confidence"] != "sourced").any():  # no empty layer (axe: svg-img-alt)
        ex_layers.append(
            base.transform_filter("datum.confidence != 'sourced'").mark_point(
                filled=False, size=70, strokeWidth=1.5
            )
        )
    return alt.layer(*ex_layers).properties(
        width=_RUPTURE_W,
        height=60,
        title=alt.TitleParams(
            "Joint exercises and patrols at their start dates (counted rows)",
            fontSize=12,
        ),
    )


def _trade_frame(tr: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Return the reported turnover points, tagged by reporter kind, and the GACC record."""
    t = tr[["year", "value_usd_bn", "reporter", "confidence", "qualifier", "source_url"]].copy()
    t["year"] = t["year"].astype(int)
    t["qualifier"] = t["qualifier"].astype("object").where(t["qualifier"].notna(), "")
    t["kind"] = np.where(
        t["reporter"].str.contains("GACC", regex=False), "China customs (GACC)", "other reporters"
    )
    t = t.astype({"reporter": "object", "confidence": "object", "source_url": "object"})
    g = t[(t["kind"] == "China customs (GACC)") & (t["confidence"] == "sourced")]
    g = g.drop_duplicates("year", keep="last")
    return t, float(g["value_usd_bn"].max())


def _trade_panel(
    t: pd.DataFrame, record: float, rules: FalsifierRules, years: _YearAxis
) -> alt.LayerChart:
    """Return the bottom panel: turnover as reported, one unjoined point per report."""
    line = pd.DataFrame(
        {
            "y": [record * (1 - rules.trade_drop)],
            "text": [f"rupture line: {rules.trade_drop:.0%} below the record {record:.0f}"],
        }
    )
    kinds_t = ["China customs (GACC)", "other reporters"]
    trade_points = (
        alt.Chart(t)
        .mark_point(size=45, filled=True)
        .encode(
            x=years.x("year"),
            y=alt.Y("value_usd_bn:Q", title="US$ bn", scale=alt.Scale(domain=[0, 260])),
            color=alt.Color(
                "kind:N",
                title="turnover reported by",
                scale=alt.Scale(domain=kinds_t, range=[PALETTE[0], PALETTE[4]]),
            ),
            shape=alt.Shape(
                "confidence:N",
                title="row",
                scale=alt.Scale(
                    domain=["sourced", "weak", "disputed"], range=["circle", "diamond", "cross"]
                ),
            ),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("value_usd_bn:Q", title="US$ bn", format=".1f"),
                alt.Tooltip("qualifier:N"),
                alt.Tooltip("reporter:N"),
                alt.Tooltip("confidence:N"),
                alt.Tooltip("source_url:N", title="source"),
            ],
        )
    )
    return alt.layer(trade_points, *_rupture_line(line, 4, "left", -6)).properties(
        width=_RUPTURE_W,
        height=_RUPTURE_H,
        title=alt.TitleParams("Trade turnover as reported (points not joined)", fontSize=12),
    )


def _rupture_description(
    ag: pd.DataFrame, n_exercises: int, rules: FalsifierRules, record: float
) -> str:
    """Return the accessible description of the rupture-indicator panels."""
    lo_ag = float(ag.loc[ag["year"] >= 2000, "value"].min())
    return (
        "Three stacked panels on one year axis. Top: China–Russia agreement in UN General "
        f"Assembly votes by session, {int(ag['year'].min())}–{int(ag['year'].max())}, never "
        f"below {lo_ag:.2f} since 2000, against a dashed rupture line at "
        f"{rules.unga_floor:g}. Middle: each documented joint exercise or patrol at its start "
        f"date, {n_exercises} rows, counted under the table's rules. Bottom: China–Russia trade "
        f"turnover as reported, one point per report, against a dashed rupture line "
        f"{rules.trade_drop:.0%} below the record of {record:.0f} billion US dollars."
    )


def rupture_indicators(
    unga: pd.DataFrame,
    exercises: pd.DataFrame,
    trade_reported: pd.DataFrame,
    *,
    source: str | Sequence[str],
    rules: FalsifierRules | None = None,
    start: int = 1992,
    end: int = 2025,
):
    """Three stacked panels on one year axis, each with the book's rupture line (dashed).

    Top: China–Russia UNGA vote agreement by session (plotted at the year the session
    opened); middle: each counted exercise or patrol at its start date (hollow = weak
    source); bottom: turnover as reported, one point per report,
    not joined (reporters differ).
    """
    rules = rules or FalsifierRules()
    ag = unga_agreement(unga, "rupture_indicators")
    ex = exercise_rows(exercises, "rupture_indicators")
    tr = reported_turnover(trade_reported, "rupture_indicators")
    _check_span(start, end, "rupture_indicators")

    # to the end of the last year: exercises are placed at their decimal date (Aug 2025 is
    # 2025.58), yearly series at the year itself
    years = _year_axis(start, end, end + 1)
    unga_panel = _unga_panel(ag, rules, years)
    ex = _exercise_frame(ex)
    ex_panel = _exercise_panel(ex, years)
    t, record = _trade_frame(tr)
    trade_panel = _trade_panel(t, record, rules, years)

    chart = alt.vconcat(unga_panel, ex_panel, trade_panel, spacing=14).resolve_scale(
        color="independent", shape="independent"
    )
    src = source if isinstance(source, str) else "; ".join(source)
    return finish(
        chart,
        title="Falsifier (b): no sign of a rupture in the data so far",
        description=_rupture_description(ag, len(ex), rules, record),
        source=src,
    )


#: Width and height of one scenario-fan column's top panel, in pixels.
_FAN_W, _FAN_H = 138, 130


#: Scenario-fan series names, in legend order.
_FAN_SERIES = {
    "S": "pressure S",
    "C_static": "static model C",
    "C_dynamic": "dynamic model C",
}


def _fan_frame(
    runs: pd.DataFrame, params: models.DynamicParams | None
) -> tuple[pd.DataFrame, models.DynamicParams]:
    """Return the checked runs (levels rounded to 3 places) and the checked parameters."""
    need = ("scenario", "label", "t", "S", "C_static", "C_dynamic", "C_lo", "C_hi", "H_e", "H_m")
    require_columns(runs, (*need, *_VERDICT_MODELS), "scenario_fan", nonempty=True)
    p = _check_params(params)
    df = runs.copy()
    for c in ("S", "C_static", "C_dynamic", "C_lo", "C_hi", "H_e", "H_m"):
        df[c] = np.round(df[c].astype(float), 3)
    return df, p


def _fan_x(df: pd.DataFrame, title: str | None) -> alt.X:
    """Return the years-from-branch x encoding over the runs' span."""
    xs = alt.Scale(domain=[int(df["t"].min()), int(df["t"].max())], nice=False)
    return alt.X("t:Q", scale=xs, title=title, axis=alt.Axis(values=[-30, -15, 0, 15, 30]))


def _fan_columns(labels: list[str], header: alt.Header | None) -> alt.Column:
    """Return the one-column-per-scenario facet, in ``labels`` order."""
    return alt.Column("label:N", title=None, sort=labels, header=header)


def _fan_top(
    df: pd.DataFrame, p: models.DynamicParams, x: alt.X, col: alt.Column
) -> alt.FacetChart:
    """Return the top row: pressure and both models' C, the dynamic band and thresholds."""
    ys = alt.Scale(domain=[0, 1])
    long_c = df.melt(
        id_vars=["label", "t", "C_lo", "C_hi"],
        value_vars=list(_FAN_SERIES),
        var_name="series",
        value_name="value",
    )
    long_c["series"] = long_c["series"].map(_FAN_SERIES)
    long_c["thE"], long_c["thA"] = p.theta_E, p.theta_A
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(_FAN_SERIES.values()), range=[MUTED, PALETTE[1], PALETTE[0]]),
        legend=alt.Legend(orient="top"),
    )
    top_base = alt.Chart(long_c)
    top = alt.layer(
        top_base.transform_filter("datum.series == 'dynamic model C'")
        .mark_area(color=PALETTE[0], opacity=0.18)
        .encode(x=x, y=alt.Y("C_lo:Q", scale=ys, title="level (0–1)"), y2="C_hi:Q"),
        top_base.mark_rule(strokeDash=[5, 3], color=MUTED, strokeWidth=1).encode(y="thA:Q"),
        top_base.mark_rule(strokeDash=[1, 3], color=MUTED, strokeWidth=1).encode(y="thE:Q"),
        top_base.mark_rule(color="#999999", strokeWidth=1, aria=False).encode(x=alt.datum(0)),
        top_base.mark_line().encode(
            x=x,
            y=alt.Y("value:Q", scale=ys),
            color=colour,
            strokeDash=alt.condition(
                "datum.series == 'pressure S'", alt.value([2, 2]), alt.value([1, 0])
            ),
            tooltip=[
                alt.Tooltip("series:N"),
                alt.Tooltip("t:Q", title="year from branch"),
                alt.Tooltip("value:Q", format=".2f"),
            ],
        ),
    ).properties(width=_FAN_W, height=_FAN_H)
    return top.facet(column=col, spacing=10)


def _fan_hurdles(df: pd.DataFrame, x: alt.X, labels: list[str]) -> alt.FacetChart:
    """Return the middle row: the dynamic model's two hurdles per scenario."""
    long_h = df.melt(
        id_vars=["label", "t"], value_vars=["H_e", "H_m"], var_name="h", value_name="value"
    )
    long_h["h"] = long_h["h"].map({"H_e": "economic hurdle H_e", "H_m": "memory hurdle H_m"})
    return (
        alt.Chart(long_h)
        .mark_line()
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=alt.Scale(domain=[0, 0.7]), title="hurdle (dynamic)"),
            color=alt.Color(
                "h:N",
                title=None,
                scale=alt.Scale(
                    domain=["economic hurdle H_e", "memory hurdle H_m"],
                    range=[PALETTE[4], PALETTE[3]],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=["h:N", alt.Tooltip("t:Q", title="year"), alt.Tooltip("value:Q", format=".2f")],
        )
        .properties(width=_FAN_W, height=80)
        .facet(column=_fan_columns(labels, None), spacing=10)
    )


def _fan_verdicts(df: pd.DataFrame, x_last: alt.X, labels: list[str]) -> alt.FacetChart:
    """Return the bottom row: the years in which each model gives A = 1."""
    verdict = df.melt(
        id_vars=["label", "t"], value_vars=list(_VERDICT_MODELS), var_name="m", value_name="A"
    )
    verdict["model"] = verdict["m"].map(_VERDICT_MODELS)
    verdict["A"] = np.where(verdict["A"].astype(bool), "A = 1", "A = 0")
    verdict["t1"] = verdict["t"] + 1
    verdict = verdict.drop(columns="m")
    lanes = list(_VERDICT_MODELS.values())
    vbase = alt.Chart(verdict)
    return (
        alt.layer(
            vbase.mark_rect().encode(
                x=x_last,
                x2="t1:Q",
                y=alt.Y("model:N", sort=lanes, title=None, scale=alt.Scale(domain=lanes)),
                color=alt.Color(
                    "A:N",
                    title="formal alliance",
                    scale=alt.Scale(domain=["A = 0", "A = 1"], range=["#eeeeee", PALETTE[0]]),
                    legend=alt.Legend(orient="bottom"),
                ),
                tooltip=["model:N", "A:N", alt.Tooltip("t:Q", title="year from branch")],
            ),
            vbase.mark_rule(color="#777777", strokeWidth=1, aria=False).encode(x=alt.datum(0)),
        )
        .properties(width=_FAN_W, height=54)
        .facet(column=_fan_columns(labels, None), spacing=10)
    )


def _fan_description(df: pd.DataFrame, labels: list[str]) -> str:
    """Return the accessible description of the scenario fan, with each scenario's end."""
    fut = df[df["t"] >= 0]
    ends = "; ".join(
        f"{lb}: dynamic C {fut.loc[fut['label'] == lb, 'C_dynamic'].iloc[-1]:.2f}, "
        f"static C {fut.loc[fut['label'] == lb, 'C_static'].iloc[-1]:.2f}"
        for lb in labels
    )
    return (
        "Three columns, one per pressure scenario after a common stylised history "
        "(years −30 to 0): continued high pressure, détente and a pressure spike. Top "
        "row: pressure and cooperation in the static and dynamic models, with a shaded "
        "band for the dynamic model under other policy and rebound rates and dashed "
        "entente and alliance thresholds. Middle: the dynamic model's two hurdles. Bottom: "
        "the years in which each model (static, dynamic, two-player game) gives a formal "
        f"alliance. After 30 years: {ends}."
    )


def scenario_fan(runs: pd.DataFrame, params: models.DynamicParams | None = None):
    """Scenario fan: one column per scenario; rows show pressure and cooperation (with the
    dynamic model's parameter band), the hurdles, and the years each model gives A = 1."""
    df, p = _fan_frame(runs, params)
    labels = list(dict.fromkeys(df["label"]))
    x = _fan_x(df, None)
    x_last = _fan_x(df, "years from branch")
    # header label limit: fits a 138 px column
    col = _fan_columns(labels, alt.Header(labelFontSize=11, labelLimit=140))
    top = _fan_top(df, p, x, col)
    mid = _fan_hurdles(df, x, labels)
    bottom = _fan_verdicts(df, x_last, labels)
    chart = alt.vconcat(top, mid, bottom, spacing=6).resolve_scale(color="independent")
    return finish(
        chart,
        title="Three futures, three models",
        description=_fan_description(df, labels),
        source=MODEL_SOURCE,
    )


def _slider(name: str, label: str, values: list[float], value: float) -> alt.Parameter:
    """Return a range slider over ``values``, starting at ``value`` (a grid point)."""
    if not any(abs(v - value) < SLIDER_TOL for v in values):
        raise ValueError(f"initial {label} = {value} is not on the slider grid {values}")
    return alt.param(
        name=name,
        value=value,
        bind=alt.binding_range(
            min=min(values),
            max=max(values),
            step=round(values[1] - values[0], 6),
            name=f"{label} ",
        ),
    )


#: The explorable's series names, in legend order.
_READER_SERIES = [
    "pressure S",
    "static model C",
    "dynamic model C",
    "memory hurdle H_m (dynamic)",
]


class _ReaderGrid(NamedTuple):
    """The checked explorable grid and the slider positions it offers."""

    p: models.DynamicParams
    st: list[dict]
    dy: list[dict]
    levels: list[float]
    effs: list[float]
    shapes: list[str]


def _reader_grid(
    grid: Mapping[str, list[dict]], params: models.DynamicParams | None, shape: str
) -> _ReaderGrid:
    """Return the checked grid rows, parameters and slider positions of the explorable."""
    if not isinstance(grid, Mapping) or set(grid) != {"static", "dynamic"}:
        raise ValueError("reader_explorable: grid must be reader_grid()'s {'static', 'dynamic'}")
    p = _check_params(params)
    st, dy = grid["static"], grid["dynamic"]
    if not st or not dy:
        raise ValueError("reader_explorable: grid has no rows")
    levels = sorted({r["L"] for r in st})
    effs = sorted({r["d"] for r in dy})
    shapes = list(dict.fromkeys(r["sh"] for r in st))
    if shape not in shapes:
        raise ValueError(f"reader_explorable: shape {shape!r} not in the grid ({shapes})")
    return _ReaderGrid(p, st, dy, levels, effs, shapes)


def _reader_encoding(st: list[dict]) -> tuple[int, dict]:
    """Return the last year T of the packed paths and the line encoding over years 0..T."""
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=_READER_SERIES, range=[MUTED, PALETTE[1], PALETTE[0], PALETTE[3]]),
        legend=alt.Legend(columns=2),
    )
    T = len(unpack_path(st[0]["C"])) - 1
    return T, time_encoding(T, colour, x_title="years from the branch point")


def _reader_paths(
    rows: list[dict], match: str, fields: dict[str, str], enc: dict, **mark
) -> alt.Chart:
    """Return the lines of packed path ``fields`` (renamed to series) in the matching row."""
    return (
        unpack_paths(alt.Chart(pd.DataFrame(rows)).transform_filter(match), fields)
        .mark_line(**mark)
        .encode(**enc)
    )


def _reader_thresholds(p: models.DynamicParams) -> tuple[alt.Chart, alt.Chart]:
    """Return the dashed entente and alliance rules and their labels."""
    thresholds = pd.DataFrame(
        {"y": [p.theta_E, p.theta_A], "name": ["entente θ_E", "alliance θ_A"]}
    )
    rules = alt.Chart(thresholds).mark_rule(strokeDash=[5, 3], color=MUTED).encode(y="y:Q")
    rule_text = (
        alt.Chart(thresholds)
        .mark_text(align="right", dy=-6, fontSize=10, color=MUTED)
        .encode(x=alt.value(430), y="y:Q", text="name:N")
    )
    return rules, rule_text


def _when(field: str) -> str:
    """Return the expression 'never' or 'from year N' for a first-year field (-1 = never)."""
    return f"(datum.{field} < 0 ? 'never' : 'from year ' + datum.{field})"


def _readout_line(rows: list[dict], match: str, text: str, colour: str, y: int) -> alt.Chart:
    """Return one read-out text line, computed from the matching grid row."""
    return (
        alt.Chart(pd.DataFrame(rows))
        .transform_filter(match)
        .transform_calculate(text=text)
        .mark_text(align="left", fontSize=12, fontWeight=600, color=colour)
        .encode(x=alt.value(4), y=alt.value(y), text="text:N")
    )


def _reader_readout(rg: _ReaderGrid, m_static: str, m_dyn: str) -> alt.LayerChart:
    """Return the three text lines giving each model's verdict."""
    both = _when("e") + " + ', alliance ' + " + _when("a")
    static_text = _readout_line(
        rg.st, m_static, "'Static model: entente ' + " + both, PALETTE[1], 8
    )
    dyn_text = _readout_line(rg.dy, m_dyn, "'Dynamic model: entente ' + " + both, PALETTE[0], 26)
    game_text = _readout_line(
        rg.dy, m_dyn, "'Two-player game: (ally, ally) available ' + " + _when("g"), "#000000", 44
    )
    return alt.layer(static_text, dyn_text, game_text).properties(width=430, height=52)


def _reader_plot(
    rg: _ReaderGrid,
    m_static: str,
    m_dyn: str,
    enc: dict,
    thresholds: tuple[alt.Chart, alt.Chart],
) -> alt.LayerChart:
    """Return the line plot: thresholds, pressure, both models' C and the memory hurdle."""
    names = _READER_SERIES
    return alt.layer(
        *thresholds,
        _reader_paths(rg.st, m_static, {"S": names[0]}, enc, strokeDash=[2, 2]),
        _reader_paths(rg.st, m_static, {"C": names[1]}, enc),
        _reader_paths(rg.dy, m_dyn, {"C": names[2]}, enc, strokeWidth=3),
        _reader_paths(rg.dy, m_dyn, {"Hm": names[3]}, enc, strokeDash=[6, 2]),
    ).properties(width=430, height=230)


def _reader_description(T: int) -> str:
    """Return the accessible description of the reader explorable."""
    return (
        f"Line chart over {T} years from a common branch point. A slider sets the pressure "
        "level, buttons set how pressure gets there (at once, over 15 years, or as a "
        "six-year pulse), and a second slider scales how effective hurdle policy is from "
        "now on. Lines show pressure, cooperation in the static and dynamic models and the "
        "dynamic model's memory hurdle; dashed lines mark the entente and alliance "
        "thresholds. Three text lines above the plot give each model's verdict: the years "
        "of entente and alliance, and when the two-player game makes a formal alliance "
        "available."
    )


def reader_explorable(
    grid: Mapping[str, list[dict]],
    params: models.DynamicParams | None = None,
    *,
    level: float = 0.75,
    shape: str = "step",
    effect: float = 1.0,
):
    """Kernel-free explorable: the reader picks the pressure level, how pressure gets there,
    and future policy effectiveness; the chart shows pressure, static and dynamic C, the
    memory hurdle, and a read-out of all three models' verdicts."""
    rg = _reader_grid(grid, params, shape)
    lev_p = _slider("level", "pressure level S", rg.levels, level)
    eff_p = _slider("effect", "policy effectiveness (× default δ)", rg.effs, effect)
    shape_p = alt.param(
        name="shape",
        value=shape,
        bind=alt.binding_radio(
            options=rg.shapes, labels=[SHAPES[s] for s in rg.shapes], name="pressure gets there: "
        ),
    )
    m_static = f"datum.sh == shape && {match_sliders(L='level')}"
    m_dyn = f"{m_static} && {match_sliders(d='effect')}"
    T, enc = _reader_encoding(rg.st)
    thresholds = _reader_thresholds(rg.p)
    readout = _reader_readout(rg, m_static, m_dyn)
    plot = _reader_plot(rg, m_static, m_dyn, enc, thresholds)
    chart = alt.vconcat(readout, plot, spacing=4).add_params(lev_p, shape_p, eff_p)
    return finish(
        chart,
        title="Your scenario: what do the three models say?",
        description=_reader_description(T),
        source=MODEL_SOURCE,
    )
