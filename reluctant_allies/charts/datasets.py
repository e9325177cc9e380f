"""Small overview charts for the codebook page of each dataset (``book/data/<name>.md``).

One builder, :func:`dataset_overview`, draws a compact picture of a whole table
so a reader can see its coverage and gaps at a glance.  These are not the
chapters' argument charts: they show every row the table holds, coloured by
where it came from, with the row's source in the tooltip.
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd

from .. import data
from .theme import PALETTE, finish

__all__ = ["dataset_overview"]

SMALL = 150  # px: height of one panel when a chart stacks several


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO strings; everything else as is (see :func:`_values` for missing values)."""
    out = frame.copy()
    for name, col in frame.items():
        if pd.api.types.is_datetime64_any_dtype(col):
            out[name] = col.dt.strftime("%Y-%m-%d")
    return out


def _values(frame: pd.DataFrame) -> alt.Data:
    """Inline rows with missing values as JSON null (a DataFrame can leak NaN into the spec)."""
    records = [
        {
            k: (None if pd.isna(v) else (v.item() if hasattr(v, "item") else v))
            for k, v in row.items()
        }
        for row in frame.to_dict("records")
    ]
    return alt.Data(values=records)


def _events(df: pd.DataFrame):
    return (
        alt.Chart(_values(df))
        .mark_point(filled=True, size=60)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("category:N", title=None),
            color=alt.Color("confidence:N", title="Confidence", scale=_conf_scale()),
            tooltip=["date:T", "date_precision:N", "event:N", "actor:N", "source_url:N"],
        )
        .properties(height=200)
    ), "One dot per dated milestone, in five lanes by category, 1991 to 2025."


def _pressure_actions(df: pd.DataFrame):
    return (
        alt.Chart(_values(df))
        .mark_point(filled=True, size=55)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("pressure_code:N", title=None),
            color=alt.Color("source_tier:N", title="Source tier", scale=_tier_scale()),
            shape=alt.Shape("target:N", title="Target"),
            tooltip=[
                "date:T",
                "event:N",
                "actors:N",
                "target:N",
                "source_tier:N",
                "confidence:N",
                "source_url:N",
            ],
        )
        .properties(height=260)
    ), (
        "One dot per recorded Western act or later stage, 1996 to 2025, in one lane per "
        "pressure code, coloured by source tier (A, B, C) and shaped by target."
    )


def _tier_scale():
    return alt.Scale(domain=["A", "B", "C"], range=[PALETTE[0], PALETTE[2], PALETTE[4]])


def _conf_scale():
    return alt.Scale(
        domain=["sourced", "weak", "disputed"], range=[PALETTE[0], PALETTE[4], PALETTE[1]]
    )


def _exercises(df: pd.DataFrame):
    # Rows that share a year and format sit side by side instead of on top of each other.
    df = df.assign(slot=df.groupby(["year", "format"]).cumcount())
    return (
        alt.Chart(_values(df))
        .mark_point(filled=True, size=70)
        .encode(
            x=alt.X("year:Q", title=None, axis=_years(), scale=alt.Scale(domain=[2002, 2025])),
            y=alt.Y("format:N", title=None, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("slot:O"),
            color=alt.Color("kind:N", title="Kind"),
            shape=alt.Shape("confidence:N", title="Confidence"),
            tooltip=["name:N", "start:N", "end:N", "location:N", "participants:N", "source_url:N"],
        )
        .properties(height=200)
    ), (
        "One dot per joint exercise or patrol in the table, by year and format, coloured by "
        "kind; context rows that the counting rules leave out are included."
    )


def _themed_years(df: pd.DataFrame):
    df = df.assign(end=df["last_year"] + 1)
    return (
        alt.Chart(_values(df))
        .mark_bar(height=14)
        .encode(
            x=alt.X(
                "first_year:Q", title=None, scale=alt.Scale(domain=[2006, 2026]), axis=_years()
            ),
            x2="end:Q",
            y=alt.Y("theme:N", title=None, sort=alt.EncodingSortField("first_year")),
            color=alt.Color("confidence:N", title="Confidence", scale=_conf_scale()),
            tooltip=["theme:N", "first_year:Q", "last_year:Q", "opened:N", "source_url:N"],
        )
        .properties(height=220)
    ), "One bar per themed year or pair of years, 2006 to 2025."


def _years():
    return alt.Axis(format="d", tickMinStep=1)


def _opinion(df: pd.DataFrame):
    df = df.assign(series=df["pollster"] + ": " + df["subject"] + " (" + df["response"] + ")")
    return (
        alt.Chart(_values(df))
        .mark_point(filled=True, size=60)
        .encode(
            x=alt.X("year:Q", title=None, axis=_years(), scale=alt.Scale(zero=False)),
            y=alt.Y(
                "share_pct:Q", title="Share of respondents (%)", scale=alt.Scale(domain=[0, 100])
            ),
            color=alt.Color("pollster:N", title="Pollster"),
            shape=alt.Shape("respondents:N", title="Respondents in"),
            tooltip=[
                "series:N",
                "question:N",
                "share_pct:Q",
                "share_qualifier:N",
                "n:Q",
                "source_url:N",
            ],
        )
    ), (
        "Published survey shares by year, one dot per figure, coloured by pollster; "
        "the questions differ, so the dots are not one series."
    )


def _trade_reported(df: pd.DataFrame):
    return (
        alt.Chart(_values(df))
        .mark_point(filled=True, size=60)
        .encode(
            x=alt.X("year:Q", title=None, axis=_years(), scale=alt.Scale(zero=False)),
            y=alt.Y("value_usd_bn:Q", title="US$ billion (current)"),
            color=alt.Color("confidence:N", title="Confidence", scale=_conf_scale()),
            shape=alt.Shape("flow:N", title="Flow"),
            tooltip=["year:Q", "flow:N", "value_usd_bn:Q", "reporter:N", "note:N", "source_url:N"],
        )
    ), (
        "Reported China–Russia trade totals and flows by year, one dot per report; "
        "disputed figures such as 2015 are shown in their own colour."
    )


def _trade(df: pd.DataFrame):
    df = df.assign(series=df["source"] + ", " + df["direction"])
    return (
        alt.Chart(_values(df))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:Q", title=None, axis=_years()),
            y=alt.Y("value_usd_m:Q", title="US$ million (current)"),
            color=alt.Color("source:N", title="Producer"),
            strokeDash=alt.StrokeDash("direction:N", title="Direction"),
            detail="series:N",
            tooltip=["year:Q", "direction:N", "source:N", "value_usd_m:Q"],
        )
    ), (
        "China–Russia trade by year and direction from three producers, each its own line: "
        "COW 1992–2014, BACI 2017–2023, Comtrade 2017–2024; nothing covers 2015–2016."
    )


def _trade_composition(df: pd.DataFrame):
    return (
        alt.Chart(_values(df))
        .mark_rect()
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("section_name:N", title=None, sort=alt.EncodingSortField("hs_section")),
            color=alt.Color(
                "share:Q", title="Share of direction total", scale=alt.Scale(scheme="blues")
            ),
            column=alt.Column("direction:N", title=None),
            tooltip=["year:O", "direction:N", "section_name:N", "share:Q", "value_usd_m:Q"],
        )
        .properties(width=230, height=330)
    ), "Share of each HS section in each direction's trade, 2017 to 2023, as a heat map."


def _trade_shares(df: pd.DataFrame):
    df = df.assign(
        pct=df["share"] * 100,
        series=df["source"]
        + "|"
        + df["country"]
        + "|"
        + df["flow"]
        + "|"
        + df["segment"].astype(str),
    )
    return (
        alt.Chart(_values(df))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:Q", title=None, axis=_years()),
            y=alt.Y("pct:Q", title="% of the country's goods trade"),
            color=alt.Color("country:N", title="Share of whose trade"),
            shape=alt.Shape("source:N", title="Producer"),
            strokeDash=alt.StrokeDash("flow:N", title="Flow"),
            detail="series:N",
            tooltip=[
                "year:Q",
                "country:N",
                "flow:N",
                "share:Q",
                "bilateral_usd_m:Q",
                "total_usd_m:Q",
                "segment:Q",
                "source:N",
            ],
        )
    ), (
        "China–Russia trade as a percentage of China's and of Russia's total goods trade, "
        "exports, imports and both: COW 1992 to 2014 (China's lines break in 1999) and "
        "IMF DOTS 2011 to 2021 (Russia only)."
    )


def _arms_transfers(df: pd.DataFrame):
    return (
        alt.Chart(_values(df))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:Q", title=None, axis=_years()),
            y=alt.Y("tiv_m:Q", title="SIPRI TIV, millions"),
            color=alt.Color("recipient:N", title="Recipient"),
            tooltip=["year:Q", "recipient:N", "tiv_m:Q"],
        )
    ), "Russia's deliveries of major arms by year, to China and to all recipients, 1992 to 2024."


def _unga(df: pd.DataFrame):
    def panel(measure: str, title: str):
        return (
            alt.Chart(_values(df[df["measure"] == measure]))
            .mark_line(point=True)
            .encode(
                x=alt.X("year:Q", title=None, axis=_years()),
                y=alt.Y("value:Q", title=title),
                color=alt.Color("subject:N", title=None),
                tooltip=["year:Q", "subject:N", "value:Q", "source:N"],
            )
            .properties(height=SMALL)
        )

    chart = alt.vconcat(
        panel("agreement", "Voting agreement (share)"),
        panel("ideal point", "Ideal point (final-passage votes)"),
    ).resolve_scale(color="independent")
    return chart, (
        "Two panels: UN General Assembly voting agreement of three pairs of states, 1992 to 2023, "
        "and the ideal points of the USA, China and Russia, 1992 to 2024."
    )


def _power(df: pd.DataFrame):
    units = {
        "milex": "Military expenditure, US$ m (constant 2023)",
        "gdp": "GDP, US$ m (current)",
        "cinc": "CINC (share of world)",
    }

    def panel(indicator: str):
        return (
            alt.Chart(_values(df[df["indicator"] == indicator]))
            .mark_line(point=alt.MarkConfig(size=20))
            .encode(
                x=alt.X("year:Q", title=None, axis=_years(), scale=alt.Scale(domain=[1992, 2024])),
                y=alt.Y("value:Q", title=units[indicator]),
                color=alt.Color("country:N", title="Country"),
                strokeDash=alt.StrokeDash("source:N", title="Source"),
                detail="source:N",
                tooltip=["year:Q", "country:N", "value:Q", "source:N"],
            )
            .properties(height=SMALL)
        )

    return alt.vconcat(*(panel(i) for i in units)), (
        "Three panels for the USA, China and Russia: military expenditure 1992 to 2024, "
        "GDP 1992 to 2023, "
        "and CINC from COW NMC v6 (to 2016) and the transcribed v7 extract (to 2022)."
    )


def _alliances(df: pd.DataFrame):
    flags = ["defense", "offense", "neutrality", "nonaggression", "consultation", "entente"]
    long = df.melt(id_vars=["year", "dyad", "source"], value_vars=flags, var_name="obligation")
    long = long[long["value"] == 1]
    return (
        alt.Chart(_values(long))
        .mark_tick(thickness=2)
        .encode(
            x=alt.X("year:Q", title=None, axis=_years(), scale=alt.Scale(zero=False)),
            y=alt.Y("obligation:N", title=None, sort=flags),
            yOffset=alt.YOffset("source:N"),
            color=alt.Color("source:N", title="Dataset"),
            row=alt.Row("dyad:N", title=None),
            tooltip=["year:Q", "dyad:N", "obligation:N", "source:N"],
        )
        .properties(height=110)
    ), (
        "Alliance obligations coded by ATOP and COW for the China–Russia, China–USA and "
        "Russia–USA dyads, one tick per year in which an obligation is in force."
    )


_BUILDERS: dict[str, Callable[[pd.DataFrame], tuple[alt.TopLevelMixin, str]]] = {
    "events": _events,
    "pressure_actions": _pressure_actions,
    "exercises": _exercises,
    "themed_years": _themed_years,
    "opinion": _opinion,
    "trade_reported": _trade_reported,
    "trade": _trade,
    "trade_composition": _trade_composition,
    "trade_shares": _trade_shares,
    "arms_transfers": _arms_transfers,
    "unga": _unga,
    "power": _power,
    "alliances": _alliances,
}


def dataset_overview(name: str, frame: pd.DataFrame | None = None):
    """An overview chart of the whole of dataset ``name`` (loaded with :func:`data.load`).

    ``frame`` defaults to ``data.load(name)``; pass one to draw a filtered copy.
    """
    if name not in _BUILDERS:
        raise ValueError(
            f"dataset_overview: no overview chart for {name!r}; known: {sorted(_BUILDERS)}"
        )
    table = data.load(name) if frame is None else frame
    chart, description = _BUILDERS[name](_plain(table))
    title = data.resource(name).get("title", name)
    return finish(chart, title=title, description=description, source=data.source_line(name))
