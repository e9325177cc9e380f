"""Analysis helpers: hysteresis loops, bistability bands, alliance-quadrant geometry.

These turn simulations into the few numbers the chapters quote (domain.md §3b predictions
3-4 and §3c): the width of the loop C traces when S goes up and down, the S band where
two stable states coexist, and the rectangles of the (S_CN, S_RU) square.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .core import simulate
from .dynamic import steady_states
from .game import acceptance_thresholds
from .params import AllianceGame, DynamicParams, StaticParams
from .scenarios import up_down
from .static import static_threshold

__all__ = [
    "HysteresisLoop",
    "hysteresis_loop",
    "bistability_band",
    "Rect",
    "QuadrantGeometry",
    "alliance_quadrant",
]


@dataclass(frozen=True)
class HysteresisLoop:
    """C on the way up and on the way down at the same pressures ``S`` (ascending)."""

    S: np.ndarray
    C_up: np.ndarray
    C_down: np.ndarray

    @property
    def gap(self) -> np.ndarray:
        return self.C_down - self.C_up

    @property
    def width(self) -> float:
        """Maximum vertical width of the loop, max |C_down - C_up|."""
        return float(np.max(np.abs(self.gap)))

    def width_at(self, S: float) -> float:
        """Loop width at the sweep point nearest to ``S``."""
        return float(np.abs(self.gap[np.argmin(np.abs(self.S - S))]))


def hysteresis_loop(
    params: StaticParams,
    *,
    low: float = 0.2,
    high: float = 0.95,
    years_up: int = 40,
    plateau: int = 30,
) -> HysteresisLoop:
    """Sweep S low -> high over ``years_up`` years, hold ``plateau`` years, sweep back down.

    ``C_up[i]`` is C one year after pressure ``S[i]`` on the way up, ``C_down[i]`` the same
    on the way down. For the static model the loop is only the kappa-lag.
    """
    sc = up_down(low, high, years_up, plateau)
    C = simulate(params, sc).C
    up = sc.S[:years_up]
    C_up = C[1 : years_up + 1]
    C_down = C[years_up + plateau + 1 :][::-1]
    return HysteresisLoop(S=up, C_up=C_up, C_down=C_down)


def bistability_band(
    params: DynamicParams, S: Any = None, *, resolution: int = 4001
) -> tuple[float, float] | None:
    """(lowest, highest) S on the grid with two stable steady states; None if there is none."""
    grid = np.linspace(0.0, 1.0, 1001) if S is None else np.asarray(S, dtype=float)
    ss = steady_states(params, grid, resolution=resolution)
    band = ss.S[ss.bistable]
    return (float(band.min()), float(band.max())) if band.size else None


@dataclass(frozen=True)
class Rect:
    """Axis-aligned rectangle in the (S_CN, S_RU) unit square."""

    x0: float
    x1: float
    y0: float
    y1: float

    @property
    def area(self) -> float:
        return (self.x1 - self.x0) * (self.y1 - self.y0)


def _upper_quadrant(x: float, y: float) -> Rect | None:
    """[x, 1] x [y, 1] clipped to the unit square, None if empty."""
    x, y = max(float(x), 0.0), max(float(y), 0.0)
    return Rect(x, 1.0, y, 1.0) if x <= 1.0 and y <= 1.0 else None


@dataclass(frozen=True)
class QuadrantGeometry:
    """Thresholds and regions of the alliance game in the (S_CN, S_RU) square.

    ``acceptance``: both accept a formal alliance (the quadrant above both S_j*);
    ``entente``: both C_j >= theta_E; ``alliance``: their intersection;
    ``reluctant_area``: entente area where at least one state refuses.
    """

    S_cn_star: float
    S_ru_star: float
    S_cn_entente: float
    S_ru_entente: float
    acceptance: Rect | None
    entente: Rect | None
    alliance: Rect | None

    @property
    def reluctant_area(self) -> float:
        ent = self.entente.area if self.entente else 0.0
        return ent - (self.alliance.area if self.alliance else 0.0)


def alliance_quadrant(game: AllianceGame) -> QuadrantGeometry:
    """Rectangles of the game: every region is an upper-right quadrant, so it is exact."""
    s_cn, s_ru = acceptance_thresholds(game)
    m = game.model
    e_cn = float(static_threshold(m.theta_E, m, game.china.H_e, game.china.H_m))
    e_ru = float(static_threshold(m.theta_E, m, game.russia.H_e, game.russia.H_m))
    return QuadrantGeometry(
        S_cn_star=s_cn,
        S_ru_star=s_ru,
        S_cn_entente=e_cn,
        S_ru_entente=e_ru,
        acceptance=_upper_quadrant(s_cn, s_ru),
        entente=_upper_quadrant(e_cn, e_ru),
        alliance=_upper_quadrant(max(s_cn, e_cn), max(s_ru, e_ru)),
    )
