"""Validated tables from ``data/datapackage.json``.

Every chapter gets its numbers through :func:`load`, which reads one resource of
the book's Frictionless data package and checks the CSV against the resource's
Table Schema before returning it as a typed :class:`pandas.DataFrame`::

    from reluctant_allies import data
    events = data.load("events")
    data.source_line("events")      # one line for a chart subtitle

Anything wrong with a file raises :class:`DataError` (a :class:`ValueError`)
whose message starts with the file and, where it applies, the 1-based CSV line
and the column: a missing file, a wrong header, a value of the wrong type, a
value outside its range or enum, a missing required value, a duplicate primary
key, or a checksum that does not match the one recorded in the package.

The checks are done here rather than by frictionless because a chapter calls
this on every run and the messages must point at the exact cell; the test-suite
runs ``frictionless validate`` over the whole package as a second opinion.

The data folder is ``<repo>/data``, found beside the package or above the working
directory (:func:`data_dir`); set ``RELUCTANT_ALLIES_DATA`` to use another.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import ROOT

__all__ = [
    "DATA_ENV",
    "DataError",
    "check_tiers",
    "data_candidates",
    "data_dir",
    "load",
    "names",
    "resource",
    "source_line",
]

#: Environment variable that points the loader at another data folder.
DATA_ENV = "RELUCTANT_ALLIES_DATA"
PACKAGE = "datapackage.json"
#: The ``name`` in the book's ``datapackage.json``: how the loader knows a folder is ours.
PACKAGE_NAME = "reluctant-allies-data"


class DataError(ValueError):
    """A data file does not match its description in ``datapackage.json``.

    ``path``, ``line`` (1-based line of the CSV file, the header is line 1) and
    ``column`` are kept as attributes; the message starts with them.
    """

    def __init__(
        self, path: Path | str, message: str, *, line: int | None = None, column: str | None = None
    ):
        self.path = Path(path)
        self.line = line
        self.column = column
        where = str(path)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


def _is_book_data(folder: Path) -> bool:
    """True when ``folder`` holds *this book's* data package (checked by its ``name``)."""
    try:
        descriptor = json.loads((folder / PACKAGE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(descriptor, dict) and descriptor.get("name") == PACKAGE_NAME


def data_candidates() -> list[Path]:
    """Where :func:`data_dir` looks, in order (without ``$RELUCTANT_ALLIES_DATA``).

    First ``data/`` beside the package's source tree (an editable install or a plain
    checkout), then ``data/`` in the working directory and each folder above it.  The
    second rule is what makes a non-editable install work: repo2docker (Binder) runs
    ``pip install .`` after ``requirements.txt``, which replaces the editable install with a
    copy in ``site-packages``, and a chapter's kernel starts in ``<repo>/book``.
    """
    here = Path.cwd().resolve()
    folders = [ROOT / "data", *(parent / "data" for parent in (here, *here.parents))]
    return list(dict.fromkeys(folders))


def data_dir() -> Path:
    """The folder holding the book's ``datapackage.json`` and the CSV files.

    ``$RELUCTANT_ALLIES_DATA`` wins when set; otherwise the first of
    :func:`data_candidates` whose ``datapackage.json`` is this book's.  Raises
    :class:`DataError` naming every folder it looked in when none is.
    """
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    looked = data_candidates()
    for folder in looked:
        if _is_book_data(folder):
            return folder
    raise DataError(
        looked[0] / PACKAGE,
        f"the book's data package ({PACKAGE_NAME!r}) was not found; looked in "
        + ", ".join(str(folder) for folder in looked)
        + f". Run from inside the repository, or set {DATA_ENV} to the folder holding "
        + PACKAGE,
    )


def _package() -> tuple[Path, dict[str, Any]]:
    path = data_dir() / PACKAGE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path, "data package descriptor not found") from None
    try:
        return path, json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(path, f"not valid JSON ({exc.msg})", line=exc.lineno) from None


def names() -> list[str]:
    """Names of all resources in the package, in package order."""
    return [r["name"] for r in _package()[1].get("resources", [])]


def resource(name: str) -> dict[str, Any]:
    """The descriptor of resource ``name`` (a copy: changing it changes nothing)."""
    path, package = _package()
    for res in package.get("resources", []):
        if res.get("name") == name:
            return copy.deepcopy(res)
    known = ", ".join(r.get("name", "?") for r in package.get("resources", []))
    raise DataError(path, f"no resource named {name!r} (the package has: {known})")


def source_line(name: str, sources: Iterable[str] | None = None) -> str:
    """A one-line source note for a chart subtitle, built from the resource's ``sources``.

    ``sources`` restricts it to the named entries (the values of a derived
    table's ``source`` column), for a chart that plots only some of them.
    """
    res = resource(name)
    entries = res.get("sources", [])
    if sources is not None:
        wanted = list(sources)
        unknown = sorted(set(wanted) - {s.get("name") for s in entries})
        if unknown:
            raise DataError(_package()[0], f"resource {name!r} has no source named {unknown}")
        entries = [s for s in entries if s.get("name") in wanted]
    titles = [s["title"] for s in entries if s.get("title")]
    if not titles:
        raise DataError(_package()[0], f"resource {name!r} lists no sources")
    return "; ".join(titles)


# --- parsing one cell -------------------------------------------------------------------------

_INT = re.compile(r"[+-]?\d+")
_NUM = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}


def _integer(text: str) -> int:
    if not _INT.fullmatch(text):
        raise ValueError("an integer")
    return int(text)


def _number(text: str) -> float:
    if not _NUM.fullmatch(text):
        raise ValueError("a number")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("a finite number")
    return value


def _date(text: str) -> dt.date:
    if not _DATE.fullmatch(text):
        raise ValueError("a date in the form yyyy-mm-dd")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("a valid calendar date (yyyy-mm-dd)") from None


def _year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError("a four-digit year")
    return int(text)


def _boolean(text: str) -> bool:
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("true or false")


_PARSERS: dict[str, Callable[[str], Any]] = {
    "string": str,
    "integer": _integer,
    "number": _number,
    "date": _date,
    "year": _year,
    "boolean": _boolean,
}


def _field_checker(field: dict[str, Any]) -> Callable[[str], Any]:
    """Return a function that parses one non-missing cell of ``field`` or raises ValueError."""
    ftype = field.get("type", "string")
    if ftype not in _PARSERS:
        raise ValueError(f"field {field['name']!r} has a type the loader does not know: {ftype!r}")
    parse = _PARSERS[ftype]
    cons = field.get("constraints", {})

    def bound(key: str) -> Any:
        value = cons[key]
        return parse(str(value)) if ftype in ("date", "year") else value

    lo = bound("minimum") if "minimum" in cons else None
    hi = bound("maximum") if "maximum" in cons else None
    enum = cons.get("enum")
    enum_set = {parse(str(v)) for v in enum} if enum is not None else None
    pattern = re.compile(cons["pattern"]) if "pattern" in cons else None
    min_len, max_len = cons.get("minLength"), cons.get("maxLength")

    def check(text: str) -> Any:
        try:
            value = parse(text)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not {exc} (type {ftype})") from None
        if lo is not None and value < lo:
            raise ValueError(f"{text!r} is below the minimum {cons['minimum']!r}")
        if hi is not None and value > hi:
            raise ValueError(f"{text!r} is above the maximum {cons['maximum']!r}")
        if enum_set is not None and value not in enum_set:
            raise ValueError(f"{text!r} is not one of the allowed values {enum}")
        if pattern is not None and not pattern.fullmatch(text):
            raise ValueError(f"{text!r} does not match the pattern {cons['pattern']!r}")
        if min_len is not None and len(text) < min_len:
            raise ValueError(f"{text!r} is shorter than {min_len} characters")
        if max_len is not None and len(text) > max_len:
            raise ValueError(f"{text!r} is longer than {max_len} characters")
        return value

    return check


def _column(values: list[Any], ftype: str) -> Any:
    if ftype in ("integer", "year"):
        return pd.array(values, dtype="Int64")
    if ftype == "number":
        return pd.array([math.nan if v is None else v for v in values], dtype="float64")
    if ftype == "date":
        return pd.to_datetime(
            pd.Series([None if v is None else v.isoformat() for v in values], dtype="object"),
            format="%Y-%m-%d",
        ).astype("datetime64[ns]")
    if ftype == "boolean":
        return pd.array(values, dtype="boolean")
    return pd.array(values, dtype="string")


# --- the table --------------------------------------------------------------------------------


def _read_text(path: Path, res: dict[str, Any]) -> str:
    """The file's text in the resource's encoding; raises naming the file (and line)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, f"data file not found (resource {res.get('name')!r})") from None
    try:
        return raw.decode(res.get("encoding", "utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(path, f"not valid {res.get('encoding', 'utf-8')} text", line=line) from None


def _check_header(path: Path, header: list[str] | None, expected: list[str]) -> None:
    """Raise naming what is missing, unexpected or out of order in the header."""
    if header == expected:
        return
    got = header or []
    lost = [n for n in expected if n not in got]
    extra = [n for n in got if n not in expected]
    detail = f"expected columns {expected}, found {got}"
    if lost:
        detail += f"; missing {lost}"
    if extra:
        detail += f"; unexpected {extra}"
    if not lost and not extra:
        detail += "; same columns in a different order"
    first_bad = next(
        (e for e, g in zip(expected, got, strict=False) if e != g),
        lost[0] if lost else (extra[0] if extra else None),
    )
    raise DataError(path, f"wrong header: {detail}", line=1, column=first_bad)


@dataclass
class _Rules:
    """What every row of one table must satisfy, from its schema."""

    path: Path
    names: list[str]
    checkers: list[Callable[[str], Any]]
    required: list[bool]
    missing_values: set[str]
    unique: dict[int, dict[Any, int]]  # column index -> value -> first line
    pkey: list[str]
    key_idx: list[int]
    seen_keys: dict[tuple, int]

    @classmethod
    def of(cls, path: Path, schema: dict[str, Any]) -> _Rules:
        fields = schema.get("fields", [])
        names = [f["name"] for f in fields]
        pkey = schema.get("primaryKey", [])
        pkey = [pkey] if isinstance(pkey, str) else list(pkey)
        return cls(
            path=path,
            names=names,
            checkers=[_field_checker(f) for f in fields],
            required=[bool(f.get("constraints", {}).get("required")) for f in fields],
            missing_values=set(schema.get("missingValues", [""])),
            unique={i: {} for i, f in enumerate(fields) if f.get("constraints", {}).get("unique")},
            pkey=pkey,
            key_idx=[names.index(k) for k in pkey],
            seen_keys={},
        )

    def parse(self, row: list[str], start: int) -> list[Any]:
        """The row's typed values (None where missing); raises naming line and column."""
        if len(row) != len(self.names):
            raise DataError(
                self.path, f"expected {len(self.names)} values, found {len(row)}", line=start
            )
        parsed = []
        for i, (cell, check) in enumerate(zip(row, self.checkers, strict=True)):
            if cell in self.missing_values:
                if self.required[i] or i in self.key_idx:
                    raise DataError(
                        self.path, "missing required value", line=start, column=self.names[i]
                    )
                parsed.append(None)
                continue
            try:
                parsed.append(check(cell))
            except ValueError as exc:
                raise DataError(self.path, str(exc), line=start, column=self.names[i]) from None
        self._check_unique(row, parsed, start)
        return parsed

    def _check_unique(self, row: list[str], parsed: list[Any], start: int) -> None:
        """Raise on a value seen before in a unique column, or a repeated primary key."""
        for i, seen in self.unique.items():
            if parsed[i] is None:
                continue
            first = seen.setdefault(parsed[i], start)
            if first != start:
                raise DataError(
                    self.path,
                    f"duplicate value {row[i]!r} in a unique column (first on line {first})",
                    line=start,
                    column=self.names[i],
                )
        if self.key_idx:
            key = tuple(parsed[i] for i in self.key_idx)
            first = self.seen_keys.setdefault(key, start)
            if first != start:
                shown = dict(zip(self.pkey, (row[i] for i in self.key_idx), strict=True))
                raise DataError(
                    self.path,
                    f"duplicate primary key {shown} (first on line {first})",
                    line=start,
                    column=self.pkey[0] if len(self.pkey) == 1 else None,
                )


def read_table(path: Path, res: dict[str, Any]) -> pd.DataFrame:
    """Parse and check the CSV at ``path`` against ``res['schema']``; return a typed frame.

    Does not check the hash (see :func:`load`); exposed so the derivation can
    check a table it has just written.
    """
    schema = res.get("schema", {})
    fields = schema.get("fields", [])
    text = _read_text(path, res)
    reader = csv.reader(io.StringIO(text, newline=""))
    _check_header(path, next(reader, None), [f["name"] for f in fields])
    rules = _Rules.of(path, schema)
    columns: list[list[Any]] = [[] for _ in fields]
    line = reader.line_num
    starts: list[int] = []  # first line of each row (a quoted newline makes a row span two)
    for row in reader:
        start, line = line + 1, reader.line_num
        starts.append(start)
        for col, value in zip(columns, rules.parse(row, start), strict=True):
            col.append(value)
    frame = pd.DataFrame(
        {
            f["name"]: _column(col, f.get("type", "string"))
            for f, col in zip(fields, columns, strict=True)
        }
    )
    frame.attrs["lines"] = starts
    return frame


def sha256(path: Path) -> str:
    """``"sha256:<hex>"`` of a file, the form ``datapackage.json`` records."""
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def load(name: str) -> pd.DataFrame:
    """Resource ``name`` as a typed DataFrame, checked against its schema and checksum.

    Types: ``date`` -> ``datetime64[ns]``, ``integer``/``year`` -> ``Int64``,
    ``number`` -> ``float64`` (NaN where missing), ``string`` -> ``string``,
    ``boolean`` -> ``boolean``.  Raises :class:`DataError` on any mismatch.
    """
    res = resource(name)
    path = data_dir() / res["path"]
    frame = read_table(path, res)
    recorded = res.get("hash")
    if recorded:
        algo, _, digest = recorded.rpartition(":")
        if algo not in ("", "sha256"):
            raise DataError(path, f"unsupported hash algorithm {algo!r} in {PACKAGE}")
        actual = sha256(path).partition(":")[2]
        if actual != digest:
            raise DataError(
                path,
                f"checksum mismatch: {PACKAGE} records sha256 {digest[:16]}…, the file has "
                f"{actual[:16]}…; the file changed after the package was built (re-run "
                "`python -m reluctant_allies.derive` to re-derive and re-hash)",
            )
    lines = frame.attrs.pop("lines")
    if "source_tier" in frame.columns:
        check_tiers(path, frame, lines)
    frame.attrs["resource"] = name
    return frame


def check_tiers(path: Path, frame: pd.DataFrame, lines: list[int] | None = None) -> None:
    """Raise :class:`DataError` (file, line, column) if a row breaks the source-tier rules.

    Each ``source_tier`` must equal the tier of its ``source_url`` in the one domain table
    (:mod:`reluctant_allies.sources`), the domain must be known, and a tier-C row must be
    marked ``confidence == "weak"``.  ``lines`` gives each row's first CSV line (from
    :func:`read_table`); without it rows are assumed to take one line each.
    """
    from . import sources  # the domain table; imported here so `data` stays the base layer

    rows = frame[["source_url", "source_tier", "confidence"]].astype("object")
    rows = rows.where(rows.notna(), None).to_dict("records")
    problems = sources.row_problems(rows)
    if problems:
        index, column, message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        line = lines[index] if lines else index + 2  # CSV line of the row (header = 1)
        raise DataError(path, message + more, line=line, column=column)
