"""Derive the book's small tidy tables from the raw public files.

    python -m reluctant_allies.derive [--raw DIR] [--out DIR] [--check]

Reads the raw files in ``../shared/data/raw`` (relative to the repository root;
``RELUCTANT_ALLIES_RAW`` or ``--raw`` override it), writes one CSV per derived
resource to ``data/`` (or ``--out``), then records each file's sha256 in
``datapackage.json`` when the output folder holds one.  Raw files are read,
never copied.

The output is byte-identical on every run: rows are sorted by the primary key,
numbers are written with a fixed number of decimals per column, and lines end
in ``\\n``.  ``--check`` derives into a temporary folder and exits with status 1
if anything differs from the committed files or their recorded hashes.

Only *derived* resources (``"kind": "derived"`` in the package) are written here.
Curated tables (``events.csv`` …) are hand-entered and never overwritten; the
derivation only re-hashes them.

Every derived row carries a ``source`` column whose value is the ``name`` of one
entry in its resource's ``sources`` list, so each plotted value can be traced to
the producer, release and raw file it came from.  Series from different
producers are kept as separate rows, never spliced.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from . import ROOT
from . import data as _data

__all__ = ["DERIVED", "RAW_ENV", "derive", "raw_dir", "rehash", "main"]

#: Environment variable that points the derivation at another raw folder.
RAW_ENV = "RELUCTANT_ALLIES_RAW"

COW = {2: "USA", 365: "Russia", 710: "China"}
DYADS = {(2, 365): "Russia–USA", (2, 710): "China–USA", (365, 710): "China–Russia"}
FIRST_YEAR = 1992  # first full post-Soviet year: COW code 365 and SIPRI's "Russia" start clean here


def raw_dir() -> Path:
    """The folder with the raw files: ``$RELUCTANT_ALLIES_RAW`` or ``../shared/data/raw``."""
    override = os.environ.get(RAW_ENV)
    return Path(override) if override else ROOT.parent / "shared" / "data" / "raw"


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as handle:
        return list(csv.DictReader(handle))


def _fmt(value: float | Decimal, decimals: int) -> str:
    """Fixed-point text; ``-0.000`` is written as ``0.000`` so signs never flip between runs."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def _number(text: str) -> Decimal | None:
    """A raw cell as a Decimal, or None when the producer left it empty or marked it missing."""
    text = text.strip()
    try:
        value = Decimal(text)
    except ArithmeticError:
        return None
    return value if value.is_finite() else None


# --- trade -------------------------------------------------------------------------------------


def trade(raw: Path) -> list[dict[str, str]]:
    """China–Russia trade by year, direction and producer (US$ million, current)."""
    out = []
    for row in _rows(raw / "cow_trade_v4" / "cow_trade_ndy_USA_RUS_CHN_dyads.csv"):
        year = int(row["year"])
        if (row["ccode1"], row["ccode2"]) != ("365", "710") or not FIRST_YEAR <= year <= 2014:
            continue
        # flow1 = imports of 365 (Russia) from 710 (China); flow2 = China's imports from Russia
        for col, direction in (("flow1", "China to Russia"), ("flow2", "Russia to China")):
            value = _number(row[col])
            if value is not None:
                out.append(_trade_row(year, direction, "cow_trade_v4", value))

    baci: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for row in _rows(raw / "cepii_baci" / "baci_russia_china_processed_2017_2023.csv"):
        baci[int(row["t"]), _baci_direction(row)] += Decimal(row["v"])  # US$ thousand
    for (year, direction), value in baci.items():
        out.append(_trade_row(year, direction, "cepii_baci", value / 1000))

    months: dict[int, set[int]] = defaultdict(set)
    comtrade: dict[int, Decimal] = defaultdict(Decimal)
    for row in _rows(raw / "un_comtrade" / "comtrade_imports_chn_from_rus_2017_2024.csv"):
        if (row["reporterCode"], row["partnerCode"], row["flowCode"], row["cmdCode"]) != (
            "156",
            "643",
            "M",
            "TOTAL",
        ):
            raise ValueError(f"unexpected Comtrade row {row['period']}: not China's total imports")
        year = int(row["refYear"])
        months[year].add(int(row["refMonth"]))
        comtrade[year] += Decimal(row["primaryValue"])  # US$
    for year, value in comtrade.items():
        if months[year] != set(range(1, 13)):  # a part-year sum would be a made-up annual figure
            raise ValueError(f"Comtrade {year}: months {sorted(months[year])}, not a full year")
        out.append(_trade_row(year, "Russia to China", "un_comtrade", value / 1_000_000))
    return out


def _baci_direction(row: dict[str, str]) -> str:
    pair = (row["i"], row["j"])
    if pair == ("156", "643"):
        return "China to Russia"
    if pair == ("643", "156"):
        return "Russia to China"
    raise ValueError(f"unexpected BACI exporter/importer pair {pair}")


def _trade_row(year: int, direction: str, source: str, value: Decimal) -> dict[str, str]:
    return {
        "year": str(year),
        "direction": direction,
        "source": source,
        "value_usd_m": _fmt(value, 3),
    }


def trade_composition(raw: Path) -> list[dict[str, str]]:
    """BACI trade by HS section and direction, 2017–2023, with the share of each direction-year."""
    sections: dict[int, tuple[int, str]] = {}  # HS chapter -> (OEC section id, OEC section name)
    oec = raw / "oec" / "exports_russia_to_china_2018_2023.csv"
    for row in _rows(oec):
        chapter = int(row["HS4 ID"][-4:-2])
        entry = (int(row["Section ID"]), row["Section"])
        if sections.setdefault(chapter, entry) != entry:
            raise ValueError(f"OEC puts HS chapter {chapter} in two sections")

    totals: dict[tuple[int, str, int], Decimal] = defaultdict(Decimal)
    for row in _rows(raw / "cepii_baci" / "baci_russia_china_processed_2017_2023.csv"):
        chapter = int(row["k"]) // 10_000  # HS6 code with its leading zero dropped
        if chapter not in sections:
            raise ValueError(f"BACI HS chapter {chapter} has no section in the OEC table")
        key = (int(row["t"]), _baci_direction(row), sections[chapter][0])
        totals[key] += Decimal(row["v"])
    direction_year: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for (year, direction, _), value in totals.items():
        direction_year[year, direction] += value
    names = dict(sections.values())
    return [
        {
            "year": str(year),
            "direction": direction,
            "hs_section": str(section),
            "section_name": names[section],
            "source": "cepii_baci",
            "value_usd_m": _fmt(value / 1000, 3),
            "share": _fmt(value / direction_year[year, direction], 6),
        }
        for (year, direction, section), value in totals.items()
    ]


# --- arms --------------------------------------------------------------------------------------


def arms_transfers(raw: Path) -> list[dict[str, str]]:
    """SIPRI TIV of Russia's deliveries of major arms to China and to all recipients."""
    path = raw / "sipri_arms_transfers" / "sipri_arms_transfers_1990_2024.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Recipient,"))
    table = list(csv.DictReader(io.StringIO("\n".join(lines[start:]))))
    recipients = {"China": "China", "Total exports from Russia": "All recipients"}
    out = []
    for row in table:
        if row["Recipient"] not in recipients:
            continue
        for year in range(FIRST_YEAR, 2025):
            value = _number(row[str(year)])
            if value is None:  # SIPRI: empty = no deliveries identified; left as a gap
                continue
            out.append(
                {
                    "year": str(year),
                    "recipient": recipients[row["Recipient"]],
                    "source": "sipri_at",
                    "tiv_m": str(int(value)),
                }
            )
    return out


# --- UN General Assembly -----------------------------------------------------------------------


def unga(raw: Path) -> list[dict[str, str]]:
    """Voting agreement (session-based, June 2024 file) and ideal points (year-based, July 2025)."""
    out = []
    pairs = {("710", "RUSSAgree"): "China–Russia", ("710", "USAgree"): "China–USA"}
    pairs[("365", "USAgree")] = "Russia–USA"
    for row in _rows(raw / "voeten_unga" / "IdealpointestimatesAll_Jun2024.csv"):
        session = int(row["session"])
        year = 1945 + session
        if year < FIRST_YEAR:
            continue
        for (ccode, column), subject in pairs.items():
            if row["ccode"] == ccode:
                value = _number(row[column])
                if value is not None:
                    out.append(_unga_row(year, "agreement", subject, value, "voeten_2024", session))
    extract = raw / "voeten_unga" / "IdealpointsJuly2025_USA_RUS_CHN_extract.csv"
    for row in _rows(extract):
        year = int(row["year"])
        value = _number(row["idealpointfp"])
        if year >= FIRST_YEAR and value is not None:
            subject = COW[int(row["ccode"])]
            out.append(_unga_row(year, "ideal point", subject, value, "voeten_2025", None))
    return out


def _unga_row(year, measure, subject, value, source, session) -> dict[str, str]:
    return {
        "year": str(year),
        "measure": measure,
        "subject": subject,
        "source": source,
        "value": _fmt(value, 6),
        "session": "" if session is None else str(session),
    }


# --- power -------------------------------------------------------------------------------------


def power(raw: Path) -> list[dict[str, str]]:
    """Military expenditure (SIPRI), GDP (World Bank) and CINC (COW NMC v6, v7 extract)."""
    out = []
    sipri = raw / "sipri_milex" / "SIPRI-Milex-1949-2024_CHN_RUS_USSR_USA_extract_long.csv"
    names = {"United States of America": "USA", "Russia": "Russia", "China": "China"}
    for row in _rows(sipri):
        if row["sheet"] != "Constant (2023) US$" or row["country"] not in names:
            continue
        value = _number(row["value_as_in_xlsx"])  # "..." (not available) and "xxx" stay gaps
        if int(row["year"]) >= FIRST_YEAR and value is not None:
            out.append(
                _power_row(row["year"], names[row["country"]], "milex", "sipri_milex", value)
            )

    codes = {"USA": "USA", "CHN": "China", "RUS": "Russia"}
    for row in _rows(raw / "worldbank_gdp_datasets" / "gdp.csv"):
        value = _number(row["Value"])
        if row["Country Code"] in codes and int(row["Year"]) >= FIRST_YEAR and value is not None:
            country = codes[row["Country Code"]]
            out.append(_power_row(row["Year"], country, "gdp", "wb_gdp", value / 1_000_000))

    nmc = (
        ("cow_nmc_v6", raw / "cow_nmc_v6" / "NMC-60-abridged.csv"),
        ("cow_nmc_v7", raw / "cow_nmc_v7" / "NMC-70-abridged_USA_RUS_CHN_1991-2022_extract.csv"),
    )
    for source, path in nmc:
        for row in _rows(path):
            ccode = int(row["ccode"])
            value = _number(row["cinc"])
            if ccode in COW and int(row["year"]) >= FIRST_YEAR and value is not None and value >= 0:
                out.append(_power_row(row["year"], COW[ccode], "cinc", source, value))
    return out


_POWER_DECIMALS = {"milex": 3, "gdp": 3, "cinc": 8}


def _power_row(year, country, indicator, source, value) -> dict[str, str]:
    return {
        "year": str(int(year)),
        "country": country,
        "indicator": indicator,
        "source": source,
        "value": _fmt(value, _POWER_DECIMALS[indicator]),
    }


# --- alliances ---------------------------------------------------------------------------------

_OBLIGATIONS = ("defense", "offense", "neutrality", "nonaggression", "consultation", "entente")


def alliances(raw: Path) -> list[dict[str, str]]:
    """ATOP 5.1 and COW 4.1 alliance obligations, non-directed, for the three dyads."""
    files = (
        (
            "atop_5_1",
            raw / "atop_v5.1" / "atop_alliance_USA_RUS_CHN_dyads.csv",
            {
                "defense": "atop_defense",
                "offense": "atop_offense",
                "neutrality": "atop_neutral",
                "nonaggression": "atop_nonagg",
                "consultation": "atop_consul",
            },
        ),
        (
            "cow_alliance_4_1",
            raw / "cow_alliance_v4.1" / "cow_alliance_USA_RUS_CHN_dyads.csv",
            {
                "defense": "cow_defense",
                "neutrality": "cow_neutral",
                "nonaggression": "cow_nonagg",
                "entente": "cow_entente",
            },
        ),
    )
    out = []
    for source, path, columns in files:
        directed: dict[tuple[int, int, int], dict[str, str]] = {}
        for row in _rows(path):
            c1, c2, year = int(row["ccode1"]), int(row["ccode2"]), int(row["year"])
            flags = {ours: str(int(Decimal(row[theirs]))) for ours, theirs in columns.items()}
            directed[c1, c2, year] = flags
        for (c1, c2, year), flags in directed.items():
            if c1 > c2:
                continue
            if directed.get((c2, c1, year)) != flags:  # obligations are symmetric in both files
                raise ValueError(f"{path.name}: {c1}-{c2} {year} differs between directions")
            row = {"year": str(year), "dyad": DYADS[c1, c2], "source": source}
            row.update({name: flags.get(name, "") for name in _OBLIGATIONS})
            out.append(row)
    return out


#: name -> function(raw folder) -> rows; the column order is the resource's schema.
DERIVED: dict[str, Callable[[Path], list[dict[str, str]]]] = {
    "trade": trade,
    "trade_composition": trade_composition,
    "arms_transfers": arms_transfers,
    "unga": unga,
    "power": power,
    "alliances": alliances,
}


# --- writing -----------------------------------------------------------------------------------


def _package_path(folder: Path) -> Path:
    return folder / _data.PACKAGE


def _schema(package: dict, name: str) -> tuple[list[str], list[str], dict[str, str]]:
    for res in package["resources"]:
        if res["name"] == name:
            fields = res["schema"]["fields"]
            types = {f["name"]: f.get("type", "string") for f in fields}
            return [f["name"] for f in fields], list(res["schema"]["primaryKey"]), types
    raise KeyError(f"{_data.PACKAGE} has no resource {name!r}")


def _sort_key(row: dict[str, str], key: list[str], types: dict[str, str]) -> tuple:
    return tuple(int(row[k]) if types[k] in ("integer", "year") and row[k] else row[k] for k in key)


def write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def derive(raw: Path, out: Path, package: dict, names: Iterable[str] | None = None) -> list[Path]:
    """Write the derived CSVs for ``names`` (default: all) to ``out``; return their paths."""
    if not raw.is_dir():
        raise FileNotFoundError(f"raw data folder not found: {raw} (set {RAW_ENV} or use --raw)")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names or DERIVED:
        columns, key, types = _schema(package, name)
        rows = sorted(DERIVED[name](raw), key=lambda r: _sort_key(r, key, types))
        path = out / f"{name}.csv"
        write_csv(path, columns, rows)
        written.append(path)
    return written


def rehash(folder: Path) -> dict:
    """Record the sha256 of every resource file in ``folder/datapackage.json``; return it."""
    path = _package_path(folder)
    package = json.loads(path.read_text(encoding="utf-8"))
    for res in package["resources"]:
        res["hash"] = _data.sha256(folder / res["path"])
    path.write_bytes(dump_package(package))
    return package


def dump_package(package: dict) -> bytes:
    """The one serialisation of ``datapackage.json`` (stable, so git diffs stay small)."""
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def check(raw: Path, folder: Path) -> list[str]:
    """What differs between a fresh derivation and ``folder``; empty when all is in order."""
    package = json.loads(_package_path(folder).read_text(encoding="utf-8"))
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for fresh in derive(raw, Path(tmp), package):
            committed = folder / fresh.name
            if not committed.exists():
                problems.append(f"{committed}: missing (re-run the derivation)")
            elif committed.read_bytes() != fresh.read_bytes():
                problems.append(f"{committed}: differs from a fresh derivation")
    for res in package["resources"]:
        file = folder / res["path"]
        if file.exists() and res.get("hash") != _data.sha256(file):
            problems.append(f"{file}: sha256 differs from {_data.PACKAGE}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reluctant_allies.derive", description=__doc__)
    parser.add_argument("--raw", type=Path, default=None, help="raw data folder")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: data/)")
    parser.add_argument("--check", action="store_true", help="compare only; write nothing")
    args = parser.parse_args(argv)
    raw = args.raw or raw_dir()
    out = args.out or _data.data_dir()
    package_file = _package_path(_data.data_dir())
    package = json.loads(package_file.read_text(encoding="utf-8"))

    if args.check:
        problems = check(raw, out)
        for problem in problems:
            print(problem, file=sys.stderr)
        print("data/ is up to date" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0

    written = derive(raw, out, package)
    if _package_path(out).exists():
        rehash(out)
        for res in package["resources"]:  # every table must still satisfy its schema
            _data.read_table(out / res["path"], res)
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
