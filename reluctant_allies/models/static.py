"""Static neoclassical-realist model (domain.md §3a): hurdles filter the system's push.

``x = beta S (1 - gamma_e H_e - gamma_m H_m)`` is the filtered stimulus and
``C* = f(x) = 1 / (1 + exp(-k (x - x0)))`` the equilibrium cooperation it calls forth;
``C`` adjusts toward ``C*`` at speed kappa. Entente iff theta_E <= C < theta_A,
formal alliance iff C >= theta_A. Closed-form thresholds::

    S_theta = (x0 + logit(theta) / k) / (beta (1 - gamma_e H_e - gamma_m H_m))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .core import Trajectory, simulate, validate_pressure
from .params import StaticParams

__all__ = [
    "effective_hurdle",
    "logistic",
    "logit",
    "filtered_stimulus",
    "equilibrium_cooperation",
    "static_threshold",
    "static_thresholds",
    "simulate_static",
]


def logistic(x: Any, k: Any, x0: Any) -> np.ndarray:
    """Response curve f(x) = 1 / (1 + exp(-k (x - x0))), vectorised."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(np.multiply(k, np.subtract(x0, x))))


def logit(p: Any) -> np.ndarray:
    """Inverse of the standard logistic: log(p / (1 - p))."""
    p = np.asarray(p, dtype=float)
    return np.log(p / (1.0 - p))


def _hurdles(params: StaticParams, H_e: Any, H_m: Any) -> tuple[np.ndarray, np.ndarray]:
    He = np.asarray(params.H_e0 if H_e is None else H_e, dtype=float)
    Hm = np.asarray(params.H_m0 if H_m is None else H_m, dtype=float)
    for name, h in (("H_e", He), ("H_m", Hm)):
        if not (np.isfinite(h) & (h >= 0) & (h <= 1)).all():
            raise ValueError(f"{name} must be finite and in [0, 1] (got {h})")
    return He, Hm


def filtered_stimulus(S: Any, params: StaticParams, H_e: Any = None, H_m: Any = None):
    """x = beta S (1 - gamma_e H_e - gamma_m H_m); hurdles default to the baselines."""
    He, Hm = _hurdles(params, H_e, H_m)
    return params.beta * validate_pressure(S) * (1.0 - params.gamma_e * He - params.gamma_m * Hm)


def equilibrium_cooperation(S: Any, params: StaticParams, H_e: Any = None, H_m: Any = None):
    """C* = f(x): the level C settles at if S and the hurdles stay put."""
    return logistic(filtered_stimulus(S, params, H_e, H_m), params.k, params.x0)


def static_threshold(theta: Any, params: StaticParams, H_e: Any = None, H_m: Any = None):
    """Pressure S at which C* reaches ``theta`` with hurdles fixed (> 1: unreachable)."""
    theta = np.asarray(theta, dtype=float)
    if not ((theta > 0) & (theta < 1)).all():
        raise ValueError(f"theta must be in (0, 1) (got {theta})")
    He, Hm = _hurdles(params, H_e, H_m)
    filt = params.beta * (1.0 - params.gamma_e * He - params.gamma_m * Hm)
    with np.errstate(divide="ignore"):
        return np.where(filt > 0, (params.x0 + logit(theta) / params.k) / filt, np.inf)


def static_thresholds(params: StaticParams, H_e: Any = None, H_m: Any = None):
    """(S_E, S_A): pressure needed for entente and for alliance. Defaults: (0.70, 1.04)."""
    return (
        static_threshold(params.theta_E, params, H_e, H_m),
        static_threshold(params.theta_A, params, H_e, H_m),
    )


def as_static(params: StaticParams) -> StaticParams:
    """The static part of any parameter set (dynamic rates dropped)."""
    names = StaticParams.__dataclass_fields__
    return StaticParams(**{n: v for n, v in params.as_dict().items() if n in names})


def simulate_static(params: StaticParams, S: Any, *, C_init: Any = None) -> Trajectory:
    """Simulate §3a: hurdles stay at ``H_e0``, ``H_m0`` whatever S does."""
    return simulate(as_static(params), S, C_init=C_init)


def effective_hurdle(params: StaticParams, H_e, H_m) -> np.ndarray:
    """The one hurdle the static filter sees: ``(gamma_e H_e + gamma_m H_m) / (gamma_e + gamma_m)``.

    Raises ``ValueError`` when both weights are zero (the weighted mean is undefined)."""
    g = params.gamma_e + params.gamma_m
    if g <= 0:
        raise ValueError("effective_hurdle: gamma_e + gamma_m must be > 0 for an effective hurdle")
    return (params.gamma_e * np.asarray(H_e) + params.gamma_m * np.asarray(H_m)) / g
