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

Raw files are checked before they are read: each derived resource's ``sources``
entries record the ``sha256`` of the raw file they name, and :func:`derive` stops
with a :class:`~reluctant_allies.data.DataError` naming the file and both hashes
if a file has changed (``--record-raw-hashes`` records the current ones after a
deliberate update).  Every raw table is opened through :func:`_open`, which checks
the expected columns, and every cell is parsed by a typed reader that knows the
producer's own missing-value markers: anything else that is not a number is an
error naming the file, line and column, never a silent gap.

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
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import ROOT
from . import data as _data

__all__ = [
    "DERIVED",
    "RAW_ENV",
    "derive",
    "raw_dir",
    "rehash",
    "record_raw_hashes",
    "verify_raw",
    "main",
]

#: Environment variable that points the derivation at another raw folder.
RAW_ENV = "RELUCTANT_ALLIES_RAW"

COW = {2: "USA", 365: "Russia", 710: "China"}
DYADS = {(2, 365): "Russia–USA", (2, 710): "China–USA", (365, 710): "China–Russia"}
FIRST_YEAR = 1992  # first full post-Soviet year: COW code 365 and SIPRI's "Russia" start clean here

#: Last year of each producer's release as held in the raw folder (PROVENANCE.md).
COW_TRADE_LAST_YEAR = 2014  # COW Trade v4.0 ends in 2014
SIPRI_AT_LAST_YEAR = 2024  # SIPRI TIV table generated 13 Feb 2026: deliveries to 2024

#: IMF DOTS, reporter Russia: the last year Russia published partner detail.  DOTS values for
#: 2022-2023 are IMF estimates (e.g. Russia's 2023 exports to China: 49.4 bn against China's
#: own 129 bn of imports from Russia), so shares stop here (PROVENANCE.md 1d).
DOTS_LAST_YEAR = 2021

#: COW's national totals for China (710) more than double from 1998 to 1999, a jump no other
#: producer's China totals show; shares over COW's China totals start a new segment here.
COW_CHINA_TOTALS_BREAK = 1999

#: Each producer's own markers for "no value" in the cells this module reads; any other cell
#: that is not a number is an error.  COW's code is -9 (the peacesciencer extracts write it
#: as an empty cell); SIPRI milex writes "..." (not available) and "xxx" (state did not
#: exist); SIPRI arms transfers leave a cell empty when no deliveries were identified; the
#: Voeten June 2024 file writes R's "NA"; pandas wrote the July 2025 extract's NaN as "".
COW_MISSING = frozenset({"", "-9"})
SIPRI_AT_MISSING = frozenset({""})
SIPRI_MILEX_MISSING = frozenset({"...", "xxx"})
VOETEN_2024_MISSING = frozenset({"NA"})
VOETEN_2025_MISSING = frozenset({""})
NONE_MISSING: frozenset[str] = frozenset()

_RAW_PREFIX = "../shared/data/raw/"


def raw_dir() -> Path:
    """The folder with the raw files: ``$RELUCTANT_ALLIES_RAW`` or ``../shared/data/raw``."""
    override = os.environ.get(RAW_ENV)
    return Path(override) if override else ROOT.parent / "shared" / "data" / "raw"


class _Row(dict):
    """One raw CSV record (column -> text) that knows its file and 1-based line."""

    path: Path
    line: int

    def error(self, column: str, message: str) -> _data.DataError:
        return _data.DataError(self.path, message, line=self.line, column=column)

    def integer(self, column: str) -> int:
        text = self[column].strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise self.error(column, f"cannot read {self[column]!r} as an integer") from None
        if not value.is_finite() or value != value.to_integral_value():
            raise self.error(column, f"cannot read {self[column]!r} as an integer")
        return int(value)

    def number(self, column: str, missing: frozenset[str]) -> Decimal | None:
        """The cell as a Decimal; None only for one of the producer's ``missing`` markers."""
        text = self[column].strip()
        if text in missing:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            markers = ", ".join(repr(m) for m in sorted(missing)) or "none"
            raise self.error(
                column, f"cannot read {self[column]!r} as a number (missing markers: {markers})"
            )
        return value


def _open(
    path: Path,
    columns: Iterable[str],
    *,
    encoding: str = "utf-8",
    header_prefix: str | None = None,
) -> Iterator[_Row]:
    """Rows of raw CSV ``path`` after checking that its header holds every one of ``columns``.

    ``header_prefix`` skips a preamble: the header is the first line that starts with it.
    Raises :class:`data.DataError` naming the file (and line) on a missing header or column.
    """
    try:
        text = path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise _data.DataError(path, "raw file not found") from None
    start = 0
    if header_prefix is not None:
        lines = text.split("\n")
        for start, line in enumerate(lines):  # noqa: B007 - start is used after the loop
            if line.startswith(header_prefix):
                break
        else:
            raise _data.DataError(path, f"no header line starting with {header_prefix!r}")
        text = "\n".join(lines[start:])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in columns if c not in header]
    if missing:
        raise _data.DataError(
            path,
            f"header lacks column(s) {missing} (found {header})",
            line=start + 1,
            column=missing[0],
        )
    for record in reader:
        row = _Row(record)
        row.path, row.line = path, start + reader.line_num
        yield row


def _fmt(value: float | Decimal, decimals: int) -> str:
    """Fixed-point text; ``-0.000`` is written as ``0.000`` so signs never flip between runs."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


# --- trade ---------------------------------------------------------------------------------------

_COW_DYADS = ("cow_trade_v4", "cow_trade_ndy_USA_RUS_CHN_dyads.csv")
_COW_NATIONAL = ("cow_trade_v4", "cow_trade_sy_USA_RUS_CHN.csv")
_BACI = ("cepii_baci", "baci_russia_china_processed_2017_2023.csv")
_COMTRADE = ("un_comtrade", "comtrade_imports_chn_from_rus_2017_2024.csv")

#: COW dyad 365-710: flow1 = imports of 365 (Russia) from 710 (China), i.e. China to Russia;
#: flow2 = imports of 710 (China) from 365 (Russia), i.e. Russia to China (PROVENANCE.md 1b).
COW_FLOWS = (("flow1", "China to Russia"), ("flow2", "Russia to China"))


def _cow_value(row: _Row, column: str) -> Decimal | None:
    """A COW trade value in US$ million: None for COW's missing code, an error if negative."""
    value = row.number(column, COW_MISSING)
    if value is not None and value < 0:
        raise row.error(column, f"negative trade value {row[column]!r}")
    return value


def _cow_china_russia(raw: Path) -> Iterator[tuple[int, dict[str, Decimal | None]]]:
    """(year, {direction: US$ m or None}) for the COW 365-710 dyad, FIRST_YEAR..COW's last."""
    columns = ("ccode1", "ccode2", "year", "flow1", "flow2")
    for row in _open(raw.joinpath(*_COW_DYADS), columns):
        if (row["ccode1"], row["ccode2"]) != ("365", "710"):
            continue
        year = row.integer("year")
        if FIRST_YEAR <= year <= COW_TRADE_LAST_YEAR:
            yield year, {direction: _cow_value(row, col) for col, direction in COW_FLOWS}


def trade(raw: Path) -> list[dict[str, str]]:
    """China–Russia trade by year, direction and producer (US$ million, current)."""
    out = []
    for year, flows in _cow_china_russia(raw):
        for direction, value in flows.items():
            if value is not None:  # COW's missing code: the producer left a gap
                out.append(_trade_row(year, direction, "cow_trade_v4", value))

    baci: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for row in _open(raw.joinpath(*_BACI), ("t", "i", "j", "v")):
        value = row.number("v", NONE_MISSING)  # US$ thousand
        baci[row.integer("t"), _baci_direction(row)] += value
    for (year, direction), value in baci.items():
        out.append(_trade_row(year, direction, "cepii_baci", value / 1000))

    months: dict[int, set[int]] = defaultdict(set)
    comtrade: dict[int, Decimal] = defaultdict(Decimal)
    path = raw.joinpath(*_COMTRADE)
    columns = ("reporterCode", "partnerCode", "flowCode", "cmdCode", "period", "refYear")
    for row in _open(path, (*columns, "refMonth", "primaryValue")):
        if (row["reporterCode"], row["partnerCode"], row["flowCode"], row["cmdCode"]) != (
            "156",
            "643",
            "M",
            "TOTAL",
        ):
            message = f"unexpected Comtrade row {row['period']}: not China's total imports"
            raise row.error("reporterCode", message)
        year = row.integer("refYear")
        months[year].add(row.integer("refMonth"))
        comtrade[year] += row.number("primaryValue", NONE_MISSING)  # US$
    for year, value in comtrade.items():
        if months[year] != set(range(1, 13)):  # a part-year sum would be a made-up annual figure
            raise _data.DataError(
                path, f"Comtrade {year}: months {sorted(months[year])}, not a full year"
            )
        out.append(_trade_row(year, "Russia to China", "un_comtrade", value / 1_000_000))
    return out


def _baci_direction(row: _Row) -> str:
    pair = (row["i"], row["j"])
    if pair == ("156", "643"):
        return "China to Russia"
    if pair == ("643", "156"):
        return "Russia to China"
    raise row.error("i", f"unexpected BACI exporter/importer pair {pair}")


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
    for row in _open(oec, ("Section ID", "Section", "HS4 ID")):
        chapter = row.integer("HS4 ID") // 100 % 100  # HS4 code with its leading zero dropped
        entry = (row.integer("Section ID"), row["Section"])
        if sections.setdefault(chapter, entry) != entry:
            raise row.error("HS4 ID", f"OEC puts HS chapter {chapter} in two sections")

    totals: dict[tuple[int, str, int], Decimal] = defaultdict(Decimal)
    for row in _open(raw.joinpath(*_BACI), ("t", "i", "j", "k", "v")):
        chapter = row.integer("k") // 10_000  # HS6 code with its leading zero dropped
        if chapter not in sections:
            raise row.error("k", f"BACI HS chapter {chapter} has no section in the OEC table")
        key = (row.integer("t"), _baci_direction(row), sections[chapter][0])
        totals[key] += row.number("v", NONE_MISSING)
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


#: Shares are computed for these (country whose total trade is the denominator, flow) pairs:
#: the numerator is the flow with the partner, in the same producer's dyadic file.
SHARE_FLOWS = ("total", "exports", "imports")


def trade_shares(raw: Path) -> list[dict[str, str]]:
    """Each side's share of the other's goods trade, one producer per ratio, never mixed.

    COW, 1992–2014, both sides: the numerator is COW Dyadic Trade v4.0 (365-710), the
    denominator COW National Trade v4.0 for the same country and year.  Russia's exports to
    China are COW's record of China's imports from Russia (COW keeps one figure per flow),
    so an exports share divides that flow by the exporter's total exports.
    IMF DOTS, 2011–2021, Russia's side only: Russia-reported flows to and from mainland
    China over Russia-reported flows with the world, from one DOTS workbook.
    """
    totals: dict[tuple[str, int], dict[str, Decimal | None]] = {}
    columns = ("ccode", "year", "imports", "exports")
    for row in _open(raw.joinpath(*_COW_NATIONAL), columns):
        ccode = row.integer("ccode")
        if ccode not in (365, 710):
            continue
        year = row.integer("year")
        if FIRST_YEAR <= year <= COW_TRADE_LAST_YEAR:
            flows = {flow: _cow_value(row, flow) for flow in ("imports", "exports")}
            totals[COW[ccode], year] = flows
    out = []
    for year, flows in _cow_china_russia(raw):
        to_russia, to_china = flows["China to Russia"], flows["Russia to China"]
        both = None if to_russia is None or to_china is None else to_russia + to_china
        numerators = {
            "Russia": {"imports": to_russia, "exports": to_china, "total": both},
            "China": {"imports": to_china, "exports": to_russia, "total": both},
        }
        for country, by_flow in numerators.items():
            national = totals.get((country, year))
            if national is None:
                continue  # no COW national total for this country-year: a gap
            imp, exp = national["imports"], national["exports"]
            denominators = {
                "imports": imp,
                "exports": exp,
                "total": None if imp is None or exp is None else imp + exp,
            }
            for flow in SHARE_FLOWS:
                top, bottom = by_flow[flow], denominators[flow]
                if top is None or not bottom:
                    continue
                segment = 2 if country == "China" and year >= COW_CHINA_TOTALS_BREAK else 1
                path = raw.joinpath(*_COW_DYADS)
                out.append(
                    _share_row(path, year, country, flow, "cow_trade_v4", top, bottom, segment)
                )
    return out + _dots_shares(raw)


#: The one DOTS workbook (one download, one vintage) both flows are taken from.
DOTS_WORKBOOK = "rf_exports_2023.xlsx"
_DOTS = ("imf_dots_russia", "imf_dots_russia_CHN_USA_World_extract.csv")
_DOTS_FLOWS = {"Exports, FOB": "exports", "Imports, CIF": "imports"}
_DOTS_PARTNERS = {"China, P.R.: Mainland": "China", "World": "World"}


def _dots_russia(raw: Path) -> dict[tuple[str, str, int], Decimal]:
    """Russia-reported DOTS flows (US$ m) keyed by (flow, "China" or "World", year)."""
    columns = ("source_file", "sheet", "reporter", "partner", "year", "value_usd_millions")
    out: dict[tuple[str, str, int], Decimal] = {}
    for row in _open(raw.joinpath(*_DOTS), columns):
        if row["source_file"] != DOTS_WORKBOOK or row["partner"] not in _DOTS_PARTNERS:
            continue
        if row["reporter"] != "Russian Federation" or row["sheet"] not in _DOTS_FLOWS:
            raise row.error("sheet", f"unexpected DOTS row: {row['reporter']}, {row['sheet']}")
        key = (_DOTS_FLOWS[row["sheet"]], _DOTS_PARTNERS[row["partner"]], row.integer("year"))
        if key in out:
            raise row.error("year", f"second DOTS value for {key} in {DOTS_WORKBOOK}")
        out[key] = row.number("value_usd_millions", NONE_MISSING)
    return out


def _dots_shares(raw: Path) -> list[dict[str, str]]:
    """China's share of Russia's goods trade, IMF DOTS over IMF DOTS, Russia-reported."""
    dots = _dots_russia(raw)
    out = []
    for year in sorted({y for (_, _, y) in dots if y <= DOTS_LAST_YEAR}):
        parts = {
            flow: (dots.get((flow, "China", year)), dots.get((flow, "World", year)))
            for flow in ("exports", "imports")
        }
        if all(None not in pair for pair in parts.values()):
            parts["total"] = tuple(parts["exports"][i] + parts["imports"][i] for i in (0, 1))
        for flow in SHARE_FLOWS:
            top, bottom = parts.get(flow, (None, None))
            if top is None or not bottom:
                continue
            out.append(
                _share_row(raw.joinpath(*_DOTS), year, "Russia", flow, "imf_dots", top, bottom, 1)
            )
    return out


def _share_row(path, year, country, flow, source, top, bottom, segment) -> dict[str, str]:
    if top > bottom:
        raise _data.DataError(
            path,
            f"{year}: China–Russia {flow} ({top}) exceed {country}'s total {flow} ({bottom})",
        )
    return {
        "year": str(year),
        "country": country,
        "flow": flow,
        "source": source,
        "bilateral_usd_m": _fmt(top, 3),
        "total_usd_m": _fmt(bottom, 3),
        "share": _fmt(top / bottom, 6),
        "segment": str(segment),
    }


# --- arms --------------------------------------------------------------------------------------


def arms_transfers(raw: Path) -> list[dict[str, str]]:
    """SIPRI TIV of Russia's deliveries of major arms to China and to all recipients."""
    path = raw / "sipri_arms_transfers" / "sipri_arms_transfers_1990_2024.csv"
    years = [str(year) for year in range(FIRST_YEAR, SIPRI_AT_LAST_YEAR + 1)]
    table = _open(path, ("Recipient", *years), encoding="utf-8-sig", header_prefix="Recipient,")
    recipients = {"China": "China", "Total exports from Russia": "All recipients"}
    out = []
    for row in table:
        if row["Recipient"] not in recipients:
            continue
        for year in years:
            value = row.number(year, SIPRI_AT_MISSING)
            if value is None:  # SIPRI: empty = no deliveries identified; left as a gap
                continue
            if value != value.to_integral_value():  # the table rounds TIV to whole millions
                raise row.error(year, f"TIV {row[year]!r} is not a whole number")
            out.append(
                {
                    "year": year,
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
    path = raw / "voeten_unga" / "IdealpointestimatesAll_Jun2024.csv"
    for row in _open(path, ("ccode", "session", "RUSSAgree", "USAgree")):
        session = row.integer("session")
        year = 1945 + session
        if year < FIRST_YEAR:
            continue
        for (ccode, column), subject in pairs.items():
            if row["ccode"] == ccode:
                value = row.number(column, VOETEN_2024_MISSING)
                if value is not None:
                    out.append(_unga_row(year, "agreement", subject, value, "voeten_2024", session))
    extract = raw / "voeten_unga" / "IdealpointsJuly2025_USA_RUS_CHN_extract.csv"
    for row in _open(extract, ("ccode", "year", "idealpointfp")):
        year = row.integer("year")
        value = row.number("idealpointfp", VOETEN_2025_MISSING)
        if year >= FIRST_YEAR and value is not None:
            ccode = row.integer("ccode")
            if ccode not in COW:
                raise row.error("ccode", f"unexpected country code {ccode}")
            out.append(_unga_row(year, "ideal point", COW[ccode], value, "voeten_2025", None))
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
    for row in _open(sipri, ("sheet", "country", "year", "value_as_in_xlsx")):
        if row["sheet"] != "Constant (2023) US$" or row["country"] not in names:
            continue
        value = row.number("value_as_in_xlsx", SIPRI_MILEX_MISSING)  # SIPRI's markers: gaps
        year = row.integer("year")
        if year >= FIRST_YEAR and value is not None:
            out.append(_power_row(year, names[row["country"]], "milex", "sipri_milex", value))

    codes = {"USA": "USA", "CHN": "China", "RUS": "Russia"}
    gdp = raw / "worldbank_gdp_datasets" / "gdp.csv"
    for row in _open(gdp, ("Country Code", "Year", "Value")):
        if row["Country Code"] not in codes:
            continue
        year = row.integer("Year")
        if year >= FIRST_YEAR:
            value = row.number("Value", NONE_MISSING)
            country = codes[row["Country Code"]]
            out.append(_power_row(year, country, "gdp", "wb_gdp", value / 1_000_000))

    nmc = (
        ("cow_nmc_v6", raw / "cow_nmc_v6" / "NMC-60-abridged.csv"),
        ("cow_nmc_v7", raw / "cow_nmc_v7" / "NMC-70-abridged_USA_RUS_CHN_1991-2022_extract.csv"),
    )
    for source, path in nmc:
        for row in _open(path, ("ccode", "year", "cinc")):
            ccode = row.integer("ccode")
            if ccode not in COW or row.integer("year") < FIRST_YEAR:
                continue
            value = row.number("cinc", COW_MISSING)  # COW NMC: -9 = missing
            if value is not None and value < 0:
                raise row.error("cinc", f"negative CINC {row['cinc']!r}")
            if value is not None:
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
        for row in _open(path, ("ccode1", "ccode2", "year", *columns.values())):
            c1, c2, year = row.integer("ccode1"), row.integer("ccode2"), row.integer("year")
            if (min(c1, c2), max(c1, c2)) not in DYADS:
                raise row.error("ccode1", f"unexpected dyad {c1}-{c2}")
            flags = {}
            for ours, theirs in columns.items():
                flag = row.integer(theirs)
                if flag not in (0, 1):
                    raise row.error(theirs, f"alliance flag {row[theirs]!r} is not 0 or 1")
                flags[ours] = str(flag)
            directed[c1, c2, year] = flags
        for (c1, c2, year), flags in directed.items():
            if c1 > c2:
                continue
            if directed.get((c2, c1, year)) != flags:  # obligations are symmetric in both files
                raise _data.DataError(path, f"{c1}-{c2} {year} differs between directions")
            row = {"year": str(year), "dyad": DYADS[c1, c2], "source": source}
            row.update({name: flags.get(name, "") for name in _OBLIGATIONS})
            out.append(row)
    return out


#: name -> function(raw folder) -> rows; the column order is the resource's schema.
DERIVED: dict[str, Callable[[Path], list[dict[str, str]]]] = {
    "trade": trade,
    "trade_composition": trade_composition,
    "trade_shares": trade_shares,
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


def _raw_file(raw: Path, source: dict) -> Path | None:
    """The raw file a ``sources`` entry names, inside ``raw``; None if it is not a raw file."""
    path = source.get("path", "")
    return raw / path[len(_RAW_PREFIX) :] if path.startswith(_RAW_PREFIX) else None


def _hex(path: Path) -> str:
    return _data.sha256(path).removeprefix("sha256:")


def verify_raw(raw: Path, package: dict, names: Iterable[str] | None = None) -> None:
    """Check every raw file the resources ``names`` (default: all derived) read, before reading.

    Each entry of a derived resource's ``sources`` records the ``sha256`` (hex) of the raw
    file at its ``path``.  Raises :class:`data.DataError` naming the file and both hashes if
    a file has changed, and naming the resource and source if no hash is recorded.
    """
    seen: dict[Path, str] = {}
    for name in names or DERIVED:
        res = next(r for r in package["resources"] if r["name"] == name)
        for source in res.get("sources", []):
            file = _raw_file(raw, source)
            if file is None:
                continue
            expected = source.get("sha256")
            if not expected:
                raise _data.DataError(
                    file,
                    f"no sha256 recorded for source {source.get('name')!r} of resource {name!r} "
                    f"in {_data.PACKAGE}",
                )
            if not file.is_file():
                raise _data.DataError(file, f"raw file of source {source.get('name')!r} not found")
            actual = seen.setdefault(file, _hex(file))
            if actual != expected:
                raise _data.DataError(
                    file,
                    f"sha256 {actual} differs from {expected}, recorded for source "
                    f"{source.get('name')!r} of resource {name!r} in {_data.PACKAGE}: the raw "
                    "file has changed. Check the new file (PROVENANCE.md), then record its hash "
                    "with `python -m reluctant_allies.derive --record-raw-hashes`",
                )


def record_raw_hashes(raw: Path, folder: Path) -> dict:
    """Write the current sha256 of every derived resource's raw files into ``folder``'s package."""
    path = _package_path(folder)
    package = json.loads(path.read_text(encoding="utf-8"))
    for res in package["resources"]:
        if res.get("kind") != "derived":
            continue
        for source in res.get("sources", []):
            file = _raw_file(raw, source)
            if file is not None:
                if not file.is_file():
                    raise _data.DataError(file, f"raw file of source {source['name']!r} not found")
                source["sha256"] = _hex(file)
    path.write_bytes(dump_package(package))
    return package


def derive(
    raw: Path,
    out: Path,
    package: dict,
    names: Iterable[str] | None = None,
    *,
    verify: bool = True,
) -> list[Path]:
    """Write the derived CSVs for ``names`` (default: all) to ``out``; return their paths.

    The raw files are checked against the hashes in ``package`` first (``verify``).
    """
    if not raw.is_dir():
        raise FileNotFoundError(f"raw data folder not found: {raw} (set {RAW_ENV} or use --raw)")
    names = list(names or DERIVED)
    if verify:
        verify_raw(raw, package, names)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
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
    parser.add_argument(
        "--record-raw-hashes",
        action="store_true",
        help="record the current sha256 of every raw file in datapackage.json, then derive",
    )
    args = parser.parse_args(argv)
    raw = args.raw or raw_dir()
    out = args.out or _data.data_dir()
    package_file = _package_path(_data.data_dir())
    if args.record_raw_hashes:
        record_raw_hashes(raw, _data.data_dir())
    package = json.loads(package_file.read_text(encoding="utf-8"))

    try:
        if args.check:
            problems = check(raw, out)
            for problem in problems:
                print(problem, file=sys.stderr)
            print("data/ is up to date" if not problems else f"{len(problems)} problem(s)")
            return 1 if problems else 0
        written = derive(raw, out, package)
    except _data.DataError as exc:  # a raw file changed or holds a cell no parser accepts
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if _package_path(out).exists():
        rehash(out)
        for res in package["resources"]:  # every table must still satisfy its schema
            _data.read_table(out / res["path"], res)
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
