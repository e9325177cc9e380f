"""Fitting and scoring (domain §3e): recovery, identification, criteria, baselines, C4 test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reluctant_allies.models import DynamicParams, simulate, up_down
from reluctant_allies.models.fitting import (
    FitSpec,
    baseline_random_walk,
    baseline_trend,
    fit_dynamic,
    fit_static,
    hurdle_pressure_test,
    score_table,
    standardise,
)

YEARS = np.arange(1990, 2025)
TRUTH = DynamicParams(k=10.0, x0=0.5, delta_m=0.12, rho_m=0.06, C0=0.15)
FREE = ("k", "x0", "delta_m", "rho_m", "C0")


def _pressure() -> np.ndarray:
    """Up, hold, down, then low: the fall in S is what identifies the rebound rate."""
    S = up_down(0.2, 0.95, 14, 5).S
    return np.r_[S, np.full(len(YEARS) - 1 - len(S), 0.3)]


def _data(noise: float, seed: int = 5):
    S = _pressure()
    tr = simulate(TRUTH, S)
    rng = np.random.default_rng(seed)
    proxies = pd.DataFrame(
        {
            "year": YEARS,
            "coop": tr.C + rng.normal(0, noise, len(YEARS)),
            "opinion": 0.9 - 0.8 * tr.H_m + rng.normal(0, noise, len(YEARS)),
        }
    )
    return proxies, pd.DataFrame({"year": YEARS[:-1], "value": S}), tr


LATENT = {"coop": "C", "opinion": "H_m"}
SPEC = FitSpec(free=FREE, calibration=(1990, 2018), holdout=(2019, 2024), standardise=False)


def test_recovers_known_parameters_from_noise_free_model_data():
    proxies, S, _ = _data(0.0)
    fit = fit_dynamic(proxies, S, LATENT, SPEC.replace(seed=1))
    for name in FREE:
        assert fit.estimates[name] == pytest.approx(getattr(TRUTH, name), rel=1e-5)
    assert fit.rss < 1e-12 and fit.holdout_rmse < 1e-6
    obs = fit.observation.set_index("proxy")
    assert obs.loc["opinion", "b"] == pytest.approx(-0.8, rel=1e-5)


def test_recovers_known_parameters_from_noisy_data_deterministically():
    proxies, S, _ = _data(0.003)
    a = fit_dynamic(proxies, S, LATENT, SPEC.replace(seed=3))
    b = fit_dynamic(proxies, S, LATENT, SPEC.replace(seed=3))
    assert a.estimates == b.estimates
    for name in FREE:
        assert a.estimates[name] == pytest.approx(getattr(TRUTH, name), rel=0.1)


def test_dynamic_beats_static_and_baselines_on_dynamic_data():
    proxies, S, _ = _data(0.003)
    dyn = fit_dynamic(proxies, S, LATENT, SPEC)
    sta = fit_static(proxies, S, LATENT, SPEC.replace(free=("k", "x0", "kappa", "C0")))
    trend = baseline_trend(proxies, calibration=(1990, 2018), standardise=False)
    walk = baseline_random_walk(proxies, calibration=(1990, 2018), standardise=False)
    assert dyn.n == sta.n == trend.n
    assert dyn.aic < sta.aic and dyn.bic < sta.bic and dyn.aicc < sta.aicc
    assert dyn.holdout_rmse < min(sta.holdout_rmse, trend.holdout_rmse, walk.holdout_rmse)
    table = score_table(dyn, sta, trend, walk)
    assert list(table["model"]) == ["dynamic model", "static model", "linear trend", "random walk"]
    assert {"AIC", "AICc", "BIC", "holdout_RMSE", "holdout_MAE"} <= set(table.columns)


def test_information_criteria_formulas():
    proxies, S, _ = _data(0.003)
    fit = fit_dynamic(proxies, S, LATENT, SPEC)
    n, p, rss = fit.n, fit.n_params, fit.rss
    assert p == len(FREE) + 1 + 2  # anchor offset; opinion a and b
    assert fit.aic == pytest.approx(n * math.log(rss / n) + 2 * p)
    assert fit.aicc == pytest.approx(fit.aic + 2 * p * (p + 1) / (n - p - 1))
    assert fit.bic == pytest.approx(n * math.log(rss / n) + p * math.log(n))


@pytest.mark.parametrize("name", ["theta_A", "theta_E", "beta"])
def test_non_identified_parameters_cannot_be_fitted(name):
    proxies, S, _ = _data(0.0)
    with pytest.raises(ValueError, match=f"{name} is not identified"):
        fit_dynamic(proxies, S, LATENT, SPEC.replace(free=("k", name)))


def test_fitting_theta_a_explains_why():
    proxies, S, _ = _data(0.0)
    with pytest.raises(ValueError, match="alliance outcome is 0 in every observed year"):
        fit_static(proxies, S, LATENT, FitSpec(free=("theta_A",)))


def test_bad_fit_requests_are_refused():
    proxies, S, _ = _data(0.0)
    with pytest.raises(ValueError, match="cannot fit 'gamma'"):
        fit_dynamic(proxies, S, LATENT, SPEC.replace(free=("gamma",)))
    with pytest.raises(ValueError, match="static model has no hurdle dynamics"):
        fit_static(proxies, S, LATENT, SPEC)
    with pytest.raises(ValueError, match="bounds reach invalid parameters: .*delta_m"):
        fit_dynamic(proxies, S, LATENT, SPEC.replace(bounds={"delta_m": (0.0, 0.99)}))
    with pytest.raises(ValueError, match="missing years \\[2010"):
        fit_dynamic(proxies, S.iloc[:20], LATENT, SPEC)
    with pytest.raises(ValueError, match="latent: 'coop' maps to 'X'"):
        fit_dynamic(proxies, S, {"coop": "X"}, SPEC)
    with pytest.raises(ValueError, match="proxies: duplicate year"):
        fit_dynamic(pd.concat([proxies, proxies.tail(1)]), S, LATENT, SPEC)


def test_standardise_uses_the_calibration_window_only():
    frame = pd.DataFrame({"year": [2000, 2001, 2002, 2003], "x": [2.0, 4.0, 6.0, 10.0]})
    out = standardise(frame, (2000, 2002))
    assert out["x"].tolist() == [0.0, 0.5, 1.0, 2.0]
    with pytest.raises(ValueError, match="proxies: x needs at least two different values"):
        standardise(frame.assign(x=1.0), (2000, 2002))


def test_baselines_on_exact_trend_data():
    years = np.arange(2000, 2020)
    frame = pd.DataFrame({"year": years, "y": 0.1 + 0.03 * (years - 2000)})
    trend = baseline_trend(frame, calibration=(2000, 2014), holdout=(2015, 2019), standardise=False)
    assert trend.rss < 1e-20 and trend.holdout_rmse < 1e-10
    walk = baseline_random_walk(
        frame, calibration=(2000, 2014), holdout=(2015, 2019), standardise=False
    )
    assert walk.n == 14  # the first calibration point has no predecessor
    hold = walk.fitted[walk.fitted.window == "holdout"]
    assert np.allclose(hold.predicted, 0.1 + 0.03 * 14)


def test_hurdle_pressure_test_finds_the_model_effect():
    proxies, S, tr = _data(0.0)
    rng = np.random.default_rng(0)
    hurdle = pd.DataFrame({"year": YEARS, "value": tr.H_m + rng.normal(0, 0.003, len(YEARS))})
    res = hurdle_pressure_test(hurdle, S)
    assert res.slope < 0 and res.p_value < 0.001 and res.aic_with_S < res.aic_null
    assert res.n == len(YEARS) - 1 and "annual changes" in res.note and res.mde_80 > 0


def test_hurdle_pressure_test_with_no_effect():
    _, S, _ = _data(0.0)
    rng = np.random.default_rng(11)
    hurdle = pd.DataFrame(
        {"year": YEARS, "value": 0.5 + np.cumsum(rng.normal(0, 0.01, len(YEARS)))}
    )
    res = hurdle_pressure_test(hurdle, S)
    assert res.p_value > 0.05 and abs(res.slope) < res.mde_80


def test_hurdle_pressure_test_uses_only_consecutive_observed_years_and_policy():
    _, S, tr = _data(0.0)
    hurdle = pd.DataFrame({"year": YEARS, "value": tr.H_m})
    hurdle.loc[hurdle.year.isin([2000, 2010]), "value"] = np.nan
    policy = pd.DataFrame({"year": YEARS, "themed": (YEARS >= 2006).astype(float)})
    res = hurdle_pressure_test(hurdle, S, policy=policy)
    assert res.n == len(YEARS) - 1 - 4
    with pytest.raises(ValueError, match="need at least"):
        hurdle_pressure_test(hurdle.iloc[:4], S)
