"""The whole-book PDF (tests/pdf.py, `make pdf`): every page of _toc.yml is in it, in
order, with a bookmark; every chapter title and every numbered figure's number and
caption can be read in its text (pypdf's extraction); every figure's picture is there.

The PDF is printed from the current site if it is missing or older than the site."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from tests import pdf
from tests.site import HTML, ROOT, toc_pages

PAGES = toc_pages()
CHAPTERS = [d for d in PAGES if (ROOT / f"{d}.ipynb").exists()]


def _squash(text: str) -> str:
    """Letters and digits only, lower case: line breaks, hyphens at a wrap and the
    spacing pypdf guesses between words do not matter; ligatures (ﬀ, ﬁ) are letters."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).lower()


def _plain(markdown: str) -> str:
    """The words of a MyST caption as the page shows them ({term}`x` -> x, *x* -> x)."""
    text = re.sub(r"\{[a-z:]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\\([A-Za-z]+)", _tex_letter, text)  # maths: \rho -> ρ (MathML prints ρ)
    return text.replace("\\$", "$").replace("`", "")


def _tex_letter(match: re.Match) -> str:
    name = match.group(1)
    case = "CAPITAL" if name[0].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return match.group(0)


def captions(notebook: str) -> list[str]:
    """Every figure caption of a chapter, in order: the ``mystnb.figure.caption`` of its
    code cells (that is how the chapters make numbered figures)."""
    nb = json.loads((ROOT / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
        if cell["cell_type"] == "code" and figure.get("caption"):
            found.append(_plain(figure["caption"]))
    return found


@pytest.fixture(scope="module")
def book():
    from pypdf import PdfReader

    if not (HTML / "index.html").exists():
        pytest.fail(f"no built site at {HTML}: run `make book` first (make test does)")
    if not pdf.PDF.exists() or pdf.PDF.stat().st_mtime < pdf.site_mtime():
        pdf.build()
    reader = PdfReader(pdf.PDF)
    pages = [page.extract_text() or "" for page in reader.pages]
    return reader, pages


def _outline(reader) -> list[tuple[str, int]]:
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def test_every_page_has_a_bookmark_in_reading_order(book):
    reader, _ = book
    marks = _outline(reader)
    assert len(marks) == len(PAGES)
    starts = [page for _, page in marks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def chapter_title(notebook: str) -> str:
    """The chapter's title as written: the first heading of its first cell."""
    nb = json.loads((ROOT / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    first = "".join(nb["cells"][0]["source"]).lstrip()
    if not first.startswith("# "):
        raise ValueError(f"{notebook}: the first cell does not start with a '# ' title")
    return _plain(first.splitlines()[0][2:])


def test_every_chapter_starts_with_its_numbered_title(book):
    # On the chapter's own first sheet: the intro's contents list names every chapter too.
    reader, pages = book
    ranges = _chapter_ranges(reader, len(pages))
    assert len(CHAPTERS) >= 10
    for number, doc in enumerate(CHAPTERS, start=1):
        first_sheet = _squash(pages[ranges[number][0]])
        title = _squash(f"{number}. {chapter_title(doc)}")
        assert first_sheet.startswith(title), (doc, title, first_sheet[:80])


def _chapter_ranges(reader, n_pages: int) -> dict[int, tuple[int, int]]:
    """Chapter number -> (first page, page after its last), from the bookmarks."""
    marks = _outline(reader)
    ranges = {}
    for i, (title, start) in enumerate(marks):
        match = re.match(r"(\d+)\. ", title)
        if match:
            end = marks[i + 1][1] if i + 1 < len(marks) else n_pages
            ranges[int(match.group(1))] = (start, end)
    return ranges


def test_every_figure_number_and_caption_is_in_its_chapter(book):
    reader, pages = book
    ranges = _chapter_ranges(reader, len(pages))
    assert sorted(ranges) == list(range(1, len(CHAPTERS) + 1))
    missing, total = [], 0
    for number, doc in enumerate(CHAPTERS, start=1):
        start, end = ranges[number]
        text = _squash("".join(pages[start:end]))
        for i, caption in enumerate(captions(doc), start=1):
            total += 1
            if _squash(f"Figure {number}.{i}") + _squash(caption) not in text:
                missing.append(f"{doc}: Figure {number}.{i} {caption[:60]}")
    assert total >= 20, f"only {total} captions found in the chapters' notebooks"
    assert not missing, missing
