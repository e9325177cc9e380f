"""Benchmark of the toy-model simulator: ``python -m reluctant_allies.bench``.

Measures, in one run, model-years per second for (1) the vectorised simulator on a sweep
of many random valid parameter sets, each with its own pressure ramp, and (2) the plain-
Python reference loop on the same work. The loop is timed on a sample of the sets and
scaled linearly to the full sweep (it is linear in the number of sets); the output says so.
Goals from issue 4: >= 2e7 model-years/s vectorised and >= 50x the loop.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence

import numpy as np

from .models import ParamGrid, simulate, simulate_reference

GOAL_RATE = 2e7
GOAL_RATIO = 50.0


def random_sweep(n: int, years: int, seed: int = 0) -> tuple[ParamGrid, np.ndarray]:
    """``n`` random valid parameter sets (rates <= 0.3 each) and an (n, years) ramp matrix."""
    rng = np.random.default_rng(seed)

    def u(lo, hi):
        return rng.uniform(lo, hi, n)

    grid = ParamGrid.sweep(
        k=u(2, 20), x0=u(0.2, 0.7), kappa=u(0.1, 1.0), gamma_e=u(0, 0.5), gamma_m=u(0, 0.5),
        H_e0=u(0.2, 0.9), H_m0=u(0.2, 0.9), s0=u(0, 0.6),
        delta_e=u(0, 0.3), delta_m=u(0, 0.3), lambda_e=u(0, 0.3), lambda_m=u(0, 0.3),
        rho_e=u(0, 0.3), rho_m=u(0, 0.3),
    )  # fmt: skip
    peak = u(0.5, 1.0)
    S = 0.2 + (peak - 0.2)[:, None] * np.linspace(0.0, 1.0, years)[None, :]
    return grid, S


def run(
    n_params: int = 100_000,
    years: int = 50,
    loop_sample: int = 2_000,
    repeats: int = 3,
    seed: int = 0,
    workers: int | None = None,
) -> dict[str, float]:
    """Time both paths; return the figures (model-years/s, ratio, seconds, check)."""
    if min(n_params, years, loop_sample, repeats) < 1 or loop_sample > n_params:
        raise ValueError("need positive sizes and loop_sample <= n_params")
    t0 = time.perf_counter()
    grid, S = random_sweep(n_params, years, seed)
    setup = time.perf_counter() - t0
    simulate(grid, S, workers=workers)  # warm-up: first-touch of the output memory
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        traj = simulate(grid, S, workers=workers)
        best = min(best, time.perf_counter() - t0)
    sample = np.linspace(0, n_params - 1, loop_sample).astype(int)
    sets = [grid[int(i)] for i in sample]  # dataclass construction is not timed
    paths = [S[i].tolist() for i in sample]
    loop_time = np.inf
    for _ in range(repeats):  # best of the same number of repeats as the vectorised path
        t0 = time.perf_counter()
        loop_C = [simulate_reference(p, s)[0] for p, s in zip(sets, paths, strict=True)]
        loop_time = min(loop_time, time.perf_counter() - t0)
    vec_rate = n_params * years / best
    loop_rate = loop_sample * years / loop_time
    diff = float(np.max(np.abs(np.asarray(loop_C) - traj.C[sample])))
    return {
        "n_params": n_params,
        "years": years,
        "setup_s": setup,
        "vectorised_s": best,
        "vectorised_rate": vec_rate,
        "loop_sample": loop_sample,
        "loop_sample_s": loop_time,
        "loop_scaled_s": loop_time * n_params / loop_sample,
        "loop_rate": loop_rate,
        "ratio": vec_rate / loop_rate,
        "max_abs_diff": diff,
        "repeats": repeats,
    }


def report(r: dict[str, float], workers: int | None = None) -> str:
    n, y = int(r["n_params"]), int(r["years"])
    threads = workers or ("auto (up to 4)" if n >= 65_536 else 1)
    met = {True: "met", False: "NOT met"}
    return "\n".join(
        [
            f"reluctant_allies.models benchmark: numpy {np.__version__}, "
            f"{os.cpu_count()} CPU cores, threads: {threads}",
            f"setup (random valid grid, validated): {r['setup_s']:.3f} s, not timed below",
            f"vectorised: {n:,} parameter sets x {y} years = {n * y:.2e} model-years in "
            f"{r['vectorised_s']:.4f} s (best of {int(r['repeats'])}) "
            f"-> {r['vectorised_rate']:.3g} model-years/s",
            f"plain-Python loop: timed {int(r['loop_sample']):,} of {n:,} parameter sets "
            f"({r['loop_sample_s']:.3f} s, best of {int(r['repeats'])}) and scaled linearly "
            f"to the full sweep (~{r['loop_scaled_s']:.1f} s) "
            f"-> {r['loop_rate']:.3g} model-years/s",
            f"ratio vectorised / loop: {r['ratio']:.0f}x",
            f"check: max |vectorised - loop| on the timed sets = {r['max_abs_diff']:.1e}",
            f"goals: >= {GOAL_RATE:.0e} model-years/s vectorised "
            f"[{met[r['vectorised_rate'] >= GOAL_RATE]}], >= {GOAL_RATIO:.0f}x the loop "
            f"[{met[r['ratio'] >= GOAL_RATIO]}]",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m reluctant_allies.bench", description=__doc__)
    ap.add_argument("--params", type=int, default=100_000, help="parameter sets (default 1e5)")
    ap.add_argument("--years", type=int, default=50, help="years per run (default 50)")
    ap.add_argument("--loop-sample", type=int, default=2_000, help="sets timed in the loop")
    ap.add_argument("--repeats", type=int, default=3, help="vectorised repeats (best kept)")
    ap.add_argument("--workers", type=int, default=None, help="threads (default: auto)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    r = run(a.params, a.years, a.loop_sample, a.repeats, a.seed, a.workers)
    print(report(r, a.workers))


if __name__ == "__main__":
    main()
