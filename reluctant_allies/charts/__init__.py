"""The book's Altair charts: the builders chapters call, and the book's style on request.

Every builder returns a chart with a title and an accessible ``description`` (:func:`finish`
enforces it). Builders only lay numbers out: the frames, grids and verdicts they draw come
from :mod:`reluctant_allies.analysis` (and below it ``models``, ``pressure``, ``indicators``,
``data``), which has no Altair.

Importing this package changes no global state. A chapter calls :func:`use_book_style` once,
which registers and enables the book's Altair theme and its embed options; tests and other
users of the package may leave Altair as they found it.

The names below are the whole public API: each topic module lists its builders in
``__all__`` and this file re-exports them explicitly (``tests/test_layers.py`` checks that
the two agree).
"""

from __future__ import annotations

from .cooperation import (
    arms_deliveries,
    exercise_strip,
    threshold_explorable,
    unga_alignment,
)
from .datasets import (
    dataset_overview,
)
from .dynamics import (
    cooperation_vs_model,
    dynamic_paths,
    learning_explorable,
    long_run_curve,
    moving_threshold_chart,
    phase_portrait,
    pressure_vs_ramp,
)
from .economy import (
    economic_hurdle_explorable,
    trade_composition_butterfly,
    trade_directions,
    trade_gdp_asymmetry,
    trade_share_asymmetry,
    trade_turnover,
)
from .falsifiers import (
    reader_explorable,
    rupture_indicators,
    scenario_fan,
    treaty_record,
)
from .game import (
    corner_drift_explorable,
    ideal_point_distances,
    post2022_timeline,
    readout_below,
)
from .hysteresis import (
    band_explorer,
    bifurcation_diagram,
    cooperation_record,
    empirical_loop,
    memory_fade_chart,
    sweep_loops,
)
from .memory import (
    memory_policy_timeline,
    memory_rebound_explorable,
    opinion_by_pollster,
)
from .outofsample import (
    forecast_chart,
    holdout_error_chart,
    pressure_paths_chart,
)
from .policy import (
    policy_effort_chart,
    policy_effort_explorable,
    policy_vs_pressure,
    themed_years_gantt,
)
from .system import (
    cinc_shares,
    pressure_codings,
    pressure_coverage_chart,
    pressure_index_chart,
    pressure_indices_chart,
    pressure_record_rules,
    pressure_rules_table,
    pressure_variants_chart,
    record_explorer,
    record_model_run,
    us_power_shares,
)
from .theme import PALETTE, THEME_NAME, finish, source_note, use_book_style
from .theory import (
    alliance_obligation_tiles,
    ncr_causal_diagram,
    static_filter_explorable,
    unipolarity_spending_shares,
)
from .timeline import (
    milestones_timeline,
)

__all__ = [
    "alliance_obligation_tiles",
    "arms_deliveries",
    "band_explorer",
    "bifurcation_diagram",
    "cinc_shares",
    "cooperation_record",
    "cooperation_vs_model",
    "corner_drift_explorable",
    "dataset_overview",
    "dynamic_paths",
    "economic_hurdle_explorable",
    "empirical_loop",
    "exercise_strip",
    "finish",
    "forecast_chart",
    "holdout_error_chart",
    "ideal_point_distances",
    "learning_explorable",
    "long_run_curve",
    "memory_fade_chart",
    "memory_policy_timeline",
    "memory_rebound_explorable",
    "milestones_timeline",
    "moving_threshold_chart",
    "ncr_causal_diagram",
    "opinion_by_pollster",
    "PALETTE",
    "phase_portrait",
    "policy_effort_chart",
    "policy_effort_explorable",
    "policy_vs_pressure",
    "post2022_timeline",
    "pressure_codings",
    "pressure_coverage_chart",
    "pressure_index_chart",
    "pressure_indices_chart",
    "pressure_paths_chart",
    "pressure_record_rules",
    "pressure_rules_table",
    "pressure_variants_chart",
    "record_explorer",
    "record_model_run",
    "pressure_vs_ramp",
    "reader_explorable",
    "readout_below",
    "rupture_indicators",
    "scenario_fan",
    "source_note",
    "static_filter_explorable",
    "sweep_loops",
    "THEME_NAME",
    "themed_years_gantt",
    "threshold_explorable",
    "trade_composition_butterfly",
    "trade_directions",
    "trade_gdp_asymmetry",
    "trade_share_asymmetry",
    "trade_turnover",
    "treaty_record",
    "unga_alignment",
    "unipolarity_spending_shares",
    "us_power_shares",
    "use_book_style",
]
