"""Chapter 10 (two players, one alliance): the builders in charts/game.py."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pytest

from reluctant_allies import analysis, charts, data, explorables, models
from reluctant_allies.analysis import game as game_frames
from reluctant_allies.charts import game as tp

LIMIT = 400_000  # bytes of inline chart JSON per chart


def _subtitle(chart) -> str:
    sub = chart.to_dict()["title"]["subtitle"]
    return " ".join(sub) if isinstance(sub, list) else sub


def _datasets(chart) -> list[list[dict]]:
    return list(chart.to_dict()["datasets"].values())


# --- timeline -----------------------------------------------------------------------------------


def test_timeline_one_dot_per_event_in_range(events):
    chart = charts.post2022_timeline(
        events, label={"unga-es-11-1": "UN abstention"}, source=data.source_line("events")
    )
    rows = _datasets(chart)[0]
    in_range = events[(events["date"] >= "2019-01-01") & (events["date"] <= "2025-12-31")]
    assert len(rows) == len(in_range)
    assert {r["actor"] for r in rows} <= set(tp.ACTORS)
    assert [r["label"] for r in rows if r["id"] == "unga-es-11-1"] == ["UN abstention"]
    assert "Hand-curated" in _subtitle(chart)
    assert "Russia–DPRK" in chart.to_dict()["description"]
    assert len(chart.to_json()) < LIMIT


def test_timeline_rejects_bad_input(events):
    with pytest.raises(ValueError, match="source_url"):
        charts.post2022_timeline(events.drop(columns="source_url"), source="x")
    with pytest.raises(ValueError, match="no event in range"):
        charts.post2022_timeline(events, label={"treaty-2001": "treaty"}, source="x")
    with pytest.raises(ValueError, match="not before"):
        charts.post2022_timeline(events, start="2024-01-01", end="2020-01-01", source="x")
    odd = events.copy()
    odd.loc[odd["id"] == "no-limits", "actor"] = "Mongolia"
    with pytest.raises(ValueError, match="Mongolia"):
        charts.post2022_timeline(odd, source="x")
    with pytest.raises(ValueError, match="no events between"):
        charts.post2022_timeline(events, start="1950-01-01", end="1960-01-01", source="x")


# --- ideal-point distances ----------------------------------------------------------------------


def test_distances_match_the_table(unga):
    d = game_frames._distances(unga)
    ip = unga[unga["measure"] == "ideal point"].pivot(
        index="year", columns="subject", values="value"
    )
    got = d[(d["pair"] == "China–Russia") & (d["year"] == 2022)]["distance"].item()
    assert got == pytest.approx(abs(ip.loc[2022, "China"] - ip.loc[2022, "Russia"]), abs=1e-3)
    assert set(d["pair"]) == set(tp.PAIRS)
    assert (d["distance"] >= 0).all()


def test_distance_table_is_the_wide_form_of_the_chart_data(unga):
    wide = game_frames.distance_table(unga)
    assert set(wide.columns) == set(game_frames.PAIRS)
    ip = unga[unga["measure"] == "ideal point"].pivot(
        index="year", columns="subject", values="value"
    )
    for year in (1992, 2014, 2022):
        assert wide.loc[year, "China–Russia"] == pytest.approx(
            abs(ip.loc[year, "China"] - ip.loc[year, "Russia"]), abs=1e-12
        )
    assert wide["China–Russia"].idxmin() == wide.index.max()  # the closest year is the last


def test_distance_lines_break_at_gaps(unga):
    holed = unga[~((unga["measure"] == "ideal point") & (unga["year"] == 2010))]
    d = game_frames._distances(holed)
    cr = d[d["pair"] == "China–Russia"]
    assert 2010 not in set(cr["year"])
    assert cr["series"].nunique() == 2  # a new run after the missing year


def test_distance_chart(unga):
    chart = charts.ideal_point_distances(
        unga, marks={2022: "2022 UN vote"}, source=data.source_line("unga", ["voeten_2025"])
    )
    assert "July 2025" in _subtitle(chart)
    assert "0.54 in 2022" in chart.to_dict()["description"]
    assert len(chart.to_json()) < LIMIT


def test_distance_chart_rejects_bad_input(unga):
    with pytest.raises(ValueError, match="outside"):
        charts.ideal_point_distances(unga, marks={1950: "x"}, source="x")
    with pytest.raises(ValueError, match="ideal point"):
        charts.ideal_point_distances(unga[unga["measure"] == "agreement"], source="x")
    no_usa = unga[unga["subject"] != "USA"]
    with pytest.raises(ValueError, match="USA"):
        charts.ideal_point_distances(no_usa, source="x")
    nan = unga.copy()
    nan.loc[nan["measure"] == "ideal point", "value"] = np.nan
    with pytest.raises(ValueError, match="missing"):
        charts.ideal_point_distances(nan, source="x")
    with pytest.raises(ValueError, match="DataFrame"):
        charts.ideal_point_distances([1, 2], source="x")


# --- thresholds ---------------------------------------------------------------------------------


def test_threshold_table_asymmetric_shift():
    t = analysis.threshold_table(
        {"before": models.AllianceGame(), "after": models.POST_2022_GAME}
    ).set_index("game")
    cn, ru = "China accepts from S_CN* =", "Russia accepts from S_RU* ="
    assert t.loc["before", cn] == pytest.approx(0.368)
    assert t.loc["after", cn] == pytest.approx(0.613)  # entrapment raises China's threshold
    assert t.loc["after", ru] == pytest.approx(0.338)  # abandonment fear lowers Russia's
    assert t.loc["after", "equilibria at (0.5, 0.5)"] == "(no, no)"
    assert t.loc["after", "equilibria at (0.8, 0.8)"] == "(no, no), (ally, ally)"


def test_threshold_table_rejects_bad_input():
    with pytest.raises(ValueError, match="empty"):
        analysis.threshold_table({})
    with pytest.raises(ValueError, match="AllianceGame"):
        analysis.threshold_table({"x": "not a game"})
    with pytest.raises(ValueError, match="S_RU"):
        analysis.threshold_table({"x": models.AllianceGame()}, points=[(0.5, 1.5)])


# --- the drifting corner ------------------------------------------------------------------------


def test_corner_grid_values():
    g = game_frames.corner_grid()
    assert len(g) == 11 * 11
    first = g[(g["t"] == 0) & np.isclose(g["X"], 0.8)].iloc[0]
    assert first["S_cn_star"] == pytest.approx(0.613)
    assert first["S_cn_entente"] == pytest.approx(0.703, abs=1e-3)
    # hurdles wear down: the entente threshold falls year by year, at every exposure
    for _, by_x in g.groupby("X"):
        assert (np.diff(by_x.sort_values("t")["S_cn_entente"]) < 0).all()
    # China's entrapment threshold rises with Russia's exposure (epsilon = 0.4)
    at0 = g[g["t"] == 0].sort_values("X")
    assert np.allclose(np.diff(at0["S_cn_star"]), 0.04)
    assert (at0["S_ru_star"].round(6).nunique()) == 1  # Russia's own exposure is not its risk
    # reluctant allies appear only once the hurdles are worn (X = 0.8) or at once (X = 1)
    area = g.set_index(["t", "X"])["reluctant_area"]
    assert area[(0, 0.8)] == 0 and area[(40, 0.8)] > 0
    assert area[(4, 1.0)] > 0


def test_corner_grid_rejects_bad_input():
    with pytest.raises(ValueError, match="pressure"):
        game_frames.corner_grid(pressure=1.2)
    with pytest.raises(ValueError, match="exposures"):
        game_frames.corner_grid(exposures=[0.0, 0.5, 1.5])
    with pytest.raises(ValueError, match="evenly spaced"):
        game_frames.corner_grid(exposures=[0.0, 0.1, 0.5])
    with pytest.raises(ValueError, match="years"):
        game_frames.corner_grid(years=[0, 2.5, 5])
    with pytest.raises(ValueError, match="AllianceGame"):
        game_frames.corner_grid(game="post-2022")


def _with(game: models.AllianceGame, state: str, **changes) -> models.AllianceGame:
    china, russia = game.china, game.russia
    if state == "China":
        china = china.replace(**changes)
    else:
        russia = russia.replace(**changes)
    return models.AllianceGame(china=china, russia=russia, model=game.model)


def test_binding_points_close_the_gap_exactly():
    for game in (models.AllianceGame(), models.POST_2022_GAME):
        table = game_frames.binding_points(game)
        for state, partner in (("China", "Russia"), ("Russia", "China")):
            row = table.loc[state]
            stars = dict(zip(("China", "Russia"), models.acceptance_thresholds(game), strict=True))
            assert row["S_star"] == pytest.approx(stars[state])
            assert row["slack"] == pytest.approx(row["S_entente"] - row["S_star"])
            # the weight that makes the fear bind puts S* exactly on the entente line
            g = _with(game, state, epsilon=row["epsilon_to_bind"])
            assert models.acceptance_thresholds(g)[state == "Russia"] == pytest.approx(
                row["S_entente"]
            )
            # ... and so does the partner's exposure
            # ... and so does the partner's exposure (checked by the formula: X > 1 is invalid)
            me = game.china if state == "China" else game.russia
            them = game.russia if state == "China" else game.china
            h = game.model.gamma_e * me.H_e + game.model.gamma_m * me.H_m
            star = (
                me.tau + me.epsilon * row["X_partner_to_bind"] + me.eta * h - me.phi * them.R
            ) / me.alpha
            assert star == pytest.approx(row["S_entente"])
            if row["X_partner_to_bind"] <= 1:
                g = _with(game, partner, X=row["X_partner_to_bind"])
                assert models.acceptance_thresholds(g)[state == "Russia"] == pytest.approx(
                    row["S_entente"]
                )


def test_fears_do_not_bind_at_the_defaults():
    """O1: at the illustrative defaults, before and after 2022, neither state's acceptance
    threshold reaches its entente threshold, so no reluctant-allies strip exists."""
    for game in (models.AllianceGame(), models.POST_2022_GAME):
        table = game_frames.binding_points(game)
        assert not table["binds"].any()
        assert (table["slack"] > 0).all()
        assert models.alliance_quadrant(game).reluctant_area == pytest.approx(0.0)
    post = game_frames.binding_points(models.POST_2022_GAME)
    assert post.loc["China", "epsilon_to_bind"] == pytest.approx(0.5125, abs=1e-3)
    # Russia's own entrapment fear cannot bind even at China's maximal exposure
    assert post.loc["Russia", "X_partner_to_bind"] > 1


def test_binding_year_matches_the_corner_grid():
    year = game_frames.binding_year(exposure=0.8)
    grid = game_frames.corner_grid(exposures=(0.0, 0.8), years=range(0, 41))
    row = grid[np.isclose(grid["X"], 0.8)].set_index("t")
    assert row.loc[year, "S_cn_star"] > row.loc[year, "S_cn_entente"]
    assert row.loc[year - 1, "S_cn_star"] <= row.loc[year - 1, "S_cn_entente"]
    assert game_frames.binding_year(exposure=0.3) is None
    assert game_frames.binding_year(exposure=1.0) < year
    with pytest.raises(ValueError, match="years"):
        game_frames.binding_year(years=0)
    with pytest.raises(ValueError, match="exposure"):
        game_frames.binding_year(exposure=1.5)


def test_corner_explorable_sliders_and_size():
    chart = charts.corner_drift_explorable()
    spec = chart.to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"xru", "yr"}
    assert params["xru"]["bind"]["step"] == pytest.approx(0.1)
    assert params["yr"]["bind"]["max"] == 40
    rects = next(d for d in spec["datasets"].values() if d and "region" in d[0])
    # every slider position that is drawn has a different picture: (X, t) pairs differ
    keyed = pd.DataFrame(rects).groupby(["X", "t"])[["x0", "y0"]].min()
    assert keyed["x0"].nunique() > 5 and keyed["y0"].nunique() > 5
    assert len(chart.to_json()) < LIMIT
    with pytest.raises(ValueError, match="not on the slider grid"):
        charts.corner_drift_explorable(exposure_value=0.85)


def test_readout_below_keeps_params_and_fits():
    original = explorables.alliance_quadrant_explorer()
    chart = charts.readout_below(original)
    spec = chart.to_dict()
    assert isinstance(chart, alt.VConcatChart)
    assert {p["name"] for p in spec["params"]} == {"eps", "phi"}
    assert spec["description"] == original.to_dict()["description"]
    assert spec["vconcat"][1]["mark"]["type"] == "text"
    assert len(chart.to_json()) < LIMIT
    with pytest.raises(ValueError, match="layered"):
        charts.readout_below(alt.Chart(pd.DataFrame({"a": [1]})).mark_point())
