"""Chapter 6 (the memory hurdle): the opinion series per pollster and question, the opinion hurdle
proxy, memory events and the rebound grid.

Every function returns plain tables or values (no Altair); ``charts/memory.py`` lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns
from .grids import SLIDER_TOL

#: The pollsters the opinion table may hold (each gets a fixed colour in the charts).
POLLSTERS = ("VTsIOM", "Levada Center", "CEIAS", "CISS (Tsinghua)")
#: The lanes of the memory-policy timeline.
LANES = ("border and treaty", "themed years", "shared WWII memory", "memory flashpoint")
#: The rebound explorable's pressure pulse: height, start year, length, and run length.
PEAK, AT, WIDTH, YEARS = 0.9, 5, 20, 50

__all__ = [
    "memory_events",
    "memory_rebound_grid",
    "memory_rebound_summary",
    "opinion_hurdle_proxy",
    "opinion_series",
]


#: Who was asked about whom: the two panels of the opinion chart, top to bottom.
PANELS = {
    ("Russia", "China"): "Russians on China",
    ("Russia", "China–Russia relations"): "Russians on China",
    ("China", "Russia"): "Chinese on Russia",
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


#: Horizontal nudge (in years) for series that share a year, so their points do not hide
#: each other; the tooltip always shows the true year.
_NUDGE = 0.36


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


#: The columns of :func:`opinion_series`, in order.
_OPINION_COLUMNS = [
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


def _opinion_rows(opinion: pd.DataFrame) -> pd.DataFrame:
    """The checked rows on the two panels, one figure per poll and question."""
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
    unknown = sorted(set(df["pollster"]) - set(POLLSTERS))
    if unknown:
        raise ValueError(f"opinion_series: no colour for pollster(s) {unknown}")
    # one figure per poll and question: split answer categories are not summed
    n_resp = df.groupby(["pollster", "year", "question"])["response"].transform("nunique")
    df = df.loc[n_resp == 1].copy()

    return df


def _with_labels(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the reader-facing text columns: share, fieldwork, quality, sample, note."""
    df = df.copy()
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

    return df


def _nudged_years(df: pd.DataFrame) -> pd.Series:
    """The year, nudged apart (in a fixed order) where series share a panel-year."""
    order = {s: i for i, s in enumerate(sorted(df["series"].unique()))}
    rank = df["series"].map(order)
    k = rank.groupby([df["panel"], df["year"]]).rank(method="first") - 1
    m = rank.groupby([df["panel"], df["year"]]).transform("size")
    return (df["year"] + (k - (m - 1) / 2) * _NUDGE).round(3)


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
    df = _opinion_rows(opinion)

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

    df = _with_labels(df)
    df["x"] = _nudged_years(df)
    return df[_OPINION_COLUMNS]


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


EVENTS_REQUIRED = ("id", "date", "date_precision", "event", "category", "source_url")


def _themed_openings(themed_years: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """One event row per themed programme not already in ``df``, dated at its opening."""
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
    return extra


def _when(dates: pd.Series, precision: pd.Series) -> list[str]:
    """Each date as the reader sees it, no finer than its precision."""
    return [
        d.strftime("%Y")
        if p == "year"
        else d.strftime("%b %Y")
        if p == "month"
        else d.strftime("%d %b %Y")
        for d, p in zip(dates, precision, strict=True)
    ]


def memory_events(
    events: pd.DataFrame,
    themed_years: pd.DataFrame | None = None,
    *,
    lanes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Memory-policy events and flashpoints from ``events`` (plus themed-year openings).

    ``lanes`` maps event ids to lane names (default :data:`MEMORY_LANES`); every id must
    exist in ``events`` and every lane must be one of :data:`LANES`. Each themed
    programme of ``themed_years`` not already in ``events`` adds one dot at its opening
    date, or at 1 January of its first year (precision "year") when no opening is given.
    """
    require_columns(events, EVENTS_REQUIRED, "memory_events")
    lanes = dict(MEMORY_LANES if lanes is None else lanes)
    if not lanes:
        raise ValueError("memory_events: lanes= is empty")
    bad_lanes = sorted(set(lanes.values()) - set(LANES))
    if bad_lanes:
        raise ValueError(f"memory_events: unknown lane(s) {bad_lanes}; use {list(LANES)}")
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
        df = pd.concat([df, _themed_openings(themed_years, df)[keep]], ignore_index=True)
    df["date"] = pd.to_datetime(df["date"])
    df["when"] = _when(df["date"], df["date_precision"])
    df["quality"] = np.where(df["confidence"] == "weak", "weak: re-check the source", "sourced")
    df["date"] = df["date"].dt.strftime("%Y-%m-%d")
    return df.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


RHO_VALUES = tuple(np.round(np.arange(0.0, 0.2001, 0.025), 3))


DELTA_VALUES = (0.0, 0.04, 0.08, 0.12, 0.16)


AFTER_VALUES = (0.3, 0.45, 0.6)


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
            np.isclose(grid["rho_m"], r, atol=SLIDER_TOL)
            & np.isclose(grid["delta_m"], delta_m, atol=SLIDER_TOL)
            & np.isclose(grid["after"], after, atol=SLIDER_TOL)
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
