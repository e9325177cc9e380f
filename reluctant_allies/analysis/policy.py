"""Chapter 7 (policy): policy years, the rise-year timing test's inputs, and the policy-effort runs
and grid.

Every function returns plain tables or values (no Altair); ``charts/policy.py`` lays them out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .. import models
from .._checks import require_columns

__all__ = [
    "fisher_power",
    "policy_after_rises",
    "policy_effort_grid",
    "policy_effort_runs",
    "policy_scenario",
    "policy_years",
    "rise_years",
    "timing_test",
    "timing_tests",
]


POLICY = "policy on a hurdle"


PRESSURE = "systemic pressure"


#: The book's coding of which hurdle each policy event aims at: the economic-model
#: hurdle for these event ids (energy and trade-linkage deals); everything else in the
#: category (border settlement, themed years, shared commemorations) counts as aimed at
#: the memory hurdle, as in domain.md §1.6-§1.7.
ECONOMIC_POLICY_IDS = frozenset(
    {
        "power-of-siberia-contract",
        "power-of-siberia-deliveries",
        "eaeu-sreb-statement",
        "power-of-siberia-2-memo",
    }
)


THEMED_COLUMNS = ("id", "theme", "first_year", "last_year", "source_url", "confidence")


def _check_themed(themed: pd.DataFrame, who: str) -> pd.DataFrame:
    require_columns(themed, THEMED_COLUMNS, who)
    df = themed.copy()
    bad_conf = sorted(set(df["confidence"].astype(str)) - {"sourced", "weak"})
    if bad_conf:
        raise ValueError(f"{who}: column 'confidence' has unknown value(s) {bad_conf}")
    for col in ("first_year", "last_year"):
        if df[col].isna().any():
            raise ValueError(f"{who}: column {col!r} has a missing value")
    backwards = df["last_year"] < df["first_year"]
    if backwards.any():
        row = df.loc[backwards].iloc[0]
        raise ValueError(
            f"{who}: last_year before first_year for {row['id']!r} "
            f"({row['first_year']}–{row['last_year']})"
        )
    return df


EVENT_COLUMNS = ("id", "year", "category", "confidence")


def policy_years(
    events: pd.DataFrame,
    themed: pd.DataFrame,
    *,
    first: int = 1991,
    last: int = 2025,
) -> pd.DataFrame:
    """One row per year from ``first`` to ``last``: how many hurdle policies, and of what kind.

    Columns: ``year``; ``memory``, ``economic`` (new 'policy on a hurdle' events aimed at
    each hurdle, sourced rows only, themed-year openings *excluded* because the
    themed-years table counts them); ``themed_start`` (1 if a sourced themed programme
    begins that year); ``new_policies`` (memory + economic + themed_start);
    ``themed_year`` (1 if a sourced themed year runs that year) and ``themed_year_weak``
    (1 if only a weak-source one does); ``pressure_events`` (sourced 'systemic pressure'
    events, a crude count kept for comparison).
    """
    who = "policy_years"
    require_columns(events, EVENT_COLUMNS, who)
    themed = _check_themed(themed, who)
    for name, value in (("first", first), ("last", last)):
        if not isinstance(value, int | np.integer) or isinstance(value, bool):
            raise ValueError(f"{who}: {name} must be an integer year (got {value!r})")
    if first > last:
        raise ValueError(f"{who}: first ({first}) must not be after last ({last})")
    years = np.arange(first, last + 1)
    ev = events[events["confidence"].astype(str) == "sourced"]
    pol = ev[(ev["category"] == POLICY) & ~ev["id"].isin(set(themed["id"]))]
    economic = pol["id"].isin(ECONOMIC_POLICY_IDS)

    def per_year(rows: pd.DataFrame) -> np.ndarray:
        counts = rows.groupby(rows["year"].astype(int)).size()
        return counts.reindex(years, fill_value=0).to_numpy(dtype=int)

    def running(rows: pd.DataFrame) -> np.ndarray:
        on = np.zeros(len(years), dtype=int)
        for a, b in zip(rows["first_year"].astype(int), rows["last_year"].astype(int), strict=True):
            on |= ((years >= a) & (years <= b)).astype(int)
        return on

    starts = themed.loc[themed["confidence"] == "sourced", "first_year"].astype(int)
    themed_start = np.isin(years, starts.to_numpy()).astype(int)
    sourced = running(themed[themed["confidence"] == "sourced"])
    weak = running(themed[themed["confidence"] == "weak"]) & (1 - sourced)
    out = pd.DataFrame(
        {
            "year": years,
            "memory": per_year(pol[~economic]),
            "economic": per_year(pol[economic]),
            "themed_start": themed_start,
            "themed_year": sourced,
            "themed_year_weak": weak,
            "pressure_events": per_year(ev[ev["category"] == PRESSURE]),
        }
    )
    out.insert(3, "new_policies", out["memory"] + out["economic"] + out["themed_start"])
    return out


def rise_years(
    yearly: pd.DataFrame,
    pressure: pd.DataFrame,
    *,
    coverage: tuple[int, int],
    value: str = "value",
    lag: int = 1,
) -> pd.DataFrame:
    """One row per year ``coverage[0] + 1 .. coverage[1]``: was it a rise year, was it followed?

    A year is a *rise* year if the index went up from the year before. It is *followed* if
    at least one new policy (``new_policies``: an event or the start of a sourced themed
    programme) came in that year or within ``lag`` years after. Columns: year, rise,
    followed. A lag window that runs past the last year of ``yearly`` is cut there.
    """
    who = "rise_years"
    require_columns(yearly, ("year", "new_policies"), who)
    require_columns(pressure, ("year", value), who)
    if not isinstance(lag, int | np.integer) or isinstance(lag, bool) or lag < 0:
        raise ValueError(f"{who}: lag must be a non-negative integer (got {lag!r})")
    c_lo, c_hi = (int(v) for v in coverage)
    if c_lo >= c_hi:
        raise ValueError(f"{who}: coverage {coverage} must span at least two years")
    if pressure["year"].duplicated().any():
        raise ValueError(f"{who}: pressure table has a year twice")
    s = pressure.set_index("year")[value].astype(float)
    pol = yearly.set_index("year")["new_policies"]
    rows = []
    for yr in range(c_lo + 1, c_hi + 1):
        if yr not in s.index or yr - 1 not in s.index:
            raise ValueError(f"{who}: pressure table lacks year {yr - 1} or {yr}")
        if not (np.isfinite(s[yr]) and np.isfinite(s[yr - 1])):
            raise ValueError(f"{who}: pressure value missing in {yr - 1} or {yr}")
        if yr not in pol.index:
            raise ValueError(f"{who}: the yearly policy table lacks year {yr}")
        window = [y for y in range(yr, yr + lag + 1) if y in pol.index]
        rows.append(
            {
                "year": yr,
                "rise": bool(s[yr] > s[yr - 1]),
                "followed": bool(pol.loc[window].sum() > 0),
            }
        )
    return pd.DataFrame(rows)


def policy_after_rises(
    yearly: pd.DataFrame,
    pressure: pd.DataFrame,
    *,
    coverage: tuple[int, int],
    value: str = "value",
    lag: int = 1,
) -> pd.DataFrame:
    """Were rises in pressure followed by new hurdle policies? A two-row descriptive table.

    Over the years ``coverage[0] + 1 .. coverage[1]`` (see :func:`rise_years`), count for
    rise years and for the other years how many had a new policy in the same year or
    within ``lag`` years after. :func:`timing_test` adds the exact test and its power.
    """
    df = rise_years(yearly, pressure, coverage=coverage, value=value, lag=lag)
    out = []
    for rise, label in ((True, "pressure rose"), (False, "pressure did not rise")):
        g = df[df["rise"] == rise]
        out.append(
            {
                "years": label,
                "n years": len(g),
                "with a new policy within the window": int(g["followed"].sum()),
                "share": round(g["followed"].mean(), 2) if len(g) else float("nan"),
                "which years": _year_ranges(g["year"]),
            }
        )
    return pd.DataFrame(out).set_index("years")


def _check_prob(value, name: str, who: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        raise ValueError(f"{who}: {name} must be a probability (got {value!r})")
    v = float(value)
    if not 0 <= v <= 1:
        raise ValueError(f"{who}: {name} must be in [0, 1] (got {value!r})")
    return v


def _fisher_greater(x1, n1: int, x0, n0: int):
    """One-sided Fisher p-value that group 1's share exceeds group 0's (vectorised)."""
    x1 = np.asarray(x1)
    x0 = np.asarray(x0)
    return stats.hypergeom.sf(x1 - 1, n1 + n0, x1 + x0, n1)


def fisher_power(
    n_rise: int, n_other: int, p_rise: float, p_other: float, *, alpha: float = 0.05
) -> float:
    """Exact power of the one-sided Fisher test (rise years followed more often), at level
    ``alpha``, when rise years are followed with probability ``p_rise`` and other years with
    ``p_other``, for ``n_rise`` and ``n_other`` years.

    Computed exactly, not simulated: the probability, under two independent binomials, of
    every outcome (x_rise, x_other) whose Fisher p-value is at most ``alpha``.
    """
    who = "fisher_power"
    for name, n in (("n_rise", n_rise), ("n_other", n_other)):
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"{who}: {name} must be a positive integer (got {n!r})")
    p1 = _check_prob(p_rise, "p_rise", who)
    p0 = _check_prob(p_other, "p_other", who)
    a = _check_prob(alpha, "alpha", who)
    x1, x0 = np.meshgrid(np.arange(n_rise + 1), np.arange(n_other + 1), indexing="ij")
    reject = _fisher_greater(x1, int(n_rise), x0, int(n_other)) <= a
    prob = stats.binom.pmf(x1, n_rise, p1) * stats.binom.pmf(x0, n_other, p0)
    return float(prob[reject].sum())


#: The stated effect chapter 7 asks the test to detect: rise years followed by a new
#: policy 80% of the time against 50% for other years (a 30-point difference).
STATED_EFFECT = (0.8, 0.5)


def timing_test(
    yearly: pd.DataFrame,
    pressure: pd.DataFrame,
    *,
    coverage: tuple[int, int],
    value: str = "value",
    lag: int = 1,
    alpha: float = 0.05,
    effect: tuple[float, float] = STATED_EFFECT,
) -> dict:
    """Claim C3's timing test: are rise years followed by a new policy more often?

    Returns a dict: ``rise_n``, ``rise_followed``, ``other_n``, ``other_followed``,
    ``rise_share``, ``other_share``; ``p_value`` (one-sided Fisher exact test, rise years
    more often followed); ``power_stated`` (exact power at ``alpha`` for ``effect`` =
    (p_rise, p_other) at these group sizes); ``power_ceiling`` (power if rise years were
    *always* followed, against the other years' observed share: the most any effect could
    show at this base rate); and ``mde_rise`` (the smallest p_rise, on a 0.01 grid, with 80%
    power against p_other = ``effect[1]``; NaN if none).
    """
    who = "timing_test"
    df = rise_years(yearly, pressure, coverage=coverage, value=value, lag=lag)
    rise, other = df[df["rise"]], df[~df["rise"]]
    if rise.empty or other.empty:
        raise ValueError(f"{who}: need both rise years and other years in {coverage}")
    n1, n0 = len(rise), len(other)
    x1, x0 = int(rise["followed"].sum()), int(other["followed"].sum())
    p1, p0 = (_check_prob(v, "effect", who) for v in effect)
    grid = np.round(np.arange(p0, 1.0001, 0.01), 2)
    powers = [fisher_power(n1, n0, float(g), p0, alpha=alpha) for g in grid]
    reach = [g for g, pw in zip(grid, powers, strict=True) if pw >= 0.8]
    return {
        "rise_n": n1,
        "rise_followed": x1,
        "other_n": n0,
        "other_followed": x0,
        "rise_share": x1 / n1,
        "other_share": x0 / n0,
        "p_value": float(_fisher_greater(x1, n1, x0, n0)),
        "alpha": float(alpha),
        "effect_rise": p1,
        "effect_other": p0,
        "power_stated": fisher_power(n1, n0, p1, p0, alpha=alpha),
        "power_ceiling": fisher_power(n1, n0, 1.0, x0 / n0, alpha=alpha),
        "mde_rise": float(reach[0]) if reach else float("nan"),
    }


def timing_tests(
    yearly: pd.DataFrame,
    indices: pd.DataFrame,
    *,
    coverage: tuple[int, int],
    lag: int = 1,
    alpha: float = 0.05,
    effect: tuple[float, float] = STATED_EFFECT,
) -> pd.DataFrame:
    """:func:`timing_test` on each index of a long frame (``index, year, value``, as from
    :func:`reluctant_allies.pressure.record_indices`), one row per index, in its order."""
    require_columns(indices, ("index", "year", "value"), "timing_tests")
    rows = []
    for name in dict.fromkeys(indices["index"]):
        one = indices[indices["index"] == name]
        res = timing_test(yearly, one, coverage=coverage, lag=lag, alpha=alpha, effect=effect)
        rows.append({"index": name, **res})
    return pd.DataFrame(rows).set_index("index")


def _year_ranges(years) -> str:
    """Compact list of years: runs of consecutive years as '2005–10'."""
    ys = sorted(int(y) for y in years)
    parts: list[str] = []
    i = 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        a, b = ys[i], ys[j]
        parts.append(str(a) if a == b else f"{a}–{str(b)[-2:] if a // 100 == b // 100 else b}")
        i = j + 1
    return ", ".join(parts)


def policy_scenario(
    low: float = 0.35, high: float = 0.85, *, before: int = 10, during: int = 15, after: int = 10
) -> models.Scenario:
    """A stylised pressure pulse: ``low`` for ``before`` years, ``high`` for ``during``, ``low``
    again for ``after`` (scenario years 0, 1, ...). Not data: a test bed for the model."""
    for name, v in (("before", before), ("during", during), ("after", after)):
        if not isinstance(v, int | np.integer) or isinstance(v, bool) or v < 1:
            raise ValueError(f"policy_scenario: {name} must be a positive integer (got {v!r})")
    sc = models.pulse(low, high, before + during + after, before, during)
    return models.Scenario(sc.S, sc.years, f"pressure pulse {low:g} → {high:g} → {low:g}")


def _constant_effort(params: models.DynamicParams, S: np.ndarray, effort: float):
    """Simulate with policy effort fixed at ``effort`` every year, using the book's simulator.

    The simulator computes effort as P_t = max(0, S_t - s0) / (1 - s0), so effort always
    follows pressure. With s0 = 0 it is P_t = S_t; running one year at a time with
    delta_i scaled by effort / S_t therefore gives delta_i * effort exactly, while the
    cooperation equation still sees the true S_t.
    """
    if effort > 0 and (params.delta_e > 0 or params.delta_m > 0) and (S <= 0).any():
        t = int(np.argmax(S <= 0))
        raise ValueError(
            f"constant effort needs S > 0 in every year to be emulated (S = 0 in year {t})"
        )
    C, He, Hm = [params.C0], [params.H_e0], [params.H_m0]
    for t, s in enumerate(S):
        scale = effort / s if s > 0 else 0.0
        try:
            step = params.replace(
                s0=0.0, delta_e=params.delta_e * scale, delta_m=params.delta_m * scale
            )
        except ValueError as err:
            raise ValueError(
                f"constant effort {effort:g} cannot be emulated in year {t} (S = {s:g}): {err}"
            ) from None
        tr = models.simulate(step, [s], C_init=C[-1], H_e_init=He[-1], H_m_init=Hm[-1])
        C.append(float(tr.C[-1]))
        He.append(float(tr.H_e[-1]))
        Hm.append(float(tr.H_m[-1]))
    return np.array(C), np.array(He), np.array(Hm)


def policy_effort_runs(
    params: models.DynamicParams | None = None,
    scenario: models.Scenario | None = None,
    *,
    constant_effort: float | None = None,
) -> pd.DataFrame:
    """The dynamic model on one pressure path under three policy rules, as a tidy frame.

    * 'no policy': delta_e = delta_m = 0 (hurdles move only by learning and rebound);
    * 'constant effort': P_t = ``constant_effort`` every year, whatever the pressure;
      by default the *mean* of the pressure-driven effort over the path, so both rules
      spend the same total effort and differ only in its timing;
    * 'pressure-driven effort': the model's own P_t = max(0, S_t - s0) / (1 - s0).

    Columns: run, year (state at the start of the year; T + 1 rows per run), S (pressure
    in that year, NaN in the final state row), P (effort that year), C, H_e, H_m.
    """
    who = "policy_effort_runs"
    p = models.DynamicParams() if params is None else params
    if not isinstance(p, models.DynamicParams):
        raise TypeError(f"{who}: params must be a DynamicParams, got {type(p).__name__}")
    sc = policy_scenario() if scenario is None else scenario
    if not isinstance(sc, models.Scenario):
        raise TypeError(f"{who}: scenario must be a models.Scenario, got {type(sc).__name__}")
    S = sc.S
    driven = models.policy_effort(S, p.s0)
    effort = float(driven.mean()) if constant_effort is None else constant_effort
    if not (isinstance(effort, int | float) and np.isfinite(effort) and 0 <= effort <= 1):
        raise ValueError(f"{who}: constant_effort must be in [0, 1] (got {constant_effort!r})")
    years = np.append(sc.years, sc.years[-1] + 1)
    S_col = np.append(S, np.nan)

    def frame(run: str, P: np.ndarray, C, He, Hm) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "run": run,
                "year": years,
                "S": S_col,
                "P": np.append(P, np.nan),
                "C": C,
                "H_e": He,
                "H_m": Hm,
            }
        )

    none = models.simulate(p.replace(delta_e=0.0, delta_m=0.0), S)
    drive = models.simulate(p, S)
    const = _constant_effort(p, S, effort)
    return pd.concat(
        [
            frame("no policy", np.zeros_like(S), none.C, none.H_e, none.H_m),
            frame("constant effort", np.full_like(S, effort), *const),
            frame("pressure-driven effort", driven, drive.C, drive.H_e, drive.H_m),
        ],
        ignore_index=True,
    )


EFFECTIVENESS = tuple(np.round(np.arange(0.0, 3.01, 0.5), 2))


S0_VALUES = tuple(np.round(np.arange(0.0, 0.71, 0.1), 2))


def policy_effort_grid(
    params: models.DynamicParams | None = None,
    scenario: models.Scenario | None = None,
    *,
    effectiveness=EFFECTIVENESS,
    s0=S0_VALUES,
) -> pd.DataFrame:
    """Pressure-driven runs over a grid of policy effectiveness (a multiplier m on both
    delta_e and delta_m) and effort threshold s0, computed in one vectorised call.

    Columns: m, s0, year, S, C, H_e, H_m (rounded to 4 decimals). m = 0 is the no-policy run.
    """
    who = "policy_effort_grid"
    p = models.DynamicParams() if params is None else params
    sc = policy_scenario() if scenario is None else scenario
    m = np.asarray(effectiveness, dtype=float)
    s = np.asarray(s0, dtype=float)
    for name, arr in (("effectiveness", m), ("s0", s)):
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"{who}: {name} must be a non-empty 1-D sequence")
        if not np.isfinite(arr).all():
            raise ValueError(f"{who}: {name} holds a non-finite value")
        if len(np.unique(np.round(arr, 4))) != arr.size:
            raise ValueError(f"{who}: {name} has duplicate values")
    if (m < 0).any():
        raise ValueError(f"{who}: effectiveness must be >= 0 (got {m[m < 0][0]:g})")
    M, S0 = np.meshgrid(m, s, indexing="ij")
    grid = models.ParamGrid.sweep(p, delta_e=p.delta_e * M, delta_m=p.delta_m * M, s0=S0)
    tr = models.simulate(grid, sc)
    T1 = tr.C.shape[-1]
    years = np.append(sc.years, sc.years[-1] + 1)
    S_col = np.append(sc.S, np.nan)
    n = M.size
    out = pd.DataFrame(
        {
            "m": np.repeat(M.ravel(), T1),
            "s0": np.repeat(S0.ravel(), T1),
            "year": np.tile(years, n),
            "S": np.tile(S_col, n),
            "C": tr.C.reshape(n, T1).ravel(),
            "H_e": tr.H_e.reshape(n, T1).ravel(),
            "H_m": tr.H_m.reshape(n, T1).ravel(),
        }
    )
    return out.round(4)


def _closest(values, target: float) -> float:
    values = np.asarray(values, dtype=float)
    return float(values[np.argmin(np.abs(values - target))])
