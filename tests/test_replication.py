"""The replication package: REPLICATION.md, the cite page's citation, .zenodo.json, versions.

The committed files must be what ``python -m reluctant_allies.replication`` writes; the
list of exhibits must name every labelled figure or table of the chapters and nothing else
(checked against the notebooks by a scan independent of the generator); the data
availability statement must cover every dataset; the BibTeX must keep the group author whole.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_string

from reluctant_allies import __version__, replication

ROOT = Path(__file__).resolve().parent.parent


def _exhibit_labels_in_book(root: Path = ROOT) -> set[str]:
    """Labels of numbered exhibits, read straight from the notebooks' JSON."""
    labels = set()
    for path in (root / "book").glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
            if figure.get("name"):
                labels.add(figure["name"])
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                for block in re.findall(
                    r"\{(?:figure|table|list-table|csv-table)\}.*?\n\n", text, re.S
                ):
                    labels.update(re.findall(r":name:\s*(\S+)", block))
    return labels


def _exhibit_labels_listed(text: str) -> list[str]:
    """Labels in the rows of the 'List of tables and programs' table."""
    section = text.split("## List of tables and programs", 1)[1]
    return re.findall(r"^\| (?:Figure|Table) [\d.]+ \| `([^`]+)`", section, re.M)


# --- the committed files ------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(replication.outputs(ROOT)))
def test_committed_file_is_what_the_generator_writes(name):
    want = replication.outputs(ROOT)[name]
    have = (ROOT / name).read_text(encoding="utf-8")
    assert have == want, f"{name} is out of date: run `make replication` and commit the result"


def test_readme_links_the_replication_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(REPLICATION.md)" in readme


def test_the_replication_readme_has_the_template_sections():
    text = (ROOT / "REPLICATION.md").read_text(encoding="utf-8")
    for heading in (
        "## Data Availability and Provenance Statements",
        "### Statement about Rights",
        "### Details on each Data Source",
        "## Dataset list",
        "## Computational requirements",
        "### Software Requirements",
        "### Memory, Runtime, Storage Requirements",
        "## Instructions to Replicators",
        "## List of tables and programs",
    ):
        assert f"\n{heading}\n" in text, f"REPLICATION.md lacks {heading!r}"
    assert "CPU cores" in text and "GiB of memory" in text, "no hardware note"
    assert "< 10 minutes" in text and "10–60 minutes" in text, "no runtime bucket"


# --- the list of exhibits -----------------------------------------------------------------------


def test_every_labelled_exhibit_is_listed_and_every_listed_one_exists():
    in_book = _exhibit_labels_in_book()
    listed = _exhibit_labels_listed((ROOT / "REPLICATION.md").read_text(encoding="utf-8"))
    assert len(listed) == len(set(listed)), "an exhibit is listed twice"
    assert in_book, "no labelled exhibit found in book/*.ipynb: the scan is broken"
    missing, stale = sorted(in_book - set(listed)), sorted(set(listed) - in_book)
    assert not missing, f"labelled in the book, missing from REPLICATION.md: {missing}"
    assert not stale, f"listed in REPLICATION.md, no longer in the book: {stale}"


def test_the_check_fails_when_a_row_is_dropped_or_a_label_is_stale():
    text = (ROOT / "REPLICATION.md").read_text(encoding="utf-8")
    first = _exhibit_labels_listed(text)[0]
    dropped = "\n".join(line for line in text.splitlines() if f"`{first}`" not in line)
    assert first not in _exhibit_labels_listed(dropped)
    renamed = text.replace(f"`{first}`", "`fig-gone`", 1)
    assert "fig-gone" in set(_exhibit_labels_listed(renamed)) - _exhibit_labels_in_book()


def test_every_numref_in_the_chapters_points_at_a_listed_exhibit():
    listed = set(_exhibit_labels_listed((ROOT / "REPLICATION.md").read_text(encoding="utf-8")))
    refs = set()
    for path in (ROOT / "book").glob("*.ipynb"):
        refs.update(re.findall(r"\{numref\}`(?:[^`<]*<)?([\w-]+)>?`", path.read_text("utf-8")))
    assert refs and refs <= listed, f"numref targets not listed: {sorted(refs - listed)}"


def _toy_book(tmp_path: Path, cells: list[dict]) -> Path:
    """A minimal repository: an unnumbered part, then two numbered chapters."""
    (tmp_path / "book").mkdir()
    (tmp_path / "reluctant_allies").mkdir()
    (tmp_path / "reluctant_allies" / "pressure.py").write_text(
        'RECORD = "pressure_actions"\n\n\ndef load_record():\n    return data.load(RECORD)\n\n\n'
        "def index_of_record():\n    return load_record()\n"
    )
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\noptions:\n  numbered: true\nparts:\n"
        "  - caption: Front\n    numbered: false\n    chapters:\n      - file: book/preface\n"
        "  - caption: Main\n    chapters:\n      - file: book/one\n      - file: book/two\n"
    )
    empty = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "book" / "one.ipynb").write_text(json.dumps(empty))
    (tmp_path / "book" / "two.ipynb").write_text(json.dumps({**empty, "cells": cells}))
    return tmp_path


def _code(source: str, name: str | None = None, cid: str = "c") -> dict:
    meta = {"mystnb": {"figure": {"name": name, "caption": "A caption. More."}}} if name else {}
    return {"cell_type": "code", "id": cid, "metadata": meta, "source": source, "outputs": []}


def test_exhibits_are_numbered_by_chapter_and_trace_their_data(tmp_path):
    cells = [
        _code('trade, power = data.load("trade"), data.load("power")\nunused = 1', cid="a"),
        _code("frame = helper(trade)", cid="b"),
        _code("charts.draw(frame, source='x')", name="fig-two-first", cid="c"),
        {
            "cell_type": "markdown",
            "id": "d",
            "metadata": {},
            "source": "```{figure} pic.png\n:name: fig-two-picture\n\nA picture.\n```\n",
        },
        _code("charts.table(pressure.load_record())", name="fig-two-record", cid="e"),
        _code("charts.model_only(models.StaticParams())", name="fig-two-model", cid="f"),
    ]
    root = _toy_book(tmp_path, cells)
    (root / "book" / "preface.md").write_text("# Preface\n")
    found = replication.exhibits(root)
    assert [(e.number, e.label) for e in found] == [
        ("2.1", "fig-two-first"),  # chapter 2 of the numbered parts; the preface is not counted
        ("2.2", "fig-two-picture"),
        ("2.3", "fig-two-record"),
        ("2.4", "fig-two-model"),
    ]
    first, picture, record, model = found
    assert first.resources == ("trade",)  # through `frame`, and not `power` (paired unpacking)
    assert (first.cell, first.cell_id, first.program) == (2, "c", "charts.draw")
    assert first.title == "A caption."
    assert picture.kind == "Figure" and picture.resources == ()  # a Markdown figure
    assert record.resources == ("pressure_actions",)  # a package function that loads
    assert model.resources == ()


def test_a_package_loader_is_found_through_another_function(tmp_path):
    root = _toy_book(tmp_path, [])
    assert replication.package_loaders(root) == {
        "load_record": {"pressure_actions"},
        "index_of_record": {"pressure_actions"},
    }


def test_an_unlabelled_figure_is_an_error(tmp_path):
    cell = _code("charts.draw()", name=None)
    cell["metadata"] = {"mystnb": {"figure": {"caption": "No name."}}}
    with pytest.raises(ValueError, match=r"book/two.ipynb, cell 0: a figure without a label"):
        replication.exhibits(_toy_book(tmp_path, [cell]))


def test_a_label_used_twice_is_an_error(tmp_path):
    cells = [_code("charts.a()", name="fig-x", cid="1"), _code("charts.b()", name="fig-x", cid="2")]
    with pytest.raises(ValueError, match="more than once.*fig-x"):
        replication.exhibits(_toy_book(tmp_path, cells))


def test_a_notebook_outside_the_numbered_chapters_is_an_error(tmp_path):
    root = _toy_book(tmp_path, [])
    (root / "book" / "stray.ipynb").write_text((root / "book" / "one.ipynb").read_text())
    with pytest.raises(ValueError, match="book/stray"):
        replication.exhibits(root)


def test_the_book_numbers_match_the_toc_order():
    chapters = replication.numbered_chapters()
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    numbered = [c["file"] for p in toc["parts"] if p.get("numbered") for c in p["chapters"]]
    assert chapters == numbered
    by_label = {e.label: e for e in replication.exhibits()}
    for e in by_label.values():
        assert e.number.split(".")[0] == str(chapters.index(e.chapter) + 1)


# --- data availability ----------------------------------------------------------------------------


def test_every_dataset_has_a_statement_with_producer_licence_and_place():
    package = json.loads((ROOT / "data/datapackage.json").read_text(encoding="utf-8"))
    text = (ROOT / "REPLICATION.md").read_text(encoding="utf-8")
    for res in package["resources"]:
        head = f"#### `{res['name']}`: "
        assert head in text, f"no data availability statement for {res['name']}"
        block = text.split(head, 1)[1].split("\n#### ", 1)[0].split("\n## ", 1)[0]
        assert f"`data/{res['path']}` in this repository" in block
        for source in res["sources"]:
            assert source["producer"] in block
            if source.get("citation"):
                assert source["citation"] in block
        for lic in res["licenses"]:
            assert lic["name"] in block
        assert "**May it be redistributed?**" in block


def _package_copy(tmp_path: Path) -> tuple[Path, dict]:
    (tmp_path / "data").mkdir()
    package = json.loads((ROOT / "data/datapackage.json").read_text(encoding="utf-8"))
    return tmp_path, copy.deepcopy(package)


def test_a_licence_without_a_redistribution_verdict_is_an_error(tmp_path):
    root, package = _package_copy(tmp_path)
    package["resources"][3]["licenses"].append({"name": "Secret-terms", "title": "?"})
    (root / "data/datapackage.json").write_text(json.dumps(package))
    name = package["resources"][3]["name"]
    with pytest.raises(ValueError, match=rf"resource '{name}'.*Secret-terms"):
        replication.availability(root)


def test_a_source_without_a_producer_is_an_error(tmp_path):
    root, package = _package_copy(tmp_path)
    del package["resources"][0]["sources"][0]["producer"]
    (root / "data/datapackage.json").write_text(json.dumps(package))
    with pytest.raises(ValueError, match="names no producer"):
        replication.availability(root)


def test_the_strictest_licence_decides_the_verdict():
    levels = {st.name: st.level for st in replication.availability()}
    assert levels["arms_transfers"] == "limited"  # SIPRI: permission for large-scale reproduction
    assert levels["power"] == "limited"  # SIPRI beside CC BY and COW
    assert levels["unga"] == "open"  # CC0


def test_every_redistribution_level_has_a_verdict_in_the_table():
    """No licence is 'withheld' today; a dataset that becomes so still gets its row."""
    st = dataclasses.replace(replication.availability()[0], level="withheld")
    table = "\n".join(replication._sources_md([st], __version__))
    assert f"| `{st.name}` |" in table and "| no (withheld) |" in table


# --- the YAML subset reader -------------------------------------------------------------


@pytest.mark.parametrize("name", ["_toc.yml", "CITATION.cff"])
def test_the_yaml_reader_agrees_with_pyyaml(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    want = yaml.safe_load(text)
    if "date-released" in want:
        want["date-released"] = str(want["date-released"])
    assert replication.read_yaml(text, name) == want


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: [1, 2]\n", "line 1: unsupported YAML construct"),
        ("a: 1\na: 2\n", "line 2: key 'a' given twice"),
        ("a:\n  b: 1\n    c: 2\n", "line 3: unexpected indentation"),
        ("just text\n", "line 1: expected 'key: value'"),
        # a bare dash at the end (an IndexError) or before its sibling (nested by mistake)
        ("a:\n  - 1\n  -\n", "line 3: '-' with no item under it"),
        ("a:\n  -\n  - 2\n", "line 2: '-' with no item under it"),
    ],
)
def test_the_yaml_reader_refuses_what_it_does_not_know(text, message):
    with pytest.raises(ValueError, match=message):
        replication.read_yaml(text, "x.yml")


# --- citation and version ----------------------------------------------------------------------


def test_the_bibtex_keeps_the_group_author_whole_and_has_a_real_key():
    cff = replication.citation()
    entry_text = replication.bibtex(cff)
    key = re.match(r"@software\{([^,]+),", entry_text).group(1)
    assert key == "reluctant2026allies"
    entry = parse_string(entry_text, "bibtex").entries[key]
    (person,) = entry.persons["author"]  # one author, not split at "and" or at spaces
    assert person.last_names == ["{The Reluctant Allies companion authors}"]
    assert not person.first_names
    assert entry.fields["version"] == cff["version"]
    assert entry.fields["url"] == cff["repository-code"]


def test_people_are_written_family_first_in_bibtex_and_with_initials_in_apa():
    cff = replication.citation()
    cff["authors"] = [
        {"family-names": "Korolev", "given-names": "Alexander"},
        {"family-names": "Portyakov", "given-names": "Vladimir"},
    ]
    entry = parse_string(replication.bibtex(cff), "bibtex").entries["reluctant2026allies"]
    assert [str(p) for p in entry.persons["author"]] == [
        "Korolev, Alexander",
        "Portyakov, Vladimir",
    ]
    assert replication.apa(cff).startswith("Korolev, A., & Portyakov, V. (2026). *Reluctant")


def test_the_apa_text_names_group_year_title_version_and_address():
    cff = replication.citation()
    assert replication.apa(cff) == (
        "The Reluctant Allies companion authors. (2026). *Reluctant Allies: an executable "
        "companion* (Version 2.0.0) [Computer software]. "
        "<https://github.com/reluctant-allies/companion-book>"
    )
    cff["doi"] = "10.5281/zenodo.1"
    assert replication.apa(cff).endswith("<https://doi.org/10.5281/zenodo.1>")
    assert "doi     = {10.5281/zenodo.1}" in replication.bibtex(cff)


def test_the_cite_page_shows_the_generated_citation():
    page = (ROOT / "book/cite.md").read_text(encoding="utf-8")
    cff = replication.citation()
    assert replication.bibtex(cff) in page
    assert replication.apa(cff) in page


def test_zenodo_metadata_is_the_citation_file():
    record = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    cff = replication.citation()
    assert record["title"] == cff["title"]
    assert record["version"] == cff["version"]
    assert record["creators"] == [{"name": a["name"]} for a in cff["authors"]]
    assert record["license"] == cff["license"]
    assert record["keywords"] == cff["keywords"]
    assert record["publication_date"] == str(cff["date-released"])
    dois = [r["identifier"] for r in record["related_identifiers"] if r["scheme"] == "doi"]
    assert dois == [ref["doi"] for ref in cff["references"]]


def test_one_version_number_everywhere():
    found = replication.versions()
    assert set(found) >= {
        "reluctant_allies.__version__",
        "pyproject.toml",
        "CITATION.cff",
        "data/datapackage.json",
        "data/CHANGELOG.md",
        ".zenodo.json",
    }
    assert len(set(found.values())) == 1, f"the version numbers disagree: {found}"
    assert found["reluctant_allies.__version__"] == __version__
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == __version__


def test_a_version_that_disagrees_is_seen(tmp_path):
    for rel in ("reluctant_allies/__init__.py", "pyproject.toml", "CITATION.cff", "data"):
        src = ROOT / rel
        dest = tmp_path / rel
        if src.is_dir():
            shutil.copytree(src, dest)
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    init = tmp_path / "reluctant_allies/__init__.py"
    init.write_text(init.read_text().replace(f'"{__version__}"', '"9.9.9"'))
    found = replication.versions(tmp_path)
    assert found["reluctant_allies.__version__"] == "9.9.9"
    assert len(set(found.values())) == 2


# --- Binder's lean set -------------------------------------------------------------------------


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip())
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def test_binder_pins_are_the_top_level_pins():
    top, lean = _pins(ROOT / "requirements.txt"), _pins(ROOT / "binder/requirements.txt")
    assert lean, "binder/requirements.txt pins nothing"
    unknown = sorted(set(lean) - set(top))
    assert not unknown, (
        f"binder/requirements.txt pins packages requirements.txt does not: {unknown}"
    )
    differ = {name: (lean[name], top[name]) for name in lean if lean[name] != top[name]}
    assert not differ, f"binder/requirements.txt and requirements.txt disagree: {differ}"
    assert (ROOT / "binder/runtime.txt").read_text() == (ROOT / "runtime.txt").read_text()


def test_binder_installs_every_third_party_module_the_chapters_and_package_import():
    # import name -> distribution, for the modules the chapters and the package import
    dist = {
        "altair": "altair",
        "numpy": "numpy",
        "pandas": "pandas",
        "scipy": "scipy",
        "myst_nb": "myst-nb",
        "IPython": "ipykernel",
        "vl_convert": "vl-convert-python",
    }
    lean = _pins(ROOT / "binder/requirements.txt")
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "reluctant_allies").rglob("*.py")]
    for path in (ROOT / "book").glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources += ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    imported = set()
    for text in sources:
        imported.update(re.findall(r"^\s*(?:import|from)\s+(\w+)", text, re.M))
    third_party = (
        imported
        - set(__import__("sys").stdlib_module_names)
        - {
            "reluctant_allies",
            "__future__",
            "rocrate",
            "tests",
        }
    )
    unknown = sorted(third_party - set(dist))
    assert not unknown, f"imports this test does not map to a distribution: {unknown}"
    missing = sorted(dist[m] for m in third_party if dist[m] not in lean)
    assert not missing, f"binder/requirements.txt lacks {missing}"


def test_the_generator_imports_only_the_data_layer_and_the_standard_library():
    import ast
    import sys

    tree = ast.parse((ROOT / "reluctant_allies/replication.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from . import ...
                imported.update(f".{alias.name}" for alias in node.names)
            else:
                imported.add(node.module.split(".")[0])
    outside = imported - set(sys.stdlib_module_names) - {"__future__", ".ROOT", ".data"}
    assert not outside, f"replication.py imports {sorted(outside)}"
