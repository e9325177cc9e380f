"""Simulation core shared by the static and dynamic models (domain.md §3a-§3b).

Two implementations of the same annual map, kept deliberately separate:

* :func:`simulate` -- vectorised: a whole :class:`~.params.ParamGrid` (shape ``G``) and a
  scenario array (shape ``T`` or ``(..., T)``) broadcast together, one numpy pass per year;
* :func:`simulate_reference` -- a plain-Python loop for one parameter set, written as
  literally as possible from the equations; the tests hold the two equal within 1e-12.

The map, from the state at year t (``C_t``, ``H_e,t``, ``H_m,t``) and pressure ``S_t``::

    x_t     = beta S_t (1 - gamma_e H_e,t - gamma_m H_m,t)
    C_{t+1} = C_t + kappa (f(x_t) - C_t),       f(x) = 1 / (1 + exp(-k (x - x0)))
    P_t     = max(0, S_t - s0) / (1 - s0)
    H_i,t+1 = H_i,t - (delta_i P_t + lambda_i C_t) H_i,t + rho_i (H_i0 - H_i,t)

With all hurdle rates zero this is exactly the static model (hurdles never move).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .params import ParamGrid, StaticParams

__all__ = [
    "Trajectory",
    "simulate",
    "simulate_reference",
    "validate_path",
    "validate_pressure",
    "as_grid",
]


def validate_pressure(S: Any, name: str = "S") -> np.ndarray:
    """Pressure values of any shape (a scalar too) as floats, every value finite in [0, 1]."""
    if hasattr(S, "S") and hasattr(S, "years"):  # a Scenario
        S = S.S
    if isinstance(S, str | bytes):
        raise TypeError(f"{name} must be an array of numbers, got a string")
    arr = np.asarray(S)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    arr = arr.astype(float, copy=False)
    bad = ~(np.isfinite(arr) & (arr >= 0.0) & (arr <= 1.0))
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} must be finite and in [0, 1] (got {arr[idx]} at index {idx})")
    return arr


def validate_path(S: Any, name: str = "S") -> np.ndarray:
    """A pressure path: at least one year on the last axis, every value finite in [0, 1]."""
    arr = validate_pressure(S, name)
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one year (time is the last axis)")
    return arr


def _state(value: Any, name: str) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    bad = ~(np.isfinite(arr) & (arr >= 0.0) & (arr <= 1.0))
    if bad.any():
        raise ValueError(f"{name} must be finite and in [0, 1] (got {arr[bad][0]})")
    return arr


def as_grid(params: StaticParams | ParamGrid) -> ParamGrid:
    if isinstance(params, ParamGrid):
        return params
    if isinstance(params, StaticParams):
        return ParamGrid.from_params(params)
    raise TypeError(f"params must be StaticParams, DynamicParams or ParamGrid, got {params!r}")


@dataclass(frozen=True)
class Trajectory:
    """Simulated paths. ``S`` has T years; states have T+1 (index 0 = initial state).

    ``C[..., t]`` is cooperation at the start of year t, after t years of pressure
    ``S[..., :t]``. ``theta_E``/``theta_A`` broadcast against the leading shape.
    """

    S: np.ndarray
    C: np.ndarray
    H_e: np.ndarray
    H_m: np.ndarray
    theta_E: np.ndarray
    theta_A: np.ndarray

    @property
    def entente(self) -> np.ndarray:
        """True where theta_E <= C < theta_A."""
        te, ta = self.theta_E[..., None], self.theta_A[..., None]
        return (self.C >= te) & (self.C < ta)

    @property
    def alliance(self) -> np.ndarray:
        """A_t = 1 iff C_t >= theta_A."""
        return self.C >= self.theta_A[..., None]

    def first_year(self, level: float | str) -> np.ndarray:
        """First t with C_t >= level ("entente" = theta_E, "alliance" = theta_A); -1 if never."""
        if level == "entente":
            thr = self.theta_E[..., None]
        elif level == "alliance":
            thr = self.theta_A[..., None]
        else:
            thr = np.asarray(level, dtype=float)
        hit = self.C >= thr
        return np.where(hit.any(axis=-1), hit.argmax(axis=-1), -1)

    def to_frame(self, years: Sequence[int] | None = None) -> pd.DataFrame:
        """Tidy table for one trajectory: year, S (NaN in the final year), C, H_e, H_m, A."""
        if self.C.ndim != 1:
            raise ValueError("to_frame needs a single trajectory; index the grid first")
        n = self.C.shape[-1]
        year = np.arange(n) if years is None else np.asarray(years)
        if year.shape != (n,):
            raise ValueError(f"years must have {n} entries (T + 1), got {year.shape}")
        return pd.DataFrame(
            {
                "year": year,
                "S": np.append(self.S, np.nan),
                "C": self.C,
                "H_e": self.H_e,
                "H_m": self.H_m,
                "A": self.alliance.astype(int),
            }
        )


def simulate(
    params: StaticParams | ParamGrid,
    S: Any,
    *,
    C_init: Any = None,
    H_e_init: Any = None,
    H_m_init: Any = None,
    workers: int | None = None,
) -> Trajectory:
    """Simulate every parameter set of ``params`` on every scenario of ``S`` at once.

    ``S`` has time on its last axis; its leading shape broadcasts with the grid's shape.
    Initial states default to the parameters ``C0``, ``H_e0``, ``H_m0``. ``workers``: threads
    for large grids (default: up to 4 when there are more than 65536 parameter sets).
    """
    g = as_grid(params)
    path = validate_path(S)
    v = g.values
    C = v["C0"] if C_init is None else _state(C_init, "C_init")
    He = v["H_e0"] if H_e_init is None else _state(H_e_init, "H_e_init")
    Hm = v["H_m0"] if H_m_init is None else _state(H_m_init, "H_m_init")
    shape = np.broadcast_shapes(g.shape, path.shape[:-1], C.shape, He.shape, Hm.shape)
    T, N = path.shape[-1], math.prod(shape)

    # Flatten everything to N columns; time first so each year's slice is contiguous.
    # Scalars stay scalars (no memory), and a path shared by all sets stays one column.
    flat = {n: _flat(a, shape) for n, a in v.items()}
    shared = path.ndim == 1
    if shared:
        columns = path[:, None]
    else:  # (N, T); each block transposes its own rows (cache-friendly, in parallel)
        columns = np.broadcast_to(path, (*shape, T)).reshape(N, T)
    out_C, out_He, out_Hm = (np.empty((T + 1, N)) for _ in range(3))
    out_C[0], out_He[0], out_Hm[0] = (np.broadcast_to(a, shape).ravel() for a in (C, He, Hm))
    _run_blocks(flat, columns, shared, (out_C, out_He, out_Hm), workers)

    def back(a: np.ndarray) -> np.ndarray:
        return np.moveaxis(a.reshape(T + 1, *shape), 0, -1)

    return Trajectory(
        S=np.broadcast_to(path, (*shape, T)),
        C=back(out_C),
        H_e=back(out_He),
        H_m=back(out_Hm),
        theta_E=np.broadcast_to(v["theta_E"], shape),
        theta_A=np.broadcast_to(v["theta_A"], shape),
    )


#: Columns per block: a block's working arrays stay in cache (about 1 MB in all).
_BLOCK = 16384


def _default_workers(n: int) -> int:
    """numpy ufuncs release the GIL, so big grids use up to 4 threads, one block each."""
    return 1 if n < 4 * _BLOCK else min(os.cpu_count() or 1, 4)


def _flat(a: np.ndarray, shape: tuple[int, ...]) -> float | np.ndarray:
    return float(a) if a.ndim == 0 else np.ascontiguousarray(np.broadcast_to(a, shape)).ravel()


def _run_blocks(
    flat: dict, path: np.ndarray, shared: bool, outs: tuple, workers: int | None
) -> None:
    """Run the map block by block (in threads for big grids). ``path``: one (T, 1) column
    shared by every set, or (N, T) rows that each block transposes for itself."""
    out_C, out_He, out_Hm = outs
    N = out_C.shape[1]
    blocks = [slice(lo, min(lo + _BLOCK, N)) for lo in range(0, N, _BLOCK)]
    n_workers = min(workers or _default_workers(N), len(blocks))

    def run(block: slice) -> None:
        _run_block(
            {n: a if np.ndim(a) == 0 else a[block] for n, a in flat.items()},
            path if shared else np.ascontiguousarray(path[block].T),
            out_C[:, block],
            out_He[:, block],
            out_Hm[:, block],
        )

    if n_workers > 1:
        with ThreadPoolExecutor(n_workers) as pool:
            list(pool.map(run, blocks))
    else:
        for block in blocks:
            run(block)


def _run_block(p: dict, ST: np.ndarray, out_C, out_He, out_Hm) -> None:
    """The annual map on one block of columns, written into preallocated outputs.

    The same map as :func:`simulate_reference`, arranged for fewer array passes (agreement
    to rounding, within 1e-12, is a test); scratch buffers and ``out=`` keep the loop free
    of allocations.
    """
    n = out_C.shape[1]
    a, b, f = np.empty(n), np.empty(n), np.empty(n)
    shared = ST.shape[1] == 1  # one path for every set: precompute its terms (tiny)
    if shared:
        bS = p["beta"] * ST  # beta S_t, all years at once
        P = np.maximum(ST - p["s0"], 0.0) / (1.0 - p["s0"])  # policy effort P_t
    else:  # a path per set: each year's terms go into buffers, no big temporaries
        bS_t, P_t = np.empty(n), np.empty(n)
        one_minus_s0 = 1.0 - p["s0"]
    ge, gm, k, x0, kappa = p["gamma_e"], p["gamma_m"], p["k"], p["x0"], p["kappa"]
    # H_{t+1} = H (1 - rho - delta P - lambda C) + rho H0: the same map with fewer passes.
    hurdles = [
        (
            out_H,
            p[f"delta_{h}"],
            p[f"lambda_{h}"],
            1.0 - p[f"rho_{h}"],
            p[f"rho_{h}"] * p[f"H_{h}0"],
        )
        for out_H, h in ((out_He, "e"), (out_Hm, "m"))
    ]
    with np.errstate(over="ignore"):  # exp overflow to inf is fine: f becomes exactly 0
        for t in range(ST.shape[0]):
            if shared:
                bS_t, P_t = bS[t], P[t]
            else:
                np.multiply(p["beta"], ST[t], out=bS_t)
                np.subtract(ST[t], p["s0"], out=P_t)
                np.maximum(P_t, 0.0, out=P_t)
                np.divide(P_t, one_minus_s0, out=P_t)
            C = out_C[t]
            # x = beta S (1 - gamma_e H_e - gamma_m H_m)
            np.multiply(ge, out_He[t], out=a)
            np.subtract(1.0, a, out=a)
            np.multiply(gm, out_Hm[t], out=b)
            np.subtract(a, b, out=a)
            np.multiply(bS_t, a, out=a)
            # f(x) = 1 / (1 + exp(-k (x - x0)))
            np.subtract(x0, a, out=a)
            np.multiply(k, a, out=a)
            np.exp(a, out=a)
            np.add(1.0, a, out=a)
            np.divide(1.0, a, out=f)
            # C_{t+1} = C_t + kappa (f - C_t)
            np.subtract(f, C, out=a)
            np.multiply(kappa, a, out=a)
            np.add(C, a, out=out_C[t + 1])
            _hurdle_step(hurdles, t, P_t, C, a, b)


def _hurdle_step(hurdles: list, t: int, P_t, C, a: np.ndarray, b: np.ndarray) -> None:
    """Year ``t`` -> ``t + 1`` for each hurdle (``a``, ``b``: scratch buffers)."""
    for out_H, delta, lam, keep, inflow in hurdles:
        np.multiply(delta, P_t, out=a)
        np.multiply(lam, C, out=b)
        np.add(a, b, out=a)
        np.subtract(keep, a, out=a)
        np.maximum(a, 0.0, out=a)  # trims rounding below 0 only: rates sum to <= 1
        np.multiply(a, out_H[t], out=a)
        np.add(a, inflow, out=out_H[t + 1])


def _f(x: float, k: float, x0: float) -> float:
    """Logistic response; an overflowing exponent means a response of exactly 0."""
    try:
        return 1.0 / (1.0 + math.exp(-k * (x - x0)))
    except OverflowError:
        return 0.0


def simulate_reference(
    params: StaticParams,
    S: Sequence[float],
    *,
    C_init: float | None = None,
    H_e_init: float | None = None,
    H_m_init: float | None = None,
) -> tuple[list[float], list[float], list[float]]:
    """Plain-Python loop over one 1-D path: lists (C, H_e, H_m), each of length T + 1."""
    p = params.to_dynamic()
    C = p.C0 if C_init is None else float(C_init)
    He = p.H_e0 if H_e_init is None else float(H_e_init)
    Hm = p.H_m0 if H_m_init is None else float(H_m_init)
    Cs, Hes, Hms = [C], [He], [Hm]
    for s in S:
        s = float(s)
        x = p.beta * s * (1.0 - p.gamma_e * He - p.gamma_m * Hm)
        P = max(0.0, s - p.s0) / (1.0 - p.s0)
        C_next = C + p.kappa * (_f(x, p.k, p.x0) - C)
        He_next = He - (p.delta_e * P + p.lambda_e * C) * He + p.rho_e * (p.H_e0 - He)
        Hm_next = Hm - (p.delta_m * P + p.lambda_m * C) * Hm + p.rho_m * (p.H_m0 - Hm)
        C, He, Hm = C_next, He_next, Hm_next
        Cs.append(C)
        Hes.append(He)
        Hms.append(Hm)
    return Cs, Hes, Hms
