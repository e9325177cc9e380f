"""Slider grids: the one definition of a grid an explorable may precompute, and how a slider
value is matched to a grid point. The Altair side (slider widgets, Vega expressions) is in
``charts/_sliders.py``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["SLIDER_TOL", "first_index", "slider_grid"]


#: Slider values arrive as JS numbers; match grid points with this tolerance.
SLIDER_TOL = 1e-6


def slider_grid(values: Sequence[float], name: str) -> np.ndarray:
    """``values`` as a slider grid: at least two increasing, evenly spaced values (rounded
    to 6 decimals). Raises ``ValueError`` naming ``name`` otherwise."""
    arr = np.round(np.asarray(values, dtype=float), 6)
    if arr.ndim != 1 or arr.size < 2 or np.any(np.diff(arr) <= 0):
        raise ValueError(f"{name} must be at least two increasing values (got {values!r})")
    steps = np.diff(arr)
    if not np.allclose(steps, steps[0], atol=1e-9):
        raise ValueError(f"{name} must be evenly spaced for a slider (got {values!r})")
    return arr


def first_index(hit: np.ndarray) -> int:
    """Index of the first true value in ``hit``, or -1 if there is none."""
    return int(hit.argmax()) if hit.any() else -1
