"""Re-execute every chapter under other numerical paths and diff against the committed outputs.

    python -m tests.repro [CHAPTER ...]     (what `make repro` runs; not part of `make test`)

A committed output must not depend on the CPU that wrote it.  One machine cannot be
another, but it can take the other code paths a different CPU would: numpy's SIMD
kernels are chosen at run time and can be switched off one level at a time
(``NPY_DISABLE_CPU_FEATURES``, only dispatchable levels this CPU has), and BLAS can run
on one thread or several, which changes the order of its sums.  Each variant executes
every chapter from ``book/`` (kernel environment = this one plus the variant's
variables; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are left as the machine has them) and
compares each code cell's outputs with the committed ones after the same sanitising
nbval applies (``tests/nbval_sanitize.cfg``).  It prints, per chapter and variant, how
many cells differ, and exits 1 if any does.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
OUT = ROOT / "_build" / "repro"
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
#: Outputs nbval does not compare either (volatile or not data).
SKIP_KEYS = {"execution_count", "metadata"}


def dispatchable_levels() -> list[str]:
    """numpy's run-time dispatch levels this CPU has, lowest first (e.g. X86_V3, X86_V4…)."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]


def variants() -> dict[str, dict[str, str]]:
    """Extra environment of each variant."""
    out: dict[str, dict[str, str]] = {}
    levels = dispatchable_levels()
    for i, level in enumerate(levels):  # switch off this level and every one above it
        out[f"numpy below {level}"] = {"NPY_DISABLE_CPU_FEATURES": " ".join(levels[i:])}
    for threads in ("1", str(max(2, os.cpu_count() or 2))):
        out[f"BLAS {threads} thread(s)"] = {
            name: threads for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        }
    return out


def sanitizers() -> list[tuple[re.Pattern, str]]:
    parser = configparser.ConfigParser()
    parser.read(SANITIZE, encoding="utf-8")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def _clean(output: dict, subs) -> str:
    kept = {k: v for k, v in output.items() if k not in SKIP_KEYS}
    text = json.dumps(kept, sort_keys=True)
    for pattern, replace in subs:
        text = pattern.sub(replace, text)
    return text


def differing_cells(committed: Path, executed: Path, subs) -> list[int]:
    """Indices of code cells whose sanitised outputs differ."""
    cells_a = [c for c in json.loads(committed.read_text())["cells"] if c["cell_type"] == "code"]
    cells_b = [c for c in json.loads(executed.read_text())["cells"] if c["cell_type"] == "code"]
    if len(cells_a) != len(cells_b):
        return list(range(max(len(cells_a), len(cells_b))))
    return [
        i
        for i, (a, b) in enumerate(zip(cells_a, cells_b, strict=True))
        if [_clean(o, subs) for o in a.get("outputs", [])]
        != [_clean(o, subs) for o in b.get("outputs", [])]
    ]


def execute(nb: Path, extra_env: dict[str, str], dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **extra_env}
    subprocess.run(
        [str(Path(sys.executable).with_name("jupyter")), "execute", f"--output={dest}", nb.name],
        cwd=nb.parent,
        env=env,
        check=True,
        capture_output=True,
    )


def main(argv: list[str]) -> int:
    chapters = [BOOK / f"{a.removesuffix('.ipynb')}.ipynb" for a in argv] or sorted(
        BOOK.glob("*.ipynb")
    )
    subs = sanitizers()
    table: dict[str, dict[str, int]] = {}
    start = time.monotonic()
    for name, extra in variants().items():
        print(f"repro: {name}: {' '.join(f'{k}={v}' for k, v in extra.items())}", flush=True)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        for nb in chapters:
            dest = OUT / slug / nb.name
            execute(nb, extra, dest)
            table.setdefault(nb.stem, {})[name] = len(differing_cells(nb, dest, subs))
    names = list(variants())
    width = max(len(c) for c in table)
    print(f"\n{'chapter':<{width}}  " + "  ".join(names))
    for chapter, row in table.items():
        cells = "  ".join(f"{row[n]:>{len(n)}}" for n in names)
        print(f"{chapter:<{width}}  {cells}")
    total = sum(sum(row.values()) for row in table.values())
    print(
        f"\nrepro: {total} differing cell(s) over {len(names)} variants x {len(table)} chapters "
        f"({time.monotonic() - start:.0f} s); outputs in {OUT.relative_to(ROOT)}/"
    )
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
