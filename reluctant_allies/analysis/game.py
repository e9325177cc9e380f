"""Chapter 10 (two players): ideal-point distances, the threshold table of the games and the corner
grid.

Every function returns plain tables or values (no Altair); ``charts/game.py`` lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import models
from .._checks import require_columns
from .grids import slider_grid

#: The three pairs of states whose ideal-point distances chapter 10 compares.
PAIRS = {
    "China–Russia": ("China", "Russia"),
    "China–USA": ("China", "USA"),
    "Russia–USA": ("Russia", "USA"),
}

__all__ = ["binding_points", "binding_year", "corner_grid", "distance_table", "threshold_table"]


def _distances(unga: pd.DataFrame, *, decimals: int | None = 3) -> pd.DataFrame:
    require_columns(
        unga, ("year", "measure", "subject", "value"), "ideal_point_distances", nonempty=True
    )
    ip = unga[unga["measure"] == "ideal point"]
    if ip.empty:
        raise ValueError("ideal_point_distances: no rows with measure 'ideal point'")
    if ip["value"].isna().any():
        raise ValueError("ideal_point_distances: value column has missing ideal points")
    if ip.duplicated(["year", "subject"]).any():
        raise ValueError("ideal_point_distances: duplicate (year, subject) ideal points")
    wide = ip.pivot(index="year", columns="subject", values="value")
    missing = sorted({"China", "Russia", "USA"} - set(wide.columns))
    if missing:
        raise ValueError(f"ideal_point_distances: no ideal points for {missing}")
    rows = []
    for pair, (a, b) in PAIRS.items():
        d = (wide[a] - wide[b]).abs().dropna()  # a year missing for either state stays a gap
        rows.append(pd.DataFrame({"year": d.index.astype(int), "pair": pair, "distance": d}))
    out = pd.concat(rows, ignore_index=True)
    if decimals is not None:
        out["distance"] = out["distance"].round(decimals)
    # a new run starts after any missing year, so lines never bridge a gap
    out["run"] = out.groupby("pair")["year"].transform(lambda y: (y.diff() != 1).cumsum())
    out["series"] = out["pair"] + "#" + out["run"].astype(str)
    return out


def distance_table(unga: pd.DataFrame) -> pd.DataFrame:
    """UNGA ideal-point distances, wide: one row per year, one column per pair of
    :data:`PAIRS`, unrounded (prose rounds once, from these); a year missing for either
    state of a pair is NaN there."""
    return _distances(unga, decimals=None).pivot(index="year", columns="pair", values="distance")


def threshold_table(
    games: Mapping[str, models.AllianceGame],
    points: Sequence[tuple[float, float]] = ((0.5, 0.5), (0.8, 0.8)),
) -> pd.DataFrame:
    """Each named game's thresholds, and its pure-strategy equilibria at some (S_CN, S_RU).

    Columns: game, China's and Russia's acceptance thresholds S_j*, the entente threshold of
    each, and one column per pressure point listing the equilibria, e.g. "(no, no)".
    """
    if not games:
        raise ValueError("threshold_table: games is empty")
    if not points:
        raise ValueError("threshold_table: points is empty")
    rows = []
    for name, game in games.items():
        if not isinstance(game, models.AllianceGame):
            raise ValueError(f"threshold_table: {name!r} is not an AllianceGame")
        q = models.alliance_quadrant(game)
        row = {
            "game": name,
            "China accepts from S_CN* =": round(q.S_cn_star, 3),
            "Russia accepts from S_RU* =": round(q.S_ru_star, 3),
            "entente from S_E =": round(q.S_cn_entente, 3),
        }
        if not np.isclose(q.S_cn_entente, q.S_ru_entente):
            row["entente from S_E ="] = f"{q.S_cn_entente:.3f} / {q.S_ru_entente:.3f}"
        for s_cn, s_ru in points:
            for s, nm in ((s_cn, "S_CN"), (s_ru, "S_RU")):
                if not (np.isfinite(s) and 0.0 <= s <= 1.0):
                    raise ValueError(f"threshold_table: {nm} = {s!r} is outside [0, 1]")
            eq = models.equilibria(game, s_cn, s_ru)
            row[f"equilibria at ({s_cn:g}, {s_ru:g})"] = ", ".join(f"({a}, {b})" for a, b in eq)
        rows.append(row)
    return pd.DataFrame(rows)


def _corners(
    game: models.AllianceGame | None,
    dynamics: models.DynamicParams | None,
    pressure: float,
    exposures: Sequence[float],
    years: Sequence[int],
) -> list[tuple[dict, models.QuadrantGeometry]]:
    g0 = game or models.POST_2022_GAME
    if not isinstance(g0, models.AllianceGame):
        raise ValueError(f"corner_grid: game must be an AllianceGame, got {g0!r}")
    if not (np.isfinite(pressure) and 0.0 <= pressure <= 1.0):
        raise ValueError(f"corner_grid: pressure must be in [0, 1] (got {pressure!r})")
    xs = slider_grid(exposures, "exposures")
    if xs[0] < 0 or xs[-1] > 1:
        raise ValueError(f"exposures must lie in [0, 1] (got {xs.tolist()})")
    ts = slider_grid(years, "years")
    if ts[0] < 0 or not np.allclose(ts, np.round(ts)):
        raise ValueError(f"years must be whole numbers from 0 (got {ts.tolist()})")
    ts = ts.astype(int)
    p = dynamics or models.DynamicParams(**g0.model.as_dict())
    if not isinstance(p, models.DynamicParams):
        raise ValueError("corner_grid: dynamics must be a DynamicParams")
    path = models.simulate_dynamic(p, models.constant(pressure, int(ts[-1]) or 1).S)
    out = []
    for t in ts:
        he, hm = float(path.H_e[t]), float(path.H_m[t])
        for x in xs:
            g = models.AllianceGame(
                china=g0.china.replace(H_e=he, H_m=hm),
                russia=g0.russia.replace(H_e=he, H_m=hm, X=float(x)),
                model=g0.model,
            )
            q = models.alliance_quadrant(g)
            row = {
                "X": float(x),
                "t": int(t),
                "H_e": he,
                "H_m": hm,
                "S_cn_star": q.S_cn_star,
                "S_ru_star": q.S_ru_star,
                "S_cn_entente": q.S_cn_entente,
                "S_ru_entente": q.S_ru_entente,
                "reluctant_area": q.reluctant_area,
            }
            out.append((row, q))
    return out


def corner_grid(
    game: models.AllianceGame | None = None,
    *,
    dynamics: models.DynamicParams | None = None,
    pressure: float = 0.7,
    exposures: Sequence[float] = tuple(np.round(np.arange(0.0, 1.0001, 0.1), 1)),
    years: Sequence[int] = tuple(range(0, 41, 4)),
) -> pd.DataFrame:
    """The game's thresholds for each Russian exposure X_RU and each year of hurdle wear.

    Hurdles follow the dynamic model (``dynamics``, default parameters with the game's
    static part) under constant pressure ``pressure``; both states get the same hurdle
    levels in year t. Columns: X, t, H_e, H_m, S_cn_star, S_ru_star, S_cn_entente,
    S_ru_entente, reluctant_area.
    """
    return pd.DataFrame([row for row, _ in _corners(game, dynamics, pressure, exposures, years)])


def binding_points(game: models.AllianceGame) -> pd.DataFrame:
    """When do Snyder's fears bind? For each state, how far its acceptance threshold S_j*
    lies below its entente threshold S_E, and what it would take to close the gap.

    A state's fear *binds* only if S_j* > S_E: otherwise, wherever the state is at entente
    it already accepts, and the entente threshold (the hurdles), not entrapment, keeps the
    alliance away. Since S_j* = (tau + epsilon X_partner + eta h - phi R_partner) / alpha is
    linear in epsilon and in X_partner, the values that close the gap are exact:
    ``epsilon_to_bind`` = epsilon + alpha (S_E - S_j*) / X_partner and ``X_partner_to_bind``
    = X_partner + alpha (S_E - S_j*) / epsilon (inf where the divisor is 0). Columns:
    S_star, S_entente, slack (S_E - S_j*), binds, epsilon, epsilon_to_bind, X_partner,
    X_partner_to_bind; one row per state (China, Russia).
    """
    if not isinstance(game, models.AllianceGame):
        raise ValueError(f"binding_points: game must be an AllianceGame, got {game!r}")
    q = models.alliance_quadrant(game)
    rows = []
    for name, me, partner, star, entente in (
        ("China", game.china, game.russia, q.S_cn_star, q.S_cn_entente),
        ("Russia", game.russia, game.china, q.S_ru_star, q.S_ru_entente),
    ):
        slack = float(entente - star)
        gap = me.alpha * slack
        rows.append(
            {
                "state": name,
                "S_star": float(star),
                "S_entente": float(entente),
                "slack": slack,
                "binds": bool(star > entente),
                "epsilon": float(me.epsilon),
                "epsilon_to_bind": (
                    float(me.epsilon + gap / partner.X) if partner.X > 0 else float("inf")
                ),
                "X_partner": float(partner.X),
                "X_partner_to_bind": (
                    float(partner.X + gap / me.epsilon) if me.epsilon > 0 else float("inf")
                ),
            }
        )
    return pd.DataFrame(rows).set_index("state")


def binding_year(
    game: models.AllianceGame | None = None,
    *,
    dynamics: models.DynamicParams | None = None,
    pressure: float = 0.7,
    exposure: float = 0.8,
    years: int = 40,
) -> int | None:
    """First model year (0..``years``) of hurdle wear at constant ``pressure`` in which
    China's acceptance threshold lies above its entente threshold, with Russia's exposure
    X_RU = ``exposure`` (the game and hurdle path of :func:`corner_grid`); None if never."""
    if isinstance(years, bool) or not isinstance(years, int | np.integer) or years < 1:
        raise ValueError(f"binding_year: years must be a positive integer (got {years!r})")
    if not (np.isfinite(exposure) and 0.0 <= exposure <= 1.0):
        raise ValueError(f"binding_year: exposure must be in [0, 1] (got {exposure!r})")
    x = float(exposure)
    pair = (0.0, x) if x > 0 else (0.0, 1.0)  # the grid helper wants two increasing values
    for row, _ in _corners(game, dynamics, pressure, pair, range(years + 1)):
        if np.isclose(row["X"], x) and row["S_cn_star"] > row["S_cn_entente"]:
            return int(row["t"])
    return None
