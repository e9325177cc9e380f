"""Chapter 4 (military cooperation as the outcome): the builders in charts/cooperation.py."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from reluctant_allies import analysis, charts, data
from reluctant_allies.charts import cooperation as coop
from tests.conftest import shared_scope

LIMIT = 400_000  # bytes of inline chart JSON per chart

CODING = {
    "strategic-partnership": 0.20,
    "treaty-2001": 0.30,
    "peace-mission-2005": 0.40,
    "joint-sea-2012": 0.55,
    "vostok-2018": 0.65,
    "air-patrol-2019": 0.72,
    "air-patrol-2022-11": 0.78,
}


@pytest.fixture(scope=shared_scope)
def coded(exercises, events):
    return analysis.coded_cooperation(CODING, exercises, events, last_year=2024)


def _rows(spec: dict) -> list[list[dict]]:
    return list(spec["datasets"].values())


def _size(chart) -> int:
    return len(chart.to_json())


# --- exercises --------------------------------------------------------------------------------


def test_exercise_strip_one_mark_per_row(exercises):
    chart = charts.exercise_strip(
        exercises, label={"vostok-2018": "Vostok-2018"}, source=data.source_line("exercises")
    )
    spec = chart.to_dict()
    rows = _rows(spec)[0]
    counted = int(exercises["counted"].sum())
    assert len(rows) == counted  # one mark per counted event; context rows are not drawn
    assert {r["lane"] for r in rows} <= set(coop.DOMAINS)
    assert "not stated" in {r["lane"] for r in rows}  # missing domain is shown, not guessed
    assert str(counted) in spec["description"]
    assert any("counted under the written rules" in line for line in spec["title"]["subtitle"])
    assert {r["kind"] for r in rows} == {"exercise", "patrol"}
    # rows in the same lane and year are dodged apart
    for (_, _), grp in pd.DataFrame(rows).groupby(["year", "lane"]):
        assert grp["x"].is_unique
    assert _size(chart) < LIMIT


def test_exercise_strip_rejects_bad_input(exercises):
    with pytest.raises(ValueError, match="lacks column"):
        charts.exercise_strip(exercises.drop(columns="format"), source="x")
    bad = exercises.copy()
    bad.loc[0, "kind"] = "parade"
    with pytest.raises(ValueError, match="unknown kind"):
        charts.exercise_strip(bad, source="x")
    with pytest.raises(ValueError, match="no exercise with id"):
        charts.exercise_strip(exercises, label={"nope": "x"}, source="x")
    with pytest.raises(ValueError, match="no rows"):
        charts.exercise_strip(exercises.iloc[:0], source="x")


# --- arms -------------------------------------------------------------------------------------


def test_arms_deliveries_on_real_table():
    arms = data.load("arms_transfers")
    chart = charts.arms_deliveries(arms, source=data.source_line("arms_transfers"))
    spec = chart.to_dict()
    assert coop.TIV_CAVEAT + "." in spec["title"]["subtitle"]
    main = max(_rows(spec), key=len)
    assert len(main) == arms["year"].nunique()
    by_year = {r["year"]: r for r in main}
    assert by_year[2005]["china"] == 3066 and by_year[2005]["total"] == 5176
    assert by_year[2005]["share"] == pytest.approx(0.592, abs=1e-3)
    assert "3,066 in 2005" in spec["description"]
    assert _size(chart) < LIMIT


def test_arms_deliveries_rejects_bad_input():
    arms = data.load("arms_transfers")
    with pytest.raises(ValueError, match="recipient column lacks"):
        charts.arms_deliveries(arms[arms["recipient"] == "China"], source="x")
    with pytest.raises(ValueError, match="highlight"):
        charts.arms_deliveries(arms, highlight=(2019, 2030), source="x")
    neg = arms.copy()
    neg.loc[0, "tiv_m"] = -1
    with pytest.raises(ValueError, match="non-negative"):
        charts.arms_deliveries(neg, source="x")
    with pytest.raises(ValueError, match="duplicate"):
        charts.arms_deliveries(pd.concat([arms, arms.iloc[:1]]), source="x")


# --- UNGA -------------------------------------------------------------------------------------


def test_unga_alignment_keeps_releases_apart_and_breaks_gaps():
    unga = data.load("unga")
    chart = charts.unga_alignment(unga, source=data.source_line("unga"))
    spec = chart.to_dict()
    assert len(spec["vconcat"]) == 2
    # drop 2005-2007 from the agreement rows: the line must break, not bridge
    holed = unga[~((unga["measure"] == "agreement") & unga["year"].between(2005, 2007))]
    rows = [r for d in _rows(charts.unga_alignment(holed, source="x").to_dict()) for r in d]
    cr = sorted({r["series"] for r in rows if r["subject"] == "China–Russia"})
    assert len(cr) == 2
    assert _size(chart) < LIMIT


def test_unga_alignment_rejects_bad_input():
    unga = data.load("unga")
    with pytest.raises(ValueError, match="unknown measure"):
        charts.unga_alignment(unga.assign(measure="votes"), source="x")
    with pytest.raises(ValueError, match="missing entries"):
        charts.unga_alignment(unga.assign(value=np.nan), source="x")
    with pytest.raises(ValueError, match="no rows with measure 'ideal point'"):
        charts.unga_alignment(unga[unga["measure"] == "agreement"], source="x")


# --- thresholds -------------------------------------------------------------------------------


def test_coded_cooperation_is_a_step_series(coded):
    assert coded["year"].tolist() == list(range(1996, 2025))
    c = coded.set_index("year")["C"]
    assert c[1996] == 0.20 and c[2000] == 0.20 and c[2001] == 0.30
    assert c[2011] == 0.40 and c[2012] == 0.55 and c[2024] == 0.78
    assert (np.diff(coded["C"]) >= 0).all()
    assert coded["source_url"].str.startswith("http").all()


def test_coded_cooperation_rejects_bad_coding(exercises, events):
    with pytest.raises(ValueError, match="no milestone with id"):
        analysis.coded_cooperation({"nope": 0.5}, exercises, last_year=2024)
    with pytest.raises(ValueError, match=r"must be in \[0, 1\]"):
        analysis.coded_cooperation({"joint-sea-2012": 1.5}, exercises, last_year=2024)
    with pytest.raises(ValueError, match="must not fall"):
        analysis.coded_cooperation(
            {"joint-sea-2012": 0.6, "vostok-2018": 0.4}, exercises, last_year=2024
        )
    with pytest.raises(ValueError, match="last_year"):
        analysis.coded_cooperation({"vostok-2018": 0.6}, exercises, last_year=2010)
    with pytest.raises(ValueError, match="empty"):
        analysis.coded_cooperation({}, exercises, last_year=2024)


def test_ramp_paths_match_the_models():
    paths = analysis.ramp_paths()
    static = paths[paths["model"] == "static model"]["C"].to_numpy()
    dynamic = paths[paths["model"] == "dynamic model"]["C"].to_numpy()
    assert len(static) == len(dynamic) == 31
    # domain.md §3: static never reaches theta_A = 0.85 on this ramp; dynamic does in year 30
    assert static.max() < 0.85
    assert np.argmax(dynamic >= 0.85) == 30


def test_threshold_grid_values(coded):
    paths = coded[["year", "C"]].assign(panel="coding")
    points, summary = analysis.threshold_grid(paths)
    n_pairs = len(coop.THETA_E) * len(coop.THETA_A)
    assert len(points) == n_pairs * len(coded)
    assert len(summary) == n_pairs

    def row(te, ta):
        return summary[(summary["theta_E"] == te) & (summary["theta_A"] == ta)].iloc[0]

    assert (row(0.5, 0.85)["entente"], row(0.5, 0.85)["alliance"]) == ("2012–2024", "none")
    assert (row(0.35, 0.75)["entente"], row(0.35, 0.75)["alliance"]) == ("2005–2021", "2022–2024")
    # a level equal to the threshold counts as reaching it (C >= theta)
    assert row(0.55, 0.85)["entente"] == "2012–2024"
    assert row(0.6, 0.8)["entente"] == "2018–2024" and row(0.6, 0.8)["alliance"] == "none"


def test_threshold_grid_rejects_bad_thresholds(coded):
    paths = coded[["year", "C"]].assign(panel="coding")
    with pytest.raises(ValueError, match="every theta_E must be below every theta_A"):
        analysis.threshold_grid(paths, theta_E=[0.5, 0.8], theta_A=[0.8])
    with pytest.raises(ValueError, match=r"theta_A values must be in \(0, 1\)"):
        analysis.threshold_grid(paths, theta_A=[1.0])
    with pytest.raises(ValueError, match="C must be finite"):
        analysis.threshold_grid(paths.assign(C=1.2))


def test_threshold_explorable_sliders_and_size(coded):
    chart = charts.threshold_explorable(coded, analysis.ramp_paths(), source="book's coding")
    spec = chart.to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"thE", "thA"}
    assert params["thE"]["value"] == 0.5 and params["thA"]["value"] == 0.85
    assert params["thE"]["bind"]["min"] == coop.THETA_E[0]
    assert params["thA"]["bind"]["max"] == coop.THETA_A[-1]
    text = json.dumps(spec)
    # the slider drives a filter (rounded on both sides) and the status colour
    assert "round(thE * 100)" in text and "round((datum.theta_E * 100)" in text
    readouts = [r for d in _rows(spec) for r in d if "text" in r and "theta_E" in r]
    texts = {r["text"] for r in readouts if r["theta_E"] == 0.5 and r["theta_A"] == 0.85}
    assert "entente years 2012–2024; alliance years none" in texts
    assert "dynamic model: entente model years 21–29; alliance model years 30" in texts
    assert _size(chart) < LIMIT


def test_threshold_explorable_rejects_off_grid_default(coded):
    with pytest.raises(ValueError, match="theta_A 0.83 is not on the grid"):
        charts.threshold_explorable(coded, analysis.ramp_paths(), source="x", theta_A=0.83)
    with pytest.raises(ValueError, match="lacks column"):
        charts.threshold_explorable(coded.drop(columns="label"), analysis.ramp_paths(), source="x")


# --------------------------------------------------------------------------- whole exercise record


def test_exercise_kind_table_counts_the_whole_record_by_kind_and_period():
    from reluctant_allies import exercises

    ex = data.load("exercises")
    t = analysis.exercise_kind_table(ex)
    broad = [c for c in t.columns if c.endswith("broad")]
    strict = [c for c in t.columns if c.endswith("strict")]
    assert t.loc["all kinds", broad].sum() == int(ex["counted"].sum()) == 59
    assert t.loc["all kinds", strict].sum() == int(ex["strict"].sum()) == 55
    assert (t.loc[list(exercises.KINDS)].sum() == t.loc["all kinds"]).all()
    assert (t[strict].to_numpy() <= t[broad].to_numpy()).all()
    assert t.loc["air patrol", "2012–2018 broad"] == 0
    assert t.loc["air patrol", "2019–2025 broad"] == 10
    assert t.loc["all kinds", "2019–2025 broad"] == 37
    assert t.loc["all kinds", "2003–2011 broad"] == 6
    one = analysis.exercise_kind_table(ex, periods=[(2020, 2020)])
    same = exercises.period_counts(ex, 2020, 2020)["broad"]
    assert one.loc["all kinds", "2020–2020 broad"] == same
    with pytest.raises(ValueError, match="ends before"):
        analysis.exercise_kind_table(ex, periods=[(2019, 2003)])
    with pytest.raises(ValueError, match="empty"):
        analysis.exercise_kind_table(ex, periods=[])


def test_fallback_comparison_reads_both_years_and_refuses_gaps():
    model = pd.Series({2005: 0.09, 2013: 0.06})
    out = analysis.fallback_comparison(
        model,
        {
            "up": pd.Series({2005: 1.0, 2013: 2.0}),
            "down": pd.Series({2005: 5.0, 2013: 4.0}),
            "flat": pd.Series({2005: 3.0, 2013: 3.0}),
        },
        start=2005,
        end=2013,
    )
    assert out["series"].tolist() == ["static model C", "up", "down", "flat"]
    assert out["fell"].tolist() == [True, False, True, False]  # level is not a fall
    assert out["change"].round(2).tolist() == [-0.03, 1.0, -1.0, 0.0]
    with pytest.raises(ValueError, match="'gap' has no value in \\[2013\\]"):
        analysis.fallback_comparison(model, {"gap": pd.Series({2005: 1.0})}, start=2005, end=2013)
    with pytest.raises(ValueError, match="before end"):
        analysis.fallback_comparison(model, {}, start=2013, end=2005)
