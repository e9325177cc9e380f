"""Helpers shared by the tests that read Vega-Lite specs for meaning, not shape.

``missing_fields(spec)`` walks a ``chart.to_dict()`` (layers, concats, facets, repeats),
works out which columns each view can see (its dataset, or the one it inherits, plus every
field a transform creates) and returns every encoded field that is not among them: a chart
that encodes ``USA:Q`` where its data hold ``share`` draws the wrong thing (or nothing) and
still validates against the schema.

``chapter_code(slug)`` returns the code cells of ``book/<slug>.ipynb`` so a test can call a
builder exactly as the chapter does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

BOOK = Path(__file__).resolve().parents[1] / "book"

#: A view whose columns cannot be known statically (url data, a pivot, a generator).
OPEN = None

_COMPOSE = ("layer", "hconcat", "vconcat", "concat")
_CHANNEL_LISTS = ("tooltip", "detail", "order")


def chapter_code(slug: str) -> list[str]:
    """The source of every code cell of ``book/<slug>.ipynb``, in order."""
    nb = json.loads((BOOK / f"{slug}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def _rows_columns(rows) -> set[str] | None:
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        return OPEN  # empty or non-tabular: nothing to check against
    return set().union(*(r.keys() for r in rows))


def _data_columns(data: dict | None, datasets: dict, inherited):
    if data is None:
        return inherited
    if "name" in data and data["name"] in datasets:
        return _rows_columns(datasets[data["name"]])
    if "values" in data:
        return _rows_columns(data["values"])
    if "sequence" in data:
        return {data["sequence"].get("as", "data")}
    return OPEN  # url, graticule, sphere, an unnamed placeholder


def _as_names(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


def _apply_transforms(cols, transforms: list, datasets: dict):
    """The columns after ``transforms``; OPEN stays OPEN."""
    for t in transforms:
        if cols is OPEN:
            return OPEN
        if "calculate" in t:
            cols = cols | {t["as"]}
        elif "fold" in t:
            cols = cols | set(_as_names(t.get("as", ["key", "value"])))
        elif "flatten" in t:
            cols = cols | set(_as_names(t.get("as"))) | set(t["flatten"])
        elif "aggregate" in t:
            cols = set(t.get("groupby", [])) | {a["as"] for a in t["aggregate"]}
        elif "joinaggregate" in t:
            cols = cols | {a["as"] for a in t["joinaggregate"]}
        elif "window" in t:
            cols = cols | {w["as"] for w in t["window"]}
        elif "bin" in t:
            names = _as_names(t["as"])
            cols = cols | set(names) | ({names[0] + "_end"} if len(names) == 1 else set())
        elif "timeUnit" in t:
            cols = cols | {t["as"]}
        elif "stack" in t:
            cols = cols | set(_as_names(t["as"]))
        elif "density" in t:
            cols = cols | set(_as_names(t.get("as", ["value", "density"])))
        elif "quantile" in t:
            cols = cols | set(_as_names(t.get("as", ["prob", "value"])))
        elif "regression" in t or "loess" in t:
            cols = cols | set(_as_names(t.get("as", [])))
        elif "lookup" in t:
            source = t["from"]
            if "param" in source:
                cols = cols | set(_as_names(t.get("as")))
                continue
            added = _as_names(t.get("as")) or source.get("fields")
            if added is None:
                other = _data_columns(source["data"], datasets, OPEN)
                if other is OPEN:
                    return OPEN
                added = other
            cols = cols | set(added)
        elif "pivot" in t:
            return OPEN
        # filter, sample, impute, extent (a param): no new columns
    return cols


def _field_names(channel) -> Iterator[str]:
    """Every field name a channel definition reads (its own, its condition's, a list's)."""
    if isinstance(channel, list):
        for item in channel:
            yield from _field_names(item)
        return
    if not isinstance(channel, dict):
        return
    if isinstance(channel.get("field"), str):
        yield channel["field"]
    cond = channel.get("condition")
    for c in cond if isinstance(cond, list) else [cond] if cond else []:
        yield from _field_names(c)


def _present(field: str, cols: set[str]) -> bool:
    if field in cols:
        return True
    # "a.b" reads key b of an object column a (unless the dot is escaped)
    head = re.split(r"(?<!\\)[.\[]", field, maxsplit=1)[0].replace("\\.", ".")
    return head in cols or field.replace("\\", "") in cols


def _walk_views(view: dict, inherited, check, path: str = "spec") -> None:
    """Call ``check(view, inherited, path)`` on ``view`` and every view inside it; what it
    returns is what the view's children inherit (layers, concats, a facet's or repeat's
    spec).  A repeated spec's ``{"repeat": ...}`` fields are skipped by _field_names."""
    here = check(view, inherited, path)
    for key in _COMPOSE:
        for i, child in enumerate(view.get(key, [])):
            _walk_views(child, here, check, f"{path}.{key}[{i}]")
    if isinstance(view.get("spec"), dict):
        _walk_views(view["spec"], here, check, f"{path}.spec")


def missing_fields(spec: dict) -> list[str]:
    """``path: field`` for every encoded field that the view's data and transforms lack."""
    datasets = spec.get("datasets", {})
    problems: list[str] = []

    def visit(view: dict, inherited, path: str):
        cols = _data_columns(view.get("data"), datasets, inherited)
        cols = _apply_transforms(cols, view.get("transform", []), datasets)
        if cols is not OPEN:
            for channel, definition in view.get("encoding", {}).items():
                for field in _field_names(definition):
                    if not _present(field, cols):
                        problems.append(
                            f"{path}.encoding.{channel}: {field!r} not in {sorted(cols)}"
                        )
            facet = view.get("facet")
            if isinstance(facet, dict) and "spec" in view:
                for channel, definition in facet.items():
                    for field in _field_names(definition):
                        if not _present(field, cols):
                            problems.append(f"{path}.facet.{channel}: {field!r} not in data")
        return cols

    _walk_views(spec, OPEN, visit)
    return problems


def encoded_field_count(spec) -> int:
    """How many encoded fields the spec holds (a contract over zero fields proves nothing)."""
    if isinstance(spec, dict):
        here = sum(1 for d in spec.get("encoding", {}).values() for _ in _field_names(d))
        return here + sum(encoded_field_count(v) for k, v in spec.items() if k != "encoding")
    if isinstance(spec, list):
        return sum(encoded_field_count(v) for v in spec)
    return 0


def _numbers(values) -> Iterator[float]:
    for v in values:
        if isinstance(v, list):
            yield from _numbers(v)
        elif isinstance(v, int | float) and not isinstance(v, bool) and v == v:
            yield float(v)


def _rows(data: dict | None, datasets: dict, inherited):
    if data is None:
        return inherited
    if "name" in data and data["name"] in datasets:
        return datasets[data["name"]]
    return data.get("values") if isinstance(data.get("values"), list) else None


def out_of_domain(spec: dict) -> list[str]:
    """``path: field`` for every quantitative field whose data leave its fixed scale domain.

    Only fields read straight from the view's rows are checked (a transform may rewrite a
    column).  A fixed numeric ``scale.domain`` is the builder's statement of what the
    column holds (a share in [0, 1], a year span); a column outside it is the wrong column.
    """
    datasets = spec.get("datasets", {})
    problems: list[str] = []

    def visit(view: dict, inherited, path: str):
        rows = _rows(view.get("data"), datasets, inherited)
        rewritten = {
            n for t in view.get("transform", []) for n in _as_names(t.get("as")) if "as" in t
        }
        if rows and all(isinstance(r, dict) for r in rows):
            for channel, definition in view.get("encoding", {}).items():
                if not isinstance(definition, dict) or definition.get("type") != "quantitative":
                    continue
                domain = (definition.get("scale") or {}).get("domain")
                field = definition.get("field")
                if (
                    not isinstance(field, str)
                    or field in rewritten
                    or "aggregate" in definition
                    or not isinstance(domain, list)
                    or len(domain) != 2
                    or not all(isinstance(d, int | float) for d in domain)
                ):
                    continue
                lo, hi = sorted(domain)
                slack = 1e-9 * max(1.0, abs(hi - lo))
                bad = [
                    v
                    for v in _numbers(r.get(field) for r in rows)
                    if not lo - slack <= v <= hi + slack
                ]
                if bad:
                    problems.append(
                        f"{path}.encoding.{channel}: {field!r} has {len(bad)} values outside "
                        f"[{lo}, {hi}], e.g. {bad[0]}"
                    )
        return rows

    _walk_views(spec, None, visit)
    return problems


def inline_rows(spec) -> list[dict]:
    """Every row a spec carries inline: its top-level ``datasets`` and any ``values``."""
    rows = [r for ds in spec.get("datasets", {}).values() for r in ds if isinstance(r, dict)]

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("values"), list):
                rows.extend(r for r in node["values"] if isinstance(r, dict))
            for k, v in node.items():
                if k != "datasets":
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return rows
