"""Static neoclassical-realist model (domain §3a): thresholds, predictions, invalid inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reluctant_allies.models import (
    DynamicParams,
    StaticParams,
    equilibrium_cooperation,
    from_series,
    hysteresis_loop,
    ramp,
    simulate,
    simulate_static,
    static_threshold,
    static_thresholds,
)


def test_default_thresholds_match_domain_and_alliance_is_impossible():
    S_E, S_A = static_thresholds(StaticParams())
    assert S_E == pytest.approx(0.703, abs=0.002)
    assert S_A == pytest.approx(1.042, abs=0.002)
    assert S_A > 1.0  # "entente without alliance" for every admissible S


def test_static_model_never_reaches_alliance_even_at_maximum_pressure():
    tr = simulate_static(StaticParams(), np.ones(200))
    assert tr.C.max() < StaticParams().theta_A
    assert tr.C[-1] >= StaticParams().theta_E


def test_without_hurdles_the_alliance_threshold_is_reachable():
    """The hurdles are what puts S_A above 1: remove them and an alliance is possible."""
    _, S_A = static_thresholds(StaticParams(), H_e=0.0, H_m=0.0)
    assert S_A < 1.0


def test_thresholds_are_where_equilibrium_cooperation_crosses_theta():
    p = StaticParams(gamma_e=0.1, gamma_m=0.2, k=5.0)
    for theta in (p.theta_E, p.theta_A, 0.3):
        S = static_threshold(theta, p)
        assert equilibrium_cooperation(S, p) == pytest.approx(theta, abs=1e-12)


def test_static_ramp_reaches_entente_in_year_23_and_never_an_alliance():
    tr = simulate_static(StaticParams(), ramp(0.2, 0.9, 30))
    assert tr.first_year("entente") == 23
    assert tr.first_year("alliance") == -1


def test_static_path_has_no_memory_beyond_the_kappa_lag():
    """kappa = 1: C is a function of current S only, so the up and down paths coincide."""
    loop = hysteresis_loop(StaticParams(kappa=1.0))
    assert loop.width < 1e-12
    assert 0.02 < hysteresis_loop(StaticParams()).width < 0.06  # the kappa = 0.5 lag


def test_simulate_static_keeps_hurdles_fixed_even_for_dynamic_params():
    tr = simulate_static(DynamicParams(), np.full(40, 0.9))
    assert np.all(tr.H_e == 0.6) and np.all(tr.H_m == 0.6)
    assert not np.all(simulate(DynamicParams(), np.full(40, 0.9)).H_m == 0.6)


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        ({"gamma_e": 0.7, "gamma_m": 0.5}, ["gamma_e + gamma_m", "<= 1", "1.2"]),
        ({"theta_E": 0.9, "theta_A": 0.85}, ["theta_E", "theta_A", "(0, 1)"]),
        ({"theta_A": 1.0}, ["theta_A", "(0, 1)"]),
        ({"beta": 0.0}, ["beta", "(0, inf)"]),
        ({"k": -1.0}, ["k", "(0, inf)"]),
        ({"kappa": 0.0}, ["kappa", "(0, 1]"]),
        ({"kappa": 1.5}, ["kappa", "(0, 1]"]),
        ({"x0": float("nan")}, ["x0", "finite"]),
        ({"H_e0": 1.2}, ["H_e0", "[0, 1]"]),
        ({"C0": -0.1}, ["C0", "[0, 1]"]),
        ({"gamma_m": float("inf")}, ["gamma_m", "finite"]),
    ],
)
def test_invalid_static_parameters_are_named_with_their_range(kwargs, names):
    with pytest.raises(ValueError) as err:
        StaticParams(**kwargs)
    for text in names:
        assert text in str(err.value)


def test_non_numbers_are_refused_not_coerced():
    with pytest.raises(TypeError, match="beta"):
        StaticParams(beta="1.0")
    with pytest.raises(TypeError, match="kappa"):
        StaticParams(kappa=True)


@pytest.mark.parametrize("bad", [[0.2, float("nan")], [0.2, 1.1], [-0.1], []])
def test_invalid_pressure_paths_are_refused(bad):
    with pytest.raises(ValueError, match="S must"):
        simulate_static(StaticParams(), bad)


@pytest.mark.parametrize(
    ("years", "values", "message"),
    [
        ([2001, 2000, 2002], [0.1, 0.2, 0.3], "not sorted: 2000 after 2001 \\(row 1\\)"),
        ([2000, 2000, 2001], [0.1, 0.2, 0.3], "duplicate year 2000 \\(row 1\\)"),
        ([2000, 2002], [0.1, 0.2], "gap between 2000 and 2002"),
        ([2000, 2001], [0.1, float("nan")], "in year 2001, row 1"),
        ([2000, 2001], [0.1, 1.4], "in \\[0, 1\\].*year 2001"),
    ],
)
def test_observed_series_problems_name_the_year(years, values, message):
    with pytest.raises(ValueError, match=message):
        from_series(pd.DataFrame({"year": years, "value": values}))


def test_observed_series_becomes_a_scenario():
    sc = from_series(pd.DataFrame({"year": [2000, 2001, 2002], "s": [0.1, 0.5, 0.9]}), "s")
    assert list(sc.years) == [2000, 2001, 2002]
    tr = simulate_static(StaticParams(), sc)
    assert tr.C.shape == (4,)
    frame = tr.to_frame(years=[*sc.years, 2003])
    assert list(frame.columns) == ["year", "S", "C", "H_e", "H_m", "A"]
