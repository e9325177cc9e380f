"""Pressure scenarios S_t (annual, values in [0, 1]) for the toy models (domain.md §3).

Each builder returns a :class:`Scenario`; the simulators accept it wherever they accept
an array. :func:`from_series` turns an observed S index (a frame with ``year`` and a
value column) into a scenario, refusing anything the model cannot read honestly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .core import validate_path

__all__ = ["Scenario", "constant", "ramp", "shock", "pulse", "up_down", "from_series"]


@dataclass(frozen=True)
class Scenario:
    """A pressure path: ``S[i]`` is the pressure in ``years[i]``."""

    S: np.ndarray
    years: np.ndarray
    label: str = ""

    def __post_init__(self) -> None:
        S = validate_path(self.S)
        if S.ndim != 1:
            raise ValueError(f"Scenario: S must be 1-D, got shape {S.shape}")
        years = np.asarray(self.years)
        if years.shape != S.shape:
            raise ValueError(f"Scenario: years {years.shape} and S {S.shape} differ in length")
        object.__setattr__(self, "S", S)
        object.__setattr__(self, "years", years)

    def __len__(self) -> int:
        return len(self.S)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.S, dtype=dtype)


def _years(n: int, start_year: int) -> np.ndarray:
    if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 1:
        raise ValueError(f"years must be a positive integer (got {n!r})")
    return np.arange(start_year, start_year + n)


def _level(value: float, name: str) -> float:
    if not (np.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"{name} must be finite and in [0, 1] (got {value!r})")
    return float(value)


def constant(level: float, years: int, *, start_year: int = 0) -> Scenario:
    """S_t = level for ``years`` years."""
    y = _years(years, start_year)
    return Scenario(np.full(len(y), _level(level, "level")), y, f"constant {level:g}")


def ramp(start: float, end: float, years: int, *, start_year: int = 0) -> Scenario:
    """Linear ramp from ``start`` (first year) to ``end`` (last year)."""
    y = _years(years, start_year)
    S = np.linspace(_level(start, "start"), _level(end, "end"), len(y))
    return Scenario(S, y, f"ramp {start:g} to {end:g} over {years} years")


def shock(before: float, after: float, years: int, at: int, *, start_year: int = 0) -> Scenario:
    """Step change: ``before`` until index ``at``, ``after`` from then on."""
    y = _years(years, start_year)
    if not 0 <= at < len(y):
        raise ValueError(f"at must be in [0, {len(y) - 1}] (got {at})")
    S = np.where(np.arange(len(y)) < at, _level(before, "before"), _level(after, "after"))
    return Scenario(S, y, f"shock {before:g} to {after:g} at year {at}")


def pulse(
    base: float, peak: float, years: int, at: int, width: int, *, start_year: int = 0
) -> Scenario:
    """``peak`` for ``width`` years starting at index ``at``, ``base`` otherwise."""
    y = _years(years, start_year)
    if not 0 <= at < len(y):
        raise ValueError(f"at must be in [0, {len(y) - 1}] (got {at})")
    if not isinstance(width, int | np.integer) or width < 1:
        raise ValueError(f"width must be a positive integer (got {width!r})")
    i = np.arange(len(y))
    S = np.where((i >= at) & (i < at + width), _level(peak, "peak"), _level(base, "base"))
    return Scenario(S, y, f"pulse {peak:g} for {width} years")


def up_down(
    low: float, high: float, years_up: int, plateau: int = 0, *, start_year: int = 0
) -> Scenario:
    """Up-and-down sweep: ramp low -> high over ``years_up``, hold ``plateau``, mirror down."""
    up = ramp(low, high, years_up).S
    if not isinstance(plateau, int | np.integer) or plateau < 0:
        raise ValueError(f"plateau must be a non-negative integer (got {plateau!r})")
    S = np.concatenate([up, np.full(plateau, up[-1]), up[::-1]])
    return Scenario(S, _years(len(S), start_year), f"sweep {low:g} to {high:g} and back")


def from_series(df: pd.DataFrame, value: str = "value", *, year: str = "year") -> Scenario:
    """An observed S index as a scenario; years must be integer, sorted, unique, consecutive.

    Values must be finite and in [0, 1]; nothing is filled, clipped or reordered -- a
    problem is reported with the year (and row) at fault.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"from_series needs a pandas DataFrame, got {type(df).__name__}")
    for col in (year, value):
        if col not in df.columns:
            raise ValueError(f"S series: missing column {col!r} (have {list(df.columns)})")
    if len(df) == 0:
        raise ValueError("S series: no rows")
    yrs = df[year].to_numpy()
    if not np.issubdtype(yrs.dtype, np.integer):
        raise ValueError(f"S series: column {year!r} must hold integer years (dtype {yrs.dtype})")
    vals = pd.to_numeric(df[value], errors="coerce").to_numpy(dtype=float)
    for row in range(1, len(df)):  # order problems first: they are the likelier mistake
        if yrs[row] == yrs[row - 1]:
            raise ValueError(f"S series: duplicate year {yrs[row]} (row {row})")
        if yrs[row] < yrs[row - 1]:
            raise ValueError(
                f"S series: years not sorted: {yrs[row]} after {yrs[row - 1]} (row {row})"
            )
    for row in range(1, len(df)):
        if yrs[row] != yrs[row - 1] + 1:
            raise ValueError(
                f"S series: gap between {yrs[row - 1]} and {yrs[row]} (row {row}); the model "
                "is annual and a gap stays a gap, so pass a consecutive run of years"
            )
    for row, v in enumerate(vals):
        if not (np.isfinite(v) and 0.0 <= v <= 1.0):
            raise ValueError(
                f"S series: {value} must be finite and in [0, 1] "
                f"(got {df[value].iloc[row]!r} in year {yrs[row]}, row {row})"
            )
    return Scenario(vals, yrs.astype(int), f"observed {value}")
