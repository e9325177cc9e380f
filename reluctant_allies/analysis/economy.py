"""Chapter 5 (the economic hurdle): composition groups, the implied 2015 total, trade-share lines
and facts, and the hurdle grid and threshold table.

Every function returns plain tables or values (no Altair); ``charts/economy.py`` lays them out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns
from ..indicators import (
    DIRECTIONS,
    PRODUCERS,
    segments,
    trade_gdp_ratio,
)

__all__ = [
    "composition_groups",
    "economic_hurdle_grid",
    "economy_facts",
    "hurdle_threshold_table",
    "implied_2015",
    "trade_share_facts",
    "trade_share_lines",
]


REPORTED_COLUMNS = ("year", "flow", "value_usd_bn", "reporter", "source_url", "confidence")


COMPOSITION_COLUMNS = ("year", "direction", "hs_section", "section_name", "share")


SHARE_COLUMNS = ("year", "country", "flow", "source", "share", "segment")


#: ``trade_shares`` keys -> labels: whose total trade is the denominator, and which producer.
SHARE_OF = {
    "Russia": "China's share of Russia's trade",
    "China": "Russia's share of China's trade",
}


SHARE_PRODUCERS = {
    "cow_trade_v4": "COW Trade v4",
    "imf_dots": "IMF DOTS (Russia-reported)",
}


#: HS sections (OEC numbering) grouped for the composition chart, top to bottom.
SECTION_GROUPS = {
    "Mineral products (fuels, ores)": (5,),
    "Metals": (15,),
    "Wood and paper": (9, 10),
    "Chemicals and plastics": (6, 7),
    "Food and farm products": (1, 2, 3, 4),
    "Machinery and electrical": (16,),
    "Vehicles and transport": (17,),
    "Textiles and footwear": (11, 12),
    "Other": (8, 13, 14, 18, 19, 20, 21),
}


REPORTED_LABEL = "China customs, as reported in the press"


OTHER_REPORT_LABEL = "Russian sources, as reported in the press"


def _with_producer_lines(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    df = df.copy()
    df["producer"] = df["source"].map(PRODUCERS)
    df["segment"] = segments(df, keys)
    return df.sort_values([*keys, "year"]).reset_index(drop=True)


def _check_reported(reported: pd.DataFrame, who: str) -> pd.DataFrame:
    require_columns(reported, REPORTED_COLUMNS, who, what="trade_reported table", nonempty=True)
    bad = sorted(set(reported["flow"]) - {"turnover", *DIRECTIONS})
    if bad:
        raise ValueError(f"{who}: unknown value(s) in column 'flow': {bad}")
    out = reported.copy()
    out["year"] = out["year"].astype(int)
    out["value_usd_bn"] = pd.to_numeric(out["value_usd_bn"], errors="coerce")
    if out["value_usd_bn"].isna().any():
        raise ValueError(f"{who}: column 'value_usd_bn' must hold numbers")
    return out


def _reported_points(reported: pd.DataFrame, flow: str) -> pd.DataFrame:
    r = reported.loc[reported["flow"] == flow].copy()
    is_china = r["reporter"].str.contains("China", case=False, na=False)
    r["series"] = np.where(is_china, REPORTED_LABEL, OTHER_REPORT_LABEL)
    r["note"] = r["note"].fillna("") if "note" in r else ""
    return r


def implied_2015(reported: pd.DataFrame) -> float | None:
    """2015 turnover implied by the 2016 report: 2016 total / (1 + 2016 growth).

    Returns None if the table lacks the 2016 turnover row or its growth rate.
    """
    r = reported.loc[(reported["flow"] == "turnover") & (reported["year"] == 2016)]
    if r.empty or "growth_pct" not in r or pd.isna(r["growth_pct"].iloc[0]):
        return None
    return round(float(r["value_usd_bn"].iloc[0]) / (1 + float(r["growth_pct"].iloc[0]) / 100), 2)


def composition_groups(composition: pd.DataFrame) -> pd.DataFrame:
    """Shares of each direction-year by the section groups of :data:`SECTION_GROUPS`."""
    who = "trade_composition_butterfly"
    require_columns(
        composition, COMPOSITION_COLUMNS, who, what="trade_composition table", nonempty=True
    )
    bad_dir = sorted(set(composition["direction"]) - set(DIRECTIONS))
    if bad_dir:
        raise ValueError(f"{who}: unknown value(s) in column 'direction': {bad_dir}")
    sections = composition["hs_section"].astype(int)
    known = {s for g in SECTION_GROUPS.values() for s in g}
    unknown = sorted(set(sections) - known)
    if unknown:
        raise ValueError(f"{who}: hs_section value(s) outside 1–21: {unknown}")
    share = pd.to_numeric(composition["share"], errors="coerce")
    if share.isna().any() or ((share < 0) | (share > 1)).any():
        raise ValueError(f"{who}: column 'share' must hold fractions between 0 and 1")
    to_group = {s: g for g, secs in SECTION_GROUPS.items() for s in secs}
    df = composition.assign(group=sections.map(to_group), share=share)
    out = df.groupby(["year", "direction", "group"], as_index=False)["share"].sum()
    out["year"] = out["year"].astype(int)
    return out


def trade_share_lines(shares: pd.DataFrame) -> pd.DataFrame:
    """The ``trade_shares`` table laid out for the chart: one row per year x country x producer.

    ``pct`` is the total-trade share in per cent; ``exports_pct`` and ``imports_pct`` are
    the same producer's export and import shares (for the tooltip).  The shares themselves
    are computed in :mod:`reluctant_allies.derive`; nothing here divides one producer's
    number by another's.
    """
    who = "trade_share_asymmetry"
    require_columns(shares, SHARE_COLUMNS, who, what="trade_shares table", nonempty=True)
    for column, known in (("source", SHARE_PRODUCERS), ("country", SHARE_OF)):
        unknown = sorted(set(shares[column]) - set(known))
        if unknown:
            raise ValueError(f"{who}: unknown value(s) in column {column!r}: {unknown}")
    if not (shares["flow"] == "total").any():
        raise ValueError(f"{who}: the trade_shares table has no 'total' rows")
    keys = ["year", "country", "source"]
    wide = shares.assign(year=shares["year"].astype(int)).pivot_table(
        index=[*keys, "segment"], columns="flow", values="share", aggfunc="first"
    )
    wide = wide.dropna(subset=["total"]).reset_index()
    out = pd.DataFrame(
        {
            "year": wide["year"].astype(int),
            "country": wide["country"],
            "source": wide["source"],
            "share_of": wide["country"].map(SHARE_OF),
            "producer": wide["source"].map(SHARE_PRODUCERS),
            "pct": (wide["total"] * 100).round(4),
            "exports_pct": (wide.get("exports") * 100).round(4) if "exports" in wide else np.nan,
            "imports_pct": (wide.get("imports") * 100).round(4) if "imports" in wide else np.nan,
            "segment": wide["segment"].astype(int),
        }
    )
    # a line never bridges a missing year or a producer's own break (the segment column)
    run = segments(out, ["country", "source", "segment"])
    out["line"] = out["country"] + "|" + out["source"] + "|" + run.astype(str)
    return out.sort_values(["country", "source", "year"]).reset_index(drop=True)


def trade_share_facts(shares: pd.DataFrame) -> dict[str, int | float]:
    """The numbers chapter 5's prose states about ``trade_shares`` (glued, never typed).

    Shares are in per cent (total trade), totals in US$ bn; years are the table's own
    coverage.  Keys start with ``shares_``.
    """
    r = trade_share_lines(shares)
    raw = shares.assign(year=shares["year"].astype(int))

    def series(country: str, src: str) -> pd.Series:
        part = r.loc[(r["country"] == country) & (r["source"] == src)]
        if part.empty:
            raise ValueError(f"trade_share_facts: no total shares for {country}, {src}")
        return part.set_index("year")["pct"]

    ru_cow, cn_cow = series("Russia", "cow_trade_v4"), series("China", "cow_trade_v4")
    ru_dots = series("Russia", "imf_dots")
    overlap = ru_cow.index.intersection(ru_dots.index)
    cn_totals = raw.loc[
        (raw["country"] == "China") & (raw["source"] == "cow_trade_v4") & (raw["flow"] == "total")
    ].set_index("year")["total_usd_m"]
    first_break = int(r.loc[(r["country"] == "China") & (r["segment"] > 1), "year"].min())
    cow_last = int(ru_cow.index.max())
    return {
        "shares_cow_first": int(ru_cow.index.min()),
        "shares_cow_last": cow_last,
        "shares_dots_first": int(ru_dots.index.min()),
        "shares_dots_last": int(ru_dots.index.max()),
        "shares_ru_first": float(ru_cow.iloc[0]),
        "shares_ru_cow_last": float(ru_cow.loc[cow_last]),
        "shares_cn_max": float(cn_cow.max()),
        "shares_cn_cow_last": float(cn_cow.loc[cow_last]),
        "shares_ratio_last": float(ru_cow.loc[cow_last] / cn_cow.loc[cow_last]),
        "shares_ru_dots_last": float(ru_dots.iloc[-1]),
        "shares_overlap_gap": float((ru_cow.loc[overlap] - ru_dots.loc[overlap]).abs().max()),
        "shares_break_year": first_break,
        "shares_break_prev": first_break - 1,
        "shares_cn_total_before": float(cn_totals.loc[first_break - 1] / 1000),
        "shares_cn_total_after": float(cn_totals.loc[first_break] / 1000),
    }


def economic_hurdle_grid(
    params: models.StaticParams | None = None,
    *,
    H_e_values=None,
    gamma_e_values=None,
    S_values=None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Precompute the static model over (gamma_e, H_e, S).

    Returns ``(curves, thresholds)``: ``curves`` has columns g (gamma_e), h (H_e),
    S and C (= C*(S)); ``thresholds`` has g, h, S_E, S_A (inf when the filter is
    closed). Values are validated by :class:`~reluctant_allies.models.StaticParams`
    (e.g. gamma_e + gamma_m <= 1) and rounded to 3-4 decimals for the page.
    """
    base = params or models.StaticParams()
    H = np.round(np.arange(0, 1.0001, 0.05) if H_e_values is None else np.asarray(H_e_values), 4)
    G = np.round(
        np.arange(0, 0.7001, 0.1) if gamma_e_values is None else np.asarray(gamma_e_values), 4
    )
    S = np.round(np.arange(0, 1.0001, 0.025) if S_values is None else np.asarray(S_values), 4)
    for name, arr in (("H_e_values", H), ("gamma_e_values", G), ("S_values", S)):
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"economic_hurdle_grid: {name} must be a non-empty 1-D sequence")
        if not np.isfinite(arr).all() or (arr < 0).any() or (arr > 1).any():
            raise ValueError(f"economic_hurdle_grid: {name} must lie in [0, 1]")
    curves, thresholds = [], []
    for g in G:
        p = base.replace(gamma_e=float(g))  # validated: gamma_e + gamma_m <= 1
        C = models.equilibrium_cooperation(S[None, :], p, H_e=H[:, None])
        S_E, S_A = models.static_thresholds(p, H_e=H)
        hh, ss = np.meshgrid(H, S, indexing="ij")
        curves.append(pd.DataFrame({"g": g, "h": hh.ravel(), "S": ss.ravel(), "C": C.ravel()}))
        thresholds.append(pd.DataFrame({"g": g, "h": H, "S_E": S_E, "S_A": S_A}))
    cur = pd.concat(curves, ignore_index=True).round({"C": 4})
    thr = pd.concat(thresholds, ignore_index=True).round({"S_E": 4, "S_A": 4})
    return cur, thr


def hurdle_threshold_table(
    params: models.StaticParams | None = None, H_e=(0.6, 0.3, 0.0)
) -> pd.DataFrame:
    """S_E and S_A of the static model for a few economic-hurdle levels (memory hurdle fixed)."""
    p = params or models.StaticParams()
    H = np.asarray(H_e, dtype=float)
    if H.ndim != 1 or H.size == 0:
        raise ValueError("hurdle_threshold_table: H_e must be a non-empty 1-D sequence")
    S_E, S_A = models.static_thresholds(p, H_e=H)  # validates H_e in [0, 1]
    return pd.DataFrame(
        {
            "H_e": H,
            "entente threshold S_E": np.round(S_E, 2),
            "alliance threshold S_A": np.round(S_A, 2),
            "alliance reachable (S_A <= 1)": np.where(S_A <= 1, "yes", "no"),
        }
    ).set_index("H_e")


def economy_facts(
    trade: pd.DataFrame,
    composition: pd.DataFrame,
    power: pd.DataFrame,
    params: models.StaticParams | None = None,
) -> dict[str, float | int]:
    """The numbers chapter 5 prints, from the trade tables and the static model.

    Goods trade in both directions (US\\$ bn): ``cow_1992`` and ``cow_2014`` (COW),
    ``baci_2023`` (BACI). Composition shares (per cent): mineral products in Russia's exports
    to China in 2017 and 2023 and their range (``ru_mineral_2017``, ``ru_mineral_2023``,
    ``ru_mineral_min``/``_min_year``, ``ru_mineral_max``/``_max_year``); machinery and
    electrical plus vehicles in China's exports in 2023 (``cn_machinery_2023``) and vehicles
    alone (``cn_vehicles_2023``). The trade as a share of each GDP in the last BACI year
    (``gdp_ru_last``, ``gdp_cn_last``, ``gdp_last_year``). The static model: ``S_E``, ``S_A``
    at the defaults and, with the economic hurdle removed, ``S_E_no_econ``, ``S_A_no_econ``.
    """
    require_columns(trade, ("year", "direction", "source", "value_usd_m"), "economy_facts")
    params = models.StaticParams() if params is None else params
    totals = trade.groupby(["source", "year"])["value_usd_m"].sum() / 1000
    groups = composition_groups(composition)
    share = groups.set_index(["direction", "group", "year"])["share"].sort_index() * 100
    mineral = share.loc[("Russia to China", "Mineral products (fuels, ores)")]
    machinery = share.loc[("China to Russia", "Machinery and electrical")]
    vehicles = share.loc[("China to Russia", "Vehicles and transport")]
    ratio = trade_gdp_ratio(trade, power)
    baci = ratio[ratio["source"] == "cepii_baci"]
    last = int(baci["year"].max())
    at_last = baci[baci["year"] == last].set_index("of")["pct"]
    S_E, S_A = (float(v) for v in models.static_thresholds(params))
    S_E0, S_A0 = (float(v) for v in models.static_thresholds(params, H_e=0.0))
    return {
        "cow_1992": float(totals[("cow_trade_v4", 1992)]),
        "cow_2014": float(totals[("cow_trade_v4", 2014)]),
        "baci_2023": float(totals[("cepii_baci", 2023)]),
        "ru_mineral_2017": float(mineral[2017]),
        "ru_mineral_2023": float(mineral[2023]),
        "ru_mineral_min": float(mineral.min()),
        "ru_mineral_min_year": int(mineral.idxmin()),
        "ru_mineral_max": float(mineral.max()),
        "ru_mineral_max_year": int(mineral.idxmax()),
        "cn_machinery_2023": float(machinery[2023] + vehicles[2023]),
        "cn_vehicles_2023": float(vehicles[2023]),
        "gdp_ru_last": float(at_last["as % of Russia's GDP"]),
        "gdp_cn_last": float(at_last["as % of China's GDP"]),
        "gdp_last_year": last,
        "S_E": S_E,
        "S_A": S_A,
        "S_E_no_econ": S_E0,
        "S_A_no_econ": S_A0,
    }
