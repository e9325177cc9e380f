"""The claims map's verdicts, computed by the chapters' own functions (not typed).

Each claim of ``book/claims.yml`` that the data can speak to gets a *computed outcome*:
the verdict strings of the chapter functions behind it (chapter 11's scorecard and
conditional forecast, chapter 12's falsifier table, the hurdle measures). They are stored
in ``book/claims_verdicts.json`` with a sha256 over their inputs: the hashes of the data
resources read (from ``data/datapackage.json``) and the rules' parameters. Regenerate with::

    python -m reluctant_allies.analysis.claims

``tests/test_claims_verdicts.py`` recomputes the outcomes and fails if the stored file is
stale, or if a claim's ``computed`` line in ``claims.yml`` (written by hand beside its
verdict text) no longer matches: a data change that flips a verdict cannot pass until the
claims map's text is rewritten with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from .. import data, pressure
from . import evaluation, verdicts

__all__ = ["RESOURCES", "VERDICTS_PATH", "compute_outcomes", "inputs_hash", "verdict_record"]

#: The data resources the outcomes read.
RESOURCES: tuple[str, ...] = (
    "alliances",
    "arms_transfers",
    "events",
    "exercises",
    "opinion",
    "power",
    "pressure_actions",
    "themed_years",
    "trade",
    "trade_composition",
    "trade_reported",
    "trade_shares",
    "unga",
)
VERDICTS_PATH = Path(__file__).resolve().parents[2] / "book" / "claims_verdicts.json"


def _parameters() -> dict:
    """The rules' parameters that a verdict depends on, as plain values."""
    rules = verdicts.FalsifierRules()
    return {
        "falsifier_rules": {k: getattr(rules, k) for k in rules.__dataclass_fields__},
        "calibration": list(evaluation.CALIBRATION),
        "holdout": list(evaluation.HOLDOUT),
        "main_proxies": list(evaluation.MAIN_PROXIES),
        "delta_m_range": list(evaluation.DELTA_M_RANGE),
        "hurdle_tolerance": evaluation.HURDLE_TOLERANCE,
        "digits": evaluation.DIGITS,
    }


def inputs_hash(package: Mapping | None = None) -> tuple[str, dict[str, str]]:
    """sha256 over the resources' hashes (``data/datapackage.json``) and the parameters."""
    if package is None:
        package = {"resources": [data.resource(n) for n in data.names()]}
    hashes = {r["name"]: r.get("hash", "") for r in package["resources"]}
    missing = [n for n in RESOURCES if not hashes.get(n)]
    if missing:
        raise ValueError(f"inputs_hash: the data package has no hash for {missing}")
    used = {n: hashes[n] for n in RESOURCES}
    blob = json.dumps({"resources": used, "parameters": _parameters()}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest(), used


def compute_outcomes() -> dict[str, str]:
    """Claim id -> computed outcome, from the same functions the chapters call."""
    t = {n: data.load(n) for n in RESOURCES if n != "pressure_actions"}
    actions = pressure.load_record()
    base = (t["unga"], t["trade"], t["power"], t["opinion"])
    extra = {"shares": t["trade_shares"], "composition": t["trade_composition"]}
    observed = evaluation.proxy_table(*base, **extra)
    card = verdicts.scorecard(t["events"], t["exercises"], observed)["verdict"]
    status = verdicts.falsifier_status(
        t["alliances"],
        t["unga"],
        t["exercises"],
        t["trade_reported"],
        actions=actions,
        themed_years=t["themed_years"],
    ).set_index("indicator")["triggered"]
    hurdle = evaluation.hurdle_measures(observed)["verdict"]

    calibration = evaluation.proxy_table(*base, last_year=evaluation.CALIBRATION[1], **extra)
    S = evaluation.record_pressure(actions)
    paths = evaluation.record_scenarios(actions)
    mechanism = []
    for dm in evaluation.DELTA_M_RANGE:
        fz = evaluation.freeze(calibration, S, fixed={"delta_m": dm})
        err = evaluation.holdout_errors(evaluation.forecast(fz, paths), observed, fz)
        mechanism.append(f"delta_m={dm:g}: {evaluation.conditional_verdict(err)['verdict']}")

    def fired(word: str) -> str:
        rows = status[status.index.str.contains(word, regex=False)]
        return "fired" if (rows == "yes").any() else "not fired"

    military = card["Cooperation up after 2022"].split(";")[0].strip()
    return {
        "C1": f"cooperation after 2022: {military}; exercise rupture rule {fired('exercises')}",
        "C2": "economic hurdle: "
        + ", ".join(f"{m} {v}" for m, v in hurdle.items())
        + f"; opinion wears down: {card['Hurdles wear down: opinion']}",
        "C3": f"policy drift rule (themed years under rising pressure) {fired('themed years')}",
        "C4": "conditional forecast, mechanism " + "; ".join(mechanism),
        "P1": f"no formal alliance: {card['No formal alliance']}; treaty rule {fired('ATOP')}",
        "P2": f"cooperation after 2022: {military}; policy drift rule {fired('themed years')}",
        "P3": f"opinion: {card['Hurdles wear down: opinion']}; "
        f"economic asymmetry: {card['Hurdles wear down: economic asymmetry']}",
    }


def verdict_record(package: Mapping | None = None) -> dict:
    """What ``claims_verdicts.json`` holds: inputs hash, resource hashes and outcomes."""
    digest, used = inputs_hash(package)
    return {"inputs_sha256": digest, "resources": used, "outcomes": compute_outcomes()}


def main() -> None:  # pragma: no cover - a command
    record = verdict_record()
    VERDICTS_PATH.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {VERDICTS_PATH} (inputs sha256 {record['inputs_sha256'][:12]})")


if __name__ == "__main__":  # pragma: no cover
    main()
