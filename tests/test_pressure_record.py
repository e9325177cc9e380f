"""The second-edition pressure record (data/pressure_actions.csv) and its three indices.

Each rule of the record has a test that fails when the rule breaks: the unit of count
(one act per actor, code and year; later stages once), the target split, the reactive and
weak switches, the fading, and the refusals of bad input (file, line and column named).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from reluctant_allies import data, pressure
from reluctant_allies.data import DataError

RECORD = pressure.RECORD
#: One URL per tier, on hosts the domain table rates so (the loader checks stored tiers).
TIER_HOSTS = {
    "A": "https://www.nato.int/a",
    "B": "https://apnews.com/a",
    "C": "https://www.commondreams.org/a",
}
REAL = data.resource(RECORD)  # read before any test points the loader at a fixture folder
COLUMNS = [f["name"] for f in REAL["schema"]["fields"]]


@pytest.fixture(scope="module")
def record() -> pd.DataFrame:
    return pressure.load_record()


# --------------------------------------------------------------------------- the table


def test_record_holds_the_first_edition_rows_with_corrected_dates(record, events):
    first = events.loc[events["category"] == "systemic pressure"].set_index("id")
    rec = record.set_index("id")
    assert set(first.index) <= set(rec.index)
    assert (rec.loc[first.index, "year"] == first["year"]).all()
    for event_id, day in [
        ("nato-enlargement-1999", "1999-03-12"),
        ("crimea-sanctions", "2014-03-17"),
        ("us-sanctions-pla-edd", "2018-09-20"),
    ]:
        assert rec.loc[event_id, "date"] == pd.Timestamp(day)
        assert first.loc[event_id, "date"] == pd.Timestamp(day)
        assert first.loc[event_id, "date_precision"] == "day"


def test_record_size_tiers_and_flags(record):
    assert len(record) == 84
    assert (record["year"].min(), record["year"].max()) == (1996, 2025)
    c_tier = record.loc[record["source_tier"] == "C"]
    assert len(c_tier) and (c_tier["confidence"] == "weak").all()
    # the research rows left out are not in the table
    assert not {"libya-intervention-2011", "rose-revolution-2003"} & set(record["id"])
    # quotes are missing only on first-edition rows the research kept without one
    assert set(record.loc[record["quote"].isna(), "id"]) == {"nato-enlargement-2004"}


def test_codes_and_rules_are_data_in_the_package(record):
    res = data.resource(RECORD)
    codes = pressure.record_codes()
    names = [c.name for c in codes]
    assert names == pressure._enum(res, "pressure_code")
    assert all(c.rule and c.label and c.weight >= 0 for c in codes)
    assert set(record["pressure_code"]) <= set(names)
    assert pressure._enum(res, "actor") == ["USA", "NATO", "EU", "G7", "UK", "USA+allies"]
    rules = pressure.record_rules()
    assert {"actor", "target", "granularity", "reactive", "sources"} <= set(rules["name"])
    table = pressure.code_table(record)
    assert table["rows"].sum() == len(record)
    # joint acts with the US are USA+allies; the partners are kept as reported
    joint = record.loc[record["actors"].str.contains("/")]
    assert (joint["actor"] == "USA+allies").all()


def test_reactive_flags_follow_the_rule(record):
    rec = record.set_index("id")
    for event_id in (
        "us-sanctions-pla-edd",
        "entity-list-china-russia-2022",
        "nato-washington-declaration-2024",
        "eu-sanctions-19th-2025",
    ):
        assert rec.loc[event_id, "reactive"]
    for event_id in ("rosneft-lukoil-sanctions-2025", "us-india-russian-oil-tariff-2025"):
        assert not rec.loc[event_id, "reactive"]
    # every reactive act presses China, alone or with Russia
    assert set(record.loc[record["reactive"], "target"]) <= {"China", "both"}


# --------------------------------------------------------------------------- unit of count


def _acts(*rows) -> pd.DataFrame:
    """Tiny record: (id, date, actor, code, target, same_act_as, reactive, tier, confidence)."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "id",
            "date",
            "actor",
            "pressure_code",
            "target",
            "same_act_as",
            "reactive",
            "source_tier",
            "confidence",
        ],
    )
    frame["date"] = pd.to_datetime(frame["date"])
    frame["year"] = frame["date"].dt.year
    frame["date_precision"] = "day"
    return frame


def test_one_act_per_actor_code_and_year():
    acts = _acts(
        ("a", "2010-02-01", "USA", "sanctions", "Russia", None, False, "A", "sourced"),
        ("b", "2010-06-01", "USA", "sanctions", "Russia", None, False, "A", "sourced"),
        ("c", "2010-07-01", "EU", "sanctions", "Russia", None, False, "A", "sourced"),
        ("d", "2010-08-01", "USA", "export_controls", "Russia", None, False, "A", "sourced"),
        ("e", "2011-01-01", "USA", "sanctions", "Russia", None, False, "A", "sourced"),
    )
    sheet = pressure.count_acts(acts, index="Russia").set_index("id")
    assert sheet["counted"].to_dict() == {"a": True, "b": False, "c": True, "d": True, "e": True}
    assert sheet.loc["b", "reason"] == "same actor, code and year as a"
    s = pressure.record_index(acts, index="Russia", half_life=math.inf, start=2009, end=2011)
    assert s["raw"].tolist() == [0.0, 3.0, 4.0]


def test_a_later_stage_counts_once_at_its_first_stage():
    acts = _acts(
        ("notice", "2001-12-13", "USA", "arms_control", "Russia", None, False, "A", "sourced"),
        ("effect", "2002-06-13", "USA", "arms_control", "Russia", "notice", False, "A", "sourced"),
    )
    sheet = pressure.count_acts(acts).set_index("id")
    assert sheet.loc["notice", "counted"] and not sheet.loc["effect", "counted"]
    assert sheet.loc["effect", "reason"] == "same act as notice"
    s = pressure.record_index(acts, half_life=math.inf, start=2000, end=2003)
    assert s["raw"].tolist() == [0.0, 1.0, 1.0, 1.0]


def test_targets_split_the_indices_and_share_one_scale():
    acts = _acts(
        ("cn", "2005-01-01", "USA", "trade_measures", "China", None, False, "A", "sourced"),
        ("ru", "2006-01-01", "NATO", "enlargement", "Russia", None, False, "A", "sourced"),
        ("both", "2007-01-01", "USA", "sanctions", "both", None, False, "A", "sourced"),
    )
    raw = {
        name: pressure.record_index(acts, index=name, half_life=math.inf, start=2004, end=2008)[
            "raw"
        ].tolist()
        for name in pressure.INDEX_TARGETS
    }
    assert raw["China"] == [0, 1, 1, 2, 2]
    assert raw["Russia"] == [0, 0, 1, 2, 2]
    assert raw["combined"] == [0, 1, 2, 3, 3]
    china = pressure.record_index(acts, index="China", half_life=math.inf, start=2004, end=2008)
    assert china["value"].max() == pytest.approx(2 / 3)  # scaled by the combined peak


def test_weak_and_reactive_switches():
    acts = _acts(
        ("w", "2012-01-01", "USA", "sanctions", "China", None, False, "C", "weak"),
        ("r", "2013-01-01", "EU", "sanctions", "both", None, True, "B", "sourced"),
        ("x", "2014-01-01", "USA", "doctrine", "both", None, False, "A", "sourced"),
    )
    kw = {"half_life": math.inf, "start": 2011, "end": 2014}
    assert pressure.record_index(acts, **kw)["raw"].tolist() == [0, 0, 1, 1.5]
    assert pressure.record_index(acts, include_weak=True, **kw)["raw"].tolist() == [0, 1, 2, 2.5]
    assert pressure.record_index(acts, include_reactive=False, **kw)["raw"].tolist() == [
        0,
        0,
        0,
        0.5,
    ]
    sheet = pressure.count_acts(acts, include_reactive=False).set_index("id")
    assert sheet.loc["w", "reason"] == "weak source"
    assert sheet.loc["r", "reason"] == "reactive act"


def test_decay_by_hand():
    acts = _acts(("a", "2000-05-01", "USA", "sanctions", "Russia", None, False, "A", "sourced"))
    one = pressure.record_index(acts, half_life=1, start=2000, end=2003)["raw"].tolist()
    assert one == pytest.approx([1, 0.5, 0.25, 0.125])


# --------------------------------------------------------------------------- the real indices


def test_three_indices_cover_every_year_without_an_edge_fade(record):
    df = pressure.record_indices(record)
    assert set(df["index"]) == set(pressure.INDEX_TARGETS)
    for _name, s in df.groupby("index"):
        assert s["year"].tolist() == list(range(1991, 2026))
        assert s["value"].notna().all() and s["value"].between(0, 1).all()
    wide = df.pivot(index="year", columns="index", values="raw")
    assert (wide["China"] <= wide["combined"] + 1e-12).all()
    assert (wide["Russia"] <= wide["combined"] + 1e-12).all()
    assert wide.loc[1991:1995].eq(0).all().all()  # nothing recorded before 1996
    # acts recorded in 2025 keep the index up at the table's edge
    combined = df[df["index"] == "combined"].set_index("year")["value"]
    assert combined.idxmax() == 2025 and combined[2025] == pytest.approx(1.0)
    assert pressure.count_acts(record).query("counted")["year"].max() == 2025


#: The values 2018–2025 (default rules) reported in the hand-over note and chapter 3.
EXPECTED = {
    "China": [0.21, 0.34, 0.33, 0.41, 0.47, 0.54, 0.63, 0.62],
    "Russia": [0.32, 0.31, 0.31, 0.33, 0.55, 0.67, 0.73, 0.75],
    "combined": [0.42, 0.57, 0.57, 0.65, 0.83, 0.89, 0.97, 1.00],
}


def test_index_values_2018_to_2025(record):
    df = pressure.record_indices(record)
    for name, values in EXPECTED.items():
        s = df[(df["index"] == name) & (df["year"] >= 2018)]["value"].round(2).tolist()
        assert s == values, name


def test_sensitivity_variants(record):
    df = pressure.sensitivity(record)
    assert set(df["variant"]) == set(pressure.VARIANTS)
    assert len(df) == len(pressure.VARIANTS) * 3 * 35
    stock = df[(df["variant"].str.startswith("No fading")) & (df["index"] == "combined")]
    assert (np.diff(stock["value"]) >= -1e-12).all()
    base = df[df["variant"].str.startswith("Default")]
    default = pressure.record_indices(record)
    assert np.allclose(base["value"].to_numpy(), default["value"].to_numpy())
    # leaving reactive acts out lowers the China-directed raw sum after 2021
    on = pressure.record_index(record, index="China")
    off = pressure.record_index(record, index="China", include_reactive=False)
    assert (off["raw"] <= on["raw"] + 1e-12).all()
    assert (off.loc[off["year"] >= 2022, "raw"] < on.loc[on["year"] >= 2022, "raw"]).all()


def test_coverage_density(record):
    d = pressure.coverage_density(record)
    assert d["year"].nunique() == 35 and set(d["source_tier"]) == {"A", "B", "C"}
    assert d["rows"].sum() == len(record)
    per_year = d.groupby("year")["rows"].sum()
    assert per_year.loc[2019:2025].sum() == 57  # all 57 research rows of 2019–2025 are kept
    assert per_year.loc[1991:1995].eq(0).all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"index": "Europe"}, "unknown index 'Europe'"),
        ({"weights": {"tariffs": 1.0}}, r"unknown weight key\(s\) \['tariffs'\]"),
        ({"weights": {"sanctions": -1}}, "weight 'sanctions' must be finite and >= 0"),
        ({"weights": {"sanctions": True}}, "weight 'sanctions' must be a number, got True"),
        ({"weights": {"sanctions": "1"}}, "weight 'sanctions' must be a number, got '1'"),
        ({"half_life": 0}, "half_life must be > 0"),
        ({"start": 1990}, "start year 1990 is out of range"),
    ],
)
def test_bad_settings_raise(record, kwargs, match):
    with pytest.raises(ValueError, match=match):
        pressure.record_index(record, **kwargs)


def test_the_first_edition_index_is_unchanged(events):
    """Chapters 7–12 still read the first edition: its numbers must not move."""
    s = pressure.pressure_index(events)
    assert s.loc[s["value"].idxmax(), "year"] == 2018
    assert pressure.coverage(events) == (1999, 2018)
    assert s.set_index("year").loc[[1999, 2004, 2011, 2014, 2018], "value"].round(3).tolist() == [
        0.406,
        0.736,
        0.349,
        0.58,
        1.0,
    ]  # computed on the events table as committed before this change (dates moved, years not)


# --------------------------------------------------------------------------- bad input


def _write(folder, rows: list[dict]) -> None:
    """A one-resource package in ``folder`` holding ``rows`` (a small fixture record)."""
    res = copy.deepcopy(REAL)
    res.pop("hash", None)
    (folder / "datapackage.json").write_text(json.dumps({"resources": [res]}), encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / res["path"]).write_text(buffer.getvalue(), encoding="utf-8")


def _row(**changes) -> dict:
    row = {
        "id": "act-a",
        "date": "2019-05-15",
        "date_precision": "day",
        "year": "2019",
        "event": "An act",
        "pressure_code": "export_controls",
        "target": "China",
        "actor": "USA",
        "actors": "USA",
        "same_act_as": "",
        "reactive": "false",
        "source_url": TIER_HOSTS["B"],
        "quote": "a quote",
        "source_tier": "B",
        "confidence": "sourced",
        "note": "",
    }
    row.update(changes)
    if "source_url" not in changes:  # a host whose tier in reluctant_allies.sources matches
        row["source_url"] = TIER_HOSTS.get(row["source_tier"], TIER_HOSTS["B"])
    return row


@pytest.fixture
def fixture_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))
    return tmp_path


def test_fixture_record_loads(fixture_folder):
    _write(
        fixture_folder,
        [_row(), _row(id="act-b", date="2020-01-02", year="2020", same_act_as="act-a")],
    )
    assert len(pressure.load_record()) == 2


@pytest.mark.parametrize(
    ("rows", "line", "column", "match"),
    [
        ([_row(), _row(id="act-b", pressure_code="tariffs")], 3, "pressure_code", "'tariffs'"),
        ([_row(actor="Japan")], 2, "actor", "'Japan' is not one of the allowed values"),
        ([_row(), _row(id="b", target="Iran")], 3, "target", "'Iran' is not one of"),
        ([_row(source_tier="D")], 2, "source_tier", "'D' is not one of"),
        (
            [_row(), _row(id="act-b", same_act_as="act-z")],
            3,
            "same_act_as",
            "same_act_as 'act-z' is not the id of any row",
        ),
        (
            [_row(), _row(id="act-b", source_tier="C")],
            3,
            "confidence",
            "tier-C source .* 'weak'",
        ),
        ([_row(same_act_as="act-a")], 2, "same_act_as", "points to itself"),
        (
            [_row(), _row(id="b", same_act_as="act-a"), _row(id="c", same_act_as="b")],
            4,
            "same_act_as",
            "'b' is itself a later stage of 'act-a'",
        ),
        (
            [_row(date="2020-01-01", year="2020"), _row(id="b", same_act_as="act-a")],
            3,
            "same_act_as",
            "dated after this row",
        ),
        ([_row(year="2018")], 2, "year", "year 2018 is not the year of date 2019-05-15"),
        ([_row(date_precision="month")], 2, "date", "must be on the 1st"),
    ],
)
def test_bad_rows_name_file_line_and_column(fixture_folder, rows, line, column, match):
    _write(fixture_folder, rows)
    with pytest.raises(DataError, match=match) as err:
        pressure.load_record()
    e = err.value
    assert e.path.name == "pressure_actions.csv"
    assert (e.line, e.column) == (line, column)
    assert str(e).startswith(f"{fixture_folder / 'pressure_actions.csv'}, line {line}, column ")


def test_a_code_without_a_rule_is_refused(fixture_folder):
    _write(fixture_folder, [_row(), _row(id="b", pressure_code="incident")])
    res = json.loads((fixture_folder / "datapackage.json").read_text(encoding="utf-8"))
    res["resources"][0]["codes"] = [
        c for c in res["resources"][0]["codes"] if c["name"] != "incident"
    ]
    (fixture_folder / "datapackage.json").write_text(json.dumps(res), encoding="utf-8")
    with pytest.raises(DataError, match="unknown pressure code 'incident'") as err:
        pressure.load_record()
    assert (err.value.line, err.value.column) == (3, "pressure_code")


def test_line_numbers_survive_a_quoted_newline(fixture_folder):
    _write(
        fixture_folder,
        [_row(note="two\nlines"), _row(id="b", source_tier="C")],
    )
    with pytest.raises(DataError) as err:
        pressure.load_record()
    assert err.value.line == 4  # the first row spans lines 2 and 3


def test_check_record_names_a_missing_column_on_the_header_line():
    rec = pressure.load_record().drop(columns="source_tier")
    with pytest.raises(DataError, match=r"the record lacks column\(s\) \['source_tier'\]") as err:
        pressure.check_record(rec)
    assert err.value.line == 1
    with pytest.raises(ValueError, match=r"has no field 'no_such_field'"):
        pressure._enum(data.resource(RECORD), "no_such_field")


def test_check_record_refuses_a_tier_c_row_not_marked_weak_naming_it():
    """The cross-row check also guards a frame that did not come through the loader."""
    rec = pressure.load_record()
    first = rec.loc[rec["source_tier"] != "C"].index[0]
    rec.loc[first, ["source_tier", "confidence"]] = ["C", "sourced"]
    with pytest.raises(DataError, match=rf"row '{rec.loc[first, 'id']}' has a tier-C source"):
        pressure.check_record(rec)


def test_a_code_weight_of_zero_is_allowed_and_a_negative_one_refused():
    res = data.resource(RECORD)
    codes = [dict(c) for c in res["codes"]]
    codes[0]["weight"] = 0
    assert pressure.record_codes({**res, "codes": codes})[0].weight == 0.0
    codes[0]["weight"] = -0.5
    with pytest.raises(ValueError, match="weight must be a number >= 0"):
        pressure.record_codes({**res, "codes": codes})
