"""Chapter 12 (falsifiers): the future-pressure scenario runs, their verdicts and the reader's
grid. The rules themselves are in :mod:`.verdicts`.

Every function returns plain tables or values (no Altair); ``charts/falsifiers.py`` lays them
out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns
from .grids import first_index, pack_path, slider_grid

__all__ = [
    "SCENARIOS",
    "reader_grid",
    "scenario_runs",
    "scenario_verdicts",
]


def _r(values, nd: int = 3) -> list:
    return np.round(np.asarray(values, dtype=float), nd).tolist()


def _decimal_year(ts: pd.Series, year: pd.Series) -> pd.Series:
    """Start date as a decimal year (mid-year where only the year is known)."""
    out = year.astype(float) + 0.5
    known = ts.notna()
    d = pd.to_datetime(ts[known])
    out[known] = d.dt.year + (d.dt.day_of_year - 1) / 365.25
    return out


@dataclass(frozen=True)
class _Shape:
    label: str
    level: float
    shape: str  # "step", "gradual" or "pulse"


#: The three scenarios of chapter 12: (label, target level, shape). Pressure moves from the
#: branch level (the end of the stylised history) to ``level``; a pulse returns to it.
SCENARIOS: dict[str, _Shape] = {
    "high": _Shape("continued high pressure", 0.75, "step"),
    "detente": _Shape("détente (pressure relief)", 0.3, "step"),
    "spike": _Shape("pressure spike", 0.95, "pulse"),
}


HISTORY = (0.2, 0.75, 30)  # stylised past: ramp from 0.2 to 0.75 over 30 years


FUTURE = 30


PULSE = (1, 6)  # a pulse runs from future year 1 for 6 years


GRADUAL = 15  # a gradual change reaches its level after 15 years


def _future_path(level: float, shape: str, branch: float, years: int = FUTURE) -> np.ndarray:
    if not (np.isfinite(level) and 0 <= level <= 1):
        raise ValueError(f"level must be in [0, 1] (got {level!r})")
    if shape == "step":
        return np.full(years, float(level))
    if shape == "gradual":
        ramp = np.linspace(branch, level, GRADUAL + 1)[1:]
        return np.r_[ramp, np.full(max(years - GRADUAL, 0), level)][:years]
    if shape == "pulse":
        start, width = PULSE
        i = np.arange(years)
        return np.where((i >= start) & (i < start + width), float(level), branch)
    raise ValueError(f"shape must be 'step', 'gradual' or 'pulse' (got {shape!r})")


def _history() -> np.ndarray:
    lo, hi, n = HISTORY
    return models.ramp(lo, hi, n).S


def _game_alliance(game: models.AllianceGame, S: np.ndarray, H_e: np.ndarray, H_m: np.ndarray):
    """(ally, ally) available in each year: both states accept and both are at entente
    level, with the hurdles of that year (same S for both states)."""
    m, cn, ru = game.model, game.china, game.russia
    hurdle = m.gamma_e * H_e + m.gamma_m * H_m
    du_cn = cn.alpha * S + cn.phi * ru.R - cn.epsilon * ru.X - cn.eta * hurdle - cn.tau
    du_ru = ru.alpha * S + ru.phi * cn.R - ru.epsilon * cn.X - ru.eta * hurdle - ru.tau
    c = models.logistic(m.beta * S * (1 - hurdle), m.k, m.x0)
    return (du_cn >= 0) & (du_ru >= 0) & (c >= m.theta_E)


def _check_game(game) -> models.AllianceGame:
    game = game or models.POST_2022_GAME
    if not isinstance(game, models.AllianceGame):
        raise ValueError(f"game must be an AllianceGame, got {type(game).__name__}")
    return game


def _check_params(params) -> models.DynamicParams:
    params = params or models.DynamicParams()
    if not isinstance(params, models.DynamicParams):
        raise ValueError(f"params must be DynamicParams, got {type(params).__name__}")
    return params


def scenario_runs(
    params: models.DynamicParams | None = None,
    game: models.AllianceGame | None = None,
    *,
    scenarios: Mapping[str, _Shape] | None = None,
    band: Sequence[float] = (0.5, 1.0, 1.5, 2.0),
) -> pd.DataFrame:
    """Each scenario through the three models, as a tidy frame (one row per scenario-year).

    Time ``t`` runs from −30 (start of the stylised history) to 30; t = 0 is the branch
    point. Columns: S; static C (hurdles fixed); dynamic C, H_e, H_m; the dynamic C band
    (min/max over policy effectiveness δ and rebound ρ each scaled by ``band``); and the
    three alliance verdicts: A_static, A_dynamic (C >= θ_A) and A_game ((ally, ally) is
    an equilibrium, with the dynamic model's hurdles).
    """
    p = _check_params(params)
    g = _check_game(game)
    scenarios = dict(scenarios or SCENARIOS)
    if not scenarios:
        raise ValueError("scenarios must name at least one scenario")
    mult = np.asarray(band, dtype=float)
    if mult.ndim != 1 or mult.size < 2 or (mult < 0).any():
        raise ValueError(f"band must be at least two non-negative multipliers (got {band!r})")
    hist = _history()
    frames = []
    for key, sc in scenarios.items():
        S = np.r_[hist, _future_path(sc.level, sc.shape, hist[-1])]
        dyn = models.simulate(p, S)
        sta = models.simulate_static(p, S)
        grid = models.ParamGrid.sweep(
            p,
            delta_e=p.delta_e * mult[:, None],
            delta_m=p.delta_m * mult[:, None],
            rho_e=p.rho_e * mult[None, :],
            rho_m=p.rho_m * mult[None, :],
        )
        fan = models.simulate(grid, S).C.reshape(-1, len(S) + 1)
        # state index i = start of year i; the pressure acting in that year is S[i]
        S_state = np.append(S, S[-1])
        t = np.arange(len(S) + 1) - len(hist)
        frames.append(
            pd.DataFrame(
                {
                    "scenario": key,
                    "label": sc.label,
                    "t": t,
                    "S": S_state,
                    "C_static": sta.C,
                    "C_dynamic": dyn.C,
                    "C_lo": fan.min(axis=0),
                    "C_hi": fan.max(axis=0),
                    "H_e": dyn.H_e,
                    "H_m": dyn.H_m,
                    "A_static": sta.alliance,
                    "A_dynamic": dyn.alliance,
                    "A_game": _game_alliance(g, S_state, dyn.H_e, dyn.H_m),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


_VERDICT_MODELS = {
    "A_static": "static model",
    "A_dynamic": "dynamic model",
    "A_game": "two-player game",
}


def _spans(t: np.ndarray, hit: np.ndarray) -> str:
    if not hit.any():
        return "never"
    out, i = [], 0
    while i < len(t):
        if hit[i]:
            j = i
            while j + 1 < len(t) and hit[j + 1]:
                j += 1
            out.append(f"{t[i]}" if i == j else f"{t[i]} to {t[j]}")
            i = j + 1
        else:
            i += 1
    return ", ".join(out)


def scenario_verdicts(runs: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and model: cooperation at the branch point and at the end (as text;
    "–" for the game, which has no cooperation path of its own), and the future years
    (t >= 0) in which the model says A = 1."""
    require_columns(
        runs,
        ("scenario", "label", "t", "C_static", "C_dynamic", *_VERDICT_MODELS),
        "scenario_verdicts",
        nonempty=True,
    )
    rows = []
    for _key, df in runs.groupby("scenario", sort=False):
        fut = df[df["t"] >= 0]
        for col, name in _VERDICT_MODELS.items():
            c_col = {"A_static": "C_static", "A_dynamic": "C_dynamic"}.get(col)
            rows.append(
                {
                    "scenario": fut["label"].iloc[0],
                    "model": name,
                    "C now": f"{fut[c_col].iloc[0]:.2f}" if c_col else "–",
                    "C after 30 years": f"{fut[c_col].iloc[-1]:.2f}" if c_col else "–",
                    "years with A = 1": _spans(fut["t"].to_numpy(), fut[col].to_numpy(bool)),
                }
            )
    return pd.DataFrame(rows)


SHAPES = {"step": "jump at once", "gradual": "move over 15 years", "pulse": "6-year pulse"}


def _reader_axes(
    levels: Sequence[float], effectiveness: Sequence[float], shapes: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The checked slider axes: pressure levels in [0, 1] and effectiveness >= 0."""
    lv = slider_grid(np.round(np.asarray(levels, dtype=float), 4).tolist(), "reader_grid: levels")
    ef = slider_grid(
        np.round(np.asarray(effectiveness, dtype=float), 4).tolist(), "reader_grid: effectiveness"
    )
    if lv.min() < 0 or lv.max() > 1:
        raise ValueError(f"reader_grid: levels must lie in [0, 1] (got {lv.min()}–{lv.max()})")
    if ef.min() < 0:
        raise ValueError("reader_grid: effectiveness must be >= 0")
    bad = sorted(set(shapes) - set(SHAPES))
    if bad or not shapes:
        raise ValueError(f"reader_grid: unknown shape(s) {bad}; choose from {list(SHAPES)}")
    return lv, ef


def _branch_runs(
    p: models.DynamicParams, lv: np.ndarray, ef: np.ndarray, shapes: Sequence[str]
) -> tuple[np.ndarray, models.Trajectory, models.Trajectory]:
    """From the end of the stylised history: the pressure each run sees (state years), the
    static runs (shape x level) and the dynamic runs (effectiveness x shape x level)."""
    hist = _history()
    dyn_h = models.simulate(p, hist)
    sta_h = models.simulate_static(p, hist)
    C0d, He0, Hm0 = dyn_h.C[-1], dyn_h.H_e[-1], dyn_h.H_m[-1]
    paths = np.stack([_future_path(L, s, hist[-1]) for s in shapes for L in lv])  # (n, T)
    grid = models.ParamGrid.sweep(
        p, delta_e=p.delta_e * ef[:, None], delta_m=p.delta_m * ef[:, None]
    )
    dyn = models.simulate(grid, paths, C_init=C0d, H_e_init=He0, H_m_init=Hm0)  # (ef, n, T+1)
    sta = models.simulate_static(p, paths, C_init=sta_h.C[-1])  # (n, T+1)
    return np.concatenate([paths, paths[:, -1:]], axis=1), sta, dyn


def _dynamic_rows(
    p: models.DynamicParams,
    g: models.AllianceGame,
    dyn: models.Trajectory,
    S_state: np.ndarray,
    k: int,
    key: dict,
    ef: np.ndarray,
) -> list[dict]:
    """The dynamic model's rows for run ``k``, one per effectiveness value."""
    rows = []
    for m, e in enumerate(ef):
        A_game = _game_alliance(g, S_state[k], dyn.H_e[m, k], dyn.H_m[m, k])
        rows.append(
            {
                **key,
                "d": float(e),
                "C": pack_path(dyn.C[m, k], "reader_grid"),
                "Hm": pack_path(dyn.H_m[m, k], "reader_grid"),
                "a": first_index(dyn.alliance[m, k]),
                "e": first_index(dyn.C[m, k] >= p.theta_E),
                "g": first_index(A_game),
            }
        )
    return rows


def reader_grid(
    params: models.DynamicParams | None = None,
    game: models.AllianceGame | None = None,
    *,
    levels: Sequence[float] = tuple(np.round(np.arange(0.2, 1.0001, 0.05), 2)),
    effectiveness: Sequence[float] = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0),
    shapes: Sequence[str] = tuple(SHAPES),
) -> dict[str, list[dict]]:
    """Precomputed runs for the explorable, from the branch point (t = 0) for 30 years.

    Every model starts from its own state at the end of the stylised history (default
    parameters). Future policy effectiveness (a multiplier on δ_e, δ_m) applies from t = 0.
    Returns ``{"static": [...], "dynamic": [...]}``: packed rows, one per slider position,
    each holding its paths as arrays and the verdict years (−1 = never).
    """
    p = _check_params(params)
    g = _check_game(game)
    lv, ef = _reader_axes(levels, effectiveness, shapes)
    S_state, sta, dyn = _branch_runs(p, lv, ef, shapes)
    static_rows, dyn_rows = [], []
    for i, s in enumerate(shapes):
        for j, L in enumerate(lv):
            k = i * len(lv) + j
            static_rows.append(
                {
                    "sh": s,
                    "L": float(L),
                    "S": pack_path(S_state[k], "reader_grid"),
                    "C": pack_path(sta.C[k], "reader_grid"),
                    "a": first_index(sta.alliance[k]),
                    "e": first_index(sta.C[k] >= p.theta_E),
                }
            )
            dyn_rows += _dynamic_rows(p, g, dyn, S_state, k, {"sh": s, "L": float(L)}, ef)
    return {"static": static_rows, "dynamic": dyn_rows}
