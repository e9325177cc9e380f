"""Chapter 3 (the system's push): the US share of power, CINC shares, the codings frame and the
pressure model frames and grid.

Every function returns plain tables or values (no Altair); ``charts/system.py`` lays them out.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import models, pressure
from .._checks import require_columns

__all__ = [
    "china_above_usa",
    "cinc_frame",
    "codings_frame",
    "reactive_acts",
    "record_explorer_grid",
    "record_facts",
    "record_model_frame",
    "us_share_frame",
]


COUNTRIES = ("USA", "China", "Russia")


POWER_COLUMNS = ("year", "country", "indicator", "source", "value")


#: Series of :func:`us_power_shares`: indicator -> (producer key, legend label).
SHARE_SERIES = {
    "milex": ("sipri_milex", "Military spending (SIPRI, constant 2023 US$)"),
    "gdp": ("wb_gdp", "GDP (World Bank, current US$)"),
}


#: CINC panels: producer key -> panel title.
CINC_RELEASES = {
    "cow_nmc_v6": "NMC v6.0",
    "cow_nmc_v7": "NMC v7.0, transcribed extract (unconfirmed)",
}


#: Alternative codings shown side by side: name -> keyword arguments of pressure_index.
CODINGS: dict[str, dict] = {
    "Default rules": {},
    "Deeds only: strategy documents weigh 0": {"weights": {"doctrine": 0.0}},
    "No fading: half-life infinite": {"half_life": math.inf},
    "Weak-sourced row counted": {"include_weak": True},
}


#: Slider grid of the record explorer (:func:`record_explorer_grid`).
DOCTRINE_WEIGHTS = (0.0, 0.5, 1.0, 1.5, 2.0)


HALF_LIVES = tuple(float(h) for h in range(1, 8))


def _runs(years: pd.Series) -> pd.Series:
    """Run id per consecutive block of years, so a line breaks at a missing year."""
    return (years.diff().fillna(1) != 1).cumsum()


def us_share_frame(power: pd.DataFrame) -> pd.DataFrame:
    """US share of the three-country total per year, for military spending and GDP.

    A year counts only if all three countries have a value from the series' producer;
    otherwise it is left out (a gap), and ``run`` numbers the unbroken stretches.
    """
    who = "us_power_shares"
    require_columns(power, POWER_COLUMNS, who)
    frames = []
    for indicator, (producer, label) in SHARE_SERIES.items():
        sub = power.loc[(power["indicator"] == indicator) & (power["source"] == producer)]
        if sub.empty:
            raise ValueError(f"{who}: no {indicator!r} rows from {producer!r}")
        wide = sub.pivot_table(index="year", columns="country", values="value", aggfunc="first")
        missing = [c for c in COUNTRIES if c not in wide.columns]
        if missing:
            raise ValueError(f"{who}: {indicator!r} has no rows for {missing}")
        wide = wide.loc[:, list(COUNTRIES)].dropna()
        if (wide <= 0).any().any():
            raise ValueError(f"{who}: {indicator!r} has non-positive values")
        df = wide.reset_index().rename(columns=str)
        df["share"] = df["USA"] / df[list(COUNTRIES)].sum(axis=1)
        df["series"] = label
        df["indicator"] = indicator
        df["run"] = indicator + "-" + _runs(df["year"]).astype(str)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out


def cinc_frame(power: pd.DataFrame) -> pd.DataFrame:
    """CINC rows of the three states, one block per NMC release, with the panel title."""
    who = "cinc_shares"
    require_columns(power, POWER_COLUMNS, who)
    df = power.loc[
        (power["indicator"] == "cinc") & power["source"].isin(list(CINC_RELEASES))
    ].copy()
    if df.empty:
        raise ValueError(f"{who}: no 'cinc' rows from {sorted(CINC_RELEASES)}")
    unknown = sorted(set(df["country"]) - set(COUNTRIES))
    if unknown:
        raise ValueError(f"{who}: unknown country value(s) {unknown}")
    df = df.sort_values(["source", "country", "year"])
    df["release"] = df["source"].map(CINC_RELEASES)
    df["run"] = (
        df["source"]
        + df["country"]
        + df.groupby(["source", "country"])["year"].transform(_runs).astype(str)
    )
    df["year"] = df["year"].astype(int)
    return df.reset_index(drop=True)


def china_above_usa(cinc: pd.DataFrame) -> dict[str, int | None]:
    """First year China's CINC exceeds the USA's, per release (None if never)."""
    out: dict[str, int | None] = {}
    for source, g in cinc.groupby("source"):
        wide = g.pivot_table(index="year", columns="country", values="value").sort_index()
        above = wide.index[wide["China"] > wide["USA"]]
        out[str(source)] = int(above[0]) if len(above) else None
    return out


def codings_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The index under each of :data:`CODINGS`, long, with the default beside every row."""
    base = pressure.pressure_index(events)[["year", "value"]].rename(columns={"value": "default"})
    frames = []
    for name, kwargs in CODINGS.items():
        s = pressure.pressure_index(events, **kwargs)[["year", "value"]]
        frames.append(s.merge(base, on="year").assign(coding=name))
    return pd.concat(frames, ignore_index=True)


def _static_run(S: np.ndarray, params: models.StaticParams) -> tuple[np.ndarray, np.ndarray]:
    """Simulated C (end of each year) and equilibrium C* for pressure paths S (..., T)."""
    traj = models.simulate_static(params, S)
    return traj.C[..., 1:], models.equilibrium_cooperation(S, params)


# --------------------------------------------------------------------------- second edition


def _check_static(params: models.StaticParams | None) -> models.StaticParams:
    params = models.StaticParams() if params is None else params
    if not isinstance(params, models.StaticParams):
        raise TypeError(f"params must be a models.StaticParams, got {type(params).__name__}")
    return params


def record_model_frame(
    actions: pd.DataFrame,
    params: models.StaticParams | None = None,
    *,
    index: str = "combined",
    **record_kwargs,
) -> pd.DataFrame:
    """The static model fed with one index of the pressure record (1991–2025).

    Returns ``year, S`` (the index), ``C_star`` (static equilibrium) and ``C`` (simulated,
    end of year); ``index`` and
    ``record_kwargs`` (weights, half-life, switches) go to
    :func:`reluctant_allies.pressure.record_index`.
    """
    params = _check_static(params)
    s = pressure.record_index(actions, index=index, **record_kwargs)
    C, C_star = _static_run(s["value"].to_numpy(dtype=float), params)
    return pd.DataFrame({"year": s["year"], "S": s["value"], "C_star": C_star, "C": C})


def record_explorer_grid(
    actions: pd.DataFrame, params: models.StaticParams | None = None, *, index: str = "combined"
) -> pd.DataFrame:
    """The slider grid of the record: index and predicted C for every slider setting.

    Columns ``year, v`` (index), ``c`` (simulated cooperation, end of year), ``d`` (weight
    of strategy documents), ``h`` (half-life, years) and ``w`` (1 if weak rows count, else 0).
    """
    params = _check_static(params)
    frames = []
    for d in DOCTRINE_WEIGHTS:
        for h in HALF_LIVES:
            for w in (False, True):
                f = record_model_frame(
                    actions,
                    params,
                    index=index,
                    weights={"doctrine": d},
                    half_life=h,
                    include_weak=w,
                )
                frames.append(
                    pd.DataFrame(
                        {"year": f["year"], "v": f["S"], "c": f["C"], "d": d, "h": h, "w": int(w)}
                    )
                )
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out.round({"v": 3, "c": 3, "d": 2, "h": 1})


def reactive_acts(actions: pd.DataFrame, *, first: int = 2022, last: int = 2025) -> pd.DataFrame:
    """Rows of the record flagged *reactive* (acts that answer China–Russia cooperation).

    These are the Western sanctions and export controls on Chinese suppliers of Russia's
    military and the secondary-sanctions authority over foreign banks. Returns ``id, date,
    year, actor, pressure_code, event, source_url, source_tier, confidence`` for
    ``first <= year <= last``, oldest first; every row is returned, weak ones included (the
    ``confidence`` column says which are weak).
    """
    require_columns(
        actions,
        ("id", "date", "year", "actor", "pressure_code", "event", "reactive", "source_url"),
        "reactive_acts",
    )
    if first > last:
        raise ValueError(f"reactive_acts: first {first} is after last {last}")
    years = actions["year"].astype(int)
    rows = actions.loc[actions["reactive"].astype(bool) & years.between(first, last)]
    cols = [
        "id",
        "date",
        "year",
        "actor",
        "pressure_code",
        "event",
        "source_url",
        "source_tier",
        "confidence",
    ]
    return rows.loc[:, [c for c in cols if c in rows.columns]].sort_values(["date", "id"])


def record_facts(
    actions: pd.DataFrame, params: models.StaticParams | None = None
) -> dict[str, int | float | str]:
    """The numbers chapter 3 prints about the pressure record and the model run on it.

    Keys (all glued into the prose): ``rows``, ``rows_to_2018``, ``rows_from_2019``,
    ``weak_rows``; the combined index in 2018, 2022 and 2024 (``combined_2018`` …) and its
    ``peak_year``; ``peak_one_year`` (half-life 1) and ``peak_no_reactive``; the range of
    the China-directed index in 2022–2025 without reactive acts (``china_noreact_lo/hi``);
    ``weak_max_shift`` (largest change of any index value when weak rows count);
    ``reactive_rows`` and ``reactive_weak`` (2022–2025); and for the static model fed with
    the combined index: ``model_entente_first`` and ``model_entente_last`` (first and last
    year at or above θ_E; 0 if none), ``model_c_max``, ``model_c_max_year`` and
    ``model_alliance_years``.
    """
    params = _check_static(params)
    years = actions["year"].astype(int)
    idx = pressure.record_indices(actions).pivot(index="year", columns="index", values="value")
    combined = idx["combined"]

    def peak(**kw) -> int:
        return int(pressure.record_index(actions, **kw).set_index("year")["value"].idxmax())

    noreact = pressure.record_index(actions, index="China", include_reactive=False)
    late = noreact.set_index("year").loc[2022:2025, "value"]
    weak = pressure.record_indices(actions, include_weak=True).pivot(
        index="year", columns="index", values="value"
    )
    react = reactive_acts(actions)
    run = record_model_frame(actions, params).set_index("year")
    entente = run.index[run["C"] >= params.theta_E].tolist()
    return {
        "rows": len(actions),
        "rows_to_2018": int((years <= 2018).sum()),
        "rows_from_2019": int((years >= 2019).sum()),
        "weak_rows": int((actions["confidence"] == "weak").sum()),
        "combined_2018": float(combined[2018]),
        "combined_2022": float(combined[2022]),
        "combined_2024": float(combined[2024]),
        "peak_year": int(combined.idxmax()),
        "peak_one_year": peak(half_life=1.0),
        "peak_no_reactive": peak(include_reactive=False),
        "china_noreact_lo": float(late.min()),
        "china_noreact_hi": float(late.max()),
        "weak_max_shift": float((weak - idx).abs().to_numpy().max()),
        "reactive_rows": len(react),
        "reactive_weak": int((react["confidence"] == "weak").sum()),
        "model_entente_first": int(entente[0]) if entente else 0,
        "model_entente_last": int(entente[-1]) if entente else 0,
        "model_c_max": float(run["C"].max()),
        "model_c_max_year": int(run["C"].idxmax()),
        "model_alliance_years": int((run["C"] >= params.theta_A).sum()),
    }
