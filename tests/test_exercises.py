"""The exercise record, 2nd edition: counting rules as data, counts checked against hand counts."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from reluctant_allies import ROOT, data, exercises
from reluctant_allies.data import DataError

# Hand counts from shared/research/turn2/exercises.md §3 (yearly counts table), typed here
# independently of the code: year -> (bilateral, multilateral, computer-assisted,
# air patrol, naval patrol, strict total).
HAND = {
    2003: (0, 1, 0, 0, 0, 1),
    2004: (0, 0, 0, 0, 0, 0),
    2005: (1, 0, 0, 0, 0, 1),
    2006: (0, 0, 0, 0, 0, 0),
    2007: (0, 1, 0, 0, 0, 1),
    2008: (0, 0, 0, 0, 0, 0),
    2009: (2, 0, 0, 0, 0, 1),
    2010: (0, 1, 0, 0, 0, 1),
    2011: (0, 0, 0, 0, 0, 0),
    2012: (1, 1, 0, 0, 0, 2),
    2013: (2, 0, 0, 0, 0, 2),
    2014: (1, 1, 0, 0, 0, 2),
    2015: (2, 0, 0, 0, 0, 2),
    2016: (1, 1, 1, 0, 0, 3),
    2017: (2, 0, 1, 0, 0, 2),
    2018: (0, 2, 0, 0, 0, 2),
    2019: (1, 2, 0, 1, 0, 4),
    2020: (0, 1, 0, 1, 0, 2),
    2021: (2, 1, 0, 1, 1, 5),
    2022: (2, 2, 0, 2, 1, 6),
    2023: (1, 1, 0, 2, 1, 5),
    2024: (3, 1, 0, 2, 2, 8),
    2025: (2, 1, 0, 1, 2, 5),
}


@pytest.fixture(scope="module")
def ex() -> pd.DataFrame:
    return data.load("exercises")


def test_table_holds_59_counted_and_3_context_rows(ex):
    assert len(ex) == 62
    assert int(ex["counted"].sum()) == 59 and int(ex["strict"].sum()) == 55
    context = set(ex.loc[~ex["counted"].astype(bool), "id"])
    assert context == {
        "peace-mission-2023-planned",
        "sco-interaction-2024",
        "coast-guard-patrol-2024",
    }
    # every row the rules leave out, or the strict variant drops, says which rule
    out = ~ex["counted"].astype(bool) | ~ex["strict"].astype(bool)
    assert ex.loc[out, "count_rule"].notna().all()
    assert ex.loc[~out, "count_rule"].isna().all()


def test_yearly_counts_match_the_hand_counts(ex):
    counts = exercises.yearly_counts(ex)
    assert list(counts.index) == list(HAND)
    for year, (*kinds, strict) in HAND.items():
        row = counts.loc[year]
        assert [int(row[k]) for k in exercises.KINDS] == kinds, year
        assert int(row["total"]) == sum(kinds), year
        assert int(row["strict"]) == strict, year
    totals = counts.sum()
    assert [int(totals[k]) for k in exercises.KINDS] == [23, 17, 2, 10, 7]
    assert int(totals["total"]) == 59 and int(totals["strict"]) == 55


def test_period_counts_give_broad_and_strict(ex):
    assert exercises.period_counts(ex, 2019, 2021) == {"broad": 11, "strict": 11}
    assert exercises.period_counts(ex, 2022, 2024) == {"broad": 20, "strict": 19}
    assert exercises.period_counts(ex, 2020, 2020) == {"broad": 2, "strict": 2}


def test_years_without_activity_are_zero_not_missing(ex):
    counts = exercises.yearly_counts(ex, start=2000, end=2025)
    assert counts.loc[2000:2002, "total"].eq(0).all() and counts.loc[2004, "total"] == 0


def test_corrections_to_the_first_edition_rows(ex):
    row = ex.set_index("id")
    assert str(row.loc["air-patrol-2023-06", "start"].date()) == "2023-06-06"
    assert str(row.loc["air-patrol-2023-06", "end"].date()) == "2023-06-07"
    assert str(row.loc["vostok-2018", "end"].date()) == "2018-09-15"  # joint phase at Tsugol
    assert "nearly 10,000" in row.loc["peace-mission-2005", "reported_size"]
    assert row.loc["peace-mission-2010", "confidence"] == "sourced"
    assert str(row.loc["coalition-2003", "start"].date()) == "2003-08-06"  # below the old floor


def test_kind_is_an_enum_in_the_schema():
    res = data.resource("exercises")
    kind = next(f for f in res["schema"]["fields"] if f["name"] == "kind")
    assert kind["constraints"]["enum"] == list(exercises.KINDS)
    floors = {f["name"]: f.get("constraints", {}).get("minimum") for f in res["schema"]["fields"]}
    assert floors["start"] == "2003-01-01" and floors["year"] == 2003


def test_rules_are_printable_and_numbered():
    rules = exercises.rules_table()
    assert len(rules) == 10 and rules["rule"].str.match(r"\d+ ").all()
    assert "strict" in rules.iloc[-1]["rule"]


def test_counts_reject_unknown_kind_and_inconsistent_flags(ex):
    bad = ex.copy()
    bad.loc[0, "kind"] = "parade"
    with pytest.raises(ValueError, match=r"unknown kind value\(s\) \['parade'\]"):
        exercises.yearly_counts(bad)
    bad = ex.copy()
    bad.loc[bad["id"] == "sco-interaction-2024", "strict"] = True
    with pytest.raises(ValueError, match="strict but not counted"):
        exercises.period_counts(bad, 2024, 2024)
    with pytest.raises(ValueError, match="lacks column"):
        exercises.yearly_counts(ex.drop(columns="counted"))


def test_unknown_kind_in_the_csv_names_file_line_and_column(tmp_path, monkeypatch):
    """A fixture copy of the exercise table with one bad kind: the loader names the cell."""
    res = data.resource("exercises")
    lines = (ROOT / "data" / "exercises.csv").read_text(encoding="utf-8").splitlines(True)
    lines[3] = lines[3].replace(",multilateral,SCO,", ",parade,SCO,", 1)
    assert ",parade," in lines[3]
    text = "".join(lines)
    (tmp_path / "exercises.csv").write_text(text, encoding="utf-8", newline="")
    res["hash"] = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [res]}))
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))
    with pytest.raises(DataError) as info:
        data.load("exercises")
    assert info.value.line == 4 and info.value.column == "kind"
    assert "'parade' is not one of the allowed values" in str(info.value)
    assert "exercises.csv, line 4, column 'kind'" in str(info.value)


def test_data_page_prints_the_counts_from_the_table():
    page = (ROOT / "book" / "data" / "exercises.md").read_text(encoding="utf-8")
    assert "59 counted, 55 under the strict variant" in page
    assert "| 2024 | 3 | 1 | 0 | 2 | 2 | 8 | 8 |" in page
    assert "| **all** | 23 | 17 | 2 | 10 | 7 | 59 | 55 |" in page
