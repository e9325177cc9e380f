"""Toy models of the system-unit interaction behind "reluctant allies" (domain.md §3).

These models are **this book's reconstruction**, not the article's: Korolev & Portyakov
(2019) argue in prose that unit-level hurdles moderate the system's push and are worn down
by policies that pressure calls forth; the equations, parameters and defaults here are the
book's way of making that argument runnable (see ``shared/research/domain.md`` §3).

* :mod:`.params`    -- validated parameter dataclasses, presets, :class:`ParamGrid`
* :mod:`.static`    -- §3a static model, closed-form thresholds S_E, S_A
* :mod:`.dynamic`   -- §3b hurdle dynamics, steady states, long-run and moving thresholds
* :mod:`.core`      -- the vectorised simulator and its plain-Python reference
* :mod:`.game`      -- §3c two-player alliance game
* :mod:`.scenarios` -- pressure paths: ramp, shock, pulse, up-and-down, observed series
* :mod:`.analysis`  -- hysteresis loop width, bistability band, quadrant geometry
* :mod:`.fitting`   -- §3e fits, information criteria, hold-out scores, baselines, C4 test
"""

from .analysis import (
    HysteresisLoop,
    QuadrantGeometry,
    Rect,
    alliance_quadrant,
    bistability_band,
    hysteresis_loop,
)
from .core import Trajectory, simulate, simulate_reference
from .dynamic import (
    SteadyStates,
    long_run_threshold,
    moving_threshold,
    policy_effort,
    simulate_dynamic,
    steady_hurdles,
    steady_state_gap,
    steady_states,
)
from .fitting import (
    FitResult,
    FitSpec,
    HurdleTest,
    baseline_random_walk,
    baseline_trend,
    fit_dynamic,
    fit_static,
    hurdle_pressure_test,
    score_table,
    standardise,
)
from .game import (
    GameOutcome,
    acceptance_thresholds,
    cooperation_levels,
    equilibria,
    outcome,
    utility_gain,
)
from .params import (
    HYSTERESIS_DEMO,
    LOCK_IN,
    POST_2022_GAME,
    AllianceGame,
    DynamicParams,
    ParamGrid,
    Player,
    StaticParams,
)
from .scenarios import Scenario, constant, from_series, pulse, ramp, shock, up_down
from .static import (
    effective_hurdle,
    equilibrium_cooperation,
    filtered_stimulus,
    logistic,
    logit,
    simulate_static,
    static_threshold,
    static_thresholds,
)

__all__ = [
    "effective_hurdle",
    "AllianceGame",
    "DynamicParams",
    "FitResult",
    "FitSpec",
    "HurdleTest",
    "GameOutcome",
    "HYSTERESIS_DEMO",
    "HysteresisLoop",
    "LOCK_IN",
    "POST_2022_GAME",
    "ParamGrid",
    "Player",
    "QuadrantGeometry",
    "Rect",
    "Scenario",
    "StaticParams",
    "SteadyStates",
    "Trajectory",
    "acceptance_thresholds",
    "alliance_quadrant",
    "baseline_random_walk",
    "baseline_trend",
    "bistability_band",
    "constant",
    "cooperation_levels",
    "equilibria",
    "equilibrium_cooperation",
    "filtered_stimulus",
    "fit_dynamic",
    "fit_static",
    "from_series",
    "hurdle_pressure_test",
    "hysteresis_loop",
    "logistic",
    "logit",
    "long_run_threshold",
    "moving_threshold",
    "outcome",
    "policy_effort",
    "pulse",
    "ramp",
    "shock",
    "score_table",
    "simulate",
    "simulate_dynamic",
    "simulate_reference",
    "simulate_static",
    "standardise",
    "static_threshold",
    "static_thresholds",
    "steady_hurdles",
    "steady_state_gap",
    "steady_states",
    "up_down",
    "utility_gain",
]
