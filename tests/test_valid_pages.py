"""_ext/valid_pages.py: the build-time fixes for the Nu checker, and what each built page
carries (a meta description, the favicon, no search scripts outside search.html).

The Nu checker itself runs over the built site in tests/test_html_valid.py."""

from __future__ import annotations

import re
import sys

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from tests.site import HTML, ROOT, toc_pages

sys.path.insert(0, str(ROOT / "_ext"))
import valid_pages  # noqa: E402

PANDAS_STYLE = """<style scoped>
    .dataframe tbody tr th:only-of-type {
        vertical-align: middle;
    }
</style>
"""


def test_scoped_styles_leave_the_body_and_each_distinct_sheet_is_kept_once():
    other = "<style scoped>\n  .x { color: red; }\n</style>"
    body = f"<p>a</p>{PANDAS_STYLE}<table class='dataframe'></table>{PANDAS_STYLE}{other}<p>b</p>"
    new, sheets = valid_pages.hoist_scoped_styles(body)
    assert "<style" not in new and "scoped" not in new
    assert "<table class='dataframe'></table>" in new and "<p>b</p>" in new
    assert sheets == [
        ".dataframe tbody tr th:only-of-type {\nvertical-align: middle;\n}",
        ".x { color: red; }",
    ]


def test_paragraphs_in_a_summary_become_spans_and_keep_their_classes():
    body = (
        '<details><summary aria-label="t">\n<p class="collapsed admonition-title">Show</p>\n'
        '<p class="expanded admonition-title">Hide</p>\n</summary><p>kept</p></details>'
    )
    new = valid_pages.summary_paragraphs_to_spans(body)
    assert '<span class="collapsed admonition-title">Show</span>' in new
    assert '<span class="expanded admonition-title">Hide</span>' in new
    assert new.endswith("</summary><p>kept</p></details>")  # outside the summary: untouched
    assert "<p" not in new.split("</summary>")[0]


def _doc_with_exercises(n: int, owner_ids: list[list[str]]):
    doc = new_document("test", get_default_settings(Parser))
    for i in range(n):
        owner = nodes.container(ids=owner_ids[i])
        owner += nodes.section(ids=["exercise-content" if i % 2 == 0 else "solution-content"])
        doc += owner
    return doc


def test_exercise_content_ids_are_unique_after_the_post_transform():
    doc = _doc_with_exercises(3, [["ex-a"], ["sol-a"], []])
    transform = valid_pages.UniqueExerciseContentIds(doc)
    transform.run()
    ids = [s["ids"] for s in doc.findall(nodes.section)]
    assert ids == [["ex-a-content"], ["sol-a-content"], []]


def test_describe_keeps_short_text_and_cuts_long_text_at_a_word():
    assert valid_pages.describe("  a  short\n goal ") == "a short goal"
    long = " ".join(["word"] * 200)
    cut = valid_pages.describe(long, limit=50)
    assert len(cut) <= 50 and cut.endswith("word…")


def test_search_scripts_are_dropped_and_other_scripts_kept():
    head = (
        '<script src="../_static/doctools.js?v=1"></script>\n'
        '    <script src="../_static/searchtools.js"></script>\n'
        '    <script src="../_static/language_data.js"></script>\n'
        '    <script src="../searchindex.js"></script>\n'
    )
    assert valid_pages.drop_search_scripts(head) == (
        '<script src="../_static/doctools.js?v=1"></script>\n'
    )


def test_the_redirect_page_is_a_complete_document():
    page = valid_pages.redirect_page("book/intro.html", "A & B")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>A &amp; B</title>" in page
    assert 'content="0; url=book/intro.html"' in page and 'href="book/intro.html"' in page


# --- the built site -----------------------------------------------------------------------

PAGES = toc_pages()
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)" />')


@pytest.fixture(scope="module")
def built():
    if not (HTML / "index.html").exists():
        pytest.fail(f"no built site at {HTML}: run `make book` first (make test does)")
    return {doc: (HTML / f"{doc}.html").read_text(encoding="utf-8") for doc in PAGES}


def test_every_page_has_one_meta_description(built):
    bad = {doc: len(_DESCRIPTION.findall(text)) for doc, text in built.items()}
    assert all(n == 1 for n in bad.values()), {d: n for d, n in bad.items() if n != 1}


def test_chapter_descriptions_come_from_the_learning_goal(built):
    chapters = [d for d in PAGES if (ROOT / f"{d}.ipynb").exists()]
    assert chapters
    for doc in chapters:
        description = _DESCRIPTION.search(built[doc]).group(1)
        goal = re.search(
            r"Learning goal</p>\s*<p>(.*?)</p>", built[doc], re.DOTALL
        )  # the goal's first paragraph as rendered
        assert goal, f"{doc}: no learning goal box"
        first_words = " ".join(re.sub(r"<[^>]+>", "", goal.group(1)).split()[:6])
        assert description.startswith(first_words), (doc, description[:80], first_words)


def test_every_page_names_the_favicon_and_it_was_copied(built):
    assert (HTML / "_static" / "favicon.svg").exists()
    assert not [d for d, text in built.items() if 'rel="icon" href="' not in text]


def test_search_scripts_only_on_the_search_page(built):
    with_index = [d for d, text in built.items() if "searchindex.js" in text]
    assert not with_index
    assert "searchindex.js" in (HTML / "search.html").read_text(encoding="utf-8")
