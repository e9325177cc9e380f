"""A pressure index S_t coded from dated US/Western actions (chapter 3; domain.md §1.4).

This is **the book's reconstruction**, not the article's: Korolev & Portyakov (2019) speak of
pressure from "US-led unipolarity" but publish no index. The rules below were written before
the index was computed and are kept here as data, so a chapter can print them and a reader can
change them.

The rules
---------
1. Only rows of the ``events`` table with category ``"systemic pressure"`` count, and only if
   the actor is the USA or its allies (:data:`WESTERN_ACTORS`). Cooperation, statements and
   policies of China and Russia are never read, so the index cannot be circular with the
   cooperation it is meant to explain.
2. Every coded row has a type (:data:`EVENT_CODES`); each type has a written rule and a
   default weight (:data:`CODING_RULES`, :data:`DEFAULT_WEIGHTS`). A systemic-pressure row
   with no code is an error: it must be coded by a stated rule before it can move the index.
3. One act counts once, in the year it was announced (:data:`SAME_ACT` lists rows that
   record a later stage of an act already counted, e.g. the ABM withdrawal taking effect).
4. Rows whose source is weak (``confidence == "weak"``) are left out unless
   ``include_weak=True``: a weakly sourced event is not treated as fact by default.
5. An event adds its weight to pressure in its own year; afterwards its contribution halves
   every ``half_life`` years (``math.inf``: never fades, a cumulative stock).
6. The yearly sum is divided by its maximum over ``start..end``, so the index lies in [0, 1]
   and 1 marks the year of greatest coded pressure in the window. The index therefore
   measures *relative* pressure within the window, not an absolute level.

A zero means "no coded Western action in the table is still felt", not "no pressure": the
index is only as complete as the events table (see :func:`coverage`).

Second edition
--------------
The functions under "second edition" below read the pressure record ``pressure_actions``
(84 acts, 1996–2025, with code, target, actor, same-act link, reactive flag, source tier and
confidence; its codes and general rules are kept as data in the resource). They give a
China-directed, a Russia-directed and a combined index in every year 1991–2025
(:func:`record_indices`), sensitivity variants (:func:`sensitivity`) and coverage density
(:func:`coverage_density`). Bad rows raise :class:`reluctant_allies.data.DataError` naming
file, line and column (:func:`check_record`). The first-edition functions above are kept
unchanged for chapters 7–12 until their re-test.

Usage::

    from reluctant_allies import data, models, pressure
    S = pressure.pressure_index(data.load("events"))            # year, value, raw, events
    S = pressure.pressure_index(events, {"doctrine": 1.0}, half_life=5)
    scenario = pressure.to_scenario(S)                            # a models.Scenario
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "CodingRule",
    "CODING_RULES",
    "DEFAULT_HALF_LIFE",
    "DEFAULT_WEIGHTS",
    "EVENT_CODES",
    "FIRST_YEAR",
    "GENERAL_RULES",
    "LAST_YEAR",
    "SAME_ACT",
    "WESTERN_ACTORS",
    "code_events",
    "coverage",
    "pressure_grid",
    "pressure_index",
    "rules_table",
    "to_scenario",
    # second edition
    "Code",
    "INDEX_LABELS",
    "INDEX_TARGETS",
    "RECORD",
    "VARIANTS",
    "check_record",
    "code_table",
    "count_acts",
    "coverage_density",
    "load_record",
    "record_codes",
    "record_index",
    "record_indices",
    "record_rules",
    "record_weights",
    "sensitivity",
]

#: The window the index may cover (the events table's own range).
FIRST_YEAR, LAST_YEAR = 1991, 2025

#: Actors whose actions count as systemic pressure (rule 1).
WESTERN_ACTORS = frozenset({"USA", "USA/EU", "NATO"})

#: Category of the events table that holds the actions the index is coded from (rule 1).
PRESSURE_CATEGORY = "systemic pressure"

REQUIRED_COLUMNS = ("id", "year", "category", "actor", "confidence")


@dataclass(frozen=True)
class CodingRule:
    """One event type: what makes an event this type, and how much it weighs by default."""

    type: str
    label: str
    rule: str
    weight: float


#: The written, pre-stated coding rules, one per event type (rule 2).
CODING_RULES: tuple[CodingRule, ...] = (
    CodingRule(
        "enlargement",
        "Alliance enlargement",
        "NATO admits new members, moving the Western alliance toward Russia's borders.",
        1.0,
    ),
    CodingRule(
        "arms_control",
        "Arms-control exit",
        "The US leaves a treaty that limits its strategic forces (coded at the notice).",
        1.0,
    ),
    CodingRule(
        "sanctions",
        "Sanctions",
        "The US or the EU imposes sanctions on Russia or China, or on their state bodies.",
        1.0,
    ),
    CodingRule(
        "doctrine",
        "Strategy document",
        "A US strategy paper names China or Russia as rivals or shifts forces toward them; "
        "words, not deeds, so half the weight of an act.",
        0.5,
    ),
    CodingRule(
        "regime_change",
        "Regime change nearby",
        "Changes of government in the former Soviet space that Moscow and Beijing accuse "
        "the West of orchestrating.",
        1.0,
    ),
)

#: Default weight of each event type (from :data:`CODING_RULES`).
DEFAULT_WEIGHTS: dict[str, float] = {r.type: r.weight for r in CODING_RULES}

#: Default half-life of an event's contribution, in years (rule 5).
DEFAULT_HALF_LIFE = 3.0

#: The type of every systemic-pressure row of the events table (rule 2), by event id.
EVENT_CODES: dict[str, str] = {
    "nato-enlargement-1999": "enlargement",
    "nato-enlargement-2004": "enlargement",
    "abm-withdrawal-notice": "arms_control",
    "colour-revolutions": "regime_change",
    "us-pivot": "doctrine",
    "crimea-sanctions": "sanctions",
    "us-nss-2017": "doctrine",
    "us-nds-2018": "doctrine",
    "us-sanctions-pla-edd": "sanctions",
}

#: Rows that record a later stage of an act already counted (rule 3): id -> id counted.
SAME_ACT: dict[str, str] = {"abm-withdrawal-effective": "abm-withdrawal-notice"}

#: The general rules in words, for a chapter to print (numbered as in this docstring).
GENERAL_RULES: tuple[str, ...] = (
    "Only US, EU and NATO actions in the 'systemic pressure' rows count; China–Russia "
    "cooperation, statements and policies are never read (no circularity).",
    "Each row is coded with one event type; each type has a written rule and a weight.",
    "One act counts once, in the year it was announced.",
    "Rows with a weak source are left out unless the reader switches them on.",
    f"An event adds its weight in its own year; its effect then halves every "
    f"{DEFAULT_HALF_LIFE:g} years (the half-life).",
    f"The yearly sum is divided by its maximum over {FIRST_YEAR}–{LAST_YEAR}, "
    "so the index runs from 0 to 1.",
)


# --------------------------------------------------------------------------- validation


def _check_events(events: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"events must be a pandas DataFrame, got {type(events).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(f"events table lacks column(s) {missing}")
    dup = events["id"][events["id"].duplicated()]
    if len(dup):
        raise ValueError(f"events table: duplicate event id(s) {sorted(set(dup))}")
    return events


def _check_window(start: int, end: int) -> tuple[int, int]:
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise ValueError(f"{name} must be an integer year, got {value!r}")
        if not FIRST_YEAR <= value <= LAST_YEAR:
            raise ValueError(
                f"{name} year {value} is out of range: the index covers {FIRST_YEAR}–{LAST_YEAR}"
            )
    if start > end:
        raise ValueError(f"start year {start} is after end year {end}")
    return int(start), int(end)


def _check_half_life(half_life: float) -> float:
    if isinstance(half_life, bool) or not isinstance(half_life, numbers.Real):
        raise ValueError(f"half_life must be a number of years, got {half_life!r}")
    h = float(half_life)
    if math.isnan(h) or h <= 0:
        raise ValueError(f"half_life must be > 0 years (math.inf: no decay), got {half_life!r}")
    return h


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """DEFAULT_WEIGHTS overridden key by key by ``weights``; every value finite and >= 0."""
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    if not isinstance(weights, Mapping):
        raise ValueError(f"weights must be a mapping of event type to weight, got {weights!r}")
    unknown = sorted(set(weights) - set(DEFAULT_WEIGHTS))
    if unknown:
        raise ValueError(
            f"unknown weight key(s) {unknown}; event types are {sorted(DEFAULT_WEIGHTS)}"
        )
    out = dict(DEFAULT_WEIGHTS)
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"weight {key!r} must be a number, got {value!r}")
        v = float(value)
        if not math.isfinite(v):
            raise ValueError(f"weight {key!r} must be finite, got {value!r}")
        if v < 0:
            raise ValueError(f"weight {key!r} must be >= 0, got {value!r}")
        out[key] = v
    return out


# --------------------------------------------------------------------------- coding


def code_events(events: pd.DataFrame, *, include_weak: bool = False) -> pd.DataFrame:
    """The coding sheet: one row per systemic-pressure event, with its type and whether it counts.

    Columns: ``id, year, actor, confidence, type, counted, reason`` (``reason`` says why a
    row does not count: a later stage of an act already counted, or a weak source).
    Raises ``ValueError`` for a systemic-pressure row with a non-Western actor or no code.
    """
    events = _check_events(events)
    rows = events.loc[events["category"] == PRESSURE_CATEGORY].copy()
    not_western = rows.loc[~rows["actor"].isin(WESTERN_ACTORS)]
    if len(not_western):
        raise ValueError(
            "systemic-pressure row(s) with an actor that is not the USA or its allies: "
            f"{dict(zip(not_western['id'], not_western['actor'], strict=True))}"
        )
    uncoded = sorted(set(rows["id"]) - set(EVENT_CODES) - set(SAME_ACT))
    if uncoded:
        raise ValueError(
            f"systemic-pressure event(s) {uncoded} have no code: add each to EVENT_CODES "
            "(or SAME_ACT) under a stated rule before it can move the index"
        )
    years = pd.to_numeric(rows["year"], errors="coerce")
    bad = rows.loc[~years.between(FIRST_YEAR, LAST_YEAR)]
    if len(bad):
        raise ValueError(
            f"event(s) {list(bad['id'])} have year(s) {list(bad['year'])} "
            f"out of range {FIRST_YEAR}–{LAST_YEAR}"
        )
    rows["year"] = years.astype(int)
    rows["type"] = rows["id"].map(EVENT_CODES).fillna(rows["id"].map(SAME_ACT).map(EVENT_CODES))
    reason = pd.Series("", index=rows.index, dtype=object)
    reason[rows["id"].isin(SAME_ACT)] = "same act as " + rows["id"].map(SAME_ACT).fillna("")
    weak = (rows["confidence"] == "weak") & (reason == "")
    if not include_weak:
        reason[weak] = "weak source"
    rows["counted"] = reason == ""
    rows["reason"] = reason
    cols = ["id", "year", "actor", "confidence", "type", "counted", "reason"]
    extra = [c for c in ("event", "date", "source_url") if c in rows.columns]
    return rows.loc[:, cols + extra].sort_values(["year", "id"]).reset_index(drop=True)


def coverage(events: pd.DataFrame) -> tuple[int, int]:
    """First and last year of a systemic-pressure row in ``events`` (what the index can see)."""
    sheet = code_events(events, include_weak=True)
    if sheet.empty:
        raise ValueError("events table has no 'systemic pressure' rows")
    return int(sheet["year"].min()), int(sheet["year"].max())


def rules_table(weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The coding rules as a table to print: type, rule, weight, and the events coded with it."""
    w = _check_weights(weights)
    by_type: dict[str, list[str]] = {r.type: [] for r in CODING_RULES}
    for event_id, t in EVENT_CODES.items():
        by_type[t].append(event_id)
    return pd.DataFrame(
        {
            "event type": [r.label for r in CODING_RULES],
            "rule": [r.rule for r in CODING_RULES],
            "weight": [w[r.type] for r in CODING_RULES],
            "events coded": [", ".join(by_type[r.type]) for r in CODING_RULES],
        }
    )


# --------------------------------------------------------------------------- the index


def _raw(
    years: np.ndarray, ev_years: np.ndarray, ev_weights: np.ndarray, half_life: float
) -> np.ndarray:
    """Sum over events of w * 2^(-(t - y) / h) for t >= y (0 before the event)."""
    lag = years[:, None] - ev_years[None, :]
    if math.isinf(half_life):
        decay = np.where(lag >= 0, 1.0, 0.0)
    else:
        decay = np.where(lag >= 0, np.exp2(-np.maximum(lag, 0) / half_life), 0.0)
    return decay @ ev_weights


def pressure_index(
    events: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    *,
    start: int = FIRST_YEAR,
    end: int = LAST_YEAR,
    half_life: float = DEFAULT_HALF_LIFE,
    include_weak: bool = False,
) -> pd.DataFrame:
    """Yearly pressure index in [0, 1], coded from US/Western actions by the rules above.

    ``weights`` overrides :data:`DEFAULT_WEIGHTS` key by key (unknown keys, negative, NaN or
    infinite weights raise ``ValueError``). Events before ``start`` still count, faded, in
    the window; events after ``end`` do not. Returns one row per year ``start..end`` with
    columns ``year`` (int), ``value`` (the index, max 1), ``raw`` (the weighted, decayed sum
    before normalisation) and ``events`` (ids counted in that year, ``"; "``-joined).
    Raises ``ValueError`` if no counted event carries weight in the window.
    """
    start, end = _check_window(start, end)
    h = _check_half_life(half_life)
    w = _check_weights(weights)
    sheet = code_events(events, include_weak=include_weak)
    counted = sheet.loc[sheet["counted"] & (sheet["year"] <= end)]
    years = np.arange(start, end + 1)
    raw = _raw(
        years,
        counted["year"].to_numpy(dtype=float),
        counted["type"].map(w).to_numpy(dtype=float),
        h,
    )
    peak = raw.max() if len(raw) else 0.0
    if not peak > 0:
        raise ValueError(
            f"no counted event carries weight in {start}–{end} (weights {w}): "
            "the index is undefined when every coded action weighs zero"
        )
    return _index_frame(years, raw, peak, counted, "events")


def _index_frame(
    years: np.ndarray, raw: np.ndarray, peak: float, counted: pd.DataFrame, label: str
) -> pd.DataFrame:
    """year, value (raw / peak), raw, and the ids counted each year in column ``label``."""
    ids = counted.groupby("year")["id"].agg("; ".join)
    return pd.DataFrame(
        {
            "year": years.astype(int),
            "value": raw / peak,
            "raw": raw,
            label: [ids.get(y, "") for y in years],
        }
    )


def pressure_grid(
    events: pd.DataFrame,
    *,
    half_lives: Sequence[float] = (DEFAULT_HALF_LIFE,),
    weights: Mapping[str, Sequence[float]] | None = None,
    include_weak: Iterable[bool] = (False,),
    start: int = FIRST_YEAR,
    end: int = LAST_YEAR,
) -> pd.DataFrame:
    """The index over every combination of settings, long format (for kernel-free sliders).

    ``weights`` maps event types to sequences of weights to try (other types keep their
    defaults). Returns columns ``year, value`` plus one column per varied weight (named by
    its type), ``half_life`` and ``include_weak``. Settings where every weight is zero are
    skipped (the index is undefined there).
    """
    grid = {k: list(v) for k, v in (weights or {}).items()}
    _check_weights({k: v[0] for k, v in grid.items() if len(v)})  # names first, clear message
    for key, values in grid.items():
        if not values:
            raise ValueError(f"weights[{key!r}] is empty: give at least one weight to try")
        for v in values:
            _check_weights({key: v})
    half_lives = list(half_lives)
    if not half_lives:
        raise ValueError("half_lives is empty: give at least one half-life")
    for h in half_lives:
        _check_half_life(h)
    weak_options = list(include_weak)
    if not weak_options:
        raise ValueError("include_weak is empty: give True, False or both")
    keys = list(grid)
    frames = []
    for combo in itertools.product(*(grid[k] for k in keys), half_lives, weak_options):
        *ws, h, weak = combo
        setting = dict(zip(keys, ws, strict=True))
        try:
            df = pressure_index(
                events, setting, start=start, end=end, half_life=h, include_weak=bool(weak)
            )
        except ValueError as err:
            if "undefined" in str(err):
                continue
            raise
        df = df.loc[:, ["year", "value"]]
        for k, v in setting.items():
            df[k] = float(v)
        df["half_life"] = float(h)
        df["include_weak"] = bool(weak)
        frames.append(df)
    if not frames:
        raise ValueError("every setting in the grid leaves the index undefined (all weights 0)")
    return pd.concat(frames, ignore_index=True)


def to_scenario(index: pd.DataFrame, value: str = "value"):
    """The index as a :class:`reluctant_allies.models.Scenario`, ready for ``models.simulate``."""
    from .models import from_series

    return from_series(index, value)


# =========================================================================== second edition
#
# The pressure record: ``data/pressure_actions.csv`` (resource ``pressure_actions``), 84
# researched and first-edition acts, 1996–2025, each with a code, target, actor, same-act link,
# reactive flag, source tier and confidence. The codes (rule and weight) and the general rules
# are kept as data in the resource itself (its ``codes`` and ``rules`` lists), so a chapter
# prints them from the package. Everything above this line is the first edition, which
# chapters 7–12 still use until their re-test; nothing here changes what it computes.

#: The resource holding the record.
RECORD = "pressure_actions"

#: The three indices: name -> targets of the rows it reads.
INDEX_TARGETS: dict[str, frozenset[str]] = {
    "China": frozenset({"China", "both"}),
    "Russia": frozenset({"Russia", "both"}),
    "combined": frozenset({"China", "Russia", "both"}),
}
#: Legend labels of the three indices.
INDEX_LABELS = {
    "China": "China-directed",
    "Russia": "Russia-directed",
    "combined": "combined",
}

#: Sensitivity variants: name -> keyword arguments of :func:`record_index`.
VARIANTS: dict[str, dict] = {
    "Default: half-life 3 years, weak rows out": {},
    "Reactive acts out": {"include_reactive": False},
    "Weak rows in": {"include_weak": True},
    "Half-life 1 year": {"half_life": 1.0},
    "No fading: half-life infinite": {"half_life": math.inf},
}

RECORD_COLUMNS = (
    "id",
    "date",
    "date_precision",
    "year",
    "pressure_code",
    "target",
    "actor",
    "same_act_as",
    "reactive",
    "source_tier",
    "confidence",
)


@dataclass(frozen=True)
class Code:
    """One pressure code of the record: its label, one-line rule and default weight."""

    name: str
    label: str
    rule: str
    weight: float


def record_codes(resource: Mapping | None = None) -> tuple[Code, ...]:
    """The codes kept as data in the ``pressure_actions`` resource (its ``codes`` list)."""
    res = _record_resource(resource)
    out = []
    for entry in res.get("codes", []):
        weight = entry.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real) or weight < 0:
            raise ValueError(f"code {entry.get('name')!r}: weight must be a number >= 0")
        out.append(Code(entry["name"], entry["label"], entry["rule"], float(weight)))
    if not out:
        raise ValueError(f"resource {RECORD!r} lists no codes")
    return tuple(out)


def record_rules(resource: Mapping | None = None) -> pd.DataFrame:
    """The general rules of the record (who counts, target, unit of count, …) as a table."""
    res = _record_resource(resource)
    return pd.DataFrame(
        [(r["name"], r["label"], r["rule"]) for r in res.get("rules", [])],
        columns=["name", "rule", "text"],
    )


def _record_resource(resource: Mapping | None) -> Mapping:
    if resource is not None:
        return resource
    from . import data

    return data.resource(RECORD)


def _enum(resource: Mapping, field: str) -> list[str]:
    for f in resource["schema"]["fields"]:
        if f["name"] == field:
            return list(f.get("constraints", {}).get("enum", []))
    raise ValueError(f"resource {RECORD!r} has no field {field!r}")


# --------------------------------------------------------------------------- checks


def _row_lines(path) -> list[int] | None:
    """1-based starting line of each data row of the CSV at ``path`` (header is line 1)."""
    import csv
    import io
    from pathlib import Path

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)
    lines, line = [], reader.line_num
    for _ in reader:
        lines.append(line + 1)
        line = reader.line_num
    return lines


def _cell_problem(rec: dict, codes: set[str], enums: dict[str, set]) -> tuple[str, str] | None:
    """The first rule one row breaks on its own, as (column, message); None if none."""
    if rec["pressure_code"] not in codes:
        return (
            "pressure_code",
            f"unknown pressure code {rec['pressure_code']!r}: "
            f"the resource's codes are {sorted(codes)}",
        )
    for field, allowed in enums.items():
        if rec[field] not in allowed:
            return field, f"unknown {field} {rec[field]!r}: allowed are {sorted(allowed)}"
    date = pd.Timestamp(rec["date"])
    if int(rec["year"]) != date.year:
        return "year", f"year {rec['year']} is not the year of date {date.date()}"
    if rec["date_precision"] == "month" and date.day != 1:
        return "date", f"month-precision date {date.date()} must be on the 1st"
    if rec["date_precision"] == "year" and (date.month, date.day) != (1, 1):
        return "date", f"year-precision date {date.date()} must be on 1 January"
    if rec["source_tier"] == "C" and rec["confidence"] != "weak":
        return (
            "confidence",
            f"row {rec['id']!r} has a tier-C source but confidence "
            f"{rec['confidence']!r}: a C-tier row must be marked 'weak'",
        )
    return None


def _link_problem(
    rec: dict, actions: pd.DataFrame, position: dict[str, int]
) -> tuple[str, str] | None:
    """What is wrong with the row's ``same_act_as`` link, as (column, message); None if
    it has no link or the link points to an earlier first stage."""
    root = rec["same_act_as"]
    if root is None or pd.isna(root) or root == "":
        return None
    if root == rec["id"]:
        return "same_act_as", f"row {rec['id']!r} points to itself"
    if root not in position:
        return "same_act_as", f"same_act_as {root!r} is not the id of any row"
    first = actions.iloc[position[root]]
    if pd.Timestamp(first["date"]) > pd.Timestamp(rec["date"]):
        return "same_act_as", f"first stage {root!r} is dated after this row"
    if not pd.isna(first["same_act_as"]) and first["same_act_as"] != "":
        return (
            "same_act_as",
            f"{root!r} is itself a later stage of "
            f"{first['same_act_as']!r}: point to the first stage",
        )
    return None


def check_record(
    actions: pd.DataFrame, resource: Mapping | None = None, *, path=None
) -> pd.DataFrame:
    """Check the record's rows against each other and the rules; return it unchanged.

    The loader already checks each cell against the schema (an unknown code, actor, target
    or tier is refused there, with file, line and column). This adds what a cell check
    cannot see: a code with no rule in the resource's ``codes``; ``same_act_as`` pointing to
    a missing row, to itself, to a later row or to a row that is itself a later stage; a
    tier-C row not marked weak; a year that is not the date's year; a month-precision date
    not on the 1st. Raises :class:`reluctant_allies.data.DataError` naming the file, the
    1-based line and the column.
    """
    from . import data

    res = _record_resource(resource)
    if not isinstance(actions, pd.DataFrame):
        raise TypeError(f"actions must be a pandas DataFrame, got {type(actions).__name__}")
    if path is None:
        path = data.data_dir() / res.get("path", f"{RECORD}.csv")
    missing = [c for c in RECORD_COLUMNS if c not in actions.columns]
    if missing:
        raise data.DataError(path, f"the record lacks column(s) {missing}", line=1)
    lines = _row_lines(path)
    if lines is None or len(lines) != len(actions):
        lines = [i + 2 for i in range(len(actions))]  # a frame not read from ``path``

    codes = {c.name for c in record_codes(res)}
    enums = {f: set(_enum(res, f)) for f in ("actor", "target", "source_tier")}
    ids = actions["id"].astype(str).tolist()
    position = {i: n for n, i in enumerate(ids)}
    for n, row in enumerate(actions.itertuples(index=False)):
        rec = row._asdict()
        problem = _cell_problem(rec, codes, enums) or _link_problem(rec, actions, position)
        if problem:
            column, message = problem
            raise data.DataError(path, message, line=lines[n], column=column)
    return actions


def load_record() -> pd.DataFrame:
    """The pressure record, validated by the loader (cells) and :func:`check_record` (rows)."""
    from . import data

    frame = data.load(RECORD)
    return check_record(
        frame, data.resource(RECORD), path=data.data_dir() / data.resource(RECORD)["path"]
    )


# --------------------------------------------------------------------------- coding and indices


def _check_index(index: str) -> frozenset[str]:
    if index not in INDEX_TARGETS:
        raise ValueError(f"unknown index {index!r}; the indices are {sorted(INDEX_TARGETS)}")
    return INDEX_TARGETS[index]


def record_weights(
    weights: Mapping[str, float] | None = None, resource: Mapping | None = None
) -> dict[str, float]:
    """Code weights from the resource's ``codes``, overridden key by key by ``weights``."""
    base = {c.name: c.weight for c in record_codes(resource)}
    if weights is None:
        return base
    if not isinstance(weights, Mapping):
        raise ValueError(f"weights must be a mapping of code to weight, got {weights!r}")
    unknown = sorted(set(weights) - set(base))
    if unknown:
        raise ValueError(f"unknown weight key(s) {unknown}; pressure codes are {sorted(base)}")
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"weight {key!r} must be a number, got {value!r}")
        if not math.isfinite(float(value)) or value < 0:
            raise ValueError(f"weight {key!r} must be finite and >= 0, got {value!r}")
        base[key] = float(value)
    return base


def count_acts(
    actions: pd.DataFrame,
    *,
    index: str = "combined",
    include_weak: bool = False,
    include_reactive: bool = True,
) -> pd.DataFrame:
    """The coding sheet of one index: every row, whether it counts, and why not.

    Rules applied in order (the record's 'granularity' rule): a row aimed at another target
    is not read; a later stage (``same_act_as``) never counts; a weak row counts only with
    ``include_weak``; a reactive act counts only with ``include_reactive``; of the rest, only
    the earliest act per actor, code and year counts. Columns: ``id, date, year, actor,
    pressure_code, target, reactive, confidence, counted, reason``.
    """
    targets = _check_index(index)
    missing = [c for c in RECORD_COLUMNS if c not in actions.columns]
    if missing:
        raise ValueError(f"the record lacks column(s) {missing}")
    sheet = actions.loc[:, list(RECORD_COLUMNS)].copy()
    sheet["year"] = sheet["year"].astype(int)
    sheet = sheet.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    reason = pd.Series("", index=sheet.index, dtype=object)
    root = sheet["same_act_as"].astype(object).where(sheet["same_act_as"].notna(), "")
    reason[~sheet["target"].isin(targets)] = f"not aimed at {index}"
    free = reason == ""
    reason[free & (root != "")] = "same act as " + root[free & (root != "")]
    if not include_weak:
        reason[(reason == "") & (sheet["confidence"] == "weak")] = "weak source"
    if not include_reactive:
        reason[(reason == "") & sheet["reactive"].astype(bool)] = "reactive act"
    live = sheet.loc[reason == ""]
    first = live.groupby(["actor", "pressure_code", "year"])["id"].transform("first")
    dup = first != live["id"]
    reason[dup[dup].index] = "same actor, code and year as " + first[dup]
    sheet["counted"] = reason == ""
    sheet["reason"] = reason
    return sheet


def record_index(
    actions: pd.DataFrame,
    *,
    index: str = "combined",
    weights: Mapping[str, float] | None = None,
    half_life: float = DEFAULT_HALF_LIFE,
    include_weak: bool = False,
    include_reactive: bool = True,
    start: int = FIRST_YEAR,
    end: int = LAST_YEAR,
    resource: Mapping | None = None,
) -> pd.DataFrame:
    """One index of the second edition, every year ``start..end`` (1991–2025 by default).

    Returns ``year, value, raw, acts``: ``raw`` is the weighted, decayed sum of the counted
    acts; ``value`` is ``raw`` divided by the peak of the *combined* index under the same
    settings, so the China-, Russia-directed and combined indices share one scale (the
    combined index peaks at 1). ``acts`` lists the ids counted that year.
    """
    start, end = _check_window(start, end)
    h = _check_half_life(half_life)
    w = record_weights(weights, resource)
    years = np.arange(start, end + 1)

    def raw_of(name: str) -> tuple[np.ndarray, pd.DataFrame]:
        sheet = count_acts(
            actions, index=name, include_weak=include_weak, include_reactive=include_reactive
        )
        counted = sheet.loc[sheet["counted"] & (sheet["year"] <= end)]
        values = _raw(
            years,
            counted["year"].to_numpy(dtype=float),
            counted["pressure_code"].map(w).to_numpy(dtype=float),
            h,
        )
        return values, counted

    raw, counted = raw_of(index)
    combined = raw if index == "combined" else raw_of("combined")[0]
    peak = combined.max() if len(combined) else 0.0
    if not peak > 0:
        raise ValueError(
            f"no counted act carries weight in {start}–{end}: the index is undefined there"
        )
    return _index_frame(years, raw, peak, counted, "acts")


def record_indices(actions: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """The three indices (China, Russia, combined), long: ``index, year, value, raw, acts``."""
    frames = [
        record_index(actions, index=name, **kwargs).assign(index=name) for name in INDEX_TARGETS
    ]
    out = pd.concat(frames, ignore_index=True)
    return out.loc[:, ["index", "year", "value", "raw", "acts"]]


def sensitivity(actions: pd.DataFrame, variants: Mapping[str, dict] | None = None) -> pd.DataFrame:
    """The three indices under each variant (default :data:`VARIANTS`), long.

    Columns ``variant, index, year, value``; each variant is scaled by its own combined peak.
    """
    variants = VARIANTS if variants is None else variants
    frames = []
    for name, kwargs in variants.items():
        df = record_indices(actions, **kwargs).assign(variant=name)
        frames.append(df.loc[:, ["variant", "index", "year", "value"]])
    return pd.concat(frames, ignore_index=True)


def coverage_density(
    actions: pd.DataFrame, *, start: int = FIRST_YEAR, end: int = LAST_YEAR
) -> pd.DataFrame:
    """Rows of the record per year and source tier, every year ``start..end`` (zeros kept).

    Columns ``year, source_tier, rows``. Density measures where sources were found, not how
    much pressure there was: recent years are easier to source.
    """
    start, end = _check_window(start, end)
    tiers = ["A", "B", "C"]
    counts = actions.groupby([actions["year"].astype(int), "source_tier"]).size()
    grid = pd.MultiIndex.from_product([range(start, end + 1), tiers], names=["year", "source_tier"])
    out = counts.reindex(grid, fill_value=0).rename("rows").reset_index()
    out["rows"] = out["rows"].astype(int)
    return out


def code_table(
    actions: pd.DataFrame | None = None, resource: Mapping | None = None
) -> pd.DataFrame:
    """The codes as a table to print: code, label, rule, weight and (with ``actions``) rows."""
    codes = record_codes(resource)
    table = pd.DataFrame(
        {
            "code": [c.name for c in codes],
            "label": [c.label for c in codes],
            "rule": [c.rule for c in codes],
            "weight": [c.weight for c in codes],
        }
    )
    if actions is not None:
        n = actions["pressure_code"].value_counts()
        table["rows"] = [int(n.get(c.name, 0)) for c in codes]
    return table
