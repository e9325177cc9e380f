"""Charts for the economic hurdle (chapter 5): trade, its composition, asymmetry, and the model.

Rules these builders enforce (DESIGN.md, honesty rules 1 and 3):

* one line per producer, broken wherever a producer has no year: COW (1992-2014),
  CEPII BACI (2017-2023) and UN Comtrade (2017-2024) are never joined, and the
  2015-2016 years that no raw file covers stay empty;
* published China-customs headline totals (``trade_reported``) are drawn as separate
  points with their press source in the tooltip; where two reports disagree (2015)
  both are drawn and nothing is corrected;
* trade shares (``trade_share_asymmetry``) plot only ratios derived from one producer each
  (``derive.trade_shares``): COW and IMF DOTS are separate lines, and a producer's own
  break (COW's China totals, 1999) splits its line;
* the model explorable precomputes the static model of :mod:`reluctant_allies.models`
  over a grid, so its sliders work on a static page without a kernel."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from ..analysis.economy import (
    OTHER_REPORT_LABEL,
    REPORTED_LABEL,
    SECTION_GROUPS,
    SHARE_OF,
    SHARE_PRODUCERS,
    _check_reported,
    _reported_points,
    _with_producer_lines,
    composition_groups,
    economic_hurdle_grid,
    implied_2015,
    trade_share_lines,
)
from ..indicators import (
    DIRECTIONS,
    PRODUCERS,
    check_trade,
    trade_gdp_ratio,
    turnover_by_producer,
)
from ._sliders import match_sliders
from .theme import MUTED, PALETTE, dash_scale, finish

__all__ = [
    "trade_turnover",
    "trade_directions",
    "trade_composition_butterfly",
    "trade_gdp_asymmetry",
    "trade_share_asymmetry",
    "economic_hurdle_explorable",
]


PRODUCER_COLOURS = dict(zip(PRODUCERS.values(), (PALETTE[0], PALETTE[1], PALETTE[2]), strict=True))


IMPLIED_LABEL = "2015 as implied by the 2016 report"


def _finish(chart, *, title: str, description: str, source: str, width: int = 92):
    """:func:`theme.finish`, then the source line wrapped at '; ' so it fits 600 px."""
    done = finish(chart, title=title, description=description, source=source)
    text = done.title.subtitle
    if len(text) <= width:
        return done
    lines, line = [], ""
    for part in text.split("; "):
        candidate = f"{line}; {part}" if line else part
        if line and len(candidate) > width:
            lines.append(line + ";")
            line = part
        else:
            line = candidate
    lines.append(line)
    return done.properties(title=alt.TitleParams(text=done.title.text, subtitle=lines))


def _year_axis(lo: int = 1991, hi: int = 2025) -> alt.X:
    return alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=[lo, hi], nice=False),
        axis=alt.Axis(format="d", values=list(range(1992, hi + 1, 4))),
    )


def _gap_band(y_top: float, text: str) -> list:
    """Shaded 2015-2016 band with a label: the years no raw file covers."""
    gap = pd.DataFrame({"x": [2014.5], "x2": [2016.5], "label": [text]})
    band = (
        alt.Chart(gap)
        .mark_rect(color="#eeeeee")
        .encode(
            x=alt.X("x:Q", scale=alt.Scale(zero=False, nice=False)),
            x2="x2:Q",
            tooltip=[alt.Tooltip("label:N", title="gap")],
        )
    )
    label = (
        alt.Chart(gap.assign(y=y_top))
        .mark_text(fontSize=10, color=MUTED, align="center", baseline="top", lineBreak="\n")
        .encode(x=alt.X("mid:Q"), y=alt.Y("y:Q"), text="label:N")
        .transform_calculate(mid="(datum.x + datum.x2) / 2")
    )
    return [band, label]


def _turnover_line_layer(lines: pd.DataFrame, y_max: float) -> alt.Chart:
    """The producers' turnover lines, one colour per producer, broken at their gaps."""
    y = alt.Y(
        "value:Q",
        title="US$ billion (current)",
        scale=alt.Scale(domain=[0, y_max], nice=False),
    )
    colour_domain = [PRODUCERS["cow_trade_v4"], PRODUCERS["cepii_baci"]]
    return (
        alt.Chart(lines.rename(columns={"turnover_usd_bn": "value"}))
        .mark_line(point=alt.OverlayMarkDef(size=22))
        .encode(
            x=_year_axis(),
            y=y,
            color=alt.Color(
                "producer:N",
                title="Derived from raw data",
                scale=alt.Scale(
                    domain=colour_domain, range=[PRODUCER_COLOURS[c] for c in colour_domain]
                ),
                legend=alt.Legend(orient="top-left", direction="vertical", offset=4),
            ),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("producer:N"),
                alt.Tooltip("value:Q", title="turnover, US$ bn", format=".1f"),
            ],
        )
    )


def _implied_2015_row(rep: pd.DataFrame, implied: float) -> pd.DataFrame:
    """One reported-points row for the 2015 total implied by the 2016 report."""
    return pd.DataFrame(
        {
            "year": [2015],
            "value_usd_bn": [implied],
            "series": [IMPLIED_LABEL],
            "reporter": ["computed here: 2016 total / 1.022"],
            "source_url": [
                rep.loc[
                    (rep["flow"] == "turnover") & (rep["year"] == 2016),
                    "source_url",
                ].iloc[0]
            ],
            "confidence": ["disputed"],
            "note": ["Implied by the 2016 report (69.52 bn, +2.2%)."],
        }
    )


def _turnover_reported_frame(rep: pd.DataFrame) -> tuple[pd.DataFrame, float | None]:
    """The published turnover points (with fill and size) and the implied 2015 total."""
    pts = _reported_points(rep, "turnover")
    implied = implied_2015(rep)
    if implied is not None:
        pts = pd.concat([pts, _implied_2015_row(rep, implied)], ignore_index=True)
    pts = pts.rename(columns={"value_usd_bn": "value"})
    fills = {REPORTED_LABEL: "#222222", OTHER_REPORT_LABEL: "white", IMPLIED_LABEL: "white"}
    pts["fill"] = pts["series"].map(fills)
    pts["size"] = pts["series"].map({REPORTED_LABEL: 36, OTHER_REPORT_LABEL: 80, IMPLIED_LABEL: 80})
    return pts, implied


def _label_2015(pts: pd.DataFrame) -> str:
    """The 2015 span's label: the reported total or (≈) the implied one, else the range."""
    in_2015 = pts[pts["year"] == 2015]
    implied = in_2015.loc[in_2015["series"] == IMPLIED_LABEL, "value"]
    reported = in_2015.loc[in_2015["series"] != IMPLIED_LABEL, "value"]
    if len(implied) and len(reported):
        return f"2015: {reported.iloc[0]:g} or ≈{implied.iloc[0]:.0f}?"
    return f"2015: {in_2015['value'].min():g} to {in_2015['value'].max():g}?"


def _span_2015_layers(pts: pd.DataFrame) -> list:
    """A rule and a label joining the 2015 totals when two of them disagree (else none)."""
    y2015 = pts.loc[pts["year"] == 2015, "value"]
    if len(y2015) < 2:
        return []
    span = pd.DataFrame(
        {"year": [2015], "lo": [y2015.min()], "hi": [y2015.max()], "y_text": [y2015.max()]}
    )
    rule = (
        alt.Chart(span)
        .mark_rule(color="#222222", strokeWidth=1)
        .encode(x="year:Q", y="lo:Q", y2="hi:Q")
    )
    text = (
        alt.Chart(span)
        .mark_text(align="left", dx=7, dy=-10, fontSize=10.5)
        .encode(
            x="year:Q",
            y="y_text:Q",
            text=alt.value(_label_2015(pts)),
        )
    )
    return [rule, text]


def _reported_point_layer(pts: pd.DataFrame) -> alt.Chart:
    """The published headline totals as points, one shape per kind of report."""
    domain = [REPORTED_LABEL, OTHER_REPORT_LABEL, IMPLIED_LABEL]
    present = [d for d in domain if d in set(pts["series"])]
    shapes = {REPORTED_LABEL: "circle", OTHER_REPORT_LABEL: "square", IMPLIED_LABEL: "diamond"}
    return (
        alt.Chart(pts)
        .mark_point(size=46, strokeWidth=1.4, opacity=1)
        .encode(
            x="year:Q",
            y="value:Q",
            shape=alt.Shape(
                "series:N",
                title="Published headline totals",
                scale=alt.Scale(domain=present, range=[shapes[d] for d in present]),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            stroke=alt.value("#222222"),
            fill=alt.Fill("fill:N", scale=None),
            size=alt.Size("size:Q", scale=None),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("series:N", title="series"),
                alt.Tooltip("reporter:N"),
                alt.Tooltip("value:Q", title="turnover, US$ bn", format=".2f"),
                alt.Tooltip("note:N"),
                alt.Tooltip("source_url:N", title="source"),
            ],
        )
    )


def _turnover_description(
    lines: pd.DataFrame, pts: pd.DataFrame | None, implied: float | None
) -> str:
    """The accessible description of :func:`trade_turnover` (``pts`` None: no reports)."""
    desc_reported = ""
    if pts is not None:
        desc_reported = (
            f" Black symbols mark {int((pts['series'] != IMPLIED_LABEL).sum())} headline totals "
            "published in the press (China customs unless marked)"
        )
        reported_2015 = pts.loc[(pts["year"] == 2015) & (pts["series"] != IMPLIED_LABEL), "value"]
        if implied is not None and len(reported_2015):
            desc_reported += (
                f"; for 2015 the reported {reported_2015.iloc[0]:g} bn and the {implied} bn "
                "implied by the 2016 report are both drawn."
            )
        else:
            desc_reported += "."
    ranges = lines.groupby("producer")["year"].agg(["min", "max"]).itertuples()
    spans = "; ".join(f"{p} {a}–{b}" for p, a, b in ranges)
    return (
        "Line chart of China–Russia goods trade turnover in billions of current US dollars, "
        f"one line per producer ({spans}), with no line across 2015–2016, which no raw "
        "file covers (shaded)." + desc_reported
    )


def trade_turnover(
    trade: pd.DataFrame,
    reported: pd.DataFrame | None = None,
    *,
    source: str,
    title: str = "China–Russia trade turnover by producer, 1992–2024",
):
    """Two-way turnover, one line per producer, plus press-reported headline totals as points.

    Lines: COW (1992-2014) and BACI (2017-2023), each broken where the producer has
    no year. Points: the ``trade_reported`` turnover rows (China customs and, where
    present, Russian sources), with the press URL in the tooltip. For 2015 the
    reported 64.2 bn and the total implied by the 2016 report are both drawn and
    joined by a thin rule: the disagreement is shown, not resolved.
    """
    who = "trade_turnover"
    lines = _with_producer_lines(
        turnover_by_producer(trade).assign(direction="turnover"), ["source"]
    )
    y_max = 260.0
    layers = _gap_band(y_max - 4, "2015–16:\nno two-way\nraw data")
    layers.append(_turnover_line_layer(lines, y_max))
    pts, implied = None, None
    if reported is not None:
        pts, implied = _turnover_reported_frame(_check_reported(reported, who))
        layers.extend(_span_2015_layers(pts))
        layers.append(_reported_point_layer(pts))
    chart = alt.layer(*layers).properties(width=560, height=300).resolve_scale(shape="independent")
    return _finish(
        chart,
        title=title,
        description=_turnover_description(lines, pts, implied),
        source=source,
    )


def _directions_frame(trade: pd.DataFrame) -> pd.DataFrame:
    """Checked trade rows with producer line segments, US$ bn values and panel names."""
    t = _with_producer_lines(check_trade(trade, "trade_directions"), ["source", "direction"])
    t["value"] = (t["value_usd_m"] / 1000).round(3)
    t["panel"] = t["direction"].map(
        {
            "Russia to China": "Russia → China (Russia's exports)",
            "China to Russia": "China → Russia (China's exports)",
        }
    )
    return t


def _directions_chart(t: pd.DataFrame, present: list[str]) -> alt.FacetChart:
    """The two faceted panels, one line per producer in ``present``."""
    base = alt.Chart(t).encode(
        x=alt.X(
            "year:Q",
            title=None,
            scale=alt.Scale(domain=[1991, 2025], nice=False),
            axis=alt.Axis(format="d", values=list(range(1994, 2025, 6))),
        ),
        y=alt.Y("value:Q", title="US$ billion (current)"),
        color=alt.Color(
            "producer:N",
            title="Producer",
            scale=alt.Scale(domain=present, range=[PRODUCER_COLOURS[p] for p in present]),
        ),
        detail="segment:N",
        tooltip=[
            alt.Tooltip("year:Q", format="d"),
            alt.Tooltip("direction:N"),
            alt.Tooltip("producer:N"),
            alt.Tooltip("value:Q", title="US$ bn", format=".1f"),
        ],
    )
    return (
        base.mark_line(point=alt.OverlayMarkDef(size=18))
        .properties(width=262, height=230)
        .facet(
            column=alt.Column(
                "panel:N",
                title=None,
                sort=["Russia → China (Russia's exports)", "China → Russia (China's exports)"],
                header=alt.Header(labelFontSize=12, labelFontWeight=600, labelColor="#222222"),
            ),
            spacing=14,
        )
    )


def trade_directions(
    trade: pd.DataFrame,
    *,
    source: str,
    title: str = "Who sells how much to whom: trade by direction and producer",
):
    """Two panels (Russia's exports to China; China's exports to Russia), one line per producer.

    UN Comtrade (China's own import records, valued CIF) appears only in the
    Russia-to-China panel; lines break wherever a producer has no year.
    """
    t = _directions_frame(trade)
    present = [p for p in PRODUCERS.values() if p in set(t["producer"])]
    chart = _directions_chart(t, present)
    last = t.loc[t["year"] == t["year"].max()]
    return _finish(
        chart,
        title=title,
        description=(
            "Two line charts side by side: Russia's exports to China (left) and China's exports "
            "to Russia (right), in billions of current US dollars, one line per producer "
            f"({', '.join(present)}); lines stop at 2014 and resume in 2017. Last year shown: "
            f"{int(last['year'].iloc[0])}."
        ),
        source=source,
    )


def _composition_frame(composition: pd.DataFrame, year: int) -> tuple[pd.DataFrame, list]:
    """Every (year, direction, group) share in per cent, signed by side, and the years."""
    g = composition_groups(composition)
    years = sorted(g["year"].unique())
    if year not in years:
        raise ValueError(f"trade_composition_butterfly: year {year} not in the table ({years})")
    full = pd.MultiIndex.from_product(
        [years, list(DIRECTIONS), list(SECTION_GROUPS)], names=["year", "direction", "group"]
    )
    g = g.set_index(["year", "direction", "group"]).reindex(full, fill_value=0.0).reset_index()
    g["pct"] = (g["share"] * 100).round(1)
    g["x"] = np.where(g["direction"] == "Russia to China", -g["pct"], g["pct"])
    g["label"] = g["pct"].map(lambda v: f"{v:.0f}%" if round(v) >= 1 else "")
    g["side"] = g["direction"].map(
        {"Russia to China": "Russia sells to China", "China to Russia": "China sells to Russia"}
    )
    return g, years


def _butterfly_bars(base: alt.Chart) -> alt.Chart:
    """The butterfly's bars: Russia's shares to the left, China's to the right."""
    return base.mark_bar(height=14).encode(
        x=alt.X(
            "x:Q",
            title="share of that direction's trade (%): ← Russia sells | China sells →",
            scale=alt.Scale(domain=[-100, 100]),
            axis=alt.Axis(
                values=[-100, -75, -50, -25, 0, 25, 50, 75, 100], labelExpr="abs(datum.value)"
            ),
        ),
        color=alt.Color(
            "side:N",
            title=None,
            scale=alt.Scale(
                domain=["Russia sells to China", "China sells to Russia"],
                range=[PALETTE[1], PALETTE[0]],
            ),
        ),
        tooltip=[
            alt.Tooltip("year:Q", format="d"),
            alt.Tooltip("side:N", title="direction"),
            alt.Tooltip("group:N", title="product group"),
            alt.Tooltip("pct:Q", title="share, %", format=".1f"),
        ],
    )


def _butterfly_chart(g: pd.DataFrame, pick: alt.Parameter) -> alt.LayerChart:
    """Bars, zero rule, share labels and year label, filtered by the ``pick`` slider."""
    base = (
        alt.Chart(g)
        .transform_filter("round(datum.year) == round(comp_year)")
        .encode(
            y=alt.Y(
                "group:N", sort=list(SECTION_GROUPS), title=None, axis=alt.Axis(labelLimit=220)
            ),
        )
    )
    bars = _butterfly_bars(base)
    left = (
        base.transform_filter("datum.x < 0")
        .mark_text(align="right", dx=-3, fontSize=10.5)
        .encode(x="x:Q", text="label:N")
    )
    right = (
        base.transform_filter("datum.x >= 0")
        .mark_text(align="left", dx=3, fontSize=10.5)
        .encode(x="x:Q", text="label:N")
    )
    year_label = (
        alt.Chart(pd.DataFrame({"x": [100]}))
        .mark_text(align="right", baseline="top", fontSize=13, fontWeight=600, dy=-2)
        .encode(x="x:Q", y=alt.value(0), text=alt.Text("y:N"))
        .transform_calculate(y="'Year: ' + comp_year")
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#888888").encode(x="x:Q")
    return (
        alt.layer(bars, zero, left, right, year_label)
        .add_params(pick)
        .properties(width=400, height=250)
    )


def _composition_description(g: pd.DataFrame, year: int, years: list) -> str:
    """The accessible description of :func:`trade_composition_butterfly`."""
    row = g.loc[(g["year"] == year)]
    fuels = row.loc[
        (row["direction"] == "Russia to China") & (row["group"] == list(SECTION_GROUPS)[0]), "pct"
    ].iloc[0]
    mach = row.loc[
        (row["direction"] == "China to Russia")
        & row["group"].isin(["Machinery and electrical", "Vehicles and transport"]),
        "pct",
    ].sum()
    return (
        "Butterfly bar chart of the product composition of China–Russia trade by groups of "
        "HS sections: bars to the left are shares of Russia's exports to China, bars to the "
        f"right shares of China's exports to Russia. A slider picks the year ({years[0]}–"
        f"{years[-1]}); in {year} mineral products were {fuels:.0f}% of Russia's sales and "
        f"machinery, electrical goods and vehicles {mach:.0f}% of China's."
    )


def trade_composition_butterfly(
    composition: pd.DataFrame,
    *,
    source: str,
    year: int = 2023,
    title: str = "What each side sells the other: shares by product group",
):
    """Both directions on one panel: Russia's exports to China extend left, China's right.

    One bar pair per group of HS sections; a year slider (2017-2023) changes the year
    shown; labels give the share in per cent.
    """
    g, years = _composition_frame(composition, year)
    pick = alt.param(
        name="comp_year",
        value=year,
        bind=alt.binding_range(min=years[0], max=years[-1], step=1, name="year "),
    )
    chart = _butterfly_chart(g, pick)
    return _finish(
        chart,
        title=title,
        description=_composition_description(g, year, years),
        source=source,
    )


def trade_gdp_asymmetry(
    trade: pd.DataFrame,
    power: pd.DataFrame,
    *,
    source: str,
    title: str = "The same trade weighs far more on Russia: turnover as % of each GDP",
):
    """Turnover / GDP for Russia and for China; colour = whose GDP, dash = trade producer."""
    r = trade_gdp_ratio(trade, power)
    producers = [p for p in PRODUCERS.values() if p in set(r["producer"])]
    layers = _gap_band(float(np.ceil(r["pct"].max() + 1.5)), "2015–16:\nno two-way\nraw data")
    layers.append(
        alt.Chart(r)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=_year_axis(1991, 2024),
            y=alt.Y("pct:Q", title="bilateral turnover, % of GDP"),
            color=alt.Color(
                "of:N",
                title=None,
                scale=alt.Scale(
                    domain=["as % of Russia's GDP", "as % of China's GDP"],
                    range=[PALETTE[1], PALETTE[0]],
                ),
            ),
            strokeDash=alt.StrokeDash(
                "producer:N",
                title="trade data",
                scale=dash_scale(producers),
            ),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("of:N", title="ratio"),
                alt.Tooltip("producer:N", title="trade data"),
                alt.Tooltip("pct:Q", title="%", format=".2f"),
            ],
        )
    )
    chart = alt.layer(*layers).properties(width=560, height=240)
    last = r.loc[r["year"] == r["year"].max()].set_index("of")["pct"]
    yr = int(r["year"].max())
    ru, cn = last["as % of Russia's GDP"], last["as % of China's GDP"]
    return _finish(
        chart,
        title=title,
        description=(
            "Line chart of China–Russia trade turnover as a percentage of Russia's GDP and of "
            f"China's GDP, {int(r['year'].min())}–{yr}, one line per trade producer with a gap in "
            f"2015–2016. In {yr} the turnover equalled {ru:.1f}% of "
            f"Russia's GDP and {cn:.1f}% of China's."
        ),
        source=source,
    )


def _share_line_layer(r: pd.DataFrame, producers: list[str]) -> alt.Chart:
    """The share lines: colour = whose trade, dash = producer, one line per ``line`` id."""
    return (
        alt.Chart(r)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=_year_axis(1991, 2022),
            y=alt.Y("pct:Q", title="% of the country's goods trade"),
            color=alt.Color(
                "share_of:N",
                title=None,
                scale=alt.Scale(domain=list(SHARE_OF.values()), range=[PALETTE[1], PALETTE[0]]),
                legend=alt.Legend(orient="top"),  # two legends side by side overflow 600 px
            ),
            strokeDash=alt.StrokeDash(
                "producer:N",
                title="data",
                scale=dash_scale(producers),
            ),
            detail="line:N",
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("share_of:N", title="share"),
                alt.Tooltip("producer:N", title="data"),
                alt.Tooltip("pct:Q", title="% of total trade", format=".1f"),
                alt.Tooltip("exports_pct:Q", title="% of exports", format=".1f"),
                alt.Tooltip("imports_pct:Q", title="% of imports", format=".1f"),
            ],
        )
    )


def _share_break_layers(r: pd.DataFrame) -> list:
    """Dotted rules and labels where a producer's own series breaks (else none)."""
    breaks = r.loc[(r["segment"] > 1)].groupby(["country", "source"])["year"].min()
    if not len(breaks):
        return []
    marks = pd.DataFrame(
        {"x": [y - 0.5 for y in breaks], "label": ["break in COW's China totals"] * len(breaks)}
    )
    marks = marks.drop_duplicates()
    rule = (
        alt.Chart(marks)
        .mark_rule(color=MUTED, strokeDash=[2, 2])
        .encode(x="x:Q", tooltip=[alt.Tooltip("label:N", title="note")])
    )
    text = (
        alt.Chart(marks.assign(y=float(np.ceil(r["pct"].max()))))
        .mark_text(fontSize=10, color=MUTED, align="left", dx=3, baseline="top")
        .encode(x="x:Q", y="y:Q", text="label:N")
    )
    return [rule, text]


def _last_share(r: pd.DataFrame, country: str, src: str) -> tuple[int, float] | None:
    """The last year and share of ``country``'s line from producer ``src`` (None: no line)."""
    part = r.loc[(r["country"] == country) & (r["source"] == src)]
    if part.empty:
        return None
    row = part.loc[part["year"].idxmax()]
    return int(row["year"]), float(row["pct"])


def _share_description(r: pd.DataFrame) -> str:
    """The accessible description of :func:`trade_share_asymmetry`."""
    said = []
    for country, src in (("Russia", "cow_trade_v4"), ("China", "cow_trade_v4")):
        got = _last_share(r, country, src)
        if got:
            said.append(f"in {got[0]} (COW) {SHARE_OF[country]} was {got[1]:.1f}%")
    dots = _last_share(r, "Russia", "imf_dots")
    if dots:
        said.append(f"IMF DOTS puts China's share of Russia's trade at {dots[1]:.1f}% in {dots[0]}")
    span = f"{int(r['year'].min())}–{int(r['year'].max())}"
    return (
        f"Line chart, {span}, of China's share of Russia's total goods trade and Russia's "
        "share of China's, one line per data producer, never joined across producers or "
        "breaks: " + "; ".join(said) + "."
    )


def trade_share_asymmetry(
    shares: pd.DataFrame,
    *,
    source: str,
    title: str = "Each side's share of the other's goods trade",
):
    """Share of each country's total goods trade that is with the other; colour = whose trade,
    dash = producer.  Each producer's line is its own bilateral flow over its own totals."""
    r = trade_share_lines(shares)
    producers = [p for p in SHARE_PRODUCERS.values() if p in set(r["producer"])]
    layers = [_share_line_layer(r, producers), *_share_break_layers(r)]
    chart = alt.layer(*layers).properties(width=560, height=240)
    return _finish(chart, title=title, description=_share_description(r), source=source)


def _hurdle_sliders(H0: float, g0: float, gs: np.ndarray) -> tuple[alt.Parameter, alt.Parameter]:
    """The H_e and gamma_e sliders (params ``He`` and ``ge``), starting at ``H0``, ``g0``."""
    h_param = alt.param(
        name="He",
        value=float(H0),
        bind=alt.binding_range(min=0, max=1, step=0.05, name="economic hurdle H_e "),
    )
    g_param = alt.param(
        name="ge",
        value=float(g0),
        bind=alt.binding_range(
            min=float(gs.min()), max=float(gs.max()), step=0.1, name="hurdle weight γ_e "
        ),
    )
    return h_param, g_param


def _packed_curves(curves: pd.DataFrame) -> tuple[pd.DataFrame, float, float]:
    """One row per slider position with its curve C*(S) as an array, the S step and first S."""
    # One row per slider position holding the whole curve C*(S) as an array on the
    # grid's evenly spaced S values; the browser keeps the matching row, flattens it
    # and numbers the points back into S. The page carries ~170 rows, not ~7,000.
    S_grid = np.unique(curves["S"])
    step = float(np.round(S_grid[1] - S_grid[0], 6))
    if not np.allclose(np.diff(S_grid), step):
        raise ValueError("economic_hurdle_explorable: the S grid must be evenly spaced")
    packed = pd.DataFrame(
        [
            {"g": float(g), "h": float(h), "C": part.sort_values("S")["C"].tolist()}
            for (g, h), part in curves.groupby(["g", "h"], sort=True)
        ]
    )
    return packed, step, float(S_grid[0])


def _hurdle_curve_layers(
    curves: pd.DataFrame, base: models.StaticParams, match: str
) -> tuple[alt.Chart, alt.Chart]:
    """The grey dashed baseline curve and the live curve that follows the sliders."""
    x = alt.X("S:Q", title="systemic pressure S", scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("C:Q", title="equilibrium cooperation C*", scale=alt.Scale(domain=[0, 1]))
    baseline = curves.loc[
        np.isclose(curves["h"], base.H_e0) & np.isclose(curves["g"], base.gamma_e)
    ]
    ref = (
        alt.Chart(baseline)
        .mark_line(color="#999999", strokeDash=[2, 2], strokeWidth=1.5)
        .encode(x=x, y=y)
    )
    packed, step, s0 = _packed_curves(curves)
    live = (
        alt.Chart(packed)
        .transform_filter(match)
        .transform_flatten(["C"])
        .transform_window(i="row_number()")
        .transform_calculate(S=f"round(((datum.i - 1) * {step} + {s0}) * 1e4) / 1e4")
        .mark_line(color=PALETTE[0], strokeWidth=3)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("S:Q", format=".3f"),
                alt.Tooltip("C:Q", title="C*", format=".3f"),
            ],
        )
    )
    return ref, live


def _hurdle_level_layers(base: models.StaticParams) -> tuple[alt.Chart, alt.Chart]:
    """Dashed horizontal rules at theta_E and theta_A and their labels."""
    levels = pd.DataFrame(
        {"C": [base.theta_E, base.theta_A], "name": ["entente θ_E", "alliance θ_A"]}
    )
    hrules = alt.Chart(levels).mark_rule(strokeDash=[5, 3], color=MUTED).encode(y="C:Q")
    hlabels = (
        alt.Chart(levels)
        .mark_text(align="left", dx=4, dy=-6, fontSize=10.5, color=MUTED)
        .encode(x=alt.value(0), y="C:Q", text="name:N")
    )
    return hrules, hlabels


def _reachable_thresholds(thr_long: pd.DataFrame, match: str) -> alt.Chart:
    """A chart of the slider-matched thresholds S_E, S_A that are reachable (S <= 1)."""
    return alt.Chart(thr_long).transform_filter(match).transform_filter("datum.S <= 1")


def _hurdle_threshold_layers(thr: pd.DataFrame, match: str) -> tuple[alt.Chart, ...]:
    """Vertical rules and labels at S_E and S_A, and the slider read-out text."""
    thr_long = thr.melt(["g", "h"], var_name="which", value_name="S")
    thr_long["S"] = thr_long["S"].replace(np.inf, 99.0)
    thr_long["colour"] = thr_long["which"].map({"S_E": PALETTE[2], "S_A": PALETTE[1]})
    vrules = (
        _reachable_thresholds(thr_long, match)
        .mark_rule(strokeWidth=2)
        .encode(x="S:Q", color=alt.Color("colour:N", scale=None))
    )
    vlabels = (
        _reachable_thresholds(thr_long, match)
        .mark_text(align="right", dx=-4, baseline="bottom", fontSize=11, fontWeight=600)
        .encode(
            x="S:Q",
            y=alt.value(250),
            text="which:N",
            color=alt.Color("colour:N", scale=None),
        )
    )
    readout = (
        alt.Chart(thr)
        .transform_filter(match)
        .transform_calculate(
            text=(
                "'H_e = ' + format(datum.h, '.2f') + ', γ_e = ' + format(datum.g, '.1f') + "
                "':  S_E = ' + (datum.S_E <= 1 ? format(datum.S_E, '.2f') : 'above 1') + "
                "',  S_A = ' + (datum.S_A <= 1 ? format(datum.S_A, '.2f') : "
                "format(datum.S_A, '.2f') + ' > 1: alliance out of reach')"
            )
        )
        .mark_text(align="left", baseline="top", fontSize=11.5, fontWeight=600)
        .encode(x=alt.value(6), y=alt.value(6), text="text:N")
    )
    return vrules, vlabels, readout


def _hurdle_description(base: models.StaticParams, H0: float, g0: float) -> str:
    """The accessible description of :func:`economic_hurdle_explorable` at ``H0``, ``g0``."""
    S_E0, S_A0 = (float(v) for v in models.static_thresholds(base.replace(gamma_e=g0), H_e=H0))
    return (
        "Line chart of equilibrium cooperation C* against systemic pressure S in the book's "
        "static model. Two sliders set the economic hurdle H_e (0 to 1) and its weight γ_e; "
        "the blue curve and the vertical threshold lines move with them, the grey dashed "
        f"curve stays at the baseline. At H_e = {H0:.2f}, γ_e = {g0:.1f}: S_E = {S_E0:.2f}, "
        f"S_A = {S_A0:.2f}."
    )


def economic_hurdle_explorable(
    params: models.StaticParams | None = None,
    *,
    H_e: float | None = None,
    gamma_e: float | None = None,
    title: str = "What if the economic hurdle shrank? Equilibrium cooperation C*(S)",
    source: str = "Book's reconstruction of the static model (reluctant_allies.models, §3a)",
):
    """Sliders for H_e and gamma_e move the curve C*(S) and the thresholds S_E, S_A.

    The grey curve is the baseline (the parameters' own ``H_e0`` and ``gamma_e``);
    the coloured one follows the sliders. Dashed horizontal rules: theta_E, theta_A;
    vertical rules: S_E and S_A where they are reachable (S <= 1).
    """
    base = params or models.StaticParams()
    H0 = base.H_e0 if H_e is None else H_e
    g0 = base.gamma_e if gamma_e is None else gamma_e
    curves, thr = economic_hurdle_grid(base)
    hs, gs = np.unique(curves["h"]), np.unique(curves["g"])
    for name, v, grid in (("H_e", H0, hs), ("gamma_e", g0, gs)):
        if not np.isclose(grid, v).any():
            raise ValueError(f"economic_hurdle_explorable: {name}={v} is not on the slider grid")
    h_param, g_param = _hurdle_sliders(H0, g0, gs)
    match = match_sliders(h="He", g="ge")
    ref, live = _hurdle_curve_layers(curves, base, match)
    hrules, hlabels = _hurdle_level_layers(base)
    vrules, vlabels, readout = _hurdle_threshold_layers(thr, match)
    chart = (
        alt.layer(hrules, hlabels, ref, live, vrules, vlabels, readout)
        .add_params(h_param, g_param)
        .properties(width=520, height=270)
    )
    return _finish(chart, title=title, description=_hurdle_description(base, H0, g0), source=source)
