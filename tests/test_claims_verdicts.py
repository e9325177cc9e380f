"""The claims map's verdicts are computed by the chapters' functions and kept in step.

``book/claims_verdicts.json`` stores each claim's computed outcome with a sha256 over its
inputs; ``book/claims.yml`` carries the same outcome by hand beside the verdict text. A data
change that flips an outcome fails here (and in the build) until both are rewritten.
"""

from __future__ import annotations

import json
import sys

import pytest

from reluctant_allies import data
from reluctant_allies.analysis import claims
from tests.site import ROOT

sys.path.insert(0, str(ROOT / "_ext"))
from claims_map import check_computed, load_claims, load_verdicts  # noqa: E402

CLAIMS_PATH = ROOT / "book/claims.yml"


@pytest.fixture(scope="module")
def fresh() -> dict:
    return claims.verdict_record()


def test_stored_verdicts_are_what_the_chapters_compute(fresh):
    stored = json.loads(claims.VERDICTS_PATH.read_text(encoding="utf-8"))
    hint = "stale: run `python -m reluctant_allies.analysis.claims`"
    assert stored["inputs_sha256"] == fresh["inputs_sha256"], hint
    assert stored["outcomes"] == fresh["outcomes"], hint


def test_claims_map_text_follows_the_computed_outcomes():
    problems = check_computed(load_claims(CLAIMS_PATH), load_verdicts(CLAIMS_PATH), "claims.yml")
    assert not problems, "\n".join(problems)
    with_outcome = {c["id"] for c in load_claims(CLAIMS_PATH) if c.get("computed")}
    assert with_outcome == {"C1", "C2", "C3", "C4", "P1", "P2", "P3"}


def test_a_data_change_that_flips_a_verdict_is_caught(monkeypatch, fresh):
    real = data.load

    def fewer_exercises(name):
        table = real(name)
        if name == "exercises":  # no joint activity recorded after 2021
            table = table[table["year"] <= 2021]
        return table

    monkeypatch.setattr(data, "load", fewer_exercises)
    flipped = claims.compute_outcomes()
    assert flipped["C1"] != fresh["outcomes"]["C1"]
    record = {"inputs_sha256": "x", "outcomes": flipped}
    problems = check_computed(load_claims(CLAIMS_PATH), record, "claims.yml")
    assert any("claim C1" in p for p in problems)
    assert any("claim P2" in p for p in problems)


def test_inputs_hash_moves_with_a_resource_hash():
    package = {"resources": [data.resource(n) for n in data.names()]}
    digest, used = claims.inputs_hash(package)
    assert set(used) == set(claims.RESOURCES)
    changed = {
        "resources": [
            {**r, "hash": "sha256:0"} if r["name"] == "exercises" else r
            for r in package["resources"]
        ]
    }
    assert claims.inputs_hash(changed)[0] != digest
    missing = {"resources": [r for r in package["resources"] if r["name"] != "unga"]}
    with pytest.raises(ValueError, match="unga"):
        claims.inputs_hash(missing)


def test_a_computed_line_without_a_stored_outcome_is_reported():
    claim = [{"id": "P9", "computed": "yes"}]
    assert check_computed(claim, {"outcomes": {}}, "x")
    assert not check_computed([{"id": "P4"}], {"outcomes": {}}, "x")
