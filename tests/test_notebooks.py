"""Committed chapter notebooks: executed in order, no errors, no volatile metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reluctant_allies import notebooks

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks under book/"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_committed_notebook_is_clean(path):
    assert notebooks.problems(path) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_code_cell_has_been_run(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c["execution_count"] for c in code)


def _nb(cells, **meta):
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3"}, "language_info": meta},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _code(count, outputs=(), **metadata):
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": metadata,
        "outputs": list(outputs),
        "source": "1",
    }


def test_problems_names_each_defect(tmp_path):
    path = tmp_path / "bad.ipynb"
    error = {"output_type": "error", "ename": "ZeroDivisionError", "evalue": "", "traceback": []}
    stderr = {"output_type": "stream", "name": "stderr", "text": "oops"}
    cells = [_code(1, execution={"t": 1}), _code(3, [error]), _code(None, [stderr])]
    path.write_text(json.dumps(_nb(cells, version="3.11.7")))
    found = "\n".join(notebooks.problems(path))
    assert "language_info.version" in found
    assert "volatile execution metadata" in found
    assert "execution_count 3, expected 2 (run in order)" in found
    assert "ZeroDivisionError" in found
    assert "stderr" in found


def test_tidy_removes_only_volatile_metadata(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(_nb([_code(1, execution={"t": 1}, tags=["x"])], version="3")))
    assert notebooks.tidy(path) is True
    nb = json.loads(path.read_text())
    assert nb["cells"][0]["metadata"] == {"tags": ["x"]}
    assert "version" not in nb["metadata"]["language_info"]
    assert notebooks.problems(path) == []
    assert notebooks.tidy(path) is False  # idempotent


def test_missing_notebook_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.ipynb"):
        notebooks.problems(tmp_path / "nope.ipynb")
