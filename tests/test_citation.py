"""CITATION.cff is valid CFF 1.2.0 and agrees with the book about the article it accompanies."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests/schemas/citation-file-format-1.2.0.schema.json").read_text())


def _cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_cff_1_2_0():
    cff = _cff()
    cff["date-released"] = str(cff["date-released"])  # YAML reads it as a date; CFF wants text
    jsonschema.validate(cff, SCHEMA, format_checker=jsonschema.FormatChecker())


def test_invalid_citation_is_rejected():
    cff = _cff()
    del cff["authors"]
    try:
        jsonschema.validate(cff, SCHEMA)
    except jsonschema.ValidationError as exc:
        assert "authors" in str(exc)
    else:
        raise AssertionError("a CFF file without authors passed validation")


def test_citation_names_the_article_and_licence():
    cff = _cff()
    article = cff["references"][0]
    assert article["doi"] == "10.1177/0047117818812561"
    assert cff["license"] == "MIT"
    assert "reconstruction" in cff["abstract"]
    bib = (ROOT / "book/references.bib").read_text()
    assert article["doi"] in bib
