"""Chapter 5's trade-share chart (economy.trade_share_asymmetry) against data/trade_shares.csv.

The chart lays out numbers computed in derive.py; these tests hold every plotted value to the
committed CSV (read with the csv module, not through the builder's own code path), check that
every encoded field exists in the chart's data, and that no line joins two producers or
crosses a producer's break.
"""

from __future__ import annotations

import csv

import pytest

from reluctant_allies import ROOT, data
from reluctant_allies.analysis import economy as economy_frames
from reluctant_allies.charts import economy

CSV = ROOT / "data" / "trade_shares.csv"


@pytest.fixture(scope="module")
def shares():
    return data.load("trade_shares")


@pytest.fixture(scope="module")
def committed() -> dict[tuple[int, str, str, str], float]:
    with CSV.open(encoding="utf-8", newline="") as handle:
        return {
            (int(r["year"]), r["country"], r["source"], r["flow"]): float(r["share"])
            for r in csv.DictReader(handle)
        }


@pytest.fixture(scope="module")
def spec(shares):
    return economy.trade_share_asymmetry(shares, source=data.source_line("trade_shares")).to_dict()


def _line_layer(spec: dict) -> dict:
    return next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")


def _rows(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def _fields(encoding: dict) -> set[str]:
    out = set()
    for channel in encoding.values():
        for item in channel if isinstance(channel, list) else [channel]:
            if "field" in item:
                out.add(item["field"])
    return out


def test_every_encoded_field_is_in_the_data(spec):
    layer = _line_layer(spec)
    rows = _rows(spec, layer)
    assert rows
    assert layer["encoding"]["y"]["field"] == "pct"  # the total-trade share, in per cent
    assert layer["encoding"]["color"]["field"] == "share_of"
    assert layer["encoding"]["strokeDash"]["field"] == "producer"
    assert layer["encoding"]["detail"]["field"] == "line"  # one path per producer run
    missing = _fields(layer["encoding"]) - set(rows[0])
    assert not missing, f"encoded but not in the data: {missing}"
    assert {"pct", "share_of", "producer", "line", "exports_pct", "imports_pct"} <= _fields(
        layer["encoding"]
    )


def test_plotted_values_equal_the_derived_csv(spec, committed):
    rows = _rows(spec, _line_layer(spec))
    names = {v: k for k, v in economy.SHARE_PRODUCERS.items()}
    whose = {v: k for k, v in economy.SHARE_OF.items()}
    for row in rows:
        key = (row["year"], whose[row["share_of"]], names[row["producer"]])
        assert row["pct"] == pytest.approx(committed[(*key, "total")] * 100, abs=1e-9)
        for flow in ("exports", "imports"):
            expected = committed.get((*key, flow))
            if expected is not None:
                assert row[f"{flow}_pct"] == pytest.approx(expected * 100, abs=1e-9)
    totals = {k for k in committed if k[3] == "total"}
    assert len(rows) == len(totals), "every total share in the CSV is drawn, once"


def test_lines_never_join_producers_or_cross_a_break(spec, shares):
    rows = _rows(spec, _line_layer(spec))
    by_line: dict[str, list[dict]] = {}
    for row in rows:
        by_line.setdefault(row["line"], []).append(row)
    for line, members in by_line.items():
        assert len({(r["producer"], r["share_of"], r["segment"]) for r in members}) == 1, line
        years = sorted(r["year"] for r in members)
        assert years == list(range(years[0], years[-1] + 1)), f"{line} bridges a gap"
    china_cow = {r["line"] for r in rows if r["share_of"].startswith("Russia's share")}
    assert len(china_cow) == 2  # COW's China totals break in 1999: two lines, not one
    breaks = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert _rows(spec, breaks[0])[0]["x"] == 1998.5


def test_description_states_the_csvs_numbers(spec, committed):
    text = spec["description"]
    assert f"{committed[2014, 'Russia', 'cow_trade_v4', 'total'] * 100:.1f}%" in text
    assert f"{committed[2014, 'China', 'cow_trade_v4', 'total'] * 100:.1f}%" in text
    assert f"{committed[2021, 'Russia', 'imf_dots', 'total'] * 100:.1f}% in 2021" in text
    assert spec["title"]["subtitle"]


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.drop(columns="segment"), r"lacks column\(s\) \['segment'\]"),
        (lambda d: d.assign(source="cepii_baci"), r"unknown value\(s\) in column 'source'"),
        (lambda d: d.assign(country="USA"), r"unknown value\(s\) in column 'country'"),
        (lambda d: d[d["flow"] != "total"], r"no 'total' rows"),
    ],
)
def test_malformed_table_is_refused(shares, change, match):
    with pytest.raises(ValueError, match=match):
        economy.trade_share_asymmetry(change(shares.copy()), source="s")


def test_prose_facts_come_from_the_csv(shares, committed):
    facts = economy_frames.trade_share_facts(shares)
    ru = {
        y: v * 100
        for (y, c, s, f), v in committed.items()
        if (c, s, f) == ("Russia", "cow_trade_v4", "total")
    }
    cn = {
        y: v * 100
        for (y, c, s, f), v in committed.items()
        if (c, s, f) == ("China", "cow_trade_v4", "total")
    }
    dots = {
        y: v * 100
        for (y, c, s, f), v in committed.items()
        if (c, s, f) == ("Russia", "imf_dots", "total")
    }
    assert (facts["shares_cow_first"], facts["shares_cow_last"]) == (min(ru), max(ru))
    assert (facts["shares_dots_first"], facts["shares_dots_last"]) == (min(dots), max(dots))
    assert facts["shares_ru_cow_last"] == pytest.approx(ru[max(ru)])
    assert facts["shares_cn_max"] == pytest.approx(max(cn.values()))
    assert facts["shares_ru_dots_last"] == pytest.approx(dots[max(dots)])
    gap = max(abs(ru[y] - dots[y]) for y in set(ru) & set(dots))
    assert facts["shares_overlap_gap"] == pytest.approx(gap)
    assert facts["shares_break_year"] == 1999  # derive.COW_CHINA_TOTALS_BREAK
    assert all(type(v) in (int, float) for v in facts.values())  # glue prints plain numbers
