"""Page-weight measures in _ext/page_weight.py: no icon script, icon fonts cut to what is used."""

from __future__ import annotations

import sys

from fontTools.ttLib import TTFont

from tests.site import HTML, ROOT

sys.path.insert(0, str(ROOT / "_ext"))
from page_weight import needed_codepoints  # noqa: E402

CSS = """
.fa-github:before{content:"\\f09b"}
.fa-moon:before,.fa-crescent:before{content:"\\f186"}
.onthispage:after{content:"\\f107";font-family:Font Awesome\\ 6 Free}
html{--pst-icon-admonition-note:"\\f304"}
"""


def test_needed_codepoints_keeps_used_icons_and_every_direct_css_glyph():
    wanted = needed_codepoints([CSS], {"fa-github", "fa-unknown"})
    assert wanted == {0xF09B, 0xF107, 0xF304}  # moon is unused, so dropped


def test_no_page_loads_the_icon_script():
    pages = list(HTML.rglob("*.html"))
    assert pages
    assert not [p for p in pages if "scripts/fontawesome.js" in p.read_text(encoding="utf-8")]


def test_icon_fonts_are_subset_but_keep_the_header_icons():
    fonts = {p.name: p for p in HTML.glob("_static/vendor/fontawesome/webfonts/*.woff2")}
    assert fonts, "no Font Awesome webfonts in the built site"
    assert all(p.stat().st_size < 30_000 for p in fonts.values()), {
        n: p.stat().st_size for n, p in fonts.items()
    }
    brands = set(TTFont(fonts["fa-brands-400.woff2"]).getBestCmap())
    solid = set(TTFont(fonts["fa-solid-900.woff2"]).getBestCmap())
    assert 0xF09B in brands  # fa-github: repository button
    assert {0xF135, 0xF0C9} <= solid  # fa-rocket (launch), fa-bars (sidebar toggle)


def test_pages_keep_every_extension_file_they_use_and_drop_the_rest():
    """_ext/page_weight.py leaves out an extension's files where nothing uses them: the
    Thebe button, a solution dropdown, a code block and a cell each keep theirs."""
    needs = {
        "sphinx-thebe.js": "btn-launch-thebe",
        "togglebutton.js": "dropdown admonition",
        "copybutton.js": 'class="highlight',
        "exercise.css": 'class="exercise',
    }
    pages = [p for p in HTML.rglob("*.html") if "_static" not in p.parts]
    assert pages
    wrong, dropped = [], 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for asset, marker in needs.items():
            uses, loads = marker in text, f"/{asset}" in text or f'"{asset}' in text
            if uses and not loads:
                wrong.append(f"{page.relative_to(HTML)} uses {asset} but does not load it")
            dropped += not uses and not loads
        if "sphinx-design.min.css" in text and "sd-" not in text:
            wrong.append(f"{page.relative_to(HTML)} loads sphinx-design with no sd- markup")
    assert wrong == []
    assert dropped > len(pages)  # the text pages do go without
