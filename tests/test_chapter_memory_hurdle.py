"""Chapter 6 (the memory hurdle): builders in reluctant_allies.charts.memory."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from reluctant_allies import analysis, charts, data, models
from reluctant_allies.analysis import memory as memory_frames
from reluctant_allies.charts import memory


@pytest.fixture(scope="module")
def grid() -> pd.DataFrame:
    return analysis.memory_rebound_grid()


def _datasets(chart) -> list[list[dict]]:
    return list(chart.to_dict()["datasets"].values())


# --- opinion ----------------------------------------------------------------------------------


def test_opinion_series_keeps_pollsters_and_questions_apart(opinion):
    df = analysis.opinion_series(opinion)
    assert set(df["pollster"]) == {"VTsIOM", "Levada Center", "CEIAS", "CISS (Tsinghua)"}
    assert "Pew Research Center" not in set(df["pollster"])  # US respondents are not about memory
    # every series is one pollster's one question
    assert (df.groupby("series")["pollster"].nunique() == 1).all()
    assert (df.groupby("series")["question"].nunique() == 1).all()
    # a segment never spans two series and never bridges a missing year
    for _, seg in df.groupby("segment"):
        assert seg["series"].nunique() == 1
        assert (np.diff(seg["year"].to_numpy()) == 1).all()
    vciom = df.loc[df["series"] == "VTsIOM: relations friendly or good-neighbourly"]
    assert vciom["year"].tolist() == [2005, 2009, 2014, 2022, 2023, 2024]
    assert vciom["share_pct"].tolist() == [34, 34, 60, 55, 64, 72]
    assert vciom["segment"].nunique() == 4  # 2005 | 2009 | 2014 | 2022-2024


def test_opinion_series_drops_split_answers_and_flags_weak_rows(opinion):
    df = analysis.opinion_series(opinion)
    # Levada Sept 2018 is reported only as "very" and "mostly" positive: not summed, left out
    assert not df["id"].str.startswith("levada-2018").any()
    weak = df.loc[df["quality"] != "sourced", "id"].tolist()
    # the Chinese survey figures are not in the A-tier excerpts of their reports (source audit)
    assert weak == [
        "ceias-2022-russia-favourable",
        "ciss-2022-russia-favourable",
        "ciss-2024-russia-favourable",
    ]
    row = df.set_index("id").loc["ciss-2022-russia-favourable"]
    assert row["share_text"] == "just under 60%"
    assert row["fieldwork"] == "Nov 2022 (month only)"


def test_opinion_points_sharing_a_year_are_nudged_apart_but_keep_their_year(opinion):
    df = analysis.opinion_series(opinion)
    same = df.loc[(df["panel"] == "Russians on China") & (df["year"] == 2022)]
    assert len(same) == 2 and same["x"].nunique() == 2
    assert (same["x"] - 2022).abs().max() < 0.5


def test_opinion_by_pollster_chart(opinion):
    chart = charts.opinion_by_pollster(opinion, source=data.source_line("opinion"))
    spec = chart.to_dict()
    subtitle = spec["title"]["subtitle"]
    assert (subtitle if isinstance(subtitle, str) else subtitle[0]).startswith("Source:")
    assert "VTsIOM: relations friendly" in spec["description"]
    rows = [r for ds in _datasets(chart) for r in ds]
    assert all(r["source_url"].startswith("http") for r in rows)
    assert all("question" in r for r in rows)  # the wording travels to the tooltip
    json.dumps(spec)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.drop(columns=["pollster"]), "pollster"),
        (lambda d: d.assign(share_pct=d["share_pct"].where(d.index != 0, 120.0)), "0–100"),
        (lambda d: d.assign(pollster="Gallup", respondents="Russia", subject="China"), "Gallup"),
        (lambda d: d.assign(respondents="USA"), "no Russian-on-China"),
    ],
)
def test_opinion_series_rejects_bad_tables(opinion, mutate, message):
    with pytest.raises(ValueError, match=message):
        analysis.opinion_series(mutate(opinion.copy()))


def test_opinion_series_rejects_two_figures_for_one_series_and_year(opinion):
    dup = opinion.loc[opinion["id"] == "vciom-2023-relations-friendly"].assign(id="dup")
    twice = pd.concat([opinion, dup], ignore_index=True)
    with pytest.raises(ValueError, match="two figures"):
        analysis.opinion_series(twice)


def test_opinion_hurdle_proxy_is_one_series_only(opinion):
    proxy = analysis.opinion_hurdle_proxy(opinion)
    assert proxy.index.tolist() == [2005, 2009, 2014, 2022, 2023, 2024]
    assert proxy["1 − share"].tolist() == [0.66, 0.66, 0.4, 0.45, 0.36, 0.28]
    with pytest.raises(ValueError, match="no pollster 'Gallup'"):
        analysis.opinion_hurdle_proxy(opinion, pollster="Gallup")
    with pytest.raises(ValueError, match="has no question"):
        analysis.opinion_hurdle_proxy(opinion, question="Do you like borscht?")


# --- memory timeline --------------------------------------------------------------------------


def test_memory_events_lanes_and_themed_years(events, themed):
    df = analysis.memory_events(events, themed)
    assert set(df["lane"]) == set(memory.LANE_COLOURS)
    assert set(memory_frames.MEMORY_LANES) <= set(df["id"])
    # economic policies stay in chapter 5
    assert not df["id"].str.startswith("power-of-siberia").any()
    # themed programmes already in events are not doubled
    assert df["id"].is_unique
    culture = df.set_index("id").loc["culture"]
    # opened on 16 May 2024 (Xinhua via People's Daily), no longer a weak year-only row
    assert culture["date"] == "2024-05-16" and culture["when"] == "16 May 2024"
    assert culture["quality"] == "sourced"
    assert df["date"].is_monotonic_increasing


def test_memory_policy_timeline_chart(events, themed):
    chart = charts.memory_policy_timeline(
        events, themed, source=[data.source_line("events"), data.source_line("themed_years")]
    )
    spec = chart.to_dict()
    subtitle = spec["title"]["subtitle"]
    assert isinstance(subtitle, list) and len(subtitle) >= 2
    assert sum(line.startswith("Source:") for line in subtitle) == 2
    rows = _datasets(chart)[0]
    assert str(len(rows)) in spec["description"]
    labels = {r["label"] for r in rows} - {""}
    assert "Vladivostok-160 backlash 2020" in labels


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lanes": {"no-such-event": "border and treaty"}}, "no-such-event"),
        ({"lanes": {"treaty-2001": "sports"}}, "unknown lane"),
        ({"lanes": {}}, "empty"),
    ],
)
def test_memory_events_rejects_bad_lanes(events, kwargs, message):
    with pytest.raises(ValueError, match=message):
        analysis.memory_events(events, **kwargs)


def test_memory_timeline_rejects_bad_input(events):
    with pytest.raises(ValueError, match="source_url"):
        analysis.memory_events(events.drop(columns=["source_url"]))
    with pytest.raises(ValueError, match="to label"):
        charts.memory_policy_timeline(events, label={"nato-enlargement-1999": "x"}, source="S")
    with pytest.raises(ValueError, match="source"):
        charts.memory_policy_timeline(events, source=[])


# --- rebound explorable -----------------------------------------------------------------------


def test_rebound_grid_matches_the_model_run_by_run(grid):
    assert set(np.round(grid["rho_m"].unique(), 3)) == set(memory_frames.RHO_VALUES)
    assert set(grid["delta_m"].unique()) == set(memory_frames.DELTA_VALUES)
    assert set(grid["after"].unique()) == set(memory_frames.AFTER_VALUES)
    assert len(grid) == 9 * 5 * 3 * 51
    p = models.DynamicParams(rho_m=0.1, delta_m=0.12)
    S = models.pulse(0.45, 0.9, 50, 5, 20)
    ref_C, _, ref_Hm = models.simulate_reference(p, S.S)
    run = grid.loc[
        np.isclose(grid["rho_m"], 0.1) & np.isclose(grid["delta_m"], 0.12) & (grid["after"] == 0.45)
    ]
    traj = models.simulate_dynamic(p, S)
    np.testing.assert_allclose(run["H_m"], traj.H_m, atol=1e-4)
    np.testing.assert_allclose(run["C"], traj.C, atol=1e-4)
    np.testing.assert_allclose(run["C"], ref_C, atol=1e-4)
    np.testing.assert_allclose(run["H_m"], ref_Hm, atol=1e-4)
    assert run["S"].iloc[5] == 0.9 and run["S"].iloc[4] == 0.45 and run["S"].iloc[25] == 0.45


def test_rebound_is_what_the_chapter_says(grid):
    tab = analysis.memory_rebound_summary(grid, rho_m=(0.0, 0.05, 0.2), delta_m=0.08, after=0.3)
    end = tab["H_m year 50"]
    trough = tab["H_m year 25"]
    # memory worn down during the pulse, less so with a stronger rebound
    assert trough[0.0] < trough[0.05] < trough[0.2] < 0.6
    # and rebounding after it, except with no rebound at all
    assert end[0.0] <= trough[0.0] + 1e-9
    assert end[0.05] > trough[0.05] + 0.2 and end[0.2] > trough[0.2]
    # the numbers quoted in the prose
    assert (trough[0.05], end[0.05], end[0.2]) == (0.21, 0.46, 0.58)


def test_explorable_sliders_and_size(grid):
    chart = charts.memory_rebound_explorable(grid)
    spec = chart.to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"rhom", "deltam", "after"}
    assert params["rhom"]["value"] == 0.05
    assert params["rhom"]["bind"]["min"] == 0 and params["rhom"]["bind"]["max"] == 0.2
    assert params["rhom"]["bind"]["step"] == 0.025
    assert params["after"]["bind"]["step"] == 0.15
    # every slider value is a grid value, and filters compare with a tolerance
    text = chart.to_json()
    assert "abs(datum.r - rhom) < 1e-06" in text and "abs(datum.a - after) < 1e-06" in text
    assert len(text) <= 400_000
    runs = next(ds for ds in _datasets(chart) if ds and "h" in ds[0])
    assert len(runs) == 9 * 5 * 3 and all(len(r["h"]) == 51 for r in runs)
    assert spec["description"].startswith("Model run, not data")


def test_explorable_rejects_bad_grids(grid):
    with pytest.raises(ValueError, match="rho_m=0.07"):
        charts.memory_rebound_explorable(grid, rho_m=0.07)
    with pytest.raises(ValueError, match="incomplete"):
        charts.memory_rebound_explorable(grid.iloc[51:])
    uneven = analysis.memory_rebound_grid(rho_m=(0.0, 0.05, 0.2))
    with pytest.raises(ValueError, match="evenly spaced"):
        charts.memory_rebound_explorable(uneven)
    with pytest.raises(ValueError, match="lacks column"):
        charts.memory_rebound_explorable(grid.drop(columns=["S"]))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rho_m": (0.0, -0.1)}, "rho_m"),
        ({"delta_m": ()}, "delta_m"),
        ({"after": (0.3, 0.3)}, "distinct"),
        ({"peak": 1.5}, "peak"),
        ({"at": 60}, "at"),
        ({"width": 0}, "width"),
        ({"rho_m": (0.9,), "delta_m": (0.5,)}, "delta"),  # delta + lambda + rho > 1
    ],
)
def test_rebound_grid_rejects_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        analysis.memory_rebound_grid(**kwargs)


def test_summary_rejects_runs_not_on_the_grid(grid):
    with pytest.raises(ValueError, match="no grid run"):
        analysis.memory_rebound_summary(grid, rho_m=(0.07,))
