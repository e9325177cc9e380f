"""Figure cards and explorable permalinks (reluctant_allies.cards), without a build.

The card is built here from the committed chart specs of the chapters, exactly as
``_ext/figure_cards.py`` builds it at build time; ``tests/test_figure_cards.py`` checks the
built site (files on disk, links, the browser's permalinks)."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import sys
import zipfile

import pytest
import yaml

from reluctant_allies import ROOT, cards, replication

sys.path.insert(0, str(ROOT / "_ext"))
from static_charts import _bound_params, chart_spec  # noqa: E402

SCHEMA = ROOT / "book" / "permalinks.yml"


def _bound(spec) -> list[str]:
    """Names of the parameters bound to a control (the explorable's sliders)."""
    return [p["name"] for p in _bound_params(spec)]


@pytest.fixture(scope="module")
def book():
    """label -> (exhibit, spec) for every figure of the chapters, from the committed outputs."""
    exhibits = {e.label: e for e in replication.exhibits(ROOT) if e.kind == "Figure"}
    out = {}
    for label, ex in exhibits.items():
        cell = json.loads((ROOT / f"{ex.chapter}.ipynb").read_text(encoding="utf-8"))["cells"][
            ex.cell
        ]
        html = next(
            "".join(o["data"]["text/html"])
            for o in cell["outputs"]
            if "altair-viz" in "".join(o.get("data", {}).get("text/html", ""))
        )
        out[label] = (ex, chart_spec(html))
    return out


@pytest.fixture(scope="module")
def statements():
    return tuple(replication.availability(ROOT))


@pytest.fixture(scope="module")
def cff():
    return replication.citation(ROOT)


def _figure(book, statements, cff, label, claims=()):
    ex, spec = book[label]
    return cards.Figure(ex, spec, tuple(claims), statements, cff)


def _parse(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_every_figure_of_the_book_has_a_chart_to_card(book):
    assert len(book) == 53
    assert all(
        cards.plotted_tables(spec) or label in {"fig-hysteresis-band", "fig-two-players-quadrant"}
        for label, (_, spec) in book.items()
    )


@pytest.mark.parametrize(
    "label", ["fig-cooperation-arms", "fig-policy-explorable", "fig-economic-hurdle-shares"]
)
def test_csv_rows_equal_the_data_inside_the_spec(book, statements, cff, label):
    fig = _figure(book, statements, cff, label)
    files = cards.card_files(fig)
    tables = cards.plotted_tables(fig.spec)
    csvs = sorted(n for n in files if n.endswith(".csv"))
    assert len(csvs) == len(tables) >= 1
    named = {t.name: t for t in tables}
    for name, table in zip(csvs, tables, strict=True):
        rows = _parse(files[name].decode())
        spec_rows = fig.spec["datasets"][table.name]
        assert named[table.name].rows == tuple(spec_rows)
        assert len(rows) == len(spec_rows)
        for got, want in zip(rows, spec_rows, strict=True):
            for column, value in want.items():
                assert got[column] == cards._cell(value), (name, column)


def test_arms_figure_csv_holds_the_sipri_series(book, statements, cff):
    fig = _figure(book, statements, cff, "fig-cooperation-arms")
    files = cards.card_files(fig)
    bars = next(v.decode() for n, v in files.items() if n.endswith(".csv") and b"china" in v)
    rows = {r["year"]: r for r in _parse(bars)}
    assert len(rows) == 33 and rows["1992"]["china"] == "1008"


def test_placeholder_datasets_are_left_out_and_inline_values_kept():
    spec = {
        "datasets": {"a": [{}], "b": [{"x": 1, "y": None}, {"x": 2, "z": True}]},
        "layer": [
            {"data": {"name": "a"}, "mark": "rule"},
            {"data": {"name": "b"}, "mark": {"type": "line"}},
            {"data": {"values": [{"k": "v"}]}, "mark": "text"},
        ],
    }
    tables = cards.plotted_tables(spec)
    assert [t.name for t in tables] == ["b", "inline-1"]
    assert tables[0].columns == ("x", "y", "z") and tables[0].marks == ("line",)
    assert cards.csv_text(tables[0]) == "x,y,z\n1,,\n2,,true\n"
    assert cards.csv_text(tables[1]) == "k\nv\n"


def test_a_row_that_is_not_a_record_is_an_error():
    with pytest.raises(cards.CardError, match="dataset 'b': row 1"):
        cards.plotted_tables({"datasets": {"b": [{"x": 1}, 5]}})


def test_citation_names_the_figure_its_version_and_its_producers(book, statements, cff):
    fig = _figure(book, statements, cff, "fig-cooperation-arms")
    cite = cards.citations(fig)
    assert fig.exhibit.number == "4.2"
    for text in cite.values():
        assert "4.2" in text and cff["version"] in text
        assert "Stockholm International Peace Research Institute" in text
        assert "SIPRI Arms Transfers Database (TIV), generated 13 Feb 2026" in text
    assert fig.title.rstrip(".") in cite["short"]
    assert cite["bibtex"].startswith("@incollection{reluctant2026allies-fig4-2,")


def test_citation_names_only_the_sources_the_chart_uses(book, statements, cff):
    fig = _figure(book, statements, cff, "fig-system-shares")
    long = cards.citations(fig)["long"]
    assert "SIPRI Military Expenditure Database 2025" in long and "World Bank WDI" in long
    assert "National Material Capabilities" not in long  # power's other sources


def test_a_model_figure_says_it_uses_no_data_resource(book, statements, cff):
    fig = _figure(book, statements, cff, "fig-dynamic-model-paths")
    assert fig.exhibit.resources == ()
    assert "No data package resource" in cards.citations(fig)["long"]


def test_doi_joins_the_citation_when_the_book_has_one(book, statements, cff):
    fig = _figure(book, statements, dict(cff, doi="10.5281/zenodo.1"), "fig-puzzle-timeline")
    cite = cards.citations(fig)
    assert "https://doi.org/10.5281/zenodo.1" in cite["long"]
    assert "doi       = {10.5281/zenodo.1}" in cite["bibtex"]


def test_readme_lists_resources_hashes_and_files(book, statements, cff):
    fig = _figure(book, statements, cff, "fig-economic-hurdle-shares")
    files = cards.card_files(fig, svg="<svg/>", png=b"\x89PNG")
    readme = files[f"{fig.stem}-README.md"].decode()
    st = next(s for s in statements if s.name == "trade_shares")
    assert "`trade_shares`" in readme and st.sha256 in readme
    for name, content in files.items():
        if not name.endswith(("-README.md", "-data.zip")):  # the zip holds the README
            assert f"`{name}`: sha256 `{hashlib.sha256(content).hexdigest()}`" in readme
    assert "IMF Direction of Trade Statistics" in readme and "terms:" in readme
    inside = zipfile.ZipFile(io.BytesIO(files[f"{fig.stem}-data.zip"])).namelist()
    assert sorted(inside) == sorted(
        f"{fig.stem}/{n}" for n in files if n.endswith((".csv", "README.md"))
    )


def test_withheld_terms_keep_the_rows_out(book, statements, cff):
    closed = tuple(
        dataclasses.replace(s, level=cards.WITHHELD) if s.name == "arms_transfers" else s
        for s in statements
    )
    fig = _figure(book, closed, cff, "fig-cooperation-arms")
    files = cards.card_files(fig, svg="<svg/>")
    assert not [n for n in files if n.endswith((".csv", "-table.html"))]
    readme = files[f"{fig.stem}-README.md"].decode()
    assert "Rows withheld: `arms_transfers`" in readme and "SIPRI" in readme
    card = cards.card_html(fig, files, base="f/", links=_links())
    assert "withheld under the producer's terms" in card and ".csv" not in card
    # ...and an open figure of the same book is not touched
    open_fig = _figure(book, closed, cff, "fig-puzzle-timeline")
    assert any(n.endswith(".csv") for n in cards.card_files(open_fig))


def test_no_licence_of_todays_package_withholds_rows(statements):
    assert {s.level for s in statements} <= {"open", "citation", "limited"}


def _links():
    return {
        "notebook": "nb.ipynb",
        "repository": "https://r",
        "claims": "claims.html",
        "zip": "z.zip",
    }


def test_card_html_links_every_file_and_the_claims(book, statements, cff):
    fig = _figure(book, statements, cff, "fig-cooperation-exercises", claims=("C1", "P2"))
    files = cards.card_files(fig, svg="<svg/>", png=b"png")
    card = cards.card_html(fig, files, base="../f/", links={**_links(), "cell": "#cell-x"})
    assert card.startswith('<details class="figure-card" id="card-fig-cooperation-exercises">')
    for name in files:
        assert f'href="../f/{name}"' in card, name
    assert 'href="claims.html#claim-c1"' in card and 'href="claims.html#claim-p2"' in card
    assert 'href="#cell-x"' in card and 'href="z.zip"' in card
    assert "Figure 4.1" in card and "<summary>" in card


def test_chapter_zip_holds_data_and_readmes_only_and_is_reproducible():
    figures = {
        "figure-1-1": {
            "figure-1-1.csv": b"a\n1\n",
            "figure-1-1-README.md": b"r",
            "figure-1-1.png": b"p",
        }
    }
    blob = cards.chapter_zip(figures)
    assert blob == cards.chapter_zip(figures)
    names = zipfile.ZipFile(io.BytesIO(blob)).namelist()
    assert names == ["figure-1-1/figure-1-1.csv", "figure-1-1/figure-1-1-README.md"]


def test_used_sources_falls_back_to_all_when_the_line_names_none(statements):
    power = next(s for s in statements if s.name == "power")
    spec = {
        "title": {"text": "t", "subtitle": ["Source: COW National Material", "Capabilities v6.0"]}
    }
    assert [s["name"] for s in cards.used_sources(power, spec)] == ["cow_nmc_v6"]
    assert len(cards.used_sources(power, {"title": "t"})) == len(power.sources)


# --- permalinks ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return cards.check_permalinks(yaml.safe_load(SCHEMA.read_text(encoding="utf-8")))


def test_every_explorable_has_a_view_and_every_view_an_explorable(book, schema):
    explorables = {label: _bound(spec) for label, (_, spec) in book.items() if _bound(spec)}
    assert len(explorables) == 13
    problems = [cards.check_view(schema, label, params) for label, params in explorables.items()]
    assert [p for p in problems if p] == []
    assert set(schema["views"]) == set(explorables)


def test_a_version_1_link_migrates_to_the_current_keys(schema):
    for label, keys in schema["views"].items():
        old = {param: "0" for param in keys.values()}  # version 1 keyed by parameter names
        assert set(cards.migrate_link(schema, label, 1, old)) == set(keys), label
    assert cards.migrate_link(schema, "fig-policy-explorable", 1, {"s0_sel": "0.5", "m": "2"}) == {
        "start": "0.5",
        "effect": "2",
    }
    assert cards.migrate_link(schema, "fig-policy-explorable", 2, {"start": "1"}) == {"start": "1"}
    assert cards.migrate_link({**schema, "migrations": []}, "fig-policy-explorable", 1, {}) is None


def test_a_renamed_slider_without_a_migration_is_reported(schema):
    problem = cards.check_view(schema, "fig-policy-explorable", ["m", "start_pressure"])
    assert "needs a new schema version" in problem
    assert "has no view" in cards.check_view(schema, "fig-new", ["a"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 0}, "positive integer"),
        ({"views": {}}, "views must map"),
        ({"views": {"fig-a": {"bad key": "x"}}}, "cannot stand in a URL"),
        ({"views": {"fig-a": {"v": "x"}}}, "cannot stand in a URL"),
        ({"views": {"fig-a": {"a": "x", "b": "x"}}}, "two keys to one parameter"),
        ({"migrations": []}, "from each version"),
        ({"migrations": [{"from": 1, "to": 3}]}, "must go to 2"),
        ({"migrations": [{"from": 1, "to": 2, "rename": {"fig-zz": {}}}]}, "unknown views"),
    ],
)
def test_a_broken_schema_is_refused(change, message):
    base = {
        "version": 2,
        "views": {"fig-a": {"a": "x"}},
        "migrations": [{"from": 1, "to": 2, "rename": {}}],
    }
    with pytest.raises(cards.CardError, match=message):
        cards.check_permalinks({**base, **change})
