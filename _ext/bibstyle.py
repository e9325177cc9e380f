"""Sphinx extension: the bibliography style ``companion`` (pybtex's ``plain``, honest about gaps).

The book's references.bib keeps only fields that were verified against a public
record; some entries therefore lack a year or a publisher.  ``plain`` refuses
such entries with a warning (and ``-W`` fails the build).  Rather than invent a
value, this style prints "n.d." for an unverified year and, when another
required field is missing, formats the entry with the all-optional ``misc``
layout, so the reader sees exactly what is known and nothing more.
"""

from __future__ import annotations

from pybtex.database import Entry
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import FieldIsMissing


def _copy(entry: Entry, *, type_: str | None = None, **fields: str) -> Entry:
    new = Entry(type_ or entry.type, fields=dict(entry.fields), persons=entry.persons)
    new.key = entry.key
    new.fields.update(fields)
    return new


class CompanionStyle(PlainStyle):
    default_sorting_style = "author_year_title"

    def format_entry(self, label, entry, bib_data=None):
        if "year" not in entry.fields:
            entry = _copy(entry, year="n.d.")
        try:
            return super().format_entry(label, entry, bib_data)
        except FieldIsMissing:
            return super().format_entry(label, _copy(entry, type_="misc"), bib_data)


def setup(app):
    register_plugin("pybtex.style.formatting", "companion", CompanionStyle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
