"""Oracle tests: the numbers a slider shows are the model's numbers.

Each explorable precomputes its rows into the spec.  For the default slider position and
one corner of the grid, the rows are read back out of ``chart.to_dict()`` (what the page
gets), unpacked, and compared with a direct ``reluctant_allies.models`` call.  A grid that
is shifted by a year, built from the wrong parameters or mislabelled fails here, where a
structural test (title, slider names, size) passes.  Builders are called as the chapters
call them (``book/*.ipynb``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from reluctant_allies import analysis, charts, explorables, models
from reluctant_allies.charts import render
from tests._spec import BOOK, chapter_code, inline_rows
from tests.conftest import shared_scope

# The explorables round what they ship to the page: 3 decimals for paths (explorables._r),
# 4 for thresholds and curves, 2 for read-out text.  Half a unit of the last place is the
# most rounding can move a value; anything larger is a different number.
HALF_2DP = 0.5e-2 + 1e-12
HALF_3DP = 0.5e-3 + 1e-12
HALF_4DP = 0.5e-4 + 1e-12


def _slider_values(spec) -> dict[str, float]:
    return {p["name"]: p["value"] for p in spec.get("params", []) if "bind" in p}


def _pick(rows, **key):
    """The rows whose keys equal ``key`` (floats to 1e-9, as the slider filters match)."""

    def hit(r):
        return all(
            k in r and (abs(r[k] - v) < 1e-9 if isinstance(v, float) else r[k] == v)
            for k, v in key.items()
        )

    found = [r for r in rows if hit(r)]
    assert found, f"no row with {key}"
    return found


def _one(rows):
    """The one distinct row (a layer may carry its own copy of the same rows)."""
    distinct = {repr(sorted(r.items())): r for r in rows}
    assert len(distinct) == 1, list(distinct)
    return next(iter(distinct.values()))


# ----------------------------------------------------------------- hysteresis (ch. 9)


@pytest.fixture(scope=shared_scope)
def hysteresis_spec():
    return explorables.hysteresis_explorer().to_dict()


@pytest.mark.parametrize(
    "code, legs, part",
    [("demo", 40, "rising"), ("demo", 40, "falling"), ("lockin", 80, "held at peak")],
    ids=["default-rising", "default-falling", "corner-lockin-slowest"],
)
def test_hysteresis_explorer_rows_are_the_simulated_path(hysteresis_spec, code, legs, part):
    """Point t pairs the pressure of year t with the state that pressure produced."""
    if code == "demo":  # the default menu entry and slider stop are what the page opens on
        assert hysteresis_spec["params"][0]["value"] == "demo"
        assert _slider_values(hysteresis_spec)["legYears"] == legs
    row = _one(_pick(inline_rows(hysteresis_spec), m=code, L=legs, part=part))
    params = explorables.HYSTERESIS_MODELS[code][1]
    sc = models.up_down(0.2, 0.95, legs, 30)
    # the pure-Python reference simulator, independent of the vectorised one the grid uses
    C, _, _ = models.simulate_reference(params, list(sc.S))
    assert len(C) == len(sc.S) + 1  # C[0] is the initial state, C[t + 1] follows S[t]
    t = np.asarray(row["t"])
    np.testing.assert_allclose(row["S"], sc.S[t], atol=HALF_3DP)
    np.testing.assert_allclose(row["C"], np.asarray(C)[t + 1], atol=HALF_3DP)


# ----------------------------------------------------------------- quadrant (ch. 10)


def _quadrant_game(eps: float, phi: float) -> models.AllianceGame:
    g0 = models.POST_2022_GAME
    return models.AllianceGame(
        china=g0.china.replace(epsilon=eps, phi=phi),
        russia=g0.russia.replace(epsilon=eps, phi=phi),
        model=g0.model,
    )


def _assert_threshold_rules(rows, q: models.QuadrantGeometry) -> None:
    """The dashed rules are each state's acceptance threshold, where it lies in the square."""
    rules = {r["axis"]: r["v"] for r in rows if "axis" in r}
    expected = {a: v for a, v in (("x", q.S_cn_star), ("y", q.S_ru_star)) if 0 <= v <= 1}
    assert rules == pytest.approx(expected, abs=HALF_4DP)


@pytest.fixture(scope=shared_scope)
def quadrant_spec():
    return charts.readout_below(explorables.alliance_quadrant_explorer()).to_dict()


@pytest.mark.parametrize("eps, phi", [(0.4, 0.3), (1.5, 1.0), (0.0, 0.0)])
def test_alliance_quadrant_rows_are_the_game_geometry(quadrant_spec, eps, phi):
    spec = quadrant_spec
    if (eps, phi) == (0.4, 0.3):
        assert _slider_values(spec) == {"eps": 0.4, "phi": 0.3}
    rows = inline_rows(spec)
    q = models.alliance_quadrant(_quadrant_game(eps, phi))
    _assert_threshold_rules(_pick(rows, e=eps, f=phi), q)
    rects = {r["region"]: r for r in _pick(rows, e=eps, f=phi) if "region" in r}
    for name, rect in (
        ("both would accept an alliance, but no entente", q.acceptance),
        ("entente, alliance refused: reluctant allies", q.entente),
        ("alliance: entente and both accept", q.alliance),
    ):
        if rect is None or rect.area <= 0:
            assert name not in rects
        else:
            got = [rects[name][k] for k in ("x0", "x1", "y0", "y1")]
            assert got == pytest.approx([rect.x0, rect.x1, rect.y0, rect.y1], abs=HALF_3DP)


# ----------------------------------------------------------------- economic hurdle (ch. 5)


@pytest.fixture(scope=shared_scope)
def hurdle_spec():
    return charts.economic_hurdle_explorable(models.StaticParams()).to_dict()


def test_economic_hurdle_rows_are_the_static_equilibrium(hurdle_spec):
    rows = inline_rows(hurdle_spec)
    sliders = _slider_values(hurdle_spec)
    base = models.StaticParams()
    assert sliders == {"He": base.H_e0, "ge": base.gamma_e}  # opens on the chapter's params
    curve_rows = [r for r in rows if {"g", "h", "S", "C"} <= r.keys()]
    corner = max(r["g"] for r in curve_rows), max(r["h"] for r in curve_rows)
    for g, h in ((sliders["ge"], sliders["He"]), corner):
        curve = sorted(_pick(curve_rows, g=float(g), h=float(h)), key=lambda r: r["S"])
        S = np.array([r["S"] for r in curve])
        expected = models.equilibrium_cooperation(S, base.replace(gamma_e=float(g)), H_e=h)
        np.testing.assert_allclose([r["C"] for r in curve], expected, atol=HALF_4DP)
        thr = _one(r for r in _pick(rows, g=float(g), h=float(h)) if "S_E" in r)
        S_E, S_A = models.static_thresholds(base.replace(gamma_e=float(g)), H_e=h)
        for got, want in ((thr["S_E"], S_E), (thr["S_A"], S_A)):
            if np.isfinite(want):
                assert got == pytest.approx(float(want), abs=HALF_4DP)
            else:  # a closed filter: no threshold to draw
                assert got is None or not np.isfinite(got)


# ----------------------------------------------------------------- lock-in band (ch. 9)


@pytest.fixture(scope=shared_scope)
def band_spec():
    return charts.band_explorer(analysis.band_grid()).to_dict()


@pytest.mark.parametrize("lam, k", [(0.3, 20.0), (0.0, 8.0), (0.3, 24.0)])
def test_band_explorer_readout_is_the_bistability_band(band_spec, lam, k):
    spec = band_spec
    if (lam, k) == (0.3, 20.0):
        assert _slider_values(spec) == {"lam": lam, "steep": k}
    text = _one(r for r in _pick(inline_rows(spec), lam=lam, k=k) if "text" in r)
    p = models.LOCK_IN.to_dynamic().replace(lambda_e=lam, lambda_m=lam, k=k)
    band = models.bistability_band(p)
    if band is None:
        assert text["x0"] is None and text["x1"] is None
    else:
        assert [text["x0"], text["x1"]] == pytest.approx(list(band), abs=HALF_2DP)


# ----------------------------------------------------------------- policy effort (ch. 7)


@pytest.fixture(scope=shared_scope)
def policy_spec():
    grid = analysis.policy_effort_grid(models.DynamicParams(), analysis.policy_scenario())
    return charts.policy_effort_explorable(grid).to_dict()


def test_policy_effort_rows_are_the_simulated_run(policy_spec):
    rows = [r for r in inline_rows(policy_spec) if {"m", "s0", "year", "C"} <= r.keys()]
    sliders = _slider_values(policy_spec)
    corner = max(r["m"] for r in rows), max(r["s0"] for r in rows)
    p, sc = models.DynamicParams(), analysis.policy_scenario()
    for m, s0 in ((sliders["m"], sliders["s0_sel"]), corner):
        run = sorted(_pick(rows, m=float(m), s0=float(s0)), key=lambda r: r["year"])
        # effectiveness m scales both policy rates; s0 is the effort threshold
        q = p.replace(delta_e=p.delta_e * m, delta_m=p.delta_m * m, s0=s0)
        C, H_e, H_m = models.simulate_reference(q, list(sc.S))
        assert [r["year"] for r in run] == list(range(len(C)))  # year t holds state t
        for key, path in (("C", C), ("H_e", H_e), ("H_m", H_m)):
            np.testing.assert_allclose([r[key] for r in run], path, atol=HALF_4DP, err_msg=key)


# ----------------------------------------------------------------- memory rebound (ch. 6)


@pytest.fixture(scope=shared_scope)
def memory_spec():
    grid = analysis.memory_rebound_grid(base=models.DynamicParams())
    return charts.memory_rebound_explorable(grid).to_dict()


def test_memory_rebound_rows_are_the_simulated_pulse(memory_spec):
    from reluctant_allies.analysis import memory

    rows = [r for r in inline_rows(memory_spec) if {"r", "d", "a", "c", "h"} <= r.keys()]
    sliders = _slider_values(memory_spec)
    corner = max(r["r"] for r in rows), max(r["d"] for r in rows), min(r["a"] for r in rows)
    for rho, delta, after in ((sliders["rhom"], sliders["deltam"], sliders["after"]), corner):
        row = _one(_pick(rows, r=float(rho), d=float(delta), a=float(after)))
        S = models.pulse(after, memory.PEAK, memory.YEARS, memory.AT, memory.WIDTH).S
        q = models.DynamicParams().replace(rho_m=rho, delta_m=delta)
        C, _, H_m = models.simulate_reference(q, list(S))
        # the grid rounds to 4 decimals, the page to 3: the two half units add up
        np.testing.assert_allclose(row["c"], C, atol=HALF_3DP + HALF_4DP)
        np.testing.assert_allclose(row["h"], H_m, atol=HALF_3DP + HALF_4DP)


# ----------------------------------------------------------------- static filter (ch. 2)


def test_static_filter_rows_are_the_static_equilibrium():
    spec = charts.static_filter_explorable().to_dict()
    p = models.StaticParams()
    sliders = _slider_values(spec)
    assert sliders == {"gamma_e": p.gamma_e, "gamma_m": p.gamma_m, "H_e": p.H_e0, "H_m": p.H_m0}
    rows = [r for r in inline_rows(spec) if {"phi", "S", "C"} == r.keys()]
    # the curve depends on the sliders only through the filter phi = 1 - g_e H_e - g_m H_m;
    # the default setting, and the corner with no hurdle weight (phi = 1)
    default_phi = 1 - p.gamma_e * p.H_e0 - p.gamma_m * p.H_m0
    for phi, params in ((default_phi, p), (1.0, p.replace(gamma_e=0.0, gamma_m=0.0))):
        curve = sorted((r for r in rows if abs(r["phi"] - phi) < 1e-6), key=lambda r: r["S"])
        assert len(curve) > 10, phi
        S = np.array([r["S"] for r in curve])
        expected = models.equilibrium_cooperation(S, params)
        np.testing.assert_allclose([r["C"] for r in curve], expected, atol=HALF_4DP)


# ----------------------------------------------------------------- thresholds (ch. 4)


def test_threshold_explorable_model_panels_are_the_simulated_ramp():
    ns: dict = {}
    cwd = Path.cwd()
    try:
        os.chdir(BOOK)
        for src in chapter_code("cooperation"):  # the chapter's own coding and call
            if "threshold_explorable" not in src:
                exec(src, ns)
    finally:
        os.chdir(cwd)
    spec = charts.threshold_explorable(
        ns["coded"], analysis.ramp_paths(start=0.2, end=0.9, years=30), source="test"
    ).to_dict()
    assert _slider_values(spec) == {"thE": 0.5, "thA": 0.85}
    rows = inline_rows(spec)
    S = list(models.ramp(0.2, 0.9, 30).S)
    for panel, params in (
        ("dynamic model", models.DynamicParams()),
        ("static model", models.StaticParams()),
    ):
        path = {r["year"]: r["C"] for r in rows if r.get("panel") == panel and "C" in r}
        C, _, _ = models.simulate_reference(params, S)
        assert sorted(path) == list(range(len(C))), panel
        np.testing.assert_allclose([path[t] for t in sorted(path)], C, atol=HALF_4DP)


# ----------------------------------------------------------------- corner drift (ch. 10)


@pytest.mark.parametrize("X, t", [(0.8, 0), (1.0, 40), (0.0, 20)])
def test_corner_drift_rows_are_the_game_after_t_years_of_wear(X, t):
    spec = charts.corner_drift_explorable(pressure=0.7, exposure_value=0.8, year_value=0)
    spec = spec.to_dict()
    if (X, t) == (0.8, 0):
        assert _slider_values(spec) == {"xru": X, "yr": t}
    g0 = models.POST_2022_GAME
    # the hurdles after t years at constant pressure 0.7, from the reference simulator
    _, H_e, H_m = models.simulate_reference(models.DynamicParams(**g0.model.as_dict()), [0.7] * 40)
    game = models.AllianceGame(
        china=g0.china.replace(H_e=H_e[t], H_m=H_m[t]),
        russia=g0.russia.replace(H_e=H_e[t], H_m=H_m[t], X=X),
        model=g0.model,
    )
    q = models.alliance_quadrant(game)
    rows = _pick(inline_rows(spec), X=X, t=t)
    _assert_threshold_rules(rows, q)
    (corner,) = {(r["x"], r["y"]) for r in rows if {"x", "y"} <= r.keys()}
    assert corner == pytest.approx((q.alliance.x0, q.alliance.y0), abs=HALF_4DP)


# ----------------------------------------------------------------- learning (ch. 8)


def test_learning_explorable_rows_are_the_simulated_run():
    spec = charts.learning_explorable(analysis.learning_grid()).to_dict()
    rows = [r for r in inline_rows(spec) if {"d", "l", "r", "C", "He", "Hm"} <= r.keys()]
    sliders = list(_slider_values(spec).values())
    assert sliders == [1.0, 1.0, 0.05]  # effect, learning, rebound: the chapter's defaults
    corner = max(r["d"] for r in rows), max(r["l"] for r in rows), max(r["r"] for r in rows)
    p, S = models.DynamicParams(), list(analysis.learning_scenario().S)
    for d, lam, rho in (tuple(sliders), corner):
        row = _one(_pick(rows, d=float(d), l=float(lam), r=float(rho)))
        q = p.replace(
            delta_e=p.delta_e * d,
            delta_m=p.delta_m * d,
            lambda_e=p.lambda_e * lam,
            lambda_m=p.lambda_m * lam,
            rho_e=rho,
            rho_m=rho,
        )
        paths = models.simulate_reference(q, S)
        for key, path in zip(("C", "He", "Hm"), paths, strict=True):
            packed = analysis.unpack_path(row[key])  # thousandths, comma-joined
            np.testing.assert_allclose(packed, path, atol=HALF_3DP, err_msg=key)
        # the read-out's first years of entente and alliance (-1: never)
        for key, theta in (("e", p.theta_E), ("a", p.theta_A)):
            assert row[key] == next((t for t, c in enumerate(paths[0]) if c >= theta), -1)


@pytest.mark.parametrize(("code", "legs"), [("demo", 40), ("lockin", 80), ("static", 10)])
def test_hysteresis_readout_is_the_loop_width(hysteresis_spec, code, legs):
    """The text line's 'widest gap' is models.hysteresis_loop's width, to its 3 decimals."""
    (row,) = [r for r in _pick(inline_rows(hysteresis_spec), m=code, L=legs) if "w" in r]
    params = explorables.HYSTERESIS_MODELS[code][1]
    loop = models.hysteresis_loop(params, low=0.2, high=0.95, years_up=legs, plateau=30)
    assert row["w"] == pytest.approx(loop.width, abs=HALF_3DP)


def test_hysteresis_parts_meet_at_the_turning_years(hysteresis_spec):
    """Rising runs to the first year at the peak, the hold to the first year of the way
    down, and falling from there to the end: each leg starts where the last one ended."""
    legs, plateau = 40, 30
    parts = {
        r["part"]: r["t"]
        for r in _pick(inline_rows(hysteresis_spec), m="demo", L=legs)
        if "part" in r
    }
    total = len(models.up_down(0.2, 0.95, legs, plateau).S)
    assert parts["rising"] == list(range(0, legs))
    assert parts["held at peak"] == list(range(legs - 1, legs + plateau))
    assert parts["falling"] == list(range(legs + plateau - 1, total))


def test_hysteresis_readout_uses_the_explorers_own_sweep():
    """A sweep to another peak gives the loop width of that sweep, not of the default one."""
    choices = {"demo": explorables.HYSTERESIS_MODELS["demo"]}
    spec = explorables.hysteresis_explorer(choices, legs=(30, 40), high=0.8).to_dict()
    (row,) = [r for r in _pick(inline_rows(spec), L=40) if "w" in r]
    params = choices["demo"][1]
    loop = models.hysteresis_loop(params, low=0.2, high=0.8, years_up=40, plateau=30)
    assert row["w"] == pytest.approx(loop.width, abs=HALF_3DP)
    default = models.hysteresis_loop(params, low=0.2, high=0.95, years_up=40, plateau=30)
    assert abs(loop.width - default.width) > 2 * HALF_3DP  # the test can tell them apart


@pytest.mark.parametrize("eps, phi", [(0.4, 0.3), (1.5, 1.0), (0.0, 0.0)])
def test_alliance_quadrant_readout_names_both_thresholds(quadrant_spec, eps, phi):
    q = models.alliance_quadrant(_quadrant_game(eps, phi))
    (row,) = [r for r in _pick(inline_rows(quadrant_spec), e=eps, f=phi) if "text" in r]
    never = " (never accepts)"
    assert row["text"].split("\n") == [
        f"China's threshold S_CN* = {q.S_cn_star:.2f}" + (never if q.S_cn_star > 1 else ""),
        f"Russia's threshold S_RU* = {q.S_ru_star:.2f}" + (never if q.S_ru_star > 1 else ""),
        f"reluctant-allies share of the square: {q.reluctant_area:.2f}",
    ]


# ------------------------------------------- the whole spec, as the chapter shows it


def _rendered(chart) -> dict:
    """The spec altair hands its renderer for ``chart`` (what the chapter's output holds)."""
    import altair as alt

    seen: list[dict] = []
    alt.renderers.register("capture-spec", lambda spec, **_: seen.append(spec) or {})
    with alt.renderers.enable("capture-spec"):
        chart._repr_mimebundle_()
    assert len(seen) == 1, f"the renderer was called {len(seen)} times"
    return seen[0]


def _committed(slug: str, call: str) -> dict:
    """The spec in the committed output of the cell of ``book/<slug>.ipynb`` that is ``call``."""
    import json

    from tests.test_static_charts import chart_outputs, static_charts

    path = BOOK / f"{slug}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    index = [i for i, c in enumerate(cells, start=1) if "".join(c["source"]).strip() == call]
    assert len(index) == 1, f"{path.name}: {len(index)} cells are exactly {call!r}"
    found = [
        o for where, o in chart_outputs(path) if where.startswith(f"{path.name} cell {index[0]} ")
    ]
    assert len(found) == 1, f"{path.name} cell {index[0]}: {len(found)} chart outputs"
    return static_charts.chart_spec("".join(found[0]["data"]["text/html"]))


@pytest.mark.parametrize(
    "slug, call",
    [
        ("hysteresis", "explorables.hysteresis_explorer()"),
        ("two-players", "charts.readout_below(explorables.alliance_quadrant_explorer())"),
    ],
    ids=["hysteresis", "two-players"],
)
def test_explorable_spec_is_the_one_the_chapter_shows(slug, call):
    """Labels, colours, axes, legends and tooltips are what a reader sees, yet no oracle
    above reads them: the whole spec the builder gives now must be the committed one
    (a changed chart re-executes its chapter on purpose, and this test moves with it)."""
    assert any(code.strip() == call for code in chapter_code(slug)), (
        f"{slug} no longer calls {call}"
    )
    built = _rendered(eval(call, {"charts": charts, "explorables": explorables}))  # noqa: S307
    committed = _committed(slug, call)
    assert built == committed, (
        f"{slug}: {call} builds another spec than the chapter's committed output "
        f"(digest {render.spec_sha256(built)[:12]} vs {render.spec_sha256(committed)[:12]})"
    )


def test_a_packed_path_round_trips_to_three_decimals():
    """One packing for every explorable's paths: thousandths, refused outside [0, 1]."""
    path = np.array([0.0, 0.0004, 0.0006, 0.6914, 0.99951, 1.0])
    packed = analysis.pack_path(path)
    assert packed == "0,0,1,691,1000,1000"
    np.testing.assert_allclose(analysis.unpack_path(packed), path, atol=HALF_3DP)
    for bad in ([0.5, 1.2], [-0.1], [np.nan]):
        with pytest.raises(ValueError, match=r"reader_grid: path values must be finite and in"):
            analysis.pack_path(bad, "reader_grid")
