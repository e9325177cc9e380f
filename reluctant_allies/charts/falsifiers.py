"""Chapter 12 (what would change our minds): falsifier indicators, scenarios, explorable.

Two kinds of builder live here:

* **data** -- the current values of the indicators the book's falsifiers watch:
  the ATOP/COW obligations of the China–Russia dyad (:func:`treaty_record`), the signs of a
  rupture (:func:`rupture_indicators`: UNGA agreement, exercises and patrols, reported
  trade), and one table that applies the book's stated rules to the latest values
  (:func:`falsifier_status`);
* **model** -- three pressure scenarios run through the static model, the dynamic model and
  the two-player game (:func:`scenario_runs`, :func:`scenario_verdicts`,
  :func:`scenario_fan`), and a kernel-free explorable in which a reader sets the pressure
  path and the effectiveness of hurdle policy (:func:`reader_grid`,
  :func:`reader_explorable`).

The falsifier rules, the scenario shapes and every parameter value are this book's
reconstruction, not the article's (chapter 12 says so in its Reconstruction boxes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from .. import exercises as exercise_rules
from .. import models
from ._checks import require_columns
from ._sliders import time_encoding
from .theme import MUTED, PALETTE, finish

__all__ = [
    "FalsifierRules",
    "falsifier_status",
    "treaty_record",
    "rupture_indicators",
    "SCENARIOS",
    "scenario_runs",
    "scenario_verdicts",
    "scenario_fan",
    "reader_grid",
    "reader_explorable",
]
# ``unpack`` is public for tests and readers but is not a chart builder (not in __all__).

DYAD = "China–Russia"
MODEL_SOURCE = (
    "Model: this book's reconstruction (domain §3a–3c), default parameters; "
    "game weights: the illustrative post-2022 setting [inference]"
)
_TOL = 1e-6  # slider values arrive as JS numbers: match grid points with a tolerance


def _r(values, nd: int = 3) -> list:
    return np.round(np.asarray(values, dtype=float), nd).tolist()


def _pack(values) -> str:
    """A path in [0, 1] as comma-separated thousandths ("691,388,..."): one short JSON
    string per path instead of a long array keeps the explorable's inline data small.
    The chart splits it back in the browser (``split`` + ``toNumber(...) / 1000``)."""
    arr = np.asarray(values, dtype=float)
    if not (np.isfinite(arr).all() and (arr >= 0).all() and (arr <= 1).all()):
        raise ValueError("_pack: path values must be finite and in [0, 1]")
    return ",".join(str(int(v)) for v in np.round(arr * 1000))


def unpack(packed: str) -> np.ndarray:
    """Inverse of the packing used in :func:`reader_grid` (values to 3 decimals)."""
    return np.array([int(v) for v in packed.split(",")], dtype=float) / 1000


# ============================================================ falsifier rules and status


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


def _atop(alliances: pd.DataFrame, who: str) -> pd.DataFrame:
    require_columns(
        alliances, ("year", "dyad", "source", "defense", "consultation"), who, nonempty=True
    )
    df = alliances[(alliances["dyad"] == DYAD) & (alliances["source"] == "atop_5_1")]
    if df.empty:
        raise ValueError(f"{who}: no ATOP ('atop_5_1') rows for the {DYAD} dyad")
    return df


def _unga_agreement(unga: pd.DataFrame, who: str) -> pd.DataFrame:
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
    return df.sort_values("year")


def _turnover(trade: pd.DataFrame, who: str) -> pd.DataFrame:
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
    return df.sort_values("year")


def _exercise_rows(exercises: pd.DataFrame, who: str) -> pd.DataFrame:
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


def falsifier_status(
    alliances: pd.DataFrame,
    unga: pd.DataFrame,
    exercises: pd.DataFrame,
    trade_reported: pd.DataFrame,
    rules: FalsifierRules | None = None,
) -> pd.DataFrame:
    """One row per falsifier indicator: the rule, the latest value in ``data/`` and whether
    the rule is triggered. "Not triggered" only ever means "not in the years the data cover"."""
    rules = rules or FalsifierRules()
    atop = _atop(alliances, "falsifier_status")
    ag = _unga_agreement(unga, "falsifier_status")
    ex = _exercise_rows(exercises, "falsifier_status")
    tr = _turnover(trade_reported, "falsifier_status")
    gacc = tr[tr["reporter"].str.contains("GACC", regex=False) & (tr["confidence"] == "sourced")]

    rows = []
    post = atop[atop["year"] >= 1992]
    defence_years = post.loc[post["defense"] == 1, "year"].tolist()
    rows.append(
        {
            "falsifier": "(a) treaty",
            "indicator": "ATOP defence obligation, China–Russia",
            "rule": "coded 1 in any year (a mutual-defence clause)",
            "latest": f"0 in every year {int(post['year'].min())}–{int(post['year'].max())}",
            "covers to": int(post["year"].max()),
            "triggered": "yes" if defence_years else "no",
        }
    )
    ag_new = ag[ag["year"] >= rules.since]
    below = (ag_new["value"] < rules.unga_floor).astype(int)
    run = below.groupby((below != below.shift()).cumsum()).cumsum().where(below == 1, 0)
    last = ag.iloc[-1]
    rows.append(
        {
            "falsifier": "(b) rupture",
            "indicator": "UNGA vote agreement, China–Russia",
            "rule": f"below {rules.unga_floor:g} in {rules.unga_sessions} sessions running, "
            f"from {rules.since}",
            "latest": f"{last['value']:.2f} (session {int(last['session'])}, "
            f"opened {int(last['year'])})",
            "covers to": int(last["year"]),
            "triggered": "yes" if (run >= rules.unga_sessions).any() else "no",
        }
    )
    start = rules.since
    end = int(ex["year"].max())
    active = set(ex["year"].dropna().astype(int))
    longest = cur = 0
    for y in range(start, end + 1):
        cur = 0 if y in active else cur + 1
        longest = max(longest, cur)
    rows.append(
        {
            "falsifier": "(b) rupture",
            "indicator": "joint exercises and patrols (counted rows)",
            "rule": f"none documented in {rules.quiet_years} calendar years running, from {start}",
            "latest": f"longest run without one, {start}–{end}: {longest} year(s)",
            "covers to": end,
            "triggered": "yes" if longest >= rules.quiet_years else "no",
        }
    )
    g = gacc.drop_duplicates("year", keep="last")
    record = g["value_usd_bn"].cummax()
    drop = (1 - g["value_usd_bn"] / record)[g["year"] >= rules.since]
    lastg = g.iloc[-1]
    rows.append(
        {
            "falsifier": "(b) rupture",
            "indicator": "trade turnover reported by China customs (US$ bn)",
            "rule": f"more than {rules.trade_drop:.0%} below the running record, "
            f"from {rules.since}",
            "latest": f"{lastg['value_usd_bn']:.1f} in {int(lastg['year'])} "
            f"(largest fall from a record since {rules.since}: {drop.max():.0%})",
            "covers to": int(lastg["year"]),
            "triggered": "yes" if (drop > rules.trade_drop).any() else "no",
        }
    )
    return pd.DataFrame(rows)


# ============================================================ treaty record (falsifier a)

OBLIGATIONS = {
    "defense": "defence",
    "consultation": "consultation (ATOP only)",
    "nonaggression": "non-aggression",
    "entente": "entente (COW only)",
}
_DATASET = {"atop_5_1": "ATOP 5.1", "cow_alliance_4_1": "COW 4.1"}


def treaty_record(alliances: pd.DataFrame, *, source: str, start: int = 1992, end: int = 2025):
    """Which written obligations ATOP and COW code for the China–Russia dyad, year by year.

    One lane per obligation, a tile for each year a dataset codes it 1; the defence lane
    stays empty and says so. Years after each dataset ends are shaded: not coded is not 0.
    """
    require_columns(
        alliances,
        ("year", "dyad", "source", "defense", "consultation", "nonaggression"),
        "treaty_record",
        nonempty=True,
    )
    if not (isinstance(start, int) and isinstance(end, int) and start < end):
        raise ValueError(f"treaty_record: need integer start < end (got {start!r}, {end!r})")
    df = alliances[(alliances["dyad"] == DYAD) & alliances["year"].between(start, end)]
    unknown = sorted(set(df["source"]) - set(_DATASET))
    if unknown:
        raise ValueError(f"treaty_record: unknown source value(s) {unknown}")
    if df.empty:
        raise ValueError(f"treaty_record: no {DYAD} rows between {start} and {end}")
    tiles = []
    for _, row in df.iterrows():
        for col, name in OBLIGATIONS.items():
            if col in df.columns and pd.notna(row[col]) and int(row[col]) == 1:
                tiles.append(
                    {
                        "year": int(row["year"]),
                        "obligation": name,
                        "dataset": _DATASET[row["source"]],
                    }
                )
    tiles = pd.DataFrame(tiles, columns=["year", "obligation", "dataset"])
    if (tiles["obligation"] == "defence").any():
        note = "defence obligation coded in: " + ", ".join(
            str(y) for y in sorted(set(tiles.loc[tiles["obligation"] == "defence", "year"]))
        )
    else:
        note = "no defence obligation coded in any year"
    ends = df.groupby("source")["year"].max()
    shade = [
        {"x0": int(ends[s]) + 0.5, "x1": end + 0.5, "dataset": _DATASET[s]}
        for s in ends.index
        if ends[s] < end
    ]
    lanes = list(OBLIGATIONS.values())
    xscale = alt.Scale(domain=[start - 0.5, end + 0.5], nice=False)
    axis = alt.Axis(format="d", values=list(range(start - start % 5 + 5, end + 1, 5)))
    y = alt.Y("obligation:N", title=None, sort=lanes, scale=alt.Scale(domain=lanes))

    def panel(ds: str) -> alt.LayerChart:
        mine = tiles[tiles["dataset"] == ds].assign(year_end=lambda d: d["year"] + 0.92)
        layers = []
        spans = [s for s in shade if s["dataset"] == ds]
        if spans:
            layers.append(
                alt.Chart(pd.DataFrame(spans))
                .mark_rect(color=MUTED, opacity=0.12)
                .encode(x=alt.X("x0:Q", scale=xscale, axis=axis, title=None), x2="x1:Q")
            )
            layers.append(
                alt.Chart(pd.DataFrame(spans).assign(text="dataset ends: not coded"))
                .mark_text(align="left", baseline="top", fontSize=10, color=MUTED, dx=3, dy=2)
                .encode(x=alt.X("x0:Q", scale=xscale), y=alt.value(0), text="text:N")
            )
        layers.append(
            alt.Chart(mine)
            .mark_rect(color=PALETTE[0], height=14)
            .encode(
                x=alt.X("year:Q", scale=xscale, axis=axis, title=None),
                x2="year_end:Q",
                y=y,
                tooltip=[alt.Tooltip("year:Q", format="d"), "obligation:N", "dataset:N"],
            )
        )
        layers.append(
            alt.Chart(pd.DataFrame({"obligation": ["defence"], "text": [note]}))
            .mark_text(align="left", dx=4, fontSize=11, fontStyle="italic", color=PALETTE[1])
            .encode(x=alt.value(0), y=y, text="text:N")
        )
        return alt.layer(*layers).properties(
            width=430, height=92, title=alt.TitleParams(ds, fontSize=12, anchor="start")
        )

    chart = alt.vconcat(*[panel(ds) for ds in _DATASET.values()], spacing=8)
    return finish(
        chart,
        title="Falsifier (a): no mutual-defence obligation in the treaty record",
        description=(
            f"Tile chart of the written obligations that ATOP 5.1 and COW 4.1 code for the "
            f"China–Russia dyad, {start}–{end}, one lane per obligation. ATOP codes "
            "non-aggression from 1992 and consultation from 2001; COW codes non-aggression and "
            f"entente. The defence lane is empty in both: {note}. Shaded years lie after the "
            "dataset ends and are not coded at all."
        ),
        source=source,
    )


# ============================================================ rupture indicators (falsifier b)


def _decimal_year(ts: pd.Series, year: pd.Series) -> pd.Series:
    """Start date as a decimal year (mid-year where only the year is known)."""
    out = year.astype(float) + 0.5
    known = ts.notna()
    d = pd.to_datetime(ts[known])
    out[known] = d.dt.year + (d.dt.day_of_year - 1) / 365.25
    return out


def rupture_indicators(
    unga: pd.DataFrame,
    exercises: pd.DataFrame,
    trade_reported: pd.DataFrame,
    *,
    source: str | Sequence[str],
    rules: FalsifierRules | None = None,
    start: int = 1992,
    end: int = 2025,
):
    """Three stacked panels on one year axis, each with the book's rupture line (dashed).

    Top: China–Russia UNGA vote agreement by session (plotted at the year the session
    opened); middle: each counted exercise or patrol at its start date (hollow = weak
    source); bottom: turnover as reported, one point per report,
    not joined (reporters differ).
    """
    rules = rules or FalsifierRules()
    ag = _unga_agreement(unga, "rupture_indicators")
    ex = _exercise_rows(exercises, "rupture_indicators").copy()
    tr = _turnover(trade_reported, "rupture_indicators")
    if not (isinstance(start, int) and isinstance(end, int) and start < end):
        raise ValueError(f"rupture_indicators: need integer start < end (got {start!r}, {end!r})")

    # to the end of the last year: exercises are placed at their decimal date (Aug 2025 is
    # 2025.58), yearly series at the year itself
    xs = alt.Scale(domain=[start - 0.5, end + 1], nice=False)
    axis = alt.Axis(format="d", values=list(range(start - start % 5 + 5, end + 1, 5)))
    width, height = 430, 110
    rule_style = {"strokeDash": [5, 3], "color": PALETTE[1]}

    a = ag[["year", "session", "value"]].astype({"year": int, "session": int}).copy()
    a["run"] = (a["year"].diff() != 1).cumsum()
    unga_line = (
        alt.Chart(a)
        .mark_line(point=alt.OverlayMarkDef(size=18), color=PALETTE[0])
        .encode(
            x=alt.X("year:Q", scale=xs, axis=axis, title=None),
            y=alt.Y("value:Q", title="agreement", scale=alt.Scale(domain=[0.3, 1])),
            detail="run:N",
            tooltip=[
                alt.Tooltip("session:Q", title="UNGA session"),
                alt.Tooltip("year:Q", title="session opened", format="d"),
                alt.Tooltip("value:Q", title="agreement", format=".2f"),
            ],
        )
    )
    floor = pd.DataFrame({"y": [rules.unga_floor], "text": [f"rupture line {rules.unga_floor:g}"]})
    unga_panel = alt.layer(
        unga_line,
        alt.Chart(floor).mark_rule(**rule_style).encode(y="y:Q"),
        alt.Chart(floor)
        .mark_text(align="right", dy=9, fontSize=10, color=PALETTE[1])
        .encode(x=alt.value(width), y="y:Q", text="text:N"),
    ).properties(
        width=width,
        height=height,
        title=alt.TitleParams("UNGA vote agreement, China–Russia (by session)", fontSize=12),
    )

    ex["x"] = _decimal_year(ex["start"], ex["year"])
    ex["date"] = [
        "date not given" if pd.isna(s) else pd.Timestamp(s).strftime("%d %b %Y")
        for s in ex["start"]
    ]
    ex = ex[["name", "kind", "x", "date", "confidence", "source_url"]]
    kinds = ["exercise", "patrol"]
    tooltip = [
        alt.Tooltip("name:N"),
        alt.Tooltip("date:N", title="start"),
        alt.Tooltip("confidence:N"),
        alt.Tooltip("source_url:N", title="source"),
    ]
    base = alt.Chart(ex).encode(
        x=alt.X("x:Q", scale=xs, axis=axis, title=None),
        y=alt.Y("kind:N", title=None, sort=kinds, scale=alt.Scale(domain=kinds)),
        color=alt.Color(
            "kind:N", scale=alt.Scale(domain=kinds, range=[PALETTE[2], PALETTE[3]]), legend=None
        ),
        tooltip=tooltip,
    )
    ex_layers = [
        base.transform_filter("datum.confidence == 'sourced'").mark_point(
            filled=True, size=70, opacity=0.85
        )
    ]
    if (ex["confidence"] != "sourced").any():  # no empty layer (axe: svg-img-alt)
        ex_layers.append(
            base.transform_filter("datum.confidence != 'sourced'").mark_point(
                filled=False, size=70, strokeWidth=1.5
            )
        )
    ex_panel = alt.layer(*ex_layers).properties(
        width=width,
        height=60,
        title=alt.TitleParams(
            "Joint exercises and patrols at their start dates (counted rows)",
            fontSize=12,
        ),
    )

    t = tr[["year", "value_usd_bn", "reporter", "confidence", "qualifier", "source_url"]].copy()
    t["year"] = t["year"].astype(int)
    t["qualifier"] = t["qualifier"].astype("object").where(t["qualifier"].notna(), "")
    t["kind"] = np.where(
        t["reporter"].str.contains("GACC", regex=False), "China customs (GACC)", "other reporters"
    )
    t = t.astype({"reporter": "object", "confidence": "object", "source_url": "object"})
    g = t[(t["kind"] == "China customs (GACC)") & (t["confidence"] == "sourced")]
    g = g.drop_duplicates("year", keep="last")
    record = float(g["value_usd_bn"].max())
    line = pd.DataFrame(
        {
            "y": [record * (1 - rules.trade_drop)],
            "text": [f"rupture line: {rules.trade_drop:.0%} below the record {record:.0f}"],
        }
    )
    kinds_t = ["China customs (GACC)", "other reporters"]
    trade_points = (
        alt.Chart(t)
        .mark_point(size=45, filled=True)
        .encode(
            x=alt.X("year:Q", scale=xs, axis=axis, title=None),
            y=alt.Y("value_usd_bn:Q", title="US$ bn", scale=alt.Scale(domain=[0, 260])),
            color=alt.Color(
                "kind:N",
                title="turnover reported by",
                scale=alt.Scale(domain=kinds_t, range=[PALETTE[0], PALETTE[4]]),
            ),
            shape=alt.Shape(
                "confidence:N",
                title="row",
                scale=alt.Scale(
                    domain=["sourced", "weak", "disputed"], range=["circle", "diamond", "cross"]
                ),
            ),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("value_usd_bn:Q", title="US$ bn", format=".1f"),
                alt.Tooltip("qualifier:N"),
                alt.Tooltip("reporter:N"),
                alt.Tooltip("confidence:N"),
                alt.Tooltip("source_url:N", title="source"),
            ],
        )
    )
    trade_panel = alt.layer(
        trade_points,
        alt.Chart(line).mark_rule(**rule_style).encode(y="y:Q"),
        alt.Chart(line)
        .mark_text(align="left", dy=-6, fontSize=10, color=PALETTE[1])
        .encode(x=alt.value(4), y="y:Q", text="text:N"),
    ).properties(
        width=width,
        height=height,
        title=alt.TitleParams("Trade turnover as reported (points not joined)", fontSize=12),
    )

    chart = alt.vconcat(unga_panel, ex_panel, trade_panel, spacing=14).resolve_scale(
        color="independent", shape="independent"
    )
    lo_ag = float(ag.loc[ag["year"] >= 2000, "value"].min())
    src = source if isinstance(source, str) else "; ".join(source)
    return finish(
        chart,
        title="Falsifier (b): no sign of a rupture in the data so far",
        description=(
            "Three stacked panels on one year axis. Top: China–Russia agreement in UN General "
            f"Assembly votes by session, {int(ag['year'].min())}–{int(ag['year'].max())}, never "
            f"below {lo_ag:.2f} since 2000, against a dashed rupture line at "
            f"{rules.unga_floor:g}. Middle: each documented joint exercise or patrol at its start "
            f"date, {len(ex)} rows, counted under the table's rules. Bottom: China–Russia trade "
            f"turnover as reported, one point per report, against a dashed rupture line "
            f"{rules.trade_drop:.0%} below the record of {record:.0f} billion US dollars."
        ),
        source=src,
    )


# ============================================================ scenarios through three models


@dataclass(frozen=True)
class _Shape:
    label: str
    level: float
    shape: str  # "step", "gradual" or "pulse"


#: The three scenarios of chapter 12: (label, target level, shape). Pressure moves from the
#: branch level (the end of the stylised history) to ``level``; a pulse returns to it.
SCENARIOS: dict[str, _Shape] = {
    "high": _Shape("continued high pressure", 0.75, "step"),
    "detente": _Shape("détente (pressure relief)", 0.3, "step"),
    "spike": _Shape("pressure spike", 0.95, "pulse"),
}
HISTORY = (0.2, 0.75, 30)  # stylised past: ramp from 0.2 to 0.75 over 30 years
FUTURE = 30
PULSE = (1, 6)  # a pulse runs from future year 1 for 6 years
GRADUAL = 15  # a gradual change reaches its level after 15 years


def _future_path(level: float, shape: str, branch: float, years: int = FUTURE) -> np.ndarray:
    if not (np.isfinite(level) and 0 <= level <= 1):
        raise ValueError(f"level must be in [0, 1] (got {level!r})")
    if shape == "step":
        return np.full(years, float(level))
    if shape == "gradual":
        ramp = np.linspace(branch, level, GRADUAL + 1)[1:]
        return np.r_[ramp, np.full(max(years - GRADUAL, 0), level)][:years]
    if shape == "pulse":
        start, width = PULSE
        i = np.arange(years)
        return np.where((i >= start) & (i < start + width), float(level), branch)
    raise ValueError(f"shape must be 'step', 'gradual' or 'pulse' (got {shape!r})")


def _history() -> np.ndarray:
    lo, hi, n = HISTORY
    return models.ramp(lo, hi, n).S


def _game_alliance(game: models.AllianceGame, S: np.ndarray, H_e: np.ndarray, H_m: np.ndarray):
    """(ally, ally) available in each year: both states accept and both are at entente
    level, with the hurdles of that year (same S for both states)."""
    m, cn, ru = game.model, game.china, game.russia
    hurdle = m.gamma_e * H_e + m.gamma_m * H_m
    du_cn = cn.alpha * S + cn.phi * ru.R - cn.epsilon * ru.X - cn.eta * hurdle - cn.tau
    du_ru = ru.alpha * S + ru.phi * cn.R - ru.epsilon * cn.X - ru.eta * hurdle - ru.tau
    c = models.logistic(m.beta * S * (1 - hurdle), m.k, m.x0)
    return (du_cn >= 0) & (du_ru >= 0) & (c >= m.theta_E)


def _check_game(game) -> models.AllianceGame:
    game = game or models.POST_2022_GAME
    if not isinstance(game, models.AllianceGame):
        raise ValueError(f"game must be an AllianceGame, got {type(game).__name__}")
    return game


def _check_params(params) -> models.DynamicParams:
    params = params or models.DynamicParams()
    if not isinstance(params, models.DynamicParams):
        raise ValueError(f"params must be DynamicParams, got {type(params).__name__}")
    return params


def scenario_runs(
    params: models.DynamicParams | None = None,
    game: models.AllianceGame | None = None,
    *,
    scenarios: Mapping[str, _Shape] | None = None,
    band: Sequence[float] = (0.5, 1.0, 1.5, 2.0),
) -> pd.DataFrame:
    """Each scenario through the three models, as a tidy frame (one row per scenario-year).

    Time ``t`` runs from −30 (start of the stylised history) to 30; t = 0 is the branch
    point. Columns: S; static C (hurdles fixed); dynamic C, H_e, H_m; the dynamic C band
    (min/max over policy effectiveness δ and rebound ρ each scaled by ``band``); and the
    three alliance verdicts: A_static, A_dynamic (C >= θ_A) and A_game ((ally, ally) is
    an equilibrium, with the dynamic model's hurdles).
    """
    p = _check_params(params)
    g = _check_game(game)
    scenarios = dict(scenarios or SCENARIOS)
    if not scenarios:
        raise ValueError("scenarios must name at least one scenario")
    mult = np.asarray(band, dtype=float)
    if mult.ndim != 1 or mult.size < 2 or (mult < 0).any():
        raise ValueError(f"band must be at least two non-negative multipliers (got {band!r})")
    hist = _history()
    frames = []
    for key, sc in scenarios.items():
        S = np.r_[hist, _future_path(sc.level, sc.shape, hist[-1])]
        dyn = models.simulate(p, S)
        sta = models.simulate_static(p, S)
        grid = models.ParamGrid.sweep(
            p,
            delta_e=p.delta_e * mult[:, None],
            delta_m=p.delta_m * mult[:, None],
            rho_e=p.rho_e * mult[None, :],
            rho_m=p.rho_m * mult[None, :],
        )
        fan = models.simulate(grid, S).C.reshape(-1, len(S) + 1)
        # state index i = start of year i; the pressure acting in that year is S[i]
        S_state = np.append(S, S[-1])
        t = np.arange(len(S) + 1) - len(hist)
        frames.append(
            pd.DataFrame(
                {
                    "scenario": key,
                    "label": sc.label,
                    "t": t,
                    "S": S_state,
                    "C_static": sta.C,
                    "C_dynamic": dyn.C,
                    "C_lo": fan.min(axis=0),
                    "C_hi": fan.max(axis=0),
                    "H_e": dyn.H_e,
                    "H_m": dyn.H_m,
                    "A_static": sta.alliance,
                    "A_dynamic": dyn.alliance,
                    "A_game": _game_alliance(g, S_state, dyn.H_e, dyn.H_m),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


_VERDICT_MODELS = {
    "A_static": "static model",
    "A_dynamic": "dynamic model",
    "A_game": "two-player game",
}


def _spans(t: np.ndarray, hit: np.ndarray) -> str:
    if not hit.any():
        return "never"
    out, i = [], 0
    while i < len(t):
        if hit[i]:
            j = i
            while j + 1 < len(t) and hit[j + 1]:
                j += 1
            out.append(f"{t[i]}" if i == j else f"{t[i]} to {t[j]}")
            i = j + 1
        else:
            i += 1
    return ", ".join(out)


def scenario_verdicts(runs: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and model: cooperation at the branch point and at the end (as text;
    "–" for the game, which has no cooperation path of its own), and the future years
    (t >= 0) in which the model says A = 1."""
    require_columns(
        runs,
        ("scenario", "label", "t", "C_static", "C_dynamic", *_VERDICT_MODELS),
        "scenario_verdicts",
        nonempty=True,
    )
    rows = []
    for _key, df in runs.groupby("scenario", sort=False):
        fut = df[df["t"] >= 0]
        for col, name in _VERDICT_MODELS.items():
            c_col = {"A_static": "C_static", "A_dynamic": "C_dynamic"}.get(col)
            rows.append(
                {
                    "scenario": fut["label"].iloc[0],
                    "model": name,
                    "C now": f"{fut[c_col].iloc[0]:.2f}" if c_col else "–",
                    "C after 30 years": f"{fut[c_col].iloc[-1]:.2f}" if c_col else "–",
                    "years with A = 1": _spans(fut["t"].to_numpy(), fut[col].to_numpy(bool)),
                }
            )
    return pd.DataFrame(rows)


def scenario_fan(runs: pd.DataFrame, params: models.DynamicParams | None = None):
    """Scenario fan: one column per scenario; rows show pressure and cooperation (with the
    dynamic model's parameter band), the hurdles, and the years each model gives A = 1."""
    need = ("scenario", "label", "t", "S", "C_static", "C_dynamic", "C_lo", "C_hi", "H_e", "H_m")
    require_columns(runs, (*need, *_VERDICT_MODELS), "scenario_fan", nonempty=True)
    p = _check_params(params)
    df = runs.copy()
    for c in ("S", "C_static", "C_dynamic", "C_lo", "C_hi", "H_e", "H_m"):
        df[c] = np.round(df[c].astype(float), 3)
    labels = list(dict.fromkeys(df["label"]))
    t0, t1 = int(df["t"].min()), int(df["t"].max())
    xs = alt.Scale(domain=[t0, t1], nice=False)
    x = alt.X("t:Q", scale=xs, title=None, axis=alt.Axis(values=[-30, -15, 0, 15, 30]))
    x_last = alt.X(
        "t:Q",
        scale=xs,
        title="years from branch",
        axis=alt.Axis(values=[-30, -15, 0, 15, 30]),
    )
    ys = alt.Scale(domain=[0, 1])
    w, h = 138, 130
    col = alt.Column(
        "label:N",
        title=None,
        sort=labels,
        header=alt.Header(labelFontSize=11, labelLimit=140),  # fits a 138 px column
    )

    long_c = df.melt(
        id_vars=["label", "t", "C_lo", "C_hi"],
        value_vars=["S", "C_static", "C_dynamic"],
        var_name="series",
        value_name="value",
    )
    names = {
        "S": "pressure S",
        "C_static": "static model C",
        "C_dynamic": "dynamic model C",
    }
    long_c["series"] = long_c["series"].map(names)
    long_c["thE"], long_c["thA"] = p.theta_E, p.theta_A
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(names.values()), range=[MUTED, PALETTE[1], PALETTE[0]]),
        legend=alt.Legend(orient="top"),
    )
    top_base = alt.Chart(long_c)
    top = alt.layer(
        top_base.transform_filter("datum.series == 'dynamic model C'")
        .mark_area(color=PALETTE[0], opacity=0.18)
        .encode(x=x, y=alt.Y("C_lo:Q", scale=ys, title="level (0–1)"), y2="C_hi:Q"),
        top_base.mark_rule(strokeDash=[5, 3], color=MUTED, strokeWidth=1).encode(y="thA:Q"),
        top_base.mark_rule(strokeDash=[1, 3], color=MUTED, strokeWidth=1).encode(y="thE:Q"),
        top_base.mark_rule(color="#999999", strokeWidth=1, aria=False).encode(x=alt.datum(0)),
        top_base.mark_line().encode(
            x=x,
            y=alt.Y("value:Q", scale=ys),
            color=colour,
            strokeDash=alt.condition(
                "datum.series == 'pressure S'", alt.value([2, 2]), alt.value([1, 0])
            ),
            tooltip=[
                alt.Tooltip("series:N"),
                alt.Tooltip("t:Q", title="year from branch"),
                alt.Tooltip("value:Q", format=".2f"),
            ],
        ),
    ).properties(width=w, height=h)
    top = top.facet(column=col, spacing=10)

    long_h = df.melt(
        id_vars=["label", "t"], value_vars=["H_e", "H_m"], var_name="h", value_name="value"
    )
    long_h["h"] = long_h["h"].map({"H_e": "economic hurdle H_e", "H_m": "memory hurdle H_m"})
    mid = (
        alt.Chart(long_h)
        .mark_line()
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=alt.Scale(domain=[0, 0.7]), title="hurdle (dynamic)"),
            color=alt.Color(
                "h:N",
                title=None,
                scale=alt.Scale(
                    domain=["economic hurdle H_e", "memory hurdle H_m"],
                    range=[PALETTE[4], PALETTE[3]],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=["h:N", alt.Tooltip("t:Q", title="year"), alt.Tooltip("value:Q", format=".2f")],
        )
        .properties(width=w, height=80)
        .facet(column=alt.Column("label:N", title=None, sort=labels, header=None), spacing=10)
    )

    verdict = df.melt(
        id_vars=["label", "t"], value_vars=list(_VERDICT_MODELS), var_name="m", value_name="A"
    )
    verdict["model"] = verdict["m"].map(_VERDICT_MODELS)
    verdict["A"] = np.where(verdict["A"].astype(bool), "A = 1", "A = 0")
    verdict["t1"] = verdict["t"] + 1
    verdict = verdict.drop(columns="m")
    lanes = list(_VERDICT_MODELS.values())
    vbase = alt.Chart(verdict)
    bottom = (
        alt.layer(
            vbase.mark_rect().encode(
                x=x_last,
                x2="t1:Q",
                y=alt.Y("model:N", sort=lanes, title=None, scale=alt.Scale(domain=lanes)),
                color=alt.Color(
                    "A:N",
                    title="formal alliance",
                    scale=alt.Scale(domain=["A = 0", "A = 1"], range=["#eeeeee", PALETTE[0]]),
                    legend=alt.Legend(orient="bottom"),
                ),
                tooltip=["model:N", "A:N", alt.Tooltip("t:Q", title="year from branch")],
            ),
            vbase.mark_rule(color="#777777", strokeWidth=1, aria=False).encode(x=alt.datum(0)),
        )
        .properties(width=w, height=54)
        .facet(column=alt.Column("label:N", title=None, sort=labels, header=None), spacing=10)
    )
    chart = alt.vconcat(top, mid, bottom, spacing=6).resolve_scale(color="independent")
    fut = df[df["t"] >= 0]
    ends = "; ".join(
        f"{lb}: dynamic C {fut.loc[fut['label'] == lb, 'C_dynamic'].iloc[-1]:.2f}, "
        f"static C {fut.loc[fut['label'] == lb, 'C_static'].iloc[-1]:.2f}"
        for lb in labels
    )
    return finish(
        chart,
        title="Three futures, three models",
        description=(
            "Three columns, one per pressure scenario after a common stylised history "
            "(years −30 to 0): continued high pressure, détente and a pressure spike. Top "
            "row: pressure and cooperation in the static and dynamic models, with a shaded "
            "band for the dynamic model under other policy and rebound rates and dashed "
            "entente and alliance thresholds. Middle: the dynamic model's two hurdles. Bottom: "
            "the years in which each model (static, dynamic, two-player game) gives a formal "
            f"alliance. After 30 years: {ends}."
        ),
        source=MODEL_SOURCE,
    )


# ============================================================ reader-defined scenario explorable

SHAPES = {"step": "jump at once", "gradual": "move over 15 years", "pulse": "6-year pulse"}


def reader_grid(
    params: models.DynamicParams | None = None,
    game: models.AllianceGame | None = None,
    *,
    levels: Sequence[float] = tuple(np.round(np.arange(0.2, 1.0001, 0.05), 2)),
    effectiveness: Sequence[float] = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0),
    shapes: Sequence[str] = tuple(SHAPES),
) -> dict[str, list[dict]]:
    """Precomputed runs for the explorable, from the branch point (t = 0) for 30 years.

    Every model starts from its own state at the end of the stylised history (default
    parameters). Future policy effectiveness (a multiplier on δ_e, δ_m) applies from t = 0.
    Returns ``{"static": [...], "dynamic": [...]}``: packed rows, one per slider position,
    each holding its paths as arrays and the verdict years (−1 = never).
    """
    p = _check_params(params)
    g = _check_game(game)
    lv = np.round(np.asarray(levels, dtype=float), 4)
    ef = np.round(np.asarray(effectiveness, dtype=float), 4)
    for name, arr in (("levels", lv), ("effectiveness", ef)):
        if arr.ndim != 1 or arr.size < 2 or np.any(np.diff(arr) <= 0):
            raise ValueError(f"reader_grid: {name} must be at least two increasing values")
        if not np.allclose(np.diff(arr), arr[1] - arr[0], atol=1e-9):
            raise ValueError(f"reader_grid: {name} must be evenly spaced for a slider")
    if lv.min() < 0 or lv.max() > 1:
        raise ValueError(f"reader_grid: levels must lie in [0, 1] (got {lv.min()}–{lv.max()})")
    if ef.min() < 0:
        raise ValueError("reader_grid: effectiveness must be >= 0")
    bad = sorted(set(shapes) - set(SHAPES))
    if bad or not shapes:
        raise ValueError(f"reader_grid: unknown shape(s) {bad}; choose from {list(SHAPES)}")
    hist = _history()
    dyn_h = models.simulate(p, hist)
    sta_h = models.simulate_static(p, hist)
    C0d, He0, Hm0 = dyn_h.C[-1], dyn_h.H_e[-1], dyn_h.H_m[-1]
    C0s = sta_h.C[-1]
    paths = np.stack([_future_path(L, s, hist[-1]) for s in shapes for L in lv])  # (n, T)
    n_sh, n_lv = len(shapes), len(lv)
    grid = models.ParamGrid.sweep(
        p,
        delta_e=p.delta_e * ef[:, None],
        delta_m=p.delta_m * ef[:, None],
    )
    dyn = models.simulate(grid, paths, C_init=C0d, H_e_init=He0, H_m_init=Hm0)  # (ef, n, T+1)
    sta = models.simulate_static(p, paths, C_init=C0s)  # (n, T+1)
    S_state = np.concatenate([paths, paths[:, -1:]], axis=1)

    def first(hit: np.ndarray) -> int:
        return int(hit.argmax()) if hit.any() else -1

    static_rows, dyn_rows = [], []
    for i, s in enumerate(shapes):
        for j, L in enumerate(lv):
            k = i * n_lv + j
            static_rows.append(
                {
                    "sh": s,
                    "L": float(L),
                    "S": _pack(S_state[k]),
                    "C": _pack(sta.C[k]),
                    "a": first(sta.alliance[k]),
                    "e": first(sta.C[k] >= p.theta_E),
                }
            )
            for m, e in enumerate(ef):
                A_game = _game_alliance(g, S_state[k], dyn.H_e[m, k], dyn.H_m[m, k])
                dyn_rows.append(
                    {
                        "sh": s,
                        "L": float(L),
                        "d": float(e),
                        "C": _pack(dyn.C[m, k]),
                        "Hm": _pack(dyn.H_m[m, k]),
                        "a": first(dyn.alliance[m, k]),
                        "e": first(dyn.C[m, k] >= p.theta_E),
                        "g": first(A_game),
                    }
                )
    assert len(dyn_rows) == n_sh * n_lv * len(ef)
    return {"static": static_rows, "dynamic": dyn_rows}


def _slider(name: str, label: str, values: list[float], value: float) -> alt.Parameter:
    if not any(abs(v - value) < _TOL for v in values):
        raise ValueError(f"initial {label} = {value} is not on the slider grid {values}")
    return alt.param(
        name=name,
        value=value,
        bind=alt.binding_range(
            min=min(values),
            max=max(values),
            step=round(values[1] - values[0], 6),
            name=f"{label} ",
        ),
    )


def reader_explorable(
    grid: Mapping[str, list[dict]],
    params: models.DynamicParams | None = None,
    *,
    level: float = 0.75,
    shape: str = "step",
    effect: float = 1.0,
):
    """Kernel-free explorable: the reader picks the pressure level, how pressure gets there,
    and future policy effectiveness; the chart shows pressure, static and dynamic C, the
    memory hurdle, and a read-out of all three models' verdicts."""
    if not isinstance(grid, Mapping) or set(grid) != {"static", "dynamic"}:
        raise ValueError("reader_explorable: grid must be reader_grid()'s {'static', 'dynamic'}")
    p = _check_params(params)
    st, dy = grid["static"], grid["dynamic"]
    if not st or not dy:
        raise ValueError("reader_explorable: grid has no rows")
    levels = sorted({r["L"] for r in st})
    effs = sorted({r["d"] for r in dy})
    shapes = list(dict.fromkeys(r["sh"] for r in st))
    if shape not in shapes:
        raise ValueError(f"reader_explorable: shape {shape!r} not in the grid ({shapes})")
    lev_p = _slider("level", "pressure level S", levels, level)
    eff_p = _slider("effect", "policy effectiveness (× default δ)", effs, effect)
    shape_p = alt.param(
        name="shape",
        value=shape,
        bind=alt.binding_radio(
            options=shapes, labels=[SHAPES[s] for s in shapes], name="pressure gets there: "
        ),
    )
    m_static = f"datum.sh == shape && abs(datum.L - level) < {_TOL}"
    m_dyn = f"{m_static} && abs(datum.d - effect) < {_TOL}"
    names = ["pressure S", "static model C", "dynamic model C", "memory hurdle H_m (dynamic)"]
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=names, range=[MUTED, PALETTE[1], PALETTE[0], PALETTE[3]]),
        legend=alt.Legend(columns=2),
    )
    T = len(unpack(st[0]["C"])) - 1
    enc = time_encoding(T, colour, x_title="years from the branch point")

    def paths(rows, match, fields: dict[str, str], **mark):
        expr = " : ".join(f"datum.which == '{k}' ? '{v}'" for k, v in fields.items())
        return (
            alt.Chart(pd.DataFrame(rows))
            .transform_filter(match)
            .transform_calculate(**{f: f"split(datum.{f}, ',')" for f in fields})
            .transform_flatten(list(fields))
            .transform_window(n="row_number()")  # one packed row -> years 0..T in order
            .transform_calculate(t="datum.n - 1")
            .transform_fold(list(fields), as_=["which", "thousandths"])
            .transform_calculate(value="toNumber(datum.thousandths) / 1000")
            .transform_calculate(series=f"{expr} : ''")
            .mark_line(**mark)
            .encode(**enc)
        )

    thresholds = pd.DataFrame(
        {"y": [p.theta_E, p.theta_A], "name": ["entente θ_E", "alliance θ_A"]}
    )
    rules = alt.Chart(thresholds).mark_rule(strokeDash=[5, 3], color=MUTED).encode(y="y:Q")
    rule_text = (
        alt.Chart(thresholds)
        .mark_text(align="right", dy=-6, fontSize=10, color=MUTED)
        .encode(x=alt.value(430), y="y:Q", text="name:N")
    )

    def when(field: str) -> str:
        return f"(datum.{field} < 0 ? 'never' : 'from year ' + datum.{field})"

    def line(rows, match: str, text: str, colour: str, y: int) -> alt.Chart:
        return (
            alt.Chart(pd.DataFrame(rows))
            .transform_filter(match)
            .transform_calculate(text=text)
            .mark_text(align="left", fontSize=12, fontWeight=600, color=colour)
            .encode(x=alt.value(4), y=alt.value(y), text="text:N")
        )

    both = when("e") + " + ', alliance ' + " + when("a")
    static_text = line(st, m_static, "'Static model: entente ' + " + both, PALETTE[1], 8)
    dyn_text = line(dy, m_dyn, "'Dynamic model: entente ' + " + both, PALETTE[0], 26)
    game_text = line(
        dy, m_dyn, "'Two-player game: (ally, ally) available ' + " + when("g"), "#000000", 44
    )
    readout = alt.layer(static_text, dyn_text, game_text).properties(width=430, height=52)
    plot = alt.layer(
        rules,
        rule_text,
        paths(st, m_static, {"S": names[0]}, strokeDash=[2, 2]),
        paths(st, m_static, {"C": names[1]}),
        paths(dy, m_dyn, {"C": names[2]}, strokeWidth=3),
        paths(dy, m_dyn, {"Hm": names[3]}, strokeDash=[6, 2]),
    ).properties(width=430, height=230)
    chart = alt.vconcat(readout, plot, spacing=4).add_params(lev_p, shape_p, eff_p)
    return finish(
        chart,
        title="Your scenario: what do the three models say?",
        description=(
            f"Line chart over {T} years from a common branch point. A slider sets the pressure "
            "level, buttons set how pressure gets there (at once, over 15 years, or as a "
            "six-year pulse), and a second slider scales how effective hurdle policy is from "
            "now on. Lines show pressure, cooperation in the static and dynamic models and the "
            "dynamic model's memory hurdle; dashed lines mark the entente and alliance "
            "thresholds. Three text lines above the plot give each model's verdict: the years "
            "of entente and alliance, and when the two-player game makes a formal alliance "
            "available."
        ),
        source=MODEL_SOURCE,
    )
