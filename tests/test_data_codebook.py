"""The data pages in book/data are generated from the package, up to date, and build cleanly."""

from __future__ import annotations

import json
import math
import re

import pytest

from reluctant_allies import ROOT, codebook, data
from reluctant_allies.charts import datasets  # directly: sibling chart modules may be mid-edit

PAGES = codebook.pages()
OUT = ROOT / "book" / "data"


@pytest.fixture(autouse=True)
def real_data(monkeypatch):
    monkeypatch.delenv(data.DATA_ENV, raising=False)


def test_pages_cover_every_dataset():
    pages = {"index.md", "sources.md", "changelog.md"} | {f"{n}.md" for n in data.names()}
    assert set(PAGES) == pages


@pytest.mark.parametrize("filename", sorted(PAGES))
def test_committed_page_is_up_to_date(filename):
    path = OUT / filename
    assert path.exists(), f"{path} missing: run `python -m reluctant_allies.codebook`"
    assert path.read_text(encoding="utf-8") == PAGES[filename], (
        f"{path} is stale: run `python -m reluctant_allies.codebook`"
    )


def test_no_stray_pages():
    assert {p.name for p in OUT.iterdir()} == set(PAGES)


def _headings(text: str) -> list[int]:
    levels, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"(#{1,6}) ", line)):
            levels.append(len(m.group(1)))
    return levels


@pytest.mark.parametrize("filename", sorted(PAGES))
def test_headings_start_at_one_and_descend_by_one(filename):
    levels = _headings(PAGES[filename])
    assert levels and levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"{filename}: heading jumps from {before} to {after}"


@pytest.mark.parametrize("filename", sorted(PAGES))
def test_no_unescaped_dollar_signs(filename):
    """dollarmath is on: a bare $ would turn "US$49 ... US$129" into maths."""
    text = re.sub(r"```.*?```", "", PAGES[filename], flags=re.S)
    assert not re.search(r"(?<!\\)\$", text), filename


@pytest.mark.parametrize("name", data.names())
def test_dataset_page_is_a_notebook_with_the_overview_chart(name):
    text = PAGES[f"{name}.md"]
    assert text.startswith("---\njupytext:") and "name: python3" in text
    assert "```{code-cell} ipython3\n:tags: [remove-input]" in text
    assert f'charts.dataset_overview("{name}")' in text
    for caveat in data.resource(name)["caveats"]:
        assert codebook._md(caveat) in text


def test_known_disagreements_reach_the_pages():
    assert "64.2" in PAGES["trade_reported.md"] and "DOTS" in PAGES["trade_reported.md"]
    assert "DOTS" in PAGES["trade.md"]
    assert "CINC puts China above the USA" in PAGES["power.md"]


def test_sources_page_lists_every_producer_and_licence():
    text = PAGES["sources.md"]
    for name in data.names():
        for source in data.resource(name)["sources"]:
            assert codebook._md(source["title"]) in text
            assert codebook._md(source["terms"]) in text


@pytest.mark.parametrize("name", data.names())
def test_overview_chart_builds_with_title_source_and_description(name):
    spec = datasets.dataset_overview(name).to_dict()
    assert spec["title"]["text"] and spec["description"]
    subtitle = spec["title"]["subtitle"]  # a list of lines when finish() wraps a long source
    lines = subtitle if isinstance(subtitle, list) else [subtitle]
    assert " ".join(lines) == "Source: " + data.source_line(name)

    def finite(node):
        if isinstance(node, float):
            return math.isfinite(node)
        if isinstance(node, dict):
            return all(finite(v) for v in node.values())
        if isinstance(node, list):
            return all(finite(v) for v in node)
        return True

    assert finite(spec), "NaN or infinity would make the spec invalid JSON"
    json.dumps(spec, allow_nan=False)


def test_overview_rejects_an_unknown_dataset():
    with pytest.raises(ValueError, match="no overview chart"):
        datasets.dataset_overview("nope")


def test_builder_is_public():
    """The charts package exposes every name in a topic module's __all__ as charts.<name>."""
    assert datasets.__all__ == ["dataset_overview"]
