"""Chapter 11 chart builders (reluctant_allies.charts.outofsample) on the real tables."""

from __future__ import annotations

import json

import pytest

from reluctant_allies import charts

LIMIT = 400_000


def _spec(chart):
    spec = json.loads(chart.to_json())
    assert len(chart.to_json()) <= LIMIT
    sub = spec["title"]["subtitle"]
    sub = " ".join(sub) if isinstance(sub, list) else sub
    assert sub.startswith("Source:")
    assert spec["description"]
    return spec


def test_pressure_paths_chart(run):
    spec = _spec(charts.pressure_paths_chart(run["paths"], source="events"))
    assert "peaks at 1.00 in 2018" in spec["description"]
    assert spec["width"] <= 520


def test_pressure_paths_chart_rejects_bad_scenario(run):
    bad = run["paths"].assign(scenario="doom")
    with pytest.raises(ValueError, match="unknown scenario"):
        charts.pressure_paths_chart(bad, source="x")
    with pytest.raises(ValueError, match="lacks column"):
        charts.pressure_paths_chart(run["paths"].drop(columns="window"), source="x")


def test_forecast_chart(run):
    spec = _spec(charts.forecast_chart(run["fc"], run["obs"], run["producers"], source="x"))
    assert "19 in the shaded hold-out" in spec["description"]
    assert "off scale" in spec["description"]  # the dynamic VTsIOM forecast leaves 0-100%
    datasets = spec["datasets"].values()
    for rows in datasets:
        for r in rows:
            if r.get("proxy") == "vciom_not_friendly" and "model" in r:
                assert 0 <= r["value"] <= 100  # nothing impossible is drawn


def test_forecast_chart_rejects_unknown_scenario(run):
    with pytest.raises(ValueError, match="unknown scenario"):
        charts.forecast_chart(run["fc"], run["obs"], run["producers"], source="x", scenario="x")
    no_held = run["fc"][run["fc"]["scenario"] != "held"]
    with pytest.raises(ValueError, match="no run for scenario 'held'"):
        charts.forecast_chart(no_held, run["obs"], run["producers"], source="x")


def test_holdout_error_chart(run):
    spec = _spec(charts.holdout_error_chart(run["err"], source="x"))
    assert spec["title"]["text"] == "Out of sample, a baseline forecasts best"
    assert "random walk has the lowest error (0.308)" in spec["description"]


def test_holdout_error_chart_rejects_bad_input(run):
    with pytest.raises(ValueError, match="lacks column"):
        charts.holdout_error_chart(run["err"].drop(columns="RMSE"), source="x")
    bad = run["err"].copy()
    bad.loc[0, "proxy"] = "mystery"
    with pytest.raises(ValueError, match="unknown proxy"):
        charts.holdout_error_chart(bad, source="x")


def test_pressure_paths_chart_draws_the_observed_path(run2):
    spec = _spec(charts.pressure_paths_chart(run2["paths"], source="record", title="T"))
    desc = spec["description"]
    assert "2 dashed path(s)" in desc
    assert "as observed in the pressure record" in desc and "S = 0.89 in 2023" in desc
    assert "held at its 2018 level (S = 0.42 in 2023)" in desc
    assert spec["title"]["text"] == "T"


def test_forecast_chart_draws_the_frozen_proxies_only(run2, tables):
    from reluctant_allies.analysis import evaluation as ev

    producers = ev.proxy_producers(tables["trade"], tables["power"])
    spec = _spec(
        charts.forecast_chart(run2["fc"], run2["obs"], producers, source="x", scenario="observed")
    )
    assert spec["description"].startswith("4 small line charts")
    assert "China's share of Russia's trade" in spec["description"]
    assert "Mineral products" not in spec["description"]
