"""Chapter 6 (the memory hurdle): published opinion by pollster, memory-policy timeline,
and the rebound explorable of the dynamic model.

Three rules shape this module, all from the book's honesty rules:

* **Pollsters are never joined.** Each series is one pollster's one question; a line is
  drawn only between *consecutive* years of the same series, so a gap between surveys
  stays a gap. Points from different pollsters sit in the same panel but are never
  connected, and every tooltip carries the question as reported.
* **The memory timeline is built from the ``events`` table** (and, optionally, the
  opening dates in ``themed_years``); which events count as memory policy is the book's
  coding, written down in :data:`MEMORY_LANES`.
* **The explorable is precomputed.** :func:`memory_rebound_grid` runs the dynamic model
  (``reluctant_allies.models``) over a grid of the memory hurdle's rebound ``rho_m`` and
  policy effectiveness ``delta_m`` and over the pressure level after a pulse; the chart
  filters that grid with sliders, so it works on a static page with no kernel.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from . import theme
from ._checks import require_columns
from .theme import INK as INK_TEXT
from .theme import MUTED, PALETTE, finish, source_note

__all__ = [
    "opinion_series",
    "opinion_by_pollster",
    "opinion_hurdle_proxy",
    "memory_events",
    "memory_policy_timeline",
    "memory_rebound_grid",
    "memory_rebound_summary",
    "memory_rebound_explorable",
]

# --- published opinion ----------------------------------------------------------------------

#: Who was asked about whom: the two panels of the opinion chart, top to bottom.
PANELS = {
    ("Russia", "China"): "Russians on China",
    ("Russia", "China–Russia relations"): "Russians on China",
    ("China", "Russia"): "Chinese on Russia",
}
PANEL_ORDER = ("Russians on China", "Chinese on Russia")

#: One colour per pollster, fixed so the chapter's charts agree.
POLLSTER_COLOURS = {
    "VTsIOM": PALETTE[0],
    "Levada Center": PALETTE[1],
    "CEIAS": PALETTE[2],
    "CISS (Tsinghua)": PALETTE[3],
}

#: Short names for the questions as reported (the tooltip keeps the full wording).
QUESTION_SHORT = {
    "Russia–China relations are friendly or good-neighbourly (as reported)": (
        "relations friendly or good-neighbourly"
    ),
    "Which country has the most friendly relations with Russia (as reported)": (
        "China named the most friendly country"
    ),
    "Attitude toward China (as reported: well disposed)": "well disposed toward China",
    "View of China (as reported)": "positive view of China",
    "View of Russia (as reported)": "favourable view of Russia",
}

OPINION_REQUIRED = (
    "id",
    "pollster",
    "year",
    "respondents",
    "subject",
    "question",
    "response",
    "share_pct",
    "source_url",
    "confidence",
)

#: One marker shape per series (pollster + question).
SHAPES = ["circle", "square", "diamond", "triangle-up", "triangle-down", "triangle-right", "cross"]

#: Horizontal nudge (in years) for series that share a year, so their points do not hide
#: each other; the tooltip always shows the true year.
_NUDGE = 0.36


def _finish(chart, *, title: str, description: str, source: str | Sequence[str]):
    """:func:`finish`, but a chart built from several tables may give one source line each
    (each starts on a new line of the subtitle, wrapped like the theme wraps one)."""
    lines = [source] if isinstance(source, str) else list(source)
    if not lines or not all(isinstance(s, str) for s in lines):
        raise ValueError(f"source must be a string or a list of strings, got {source!r}")
    chart = finish(chart, title=title, description=description, source="; ".join(lines))
    if len(lines) > 1:
        wrap = getattr(theme, "SOURCE_WRAP", 100)
        chart.title.subtitle = [
            part
            for s in lines
            for part in textwrap.wrap(source_note(s), wrap, break_long_words=False)
        ]
    return chart


def _fieldwork(row: pd.Series) -> str:
    start, end = row.get("fieldwork_start"), row.get("fieldwork_end")
    if start is None or pd.isna(start):
        return f"{row['year']} (dates not reported)"
    start, end = pd.Timestamp(start), pd.Timestamp(end if not pd.isna(end) else start)
    if start == end:
        return start.strftime("%d %b %Y")
    if (
        (start.day == 1 and end == start + pd.offsets.MonthEnd(0))
        or start.strftime("%Y-%m") == end.strftime("%Y-%m")
        and start.day == 1
    ):
        return start.strftime("%b %Y") + " (month only)"
    return f"{start:%d %b %Y} – {end:%d %b %Y}"


def opinion_series(opinion: pd.DataFrame) -> pd.DataFrame:
    """The survey figures that bear on the memory hurdle, one row per figure, tidy for charting.

    Keeps Russians asked about China (or about Russia–China relations) and Chinese asked
    about Russia; drops everything about the USA. A poll reported only as split answer
    categories (e.g. "very" and "mostly" positive, with no total) is left out rather than
    summed. Adds ``series`` (pollster + question), ``segment`` (a new segment starts after
    any missing year, so lines never bridge a gap), ``panel``, ``share_text`` (with the
    report's qualifier), ``fieldwork`` and ``x`` (the year, nudged apart where two series
    share a year).
    """
    require_columns(opinion, OPINION_REQUIRED, "opinion_series")
    if opinion["share_pct"].isna().any():
        raise ValueError("opinion_series: column 'share_pct' has missing values")
    bad = opinion.loc[(opinion["share_pct"] < 0) | (opinion["share_pct"] > 100), "id"]
    if len(bad):
        raise ValueError(f"opinion_series: 'share_pct' outside 0–100 for id(s) {list(bad)}")
    keys = list(zip(opinion["respondents"], opinion["subject"], strict=True))
    df = opinion.loc[[k in PANELS for k in keys]].copy()
    if df.empty:
        raise ValueError("opinion_series: no Russian-on-China or Chinese-on-Russia rows")
    unknown = sorted(set(df["pollster"]) - set(POLLSTER_COLOURS))
    if unknown:
        raise ValueError(f"opinion_series: no colour for pollster(s) {unknown}")
    # one figure per poll and question: split answer categories are not summed
    n_resp = df.groupby(["pollster", "year", "question"])["response"].transform("nunique")
    df = df.loc[n_resp == 1].copy()

    df["panel"] = [PANELS[(r, s)] for r, s in zip(df["respondents"], df["subject"], strict=True)]
    df["question_short"] = df["question"].map(QUESTION_SHORT).fillna(df["question"])
    df["series"] = df["pollster"] + ": " + df["question_short"]
    df["year"] = df["year"].astype(int)
    df = df.sort_values(["series", "year"], kind="stable").reset_index(drop=True)
    if df.duplicated(["series", "year"]).any():
        dup = df.loc[df.duplicated(["series", "year"], keep=False), "id"].tolist()
        raise ValueError(f"opinion_series: two figures for one series and year: {dup}")
    df["segment"] = df.groupby("series")["year"].transform(lambda y: (y.diff() != 1).cumsum())
    df["segment"] = df["series"] + " #" + df["segment"].astype(str)

    qual = df.get("share_qualifier", pd.Series(pd.NA, index=df.index))
    df["share_text"] = [
        (f"{q} " if isinstance(q, str) and q else "") + f"{v:g}%"
        for q, v in zip(qual, df["share_pct"], strict=True)
    ]
    df["fieldwork"] = [_fieldwork(r) for _, r in df.iterrows()]
    df["quality"] = np.where(df["confidence"] == "weak", "weak: re-check the source", "sourced")
    n = df.get("n", pd.Series(pd.NA, index=df.index))
    df["sample"] = ["not reported" if pd.isna(v) else f"{int(v):,}" for v in n]
    df["note"] = df.get("note", pd.Series("", index=df.index)).fillna("").astype(str)

    # nudge series that share a panel-year apart, in a fixed order
    order = {s: i for i, s in enumerate(sorted(df["series"].unique()))}
    df["_rank"] = df["series"].map(order)
    df["_k"] = df.groupby(["panel", "year"])["_rank"].rank(method="first") - 1
    df["_m"] = df.groupby(["panel", "year"])["_rank"].transform("size")
    df["x"] = (df["year"] + (df["_k"] - (df["_m"] - 1) / 2) * _NUDGE).round(3)
    cols = [
        "id",
        "panel",
        "pollster",
        "series",
        "segment",
        "year",
        "x",
        "share_pct",
        "share_text",
        "question",
        "response",
        "fieldwork",
        "sample",
        "quality",
        "source_url",
        "note",
    ]
    return df[cols]


def opinion_by_pollster(
    opinion: pd.DataFrame,
    *,
    source: str,
    title: str = "Published opinion on the partner, kept apart by pollster and question",
):
    """Two panels (Russians on China; Chinese on Russia), one colour per pollster.

    Filled points are figures the research notes could source; hollow points rest on a
    weak page. Lines join only consecutive years of one pollster's one question.
    """
    df = opinion_series(opinion)
    pollsters = [p for p in POLLSTER_COLOURS if p in set(df["pollster"])]
    # one merged legend: colour says the pollster, shape the question
    first = df.drop_duplicates("series")
    first = first.assign(_p=first["pollster"].map({p: i for i, p in enumerate(pollsters)}))
    series_list = first.sort_values(["_p", "series"])["series"].tolist()
    if len(series_list) > len(SHAPES):
        raise ValueError(f"opinion_by_pollster: {len(series_list)} series, at most {len(SHAPES)}")
    pollster_of = dict(zip(first["series"], first["pollster"], strict=True))
    legend = alt.Legend(
        title="Pollster: question (as reported)",
        orient="bottom",
        direction="vertical",
        columns=1,
        labelLimit=420,
        titleLimit=420,
    )
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(
            domain=series_list, range=[POLLSTER_COLOURS[pollster_of[s]] for s in series_list]
        ),
        legend=legend,
    )
    shape = alt.Shape(
        "series:N",
        scale=alt.Scale(domain=series_list, range=SHAPES[: len(series_list)]),
        legend=legend,
    )
    tooltip = [
        alt.Tooltip("pollster:N", title="pollster"),
        alt.Tooltip("question:N", title="question (as reported)"),
        alt.Tooltip("response:N", title="answer counted"),
        alt.Tooltip("share_text:N", title="share"),
        alt.Tooltip("fieldwork:N", title="fieldwork"),
        alt.Tooltip("sample:N", title="respondents (n)"),
        alt.Tooltip("quality:N", title="source quality"),
        alt.Tooltip("source_url:N", title="source"),
    ]
    x = alt.X(
        "x:Q",
        title=None,
        scale=alt.Scale(domain=[2004, 2025.5], nice=False),
        axis=alt.Axis(format="d", values=list(range(2005, 2026, 5))),
    )

    def panel(name: str, height: int):
        sub = df.loc[df["panel"] == name]
        encoding = {
            "x": x,
            "y": alt.Y(
                "share_pct:Q",
                title="% of respondents",
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=[0, 25, 50, 75, 100]),
            ),
            "color": colour,
        }
        # each layer gets only its own rows, and an empty layer is left out: an empty mark
        # group still carries role="img" without a label (axe: svg-img-alt)
        in_line = sub.groupby("segment")["year"].transform("size") > 1
        parts = {
            "lines": sub.loc[in_line],
            "sourced": sub.loc[sub["quality"] == "sourced"],
            "weak": sub.loc[sub["quality"] != "sourced"],
        }
        layers = []
        if len(parts["lines"]):
            layers.append(
                alt.Chart(parts["lines"])
                .mark_line(strokeWidth=2)
                .encode(**encoding, detail="segment:N")
            )
        for key, filled in (("sourced", True), ("weak", False)):
            if len(parts[key]):
                layers.append(
                    alt.Chart(parts[key])
                    .mark_point(size=80, filled=filled, strokeWidth=2, opacity=1)
                    .encode(**encoding, shape=shape, tooltip=tooltip)
                )
        return alt.layer(*layers).properties(
            width=520, height=height, title=alt.TitleParams(name, fontSize=13, fontWeight=600)
        )

    panels = [
        panel(p, 210 if p == PANEL_ORDER[0] else 120) for p in PANEL_ORDER if p in set(df["panel"])
    ]
    chart = alt.vconcat(*panels, spacing=14).resolve_scale(color="shared", shape="shared")
    summary = "; ".join(
        f"{s} ({', '.join(f'{y}: {t}' for y, t in zip(g['year'], g['share_text'], strict=True))})"
        for s, g in df.groupby("series", sort=True)
    )
    n_weak = int((df["quality"] != "sourced").sum())
    return finish(
        chart,
        title=title,
        description=(
            f"Two panels of published survey figures, {len(df)} points from "
            f"{len(pollsters)} pollsters, each series a single pollster's single question: "
            f"{summary}. Lines join consecutive years of one series only; "
            f"{n_weak} hollow point(s) rest on a weak source."
        ),
        source=source,
    )


def opinion_hurdle_proxy(
    opinion: pd.DataFrame,
    *,
    pollster: str = "VTsIOM",
    question: str = "Russia–China relations are friendly or good-neighbourly (as reported)",
) -> pd.DataFrame:
    """The book's crude reading of one poll series as a memory-hurdle proxy: 1 − share.

    Refuses to mix pollsters or questions: exactly one series must match. Returns year,
    the reported share (%), the proxy ``H_m_proxy`` (rounded to 2 decimals) and the source.
    """
    require_columns(opinion, ("pollster", "question", "year", "share_pct", "source_url"), "proxy")
    if pollster not in set(opinion["pollster"]):
        raise ValueError(f"opinion_hurdle_proxy: no pollster {pollster!r} in the table")
    rows = opinion.loc[(opinion["pollster"] == pollster) & (opinion["question"] == question)]
    if rows.empty:
        raise ValueError(f"opinion_hurdle_proxy: {pollster} has no question {question!r}")
    if rows["response"].nunique() != 1 if "response" in rows else False:
        raise ValueError("opinion_hurdle_proxy: the question has several answer categories")
    if rows["year"].duplicated().any():
        raise ValueError("opinion_hurdle_proxy: more than one figure in a year")
    out = rows.sort_values("year")[["year", "share_pct", "source_url"]].copy()
    out["year"] = out["year"].astype(int)
    out["H_m_proxy"] = (1 - out["share_pct"] / 100).round(2)
    out = out.rename(columns={"share_pct": "share (%)", "H_m_proxy": "1 − share"})
    return out[["year", "share (%)", "1 − share", "source_url"]].set_index("year")


# --- memory policy and flashpoints ------------------------------------------------------------

#: The book's coding of which ``events`` rows are memory policy or memory flashpoints, and
#: which lane each sits in. Economic policies (gas, EAEU) are left to chapter 5.
MEMORY_LANES: dict[str, str] = {
    "border-eastern-agreement": "border and treaty",
    "border-western-agreement": "border and treaty",
    "border-western-demarcation": "border and treaty",
    "treaty-2001": "border and treaty",
    "border-complementary-agreement": "border and treaty",
    "border-protocol-2008": "border and treaty",
    "border-markers-heixiazi": "border and treaty",
    "year-of-russia": "themed years",
    "year-of-china": "themed years",
    "victory-parade-moscow": "shared WWII memory",
    "victory-parade-beijing": "shared WWII memory",
    "vladivostok-backlash": "memory flashpoint",
}
LANE_COLOURS = {
    "border and treaty": PALETTE[4],
    "themed years": PALETTE[2],
    "shared WWII memory": PALETTE[0],
    "memory flashpoint": PALETTE[3],
}
#: Short on-chart labels (the tooltip has the full description).
MEMORY_LABELS = {
    "border-eastern-agreement": "eastern border 1991",
    "border-western-agreement": "western border 1994",
    "treaty-2001": "2001 treaty",
    "border-complementary-agreement": "islands divided 2004",
    "border-protocol-2008": "demarcation 2008",
    "year-of-russia": "Year of Russia 2006",
    "victory-parade-moscow": "Moscow & Beijing parades 2015",
    "vladivostok-backlash": "Vladivostok-160 backlash 2020",
}
EVENTS_REQUIRED = ("id", "date", "date_precision", "event", "category", "source_url")


def memory_events(
    events: pd.DataFrame,
    themed_years: pd.DataFrame | None = None,
    *,
    lanes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Memory-policy events and flashpoints from ``events`` (plus themed-year openings).

    ``lanes`` maps event ids to lane names (default :data:`MEMORY_LANES`); every id must
    exist in ``events`` and every lane must be one of :data:`LANE_COLOURS`. Each themed
    programme of ``themed_years`` not already in ``events`` adds one dot at its opening
    date, or at 1 January of its first year (precision "year") when no opening is given.
    """
    require_columns(events, EVENTS_REQUIRED, "memory_events")
    lanes = dict(MEMORY_LANES if lanes is None else lanes)
    if not lanes:
        raise ValueError("memory_events: lanes= is empty")
    bad_lanes = sorted(set(lanes.values()) - set(LANE_COLOURS))
    if bad_lanes:
        raise ValueError(f"memory_events: unknown lane(s) {bad_lanes}; use {list(LANE_COLOURS)}")
    absent = sorted(set(lanes) - set(events["id"]))
    if absent:
        raise ValueError(f"memory_events: no event with id(s) {absent} in the events table")
    df = events.loc[events["id"].isin(list(lanes))].copy()
    df["lane"] = df["id"].map(lanes)
    df["confidence"] = df.get("confidence", pd.Series("sourced", index=df.index))
    df["kind"] = df["category"]
    keep = ["id", "date", "date_precision", "event", "lane", "kind", "source_url", "confidence"]
    df = df[keep]
    if themed_years is not None:
        require_columns(
            themed_years,
            ("id", "theme", "first_year", "last_year", "opened", "source_url", "confidence"),
            "memory_events (themed_years)",
        )
        extra = themed_years.loc[~themed_years["id"].isin(df["id"])].copy()
        has_open = extra["opened"].notna()
        extra["date"] = pd.to_datetime(extra["opened"]).where(
            has_open, pd.to_datetime(extra["first_year"].astype(str) + "-01-01")
        )
        extra["date_precision"] = np.where(has_open, "day", "year")
        span = np.where(
            extra["first_year"] == extra["last_year"],
            extra["first_year"].astype(str),
            extra["first_year"].astype(str) + "–" + extra["last_year"].astype(str),
        )
        extra["event"] = [
            f"{t} ({s}): " + ("opened" if o else "opening date not given")
            for t, s, o in zip(extra["theme"], span, has_open, strict=True)
        ]
        extra["lane"] = "themed years"
        extra["kind"] = "policy on a hurdle (themed_years table)"
        df = pd.concat([df, extra[keep]], ignore_index=True)
    df["date"] = pd.to_datetime(df["date"])
    df["when"] = [
        d.strftime("%Y")
        if p == "year"
        else d.strftime("%b %Y")
        if p == "month"
        else d.strftime("%d %b %Y")
        for d, p in zip(df["date"], df["date_precision"], strict=True)
    ]
    df["quality"] = np.where(df["confidence"] == "weak", "weak: re-check the source", "sourced")
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    return df.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def memory_policy_timeline(
    events: pd.DataFrame,
    themed_years: pd.DataFrame | None = None,
    *,
    source: str | Sequence[str],
    lanes: Mapping[str, str] | None = None,
    label: Mapping[str, str] | None = None,
    title: str = "Working on memory: the border, themed years, shared commemoration",
):
    """Lanes of memory-policy events and memory flashpoints, 1990–2026; hover for sources.

    ``label`` maps event ids to short on-chart labels (default :data:`MEMORY_LABELS`,
    restricted to the ids shown). Hollow dots rest on a weak source.
    """
    df = memory_events(events, themed_years, lanes=lanes)
    if label is None:  # the default labels, for whichever of their events are shown
        label = {k: v for k, v in MEMORY_LABELS.items() if k in set(df["id"])}
    label = dict(label)
    absent = sorted(set(label) - set(df["id"]))
    if absent:
        raise ValueError(f"memory_policy_timeline: no event with id(s) {absent} to label")
    df["label"] = df["id"].map(label).fillna("")
    lane_order = [ln for ln in LANE_COLOURS if ln in set(df["lane"])]
    # alternate labels above and below within a lane so neighbours do not collide
    df["label_dy"] = 0
    lab = df["label"] != ""
    nth = df.loc[lab].groupby("lane").cumcount()
    df.loc[lab, "label_dy"] = nth.map(lambda i: -12 if i % 2 == 0 else 14)

    x = alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(domain=["1990-01-01", "2026-06-30"]),
        axis=alt.Axis(format="%Y", tickCount=alt.TickCount(interval="year", step=5)),
    )
    y = alt.Y(
        "lane:N",
        sort=lane_order,
        title=None,
        axis=alt.Axis(labelLimit=150, domain=False, ticks=False, labelFontSize=12),
    )
    colour = alt.Color(
        "lane:N",
        scale=alt.Scale(domain=lane_order, range=[LANE_COLOURS[ln] for ln in lane_order]),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("when:N", title="date"),
        alt.Tooltip("event:N", title="event"),
        alt.Tooltip("kind:N", title="category"),
        alt.Tooltip("quality:N", title="source quality"),
        alt.Tooltip("source_url:N", title="source"),
    ]
    base = alt.Chart(df).encode(x=x, y=y)
    layers = [
        base.transform_filter(alt.datum.quality == "sourced")
        .mark_circle(size=90, opacity=0.9, stroke="white", strokeWidth=0.8)
        .encode(color=colour, tooltip=tooltip),
    ]
    if (df["quality"] != "sourced").any():  # no empty layer (axe: svg-img-alt)
        layers.append(
            base.transform_filter(alt.datum.quality != "sourced")
            .mark_point(size=90, filled=False, strokeWidth=2)
            .encode(color=colour, tooltip=tooltip)
        )
    for dy in (-12, 14):
        layers.append(
            base.transform_filter(alt.datum.label_dy == dy)
            .mark_text(fontSize=10.5, align="center", dy=dy)
            .encode(text="label:N")
        )
    chart = alt.layer(*layers).properties(width=440, height=55 * len(lane_order) + 20)
    counts = df["lane"].value_counts()
    summary = ", ".join(f"{counts.get(ln, 0)} in '{ln}'" for ln in lane_order)
    return _finish(
        chart,
        title=title,
        description=(
            f"Timeline of {len(df)} dated events from {df['date'].iloc[0][:4]} to "
            f"{df['date'].iloc[-1][:4]} in {len(lane_order)} lanes ({summary}). "
            "Hover over a dot for the event, its date and its source; hollow dots rest on a "
            "weak source."
        ),
        source=source,
    )


# --- the rebound explorable -------------------------------------------------------------------

RHO_VALUES = tuple(np.round(np.arange(0.0, 0.2001, 0.025), 3))
DELTA_VALUES = (0.0, 0.04, 0.08, 0.12, 0.16)
AFTER_VALUES = (0.3, 0.45, 0.6)
PEAK, AT, WIDTH, YEARS = 0.9, 5, 20, 50
_TOL = 1e-6


def _values(values: Sequence[float], name: str, lo: float, hi: float) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name}: need a non-empty 1-D list of values")
    if not np.all(np.isfinite(arr)) or arr.min() < lo or arr.max() > hi:
        raise ValueError(f"{name}: values must be finite and in [{lo}, {hi}] (got {list(arr)})")
    if np.unique(np.round(arr, 6)).size != arr.size:
        raise ValueError(f"{name}: values must be distinct (got {list(arr)})")
    return np.sort(arr)


def memory_rebound_grid(
    *,
    rho_m: Sequence[float] = RHO_VALUES,
    delta_m: Sequence[float] = DELTA_VALUES,
    after: Sequence[float] = AFTER_VALUES,
    peak: float = PEAK,
    at: int = AT,
    width: int = WIDTH,
    years: int = YEARS,
    base: models.DynamicParams | None = None,
) -> pd.DataFrame:
    """Run the dynamic model on a pressure pulse for every (rho_m, delta_m, after) on the grid.

    The pressure is ``after`` for ``at`` years, ``peak`` for ``width`` years, then
    ``after`` again (:func:`reluctant_allies.models.pulse`). All other parameters are
    ``base`` (default :class:`~reluctant_allies.models.DynamicParams`). Returns a tidy table:
    ``rho_m, delta_m, after, year, S, H_m, C`` (``S`` is the pressure during ``year``;
    the final state year repeats the last pressure), rounded to 4 decimals.
    """
    rho = _values(rho_m, "rho_m", 0.0, 1.0)
    delta = _values(delta_m, "delta_m", 0.0, 1.0)
    aft = _values(after, "after", 0.0, 1.0)
    if not (np.isfinite(peak) and 0.0 <= peak <= 1.0):
        raise ValueError(f"peak must be in [0, 1] (got {peak!r})")
    if not isinstance(years, int | np.integer) or years < 2:
        raise ValueError(f"years must be an integer >= 2 (got {years!r})")
    if not isinstance(at, int | np.integer) or not 0 <= at < years:
        raise ValueError(f"at must be an integer in [0, {years - 1}] (got {at!r})")
    if not isinstance(width, int | np.integer) or width < 1 or at + width > years:
        raise ValueError(f"width must be an integer >= 1 with at + width <= years (got {width!r})")
    p = base if base is not None else models.DynamicParams()
    if not isinstance(p, models.DynamicParams):
        raise ValueError(f"base must be a DynamicParams, got {type(p).__name__}")
    # pressure paths, one per 'after' level: shape (A, T)
    S = np.stack([models.pulse(a, peak, years, at, width).S for a in aft])
    # grid (R, D, A); the validation of every combination (e.g. delta + lambda + rho <= 1)
    # is the models package's
    grid = models.ParamGrid.sweep(p, rho_m=rho[:, None, None], delta_m=delta[None, :, None])
    traj = models.simulate_dynamic(grid, S[None, None, :, :])
    R, D, A, T1 = traj.C.shape
    idx = pd.MultiIndex.from_product(
        [rho, delta, aft, np.arange(T1)], names=["rho_m", "delta_m", "after", "year"]
    )
    S_full = np.concatenate([S, S[:, -1:]], axis=1)  # (A, T+1)
    out = pd.DataFrame(
        {
            "S": np.broadcast_to(S_full, (R, D, A, T1)).ravel(),
            "H_m": traj.H_m.ravel(),
            "C": traj.C.ravel(),
        },
        index=idx,
    ).reset_index()
    return out.round(4)


def memory_rebound_summary(
    grid: pd.DataFrame,
    *,
    rho_m: Sequence[float] = (0.0, 0.05, 0.1, 0.2),
    delta_m: float = 0.08,
    after: float = 0.3,
    at: int = AT,
    width: int = WIDTH,
) -> pd.DataFrame:
    """H_m and C at the start, at the end of the pulse and at the end, for a few rho_m values."""
    require_columns(
        grid, ("rho_m", "delta_m", "after", "year", "H_m", "C"), "memory_rebound_summary"
    )
    end = int(grid["year"].max())
    rows = []
    for r in rho_m:
        sel = grid.loc[
            np.isclose(grid["rho_m"], r, atol=_TOL)
            & np.isclose(grid["delta_m"], delta_m, atol=_TOL)
            & np.isclose(grid["after"], after, atol=_TOL)
        ].set_index("year")
        if sel.empty:
            raise ValueError(
                f"memory_rebound_summary: no grid run with rho_m={r}, delta_m={delta_m}, "
                f"after={after}"
            )
        t1 = at + width
        rows.append(
            {
                "rho_m": r,
                f"H_m year {at}": sel.loc[at, "H_m"],
                f"H_m year {t1}": sel.loc[t1, "H_m"],
                f"H_m year {end}": sel.loc[end, "H_m"],
                f"C year {t1}": sel.loc[t1, "C"],
                f"C year {end}": sel.loc[end, "C"],
            }
        )
    return pd.DataFrame(rows).round(2).set_index("rho_m")


def _pack(grid: pd.DataFrame) -> pd.DataFrame:
    """One row per run with the paths as arrays: ~20x less inline JSON than long form."""
    runs = []
    for (r, d, a), g in grid.groupby(["rho_m", "delta_m", "after"], sort=True):
        g = g.sort_values("year")
        runs.append(
            {
                "r": round(float(r), 4),
                "d": round(float(d), 4),
                "a": round(float(a), 4),
                "h": [round(float(v), 3) for v in g["H_m"]],
                "c": [round(float(v), 3) for v in g["C"]],
            }
        )
    return pd.DataFrame(runs)


def _slider_values(values: np.ndarray, name: str) -> tuple[float, float, float]:
    steps = np.diff(values)
    if values.size > 1 and not np.allclose(steps, steps[0], atol=1e-9):
        raise ValueError(f"{name}: a slider needs evenly spaced grid values (got {list(values)})")
    step = float(steps[0]) if values.size > 1 else 1.0
    return float(values[0]), float(values[-1]), round(step, 6)


def _pulse_shape(g: pd.DataFrame) -> tuple[int, int, float, int]:
    """Check that ``g`` is a complete grid of pulse runs; return (at, width, peak, years)."""
    keys = ["rho_m", "delta_m", "after"]
    sizes = g.groupby(keys).size()
    n_runs = np.prod([g[k].nunique() for k in keys])
    if len(sizes) != n_runs:
        raise ValueError(f"explorable: grid is incomplete ({len(sizes)} of {n_runs} runs)")
    years = int(g["year"].max())
    for key, run in g.groupby(keys, sort=True):
        if not np.array_equal(run["year"].to_numpy(), np.arange(years + 1)):
            raise ValueError(f"explorable: run {key} does not have years 0..{years} in order")
    first = g.loc[(g[keys] == g[keys].iloc[0]).all(axis=1)]
    high = np.flatnonzero(~np.isclose(first["S"].to_numpy(), first["after"].to_numpy()))
    if high.size == 0 or not np.array_equal(high, np.arange(high[0], high[-1] + 1)):
        raise ValueError("explorable: the pressure path S is not a single pulse")
    at, width, peak = int(high[0]), int(high.size), float(first["S"].iloc[high[0]])
    expected = np.where((g["year"] >= at) & (g["year"] < at + width), peak, g["after"].to_numpy())
    if not np.allclose(g["S"].to_numpy(), expected, atol=1e-4):
        raise ValueError("explorable: runs differ in the timing or height of the pulse")
    return at, width, peak, years


def memory_rebound_explorable(
    grid: pd.DataFrame | None = None,
    *,
    rho_m: float = 0.05,
    delta_m: float = 0.08,
    after: float = 0.3,
    base: models.DynamicParams | None = None,
    title: str = "Memory worn down, and its rebound when effort lapses",
):
    """Sliders for rho_m, delta_m and the pressure after the pulse; three stacked panels.

    Top: the pressure path S. Middle: the memory hurdle H_m, the selected rho_m in colour
    and every other rho_m on the grid in grey. Bottom: cooperation C with the entente and
    alliance thresholds. ``grid`` defaults to :func:`memory_rebound_grid` (with ``base``).
    """
    p = base if base is not None else models.DynamicParams()
    g = memory_rebound_grid(base=p) if grid is None else grid
    require_columns(g, ("rho_m", "delta_m", "after", "year", "S", "H_m", "C"), "explorable")
    axes = {}
    for col, start in (("rho_m", rho_m), ("delta_m", delta_m), ("after", after)):
        vals = np.sort(g[col].unique())
        if not np.isclose(vals, start, atol=_TOL).any():
            raise ValueError(
                f"explorable: start value {col}={start} is not on the grid {list(vals)}"
            )
        axes[col] = _slider_values(vals, col)
    at, width, peak, years = _pulse_shape(g)
    runs = _pack(g)

    def slider(col: str, start: float, label: str) -> alt.Parameter:
        lo, hi, step = axes[col]
        return alt.param(
            name=col.replace("_", ""),
            value=start,
            bind=alt.binding_range(min=lo, max=hi, step=step, name=label),
        )

    # short labels: vega-embed puts the sliders beside the chart, which shrinks to fit
    p_rho = slider("rho_m", rho_m, "ρ_m rebound ")
    p_delta = slider("delta_m", delta_m, "δ_m policy ")
    p_after = slider("after", after, "S after pulse ")

    def near(field: str, param: alt.Parameter) -> str:
        return f"abs(datum.{field} - {param.name}) < 1e-6"

    same_scenario = f"{near('d', p_delta)} && {near('a', p_after)}"
    selected = f"{same_scenario} && {near('r', p_rho)}"
    flat = alt.Chart(runs).transform_filter(same_scenario)
    # the year is each value's position in its run's arrays (flatten keeps array order);
    # the pressure is recomputed from the scenario, so neither is shipped in the page
    flat = (
        flat.transform_flatten(["h", "c"], ["H_m", "C"])
        .transform_window(i="row_number()", groupby=["r"])
        .transform_calculate(year="datum.i - 1")
        .transform_calculate(
            S=f"datum.year >= {at} && datum.year < {at + width} ? {peak:g} : datum.a"
        )
    )
    x = alt.X(
        "year:Q",
        title="years since the start",
        scale=alt.Scale(domain=[0, years], nice=False),
        axis=alt.Axis(values=list(range(0, years + 1, 5))),
    )
    x_hidden = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=[0, years], nice=False),
        axis=alt.Axis(values=list(range(0, years + 1, 5)), labels=False, ticks=False),
    )
    band_df = pd.DataFrame({"x0": [at], "x1": [at + width], "label": ["high pressure"]})

    def band(label: bool = False):
        rect = (
            alt.Chart(band_df)
            .mark_rect(color="#f0f0f0")
            .encode(x=alt.X("x0:Q", scale=alt.Scale(domain=[0, years])), x2="x1:Q")
        )
        if not label:
            return rect
        text = (
            alt.Chart(band_df)
            .mark_text(align="left", baseline="top", dx=4, dy=4, color=MUTED)
            .encode(x="x0:Q", y=alt.value(0), text="label:N")
        )
        return rect + text

    w = 380
    s_panel = alt.layer(
        band(),
        flat.transform_filter(near("r", p_rho))
        .mark_line(interpolate="step-after", color=MUTED)
        .encode(
            x=x_hidden,
            y=alt.Y(
                "S:Q",
                title="pressure S",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(values=[0, 0.5, 1]),
            ),
        ),
    ).properties(width=w, height=55)

    def state_panel(field: str, title: str, colour: str, height: int, xenc, extra=(), top=()):
        y = alt.Y(
            f"{field}:Q",
            title=title,
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(values=[0, 0.25, 0.5, 0.75, 1], format=".2~f"),
        )
        grey = flat.mark_line(color="#bbbbbb", strokeWidth=1).encode(x=xenc, y=y, detail="r:N")
        hi = (
            flat.transform_filter(selected)
            .mark_line(color=colour, strokeWidth=3)
            .encode(
                x=xenc,
                y=y,
                tooltip=[
                    alt.Tooltip("year:Q", title="year"),
                    alt.Tooltip(f"{field}:Q", title=field, format=".2f"),
                    alt.Tooltip("r:Q", title="ρ_m"),
                    alt.Tooltip("d:Q", title="δ_m"),
                    alt.Tooltip("S:Q", title="pressure S"),
                ],
            )
        )
        return alt.layer(band(label=field == "H_m"), grey, *extra, hi, *top).properties(
            width=w, height=height
        )

    thresholds = pd.DataFrame(
        {
            "y": [p.theta_E, p.theta_A],
            "label": [f"entente θ_E = {p.theta_E:g}", f"alliance θ_A = {p.theta_A:g}"],
        }
    )
    rules = alt.Chart(thresholds).mark_rule(strokeDash=[4, 3], color=MUTED).encode(y="y:Q")
    # labels on top of the lines, with a white halo so a line passing behind stays legible
    rule_text = [
        alt.Chart(thresholds)
        .mark_text(align="right", baseline="bottom", dy=-2, **style)
        .encode(y="y:Q", x=alt.value(w - 2), text="label:N")
        for style in ({"stroke": "white", "strokeWidth": 4}, {"color": INK_TEXT})
    ]
    h_panel = state_panel("H_m", "memory hurdle H_m", PALETTE[3], 150, x_hidden)
    c_panel = state_panel("C", "cooperation C", PALETTE[0], 150, x, extra=(rules,), top=rule_text)
    chart = (
        alt.vconcat(s_panel, h_panel, c_panel, spacing=8)
        .add_params(p_rho, p_delta, p_after)
        .resolve_scale(x="shared")
    )
    return finish(
        chart,
        title=title,
        description=(
            f"Model run, not data. Three stacked panels over {years} years: the pressure S "
            f"(high, {PEAK:g}, from year {at} to year {at + width}, otherwise the level set by a "
            "slider); the memory hurdle H_m; and cooperation C with the entente and alliance "
            "thresholds. The coloured line is the run for the rebound rate ρ_m chosen with a "
            "slider, grey lines are the other ρ_m values. Memory falls while pressure is high "
            "and climbs back towards its baseline afterwards, faster for larger ρ_m."
        ),
        source=("the book's dynamic model (domain.md §3b); defaults except the sliders"),
    )
