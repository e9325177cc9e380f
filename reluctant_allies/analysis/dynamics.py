"""Chapters 7-8 (the dynamic model): scenario runs, the phase portrait, the long-run curve, the
moving threshold, ramp milestones and the learning grid.

Every function returns plain tables or values (no Altair); ``charts/dynamics.py`` lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import models

# Shared slider plumbing of the model explorables (one implementation for the book).
from .grids import first_index, pack_path, slider_grid

__all__ = [
    "dynamic_runs",
    "dynamic_scenarios",
    "learning_grid",
    "learning_scenario",
    "long_run_frame",
    "moving_threshold_frame",
    "phase_frame",
    "ramp_milestones",
    "ramp_on_calendar",
    "rebound_numbers",
]


def _dynamic(params: models.DynamicParams | None, who: str) -> models.DynamicParams:
    p = models.DynamicParams() if params is None else params
    if not isinstance(p, models.DynamicParams):
        raise TypeError(f"{who}: params must be DynamicParams, got {type(p).__name__}")
    return p


def _static(params: models.StaticParams | None, who: str) -> models.StaticParams:
    p = models.StaticParams() if params is None else params
    if not isinstance(p, models.StaticParams) or isinstance(p, models.DynamicParams):
        raise TypeError(f"{who}: static must be StaticParams, got {type(p).__name__}")
    return p


def dynamic_scenarios(
    *,
    years: int = 40,
    low: float = 0.3,
    high: float = 0.9,
    ramp_from: float = 0.2,
    ramp_years: int = 30,
    at: int = 10,
    width: int = 15,
) -> dict[str, models.Scenario]:
    """Three pressure paths of equal length (``years``), built with :mod:`models.scenarios`.

    * ramp: ``ramp_from`` -> ``high`` over ``ramp_years`` years, then held at ``high``;
    * shock: ``low`` until year ``at``, ``high`` from then on;
    * pulse: ``high`` for ``width`` years from year ``at``, ``low`` before and after.
    """
    if not isinstance(ramp_years, int) or not 2 <= ramp_years <= years:
        raise ValueError(
            f"ramp_years must be an integer in [2, years={years}] (got {ramp_years!r})"
        )
    r = models.ramp(ramp_from, high, ramp_years)
    ramp = models.Scenario(
        np.r_[r.S, np.full(years - ramp_years, r.S[-1])],
        np.arange(years),
        f"ramp {ramp_from:g} → {high:g} over {ramp_years} years, then held",
    )
    shock = models.shock(low, high, years, at)
    pulse = models.pulse(low, high, years, at, width)
    if at + width >= years:
        raise ValueError(f"the pulse (at={at}, width={width}) must end before year {years}")
    return {
        "ramp": ramp,
        "shock": models.Scenario(shock.S, shock.years, f"shock: {low:g} → {high:g} in year {at}"),
        "pulse": models.Scenario(
            pulse.S, pulse.years, f"pulse: {high:g} for {width} years from year {at}, else {low:g}"
        ),
    }


def dynamic_runs(
    scenarios: Mapping[str, models.Scenario],
    dynamic: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
) -> pd.DataFrame:
    """Both models on each scenario: scenario, label, year (0..T), S (pressure during that
    year; empty in the final state), C_dynamic, C_static, H_e, H_m (dynamic model)."""
    who = "dynamic_runs"
    if not isinstance(scenarios, Mapping) or not scenarios:
        raise ValueError(f"{who}: scenarios must be a non-empty mapping name -> Scenario")
    dyn = _dynamic(dynamic, who)
    sta = _static(static, who)
    frames = []
    for name, sc in scenarios.items():
        if not isinstance(sc, models.Scenario):
            raise TypeError(f"{who}: scenario {name!r} is not a models.Scenario")
        d = models.simulate_dynamic(dyn, sc)
        s = models.simulate_static(sta, sc)
        frames.append(
            pd.DataFrame(
                {
                    "scenario": name,
                    "label": sc.label,
                    "year": np.arange(len(sc) + 1),
                    "S": np.append(sc.S, np.nan).round(4),
                    "C_dynamic": d.C.round(4),
                    "C_static": s.C.round(4),
                    "H_e": d.H_e.round(4),
                    "H_m": d.H_m.round(4),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _phase_paths(
    p: models.DynamicParams,
    lv: np.ndarray,
    years: int,
    starts: Mapping[str, tuple[float, float]],
    who: str,
) -> list[pd.DataFrame]:
    """One 'path' frame per (start, level): the trajectory in the (hurdle, C) plane."""
    rows = []
    S = np.repeat(lv[:, None], years, axis=1)
    for name, (h0, c0) in starts.items():
        if not (0 <= h0 <= 1 and 0 <= c0 <= 1):
            raise ValueError(f"{who}: start {name!r} must lie in [0, 1]² (got {(h0, c0)})")
        tr = models.simulate(p, S, C_init=c0, H_e_init=h0, H_m_init=h0)
        H = models.effective_hurdle(p, tr.H_e, tr.H_m)
        for i, s in enumerate(lv):
            rows.append(
                pd.DataFrame(
                    {
                        "kind": "path",
                        "S": float(s),
                        "start": name,
                        "year": np.arange(years + 1),
                        "H": H[i].round(4),
                        "C": tr.C[i].round(4),
                    }
                )
            )
    return rows


def _phase_steady(
    p: models.DynamicParams, sta: models.StaticParams, lv: np.ndarray
) -> list[pd.DataFrame]:
    """The dynamic model's and the static model's low steady states for each level."""
    ss = models.steady_states(p, lv)
    He, Hm = models.steady_hurdles(p, lv, ss.low)
    rows = [
        pd.DataFrame(
            {
                "kind": "steady",
                "S": lv,
                "start": "",
                "year": -1,
                "H": models.effective_hurdle(p, He, Hm).round(4),
                "C": ss.low.round(4),
            }
        )
    ]
    st = models.steady_states(sta, lv)
    rows.append(
        pd.DataFrame(
            {
                "kind": "static steady",
                "S": lv,
                "start": "",
                "year": -1,
                "H": np.round(models.effective_hurdle(sta, sta.H_e0, sta.H_m0), 4),
                "C": st.low.round(4),
            }
        )
    )
    return rows


def phase_frame(
    params: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
    *,
    levels: Sequence[float] = (0.5, 0.7, 0.8, 0.9, 1.0),
    years: int = 60,
    starts: Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """Trajectories in the (effective hurdle, C) plane for constant pressures ``levels``.

    The effective hurdle is ``(gamma_e H_e + gamma_m H_m) / (gamma_e + gamma_m)``: what the
    filter sees (the plain mean of the two hurdles when the weights are equal). ``starts``
    maps a name to an initial (hurdle, C); both hurdles start at that value. Returns kind
    ('path', 'steady', 'static steady'), S, start, year, H, C.
    """
    who = "phase_frame"
    p = _dynamic(params, who)
    sta = _static(static, who)
    lv = np.asarray(levels, dtype=float)
    if lv.ndim != 1 or lv.size == 0 or not np.all((lv >= 0) & (lv <= 1)):
        raise ValueError(f"{who}: levels must be pressures in [0, 1] (got {levels!r})")
    if not isinstance(years, int) or years < 1:
        raise ValueError(f"{who}: years must be a positive integer (got {years!r})")
    starts = dict(starts or {"default start": (p.H_e0, p.C0), "high start": (0.1, 0.95)})
    rows = _phase_paths(p, lv, years, starts, who)
    rows += _phase_steady(p, sta, lv)
    return pd.concat(rows, ignore_index=True)


def long_run_frame(
    dynamic: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
    *,
    S: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Long-run (steady-state) cooperation for each constant S, both models.

    Columns: model, S, C (lowest stable state), C_high (highest), bistable.
    """
    who = "long_run_frame"
    grid = np.linspace(0.0, 1.0, 101) if S is None else np.asarray(S, dtype=float)
    if grid.ndim != 1 or grid.size < 2 or not np.all((grid >= 0) & (grid <= 1)):
        raise ValueError(f"{who}: S must be at least two pressures in [0, 1]")
    frames = []
    for name, p in (
        ("static model", _static(static, who)),
        ("dynamic model", _dynamic(dynamic, who)),
    ):
        ss = models.steady_states(p, grid)
        frames.append(
            pd.DataFrame(
                {
                    "model": name,
                    "S": grid.round(4),
                    "C": ss.low.round(4),
                    "C_high": ss.high.round(4),
                    "bistable": ss.bistable,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _long_run_thresholds(dynamic, static) -> pd.DataFrame:
    rows = []
    for name, p in (("static model", static), ("dynamic model", dynamic)):
        for level, theta in (("entente", p.theta_E), ("alliance", p.theta_A)):
            lr = float(models.long_run_threshold(p, theta))
            rows.append({"model": name, "level": level, "theta": theta, "S": lr})
    return pd.DataFrame(rows)


def moving_threshold_frame(
    params: models.DynamicParams | None = None,
    scenario: models.Scenario | None = None,
) -> pd.DataFrame:
    """The pressure needed *now* for entente and alliance, at each year's hurdles.

    Default scenario: ramp 0.2 -> 0.9 over 30 years, held for 20 more. Columns: year
    (0..T), S (pressure during that year; empty in the final state), C, alliance,
    entente (the static thresholds at the year's hurdles).
    """
    who = "moving_threshold_frame"
    p = _dynamic(params, who)
    if scenario is None:
        r = models.ramp(0.2, 0.9, 30)
        scenario = models.Scenario(np.r_[r.S, np.full(20, 0.9)], np.arange(50), "ramp, held")
    if not isinstance(scenario, models.Scenario):
        raise TypeError(f"{who}: scenario must be a models.Scenario")
    tr = models.simulate_dynamic(p, scenario)
    return pd.DataFrame(
        {
            "year": np.arange(len(scenario) + 1),
            "S": np.append(scenario.S, np.nan).round(4),
            "C": tr.C.round(4),
            "alliance": np.asarray(models.moving_threshold(p, tr, "alliance")).round(4),
            "entente": np.asarray(models.moving_threshold(p, tr, "entente")).round(4),
        }
    )


def _year_text(y: int) -> str:
    return "never" if y < 0 else str(int(y))


def ramp_milestones(
    dynamic: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
    *,
    start: float = 0.2,
    end: float = 0.9,
    years: int = 30,
) -> pd.DataFrame:
    """On a linear ramp: the first model year with entente and alliance (C at the start of
    year t, after t years of pressure), C at the end, and the long-run thresholds."""
    who = "ramp_milestones"
    sc = models.ramp(start, end, years)
    rows = []
    for name, p, run in (
        ("static model", _static(static, who), models.simulate_static),
        ("dynamic model", _dynamic(dynamic, who), models.simulate_dynamic),
    ):
        tr = run(p, sc)
        lr_e = float(models.long_run_threshold(p, p.theta_E))
        lr_a = float(models.long_run_threshold(p, p.theta_A))
        rows.append(
            {
                "model": name,
                "entente reached in year": _year_text(int(tr.first_year("entente"))),
                "alliance reached in year": _year_text(int(tr.first_year("alliance"))),
                f"C after {years} years": round(float(tr.C[-1]), 3),
                "long-run S for entente": f"{lr_e:.2f}",
                "long-run S for alliance": f"{lr_a:.2f}"
                if np.isfinite(lr_a)
                else f"none ≤ 1 ({float(models.static_threshold(p.theta_A, p)):.2f})",
            }
        )
    return pd.DataFrame(rows).set_index("model")


def rebound_numbers(
    params: models.DynamicParams | None = None,
    *,
    high: float = 0.9,
    low: float = 0.3,
    high_years: int = 20,
    after: int = 30,
) -> pd.DataFrame:
    """C and the hurdles when pressure is ``high`` for ``high_years``, then ``low`` for
    ``after`` years: at the end of the high spell and at the end of the run."""
    p = _dynamic(params, "rebound_numbers")
    sc = models.shock(high, low, high_years + after, high_years)
    tr = models.simulate_dynamic(p, sc)
    out = pd.DataFrame(
        {
            "C": [tr.C[high_years], tr.C[-1]],
            "H_e": [tr.H_e[high_years], tr.H_e[-1]],
            "H_m": [tr.H_m[high_years], tr.H_m[-1]],
        },
        index=[
            f"after {high_years} years at S = {high:g}",
            f"then {after} years at S = {low:g}",
        ],
    )
    return out.round(2)


def ramp_on_calendar(
    first_year: int = 1996,
    last_year: int = 2025,
    *,
    start: float = 0.2,
    end: float = 0.9,
    dynamic: models.DynamicParams | None = None,
    static: models.StaticParams | None = None,
) -> pd.DataFrame:
    """The stylised ramp placed on calendar years, for illustration only.

    Pressure ramps linearly from ``start`` in ``first_year`` to ``end`` in ``last_year``;
    C is each model's value at the *end* of the year (after that year's pressure).
    Columns: year, S, C_dynamic, C_static. The calendar placement is a choice, not a fit.
    """
    who = "ramp_on_calendar"
    if not (isinstance(first_year, int) and isinstance(last_year, int)):
        raise TypeError(f"{who}: years must be integers")
    n = last_year - first_year + 1
    if n < 2:
        raise ValueError(f"{who}: last_year must come after first_year ({first_year}–{last_year})")
    sc = models.ramp(start, end, n, start_year=first_year)
    d = models.simulate_dynamic(_dynamic(dynamic, who), sc)
    s = models.simulate_static(_static(static, who), sc)
    return pd.DataFrame(
        {
            "year": sc.years.astype(int),
            "S": sc.S.round(4),
            "C_dynamic": d.C[1:].round(4),
            "C_static": s.C[1:].round(4),
        }
    )


def learning_scenario(
    *,
    start: float = 0.2,
    high: float = 0.9,
    low: float = 0.3,
    up: int = 20,
    hold: int = 10,
    after: int = 20,
) -> models.Scenario:
    """Pressure rises ``start`` -> ``high`` over ``up`` years, holds ``hold`` years, then
    drops to ``low`` for ``after`` years: every hurdle force gets its turn."""
    for name, v in (("up", up), ("hold", hold), ("after", after)):
        if not isinstance(v, int) or v < 1:
            raise ValueError(f"learning_scenario: {name} must be a positive integer (got {v!r})")
    r = models.ramp(start, high, up)
    S = np.r_[r.S, np.full(hold, r.S[-1]), np.full(after, models.constant(low, 1).S[0])]
    return models.Scenario(S, np.arange(len(S)), "rise, hold, drop")


def _learning_sweep(
    p: models.DynamicParams, d_g: np.ndarray, l_g: np.ndarray, r_g: np.ndarray
) -> models.ParamGrid:
    """The (effect x learning x rebound) grid of dynamic parameters around ``p``."""
    D, L, R = d_g[:, None, None], l_g[None, :, None], r_g[None, None, :]
    grid = models.ParamGrid.sweep(
        p,
        delta_e=p.delta_e * D,
        delta_m=p.delta_m * D,
        lambda_e=p.lambda_e * L,
        lambda_m=p.lambda_m * L,
        rho_e=R,
        rho_m=R,
    )
    return grid


def _learning_rows(
    p: models.DynamicParams,
    tr: models.Trajectory,
    d_g: np.ndarray,
    l_g: np.ndarray,
    r_g: np.ndarray,
) -> list[dict]:
    """One row per slider position: the packed paths, entente/alliance years, end C."""
    rows = []
    for i, d in enumerate(d_g):
        for j, lam in enumerate(l_g):
            for k, r in enumerate(r_g):
                C = tr.C[i, j, k]
                rows.append(
                    {
                        "d": float(d),
                        "l": float(lam),
                        "r": float(r),
                        "C": pack_path(C, "learning_grid"),
                        "He": pack_path(tr.H_e[i, j, k], "learning_grid"),
                        "Hm": pack_path(tr.H_m[i, j, k], "learning_grid"),
                        "e": first_index(C >= p.theta_E),
                        "a": first_index(C >= p.theta_A),
                        "end": round(float(C[-1]), 2),
                    }
                )
    return rows


def learning_grid(
    params: models.DynamicParams | None = None,
    scenario: models.Scenario | None = None,
    *,
    effect: Sequence[float] = tuple(np.arange(0.0, 3.0001, 0.5)),
    learning: Sequence[float] = tuple(np.arange(0.0, 4.0001, 1.0)),
    rebound: Sequence[float] = tuple(np.arange(0.0, 0.15001, 0.025)),
) -> dict:
    """Precompute the dynamic model over (policy effectiveness x learning x rebound).

    ``effect`` and ``learning`` multiply the default delta_e, delta_m and lambda_e,
    lambda_m; ``rebound`` sets rho_e = rho_m. Returns a dict: ``rows`` (one row per slider
    position: d, l, r, the paths C, He, Hm packed as thousandths by :func:`grids.pack_path`,
    first years of entente and alliance e, a (-1: never) and C at the end), ``reference``
    (pressure S and the static model's C), ``axes``, ``params``, ``years`` and the
    ``trajectory`` itself. Every combination is validated by the model (delta + lambda +
    rho <= 1 for each hurdle).
    """
    who = "learning_grid"
    p = _dynamic(params, who)
    sc = learning_scenario() if scenario is None else scenario
    if not isinstance(sc, models.Scenario):
        raise TypeError(f"{who}: scenario must be a models.Scenario")
    d_g, l_g, r_g = (
        slider_grid(effect, "effect"),
        slider_grid(learning, "learning"),
        slider_grid(rebound, "rebound"),
    )
    for name, g in (("effect", d_g), ("learning", l_g), ("rebound", r_g)):
        if g.min() < 0:
            raise ValueError(f"{who}: {name} values must be >= 0 (got {g.min():g})")
    grid = _learning_sweep(p, d_g, l_g, r_g)
    tr = models.simulate(grid, sc)  # (effect, learning, rebound, T + 1)
    rows = _learning_rows(p, tr, d_g, l_g, r_g)
    sta = models.simulate_static(p, sc)
    reference = [
        {
            "S": pack_path(np.append(sc.S, sc.S[-1]), "learning_grid"),
            "Cs": pack_path(sta.C, "learning_grid"),
        }
    ]
    return {
        "rows": rows,
        "reference": reference,
        "axes": {"effect": d_g, "learning": l_g, "rebound": r_g},
        "params": p,
        "years": len(sc),
        "scenario": sc,
        "trajectory": tr,
    }
