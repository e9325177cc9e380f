"""Verdicts: the one place where the book's stated rules meet the record.

Two kinds of verdict, one module:

* :func:`falsifier_status` (chapter 12) applies :class:`FalsifierRules`, the trigger levels
  fixed before the post-2018 years were looked at, to the treaty, UN-vote, trade and
  exercise records;
* :func:`scorecard` (chapter 11) reads the book's predictions (:data:`PREDICTIONS`) against
  the events, exercises and the observed proxies.

Both return tables of plain values; the charts and the claims map only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import exercises as exercise_rules
from .. import pressure as pressure_rules
from .._checks import require_columns
from .evaluation import HURDLE_MEASURES, hurdle_measures

__all__ = [
    "DENIALS",
    "DYAD",
    "PREDICTIONS",
    "FalsifierRules",
    "exercise_rows",
    "falsifier_status",
    "reported_turnover",
    "scorecard",
    "scorecard_evidence",
    "treaty_rows",
    "unga_agreement",
]

#: The dyad of the ATOP and UN-vote tables the rules read.
DYAD = "China–Russia"

#: The book's reading of the article as predictions (domain.md §1.8, [INFERENCE]), with
#: the events-table rows that bear on each. Verdicts are computed by :func:`scorecard`.
PREDICTIONS: dict[str, tuple[str, ...]] = {
    "No formal alliance": (
        "treaty-extension",
        "no-limits",
        "not-an-alliance-2023",
        "russia-dprk-treaty",
        "xi-non-alignment",
        "xi-moscow-2025",
    ),
    "Cooperation up after 2022": (
        "reciprocal-landings",
        "joint-air-patrol-2023",
        "alaska-bomber-patrol",
        "unga-es-11-1",
    ),
    "Hurdles wear down: opinion": ("vladivostok-backlash",),
    "Hurdles wear down: economic asymmetry": (
        "power-of-siberia-deliveries",
        "power-of-siberia-2-memo",
    ),
}
#: The events rows in which the two sides deny, in writing, that they are allies.
DENIALS: tuple[str, ...] = ("not-an-alliance-2023", "xi-non-alignment")
#: The proxies the scorecard reads besides the economic-hurdle measures.
SCORECARD_PROXIES: tuple[str, ...] = ("unga_agreement", "ideal_point_gap", "vciom_not_friendly")


@dataclass(frozen=True)
class FalsifierRules:
    """The book's stated trigger levels (chapter 12, Reconstruction box).

    * ``unga_floor``: rupture sign if China–Russia UNGA agreement falls below this level
      in ``unga_sessions`` consecutive sessions (every session since 2000 is above 0.67);
    * ``trade_drop``: rupture sign if reported turnover falls by more than this share
      below its running record;
    * ``quiet_years``: rupture sign if no joint exercise or patrol is documented in this
      many consecutive calendar years.

    Every rule looks only at years from ``since`` (default 2019, after the article
    appeared): the account was built on the earlier record, so only later years test it.
    """

    unga_floor: float = 0.6
    unga_sessions: int = 2
    trade_drop: float = 1 / 3
    quiet_years: int = 2
    since: int = 2019

    def __post_init__(self) -> None:
        if not 0 < self.unga_floor < 1:
            raise ValueError(f"FalsifierRules: unga_floor must be in (0, 1), got {self.unga_floor}")
        if not 0 < self.trade_drop < 1:
            raise ValueError(f"FalsifierRules: trade_drop must be in (0, 1), got {self.trade_drop}")
        if not isinstance(self.since, int) or isinstance(self.since, bool):
            raise ValueError(f"FalsifierRules: since must be an integer year, got {self.since!r}")
        for name in ("unga_sessions", "quiet_years"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise ValueError(f"FalsifierRules: {name} must be a positive integer, got {v!r}")


def treaty_rows(alliances: pd.DataFrame, who: str) -> pd.DataFrame:
    require_columns(
        alliances, ("year", "dyad", "source", "defense", "consultation"), who, nonempty=True
    )
    df = alliances[(alliances["dyad"] == DYAD) & (alliances["source"] == "atop_5_1")]
    if df.empty:
        raise ValueError(f"{who}: no ATOP ('atop_5_1') rows for the {DYAD} dyad")
    return df


def unga_agreement(unga: pd.DataFrame, who: str) -> pd.DataFrame:
    require_columns(unga, ("year", "measure", "subject", "value", "session"), who, nonempty=True)
    df = unga[(unga["measure"] == "agreement") & (unga["subject"] == DYAD)]
    if df.empty:
        raise ValueError(f"{who}: no 'agreement' rows for subject {DYAD!r}")
    bad = df[(df["value"] < 0) | (df["value"] > 1) | df["value"].isna()]
    if len(bad):
        raise ValueError(
            f"{who}: value must be an agreement share in [0, 1] "
            f"(session {bad['session'].iloc[0]}: {bad['value'].iloc[0]})"
        )
    return df.sort_values("year", kind="stable")  # rows of one year keep their table order


def reported_turnover(trade: pd.DataFrame, who: str) -> pd.DataFrame:
    require_columns(
        trade,
        ("year", "flow", "value_usd_bn", "reporter", "confidence", "source_url"),
        who,
        nonempty=True,
    )
    df = trade[trade["flow"] == "turnover"].copy()
    if df.empty:
        raise ValueError(f"{who}: no rows with flow 'turnover'")
    if (df["value_usd_bn"] <= 0).any() or df["value_usd_bn"].isna().any():
        raise ValueError(f"{who}: value_usd_bn must be a positive number for every turnover row")
    gacc = df["reporter"].str.contains("GACC", regex=False) & (df["confidence"] == "sourced")
    if not gacc.any():
        # the trade rule's record is China customs' own series; without it there is none
        raise ValueError(f"{who}: no sourced China customs (GACC) turnover row")
    return df.sort_values("year", kind="stable")  # rows of one year keep their table order


def exercise_rows(exercises: pd.DataFrame, who: str) -> pd.DataFrame:
    require_columns(
        exercises,
        ("id", "name", "kind", "start", "year", "confidence", "source_url"),
        who,
        nonempty=True,
    )
    bad = sorted(set(exercises["kind"].dropna()) - set(exercise_rules.KINDS))
    if bad:
        raise ValueError(f"{who}: unknown kind value(s) {bad}")
    out = exercises
    if "counted" in out:  # only rows counted under the table's rules
        out = out[out["counted"].astype(bool)]
    out = out.copy()
    out["kind"] = np.where(exercise_rules.is_patrol(out["kind"]), "patrol", "exercise")
    return out


def _longest_quiet_run(active: set[int], start: int, end: int) -> int:
    """Longest run of consecutive years in ``start..end`` that are not in ``active``."""
    longest = cur = 0
    for y in range(start, end + 1):
        cur = 0 if y in active else cur + 1
        longest = max(longest, cur)
    return longest


def falsifier_status(
    alliances: pd.DataFrame,
    unga: pd.DataFrame,
    exercises: pd.DataFrame,
    trade_reported: pd.DataFrame,
    rules: FalsifierRules | None = None,
    *,
    actions: pd.DataFrame | None = None,
    themed_years: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per falsifier indicator: the rule, the latest value in ``data/`` and whether
    the rule is triggered. "Not triggered" only ever means "not in the years the data cover".

    The exercise rule reads the complete table by kind: the longest quiet run on the broad
    and the strict counting rules and for exercises alone (patrols left out); it is
    triggered if the *strict* count (the smaller one) has such a run. With ``actions``
    (the pressure record) and ``themed_years``, a drift row applies rule (c)'s policy half:
    triggered if, while the combined pressure index is higher than in ``since - 1``, no
    themed year runs in ``quiet_years`` calendar years running."""
    rules = rules or FalsifierRules()
    atop = treaty_rows(alliances, "falsifier_status")
    ag = unga_agreement(unga, "falsifier_status")
    ex = exercise_rows(exercises, "falsifier_status")
    exercise_rules.period_counts(exercises, rules.since, rules.since)  # checks the flags
    tr = reported_turnover(trade_reported, "falsifier_status")
    rows = [
        _treaty_row(atop),
        _unga_row(ag, rules),
        _exercise_row(ex, rules),
        _trade_row(tr, rules),
    ]
    if actions is not None and themed_years is not None:
        rows.append(_policy_drift(actions, themed_years, rules))
    elif (actions is None) != (themed_years is None):
        raise ValueError("falsifier_status: pass both actions and themed_years, or neither")
    return pd.DataFrame(rows)


def _treaty_row(atop: pd.DataFrame) -> dict:
    """Rule (a): an ATOP defence obligation in any year since 1992."""
    post = atop[atop["year"] >= 1992]
    defence_years = post.loc[post["defense"] == 1, "year"].tolist()
    return {
        "falsifier": "(a) treaty",
        "indicator": "ATOP defence obligation, China–Russia",
        "rule": "coded 1 in any year (a mutual-defence clause)",
        "latest": f"0 in every year {int(post['year'].min())}–{int(post['year'].max())}",
        "covers to": int(post["year"].max()),
        "triggered": "yes" if defence_years else "no",
    }


def _unga_row(ag: pd.DataFrame, rules: FalsifierRules) -> dict:
    """Rule (b), UNGA: agreement below the floor in ``unga_sessions`` sessions running."""
    ag_new = ag[ag["year"] >= rules.since]
    below = (ag_new["value"] < rules.unga_floor).astype(int)
    run = below.groupby((below != below.shift()).cumsum()).cumsum()  # 0 on sessions above
    last = ag.iloc[-1]
    return {
        "falsifier": "(b) rupture",
        "indicator": "UNGA vote agreement, China–Russia",
        "rule": f"below {rules.unga_floor:g} in {rules.unga_sessions} sessions running, "
        f"from {rules.since}",
        "latest": f"{last['value']:.2f} (session {int(last['session'])}, "
        f"opened {int(last['year'])})",
        "covers to": int(last["year"]),
        "triggered": "yes" if (run >= rules.unga_sessions).any() else "no",
    }


def _exercise_row(ex: pd.DataFrame, rules: FalsifierRules) -> dict:
    """Rule (b), exercises: the longest quiet run on each counting rule; the strict decides."""
    start = rules.since
    end = int(ex["year"].max())
    strict = ex[ex["strict"].astype(bool)] if "strict" in ex else ex
    runs = {
        "broad": _longest_quiet_run(set(ex["year"].astype(int)), start, end),
        "strict": _longest_quiet_run(set(strict["year"].astype(int)), start, end),
        "exercises alone": _longest_quiet_run(
            set(strict.loc[strict["kind"] == "exercise", "year"].astype(int)), start, end
        ),
    }
    return {
        "falsifier": "(b) rupture",
        "indicator": "joint exercises and patrols (counted rows, by kind)",
        "rule": f"none documented in {rules.quiet_years} calendar years running, from {start} "
        "(strict count)",
        "latest": f"longest run without one, {start}–{end}: "
        + ", ".join(f"{k} {v}" for k, v in runs.items())
        + " year(s)",
        "covers to": end,
        "triggered": "yes" if runs["strict"] >= rules.quiet_years else "no",
    }


def _trade_row(tr: pd.DataFrame, rules: FalsifierRules) -> dict:
    """Rule (b), trade: China customs' turnover more than ``trade_drop`` below its record."""
    gacc = tr[tr["reporter"].str.contains("GACC", regex=False) & (tr["confidence"] == "sourced")]
    g = gacc.drop_duplicates("year", keep="last")
    record = g["value_usd_bn"].cummax()
    drop = (1 - g["value_usd_bn"] / record)[g["year"] >= rules.since]
    lastg = g.iloc[-1]
    return {
        "falsifier": "(b) rupture",
        "indicator": "trade turnover reported by China customs (US$ bn)",
        "rule": f"more than {rules.trade_drop:.0%} below the running record, from {rules.since}",
        "latest": f"{lastg['value_usd_bn']:.1f} in {int(lastg['year'])} "
        f"(largest fall from a record since {rules.since}: {drop.max():.0%})",
        "covers to": int(lastg["year"]),
        "triggered": "yes" if (drop > rules.trade_drop).any() else "no",
    }


def _policy_drift(actions: pd.DataFrame, themed: pd.DataFrame, rules: FalsifierRules) -> dict:
    """Rule (c), policy half: themed years stop while the combined pressure index is up."""
    require_columns(themed, ("first_year", "last_year"), "falsifier_status", nonempty=True)
    S = pressure_rules.record_index(actions).set_index("year")["value"]
    base = rules.since - 1
    end = int(S.index.max())
    running = set()
    for r in themed.itertuples():
        running |= set(range(int(r.first_year), int(r.last_year) + 1))
    up = [y for y in range(rules.since, end + 1) if S.loc[y] > S.loc[base]]
    calm = set(range(rules.since, end + 1)) - set(up)  # years that cannot trigger the rule
    quiet = _longest_quiet_run(running | calm, rules.since, end)
    return {
        "falsifier": "(c) drift",
        "indicator": "themed years under the combined pressure index (the record)",
        "rule": f"no themed year in {rules.quiet_years} calendar years running while pressure "
        f"is above its {base} level, from {rules.since}",
        "latest": f"pressure {S.loc[base]:.2f} ({base}) → {S.loc[end]:.2f} ({end}), above the "
        f"{base} level in {len(up)} of {end - rules.since + 1} years; longest run without a "
        f"themed year in those years: {quiet}",
        "covers to": end,
        "triggered": "yes" if quiet >= rules.quiet_years else "no",
    }


def scorecard(
    events: pd.DataFrame, exercises: pd.DataFrame, observed: pd.DataFrame
) -> pd.DataFrame:
    """The article's implied predictions scored on 2019–2025 (the book's reading).

    Columns: prediction, verdict, what was measured (from ``observed`` proxies and the
    ``exercises`` table) and the dated ``events`` rows that bear on it. Verdicts follow
    stated rules: an alliance needs a China–Russia row whose event mentions a defence or
    alliance treaty being signed (none may exist); "up" compares counts or levels, and the
    military count must rise on the broad *and* the strict rules; the economic hurdle
    "wears down" only if every measure in ``observed`` eased
    (:func:`evaluation.hurdle_measures`), "no" if none did, else "mixed".
    """
    _check_scorecard_inputs(events, exercises, observed)
    o = observed.set_index("year")
    military = _military_counts(exercises)
    alliance = _alliance_row(events)
    economic = _economic_row(observed)
    rows = {
        "No formal alliance": alliance,
        "Cooperation up after 2022": _cooperation_row(military, o),
        "Hurdles wear down: opinion": _opinion_row(o),
        "Hurdles wear down: economic asymmetry": economic,
    }
    out = [
        {"prediction (book's reading)": name, "verdict": rows[name][0], "measured": rows[name][1]}
        for name in PREDICTIONS
    ]
    return pd.DataFrame(out).set_index("prediction (book's reading)")


def _check_scorecard_inputs(
    events: pd.DataFrame, exercises: pd.DataFrame, observed: pd.DataFrame
) -> None:
    """Raise naming the table and column (or event row) the scorecard needs and lacks."""
    require_columns(
        events, ("id", "date", "event", "category", "actor"), "scorecard", what="table 'events'"
    )
    require_columns(
        exercises,
        ("id", "kind", "year", "counted", "strict"),
        "scorecard",
        what="table 'exercises'",
    )
    require_columns(observed, ("year", *SCORECARD_PROXIES), "scorecard", what="table 'observed'")
    wanted = {e for ids in PREDICTIONS.values() for e in ids} | set(DENIALS)
    missing = sorted(wanted - set(events["id"]))
    if missing:
        raise ValueError(f"scorecard: events table lacks row(s) {missing}")


def _observed_at(o: pd.DataFrame, col: str, year: int) -> float:
    """``observed`` (indexed by year) at ``col`` and ``year``; raises if not observed."""
    if year not in o.index or pd.isna(o.loc[year, col]):
        raise ValueError(f"scorecard: {col} is not observed in {year}")
    return float(o.loc[year, col])


def _military_counts(exercises: pd.DataFrame) -> dict:
    """Exercise counts for 2019–21 and 2022–24: broad, strict, and by kind."""
    early = exercise_rules.period_counts(exercises, 2019, 2021)
    late = exercise_rules.period_counts(exercises, 2022, 2024)
    by_year = exercise_rules.yearly_counts(exercises, 2019, 2024)
    patrol = [k for k in exercise_rules.KINDS if k in exercise_rules.PATROL_KINDS]
    drill = [k for k in exercise_rules.KINDS if k not in exercise_rules.PATROL_KINDS]

    def kind_sum(kinds, first, last):
        return int(by_year.loc[first:last, kinds].to_numpy().sum())

    kinds = (
        f"exercises {kind_sum(drill, 2019, 2021)} → {kind_sum(drill, 2022, 2024)}, "
        f"patrols {kind_sum(patrol, 2019, 2021)} → {kind_sum(patrol, 2022, 2024)}"
    )
    return {"early": early, "late": late, "kinds": kinds}


def _alliance_row(events: pd.DataFrame) -> tuple[str, str]:
    """No formal alliance: no China–Russia row signs a defence or alliance treaty."""
    ev = events.set_index("id")
    denial_years = sorted({pd.Timestamp(ev.loc[d, "date"]).year for d in DENIALS})
    sino = events.loc[events["actor"] == "China–Russia", "event"].str.lower()
    treaty = sino.str.contains("defence pact|alliance treaty|mutual defence") & ~sino.str.contains(
        "not upgraded|not a "
    )
    return (
        "no" if treaty.any() else "yes, to 2025",
        "no China–Russia defence treaty in the events table; written denials "
        "of an alliance in " + " and ".join(str(y) for y in denial_years),
    )


def _cooperation_row(military: dict, o: pd.DataFrame) -> tuple[str, str]:
    """Cooperation up after 2022: military counts (both rules), UNGA agreement, ideal points."""
    early, late = military["early"], military["late"]
    before, after = early["broad"], late["broad"]
    strict_up = late["strict"] > early["strict"]
    agree = (_observed_at(o, "unga_agreement", 2021), _observed_at(o, "unga_agreement", 2023))
    gap = (_observed_at(o, "ideal_point_gap", 2021), _observed_at(o, "ideal_point_gap", 2024))
    return (
        ("yes" if after > before and strict_up else "no")
        + " (military); "
        + ("no" if agree[1] < agree[0] else "yes")
        + " (UNGA agreement); "
        + ("yes" if gap[1] < gap[0] else "no")
        + " (ideal points)",
        f"joint exercises and patrols counted: {before} in 2019–21, {after} in 2022–24 "
        f"(strict rules: {early['strict']} and {late['strict']}; by kind: {military['kinds']}); "
        f"UNGA agreement {agree[0]:.2f} (2021) → {agree[1]:.2f} (2023); "
        f"ideal-point gap {gap[0]:.2f} (2021) → {gap[1]:.2f} (2024)",
    )


def _opinion_row(o: pd.DataFrame) -> tuple[str, str]:
    """Opinion wears down: VTsIOM's 'friendly' share higher in 2024 than in 2014."""
    friendly = {y: 100 - _observed_at(o, "vciom_not_friendly", y) for y in (2014, 2022, 2023, 2024)}
    return (
        "yes" if friendly[2024] > friendly[2014] else "no",
        "VTsIOM 'friendly': " + ", ".join(f"{v:.0f}% ({y})" for y, v in friendly.items()),
    )


def _economic_row(observed: pd.DataFrame) -> tuple[str, str]:
    """Economic asymmetry wears down: "yes" if every hurdle measure eased, "no" if none."""
    hurdle = hurdle_measures(observed.loc[:, ["year", *_hurdle_columns(observed)]])
    eased = hurdle["verdict"].eq("eased")
    econ = "yes" if eased.all() else ("no" if not eased.any() else "mixed")
    return (
        econ,
        "; ".join(
            f"{m} {r['value then']:.1f} ({r['from']}) → {r['value now']:.1f} "
            f"({r['to']}): {r['verdict']}"
            for m, r in hurdle.iterrows()
        ),
    )


def _hurdle_columns(observed: pd.DataFrame) -> list[str]:
    have = [m for m in HURDLE_MEASURES if m in observed.columns]
    if not have:
        raise ValueError(
            f"scorecard: table 'observed' has none of the hurdle measures {list(HURDLE_MEASURES)}"
        )
    return have


def scorecard_evidence(events: pd.DataFrame) -> pd.DataFrame:
    """The dated events-table rows behind each prediction, one row per event (2019–2025)."""
    require_columns(events, ("id", "date", "event"), "scorecard_evidence", what="table 'events'")
    ev = events.set_index("id")
    missing = sorted({e for ids in PREDICTIONS.values() for e in ids} - set(ev.index))
    if missing:
        raise ValueError(f"scorecard_evidence: events table lacks row(s) {missing}")
    rows = [
        {
            "prediction": name,
            "date": pd.Timestamp(ev.loc[e, "date"]).strftime("%d %b %Y"),
            "event (events table)": ev.loc[e, "event"],
        }
        for name, ids in PREDICTIONS.items()
        for e in sorted(ids, key=lambda i: pd.Timestamp(ev.loc[i, "date"]))
    ]
    return pd.DataFrame(rows).set_index(["prediction", "date"])
