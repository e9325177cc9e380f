"""Two-player alliance game (domain §3c): thresholds, equilibria, asymmetric reluctance."""

from __future__ import annotations

import numpy as np
import pytest

from reluctant_allies.models import (
    POST_2022_GAME,
    AllianceGame,
    Player,
    acceptance_thresholds,
    alliance_quadrant,
    equilibria,
    outcome,
    utility_gain,
)


def test_default_thresholds_follow_the_closed_form():
    # (tau + eps X + eta (gamma_e H_e + gamma_m H_m) - phi R) / alpha = 0.2 + 0.12 + 0.108 - 0.06
    s_cn, s_ru = acceptance_thresholds(AllianceGame())
    assert s_cn == pytest.approx(0.368) and s_ru == pytest.approx(0.368)
    du_cn, du_ru = utility_gain(AllianceGame(), 0.368, 0.368)
    assert du_cn == pytest.approx(0.0, abs=1e-12) and du_ru == pytest.approx(0.0, abs=1e-12)


def test_russian_exposure_raises_only_chinas_threshold():
    """X_RU is China's entrapment risk: it moves S_CN* and leaves S_RU* alone."""
    before = AllianceGame()
    after = AllianceGame(russia=Player(X=0.9))
    (cn0, ru0), (cn1, ru1) = acceptance_thresholds(before), acceptance_thresholds(after)
    assert cn1 - cn0 == pytest.approx(0.4 * 0.6)  # epsilon_CN * change in X_RU
    assert ru1 == ru0


def test_asymmetric_reluctance_after_2022():
    """Russia at war and short of options: China becomes the reluctant partner, not Russia."""
    s_cn, s_ru = acceptance_thresholds(POST_2022_GAME)
    assert s_cn > s_ru + 0.2
    S = np.linspace(0, 1, 201)
    o = outcome(POST_2022_GAME, S, S)  # the same pressure on both
    only_ru = o.accept_ru & ~o.accept_cn
    only_cn = o.accept_cn & ~o.accept_ru
    assert only_ru.any() and not only_cn.any()


def test_asymmetry_disappears_without_entrapment_and_abandonment_terms():
    flat = AllianceGame(
        china=POST_2022_GAME.china.replace(epsilon=0.0, phi=0.0),
        russia=POST_2022_GAME.russia.replace(epsilon=0.0, phi=0.0),
    )
    s_cn, s_ru = acceptance_thresholds(flat)
    assert s_cn == pytest.approx(s_ru)


def test_no_no_is_always_an_equilibrium_and_ally_ally_only_inside_the_quadrant():
    g = AllianceGame()
    assert equilibria(g, 0.1, 0.9) == [("no", "no")]
    assert equilibria(g, 0.5, 0.5) == [("no", "no"), ("ally", "ally")]


def test_reluctant_allies_region_when_china_fears_entrapment():
    g = AllianceGame(china=Player(epsilon=1.0, R=0.3), russia=Player(X=0.8, R=0.05))
    q = alliance_quadrant(g)
    assert q.S_cn_star > 1.0 and q.acceptance is None and q.alliance is None
    assert q.reluctant_area == pytest.approx(q.entente.area) and q.entente.area > 0.05
    # with default weights the entente region is all alliance: no reluctance at all
    assert alliance_quadrant(AllianceGame()).reluctant_area == pytest.approx(0.0)


def test_quadrant_areas_match_a_grid_count():
    g = POST_2022_GAME
    q = alliance_quadrant(g)
    s = (np.arange(2000) + 0.5) / 2000
    o = outcome(g, s[:, None], s[None, :])
    assert o.alliance.mean() == pytest.approx(q.acceptance.area, abs=2e-3)
    assert (o.entente & o.alliance).mean() == pytest.approx(q.alliance.area, abs=2e-3)
    assert o.reluctant_allies.mean() == pytest.approx(q.reluctant_area, abs=2e-3)


def test_eroding_hurdles_move_the_corner_down_left():
    worn = Player(H_e=0.3, H_m=0.2)
    before = alliance_quadrant(AllianceGame())
    after = alliance_quadrant(AllianceGame(china=worn, russia=worn))
    assert after.S_cn_star < before.S_cn_star and after.S_ru_star < before.S_ru_star
    assert after.S_cn_entente < before.S_cn_entente


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"alpha": 0.0}, "alpha must be in (0, inf)"),
        ({"R": 1.5}, "R must be in [0, 1]"),
        ({"X": float("nan")}, "X must be finite"),
        ({"tau": -0.1}, "tau must be in [0, inf)"),
    ],
)
def test_invalid_player_parameters(kwargs, text):
    with pytest.raises(ValueError) as err:
        Player(**kwargs)
    assert text in str(err.value)


def test_game_pressures_are_validated():
    with pytest.raises(ValueError, match="S_cn"):
        utility_gain(AllianceGame(), 1.2, 0.5)
    with pytest.raises(TypeError, match="china"):
        AllianceGame(china="PRC")
