"""Replay Binder's own build plan, then run every chapter the way a Binder user would.

    python -m tests.binder_check        (what `make binder-check` runs)

Binder builds the repository with repo2docker.  Rather than guess what it does, this
script asks it: ``repo2docker --no-build --debug`` prints the Dockerfile it would build,
without Docker.  The steps that depend on this repository (the "pre-assemble" and
"assemble" scripts) are parsed out of it, and each one must be a step this script knows
how to replay; anything else (a new kind of step, a postBuild, an apt.txt) stops the
check with the line it did not understand, so a change in repo2docker's plan cannot
pass unnoticed.  The repository has a ``binder/`` folder, which repo2docker prefers to the
top-level files, so today the plan is one pip call in the repository folder::

    ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"

(without ``binder/`` it was ``-r "requirements.txt"`` and then ``pip install .``; both forms
are understood).  The steps are replayed, flags and order unchanged, in a fresh venv of the
Python version the plan names, which must be what the runtime file repo2docker reads says
(``binder/runtime.txt``, else ``runtime.txt``), in a copy of the repository (tracked and
untracked-but-not-ignored files, as in the working tree).  The ``.`` line of
``binder/requirements.txt`` installs the package as a copy in ``site-packages``, not an
editable install: the copy must still find ``data/``.  Then every ``book/*.ipynb`` is
executed from ``book/`` with a bare environment (no PYTHONPATH, no dev tools on PATH, a
fresh HOME).  Exit status 1 on any failure; the log of a failing chapter is printed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "_build" / "binder"
PREFIX = "${KERNEL_PYTHON_PREFIX}"
#: pip arguments repo2docker is known to use for a requirements.txt / pyproject.toml repo.
KNOWN_PIP_ARGS = {
    "install",
    "--no-cache-dir",
    "-r",
    "requirements.txt",
    "binder/requirements.txt",
    ".",
}


class PlanError(RuntimeError):
    """repo2docker's plan holds something this check does not know how to replay."""


@dataclass(frozen=True)
class Plan:
    python: str  # e.g. "3.11"
    steps: tuple[tuple[str, ...], ...]  # pip argument lists, in order


def stage_repository(dest: Path) -> Path:
    """Copy the working tree's tracked and untracked-but-not-ignored files to ``dest``."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    if dest.exists():
        shutil.rmtree(dest)
    for name in filter(None, listing.split("\0")):
        src = ROOT / name
        if src.is_file():  # a file deleted in the work tree is still listed by git
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def ask_repo2docker(repo: Path) -> str:
    """The Dockerfile repo2docker would build for ``repo`` (no Docker needed)."""
    exe = Path(sys.executable).with_name("repo2docker")
    cmd = [str(exe), "--no-build", "--no-run", "--debug", "--user-name", "jovyan"]
    cmd += ["--user-id", "1000", str(repo)]
    done = subprocess.run(cmd, cwd=repo.parent, capture_output=True, text=True)
    if done.returncode != 0:
        raise PlanError(f"repo2docker failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def _instructions(block: str) -> list[str]:
    """Dockerfile instructions of ``block``: comments dropped, continuations joined."""
    out, current = [], ""
    for line in block.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        current += stripped[:-1] + " " if stripped.endswith("\\") else stripped
        if not stripped.endswith("\\"):
            out.append(current.strip())
            current = ""
    return out


def parse_plan(text: str) -> Plan:
    """The Python version and the repository-dependent install steps of repo2docker's plan."""
    version = re.search(r"Building conda environment for python=(\d+\.\d+)", text)
    if not version:
        raise PlanError("repo2docker's output names no Python version; the plan changed")
    start = text.find("# Run pre-assemble scripts!")
    end = text.find("# Container image Labels!")
    if start < 0 or end < start:
        raise PlanError("repo2docker's Dockerfile has no pre-assemble ... labels section")
    steps = []
    for instr in _instructions(text[start:end]):
        keyword, _, rest = instr.partition(" ")
        if keyword in {"USER", "ENV", "COPY", "ARG"}:
            continue  # users, variables and the copy of the repository: nothing to replay
        if keyword != "RUN":
            raise PlanError(f"repo2docker plans a step this check does not understand: {instr}")
        argv = shlex.split(rest)
        if not argv or argv[0] != f"{PREFIX}/bin/pip" or not set(argv[1:]) <= KNOWN_PIP_ARGS:
            raise PlanError(f"repo2docker plans a step this check does not understand: {instr}")
        steps.append(tuple(argv[1:]))
    if not steps:
        raise PlanError("repo2docker plans no install step for this repository")
    return Plan(python=version.group(1), steps=tuple(steps))


def _run(cmd: list[str], **kw) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def runtime_file(repo: Path) -> Path:
    """The runtime.txt repo2docker reads: ``binder/`` wins over the top level when it exists."""
    return repo / "binder" / "runtime.txt" if (repo / "binder").is_dir() else repo / "runtime.txt"


def replay(plan: Plan, repo: Path, venv: Path) -> None:
    """Each install step of ``plan``, in ``repo``, with ``venv``'s pip."""
    runtime = runtime_file(repo)
    want = runtime.read_text(encoding="utf-8").strip()
    if want != f"python-{plan.python}":
        raise PlanError(
            f"repo2docker plans Python {plan.python}; {runtime.relative_to(repo)} says {want}"
        )
    if venv.exists():
        shutil.rmtree(venv)
    _run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    got = subprocess.run(
        [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if got != plan.python:
        raise PlanError(f"the replay venv runs Python {got}, the plan {plan.python}")
    for step in plan.steps:
        _run([str(venv / "bin" / "pip"), *step, "--quiet", "--disable-pip-version-check"], cwd=repo)


def tree_megabytes(folder: Path) -> float:
    """Disk use of ``folder``'s files in MB (10**6 bytes), symlinks not followed."""
    total = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 1e6


def distributions(venv: Path) -> int:
    """How many distributions ``venv`` has installed (its ``*.dist-info`` folders)."""
    return len(list(venv.glob("lib/python*/site-packages/*.dist-info")))


def installed_as(venv: Path, cwd: Path) -> str:
    """Where ``reluctant_allies`` is imported from in ``venv`` (a path outside ``cwd``'s tree),
    asked in the bare environment the chapters run in (a PYTHONPATH would otherwise win)."""
    return subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import reluctant_allies; print(reluctant_allies.__file__)",
        ],
        cwd=cwd,
        env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "LANG": "C.UTF-8"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def run_chapters(repo: Path, venv: Path, out: Path) -> list[str]:
    """Execute every chapter from ``repo/book`` in a bare environment; the failed ones."""
    out.mkdir(parents=True, exist_ok=True)
    failed = []
    for nb in sorted((repo / "book").glob("*.ipynb")):
        env = {
            "HOME": tempfile.mkdtemp(prefix="binder-home-"),
            "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
            "LANG": "C.UTF-8",
        }
        log = out / f"{nb.stem}.log"
        start = time.monotonic()
        with log.open("w") as handle:
            done = subprocess.run(
                ["jupyter", "execute", f"--output={out / nb.stem}", nb.name],
                cwd=nb.parent,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        seconds = time.monotonic() - start
        status = "ok" if done.returncode == 0 else "FAILED"
        print(f"binder-check: {nb.name:<24} {status} ({seconds:.1f} s)", flush=True)
        if done.returncode != 0:
            print(log.read_text(), flush=True)
            failed.append(nb.name)
    return failed


def main() -> int:
    start = time.monotonic()
    repo = stage_repository(WORK / "repo")
    plan = parse_plan(ask_repo2docker(repo))
    print(f"binder-check: repo2docker plans Python {plan.python} and, in the repository:")
    for step in plan.steps:
        print(f"binder-check:   {PREFIX}/bin/pip {' '.join(step)}")
    venv = WORK / "venv"
    installing = time.monotonic()
    replay(plan, repo, venv)
    print(
        f"binder-check: the install took {time.monotonic() - installing:.0f} s; the venv holds "
        f"{tree_megabytes(venv):.0f} MB in {distributions(venv)} distributions"
    )
    where = installed_as(venv, repo / "book")
    editable = where.startswith(str(repo))
    print(f"binder-check: reluctant_allies imported from {where}", end="")
    print(" (editable)" if editable else " (a copy in site-packages, as on Binder)")
    failed = run_chapters(repo, venv, WORK / "run")
    ran = len(list((repo / "book").glob("*.ipynb")))
    seconds = time.monotonic() - start
    print(
        f"binder-check: {ran - len(failed)} of {ran} chapters ran through repo2docker's plan "
        f"({seconds:.0f} s)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
