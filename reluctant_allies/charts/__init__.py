"""The book's Altair charts: one theme, and the builders chapters reuse.

Importing this package registers and enables the book's theme and switches off
vega-embed's "..." actions menu (it has no accessible name, and a reader of a
static page has nothing to export to).  Every builder returns a chart that has
a title and an accessible ``description``; :func:`finish` is the one place that
enforces it.

Builders live in topic modules (``timeline``, ``trade`` ...).  Each module names
its public builders in ``__all__``, and this package exposes them as
``charts.<name>`` on first use, so a chapter reads
``charts.milestones_timeline(data.load("events"))`` and a new topic module
needs no edit here.
"""

from __future__ import annotations

import importlib
import pkgutil

from .theme import PALETTE, THEME_NAME, finish, source_note

__all__ = ["PALETTE", "THEME_NAME", "finish", "source_note"]


def _builders() -> dict[str, str]:
    """Map each public builder name to the topic module that defines it."""
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "theme":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name in getattr(module, "__all__", ()):
            if name in found:
                raise ImportError(
                    f"chart builder {name!r} is defined in both {found[name]} and {info.name}"
                )
            found[name] = info.name
    return found


def __getattr__(name: str):
    module = _builders().get(name)
    if module is None:
        raise AttributeError(f"reluctant_allies.charts has no chart builder {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(_builders()))
