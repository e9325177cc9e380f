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
from typing import NamedTuple

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


def _check_known(values, allowed, who: str, what: str) -> None:
    """Return nothing; raise ValueError naming the values not in ``allowed``, sorted."""
    bad = sorted(set(values) - set(allowed))
    if bad:
        raise ValueError(f"{who}: unknown {what} value(s) {bad}")


def _check_exercises(exercises: pd.DataFrame, label: Mapping[str, str] | None) -> dict[str, str]:
    """Return the label mapping as a dict, after validating the table and the label ids."""
    need = ("id", "name", "kind", "start", "year", "domain", "format", "confidence", "source_url")
    require_columns(exercises, need, "exercise_strip", nonempty=True)
    for col, allowed in (
        ("kind", exercise_rules.KINDS),
        ("format", FORMATS),
        ("confidence", ("sourced", "weak")),
        ("domain", DOMAINS),
    ):
        _check_known(exercises[col].dropna(), allowed, "exercise_strip", col)
    label = dict(label or {})
    absent = sorted(set(label) - set(exercises["id"]))
    if absent:
        raise ValueError(f"exercise_strip: no exercise with id(s) {absent}")
    return label


def _date_span(start, end) -> str:
    """Return the tooltip text for an event's dates (start, or start – end)."""
    if pd.isna(start):
        return "not given in the cited source"
    return pd.Timestamp(start).strftime("%d %b %Y") + (
        "" if pd.isna(end) else " – " + pd.Timestamp(end).strftime("%d %b %Y")
    )


def _exercise_frame(exercises: pd.DataFrame, label: dict[str, str]) -> pd.DataFrame:
    """Return the counted events with lane, dodged x, label, label offset, dates and location."""
    df = exercises.copy()
    if "counted" in df:  # context rows (not counted under the rules) are not drawn
        df = df[df["counted"].astype(bool)]
    df["kind"] = np.where(exercise_rules.is_patrol(df["kind"]), "patrol", "exercise")
    df["lane"] = df["domain"].astype("object").where(df["domain"].notna(), "not stated")
    df["dates"] = [
        _date_span(s, e) for s, e in zip(df["start"], df.get("end", df["start"]), strict=True)
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
    return df[[*keep, "x", "label", "label_dy", "dates", "location"]]


class _StripEncodings(NamedTuple):
    """The encodings the exercise strip's layers share."""

    x: alt.X
    y: alt.Y
    colour: alt.Color
    shape: alt.Shape
    tooltip: list[alt.Tooltip]


def _exercise_encodings(lo: int, hi: int) -> _StripEncodings:
    """Return the x (years lo–hi), lane, format colour, kind shape and tooltip encodings."""
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
    return _StripEncodings(x, y, colour, shape, tooltip)


def _exercise_layers(df: pd.DataFrame, enc: _StripEncodings, with_labels: bool):
    """Return the layered strip: solid (sourced) and hollow (weak) marks, then the labels."""
    base = alt.Chart(df).encode(x=enc.x, y=enc.y)
    solid = (
        base.transform_filter(alt.datum.confidence == "sourced")
        .mark_point(filled=True, size=110, opacity=0.9)
        .encode(color=enc.colour, shape=enc.shape, tooltip=enc.tooltip)
    )
    hollow = (
        base.transform_filter(alt.datum.confidence == "weak")
        .mark_point(filled=False, size=110, strokeWidth=2)
        .encode(
            color=alt.Color("format:N", legend=None),
            shape=alt.Shape("kind:N", legend=None),
            tooltip=enc.tooltip,
        )
    )
    # an empty layer would draw an unlabelled, empty SVG group (axe: svg-img-alt)
    layers = [solid, hollow] if (df["confidence"] == "weak").any() else [solid]
    if with_labels:
        for dy in (-14, 16):
            layers.append(
                base.transform_filter((alt.datum.label != "") & (alt.datum.label_dy == dy))
                .mark_text(dy=dy, fontSize=10.5)
                .encode(text="label:N")
            )
    chart = alt.layer(*layers).resolve_scale(color="shared", shape="shared")
    return chart.properties(width=490, height=220)


def _exercise_description(df: pd.DataFrame) -> str:
    """Return the accessible description of the exercise strip."""
    n_rows, n_weak = len(df), int((df["confidence"] == "weak").sum())
    n_patrol = int((df["kind"] == "patrol").sum())
    return (
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
    )


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
    label = _check_exercises(exercises, label)
    df = _exercise_frame(exercises, label)
    enc = _exercise_encodings(int(df["year"].min()), int(df["year"].max()))
    chart = _exercise_layers(df, enc, bool(label))
    chart = finish(chart, title=title, description=_exercise_description(df), source=source)
    return _subtitle(
        chart,
        "Every activity counted under the written rules (see the exercises data page). "
        "Patrols are a new category from 2019: more marks is not only more cooperation. "
        "Hollow = weak source.",
    )


def _arms_frame(arms: pd.DataFrame, highlight: tuple[int, int] | None) -> pd.DataFrame:
    """Return one row per year (china, total, share), after validating the table and span."""
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
    return df


class _ArmsAxes(NamedTuple):
    """The shared x encoding, x scale and TIV y scale and axis of the arms chart."""

    x: alt.X
    x_scale: alt.Scale
    y_scale: alt.Scale
    y_axis: alt.Axis

    def tiv(self, field: str) -> alt.Y:
        """Return a y encoding of ``field`` on the TIV scale and axis."""
        return alt.Y(f"{field}:Q", title="TIV, millions", scale=self.y_scale, axis=self.y_axis)


def _arms_axes(first: int, last: int, top: float) -> _ArmsAxes:
    """Return the year x axis (ticks every 4 years) and the TIV y scale from 0 to ``top``."""
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
    return _ArmsAxes(x, x_scale, y_scale, y_axis)


def _arms_bars(df: pd.DataFrame, axes: _ArmsAxes, top: float) -> list:
    """Return the layers: grey total bars, China bars in front, and a text legend."""
    tip = [
        alt.Tooltip("year:Q", title="year", format="d"),
        alt.Tooltip("china:Q", title="to China (TIV m)", format=",.0f"),
        alt.Tooltip("total:Q", title="all recipients (TIV m)", format=",.0f"),
        alt.Tooltip("share:Q", title="China's share", format=".0%"),
    ]
    base = alt.Chart(df).encode(x=axes.x, tooltip=tip)
    total = base.mark_bar(color="#cfcfcf", width=11).encode(y=axes.tiv("total"))
    china = base.mark_bar(color=PALETTE[0], width=7).encode(y=axes.tiv("china"))
    # A legend drawn as text: two bar series on one scale need no colour scale.
    first = int(df["year"].min())
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
        .encode(x=axes.x, y=axes.tiv("y"), text="text:N", color=alt.Color("c:N", scale=None))
    )
    return [total, china, legend]


def _arms_highlight(highlight: tuple[int, int], label: str, axes: _ArmsAxes, top: float):
    """Return the shaded span of years and its label, as two layers."""
    span = pd.DataFrame({"lo": [highlight[0] - 0.5], "hi": [highlight[1] + 0.5]})
    shade = (
        alt.Chart(span)
        .mark_rect(color=PALETTE[4], opacity=0.22)
        .encode(x=alt.X("lo:Q", scale=axes.x_scale, title=None), x2="hi:Q")
    )
    text = (
        alt.Chart(pd.DataFrame({"year": [highlight[0] - 0.5], "y": [top * 0.97]}))
        .mark_text(align="right", baseline="middle", dx=-4, fontSize=11, color="#7a4f00")
        .encode(x=axes.x, y=axes.tiv("y"), text=alt.value(label))
    )
    return shade, text


def _arms_description(df: pd.DataFrame, highlight: tuple[int, int] | None, label: str) -> str:
    """Return the accessible description of the arms-deliveries chart."""
    first, last = int(df["year"].min()), int(df["year"].max())
    by_year = df.set_index("year")["china"]
    peak_year = int(by_year.idxmax())
    low = by_year[by_year.index > peak_year]
    return (
        f"Bar chart of SIPRI trend-indicator values (TIV, millions) of Russia's arms "
        f"deliveries, {first}–{last}, to China in front of grey bars for all recipients. "
        f"Deliveries to China peak at {int(by_year.max()):,} in {peak_year}; after the peak "
        f"the lowest value is {int(low.min()):,} in {int(low.idxmin())}"
        + (
            f", with a rise to {int(by_year.loc[highlight[0] : highlight[1]].max()):,} "
            f"during the shaded years {highlight[0]}–{highlight[1]} ({label})"
            if highlight is not None
            else ""
        )
        + f". China's share of Russia's deliveries falls from {df['share'].iloc[0]:.0%} in "
        f"{first} to {df['share'].iloc[-1]:.0%} in {last}."
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
    df = _arms_frame(arms, highlight)
    top = float(np.ceil(df["total"].max() * 1.12 / 1000) * 1000)
    axes = _arms_axes(int(df["year"].min()), int(df["year"].max()), top)
    layers = _arms_bars(df, axes, top)
    if highlight is not None:
        shade, text = _arms_highlight(highlight, highlight_label, axes, top)
        layers = [shade, *layers, text]
    chart = alt.layer(*layers).properties(width=510, height=260)
    description = _arms_description(df, highlight, highlight_label)
    chart = finish(chart, title=title, description=description, source=source)
    return _subtitle(chart, TIV_CAVEAT + ".")


AGREE_PAIRS = {"China–Russia": PALETTE[2], "China–USA": PALETTE[4], "Russia–USA": PALETTE[5]}


IDEAL_STATES = {"China": PALETTE[0], "Russia": PALETTE[3], "USA": PALETTE[1]}


#: The two UNGA panels, top to bottom: measure, subject colours, y title, panel heading.
_UNGA_PANELS = (
    ("agreement", AGREE_PAIRS, "share of votes alike", "Vote agreement (June 2024 release)"),
    (
        "ideal point",
        IDEAL_STATES,
        "ideal point (final passage)",
        "Ideal points, final-passage votes (July 2025 release)",
    ),
)


def _unga_rows(unga: pd.DataFrame, measure: str, colours: Mapping[str, str]) -> pd.DataFrame:
    """Return one measure's rows (year, subject, series, value), series broken at gaps."""
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
    return df[["year", "subject", "series", "value"]]


def _unga_panel(df: pd.DataFrame, measure: str, colours: Mapping[str, str], ytitle: str, head: str):
    """Return one UNGA panel: a line per unbroken series and a dot per year with a tooltip."""
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
    return alt.layer(line, dots).properties(
        width=460, height=170, title=alt.TitleParams(head, fontSize=12.5)
    )


def _unga_description(unga: pd.DataFrame) -> str:
    """Return the accessible description of the UNGA chart."""
    agree = unga[unga["measure"] == "agreement"].pivot(
        index="year", columns="subject", values="value"
    )
    y0, y1 = int(agree.index.min()), int(agree.index.max())
    return (
        "Two line charts. Top: share of UN General Assembly roll-call votes on which two "
        f"states voted alike, {y0}–{y1}: China–Russia rises from "
        f"{agree.loc[y0, 'China–Russia']:.2f} to about 0.8 by the 2000s and is "
        f"{agree.loc[y1, 'China–Russia']:.2f} in {y1}; China–USA stays between about 0.06 and "
        "0.19; Russia–USA falls from about 0.35 in the 1990s to about 0.2. Bottom: ideal "
        "points on the model's single dimension (final-passage votes): the USA far above, "
        "Russia moving down from about 1.1 in 1992 to China's side of the scale, with a "
        "drop for both in 2022."
    )


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
    _check_known(unga["measure"], ("agreement", "ideal point"), "unga_alignment", "measure")
    if unga["value"].isna().any():
        raise ValueError("unga_alignment: value column has missing entries; drop those rows")
    panels = []
    for measure, colours, ytitle, head in _UNGA_PANELS:
        df = _unga_rows(unga, measure, colours)
        panels.append(_unga_panel(df, measure, colours, ytitle, head))
    chart = alt.vconcat(*panels, spacing=18).resolve_scale(color="independent")
    return finish(chart, title=title, description=_unga_description(unga), source=source)


def _slider_filter(te, ta):
    """Return the filter keeping the rows of the sliders' current (theta_E, theta_A) pair."""
    return (alt.expr.round(alt.datum.theta_E * 100) == alt.expr.round(te * 100)) & (
        alt.expr.round(alt.datum.theta_A * 100) == alt.expr.round(ta * 100)
    )


def _status_expr(te, ta) -> str:
    """Vega expression for a year's status; the same rule as :func:`_status` (C >= theta)."""
    e, a = f"round({te.name} * 100) / 100", f"round({ta.name} * 100) / 100"
    return f"datum.C >= {a} ? 'alliance' : (datum.C >= {e} ? 'entente' : 'below entente')"


def _threshold_paths(coded: pd.DataFrame, ramp: pd.DataFrame, theta_E: float, theta_A: float):
    """Return the coding and ramp C paths in one frame (year, C, panel, series), validated."""
    require_columns(coded, ("year", "C", "label"), "threshold_explorable", nonempty=True)
    require_columns(ramp, ("model", "year", "C", "S"), "threshold_explorable", nonempty=True)
    if round(theta_E, 2) not in THETA_E:
        raise ValueError(f"threshold_explorable: theta_E {theta_E} is not on the grid {THETA_E}")
    if round(theta_A, 2) not in THETA_A:
        raise ValueError(f"threshold_explorable: theta_A {theta_A} is not on the grid {THETA_A}")
    return pd.concat(
        [
            coded[["year", "C"]].assign(panel="coding", series="book's milestone coding"),
            ramp[["year", "C"]].assign(panel=ramp["model"].to_numpy(), series=ramp["model"]),
        ],
        ignore_index=True,
    )


def _threshold_params(theta_E: float, theta_A: float):
    """Return the two slider parameters (thE, thA), created in that order."""
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
    return te, ta


class _PanelAxes(NamedTuple):
    """The x and y encodings and the y scale one threshold panel shares across layers."""

    x: alt.X
    y: alt.Y
    y_scale: alt.Scale


def _threshold_rules(te, ta, y_scale: alt.Scale) -> list:
    """Return the dashed theta_E and theta_A rules and their two text labels."""
    rules = alt.Chart(pd.DataFrame({"k": [0]})).transform_calculate(
        E=f"round({te.name} * 100) / 100", A=f"round({ta.name} * 100) / 100"
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
    return [rule_e, rule_a, *rule_text]


def _threshold_line(lines: pd.DataFrame, axes: _PanelAxes, is_coding: bool):
    """Return the grey C path, a step line for the coding and dashed by model otherwise."""
    series = list(dict.fromkeys(lines["series"]))
    return (
        alt.Chart(lines)
        .mark_line(interpolate="step-after" if is_coding else "linear", strokeWidth=1.5)
        .encode(
            x=axes.x,
            y=axes.y,
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


def _threshold_dots(lines: pd.DataFrame, axes: _PanelAxes, xtitle: str, te, ta):
    """Return a dot per year, coloured by its status under the slider thresholds."""
    status_colour = alt.Color(
        "status:N",
        title="status of each year under the chosen thresholds",
        scale=alt.Scale(domain=list(STATUS), range=list(STATUS.values())),
        legend=alt.Legend(titleLimit=400),
    )
    return (
        alt.Chart(lines)
        .transform_calculate(status=_status_expr(te, ta))
        .mark_circle(size=36, opacity=1)
        .encode(
            x=axes.x,
            y=axes.y,
            color=status_colour,
            tooltip=[
                alt.Tooltip("series:N", title="series"),
                alt.Tooltip("year:Q", title=xtitle, format="d"),
                alt.Tooltip("C:Q", title="C", format=".2f"),
                alt.Tooltip("status:N", title="status"),
            ],
        )
    )


def _milestone_labels(coded: pd.DataFrame, axes: _PanelAxes) -> list:
    """Return two text layers of the coding's milestone labels, alternately below and above."""
    lab = coded.loc[coded["label"] != "", ["year", "C", "label"]].reset_index(drop=True)
    lab["above"] = lab.index % 2 == 1
    return [
        alt.Chart(lab[lab["above"] == above])
        .mark_text(align="left", dx=3, dy=dy, fontSize=10.5)
        .encode(x=axes.x, y=axes.y, text="label:N")
        for above, dy in ((True, -9), (False, 11))
    ]


def _threshold_panel(paths, coded, is_coding: bool, xtitle: str, xdomain, head: str, te, ta):
    """Return one panel: threshold rules, C path, status dots and (coding only) labels."""
    lines = paths[(paths["panel"] == "coding") == is_coding]
    y_scale = alt.Scale(domain=[0, 1], nice=False)
    x = alt.X(
        "year:Q",
        title=xtitle,
        scale=alt.Scale(domain=xdomain, nice=False),
        axis=alt.Axis(format="d", tickMinStep=1),
    )
    axes = _PanelAxes(x, alt.Y("C:Q", title="cooperation C", scale=y_scale), y_scale)
    line = _threshold_line(lines, axes, is_coding)
    dots = _threshold_dots(lines, axes, xtitle, te, ta)
    layers = [*_threshold_rules(te, ta, y_scale), line, dots]
    if is_coding:
        layers += _milestone_labels(coded, axes)
    return alt.layer(*layers).properties(
        width=470, height=190, title=alt.TitleParams(head, fontSize=12.5)
    )


def _threshold_readout(summary: pd.DataFrame, is_coding: bool, years_word: str, te, ta):
    """Return the text rows under a panel listing entente and alliance years, per slider pair."""
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


def _threshold_description(coded: pd.DataFrame) -> str:
    """Return the accessible description of the threshold explorable."""
    return (
        "Two panels with two sliders for the entente threshold theta_E and the alliance "
        "threshold theta_A, drawn as dashed lines. Top: the book's ordinal coding of "
        f"milestones on the cooperation scale C, a step line from {coded['year'].min()} to "
        f"{coded['year'].max()}. Bottom: the static and dynamic toy models' C on a rising "
        "pressure ramp. Each year's dot is grey below theta_E, blue for entente and "
        "vermillion for alliance; a line of text under each panel lists the years in each "
        "status for the chosen thresholds."
    )


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
    paths = _threshold_paths(coded, ramp, theta_E, theta_A)
    _, summary = threshold_grid(paths)
    te, ta = _threshold_params(theta_E, theta_A)
    s_path = ramp["S"].dropna()
    top = _threshold_panel(
        paths,
        coded,
        True,
        "year",
        [coded["year"].min() - 0.5, coded["year"].max() + 0.5],
        "The book's coding of observed milestones (ordinal, not measured)",
        te,
        ta,
    )
    bottom = _threshold_panel(
        paths,
        coded,
        False,
        "model year",
        [0, int(ramp["year"].max())],
        f"Toy models, default parameters, pressure ramp S = {s_path.iloc[0]:.1f} → "
        f"{s_path.iloc[-1]:.1f}",
        te,
        ta,
    )
    readout_top = _threshold_readout(summary, True, "years", te, ta)
    readout_bottom = _threshold_readout(summary, False, "model years", te, ta)
    chart = (
        alt.vconcat(top, readout_top, bottom, readout_bottom, spacing=8)
        .add_params(te, ta)
        .resolve_scale(strokeDash="independent")
    )
    return finish(chart, title=title, description=_threshold_description(coded), source=source)
