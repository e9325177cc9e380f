"""The data package is what it claims to be: reproducible, valid, and traceable to its sources.

How "every plotted value traces to a source" is enforced:

* a *derived* table has a required ``source`` column whose enum is a subset of the
  ``name`` keys of its resource's ``sources`` list, and the loader rejects any row
  whose value is outside that enum, so every row names the producer, release and
  raw file it came from;
* a *curated* table has a required ``source_url`` column (pattern ``https?://…``),
  so every hand-entered row carries the page it was taken from;
* every resource is one of the two kinds; every table column a chart can plot
  belongs to one of these tables.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from reluctant_allies import ROOT, data, derive

DATA = ROOT / "data"
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in PACKAGE["resources"]}
DERIVED = sorted(n for n, r in RESOURCES.items() if r.get("kind") == "derived")
CURATED = sorted(n for n, r in RESOURCES.items() if r.get("kind") == "curated")
RAW = derive.raw_dir()
needs_raw = pytest.mark.skipif(
    not RAW.is_dir(),
    reason=f"raw data folder {RAW} not found (e.g. on Binder): cannot re-derive data/; "
    f"set {derive.RAW_ENV} to run this test",
)


@pytest.fixture(autouse=True)
def real_data(monkeypatch):
    monkeypatch.delenv(data.DATA_ENV, raising=False)


def test_every_resource_is_derived_or_curated():
    assert set(DERIVED) | set(CURATED) == set(RESOURCES)
    assert set(DERIVED) == set(derive.DERIVED), "derive.py and datapackage.json disagree"
    assert {"events", "exercises", "themed_years", "opinion", "trade_reported"} <= set(CURATED)


def test_data_folder_holds_only_the_package():
    # the package, its tables and the changelog of its releases
    expected = {"datapackage.json", "CHANGELOG.md"} | {r["path"] for r in RESOURCES.values()}
    assert {p.name for p in DATA.iterdir()} == expected


@needs_raw
def test_rederivation_is_byte_identical(tmp_path):
    written = derive.derive(RAW, tmp_path, PACKAGE)
    assert {p.name for p in written} == {RESOURCES[n]["path"] for n in DERIVED}
    for fresh in written:
        committed = DATA / fresh.name
        assert committed.read_bytes() == fresh.read_bytes(), (
            f"{committed} differs from a fresh derivation: run `python -m reluctant_allies.derive`"
        )


@needs_raw
def test_derive_check_cli_passes():
    result = subprocess.run(
        [sys.executable, "-m", "reluctant_allies.derive", "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_derived_csvs_are_plain():
    for name in DERIVED:
        raw = (DATA / RESOURCES[name]["path"]).read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n"), name


def test_frictionless_validates_the_package():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA / "datapackage.json"))
    errors = report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    assert report.valid, errors[:10]


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_resource_is_fully_described(name):
    res = RESOURCES[name]
    assert res["hash"].startswith("sha256:") and res["hash"] == data.sha256(DATA / res["path"])
    assert res["licenses"] and all(lic.get("title") for lic in res["licenses"])
    assert res["sources"], f"{name} has no sources"
    for source in res["sources"]:
        for key in ("name", "title", "path", "producer", "terms"):
            assert source.get(key), f"{name}: source {source.get('name')} lacks {key!r}"
    assert isinstance(res.get("caveats"), list) and res["caveats"]
    schema = res["schema"]
    assert schema["primaryKey"] and schema["missingValues"] == [""]
    for field in schema["fields"]:
        assert field.get("description"), f"{name}.{field['name']} has no description"
        assert field.get("type"), f"{name}.{field['name']} has no type"


@pytest.mark.parametrize("name", DERIVED)
def test_derived_rows_name_a_listed_source(name):
    res = RESOURCES[name]
    listed = {s["name"] for s in res["sources"]}
    for source in res["sources"]:
        assert source["path"].startswith("../shared/data/raw/")
    field = next(f for f in res["schema"]["fields"] if f["name"] == "source")
    assert field["constraints"]["required"] is True
    assert set(field["constraints"]["enum"]) <= listed
    frame = data.load(name)
    assert frame["source"].notna().all()
    assert set(frame["source"]) <= listed


@pytest.mark.parametrize("name", CURATED)
def test_curated_rows_carry_a_source_url(name):
    frame = data.load(name)
    urls = frame["source_url"]
    assert urls.notna().all()
    assert urls.str.match(r"https?://\S+$").all()
    assert set(frame["confidence"]) <= {"sourced", "weak", "disputed"}


def test_known_disagreements_are_recorded_as_caveats():
    def caveats(name):
        return " ".join(RESOURCES[name]["caveats"])

    assert "64.2" in caveats("trade_reported") and "68" in caveats("trade_reported")
    assert "DOTS" in caveats("trade_reported") and "DOTS" in caveats("trade")
    assert "CINC puts China above the USA" in caveats("power")
    assert "transcribed" in caveats("power")


def test_disputed_2015_total_is_shown_not_resolved():
    reported = data.load("trade_reported")
    rows = reported[(reported["year"] == 2015) & (reported["flow"] == "turnover")]
    assert rows["value_usd_bn"].tolist() == [64.2]
    # only tier-C copies carry it, so it is flagged weak; the note keeps the dispute visible
    assert rows["confidence"].tolist() == ["weak"]
    assert rows["source_tier"].tolist() == ["C"]
    assert "Inconsistent with the 2016 report" in rows["note"].iloc[0]


def test_producers_are_not_spliced():
    trade = data.load("trade")
    spans = trade.groupby("source")["year"].agg(["min", "max"])
    assert spans.loc["cow_trade_v4"].tolist() == [1992, 2014]
    assert spans.loc["cepii_baci"].tolist() == [2017, 2023]
    assert spans.loc["un_comtrade"].tolist() == [2017, 2024]
    assert not trade["year"].isin([2015, 2016]).any(), "no raw file covers 2015-16"


def test_composition_shares_add_up():
    comp = data.load("trade_composition")
    totals = comp.groupby(["year", "direction"])["share"].sum()
    assert ((totals - 1).abs() < 5e-5).all()


def test_cinc_v7_is_flagged():
    power = data.load("power")
    v7 = next(s for s in RESOURCES["power"]["sources"] if s["name"] == "cow_nmc_v7")
    assert "transcribed" in v7["title"] and v7["status"] == "transcribed, unconfirmed"
    assert (power["source"] == "cow_nmc_v7").any()


def test_source_line_for_every_resource():
    for name in RESOURCES:
        line = data.source_line(name)
        assert line and "\n" not in line
    assert data.source_line("arms_transfers") == (
        "SIPRI Arms Transfers Database (TIV), generated 13 Feb 2026"
    )
