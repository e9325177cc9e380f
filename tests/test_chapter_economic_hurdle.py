"""Chapter 5 (economic hurdle): the builders in reluctant_allies.charts.economy."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from reluctant_allies import data, indicators, models
from reluctant_allies.analysis import economy as economy_frames
from reluctant_allies.charts import economy

MAX_BYTES = 400_000


def _rows(spec: dict) -> list[dict]:
    return [r for rows in spec.get("datasets", {}).values() for r in rows]


def _check_page_chart(chart) -> dict:
    spec = chart.to_dict()
    assert spec["title"]["text"]
    assert spec["title"]["subtitle"]
    assert spec["description"]
    assert len(chart.to_json()) <= MAX_BYTES
    json.dumps(spec)
    return spec


# ---------------------------------------------------------------- turnover and directions


def test_turnover_only_where_a_producer_has_both_directions(trade):
    t = indicators.turnover_by_producer(trade)
    assert set(t["source"]) == {"cow_trade_v4", "cepii_baci"}  # Comtrade: imports only
    assert not t["year"].between(2015, 2016).any()
    cow14 = t.loc[(t["source"] == "cow_trade_v4") & (t["year"] == 2014), "turnover_usd_bn"]
    assert cow14.iloc[0] == pytest.approx(93.942, abs=1e-3)  # 51,135 + 42,807 US$ m
    baci23 = t.loc[(t["source"] == "cepii_baci") & (t["year"] == 2023), "turnover_usd_bn"]
    assert baci23.iloc[0] == pytest.approx(239.017, abs=1e-2)


def test_segments_break_at_gaps():
    df = pd.DataFrame({"source": ["a"] * 5, "year": [2000, 2001, 2003, 2004, 2006]})
    seg = indicators.segments(df, ["source"])
    assert seg.tolist() == [1, 1, 2, 2, 3]


def test_trade_turnover_draws_both_2015_figures(trade, reported):
    spec = _check_page_chart(economy.trade_turnover(trade, reported, source="test source"))
    rows = _rows(spec)
    y2015 = sorted(r["value"] for r in rows if r.get("year") == 2015 and "series" in r)
    assert y2015[0] == pytest.approx(64.2)
    assert y2015[-1] == pytest.approx(69.52 / 1.022, abs=0.01)
    assert economy_frames.implied_2015(reported) == pytest.approx(68.02, abs=0.01)
    # no derived line row falls in the gap, and each producer line is one unbroken run
    lines = [r for r in rows if "producer" in r and "segment" in r]
    assert not any(2015 <= r["year"] <= 2016 for r in lines)
    assert len({(r["producer"], r["segment"]) for r in lines}) == 2
    assert "2015" in spec["description"] and "64.2" in spec["description"]


def test_trade_turnover_labels_2015_from_the_table(trade, reported):
    """The 2015 figures in the text come from the table, and a table without the 2016 row
    (no implied total) says nothing about an implied one (it read "the None bn")."""
    moved = reported.assign(
        value_usd_bn=reported["value_usd_bn"].where(
            ~((reported["year"] == 2015) & (reported["flow"] == "turnover")), 60.0
        )
    )
    spec = economy.trade_turnover(trade, moved, source="s").to_dict()
    texts = json.dumps(spec, ensure_ascii=False)
    assert "2015: 60 or ≈68?" in texts and "the reported 60 bn and the 68.02 bn" in texts
    no_2016 = reported[~((reported["year"] == 2016) & (reported["flow"] == "turnover"))]
    spec = economy.trade_turnover(trade, no_2016, source="s").to_dict()
    assert "None" not in spec["description"] and "implied" not in spec["description"]
    assert "≈" not in json.dumps(spec, ensure_ascii=False)


def test_trade_turnover_without_reported_table(trade):
    spec = _check_page_chart(economy.trade_turnover(trade, source="s"))
    assert not any("series" in r for r in _rows(spec))


def test_trade_directions_on_the_real_table(trade):
    spec = _check_page_chart(economy.trade_directions(trade, source="s"))
    rows = _rows(spec)
    comtrade = {r["direction"] for r in rows if r["producer"].startswith("UN Comtrade")}
    assert comtrade == {"Russia to China"}
    assert len(rows) == len(trade)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.drop(columns="source"), r"lacks column\(s\) \['source'\]"),
        (lambda d: d.assign(source="imf_dots"), "unknown producer"),
        (lambda d: d.assign(direction="both"), "column 'direction'"),
        (lambda d: d.assign(value_usd_m=-1.0), "value_usd_m"),
        (lambda d: pd.concat([d, d.head(1)]), "duplicate"),
        (lambda d: d.iloc[0:0], "empty"),
    ],
)
def test_trade_builders_reject_bad_tables(trade, change, match):
    bad = change(trade.copy())
    with pytest.raises(ValueError, match=match):
        economy.trade_directions(bad, source="s")
    with pytest.raises(ValueError, match=match):
        economy.trade_turnover(bad, source="s")


def test_trade_turnover_rejects_bad_reported_table(trade, reported):
    with pytest.raises(ValueError, match="lacks column"):
        economy.trade_turnover(trade, reported.drop(columns="source_url"), source="s")
    with pytest.raises(ValueError, match="column 'flow'"):
        economy.trade_turnover(trade, reported.assign(flow="exports"), source="s")


def test_a_chart_needs_a_source(trade):
    with pytest.raises(ValueError, match="source"):
        economy.trade_directions(trade, source=" ")


# ---------------------------------------------------------------- composition


def test_composition_groups_add_up_and_show_the_asymmetry():
    g = economy_frames.composition_groups(data.load("trade_composition"))
    totals = g.groupby(["year", "direction"])["share"].sum()
    assert np.allclose(totals, 1.0, atol=1e-4)
    ru = g.loc[(g["direction"] == "Russia to China") & (g["year"] == 2023)].set_index("group")
    cn = g.loc[(g["direction"] == "China to Russia") & (g["year"] == 2023)].set_index("group")
    assert ru.loc["Mineral products (fuels, ores)", "share"] > 0.7
    assert cn.loc["Machinery and electrical", "share"] > 0.3
    assert ru["share"].idxmax() == "Mineral products (fuels, ores)"


def test_composition_butterfly_has_a_year_slider():
    comp = data.load("trade_composition")
    chart = economy.trade_composition_butterfly(comp, source="s")
    spec = _check_page_chart(chart)
    params = {p["name"]: p for p in spec["params"]}
    bind = params["comp_year"]["bind"]
    assert (bind["min"], bind["max"], bind["step"]) == (2017, 2023, 1)
    rows = [r for r in _rows(spec) if "direction" in r]
    assert {r["year"] for r in rows} == set(range(2017, 2024))
    # Russia's shares are drawn to the left (negative), China's to the right
    assert all((r["x"] <= 0) == (r["direction"] == "Russia to China") or r["x"] == 0 for r in rows)
    with pytest.raises(ValueError, match="year 2030"):
        economy.trade_composition_butterfly(comp, source="s", year=2030)
    with pytest.raises(ValueError, match="hs_section"):
        economy.trade_composition_butterfly(comp.assign(hs_section=99), source="s")
    with pytest.raises(ValueError, match="share"):
        economy.trade_composition_butterfly(comp.assign(share=1.5), source="s")


# ---------------------------------------------------------------- asymmetry


def test_trade_gdp_ratio_is_larger_for_russia(trade):
    r = indicators.trade_gdp_ratio(trade, data.load("power"))
    wide = r.pivot_table(index=["source", "year"], columns="of", values="pct")
    recent = wide.xs("cepii_baci")
    assert (recent["as % of Russia's GDP"] > 4 * recent["as % of China's GDP"]).all()
    assert not r["year"].between(2015, 2016).any()
    spec = _check_page_chart(economy.trade_gdp_asymmetry(trade, data.load("power"), source="s"))
    assert "Russia's GDP" in spec["description"]
    with pytest.raises(ValueError, match="no 'gdp' rows"):
        economy.trade_gdp_asymmetry(
            trade, data.load("power").query("indicator != 'gdp'"), source="s"
        )


# ---------------------------------------------------------------- model explorable


def test_hurdle_grid_matches_the_model():
    curves, thr = economy_frames.economic_hurdle_grid()
    p = models.StaticParams()
    row = thr.loc[np.isclose(thr["g"], 0.3) & np.isclose(thr["h"], 0.6)].iloc[0]
    S_E, S_A = models.static_thresholds(p)
    assert row["S_E"] == pytest.approx(float(S_E), abs=1e-4)
    assert row["S_A"] == pytest.approx(float(S_A), abs=1e-4)
    assert row["S_A"] > 1  # defaults: alliance out of reach
    zero = thr.loc[np.isclose(thr["g"], 0.3) & np.isclose(thr["h"], 0.0)].iloc[0]
    assert zero["S_A"] < 1  # "what if H_e -> 0?": alliance becomes reachable
    c = curves.loc[np.isclose(curves["g"], 0.3) & np.isclose(curves["h"], 0.6)]
    expect = models.equilibrium_cooperation(c["S"].to_numpy(), p)
    assert np.allclose(c["C"], expect, atol=1e-4)
    # lower hurdle, more cooperation at every S > 0
    lo = curves.loc[np.isclose(curves["g"], 0.3) & np.isclose(curves["h"], 0.0), "C"].to_numpy()
    assert (lo[1:] > c["C"].to_numpy()[1:]).all()
    assert len(np.unique(curves["h"])) == 21 and len(np.unique(curves["g"])) == 8


def test_hurdle_grid_rejects_bad_values():
    with pytest.raises(ValueError, match="H_e_values"):
        economy_frames.economic_hurdle_grid(H_e_values=[0.5, 1.2])
    with pytest.raises(ValueError, match="gamma_e"):  # gamma_e + gamma_m > 1
        economy_frames.economic_hurdle_grid(gamma_e_values=[0.9])
    with pytest.raises(ValueError, match="S_values must lie in"):
        economy_frames.economic_hurdle_grid(S_values=[0.5, 1.5])


def test_explorable_sliders_and_size():
    chart = economy.economic_hurdle_explorable()
    spec = _check_page_chart(chart)
    params = {p["name"]: p for p in spec["params"]}
    assert params["He"]["value"] == pytest.approx(0.6)
    assert params["He"]["bind"]["step"] == pytest.approx(0.05)
    assert params["ge"]["bind"]["max"] == pytest.approx(0.7)
    text = json.dumps(spec)
    assert "abs(datum.h - He) < 1e-06" in text  # tolerance, not float equality
    packed = [r for r in _rows(spec) if isinstance(r.get("C"), list)]
    assert len(packed) == 21 * 8 and all(len(r["C"]) == 41 for r in packed)
    # every slider position gives a different curve (each slider visibly changes the chart)
    by_h = {r["h"]: tuple(r["C"]) for r in packed if r["g"] == pytest.approx(0.3)}
    assert len(set(by_h.values())) == 21
    by_g = {r["g"]: tuple(r["C"]) for r in packed if r["h"] == pytest.approx(0.6)}
    assert len(set(by_g.values())) == 8
    with pytest.raises(ValueError, match="H_e=0.33"):
        economy.economic_hurdle_explorable(H_e=0.33)


def test_hurdle_threshold_table():
    thr = economy_frames.hurdle_threshold_table()
    assert thr.loc[0.6, "alliance reachable (S_A <= 1)"] == "no"
    assert thr.loc[0.0, "alliance reachable (S_A <= 1)"] == "yes"
    assert thr.loc[0.0, "alliance threshold S_A"] == pytest.approx(0.81)
    with pytest.raises(ValueError, match="H_e"):
        economy_frames.hurdle_threshold_table(H_e=[1.5])


def test_economy_facts_are_the_tables_and_the_model():
    trade, comp, power = data.load("trade"), data.load("trade_composition"), data.load("power")
    f = economy_frames.economy_facts(trade, comp, power)
    assert round(f["cow_1992"], 1) == 5.2 and round(f["baci_2023"]) == 239
    assert (round(f["ru_mineral_2017"]), round(f["ru_mineral_2023"])) == (67, 77)
    assert (f["ru_mineral_min_year"], f["ru_mineral_max_year"]) == (2020, 2022)
    assert f["ru_mineral_min"] < f["ru_mineral_2017"] < f["ru_mineral_max"]
    assert round(f["cn_vehicles_2023"]) == 21 and round(f["cn_machinery_2023"]) == 60
    assert f["gdp_last_year"] == 2023 and f["gdp_ru_last"] > 8 * f["gdp_cn_last"]
    assert (round(f["S_A"], 2), round(f["S_A_no_econ"], 2)) == (1.04, 0.81)
    assert (round(f["S_E"], 2), round(f["S_E_no_econ"], 2)) == (0.70, 0.55)
    lighter = economy_frames.economy_facts(trade, comp, power, models.StaticParams(gamma_e=0.2))
    assert lighter["S_A"] < f["S_A"] and lighter["S_A_no_econ"] == f["S_A_no_econ"]
    with pytest.raises(ValueError, match="value_usd_m"):
        economy_frames.economy_facts(trade.drop(columns="value_usd_m"), comp, power)
