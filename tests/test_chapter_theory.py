"""Chapter 2 (neoclassical realism): the chart builders in reluctant_allies.charts.theory."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from reluctant_allies import analysis, charts, data, models
from reluctant_allies.analysis import theory as theory_frames
from reluctant_allies.charts import theory

MAX_INLINE = 400_000


def _rows(chart) -> list[dict]:
    spec = chart.to_dict()
    return [r for rows in spec["datasets"].values() for r in rows]


def _dataset_with(chart, *columns: str) -> list[dict]:
    spec = chart.to_dict()
    for rows in spec["datasets"].values():
        if rows and set(columns) <= set(rows[0]):
            return rows
    raise AssertionError(f"no dataset with columns {columns!r}")


def _subtitle(spec) -> str:
    sub = spec["title"]["subtitle"]
    return " ".join(sub) if isinstance(sub, list) else sub


# --- builders are exposed and every chart is finished ----------------------------------------


def test_builders_are_exposed_as_charts_attributes():
    for name in theory.__all__:
        assert getattr(charts, name) is getattr(theory, name)


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.ncr_causal_diagram(),
        lambda: charts.unipolarity_spending_shares(
            data.load("power"), source=data.source_line("power", ["sipri_milex"])
        ),
        lambda: charts.alliance_obligation_tiles(
            data.load("alliances"), source=data.source_line("alliances")
        ),
        lambda: charts.static_filter_explorable(),
    ],
    ids=["diagram", "spending", "obligations", "explorable"],
)
def test_every_chart_has_title_source_description_and_fits(build):
    chart = build()
    spec = chart.to_dict()
    assert spec["title"]["text"]
    assert _subtitle(spec).startswith("Source")
    assert len(spec["description"]) > 40
    assert len(chart.to_json()) <= MAX_INLINE
    json.dumps(spec)


def test_diagram_says_it_is_not_data_and_has_the_feedback_arrow():
    spec = charts.ncr_causal_diagram().to_dict()
    assert "not data" in _subtitle(spec)
    rows = _dataset_with(charts.ncr_causal_diagram(), "edge")
    kinds = {r["edge"]: r["kind"] for r in rows}
    assert kinds["P→H"] == "feedback" and kinds["S→P"] == "feedback"
    assert kinds["S→H"] == "static" and kinds["H→C"] == "static"


# --- the systemic picture ---------------------------------------------------------------------


def test_spending_shares_sum_to_one_and_match_sipri():
    power = data.load("power")
    shares = theory_frames.spending_shares(power)
    totals = shares.groupby("year")["share"].sum()
    assert np.allclose(totals, 1.0, atol=2e-4)
    assert set(shares["country"]) == {"USA", "China", "Russia"}
    m = power[(power.indicator == "milex") & (power.source == "sipri_milex")]
    wide = m.pivot(index="year", columns="country", values="value")
    us_1992 = wide.loc[1992, "USA"] / wide.loc[1992].sum()
    got = shares.query("year == 1992 and country == 'USA'")["share"].item()
    assert got == pytest.approx(us_1992, abs=1e-4)
    # other producers (World Bank, COW) never leak in
    assert shares["year"].max() == 2024


def test_spending_shares_drop_years_with_a_missing_country():
    power = data.load("power")
    gap = power.drop(power[(power.year == 2000) & (power.country == "Russia")].index)
    years = set(theory_frames.spending_shares(gap)["year"])
    assert 2000 not in years and 1999 in years


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda df: df.drop(columns="indicator"), "indicator"),
        (lambda df: df[df.indicator != "milex"], "sipri_milex"),
        (lambda df: df.assign(country=df.country.replace({"Russia": "USSR"})), "USSR"),
        ("not a frame", "DataFrame"),
    ],
)
def test_spending_shares_reject_bad_tables(mutate, message):
    power = data.load("power")
    bad = mutate if isinstance(mutate, str) else mutate(power)
    with pytest.raises(ValueError, match=message):
        charts.unipolarity_spending_shares(bad, source="SIPRI")


# --- written obligations ----------------------------------------------------------------------


def test_obligation_tiles_show_no_china_russia_defence_after_1980():
    tiles = theory_frames.obligation_tiles(data.load("alliances"))
    cr = tiles[tiles.dyad == "China–Russia"]
    assert cr.loc[cr.obligation == "defence", "year"].max() == 1980
    atop = cr[cr.dataset.str.startswith("ATOP")]
    assert (
        atop.loc[atop.obligation == "consultation", "year"].pipe(lambda y: y[y > 1990]).min()
        == 2001
    )
    assert (
        atop.loc[(atop.obligation == "non-aggression") & (atop.year > 1985), "year"].min() == 1992
    )
    cow = cr[cr.dataset.str.startswith("COW")]
    assert set(cow.loc[cow.obligation == "entente", "year"]) == set(range(1996, 2013))
    assert tiles["year"].min() >= 1950


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda df: df.drop(columns="consultation"), "consultation"),
        (lambda df: df.assign(dyad="China–India"), "China–India"),
        (lambda df: df.assign(source="made_up"), "made_up"),
        (lambda df: df[df.year < 1900], "start=1950"),
    ],
)
def test_obligation_tiles_reject_bad_tables(mutate, message):
    with pytest.raises(ValueError, match=message):
        charts.alliance_obligation_tiles(mutate(data.load("alliances")), source="ATOP")


# --- the static model grid and explorable -----------------------------------------------------


def test_grid_leaves_out_weight_pairs_the_model_rejects():
    grid = analysis.static_filter_grid()
    assert (np.round(grid.g_e + grid.g_m, 9) <= 1.0).all()
    pairs = grid[["g_e", "g_m"]].drop_duplicates()
    assert len(pairs) == 66  # weights 0, 0.1, ..., 1 with g_e + g_m <= 1
    with pytest.raises(ValueError, match="gamma_e \\+ gamma_m"):
        models.StaticParams(gamma_e=0.7, gamma_m=0.5)


def test_grid_values_are_the_models_own():
    grid = analysis.static_filter_grid()
    rng = np.random.default_rng(2)
    for idx in rng.choice(len(grid), size=25, replace=False):
        r = grid.iloc[idx]
        p = models.StaticParams(gamma_e=r.g_e, gamma_m=r.g_m)
        want = float(models.equilibrium_cooperation(r.S, p, H_e=r.H_e, H_m=r.H_m))
        assert r.C == pytest.approx(want, abs=6e-5)
        assert r.phi == pytest.approx(1 - r.g_e * r.H_e - r.g_m * r.H_m, abs=1e-9)


def test_default_thresholds_entente_reachable_alliance_not():
    table = analysis.static_filter_thresholds()
    row = table.query("g_e == 0.3 and g_m == 0.3 and H_e == 0.6 and H_m == 0.6").iloc[0]
    assert row.S_E == pytest.approx(0.7031, abs=1e-4)
    assert row.S_A == pytest.approx(1.0419, abs=1e-4)
    assert row.entente_reachable and not row.alliance_reachable
    # removing the memory hurdle brings the alliance within reach
    row = table.query("g_e == 0.3 and g_m == 0.3 and H_e == 0.6 and H_m == 0").iloc[0]
    assert row.alliance_reachable and row.S_A == pytest.approx(0.8132, abs=1e-4)
    # with no filtering at all, nothing gets through
    row = table.query("g_e == 1 and g_m == 0 and H_e == 1").iloc[0]
    assert np.isinf(row.S_E) and np.isinf(row.S_A)


def test_explorable_ships_one_curve_per_filter_value_matching_the_model():
    chart = charts.static_filter_explorable()
    curves = pd.DataFrame(_dataset_with(chart, "phi", "S", "C"))
    assert set(curves.columns) == {"phi", "S", "C"}
    assert curves.phi.nunique() == 51 and curves.S.nunique() == 51
    p = models.StaticParams()
    default = curves[np.isclose(curves.phi, 1 - 0.3 * 0.6 - 0.3 * 0.6)].sort_values("S")
    want = models.equilibrium_cooperation(default.S.to_numpy(), p)
    assert np.allclose(default.C, want, atol=6e-5)
    assert default.C.max() < p.theta_A  # C*(1) ~ 0.82: alliance out of reach


def test_explorable_sliders_and_filters_are_bound_with_a_tolerance():
    spec = charts.static_filter_explorable().to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"gamma_e", "gamma_m", "H_e", "H_m"}
    for p in params.values():
        assert p["bind"]["input"] == "range" and p["bind"]["max"] == 1
    assert params["gamma_e"]["value"] == 0.3 and params["H_m"]["value"] == 0.6
    filters = [
        t["filter"]
        for layer in spec["layer"]
        for t in layer.get("transform", [])
        if isinstance(t.get("filter"), str)
    ]
    assert any("gamma_e * H_e" in f and "abs(" in f for f in filters)
    assert all("==" not in f for f in filters)  # no float equality on slider values
    # a read-out depends on every slider, so each one changes the chart even when the
    # chosen weights are rejected and no curve is drawn
    readouts = [
        layer["mark"]["text"]["expr"]
        for layer in spec["layer"]
        if isinstance(layer.get("mark"), dict) and isinstance(layer["mark"].get("text"), dict)
    ]
    assert readouts and all(name in readouts[0] for name in params)


def test_explorable_messages_every_rejected_weight_pair():
    rows = _dataset_with(charts.static_filter_explorable(), "valid")
    assert rows and all(not r["valid"] and "rejects" in r["text"] for r in rows)
    assert len(rows) == 121 - 66


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gamma_step": 0.3}, "gamma_step"),
        ({"gamma_step": 0}, "gamma_step"),
        ({"hurdle_step": 1.5}, "hurdle_step"),
        ({"s_step": float("nan")}, "s_step"),
        ({"params": {"gamma_e": 0.3}}, "StaticParams"),
        ({"params": models.StaticParams(gamma_e=0.25)}, "gamma_e"),
    ],
)
def test_explorable_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        charts.static_filter_explorable(**kwargs)


def test_theory_facts_are_the_data_and_the_model():
    power, unga, arms = data.load("power"), data.load("unga"), data.load("arms_transfers")
    f = analysis.theory_facts(power, unga, arms)
    assert round(f["us_share_1992"], 2) == 0.90 and round(f["us_share_2005"], 2) == 0.88
    assert 0.89 < f["us_share_min_1990s"] <= f["us_share_1992"]
    assert round(f["unga_1992"], 2) == 0.43 and round(f["unga_2000"], 2) == 0.77
    assert (f["tiv_peak"], f["tiv_peak_year"]) == (3066, 2005)
    assert (round(f["S_E"], 2), round(f["S_A"], 2), round(f["C_max"], 2)) == (0.70, 1.04, 0.82)
    assert round(f["S_A_no_memory"], 2) == 0.81
    # at the largest admissible weight sum the alliance threshold is exactly 1
    g = f["gamma_sum_max"]
    edge = models.StaticParams(gamma_e=g / 2, gamma_m=g / 2)
    assert abs(float(models.static_thresholds(edge)[1]) - 1.0) < 1e-9
    with pytest.raises(ValueError, match="equal default hurdles"):
        analysis.theory_facts(power, unga, arms, models.StaticParams(H_e0=0.5))
    with pytest.raises(ValueError, match="tiv_m"):
        analysis.theory_facts(power, unga, arms.drop(columns="tiv_m"))
