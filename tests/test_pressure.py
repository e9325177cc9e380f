"""The pressure index of chapter 3 (reluctant_allies.pressure): rules, arithmetic, refusals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reluctant_allies import models, pressure


def _table(*rows: tuple[str, int, str, str, str]) -> pd.DataFrame:
    """A small events table: (id, year, category, actor, confidence) per row."""
    return pd.DataFrame(rows, columns=["id", "year", "category", "actor", "confidence"])


def test_rules_are_complete_and_consistent(events):
    assert set(pressure.EVENT_CODES.values()) <= set(pressure.DEFAULT_WEIGHTS)
    assert set(pressure.DEFAULT_WEIGHTS) == {r.type for r in pressure.CODING_RULES}
    assert all(w >= 0 for w in pressure.DEFAULT_WEIGHTS.values())
    # every coded id exists in the real table, so a renamed or deleted row is noticed
    ids = set(events["id"])
    assert set(pressure.EVENT_CODES) <= ids
    assert set(pressure.SAME_ACT) <= ids and set(pressure.SAME_ACT.values()) <= ids
    table = pressure.rules_table()
    assert list(table.columns) == ["event type", "rule", "weight", "events coded"]
    assert len(table) == len(pressure.CODING_RULES)
    assert len(pressure.GENERAL_RULES) == 6


def test_index_on_the_real_events_table(events):
    s = pressure.pressure_index(events)
    assert list(s.columns) == ["year", "value", "raw", "events"]
    assert s["year"].tolist() == list(range(1991, 2026))
    assert s["value"].between(0, 1).all() and s["value"].max() == pytest.approx(1.0)
    # nothing coded before NATO's 1999 enlargement; the 2017-18 cluster is the peak
    assert (s.loc[s["year"] < 1999, "value"] == 0).all()
    assert s.loc[s["value"].idxmax(), "year"] == 2018
    assert "nato-enlargement-1999" in s.loc[s["year"] == 1999, "events"].item()
    assert pressure.coverage(events) == (1999, 2018)


def test_decay_arithmetic_by_hand():
    ev = _table(
        ("a", 2000, "systemic pressure", "USA", "sourced"),
        ("b", 2004, "systemic pressure", "NATO", "sourced"),
    )
    codes = {"a": "sanctions", "b": "enlargement"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pressure, "EVENT_CODES", codes)
        s = pressure.pressure_index(ev, {"enlargement": 0.5}, start=1998, end=2006, half_life=2)
    raw = dict(zip(s["year"], s["raw"], strict=True))
    assert raw[1999] == 0
    assert raw[2000] == pytest.approx(1.0)
    assert raw[2002] == pytest.approx(0.5)
    assert raw[2004] == pytest.approx(0.25 + 0.5)
    assert raw[2006] == pytest.approx(0.125 + 0.25)
    assert s["value"].max() == pytest.approx(1.0)  # peak is the event year 2000


def test_no_decay_is_a_cumulative_stock(events):
    s = pressure.pressure_index(events, half_life=math.inf)
    assert (np.diff(s["value"]) >= 0).all()
    assert s["value"].iloc[-1] == pytest.approx(1.0)


def test_weak_rows_are_out_unless_switched_on(events):
    sheet = pressure.code_events(events)
    weak = sheet.loc[sheet["confidence"] == "weak"]
    assert len(weak) and not weak["counted"].any()
    assert (weak["reason"] == "weak source").all()
    off = pressure.pressure_index(events)
    on = pressure.pressure_index(events, include_weak=True)
    y = int(weak["year"].iloc[0])
    assert on.loc[on["year"] == y, "raw"].item() > off.loc[off["year"] == y, "raw"].item()


def test_one_act_counts_once(events):
    sheet = pressure.code_events(events).set_index("id")
    assert not sheet.loc["abm-withdrawal-effective", "counted"]
    assert sheet.loc["abm-withdrawal-notice", "counted"]
    s = pressure.pressure_index(events, half_life=math.inf)
    raw = dict(zip(s["year"], s["raw"], strict=True))
    assert raw[2002] == raw[2001]  # the entry into force adds nothing


def test_cooperation_rows_never_move_the_index(events):
    extra = events.iloc[[0]].copy()
    extra["id"], extra["category"], extra["year"] = "fake-exercise", "cooperation", 2010
    more = pd.concat([events, extra], ignore_index=True)
    pd.testing.assert_frame_equal(pressure.pressure_index(events), pressure.pressure_index(more))


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ({"tariffs": 1.0}, r"unknown weight key\(s\) \['tariffs'\]"),
        ({"sanctions": -0.1}, "weight 'sanctions' must be >= 0"),
        ({"doctrine": float("nan")}, "weight 'doctrine' must be finite"),
        ({"doctrine": float("inf")}, "weight 'doctrine' must be finite"),
        ({"doctrine": "1"}, "weight 'doctrine' must be a number"),
        ({"doctrine": True}, "weight 'doctrine' must be a number"),
        ([("doctrine", 1.0)], "weights must be a mapping"),
        (dict.fromkeys(pressure.DEFAULT_WEIGHTS, 0.0), "undefined"),
    ],
)
def test_bad_weights_raise(events, weights, match):
    with pytest.raises(ValueError, match=match):
        pressure.pressure_index(events, weights)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start": 1990}, "start year 1990 is out of range"),
        ({"end": 2026}, "end year 2026 is out of range"),
        ({"start": 2010, "end": 2000}, "start year 2010 is after end year 2000"),
        ({"start": 1995.0}, "start must be an integer year"),
        ({"half_life": 0}, "half_life must be > 0"),
        ({"half_life": float("nan")}, "half_life must be > 0"),
        ({"half_life": -2}, "half_life must be > 0"),
        ({"start": 1991, "end": 1995}, "undefined"),  # nothing coded before 1999
    ],
)
def test_bad_window_or_half_life_raise(events, kwargs, match):
    with pytest.raises(ValueError, match=match):
        pressure.pressure_index(events, **kwargs)


def test_bad_tables_raise(events):
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['confidence'\]"):
        pressure.pressure_index(events.drop(columns="confidence"))
    with pytest.raises(ValueError, match="duplicate event id"):
        pressure.pressure_index(pd.concat([events, events.iloc[[4]]]))
    uncoded = _table(("new-sanctions-2022", 2022, "systemic pressure", "USA/EU", "sourced"))
    with pytest.raises(ValueError, match=r"\['new-sanctions-2022'\] have no code"):
        pressure.pressure_index(uncoded)
    eastern = _table(("us-pivot", 2011, "systemic pressure", "China", "sourced"))
    with pytest.raises(ValueError, match="not the USA or its allies"):
        pressure.pressure_index(eastern)
    late = _table(("us-pivot", 1985, "systemic pressure", "USA", "sourced"))
    with pytest.raises(ValueError, match=r"year\(s\) \[1985\] out of range"):
        pressure.pressure_index(late)
    with pytest.raises(TypeError, match="DataFrame"):
        pressure.pressure_index(events.to_dict())


def test_grid_holds_every_setting(events):
    g = pressure.pressure_grid(
        events,
        half_lives=[1, 3, math.inf],
        weights={"doctrine": [0.0, 0.5, 1.0]},
        include_weak=(False, True),
    )
    assert set(g.columns) == {"year", "value", "doctrine", "half_life", "include_weak"}
    assert len(g) == 3 * 3 * 2 * 35
    one = g.query("doctrine == 0.5 and half_life == 3 and not include_weak")
    pd.testing.assert_series_equal(
        one["value"].reset_index(drop=True),
        pressure.pressure_index(events)["value"],
        check_names=False,
    )
    # all-zero settings are skipped, not crashed on
    zero = dict.fromkeys(pressure.DEFAULT_WEIGHTS, [0.0])
    zero["sanctions"] = [0.0, 1.0]
    assert set(pressure.pressure_grid(events, weights=zero)["sanctions"]) == {1.0}
    with pytest.raises(ValueError, match="every setting in the grid leaves the index undefined"):
        pressure.pressure_grid(events, weights=dict.fromkeys(pressure.DEFAULT_WEIGHTS, [0.0]))
    with pytest.raises(ValueError, match="unknown weight key"):
        pressure.pressure_grid(events, weights={"tariffs": [1.0]})
    with pytest.raises(ValueError, match="weight 'doctrine' must be >= 0"):
        pressure.pressure_grid(events, weights={"doctrine": [0.5, -1.0]})
    with pytest.raises(ValueError, match="half_lives is empty"):
        pressure.pressure_grid(events, half_lives=[])
    with pytest.raises(ValueError, match="include_weak is empty: give True, False or both"):
        pressure.pressure_grid(events, include_weak=[])


def test_the_coding_sheet_keeps_what_a_reader_checks_a_code_against(events):
    """Event text, date and source ride along with every coded row."""
    sheet = pressure.code_events(events)
    assert list(sheet.columns[-3:]) == ["event", "date", "source_url"]
    assert sheet["date"].notna().all()


def test_index_feeds_the_models(events):
    scenario = pressure.to_scenario(pressure.pressure_index(events))
    assert scenario.years.tolist() == list(range(1991, 2026))
    traj = models.simulate_static(models.StaticParams(), scenario)
    assert traj.C.shape == (36,)
    assert ((traj.C >= 0) & (traj.C <= 1)).all()
