"""Figure cards: every numbered figure as a citable data product.

For each figure of the chapters (the exhibits of :mod:`reluctant_allies.replication`) the
card offers, generated from the chart's Vega-Lite spec and ``data/datapackage.json`` (never
written by hand):

* **data**: one CSV per table inside the spec (exactly the rows the chart plots), with a
  README naming the data package resources that reach the figure's cell, their sources,
  producers, licences and terms, each file's sha256 and the package version;
* **images**: the static SVG stored with the chart, and a PNG drawn from the same spec;
* **cite this figure**: a short and a long text and a BibTeX entry naming the book and its
  version, the figure number and title, and the data producers with their versions;
* **code**: the notebook cell that drew it (its index and id), in the executed notebook and
  in the repository;
* **claims**: the claim ids of ``book/claims.yml`` that name the figure;
* **table**: the plotted values as an HTML table (a twin of the chart for screen readers).

A resource whose licences stand at the ``withheld`` level of
:data:`reluctant_allies.replication.REDISTRIBUTION` keeps its rows out of the card: the CSV
and table are left out and the README says where to get the data.  No licence of today's
package stands there (SIPRI's, the strictest, allows small derived tables with attribution,
which is what a figure's rows are); the rule is tested with a package that has one.

The Sphinx extension ``_ext/figure_cards.py`` calls :func:`card_files` and
:func:`card_html` at build time; nothing here needs Sphinx or Altair.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .replication import DatasetStatement, Exhibit

__all__ = [
    "WITHHELD",
    "CardError",
    "Figure",
    "PlottedTable",
    "card_files",
    "card_html",
    "chapter_zip",
    "citations",
    "csv_text",
    "plotted_tables",
    "used_sources",
]

#: The redistribution level at which a card leaves the rows out.
WITHHELD = "withheld"


class CardError(ValueError):
    """A figure whose card cannot be made, with the figure's label in the message."""


@dataclass(frozen=True)
class PlottedTable:
    """One table inside a chart spec: its name there, columns, rows, and the marks it feeds."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    """What a card is made from: the exhibit, its chart spec, and where the book lives."""

    exhibit: Exhibit
    spec: dict[str, Any]
    claims: tuple[str, ...] = ()
    statements: tuple[DatasetStatement, ...] = ()
    cff: Mapping[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The chart's own title (the caption's first sentence if it has none)."""
        title = self.spec.get("title")
        text = title.get("text", "") if isinstance(title, Mapping) else title
        text = " ".join(text) if isinstance(text, list) else str(text or "")
        return " ".join(text.split()) or self.exhibit.title

    @property
    def stem(self) -> str:
        """File-name stem of the card's files: ``figure-5-1``."""
        return "figure-" + self.exhibit.number.replace(".", "-")


# --- the rows a chart plots ----------------------------------------------------------------


def _mark_type(node: Mapping[str, Any]) -> str | None:
    mark = node.get("mark")
    if isinstance(mark, Mapping):
        mark = mark.get("type")
    return str(mark) if mark else None


def _data_uses(spec: Mapping[str, Any]) -> tuple[dict[str, list[str]], list[list[dict]]]:
    """Which marks draw from each named dataset, and the inline ``values`` tables."""
    uses: dict[str, list[str]] = {}
    inline: list[list[dict]] = []

    def walk(node: Any, data_name: str | None) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, data_name)
            return
        if not isinstance(node, Mapping):
            return
        data = node.get("data")
        if isinstance(data, Mapping) and isinstance(data.get("name"), str):
            data_name = data["name"]
        elif isinstance(data, Mapping) and isinstance(data.get("values"), list):
            inline.append(list(data["values"]))
        mark = _mark_type(node)
        if mark and data_name:
            uses.setdefault(data_name, []).append(mark)
        for key, value in node.items():
            if key not in ("data", "datasets"):
                walk(value, data_name)

    walk(spec, None)
    return uses, inline


def _table(name: str, rows: Iterable[Any], marks: Iterable[str]) -> PlottedTable | None:
    rows = list(rows)
    bad = [i for i, row in enumerate(rows) if not isinstance(row, Mapping)]
    if bad:
        raise CardError(f"dataset {name!r}: row {bad[0]} is not a record")
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if not columns:
        return None  # a placeholder (``[{}]``) for marks drawn from constants: no values
    return PlottedTable(name, tuple(columns), tuple(dict(r) for r in rows), tuple(marks))


def plotted_tables(spec: Mapping[str, Any]) -> list[PlottedTable]:
    """Every table of values inside ``spec``, in the spec's order: the named ``datasets``
    first, then inline ``data.values``. Placeholders without any value are left out."""
    if not isinstance(spec, Mapping):
        raise CardError(f"plotted_tables: spec must be a mapping, got {type(spec).__name__}")
    uses, inline = _data_uses(spec)
    out = []
    for name, rows in (spec.get("datasets") or {}).items():
        table = _table(name, rows, dict.fromkeys(uses.get(name, [])))
        if table is not None:
            out.append(table)
    for i, rows in enumerate(inline, start=1):
        table = _table(f"inline-{i}", rows, ())
        if table is not None:
            out.append(table)
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def csv_text(table: PlottedTable) -> str:
    """The table as CSV (a missing or null value is an empty field; numbers and booleans
    as JSON writes them, so ``0.1`` stays ``0.1`` and ``True`` is ``true``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_cell(row.get(c)) for c in table.columns])
    return out.getvalue()


# --- sources, producers and citations --------------------------------------------------------


def _subtitle(spec: Mapping[str, Any]) -> str:
    title = spec.get("title")
    sub = title.get("subtitle", "") if isinstance(title, Mapping) else ""
    return " ".join(sub) if isinstance(sub, list) else str(sub or "")


def used_sources(statement: DatasetStatement, spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The resource's sources the chart's source line names (all of them if it names none:
    the line then describes the resource in other words)."""
    line = " ".join(_subtitle(spec).split())
    named = [s for s in statement.sources if s.get("title") and s["title"] in line]
    return named or list(statement.sources)


def _statements(fig: Figure) -> list[DatasetStatement]:
    by_name = {st.name: st for st in fig.statements}
    missing = [r for r in fig.exhibit.resources if r not in by_name]
    if missing:
        raise CardError(f"{fig.exhibit.label}: resources {missing} are not in the data package")
    return [by_name[r] for r in fig.exhibit.resources]


def _producers(fig: Figure) -> list[str]:
    """``producer (source title)`` for every source the figure uses, without repeats."""
    out = []
    for st in _statements(fig):
        for source in used_sources(st, fig.spec):
            out.append(f"{source.get('producer', '?')} ({source.get('title', source.get('name'))})")
    return list(dict.fromkeys(out))


def _data_words(fig: Figure) -> str:
    producers = _producers(fig)
    if producers:
        return "Data: " + "; ".join(producers) + "."
    return f"No data package resource: model output of the book's code (version {__version__})."


def _book(fig: Figure) -> tuple[str, str, str, str]:
    cff = fig.cff
    for key in ("title", "version", "date-released", "repository-code", "authors"):
        if not cff.get(key):
            raise CardError(f"{fig.exhibit.label}: CITATION.cff has no {key!r}")
    who = "; ".join(a.get("name") or a.get("family-names", "?") for a in cff["authors"])
    return who, str(cff["title"]), str(cff["version"]), str(cff["date-released"])[:4]


def figure_url(fig: Figure) -> str:
    """The figure in the repository's notebook (the site's address is not fixed yet)."""
    return f"{str(fig.cff['repository-code']).rstrip('/')}/blob/main/{fig.exhibit.chapter}.ipynb"


def citations(fig: Figure) -> dict[str, str]:
    """``short``, ``long`` and ``bibtex`` text for citing the figure."""
    who, title, version, year = _book(fig)
    ex = fig.exhibit
    name = fig.title.rstrip(".")
    short = (
        f"{who} ({year}). “{name}”, Figure {ex.number} in {title}, version {version}. "
        f"{_data_words(fig)}"
    )
    long = (
        f"{who} ({year}). Figure {ex.number}: {name}. In {title} (version {version}), "
        f"chapter {ex.number.split('.')[0]}, {ex.chapter}.ipynb, cell {ex.cell}. "
        f"{figure_url(fig)}. {_data_words(fig)}"
    )
    if fig.cff.get("doi"):
        long += f" https://doi.org/{fig.cff['doi']}"
    fields = [
        ("author", f"{{{who}}}"),
        ("title", f"{{Figure {ex.number}: {name}}}"),
        ("booktitle", f"{{{title}}}"),
        ("year", year),
        ("version", version),
        ("url", figure_url(fig)),
        ("note", _data_words(fig)),
    ]
    if fig.cff.get("doi"):
        fields.append(("doi", str(fig.cff["doi"])))
    body = ",\n".join(f"  {k:<9} = {{{v}}}" for k, v in fields)
    key = f"reluctant{year}allies-fig{ex.number.replace('.', '-')}"
    return {"short": short, "long": long, "bibtex": f"@incollection{{{key},\n{body}\n}}\n"}


# --- the files ------------------------------------------------------------------------------


def withheld(fig: Figure) -> list[DatasetStatement]:
    """The figure's resources whose terms keep their rows out of the card."""
    return [st for st in _statements(fig) if st.level == WITHHELD]


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _sha(text: str | bytes) -> str:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(raw).hexdigest()


def _csv_names(fig: Figure, tables: list[PlottedTable]) -> list[str]:
    if len(tables) == 1:
        return [f"{fig.stem}.csv"]
    return [f"{fig.stem}-data-{i}.csv" for i in range(1, len(tables) + 1)]


def _readme_sources(fig: Figure) -> list[str]:
    lines = ["## Data package resources that reach the figure's cell", ""]
    statements = _statements(fig)
    if not statements:
        lines.append("None: the figure plots output of the book's models, not a data table.")
    for st in statements:
        licences = ", ".join(f"{name} ({title})" for name, title, _ in st.licences)
        lines += [
            f"- `{st.name}` ({st.title}): `{st.file}`, sha256 `{st.sha256}`,",
            f"  licences {licences}; redistribution level: {st.level}.",
        ]
        for s in used_sources(st, fig.spec):
            lines.append(
                f"  - {s.get('title', s.get('name'))}: producer {s.get('producer', '?')}; "
                f"terms: {s.get('terms', 'not recorded')}"
            )
    return lines


def _readme(fig: Figure, files: Mapping[str, str], tables: list[PlottedTable]) -> str:
    ex, cite = fig.exhibit, citations(fig)
    lines = [
        f"# Figure {ex.number}: {fig.title}",
        "",
        f"From *{fig.cff.get('title', '')}*, version {fig.cff.get('version', '')} (data package "
        f"version {__version__}), {ex.chapter}.ipynb, cell {ex.cell} (id `{ex.cell_id}`), "
        f"drawn by `{ex.program}`.",
        "",
        "## Files",
        "",
    ]
    for name, digest in files.items():
        lines.append(f"- `{name}`: sha256 `{digest}`")
    for name, table in zip(_csv_names(fig, tables), tables, strict=False):
        if name in files:
            marks = ", ".join(table.marks) or "no mark directly"
            lines.append(
                f"- `{name}` holds {_rows(len(table.rows))} of `{table.name}` in the spec "
                f"(columns {', '.join(table.columns)}; drawn as {marks})."
            )
    for st in withheld(fig):
        lines.append(
            f"- Rows withheld: `{st.name}`'s terms do not allow passing them on. "
            "Get them from the producer: " + "; ".join(st.producers) + "."
        )
    lines += ["", *_readme_sources(fig), "", "## Cite this figure", "", cite["long"], ""]
    return "\n".join(lines) + "\n"


def _table_page(fig: Figure, tables: list[PlottedTable]) -> str:
    """A page of its own with one HTML table per plotted table, each linked to its CSV."""
    ex = fig.exhibit
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Figure {ex.number}: plotted values</title>",
        f'<meta name="description" content="The values plotted in Figure {ex.number}.">',
        "<style>body{font-family:system-ui,sans-serif;margin:1rem;line-height:1.4}"
        "table{border-collapse:collapse;margin-bottom:2rem}th,td{border:1px solid #767676;"
        "padding:.2rem .4rem;text-align:left}caption{text-align:left;font-weight:600}"
        "@media (prefers-color-scheme:dark){body{background:#14181e;color:#ced6dd}}</style>",
        "</head><body><main>",
        f"<h1>Figure {ex.number}: plotted values</h1>",
        f"<p>{html.escape(fig.title)}. The tables below hold every value the chart draws.</p>",
    ]
    for i, (name, table) in enumerate(zip(_csv_names(fig, tables), tables, strict=True), 1):
        head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in table.columns)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>" for c in table.columns)
            + "</tr>"
            for r in table.rows
        )
        caption = (
            f"Table {i} of {len(tables)}: {_rows(len(table.rows))} "
            f'(<a href="{html.escape(name)}" download>CSV</a>)'
        )
        parts.append(
            f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def card_files(fig: Figure, svg: str | None = None, png: bytes | None = None) -> dict[str, bytes]:
    """File name -> content of the figure's card (CSV, README, images, citations, table)."""
    tables = plotted_tables(fig.spec)
    cite = citations(fig)
    files: dict[str, bytes] = {}
    if not withheld(fig):
        for name, table in zip(_csv_names(fig, tables), tables, strict=True):
            files[name] = csv_text(table).encode("utf-8")
        if tables:
            files[f"{fig.stem}-table.html"] = _table_page(fig, tables).encode("utf-8")
        # the exact Vega-Lite spec that draws the figure (its data included)
        spec = json.dumps(fig.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        files[f"{fig.stem}.vl.json"] = spec.encode("utf-8")
    if svg is not None:
        files[f"{fig.stem}.svg"] = svg.encode("utf-8")
    if png is not None:
        files[f"{fig.stem}.png"] = png
    files[f"{fig.stem}.bib"] = cite["bibtex"].encode("utf-8")
    digests = {name: _sha(content) for name, content in files.items()}
    files[f"{fig.stem}-README.md"] = _readme(fig, digests, tables).encode("utf-8")
    if sum(name.endswith(".csv") for name in files) > 1:
        files[f"{fig.stem}-data.zip"] = chapter_zip({fig.stem: files})
    return files


def chapter_zip(figures: Mapping[str, Mapping[str, bytes]]) -> bytes:
    """One zip of the data files (CSV, README) of figures ``{stem: files}`` (a chapter's, or
    one figure's with several tables), each in a folder named for its figure; fixed
    timestamps, so the bytes are reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for stem, files in figures.items():
            for name, content in files.items():
                if name.endswith((".csv", "-README.md")):
                    info = zipfile.ZipInfo(f"{stem}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, content)
    return out.getvalue()


# --- the card in the page ------------------------------------------------------------------------


def _links(base: str, names: Iterable[str]) -> dict[str, str]:
    return {name: f"{base}{name}" for name in names}


def _data_cell(
    fig: Figure, names: list[str], href: Mapping[str, str], links: Mapping[str, str]
) -> str:
    """The card's "Data" entry before its README link: CSV link(s) or why there is none."""
    esc = html.escape
    csvs = [n for n in names if n.endswith(".csv")]
    if csvs:
        tables = plotted_tables(fig.spec)
        rows, main = max((len(t.rows), n) for n, t in zip(csvs, tables, strict=True))
        count = _rows(rows)
        if len(csvs) == 1:
            data = f'<a href="{esc(href[main])}" download>CSV</a> ({count})'
        else:
            data = (
                f'<a href="{esc(href[main])}" download>CSV</a> (main table, {count}); '
                f'<a href="{esc(href[fig.stem + "-data.zip"])}" download>all {len(csvs)} '
                "tables</a>"
            )
        chapter = fig.exhibit.number.split(".")[0]
        data += f' (<a href="{esc(links["zip"])}" download>all of chapter {chapter}</a>)'
    elif withheld(fig):
        data = "withheld under the producer's terms; see the README for where to get it"
    else:
        data = "none: the chart computes its values from formulas in its spec"
    return data


def _code_cell(fig: Figure, href: Mapping[str, str], links: Mapping[str, str]) -> str:
    """The card's "Code" entry: the cell, its program and links to spec, notebook, repository."""
    ex, esc = fig.exhibit, html.escape
    cell = f'<a href="{esc(links["cell"])}">on this page</a>, ' if links.get("cell") else ""
    return (
        f"cell {ex.cell} (<code>{esc(ex.program)}</code>): {cell}"
        + (
            f'<a href="{esc(href[fig.stem + ".vl.json"])}" download>Vega-Lite spec</a>, '
            if fig.stem + ".vl.json" in href
            else ""
        )
        + f'<a href="{esc(links["notebook"])}">executed notebook</a>, '
        f'<a href="{esc(links["repository"])}">repository</a>'
    )


def card_html(fig: Figure, files: Iterable[str], *, base: str, links: Mapping[str, str]) -> str:
    """The collapsed card under the figure. ``base`` is the folder of the card's files
    relative to the page; ``links`` gives ``notebook``, ``repository``, ``claims`` (the
    claims page), ``zip`` (the chapter's data zip) and, when the input is on the page, ``cell``."""
    ex, names = fig.exhibit, list(files)
    href = _links(base, names)
    esc = html.escape
    data = _data_cell(fig, names, href, links)
    images = " · ".join(
        f'<a href="{esc(href[n])}" download>{n.rsplit(".", 1)[1].upper()}</a>'
        for n in names
        if n.endswith((".svg", ".png"))
    )
    claims = ", ".join(
        f'<a href="{esc(links["claims"])}#claim-{c.lower()}">{esc(c)}</a>' for c in fig.claims
    )
    rows = [
        (
            "Data",
            f'{data}; <a href="{esc(href[fig.stem + "-README.md"])}">README</a> '
            "(sources, licences, terms, sha256)",
        ),
        ("Images", images or "none"),
        (
            "Cite",
            f'{esc(citations(fig)["short"])} <a href="{esc(href[fig.stem + ".bib"])}" '
            "download>BibTeX</a>; the long form is in the README.",
        ),
        ("Code", _code_cell(fig, href, links)),
        ("Claims", claims or "none named in the claims map"),
    ]
    if fig.stem + "-table.html" in href:
        rows.append(
            (
                "Table",
                f'<a href="{esc(href[fig.stem + "-table.html"])}">'
                "the plotted values as a table</a>",
            )
        )
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<details class="figure-card" id="card-{esc(ex.label)}">'
        f"<summary>Data, images, citation and code for Figure {esc(ex.number)}</summary>"
        f'<dl class="figure-card-body">{body}</dl></details>'
    )


# --- permalinks of the explorables (book/permalinks.yml) ----------------------------------------

_KEY = re.compile(r"[a-z][a-z0-9_]*|[A-Z][A-Za-z0-9_]*")


def check_permalinks(schema: Any, where: str = "book/permalinks.yml") -> dict[str, Any]:
    """The permalink schema, checked: a positive ``version``, ``views`` of URL-safe keys
    mapped one-to-one to parameters, and one migration per older version (``from`` n
    ``to`` n + 1, renames only for known views). Raises :class:`CardError` naming the entry."""
    if not isinstance(schema, Mapping):
        raise CardError(f"{where}: expected a mapping with version, views and migrations")
    version, views = schema.get("version"), schema.get("views")
    if not isinstance(version, int) or version < 1:
        raise CardError(f"{where}: version must be a positive integer, got {version!r}")
    if not isinstance(views, Mapping) or not views:
        raise CardError(f"{where}: views must map figure labels to their keys")
    for label, keys in views.items():
        if not isinstance(keys, Mapping) or not keys:
            raise CardError(f"{where}: view {label!r} must map keys to parameters")
        bad = [k for k in keys if not isinstance(k, str) or not _KEY.fullmatch(k)]
        if bad or {"view", "v"} & set(keys):
            raise CardError(f"{where}: view {label!r} has keys that cannot stand in a URL: {bad}")
        if len(set(keys.values())) != len(keys):
            raise CardError(f"{where}: view {label!r} maps two keys to one parameter")
    migrations = list(schema.get("migrations") or [])
    steps = sorted(m.get("from", 0) for m in migrations if isinstance(m, Mapping))
    if steps != list(range(1, version)):
        raise CardError(
            f"{where}: migrations must lead from each version 1..{version - 1} "
            f"to the next; found from = {steps}"
        )
    for m in migrations:
        if m.get("to") != m["from"] + 1:
            raise CardError(f"{where}: the migration from {m['from']} must go to {m['from'] + 1}")
        stray = sorted(set(m.get("rename") or {}) - set(views))
        if stray:
            raise CardError(
                f"{where}: the migration from {m['from']} renames unknown views {stray}"
            )
    return {"version": version, "views": dict(views), "migrations": migrations}


def check_view(schema: Mapping[str, Any], label: str, params: Iterable[str]) -> str | None:
    """Why explorable ``label`` with controls ``params`` does not match the schema, or None."""
    keys = schema["views"].get(label)
    if keys is None:
        return f"explorable {label} has no view in book/permalinks.yml"
    found, listed = set(params), set(keys.values())
    if found != listed:
        return (
            f"explorable {label}: its controls {sorted(found)} differ from book/permalinks.yml "
            f"{sorted(listed)}; a changed slider needs a new schema version and a migration"
        )
    return None


def migrate_link(schema: Mapping[str, Any], view: str, version: int, values: Mapping[str, str]):
    """The key -> value pairs of a link of ``version``, in the current schema's keys (the
    rule ``_ext/explorable_links.js`` applies in the reader's browser), or None when no
    migration leads from that version."""
    out, v = dict(values), version
    while v < schema["version"]:
        step = next((m for m in schema["migrations"] if m["from"] == v), None)
        if step is None:
            return None
        rename = (step.get("rename") or {}).get(view, {})
        out = {rename.get(k, k): val for k, val in out.items()}
        v = step["to"]
    return out
