"""Chapter 8 (the dynamic interaction model): the chart module ``charts.dynamics``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reluctant_allies import analysis, data, models, pressure
from reluctant_allies.analysis import dynamics as dynamics_frames
from reluctant_allies.charts import dynamics

MAX_INLINE = 400_000
NOTEBOOK = Path(__file__).resolve().parents[1] / "book" / "dynamic-model.ipynb"


def _subtitle(spec: dict) -> str:
    sub = spec["title"]["subtitle"]
    return " ".join(sub) if isinstance(sub, list) else sub


def _check_finished(chart) -> dict:
    text = chart.to_json()
    assert len(text) <= MAX_INLINE
    assert "NaN" not in text
    spec = json.loads(text)
    assert spec["title"]["text"].strip()
    assert _subtitle(spec).startswith("Source:")
    assert len(spec["description"]) > 80
    return spec


@pytest.fixture(scope="module")
def ramp() -> pd.DataFrame:
    return dynamics_frames.ramp_on_calendar(1996, 2025)


@pytest.fixture(scope="module")
def coded() -> pd.DataFrame:
    from reluctant_allies.analysis import cooperation

    return cooperation.coded_cooperation(
        {"strategic-partnership": 0.2, "peace-mission-2005": 0.4, "vostok-2018": 0.65},
        data.load("exercises"),
        data.load("events"),
        last_year=2024,
    )


# --------------------------------------------------------------------- numbers printed


def test_ramp_milestones_match_the_library():
    table = dynamics_frames.ramp_milestones()
    dyn, sta = table.loc["dynamic model"], table.loc["static model"]
    # the literal equations: entente in year 21 (domain notes say 20), alliance in year 30
    assert dyn["entente reached in year"] == "21"
    assert dyn["alliance reached in year"] == "30"
    assert sta["entente reached in year"] == "23"
    assert sta["alliance reached in year"] == "never"
    assert dyn["long-run S for alliance"] == "0.80"
    assert (dyn["long-run S for entente"], sta["long-run S for entente"]) == ("0.57", "0.70")
    assert sta["long-run S for alliance"] == "none ≤ 1 (1.04)"
    traj = models.simulate_dynamic(models.DynamicParams(), models.ramp(0.2, 0.9, 30))
    assert dyn["C after 30 years"] == pytest.approx(float(traj.C[-1]), abs=5e-4)


def test_rebound_numbers():
    """The table is the simulated shock read at two years (the values are pinned once, in
    test_models_dynamic.test_rebound_after_pressure_drops); two decimals are printed."""
    r = dynamics_frames.rebound_numbers()
    tr = models.simulate(models.DynamicParams(), models.shock(0.9, 0.3, 50, at=20))
    for row, year in ((0, 20), (1, 50)):
        expected = [tr.C[year], tr.H_e[year], tr.H_m[year]]
        assert list(r.iloc[row]) == pytest.approx(expected, abs=0.005)


# --------------------------------------------------------------------- model runs


def test_scenarios_have_equal_length_and_the_promised_shapes():
    sc = dynamics_frames.dynamic_scenarios()
    assert set(sc) == {"ramp", "shock", "pulse"}
    assert {len(s) for s in sc.values()} == {40}
    assert sc["ramp"].S[0] == pytest.approx(0.2) and sc["ramp"].S[29:] == pytest.approx(0.9)
    assert sc["shock"].S[9] == 0.3 and sc["shock"].S[10] == 0.9
    assert (sc["pulse"].S == 0.9).sum() == 15 and sc["pulse"].S[-1] == 0.3
    with pytest.raises(ValueError, match="ramp_years"):
        dynamics_frames.dynamic_scenarios(ramp_years=50)
    with pytest.raises(ValueError, match="pulse"):
        dynamics_frames.dynamic_scenarios(at=30, width=15)


def test_runs_and_paths_chart():
    runs = dynamics_frames.dynamic_runs(dynamics_frames.dynamic_scenarios())
    assert len(runs) == 3 * 41
    ramp = runs[runs["scenario"] == "ramp"]
    assert ramp["C_dynamic"].iloc[-1] > ramp["C_static"].iloc[-1]
    pulse = runs[runs["scenario"] == "pulse"]
    assert pulse["H_m"].iloc[-1] > pulse["H_m"].min() + 0.1  # hurdles rebound
    spec = _check_finished(dynamics.dynamic_paths(runs))
    assert len(spec["vconcat"]) == 3
    with pytest.raises(ValueError, match="lacks column"):
        dynamics.dynamic_paths(runs.drop(columns="H_m"))
    with pytest.raises(ValueError, match="non-empty"):
        dynamics_frames.dynamic_runs({})
    with pytest.raises(TypeError, match="DynamicParams"):
        dynamics_frames.dynamic_runs(
            dynamics_frames.dynamic_scenarios(), dynamic=models.StaticParams()
        )


def test_phase_frame_converges_to_the_steady_states():
    frame = dynamics_frames.phase_frame(levels=(0.5, 0.9), years=120)
    steady = frame[frame["kind"] == "steady"].set_index("S")
    for s in (0.5, 0.9):
        ends = frame[(frame["kind"] == "path") & (frame["S"] == s) & (frame["year"] == 120)]
        assert len(ends) == 2  # both starts
        assert ends["C"].to_numpy() == pytest.approx(steady.loc[s, "C"], abs=2e-3)
        assert ends["H"].to_numpy() == pytest.approx(steady.loc[s, "H"], abs=2e-3)
    static = frame[frame["kind"] == "static steady"]
    assert (static["H"] == 0.6).all()
    _check_finished(dynamics.phase_portrait(dynamics_frames.phase_frame()))
    with pytest.raises(ValueError, match="levels"):
        dynamics_frames.phase_frame(levels=(1.2,))
    with pytest.raises(ValueError, match="start"):
        dynamics_frames.phase_frame(starts={"bad": (1.5, 0.1)})
    with pytest.raises(ValueError, match="gamma_e \\+ gamma_m"):
        dynamics_frames.phase_frame(params=models.DynamicParams(gamma_e=0, gamma_m=0))


def test_long_run_curve_static_below_dynamic():
    frame = dynamics_frames.long_run_frame()
    dyn = frame[frame["model"] == "dynamic model"].set_index("S")["C"]
    sta = frame[frame["model"] == "static model"].set_index("S")["C"]
    assert (dyn >= sta - 1e-9).all()
    assert sta.max() < 0.85 <= dyn.max()
    spec = _check_finished(dynamics.long_run_curve(frame))
    assert "1.04" in json.dumps(spec)
    with pytest.raises(ValueError, match="static model"):
        dynamics.long_run_curve(frame[frame["model"] == "dynamic model"])
    with pytest.raises(ValueError, match="at least two"):
        dynamics_frames.long_run_frame(S=[0.5])


def test_moving_threshold_falls_from_above_one_toward_0_8():
    mt = dynamics_frames.moving_threshold_frame()
    a = mt["alliance"].to_numpy()
    assert a[0] > 1.0
    assert np.all(np.diff(a) <= 1e-9)  # never rises on a ramp that is then held
    assert a[30] == pytest.approx(0.84, abs=0.005)
    assert a[-1] == pytest.approx(0.79, abs=0.005)
    assert (mt["entente"] < mt["alliance"]).all()
    _check_finished(dynamics.moving_threshold_chart(mt))
    with pytest.raises(ValueError, match="lacks column"):
        dynamics.moving_threshold_chart(mt.drop(columns="entente"))


# --------------------------------------------------------------------- illustrations


def test_ramp_on_calendar_uses_end_of_year_values(ramp):
    assert ramp["year"].tolist() == list(range(1996, 2026))
    traj = models.simulate_dynamic(models.DynamicParams(), models.ramp(0.2, 0.9, 30))
    np.testing.assert_allclose(ramp["C_dynamic"], traj.C[1:].round(4))
    assert ramp.loc[ramp["C_dynamic"] >= 0.5, "year"].min() == 2016
    with pytest.raises(ValueError, match="after first_year"):
        dynamics_frames.ramp_on_calendar(2000, 2000)


def test_pressure_vs_ramp_keeps_gaps_and_coverage(events, ramp):
    index = pressure.pressure_index(events)
    chart = dynamics.pressure_vs_ramp(
        index, ramp, coverage=pressure.coverage(events), source="events"
    )
    spec = _check_finished(chart)
    text = json.dumps(spec)
    assert "no coded" in text and "2018" in spec["description"]
    holed = index[index["year"] != 2010]
    rows = [
        r
        for rows in dynamics.pressure_vs_ramp(holed, ramp, coverage=(1999, 2018), source="x")
        .to_dict()["datasets"]
        .values()
        for r in rows
        if r.get("year") == 2010 and "inside" in r
    ]
    assert rows and rows[0]["S"] is None  # a gap stays a gap
    with pytest.raises(ValueError, match="coverage"):
        dynamics.pressure_vs_ramp(index, ramp, coverage=(2018, 1999), source="x")
    bad = index.assign(value=index["value"] * 2)
    with pytest.raises(ValueError, match="'value'"):
        dynamics.pressure_vs_ramp(bad, ramp, coverage=(1999, 2018), source="x")


def test_pressure_vs_ramp_takes_the_record_index(ramp):
    actions = pressure.load_record()
    combined = pressure.record_index(actions, index="combined")
    spec = _check_finished(
        dynamics.pressure_vs_ramp(
            combined, ramp, coverage=(1996, 2025), source="x", label="combined index"
        )
    )
    rows = [r for rows in spec["datasets"].values() for r in rows if "inside" in r]
    by_year = {r["year"]: r for r in rows}
    assert "crimea-sanctions" in by_year[2014]["events"]  # the record's acts feed the tooltip
    assert by_year[2025]["S"] == 1.0 and by_year[2025]["series"] == "combined index"
    assert "combined index" in spec["description"] and "1996–2025" in spec["description"]


def test_cooperation_vs_model(ramp, coded):
    unga = data.load("unga")
    spec = _check_finished(
        dynamics.cooperation_vs_model(unga, coded, ramp, source=data.source_line("unga"))
    )
    # W9: each observed proxy has its own panel and no threshold line; only the model
    # panel (last) carries the entente and alliance lines
    assert len(spec["vconcat"]) == 3
    observed, model_panel = spec["vconcat"][:2], spec["vconcat"][2]
    for panel in observed:
        assert "layer" not in panel and "Observed" in panel["title"]["text"]
    assert "layer" in model_panel
    assert spec["resolve"]["scale"]["y"] == "independent"
    assert "not a fit" in spec["description"] and "without thresholds" in spec["description"]
    with pytest.raises(ValueError, match="China–Russia agreement"):
        dynamics.cooperation_vs_model(
            unga[unga["measure"] == "ideal point"], coded, ramp, source="x"
        )
    with pytest.raises(ValueError, match="lacks column"):
        dynamics.cooperation_vs_model(unga, coded.drop(columns="C"), ramp, source="x")


# --------------------------------------------------------------------- explorable


def test_learning_grid_values_and_slider_binding():
    grid = dynamics_frames.learning_grid()
    ax = grid["axes"]
    assert len(grid["rows"]) == len(ax["effect"]) * len(ax["learning"]) * len(ax["rebound"])
    row = next(
        r for r in grid["rows"] if (r["d"], r["l"]) == (1.0, 1.0) and abs(r["r"] - 0.05) < 1e-9
    )
    # the default row is the default model on the scenario
    traj = models.simulate_dynamic(models.DynamicParams(), grid["scenario"])
    np.testing.assert_allclose(analysis.unpack_path(row["C"]), traj.C, atol=6e-4)
    assert row["a"] == int(traj.first_year("alliance")) == 22
    # no policy and no learning: hurdles never move, the model is static
    still = next(r for r in grid["rows"] if r["d"] == 0 and r["l"] == 0)
    assert set(still["Hm"].split(",")) == {"600"}  # thousandths
    assert still["a"] == -1

    chart = dynamics.learning_explorable(grid)
    spec = _check_finished(chart)
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"effect", "learning", "rebound"}
    for name in params:
        b = params[name]["bind"]
        keys = np.round(np.arange(b["min"], b["max"] + b["step"] / 2, b["step"]), 6)
        np.testing.assert_allclose(keys, ax[name])
    text = json.dumps(spec)
    assert "abs(datum.d - effect) < 1e-06" in text  # tolerance, not float equality
    with pytest.raises(ValueError, match="not on the slider grid"):
        dynamics.learning_explorable(grid, rebound=0.03)
    with pytest.raises(ValueError, match="lacks"):
        dynamics.learning_explorable({"rows": []})


def test_every_slider_changes_the_paths():
    grid = dynamics_frames.learning_grid()
    rows = {(r["d"], r["l"], round(r["r"], 3)): r for r in grid["rows"]}
    base = rows[(1.0, 1.0, 0.05)]
    for key in ((0.0, 1.0, 0.05), (1.0, 0.0, 0.05), (1.0, 1.0, 0.1)):
        assert rows[key]["C"] != base["C"] and rows[key]["Hm"] != base["Hm"]


def test_learning_grid_rejects_bad_axes():
    with pytest.raises(ValueError, match="effect"):
        dynamics_frames.learning_grid(effect=(0.0,))
    with pytest.raises(ValueError, match="learning"):
        dynamics_frames.learning_grid(learning=(-1.0, 0.0, 1.0))
    with pytest.raises(ValueError, match="delta_m \\+ lambda_m \\+ rho_m"):
        dynamics_frames.learning_grid(effect=(0.0, 10.0), rebound=(0.0, 0.5))


# --------------------------------------------------------------------- the chapter's table


def test_parameter_table_in_the_chapter_matches_the_library():
    """The Reconstruction box's defaults are typed by hand: hold them to the library."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    table = {}
    for line in md.splitlines():
        m = re.match(r"^\| \$(.+?)\$ \|.*\| ([0-9., ]+) \|$", line)
        if m:
            table[m.group(1)] = [float(v) for v in m.group(2).split(",")]
    p = models.DynamicParams()
    expected = {
        r"\beta": [p.beta],
        r"\gamma_e, \gamma_m": [p.gamma_e, p.gamma_m],
        "k, x_0": [p.k, p.x0],
        r"\kappa": [p.kappa],
        r"\theta_E, \theta_A": [p.theta_E, p.theta_A],
        "C_0": [p.C0],
        "H_{e,0}, H_{m,0}": [p.H_e0, p.H_m0],
        "s_0": [p.s0],
        r"\delta_e, \delta_m": [p.delta_e, p.delta_m],
        r"\lambda_e, \lambda_m": [p.lambda_e, p.lambda_m],
        r"\rho_e, \rho_m": [p.rho_e, p.rho_m],
    }
    assert table == expected


def test_the_long_run_curve_is_drawn_at_every_hundredth_of_pressure():
    frame = dynamics_frames.long_run_frame()
    for _, g in frame.groupby("model"):
        np.testing.assert_allclose(g["S"].to_numpy(), np.linspace(0, 1, 101), atol=1e-12)
