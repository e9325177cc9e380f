"""Chapter 12 (what would change our minds): ``reluctant_allies.charts.falsifiers``."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from reluctant_allies import analysis, data, models
from reluctant_allies.analysis import falsifiers as falsifiers_frames
from reluctant_allies.analysis import verdicts
from reluctant_allies.charts import falsifiers as f

MAX_INLINE = 400_000


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {n: data.load(n) for n in ("alliances", "unga", "exercises", "trade_reported")}


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    return falsifiers_frames.scenario_runs()


@pytest.fixture(scope="module")
def grid() -> dict:
    return falsifiers_frames.reader_grid()


def _subtitle(spec: dict) -> str:
    sub = spec["title"]["subtitle"]
    return " ".join(sub) if isinstance(sub, list) else sub


def _status(tables, rules=None) -> pd.DataFrame:
    t = tables
    return verdicts.falsifier_status(
        t["alliances"], t["unga"], t["exercises"], t["trade_reported"], rules
    )


# --------------------------------------------------------------------- falsifier status


def test_status_on_real_tables_fires_nothing(tables):
    st = _status(tables)
    assert list(st["falsifier"]) == ["(a) treaty", "(b) rupture", "(b) rupture", "(b) rupture"]
    assert set(st["triggered"]) == {"no"}
    assert st.loc[0, "covers to"] == 2018  # ATOP 5.1 ends in 2018
    assert "0.68 (session 78, opened 2023)" in st.loc[1, "latest"]


def test_status_rules_can_fire(tables):
    # 0.70 (2022) and 0.68 (2023) are both below 0.71: two sessions running
    assert _status(tables, verdicts.FalsifierRules(unga_floor=0.71)).loc[1, "triggered"] == "yes"
    assert _status(tables, verdicts.FalsifierRules(unga_floor=0.70)).loc[1, "triggered"] == "no"
    # one session is enough when unga_sessions=1: still "no", as no session since 2019 is
    # below 0.67 (a year above the floor must not count towards a run)
    assert _status(tables, verdicts.FalsifierRules(unga_sessions=1)).loc[1, "triggered"] == "no"
    assert (
        _status(tables, verdicts.FalsifierRules(unga_floor=0.69, unga_sessions=1)).loc[
            1, "triggered"
        ]
        == "yes"
    )  # 0.68 (2023) alone
    # the 1990s sessions were below 0.6, but the rules only look from 2019 on
    assert _status(tables, verdicts.FalsifierRules(since=1992)).loc[1, "triggered"] == "yes"
    # every year 2019-2025 has a counted activity; without the 2020 rows, 2020 is quiet
    assert _status(tables, verdicts.FalsifierRules(quiet_years=1)).loc[2, "triggered"] == "no"
    ex = tables["exercises"]
    quiet = {**tables, "exercises": ex[ex["year"] != 2020]}
    assert _status(quiet, verdicts.FalsifierRules(quiet_years=1)).loc[2, "triggered"] == "yes"
    # context rows (counted = false) never fill a quiet year
    ctx = ex[ex["year"] != 2020].copy()
    extra = ctx[~ctx["counted"].astype(bool)].iloc[[0]].assign(year=2020)
    quiet = {**tables, "exercises": pd.concat([ctx, extra], ignore_index=True)}
    assert _status(quiet, verdicts.FalsifierRules(quiet_years=1)).loc[2, "triggered"] == "yes"
    # a fabricated defence obligation fires falsifier (a)
    al = tables["alliances"].copy()
    al.loc[(al["dyad"] == "China–Russia") & (al["year"] == 2010), "defense"] = 1
    t = {**tables, "alliances": al}
    assert _status(t).loc[0, "triggered"] == "yes"


def test_exercise_rule_reads_the_strict_count_and_reports_by_kind(tables):
    ex = tables["exercises"].copy()
    st = _status(tables)
    assert "broad 0, strict 0, exercises alone 0 year(s)" in st.loc[2, "latest"]
    # 2020 kept only as non-strict rows: broad sees activity, the strict count a quiet year
    in2020 = ex["year"] == 2020
    ex.loc[in2020, "strict"] = False
    st = _status({**tables, "exercises": ex}, verdicts.FalsifierRules(quiet_years=1))
    assert "broad 0, strict 1" in st.loc[2, "latest"]
    assert st.loc[2, "triggered"] == "yes"
    # patrols only in 2021: exercises alone show a quiet year, the rule (any kind) does not fire
    ex = tables["exercises"].copy()
    drop = (ex["year"] == 2021) & ~ex["kind"].isin(["air patrol", "naval patrol"])
    st = _status({**tables, "exercises": ex[~drop]}, verdicts.FalsifierRules(quiet_years=1))
    assert "exercises alone 1" in st.loc[2, "latest"] and st.loc[2, "triggered"] == "no"


def test_policy_drift_row_reads_the_pressure_record(tables):
    from reluctant_allies import pressure

    actions, themed = pressure.load_record(), data.load("themed_years")
    t = tables
    args = (t["alliances"], t["unga"], t["exercises"], t["trade_reported"])
    st = verdicts.falsifier_status(*args, actions=actions, themed_years=themed)
    row = st.iloc[-1]
    assert row["falsifier"] == "(c) drift" and row["triggered"] == "no"
    assert "pressure 0.42 (2018) → 1.00 (2025)" in row["latest"]
    assert "in 7 of 7 years" in row["latest"]
    # no themed year after 2021 while pressure stays up: the drift rule fires
    short = themed[themed["first_year"] < 2022]
    st = verdicts.falsifier_status(*args, actions=actions, themed_years=short)
    assert st.iloc[-1]["triggered"] == "yes"
    with pytest.raises(ValueError, match="both actions and themed_years"):
        verdicts.falsifier_status(*args, actions=actions)


def test_status_trade_rupture_fires_on_a_collapse(tables):
    tr = tables["trade_reported"].copy()
    tr.loc[tr["id"] == "2024-turnover", "value_usd_bn"] = 120.0
    assert _status({**tables, "trade_reported": tr}).loc[3, "triggered"] == "yes"


def test_status_trade_rule_reads_china_customs_sourced_rows_only(tables):
    # the rule's series is GACC *and* sourced: a weak GACC figure (2020's) or a sourced
    # figure from another reporter must not move it, however low
    t = tables["trade_reported"]
    base = _status(tables).loc[3]
    weak = t.copy()
    weak.loc[weak["id"] == "2020-turnover", "value_usd_bn"] = 20.0
    assert weak.loc[weak["id"] == "2020-turnover", "confidence"].item() == "weak"
    other = t[t["id"] == "2024-turnover"].assign(
        id="2025-turnover-fcs", year=2025, reporter="Russian customs (FCS)", value_usd_bn=20.0
    )
    for tr in (weak, pd.concat([t, other], ignore_index=True)):
        st = _status({**tables, "trade_reported": tr}).loc[3]
        assert st["triggered"] == "no"
        assert st["latest"] == base["latest"] and st["covers to"] == base["covers to"] == 2024
    assert base["latest"] == "244.8 in 2024 (largest fall from a record since 2019: 0%)"


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"unga_floor": 1.2}, "unga_floor"),
        ({"trade_drop": 0}, "trade_drop"),
        ({"quiet_years": 0}, "quiet_years"),
        ({"unga_sessions": 1.5}, "unga_sessions"),
        ({"since": "2019"}, "since"),
    ],
)
def test_rules_reject_bad_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        verdicts.FalsifierRules(**kwargs)


def test_status_rejects_bad_tables(tables):
    t = tables
    with pytest.raises(ValueError, match=r"lacks column.*defense"):
        verdicts.falsifier_status(
            t["alliances"].drop(columns="defense"), t["unga"], t["exercises"], t["trade_reported"]
        )
    bad = t["unga"].copy()
    bad.loc[bad.index[0], "value"] = 1.5
    with pytest.raises(ValueError, match="agreement share"):
        verdicts.falsifier_status(t["alliances"], bad, t["exercises"], t["trade_reported"])
    ex = t["exercises"].copy()
    ex.loc[0, "kind"] = "parade"
    with pytest.raises(ValueError, match="unknown kind"):
        verdicts.falsifier_status(t["alliances"], t["unga"], ex, t["trade_reported"])
    with pytest.raises(ValueError, match="no rows"):
        verdicts.falsifier_status(
            t["alliances"].iloc[:0], t["unga"], t["exercises"], t["trade_reported"]
        )


# --------------------------------------------------------------------- data charts


def test_treaty_record_draws_no_defence_tile(tables):
    chart = f.treaty_record(tables["alliances"], source=data.source_line("alliances"))
    spec = chart.to_dict()
    rows = [r for d in spec["datasets"].values() for r in d if "obligation" in r and "year" in r]
    assert rows and not any(r["obligation"] == "defence" for r in rows)
    assert {r["dataset"] for r in rows} == {"ATOP 5.1", "COW 4.1"}
    assert any(r["obligation"].startswith("consultation") and r["year"] == 2001 for r in rows)
    assert "no defence obligation" in spec["description"]
    assert _subtitle(spec).startswith("Source:")
    assert len(chart.to_json()) <= MAX_INLINE


def test_treaty_record_rejects_bad_input(tables):
    with pytest.raises(ValueError, match="start < end"):
        f.treaty_record(tables["alliances"], source="x", start=2020, end=2000)
    bad = tables["alliances"].copy()
    row = bad.index[(bad["dyad"] == "China–Russia") & (bad["year"] == 2005)][0]
    bad.loc[row, "source"] = "mystery"
    with pytest.raises(ValueError, match="unknown source"):
        f.treaty_record(bad, source="x")
    with pytest.raises(ValueError, match="source"):
        f.treaty_record(tables["alliances"], source="")


def test_rupture_indicators_keep_producers_apart(tables):
    t = tables
    chart = f.rupture_indicators(t["unga"], t["exercises"], t["trade_reported"], source=["a", "b"])
    spec = chart.to_dict()
    assert len(spec["vconcat"]) == 3
    rows = [r for d in spec["datasets"].values() for r in d]
    trade = [r for r in rows if "value_usd_bn" in r]
    assert len(trade) == int((t["trade_reported"]["flow"] == "turnover").sum())
    assert {r["kind"] for r in trade} == {"China customs (GACC)", "other reporters"}
    ex = [r for r in rows if "kind" in r and r.get("kind") in ("exercise", "patrol")]
    assert len(ex) == int(t["exercises"]["counted"].sum())  # context rows are not drawn
    assert all(2003 <= r["x"] < 2026 for r in ex)  # placed at start dates, not counted
    assert "counted under the table's rules" in spec["description"]
    assert "NaN" not in chart.to_json()


def test_rupture_indicators_reject_bad_input(tables):
    t = tables
    with pytest.raises(ValueError, match="flow 'turnover'"):
        tr = t["trade_reported"][t["trade_reported"]["flow"] != "turnover"]
        f.rupture_indicators(t["unga"], t["exercises"], tr, source="x")
    with pytest.raises(ValueError, match="'agreement' rows"):
        un = t["unga"][t["unga"]["measure"] != "agreement"]
        f.rupture_indicators(un, t["exercises"], t["trade_reported"], source="x")
    # no China customs series: no record to fall from (it drew "record of nan billion")
    tr = t["trade_reported"].assign(reporter="Russian customs (FCS)")
    for draw in (
        lambda: f.rupture_indicators(t["unga"], t["exercises"], tr, source="x"),
        lambda: analysis.falsifier_status(t["alliances"], t["unga"], t["exercises"], tr),
    ):
        with pytest.raises(ValueError, match=r"no sourced China customs \(GACC\) turnover"):
            draw()


# --------------------------------------------------------------------- scenarios


def test_scenario_runs_shape_and_verdicts(runs):
    assert set(runs["scenario"]) == {"high", "detente", "spike"}
    assert runs.groupby("scenario").size().eq(61).all()  # t = -30 .. 30
    for col in ("S", "C_static", "C_dynamic", "C_lo", "C_hi", "H_e", "H_m"):
        assert runs[col].between(0, 1).all(), col
    assert (runs["C_lo"] <= runs["C_dynamic"] + 1e-12).all()
    assert (runs["C_dynamic"] <= runs["C_hi"] + 1e-12).all()
    fut = runs[runs["t"] >= 0]
    assert not fut["A_static"].any()  # static S_A > 1: never an alliance
    by = fut.groupby("scenario")
    assert not by.get_group("high")["A_dynamic"].any()
    assert by.get_group("spike")["A_dynamic"].any()
    assert not by.get_group("detente")["A_game"].any()
    # common history: all scenarios agree up to the branch point
    hist = runs[runs["t"] <= 0].pivot(index="t", columns="scenario", values="C_dynamic")
    assert np.allclose(hist["high"], hist["detente"]) and np.allclose(hist["high"], hist["spike"])


def test_scenario_verdict_table(runs):
    v = falsifiers_frames.scenario_verdicts(runs)
    assert len(v) == 9
    spike = v[(v["scenario"] == "pressure spike") & (v["model"] == "dynamic model")].iloc[0]
    assert spike["years with A = 1"] == "3 to 8"
    assert v.loc[v["model"] == "static model", "years with A = 1"].eq("never").all()
    assert v.loc[v["model"] == "two-player game", "C now"].eq("–").all()


def test_scenario_inputs_validated():
    with pytest.raises(ValueError, match="params must be DynamicParams"):
        falsifiers_frames.scenario_runs(params=models.StaticParams())
    with pytest.raises(ValueError, match="game must be an AllianceGame"):
        falsifiers_frames.scenario_runs(game="post-2022")
    with pytest.raises(ValueError, match="band"):
        falsifiers_frames.scenario_runs(band=(1.0,))
    with pytest.raises(ValueError, match="shape must be"):
        falsifiers_frames.scenario_runs(
            scenarios={"x": falsifiers_frames._Shape("x", 0.5, "zigzag")}
        )
    with pytest.raises(ValueError, match="level must be"):
        falsifiers_frames.scenario_runs(scenarios={"x": falsifiers_frames._Shape("x", 1.5, "step")})
    with pytest.raises(ValueError, match="lacks column"):
        falsifiers_frames.scenario_verdicts(pd.DataFrame({"scenario": ["a"]}))


def test_scenario_fan_chart(runs):
    chart = f.scenario_fan(runs)
    spec = chart.to_dict()
    assert len(spec["vconcat"]) == 3
    assert "Three columns" in spec["description"]
    assert len(chart.to_json()) <= MAX_INLINE


# --------------------------------------------------------------------- explorable


def test_reader_grid_values(grid):
    st, dy = grid["static"], grid["dynamic"]
    assert len(st) == 3 * 17 and len(dy) == 3 * 17 * 7
    row = next(r for r in dy if r["sh"] == "step" and abs(r["L"] - 0.75) < 1e-9 and r["d"] == 1.0)
    C = analysis.unpack_path(row["C"])
    assert len(C) == 31 and C[-1] == pytest.approx(0.79, abs=0.01) and row["a"] == -1
    # the same future simulated directly from the branch state
    p = models.DynamicParams()
    h = models.simulate(p, models.ramp(0.2, 0.75, 30).S)
    tr = models.simulate(
        p, np.full(30, 0.75), C_init=h.C[-1], H_e_init=h.H_e[-1], H_m_init=h.H_m[-1]
    )
    assert np.allclose(C, tr.C, atol=6e-4)
    # higher level: the dynamic model reaches an alliance, the static one never does
    hi = next(r for r in dy if r["sh"] == "step" and abs(r["L"] - 0.85) < 1e-9 and r["d"] == 1.0)
    assert hi["a"] == 6
    assert all(r["a"] == -1 for r in st)
    # policy effectiveness changes the hurdles (so the slider visibly moves the chart)
    d0 = next(r for r in dy if r["sh"] == "step" and abs(r["L"] - 0.75) < 1e-9 and r["d"] == 0.0)
    assert analysis.unpack_path(d0["Hm"])[-1] > analysis.unpack_path(row["Hm"])[-1] + 0.05


def test_reader_explorable_sliders_and_size(grid):
    chart = f.reader_explorable(grid)
    spec = chart.to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"level", "shape", "effect"}
    assert params["level"]["bind"]["min"] == 0.2 and params["level"]["bind"]["max"] == 1.0
    assert params["shape"]["bind"]["options"] == ["step", "gradual", "pulse"]
    text = json.dumps(spec)
    assert "abs(datum.L - level)" in text and "abs(datum.d - effect)" in text
    assert len(chart.to_json()) <= MAX_INLINE


def test_reader_grid_and_explorable_reject_bad_input(grid):
    with pytest.raises(ValueError, match="evenly spaced"):
        falsifiers_frames.reader_grid(levels=(0.2, 0.3, 0.5))
    with pytest.raises(ValueError, match="levels must lie"):
        falsifiers_frames.reader_grid(levels=(0.9, 1.0, 1.1))
    with pytest.raises(ValueError, match="unknown shape"):
        falsifiers_frames.reader_grid(shapes=("step", "wave"))
    with pytest.raises(ValueError, match="not on the slider grid"):
        f.reader_explorable(grid, level=0.77)
    with pytest.raises(ValueError, match="shape"):
        f.reader_explorable(grid, shape="wave")
    with pytest.raises(ValueError, match="grid must be"):
        f.reader_explorable({"static": []})


def test_the_treaty_row_reads_the_record_from_1992(tables):
    """Rule (a) reads every ATOP year from 1992 (the first year of the Russian Federation)."""
    t = tables
    assert t["alliances"]["year"].min() <= 1992
    row = analysis.falsifier_status(t["alliances"], t["unga"], t["exercises"], t["trade_reported"])
    latest = row.loc[row["falsifier"] == "(a) treaty", "latest"].iloc[0]
    assert latest.startswith("0 in every year 1992–"), latest
