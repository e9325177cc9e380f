"""Chapter 11, "Out of sample": freeze the models on 1996-2018, then score them on 2019-2024.

This module is the glue between ``data/``, :mod:`reluctant_allies.pressure` and
:mod:`reluctant_allies.models.fitting` (domain.md §3e). It enforces the order of the test:

1. :func:`proxy_table` with ``last_year=2018`` builds the proxies of the calibration window
   only; :func:`freeze` refuses any row after 2018, fits the static and dynamic models and
   the two baselines (linear trend, random walk) and freezes everything a forecast needs
   (parameters, observation coefficients, the calibration min-max scale).
2. :func:`pressure_scenarios` states how pressure S runs in 2019-2023, where the coded
   index has no events (held at its 2018 level, fading as coded, back to the calibration
   mean), and :func:`forecast` turns the frozen models into predictions for every year.
3. Only then :func:`holdout_errors` reads the 2019-2024 observations and scores the
   forecasts; :func:`comparison_table` puts in-sample criteria (AIC, AICc, BIC) and
   hold-out errors (RMSE, MAE) in one table.

The proxies, the S scenarios and the scorecard are **the book's reconstruction**, not the
article's: Korolev & Portyakov (2019) make no numerical forecast. Everything here is
deterministic (seeded optimiser starts, no other randomness).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .. import models, pressure
from .._checks import require_columns
from ..indicators import trade_gdp_ratio, turnover_by_producer
from ..models.core import simulate_reference
from ..models.fitting import DEFAULT_BOUNDS, FitResult

__all__ = [
    "CALIBRATION",
    "HOLDOUT",
    "PROXIES",
    "MAIN_PROXIES",
    "FIRST_EDITION_PROXIES",
    "PROXY_SETS",
    "SCENARIOS",
    "RECORD_SCALE",
    "DELTA_M_RANGE",
    "FORECASTS",
    "ProxySpec",
    "Frozen",
    "proxy_table",
    "proxy_producers",
    "calibration_pressure",
    "pressure_scenarios",
    "record_pressure",
    "record_scenarios",
    "freeze",
    "forecast",
    "holdout_errors",
    "comparison_table",
    "parameter_table",
    "observation_table",
    "hurdle_tests",
    "sig",
    "library_crosscheck",
    "conditional_table",
    "conditional_tables",
    "conditional_verdict",
    "proxy_set_table",
    "hurdle_measures",
    "hurdle_trade_correlation",
]

#: Calibration window (the article's horizon) and hold-out window (data end in 2024).
CALIBRATION: tuple[int, int] = (1996, 2018)
HOLDOUT: tuple[int, int] = (2019, 2024)


@dataclass(frozen=True)
class ProxySpec:
    """One observed proxy: what it measures, in which unit, and the sign it should load."""

    label: str
    latent: str
    unit: str
    expected_sign: int
    note: str


#: The proxies of the chapter, in display order (domain.md §3e, chosen from data/).
PROXIES: dict[str, ProxySpec] = {
    "unga_agreement": ProxySpec(
        "UNGA agreement China–Russia",
        "C",
        "share of votes alike",
        +1,
        "Voeten et al. (June 2024), by UN session (year the session opens); the anchor",
    ),
    "ideal_point_gap": ProxySpec(
        "UNGA ideal-point gap",
        "C",
        "|China − Russia|, ideal-point units",
        -1,
        "Voeten idealpointfp (July 2025), by calendar year; a smaller gap = closer",
    ),
    "dependence_gap": ProxySpec(
        "Trade dependence gap",
        "H_e",
        "pp of GDP (Russia's minus China's)",
        +1,
        "turnover as % of Russia's GDP minus as % of China's; COW to 2014, BACI from 2017",
    ),
    "vciom_not_friendly": ProxySpec(
        "VTsIOM: not 'friendly'",
        "H_m",
        "% not calling relations friendly",
        +1,
        "100 − share calling relations friendly or good-neighbourly (VTsIOM only)",
    ),
    # second edition: measures of the economic hurdle itself (review W2) and the arms
    # variant (W3); read only when proxy_table is given the table they come from
    "trade_share_dependence": ProxySpec(
        "China's share of Russia's trade",
        "H_e",
        "% of Russia's total trade",
        +1,
        "the dependent side of the share asymmetry; COW to 2014, IMF DOTS from 2015 "
        "(China's side of the asymmetry is in the table only to 2014)",
    ),
    "mineral_share": ProxySpec(
        "Mineral products in Russia's exports to China",
        "H_e",
        "% of Russia's exports to China (HS section 5)",
        +1,
        "composition: fuels and ores for manufactures; BACI, 2017–2023 only",
    ),
    "arms_tiv": ProxySpec(
        "Russian arms deliveries to China",
        "C",
        "SIPRI TIV, millions",
        +1,
        "SIPRI trend-indicator values by year of delivery; a sensitivity variant only",
    ),
}
LATENT: dict[str, str] = {k: v.latent for k, v in PROXIES.items()}

#: The first edition's four proxies (its hurdle proxy is proportional to trade, review W2).
FIRST_EDITION_PROXIES: tuple[str, ...] = (
    "unga_agreement",
    "ideal_point_gap",
    "dependence_gap",
    "vciom_not_friendly",
)
#: The second edition's main set: the economic hurdle is measured by a share of trade,
#: not by trade scaled by GDP.
MAIN_PROXIES: tuple[str, ...] = (
    "unga_agreement",
    "ideal_point_gap",
    "trade_share_dependence",
    "vciom_not_friendly",
)
#: The variants chapter 11 runs beside the main set (the choice of hurdle proxy, W2, and the
#: arms-transfer variant, W3). The mineral-products share is not among them: with two
#: calibration years (2017-18) its fit is not stable (a 1e-9 jitter moves the third digit of
#: its hold-out error), so it enters only the scorecard's hurdle measures.
PROXY_SETS: dict[str, tuple[str, ...]] = {
    "main: trade-share dependence": MAIN_PROXIES,
    "hurdle = dependence gap (first edition)": FIRST_EDITION_PROXIES,
    "main + arms transfers": (*MAIN_PROXIES, "arms_tiv"),
}

#: How S runs after 2018, where the events table has no coded Western action.
SCENARIOS: dict[str, str] = {
    "observed": "as observed in the pressure record (the conditional forecast)",
    "held": "held at its 2018 level",
    "fading": "fading as coded (no new events, 3-year half-life)",
    "mean": "back to its 1996–2018 mean",
}

MODEL_ORDER = ("static model", "dynamic model", "linear trend", "random walk")
VTSIOM_QUESTION = "Russia–China relations are friendly or good-neighbourly (as reported)"


#: Significant digits of every number this module prints. The fits stop at
#: models.fitting.TOLERANCE, where starts that agree differ by about 3e-6 in the
#: parameters; three digits keep the last printed unit far above that (the margin is
#: measured by tests/test_perturbation.py, which fails when a fourth digit is printed).
DIGITS = 3


def sig(x: float, digits: int = DIGITS) -> float:
    """``x`` rounded to ``digits`` significant digits; |x| < 1e-6 becomes 0 (nbval-stable)."""
    if x is None or not math.isfinite(float(x)):
        return float(x) if x is not None else math.nan
    if abs(x) < 1e-6:
        return 0.0
    return float(f"{float(x):.{digits}g}")


# ---------------------------------------------------------------------------- proxies


def proxy_producers(trade: pd.DataFrame, power: pd.DataFrame) -> pd.DataFrame:
    """The dependence gap by year with the trade producer behind each value (for the chart)."""
    ratio = trade_gdp_ratio(trade, power)
    wide = ratio.pivot_table(index=["year", "source"], columns="of", values="pct").reset_index()
    wide["dependence_gap"] = wide["as % of Russia's GDP"] - wide["as % of China's GDP"]
    if wide["year"].duplicated().any():
        dup = sorted(set(wide.loc[wide["year"].duplicated(), "year"]))
        raise ValueError(f"proxy_producers: two trade producers in year(s) {dup}; pick one")
    return wide.loc[:, ["year", "source", "dependence_gap"]].reset_index(drop=True)


def _unga_proxies(unga: pd.DataFrame, who: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """China–Russia UNGA agreement (``year``, ``value``) and the ideal-point gap by year."""
    agree = unga.loc[(unga["measure"] == "agreement") & (unga["subject"] == "China–Russia")]
    if agree.empty:
        raise ValueError(f"{who}: unga has no 'agreement' rows for 'China–Russia'")
    agree = agree.assign(year=agree["year"].astype(int))[["year", "value"]]
    ideal = unga.loc[unga["measure"] == "ideal point"].pivot_table(
        index="year", columns="subject", values="value"
    )
    if not {"China", "Russia"} <= set(ideal.columns):
        raise ValueError(f"{who}: unga lacks 'ideal point' rows for China and Russia")
    gap = (ideal["China"] - ideal["Russia"]).abs().rename("ideal_point_gap").reset_index()
    gap["year"] = gap["year"].astype(int)
    return agree, gap


def proxy_table(
    unga: pd.DataFrame,
    trade: pd.DataFrame,
    power: pd.DataFrame,
    opinion: pd.DataFrame,
    *,
    shares: pd.DataFrame | None = None,
    composition: pd.DataFrame | None = None,
    arms: pd.DataFrame | None = None,
    first_year: int = CALIBRATION[0],
    last_year: int = HOLDOUT[1],
) -> pd.DataFrame:
    """The proxies in their own units, one row per year ``first_year..last_year``.

    Always the first edition's four; with ``shares`` (``trade_shares``) also
    ``trade_share_dependence``, with ``composition`` (``trade_composition``) also
    ``mineral_share``, with ``arms`` (``arms_transfers``) also ``arms_tiv``. NaN where a
    proxy is not observed (a gap stays a gap). Pass ``last_year=2018`` to build the
    calibration data without touching any later row.
    """
    who = "proxy_table"
    require_columns(unga, ("year", "measure", "subject", "value"), who, what="table 'unga'")
    require_columns(
        opinion, ("pollster", "year", "question", "share_pct"), who, what="table 'opinion'"
    )
    if not (isinstance(first_year, int) and isinstance(last_year, int)) or first_year > last_year:
        raise ValueError(f"{who}: need integer years first_year <= last_year")
    years = pd.DataFrame({"year": np.arange(first_year, last_year + 1)})

    agree, gap = _unga_proxies(unga, who)

    dep = proxy_producers(trade, power)[["year", "dependence_gap"]]

    v = opinion.loc[(opinion["pollster"] == "VTsIOM") & (opinion["question"] == VTSIOM_QUESTION)]
    if v.empty:
        raise ValueError(f"{who}: opinion has no VTsIOM rows for {VTSIOM_QUESTION!r}")
    vt = pd.DataFrame(
        {"year": v["year"].astype(int), "vciom_not_friendly": 100.0 - v["share_pct"].astype(float)}
    )

    out = (
        years.merge(agree.rename(columns={"value": "unga_agreement"}), on="year", how="left")
        .merge(gap, on="year", how="left")
        .merge(dep, on="year", how="left")
        .merge(vt, on="year", how="left")
    )
    extra = []
    if shares is not None:
        extra.append(_share_dependence(shares))
    if composition is not None:
        extra.append(_mineral_share(composition))
    if arms is not None:
        extra.append(_arms_tiv(arms))
    for frame in extra:
        out = out.merge(frame, on="year", how="left")
    out["year"] = out["year"].astype(int)
    cols = [c for c in PROXIES if c in out.columns]
    return out.loc[:, ["year", *cols]].astype({c: float for c in cols})


#: The last year the COW share series is used before IMF DOTS takes over (one break).
SHARE_BREAK = 2014


def _share_dependence(shares: pd.DataFrame) -> pd.DataFrame:
    """China's share of Russia's total trade (%): COW to 2014, IMF DOTS from 2015."""
    from .economy import trade_share_lines  # same layer; economy owns the share table

    lines = trade_share_lines(shares)
    ru = lines.loc[lines["country"] == "Russia"]
    cow = ru.loc[(ru["source"] == "cow_trade_v4") & (ru["year"] <= SHARE_BREAK)]
    dots = ru.loc[(ru["source"] == "imf_dots") & (ru["year"] > SHARE_BREAK)]
    if cow.empty or dots.empty:
        raise ValueError(
            "proxy_table: trade_shares needs Russia's total shares from cow_trade_v4 "
            f"(to {SHARE_BREAK}) and imf_dots (after {SHARE_BREAK})"
        )
    both = pd.concat([cow, dots])[["year", "pct"]]
    return both.rename(columns={"pct": "trade_share_dependence"})


def _mineral_share(composition: pd.DataFrame) -> pd.DataFrame:
    """Share (%) of HS section 5 (mineral products) in Russia's exports to China."""
    require_columns(
        composition,
        ("year", "direction", "hs_section", "share"),
        "proxy_table",
        what="table 'trade_composition'",
    )
    rows = composition.loc[
        (composition["direction"] == "Russia to China") & (composition["hs_section"] == 5)
    ]
    if rows.empty:
        raise ValueError("proxy_table: trade_composition has no HS 5 rows for Russia to China")
    if rows["year"].duplicated().any():
        raise ValueError("proxy_table: trade_composition has two HS 5 rows in one year")
    return pd.DataFrame(
        {"year": rows["year"].astype(int), "mineral_share": 100.0 * rows["share"].astype(float)}
    )


def _arms_tiv(arms: pd.DataFrame) -> pd.DataFrame:
    """SIPRI TIV of Russia's deliveries of major arms to China, by year of delivery."""
    require_columns(
        arms, ("year", "recipient", "tiv_m"), "proxy_table", what="table 'arms_transfers'"
    )
    rows = arms.loc[arms["recipient"] == "China"]
    if rows.empty:
        raise ValueError("proxy_table: arms_transfers has no rows with recipient 'China'")
    return pd.DataFrame({"year": rows["year"].astype(int), "arms_tiv": rows["tiv_m"].astype(float)})


# ---------------------------------------------------------------------------- pressure


def calibration_pressure(events: pd.DataFrame, *, end: int = CALIBRATION[1], **kwargs):
    """The chapter-3 pressure index coded up to ``end`` (year, value), default rules."""
    index = pressure.pressure_index(events, end=end, **kwargs)
    return index.loc[:, ["year", "value"]].reset_index(drop=True)


def pressure_scenarios(
    S_cal: pd.DataFrame,
    events: pd.DataFrame,
    *,
    through: int = HOLDOUT[1] - 1,
    half_life: float = pressure.DEFAULT_HALF_LIFE,
) -> pd.DataFrame:
    """S paths for the hold-out, one per :data:`SCENARIOS` key, appended to ``S_cal``.

    Long format: ``scenario, year, value, window`` (window = "coded" up to the last year of
    ``S_cal``, then "assumed"). The model state in year y needs S up to y - 1, so paths run
    to ``through`` (2023 for a 2024 forecast).
    """
    require_columns(S_cal, ("year", "value"), "pressure_scenarios", what="table 'S_cal'")
    cal_years = S_cal["year"].astype(int).to_numpy()
    last = int(cal_years.max())
    if through <= last:
        raise ValueError(f"pressure_scenarios: through={through} must be after {last}")
    later = np.arange(last + 1, through + 1)
    window = S_cal["year"].between(*CALIBRATION)
    fading = pressure.pressure_index(events, end=through, half_life=half_life)
    coded = fading.set_index("year").loc[cal_years, "value"].to_numpy()
    if not np.allclose(coded, S_cal["value"].to_numpy()):
        raise ValueError(
            "pressure_scenarios: S_cal differs from the index coded with the same rules; "
            "pass the half_life it was coded with"
        )
    tails = {
        "held": np.full(len(later), float(S_cal["value"].iloc[-1])),
        "fading": fading.set_index("year").loc[later, "value"].to_numpy(),
        "mean": np.full(len(later), float(S_cal.loc[window, "value"].mean())),
    }
    frames = []
    for name, tail in tails.items():
        frames.append(
            pd.DataFrame(
                {
                    "scenario": name,
                    "year": np.r_[cal_years, later].astype(int),
                    "value": np.r_[S_cal["value"].to_numpy(dtype=float), tail],
                    "window": ["coded"] * len(cal_years) + ["assumed"] * len(later),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


#: The scale of the second-edition index: the record's whole window, as chapter 3 prints it.
RECORD_SCALE: tuple[int, int] = (pressure.FIRST_YEAR, pressure.LAST_YEAR)


def record_pressure(
    actions: pd.DataFrame, *, index: str = "combined", end: int = CALIBRATION[1], **kwargs
) -> pd.DataFrame:
    """The second-edition index (``pressure.record_index``) from 1991 to ``end``: year, value.

    Scaled, as chapter 3 prints it, by the combined index's peak over the record's whole
    window (:data:`RECORD_SCALE`, 1991–2025), so that calibration and hold-out values sit
    on one scale inside [0, 1] (the models' pressure range). The scale is the only way
    later acts reach the calibration input; no 2019+ *outcome* does.
    """
    full = pressure.record_index(actions, index=index, start=RECORD_SCALE[0], **kwargs)
    out = full.loc[full["year"] <= end, ["year", "value"]]
    return out.reset_index(drop=True)


def record_scenarios(
    actions: pd.DataFrame,
    *,
    index: str = "combined",
    last_coded: int = CALIBRATION[1],
    through: int = HOLDOUT[1] - 1,
    **kwargs,
) -> pd.DataFrame:
    """Hold-out S paths from the pressure record: "observed" and "held" (at ``last_coded``).

    "observed" feeds the record's values for ``last_coded + 1 .. through`` into the frozen
    models (the conditional forecast: pressure is exogenous in them); "held" keeps S at its
    ``last_coded`` level, the first edition's assumption. Long format as
    :func:`pressure_scenarios` (``window`` = "coded" to ``last_coded``, then "observed" or
    "assumed").
    """
    if through <= last_coded:
        raise ValueError(f"record_scenarios: through={through} must be after {last_coded}")
    S = record_pressure(actions, index=index, end=through, **kwargs)
    cal = S.loc[S["year"] <= last_coded]
    later = S.loc[S["year"] > last_coded]
    held = later.assign(value=float(cal["value"].iloc[-1]))
    frames = []
    for name, tail, label in (("observed", later, "observed"), ("held", held, "assumed")):
        frames.append(
            pd.DataFrame(
                {
                    "scenario": name,
                    "year": np.r_[cal["year"], tail["year"]].astype(int),
                    "value": np.r_[cal["value"], tail["value"]].astype(float),
                    "window": ["coded"] * len(cal) + [label] * len(tail),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _path(paths: pd.DataFrame, scenario: str) -> pd.DataFrame:
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown S scenario {scenario!r}; choose from {list(SCENARIOS)}")
    one = paths.loc[paths["scenario"] == scenario, ["year", "value"]]
    if one.empty:
        raise ValueError(f"S paths hold no rows for scenario {scenario!r}")
    return one.reset_index(drop=True)


# ---------------------------------------------------------------------------- freeze


@dataclass(frozen=True)
class Frozen:
    """Everything a forecast needs, fixed at the end of the calibration window."""

    fits: dict[str, FitResult]  # in-sample results from models.fitting, by model name
    scale: pd.DataFrame  # proxy, min, range (calibration min-max)
    trend: pd.DataFrame  # proxy, intercept, slope (per year, standardised units)
    last_value: dict[str, float]  # random walk: last calibration value (standardised)
    calibration: tuple[int, int]
    seed: int
    proxies: tuple[str, ...] = FIRST_EDITION_PROXIES  # the proxies fitted, in order
    fixed: tuple[tuple[str, float], ...] = ()  # dynamic-model parameters held, not fitted

    def standardise(self, proxies: pd.DataFrame) -> pd.DataFrame:
        """Proxies on the calibration scale (0 = calibration min, 1 = calibration max)."""
        out = proxies.copy()
        for row in self.scale.itertuples():
            out[row.proxy] = (proxies[row.proxy] - row.min) / row.range
        return out

    def to_units(self, proxy: str, values):
        """Standardised values back in the proxy's own units."""
        row = self.scale.set_index("proxy").loc[proxy]
        return np.asarray(values, dtype=float) * row["range"] + row["min"]


def _check_unseen(
    calibration_proxies: pd.DataFrame, S_cal: pd.DataFrame, calibration: tuple[int, int], who: str
) -> None:
    """Raise if the proxies or the index hold a year outside the calibration window."""
    c0, c1 = calibration
    late = sorted(
        int(y) for y in calibration_proxies["year"] if y > c1 or y < c0
    )  # any year outside the window
    if late:
        raise ValueError(
            f"{who}: calibration_proxies has year(s) {late} outside the calibration window "
            f"{c0}–{c1}; build them with proxy_table(..., last_year={c1}) so the hold-out "
            "stays unseen"
        )
    if int(S_cal["year"].max()) > c1:
        raise ValueError(f"{who}: S_cal runs past {c1}; freeze with the coded index only")


def _proxy_scales(
    frame: pd.DataFrame, proxies: tuple[str, ...], calibration: tuple[int, int]
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """Per proxy: its calibration min and range, its linear trend on the standardised scale
    and its last standardised value (what :class:`Frozen` needs to forecast and convert)."""
    scale, trend, last = [], [], {}
    std = models.standardise(frame, calibration)
    for col in proxies:
        obs = frame[col].dropna()
        scale.append((col, float(obs.min()), float(obs.max() - obs.min())))
        ok = std[col].notna()
        slope, intercept = np.polyfit(std.loc[ok, "year"].astype(float), std.loc[ok, col], 1)
        trend.append((col, float(intercept), float(slope)))
        last[col] = float(std.loc[ok, col].iloc[-1])
    return (
        pd.DataFrame(scale, columns=["proxy", "min", "range"]),
        pd.DataFrame(trend, columns=["proxy", "intercept", "slope"]),
        last,
    )


def freeze(
    calibration_proxies: pd.DataFrame,
    S_cal: pd.DataFrame,
    *,
    calibration: tuple[int, int] = CALIBRATION,
    seed: int = 0,
    n_starts: int = 8,
    proxies: tuple[str, ...] = MAIN_PROXIES,
    fixed: dict[str, float] | None = None,
) -> Frozen:
    """Fit the four models on the calibration window only and freeze them.

    Refuses proxies with any row after the calibration window (the hold-out must not be
    seen). ``proxies`` names the columns fitted (default :data:`MAIN_PROXIES`; the variants
    are in :data:`PROXY_SETS`). Static and dynamic models: :func:`models.fit_static` /
    :func:`models.fit_dynamic` with their default free parameters; baselines:
    :func:`models.baseline_trend` and :func:`models.baseline_random_walk`. ``fixed``
    holds dynamic-model parameters at given values instead of fitting them (chapter 11
    fixes ``delta_m``, which the calibration years cannot place: :data:`DELTA_M_RANGE`).
    """
    who = "freeze"
    proxies = _check_proxies(proxies, who)
    dyn = _fixed_kw(fixed, who)
    require_columns(
        calibration_proxies, ("year", *proxies), who, what="table 'calibration_proxies'"
    )
    _check_unseen(calibration_proxies, S_cal, calibration, who)
    frame = calibration_proxies.loc[:, ["year", *proxies]].reset_index(drop=True)
    LATENT = {p: PROXIES[p].latent for p in proxies}  # noqa: N806 (shadows the module map)
    spec = models.FitSpec(calibration=calibration, holdout=None, seed=seed, n_starts=n_starts)
    fits = {
        "static model": models.fit_static(frame, S_cal, LATENT, spec),
        "dynamic model": models.fit_dynamic(frame, S_cal, LATENT, replace(spec, **dyn)),
        "linear trend": models.baseline_trend(frame, list(proxies), **_bkw(calibration)),
        "random walk": models.baseline_random_walk(frame, list(proxies), **_bkw(calibration)),
    }
    scale, trend, last = _proxy_scales(frame, proxies, calibration)
    return Frozen(
        fits=fits,
        scale=scale,
        trend=trend,
        last_value=last,
        calibration=calibration,
        seed=seed,
        proxies=proxies,
        fixed=tuple(sorted((fixed or {}).items())),
    )


#: The policy effect on the memory hurdle, delta_m, is not identified by 1996-2018 on the
#: record's index: pressure passes the threshold s0 only in 2017-18, after the last VTsIOM
#: calibration year, so every value in its search box fits equally well (to 1e-9 in the
#: cost). Chapter 11 therefore runs the dynamic model at both ends of the box.
DELTA_M_RANGE: tuple[float, float] = (0.0, 0.3)


def _fixed_kw(fixed: dict[str, float] | None, who: str) -> dict:
    """``free`` and ``base`` keywords that hold ``fixed`` dynamic parameters at their values."""
    if not fixed:
        return {}
    from ..models.fitting import DYNAMIC_FREE

    unknown = sorted(set(fixed) - set(DYNAMIC_FREE))
    if unknown:
        raise ValueError(f"{who}: fixed names {unknown} are not free dynamic parameters")
    for name, value in fixed.items():
        lo, hi = DEFAULT_BOUNDS[name]
        if not lo <= float(value) <= hi:
            raise ValueError(f"{who}: fixed {name}={value!r} lies outside its box [{lo}, {hi}]")
    return {
        "free": tuple(p for p in DYNAMIC_FREE if p not in fixed),
        "base": models.DynamicParams(**{k: float(v) for k, v in fixed.items()}),
    }


def _check_proxies(proxies, who: str) -> tuple[str, ...]:
    proxies = tuple(proxies)
    unknown = [p for p in proxies if p not in PROXIES]
    if unknown or not proxies:
        raise ValueError(f"{who}: proxies must be names from {list(PROXIES)}, got {unknown}")
    if not any(PROXIES[p].latent == "C" for p in proxies):
        raise ValueError(f"{who}: proxies need at least one cooperation (C) proxy")
    return proxies


def _bkw(calibration, holdout=None):
    return dict(calibration=calibration, holdout=holdout)


# ---------------------------------------------------------------------------- forecast


def _model_path(fit: FitResult, S: pd.DataFrame, start: int, years: np.ndarray):
    """Frozen parameters driven by S: predicted (standardised) proxies for ``years``."""
    S = S.sort_values("year")
    need = np.arange(start, int(years.max()))
    have = S["year"].astype(int).to_numpy()
    missing = np.setdiff1d(need, have)
    if missing.size:
        raise ValueError(f"forecast: S path lacks year(s) {missing.tolist()}")
    s = S.set_index("year").loc[need, "value"].to_numpy(dtype=float)
    C, He, Hm = simulate_reference(fit.params, s)
    paths = {"C": np.asarray(C), "H_e": np.asarray(He), "H_m": np.asarray(Hm)}
    coef = fit.observation.set_index("proxy")
    rows = []
    for proxy in coef.index:
        L = paths[PROXIES[proxy].latent][years - start]
        rows.append(
            pd.DataFrame(
                {
                    "proxy": proxy,
                    "year": years,
                    "latent": L,
                    "predicted": coef.loc[proxy, "a"] + coef.loc[proxy, "b"] * L,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def forecast(
    frozen: Frozen,
    paths: pd.DataFrame,
    *,
    last_year: int = HOLDOUT[1],
) -> pd.DataFrame:
    """Predictions of every frozen model for every year of the calibration start..last_year.

    Long format: ``model, scenario, proxy, year, predicted`` (standardised) and
    ``predicted_units`` (the proxy's own units). Static and dynamic models get one run per
    S scenario in ``paths``; the baselines do not read S (scenario = "none"). The random
    walk predicts only the hold-out (its in-sample fit is one step ahead).
    """
    require_columns(paths, ("scenario", "year", "value"), "forecast", what="table 'paths'")
    start = frozen.calibration[0]
    years = np.arange(start, last_year + 1)
    frames = []
    for name in ("static model", "dynamic model"):
        for scenario in [s for s in SCENARIOS if s in set(paths["scenario"])]:
            f = _model_path(frozen.fits[name], _path(paths, scenario), start, years)
            frames.append(f.assign(model=name, scenario=scenario).drop(columns="latent"))
    hold = years[years > frozen.calibration[1]]
    for row in frozen.trend.itertuples():
        frames.append(
            pd.DataFrame(
                {
                    "model": "linear trend",
                    "scenario": "none",
                    "proxy": row.proxy,
                    "year": years,
                    "predicted": row.intercept + row.slope * years,
                }
            )
        )
        frames.append(
            pd.DataFrame(
                {
                    "model": "random walk",
                    "scenario": "none",
                    "proxy": row.proxy,
                    "year": hold,
                    "predicted": frozen.last_value[row.proxy],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    out["predicted_units"] = np.nan
    for proxy in frozen.proxies:
        m = out["proxy"] == proxy
        out.loc[m, "predicted_units"] = frozen.to_units(proxy, out.loc[m, "predicted"])
    return out.loc[:, ["model", "scenario", "proxy", "year", "predicted", "predicted_units"]]


# ---------------------------------------------------------------------------- scores


def holdout_errors(
    forecasts: pd.DataFrame,
    observed: pd.DataFrame,
    frozen: Frozen,
    *,
    holdout: tuple[int, int] = HOLDOUT,
) -> pd.DataFrame:
    """Hold-out errors (standardised units) by model, scenario and proxy, plus "all proxies".

    Columns: ``model, scenario, proxy, n, RMSE, MAE``. Only observed proxy-years of the
    hold-out window count; "all proxies" pools them (as models.fitting does).
    """
    proxies = list(frozen.proxies)
    require_columns(observed, ("year", *proxies), "holdout_errors", what="table 'observed'")
    obs = frozen.standardise(observed.loc[observed["year"].between(*holdout), ["year", *proxies]])
    long = obs.melt(id_vars="year", value_vars=proxies, var_name="proxy").dropna()
    if long.empty:
        raise ValueError(f"holdout_errors: no observation in {holdout[0]}–{holdout[1]}")
    merged = forecasts.merge(long, on=["proxy", "year"], how="inner")
    merged["error"] = merged["value"] - merged["predicted"]
    rows = []
    for (model, scenario), grp in merged.groupby(["model", "scenario"], sort=False):
        for proxy, part in [*grp.groupby("proxy", sort=False), ("all proxies", grp)]:
            e = part["error"].to_numpy()
            rows.append(
                (model, scenario, proxy, len(e), np.sqrt(np.mean(e**2)), np.mean(np.abs(e)))
            )
    out = pd.DataFrame(rows, columns=["model", "scenario", "proxy", "n", "RMSE", "MAE"])
    order = {p: i for i, p in enumerate([*proxies, "all proxies"])}
    return out.sort_values(
        ["model", "scenario", "proxy"],
        key=lambda c: c.map(order) if c.name == "proxy" else c.map(_model_rank),
        kind="stable",
    ).reset_index(drop=True)


def _model_rank(x):
    return MODEL_ORDER.index(x) if x in MODEL_ORDER else x


def comparison_table(
    frozen: Frozen, errors: pd.DataFrame, *, scenario: str = "held", digits: int = DIGITS
) -> pd.DataFrame:
    """One table: in-sample n, parameters, RSS, AIC, AICc, BIC; hold-out n, RMSE, MAE.

    In-sample numbers come from models.fitting (:func:`models.score_table`); hold-out
    errors pool all proxies, with S run as ``scenario`` for the two models that read it.
    Rounded to ``digits`` significant digits.
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"comparison_table: unknown scenario {scenario!r}")
    table = models.score_table(*(frozen.fits[m] for m in MODEL_ORDER))
    pooled = errors.loc[errors["proxy"] == "all proxies"]
    rows = []
    for _, r in table.iterrows():
        want = "none" if r["model"] in ("linear trend", "random walk") else scenario
        e = pooled.loc[(pooled["model"] == r["model"]) & (pooled["scenario"] == want)]
        if len(e) != 1:
            raise ValueError(f"comparison_table: no hold-out error for {r['model']} ({want})")
        e = e.iloc[0]
        rows.append(
            {
                "model": r["model"],
                "n": int(r["n"]),
                "parameters": int(r["params"]),
                "RSS": sig(r["RSS"], digits),
                "AIC": sig(r["AIC"], digits),
                "AICc": sig(r["AICc"], digits),
                "BIC": sig(r["BIC"], digits),
                "hold-out n": int(e["n"]),
                "hold-out RMSE": sig(e["RMSE"], digits),
                "hold-out MAE": sig(e["MAE"], digits),
            }
        )
    return pd.DataFrame(rows).set_index("model")


def parameter_table(frozen: Frozen, *, digits: int = DIGITS) -> pd.DataFrame:
    """The frozen estimates of the static and dynamic models, with their search bounds."""
    rows = []
    est = {m: frozen.fits[m].estimates for m in ("static model", "dynamic model")}
    names = list(dict.fromkeys([*est["static model"], *est["dynamic model"]]))
    for name in names:
        lo, hi = DEFAULT_BOUNDS[name]
        row = {"parameter": name, "bounds": f"[{lo:g}, {hi:g}]"}
        flags = []
        for model, values in est.items():
            v = values.get(name)
            row[model] = sig(v, digits) if v is not None else "–"
            if v is not None and (abs(v - lo) < 1e-4 * (hi - lo) or abs(v - hi) < 1e-4 * (hi - lo)):
                flags.append(model.split()[0])
        row["at a bound in"] = ", ".join(flags)
        rows.append(row)
    return pd.DataFrame(rows).set_index("parameter")


def observation_table(frozen: Frozen, *, digits: int = DIGITS) -> pd.DataFrame:
    """Observation coefficients y = a + b·latent of each proxy, with a sign check.

    ``b`` = 0 means the latent never moves in that model (static hurdles): the proxy is
    predicted by its calibration mean. A sign opposite to :attr:`ProxySpec.expected_sign`
    means the model reads the proxy backwards.
    """
    rows = []
    for model in ("static model", "dynamic model"):
        obs = frozen.fits[model].observation.set_index("proxy")
        for proxy in frozen.proxies:
            spec = PROXIES[proxy]
            b = float(obs.loc[proxy, "b"])
            check = _loading_check(b, spec)
            rows.append(
                {
                    "model": model,
                    "proxy": proxy,
                    "latent": spec.latent,
                    "a": sig(obs.loc[proxy, "a"], digits),
                    "b": sig(b, digits),
                    "expected sign": "+" if spec.expected_sign > 0 else "−",
                    "check": check,
                }
            )
    return pd.DataFrame(rows).set_index(["model", "proxy"])


def _loading_check(b: float, spec: ProxySpec) -> str:
    """'mean only' (b = 0), 'ok' (b has the expected sign) or 'reversed'."""
    if abs(b) < 1e-9:
        return "mean only"
    return "ok" if np.sign(b) == spec.expected_sign else "reversed"


# ---------------------------------------------------------------------------- the C4 test


def hurdle_tests(
    calibration_proxies: pd.DataFrame,
    S_cal: pd.DataFrame,
    themed_years: pd.DataFrame | None = None,
    *,
    digits: int = DIGITS,
    proxies: tuple[str, ...] = MAIN_PROXIES,
) -> pd.DataFrame:
    """models.hurdle_pressure_test on each hurdle proxy: dH_t on S_{t-1} vs a no-S null.

    Run on the calibration window only (the coded index ends in 2018). With
    ``themed_years``, a second run adds a dummy for years in which a themed year ran.
    A proxy with too few consecutive-year changes is reported with n and no test.
    Columns: n (changes), slope on S_{t-1}, s.e., p, ΔAIC (with S minus without) and MDE80
    (the smallest |slope| detected with 80% power at the 5% level).
    """
    proxies = _check_proxies(proxies, "hurdle_tests")
    require_columns(
        calibration_proxies, ("year", *proxies), "hurdle_tests", what="table 'calibration_proxies'"
    )
    policy = None
    if themed_years is not None:
        require_columns(
            themed_years, ("first_year", "last_year"), "hurdle_tests", what="table 'themed_years'"
        )
        yrs = calibration_proxies["year"].astype(int)
        active = np.zeros(len(yrs))
        for r in themed_years.itertuples():
            active[(yrs >= int(r.first_year)) & (yrs <= int(r.last_year))] = 1.0
        policy = pd.DataFrame({"year": yrs.to_numpy(), "themed_year": active})
    rows = []
    for proxy in proxies:
        if PROXIES[proxy].latent == "C":
            continue
        h = calibration_proxies.loc[:, ["year", proxy]].rename(columns={proxy: "value"})
        for label, pol in [("none", None), ("themed years", policy)]:
            if label != "none" and pol is None:
                continue
            n_pairs = _consecutive_changes(h, S_cal)
            if n_pairs < 5:  # the test needs a handful of changes; say how many there are
                if label == "none":
                    rows.append({"proxy": proxy, "control": "no test", "n": n_pairs})
                continue
            t = models.hurdle_pressure_test(h, S_cal, policy=pol)
            rows.append(
                {
                    "proxy": proxy,
                    "control": label,
                    "n": t.n,
                    "slope": sig(t.slope, digits),
                    "s.e.": sig(t.se, digits),
                    "p": sig(t.p_value, 2),
                    "ΔAIC": sig(t.aic_with_S - t.aic_null, digits),
                    "MDE80": sig(t.mde_80, 2),
                }
            )
    return pd.DataFrame(rows).set_index(["proxy", "control"])


def _consecutive_changes(h: pd.DataFrame, S: pd.DataFrame) -> int:
    """Number of year-on-year changes of ``h`` (both years observed) with S in the year before."""
    obs = set(h.loc[h["value"].notna(), "year"].astype(int))
    s_years = set(S["year"].astype(int))
    return sum(1 for y in obs if y - 1 in obs and y - 1 in s_years)


def library_crosscheck(
    frozen: Frozen,
    observed: pd.DataFrame,
    paths: pd.DataFrame,
    errors: pd.DataFrame,
    *,
    scenario: str = "held",
) -> pd.DataFrame:
    """Re-run models.fitting's one-shot fits on all years and compare hold-out RMSE.

    The library fits on calibration rows only and scores the rest; if its hold-out RMSE
    equals this module's (frozen first, hold-out read later), no hold-out value reached
    the fit. Returns model, RMSE here, RMSE from the library, and whether they agree.
    """
    proxies = list(frozen.proxies)
    require_columns(observed, ("year", *proxies), "library_crosscheck", what="table 'observed'")
    frame = observed.loc[observed["year"].between(frozen.calibration[0], HOLDOUT[1])]
    frame = frame.loc[:, ["year", *proxies]].reset_index(drop=True)
    LATENT = {p: PROXIES[p].latent for p in proxies}  # noqa: N806 (shadows the module map)
    dyn = _fixed_kw(dict(frozen.fixed), "library_crosscheck")
    S = _path(paths, scenario)
    spec = models.FitSpec(calibration=frozen.calibration, holdout=HOLDOUT, seed=frozen.seed)
    lib = {
        "static model": models.fit_static(frame, S, LATENT, spec),
        "dynamic model": models.fit_dynamic(frame, S, LATENT, replace(spec, **dyn)),
        "linear trend": models.baseline_trend(frame, proxies, **_bkw(frozen.calibration, HOLDOUT)),
        "random walk": models.baseline_random_walk(
            frame, proxies, **_bkw(frozen.calibration, HOLDOUT)
        ),
    }
    pooled = errors.loc[errors["proxy"] == "all proxies"]
    rows = []
    for name, fit in lib.items():
        want = scenario if name in ("static model", "dynamic model") else "none"
        here = pooled.loc[(pooled["model"] == name) & (pooled["scenario"] == want), "RMSE"]
        if len(here) != 1:
            raise ValueError(f"library_crosscheck: no pooled error for {name} ({want})")
        mine = float(here.iloc[0])
        rows.append(
            {
                "model": name,
                "hold-out RMSE (frozen, then scored)": sig(mine),
                "hold-out RMSE (library, one call)": sig(fit.holdout_rmse),
                "agree to 1e-9": bool(abs(mine - fit.holdout_rmse) < 1e-9),
            }
        )
    return pd.DataFrame(rows).set_index("model")


# ---------------------------------------------------------------------------- second edition
#
# The conditional forecast (review: the test of C4 that the held path could not be), the
# choice of hurdle proxy (W2) and the arms-transfer variant (W3).

#: The forecasts of chapter 11's main table, in order: (label, model, scenario).
FORECASTS: tuple[tuple[str, str, str], ...] = (
    ("dynamic model, observed pressure", "dynamic model", "observed"),
    ("dynamic model, pressure held at 2018", "dynamic model", "held"),
    ("static model, observed pressure", "static model", "observed"),
    ("static model, pressure held at 2018", "static model", "held"),
    ("linear trend", "linear trend", "none"),
    ("random walk", "random walk", "none"),
)


def conditional_table(
    errors: pd.DataFrame, *, proxy: str = "all proxies", digits: int = DIGITS
) -> pd.DataFrame:
    """Hold-out n, RMSE and MAE of each forecast in :data:`FORECASTS` for one ``proxy``.

    ``proxy="all proxies"`` (default) pools them; a proxy name gives that proxy alone.
    A forecast with no hold-out point for the proxy is a row of NaN (shown, not dropped).
    """
    require_columns(errors, ("model", "scenario", "proxy", "n", "RMSE", "MAE"), "conditional_table")
    if proxy not in set(errors["proxy"]):
        raise ValueError(f"conditional_table: no errors for proxy {proxy!r}")
    rows = []
    for label, model, scenario in FORECASTS:
        e = errors.loc[
            (errors["model"] == model)
            & (errors["scenario"] == scenario)
            & (errors["proxy"] == proxy)
        ]
        if len(e) > 1:
            raise ValueError(f"conditional_table: {len(e)} rows for {label} ({proxy})")
        if e.empty and scenario != "none" and not (errors["scenario"] == scenario).any():
            raise ValueError(f"conditional_table: no forecast was scored with S {scenario!r}")
        r = e.iloc[0] if len(e) else None
        rows.append(
            {
                "forecast": label,
                "n": int(r["n"]) if r is not None else 0,
                "RMSE": sig(r["RMSE"], digits) if r is not None else math.nan,
                "MAE": sig(r["MAE"], digits) if r is not None else math.nan,
            }
        )
    return pd.DataFrame(rows).set_index("forecast")


def conditional_tables(
    errors_at: Mapping[float, pd.DataFrame], *, digits: int = DIGITS
) -> pd.DataFrame:
    """:func:`conditional_table` for several memory decays δ_m side by side, one header row.

    ``errors_at`` maps δ_m to its hold-out errors. Columns are ``n`` (once: every δ_m is
    scored on the same hold-out points, checked) then ``RMSE, δ_m = …`` and ``MAE, δ_m = …``
    per δ_m, flat names, so the table is plain HTML with a single header row.
    """
    if not errors_at:
        raise ValueError("conditional_tables: errors_at is empty")
    tables = {dm: conditional_table(e, digits=digits) for dm, e in errors_at.items()}
    first_dm, first = next(iter(tables.items()))
    for dm, t in tables.items():
        if not t["n"].equals(first["n"]):
            raise ValueError(
                f"conditional_tables: hold-out n differs between δ_m = {first_dm:g} and {dm:g}"
            )
    out = first[["n"]].copy()
    for dm, t in tables.items():
        out[f"RMSE, δ_m = {dm:g}"] = t["RMSE"]
        out[f"MAE, δ_m = {dm:g}"] = t["MAE"]
    return out


def conditional_verdict(errors: pd.DataFrame, *, model: str = "dynamic model") -> dict:
    """The verdict the conditional forecast supports, by a rule stated in the chapter.

    On pooled hold-out RMSE (compared at :data:`DIGITS` significant digits, so a tie on
    the printed digits is a tie): the mechanism (pressure moving the model) is
    **supported** if ``model`` fed the observed pressure beats both its held-pressure run
    and both naive baselines; **pressure helps, baselines better** if it beats only the
    held run; **not supported** otherwise. Returns the RMSEs and ``verdict``.
    """
    table = conditional_table(errors)
    label = "dynamic model" if model == "dynamic model" else "static model"
    cond = table.loc[f"{label}, observed pressure", "RMSE"]
    held = table.loc[f"{label}, pressure held at 2018", "RMSE"]
    base = min(table.loc["linear trend", "RMSE"], table.loc["random walk", "RMSE"])
    best = "linear trend" if table.loc["linear trend", "RMSE"] <= base else "random walk"
    if cond < held and cond < base:
        verdict = "supported"
    elif cond < held:
        verdict = "pressure helps, baselines better"
    else:
        verdict = "not supported"
    return {
        "model": model,
        "observed": float(cond),
        "held": float(held),
        "best baseline": best,
        "baseline": float(base),
        "verdict": verdict,
    }


def proxy_set_table(
    calibration_proxies: pd.DataFrame,
    observed: pd.DataFrame,
    S_cal: pd.DataFrame,
    paths: pd.DataFrame,
    *,
    sets: dict[str, tuple[str, ...]] | None = None,
    seed: int = 0,
    fixed: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Refit and rescore chapter 11 for each proxy set (default :data:`PROXY_SETS`).

    One row per set: pooled hold-out n and RMSE of the dynamic model with observed and with
    held pressure, of the two baselines, the verdict of :func:`conditional_verdict`, and
    how the dynamic model loads its economic-hurdle proxy ("ok", "reversed", "mean only").
    """
    sets = PROXY_SETS if sets is None else sets
    rows = []
    for name, proxies in sets.items():
        fz = freeze(calibration_proxies, S_cal, proxies=proxies, seed=seed, fixed=fixed)
        err = holdout_errors(forecast(fz, paths), observed, fz)
        v = conditional_verdict(err)
        table = conditional_table(err)
        # the check only (no rounded number: unprinted loadings need not be stable)
        loading = fz.fits["dynamic model"].observation.set_index("proxy")["b"]
        he = [p for p in proxies if PROXIES[p].latent == "H_e"]
        rows.append(
            {
                "proxy set": name,
                "hold-out n": int(table.loc["random walk", "n"]),
                "dynamic, observed S": v["observed"],
                "dynamic, held S": v["held"],
                "linear trend": table.loc["linear trend", "RMSE"],
                "random walk": table.loc["random walk", "RMSE"],
                "verdict": v["verdict"],
                "hurdle loading": ", ".join(_loading_check(loading[p], PROXIES[p]) for p in he)
                or "–",
            }
        )
    return pd.DataFrame(rows).set_index("proxy set")


#: Economic-hurdle measures the scorecard reads (review W2), in display order.
HURDLE_MEASURES: tuple[str, ...] = ("trade_share_dependence", "mineral_share", "dependence_gap")
#: A change smaller than this share of the 2018 level counts as "no clear change".
HURDLE_TOLERANCE = 0.1


def hurdle_measures(
    observed: pd.DataFrame, *, since: int = CALIBRATION[1], tolerance: float = HURDLE_TOLERANCE
) -> pd.DataFrame:
    """Each economic-hurdle measure from ``since`` to its last observed year, with a verdict.

    "deepened" if the last value exceeds the ``since`` value by more than ``tolerance``
    of it, "eased" if it is lower by more than that, else "no clear change". A higher
    value is a higher hurdle for every measure here (:attr:`ProxySpec.expected_sign`).
    """
    if not 0 < tolerance < 1:
        raise ValueError(f"hurdle_measures: tolerance must be in (0, 1), got {tolerance!r}")
    have = [m for m in HURDLE_MEASURES if m in observed.columns]
    if not have:
        raise ValueError(f"hurdle_measures: observed has none of {list(HURDLE_MEASURES)}")
    o = observed.set_index("year")
    rows = []
    for m in have:
        series = o[m].dropna()
        if since not in series.index:
            raise ValueError(f"hurdle_measures: {m} is not observed in {since}")
        later = series.loc[series.index > since]
        if later.empty:
            raise ValueError(f"hurdle_measures: {m} has no observation after {since}")
        first, last, year = float(series.loc[since]), float(later.iloc[-1]), int(later.index[-1])
        change = last - first
        if change > tolerance * abs(first):
            verdict = "deepened"
        elif change < -tolerance * abs(first):
            verdict = "eased"
        else:
            verdict = "no clear change"
        rows.append(
            {
                "measure": PROXIES[m].label,
                "unit": PROXIES[m].unit,
                "from": since,
                "value then": first,
                "to": year,
                "value now": last,
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows).set_index("measure")


def hurdle_trade_correlation(observed: pd.DataFrame, trade: pd.DataFrame) -> pd.Series:
    """Correlation of each economic-hurdle proxy with bilateral turnover (review W2).

    Turnover (US$ bn) is that of the producer behind the dependence gap in each year
    (:func:`proxy_producers`: COW to 2014, BACI from 2017), so no two producers are mixed
    within a year; only years where both are observed count.
    """
    who = "hurdle_trade_correlation"
    require_columns(trade, ("year", "direction", "source", "value_usd_m"), who)
    require_columns(observed, ("year",), who, what="table 'observed'")
    years = trade.loc[trade["source"].isin(["cow_trade_v4", "cepii_baci"])]
    turnover = turnover_by_producer(years).set_index("year")["turnover_usd_bn"]
    if turnover.index.duplicated().any():
        raise ValueError(f"{who}: two producers' turnover in one year; pick one")
    o = observed.set_index("year").join(turnover.rename("turnover"), how="left")
    have = [m for m in HURDLE_MEASURES if m in o.columns]
    out = {}
    for m in have:
        both = o[[m, "turnover"]].dropna()
        out[PROXIES[m].label] = float(both[m].corr(both["turnover"])) if len(both) > 2 else math.nan
    return pd.Series(out, name="correlation with turnover")
