"""Two-player alliance game (domain.md §3c, after Snyder's alliance security dilemma).

Each state j in {CN, RU} weighs a *formal* alliance against the entente it already has::

    dU_j = alpha_j S_j + phi_j R_-j - epsilon_j X_-j - eta_j (gamma_e H_e,j + gamma_m H_m,j) - tau_j
    accept_j iff dU_j >= 0;  A = accept_CN and accept_RU

R_-j is the partner's realignment option (abandonment risk for j), X_-j the partner's
exposure to its own conflicts (entrapment risk for j). Each state's acceptance threshold is
``S_j* = (tau_j + epsilon_j X_-j + eta_j H_j - phi_j R_-j) / alpha_j``. Cooperation C_j is the
static equilibrium f(beta S_j (1 - gamma_e H_e,j - gamma_m H_m,j)) of §3a with j's own hurdles;
"reluctant allies" = both C_j >= theta_E but at least one dU_j < 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .core import validate_pressure
from .params import AllianceGame, Player
from .static import logistic

__all__ = [
    "utility_gain",
    "acceptance_thresholds",
    "cooperation_levels",
    "GameOutcome",
    "outcome",
    "equilibria",
]


def _pair(game: AllianceGame) -> tuple[tuple[Player, Player], tuple[Player, Player]]:
    """((self, partner) for China, (self, partner) for Russia)."""
    if not isinstance(game, AllianceGame):
        raise TypeError(f"game must be an AllianceGame, got {game!r}")
    return (game.china, game.russia), (game.russia, game.china)


def _hurdle(game: AllianceGame, p: Player) -> float:
    return game.model.gamma_e * p.H_e + game.model.gamma_m * p.H_m


def _gain(game: AllianceGame, me: Player, partner: Player, S: Any) -> np.ndarray:
    return (
        me.alpha * S
        + me.phi * partner.R
        - me.epsilon * partner.X
        - me.eta * _hurdle(game, me)
        - me.tau
    )


def utility_gain(game: AllianceGame, S_cn: Any, S_ru: Any) -> tuple[np.ndarray, np.ndarray]:
    """(dU_CN, dU_RU): each state's marginal gain of a formal alliance over the entente."""
    (cn, ru_partner), (ru, cn_partner) = _pair(game)
    return (
        _gain(game, cn, ru_partner, validate_pressure(S_cn, "S_cn")),
        _gain(game, ru, cn_partner, validate_pressure(S_ru, "S_ru")),
    )


def acceptance_thresholds(game: AllianceGame) -> tuple[float, float]:
    """(S_CN*, S_RU*): the pressure at which each state accepts a formal alliance (> 1: never)."""
    out = []
    for me, partner in _pair(game):
        cost = me.tau + me.epsilon * partner.X + me.eta * _hurdle(game, me) - me.phi * partner.R
        out.append(cost / me.alpha)
    return out[0], out[1]


def cooperation_levels(game: AllianceGame, S_cn: Any, S_ru: Any) -> tuple[np.ndarray, np.ndarray]:
    """(C_CN, C_RU): static equilibrium cooperation of each state under its own pressure."""
    m = game.model
    out = []
    for (me, _), S, name in zip(_pair(game), (S_cn, S_ru), ("S_cn", "S_ru"), strict=True):
        x = m.beta * validate_pressure(S, name) * (1.0 - _hurdle(game, me))
        out.append(logistic(x, m.k, m.x0))
    return out[0], out[1]


@dataclass(frozen=True)
class GameOutcome:
    """Decisions and regions at each (S_CN, S_RU) point (arrays broadcast together)."""

    accept_cn: np.ndarray
    accept_ru: np.ndarray
    entente: np.ndarray

    @property
    def alliance(self) -> np.ndarray:
        """A = accept_CN and accept_RU (the (ally, ally) equilibrium exists)."""
        return self.accept_cn & self.accept_ru

    @property
    def reluctant_allies(self) -> np.ndarray:
        """Both at entente level but at least one state refuses the formal alliance."""
        return self.entente & ~self.alliance


def outcome(game: AllianceGame, S_cn: Any, S_ru: Any) -> GameOutcome:
    """Who accepts, and whether both states are at entente level, for each pressure pair."""
    du_cn, du_ru = utility_gain(game, S_cn, S_ru)
    c_cn, c_ru = cooperation_levels(game, S_cn, S_ru)
    theta = game.model.theta_E
    return GameOutcome(
        accept_cn=du_cn >= 0, accept_ru=du_ru >= 0, entente=(c_cn >= theta) & (c_ru >= theta)
    )


def equilibria(game: AllianceGame, S_cn: float, S_ru: float) -> list[tuple[str, str]]:
    """Pure-strategy equilibria of the coordination game at one pressure pair.

    (no, no) always is one (a lone offer changes nothing); (ally, ally) is one iff both accept.
    """
    du_cn, du_ru = utility_gain(game, S_cn, S_ru)
    eq = [("no", "no")]
    if float(du_cn) >= 0 and float(du_ru) >= 0:
        eq.append(("ally", "ally"))
    return eq
