"""Chapter 4 (military cooperation as the outcome): exercises, arms, UN votes, thresholds.

Builders for the ``exercises``, ``arms_transfers`` and ``unga`` tables, plus the
threshold explorable: the book's ordinal coding of milestones on the cooperation
scale C, and the toy models' C path on a pressure ramp, classified as "below
entente", "entente" or "alliance" for every (theta_E, theta_A) pair on a small
grid, so two sliders can move the thresholds in a static page.

Everything threshold-related is the book's reconstruction, not the article's."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from .. import exercises as exercise_rules
from .._checks import require_columns
from ..analysis.cooperation import THETA_A, THETA_E, threshold_grid
from .theme import PALETTE, dash_scale, finish

__all__ = ["arms_deliveries", "exercise_strip", "threshold_explorable", "unga_alignment"]


#: Lanes of the exercise chart, top to bottom ("not stated" = the cited source gives no domain).
DOMAINS = ["naval", "air", "land and air", "not stated"]


#: One colour per exercise format (fixed, so every chart agrees).
FORMATS = {
    "bilateral": PALETTE[0],
    "SCO": PALETTE[2],
    "multilateral": PALETTE[4],
    "Russian exercise with PLA participation": PALETTE[3],
}


KINDS = {"exercise": "circle", "patrol": "triangle-up"}


#: Status on the cooperation scale, and its colour.
STATUS = {"below entente": "#9a9a9a", "entente": PALETTE[0], "alliance": PALETTE[1]}


TIV_CAVEAT = "SIPRI TIV, millions; volume indicator, not sales value"


def _subtitle(chart, *extra: str, width: int = 92):
    """Add wrapped lines under the source line(s) that ``finish`` wrote."""
    title = chart.title
    source = title.subtitle
    lines = [source] if isinstance(source, str) else list(source)
    lines += [w for line in extra for w in textwrap.wrap(line, width)]
    return chart.properties(title=alt.TitleParams(text=title.text, subtitle=lines))


def _runs(years: pd.Series) -> pd.Series:
    """Run id for consecutive years, so a line never bridges a missing year."""
    y = years.to_numpy()
    return pd.Series(np.concatenate([[0], np.cumsum(np.diff(y) != 1)]), index=years.index)


def exercise_strip(
    exercises: pd.DataFrame,
    *,
    source: str,
    label: Mapping[str, str] | None = None,
    title: str = "China–Russia joint exercises and patrols in the book's curated table",
):
    """One mark per counted exercise or patrol: year across, domain down, colour = format.

    Circles are exercises, triangles patrols (``kind`` air or naval patrol); hollow marks
    are rows the table flags as ``weak``. Context rows (``counted`` false) are not drawn.
    """
    need = ("id", "name", "kind", "start", "year", "domain", "format", "confidence", "source_url")
    require_columns(exercises, need, "exercise_strip", nonempty=True)
    for col, allowed in (
        ("kind", exercise_rules.KINDS),
        ("format", FORMATS),
        ("confidence", ("sourced", "weak")),
    ):
        bad = sorted(set(exercises[col].dropna()) - set(allowed))
        if bad:
            raise ValueError(f"exercise_strip: unknown {col} value(s) {bad}")
    bad = sorted(set(exercises["domain"].dropna()) - set(DOMAINS))
    if bad:
        raise ValueError(f"exercise_strip: unknown domain value(s) {bad}")
    label = dict(label or {})
    absent = sorted(set(label) - set(exercises["id"]))
    if absent:
        raise ValueError(f"exercise_strip: no exercise with id(s) {absent}")

    df = exercises.copy()
    if "counted" in df:  # context rows (not counted under the rules) are not drawn
        df = df[df["counted"].astype(bool)]
    df["kind"] = np.where(exercise_rules.is_patrol(df["kind"]), "patrol", "exercise")
    df["lane"] = df["domain"].astype("object").where(df["domain"].notna(), "not stated")
    df["dates"] = [
        "not given in the cited source"
        if pd.isna(s)
        else pd.Timestamp(s).strftime("%d %b %Y")
        + ("" if pd.isna(e) else " – " + pd.Timestamp(e).strftime("%d %b %Y"))
        for s, e in zip(df["start"], df.get("end", df["start"]), strict=True)
    ]
    df = df.sort_values(["year", "lane", "start", "id"], kind="stable").reset_index(drop=True)
    # Dodge events in the same lane and year side by side (display only; tooltips keep the year).
    group = df.groupby(["year", "lane"])
    n, i = group["id"].transform("size"), group.cumcount()
    df["x"] = df["year"] + (i - (n - 1) / 2) * 0.32
    df["label"] = df["id"].map(label).fillna("")
    # Alternate labels above and below their mark within a lane, so neighbours do not collide.
    labelled = df["label"] != ""
    df["label_dy"] = 0
    df.loc[labelled, "label_dy"] = (
        df.loc[labelled].groupby("lane").cumcount().map(lambda k: -14 if k % 2 == 0 else 16)
    )
    if "location" in df:
        df["location"] = df["location"].astype("object").where(df["location"].notna(), "not given")
    else:
        df["location"] = "not given"
    keep = ["id", "name", "kind", "year", "lane", "format", "confidence", "source_url"]
    df = df[[*keep, "x", "label", "label_dy", "dates", "location"]]
    lo, hi = int(df["year"].min()), int(df["year"].max())

    x = alt.X(
        "x:Q",
        title=None,
        scale=alt.Scale(domain=[lo - 0.7, hi + 0.7], nice=False),
        axis=alt.Axis(format="d", values=list(range(lo, hi + 1, 2)), grid=False),
    )
    y = alt.Y(
        "lane:N",
        sort=DOMAINS,
        title=None,
        scale=alt.Scale(domain=DOMAINS),
        axis=alt.Axis(domain=False, ticks=False, labelFontSize=12),
    )
    colour = alt.Color(
        "format:N",
        title="format",
        scale=alt.Scale(domain=list(FORMATS), range=list(FORMATS.values())),
        legend=alt.Legend(columns=2, symbolType="circle"),
    )
    shape = alt.Shape(
        "kind:N",
        title="kind",
        scale=alt.Scale(domain=list(KINDS), range=list(KINDS.values())),
        legend=alt.Legend(symbolFillColor="#555555", symbolStrokeColor="#555555"),
    )
    tooltip = [
        alt.Tooltip("name:N", title="name"),
        alt.Tooltip("dates:N", title="dates"),
        alt.Tooltip("location:N", title="location"),
        alt.Tooltip("format:N", title="format"),
        alt.Tooltip("confidence:N", title="confidence"),
        alt.Tooltip("source_url:N", title="source"),
    ]
    base = alt.Chart(df).encode(x=x, y=y)
    solid = (
        base.transform_filter(alt.datum.confidence == "sourced")
        .mark_point(filled=True, size=110, opacity=0.9)
        .encode(color=colour, shape=shape, tooltip=tooltip)
    )
    hollow = (
        base.transform_filter(alt.datum.confidence == "weak")
        .mark_point(filled=False, size=110, strokeWidth=2)
        .encode(
            color=alt.Color("format:N", legend=None),
            shape=alt.Shape("kind:N", legend=None),
            tooltip=tooltip,
        )
    )
    # an empty layer would draw an unlabelled, empty SVG group (axe: svg-img-alt)
    layers = [solid, hollow] if (df["confidence"] == "weak").any() else [solid]
    if label:
        for dy in (-14, 16):
            layers.append(
                base.transform_filter((alt.datum.label != "") & (alt.datum.label_dy == dy))
                .mark_text(dy=dy, fontSize=10.5)
                .encode(text="label:N")
            )
    chart = alt.layer(*layers).resolve_scale(color="shared", shape="shared")
    chart = chart.properties(width=490, height=220)

    n_rows, n_weak = len(df), int((df["confidence"] == "weak").sum())
    n_patrol = int((df["kind"] == "patrol").sum())
    chart = finish(
        chart,
        title=title,
        description=(
            f"Strip chart of the {n_rows} joint exercises and patrols in the book's curated table, "
            f"{df['year'].min()}–{df['year'].max()}, one mark per event, placed by year and by "
            f"domain (naval, air, land and air, or not stated). {n_patrol} are patrols"
            + (
                f", the first in {int(df.loc[df['kind'] == 'patrol', 'year'].min())}. "
                if n_patrol
                else ". "
            )
            + f"{n_weak} hollow marks rest on a weak source. Every activity counted under the "
            "table's written counting rules is drawn; patrols are a category that starts in 2019."
        ),
        source=source,
    )
    return _subtitle(
        chart,
        "Every activity counted under the written rules (see the exercises data page). "
        "Patrols are a new category from 2019: more marks is not only more cooperation. "
        "Hollow = weak source.",
    )


def arms_deliveries(
    arms: pd.DataFrame,
    *,
    source: str,
    highlight: tuple[int, int] | None = (2016, 2019),
    highlight_label: str = "Su-35 and S-400 deliveries",
    title: str = "Russia's deliveries of major arms to China, and to all recipients",
):
    """Bars of SIPRI TIV by delivery year: China in front, Russia's total exports behind.

    ``highlight`` shades a span of years (inclusive) and labels it; ``None`` for none.
    """
    require_columns(arms, ("year", "recipient", "tiv_m"), "arms_deliveries", nonempty=True)
    wanted = {"China", "All recipients"}
    missing = wanted - set(arms["recipient"])
    if missing:
        raise ValueError(f"arms_deliveries: recipient column lacks {sorted(missing)}")
    if (arms["tiv_m"] < 0).any() or arms["tiv_m"].isna().any():
        raise ValueError("arms_deliveries: tiv_m must be a non-negative number in every row")
    if arms.duplicated(["year", "recipient"]).any():
        raise ValueError("arms_deliveries: duplicate (year, recipient) rows")
    wide = arms[arms["recipient"].isin(wanted)].pivot(
        index="year", columns="recipient", values="tiv_m"
    )
    df = wide.reset_index().rename(columns={"China": "china", "All recipients": "total"})
    df["share"] = (df["china"] / df["total"]).round(3)
    first, last = int(df["year"].min()), int(df["year"].max())
    if highlight is not None:
        lo, hi = highlight
        if not (first <= lo <= hi <= last):
            raise ValueError(
                f"arms_deliveries: highlight {highlight} must be a span inside {first}–{last}"
            )

    top = float(np.ceil(df["total"].max() * 1.12 / 1000) * 1000)
    x_scale = alt.Scale(domain=[first - 0.6, last + 0.6], nice=False)
    x = alt.X(
        "year:Q",
        title=None,
        scale=x_scale,
        axis=alt.Axis(
            format="d", values=list(range(first - first % 4 + 4, last + 1, 4)), grid=False
        ),
    )
    y_scale = alt.Scale(domain=[0, top], nice=False)
    y_axis = alt.Axis(format=",.0f", tickCount=5)
    y = alt.Y("total:Q", title="TIV, millions", scale=y_scale, axis=y_axis)
    tip = [
        alt.Tooltip("year:Q", title="year", format="d"),
        alt.Tooltip("china:Q", title="to China (TIV m)", format=",.0f"),
        alt.Tooltip("total:Q", title="all recipients (TIV m)", format=",.0f"),
        alt.Tooltip("share:Q", title="China's share", format=".0%"),
    ]
    base = alt.Chart(df).encode(x=x, tooltip=tip)
    total = base.mark_bar(color="#cfcfcf", width=11).encode(y=y)
    china = base.mark_bar(color=PALETTE[0], width=7).encode(
        y=alt.Y("china:Q", title="TIV, millions", scale=y_scale, axis=y_axis)
    )
    # A legend drawn as text: two bar series on one scale need no colour scale.
    key = pd.DataFrame(
        {
            "year": [first, first],
            "y": [top * 0.97, top * 0.89],
            "text": ["■ Russia to all recipients", "■ Russia to China"],
            "c": ["#8a8a8a", PALETTE[0]],
        }
    )
    legend = (
        alt.Chart(key)
        .mark_text(align="left", baseline="middle", fontSize=12, dx=-6)
        .encode(
            x=x,
            y=alt.Y("y:Q", title="TIV, millions", scale=y_scale, axis=y_axis),
            text="text:N",
            color=alt.Color("c:N", scale=None),
        )
    )
    layers = [total, china, legend]
    if highlight is not None:
        span = pd.DataFrame({"lo": [highlight[0] - 0.5], "hi": [highlight[1] + 0.5]})
        shade = (
            alt.Chart(span)
            .mark_rect(color=PALETTE[4], opacity=0.22)
            .encode(x=alt.X("lo:Q", scale=x_scale, title=None), x2="hi:Q")
        )
        text = (
            alt.Chart(pd.DataFrame({"year": [highlight[0] - 0.5], "y": [top * 0.97]}))
            .mark_text(align="right", baseline="middle", dx=-4, fontSize=11, color="#7a4f00")
            .encode(
                x=x,
                y=alt.Y("y:Q", title="TIV, millions", scale=y_scale, axis=y_axis),
                text=alt.value(highlight_label),
            )
        )
        layers = [shade, *layers, text]
    chart = alt.layer(*layers).properties(width=510, height=260)
    by_year = df.set_index("year")["china"]
    peak_year = int(by_year.idxmax())
    low = by_year[by_year.index > peak_year]
    chart = finish(
        chart,
        title=title,
        description=(
            f"Bar chart of SIPRI trend-indicator values (TIV, millions) of Russia's arms "
            f"deliveries, {first}–{last}, to China in front of grey bars for all recipients. "
            f"Deliveries to China peak at {int(by_year.max()):,} in {peak_year}; after the peak "
            f"the lowest value is {int(low.min()):,} in {int(low.idxmin())}"
            + (
                f", with a rise to {int(by_year.loc[highlight[0] : highlight[1]].max()):,} "
                f"during the shaded years {highlight[0]}–{highlight[1]} ({highlight_label})"
                if highlight is not None
                else ""
            )
            + f". China's share of Russia's deliveries falls from {df['share'].iloc[0]:.0%} in "
            f"{first} to {df['share'].iloc[-1]:.0%} in {last}."
        ),
        source=source,
    )
    return _subtitle(chart, TIV_CAVEAT + ".")


AGREE_PAIRS = {"China–Russia": PALETTE[2], "China–USA": PALETTE[4], "Russia–USA": PALETTE[5]}


IDEAL_STATES = {"China": PALETTE[0], "Russia": PALETTE[3], "USA": PALETTE[1]}


def unga_alignment(
    unga: pd.DataFrame,
    *,
    source: str,
    title: str = "How China, Russia and the USA vote in the UN General Assembly",
):
    """Two stacked panels: vote agreement by pair, and ideal points by state.

    Lines break at any missing year (a gap stays a gap); the two panels come from two
    releases of the Voeten data and are never joined.
    """
    require_columns(unga, ("year", "measure", "subject", "value"), "unga_alignment", nonempty=True)
    bad = sorted(set(unga["measure"]) - {"agreement", "ideal point"})
    if bad:
        raise ValueError(f"unga_alignment: unknown measure value(s) {bad}")
    if unga["value"].isna().any():
        raise ValueError("unga_alignment: value column has missing entries; drop those rows")
    panels = []
    for measure, colours, ytitle, head in (
        ("agreement", AGREE_PAIRS, "share of votes alike", "Vote agreement (June 2024 release)"),
        (
            "ideal point",
            IDEAL_STATES,
            "ideal point (final passage)",
            "Ideal points, final-passage votes (July 2025 release)",
        ),
    ):
        df = unga[unga["measure"] == measure]
        if df.empty:
            raise ValueError(f"unga_alignment: no rows with measure {measure!r}")
        unknown = sorted(set(df["subject"]) - set(colours))
        if unknown:
            raise ValueError(f"unga_alignment: unexpected {measure} subject(s) {unknown}")
        df = df.sort_values(["subject", "year"]).copy()
        df["run"] = df.groupby("subject", group_keys=False)["year"].apply(_runs)
        df["series"] = df["subject"] + "#" + df["run"].astype(str)
        df["value"] = df["value"].round(3)
        df = df[["year", "subject", "series", "value"]]
        enc = {
            "x": alt.X(
                "year:Q",
                title=None,
                scale=alt.Scale(domain=[1992, 2024], nice=False),
                axis=alt.Axis(format="d", values=list(range(1992, 2025, 4))),
            ),
            "y": alt.Y("value:Q", title=ytitle, scale=alt.Scale(zero=measure == "agreement")),
            "color": alt.Color(
                "subject:N",
                title=None,
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                legend=alt.Legend(orient="right", direction="vertical", labelLimit=120),
            ),
        }
        tip = [
            alt.Tooltip("subject:N", title="pair" if measure == "agreement" else "state"),
            alt.Tooltip("year:Q", title="year", format="d"),
            alt.Tooltip("value:Q", title=measure, format=".2f"),
        ]
        line = alt.Chart(df).mark_line().encode(detail="series:N", **enc)
        dots = alt.Chart(df).mark_circle(size=18).encode(tooltip=tip, **enc)
        panels.append(
            alt.layer(line, dots).properties(
                width=460, height=170, title=alt.TitleParams(head, fontSize=12.5)
            )
        )
    chart = alt.vconcat(*panels, spacing=18).resolve_scale(color="independent")
    agree = unga[unga["measure"] == "agreement"].pivot(
        index="year", columns="subject", values="value"
    )
    y0, y1 = int(agree.index.min()), int(agree.index.max())
    chart = finish(
        chart,
        title=title,
        description=(
            "Two line charts. Top: share of UN General Assembly roll-call votes on which two "
            f"states voted alike, {y0}–{y1}: China–Russia rises from "
            f"{agree.loc[y0, 'China–Russia']:.2f} to about 0.8 by the 2000s and is "
            f"{agree.loc[y1, 'China–Russia']:.2f} in {y1}; China–USA stays between about 0.06 and "
            "0.19; Russia–USA falls from about 0.35 in the 1990s to about 0.2. Bottom: ideal "
            "points on the model's single dimension (final-passage votes): the USA far above, "
            "Russia moving down from about 1.1 in 1992 to China's side of the scale, with a "
            "drop for both in 2022."
        ),
        source=source,
    )
    return chart


def _slider_filter(te, ta):
    return (alt.expr.round(alt.datum.theta_E * 100) == alt.expr.round(te * 100)) & (
        alt.expr.round(alt.datum.theta_A * 100) == alt.expr.round(ta * 100)
    )


def _status_expr(te, ta) -> str:
    """Vega expression for a year's status; the same rule as :func:`_status` (C >= theta)."""
    e, a = f"round({te.name} * 100) / 100", f"round({ta.name} * 100) / 100"
    return f"datum.C >= {a} ? 'alliance' : (datum.C >= {e} ? 'entente' : 'below entente')"


def threshold_explorable(
    coded: pd.DataFrame,
    ramp: pd.DataFrame,
    *,
    source: str,
    theta_E: float = 0.5,
    theta_A: float = 0.85,
    title: str = "Where would entente and alliance begin? Move the two thresholds",
):
    """Two panels sharing two sliders (theta_E, theta_A): the book's milestone coding by
    calendar year, and the static and dynamic models' C on a pressure ramp by model year.

    Each year's dot is coloured by its status under the chosen thresholds (computed in
    the page from C, by the rule of :func:`threshold_grid`); the line of text under each
    panel, listing the entente and alliance years, is precomputed by
    :func:`threshold_grid` for every slider position.
    """
    require_columns(coded, ("year", "C", "label"), "threshold_explorable", nonempty=True)
    require_columns(ramp, ("model", "year", "C", "S"), "threshold_explorable", nonempty=True)
    if round(theta_E, 2) not in THETA_E:
        raise ValueError(f"threshold_explorable: theta_E {theta_E} is not on the grid {THETA_E}")
    if round(theta_A, 2) not in THETA_A:
        raise ValueError(f"threshold_explorable: theta_A {theta_A} is not on the grid {THETA_A}")
    paths = pd.concat(
        [
            coded[["year", "C"]].assign(panel="coding", series="book's milestone coding"),
            ramp[["year", "C"]].assign(panel=ramp["model"].to_numpy(), series=ramp["model"]),
        ],
        ignore_index=True,
    )
    _, summary = threshold_grid(paths)

    te = alt.param(
        name="thE",
        value=theta_E,
        bind=alt.binding_range(
            min=THETA_E[0], max=THETA_E[-1], step=0.05, name="entente threshold θ_E "
        ),
    )
    ta = alt.param(
        name="thA",
        value=theta_A,
        bind=alt.binding_range(
            min=THETA_A[0], max=THETA_A[-1], step=0.05, name="alliance threshold θ_A "
        ),
    )
    status_colour = alt.Color(
        "status:N",
        title="status of each year under the chosen thresholds",
        scale=alt.Scale(domain=list(STATUS), range=list(STATUS.values())),
        legend=alt.Legend(titleLimit=400),
    )
    y_scale = alt.Scale(domain=[0, 1], nice=False)
    y = alt.Y("C:Q", title="cooperation C", scale=y_scale)
    rules = alt.Chart(pd.DataFrame({"k": [0]})).transform_calculate(
        E=f"round({te.name} * 100) / 100", A=f"round({ta.name} * 100) / 100"
    )

    def panel(is_coding: bool, xtitle: str, xdomain, head: str):
        lines = paths[(paths["panel"] == "coding") == is_coding]
        x = alt.X(
            "year:Q",
            title=xtitle,
            scale=alt.Scale(domain=xdomain, nice=False),
            axis=alt.Axis(format="d", tickMinStep=1),
        )
        series = list(dict.fromkeys(lines["series"]))
        line = (
            alt.Chart(lines)
            .mark_line(interpolate="step-after" if is_coding else "linear", strokeWidth=1.5)
            .encode(
                x=x,
                y=y,
                detail="series:N",
                strokeDash=alt.StrokeDash(
                    "series:N",
                    title=None,
                    scale=dash_scale(series),
                    legend=None if is_coding else alt.Legend(orient="top-left"),
                ),
                color=alt.value("#777777"),
            )
        )
        dots = (
            alt.Chart(lines)
            .transform_calculate(status=_status_expr(te, ta))
            .mark_circle(size=36, opacity=1)
            .encode(
                x=x,
                y=y,
                color=status_colour,
                tooltip=[
                    alt.Tooltip("series:N", title="series"),
                    alt.Tooltip("year:Q", title=xtitle, format="d"),
                    alt.Tooltip("C:Q", title="C", format=".2f"),
                    alt.Tooltip("status:N", title="status"),
                ],
            )
        )
        rule_e = rules.mark_rule(color=STATUS["entente"], strokeDash=[4, 3]).encode(
            y=alt.Y("E:Q", scale=y_scale)
        )
        rule_a = rules.mark_rule(color=STATUS["alliance"], strokeDash=[4, 3]).encode(
            y=alt.Y("A:Q", scale=y_scale)
        )
        rule_text = [
            rules.mark_text(
                align="left", dx=4, fontSize=11, fontWeight="bold", color=STATUS[name]
            ).encode(x=alt.value(470), y=alt.Y(f"{field}:Q", scale=y_scale), text=alt.value(name))
            for field, name in (("E", "entente"), ("A", "alliance"))
        ]
        layers = [rule_e, rule_a, *rule_text, line, dots]
        if is_coding:
            lab = coded.loc[coded["label"] != "", ["year", "C", "label"]].reset_index(drop=True)
            lab["above"] = lab.index % 2 == 1
            for above, dy in ((True, -9), (False, 11)):
                layers.append(
                    alt.Chart(lab[lab["above"] == above])
                    .mark_text(align="left", dx=3, dy=dy, fontSize=10.5)
                    .encode(x=x, y=y, text="label:N")
                )
        return alt.layer(*layers).properties(
            width=470, height=190, title=alt.TitleParams(head, fontSize=12.5)
        )

    def readout(is_coding: bool, years_word: str):
        s = summary[(summary["panel"] == "coding") == is_coding].copy()
        prefix = np.where(s["panel"] == "coding", "", s["panel"] + ": ")
        s["text"] = (
            prefix
            + f"entente {years_word} "
            + s["entente"]
            + f"; alliance {years_word} "
            + s["alliance"]
        )
        s["row"] = s.groupby(["theta_E", "theta_A"]).cumcount()
        n_rows = int(s["row"].max()) + 1
        return (
            alt.Chart(s[["theta_E", "theta_A", "row", "text"]])
            .transform_filter(_slider_filter(te, ta))
            .mark_text(align="left", baseline="top", fontSize=12, color="#222222")
            .encode(x=alt.value(0), y=alt.Y("row:O", axis=None, title=None), text="text:N")
            .properties(width=470, height=17 * n_rows)
        )

    s_path = ramp["S"].dropna()
    top = panel(
        True,
        "year",
        [coded["year"].min() - 0.5, coded["year"].max() + 0.5],
        "The book's coding of observed milestones (ordinal, not measured)",
    )
    bottom = panel(
        False,
        "model year",
        [0, int(ramp["year"].max())],
        f"Toy models, default parameters, pressure ramp S = {s_path.iloc[0]:.1f} → "
        f"{s_path.iloc[-1]:.1f}",
    )
    chart = (
        alt.vconcat(top, readout(True, "years"), bottom, readout(False, "model years"), spacing=8)
        .add_params(te, ta)
        .resolve_scale(strokeDash="independent")
    )
    chart = finish(
        chart,
        title=title,
        description=(
            "Two panels with two sliders for the entente threshold theta_E and the alliance "
            "threshold theta_A, drawn as dashed lines. Top: the book's ordinal coding of "
            f"milestones on the cooperation scale C, a step line from {coded['year'].min()} to "
            f"{coded['year'].max()}. Bottom: the static and dynamic toy models' C on a rising "
            "pressure ramp. Each year's dot is grey below theta_E, blue for entente and "
            "vermillion for alliance; a line of text under each panel lists the years in each "
            "status for the chosen thresholds."
        ),
        source=source,
    )
    return chart
