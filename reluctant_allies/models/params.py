"""Model parameters: frozen dataclasses validated on construction (domain.md §3, §3d).

One validation routine serves both a single parameter set (the dataclasses) and a
whole grid of them (:class:`ParamGrid`, numpy arrays broadcast together), so a
sweep of 10^5 parameter sets is checked by the same rules as one chapter example.
Every error is a ``ValueError`` that names the parameter, its allowed range and
the offending value.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

__all__ = [
    "StaticParams",
    "DynamicParams",
    "ParamGrid",
    "Player",
    "AllianceGame",
    "HYSTERESIS_DEMO",
    "LOCK_IN",
    "POST_2022_GAME",
]

INF = math.inf
HURDLE_RATES = ("delta_e", "delta_m", "lambda_e", "lambda_m", "rho_e", "rho_m")


@dataclass(frozen=True)
class _Range:
    """Allowed interval for one parameter; ``lo_open``/``hi_open`` mark open ends."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def text(self) -> str:
        lo = "-inf" if self.lo == -INF else f"{self.lo:g}"
        hi = "inf" if self.hi == INF else f"{self.hi:g}"
        return f"{'(' if self.lo_open else '['}{lo}, {hi}{')' if self.hi_open else ']'}"

    def ok(self, v: np.ndarray) -> np.ndarray:
        above = v > self.lo if self.lo_open else v >= self.lo
        below = v < self.hi if self.hi_open else v <= self.hi
        return above & below


UNIT = _Range(0.0, 1.0)
OPEN_UNIT = _Range(0.0, 1.0, lo_open=True, hi_open=True)
POSITIVE = _Range(0.0, INF, lo_open=True, hi_open=True)
NONNEG = _Range(0.0, INF, hi_open=True)
REAL = _Range(-INF, INF, lo_open=True, hi_open=True)

#: Allowed range of every model parameter (domain.md §3 tables and §3d).
RANGES: dict[str, _Range] = {
    "beta": POSITIVE,
    "gamma_e": UNIT,
    "gamma_m": UNIT,
    "k": POSITIVE,
    "x0": REAL,
    "kappa": _Range(0.0, 1.0, lo_open=True),
    "theta_E": OPEN_UNIT,
    "theta_A": OPEN_UNIT,
    "H_e0": UNIT,
    "H_m0": UNIT,
    "C0": UNIT,
    "s0": _Range(0.0, 1.0, hi_open=True),
    "delta_e": NONNEG,
    "delta_m": NONNEG,
    "lambda_e": NONNEG,
    "lambda_m": NONNEG,
    "rho_e": NONNEG,
    "rho_m": NONNEG,
    # two-player game (§3c)
    "alpha": POSITIVE,
    "phi": NONNEG,
    "epsilon": NONNEG,
    "eta": NONNEG,
    "tau": NONNEG,
    "R": UNIT,
    "X": UNIT,
    "H_e": UNIT,
    "H_m": UNIT,
}

WHY = {
    "beta": "no systemic effect means the model is not neoclassical realism",
    "k": "the response must rise with the filtered stimulus",
    "alpha": "a binding ally must have some security value against pressure",
    "kappa": "partial adjustment with annual steps needs 0 < kappa <= 1",
}


def _where(bad: np.ndarray) -> str:
    if bad.ndim == 0:
        return ""
    return f" at grid index {tuple(int(i) for i in np.argwhere(bad)[0])}"


def _first(values: np.ndarray, bad: np.ndarray) -> float:
    return float(values[bad][0]) if values.ndim else float(values)


def _check_values(values: dict[str, Any], owner: str) -> dict[str, np.ndarray]:
    """Validate named values (scalars or arrays) against :data:`RANGES`; return float arrays."""
    out: dict[str, np.ndarray] = {}
    for name, value in values.items():
        if isinstance(value, bool | np.bool_) or not (
            isinstance(value, numbers.Real)
            or (isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.number))
        ):
            raise TypeError(f"{owner}: {name} must be a real number, got {value!r}")
        arr = np.asarray(value, dtype=float)
        rng = RANGES[name]
        finite = np.isfinite(arr)
        if not finite.all():
            raise ValueError(
                f"{owner}: {name} must be finite and in {rng.text()} "
                f"(got {_first(arr, ~finite)}{_where(~finite)})"
            )
        good = rng.ok(arr)
        if not good.all():
            why = f": {WHY[name]}" if name in WHY else ""
            raise ValueError(
                f"{owner}: {name} must be in {rng.text()} "
                f"(got {_first(arr, ~good)}{_where(~good)}){why}"
            )
        out[name] = arr
    return out


def _check_joint(v: dict[str, np.ndarray], owner: str) -> None:
    """Cross-parameter rules of §3d (sums computed exactly with math.fsum semantics)."""
    if "gamma_e" in v:
        total = v["gamma_e"] + v["gamma_m"]
        bad = total > 1.0
        if bad.any():
            raise ValueError(
                f"{owner}: gamma_e + gamma_m must be <= 1 (got {_first(total, bad):g}"
                f"{_where(bad)}): a larger sum lets the filtered stimulus turn negative, "
                "i.e. pressure pushing the partners apart, which is outside the theory"
            )
    if "theta_E" in v:
        bad = v["theta_E"] >= v["theta_A"]
        if bad.any():
            raise ValueError(
                f"{owner}: theta_E must be < theta_A, both in (0, 1) (got theta_E="
                f"{_first(np.broadcast_to(v['theta_E'], bad.shape), bad):g}, theta_A="
                f"{_first(np.broadcast_to(v['theta_A'], bad.shape), bad):g}{_where(bad)})"
            )
    for h in ("e", "m"):
        names = (f"delta_{h}", f"lambda_{h}", f"rho_{h}")
        if names[0] not in v:
            continue
        d, lam, r = np.broadcast_arrays(*(v[n] for n in names))
        # fsum-exact: 0.1 + 0.2 + 0.7 counts as 1, as a reader would expect.
        total = np.array(
            [math.fsum(t) for t in zip(d.ravel(), lam.ravel(), r.ravel(), strict=True)]
        ).reshape(d.shape)
        bad = total > 1.0
        if bad.any():
            raise ValueError(
                f"{owner}: {' + '.join(names)} must be <= 1 (got {_first(total, bad):g}"
                f"{_where(bad)}): with annual steps a larger sum lets H_{h} leave [0, 1] "
                "or oscillate"
            )


class _Validated:
    """Mixin: validate every dataclass field on construction, store plain floats."""

    def __post_init__(self) -> None:
        owner = type(self).__name__
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name in RANGES}
        checked = _check_values(values, owner)
        _check_joint(checked, owner)
        for name, arr in checked.items():
            object.__setattr__(self, name, float(arr))

    def replace(self, **changes: float):
        """A copy with some parameters changed (validated again)."""
        return replace(self, **changes)

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class StaticParams(_Validated):
    """Static neoclassical-realist model (§3a): hurdles fixed at ``H_e0``, ``H_m0``.

    ``x_t = beta S_t (1 - gamma_e H_e - gamma_m H_m)``, ``C*_t = f(x_t)``,
    ``C_{t+1} = C_t + kappa (C*_t - C_t)`` with ``f(x) = 1 / (1 + exp(-k (x - x0)))``.
    """

    beta: float = 1.0
    gamma_e: float = 0.3
    gamma_m: float = 0.3
    k: float = 8.0
    x0: float = 0.45
    kappa: float = 0.5
    theta_E: float = 0.5
    theta_A: float = 0.85
    H_e0: float = 0.6
    H_m0: float = 0.6
    C0: float = 0.1

    def to_dynamic(self) -> DynamicParams:
        """The same model as a dynamic one with every hurdle rate zero (hurdles never move)."""
        return DynamicParams(**self.as_dict(), **dict.fromkeys(HURDLE_RATES, 0.0))


@dataclass(frozen=True)
class DynamicParams(StaticParams):
    """Dynamic interaction model (§3b): hurdles respond to policy effort and cooperation.

    ``P_t = max(0, S_t - s0) / (1 - s0)``;
    ``H_i,t+1 = H_i,t - (delta_i P_t + lambda_i C_t) H_i,t + rho_i (H_i0 - H_i,t)``.
    Defaults: delta = (0.03, 0.08) is **[INFERENCE]** in domain.md (memory easier to
    manage than economic structure).
    """

    s0: float = 0.3
    delta_e: float = 0.03
    delta_m: float = 0.08
    lambda_e: float = 0.02
    lambda_m: float = 0.04
    rho_e: float = 0.05
    rho_m: float = 0.05

    def to_dynamic(self) -> DynamicParams:
        return self


#: "Hysteresis demo" preset (§3b prediction 3): slow hurdles, strong learning, weak rebound.
HYSTERESIS_DEMO = DynamicParams(
    delta_e=0.02, delta_m=0.05, lambda_e=0.10, lambda_m=0.15, rho_e=0.01, rho_m=0.01
)

#: "Lock-in" preset (§3b prediction 4): steep response and strong learning -> bistability.
LOCK_IN = DynamicParams(
    k=20.0,
    gamma_e=0.5,
    gamma_m=0.5,
    H_e0=0.8,
    H_m0=0.8,
    delta_e=0.01,
    delta_m=0.02,
    lambda_e=0.3,
    lambda_m=0.3,
    rho_e=0.05,
    rho_m=0.05,
)

DYNAMIC_NAMES = tuple(f.name for f in fields(DynamicParams))


class ParamGrid:
    """Many dynamic parameter sets at once: each field a float array, broadcast together.

    Build with :meth:`from_params` (one set, shape ``()``) or :meth:`sweep` (a base set
    with some fields replaced by arrays). Validated by the same rules as the dataclasses;
    an error names the parameter and the first grid index that breaks the rule.
    """

    __slots__ = ("shape", "values")

    def __init__(self, **values: Any) -> None:
        missing = set(DYNAMIC_NAMES) - set(values)
        extra = set(values) - set(DYNAMIC_NAMES)
        if missing or extra:
            raise ValueError(
                f"ParamGrid: need exactly the fields {DYNAMIC_NAMES}; "
                f"missing {sorted(missing)}, unknown {sorted(extra)}"
            )
        arrays = {n: v if isinstance(v, numbers.Real) else np.asarray(v) for n, v in values.items()}
        checked = _check_values(arrays, "ParamGrid")
        try:
            shape = np.broadcast_shapes(*(a.shape for a in checked.values()))
        except ValueError as err:
            raise ValueError(f"ParamGrid: parameter arrays do not broadcast: {err}") from None
        _check_joint(checked, "ParamGrid")
        self.shape: tuple[int, ...] = shape
        self.values: dict[str, np.ndarray] = checked

    @classmethod
    def from_params(cls, params: StaticParams) -> ParamGrid:
        return cls(**params.to_dynamic().as_dict())

    @classmethod
    def sweep(cls, base: StaticParams | None = None, **arrays: Any) -> ParamGrid:
        """``base`` (default: :class:`DynamicParams`) with the named fields replaced by arrays."""
        values = (base or DynamicParams()).to_dynamic().as_dict()
        unknown = set(arrays) - set(values)
        if unknown:
            raise ValueError(f"ParamGrid.sweep: unknown parameter(s) {sorted(unknown)}")
        values.update(arrays)
        return cls(**values)

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, index: Any) -> DynamicParams:
        """One parameter set of the grid, as a validated dataclass."""
        return DynamicParams(
            **{n: float(np.broadcast_to(a, self.shape)[index]) for n, a in self.values.items()}
        )

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))


@dataclass(frozen=True)
class Player(_Validated):
    """One state in the two-player alliance game (§3c), with its own pressure terms.

    ``R`` and ``X`` are this state's *own* realignment option and conflict exposure; they
    enter the *partner's* decision (abandonment and entrapment risk for the partner).
    """

    alpha: float = 1.0
    phi: float = 0.3
    epsilon: float = 0.4
    eta: float = 0.3
    tau: float = 0.2
    R: float = 0.2
    X: float = 0.3
    H_e: float = 0.6
    H_m: float = 0.6


@dataclass(frozen=True)
class AllianceGame:
    """Snyder-style alliance game between China and Russia (§3c).

    ``model`` supplies the hurdle weights (gamma), the response curve and the entente
    threshold theta_E used to place each state's cooperation level C_j = f(x_j).
    """

    china: Player = field(default_factory=Player)
    russia: Player = field(default_factory=Player)
    model: StaticParams = field(default_factory=StaticParams)

    def __post_init__(self) -> None:
        for name, cls in (("china", Player), ("russia", Player), ("model", StaticParams)):
            if not isinstance(getattr(self, name), cls):
                raise TypeError(f"AllianceGame: {name} must be a {cls.__name__}")


#: Illustrative post-2022 game **[INFERENCE]**: Russia at war (X_RU high), China keeps a
#: realignment option (R_CN > 0) while Russia has almost none (R_RU ~ 0). Not data.
POST_2022_GAME = AllianceGame(
    china=Player(R=0.3, X=0.3),
    russia=Player(R=0.05, X=0.8),
)
