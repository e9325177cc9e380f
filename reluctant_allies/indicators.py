"""Indicators built from the data package, beside :mod:`reluctant_allies.pressure`: trade as a
share of GDP, trade turnover by producer, and the opinion series per pollster and question.

They are the inputs of the analysis layer (chapter frames, the out-of-sample proxies) and of
the charts; they know nothing of either.
"""

from __future__ import annotations

import pandas as pd

from ._checks import require_columns

__all__ = ["DIRECTIONS", "PRODUCERS", "segments", "trade_gdp_ratio", "turnover_by_producer"]


#: Producer keys of the ``trade`` table -> legend labels (fixed order and colours).
PRODUCERS = {
    "cow_trade_v4": "COW Dyadic Trade v4",
    "cepii_baci": "CEPII BACI",
    "un_comtrade": "UN Comtrade (China's imports)",
}


DIRECTIONS = ("Russia to China", "China to Russia")


TRADE_COLUMNS = ("year", "direction", "source", "value_usd_m")


POWER_COLUMNS = ("year", "country", "indicator", "source", "value")


def check_trade(trade: pd.DataFrame, who: str) -> pd.DataFrame:
    require_columns(trade, TRADE_COLUMNS, who, what="trade table", nonempty=True)
    unknown = sorted(set(trade["source"]) - set(PRODUCERS))
    if unknown:
        raise ValueError(f"{who}: unknown producer(s) in column 'source': {unknown}")
    bad_dir = sorted(set(trade["direction"]) - set(DIRECTIONS))
    if bad_dir:
        raise ValueError(f"{who}: unknown value(s) in column 'direction': {bad_dir}")
    values = pd.to_numeric(trade["value_usd_m"], errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise ValueError(f"{who}: column 'value_usd_m' must hold non-negative numbers")
    dup = trade.duplicated(["year", "direction", "source"])
    if dup.any():
        row = trade.loc[dup].iloc[0]
        raise ValueError(
            f"{who}: duplicate (year, direction, source) row: "
            f"{int(row['year'])}, {row['direction']}, {row['source']}"
        )
    out = trade.loc[:, list(TRADE_COLUMNS)].copy()
    out["year"] = out["year"].astype(int)
    out["value_usd_m"] = values.astype(float)
    return out


def segments(df: pd.DataFrame, keys: list[str]) -> pd.Series:
    """A run id that changes wherever a series skips a year: lines never bridge a gap."""
    df = df.sort_values([*keys, "year"])
    new_run = df.groupby(keys)["year"].diff().ne(1)
    return new_run.cumsum().astype(int).reindex(df.index)


def turnover_by_producer(trade: pd.DataFrame) -> pd.DataFrame:
    """Two-way turnover (US$ bn) for each producer-year that has *both* directions.

    UN Comtrade holds only China's imports, so it yields no turnover; a producer
    is never completed with another producer's direction.
    """
    t = check_trade(trade, "turnover_by_producer")
    wide = t.pivot_table(
        index=["source", "year"], columns="direction", values="value_usd_m", aggfunc="sum"
    )
    wide = wide.dropna(subset=[d for d in DIRECTIONS if d in wide.columns])
    if not set(DIRECTIONS) <= set(wide.columns) or wide.empty:
        raise ValueError("turnover_by_producer: no producer-year has both directions")
    out = wide.reset_index()
    out["turnover_usd_bn"] = ((out["Russia to China"] + out["China to Russia"]) / 1000).round(3)
    return out.loc[:, ["source", "year", "turnover_usd_bn"]]


def trade_gdp_ratio(trade: pd.DataFrame, power: pd.DataFrame) -> pd.DataFrame:
    """Bilateral turnover as a percentage of each partner's GDP (both current US$), by producer."""
    require_columns(power, POWER_COLUMNS, "trade_gdp_asymmetry", what="power table", nonempty=True)
    gdp = power.loc[(power["indicator"] == "gdp") & power["country"].isin(["China", "Russia"])]
    if gdp.empty:
        raise ValueError("trade_gdp_asymmetry: power table has no 'gdp' rows for China and Russia")
    gdp = gdp.assign(year=gdp["year"].astype(int)).pivot_table(
        index="year", columns="country", values="value"
    )
    t = turnover_by_producer(trade).merge(gdp.reset_index(), on="year", how="inner")
    rows = []
    for country in ("Russia", "China"):
        part = t.loc[t[country].notna() & (t[country] > 0)].copy()
        part["pct"] = (part["turnover_usd_bn"] * 1000 / part[country] * 100).round(3)
        part["of"] = f"as % of {country}'s GDP"
        rows.append(part.loc[:, ["source", "year", "of", "pct"]])
    out = pd.concat(rows, ignore_index=True)
    out["producer"] = out["source"].map(PRODUCERS)
    out["segment"] = segments(out, ["source", "of"])
    return out.sort_values(["of", "source", "year"]).reset_index(drop=True)
