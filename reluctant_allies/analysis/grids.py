"""Slider grids: the one definition of a grid an explorable may precompute, and how a slider
value is matched to a grid point. The Altair side (slider widgets, Vega expressions) is in
``charts/_sliders.py``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["SLIDER_TOL", "first_index", "pack_path", "slider_grid", "unpack_path"]


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


def pack_path(values, who: str = "pack_path") -> str:
    """A path in [0, 1] as comma-separated thousandths ("691,388,..."): one short JSON
    string per path instead of a long array keeps an explorable's precomputed grid small.
    The chart splits it back in the browser (``charts._sliders.unpacked``); in Python,
    :func:`unpack_path`. Raises ``ValueError`` naming ``who`` for a value outside [0, 1]."""
    arr = np.asarray(values, dtype=float)
    if not (np.isfinite(arr).all() and (arr >= 0).all() and (arr <= 1).all()):
        raise ValueError(f"{who}: path values must be finite and in [0, 1]")
    return ",".join(str(int(v)) for v in np.round(arr * 1000))


def unpack_path(packed: str) -> np.ndarray:
    """The inverse of :func:`pack_path` (values to 3 decimals)."""
    return np.array([int(v) for v in packed.split(",")], dtype=float) / 1000
