"""Timelines of dated events (the ``events`` table)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .theme import PALETTE, finish

__all__ = ["milestones_timeline"]

#: Lane order, top to bottom, and one colour per category (fixed, so every chart agrees).
CATEGORIES = {
    "systemic pressure": PALETTE[1],
    "cooperation": PALETTE[0],
    "statement": PALETTE[2],
    "policy on a hurdle": PALETTE[4],
    "memory flashpoint": PALETTE[3],
}
REQUIRED = ("date", "year", "event", "category", "actor", "source_url")


def _check_events(events: pd.DataFrame, label: dict[str, str] | None) -> dict[str, str]:
    """The ``label`` mapping as a dict, after checking ``events`` and ``label`` against it."""
    missing = [c for c in REQUIRED if c not in events.columns]
    if missing:
        raise ValueError(f"milestones_timeline: events table lacks column(s) {missing}")
    unknown = sorted(set(events["category"]) - set(CATEGORIES))
    if unknown:
        raise ValueError(f"milestones_timeline: unknown category value(s) {unknown}")
    label = dict(label or {})
    if label and "id" not in events.columns:
        raise ValueError("milestones_timeline: label= needs an 'id' column")
    absent = sorted(set(label) - set(events.get("id", [])))
    if absent:
        raise ValueError(f"milestones_timeline: no event with id(s) {absent}")
    return label


def _timeline_frame(events: pd.DataFrame, label: dict[str, str]) -> pd.DataFrame:
    """The events sorted by date, with their on-chart label and its vertical offset."""
    df = events.loc[:, [c for c in ("id", *REQUIRED) if c in events.columns]].copy()
    df["date"] = pd.to_datetime(df["date"]).dt.strftime("%Y-%m-%d")
    df = df.sort_values("date", kind="stable").reset_index(drop=True)
    df["label"] = df["id"].map(label).fillna("") if "id" in df else ""
    # Alternate labels above and below their dot within a lane, so neighbours do not collide.
    labelled = df["label"] != ""
    nth_in_lane = df.loc[labelled].groupby("category").cumcount()
    df["label_dy"] = 0
    df.loc[labelled, "label_dy"] = nth_in_lane.map(lambda i: -11 if i % 2 == 0 else 13)
    return df


def _timeline_layers(df: pd.DataFrame, labelled: bool) -> list[alt.Chart]:
    """The dots, one lane per category, and (if ``labelled``) the two label layers."""
    lanes = alt.Y(
        "category:N",
        sort=list(CATEGORIES),
        title=None,
        axis=alt.Axis(labelLimit=160, labelFontSize=12, domain=False, ticks=False),
    )
    colour = alt.Color(
        "category:N",
        scale=alt.Scale(domain=list(CATEGORIES), range=list(CATEGORIES.values())),
        legend=None,
    )
    x = alt.X(
        "date:T",
        title=None,
        axis=alt.Axis(format="%Y", tickCount=alt.TickCount(interval="year", step=4)),
        scale=alt.Scale(domain=["1990-01-01", "2026-01-01"]),
    )
    base = alt.Chart(df).encode(x=x, y=lanes)
    dots = base.mark_circle(size=70, opacity=0.85, stroke="white", strokeWidth=0.8).encode(
        color=colour,
        tooltip=[
            alt.Tooltip("date:T", title="date", format="%d %b %Y"),
            alt.Tooltip("event:N", title="event"),
            alt.Tooltip("actor:N", title="actor"),
            alt.Tooltip("category:N", title="category"),
            alt.Tooltip("source_url:N", title="source"),
        ],
    )
    layers = [dots]
    if labelled:
        # one text layer per offset: dy is a mark property, not an encoding channel
        for dy in (-11, 13):
            layers.append(
                base.transform_filter(alt.datum.label_dy == dy)
                .mark_text(fontSize=10.5, align="center", dy=dy)
                .encode(text="label:N")
            )
    return layers


def _timeline_description(df: pd.DataFrame) -> str:
    """The accessible description of :func:`milestones_timeline`."""
    n = len(df)
    first, last = df["date"].iloc[0][:4], df["date"].iloc[-1][:4]
    counts = df["category"].value_counts()
    summary = ", ".join(f"{counts.get(c, 0)} {c}" for c in CATEGORIES)
    return (
        f"Timeline of {n} dated events from {first} to {last}, one row per category "
        f"({summary}). Hover over a dot for the event, its date and its source."
    )


def milestones_timeline(
    events: pd.DataFrame,
    *,
    label: dict[str, str] | None = None,
    source: str,
    title: str = "Milestones of China–Russia relations and the pressures around them",
):
    """One lane per event category, one dot per dated event; hover for the event and its source.

    ``label`` maps event ids (the ``id`` column) to short names drawn on the
    chart itself (a few words each; the tooltip carries the full description).
    Labels alternate above and below their dot within each lane.
    """
    label = _check_events(events, label)
    df = _timeline_frame(events, label)
    chart = alt.layer(*_timeline_layers(df, bool(label))).properties(width=520, height=250)
    return finish(chart, title=title, description=_timeline_description(df), source=source)
