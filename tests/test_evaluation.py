"""Chapter 11 glue (reluctant_allies.analysis.evaluation): freeze first, score later."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reluctant_allies import data
from reluctant_allies.analysis import evaluation as ev
from reluctant_allies.analysis import verdicts

# ---- proxies -------------------------------------------------------------------------


def test_proxy_table_values_and_gaps(tables, run):
    obs = run["obs"].set_index("year")
    assert list(obs.columns) == list(ev.PROXIES)
    assert obs.index.min() == 1996 and obs.index.max() == 2024
    assert obs.loc[2018, "unga_agreement"] == pytest.approx(0.784946, abs=1e-6)
    assert np.isnan(obs.loc[2024, "unga_agreement"])  # the June 2024 release ends in 2023
    assert obs.loc[[2015, 2016], "dependence_gap"].isna().all()  # producer hole stays a hole
    assert obs.loc[2024, "vciom_not_friendly"] == pytest.approx(28.0)
    assert obs["vciom_not_friendly"].notna().sum() == 6
    gap = abs(obs.loc[2024, "ideal_point_gap"])
    assert gap == pytest.approx(0.255, abs=1e-3)


def test_calibration_proxies_stop_in_2018(run):
    assert run["cal"]["year"].max() == 2018


def test_proxy_table_rejects_missing_column(tables):
    bad = tables["unga"].drop(columns="measure")
    with pytest.raises(ValueError, match="'unga' lacks column"):
        ev.proxy_table(bad, tables["trade"], tables["power"], tables["opinion"])


# ---- pressure ------------------------------------------------------------------------


def test_pressure_scenarios(run):
    p = run["paths"]
    assert set(p["scenario"]) == set(ev.SCENARIOS)
    held = p[p["scenario"] == "held"].set_index("year")["value"]
    assert held.loc[2019:2023].eq(held.loc[2018]).all()
    fading = p[p["scenario"] == "fading"].set_index("year")["value"]
    assert fading.loc[2019] < fading.loc[2018] and fading.loc[2023] < fading.loc[2019]
    mean = p[p["scenario"] == "mean"].set_index("year")["value"]
    assert mean.loc[2020] == pytest.approx(
        run["S"].set_index("year").loc[1996:2018, "value"].mean()
    )
    assert p.groupby("scenario")["year"].max().eq(2023).all()


def test_pressure_scenarios_refuse_mismatched_coding(tables, run):
    with pytest.raises(ValueError, match="half_life"):
        ev.pressure_scenarios(run["S"], tables["events"], half_life=1.0)


# ---- freeze and forecast -------------------------------------------------------------


def test_freeze_refuses_holdout_rows(run):
    with pytest.raises(ValueError, match=r"2019.*outside the calibration window"):
        ev.freeze(run["obs"], run["S"])


def test_freeze_refuses_pressure_past_2018(run):
    longer = pd.concat([run["S"], pd.DataFrame({"year": [2019], "value": [0.5]})])
    with pytest.raises(ValueError, match="S_cal runs past 2018"):
        ev.freeze(run["cal"], longer)


def test_frozen_fit_is_deterministic(run):
    again = ev.freeze(run["cal"], run["S"])
    for name in ("static model", "dynamic model"):
        assert again.fits[name].estimates == run["frozen"].fits[name].estimates


def test_forecast_matches_library_one_shot_fit(run):
    check = ev.library_crosscheck(run["frozen"], run["obs"], run["paths"], run["err"])
    assert check["agree to 1e-9"].all()
    assert list(check.index) == list(ev.MODEL_ORDER)


def test_forecast_shapes_and_units(run):
    fc, frozen = run["fc"], run["frozen"]
    assert set(fc["model"]) == set(ev.MODEL_ORDER)
    rw = fc[fc["model"] == "random walk"]
    assert rw["year"].min() == 2019  # only the hold-out
    last = run["cal"].set_index("year").loc[2018, "unga_agreement"]
    rw_agree = rw[rw["proxy"] == "unga_agreement"]["predicted_units"]
    assert np.allclose(rw_agree, last)
    scaled = frozen.standardise(run["cal"])
    assert scaled["unga_agreement"].min() == pytest.approx(0.0)
    assert scaled["unga_agreement"].max() == pytest.approx(1.0)


def test_forecast_rejects_short_pressure_path(run):
    short = run["paths"][run["paths"]["year"] <= 2020]
    with pytest.raises(ValueError, match="lacks year"):
        ev.forecast(run["frozen"], short)


# ---- scores --------------------------------------------------------------------------


def test_comparison_table_numbers(run):
    table = ev.comparison_table(run["frozen"], run["err"])
    assert list(table.index) == list(ev.MODEL_ORDER)
    assert table.loc["random walk", "parameters"] == 0
    # n counts observed proxy values: every calibration cell for a model fit, one fewer per
    # proxy for the random walk (a proxy's first value has no predecessor to predict it)
    proxies = list(ev.PROXIES)
    n_cal = int(run["cal"][proxies].notna().sum().sum())
    held = run["obs"][run["obs"]["year"] > run["cal"]["year"].max()]
    assert table.loc["static model", "n"] == table.loc["dynamic model", "n"] == n_cal
    assert table.loc["random walk", "n"] == n_cal - len(proxies)
    assert (table["hold-out n"] == int(held[proxies].notna().sum().sum())).all()
    # the chapter's verdicts, as printed
    assert table["AIC"].idxmin() == "dynamic model"
    assert table["BIC"].idxmin() == "dynamic model"
    assert table["hold-out RMSE"].idxmin() == "random walk"
    assert table["hold-out MAE"].idxmin() == "random walk"


def test_comparison_table_rejects_unknown_scenario(run):
    with pytest.raises(ValueError, match="unknown scenario"):
        ev.comparison_table(run["frozen"], run["err"], scenario="doom")


def test_holdout_errors_pool_correctly(run):
    e = run["err"]
    one = e[(e["model"] == "linear trend") & (e["proxy"] != "all proxies")]
    pooled = e[(e["model"] == "linear trend") & (e["proxy"] == "all proxies")].iloc[0]
    assert one["n"].sum() == pooled["n"] == 19
    rmse = np.sqrt((one["n"] * one["RMSE"] ** 2).sum() / one["n"].sum())
    assert rmse == pytest.approx(pooled["RMSE"])


def test_holdout_errors_need_holdout_data(run):
    with pytest.raises(ValueError, match="no observation"):
        ev.holdout_errors(run["fc"], run["cal"], run["frozen"])


def test_parameter_and_observation_tables(run):
    pt = ev.parameter_table(run["frozen"])
    assert "dynamic" in pt.loc["delta_m", "at a bound in"]
    assert pt.loc["delta_e", "static model"] == "–"
    ot = ev.observation_table(run["frozen"])
    assert ot.loc[("static model", "dependence_gap"), "check"] == "mean only"
    assert ot.loc[("dynamic model", "dependence_gap"), "check"] == "reversed"
    assert ot.loc[("dynamic model", "ideal_point_gap"), "check"] == "ok"
    assert ot.loc[("dynamic model", "unga_agreement"), "b"] == 1.0


def test_sig_rounds_and_zeroes():
    assert ev.sig(123.456, 4) == 123.5
    assert ev.sig(123.456) == 123.0  # evaluation.DIGITS = 3
    assert ev.sig(3e-20) == 0.0
    assert ev.sig(-0.000123456) == -0.000123
    assert np.isnan(ev.sig(float("nan")))


# ---- the C4 test and the scorecard ---------------------------------------------------


def test_hurdle_tests(tables, run):
    ht = ev.hurdle_tests(run["cal"], run["S"], data.load("themed_years"))
    row = ht.loc[("dependence_gap", "none")]
    assert row["n"] == 19
    assert row["slope"] < 0
    assert row["MDE80"] > abs(row["slope"])
    assert row["ΔAIC"] < 0
    assert ht.loc[("vciom_not_friendly", "no test"), "n"] == 0


def test_scorecard(tables, run):
    sc = verdicts.scorecard(tables["events"], tables["exercises"], run["obs"])
    assert sc.loc["No formal alliance", "verdict"] == "yes, to 2025"
    assert sc.loc["Hurdles wear down: opinion", "verdict"] == "yes"
    assert sc.loc["Hurdles wear down: economic asymmetry", "verdict"] == "no"
    assert sc.loc["Cooperation up after 2022", "verdict"].startswith("yes (military)")
    measured = sc.loc["Cooperation up after 2022", "measured"]
    assert "11 in 2019–21, 20 in 2022–24 (strict rules: 11 and 19)" in measured
    evidence = verdicts.scorecard_evidence(tables["events"])
    assert ("No formal alliance", "21 Mar 2023") in evidence.index
    assert len(evidence) == sum(len(v) for v in verdicts.PREDICTIONS.values())


def test_scorecard_military_verdict_needs_the_strict_count_too(tables, run):
    # broad count up (11 -> 20) but, on a table whose 2022-24 rows are mostly not strict,
    # the strict count falls: the verdict must not say "yes"
    ex = tables["exercises"].copy()
    late = ex["year"].between(2022, 2024) & ex["counted"].astype(bool)
    ex.loc[late[late].index[:12], "strict"] = False
    sc = verdicts.scorecard(tables["events"], ex, run["obs"])
    assert sc.loc["Cooperation up after 2022", "verdict"].startswith("no (military)")
    # context rows never count
    ex = tables["exercises"].copy()
    ex.loc[~ex["counted"].astype(bool), "year"] = 2023
    sc = verdicts.scorecard(tables["events"], ex, run["obs"])
    assert "20 in 2022–24" in sc.loc["Cooperation up after 2022", "measured"]


def test_scorecard_names_missing_event(tables, run):
    ev_missing = tables["events"][tables["events"]["id"] != "not-an-alliance-2023"]
    with pytest.raises(ValueError, match="not-an-alliance-2023"):
        verdicts.scorecard(ev_missing, tables["exercises"], run["obs"])


def test_scorecard_detects_an_alliance(tables, run):
    extra = pd.DataFrame(
        [
            {
                "id": "hypothetical",
                "date": pd.Timestamp("2026-01-01"),
                "event": "Mutual defence treaty signed",
                "category": "cooperation",
                "actor": "China–Russia",
            }
        ]
    )
    events = pd.concat([tables["events"], extra], ignore_index=True)
    sc = verdicts.scorecard(events, tables["exercises"], run["obs"])
    assert sc.loc["No formal alliance", "verdict"] == "no"
