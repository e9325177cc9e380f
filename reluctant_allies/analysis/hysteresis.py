"""Chapter 9 (hysteresis and lock-in): the cooperation record, empirical loops and their widths,
memory fade, steady branches and the band grid.

Every function returns plain tables or values (no Altair); ``charts/hysteresis.py`` lays them
out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns
from .grids import slider_grid
from .memory import opinion_series

__all__ = [
    "band_grid",
    "loop_frame",
    "loop_widths",
    "memory_fade",
    "memory_fade_years",
    "record_frame",
    "steady_branches",
]


#: Default presets for the sweep comparison: code -> (panel label, parameters).
SWEEP_PRESETS: dict[str, tuple[str, models.StaticParams]] = {
    "static": ("Static model (κ-lag only)", models.StaticParams()),
    "demo": ("Dynamic model, hysteresis preset", models.HYSTERESIS_DEMO),
}


def _runs(years: pd.Series) -> pd.Series:
    """Run number per row: a new run starts after any missing year (a gap stays a gap)."""
    y = pd.Series(np.asarray(years, dtype=int), index=years.index)
    return (y.diff() != 1).cumsum()


def _params(params, who: str) -> models.StaticParams:
    if not isinstance(params, models.StaticParams):
        raise ValueError(
            f"{who}: params must be StaticParams or DynamicParams, got {type(params).__name__}"
        )
    return params


def _pos_int(value, name: str, who: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{who}: {name} must be an integer >= {minimum} (got {value!r})")
    return int(value)


def _r(values, nd: int = 4) -> list:
    """Rounded plain list for inline JSON; NaN becomes None (JSON null)."""
    arr = np.round(np.asarray(values, dtype=float), nd)
    return [None if np.isnan(v) else float(v) for v in arr]


def record_frame(unga: pd.DataFrame, opinion: pd.DataFrame) -> pd.DataFrame:
    """Observed cooperation proxies, long: UNGA China–Russia vote agreement (share, by
    session year) and Russian opinion on China / on relations with China (%, one series per
    pollster and question). Columns: panel, series, segment, year, x, value, text, source_url.
    """
    require_columns(unga, ("year", "measure", "subject", "value"), "record_frame")
    agree = unga[(unga["measure"] == "agreement") & (unga["subject"] == "China–Russia")]
    if agree.empty:
        raise ValueError("record_frame: unga has no 'agreement' rows for subject 'China–Russia'")
    if agree["value"].isna().any():
        raise ValueError("record_frame: unga 'value' has missing entries for China–Russia")
    if agree["year"].duplicated().any():
        raise ValueError("record_frame: unga has duplicate China–Russia agreement years")
    a = agree.sort_values("year").copy()
    a = pd.DataFrame(
        {
            "panel": "UN votes",
            "series": "China–Russia vote agreement (Voeten, June 2024)",
            "segment": "agree #" + _runs(a["year"]).astype(str),
            "year": a["year"].astype(int),
            "x": a["year"].astype(float),
            "value": a["value"].round(3),
            "text": [f"{v:.2f}" for v in a["value"]],
            "source_url": "",
        }
    )
    ops = opinion_series(opinion)
    ops = ops[ops["panel"] == "Russians on China"]
    if ops.empty:
        raise ValueError("record_frame: opinion has no Russian rows on China or on relations")
    o = pd.DataFrame(
        {
            "panel": "Russian opinion",
            "series": ops["series"],
            "segment": ops["segment"],
            "year": ops["year"].astype(int),
            "x": ops["x"].astype(float),
            "value": ops["share_pct"].astype(float),
            "text": ops["share_text"],
            "source_url": ops["source_url"],
        }
    )
    return pd.concat([a, o], ignore_index=True)


def loop_frame(unga: pd.DataFrame, index: pd.DataFrame, *, window: tuple[int, int]) -> pd.DataFrame:
    """Pressure index and two UNGA measures by year, inside ``window`` (first, last year).

    Columns: year, S (the coded index), agreement (China–Russia share of votes alike,
    session year), gap (|Russia − China| ideal point, final passage), segment. Years
    missing from any series are dropped, and lines never join across them.
    """
    require_columns(unga, ("year", "measure", "subject", "value"), "loop_frame")
    require_columns(index, ("year", "value"), "loop_frame")
    if (
        not isinstance(window, tuple | list)
        or len(window) != 2
        or not all(isinstance(y, int | np.integer) for y in window)
        or window[0] >= window[1]
    ):
        raise ValueError(
            f"loop_frame: window must be (first, last) years, first < last ({window!r})"
        )
    if index["year"].duplicated().any():
        raise ValueError("loop_frame: the pressure index has duplicate years")
    bad = index.loc[~index["value"].between(0, 1), "year"].tolist()
    if bad:
        raise ValueError(f"loop_frame: pressure index value outside [0, 1] in year(s) {bad}")
    agree = unga[(unga["measure"] == "agreement") & (unga["subject"] == "China–Russia")]
    ip = unga[unga["measure"] == "ideal point"].pivot(
        index="year", columns="subject", values="value"
    )
    for state in ("China", "Russia"):
        if state not in ip.columns:
            raise ValueError(f"loop_frame: unga has no ideal points for {state}")
    df = (
        index.loc[:, ["year", "value"]]
        .rename(columns={"value": "S"})
        .merge(agree.loc[:, ["year", "value"]].rename(columns={"value": "agreement"}), on="year")
        .merge((ip["Russia"] - ip["China"]).abs().rename("gap").reset_index(), on="year")
    )
    df = df[(df["year"] >= window[0]) & (df["year"] <= window[1])].dropna()
    if len(df) < 3:
        raise ValueError(f"loop_frame: fewer than 3 years with all three series in {window}")
    df = df.sort_values("year").reset_index(drop=True)
    df["year"] = df["year"].astype(int)
    df["segment"] = _runs(df["year"]).astype(int)
    return df.round({"S": 3, "agreement": 3, "gap": 3})


def loop_widths(
    presets: Mapping[str, tuple[str, models.StaticParams]] | None = None,
    *,
    at: float = 0.5,
    years_up: int = 40,
    plateau: int = 30,
) -> pd.DataFrame:
    """One row per preset: the widest gap between the way down and the way up (and where),
    the gap at S = ``at``, and the bistable band of S (if any), all from the models library."""
    presets = dict(SWEEP_PRESETS if presets is None else presets)
    if not presets:
        raise ValueError("loop_widths: presets is empty")
    if not (isinstance(at, float | int) and 0.2 <= at <= 0.95):
        raise ValueError(f"loop_widths: at must be a pressure in [0.2, 0.95] (got {at!r})")
    rows = []
    for _code, (label, p) in presets.items():
        _params(p, "loop_widths")
        loop = models.hysteresis_loop(p, years_up=years_up, plateau=plateau)
        band = models.bistability_band(p.to_dynamic())
        rows.append(
            {
                "parameter set": label,
                "widest gap": round(loop.width, 2),
                "at S": round(float(loop.S[np.argmax(np.abs(loop.gap))]), 2),
                f"gap at S = {at:g}": round(loop.width_at(at), 2),
                "bistable band of S": "none" if band is None else f"{band[0]:.2f}–{band[1]:.2f}",
            }
        )
    return pd.DataFrame(rows)


RUNS = ("from above: after the high-pressure episode", "from below: pressure only rose")


def memory_fade(
    params: models.StaticParams | None = None,
    at: float = 0.5,
    *,
    low: float = 0.2,
    high: float = 0.95,
    years_up: int = 40,
    plateau: int = 30,
    hold: int = 60,
) -> pd.DataFrame:
    """The same pressure ``at``, reached by two histories and then held for ``hold`` years.

    From above: pressure sweeps ``low`` -> ``high`` over ``years_up`` years, holds ``plateau``
    years and comes back down at the same speed to ``at``. From below: the same rising sweep
    stops at ``at``. Both start from the parameters' initial state. Rows: t (years since
    pressure reached ``at``), run, C, H_e, H_m.
    """
    p = _params(params or models.HYSTERESIS_DEMO, "memory_fade")
    hold = _pos_int(hold, "hold", "memory_fade")
    if not (isinstance(at, float | int) and low < at < high):
        raise ValueError(f"memory_fade: at must lie between low={low} and high={high} (got {at!r})")
    up = models.ramp(low, high, _pos_int(years_up, "years_up", "memory_fade", 2)).S
    plateau = _pos_int(plateau, "plateau", "memory_fade", 0)
    down = up[::-1]
    paths = (
        np.r_[up, np.full(plateau, high), down[down > at], np.full(hold, at)],
        np.r_[up[up < at], np.full(hold, at)],
    )
    frames = []
    for run, S in zip(RUNS, paths, strict=True):
        tr = models.simulate(p, S)
        first = len(S) - hold  # C[first]: state when the first year at `at` begins
        frames.append(
            pd.DataFrame(
                {
                    "t": np.arange(hold + 1),
                    "run": run,
                    "C": tr.C[first:],
                    "H_e": tr.H_e[first:],
                    "H_m": tr.H_m[first:],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def memory_fade_years(fade: pd.DataFrame, tol: float = 0.01) -> int | None:
    """Years after which the two histories differ by less than ``tol`` in C and in both
    hurdles for good; None if they still differ at the end of the run."""
    require_columns(fade, ("t", "run", "C", "H_m", "H_e"), "memory_fade_years")
    if not (isinstance(tol, float | int) and tol > 0):
        raise ValueError(f"memory_fade_years: tol must be positive (got {tol!r})")
    runs = list(dict.fromkeys(fade["run"]))
    if len(runs) != 2:
        raise ValueError(f"memory_fade_years: need exactly two runs (got {runs})")
    a = fade[fade["run"] == runs[0]].set_index("t")
    b = fade[fade["run"] == runs[1]].set_index("t")
    gap = (a[["C", "H_m", "H_e"]] - b[["C", "H_m", "H_e"]]).abs().max(axis=1)
    above = gap.to_numpy() >= tol
    if above[-1]:
        return None
    last = np.nonzero(above)[0]
    return int(gap.index[last[-1] + 1]) if last.size else int(gap.index[0])


def steady_branches(
    params: models.StaticParams, S: Sequence[float] | None = None, *, resolution: int = 2001
) -> pd.DataFrame:
    """Steady states of C for each constant S: lower and upper stable branch and the unstable
    state between them (NaN where a branch does not exist).

    Stable states come from :func:`models.steady_states`. The unstable state is the root of
    :func:`models.steady_state_gap` where it crosses from - to + (C falls below, rises above).
    Outside the bistable band the single stable state is placed on the lower branch left of
    the band and on the upper branch right of it (so no line jumps across a fold); with no
    band at all it is the lower branch.
    """
    p = _params(params, "steady_branches").to_dynamic()
    grid = np.round(np.linspace(0, 1, 101), 4) if S is None else np.asarray(S, dtype=float)
    resolution = _pos_int(resolution, "resolution", "steady_branches", 11)
    ss = models.steady_states(p, grid, resolution=resolution)
    c = np.linspace(0.0, 1.0, resolution)
    g = models.steady_state_gap(p, ss.S[:, None], c[None, :])
    up = (g[:, :-1] < 0) & (g[:, 1:] >= 0)  # - to +: unstable root in [c_j, c_j+1]
    rows, cols = np.nonzero(up)
    lo, hi = c[cols], c[cols + 1]
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        neg = models.steady_state_gap(p, ss.S[rows], mid) < 0
        lo, hi = np.where(neg, mid, lo), np.where(neg, hi, mid)
    unstable = np.full(len(ss.S), np.nan)
    np.fmax.at(unstable, rows, 0.5 * (lo + hi))
    bi = ss.bistable
    low, high = ss.low.copy(), ss.high.copy()
    if bi.any():
        lo_edge, hi_edge = ss.S[bi].min(), ss.S[bi].max()
        low[~bi & (ss.S > hi_edge)] = np.nan
        high[~bi & (ss.S < lo_edge)] = np.nan
    else:
        high[:] = np.nan
    return pd.DataFrame(
        {"S": ss.S, "low": low, "high": high, "unstable": unstable, "n_stable": ss.n_stable}
    )


def _band_text(br: pd.DataFrame) -> str:
    bi = br.loc[br["n_stable"] >= 2, "S"]
    if bi.empty:
        return "one stable state at every S: no lock-in"
    return f"two stable states for S from {bi.min():.2f} to {bi.max():.2f}"


def band_grid(
    base: models.StaticParams | None = None,
    *,
    learning: Sequence[float] = (0.0, 0.1, 0.2, 0.3),
    steepness: Sequence[float] = tuple(range(8, 25, 2)),
    S: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Steady branches over a grid of learning rates (lambda_e = lambda_m) and response
    steepness k, other parameters from ``base`` (default: the lock-in preset). Long table:
    lam, k, S, low, high, unstable, n_stable."""
    p = _params(base or models.LOCK_IN, "band_grid").to_dynamic()
    lam_g = slider_grid(learning, "learning")
    k_g = slider_grid(steepness, "steepness")
    if lam_g.min() < 0:
        raise ValueError(f"learning rates must be >= 0 (got {lam_g.min()})")
    if k_g.min() <= 0:
        raise ValueError(f"steepness k must be > 0 (got {k_g.min()})")
    frames = []
    for lam in lam_g:
        for k in k_g:
            q = p.replace(lambda_e=float(lam), lambda_m=float(lam), k=float(k))
            br = steady_branches(q, S)
            br.insert(0, "k", float(k))
            br.insert(0, "lam", float(lam))
            frames.append(br)
    return pd.concat(frames, ignore_index=True)
