"""FitSpec: one validated value for everything a fit is told besides its data."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from reluctant_allies.models import DynamicParams, StaticParams, simulate, up_down
from reluctant_allies.models.fitting import (
    DEFAULT_BOUNDS,
    DYNAMIC_FREE,
    STATIC_FREE,
    FitSpec,
    fit_dynamic,
    fit_static,
)

YEARS = np.arange(1990, 2025)
LATENT = {"coop": "C", "opinion": "H_m"}


def _data():
    S = up_down(0.2, 0.95, 14, 5).S
    S = np.r_[S, np.full(len(YEARS) - 1 - len(S), 0.3)]
    tr = simulate(DynamicParams(k=10.0, x0=0.5, delta_m=0.12, rho_m=0.06, C0=0.15), S)
    proxies = pd.DataFrame({"year": YEARS, "coop": tr.C, "opinion": 0.9 - 0.8 * tr.H_m})
    return proxies, pd.DataFrame({"year": YEARS[:-1], "value": S})


def test_defaults_are_the_chapter_settings():
    spec = FitSpec()
    assert spec.free is None and spec.base is None and spec.anchor is None
    assert spec.calibration == (1996, 2018) and spec.holdout == (2019, 2024)
    assert spec.n_starts == 8 and spec.seed == 0 and spec.standardise is True
    assert spec.box == DEFAULT_BOUNDS


def test_values_are_normalised_and_the_spec_is_frozen():
    spec = FitSpec(
        free=["k", "x0"],
        calibration=[np.int64(1990), 2010],
        bounds={"k": [1, 30]},
        seed=np.int64(4),
    )
    assert spec.free == ("k", "x0") and spec.calibration == (1990, 2010)
    assert type(FitSpec(seed=np.int64(4)).seed) is int and spec.bounds == {"k": (1.0, 30.0)}
    assert spec.box["k"] == (1.0, 30.0) and spec.box["x0"] == DEFAULT_BOUNDS["x0"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.seed = 1
    with pytest.raises(TypeError):
        spec.bounds["k"] = (0.0, 1.0)  # a read-only view: the box cannot change behind a fit
    assert spec.replace(seed=2).seed == 2 and spec.seed == 4


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("free", "k", "FitSpec.free must be a sequence"),
        ("free", ("k", "k"), "FitSpec.free must name distinct"),
        ("free", (), "FitSpec.free must name distinct"),
        ("free", ("gamma",), "FitSpec.free: cannot fit 'gamma'"),
        ("free", ("k", "beta"), "beta is not identified"),
        ("base", {"k": 1.0}, "FitSpec.base must be StaticParams"),
        ("calibration", (2018, 1996), "FitSpec.calibration must be"),
        ("calibration", (1996.0, 2018.0), "FitSpec.calibration must be"),
        ("calibration", 1996, "FitSpec.calibration must be"),
        ("holdout", (2019,), "FitSpec.holdout must be"),
        ("holdout", (2018, 2024), "FitSpec.holdout \\(2018, 2024\\) must start after"),
        ("anchor", "", "FitSpec.anchor must be"),
        ("anchor", 3, "FitSpec.anchor must be"),
        ("bounds", [("k", (0, 1))], "FitSpec.bounds must map"),
        ("bounds", {"beta": (0.5, 2.0)}, "FitSpec.bounds: 'beta' is not fittable"),
        ("bounds", {"k": (1.0,)}, "FitSpec.bounds\\['k'\\] must be two numbers"),
        ("bounds", {"k": (5.0, 5.0)}, "FitSpec.bounds\\['k'\\] must be finite with lower < up"),
        ("bounds", {"k": (0.5, np.inf)}, "FitSpec.bounds\\['k'\\] must be finite"),
        ("n_starts", 0, "FitSpec.n_starts must be an integer >= 1"),
        ("n_starts", 2.0, "FitSpec.n_starts must be an integer"),
        ("n_starts", True, "FitSpec.n_starts must be an integer"),
        ("seed", -1, "FitSpec.seed must be an integer >= 0"),
        ("seed", "0", "FitSpec.seed must be an integer"),
        ("standardise", "yes", "FitSpec.standardise must be True or False"),
    ],
)
def test_each_bad_field_is_refused_by_name(field, value, message):
    with pytest.raises(ValueError, match=message):
        FitSpec(**{field: value})
    with pytest.raises(ValueError, match=message):  # replace validates again
        FitSpec().replace(**{field: value})


def test_a_window_exactly_adjacent_is_accepted():
    assert FitSpec(calibration=(1996, 2018), holdout=(2019, 2019)).holdout == (2019, 2019)
    assert FitSpec(holdout=None).holdout is None


def test_free_none_means_each_models_own_list():
    proxies, S = _data()
    spec = FitSpec(calibration=(1990, 2018), standardise=False, n_starts=1)
    assert tuple(fit_static(proxies, S, LATENT, spec).estimates) == STATIC_FREE
    assert tuple(fit_dynamic(proxies, S, LATENT, spec).estimates) == DYNAMIC_FREE


def test_the_static_fit_keeps_hurdles_fixed_whatever_the_base():
    proxies, S = _data()
    base = DynamicParams(delta_m=0.2, rho_m=0.1)  # rates the static fit must zero
    spec = FitSpec(base=base, calibration=(1990, 2018), standardise=False, n_starts=1)
    fit = fit_static(proxies, S, LATENT, spec)
    rates = ("delta_e", "delta_m", "lambda_e", "lambda_m", "rho_e", "rho_m")
    assert all(getattr(fit.params, r) == 0.0 for r in rates)
    with pytest.raises(ValueError, match="static model has no hurdle dynamics; cannot fit"):
        fit_static(proxies, S, LATENT, spec.replace(free=("k", "s0")))


def test_spec_fields_reach_the_fit():
    proxies, S = _data()
    spec = FitSpec(
        free=("k", "x0"),
        base=StaticParams(kappa=0.4),
        calibration=(1990, 2015),
        holdout=(2017, 2020),
        anchor="coop",
        bounds={"k": (2.0, 3.0)},
        n_starts=3,
        seed=7,
        standardise=False,
    )
    fit = fit_dynamic(proxies, S, LATENT, spec)
    assert fit.params.kappa == 0.4  # the base's fixed parameters stay
    assert 2.0 <= fit.estimates["k"] <= 3.0  # the narrowed box is searched
    windows = fit.fitted.groupby("window")["year"].agg(["min", "max"])
    assert windows.loc["calibration"].tolist() == [1990, 2015]
    assert windows.loc["holdout"].tolist() == [2017, 2020]
    assert "best of 3 seeded starts (seed 7)" in fit.note and "anchor coop" in fit.note
    with pytest.raises(ValueError, match="FitSpec.anchor 'opinion' must be a proxy of C"):
        fit_dynamic(proxies, S, LATENT, spec.replace(anchor="opinion"))


def test_the_spec_argument_must_be_a_fitspec():
    proxies, S = _data()
    with pytest.raises(TypeError, match="spec must be a FitSpec \\(got dict\\)"):
        fit_dynamic(proxies, S, LATENT, {"seed": 1})
