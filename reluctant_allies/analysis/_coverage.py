"""Pressure-index frames split at the coded-events coverage window (private module).

Shared by the dynamics (chapter 7) and policy (chapter 10) charts, which draw the coded
pressure index solid inside the years the event coding covers and dashed outside.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["coverage_years"]


def coverage_years(frame: pd.DataFrame, lo: int, hi: int, c_lo: int, c_hi: int) -> pd.DataFrame:
    """``frame`` (one row per ``year``) on every year ``lo``..``hi``, missing years as null,
    with boolean columns ``inside`` (``c_lo``..``c_hi``), ``before`` (<= ``c_lo``) and
    ``after`` (>= ``c_hi``). Each edge shares its end year with the inside, so a dashed
    tail starts where the solid line stops, without bridging a gap."""
    p = frame.set_index("year").reindex(range(lo, hi + 1)).rename_axis("year").reset_index()
    p["inside"] = p["year"].between(c_lo, c_hi)
    p["before"] = p["year"] <= c_lo
    p["after"] = p["year"] >= c_hi
    return p
