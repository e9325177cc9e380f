"""Chapter 3 ("Measuring the system"): the chart builders of reluctant_allies.charts.system."""

from __future__ import annotations

import json

import numpy as np
import pytest

from reluctant_allies import charts, models, pressure
from reluctant_allies.analysis import system as system_frames
from reluctant_allies.charts import system

MAX_INLINE = 400_000


def _spec(chart) -> dict:
    spec = chart.to_dict()
    json.dumps(spec)
    assert len(chart.to_json()) <= MAX_INLINE
    sub = spec["title"]["subtitle"]  # the theme may wrap a long source line into a list
    spec["title"]["subtitle"] = " ".join(sub) if isinstance(sub, list) else sub
    subtitle = spec["title"]["subtitle"]  # a list of lines when finish() wraps a long source
    first = subtitle[0] if isinstance(subtitle, list) else subtitle
    assert spec["title"]["text"] and first.startswith("Source: ")
    assert len(spec["description"]) > 80
    return spec


def _rows(spec: dict) -> list[list[dict]]:
    return list(spec.get("datasets", {}).values())


def test_builders_are_exposed():
    for name in system.__all__:
        assert getattr(charts, name) is getattr(system, name)


# --------------------------------------------------------------------------- power


def test_us_shares_on_the_real_table(power):
    df = system_frames.us_share_frame(power)
    milex = df[df["indicator"] == "milex"].set_index("year")["share"]
    gdp = df[df["indicator"] == "gdp"].set_index("year")["share"]
    assert (milex.index.min(), milex.index.max()) == (1992, 2024)
    assert (gdp.index.min(), gdp.index.max()) == (1992, 2023)
    # the numbers the prose quotes
    assert round(milex[1992], 2) == 0.90 and round(milex[2024], 2) == 0.67
    assert round(gdp[1992], 2) == 0.88 and round(gdp[2023], 2) == 0.58
    assert (df["share"] > 0.5).all()  # the dashed-line claim
    spec = _spec(charts.us_power_shares(power))
    assert "SIPRI" in spec["title"]["subtitle"] and "World Bank" in spec["title"]["subtitle"]
    assert "COW" not in spec["title"]["subtitle"]


def test_us_shares_break_at_a_gap_and_never_fill_it(power):
    holed = power[~((power["year"] == 2000) & (power["country"] == "China"))]
    df = system_frames.us_share_frame(holed)
    assert 2000 not in set(df["year"])
    assert df.loc[df["indicator"] == "milex", "run"].nunique() == 2


def test_us_shares_refuse_bad_tables(power):
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['source'\]"):
        system_frames.us_share_frame(power.drop(columns="source"))
    with pytest.raises(ValueError, match="no 'gdp' rows"):
        system_frames.us_share_frame(power[power["indicator"] != "gdp"])
    with pytest.raises(ValueError, match=r"no rows for \['Russia'\]"):
        system_frames.us_share_frame(power[power["country"] != "Russia"])
    with pytest.raises(TypeError, match="DataFrame"):
        system_frames.us_share_frame(power.to_dict())


def test_cinc_keeps_releases_apart(power):
    df = system_frames.cinc_frame(power)
    assert set(df["source"]) == {"cow_nmc_v6", "cow_nmc_v7"}
    assert system_frames.china_above_usa(df) == {"cow_nmc_v6": 1995, "cow_nmc_v7": 1995}
    spec = _spec(charts.cinc_shares(power))
    assert len(spec["hconcat"]) == 2
    assert "unconfirmed" in spec["title"]["subtitle"]
    assert "1995" in spec["description"]
    with pytest.raises(ValueError, match="no 'cinc' rows"):
        system_frames.cinc_frame(power[power["indicator"] != "cinc"])


# --------------------------------------------------------------------------- index charts


def test_rules_table_lists_every_type_and_event(events):
    html = system.pressure_rules_table().data
    for rule in pressure.CODING_RULES:
        assert rule.label in html
    for event_id in pressure.EVENT_CODES:
        assert event_id in html
    assert "<caption>" in html and 'scope="col"' in html
    with_text = system.pressure_rules_table(events).data
    assert "1999: NATO admits the Czech Republic, Hungary and Poland" in with_text
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['event'\]"):
        system.pressure_rules_table(events.drop(columns="event"))
    with pytest.raises(ValueError, match="unknown weight key"):
        system.pressure_rules_table(weights={"tariffs": 1})


def test_index_chart_marks_every_coded_event(events):
    spec = _spec(charts.pressure_index_chart(events))
    rows = _rows(spec)
    marks = next(r for r in rows if r and "label" in r[0])
    assert {m["year"] for m in marks} == set(pressure.code_events(events)["year"])
    not_counted = [m for m in marks if not m["counted"]]
    assert {m["year"] for m in not_counted} == {2002, 2003}
    assert "not covered" in json.dumps(spec)  # the post-2018 gap is drawn
    with pytest.raises(ValueError, match="half_life must be > 0"):
        charts.pressure_index_chart(events, half_life=0)


def test_label_rows_avoid_collisions():
    rows = system._label_rows([2001, 2002, 2003, 2004], ["a long label"] * 4)
    assert len(set(rows)) == 4
    assert system._label_rows([2000, 2020], ["x", "y"]) == [system.LABEL_ROWS[0]] * 2


def test_codings_frame_and_chart(events):
    df = system_frames.codings_frame(events)
    assert set(df["coding"]) == set(system.CODINGS)
    assert len(df) == len(system.CODINGS) * 35
    default = df[df["coding"] == "Default rules"]
    assert np.allclose(default["value"], default["default"])
    stock = df[df["coding"].str.startswith("No fading")]["value"].to_numpy()
    assert (np.diff(stock) >= 0).all()
    _spec(charts.pressure_codings(events))


# --------------------------------------------------------------------------- second edition


@pytest.fixture(scope="module")
def actions():
    return pressure.load_record()


def test_record_rules_print_the_package_rules_and_codes(actions):
    html = system.pressure_record_rules(actions).data
    for code in pressure.record_codes():
        assert code.label in html
    for text in pressure.record_rules()["text"]:
        assert text.split(".")[0].replace("'", "&#x27;") in html
    assert html.count("<caption>") == 2 and 'scope="col"' in html
    assert len(pressure.record_codes()) == 12  # "each of twelve codes"


def test_indices_chart_and_the_numbers_the_text_quotes(actions):
    spec = _spec(charts.pressure_indices_chart(actions))
    assert len(spec["vconcat"]) == 2  # the indices, then the coverage density
    assert "easier to find" in spec["description"]
    assert "pressure_actions" in spec["title"]["subtitle"]
    wide = pressure.record_indices(actions).pivot(index="year", columns="index", values="value")
    assert len(actions) == 84 and (actions["year"].min(), actions["year"].max()) == (1996, 2025)
    assert wide["combined"].idxmax() == 2025
    assert [round(wide.loc[y, "combined"], 2) for y in (2018, 2022, 2024)] == [0.42, 0.83, 0.97]
    assert (wide.loc[2001:2018, "Russia"] > wide.loc[2001:2018, "China"]).all()
    assert (wide.loc[2019:2021, "China"] > wide.loc[2019:2021, "Russia"]).all()
    assert (wide.loc[2022:2025, "Russia"] > wide.loc[2022:2025, "China"]).all()
    assert wide.loc[:1995].eq(0).all().all() and (wide.loc[1996] > 0).any()
    density = pressure.coverage_density(actions).groupby("year")["rows"].sum()
    assert (density.loc[:2018].sum(), density.loc[2019:].sum()) == (27, 57)
    _spec(charts.pressure_coverage_chart(actions))
    alone = _spec(charts.pressure_indices_chart(actions, coverage=False, half_life=1))
    assert "vconcat" not in alone


def test_variants_chart_and_the_claims_about_it(actions):
    spec = _spec(charts.pressure_variants_chart(actions))
    assert spec["facet"]["field"] == "variant"
    df = pressure.sensitivity(actions)
    x = df.pivot_table(index=["index", "year"], columns="variant", values="value")
    default, reactive_out = x["Default: half-life 3 years, weak rows out"], x["Reactive acts out"]
    assert int(actions["reactive"].sum()) == 14
    assert reactive_out["combined"].idxmax() == 2022
    china = reactive_out["China"]
    after = china.loc[2022:2025]  # "levels off after 2022 (between 0.46 and 0.53)"
    assert (round(after.min(), 2), round(after.max(), 2)) == (0.46, 0.53)
    assert china.loc[2022:2025].idxmax() == 2022
    assert x["Half-life 1 year"]["combined"].idxmax() == 2024
    assert (np.diff(x["No fading: half-life infinite"]["combined"]) >= -1e-12).all()
    assert int((actions["confidence"] == "weak").sum()) == 9
    assert (x["Weak rows in"] - default).abs().max() < 0.1  # "no value by more than 0.1"


# --------------------------------------------------------------------------- model on the record


@pytest.fixture(scope="module")
def record():
    return pressure.load_record()


def test_record_model_frame_is_the_static_model_on_the_combined_index(record):
    f = system_frames.record_model_frame(record)
    s = pressure.record_index(record)
    assert np.allclose(f["S"], s["value"])
    p = models.StaticParams()
    assert np.allclose(f["C_star"], models.equilibrium_cooperation(s["value"].to_numpy(), p))
    # numbers the chapter glues: entente from 2022, never an alliance (S_A > 1 by construction)
    assert f.loc[f["C"] >= p.theta_E, "year"].tolist() == [2022, 2023, 2024, 2025]
    assert (f["C"] < p.theta_A).all()
    china = system_frames.record_model_frame(record, index="China")
    assert not np.allclose(china["S"], f["S"])
    with pytest.raises(TypeError, match="StaticParams"):
        system_frames.record_model_frame(record, {"beta": 1})
    with pytest.raises(ValueError, match="unknown index"):
        system_frames.record_model_frame(record, index="Europe")


def test_record_facts_are_the_record(record):
    facts = system_frames.record_facts(record)
    assert facts["rows"] == len(record) == facts["rows_to_2018"] + facts["rows_from_2019"]
    assert facts["weak_rows"] == int((record["confidence"] == "weak").sum())
    assert facts["peak_year"] == 2025 and facts["peak_no_reactive"] == 2022
    assert facts["model_entente_first"] == 2022 and facts["model_entente_last"] == 2025
    assert facts["model_alliance_years"] == 0
    assert 0 < facts["weak_max_shift"] < 0.1
    assert round(facts["combined_2018"], 2) == 0.42


def test_reactive_acts_lists_every_flagged_row_in_the_window(record):
    r = system_frames.reactive_acts(record)
    flagged = record[record["reactive"].astype(bool) & record["year"].between(2022, 2025)]
    assert set(r["id"]) == set(flagged["id"]) and len(r) == 13
    assert (r["confidence"] == "weak").sum() == 3
    assert r["date"].is_monotonic_increasing
    assert "us-sanctions-pla-edd" in set(system_frames.reactive_acts(record, first=2018)["id"])
    with pytest.raises(ValueError, match="after last"):
        system_frames.reactive_acts(record, first=2025, last=2022)
    with pytest.raises(ValueError, match="reactive"):
        system_frames.reactive_acts(record.drop(columns="reactive"))


def test_record_explorer_grid_and_chart(record):
    g = system_frames.record_explorer_grid(record)
    n = len(system.DOCTRINE_WEIGHTS) * len(system.HALF_LIVES) * 2
    assert len(g) == n * 35
    d0 = pressure.record_weights()["doctrine"]
    one = g[(g["d"] == d0) & (g["h"] == pressure.DEFAULT_HALF_LIFE) & (g["w"] == 0)]
    frame = system_frames.record_model_frame(record)
    assert np.allclose(one.sort_values("year")["c"], frame["C"], atol=5e-4)
    curves = g.pivot_table(index=["d", "h", "w"], columns="year", values="v")
    assert curves.drop_duplicates().shape[0] == curves.shape[0]
    spec = _spec(charts.record_explorer(record))
    assert {p["name"] for p in spec["params"]} == {"doc", "half", "weak"}
    assert "not covered" not in json.dumps(spec)  # the record has no uncovered years
    binds = {p["name"]: p["bind"] for p in spec["params"]}
    assert binds["doc"]["max"] == system.DOCTRINE_WEIGHTS[-1]
    assert binds["half"]["min"] == system.HALF_LIVES[0]
    assert binds["weak"]["input"] == "checkbox"
    assert "abs(datum.d - doc) < 1e-06" in json.dumps(spec)  # tolerant, not float equality
    run = _spec(charts.record_model_run(record))
    assert "2022, 2023, 2024, 2025" in run["description"]


def test_record_model_run_checks_its_inputs(record):
    with pytest.raises(TypeError, match="StaticParams"):
        system_frames.record_model_frame(record, {"beta": 1})
    with pytest.raises(TypeError, match="StaticParams"):
        system_frames.record_explorer_grid(record, {"beta": 1})
    with pytest.raises(ValueError, match="unknown weight key"):
        charts.record_model_run(record, weights={"tariffs": 1.0})
    s_e, s_a = (float(v) for v in models.static_thresholds(models.StaticParams()))
    assert round(s_e, 2) == 0.70 and round(s_a, 2) == 1.04
