"""The claims map: well-formed, and every chapter and figure it names exists in the built site."""

from __future__ import annotations

import re
import sys

import pytest

from tests.site import HTML, ROOT, toc_pages

sys.path.insert(0, str(ROOT / "_ext"))
from claims_map import load_claims  # noqa: E402

CLAIMS = load_claims(ROOT / "book/claims.yml")


def test_the_article_claims_and_the_book_predictions_are_all_there():
    ids = [c["id"] for c in CLAIMS]
    assert ids[:4] == ["C1", "C2", "C3", "C4"]
    assert {"P1", "P2", "P3", "P4"} <= set(ids)
    assert all(c["whose"] == "article" for c in CLAIMS if c["id"].startswith("C"))
    assert all(c["whose"] == "book" for c in CLAIMS if c["id"].startswith("P"))


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c["id"])
def test_named_chapters_are_in_the_toc_and_figures_are_in_those_chapters(claim):
    pages = set(toc_pages())
    missing = [d for d in claim["chapters"] if d not in pages]
    assert not missing, f"{claim['id']}: chapters not in _toc.yml: {missing}"
    built = {d: (HTML / f"{d}.html").read_text(encoding="utf-8") for d in claim["chapters"]}
    for label in claim.get("figures", []):
        holders = [d for d, html in built.items() if f'id="{label}"' in html]
        assert holders, f"{claim['id']}: figure {label} is in none of {claim['chapters']}"


def test_claims_page_links_every_row_and_leaves_no_reference_unresolved():
    html = (HTML / "book/claims.html").read_text(encoding="utf-8")
    for claim in CLAIMS:
        assert f'id="claim-{claim["id"].lower()}"' in html
        for label in claim.get("figures", []):
            assert re.search(rf'href="[^"]*#{label}"', html), f"no link to {label}"
    assert "???" not in html


def test_malformed_claims_are_rejected(tmp_path):
    bad = tmp_path / "claims.yml"
    bad.write_text("- id: C1\n  whose: article\n  claim: x\n  chapters: [book/puzzle]\n")
    with pytest.raises(ValueError, match="lacks \\['verdict'\\]"):
        load_claims(bad)
    bad.write_text("- {id: C1, whose: them, claim: x, chapters: [a], verdict: y}\n")
    with pytest.raises(ValueError, match="whose"):
        load_claims(bad)
