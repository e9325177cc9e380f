"""The offline edition (tests/offline.py, `make offline`), unzipped and opened from
``file://`` with no server: every page in _toc.yml loads with no console or page error,
every chart draws and is visible, the search page finds hits, and no request leaves
``file://`` (any other request is blocked and counted).

The zip is built from the current site if it is missing or older than the site."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests import offline
from tests.pdf import hidden_figures, site_mtime, wait_for_figures
from tests.site import HTML, ROOT, toc_pages

PAGES = toc_pages()


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    if not (HTML / "index.html").exists():
        pytest.fail(f"no built site at {HTML}: run `make book` first (make test does)")
    if not offline.ZIP.exists() or offline.ZIP.stat().st_mtime < site_mtime():
        offline.build()
    folder = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(offline.ZIP) as zf:
        zf.extractall(folder)
    return folder / offline.TOP


def test_zip_holds_site_data_package_and_executed_notebooks(edition):
    assert (edition / "README.txt").exists() and (edition / "site" / "index.html").exists()
    assert not [d for d in PAGES if not (edition / "site" / f"{d}.html").exists()]
    package = json.loads((edition / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert (edition / "data" / resource["path"]).exists(), resource["path"]
    chapters = sorted(p.name for p in (ROOT / "book").glob("*.ipynb"))
    assert chapters
    for name in chapters:
        nb = json.loads((edition / "notebooks" / name).read_text(encoding="utf-8"))
        outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
        assert outputs, f"notebooks/{name} has no outputs: not the executed notebook"


def test_search_summaries_are_off_only_in_the_zip(edition):
    zipped = (edition / "site" / offline.SEARCH_OPTIONS).read_text(encoding="utf-8")
    built = (HTML / offline.SEARCH_OPTIONS).read_text(encoding="utf-8")
    assert "SHOW_SEARCH_SUMMARY: false" in zipped
    assert "SHOW_SEARCH_SUMMARY: true" in built


class FileWatch:
    """Console and page errors; every request that is not file:// is aborted and counted."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.blocked: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture(scope="module")
def file_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    yield page, FileWatch(page)
    context.close()


def test_every_page_loads_from_file_urls_with_every_figure_visible(edition, file_page):
    page, watch = file_page
    problems: dict[str, list] = {}
    figures = 0
    page.goto((edition / "site" / "index.html").as_uri(), wait_until="load")
    page.wait_for_url("**/book/intro.html")  # the root redirect works from file:// too
    for doc in PAGES:
        before_errors, before_blocked = len(watch.errors), len(watch.blocked)
        page.goto((edition / "site" / f"{doc}.html").as_uri(), wait_until="load")
        found = wait_for_figures(page)
        figures += len(found)
        hidden = hidden_figures(found)
        bad = watch.errors[before_errors:] + watch.blocked[before_blocked:] + hidden
        if bad:
            problems[doc] = bad
    assert figures > 0
    assert not problems, problems
    assert not watch.blocked


def test_search_works_from_file_urls(edition, file_page):
    page, watch = file_page
    before = len(watch.errors)
    page.goto((edition / "site" / "search.html").as_uri() + "?q=alliance", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=15_000)
    page.wait_for_function(
        "() => !document.querySelector('#search-results h2')?.textContent.includes('Searching')",
        timeout=15_000,
    )
    assert page.locator("#search-results ul.search li").count() > 0
    assert watch.errors[before:] == []
