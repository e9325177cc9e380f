"""Chapter 9 (hysteresis and lock-in): the chart module ``reluctant_allies.charts.hysteresis``."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import reluctant_allies.analysis.hysteresis as hya
import reluctant_allies.charts.hysteresis as hy
from reluctant_allies import data, models, pressure

MAX_INLINE = 400_000


@pytest.fixture(scope="module")
def grid() -> pd.DataFrame:
    return hya.band_grid()


def _subtitle(spec: dict) -> list[str]:
    sub = spec["title"]["subtitle"]
    return [sub] if isinstance(sub, str) else list(sub)


def _check(chart) -> dict:
    spec = chart.to_dict()
    assert spec["description"].strip()
    assert _subtitle(spec)[0].startswith("Source")
    assert len(chart.to_json()) <= MAX_INLINE
    return spec


# --------------------------------------------------------------------- evidence


def test_record_frame_keeps_series_apart_and_breaks_gaps(unga, opinion):
    df = hya.record_frame(unga, opinion)
    agree = df[df["panel"] == "UN votes"]
    assert agree["year"].min() == 1992 and agree["segment"].nunique() == 1
    ops = df[df["panel"] == "Russian opinion"]
    vciom = ops[ops["series"].str.startswith("VTsIOM: relations")].sort_values("year")
    assert vciom["year"].tolist() == [2005, 2009, 2014, 2022, 2023, 2024]
    # 2005, 2009, 2014 are each alone; 2022-2024 is one run: four segments
    assert vciom["segment"].nunique() == 4
    assert set(ops["series"].str.split(":").str[0]) == {"VTsIOM", "Levada Center"}


def test_cooperation_record_draws_with_event_rules(unga, opinion):
    record = pressure.load_record()
    chart = hy.cooperation_record(
        unga, opinion, record, sources=[data.source_line("unga"), data.source_line("opinion")]
    )
    spec = _check(chart)
    assert "2014 sanctions" in spec["description"] and "2022 sanctions" in spec["description"]
    assert len(_subtitle(spec)) >= 2
    rules = [r for rows in spec["datasets"].values() for r in rows if "label" in r and "x" in r]
    assert {r["label"] for r in rules} == {"2014 sanctions", "2022 sanctions"}
    assert next(r for r in rules if r["label"] == "2022 sanctions")["date"] == "24 Feb 2022"


def test_cooperation_record_marks_only_western_actions(unga, opinion, events):
    """W14: China's UN abstention is not a moment of Western pressure."""
    with pytest.raises(ValueError, match="Western actions.*unga-es-11-1"):
        hy.cooperation_record(
            unga, opinion, events, marks={"unga-es-11-1": "2022 UN vote"}, sources=["x"]
        )


def test_cooperation_record_rejects_bad_input(unga, opinion, events):
    with pytest.raises(ValueError, match="no event with id"):
        hy.cooperation_record(unga, opinion, events, marks={"nope": "x"}, sources=["x"])
    with pytest.raises(ValueError, match="no event with id"):
        hy.cooperation_record(unga, opinion, events, sources=["x"])  # defaults are record ids
    with pytest.raises(ValueError, match="lacks column"):
        hya.record_frame(unga.drop(columns="measure"), opinion)
    with pytest.raises(ValueError, match="China–Russia"):
        hya.record_frame(unga[unga["subject"] != "China–Russia"], opinion)


def test_loop_frame_uses_the_coverage_window(unga, events):
    index = pressure.pressure_index(events)
    window = pressure.coverage(events)
    df = hya.loop_frame(unga, index, window=window)
    assert (df["year"].min(), df["year"].max()) == window
    assert df["year"].is_unique and df["segment"].nunique() == 1
    row = df[df["year"] == 2018].iloc[0]
    assert row["S"] == pytest.approx(1.0)
    ip = unga[unga["measure"] == "ideal point"].pivot(
        index="year", columns="subject", values="value"
    )
    assert row["gap"] == pytest.approx(
        abs(ip.loc[2018, "Russia"] - ip.loc[2018, "China"]), abs=1e-3
    )


def test_loop_frame_rejects_bad_input(unga, events):
    index = pressure.pressure_index(events)
    with pytest.raises(ValueError, match="window"):
        hya.loop_frame(unga, index, window=(2018, 1999))
    bad = index.copy()
    bad.loc[bad["year"] == 2005, "value"] = 1.5
    with pytest.raises(ValueError, match="2005"):
        hya.loop_frame(unga, bad, window=(1999, 2018))
    with pytest.raises(ValueError, match="lacks column"):
        hya.loop_frame(unga, index.drop(columns="value"), window=(1999, 2018))


def test_empirical_loop_draws(unga, events):
    chart = hy.empirical_loop(
        unga, pressure.pressure_index(events), window=(1999, 2018), sources=["x", "y"]
    )
    _check(chart)


def test_empirical_loop_on_the_record_index(unga):
    combined = pressure.record_index(pressure.load_record(), index="combined")
    df = hya.loop_frame(unga, combined, window=(1996, 2025))
    assert df["year"].min() == 1996 and df["year"].max() >= 2023
    assert df["S"].is_monotonic_increasing is False  # the record rises and fades
    row = df.set_index("year").loc[2022]
    assert row["S"] == pytest.approx(combined.set_index("year").loc[2022, "value"], abs=1e-3)
    _check(hy.empirical_loop(unga, combined, window=(1996, 2025), sources=["x", "y"]))


# --------------------------------------------------------------------- model


def test_loop_widths_match_the_library():
    table = hya.loop_widths()
    static, demo = table["widest gap"].tolist()
    # the table prints two decimals: half a unit (0.005) is all rounding may move; the
    # widths themselves are pinned once, in test_models_dynamic
    for printed, params in ((static, models.StaticParams()), (demo, models.HYSTERESIS_DEMO)):
        assert printed == pytest.approx(models.hysteresis_loop(params).width, abs=0.005)
    assert (table["bistable band of S"] == "none").all()
    lock = hya.loop_widths({"l": ("lock", models.LOCK_IN)})
    lo, hi = models.bistability_band(models.LOCK_IN)
    assert lock["bistable band of S"].iloc[0] == f"{lo:.2f}–{hi:.2f}"
    with pytest.raises(ValueError, match="at must"):
        hya.loop_widths(at=1.5)


def test_sweep_loops_titles_carry_widths():
    spec = _check(hy.sweep_loops())
    titles = [p["title"]["text"] for p in spec["hconcat"]]
    assert titles[0][1] == "widest gap 0.05" and titles[1][1] == "widest gap 0.30"
    with pytest.raises(ValueError, match="one or two presets"):
        hy.sweep_loops({})
    with pytest.raises(ValueError, match="years_up"):
        hy.sweep_loops(years_up=0)
    with pytest.raises(ValueError, match="params"):
        hy.sweep_loops({"x": ("x", "not params")})


def test_memory_fades_for_the_demo_but_not_for_lock_in():
    demo = hya.memory_fade(models.HYSTERESIS_DEMO, 0.5, hold=80)
    start = demo[demo["t"] == 0].set_index("run")["C"]
    assert start[hy.RUNS[0]] - start[hy.RUNS[1]] > 0.3  # way down far above way up
    years = hya.memory_fade_years(demo)
    assert years is not None and 20 < years <= 80
    lock = hya.memory_fade(models.LOCK_IN, 0.62, hold=80)
    assert hya.memory_fade_years(lock) is None
    end = lock[lock["t"] == 80].set_index("run")["C"]
    ss = models.steady_states(models.LOCK_IN, [0.62])
    assert end[hy.RUNS[0]] == pytest.approx(ss.high[0], abs=0.01)
    assert end[hy.RUNS[1]] == pytest.approx(ss.low[0], abs=0.01)


def test_memory_fade_rejects_bad_input():
    with pytest.raises(ValueError, match="at must"):
        hya.memory_fade(models.HYSTERESIS_DEMO, 0.99)
    with pytest.raises(ValueError, match="hold"):
        hya.memory_fade(models.HYSTERESIS_DEMO, 0.5, hold=0)
    with pytest.raises(ValueError, match="two runs"):
        hya.memory_fade_years(hya.memory_fade().query("run == @hy.RUNS[0]"))
    with pytest.raises(ValueError, match="tol"):
        hya.memory_fade_years(hya.memory_fade(), tol=0)


def test_memory_fade_chart_says_who_meets():
    spec = _check(hy.memory_fade_chart())
    assert "histories meet" in spec["description"] and "no meeting" in spec["description"]


def test_steady_branches_lock_in():
    br = hya.steady_branches(models.LOCK_IN, np.round(np.linspace(0, 1, 101), 2))
    bi = br[br["n_stable"] >= 2]
    assert bi["S"].min() == pytest.approx(0.56) and bi["S"].max() == pytest.approx(0.68)
    # the unstable state lies strictly between the two stable ones, only inside the band
    assert (bi["low"] < bi["unstable"]).all() and (bi["unstable"] < bi["high"]).all()
    assert br.loc[br["n_stable"] < 2, "unstable"].isna().all()
    # no line jumps across a fold: one branch per side outside the band
    assert br.loc[br["S"] > 0.68, "low"].isna().all()
    assert br.loc[br["S"] < 0.56, "high"].isna().all()
    demo = hya.steady_branches(models.HYSTERESIS_DEMO)
    assert demo["high"].isna().all() and demo["low"].notna().all()


def test_bifurcation_diagram(tmp_path):
    spec = _check(hy.bifurcation_diagram())
    assert "0.56 to 0.68" in spec["description"]
    with pytest.raises(ValueError, match="without a band"):
        hy.bifurcation_diagram(compare=("lock", models.LOCK_IN))


def test_band_grid_values(grid):
    assert sorted(grid["lam"].unique()) == [0.0, 0.1, 0.2, 0.3]
    assert sorted(grid["k"].unique()) == list(range(8, 25, 2))
    none = grid[grid["lam"] == 0.0]
    assert (none["n_stable"] < 2).all()  # no learning, no lock-in
    gentle = grid[grid["k"] <= 12]
    assert (gentle["n_stable"] < 2).all()
    at = grid[(grid["lam"] == 0.3) & (grid["k"] == 20.0) & (grid["n_stable"] >= 2)]
    assert at["S"].min() == pytest.approx(0.56) and at["S"].max() == pytest.approx(0.68)
    with pytest.raises(ValueError, match="evenly spaced"):
        hya.band_grid(learning=(0.0, 0.1, 0.3))
    with pytest.raises(ValueError, match="steepness"):
        hya.band_grid(steepness=(-2.0, 2.0))


def test_band_explorer_sliders_and_size(grid):
    chart = hy.band_explorer(grid)
    spec = _check(chart)
    params = {p["name"]: p for p in spec["params"]}
    assert params["lam"]["value"] == 0.3 and params["steep"]["value"] == 20.0
    assert params["steep"]["bind"]["step"] == 2.0
    text = json.dumps(spec)
    assert "one stable state at every S: no lock-in" in text
    assert "two stable states for S from 0.56 to 0.68" in text
    with pytest.raises(ValueError, match="not on the grid"):
        hy.band_explorer(grid, learning=0.25)
    with pytest.raises(ValueError, match="lacks column"):
        hy.band_explorer(grid.drop(columns="unstable"))
