"""Confronting the models with proxies (domain.md §3e): fits, scores, baselines, the C4 test.

Recipe (the book's reconstruction, marked [INFERENCE] in domain.md):

1. Standardise each proxy to [0, 1] over the calibration window (min-max of that window
   only; the hold-out keeps the same scale, so it may leave [0, 1]).
2. Observation model ``y_k,t = a_k + b_k L_t + e_k,t`` with latent L in {C, H_e, H_m}. The
   nuisance a_k, b_k are profiled out by least squares at each step; the *anchor* proxy
   (first C proxy unless named) has ``b = 1`` for identification. beta is fixed (not
   identified apart from k and x0); theta_A and theta_E cannot be fitted at all.
3. Model parameters by bounded ``scipy.optimize.least_squares`` from several seeded starts.
4. ``AIC = n ln(RSS/n) + 2p``, ``AICc = AIC + 2p(p+1)/(n-p-1)``, ``BIC = n ln(RSS/n) + p ln n``.
5. Hold-out RMSE/MAE with parameters frozen at the end of the calibration window; the
   model is driven by the observed S (a forecast *conditional* on pressure).
6. Baselines every model must beat: a linear trend and a random walk per proxy.
7. The distinctive claim (system -> hurdles) separately: regress dH_t on S_{t-1} against a
   no-S null, with the minimum detectable effect at 80% power.

All inputs are data frames with an integer ``year`` column; results are deterministic
given ``seed``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .core import simulate_reference
from .params import HURDLE_RATES, DynamicParams, StaticParams
from .scenarios import Scenario, from_series

__all__ = [
    "DEFAULT_BOUNDS",
    "TOLERANCE",
    "FitResult",
    "FitSpec",
    "HurdleTest",
    "standardise",
    "fit_static",
    "fit_dynamic",
    "baseline_trend",
    "baseline_random_walk",
    "score_table",
    "hurdle_pressure_test",
]

LATENTS = ("C", "H_e", "H_m")

#: Search box for each fittable parameter. Rates are capped at 0.3 so every point of the
#: box keeps delta + lambda + rho <= 0.9 < 1, and gammas at 0.5 so gamma_e + gamma_m <= 1.
DEFAULT_BOUNDS: dict[str, tuple[float, float]] = {
    "k": (0.5, 40.0),
    "x0": (-1.0, 2.0),
    "kappa": (0.02, 1.0),
    "C0": (0.0, 1.0),
    "H_e0": (0.0, 1.0),
    "H_m0": (0.0, 1.0),
    "gamma_e": (0.0, 0.5),
    "gamma_m": (0.0, 0.5),
    "s0": (0.0, 0.9),
    "delta_e": (0.0, 0.3),
    "delta_m": (0.0, 0.3),
    "lambda_e": (0.0, 0.3),
    "lambda_m": (0.0, 0.3),
    "rho_e": (0.0, 0.3),
    "rho_m": (0.0, 0.3),
}

NOT_IDENTIFIED = {
    "theta_A": (
        "theta_A is not identified: the formal-alliance outcome is 0 in every observed year, "
        "so the data say only that theta_A lies above the highest C; set it from Korolev's "
        "alliance criteria and vary it in [0.75, 0.95] as a sensitivity check"
    ),
    "theta_E": "theta_E is not identified: it labels C but does not change its path; set it",
    "beta": "beta is not identified apart from k and x0 (f(k(beta x - x0))); it stays fixed",
}

#: Stopping tolerance of every fit (``ftol``, ``xtol`` and ``gtol`` of least_squares).
#: scipy's default 1e-8 stops each start somewhere in a flat valley: starts that reach the
#: same cost (to 1e-11) then differ by up to 8e-5 in the parameters, so which one "wins"
#: -- decided by rounding noise that differs between CPUs -- moved chapter 11's fourth
#: printed digit. At 1e-12 the starts that agree differ by at most about 3e-6; the chapter
#: prints three significant digits (a unit of at least 1e-3 of each value), so the
#: last printed digit is far above what the fit can move. tests/test_perturbation.py
#: holds that margin; loosening this value back fails it.
TOLERANCE = 1e-12
#: Two starts "agree" when their costs are within this relative gap and their parameters
#: within this share of the search box: they found the same minimum.
AGREE_COST, AGREE_BOX = 1e-9, 1e-4

STATIC_FREE = ("k", "x0", "kappa", "C0")
DYNAMIC_FREE = ("k", "x0", "kappa", "C0", "delta_e", "delta_m", "rho_e", "rho_m")


# ---- what a fit is asked to do ------------------------------------------------------


@dataclass(frozen=True)
class FitSpec:
    """Everything a model fit is told besides its data: windows, search box, starts.

    ``free``: the parameters to fit (``None``: the model's own list, :data:`STATIC_FREE`
    or :data:`DYNAMIC_FREE`); ``base``: the fixed parameters and the first start
    (``None``: the model's defaults); ``calibration``/``holdout``: inclusive year windows,
    the hold-out after the calibration (``None``: no hold-out); ``anchor``: the C proxy
    with slope 1 (``None``: the first C proxy of ``latent``); ``bounds``: search-box
    overrides of :data:`DEFAULT_BOUNDS`; ``n_starts`` starts, the first at ``base`` and
    the rest drawn from ``seed``; ``standardise=False`` when the proxies are already on
    the latent's 0-1 scale (e.g. data simulated by the model).

    Checked on construction; each error names the field. What needs the data or the
    model (anchor is a C proxy, the box keeps the parameters valid) is checked by the fit.
    """

    free: tuple[str, ...] | None = None
    base: StaticParams | None = None
    calibration: tuple[int, int] = (1996, 2018)
    holdout: tuple[int, int] | None = (2019, 2024)
    anchor: str | None = None
    bounds: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    n_starts: int = 8
    seed: int = 0
    standardise: bool = True

    def __post_init__(self) -> None:
        def set_(name: str, value: Any) -> None:  # normalised values on a frozen instance
            object.__setattr__(self, name, value)

        if self.free is not None:
            set_("free", _check_free_names(self.free))
        if self.base is not None and not isinstance(self.base, StaticParams):
            raise ValueError(
                "FitSpec.base must be StaticParams, DynamicParams or None "
                f"(got {type(self.base).__name__})"
            )
        set_("calibration", _window(self.calibration, "FitSpec.calibration"))
        if self.holdout is not None:
            set_("holdout", _window(self.holdout, "FitSpec.holdout"))
            if self.holdout[0] <= self.calibration[1]:
                raise ValueError(
                    f"FitSpec.holdout {self.holdout} must start after the calibration "
                    f"window {self.calibration}"
                )
        if self.anchor is not None and (not isinstance(self.anchor, str) or not self.anchor):
            raise ValueError(f"FitSpec.anchor must be a proxy name or None (got {self.anchor!r})")
        set_("bounds", MappingProxyType(_check_bounds(self.bounds)))
        for name in ("n_starts", "seed"):
            value = getattr(self, name)
            least = 1 if name == "n_starts" else 0
            if not _is_int(value) or value < least:
                raise ValueError(f"FitSpec.{name} must be an integer >= {least} (got {value!r})")
            set_(name, int(value))
        if not isinstance(self.standardise, bool | np.bool_):
            raise ValueError(
                f"FitSpec.standardise must be True or False (got {self.standardise!r})"
            )
        set_("standardise", bool(self.standardise))

    def replace(self, **changes: Any) -> FitSpec:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    @property
    def box(self) -> dict[str, tuple[float, float]]:
        """The search box of every fittable parameter: the defaults with ``bounds`` over them."""
        return {**DEFAULT_BOUNDS, **self.bounds}


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def _check_free_names(free: Any) -> tuple[str, ...]:
    if isinstance(free, str) or not isinstance(free, Sequence):
        raise ValueError(f"FitSpec.free must be a sequence of parameter names (got {free!r})")
    for name in free:
        if name in NOT_IDENTIFIED:
            raise ValueError(NOT_IDENTIFIED[name])
        if name not in DEFAULT_BOUNDS:
            raise ValueError(
                f"FitSpec.free: cannot fit {name!r}: fittable parameters are "
                f"{sorted(DEFAULT_BOUNDS)}"
            )
    if len(set(free)) != len(free) or not free:
        raise ValueError(f"FitSpec.free must name distinct parameters (got {list(free)})")
    return tuple(free)


def _check_bounds(bounds: Any) -> dict[str, tuple[float, float]]:
    if not isinstance(bounds, Mapping):
        raise ValueError(
            f"FitSpec.bounds must map parameter names to (lower, upper) (got {bounds!r})"
        )
    out = {}
    for name, pair in bounds.items():
        if name not in DEFAULT_BOUNDS:
            raise ValueError(
                f"FitSpec.bounds: {name!r} is not fittable; fittable parameters are "
                f"{sorted(DEFAULT_BOUNDS)}"
            )
        try:
            lo, hi = (float(v) for v in pair)
        except (TypeError, ValueError):
            raise ValueError(
                f"FitSpec.bounds[{name!r}] must be two numbers (lower, upper) (got {pair!r})"
            ) from None
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(
                f"FitSpec.bounds[{name!r}] must be finite with lower < upper (got {pair!r})"
            )
        out[name] = (lo, hi)
    return out


# ---- input checks -------------------------------------------------------------------


def _check_years(df: pd.DataFrame, what: str) -> np.ndarray:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(df).__name__}")
    if "year" not in df.columns:
        raise ValueError(f"{what}: missing column 'year' (have {list(df.columns)})")
    years = df["year"].to_numpy()
    if not np.issubdtype(years.dtype, np.integer):
        raise ValueError(f"{what}: 'year' must hold integers (dtype {years.dtype})")
    for row in range(1, len(years)):
        if years[row] <= years[row - 1]:
            kind = "duplicate" if years[row] == years[row - 1] else "unsorted"
            raise ValueError(f"{what}: {kind} year {years[row]} (row {row})")
    return years


def _window(w: Sequence[int], name: str) -> tuple[int, int]:
    if (
        not hasattr(w, "__len__")
        or len(w) != 2
        or not all(isinstance(x, int | np.integer) for x in w)
        or w[0] > w[1]
    ):
        raise ValueError(f"{name} must be (first_year, last_year) integers in order (got {w!r})")
    return int(w[0]), int(w[1])


def standardise(proxies: pd.DataFrame, calibration: Sequence[int]) -> pd.DataFrame:
    """Min-max scale each proxy column to [0, 1] using the calibration window only."""
    years = _check_years(proxies, "proxies")
    c0, c1 = _window(calibration, "calibration")
    out = proxies.copy()
    inside = (years >= c0) & (years <= c1)
    for col in proxies.columns.drop("year"):
        vals = pd.to_numeric(proxies[col], errors="raise").to_numpy(dtype=float)
        if np.isinf(vals).any():
            raise ValueError(f"proxies: {col} has an infinite value")
        cal = vals[inside & ~np.isnan(vals)]
        if cal.size < 2 or np.ptp(cal) == 0:
            raise ValueError(
                f"proxies: {col} needs at least two different values in the calibration window "
                f"{c0}-{c1} to be standardised (got {cal.size} observed)"
            )
        out[col] = (vals - cal.min()) / np.ptp(cal)
    return out


# ---- results ------------------------------------------------------------------------


def _criteria(rss: float, n: int, p: int) -> tuple[float, float, float]:
    if n == 0:
        return math.nan, math.nan, math.nan
    ll = n * math.log(max(rss, 1e-300) / n)
    aic = ll + 2 * p
    aicc = aic + 2 * p * (p + 1) / (n - p - 1) if n - p - 1 > 0 else math.inf
    return aic, aicc, ll + p * math.log(n)


def _errors(res: np.ndarray) -> tuple[float, float]:
    if res.size == 0:
        return math.nan, math.nan
    return float(np.sqrt(np.mean(res**2))), float(np.mean(np.abs(res)))


@dataclass(frozen=True)
class FitResult:
    """Scores of one model or baseline; ``fitted`` has year, proxy, observed, predicted, window."""

    name: str
    n: int
    n_params: int
    rss: float
    holdout_rmse: float
    holdout_mae: float
    n_holdout: int
    fitted: pd.DataFrame
    params: DynamicParams | None = None
    estimates: dict[str, float] = field(default_factory=dict)
    observation: pd.DataFrame | None = None
    note: str = ""
    starts_agree: int = 0  # model fits: starts that reach the best minimum (0: no search)

    @property
    def aic(self) -> float:
        return _criteria(self.rss, self.n, self.n_params)[0]

    @property
    def aicc(self) -> float:
        return _criteria(self.rss, self.n, self.n_params)[1]

    @property
    def bic(self) -> float:
        return _criteria(self.rss, self.n, self.n_params)[2]

    def row(self) -> dict[str, Any]:
        return {
            "model": self.name,
            "n": self.n,
            "params": self.n_params,
            "RSS": self.rss,
            "AIC": self.aic,
            "AICc": self.aicc,
            "BIC": self.bic,
            "holdout_n": self.n_holdout,
            "holdout_RMSE": self.holdout_rmse,
            "holdout_MAE": self.holdout_mae,
            "note": self.note,
        }


def score_table(*results: FitResult) -> pd.DataFrame:
    """One row per model or baseline, for the chapter's comparison table."""
    return pd.DataFrame([r.row() for r in results])


# ---- model fits ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    """Long table of standardised observations, with latent and window of each."""

    years: np.ndarray  # observation year
    proxy: np.ndarray  # proxy name
    y: np.ndarray
    cal: np.ndarray  # bool: in calibration window
    hold: np.ndarray  # bool: in hold-out window


def _long(proxies: pd.DataFrame, cols: Sequence[str], cal, hold) -> _Data:
    long = proxies.melt(id_vars="year", value_vars=list(cols), var_name="proxy").dropna()
    yr = long["year"].to_numpy()
    c_in = (yr >= cal[0]) & (yr <= cal[1])
    h_in = (yr >= hold[0]) & (yr <= hold[1]) if hold else np.zeros(len(yr), bool)
    keep = c_in | h_in
    return _Data(
        years=yr[keep],
        proxy=long["proxy"].to_numpy()[keep],
        y=long["value"].to_numpy(dtype=float)[keep],
        cal=c_in[keep],
        hold=h_in[keep],
    )


def _fitted_frame(data: _Data, pred: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": data.years,
            "proxy": data.proxy,
            "observed": data.y,
            "predicted": pred,
            "window": np.where(data.cal, "calibration", "holdout"),
        }
    )


def _prepare(proxies, S, latent, spec: FitSpec):
    cal, hold = spec.calibration, spec.holdout
    _check_years(proxies, "proxies")
    if not latent:
        raise ValueError("latent must map at least one proxy column to 'C', 'H_e' or 'H_m'")
    for col, lat in latent.items():
        if col not in proxies.columns:
            raise ValueError(f"latent: proxy {col!r} is not a column of proxies")
        if lat not in LATENTS:
            raise ValueError(f"latent: {col!r} maps to {lat!r}; allowed: {LATENTS}")
    if "C" not in latent.values():
        raise ValueError("latent: at least one proxy must measure cooperation 'C' (the anchor)")
    frame = proxies[["year", *latent]]
    if spec.standardise:
        frame = standardise(frame, cal)
    data = _long(frame, list(latent), cal, hold)
    for col in latent:
        if np.sum(data.cal & (data.proxy == col)) < 2:
            raise ValueError(f"proxies: {col} has fewer than 2 observations in {cal}")
    sc = S if isinstance(S, Scenario) else from_series(S)
    last = int(data.years.max())
    need = np.arange(cal[0], last)  # C in year y needs S up to year y - 1
    missing = np.setdiff1d(need, sc.years)
    if missing.size:
        raise ValueError(f"S series: missing years {missing.tolist()} needed to simulate to {last}")
    S_path = sc.S[(sc.years >= cal[0]) & (sc.years < last)]
    return data, S_path, cal


def _box(free: tuple[str, ...], bounds: Mapping[str, tuple[float, float]], base):
    """Lower and upper ends of the search box; every corner must be a valid model."""
    lo = np.array([bounds[n][0] for n in free], dtype=float)
    hi = np.array([bounds[n][1] for n in free], dtype=float)
    for corner in (lo, hi):  # sums are monotone, so valid corners mean a valid box
        try:
            base.replace(**dict(zip(free, corner, strict=True)))
        except ValueError as err:
            raise ValueError(f"fitting bounds reach invalid parameters: {err}") from None
    return lo, hi


class _Objective:
    """Residuals of the anchored observation model for a vector of free parameters."""

    def __init__(self, base, free, data: _Data, S_path, start_year, latent, anchor):
        self.base, self.free, self.data, self.S = base, tuple(free), data, S_path
        self.idx = data.years - start_year  # state index of each observation
        self.latent = np.array([latent[p] for p in data.proxy])
        self.anchor = anchor
        self.groups = {p: np.flatnonzero(data.proxy == p) for p in latent}

    def params(self, theta) -> DynamicParams:
        return self.base.replace(**dict(zip(self.free, map(float, theta), strict=True)))

    def latent_values(self, p: DynamicParams) -> np.ndarray:
        C, He, Hm = simulate_reference(p, self.S)
        paths = {"C": np.asarray(C), "H_e": np.asarray(He), "H_m": np.asarray(Hm)}
        out = np.empty(len(self.idx))
        for lat, path in paths.items():
            m = self.latent == lat
            out[m] = path[self.idx[m]]
        return out

    def observation(self, L: np.ndarray) -> dict[str, tuple[float, float, int]]:
        """(a, b, number of nuisance parameters) per proxy, from calibration rows."""
        coef = {}
        for proxy, rows in self.groups.items():
            rows = rows[self.data.cal[rows]]
            y, x = self.data.y[rows], L[rows]
            if proxy == self.anchor:
                coef[proxy] = (float(np.mean(y - x)), 1.0, 1)
            elif np.ptp(x) < 1e-12:  # latent constant (e.g. static hurdles): mean only
                coef[proxy] = (float(np.mean(y)), 0.0, 1)
            else:
                b, a = np.polyfit(x, y, 1)
                coef[proxy] = (float(a), float(b), 2)
        return coef

    def predictions(self, theta) -> tuple[np.ndarray, dict]:
        L = self.latent_values(self.params(theta))
        coef = self.observation(L)
        a = np.array([coef[p][0] for p in self.data.proxy])
        b = np.array([coef[p][1] for p in self.data.proxy])
        return a + b * L, coef

    def __call__(self, theta) -> np.ndarray:
        pred, _ = self.predictions(theta)
        return (self.data.y - pred)[self.data.cal]


def _fit(name: str, proxies, S, latent, base: DynamicParams, spec: FitSpec) -> FitResult:
    """The fit both models share; ``base`` is the model's starting point as dynamic params."""
    free = spec.free
    data, S_path, cal = _prepare(proxies, S, latent, spec)
    anchor = spec.anchor or next(col for col, lat in latent.items() if lat == "C")
    if latent.get(anchor) != "C":
        raise ValueError(f"FitSpec.anchor {anchor!r} must be a proxy of C")
    lo, hi = _box(free, spec.box, base)
    obj = _Objective(base, free, data, S_path, cal[0], latent, anchor)
    first = np.clip([getattr(base, n) for n in free], lo, hi)
    starts = _starts(first, lo, hi, spec.n_starts, spec.seed)
    sols = [
        optimize.least_squares(
            obj,
            x0,
            bounds=(lo, hi),
            method="trf",
            x_scale="jac",
            ftol=TOLERANCE,
            xtol=TOLERANCE,
            gtol=TOLERANCE,
        )
        for x0 in starts
    ]
    best = min(sols, key=lambda sol: sol.cost)
    agree = _agreeing(sols, best, hi - lo)
    pred, coef = obj.predictions(best.x)
    res = data.y - pred
    rmse, mae = _errors(res[data.hold])
    return FitResult(
        name=name,
        n=int(data.cal.sum()),
        n_params=len(free) + sum(c[2] for c in coef.values()),
        rss=float(np.sum(res[data.cal] ** 2)),
        holdout_rmse=rmse,
        holdout_mae=mae,
        n_holdout=int(data.hold.sum()),
        fitted=_fitted_frame(data, pred),
        params=obj.params(best.x),
        estimates=dict(zip(free, map(float, best.x), strict=True)),
        observation=pd.DataFrame(
            [(p, a, b) for p, (a, b, _) in coef.items()], columns=["proxy", "a", "b"]
        ),
        note=(
            f"best of {len(starts)} seeded starts (seed {spec.seed}), {agree} of which reach the "
            f"same minimum; anchor {anchor} (b = 1)"
        ),
        starts_agree=agree,
    )


def _starts(first: np.ndarray, lo: np.ndarray, hi: np.ndarray, n: int, seed: int) -> list:
    """The base parameters, then ``n - 1`` uniform draws in the box from ``seed``."""
    rng = np.random.default_rng(seed)
    return [first, *(rng.uniform(lo, hi) for _ in range(n - 1))]


def _agreeing(sols, best, width: np.ndarray) -> int:
    """How many solutions reach ``best``'s minimum (cost and place, see AGREE_*)."""
    return sum(
        sol.cost <= best.cost + AGREE_COST * (1.0 + best.cost)
        and bool(np.all(np.abs(sol.x - best.x) <= AGREE_BOX * width))
        for sol in sols
    )


def fit_static(
    proxies: pd.DataFrame,
    S: pd.DataFrame | Scenario,
    latent: Mapping[str, str],
    spec: FitSpec = FitSpec(),
) -> FitResult:
    """Fit the static model (§3a: hurdles fixed at the base levels) to proxies.

    ``proxies``: year + one column per proxy; ``latent`` maps each proxy used to "C",
    "H_e" or "H_m"; ``S``: a frame with ``year`` and ``value`` (or a Scenario) covering
    the calibration start to the last observed year. ``spec``: windows, free parameters
    (default :data:`STATIC_FREE`), base (default ``StaticParams()``), box and starts.
    """
    spec = _spec(spec, STATIC_FREE)
    rates = {n for n in spec.free if n.startswith(("delta", "lambda", "rho", "s0"))}
    if rates:
        raise ValueError(f"the static model has no hurdle dynamics; cannot fit {sorted(rates)}")
    base = (spec.base or StaticParams()).to_dynamic()
    base = base.replace(**dict.fromkeys(HURDLE_RATES, 0.0))
    return _fit("static model", proxies, S, latent, base, spec)


def fit_dynamic(
    proxies: pd.DataFrame,
    S: pd.DataFrame | Scenario,
    latent: Mapping[str, str],
    spec: FitSpec = FitSpec(),
) -> FitResult:
    """Fit the dynamic model (§3b) to proxies; as :func:`fit_static`, with the free
    parameters :data:`DYNAMIC_FREE` and the base ``DynamicParams()`` by default."""
    spec = _spec(spec, DYNAMIC_FREE)
    base = (spec.base or DynamicParams()).to_dynamic()
    return _fit("dynamic model", proxies, S, latent, base, spec)


def _spec(spec: FitSpec, default_free: tuple[str, ...]) -> FitSpec:
    if not isinstance(spec, FitSpec):
        raise TypeError(f"spec must be a FitSpec (got {type(spec).__name__})")
    return spec if spec.free is not None else spec.replace(free=default_free)


# ---- baselines ----------------------------------------------------------------------


def _baseline_data(proxies, columns, calibration, holdout, standardise_proxies):
    cal = _window(calibration, "calibration")
    hold = _window(holdout, "holdout") if holdout is not None else None
    _check_years(proxies, "proxies")
    cols = list(columns) if columns is not None else list(proxies.columns.drop("year"))
    frame = proxies[["year", *cols]]
    if standardise_proxies:
        frame = standardise(frame, cal)
    return _long(frame, cols, cal, hold), cols


def _baseline_result(name, data, pred, used, n_params, note) -> FitResult:
    res = data.y - pred
    in_cal = data.cal & used
    rmse, mae = _errors(res[data.hold])
    return FitResult(
        name=name,
        n=int(in_cal.sum()),
        n_params=n_params,
        rss=float(np.nansum(res[in_cal] ** 2)),
        holdout_rmse=rmse,
        holdout_mae=mae,
        n_holdout=int(data.hold.sum()),
        fitted=_fitted_frame(data, pred),
        note=note,
    )


def baseline_trend(
    proxies: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    calibration: Sequence[int] = (1996, 2018),
    holdout: Sequence[int] | None = (2019, 2024),
    standardise: bool = True,
) -> FitResult:
    """Linear trend a_k + b_k year per proxy, fitted on the calibration window, extrapolated."""
    data, cols = _baseline_data(proxies, columns, calibration, holdout, standardise)
    pred = np.full(len(data.y), np.nan)
    for col in cols:
        m = data.proxy == col
        c = m & data.cal
        if c.sum() < 2:
            raise ValueError(f"proxies: {col} has fewer than 2 observations in {calibration}")
        b, a = np.polyfit(data.years[c].astype(float), data.y[c], 1)
        pred[m] = a + b * data.years[m]
    return _baseline_result(
        "linear trend",
        data,
        pred,
        np.ones(len(pred), bool),
        2 * len(cols),
        "2 parameters per proxy",
    )


def baseline_random_walk(
    proxies: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    calibration: Sequence[int] = (1996, 2018),
    holdout: Sequence[int] | None = (2019, 2024),
    standardise: bool = True,
) -> FitResult:
    """Random walk: in-sample each observation predicts the next; the hold-out is
    forecast flat from the last calibration value. In-sample n excludes each proxy's
    first observation (nothing predicts it), so compare its criteria with care."""
    data, cols = _baseline_data(proxies, columns, calibration, holdout, standardise)
    pred = np.full(len(data.y), np.nan)
    for col in cols:
        rows = np.flatnonzero((data.proxy == col) & data.cal)
        pred[rows[1:]] = data.y[rows[:-1]]
        hold = (data.proxy == col) & data.hold
        pred[hold] = data.y[rows[-1]]
    used = ~np.isnan(pred)
    return _baseline_result(
        "random walk", data, pred, used, 0, "no parameters; n excludes each proxy's first point"
    )


# ---- the distinctive claim: system -> hurdles -----------------------------------------


@dataclass(frozen=True)
class HurdleTest:
    """dH_t = a + b S_{t-1} (+ policy) + e against the same regression without S."""

    n: int
    slope: float
    se: float
    t: float
    p_value: float
    aic_null: float
    aic_with_S: float
    mde_80: float
    note: str


def _change_rows(years: np.ndarray, h: np.ndarray, s_of: dict) -> list[tuple]:
    """(year, dH, S of the year before) for each consecutive observed pair with S known."""
    return [
        (years[i], h[i] - h[i - 1], s_of[years[i] - 1])
        for i in range(1, len(years))
        if years[i] == years[i - 1] + 1
        and np.isfinite(h[i])
        and np.isfinite(h[i - 1])
        and years[i] - 1 in s_of
    ]


def _policy_columns(policy: pd.DataFrame | None, rows: list[tuple]) -> np.ndarray:
    """The policy dummies for each row's year (no columns without ``policy``)."""
    extra = np.zeros((len(rows), 0))
    if policy is not None:
        pyears = _check_years(policy, "policy")
        cols = list(policy.columns.drop("year"))
        lookup = {int(y): policy.loc[i, cols].to_numpy(dtype=float) for i, y in enumerate(pyears)}
        missing = [r[0] for r in rows if int(r[0]) not in lookup]
        if missing:
            raise ValueError(f"policy: no row for year(s) {missing}")
        extra = np.array([lookup[int(r[0])] for r in rows]).reshape(len(rows), len(cols))
    return extra


def hurdle_pressure_test(
    hurdle: pd.DataFrame,
    S: pd.DataFrame | Scenario,
    *,
    value: str = "value",
    policy: pd.DataFrame | None = None,
) -> HurdleTest:
    """Test C4 directly: does last year's pressure predict this year's change in a hurdle?

    ``hurdle``: year + ``value`` (NaN = not observed); only consecutive observed pairs give
    a dH. ``policy``: optional year + dummy columns (e.g. themed years) in both models.
    The two-sided p-value is the F test of adding S_{t-1}; ``mde_80`` is the smallest
    |slope| this design would detect with 80% power at the 5% level.
    """
    years = _check_years(hurdle, "hurdle")
    if value not in hurdle.columns:
        raise ValueError(f"hurdle: missing column {value!r}")
    h = pd.to_numeric(hurdle[value], errors="raise").to_numpy(dtype=float)
    sc = S if isinstance(S, Scenario) else from_series(S)
    s_of = dict(zip(sc.years.tolist(), sc.S.tolist(), strict=True))
    rows = _change_rows(years, h, s_of)
    extra = _policy_columns(policy, rows)
    n = len(rows)
    k_null = 1 + extra.shape[1]
    if n < k_null + 3:
        raise ValueError(
            f"hurdle: only {n} consecutive-year changes with S available; need at least "
            f"{k_null + 3} for the test"
        )
    dh = np.array([r[1] for r in rows])
    s_lag = np.array([r[2] for r in rows])
    X0 = np.column_stack([np.ones(n), extra])
    X1 = np.column_stack([X0, s_lag])
    rss0 = float(np.sum((dh - X0 @ np.linalg.lstsq(X0, dh, rcond=None)[0]) ** 2))
    beta1 = np.linalg.lstsq(X1, dh, rcond=None)[0]
    rss1 = float(np.sum((dh - X1 @ beta1) ** 2))
    df = n - X1.shape[1]
    sigma2 = rss1 / df
    cov = sigma2 * np.linalg.pinv(X1.T @ X1)
    se = float(np.sqrt(cov[-1, -1]))
    slope = float(beta1[-1])
    t = slope / se if se > 0 else math.inf
    F = (rss0 - rss1) / sigma2 if sigma2 > 0 else math.inf
    p = float(stats.f.sf(F, 1, df))
    mde = float((stats.t.ppf(0.975, df) + stats.t.ppf(0.8, df)) * se)
    return HurdleTest(
        n=n,
        slope=slope,
        se=se,
        t=t,
        p_value=p,
        aic_null=_criteria(rss0, n, X0.shape[1])[0],
        aic_with_S=_criteria(rss1, n, X1.shape[1])[0],
        mde_80=mde,
        note=(
            f"{n} annual changes: with so few points only effects of about {mde:.3g} per unit "
            "of S or larger are likely to be detected; a non-significant result is weak "
            "evidence of no effect"
        ),
    )
