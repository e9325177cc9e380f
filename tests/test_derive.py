"""The derivation from raw files, tested in CI on small fixture extracts (tests/fixtures/raw).

``tests/test_data_package.py`` holds the golden test (the committed CSVs are a byte-identical
re-derivation), which needs ``../shared/data/raw`` and is skipped without it.  The tests here
need only the fixtures, which keep the raw folder's file names and columns, so each DERIVED
function runs unchanged.  Expected values are worked out by hand from the fixture rows (the
arithmetic is in the comments), each guard is made to fire, and each malformed input must
raise a :class:`data.DataError` naming the file, line and column.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from reluctant_allies import ROOT, data, derive

FIXTURES = Path(__file__).parent / "fixtures" / "raw"
PACKAGE = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
COW_DYADS = "cow_trade_v4/cow_trade_ndy_USA_RUS_CHN_dyads.csv"
BACI = "cepii_baci/baci_russia_china_processed_2017_2023.csv"
COMTRADE = "un_comtrade/comtrade_imports_chn_from_rus_2017_2024.csv"
SIPRI_AT = "sipri_arms_transfers/sipri_arms_transfers_1990_2024.csv"


@pytest.fixture
def raw(tmp_path) -> Path:
    """A writable copy of the fixture folder, for tests that break one cell."""
    return Path(shutil.copytree(FIXTURES, tmp_path / "raw"))


def _edit(raw: Path, name: str, old: str, new: str, encoding: str = "utf-8") -> None:
    path = raw / name
    text = path.read_text(encoding=encoding)
    assert old in text, f"fixture {name} lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding=encoding)


def _by(rows: list[dict], *keys: str) -> dict[tuple, dict]:
    out = {tuple(r[k] for k in keys): r for r in rows}
    assert len(out) == len(rows), f"rows are not unique by {keys}"
    return out


def _fixture_package() -> dict:
    """The real package with each raw source's sha256 set to its fixture file's hash."""
    package = copy.deepcopy(PACKAGE)
    for res in package["resources"]:
        for source in res.get("sources", []):
            if "sha256" in source:
                file = FIXTURES / source["path"].removeprefix("../shared/data/raw/")
                source["sha256"] = hashlib.sha256(file.read_bytes()).hexdigest()
    return package


# ------------------------------------------------------------------ each derived table


def test_trade_on_the_fixture():
    rows = _by(derive.trade(FIXTURES), "year", "direction", "source")
    cow = {(y, d): r["value_usd_m"] for (y, d, s), r in rows.items() if s == "cow_trade_v4"}
    assert cow == {
        ("1992", "China to Russia"): "1669.000",  # flow1: Russia's imports from China
        ("1992", "Russia to China"): "3512.000",  # flow2: China's imports from Russia
        ("1993", "Russia to China"): "4986.000",  # 1993 flow1 is empty: a gap, no row
        ("1999", "China to Russia"): "893.000",
        ("1999", "Russia to China"): "4537.000",
        ("2014", "China to Russia"): "51135.000",
        ("2014", "Russia to China"): "42807.000",
    }  # 1991 (before FIRST_YEAR), 2015 (after COW v4's last year) and the USA dyad are left out
    baci = {(y, d): r["value_usd_m"] for (y, d, s), r in rows.items() if s == "cepii_baci"}
    assert baci == {
        ("2017", "China to Russia"): "99.249",  # (12.069 + 99236.797) / 1000
        ("2017", "Russia to China"): "20665.637",  # (20566256.699 + 36681.986 + 62698.531) / 1000
        ("2023", "China to Russia"): "5765.260",  # 5765260.312 / 1000
        ("2023", "Russia to China"): "60679.372",  # (60679212.744 + 127.116 + 32.196) / 1000
    }
    # twelve monthly primaryValue cells of 2017 / 1e6 (PROVENANCE.md 1f: 2017 = 41.39 bn)
    assert rows["2017", "Russia to China", "un_comtrade"]["value_usd_m"] == "41390.293"
    assert len(rows) == 12


def test_trade_directions_follow_the_producers_codes():
    """COW flow1 is Russia's imports *from China*; BACI i=156 is China *exporting*."""
    rows = _by(derive.trade(FIXTURES), "year", "direction", "source")
    assert rows["2014", "China to Russia", "cow_trade_v4"]["value_usd_m"] == "51135.000"
    assert rows["2014", "Russia to China", "cow_trade_v4"]["value_usd_m"] == "42807.000"
    assert rows["2023", "China to Russia", "cepii_baci"]["value_usd_m"] == "5765.260"
    assert derive.COW_FLOWS == (("flow1", "China to Russia"), ("flow2", "Russia to China"))


def test_trade_composition_on_the_fixture():
    rows = _by(derive.trade_composition(FIXTURES), "year", "direction", "hs_section")
    fuels = rows["2017", "Russia to China", "5"]  # HS 270900 -> chapter 27 -> OEC section 5
    assert fuels["section_name"] == "Mineral Products"
    assert fuels["value_usd_m"] == "20566.257"
    assert fuels["share"] == "0.995191"  # 20566256.699 / 20665637.216
    assert rows["2017", "China to Russia", "17"]["share"] == "0.999878"  # 99236.797 / 99248.866
    assert rows["2023", "China to Russia", "17"]["share"] == "1.000000"
    assert {k[2] for k in rows} == {"5", "9", "17"}
    for year, direction in {(k[0], k[1]) for k in rows}:
        shares = [Decimal(r["share"]) for k, r in rows.items() if k[:2] == (year, direction)]
        assert abs(sum(shares) - 1) < Decimal("5e-6")


def test_trade_shares_on_the_fixture():
    shares = derive.trade_shares(FIXTURES)
    rows = _by([r for r in shares if r["source"] == "cow_trade_v4"], "year", "country", "flow")
    ru14 = rows["2014", "Russia", "total"]
    assert ru14["bilateral_usd_m"] == "93942.000"  # 51135 + 42807
    assert ru14["total_usd_m"] == "783458.388"  # 285843.526072 + 497614.861644
    assert ru14["share"] == "0.119907"  # 93942 / 783458.388
    # Russia's exports to China = COW's flow2 (China's imports from Russia) over Russia's exports
    assert rows["2014", "Russia", "exports"]["share"] == "0.086024"  # 42807 / 497614.861644
    assert rows["2014", "Russia", "imports"]["share"] == "0.178892"  # 51135 / 285843.526072
    assert rows["2014", "China", "exports"]["share"] == "0.018143"  # 51135 / 2818426.75
    assert rows["2014", "China", "total"]["share"] == "0.017600"  # 93942 / 5337731.25
    assert rows["1992", "China", "total"]["share"] == "0.030933"  # 5181 / 167489.401
    # COW's China totals break in 1999: China's shares start a new segment, Russia's do not
    assert rows["1992", "China", "total"]["segment"] == "1"
    assert rows["1999", "China", "total"]["segment"] == "2"
    assert rows["1999", "Russia", "total"]["segment"] == "1"
    # 1993: flow1 is a gap, so only the shares built on flow2 exist
    assert {k[1:] for k in rows if k[0] == "1993"} == {("Russia", "exports"), ("China", "imports")}
    assert len(rows) == 3 * 6 + 2


def test_trade_shares_from_dots_stay_within_dots():
    rows = derive.trade_shares(FIXTURES)
    dots = _by([r for r in rows if r["source"] == "imf_dots"], "year", "country", "flow")
    assert dots["2021", "Russia", "exports"]["share"] == "0.139057"  # 68422.666053 / 492048.058908
    assert dots["2021", "Russia", "imports"]["share"] == "0.247520"  # 72685.740904 / 293656.038258
    total = dots["2021", "Russia", "total"]
    assert (total["bilateral_usd_m"], total["total_usd_m"]) == ("141108.407", "785704.097")
    assert total["share"] == "0.179595"
    # 2022 is an IMF estimate (after DOTS_LAST_YEAR); the rf_imports.xlsx vintage and Hong Kong
    # are not read; DOTS has Russia as reporter only, so no share of China's trade
    assert set(dots) == {("2021", "Russia", f) for f in ("exports", "imports", "total")}


def test_dots_second_value_for_a_cell_is_refused(raw):
    name = "imf_dots_russia/imf_dots_russia_CHN_USA_World_extract.csv"
    _edit(raw, name, "rf_imports.xlsx,", "rf_exports_2023.xlsx,")
    with pytest.raises(data.DataError, match=r"line 8, column 'year'.*second DOTS value"):
        derive.trade_shares(raw)


def test_trade_share_above_one_is_an_error(raw):
    _edit(raw, COW_DYADS, "365,710,2014,51135.0,", "365,710,2014,351135.0,")
    with pytest.raises(data.DataError, match=r"2014: China–Russia imports .* exceed Russia's"):
        derive.trade_shares(raw)


def test_arms_transfers_on_the_fixture():
    rows = _by(derive.arms_transfers(FIXTURES), "year", "recipient")
    assert {k: r["tiv_m"] for k, r in rows.items()} == {
        ("1992", "China"): "1008",
        ("2005", "China"): "3066",
        ("2024", "China"): "30",
        ("1992", "All recipients"): "2643",
        ("2005", "All recipients"): "5176",
        ("2023", "All recipients"): "1329",
        ("2024", "All recipients"): "1339",
    }  # empty cells (no deliveries identified) stay gaps; the India row is not read


def test_unga_on_the_fixture():
    rows = _by(derive.unga(FIXTURES), "year", "measure", "subject")
    assert rows["1992", "agreement", "China–Russia"]["value"] == "0.428571"  # session 47
    assert rows["1992", "agreement", "China–Russia"]["session"] == "47"
    assert rows["2023", "agreement", "Russia–USA"]["value"] == "0.174419"  # session 78
    assert rows["2024", "ideal point", "Russia"]["value"] == "-0.598485"
    assert not any(k[0] == "1991" for k in rows)  # session 46 = 1991, before FIRST_YEAR
    assert len(rows) == 10


def test_unga_na_is_a_gap_but_other_text_is_an_error(raw):
    name = "voeten_unga/IdealpointestimatesAll_Jun2024.csv"
    _edit(raw, name, '"CHN","China",0.08571429,0.4285714,', '"CHN","China",0.08571429,NA,')
    rows = _by(derive.unga(raw), "year", "measure", "subject")
    assert ("1992", "agreement", "China–Russia") not in rows
    _edit(raw, name, '"CHN","China",0.08571429,NA,', '"CHN","China",0.08571429,n/a,')
    with pytest.raises(data.DataError, match=r"line 9, column 'RUSSAgree'.*'n/a'"):
        derive.unga(raw)


def test_power_on_the_fixture():
    rows = _by(derive.power(FIXTURES), "year", "country", "indicator", "source")
    assert rows["1992", "Russia", "milex", "sipri_milex"]["value"] == "47565.801"
    assert rows["2023", "China", "gdp", "wb_gdp"]["value"] == "17794781.986"  # US$ / 1e6
    assert rows["2016", "China", "cinc", "cow_nmc_v6"]["value"] == "0.23061772"
    assert rows["2022", "Russia", "cinc", "cow_nmc_v7"]["value"] == "0.03819699"
    assert not any(k[0] == "1991" for k in rows)  # "..." and every 1991 row are left out
    assert {k[1] for k in rows} == {"USA", "China", "Russia"}  # USSR, India, France are not read
    assert len(rows) == 19


def test_power_cow_missing_code_is_a_gap_other_negatives_are_errors(raw):
    name = "cow_nmc_v6/NMC-60-abridged.csv"
    _edit(raw, name, "526464,0.23061772,", "526464,-9,")
    rows = _by(derive.power(raw), "year", "country", "indicator", "source")
    assert ("2016", "China", "cinc", "cow_nmc_v6") not in rows
    _edit(raw, name, "526464,-9,", "526464,-8,")
    with pytest.raises(data.DataError, match=r"NMC-60-abridged.csv, line 9, column 'cinc'"):
        derive.power(raw)


def test_alliances_on_the_fixture():
    rows = _by(derive.alliances(FIXTURES), "year", "dyad", "source")
    atop01 = rows["2001", "China–Russia", "atop_5_1"]
    assert (atop01["nonaggression"], atop01["consultation"], atop01["entente"]) == ("1", "1", "")
    cow50 = rows["1950", "China–Russia", "cow_alliance_4_1"]
    assert (cow50["defense"], cow50["offense"], cow50["entente"]) == ("1", "", "0")
    assert len(rows) == 5  # each non-directed dyad-year once


def test_every_derived_table_from_the_fixtures_passes_its_schema(tmp_path):
    package = _fixture_package()
    written = derive.derive(FIXTURES, tmp_path, package)
    assert {p.stem for p in written} == set(derive.DERIVED)
    for res in package["resources"]:
        if res["name"] in derive.DERIVED:
            data.read_table(tmp_path / res["path"], res)  # raises DataError on any bad cell


# ------------------------------------------------------------------ the guards


def test_comtrade_part_year_is_refused(raw):
    path = raw / COMTRADE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if ",201712," not in line), encoding="utf-8")
    with pytest.raises(data.DataError, match=r"Comtrade 2017: months \[1, .* 11\], not a full"):
        derive.trade(raw)


def test_comtrade_row_that_is_not_chinas_total_imports_is_refused(raw):
    _edit(raw, COMTRADE, ",True,TOTAL,", ",True,27,")
    with pytest.raises(data.DataError, match=r"line 2, .*not China's total imports"):
        derive.trade(raw)


def test_baci_pair_other_than_china_russia_is_refused(raw):
    _edit(raw, BACI, "2017,156,643,440391,", "2017,156,842,440391,")
    with pytest.raises(data.DataError, match=r"line 2, column 'i'.*pair \('156', '842'\)"):
        derive.trade(raw)
    with pytest.raises(data.DataError, match=r"pair \('156', '842'\)"):
        derive.trade_composition(raw)


def test_alliance_that_differs_between_directions_is_refused(raw):
    name = "atop_v5.1/atop_alliance_USA_RUS_CHN_dyads.csv"
    _edit(raw, name, "710,365,2001,0.0,0.0,0.0,1.0,1.0", "710,365,2001,0.0,0.0,0.0,1.0,0.0")
    with pytest.raises(data.DataError, match=r"365-710 2001 differs between directions"):
        derive.alliances(raw)


def test_alliance_flag_must_be_zero_or_one(raw):
    name = "cow_alliance_v4.1/cow_alliance_USA_RUS_CHN_dyads.csv"
    _edit(raw, name, "365,710,1950,1.0,", "365,710,1950,2.0,")
    with pytest.raises(data.DataError, match=r"line 2, column 'cow_defense'.*not 0 or 1"):
        derive.alliances(raw)


def test_oec_section_map_must_be_consistent(raw):
    name = "oec/exports_russia_to_china_2018_2023.csv"
    _edit(raw, name, "5,Mineral Products,2709,", "6,Chemical Products,2709,")
    with pytest.raises(data.DataError, match=r"line 3, column 'HS4 ID'.*chapter 27 in two"):
        derive.trade_composition(raw)


# ------------------------------------------------------------------ malformed raw files


def test_renamed_column_names_the_file_and_column(raw):
    _edit(raw, COW_DYADS, "ccode1,ccode2,year,flow1,", "ccode1,ccode2,year,flow_1,")
    with pytest.raises(data.DataError) as err:
        derive.trade(raw)
    assert err.value.path == raw / COW_DYADS and err.value.column == "flow1" and err.value.line == 1
    assert "header lacks column(s) ['flow1']" in str(err.value)


def test_unreadable_year_names_file_line_and_column(raw):
    _edit(raw, COW_DYADS, "365,710,1992,", "365,710,2OOO,")
    with pytest.raises(data.DataError) as err:
        derive.trade(raw)
    assert (err.value.path.name, err.value.line, err.value.column) == (
        "cow_trade_ndy_USA_RUS_CHN_dyads.csv",
        4,
        "year",
    )
    assert "'2OOO' as an integer" in str(err.value)


def test_text_in_a_value_cell_is_an_error_not_a_gap(raw):
    _edit(raw, BACI, "2017,643,156,270900,20566256.699,", "2017,643,156,270900,n/a,")
    with pytest.raises(data.DataError, match=r"baci_.*\.csv, line 4, column 'v'.*'n/a'"):
        derive.trade(raw)


def test_thousands_separator_in_cow_is_an_error_not_a_lost_year(raw):
    """Before the fix, "1,234.5" made the 1999 China-to-Russia row vanish without a word."""
    _edit(raw, COW_DYADS, "365,710,1999,893.0,", '365,710,1999,"1,234.5",')
    for derived in (derive.trade, derive.trade_shares):
        with pytest.raises(data.DataError) as err:
            derived(raw)
        assert (err.value.line, err.value.column) == (5, "flow1")
        assert "'1,234.5' as a number (missing markers: '', '-9')" in str(err.value)


def test_renamed_sipri_header_line_is_named(raw):
    _edit(raw, SIPRI_AT, "Recipient,1990,", "Recipients,1990,", encoding="utf-8-sig")
    with pytest.raises(data.DataError, match=r"no header line starting with 'Recipient,'"):
        derive.arms_transfers(raw)


def test_sipri_marker_is_a_gap_but_a_fraction_of_tiv_is_an_error(raw):
    _edit(raw, SIPRI_AT, "China,,,1008,", "China,,,1008.5,", encoding="utf-8-sig")
    with pytest.raises(data.DataError, match=r"line 5, column '1992'.*not a whole number"):
        derive.arms_transfers(raw)


def test_milex_markers_are_the_files_own(raw):
    name = "sipri_milex/SIPRI-Milex-1949-2024_CHN_RUS_USSR_USA_extract_long.csv"
    assert "..." in (FIXTURES / name).read_text() and "xxx" in (FIXTURES / name).read_text()
    _edit(raw, name, "Russia,1992,47565.80149415327", "Russia,1992,. .")
    with pytest.raises(data.DataError, match=r"line 9, column 'value_as_in_xlsx'.*'\. \.'"):
        derive.power(raw)


def test_missing_raw_file_is_named(raw):
    (raw / COMTRADE).unlink()
    with pytest.raises(data.DataError, match=r"comtrade_imports_chn_from_rus_2017_2024.csv: raw"):
        derive.trade(raw)


# ------------------------------------------------------------------ raw-file checksums


def test_every_raw_source_records_a_sha256():
    for res in PACKAGE["resources"]:
        if res.get("kind") != "derived":
            continue
        for source in res["sources"]:
            assert re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")), (
                f"{res['name']}: source {source['name']} has no sha256 of its raw file"
            )


def test_changed_raw_file_is_refused_before_deriving(raw, tmp_path):
    package = _fixture_package()
    _edit(raw, BACI, "2017,156,643,440391,12.069,", "2017,156,643,440391,12.070,")
    new = hashlib.sha256((raw / BACI).read_bytes()).hexdigest()
    old = hashlib.sha256((FIXTURES / BACI).read_bytes()).hexdigest()
    with pytest.raises(data.DataError) as err:
        derive.derive(raw, tmp_path / "out", package, ["trade"])
    message = str(err.value)
    assert err.value.path == raw / BACI
    assert f"sha256 {new} differs from {old}" in message
    assert "source 'cepii_baci' of resource 'trade'" in message
    assert not (tmp_path / "out" / "trade.csv").exists()  # nothing is written


def test_source_without_a_recorded_hash_is_refused(tmp_path):
    package = _fixture_package()
    trade = next(r for r in package["resources"] if r["name"] == "trade")
    del trade["sources"][0]["sha256"]
    with pytest.raises(data.DataError, match=r"no sha256 recorded for source 'cow_trade_v4'"):
        derive.verify_raw(FIXTURES, package, ["trade"])


def test_record_raw_hashes_writes_the_files_hashes(tmp_path):
    (tmp_path / data.PACKAGE).write_bytes(derive.dump_package(PACKAGE))
    package = derive.record_raw_hashes(FIXTURES, tmp_path)
    derive.verify_raw(FIXTURES, package)  # the recorded hashes now match the fixture files
    assert package == _fixture_package()


def test_check_cli_reports_a_changed_raw_file(capsys):
    # the committed package records the real raw files' hashes, not the fixtures'
    assert derive.main(["--raw", str(FIXTURES), "--check"]) == 1
    err = capsys.readouterr().err
    assert "error: " in err and "differs from" in err and "--record-raw-hashes" in err


# ------------------------------------------------------------------ the command and check


def test_oec_hs4_ids_with_a_section_prefix_map_to_the_same_chapter(raw):
    """OEC exports write HS4 2709 either plain or after its section (52709): both are
    chapter 27, so the composition is the same."""
    plain = derive.trade_composition(raw)
    _edit(raw, "oec/exports_russia_to_china_2018_2023.csv", ",2709,", ",52709,")
    assert derive.trade_composition(raw) == plain


def test_dump_package_is_the_committed_serialisation():
    committed = (ROOT / "data" / data.PACKAGE).read_bytes()
    assert derive.dump_package(json.loads(committed)) == committed


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A copy of data/ whose package records the fixtures' raw hashes, made the data folder."""
    folder = Path(shutil.copytree(ROOT / "data", tmp_path / "data"))
    (folder / data.PACKAGE).write_bytes(derive.dump_package(_fixture_package()))
    monkeypatch.setenv(data.DATA_ENV, str(folder))
    return folder


def test_the_command_derives_then_check_finds_nothing_to_report(data_copy, capsys):
    assert derive.main(["--raw", str(FIXTURES)]) == 0
    assert "wrote " in capsys.readouterr().out
    assert derive.check(FIXTURES, data_copy) == []
    assert derive.main(["--raw", str(FIXTURES), "--check"]) == 0
    assert "data/ is up to date" in capsys.readouterr().out
    # a derived table edited by hand is reported, and so is its stale hash
    trade = data_copy / "trade.csv"
    trade.write_bytes(trade.read_bytes() + b"\n")
    assert derive.check(FIXTURES, data_copy) == [
        f"{trade}: differs from a fresh derivation",
        f"{trade}: sha256 differs from {data.PACKAGE}",
    ]
    # and the command says so in its exit code (CI's `make data` check relies on it)
    assert derive.main(["--raw", str(FIXTURES), "--check"]) == 1
    assert "2 problem(s)" in capsys.readouterr().out
