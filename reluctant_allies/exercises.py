"""Counting China–Russia joint exercises and patrols (the ``exercises`` table, 2nd edition).

The table carries every documented activity, 2003–2025, with two flags that encode the
counting rules as data: ``counted`` (rules 1–9) and ``strict`` (rule 10). This module only
reads those flags and the ``kind`` column; it never decides by name. The rules were written
by the research (``shared/research/turn2/exercises.md`` §3) before anything was counted:

.. code-block:: python

    from reluctant_allies import data, exercises
    ex = data.load("exercises")
    exercises.yearly_counts(ex)              # year x kind, total, strict
    exercises.period_counts(ex, 2019, 2021)  # {"broad": 11, "strict": 11}

No Altair here: this is the analysis layer, charts only lay these numbers out.
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "COUNTING_RULES",
    "KINDS",
    "PATROL_KINDS",
    "is_patrol",
    "period_counts",
    "rules_table",
    "yearly_counts",
]

#: The ``kind`` values, in the order tables and charts show them.
KINDS = ("bilateral", "multilateral", "computer-assisted", "air patrol", "naval patrol")
#: Kinds that are patrols (the rest are exercises).
PATROL_KINDS = frozenset({"air patrol", "naval patrol"})

#: The counting rules, numbered as in the research note; printed by chapters and the data page.
COUNTING_RULES: tuple[tuple[str, str], ...] = (
    (
        "1 unit",
        "One row is one named or announced activity of the two armed forces in which Chinese "
        "and Russian forces or staffs both take part.",
    ),
    (
        "2 multilateral",
        "Multilateral events count only when both China and Russia sent participating forces. "
        "Not counted: events where one side only observed, US-led multinational exercises, "
        "security-service and law-enforcement drills, coast-guard patrols, emergency-ministry "
        "drills, military competitions.",
    ),
    (
        "3 stages",
        "A stage gets its own row when the ministries presented it as a separate edition or it "
        "took place months apart in another theatre (Joint Sea-2015 I and II, Joint Sea-2017 "
        "I and II); phases of one announced exercise are not split.",
    ),
    ("4 patrols", "A patrol that follows an exercise is its own row."),
    ("5 overlaps", "Overlapping events announced separately are separate rows."),
    (
        "6 kind",
        "bilateral: only China and Russia sent forces (observers ignored); multilateral: three "
        "or more states sent forces; computer-assisted: staff exercises without field forces; "
        "air patrol: the numbered strategic-bomber patrols; naval patrol: navy patrols, "
        "including the 2025 submarine patrol.",
    ),
    ("7 year", "The year is the year of the start date; no row crosses a year boundary."),
    (
        "8 dates",
        "Dates are the span the announcing ministry gave; where Chinese and Russian spans "
        "differ, the span of the joint activity, with the other in the note.",
    ),
    (
        "9 ordinals",
        "Official ordinals conflict (naval patrols, Security Belt, Joint Sea) and are not used "
        "for counting.",
    ),
    (
        "10 strict variant",
        "Drops the two small drills between anti-piracy task forces (2009, 2022), counts "
        "Joint Sea-2017 once and drops the submarine patrol only Russia reported; it "
        "reproduces the official tallies.",
    ),
)


def rules_table() -> pd.DataFrame:
    """The counting rules as a two-column frame (``rule``, ``text``), for printing."""
    return pd.DataFrame(COUNTING_RULES, columns=["rule", "text"])


def _check(ex: pd.DataFrame, who: str) -> pd.DataFrame:
    need = ("id", "kind", "year", "counted", "strict")
    missing = [c for c in need if c not in ex.columns]
    if missing:
        raise ValueError(f"{who}: table 'exercises' lacks column(s) {missing}")
    bad = sorted(set(ex["kind"].dropna()) - set(KINDS))
    if bad:
        raise ValueError(f"{who}: unknown kind value(s) {bad}; allowed: {list(KINDS)}")
    for col in ("counted", "strict", "year", "kind"):
        if ex[col].isna().any():
            row = ex.loc[ex[col].isna(), "id"].iloc[0]
            raise ValueError(f"{who}: column {col!r} is empty for row {row!r}")
    wrong = ex.loc[ex["strict"].astype(bool) & ~ex["counted"].astype(bool), "id"].tolist()
    if wrong:
        raise ValueError(f"{who}: row(s) {wrong} are strict but not counted")
    return ex


def is_patrol(kind: pd.Series) -> pd.Series:
    """True where ``kind`` is a patrol (air or naval), False for exercises."""
    return kind.isin(PATROL_KINDS)


def yearly_counts(
    ex: pd.DataFrame, start: int | None = None, end: int | None = None
) -> pd.DataFrame:
    """Counted rows per year and kind, with ``total`` and ``strict`` columns.

    Every year from ``start`` (default: the first year in the table) to ``end`` (default:
    the last) is a row, so a year with no counted activity shows 0, not a gap.
    """
    ex = _check(ex, "yearly_counts")
    counted = ex[ex["counted"].astype(bool)]
    years = ex["year"].astype(int)
    lo = int(years.min()) if start is None else int(start)
    hi = int(years.max()) if end is None else int(end)
    if lo > hi:
        raise ValueError(f"yearly_counts: start {lo} is after end {hi}")
    index = pd.RangeIndex(lo, hi + 1, name="year")
    table = (
        pd.crosstab(counted["year"].astype(int), counted["kind"])
        .reindex(index=index, columns=list(KINDS), fill_value=0)
        .astype(int)
    )
    table.columns.name = None
    table["total"] = table[list(KINDS)].sum(axis=1)
    strict = counted[counted["strict"].astype(bool)]["year"].astype(int).value_counts()
    table["strict"] = strict.reindex(index, fill_value=0).astype(int)
    return table


def period_counts(ex: pd.DataFrame, first: int, last: int) -> dict[str, int]:
    """Broad and strict counts of counted rows with ``first <= year <= last``."""
    ex = _check(ex, "period_counts")
    counted = ex[ex["counted"].astype(bool)]
    in_period = counted["year"].astype(int).between(first, last)
    return {
        "broad": int(in_period.sum()),
        "strict": int((in_period & counted["strict"].astype(bool)).sum()),
    }
