"""Chapter 7 (policy as a lever): the chart module ``reluctant_allies.charts.policy``."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from reluctant_allies import data, models, pressure
from reluctant_allies.analysis import policy as policy_frames
from reluctant_allies.charts import policy
from tests.conftest import shared_scope

MAX_INLINE = 400_000


@pytest.fixture(scope=shared_scope)
def yearly(events, themed) -> pd.DataFrame:
    return policy_frames.policy_years(events, themed)


def _rows(spec: dict) -> list[list[dict]]:
    return list(spec["datasets"].values())


# --------------------------------------------------------------------- themed years


def test_gantt_draws_every_theme_and_marks_weak_rows(themed):
    chart = policy.themed_years_gantt(themed, source=data.source_line("themed_years"))
    spec = chart.to_dict()
    rows = _rows(spec)[0]
    assert len(rows) == len(themed)
    weak = {r["theme"] for r in rows if r["confidence"] == "weak"}
    assert weak == set(themed.loc[themed["confidence"] == "weak", "theme"])
    assert all(r["label"].endswith("(weak source)") for r in rows if r["confidence"] == "weak")
    # a one-year programme spans its whole year
    russia = next(r for r in rows if r["theme"] == "Year of Russia in China")
    assert (russia["start"], russia["end"]) == ("2006-01-01", "2007-01-01")
    subtitle = spec["title"]["subtitle"]  # a list of lines when finish() wraps a long source
    assert (subtitle[0] if isinstance(subtitle, list) else subtitle).startswith("Source:")
    assert "hollow" in spec["description"]


def test_gantt_can_leave_weak_rows_out(themed):
    spec = policy.themed_years_gantt(themed, source="x", include_weak=False).to_dict()
    assert {r["confidence"] for r in _rows(spec)[0]} == {"sourced"}


def test_gantt_rejects_bad_tables(themed):
    with pytest.raises(ValueError, match="lacks column"):
        policy.themed_years_gantt(themed.drop(columns="confidence"), source="x")
    bad = themed.copy()
    bad.loc[0, "confidence"] = "rumour"
    with pytest.raises(ValueError, match="confidence.*rumour"):
        policy.themed_years_gantt(bad, source="x")
    backwards = themed.copy()
    backwards.loc[0, "last_year"] = 2000
    with pytest.raises(ValueError, match="last_year before first_year"):
        policy.themed_years_gantt(backwards, source="x")
    with pytest.raises(ValueError, match="source"):
        policy.themed_years_gantt(themed, source="")


# --------------------------------------------------------------------- yearly policy counts


def test_policy_years_counts_each_policy_once(events, themed, yearly):
    assert list(yearly["year"]) == list(range(1991, 2026))
    pol = events[(events["category"] == "policy on a hurdle") & (events["confidence"] == "sourced")]
    overlap = set(pol["id"]) & set(themed["id"])
    assert overlap, "themed-year openings are also events: the dedup must have work to do"
    assert yearly[["memory", "economic"]].to_numpy().sum() == len(pol) - len(overlap)
    # themed-year openings come from the themed table, not the events table
    by_year = yearly.set_index("year")
    assert by_year.loc[2006, "memory"] == 0 and by_year.loc[2006, "themed_start"] == 1
    assert by_year.loc[2008, "memory"] == 2  # protocol and markers
    assert by_year.loc[2014, "economic"] == 1  # Power of Siberia contract
    assert (
        yearly["new_policies"] == yearly[["memory", "economic", "themed_start"]].sum(axis=1)
    ).all()


def test_policy_years_keeps_weak_themed_years_apart(yearly, themed):
    by_year = yearly.set_index("year")
    for _, row in themed[themed["confidence"] == "weak"].iterrows():
        for y in range(row["first_year"], row["last_year"] + 1):
            assert by_year.loc[y, "themed_year"] == 0
            assert by_year.loc[y, "themed_year_weak"] == 1
    assert not ((yearly["themed_year"] == 1) & (yearly["themed_year_weak"] == 1)).any()


def test_policy_years_rejects_bad_input(events, themed):
    with pytest.raises(ValueError, match="lacks column"):
        policy_frames.policy_years(events.drop(columns="category"), themed)
    with pytest.raises(ValueError, match="first"):
        policy_frames.policy_years(events, themed, first=2020, last=2000)
    with pytest.raises(ValueError, match="integer year"):
        policy_frames.policy_years(events, themed, first=1991.5)


def test_policy_vs_pressure_shows_gaps_and_coverage(events, yearly):
    index = pressure.pressure_index(events)
    cov = pressure.coverage(events)
    spec = policy.policy_vs_pressure(yearly, index, coverage=cov, source="x").to_dict()
    assert len(spec["vconcat"]) == 3
    top = next(rows for rows in _rows(spec) if rows and "S" in rows[0])
    assert [r["year"] for r in top] == list(range(1991, 2026))
    # a year missing from the index is a null (a gap), never a zero
    holed = index[index["year"] != 2010]
    spec = policy.policy_vs_pressure(yearly, holed, coverage=cov, source="x").to_dict()
    top = next(rows for rows in _rows(spec) if rows and "S" in rows[0])
    assert next(r for r in top if r["year"] == 2010)["S"] is None
    assert "NaN" not in policy.policy_vs_pressure(yearly, holed, source="x").to_json()
    assert str(cov[0]) in spec["description"] and str(cov[1]) in spec["description"]


def test_policy_vs_pressure_draws_each_index_of_the_record(yearly):
    indices = pressure.record_indices(pressure.load_record())
    spec = policy.policy_vs_pressure(yearly, indices, coverage=(1996, 2025), source="x").to_dict()
    top = next(rows for rows in _rows(spec) if rows and "S" in rows[0])
    labels = {r["label"] for r in top}
    assert labels == set(pressure.INDEX_LABELS.values())
    for label in labels:
        assert [r["year"] for r in top if r["label"] == label] == list(range(1991, 2026))
    combined = {r["year"]: r["S"] for r in top if r["label"] == "combined"}
    assert combined[2025] == 1.0 and combined[1995] == 0.0
    assert "China-directed" in spec["description"]
    # a coverage that reaches the axis end leaves no shaded edge there (1991-95 only)
    edges = [r for rows in _rows(spec) for r in rows if "mid" in r and "year2" in r]
    assert [(r["year"], r["year2"]) for r in edges] == [(1990.4, 1995.5)]
    # a year missing from one index is a gap in that line only
    holed = indices[~((indices["index"] == "China") & (indices["year"] == 2010))]
    spec = policy.policy_vs_pressure(yearly, holed, source="x").to_dict()
    top = next(rows for rows in _rows(spec) if rows and "S" in rows[0])
    at_2010 = {r["label"]: r["S"] for r in top if r["year"] == 2010}
    assert at_2010["China-directed"] is None and at_2010["combined"] is not None
    with pytest.raises(ValueError, match="twice"):
        policy.policy_vs_pressure(yearly, pd.concat([indices, indices.head(1)]), source="x")


def test_policy_vs_pressure_rejects_bad_input(events, yearly):
    index = pressure.pressure_index(events)
    with pytest.raises(ValueError, match="twice"):
        policy.policy_vs_pressure(yearly, pd.concat([index, index.head(1)]), source="x")
    with pytest.raises(ValueError, match="lacks column"):
        policy.policy_vs_pressure(yearly, index.drop(columns="value"), source="x")
    with pytest.raises(ValueError, match="coverage"):
        policy.policy_vs_pressure(yearly, index, coverage=(2018, 1999), source="x")
    inf = index.copy()
    inf.loc[3, "value"] = np.inf
    with pytest.raises(ValueError, match="non-finite"):
        policy.policy_vs_pressure(yearly, inf, source="x")


def test_policy_after_rises_counts_by_hand():
    yearly = pd.DataFrame({"year": range(2000, 2006), "new_policies": [0, 0, 1, 0, 0, 1]})
    index = pd.DataFrame({"year": range(2000, 2006), "value": [0.1, 0.5, 0.4, 0.6, 0.2, 0.1]})
    out = policy_frames.policy_after_rises(yearly, index, coverage=(2000, 2005), lag=0)
    rose, flat = out.iloc[0], out.iloc[1]
    assert list(out.index) == ["pressure rose", "pressure did not rise"]
    assert rose["which years"] == "2001, 2003" and rose["with a new policy within the window"] == 0
    assert flat["which years"] == "2002, 2004–05"
    assert flat["n years"] == 3 and flat["with a new policy within the window"] == 2
    lagged = policy_frames.policy_after_rises(yearly, index, coverage=(2000, 2005), lag=1)
    assert lagged.iloc[0]["with a new policy within the window"] == 1  # 2001 -> 2002
    with pytest.raises(ValueError, match="lag"):
        policy_frames.policy_after_rises(yearly, index, coverage=(2000, 2005), lag=-1)
    with pytest.raises(ValueError, match="lacks year"):
        policy_frames.policy_after_rises(yearly, index.iloc[1:], coverage=(2000, 2005))


# --------------------------------------------------------------------- the timing test


def _fisher_power_by_brute_force(n1, n0, p1, p0, alpha):
    """Independent oracle: loop over every outcome and ask scipy's own Fisher test."""
    from scipy import stats

    total = 0.0
    for x1 in range(n1 + 1):
        for x0 in range(n0 + 1):
            p = stats.fisher_exact([[x1, n1 - x1], [x0, n0 - x0]], alternative="greater").pvalue
            if p <= alpha:
                total += stats.binom.pmf(x1, n1, p1) * stats.binom.pmf(x0, n0, p0)
    return total


def test_fisher_p_value_matches_scipy():
    from scipy import stats

    for x1, n1, x0, n0 in ((15, 17, 9, 11), (3, 6, 8, 13), (6, 6, 0, 5), (0, 4, 4, 4)):
        ours = float(policy_frames._fisher_greater(x1, n1, x0, n0))
        ref = stats.fisher_exact([[x1, n1 - x1], [x0, n0 - x0]], alternative="greater").pvalue
        assert ours == pytest.approx(ref, rel=1e-9)


def test_fisher_power_is_exact_and_behaves():
    for n1, n0, p1, p0 in ((6, 13, 0.8, 0.5), (17, 11, 0.9, 0.4), (5, 5, 0.5, 0.5)):
        assert policy_frames.fisher_power(n1, n0, p1, p0) == pytest.approx(
            _fisher_power_by_brute_force(n1, n0, p1, p0, 0.05), abs=1e-12
        )
    # no effect: the (conservative) test rejects at most alpha of the time
    assert policy_frames.fisher_power(17, 11, 0.6, 0.6) <= 0.05
    # more effect, more power; more years, more power
    powers = [policy_frames.fisher_power(17, 11, p, 0.5) for p in (0.6, 0.8, 1.0)]
    assert powers == sorted(powers) and powers[0] < powers[-1]
    assert policy_frames.fisher_power(170, 110, 0.8, 0.5) > 0.99
    with pytest.raises(ValueError, match="n_rise"):
        policy_frames.fisher_power(0, 11, 0.8, 0.5)
    with pytest.raises(ValueError, match="p_other"):
        policy_frames.fisher_power(5, 5, 0.8, 1.5)


def test_timing_test_counts_and_power_by_hand():
    yearly = pd.DataFrame(
        {"year": range(2000, 2010), "new_policies": [0, 1, 0, 1, 1, 0, 0, 1, 0, 0]}
    )
    index = pd.DataFrame(
        {"year": range(2000, 2010), "value": [0.1, 0.3, 0.2, 0.4, 0.5, 0.5, 0.3, 0.6, 0.5, 0.4]}
    )
    res = policy_frames.timing_test(yearly, index, coverage=(2000, 2009), lag=0)
    # rises: 2001, 2003, 2004, 2007 (all followed); others (2005 flat): 2002, 2005, 2006, 2008, 2009
    assert (res["rise_n"], res["rise_followed"], res["other_n"], res["other_followed"]) == (
        4,
        4,
        5,
        0,
    )
    assert res["p_value"] == pytest.approx(1 / 126)  # C(9, 4) tables, only this one as extreme
    assert res["power_stated"] == pytest.approx(
        _fisher_power_by_brute_force(4, 5, 0.8, 0.5, 0.05), abs=1e-12
    )
    assert res["power_ceiling"] == pytest.approx(1.0)  # other years never followed
    mde = res["mde_rise"]
    if np.isfinite(mde):
        assert policy_frames.fisher_power(4, 5, mde, 0.5) >= 0.8
        assert policy_frames.fisher_power(4, 5, round(mde - 0.01, 2), 0.5) < 0.8
    with pytest.raises(ValueError, match="both rise years and other years"):
        flat = index.assign(value=0.2)
        policy_frames.timing_test(yearly, flat, coverage=(2000, 2009))
    with pytest.raises(ValueError, match="twice"):
        policy_frames.timing_test(yearly, pd.concat([index, index.head(1)]), coverage=(2000, 2009))


def test_timing_test_on_the_book_record(events):
    """The acceptance numbers of chapter 7 (combined index, lag 1, 1997-2024)."""
    yearly = policy_frames.policy_years(events, data.load("themed_years"))
    indices = pressure.record_indices(pressure.load_record())
    table = policy_frames.timing_tests(yearly, indices, coverage=(1996, 2024), lag=1)
    assert list(table.index) == ["China", "Russia", "combined"]
    row = table.loc["combined"]
    assert (row["rise_followed"], row["rise_n"], row["other_followed"], row["other_n"]) == (
        15,
        17,
        9,
        11,
    )
    assert row["p_value"] == pytest.approx(0.518, abs=0.001)
    assert row["power_stated"] == pytest.approx(0.327, abs=0.001)
    assert row["power_ceiling"] < 0.2
    assert (table["rise_n"] + table["other_n"] == 28).all()


# --------------------------------------------------------------------- model runs


def _constant_effort_by_hand(p: models.DynamicParams, S, effort: float):
    """The annual map written out with P_t = effort every year (no simulator involved)."""
    C, He, Hm = p.C0, p.H_e0, p.H_m0
    out = [(C, He, Hm)]
    for s in S:
        x = p.beta * s * (1 - p.gamma_e * He - p.gamma_m * Hm)
        f = 1 / (1 + np.exp(-p.k * (x - p.x0)))
        C, He, Hm = (
            C + p.kappa * (f - C),
            He - (p.delta_e * effort + p.lambda_e * C) * He + p.rho_e * (p.H_e0 - He),
            Hm - (p.delta_m * effort + p.lambda_m * C) * Hm + p.rho_m * (p.H_m0 - Hm),
        )
        out.append((C, He, Hm))
    return np.array(out)


def test_constant_effort_emulation_is_exact():
    p = models.DynamicParams()
    sc = policy_frames.policy_scenario()
    runs = policy_frames.policy_effort_runs(p, sc, constant_effort=0.4)
    const = runs[runs["run"] == "constant effort"]
    expected = _constant_effort_by_hand(p, sc.S, 0.4)
    np.testing.assert_allclose(const[["C", "H_e", "H_m"]].to_numpy(), expected, atol=1e-12)


def test_three_runs_agree_with_the_simulator_and_share_total_effort():
    p = models.DynamicParams()
    sc = policy_frames.policy_scenario()
    runs = policy_frames.policy_effort_runs(p, sc)
    assert set(runs["run"]) == set(policy.RUN_COLOURS)
    assert (runs.groupby("run").size() == len(sc) + 1).all()
    driven = runs[runs["run"] == "pressure-driven effort"]
    np.testing.assert_allclose(driven["C"], models.simulate(p, sc).C)
    none = runs[runs["run"] == "no policy"]
    np.testing.assert_allclose(
        none["H_m"], models.simulate(p.replace(delta_e=0.0, delta_m=0.0), sc).H_m
    )
    effort = runs.groupby("run")["P"].sum()
    assert effort["constant effort"] == pytest.approx(effort["pressure-driven effort"])
    assert effort["no policy"] == 0
    # timing matters: pressure-driven effort leaves lower hurdles at the end of the pulse
    end_of_pulse = runs[runs["year"] == 25].set_index("run")
    assert (
        end_of_pulse.loc["pressure-driven effort", "H_m"]
        < (end_of_pulse.loc["constant effort", "H_m"])
    )
    peak = runs.groupby("run")["C"].max()
    assert peak["no policy"] < peak["constant effort"] < peak["pressure-driven effort"]


def test_model_runs_reject_bad_input():
    with pytest.raises(ValueError, match="constant_effort"):
        policy_frames.policy_effort_runs(constant_effort=1.5)
    with pytest.raises(TypeError, match="DynamicParams"):
        policy_frames.policy_effort_runs(params={"delta_e": 0.1})
    with pytest.raises(ValueError, match="S > 0"):
        policy_frames.policy_effort_runs(
            scenario=models.shock(0.0, 0.8, 10, 3), constant_effort=0.3
        )
    with pytest.raises(ValueError, match="before must be a positive integer"):
        policy_frames.policy_scenario(before=0)
    with pytest.raises(ValueError, match="unknown run"):
        policy.policy_effort_chart(
            pd.DataFrame(
                {"run": ["x"], "year": [0], "S": [0.5], "C": [0.1], "H_e": [0.6], "H_m": [0.6]}
            )
        )


def test_model_chart_has_three_panels_and_a_model_source():
    spec = policy.policy_effort_chart(policy_frames.policy_effort_runs()).to_dict()
    assert len(spec["hconcat"]) == 3
    subtitle = spec["title"]["subtitle"]
    assert "not data" in " ".join([subtitle] if isinstance(subtitle, str) else subtitle)
    json.dumps(spec)


# --------------------------------------------------------------------- explorable


def test_grid_has_every_setting_and_m0_is_no_policy():
    grid = policy_frames.policy_effort_grid()
    n_years = len(policy_frames.policy_scenario()) + 1
    assert len(grid) == len(policy_frames.EFFECTIVENESS) * len(policy_frames.S0_VALUES) * n_years
    assert sorted(grid["m"].unique()) == list(policy_frames.EFFECTIVENESS)
    assert sorted(grid["s0"].unique()) == list(policy_frames.S0_VALUES)
    none = policy_frames.policy_effort_runs()
    none = none[none["run"] == "no policy"]
    for s0 in policy_frames.S0_VALUES:
        g = grid[(grid["m"] == 0) & (grid["s0"] == s0)]
        np.testing.assert_allclose(g["C"], none["C"], atol=1e-4)
    one = grid[(grid["m"] == 1) & (grid["s0"] == 0.3)]
    np.testing.assert_allclose(
        one["C"],
        models.simulate(models.DynamicParams(), policy_frames.policy_scenario()).C,
        atol=1e-4,
    )


def test_every_slider_value_selects_a_distinct_path():
    grid = policy_frames.policy_effort_grid()
    paths = {key: tuple(g["H_m"]) for key, g in grid.groupby(["m", "s0"])}
    # effectiveness slider: at a fixed s0, every m gives another hurdle path
    assert len({paths[(m, 0.3)] for m in policy_frames.EFFECTIVENESS}) == len(
        policy_frames.EFFECTIVENESS
    )
    # s0 slider: at a fixed m > 0, every s0 gives another path
    assert len({paths[(1.0, s)] for s in policy_frames.S0_VALUES}) == len(policy_frames.S0_VALUES)


def test_explorable_sliders_match_grid_keys_and_size():
    grid = policy_frames.policy_effort_grid()
    chart = policy.policy_effort_explorable(grid)
    spec = chart.to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"m", "s0_sel"}
    for name, col in (("m", "m"), ("s0_sel", "s0")):
        b = params[name]["bind"]
        keys = np.round(np.arange(b["min"], b["max"] + b["step"] / 2, b["step"]), 6)
        np.testing.assert_allclose(keys, np.sort(grid[col].unique()))
        assert params[name]["value"] in set(grid[col])
    text = json.dumps(spec)
    assert "abs(datum.m - m) < 1e-06" in text  # tolerance, not float equality
    assert len(chart.to_json()) <= MAX_INLINE


def test_explorable_rejects_bad_grids():
    grid = policy_frames.policy_effort_grid()
    with pytest.raises(ValueError, match="m = 0"):
        policy.policy_effort_explorable(grid[grid["m"] > 0])
    with pytest.raises(ValueError, match="evenly spaced"):
        policy.policy_effort_explorable(grid[grid["s0"] != 0.2])
    with pytest.raises(ValueError, match="lacks column"):
        policy.policy_effort_explorable(grid.drop(columns="H_e"))
    with pytest.raises(ValueError, match="effectiveness must be >= 0"):
        policy_frames.policy_effort_grid(effectiveness=[-1.0, 0.0])
    with pytest.raises(ValueError, match="duplicate"):
        policy_frames.policy_effort_grid(s0=[0.1, 0.1])
    with pytest.raises(ValueError, match="delta_m"):
        policy_frames.policy_effort_grid(effectiveness=[0.0, 20.0])


def test_every_chart_fits_the_page(events, themed, yearly):
    index = pressure.pressure_index(events)
    charts = [
        policy.themed_years_gantt(themed, source="x"),
        policy.policy_vs_pressure(yearly, index, coverage=pressure.coverage(events), source="x"),
        policy.policy_effort_chart(policy_frames.policy_effort_runs()),
        policy.policy_effort_explorable(policy_frames.policy_effort_grid()),
    ]
    for chart in charts:
        spec = chart.to_dict()
        assert spec["description"] and spec["title"]["text"]
        text = chart.to_json()
        assert len(text) <= MAX_INLINE
        assert "NaN" not in text  # a gap is null in the page, not an invalid JSON NaN
