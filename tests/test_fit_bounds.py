"""Chapter 11's search box: the bounds are identifying assumptions, so they are held.

- the bounds column the chapter prints (its committed output) equals ``DEFAULT_BOUNDS``;
- the calibration fit on the real data sits at exactly the bounds the chapter reports;
- a parameter whose true value lies inside the box is recovered inside it, away from the
  bounds (QuantEcon-style recovery from data simulated by the model).
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from reluctant_allies.models import DynamicParams, simulate, up_down
from reluctant_allies.models.fitting import (
    DEFAULT_BOUNDS,
    DYNAMIC_FREE,
    STATIC_FREE,
    FitSpec,
    fit_dynamic,
)
from tests._spec import BOOK


def _printed_parameter_table() -> dict[str, tuple[tuple[float, float], str]]:
    """parameter -> (bounds, "at a bound in") from the committed output of the chapter."""
    nb = json.loads((BOOK / "out-of-sample.ipynb").read_text(encoding="utf-8"))
    (cell,) = [
        c
        for c in nb["cells"]
        if c["cell_type"] == "code" and "evaluation.parameter_table(" in "".join(c["source"])
    ]
    outputs = [o for o in cell["outputs"] if "text/plain" in o.get("data", {})]  # not glue
    (text,) = ["".join(o["data"]["text/plain"]) for o in outputs]
    table = {}
    for line in text.splitlines():
        m = re.match(r"^(\w+)\s+\[([-0-9.e]+), ([-0-9.e]+)\]\s+\S+\s+\S+\s*(.*)$", line)
        if m:
            name, lo, hi, flags = m.groups()
            table[name] = ((float(lo), float(hi)), flags.strip())
    assert table, "no parameter rows found in the chapter's parameter table"
    return table


def test_the_printed_bounds_are_the_library_bounds():
    printed = _printed_parameter_table()
    # every parameter either model frees is printed, with the box the library searches;
    # delta_m is held by the chapter (the calibration years cannot place it)
    assert set(printed) == (set(STATIC_FREE) | set(DYNAMIC_FREE)) - {"delta_m"}
    assert {n: b for n, (b, _) in printed.items()} == {n: DEFAULT_BOUNDS[n] for n in printed}


def _at_bounds(estimates: dict[str, float]) -> dict[str, str]:
    """parameter -> "lower"/"upper" for every estimate at an edge of its box.

    At an edge means within 1e-4 of the box width, the rule ``parameter_table`` flags."""
    out = {}
    for name, v in estimates.items():
        lo, hi = DEFAULT_BOUNDS[name]
        tol = 1e-4 * (hi - lo)
        if abs(v - lo) < tol:
            out[name] = "lower"
        elif abs(v - hi) < tol:
            out[name] = "upper"
    return out


def test_the_calibration_fit_sits_at_exactly_the_bounds_the_chapter_reports(run2):
    fits = run2["frozen"].fits  # the chapter's fit: the pressure record, delta_m held
    static = _at_bounds(fits["static model"].estimates)
    dynamic = _at_bounds(fits["dynamic model"].estimates)
    # the chapter's "four of them at a bound": the economic policy effect at its cap, the
    # start and both rebounds at zero; the static model pins C0 only
    assert dynamic == {"C0": "lower", "delta_e": "upper", "rho_e": "lower", "rho_m": "lower"}
    assert static == {"C0": "lower"}
    # and the committed table flags the same ones
    printed = {n: flags for n, (_, flags) in _printed_parameter_table().items() if flags}
    expected = {
        n: ", ".join(m for m, at in (("static", static), ("dynamic", dynamic)) if n in at)
        for n in set(static) | set(dynamic)
    }
    assert printed == expected


# ---- recovery from the model's own data, the truth strictly inside the box ------------

YEARS = np.arange(1990, 2025)
LATENT = {"coop": "C", "opinion": "H_m"}
FREE = ("k", "x0", "delta_m", "rho_m", "C0")


def test_a_rate_inside_the_box_is_recovered_away_from_its_bounds():
    """delta_m = 0.25 lies in (0, 0.3): the fit must find it there, not at an edge.

    0.25 is chosen above 0.2 so that a box narrowed to (0, 0.2) (review mutation M5)
    pins the estimate at the edge instead, and the same for k = 25 against a cap of 20
    (M5b); both truths keep delta_m + lambda_m + rho_m < 1."""
    truth = DynamicParams(k=25.0, x0=0.5, delta_m=0.25, rho_m=0.06, C0=0.15)
    # up, hold, down, then low: the fall in S is what identifies the rebound rates
    sweep = up_down(0.2, 0.95, 14, 5).S
    S = np.r_[sweep, np.full(len(YEARS) - 1 - len(sweep), 0.3)]
    tr = simulate(truth, S)
    proxies = pd.DataFrame({"year": YEARS, "coop": tr.C, "opinion": 0.9 - 0.8 * tr.H_m})
    fit = fit_dynamic(
        proxies,
        pd.DataFrame({"year": YEARS[:-1], "value": S}),
        LATENT,
        FitSpec(
            free=FREE, calibration=(1990, 2018), holdout=(2019, 2024), standardise=False, seed=1
        ),
    )
    for name in FREE:
        lo, hi = DEFAULT_BOUNDS[name]
        est = fit.estimates[name]
        assert est == pytest.approx(getattr(truth, name), rel=1e-4), name
        # well inside the box: at least 5 % of its width from either edge
        assert lo + 0.05 * (hi - lo) < est < hi - 0.05 * (hi - lo), (name, est)
