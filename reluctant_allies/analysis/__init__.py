"""The analysis layer: every chapter-level frame, grid, table and verdict, with no Altair.

Layers import one way (``pyproject.toml``, ``[tool.importlinter]``, checked by ``make lint``)::

    data, models  <-  pressure, exercises, indicators, sources  <-  analysis  <-  charts,
    explorables  <-  chapters

Modules are named for the chapter topic whose numbers they hold (``system``, ``economy``,
``memory`` ...); :mod:`~reluctant_allies.analysis.verdicts` is the one home of the book's
verdicts (chapter 11's scorecard and chapter 12's falsifiers), and
:mod:`~reluctant_allies.analysis.evaluation` the out-of-sample protocol of chapter 11 (used
as ``analysis.evaluation``; its names are not re-exported here). The names below are the
public API, re-exported explicitly.
"""

from __future__ import annotations

from . import evaluation
from .claims import (
    RESOURCES,
    VERDICTS_PATH,
    compute_outcomes,
    inputs_hash,
    verdict_record,
)
from .cooperation import (
    coded_cooperation,
    exercise_kind_table,
    fallback_comparison,
    ramp_paths,
    threshold_grid,
)
from .dynamics import (
    dynamic_runs,
    dynamic_scenarios,
    learning_grid,
    learning_scenario,
    long_run_frame,
    moving_threshold_frame,
    phase_frame,
    ramp_milestones,
    ramp_on_calendar,
    rebound_numbers,
)
from .economy import (
    composition_groups,
    economic_hurdle_grid,
    economy_facts,
    hurdle_threshold_table,
    implied_2015,
    trade_share_facts,
    trade_share_lines,
)
from .falsifiers import (
    SCENARIOS,
    reader_grid,
    scenario_runs,
    scenario_verdicts,
)
from .game import (
    binding_points,
    binding_year,
    corner_grid,
    distance_table,
    threshold_table,
)
from .grids import (
    SLIDER_TOL,
    first_index,
    pack_path,
    slider_grid,
    unpack_path,
)
from .hysteresis import (
    band_grid,
    loop_frame,
    loop_widths,
    memory_fade,
    memory_fade_years,
    record_frame,
    steady_branches,
)
from .memory import (
    memory_events,
    memory_rebound_grid,
    memory_rebound_summary,
    opinion_hurdle_proxy,
    opinion_series,
)
from .policy import (
    fisher_power,
    policy_after_rises,
    policy_effort_grid,
    policy_effort_runs,
    policy_scenario,
    policy_years,
    rise_years,
    timing_test,
    timing_tests,
)
from .system import (
    china_above_usa,
    cinc_frame,
    codings_frame,
    reactive_acts,
    record_explorer_grid,
    record_facts,
    record_model_frame,
    us_share_frame,
)
from .theory import (
    obligation_tiles,
    spending_shares,
    static_filter_grid,
    static_filter_thresholds,
    theory_facts,
)
from .verdicts import (
    DENIALS,
    DYAD,
    PREDICTIONS,
    FalsifierRules,
    exercise_rows,
    falsifier_status,
    reported_turnover,
    scorecard,
    scorecard_evidence,
    treaty_rows,
    unga_agreement,
)

__all__ = [
    "RESOURCES",
    "VERDICTS_PATH",
    "compute_outcomes",
    "inputs_hash",
    "verdict_record",
    "band_grid",
    "china_above_usa",
    "cinc_frame",
    "coded_cooperation",
    "exercise_kind_table",
    "fallback_comparison",
    "codings_frame",
    "composition_groups",
    "binding_points",
    "binding_year",
    "corner_grid",
    "DENIALS",
    "distance_table",
    "DYAD",
    "dynamic_runs",
    "dynamic_scenarios",
    "economic_hurdle_grid",
    "economy_facts",
    "evaluation",
    "exercise_rows",
    "falsifier_status",
    "FalsifierRules",
    "first_index",
    "pack_path",
    "hurdle_threshold_table",
    "implied_2015",
    "learning_grid",
    "learning_scenario",
    "long_run_frame",
    "loop_frame",
    "loop_widths",
    "memory_events",
    "memory_fade",
    "memory_fade_years",
    "memory_rebound_grid",
    "memory_rebound_summary",
    "moving_threshold_frame",
    "obligation_tiles",
    "opinion_hurdle_proxy",
    "opinion_series",
    "phase_frame",
    "fisher_power",
    "policy_after_rises",
    "policy_effort_grid",
    "policy_effort_runs",
    "policy_scenario",
    "policy_years",
    "rise_years",
    "timing_test",
    "timing_tests",
    "PREDICTIONS",
    "reactive_acts",
    "record_explorer_grid",
    "record_facts",
    "record_model_frame",
    "ramp_milestones",
    "ramp_on_calendar",
    "ramp_paths",
    "reader_grid",
    "rebound_numbers",
    "record_frame",
    "reported_turnover",
    "scenario_runs",
    "scenario_verdicts",
    "SCENARIOS",
    "scorecard",
    "scorecard_evidence",
    "slider_grid",
    "SLIDER_TOL",
    "spending_shares",
    "static_filter_grid",
    "static_filter_thresholds",
    "theory_facts",
    "steady_branches",
    "threshold_grid",
    "threshold_table",
    "trade_share_facts",
    "trade_share_lines",
    "treaty_rows",
    "unga_agreement",
    "unpack_path",
    "us_share_frame",
]
