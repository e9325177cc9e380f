"""Every chart the book draws encodes columns its data hold, and holds them in range.

Each chapter's code cells are run as the chapter runs them (no kernel, no nbval), with
every public builder of ``charts`` and ``explorables`` wrapped so that each chart it returns
is recorded.  For every recorded spec:

- every encoded field (tooltips, conditions and facet channels included) exists in the
  view's dataset, inherited or its own, or is created by one of its transforms;
- every quantitative field drawn on a fixed numeric scale domain stays inside it.

The first catches a renamed or misspelt column; the second a chart that plots the wrong
existing column (``USA`` in US dollars on an axis of shares, review mutation M4).  A last
test makes sure no public chart builder escapes: one not called by any chapter must be
listed in ``LIBRARY_ONLY`` with the call that draws it.
"""

from __future__ import annotations

import ast
import functools
import inspect
import os
from pathlib import Path

import altair as alt
import pytest

from reluctant_allies import charts, data, explorables, pressure
from tests._spec import BOOK, chapter_code, encoded_field_count, missing_fields, out_of_domain

CHAPTERS = sorted(p.stem for p in BOOK.glob("*.ipynb"))

#: Public builders that no chapter calls, with the call that draws them (a data page or
#: library-only code).
LIBRARY_ONLY = {
    "dataset_overview": lambda: [
        charts.dataset_overview(p.stem)
        for p in sorted((BOOK / "data").glob("*.md"))
        if f'charts.dataset_overview("{p.stem}")' in p.read_text(encoding="utf-8")
    ],
    # chapter 3's first-edition index figures: chapters 7-12 still compute with that index
    # until their re-test on the second-edition record (issue 12), so the builders stay
    "pressure_index_chart": lambda: [charts.pressure_index_chart(data.load("events"))],
    "pressure_codings": lambda: [charts.pressure_codings(data.load("events"))],
    # drawn inside pressure_indices_chart; public for a reader who wants the density alone
    "pressure_coverage_chart": lambda: [charts.pressure_coverage_chart(pressure.load_record())],
}


#: Unannotated public callables that draw no chart: a helper that dresses a built chart and
#: an HTML table.
NOT_CHARTS = {"finish", "pressure_rules_table", "pressure_record_rules"}  # HTML tables


def _public(module) -> dict[str, object]:
    names = dir(module) if module is charts else module.__all__
    return {
        n: getattr(module, n)
        for n in names
        if callable(getattr(module, n)) and not isinstance(getattr(module, n), type)
    }


def _returns_chart(fn) -> bool:
    ret = inspect.signature(fn).return_annotation
    return ret is inspect.Signature.empty or "alt." in str(ret) or "Chart" in str(ret)


def _record(calls: list, name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        if isinstance(out, alt.TopLevelMixin):
            calls.append((name, out))
        return out

    return wrapper


def _run_chapter(slug: str, calls: list) -> None:
    ns: dict = {"__name__": f"chapter_{slug}"}
    for i, src in enumerate(chapter_code(slug)):
        tree = ast.parse(src)
        exec(compile(tree, f"book/{slug}.ipynb[cell {i}]", "exec"), ns)


@pytest.fixture(scope="module")
def recorded() -> dict[str, list[tuple[str, dict]]]:
    """chapter -> [(builder, spec)] for every chart a builder returned while it ran."""
    patch = pytest.MonkeyPatch()
    calls: list = []
    for module in (charts, explorables):
        for name, fn in _public(module).items():
            patch.setattr(
                module, name, _record(calls, f"{module.__name__}.{name}", fn), raising=False
            )
    here = Path.cwd()
    out: dict[str, list[tuple[str, dict]]] = {}
    try:
        os.chdir(BOOK)  # where Binder and nbval run the chapters
        for slug in CHAPTERS:
            calls.clear()
            _run_chapter(slug, calls)
            out[slug] = [(name, chart.to_dict()) for name, chart in calls]
        for name, draw in LIBRARY_ONLY.items():
            out[f"library:{name}"] = [(name, chart.to_dict()) for chart in draw()]
    finally:
        os.chdir(here)
        patch.undo()
    return out


@pytest.mark.parametrize("where", CHAPTERS + [f"library:{n}" for n in LIBRARY_ONLY])
def test_encoded_fields_exist_and_stay_in_their_domain(recorded, where):
    specs = recorded[where]
    if not where.startswith("library:") and not specs:
        pytest.skip(f"{where} draws no chart")
    problems = [
        f"{name}: {p}" for name, spec in specs for p in missing_fields(spec) + out_of_domain(spec)
    ]
    assert not problems, "\n".join(problems)
    # the contract must have read something, or it proves nothing
    assert all(encoded_field_count(spec) > 0 for _, spec in specs), [n for n, _ in specs]


def test_every_public_chart_builder_is_held_to_the_contract(recorded):
    drawn = {name.rsplit(".", 1)[-1] for specs in recorded.values() for name, _ in specs}
    # chart builders: every public callable not annotated as returning something else
    # (frames, grids, scenarios are annotated; ``finish`` only dresses a built chart)
    chartish = {
        n
        for module in (charts, explorables)
        for n, fn in _public(module).items()
        if n not in NOT_CHARTS and _returns_chart(fn)
    }
    missing = sorted(chartish - drawn)
    assert not missing, f"chart builders no chapter draws; add them to LIBRARY_ONLY: {missing}"


def test_the_contract_sees_a_wrong_column():
    """The helpers themselves can fail: a misspelt field and a wrong-unit column."""
    spec = {
        "data": {"values": [{"year": 2000, "share": 0.7, "USA": 7e5}]},
        "transform": [{"calculate": "datum.share * 100", "as": "pct"}],
        "layer": [
            {"encoding": {"x": {"field": "year", "type": "quantitative"}}},
            {"encoding": {"tooltip": [{"field": "pct"}, {"field": "shares"}]}},
            {
                "encoding": {
                    "y": {"field": "USA", "type": "quantitative", "scale": {"domain": [0, 1]}}
                }
            },
        ],
    }
    assert missing_fields(spec) == [
        "spec.layer[1].encoding.tooltip: 'shares' not in ['USA', 'pct', 'share', 'year']"
    ]
    assert len(out_of_domain(spec)) == 1
