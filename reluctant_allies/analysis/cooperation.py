"""Chapter 4 (cooperation): the coded milestone series, the model's ramp paths, and the threshold
grid behind the entente/alliance explorable.

Every function returns plain tables or values (no Altair); ``charts/cooperation.py`` lays them
out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .. import exercises, models
from .._checks import require_columns

__all__ = [
    "coded_cooperation",
    "exercise_kind_table",
    "fallback_comparison",
    "ramp_paths",
    "threshold_grid",
]


#: Periods of the exercise table by kind: before the naval series, to Vostok-2018, after.
EXERCISE_PERIODS = ((2003, 2011), (2012, 2018), (2019, 2025))


#: Threshold grid of the explorable (theta_E < theta_A for every pair).
THETA_E = tuple(round(v, 2) for v in np.arange(0.30, 0.701, 0.05))


THETA_A = tuple(round(v, 2) for v in np.arange(0.75, 0.951, 0.05))


def coded_cooperation(
    coding: Mapping[str, float],
    *tables: pd.DataFrame,
    last_year: int,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The book's ordinal coding of milestones as a yearly step series on the C scale.

    ``coding`` maps milestone ids (found in the ``id`` column of one of ``tables``, each
    with ``id``, ``year`` and ``source_url``) to a level in [0, 1]; the level holds from the
    milestone's year until the next milestone. Levels must not fall: a milestone is a rung
    reached, not a measurement. Returns year, C, milestone, label, source_url.
    """
    if not coding:
        raise ValueError("coded_cooperation: coding is empty")
    for t in tables:
        require_columns(t, ("id", "year", "source_url"), "coded_cooperation", nonempty=True)
    found = pd.concat([t[["id", "year", "source_url"]] for t in tables], ignore_index=True)
    found = found.drop_duplicates("id")
    unknown = sorted(set(coding) - set(found["id"]))
    if unknown:
        raise ValueError(f"coded_cooperation: no milestone with id(s) {unknown} in the tables")
    for key, level in coding.items():
        if not (isinstance(level, int | float) and 0.0 <= float(level) <= 1.0):
            raise ValueError(
                f"coded_cooperation: level of {key!r} must be in [0, 1], got {level!r}"
            )
    ms = found.set_index("id").loc[list(coding)].reset_index()
    ms["C"] = [float(coding[i]) for i in ms["id"]]
    ms = ms.sort_values(["year", "C"], kind="stable").reset_index(drop=True)
    if (np.diff(ms["C"]) < 0).any():
        raise ValueError("coded_cooperation: levels must not fall as milestones accumulate")
    if ms["year"].duplicated().any():
        dup = sorted(ms.loc[ms["year"].duplicated(), "year"].tolist())
        raise ValueError(f"coded_cooperation: two milestones in year(s) {dup}; code one per year")
    if last_year < int(ms["year"].max()):
        raise ValueError(f"coded_cooperation: last_year {last_year} is before the last milestone")
    labels = dict(labels or {})
    years = np.arange(int(ms["year"].min()), last_year + 1)
    idx = np.searchsorted(ms["year"].to_numpy(), years, side="right") - 1
    out = pd.DataFrame({"year": years, "C": ms["C"].to_numpy()[idx].round(3)})
    out["milestone"] = ms["id"].to_numpy()[idx]
    out["label"] = [
        labels.get(m, m) if y == yr else ""
        for m, y, yr in zip(out["milestone"], out["year"], ms["year"].to_numpy()[idx], strict=True)
    ]
    out["source_url"] = ms["source_url"].to_numpy()[idx]
    return out


def ramp_paths(
    start: float = 0.2,
    end: float = 0.9,
    years: int = 30,
    *,
    static: models.StaticParams | None = None,
    dynamic: models.DynamicParams | None = None,
) -> pd.DataFrame:
    """C paths of the static and dynamic models on a linear pressure ramp (model years 0..T).

    Returns model, year, S (pressure in that year; empty in the final state), C.
    """
    sc = models.ramp(start, end, years)
    rows = []
    for name, params, run in (
        ("static model", static or models.StaticParams(), models.simulate_static),
        ("dynamic model", dynamic or models.DynamicParams(), models.simulate_dynamic),
    ):
        traj = run(params, sc)
        rows.append(
            pd.DataFrame(
                {
                    "model": name,
                    "year": np.arange(years + 1),
                    "S": np.append(np.round(sc.S, 3), np.nan),
                    "C": np.round(traj.C, 4),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def _status(C: np.ndarray, te: float, ta: float) -> np.ndarray:
    return np.where(C >= ta, "alliance", np.where(C >= te, "entente", "below entente"))


def _spans(years: np.ndarray, mask: np.ndarray) -> str:
    if not mask.any():
        return "none"
    y = years[mask]
    breaks = np.flatnonzero(np.diff(y) != 1)
    starts = np.concatenate([[y[0]], y[breaks + 1]])
    ends = np.concatenate([y[breaks], [y[-1]]])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in zip(starts, ends, strict=True))


def threshold_grid(
    paths: pd.DataFrame,
    theta_E: Iterable[float] = THETA_E,
    theta_A: Iterable[float] = THETA_A,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Classify every year of every path for each (theta_E, theta_A) pair.

    ``paths`` has panel, year, C. Returns (points, summary): points has one row per
    (theta_E, theta_A, panel, year) with ``status``; summary one row per
    (theta_E, theta_A, panel) with the entente and alliance years as text.
    """
    require_columns(paths, ("panel", "year", "C"), "threshold_grid", nonempty=True)
    C = paths["C"].to_numpy(dtype=float)
    if not (np.isfinite(C) & (C >= 0) & (C <= 1)).all():
        raise ValueError("threshold_grid: C must be finite and in [0, 1] in every row")
    te_vals, ta_vals = [float(v) for v in theta_E], [float(v) for v in theta_A]
    for name, vals in (("theta_E", te_vals), ("theta_A", ta_vals)):
        if not vals or not all(0 < v < 1 for v in vals):
            raise ValueError(f"threshold_grid: {name} values must be in (0, 1), got {vals}")
    if max(te_vals) >= min(ta_vals):
        raise ValueError(
            f"threshold_grid: every theta_E must be below every theta_A "
            f"(max theta_E {max(te_vals)} >= min theta_A {min(ta_vals)})"
        )
    points, summary = [], []
    for te in te_vals:
        for ta in ta_vals:
            status = _status(C, te, ta)
            block = paths.assign(theta_E=round(te, 2), theta_A=round(ta, 2), status=status)
            points.append(block)
            for panel, part in block.groupby("panel", sort=False):
                yrs = part["year"].to_numpy()
                summary.append(
                    {
                        "panel": panel,
                        "theta_E": round(te, 2),
                        "theta_A": round(ta, 2),
                        "entente": _spans(yrs, (part["status"] == "entente").to_numpy()),
                        "alliance": _spans(yrs, (part["status"] == "alliance").to_numpy()),
                    }
                )
    return pd.concat(points, ignore_index=True), pd.DataFrame(summary)


def exercise_kind_table(
    ex: pd.DataFrame, periods: Iterable[tuple[int, int]] = EXERCISE_PERIODS
) -> pd.DataFrame:
    """Counted activities by kind and period, broad and strict, from the whole exercise table.

    One row per kind (in :data:`reluctant_allies.exercises.KINDS` order) plus ``all kinds``;
    two columns per period, ``"2003–2011 broad"`` and ``"2003–2011 strict"``. Uncounted rows
    (context rows) never enter; an empty kind shows 0, not a gap.
    """
    periods = [(int(a), int(b)) for a, b in periods]
    if not periods:
        raise ValueError("exercise_kind_table: periods is empty")
    for a, b in periods:
        if a > b:
            raise ValueError(f"exercise_kind_table: period {a}–{b} ends before it starts")
    table = exercises.yearly_counts(ex)
    counted = ex[ex["counted"].astype(bool)]
    strict = counted[counted["strict"].astype(bool)]
    out = {}
    kinds = list(exercises.KINDS)
    for a, b in periods:
        rows = table.loc[(table.index >= a) & (table.index <= b), kinds].sum()
        s_years = strict["year"].astype(int).between(a, b)
        s_kinds = strict.loc[s_years, "kind"].value_counts().reindex(kinds, fill_value=0)
        out[f"{a}–{b} broad"] = [*map(int, rows), int(rows.sum())]
        out[f"{a}–{b} strict"] = [*map(int, s_kinds), int(s_kinds.sum())]
    return pd.DataFrame(out, index=pd.Index([*kinds, "all kinds"], name="kind"))


def fallback_comparison(
    model: pd.Series, proxies: Mapping[str, pd.Series], *, start: int, end: int
) -> pd.DataFrame:
    """Did each record fall where the static model's cooperation falls?

    ``model`` and each proxy are series indexed by year. Returns one row per series (the
    model first): ``series, start, end, change, fell`` with the values in ``start`` and
    ``end``. A proxy without a value in either year raises ``ValueError`` naming it, so a
    gap is never read as a fall.
    """
    if start >= end:
        raise ValueError(f"fallback_comparison: start {start} must be before end {end}")
    rows = []
    for name, series in {"static model C": model, **proxies}.items():
        missing = [y for y in (start, end) if y not in series.index or pd.isna(series.get(y))]
        if missing:
            raise ValueError(f"fallback_comparison: series {name!r} has no value in {missing}")
        a, b = float(series[start]), float(series[end])
        rows.append({"series": name, "start": a, "end": b, "change": b - a, "fell": b < a})
    return pd.DataFrame(rows)
