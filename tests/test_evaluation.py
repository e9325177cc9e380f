"""Chapter 11 glue (analysis.evaluation): freeze first, score later, on the real tables."""

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
    assert list(obs.columns) == list(ev.FIRST_EDITION_PROXIES)
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
    assert set(p["scenario"]) == set(ev.SCENARIOS) - {"observed"}
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
    with pytest.raises(
        ValueError, match="^pressure_scenarios: S_cal differs from the index coded with the same"
    ):
        ev.pressure_scenarios(run["S"], tables["events"], half_life=1.0)


# ---- freeze and forecast -------------------------------------------------------------


def test_freeze_refuses_holdout_rows(run):
    with pytest.raises(ValueError, match=r"2019.*outside the calibration window"):
        ev.freeze(run["obs"], run["S"], proxies=ev.FIRST_EDITION_PROXIES)


def test_freeze_refuses_pressure_past_2018(run):
    longer = pd.concat([run["S"], pd.DataFrame({"year": [2019], "value": [0.5]})])
    with pytest.raises(ValueError, match="S_cal runs past 2018"):
        ev.freeze(run["cal"], longer, proxies=ev.FIRST_EDITION_PROXIES)


def test_frozen_fit_is_deterministic(run):
    again = ev.freeze(run["cal"], run["S"], proxies=ev.FIRST_EDITION_PROXIES)
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
    proxies = list(ev.FIRST_EDITION_PROXIES)
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


def test_holdout_errors_keep_the_model_and_proxy_order(run):
    """Rows follow MODEL_ORDER, then the frozen proxies' order (not the alphabet)."""
    e = run["err"]
    want = [*run["frozen"].proxies, "all proxies"]
    assert want[:-1] != sorted(want[:-1])  # the check below can tell the two orders apart
    for _, g in e.groupby(["model", "scenario"], sort=False):
        got = list(g["proxy"])
        assert got == [p for p in want if p in got]
    assert list(dict.fromkeys(e["model"])) == [m for m in ev.MODEL_ORDER if m in set(e["model"])]
    # every forecast row is converted back to the proxy's units, as a number
    assert run["fc"]["predicted_units"].dtype == float
    assert run["fc"]["predicted_units"].notna().all()


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
    ht = ev.hurdle_tests(
        run["cal"], run["S"], data.load("themed_years"), proxies=ev.FIRST_EDITION_PROXIES
    )
    row = ht.loc[("dependence_gap", "none")]
    assert row["n"] == 19
    assert row["slope"] < 0
    assert row["MDE80"] > abs(row["slope"])
    assert row["ΔAIC"] < 0
    assert ht.loc[("vciom_not_friendly", "no test"), "n"] == 0


def test_scorecard(tables, run2):
    sc = verdicts.scorecard(tables["events"], tables["exercises"], run2["obs"])
    assert sc.loc["No formal alliance", "verdict"] == "yes, to 2025"
    assert sc.loc["Hurdles wear down: opinion", "verdict"] == "yes"
    assert sc.loc["Hurdles wear down: economic asymmetry", "verdict"] == "no"
    assert sc.loc["Cooperation up after 2022", "verdict"].startswith("yes (military)")
    measured = sc.loc["Cooperation up after 2022", "measured"]
    assert "11 in 2019–21, 20 in 2022–24 (strict rules: 11 and 19;" in measured
    assert "by kind: exercises 7 → 10, patrols 4 → 10" in measured
    assert "in 2023 and 2024" in sc.loc["No formal alliance", "measured"]
    econ = sc.loc["Hurdles wear down: economic asymmetry", "measured"]
    assert "15.8 (2018) → 18.0 (2021): deepened" in econ
    assert "77.3 (2018) → 77.0 (2023): no clear change" in econ
    evidence = verdicts.scorecard_evidence(tables["events"])
    assert ("No formal alliance", "21 Mar 2023") in evidence.index
    assert len(evidence) == sum(len(v) for v in verdicts.PREDICTIONS.values())


def test_scorecard_military_verdict_needs_the_strict_count_too(tables, run2):
    run = run2
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


def test_scorecard_names_missing_event(tables, run2):
    run = run2
    ev_missing = tables["events"][tables["events"]["id"] != "not-an-alliance-2023"]
    with pytest.raises(ValueError, match="not-an-alliance-2023"):
        verdicts.scorecard(ev_missing, tables["exercises"], run["obs"])


def test_scorecard_detects_an_alliance(tables, run2):
    run = run2
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


def test_scorecard_economic_verdict_follows_every_measure(tables, run2):
    # one measure easing is "mixed", all easing is "yes": the verdict reads each measure
    obs = run2["obs"].copy()
    obs.loc[obs["year"] == 2021, "trade_share_dependence"] = 10.0
    sc = verdicts.scorecard(tables["events"], tables["exercises"], obs)
    assert sc.loc["Hurdles wear down: economic asymmetry", "verdict"] == "mixed"
    obs.loc[obs["year"] == 2023, ["mineral_share", "dependence_gap"]] = [50.0, 1.0]
    sc = verdicts.scorecard(tables["events"], tables["exercises"], obs)
    assert sc.loc["Hurdles wear down: economic asymmetry", "verdict"] == "yes"


def test_scorecard_vote_verdicts_follow_the_measured_direction(tables, run2):
    # the real record says "no" for UNGA agreement (0.78 -> 0.68) and "yes" for ideal points
    # (gap 0.36 -> 0.26); each flipped input must flip its own verdict and only that one
    verdict = "Cooperation up after 2022", "verdict"
    real = verdicts.scorecard(tables["events"], tables["exercises"], run2["obs"]).loc[verdict]
    assert real == "yes (military); no (UNGA agreement); yes (ideal points)"
    obs = run2["obs"].copy()
    obs.loc[obs["year"] == 2023, "unga_agreement"] = 0.80
    sc = verdicts.scorecard(tables["events"], tables["exercises"], obs)
    assert sc.loc[verdict] == "yes (military); yes (UNGA agreement); yes (ideal points)"
    assert "UNGA agreement 0.78 (2021) → 0.80 (2023)" in sc.loc[verdict[0], "measured"]
    obs.loc[obs["year"] == 2024, "ideal_point_gap"] = 0.40
    sc = verdicts.scorecard(tables["events"], tables["exercises"], obs)
    assert sc.loc[verdict] == "yes (military); yes (UNGA agreement); no (ideal points)"
    # a level that did not move is not a rise: equal is "no" on ideal points (gap must shrink)
    obs.loc[obs["year"] == 2024, "ideal_point_gap"] = float(
        obs.loc[obs["year"] == 2021, "ideal_point_gap"].iloc[0]
    )
    sc = verdicts.scorecard(tables["events"], tables["exercises"], obs)
    assert sc.loc[verdict].endswith("no (ideal points)")
    obs.loc[obs["year"] == 2024, "ideal_point_gap"] = float("nan")
    with pytest.raises(ValueError, match="ideal_point_gap is not observed in 2024"):
        verdicts.scorecard(tables["events"], tables["exercises"], obs)


# ---- second edition: the pressure record, the conditional forecast, the proxy sets ----


def test_second_edition_proxies(run2):
    obs = run2["obs"].set_index("year")
    # China's share of Russia's trade: COW to 2014, IMF DOTS after (one break, no overlap used)
    assert obs.loc[2014, "trade_share_dependence"] == pytest.approx(11.9907)
    assert obs.loc[2015, "trade_share_dependence"] == pytest.approx(12.0861)
    assert obs.loc[2021, "trade_share_dependence"] == pytest.approx(17.9595)
    assert np.isnan(obs.loc[2022, "trade_share_dependence"])
    assert obs["mineral_share"].notna().sum() == 7  # BACI 2017-2023 only
    assert obs.loc[2018, "mineral_share"] == pytest.approx(77.2703, abs=1e-3)
    assert obs.loc[2024, "arms_tiv"] == 30.0
    assert run2["cal"]["mineral_share"].notna().sum() == 2


def test_record_pressure_is_the_record_on_its_own_scale(run2):
    S, paths = run2["S"], run2["paths"]
    assert S["year"].min() == 1991 and S["year"].max() == 2018
    assert S.set_index("year").loc[2018, "value"] == pytest.approx(0.424045, abs=1e-6)
    obs = paths[paths["scenario"] == "observed"].set_index("year")
    held = paths[paths["scenario"] == "held"].set_index("year")
    assert obs.loc[2023, "value"] == pytest.approx(0.893351, abs=1e-6)
    assert (held.loc[2019:2023, "value"] == held.loc[2018, "value"]).all()
    assert set(obs.loc[2019:, "window"]) == {"observed"}
    assert set(held.loc[2019:, "window"]) == {"assumed"}
    assert paths.groupby("scenario")["year"].max().eq(2023).all()
    assert paths["value"].between(0, 1).all()
    with pytest.raises(ValueError, match="must be after"):
        ev.record_scenarios(run2["actions"], through=2018)


def test_conditional_table_and_verdict(run2):
    table = ev.conditional_table(run2["err"])
    assert list(table.index) == [f[0] for f in ev.FORECASTS]
    assert (table["n"] == 17).all()
    assert table.loc["dynamic model, observed pressure", "RMSE"] == pytest.approx(0.747)
    assert table.loc["dynamic model, pressure held at 2018", "RMSE"] == pytest.approx(0.503)
    assert table.loc["linear trend", "RMSE"] == pytest.approx(0.38)
    assert table.loc["random walk", "RMSE"] == pytest.approx(0.198)
    share = ev.conditional_table(run2["err"], proxy="trade_share_dependence")
    assert (share["n"] == 3).all()
    v = ev.conditional_verdict(run2["err"])
    assert v["verdict"] == "not supported" and v["best baseline"] == "random walk"
    with pytest.raises(ValueError, match="no errors for proxy"):
        ev.conditional_table(run2["err"], proxy="arms_tiv")


def test_conditional_tables_side_by_side_with_one_header_row(run2):
    err = run2["err"]
    wide = ev.conditional_tables({0.0: err, 0.3: err})
    assert list(wide.columns) == [
        "n",
        "RMSE, δ_m = 0",
        "MAE, δ_m = 0",
        "RMSE, δ_m = 0.3",
        "MAE, δ_m = 0.3",
    ]
    one = ev.conditional_table(err)
    assert wide["RMSE, δ_m = 0.3"].equals(one["RMSE"]) and wide["n"].equals(one["n"])
    assert wide.columns.nlevels == 1  # a MultiIndex header is invalid HTML (halign)
    fewer = err.copy()
    fewer.loc[fewer["proxy"] == "all proxies", "n"] -= 1
    with pytest.raises(ValueError, match="n differs between δ_m = 0 and 0.3"):
        ev.conditional_tables({0.0: err, 0.3: fewer})
    with pytest.raises(ValueError, match="empty"):
        ev.conditional_tables({})


def test_conditional_verdict_rule(run2):
    err = run2["err"].copy()
    dyn = (err["model"] == "dynamic model") & (err["proxy"] == "all proxies")
    err.loc[dyn & (err["scenario"] == "observed"), "RMSE"] = 0.1
    assert ev.conditional_verdict(err)["verdict"] == "supported"
    err.loc[dyn & (err["scenario"] == "observed"), "RMSE"] = 0.3
    assert ev.conditional_verdict(err)["verdict"] == "pressure helps, baselines better"
    err.loc[dyn & (err["scenario"] == "observed"), "RMSE"] = 0.503
    assert ev.conditional_verdict(err)["verdict"] == "not supported"  # a tie is not a win


def test_freeze_rejects_unknown_or_cooperation_free_proxies(run2):
    with pytest.raises(ValueError, match="proxies must be names"):
        ev.freeze(run2["cal"], run2["S"], proxies=("unga_agreement", "doom"))
    with pytest.raises(ValueError, match="cooperation"):
        ev.freeze(run2["cal"], run2["S"], proxies=("trade_share_dependence",))


def test_proxy_set_table_moves_with_the_hurdle_proxy(run2):
    names = ("main: trade-share dependence", "hurdle = dependence gap (first edition)")
    sets = {k: ev.PROXY_SETS[k] for k in names}
    args = (run2["cal"], run2["obs"], run2["S"], run2["paths"])
    lo = ev.proxy_set_table(*args, sets=sets, fixed={"delta_m": 0.0})
    hi = ev.proxy_set_table(*args, sets=sets, fixed={"delta_m": 0.3})
    main, first = names
    assert lo.loc[main, "verdict"] == hi.loc[main, "verdict"] == "not supported"
    # only with the trade-proportional proxy, and only at one end of delta_m
    assert lo.loc[first, "verdict"] == "supported"
    assert hi.loc[first, "verdict"] == "not supported"
    assert lo.loc[first, "dynamic, observed S"] == pytest.approx(0.294)
    assert (lo["hurdle loading"] == "reversed").all()
    assert "hurdle = mineral-products share" not in ev.PROXY_SETS  # too short to fit


def test_freeze_fixed_parameters(run2):
    fz = ev.freeze(run2["cal"], run2["S"], fixed={"delta_m": 0.0})
    assert "delta_m" not in fz.fits["dynamic model"].estimates
    assert fz.fixed == (("delta_m", 0.0),)
    with pytest.raises(ValueError, match="not free dynamic parameters"):
        ev.freeze(run2["cal"], run2["S"], fixed={"beta": 1.0})
    with pytest.raises(ValueError, match="outside its box"):
        ev.freeze(run2["cal"], run2["S"], fixed={"delta_m": 0.5})


def test_hurdle_measures_call_a_change_of_exactly_the_tolerance_no_clear_change():
    # 0.5 -> 0.625 and 0.5 -> 0.375 move by exactly 0.25 of the 2018 level (exact in
    # binary): "more than tolerance" is strict on both sides; a hair beyond it is not
    obs = pd.DataFrame(
        {
            "year": [2018, 2020],
            "trade_share_dependence": [0.5, 0.625],
            "mineral_share": [0.5, 0.375],
            "dependence_gap": [0.5, 0.626],
        }
    )
    h = ev.hurdle_measures(obs, tolerance=0.25)  # rows in HURDLE_MEASURES order
    assert list(h["verdict"]) == ["no clear change", "no clear change", "deepened"]


def test_hurdle_measures_and_correlation(tables, run2):
    h = ev.hurdle_measures(run2["obs"])
    assert list(h["verdict"]) == ["deepened", "no clear change", "deepened"]
    with pytest.raises(ValueError, match="tolerance"):
        ev.hurdle_measures(run2["obs"], tolerance=0)
    r = ev.hurdle_trade_correlation(run2["obs"], tables["trade"])
    assert r["Trade dependence gap"] == pytest.approx(0.936, abs=1e-3)
    assert r["China's share of Russia's trade"] == pytest.approx(0.928, abs=1e-3)
    assert r["Mineral products in Russia's exports to China"] == pytest.approx(0.649, abs=1e-3)


def test_freeze_fits_from_the_seed_it_is_given(run):
    """The seed reaches both model fits (their notes name it), not only the Frozen record."""
    frozen = ev.freeze(run["cal"], run["S"], proxies=ev.FIRST_EDITION_PROXIES, seed=7, n_starts=2)
    assert frozen.seed == 7
    for name in ("static model", "dynamic model"):
        assert "(seed 7)" in frozen.fits[name].note, frozen.fits[name].note
