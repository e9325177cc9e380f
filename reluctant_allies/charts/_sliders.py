"""Building blocks of the kernel-free slider explorables (private module, public names).

An explorable precomputes one row per slider position; the page only filters those rows
by the slider values. These helpers are shared by :mod:`reluctant_allies.explorables`
and the chapter chart modules, so every explorable checks its grid, binds its sliders
and matches rows to them in the same way. The charts package skips this module when it
discovers builders (its name starts with ``_``).
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from .. import models
from ..analysis.grids import SLIDER_TOL, first_index, slider_grid
from .theme import MUTED

__all__ = [
    "SLIDER_TOL",
    "first_index",
    "match_sliders",
    "slider_grid",
    "slider_param",
    "star_rules",
    "threshold_rules",
    "time_encoding",
    "unpack_paths",
]


def slider_param(param: str, label: str, grid: np.ndarray, value: float) -> alt.Parameter:
    """A range slider named ``param`` over :func:`slider_grid` ``grid``, starting at
    ``value`` (which must be a grid point)."""
    if not np.isclose(grid, value).any():
        raise ValueError(f"initial {label.strip()} = {value} is not on the slider grid {grid}")
    step = float(np.round(grid[1] - grid[0], 6))
    return alt.param(
        name=param,
        value=float(value),
        bind=alt.binding_range(
            min=float(grid[0]), max=float(grid[-1]), step=step, name=f"{label} "
        ),
    )


def match_sliders(**fields: str) -> str:
    """Filter expression: each ``datum.field`` equals the named param (within SLIDER_TOL)."""
    return " && ".join(f"abs(datum.{f} - {p}) < {SLIDER_TOL}" for f, p in fields.items())


def threshold_rules(params: models.StaticParams, y_field: str = "C") -> alt.LayerChart:
    """Dashed horizontal rules, labelled, at the entente and alliance thresholds."""
    levels = pd.DataFrame(
        {y_field: [params.theta_E, params.theta_A], "name": ["entente θ_E", "alliance θ_A"]}
    )
    rules = alt.Chart(levels).mark_rule(strokeDash=[5, 3], color=MUTED).encode(y=f"{y_field}:Q")
    labels = (
        alt.Chart(levels)
        .mark_text(align="left", dx=4, dy=-6, fontSize=11, color=MUTED)
        .encode(x=alt.value(0), y=f"{y_field}:Q", text="name:N")
    )
    return rules + labels


def star_rules(rule_data: alt.Chart) -> tuple[alt.Chart, alt.Chart]:
    """The two players' acceptance thresholds in the pressure quadrant: dashed black
    vertical (``axis == 'x'``) and horizontal (``axis == 'y'``) rules at ``v``, from a
    chart of rows ``{axis, v}`` already filtered by the sliders."""
    vrule = (
        rule_data.transform_filter("datum.axis == 'x'")
        .mark_rule(strokeDash=[5, 3], color="#000000")
        .encode(x="v:Q")
    )
    hrule = (
        rule_data.transform_filter("datum.axis == 'y'")
        .mark_rule(strokeDash=[5, 3], color="#000000")
        .encode(y="v:Q")
    )
    return vrule, hrule


def time_encoding(last: int, colour: alt.Color, x_title: str = "year of the scenario") -> dict:
    """Encoding of unpacked paths (``t``, ``value``, ``series``) on years 0..``last``."""
    return {
        "x": alt.X("t:Q", title=x_title, scale=alt.Scale(domain=[0, last])),
        "y": alt.Y("value:Q", title="level (0–1)", scale=alt.Scale(domain=[0, 1])),
        "color": colour,
        "tooltip": [
            alt.Tooltip("series:N"),
            alt.Tooltip("t:Q", title="year"),
            alt.Tooltip("value:Q", format=".3f"),
        ],
    }


def unpack_paths(chart: alt.Chart, labels: Mapping[str, str]) -> alt.Chart:
    """``chart``'s rows long: one row per packed field and year ``t``, with ``value`` and
    ``series`` (the field's label from ``labels``). The fields hold paths packed by
    :func:`reluctant_allies.analysis.grids.pack_path` (comma-separated thousandths)."""
    fields = list(labels)
    series = " : ".join(f"datum.which == '{f}' ? '{v}'" for f, v in labels.items())
    return (
        chart.transform_calculate(
            t=f"sequence(0, length(split(datum.{fields[0]}, ',')))",
            **{f: f"split(datum.{f}, ',')" for f in fields},
        )
        .transform_flatten(["t", *fields])
        .transform_fold(fields, as_=["which", "thousandths"])
        .transform_calculate(value="toNumber(datum.thousandths) / 1000", series=f"{series} : ''")
    )
