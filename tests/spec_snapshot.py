"""Byte-level snapshot of every chart the book draws, for refactoring the chart builders.

A refactor of ``charts/`` or ``explorables`` must leave every spec byte-identical where the
numbers did not change.  nbval proves it for the chapters' outputs; this tool proves it per
builder and also for the charts no chapter draws (data pages, library-only builders), and it
says *which* builder changed::

    python -m tests.spec_snapshot write /tmp/specs-before        # before the change
    python -m tests.spec_snapshot compare /tmp/specs-before      # after: exit 1 on a change
    python -m tests.spec_snapshot compare /tmp/specs-before theory policy   # some only

Each chapter runs in a fresh interpreter, as it does in its own kernel, so Altair's
counters for auto-named parameters and views start where the notebook's do.  A spec is
``chart.to_json(sort_keys=True)``: data values, parameters, expressions and all.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from tests._spec import BOOK

ROOT = BOOK.parent


def _targets() -> list[str]:
    from tests.test_spec_contract import CHAPTERS, LIBRARY_ONLY

    return list(CHAPTERS) + [f"library:{n}" for n in LIBRARY_ONLY]


def _one(where: str) -> None:
    """Run one chapter (or library-only draw) and print its specs as JSON on stdout."""
    import os

    import pytest

    from reluctant_allies import charts, explorables
    from tests import test_spec_contract as contract

    calls: list = []
    patch = pytest.MonkeyPatch()
    for module in (charts, explorables):
        for name, fn in contract._public(module).items():
            patch.setattr(
                module,
                name,
                contract._record(calls, f"{module.__name__}.{name}", fn),
                raising=False,
            )
    os.chdir(BOOK)
    if where.startswith("library:"):
        contract.LIBRARY_ONLY[where.split(":", 1)[1]]()
    else:
        contract._run_chapter(where, calls)
    json.dump([[name, chart.to_json(sort_keys=True)] for name, chart in calls], sys.stdout)


def _collect(where: str) -> list[list[str]]:
    out = subprocess.run(
        [sys.executable, "-m", "tests.spec_snapshot", "_one", where],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"spec_snapshot: {where} failed:\n{out.stderr[-4000:]}")
    # a chapter may print; the specs are the last line
    return json.loads(out.stdout.strip().splitlines()[-1])


def _file(folder: Path, where: str) -> Path:
    return folder / f"{where.replace(':', '__')}.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.spec_snapshot", description=__doc__)
    parser.add_argument("action", choices=["write", "compare", "_one"])
    parser.add_argument("folder", help="snapshot folder (or, for _one, the target)")
    parser.add_argument("only", nargs="*", help="chapters or library:<builder> to run")
    args = parser.parse_args(argv)
    if args.action == "_one":
        _one(args.folder)
        return 0
    folder = Path(args.folder)
    targets = args.only or _targets()
    changed = 0
    total = 0
    for where in targets:
        specs = _collect(where)
        total += len(specs)
        if args.action == "write":
            folder.mkdir(parents=True, exist_ok=True)
            _file(folder, where).write_text(json.dumps(specs), encoding="utf-8")
            print(f"{where}: {len(specs)} specs")
            continue
        before = json.loads(_file(folder, where).read_text(encoding="utf-8"))
        if before == specs:
            print(f"{where}: {len(specs)} specs, identical")
            continue
        changed += 1
        names = lambda rows: [n for n, _ in rows]  # noqa: E731
        if names(before) != names(specs):
            print(f"{where}: builders differ: {names(before)} -> {names(specs)}")
        for i, ((name, old), (_, new)) in enumerate(zip(before, specs, strict=False)):
            if old != new:
                at = next(
                    (k for k, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
                    min(len(old), len(new)),
                )
                print(f"{where}: spec {i} ({name}) differs at byte {at}:")
                print(f"  before: …{old[max(0, at - 80) : at + 80]}…")
                print(f"  after:  …{new[max(0, at - 80) : at + 80]}…")
    if args.action == "compare":
        print(f"{len(targets)} targets, {total} specs, {changed} target(s) changed")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
