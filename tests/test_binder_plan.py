"""`make binder-check` understands repo2docker's plan, and refuses one it does not.

The fixture is repo2docker 2026.4.0's ``--no-build --debug`` output for this repository
with its ``binder/`` folder (Python 3.11 from binder/runtime.txt; binder/requirements.txt),
as ``binder_check.ask_repo2docker`` returned it on 2026-12-04.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import binder_check

ROOT = Path(__file__).resolve().parent.parent
PLAN = (Path(__file__).parent / "fixtures" / "repo2docker_plan.txt").read_text(encoding="utf-8")


def test_the_plan_is_one_pip_install_of_the_binder_requirements():
    plan = binder_check.parse_plan(PLAN)
    assert plan.python == "3.11"
    assert plan.steps == (("install", "--no-cache-dir", "-r", "binder/requirements.txt"),)


def test_the_plan_without_a_binder_folder_is_still_understood():
    # repo2docker's plan for the top-level files: requirements.txt, then `pip install .`
    binder_step = (
        'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"'
    )
    top_level = (
        'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "requirements.txt"\n'
        "RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir ."
    )
    assert binder_step in PLAN
    plan = binder_check.parse_plan(PLAN.replace(binder_step, top_level))
    assert plan.steps == (
        ("install", "--no-cache-dir", "-r", "requirements.txt"),
        ("install", "--no-cache-dir", "."),
    )


def test_the_runtime_file_is_the_one_repo2docker_reads(tmp_path):
    (tmp_path / "runtime.txt").write_text("python-3.11\n")
    assert binder_check.runtime_file(tmp_path) == tmp_path / "runtime.txt"
    (tmp_path / "binder").mkdir()
    assert binder_check.runtime_file(tmp_path) == tmp_path / "binder" / "runtime.txt"


def test_a_binder_runtime_that_disagrees_with_the_plan_is_refused(tmp_path):
    (tmp_path / "binder").mkdir()
    (tmp_path / "binder" / "runtime.txt").write_text("python-3.10\n")
    plan = binder_check.parse_plan(PLAN)
    with pytest.raises(binder_check.PlanError, match="binder/runtime.txt says python-3.10"):
        binder_check.replay(plan, tmp_path, tmp_path / "venv")


def test_the_binder_set_is_what_repo2docker_installs_and_holds_the_package():
    lines = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "." in [line.split("#")[0].strip() for line in lines]
    assert (ROOT / "binder" / "runtime.txt").read_text() == (ROOT / "runtime.txt").read_text()


@pytest.mark.parametrize(
    "extra",
    [
        "RUN ./postBuild",
        'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir --pre "jupyterlab>5"',
        "RUN apt-get -qq update && apt-get install -y chromium",
        "WORKDIR /elsewhere",
    ],
)
def test_an_unknown_step_stops_the_check(extra):
    marker = "# Container image Labels!"
    changed = PLAN.replace(marker, f"{extra}\n{marker}")
    with pytest.raises(binder_check.PlanError, match="does not understand"):
        binder_check.parse_plan(changed)


def test_continuation_lines_are_joined():
    marker = "# Container image Labels!"
    step = "RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install \\\n    --no-cache-dir -r requirements.txt"
    plan = binder_check.parse_plan(PLAN.replace(marker, f"{step}\n{marker}"))
    assert plan.steps[-1] == ("install", "--no-cache-dir", "-r", "requirements.txt")


def test_a_plan_without_a_python_version_is_refused():
    with pytest.raises(binder_check.PlanError, match="Python version"):
        binder_check.parse_plan(PLAN.replace("python=3.11", "python"))


def test_a_plan_without_install_steps_is_refused():
    stripped = "\n".join(line for line in PLAN.splitlines() if "bin/pip install" not in line)
    with pytest.raises(binder_check.PlanError, match="no install step"):
        binder_check.parse_plan(stripped)
