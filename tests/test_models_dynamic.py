"""Dynamic interaction model (domain §3b): each qualitative prediction, and the fast path."""

from __future__ import annotations

import numpy as np
import pytest

from reluctant_allies.models import (
    HYSTERESIS_DEMO,
    LOCK_IN,
    DynamicParams,
    ParamGrid,
    StaticParams,
    bistability_band,
    constant,
    hysteresis_loop,
    long_run_threshold,
    moving_threshold,
    pulse,
    ramp,
    shock,
    simulate,
    simulate_reference,
    steady_hurdles,
    steady_states,
    up_down,
)

NO_POLICY_OR_LEARNING = dict(delta_e=0.0, delta_m=0.0, lambda_e=0.0, lambda_m=0.0)


def test_long_run_alliance_threshold_falls_to_about_0_8():
    assert long_run_threshold(DynamicParams()) == pytest.approx(0.80, abs=0.02)
    assert long_run_threshold(StaticParams()) == np.inf  # static: unreachable
    # the threshold is real: just above it the model settles in an alliance, just below not
    thr = float(long_run_threshold(DynamicParams()))
    for S, allied in ((thr + 0.02, True), (thr - 0.02, False)):
        C_end = simulate(DynamicParams(), np.full(600, S)).C[-1]
        assert bool(C_end >= 0.85) is allied


def test_moving_threshold_falls_as_hurdles_erode():
    p = DynamicParams()
    tr = simulate(p, constant(0.9, 40))
    thr = moving_threshold(p, tr)
    assert thr[0] == pytest.approx(1.042, abs=0.002)
    assert np.all(np.diff(thr) <= 1e-12) and thr[-1] < 0.9
    flat = moving_threshold(
        p, simulate(p.replace(**NO_POLICY_OR_LEARNING, rho_e=0, rho_m=0), constant(0.9, 40))
    )
    assert np.ptp(flat) == 0.0


def test_ramp_gives_a_long_reluctant_allies_phase_that_ends_only_in_the_last_year():
    tr = simulate(DynamicParams(), ramp(0.2, 0.9, 30))
    assert 19 <= tr.first_year("entente") <= 22
    assert tr.first_year("alliance") == 30  # the last year, under sustained high pressure
    # the static model on the same ramp: later entente, never an alliance
    st = simulate(StaticParams(), ramp(0.2, 0.9, 30))
    assert st.first_year("entente") > tr.first_year("entente")
    assert st.first_year("alliance") == -1


def test_rebound_after_pressure_drops():
    tr = simulate(DynamicParams(), shock(0.9, 0.3, 50, at=20))
    assert tr.C[20] == pytest.approx(0.91, abs=0.02)
    assert tr.C[50] == pytest.approx(0.13, abs=0.03)
    assert tr.H_m[20] == pytest.approx(0.21, abs=0.02)
    assert tr.H_m[50] == pytest.approx(0.48, abs=0.02)
    # the recovery is the rebound rate rho at work: without it the hurdles stay down
    no_rho = simulate(DynamicParams(rho_e=0.0, rho_m=0.0), shock(0.9, 0.3, 50, at=20))
    assert no_rho.H_m[50] <= no_rho.H_m[20]


def test_rate_dependent_loop_is_much_wider_than_the_static_kappa_lag():
    demo = hysteresis_loop(HYSTERESIS_DEMO)
    static = hysteresis_loop(StaticParams())
    assert demo.width == pytest.approx(0.30, abs=0.005)  # 0.298; the chapter prints 0.30
    assert static.width == pytest.approx(0.05, abs=0.01)
    assert demo.width > 4 * static.width
    i = np.argmin(np.abs(demo.S - 0.5))
    assert demo.C_up[i] == pytest.approx(0.33, abs=0.02)
    assert demo.C_down[i] == pytest.approx(0.62, abs=0.02)
    # hurdles frozen -> no loop beyond the kappa lag
    frozen = HYSTERESIS_DEMO.replace(**NO_POLICY_OR_LEARNING, rho_e=0.0, rho_m=0.0)
    assert hysteresis_loop(frozen).width == pytest.approx(static.width, abs=1e-12)


def test_rate_dependent_loop_closes_when_pressure_stays_low():
    """Memory, not irreversibility: after a long spell at low S the path returns."""
    S = np.concatenate([up_down(0.2, 0.95, 40, 30).S, np.full(800, 0.2)])
    end = simulate(HYSTERESIS_DEMO, S)
    fresh = simulate(HYSTERESIS_DEMO, np.full(800, 0.2))
    assert end.C[-1] == pytest.approx(fresh.C[-1], abs=1e-3)


def test_lock_in_preset_has_a_bistable_band_and_defaults_have_none():
    band = bistability_band(LOCK_IN)
    assert band is not None
    # (0.557, 0.683); the chapter prints "0.56–0.68": half a unit of the printed digit
    assert band == pytest.approx((0.56, 0.68), abs=0.005)
    assert bistability_band(DynamicParams()) is None
    # learning no stronger than rebound, or a gentler response, removes the second state
    assert bistability_band(LOCK_IN.replace(lambda_e=0.02, lambda_m=0.02)) is None
    assert bistability_band(LOCK_IN.replace(k=8.0)) is None


def test_lock_in_at_0_62_depends_on_where_you_start():
    S = np.full(3000, 0.62)
    low = simulate(LOCK_IN, S, C_init=0.02, H_e_init=0.8, H_m_init=0.8).C[-1]
    high = simulate(LOCK_IN, S, C_init=0.98, H_e_init=0.02, H_m_init=0.02).C[-1]
    assert low == pytest.approx(0.01, abs=0.01)
    assert high == pytest.approx(0.86, abs=0.01)
    ss = steady_states(LOCK_IN, 0.62)
    assert ss.low[0] == pytest.approx(low, abs=1e-6)
    assert ss.high[0] == pytest.approx(high, abs=1e-6)


def test_steady_hurdles_match_long_simulation():
    p = DynamicParams()
    tr = simulate(p, np.full(1500, 0.7))
    He, Hm = steady_hurdles(p, 0.7, tr.C[-1])
    assert He == pytest.approx(tr.H_e[-1], abs=1e-9)
    assert Hm == pytest.approx(tr.H_m[-1], abs=1e-9)


def test_policy_effort_needs_pressure_above_s0():
    p = DynamicParams(lambda_e=0.0, lambda_m=0.0, rho_e=0.0, rho_m=0.0)
    tr = simulate(p, np.full(30, p.s0))
    assert np.all(tr.H_e == p.H_e0)
    assert simulate(p, pulse(0.3, 0.9, 30, at=5, width=5)).H_e[-1] < p.H_e0


def test_vectorised_grid_equals_scalar_reference():
    rng = np.random.default_rng(7)
    n = 300
    d = rng.uniform(0, 0.3, (3, n))
    grid = ParamGrid.sweep(
        delta_e=d[0],
        lambda_e=d[1],
        rho_e=d[2],
        delta_m=d[2],
        lambda_m=d[0],
        rho_m=d[1],
        k=rng.uniform(0.5, 30, n),
        x0=rng.uniform(-0.5, 1.0, n),
        kappa=rng.uniform(0.01, 1, n),
        gamma_e=rng.uniform(0, 0.5, n),
        gamma_m=rng.uniform(0, 0.5, n),
        s0=rng.uniform(0, 0.99, n),
        C0=rng.uniform(0, 1, n),
        H_e0=rng.uniform(0, 1, n),
        beta=rng.uniform(0.1, 3, n),
    )
    S = rng.uniform(0, 1, (n, 45))
    tr = simulate(grid, S)
    for i in range(n):
        C, He, Hm = simulate_reference(grid[i], S[i])
        np.testing.assert_allclose(tr.C[i], C, rtol=0, atol=1e-12)
        np.testing.assert_allclose(tr.H_e[i], He, rtol=0, atol=1e-12)
        np.testing.assert_allclose(tr.H_m[i], Hm, rtol=0, atol=1e-12)


def test_large_grid_in_blocks_and_threads_equals_single_thread():
    rng = np.random.default_rng(1)
    grid = ParamGrid.sweep(delta_m=rng.uniform(0, 0.5, 40_000), k=rng.uniform(1, 20, 40_000))
    S = ramp(0.2, 0.95, 12)
    a, b = simulate(grid, S, workers=1), simulate(grid, S, workers=2)
    assert np.array_equal(a.C, b.C) and np.array_equal(a.H_m, b.H_m)


def test_grid_and_scenarios_broadcast():
    grid = ParamGrid.sweep(kappa=np.array([[0.2], [0.5], [1.0]]))
    S = np.stack([ramp(0.1, x, 25).S for x in (0.5, 0.7, 0.9, 1.0)])
    tr = simulate(grid, S)
    assert tr.C.shape == (3, 4, 26) and tr.S.shape == (3, 4, 25)
    one = simulate(grid[2, 0], S[3])
    np.testing.assert_array_equal(tr.C[2, 3], one.C)


def test_grid_validation_names_parameter_and_index():
    with pytest.raises(ValueError, match=r"kappa must be in \(0, 1\].*grid index \(2,\)"):
        ParamGrid.sweep(kappa=np.array([0.5, 1.0, 1.5]))
    with pytest.raises(ValueError, match="delta_m \\+ lambda_m \\+ rho_m must be <= 1"):
        ParamGrid.sweep(delta_m=np.array([0.1, 0.95]))
    with pytest.raises(ValueError, match="unknown parameter"):
        ParamGrid.sweep(theta=np.ones(2))
    with pytest.raises(ValueError, match="do not broadcast"):
        ParamGrid.sweep(k=np.ones(2), x0=np.ones(3))


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        (
            {"delta_e": 0.5, "lambda_e": 0.3, "rho_e": 0.3},
            "delta_e + lambda_e + rho_e must be <= 1",
        ),
        ({"s0": 1.0}, "s0 must be in [0, 1)"),
        ({"rho_m": -0.01}, "rho_m must be in [0, inf)"),
        ({"lambda_e": float("nan")}, "lambda_e must be finite"),
    ],
)
def test_invalid_dynamic_parameters(kwargs, text):
    with pytest.raises(ValueError) as err:
        DynamicParams(**kwargs)
    assert text in str(err.value)


def test_rate_sum_exactly_one_is_allowed():
    DynamicParams(delta_e=0.1, lambda_e=0.2, rho_e=0.7)  # 0.1 + 0.2 + 0.7 == 1 for a reader
