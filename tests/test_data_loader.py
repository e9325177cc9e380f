"""The loader rejects every class of bad input with the file, line and column in the message.

Each test writes a tiny package to ``tmp_path`` (one resource, five rows at most)
and points the loader at it with ``RELUCTANT_ALLIES_DATA``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from reluctant_allies import data
from reluctant_allies.data import DataError

GOOD = """id,date,year,kind,value
a,2001-07-16,2001,treaty,1.5
b,2019-06-05,2019,statement,
c,2022-02-04,2022,statement,-2
"""

FIELDS = [
    {"name": "id", "type": "string", "constraints": {"required": True}},
    {"name": "date", "type": "date", "constraints": {"required": True}},
    {"name": "year", "type": "integer", "constraints": {"minimum": 1991, "maximum": 2025}},
    {"name": "kind", "type": "string", "constraints": {"enum": ["treaty", "statement"]}},
    {"name": "value", "type": "number"},
]


def write_package(folder, csv_text, *, hash_of=None, fields=FIELDS, sources=None):
    """Write ``tiny.csv`` and a package describing it; hash the text in ``hash_of`` if given."""
    (folder / "tiny.csv").write_text(csv_text, encoding="utf-8", newline="")
    digest = hashlib.sha256((hash_of if hash_of is not None else csv_text).encode()).hexdigest()
    resource = {
        "name": "tiny",
        "path": "tiny.csv",
        "schema": {"fields": fields, "missingValues": [""], "primaryKey": ["id"]},
        "hash": f"sha256:{digest}",
        "sources": sources
        if sources is not None
        else [
            {"name": "a", "title": "Producer A, release 1"},
            {"name": "b", "title": "Producer B"},
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps({"resources": [resource]}))


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))
    return tmp_path


def bad(folder, csv_text, **kwargs) -> DataError:
    write_package(folder, csv_text, **kwargs)
    with pytest.raises(DataError) as info:
        data.load("tiny")
    err = info.value
    assert isinstance(err, ValueError)
    assert str(folder / "tiny.csv") in str(err), "the message must name the file"
    return err


def bad_load(folder) -> DataError:
    with pytest.raises(DataError) as info:
        data.load("tiny")
    return info.value


def test_good_file_is_typed(folder):
    write_package(folder, GOOD)
    frame = data.load("tiny")
    assert list(frame.columns) == ["id", "date", "year", "kind", "value"]
    assert frame["date"].dtype == "datetime64[ns]"
    assert str(frame["year"].dtype) == "Int64"
    assert frame["id"].dtype == "string"
    assert frame["value"].dtype == "float64"
    assert frame["value"].isna().tolist() == [False, True, False]
    assert frame["date"].iloc[0] == pd.Timestamp("2001-07-16")


def test_data_folder_follows_the_environment(folder):
    assert data.data_dir() == folder


def test_missing_data_file_names_the_path(folder):
    write_package(folder, GOOD)
    (folder / "tiny.csv").unlink()
    err = bad_load(folder)
    assert str(folder / "tiny.csv") in str(err)
    assert "not found" in str(err)


def test_missing_package_names_the_path(folder):
    err = bad_load(folder)
    assert str(folder / "datapackage.json") in str(err)


def test_unknown_resource_lists_the_known_ones(folder):
    write_package(folder, GOOD)
    with pytest.raises(DataError, match="no resource named 'nope'.*tiny"):
        data.load("nope")


def test_wrong_header_renamed_column(folder):
    err = bad(folder, GOOD.replace("kind", "type", 1))
    assert err.line == 1 and err.column == "kind"
    assert "missing ['kind']" in str(err) and "unexpected ['type']" in str(err)


def test_wrong_header_reordered_columns(folder):
    err = bad(folder, "id,year,date,kind,value\na,2001,2001-07-16,treaty,1\n")
    assert err.line == 1 and err.column == "date"
    assert "different order" in str(err)


def test_wrong_header_missing_column(folder):
    err = bad(folder, "id,date,year,kind\na,2001-07-16,2001,treaty\n")
    assert err.line == 1 and err.column == "value"


def test_wrong_number_of_values(folder):
    err = bad(folder, GOOD + "d,2023-03-21,2023\n")
    assert err.line == 5 and "expected 5 values, found 3" in str(err)


def test_wrong_type_integer(folder):
    err = bad(folder, GOOD.replace("2019,statement", "20x9,statement"))
    assert (err.line, err.column) == (3, "year")
    assert "'20x9' is not an integer" in str(err)
    assert "line 3, column 'year'" in str(err)


def test_wrong_type_number(folder):
    err = bad(folder, GOOD.replace("treaty,1.5", "treaty,1,5"))
    # "1,5" splits into two cells: caught as a row of the wrong width
    assert err.line == 2
    err = bad(folder, GOOD.replace("treaty,1.5", "treaty,about 1.5"))
    assert (err.line, err.column) == (2, "value") and "not a number" in str(err)


def test_wrong_type_date(folder):
    err = bad(folder, GOOD.replace("2019-06-05", "05/06/2019"))
    assert (err.line, err.column) == (3, "date") and "yyyy-mm-dd" in str(err)
    err = bad(folder, GOOD.replace("2019-06-05", "2019-02-30"))
    assert (err.line, err.column) == (3, "date") and "valid calendar date" in str(err)


def test_out_of_range(folder):
    err = bad(folder, GOOD.replace("2022-02-04,2022", "2022-02-04,2031"))
    assert (err.line, err.column) == (4, "year") and "above the maximum 2025" in str(err)
    err = bad(folder, GOOD.replace("2001-07-16,2001", "2001-07-16,1969"))
    assert (err.line, err.column) == (2, "year") and "below the minimum 1991" in str(err)


def test_enum_violation(folder):
    err = bad(folder, GOOD.replace("2019,statement", "2019,alliance"))
    assert (err.line, err.column) == (3, "kind") and "not one of the allowed values" in str(err)


def test_missing_required_value(folder):
    err = bad(folder, GOOD.replace("b,2019-06-05", "b,"))
    assert (err.line, err.column) == (3, "date") and "missing required value" in str(err)


def test_missing_primary_key(folder):
    err = bad(folder, GOOD.replace("\nb,", "\n,"))
    assert (err.line, err.column) == (3, "id")


def test_duplicate_primary_key(folder):
    err = bad(folder, GOOD + "b,2023-03-21,2023,statement,1\n")
    assert (err.line, err.column) == (5, "id")
    assert "duplicate primary key {'id': 'b'} (first on line 3)" in str(err)


def test_line_numbers_count_quoted_newlines(folder):
    text = 'id,date,year,kind,value\n"a\nb",2001-07-16,2001,treaty,1\nc,2001-07-16,1900,treaty,1\n'
    err = bad(folder, text)
    assert (err.line, err.column) == (4, "year")


def test_checksum_mismatch(folder):
    err = bad(folder, GOOD, hash_of=GOOD.replace("1.5", "1.6"))
    assert "checksum mismatch" in str(err)
    assert err.line is None


def test_not_utf8(folder):
    write_package(folder, GOOD)
    (folder / "tiny.csv").write_bytes(GOOD.replace("treaty", "trait\xe9").encode("latin-1"))
    err = bad_load(folder)
    assert err.line == 2 and "utf-8" in str(err)


def test_source_line(folder):
    write_package(folder, GOOD)
    assert data.source_line("tiny") == "Producer A, release 1; Producer B"
    assert data.source_line("tiny", ["b"]) == "Producer B"
    with pytest.raises(DataError, match="no source named"):
        data.source_line("tiny", ["c"])
    write_package(folder, GOOD, sources=[])
    with pytest.raises(DataError, match="lists no sources"):
        data.source_line("tiny")


def test_resource_is_a_copy(folder):
    write_package(folder, GOOD)
    data.resource("tiny")["path"] = "elsewhere.csv"
    assert data.resource("tiny")["path"] == "tiny.csv"


def test_every_real_table_loads():
    """Every table of the real package loads and holds rows.  (Load time is measured by
    ``make bench``, not asserted here: a wall-clock limit fails on a busy CI runner.)"""
    for name in data.names():
        assert len(data.load(name)) > 0, name


# --- where the data package is found (Binder installs the package as a wheel copy) -------


def _book_copy(root):
    """A repository-like folder: data/ with the book's descriptor, and book/."""
    (root / "book").mkdir(parents=True)
    shutil.copytree(data.ROOT / "data", root / "data")
    return root


def test_wheel_copy_finds_the_data_above_the_notebook_folder(tmp_path, monkeypatch):
    """As on Binder: the package sits in site-packages, the kernel starts in <repo>/book."""
    repo = _book_copy(tmp_path / "repo")
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    monkeypatch.setattr(data, "ROOT", tmp_path / "site-packages")
    monkeypatch.chdir(repo / "book")
    assert data.data_dir() == repo / "data"
    assert len(data.load("trade")) > 0


def test_source_tree_wins_over_the_working_directory(tmp_path, monkeypatch):
    repo = _book_copy(tmp_path / "elsewhere")
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    monkeypatch.chdir(repo / "book")
    assert data.data_dir() == data.ROOT / "data"


def test_a_data_folder_that_is_not_the_books_is_skipped(tmp_path, monkeypatch):
    """site-packages/data (or any data/) holding another package must not be taken."""
    other = tmp_path / "site-packages" / "data"
    other.mkdir(parents=True)
    (other / data.PACKAGE).write_text('{"name": "someone-else"}', encoding="utf-8")
    repo = _book_copy(tmp_path / "repo")
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    monkeypatch.setattr(data, "ROOT", tmp_path / "site-packages")
    monkeypatch.chdir(repo / "book")
    assert data.data_dir() == repo / "data"


def test_no_data_package_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    monkeypatch.setattr(data, "ROOT", tmp_path / "site-packages")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    with pytest.raises(data.DataError) as info:
        data.data_dir()
    message = str(info.value)
    assert str(tmp_path / "site-packages" / "data") in message
    assert str(tmp_path / "work" / "data") in message
    assert data.DATA_ENV in message


# --- constraints and parsers the real package uses (or declares) but no test above reaches ---

#: One extra string column ``code`` after FIELDS, with the constraints under test.
CODED = GOOD.replace("kind,value\n", "kind,value,code\n", 1)


def _coded(rows: dict[str, str]) -> str:
    """GOOD with a ``code`` cell appended to each data row (keyed by the row's id)."""
    lines = CODED.splitlines()
    return "\n".join([lines[0], *(f"{ln},{rows[ln.split(',')[0]]}" for ln in lines[1:])]) + "\n"


def _with_code(constraints: dict, ftype: str = "string") -> list[dict]:
    return [*FIELDS, {"name": "code", "type": ftype, "constraints": constraints}]


def test_unique_constraint_names_both_lines(folder):
    fields = _with_code({"unique": True})
    write_package(folder, _coded({"a": "x1", "b": "", "c": "x3"}), fields=fields)
    assert data.load("tiny")["code"].isna().sum() == 1  # a gap is not a duplicate
    err = bad(folder, _coded({"a": "x1", "b": "x2", "c": "x1"}), fields=fields)
    assert err.line == 4 and err.column == "code"
    assert "'x1'" in str(err) and "2" in str(err)  # the value and the line it first appears


def test_pattern_constraint(folder):
    fields = _with_code({"pattern": "[A-Z]{3}"})
    write_package(folder, _coded({"a": "RUS", "b": "CHN", "c": "USA"}), fields=fields)
    assert list(data.load("tiny")["code"]) == ["RUS", "CHN", "USA"]
    # the whole cell must match: a longer cell with a matching prefix is rejected
    err = bad(folder, _coded({"a": "RUS", "b": "CHNA", "c": "USA"}), fields=fields)
    assert err.line == 3 and err.column == "code"
    assert "does not match the pattern '[A-Z]{3}'" in str(err)


def test_max_length_constraint(folder):
    fields = _with_code({"maxLength": 4})
    write_package(folder, _coded({"a": "abcd", "b": "ab", "c": "a"}), fields=fields)
    assert list(data.load("tiny")["code"]) == ["abcd", "ab", "a"]  # 4 is allowed
    err = bad(folder, _coded({"a": "abcd", "b": "abcde", "c": "a"}), fields=fields)
    assert err.line == 3 and err.column == "code"
    assert "longer than 4 characters" in str(err)


def test_boolean_parser(folder):
    fields = _with_code({}, "boolean")
    write_package(folder, _coded({"a": "true", "b": "0", "c": ""}), fields=fields)
    col = data.load("tiny")["code"]
    assert str(col.dtype) == "boolean"
    assert col.tolist()[:2] == [True, False] and col.isna().tolist() == [False, False, True]
    err = bad(folder, _coded({"a": "true", "b": "yes", "c": "FALSE"}), fields=fields)
    assert err.line == 3 and err.column == "code" and "true or false" in str(err)


def test_year_parser_and_its_bounds(folder):
    fields = _with_code({"minimum": 1991, "maximum": 2025}, "year")
    write_package(folder, _coded({"a": "1991", "b": "2025", "c": ""}), fields=fields)
    col = data.load("tiny")["code"]
    assert str(col.dtype) == "Int64" and list(col.iloc[:2]) == [1991, 2025]
    for cell, message in (
        ("91", "a four-digit year"),
        ("2O19", "a four-digit year"),
        ("1990", "below the minimum"),
        ("2026", "above the maximum"),
    ):
        err = bad(folder, _coded({"a": "1991", "b": cell, "c": "2000"}), fields=fields)
        assert err.line == 3 and err.column == "code" and message in str(err), cell


def test_a_field_without_a_type_is_a_string(folder):
    fields = [*FIELDS, {"name": "code"}]  # Table Schema: type defaults to "string"
    write_package(folder, _coded({"a": "007", "b": "x", "c": ""}), fields=fields)
    col = data.load("tiny")["code"]
    assert str(col.dtype) == "string" and col.tolist()[:2] == ["007", "x"]


def test_unknown_resource_lists_every_known_one(folder):
    write_package(folder, GOOD)
    package = json.loads((folder / "datapackage.json").read_text())
    package["resources"].append({**package["resources"][0], "name": "other"})
    (folder / "datapackage.json").write_text(json.dumps(package))
    with pytest.raises(
        DataError, match=r"no resource named 'nope' \(the package has: tiny, other\)"
    ):
        data.load("nope")


def test_a_tier_error_says_how_many_more_rows_break_the_rules():
    urls = [f"https://nowhere.invalid/{i}" for i in range(3)]
    frame = pd.DataFrame({"source_url": urls, "source_tier": "A", "confidence": "high"})
    for n, tail in ((1, "reason"), (2, "reason (and 1 more)"), (3, "reason (and 2 more)")):
        with pytest.raises(DataError) as info:
            data.check_tiers(Path("x.csv"), frame.head(n))
        assert str(info.value).endswith(tail), n
        assert (info.value.line, info.value.column) == (2, "source_url")


def test_the_schema_names_its_own_missing_values(folder):
    """``missingValues`` is read from the schema: "NA" is a gap only where the schema says so."""
    text = GOOD.replace("b,2019-06-05,2019,statement,", "b,2019-06-05,2019,statement,NA")
    write_package(folder, text)
    err = bad(folder, text)  # the default [""]: "NA" is not a number
    assert err.line == 3 and err.column == "value"
    package = json.loads((folder / "datapackage.json").read_text())
    package["resources"][0]["schema"]["missingValues"] = ["", "NA"]
    (folder / "datapackage.json").write_text(json.dumps(package))
    assert data.load("tiny")["value"].isna().tolist() == [False, True, False]
