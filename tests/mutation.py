"""``make mutation``: the mutation score of the unit tests, per module, with mutmut 3.

mutmut (config: ``[tool.mutmut]`` in pyproject.toml) copies the project into ``mutants/``,
writes every mutant of the layers below the charts, runs the unit tests once to learn which
tests reach which function, then runs, for each mutant, only the tests that reach it.

All mutants of six modules take hours on two cores, so this samples: a fixed-seed draw of
``--per-module`` mutants from each module group (the same draw every run, so scores compare
across commits). The output says how many were drawn from how many. ``--all`` runs every
mutant. ``--only GLOB`` restricts the groups (e.g. ``reluctant_allies/models/static.py``).

Score = (killed + timeout) / (killed + timeout + survived + other); mutants no unit test
reaches ("no tests") are counted apart: they are gaps in coverage, not in assertions. A
timeout counts as killed, as in mutmut's own score: the tests did not pass. mutmut's CPU
limit per mutant is ``(estimate + timeout_constant) * timeout_multiplier * 2`` seconds
(``[tool.mutmut]``), where the estimate sums the tests' call phases only; module fixtures
that run a whole chapter (``run`` in conftest) are not in it, so the constant carries
them. With mutmut's defaults (1 s, 15x) evaluation's mutants hit the limit while their
tests were still running and were reported as timeouts that no test had decided.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import random
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
MUTMUT = [sys.executable, "-m", "mutmut"]

#: Module groups scored separately (issue 13: models/, data, derive, pressure, the
#: explorables and the analysis layer; add the analysis package here when it lands).
GROUPS = {
    "models/": "reluctant_allies/models/*.py",
    "data.py": "reluctant_allies/data.py",
    "derive.py": "reluctant_allies/derive.py",
    "pressure.py": "reluctant_allies/pressure.py",
    "explorables.py": "reluctant_allies/explorables.py",
    "indicators.py": "reluctant_allies/indicators.py",
    "analysis/": "reluctant_allies/analysis/*.py",
}
#: mutmut's exit codes (mutmut.stats.status_by_exit_code) folded into what the score needs.
KILLED, SURVIVED, NO_TESTS, TIMEOUT = {1, 3, 37}, {0}, {5, 33}, {36, -24, 24, 152, 255}


def _env() -> dict[str, str]:
    # RELUCTANT_ALLIES_UNIT_ONLY: a test that needs the built site skips (conftest.site_url)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", RELUCTANT_ALLIES_UNIT_ONLY="1")
    # mutmut runs --max-children workers side by side; numpy's BLAS threads on top of them
    # only oversubscribe two cores (and burn the per-mutant CPU limit twice as fast)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    # the derive golden test reads the raw folder next to the repository; inside mutants/
    # that relative path breaks, so point it at the real one when it exists
    raw = ROOT.parent / "shared" / "data" / "raw"
    if raw.is_dir():
        env.setdefault("RELUCTANT_ALLIES_RAW", str(raw))
    return env


def _mutmut(*args: str, log: Path | None = None) -> int:
    """Run mutmut; with ``log``, its output goes there instead of the terminal."""
    if log is None:
        return subprocess.run([*MUTMUT, *args], cwd=ROOT, env=_env()).returncode
    with log.open("w", encoding="utf-8") as out:
        cmd = [*MUTMUT, *args]
        return subprocess.run(cmd, cwd=ROOT, env=_env(), stdout=out, stderr=out).returncode


def _metas() -> dict[str, dict[str, int | None]]:
    """source path -> {mutant name: exit code or None} from mutmut's .meta files."""
    out = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        source = meta.relative_to(MUTANTS).as_posix()[: -len(".meta")]
        out[source] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return out


def _group(source: str) -> str | None:
    return next((g for g, pat in GROUPS.items() if fnmatch.fnmatch(source, pat)), None)


def _draw(metas: dict, args: argparse.Namespace) -> tuple[dict[str, list[str]], Counter]:
    """The mutants to run, per group, and how many each group has in all."""
    rng = random.Random(args.seed)
    drawn: dict[str, list[str]] = {}
    total: Counter = Counter()
    for source, codes in metas.items():
        group = _group(source)
        if group is None or (args.only and not any(fnmatch.fnmatch(source, o) for o in args.only)):
            continue
        total[group] += len(codes)
        drawn.setdefault(group, []).extend(codes)
    for group, names in drawn.items():
        names.sort()
        if not args.all and len(names) > args.per_module:
            drawn[group] = sorted(rng.sample(names, args.per_module))
    return drawn, total


def _report(drawn: dict[str, list[str]], total: Counter, args: argparse.Namespace) -> None:
    """Print the score per group and the survivors' names."""
    metas = _metas()
    result = {name: code for codes in metas.values() for name, code in codes.items()}
    print()
    how = (
        "every mutant"
        if args.all
        else f"a sample of {args.per_module} per module, seed {args.seed}"
    )
    where = f"; only {', '.join(args.only)}" if args.only else ""
    print(f"Mutation score per module ({how}{where}; 'of' = mutants in the module)")
    print(
        f"{'module':<16}{'drawn':>8}{'of':>6}{'killed':>8}{'timeout':>9}{'survived':>10}"
        f"{'other':>7}{'no tests':>10}{'score':>8}"
    )
    rows = []
    for group, names in drawn.items():
        codes = [result.get(n) for n in names]
        killed = sum(c in KILLED for c in codes)
        timeout = sum(c in TIMEOUT for c in codes)
        survived = sum(c in SURVIVED for c in codes)
        untested = sum(c in NO_TESTS for c in codes)
        other = len(codes) - killed - timeout - survived - untested  # suspicious, not run
        scored = killed + timeout + survived + other
        score = f"{100 * (killed + timeout) / scored:.0f}%" if scored else "–"
        rows.append((group, [n for n, c in zip(names, codes, strict=True) if c == 0]))
        print(
            f"{group:<16}{len(names):>8}{total[group]:>6}{killed:>8}{timeout:>9}{survived:>10}"
            f"{other:>7}{untested:>10}{score:>8}"
        )
    for group, names in rows:
        if names:
            print(f"\nsurvivors in {group} (inspect with `.venv/bin/mutmut show NAME`):")
            for n in names:
                print(f"  {n}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-module", type=int, default=30, help="mutants drawn per group")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--all", action="store_true", help="run every mutant (hours)")
    ap.add_argument("--only", action="append", default=[], help="glob of source paths")
    ap.add_argument("--max-children", type=int, default=2)
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="keep mutants/ from the last run (faster, but see the note on the cache)",
    )
    args = ap.parse_args(argv)

    # 1. generate every mutant and collect which tests reach which function. A filter that
    #    matches nothing makes mutmut stop right after that (with an assertion we expect).
    print("make mutation: generating mutants and mapping tests to functions", flush=True)
    # mutmut caches which tests reach which function and updates it incrementally when
    # tests change; after commits that touched tests that update lost most of the map here
    # (mutants reported "no tests" or "survived" that a fresh run kills). A fresh map costs
    # one unit-test run, so every run starts from an empty mutants/ unless --reuse.
    if MUTANTS.exists() and not args.reuse:
        shutil.rmtree(MUTANTS)
    MUTANTS.mkdir(exist_ok=True)
    log = MUTANTS / "generate.log"
    _mutmut("run", "--max-children", str(args.max_children), "no-such-mutant", log=log)
    metas = _metas()
    if not metas or "Filtered for specific mutants, but nothing matches" not in log.read_text():
        print(log.read_text(), file=sys.stderr)
        print(f"mutmut did not get as far as listing its mutants (log: {log})", file=sys.stderr)
        return 1

    # 2. draw the sample: per group, a fixed-seed choice of the sorted mutant names
    drawn, total = _draw(metas, args)
    chosen = [n for names in drawn.values() for n in names]
    if not chosen:
        print(f"no mutants in {args.only or list(GROUPS.values())}", file=sys.stderr)
        return 1

    # 3. run the chosen mutants (mutmut re-runs a mutant named explicitly)
    _mutmut("run", "--max-children", str(args.max_children), *chosen)

    # 4. score per group
    _report(drawn, total, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
