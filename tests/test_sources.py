"""Source tiers: one domain table, stored tiers that cannot drift, C only on weak rows.

The fixture tests write a tiny curated resource to ``tmp_path`` and point the loader at
it, so each rule is seen failing with the file, line and column in the message.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest

from reluctant_allies import ROOT, data, sources
from reluctant_allies.data import DataError

PACKAGE = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
CURATED_WITH_URLS = [
    r["name"]
    for r in PACKAGE["resources"]
    if r.get("kind") == "curated" and any(f["name"] == "source_url" for f in r["schema"]["fields"])
]
LINK = re.compile(r"\]\((https?://[^)\s]+)\)")


# --- the domain table ---------------------------------------------------------------------


def test_table_entries_are_tiers_with_reasons():
    for key, entry in sources.DOMAINS.items():
        assert entry.tier in sources.TIERS, key
        assert entry.why.strip(), key
        assert key == key.lower() and not key.endswith("."), key


@pytest.mark.parametrize(
    ("url", "tier"),
    [
        ("https://www.mfa.gov.cn/ce/x.htm", "A"),  # official
        ("https://doi.org/10.15804/ppsy2015006", "A"),  # scholarly
        ("https://missilethreat.csis.org/x", "A"),  # institute
        ("https://tass.com/defense/1069966", "B"),  # wire
        ("http://covid-19.chinadaily.com.cn/x.htm", "B"),  # suffix match
        ("http://en.people.cn./n3/x.html", "B"),  # trailing dot is the same host
        ("http://wiki.china.org.cn/index.php", "C"),  # a more specific entry wins
        ("https://www.rt.com/business/1/", "C"),  # propaganda outlet used for fact
        ("http://freenews-en.tk/2015/12/08/x/", "C"),  # any .tk site
        ("https://docslib.org/doc/1", "C"),  # mirror
        ("https://ajw-origin.potaufeu.asahi.com/ajw/1", "C"),  # non-canonical host
    ],
)
def test_tier_by_domain(url, tier):
    assert sources.tier(url) == tier


def test_unknown_domain_is_an_error_naming_the_host():
    with pytest.raises(sources.SourceError, match="unknown source domain 'example.invalid'"):
        sources.tier("https://example.invalid/page")
    with pytest.raises(sources.SourceError, match="no host"):
        sources.tier("not a url")


# --- the real tables ----------------------------------------------------------------------


@pytest.mark.parametrize("name", CURATED_WITH_URLS)
def test_every_curated_row_has_the_tables_tier(name):
    """Stored tier == the domain table's tier for the row's URL (so the two cannot drift)."""
    frame = data.load(name)
    assert "source_tier" in frame, f"{name} has no source_tier column"
    for url, stored in zip(frame["source_url"], frame["source_tier"], strict=True):
        assert stored == sources.tier(url), (name, url)


@pytest.mark.parametrize("name", CURATED_WITH_URLS)
def test_tier_c_only_on_weak_rows(name):
    frame = data.load(name)
    c_rows = frame[frame["source_tier"] == "C"]
    assert (c_rows["confidence"] == "weak").all(), c_rows["id"].tolist()


def test_at_most_ten_percent_of_curated_rows_on_tier_c():
    frames = [data.load(n) for n in CURATED_WITH_URLS]
    rows = sum(len(f) for f in frames)
    c_rows = sum(int((f["source_tier"] == "C").sum()) for f in frames)
    assert c_rows / rows <= 0.10, f"{c_rows} of {rows} curated rows are on tier C"


def _prose_links() -> dict[str, list[str]]:
    out = {}
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        out[path.name] = LINK.findall(text)
    for path in sorted((ROOT / "book").glob("*.md")):
        out[path.name] = LINK.findall(path.read_text(encoding="utf-8"))
    return out


def test_every_link_in_chapter_prose_has_a_known_domain():
    unknown = []
    for page, urls in _prose_links().items():
        for url in urls:
            try:
                sources.tier(url)
            except sources.SourceError:
                unknown.append((page, url))
    assert not unknown


def test_tier_c_links_in_prose_are_labelled_weak():
    """A tier-C link left in a chapter (no A/B replacement found) says so in its text."""
    unlabelled = []
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for label, url in re.findall(r"\[([^\]]*)\]\((https?://[^)\s]+)\)", text):
            if sources.tier(url) == "C" and "weak source" not in label:
                unlabelled.append((path.name, label, url))
    assert not unlabelled


def test_sources_page_states_the_tier_counts_from_the_data():
    page = (ROOT / "book" / "data" / "sources.md").read_text(encoding="utf-8")
    frames = {n: data.load(n) for n in CURATED_WITH_URLS}
    rows = sum(len(f) for f in frames.values())
    counts = {t: sum(int((f["source_tier"] == t).sum()) for f in frames.values()) for t in "ABC"}
    assert f"Of {rows} curated rows, {counts['A']} rest on tier A, {counts['B']} on tier B" in page
    for name, frame in frames.items():
        c = int((frame["source_tier"] == "C").sum())
        assert f"| [`{name}`]({name}.md) | " in page
        assert f"| {len(frame)} | {c / len(frame):.0%} | {c} of {c} |" in page


# --- bad input: fixture packages -----------------------------------------------------------

FIELDS = [
    {"name": "id", "type": "string", "constraints": {"required": True}},
    {"name": "source_url", "type": "string", "constraints": {"required": True}},
    {"name": "source_tier", "type": "string", "constraints": {"enum": ["A", "B", "C"]}},
    {"name": "confidence", "type": "string", "constraints": {"enum": ["sourced", "weak"]}},
]
HEADER = "id,source_url,source_tier,confidence\n"
GOOD_ROWS = "a,https://tass.com/defense/1,B,sourced\nb,https://www.rt.com/x,C,weak\n"


def write(folder: Path, text: str) -> None:
    (folder / "tiny.csv").write_text(text, encoding="utf-8", newline="")
    resource = {
        "name": "tiny",
        "path": "tiny.csv",
        "kind": "curated",
        "schema": {"fields": FIELDS, "missingValues": [""], "primaryKey": ["id"]},
        "hash": "sha256:" + hashlib.sha256(text.encode()).hexdigest(),
        "sources": [{"name": "curated", "title": "test"}],
    }
    (folder / "datapackage.json").write_text(json.dumps({"resources": [resource]}))


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))
    return tmp_path


def test_fixture_good_rows_load(folder):
    write(folder, HEADER + GOOD_ROWS)
    assert data.load("tiny")["source_tier"].tolist() == ["B", "C"]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        # a C source on a row not marked weak
        ("c,https://www.rt.com/y,C,sourced", "confidence", "allowed only on a row marked 'weak'"),
        # a domain the table does not know
        ("c,https://example.invalid/y,B,sourced", "source_url", "unknown source domain"),
        # a stored tier that differs from the table's (typed by hand, drifted)
        ("c,https://tass.com/y,A,sourced", "source_tier", "differs from the domain table's 'B'"),
        # an unknown tier (the schema enum catches it before the table is consulted)
        ("c,https://tass.com/y,D,sourced", "source_tier", "not one of the allowed values"),
    ],
)
def test_fixture_bad_rows_name_file_line_column(folder, row, column, message):
    write(folder, HEADER + GOOD_ROWS + row + "\n")
    with pytest.raises(DataError) as info:
        data.load("tiny")
    err = info.value
    assert err.path.name == "tiny.csv" and err.line == 4 and err.column == column
    assert message in str(err)
    assert str(err).startswith(f"{folder / 'tiny.csv'}, line 4, column {column!r}")


def test_row_problems_reports_an_unknown_tier_without_the_schema():
    problems = sources.row_problems(
        [{"source_url": "https://tass.com/x", "source_tier": "D", "confidence": "sourced"}]
    )
    assert problems == [(0, "source_tier", "'D' is not a tier (one of ['A', 'B', 'C'])")]


def test_real_curated_csvs_have_the_tier_next_to_the_url():
    for name in CURATED_WITH_URLS:
        path = ROOT / "data" / next(r["path"] for r in PACKAGE["resources"] if r["name"] == name)
        header = next(csv.reader(path.open(encoding="utf-8")))
        assert header[header.index("source_url") + 1] in ("source_tier", "quote"), name
