"""_toc.yml parsing used by the browser tests: every page, globs expanded, in order."""

from tests.site import is_local, toc_pages


def test_toc_pages_start_with_the_landing_page_and_include_chapter_one():
    pages = toc_pages()
    assert pages[0] == "book/intro"
    assert "book/puzzle" in pages
    assert len(pages) == len(set(pages))


def test_only_loopback_counts_as_local():
    assert is_local("http://127.0.0.1:8000/x.js")
    assert is_local("http://localhost/x")
    assert is_local("data:image/png;base64,AAAA")
    assert not is_local("https://cdn.jsdelivr.net/npm/vega@6")
    assert not is_local("http://10.0.0.1/")
    assert not is_local("http://127.0.0.1.example.com/")


def test_every_data_page_is_in_the_toc():
    # only_build_toc_files: a generated page missing from _toc.yml would silently vanish
    from tests.site import ROOT

    pages = set(toc_pages())
    generated = {
        str(p.relative_to(ROOT).with_suffix("")) for p in (ROOT / "book/data").glob("*.md")
    }
    assert generated, "no generated data pages under book/data"
    assert generated <= pages, f"data pages missing from _toc.yml: {sorted(generated - pages)}"
