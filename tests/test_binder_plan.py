"""`make binder-check` understands repo2docker's plan, and refuses one it does not.

The fixture is repo2docker 2026.4.0's ``--no-build --debug`` output for this repository
(Python 3.11 from runtime.txt; requirements.txt; pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import binder_check

PLAN = (Path(__file__).parent / "fixtures" / "repo2docker_plan.txt").read_text(encoding="utf-8")


def test_the_plan_is_two_pip_installs_in_order():
    plan = binder_check.parse_plan(PLAN)
    assert plan.python == "3.11"
    assert plan.steps == (
        ("install", "--no-cache-dir", "-r", "requirements.txt"),
        ("install", "--no-cache-dir", "."),
    )


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
