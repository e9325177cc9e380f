"""Model entry points: what an argument does when it is given, and errors that name it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reluctant_allies import models
from reluctant_allies.models.static import static_threshold, static_thresholds


def test_the_reference_simulator_starts_from_the_given_state():
    p = models.DynamicParams()
    S = [0.5, 0.6, 0.7]
    C, H_e, H_m = models.simulate_reference(p, S, C_init=0.4, H_e_init=0.2, H_m_init=0.3)
    assert (C[0], H_e[0], H_m[0]) == (0.4, 0.2, 0.3)
    fast = models.simulate(p, np.array(S), C_init=0.4, H_e_init=0.2, H_m_init=0.3)
    np.testing.assert_allclose(C, fast.C, rtol=1e-12)


def test_static_thresholds_use_both_hurdles_given():
    p = models.StaticParams()
    S_E, S_A = static_thresholds(p, H_e=0.2, H_m=0.7)
    assert S_E == static_threshold(p.theta_E, p, 0.2, 0.7)
    assert S_A == static_threshold(p.theta_A, p, 0.2, 0.7)
    # a higher memory hurdle narrows the filter, so both thresholds rise
    low_E, low_A = static_thresholds(p, H_e=0.2, H_m=0.1)
    assert S_E > low_E and S_A > low_A


@pytest.mark.parametrize(
    "make",
    [lambda: models.constant(0.5, 3), lambda: models.shock(0.2, 0.8, 3, 1)],
    ids=["constant", "shock"],
)
def test_scenarios_count_years_from_zero_by_default(make):
    assert make().years.tolist() == [0, 1, 2]


def test_cooperation_levels_name_the_bad_pressure():
    game = models.POST_2022_GAME
    with pytest.raises(ValueError, match="S_ru"):
        models.cooperation_levels(game, 0.5, 1.5)
    with pytest.raises(ValueError, match="S_cn"):
        models.cooperation_levels(game, -0.1, 0.5)


@pytest.mark.parametrize("bad", [np.array(["10", "20"]), np.array([True, False])])
def test_parameter_arrays_must_hold_numbers(bad):
    with pytest.raises(TypeError, match="k must be a real number"):
        models.ParamGrid.sweep(models.DynamicParams(), k=bad)


# --- guards a mutation run found unpinned (issue 13) --------------------------------------


def test_a_model_error_names_what_is_wrong():
    """Messages name the input: an empty series, a pulse's peak, a threshold out of (0, 1)."""
    with pytest.raises(ValueError, match=r"^S series: no rows$"):
        models.from_series(pd.DataFrame({"year": [], "value": []}))
    with pytest.raises(ValueError, match=r"^peak must be finite and in \[0, 1\]"):
        models.pulse(base=0.3, peak=1.5, at=2, width=2, years=8)
    for theta in (0.0, 1.0, 1.2, -0.1):  # '&' -> '|' would let every one of these through
        with pytest.raises(ValueError, match=r"theta must be in \(0, 1\)"):
            models.long_run_threshold(models.DynamicParams(), theta=theta)


def test_the_upper_quadrant_is_empty_above_the_square():
    from reluctant_allies.models.analysis import _upper_quadrant

    assert _upper_quadrant(0.2, 0.4) is not None
    for x, y in ((0.2, 1.5), (1.5, 0.2), (0.2, 1.0 + 1e-9)):
        assert _upper_quadrant(x, y) is None, (x, y)
