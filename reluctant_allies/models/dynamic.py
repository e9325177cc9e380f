"""Dynamic interaction model (domain.md §3b, the article's claim C4 as reconstructed here).

Hurdles are slow variables worn down by policy effort P(S) and by cooperation itself,
and rebound toward their baselines when effort lapses::

    P_t     = max(0, S_t - s0) / (1 - s0)
    H_i,t+1 = H_i,t - (delta_i P_t + lambda_i C_t) H_i,t + rho_i (H_i0 - H_i,t)

Steady states for a constant S solve ``H_i* = rho_i H_i0 / (rho_i + delta_i P(S) + lambda_i C*)``
and ``C* = f(beta S (1 - sum_i gamma_i H_i*))``. Because the map is monotone (C rises with C
and falls with H; H rises with H and falls with C), a path started at the bottom corner
(C = 0, H = H_0) converges to the *lowest* steady state and one started at the top
(C = 1, H = 0) to the *highest*; two distinct limits mean bistability.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .core import Trajectory, as_grid, simulate, validate_path
from .params import DynamicParams, ParamGrid, StaticParams
from .static import logistic, logit, static_threshold

__all__ = [
    "policy_effort",
    "simulate_dynamic",
    "steady_hurdles",
    "steady_state_gap",
    "SteadyStates",
    "steady_states",
    "long_run_threshold",
    "moving_threshold",
]


def policy_effort(S: Any, s0: Any) -> np.ndarray:
    """P(S) = max(0, S - s0) / (1 - s0): effort starts once pressure exceeds s0."""
    return np.maximum(np.subtract(S, s0), 0.0) / np.subtract(1.0, s0)


def simulate_dynamic(
    params: DynamicParams | ParamGrid, S: Any, *, C_init=None, H_e_init=None, H_m_init=None
) -> Trajectory:
    """Simulate §3b (vectorised over parameter grids and scenarios; see :func:`.core.simulate`)."""
    return simulate(params, S, C_init=C_init, H_e_init=H_e_init, H_m_init=H_m_init)


def steady_hurdles(params: DynamicParams | ParamGrid, S: Any, C: Any):
    """(H_e*, H_m*) for constant S and cooperation C; H_i0 when no force acts on H_i."""
    v = as_grid(params).values
    P = policy_effort(S, v["s0"])
    out = []
    for h in ("e", "m"):
        rho, H0 = v[f"rho_{h}"], v[f"H_{h}0"]
        denom = rho + v[f"delta_{h}"] * P + v[f"lambda_{h}"] * np.asarray(C, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out.append(np.where(denom > 0, rho * H0 / np.where(denom > 0, denom, 1.0), H0))
    return out[0], out[1]


def steady_state_gap(params: DynamicParams | ParamGrid, S: Any, C: Any) -> np.ndarray:
    """g(C) = f(beta S (1 - sum gamma_i H_i*(S, C))) - C; steady states are its roots."""
    v = as_grid(params).values
    He, Hm = steady_hurdles(params, S, C)
    x = v["beta"] * np.asarray(S) * (1.0 - v["gamma_e"] * He - v["gamma_m"] * Hm)
    return logistic(x, v["k"], v["x0"]) - C


@dataclass(frozen=True)
class SteadyStates:
    """Long-run cooperation for each S: lowest and highest stable steady state, and count."""

    S: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n_stable: np.ndarray

    @property
    def bistable(self) -> np.ndarray:
        return self.n_stable >= 2


def steady_states(params: DynamicParams, S: Any, *, resolution: int = 4001) -> SteadyStates:
    """Stable steady states of C for each constant S (vectorised root scan of g, then bisection).

    Stable states are roots where g crosses from + to - (C rises below, falls above).
    Works for the static model too (hurdles then stay at their baselines).
    """
    if isinstance(params, ParamGrid):
        raise TypeError("steady_states takes one parameter set; loop over grid[i]")
    p = params.to_dynamic()
    S = validate_path(np.atleast_1d(S))
    if S.ndim != 1:
        raise ValueError("S must be 1-D here")
    c = np.linspace(0.0, 1.0, resolution)
    g = steady_state_gap(p, S[:, None], c[None, :])
    down = (g[:, :-1] > 0) & (g[:, 1:] <= 0)  # + to - : stable root in [c_j, c_j+1]
    rows, cols = np.nonzero(down)
    lo, hi = c[cols], c[cols + 1]
    for _ in range(50):  # bisection on every bracket at once
        mid = 0.5 * (lo + hi)
        pos = steady_state_gap(p, S[rows], mid) > 0
        lo, hi = np.where(pos, mid, lo), np.where(pos, hi, mid)
    roots = 0.5 * (lo + hi)
    n = np.bincount(rows, minlength=len(S))
    low = np.full(len(S), np.nan)
    high = np.full(len(S), np.nan)
    np.fmin.at(low, rows, roots)
    np.fmax.at(high, rows, roots)
    return SteadyStates(S=S, low=low, high=high, n_stable=n)


def long_run_threshold(params: DynamicParams | ParamGrid, theta: Any = None) -> np.ndarray:
    """Constant S at which ``theta`` (default theta_A) is a steady state: the long-run threshold.

    Solves beta S (1 - sum gamma_i H_i*(S, theta)) = x0 + logit(theta) / k by bisection,
    vectorised over a grid; the left side rises with S, so the root is unique. ``inf``
    where even S = 1 is not enough. Defaults: about 0.80 (static model: 1.04).
    """
    g = as_grid(params)
    v = g.values
    th = v["theta_A"] if theta is None else np.asarray(theta, dtype=float)
    if not ((th > 0) & (th < 1)).all():
        raise ValueError(f"theta must be in (0, 1) (got {th})")
    shape = np.broadcast_shapes(g.shape, th.shape)
    target = v["x0"] + logit(th) / v["k"]

    def lhs(S):
        He, Hm = steady_hurdles(g, S, th)
        return v["beta"] * S * (1.0 - v["gamma_e"] * He - v["gamma_m"] * Hm)

    lo, hi = np.zeros(shape), np.ones(shape)
    reachable = lhs(hi) >= target
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        up = lhs(mid) < target
        lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
    out = np.where(reachable, 0.5 * (lo + hi), np.inf)
    return np.where(target <= 0, 0.0, out)


def moving_threshold(
    params: StaticParams, trajectory: Trajectory, level: str = "alliance"
) -> np.ndarray:
    """The static threshold re-evaluated at each year's hurdles: S needed *now* for C* to
    reach theta_A ("alliance") or theta_E ("entente"). Falls as hurdles erode."""
    theta = {"alliance": params.theta_A, "entente": params.theta_E}.get(level)
    if theta is None:
        raise ValueError(f"level must be 'alliance' or 'entente' (got {level!r})")
    return static_threshold(theta, params, trajectory.H_e, trajectory.H_m)
