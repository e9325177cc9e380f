"""Hypothesis properties: states stay in [0, 1]; the fast path equals the reference;
every invalid parameter raises a ValueError that names it (>= 1,000 invalid examples)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reluctant_allies.models import (
    DynamicParams,
    Player,
    StaticParams,
    from_series,
    simulate,
    simulate_reference,
)
from reluctant_allies.models.params import RANGES

unit = st.floats(0.0, 1.0)
open_unit = st.floats(0.0, 1.0, exclude_min=True, exclude_max=True)


@st.composite
def rates(draw):
    d = draw(unit)
    lam = draw(st.floats(0.0, 1.0 - d))
    rho = draw(st.floats(0.0, max(0.0, 1.0 - d - lam)))
    assume(math.fsum((d, lam, rho)) <= 1.0)
    return d, lam, rho


@st.composite
def dynamic_params(draw):
    ge = draw(unit)
    gm = draw(st.floats(0.0, 1.0 - ge))
    te, ta = sorted((draw(open_unit), draw(open_unit)))
    assume(te < ta)
    (de, le, re), (dm, lm, rm) = draw(rates()), draw(rates())
    return DynamicParams(
        beta=draw(st.floats(1e-3, 50.0)),
        gamma_e=ge,
        gamma_m=gm,
        k=draw(st.floats(1e-3, 500.0)),
        x0=draw(st.floats(-5.0, 5.0)),
        kappa=draw(st.floats(0.0, 1.0, exclude_min=True)),
        theta_E=te,
        theta_A=ta,
        H_e0=draw(unit),
        H_m0=draw(unit),
        C0=draw(unit),
        s0=draw(st.floats(0.0, 1.0, exclude_max=True)),
        delta_e=de,
        lambda_e=le,
        rho_e=re,
        delta_m=dm,
        lambda_m=lm,
        rho_m=rm,
    )


paths = st.lists(unit, min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(dynamic_params(), paths, unit, unit, unit)
def test_states_stay_in_unit_interval(p, S, C0, He0, Hm0):
    tr = simulate(p, S, C_init=C0, H_e_init=He0, H_m_init=Hm0)
    for x in (tr.C, tr.H_e, tr.H_m):
        assert np.all(np.isfinite(x)) and np.all(x >= 0.0) and np.all(x <= 1.0)


@settings(max_examples=150, deadline=None)
@given(dynamic_params(), paths)
def test_vectorised_equals_reference(p, S):
    tr = simulate(p, S)
    C, He, Hm = simulate_reference(p, S)
    np.testing.assert_allclose(tr.C, C, rtol=0, atol=1e-12)
    np.testing.assert_allclose(tr.H_e, He, rtol=0, atol=1e-12)
    np.testing.assert_allclose(tr.H_m, Hm, rtol=0, atol=1e-12)


# ---- invalid inputs: >= 1,000 examples in total --------------------------------------


def out_of_range(name):
    """Values outside the allowed range of ``name``: non-finite, below, above, open ends."""
    r = RANGES[name]
    options = [st.sampled_from([math.nan, math.inf, -math.inf])]
    if r.lo != -math.inf:
        below = st.floats(
            max_value=r.lo, exclude_max=not r.lo_open, allow_nan=False, allow_infinity=False
        )
        options.append(below)
    if r.hi != math.inf:
        above = st.floats(
            min_value=r.hi, exclude_min=not r.hi_open, allow_nan=False, allow_infinity=False
        )
        options.append(above)
    return st.one_of(options)


@st.composite
def one_bad_field(draw, cls):
    names = [n for n in cls.__dataclass_fields__ if n in RANGES]
    name = draw(st.sampled_from(names))
    return name, draw(out_of_range(name))


def _raises_naming(cls, name, **kwargs):
    with pytest.raises(ValueError) as err:
        cls(**kwargs)
    msg = str(err.value)
    assert name in msg and ("must be" in msg), msg
    # every name drawn by one_bad_field has a stated range, and the message quotes it
    assert RANGES[name].text() in msg, msg


@settings(max_examples=500, deadline=None)
@given(one_bad_field(DynamicParams))
def test_invalid_model_parameter_is_named(bad):
    name, value = bad
    _raises_naming(DynamicParams, name, **{name: value})


@settings(max_examples=200, deadline=None)
@given(one_bad_field(Player))
def test_invalid_player_parameter_is_named(bad):
    name, value = bad
    _raises_naming(Player, name, **{name: value})


@settings(max_examples=150, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_gamma_sum_above_one_is_named(ge, gm):
    assume(ge + gm > 1.0)
    with pytest.raises(ValueError, match=r"gamma_e \+ gamma_m must be <= 1"):
        StaticParams(gamma_e=ge, gamma_m=gm)


@settings(max_examples=100, deadline=None)
@given(open_unit, open_unit)
def test_theta_order_is_named(te, ta):
    assume(te >= ta)
    with pytest.raises(ValueError, match=r"theta_E must be < theta_A"):
        StaticParams(theta_E=te, theta_A=ta)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from("em"), unit, unit, unit)
def test_hurdle_rate_sum_above_one_is_named(h, d, lam, rho):
    assume(math.fsum((d, lam, rho)) > 1.0)
    with pytest.raises(ValueError, match=rf"delta_{h} \+ lambda_{h} \+ rho_{h} must be <= 1"):
        DynamicParams(**{f"delta_{h}": d, f"lambda_{h}": lam, f"rho_{h}": rho})


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1990, 2030), min_size=2, max_size=12))
def test_unsorted_or_duplicate_years_are_refused(years):
    assume(any(b <= a for a, b in zip(years, years[1:], strict=False)))
    frame = pd.DataFrame({"year": years, "value": 0.5})
    with pytest.raises(ValueError, match=r"S series: (duplicate year|years not sorted)"):
        from_series(frame)
