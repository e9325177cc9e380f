"""reluctant_allies.indicators on small hand-made tables whose answers are known.

The chapter tests run these functions on the data package; these pin the rules a chapter
would not notice breaking: what check_trade accepts and returns, the turnover's rounding,
and trade_gdp_ratio's shape."""

from __future__ import annotations

import pandas as pd
import pytest

from reluctant_allies import indicators


def _trade(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "direction", "source", "value_usd_m"])


def _pair(year=2020, source="cepii_baci", out=1234.5678, back=1000.0001):
    return [
        (year, "Russia to China", source, out),
        (year, "China to Russia", source, back),
    ]


def test_check_trade_accepts_zero_and_fractions_and_returns_clean_types():
    t = _trade(
        [
            (2020.0, "Russia to China", "cepii_baci", "0.5"),
            (2021, "Russia to China", "cepii_baci", 0),
        ]
    )
    out = indicators.check_trade(t, "t")
    assert list(out.columns) == ["year", "direction", "source", "value_usd_m"]
    assert out["year"].dtype.kind == "i" and out["year"].tolist() == [2020, 2021]
    assert out["value_usd_m"].dtype == float and out["value_usd_m"].tolist() == [0.5, 0.0]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ((2020, "Russia to China", "cepii_baci", -0.1), "non-negative numbers"),
        ((2020, "Russia to China", "cepii_baci", "n/a"), "non-negative numbers"),
        ((2020, "Russia to China", "imf", 1.0), r"unknown producer\(s\) in column 'source'"),
        ((2020, "Russia-China", "cepii_baci", 1.0), r"unknown value\(s\) in column 'direction'"),
    ],
)
def test_check_trade_refuses_bad_rows_naming_the_column(row, message):
    with pytest.raises(ValueError, match=message):
        indicators.check_trade(_trade([row]), "who")


def test_check_trade_refuses_a_duplicate_row_and_names_it():
    t = _trade([(2020, "Russia to China", "cepii_baci", 1.0)] * 2)
    with pytest.raises(ValueError, match="duplicate .* 2020, Russia to China, cepii_baci"):
        indicators.check_trade(t, "who")


def test_turnover_sums_both_directions_in_billions_to_three_decimals():
    out = indicators.turnover_by_producer(_trade(_pair()))
    assert out.to_dict("records") == [
        {"source": "cepii_baci", "year": 2020, "turnover_usd_bn": 2.235}
    ]


def test_turnover_never_completes_a_producer_with_another_producers_direction():
    rows = [(2020, "Russia to China", "un_comtrade", 5.0), *_pair(2021)]
    out = indicators.turnover_by_producer(_trade(rows))
    assert out[["source", "year"]].values.tolist() == [["cepii_baci", 2021]]
    with pytest.raises(ValueError, match="no producer-year has both directions"):
        indicators.turnover_by_producer(_trade(rows[:1]))


def _power(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "country", "indicator", "source", "value"])


def test_trade_gdp_ratio_is_turnover_over_each_gdp_in_a_clean_frame():
    power = _power(
        [(2020, "Russia", "gdp", "wb_gdp", 1.5e6), (2020, "China", "gdp", "wb_gdp", 15e6)]
    )
    out = indicators.trade_gdp_ratio(_trade(_pair(out=1000.0, back=500.0)), power)
    assert list(out.columns) == ["source", "year", "of", "pct", "producer", "segment"]
    assert out.index.tolist() == [0, 1]
    pct = dict(zip(out["of"], out["pct"], strict=True))
    # GDP in US$ m: 1.5 bn of turnover is 0.1% of Russia's 1.5 trillion, 0.01% of China's 15
    assert pct == {"as % of Russia's GDP": 0.1, "as % of China's GDP": 0.01}
    assert set(out["producer"]) == {"CEPII BACI"}


def test_trade_gdp_ratio_refuses_an_empty_power_table():
    with pytest.raises(ValueError, match=r"power table is empty \(no rows\)"):
        indicators.trade_gdp_ratio(_trade(_pair()), _power([]))
