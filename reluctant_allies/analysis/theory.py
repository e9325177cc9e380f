"""Chapter 2 (theory): spending shares, obligation tiles, and the static filter's grid and
thresholds.

Every function returns plain tables or values (no Altair); ``charts/theory.py`` lays them out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns

__all__ = [
    "obligation_tiles",
    "spending_shares",
    "static_filter_grid",
    "static_filter_thresholds",
    "theory_facts",
]


_POWER_COLUMNS = ("year", "country", "indicator", "source", "value")


_COUNTRIES = ("USA", "China", "Russia")


def spending_shares(power: pd.DataFrame) -> pd.DataFrame:
    """Each country's share of USA+China+Russia military spending (SIPRI rows only).

    Years in which any of the three countries lacks a SIPRI value are dropped, not
    filled: a share of a partial total would be wrong.
    """
    require_columns(power, _POWER_COLUMNS, "unipolarity_spending_shares")
    milex = power[(power["indicator"] == "milex") & (power["source"] == "sipri_milex")]
    if milex.empty:
        raise ValueError(
            "unipolarity_spending_shares: no rows with indicator 'milex' and source 'sipri_milex'"
        )
    unknown = sorted(set(milex["country"]) - set(_COUNTRIES))
    if unknown:
        raise ValueError(f"unipolarity_spending_shares: unknown country value(s) {unknown}")
    wide = milex.pivot_table(index="year", columns="country", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(_COUNTRIES)).dropna()
    if wide.empty:
        raise ValueError("unipolarity_spending_shares: no year has SIPRI values for all three")
    if (wide < 0).any().any():
        raise ValueError("unipolarity_spending_shares: column 'value' has negative spending")
    shares = wide.div(wide.sum(axis=1), axis=0)
    out = shares.reset_index().melt(id_vars="year", var_name="country", value_name="share")
    out["share"] = out["share"].round(4)
    return out.sort_values(["year", "country"], kind="stable").reset_index(drop=True)


_OBLIGATIONS = {
    "defense": "defence",
    "offense": "offence",
    "neutrality": "neutrality",
    "nonaggression": "non-aggression",
    "consultation": "consultation",
    "entente": "entente",
}


_DATASETS = {"atop_5_1": "ATOP 5.1 (to 2018)", "cow_alliance_4_1": "COW 4.1 (to 2012)"}


_DYADS = ("China–Russia", "China–USA", "Russia–USA")


def obligation_tiles(alliances: pd.DataFrame, start: int = 1950) -> pd.DataFrame:
    """One row per dyad-year-dataset-obligation coded 1, from ``start`` on."""
    require_columns(
        alliances, ("year", "dyad", "source", *_OBLIGATIONS), "alliance_obligation_tiles"
    )
    unknown = sorted(set(alliances["dyad"]) - set(_DYADS))
    if unknown:
        raise ValueError(f"alliance_obligation_tiles: unknown dyad value(s) {unknown}")
    unknown = sorted(set(alliances["source"]) - set(_DATASETS))
    if unknown:
        raise ValueError(f"alliance_obligation_tiles: unknown source value(s) {unknown}")
    df = alliances[alliances["year"] >= start]
    if df.empty:
        raise ValueError(f"alliance_obligation_tiles: no rows from start={start} on")
    long = df.melt(
        id_vars=["year", "dyad", "source"],
        value_vars=list(_OBLIGATIONS),
        var_name="obligation",
        value_name="coded",
    )
    long = long[long["coded"].fillna(0).astype(int) == 1].copy()
    long["obligation"] = long["obligation"].map(_OBLIGATIONS)
    long["dataset"] = long["source"].map(_DATASETS)
    cols = ["year", "dyad", "dataset", "obligation"]
    return long[cols].sort_values(cols, kind="stable").reset_index(drop=True)


#: Decimals of phi used as the join key (the slider grids make phi a multiple of 0.02).
_PHI_DECIMALS = 6


def _check_params(params) -> models.StaticParams:
    params = params or models.StaticParams()
    if not isinstance(params, models.StaticParams):
        raise ValueError(f"params must be a StaticParams, got {type(params).__name__}")
    return params


def _check_step(name: str, step: float, top: float = 1.0) -> int:
    if (
        isinstance(step, bool)
        or not isinstance(step, int | float)
        or not np.isfinite(step)
        or not 0 < step <= top
    ):
        raise ValueError(f"{name} must be a number in (0, {top:g}] (got {step!r})")
    n = top / step
    if abs(n - round(n)) > 1e-9:
        raise ValueError(f"{name} must divide {top:g} into whole steps (got {step!r})")
    return int(round(n))


def _levels(name: str, step: float) -> np.ndarray:
    return np.round(np.linspace(0.0, 1.0, _check_step(name, step) + 1), 6)


def _combos(gamma_step: float, hurdle_step: float) -> dict[str, np.ndarray]:
    """Every slider setting the model accepts: gamma_e + gamma_m <= 1, hurdles in [0, 1]."""
    g, h = _levels("gamma_step", gamma_step), _levels("hurdle_step", hurdle_step)
    ge, gm, he, hm = (a.ravel() for a in np.meshgrid(g, g, h, h, indexing="ij"))
    ok = np.round(ge + gm, 9) <= 1.0  # the model rejects gamma_e + gamma_m > 1
    return {"g_e": ge[ok], "g_m": gm[ok], "H_e": he[ok], "H_m": hm[ok]}


def static_filter_grid(
    params: models.StaticParams | None = None,
    *,
    gamma_step: float = 0.1,
    hurdle_step: float = 0.2,
    s_step: float = 0.02,
) -> pd.DataFrame:
    """Equilibrium cooperation C*(S) from the model for every admissible slider setting.

    Columns ``g_e``, ``g_m`` (hurdle weights), ``H_e``, ``H_m`` (hurdle levels), ``phi``
    (the filter 1 - g_e H_e - g_m H_m), ``S`` (pressure) and ``C`` (C*, 4 decimals).
    Weight pairs with gamma_e + gamma_m > 1 are left out: the model rejects them. The
    response curve and beta come from ``params``.
    """
    params = _check_params(params)
    c = _combos(gamma_step, hurdle_step)
    S = _levels("s_step", s_step)
    grid = models.ParamGrid.sweep(params, gamma_e=c["g_e"], gamma_m=c["g_m"])  # validated
    C = models.equilibrium_cooperation(S[:, None], grid, H_e=c["H_e"], H_m=c["H_m"])
    phi = np.round(1.0 - c["g_e"] * c["H_e"] - c["g_m"] * c["H_m"], _PHI_DECIMALS)
    n = len(phi)
    out = {k: np.tile(v, len(S)) for k, v in c.items()}
    out.update(phi=np.tile(phi, len(S)), S=np.repeat(S, n), C=np.round(C.ravel(), 4))
    return pd.DataFrame(out)


def static_filter_thresholds(
    params: models.StaticParams | None = None,
    *,
    gamma_step: float = 0.1,
    hurdle_step: float = 0.2,
) -> pd.DataFrame:
    """Closed-form entente and alliance thresholds S_E, S_A (from the model) for every
    admissible slider setting; ``alliance_reachable`` says whether S_A <= 1."""
    params = _check_params(params)
    c = _combos(gamma_step, hurdle_step)
    grid = models.ParamGrid.sweep(params, gamma_e=c["g_e"], gamma_m=c["g_m"])
    S_E, S_A = (
        np.asarray(models.static_threshold(t, grid, H_e=c["H_e"], H_m=c["H_m"]), dtype=float)
        for t in (params.theta_E, params.theta_A)
    )
    phi = np.round(1.0 - c["g_e"] * c["H_e"] - c["g_m"] * c["H_m"], _PHI_DECIMALS)
    # phi == 0 up to rounding: no push gets through, the thresholds are infinite
    # (the model may return 1e16 instead of inf when the filter is 1e-17 in floating point)
    S_E, S_A = (np.where(phi <= 0, np.inf, v) for v in (S_E, S_A))
    return pd.DataFrame(
        {
            **c,
            "phi": phi,
            "S_E": np.round(S_E, 4),
            "S_A": np.round(S_A, 4),
            "entente_reachable": S_E <= 1.0,
            "alliance_reachable": S_A <= 1.0,
        }
    )


def _by_phi(df: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    """One row per phi (and key): fail loudly if two settings with the same phi disagree."""
    spread = df.groupby(["phi", *keys])[values].agg(
        lambda v: 0.0 if np.isinf(v).all() else v.max() - v.min()
    )
    worst = float(np.nanmax(spread.to_numpy(dtype=float))) if len(spread) else 0.0
    if worst > 1e-3:
        raise ValueError(f"static model: settings with the same filter phi differ by {worst:g}")
    return df.groupby(["phi", *keys], as_index=False)[values].first()


def theory_facts(
    power: pd.DataFrame,
    unga: pd.DataFrame,
    arms: pd.DataFrame,
    params: models.StaticParams | None = None,
) -> dict[str, float | int]:
    """The numbers chapter 2 prints, from the data and the static model.

    The US share of the three powers' military spending (``us_share_1992``, ``_2005``,
    ``_2024``, and its lowest value in 1992–2000, ``us_share_min_1990s``); China–Russia UN
    vote agreement in 1992 and 2000 (``unga_1992``, ``unga_2000``); the peak of Russia's arms
    deliveries to China (``tiv_peak``, ``tiv_peak_year``); and the static model at the
    defaults: ``S_E``, ``S_A``, ``C_max`` (cooperation at S = 1), ``S_A_no_memory`` (with
    H_m = 0) and ``gamma_sum_max`` (the largest γ_e + γ_m at the default hurdles for which
    S_A <= 1).
    """
    params = _check_params(params)
    require_columns(unga, ("year", "measure", "subject", "value"), "theory_facts")
    require_columns(arms, ("year", "recipient", "tiv_m"), "theory_facts")
    us = spending_shares(power).query("country == 'USA'").set_index("year")["share"]
    agree = unga[(unga["measure"] == "agreement") & (unga["subject"] == "China–Russia")]
    agree = agree.set_index("year")["value"]
    tiv = arms[arms["recipient"] == "China"].set_index("year")["tiv_m"]
    S_E, S_A = (float(v) for v in models.static_thresholds(params))
    C_max = float(models.equilibrium_cooperation(np.array(1.0), params))
    no_memory = models.static_threshold(params.theta_A, params, H_m=0.0)
    # S_A <= 1 needs beta (1 - H (g_e + g_m)) >= x0 + logit(theta_A)/k at equal hurdles H
    need = params.x0 + np.log(params.theta_A / (1 - params.theta_A)) / params.k
    if params.H_e0 != params.H_m0:
        raise ValueError("theory_facts: gamma_sum_max needs equal default hurdles H_e0 == H_m0")
    gamma_sum_max = (1 - need / params.beta) / params.H_e0
    return {
        "us_share_1992": float(us[1992]),
        "us_share_2005": float(us[2005]),
        "us_share_2024": float(us[2024]),
        "us_share_min_1990s": float(us.loc[1992:2000].min()),
        "unga_1992": float(agree[1992]),
        "unga_2000": float(agree[2000]),
        "tiv_peak": int(tiv.max()),
        "tiv_peak_year": int(tiv.idxmax()),
        "S_E": S_E,
        "S_A": S_A,
        "C_max": C_max,
        "S_A_no_memory": float(no_memory),
        "gamma_sum_max": float(gamma_sum_max),
    }
