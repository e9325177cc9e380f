"""Model explorables: precomputed grids of the toy models as Altair charts with sliders.

Everything a slider can show is simulated here, in Python, once; the page only *filters*
the precomputed rows by the slider values (``transform_filter``), so the charts work in
the static book with no kernel. Each slider position is one packed row holding whole
paths as arrays, unpacked in the browser with ``transform_flatten`` -- which keeps every
explorable far below 400 KB of inline data. Floats are rounded to 4 decimals.

All numbers come from :mod:`reluctant_allies.models` (this book's reconstruction of the
article's argument, domain.md §3); this module only lays them out.

* :func:`hysteresis_explorer` -- the loop C traces as S goes up and down (chapter 9)
* :func:`alliance_quadrant_explorer` -- the two-player quadrant, entrapment/abandonment
  (chapter 10)

The chapters' other explorables are built in their topic modules under ``charts/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np

from . import models
from .charts import PALETTE, finish
from .charts._sliders import (
    match_sliders,
    slider_grid,
    slider_param,
    star_rules,
    threshold_rules,
)
from .charts.theme import MUTED

__all__ = [
    "hysteresis_explorer",
    "alliance_quadrant_explorer",
]


def _r(values) -> list:
    """Rounded plain-Python list (4 decimals) for inline JSON."""
    return np.round(np.asarray(values, dtype=float), 4).tolist()


# ---- the hysteresis loop ----------------------------------------------------------

#: Parameter sets offered by the hysteresis explorer's menu: code -> (label, params).
HYSTERESIS_MODELS: dict[str, tuple[str, models.StaticParams]] = {
    "demo": ("dynamic: hysteresis demo preset", models.HYSTERESIS_DEMO),
    "default": ("dynamic: default parameters", models.DynamicParams()),
    "static": ("static model (κ-lag only)", models.StaticParams()),
    "lockin": ("dynamic: lock-in preset", models.LOCK_IN),
}


def hysteresis_explorer(
    choices: Mapping[str, tuple[str, models.StaticParams]] | None = None,
    *,
    legs: Sequence[float] = tuple(range(10, 81, 10)),
    low: float = 0.2,
    high: float = 0.95,
    plateau: int = 30,
    leg_value: int = 40,
) -> alt.LayerChart:
    """C against S while pressure sweeps up, holds, and sweeps back down.

    A menu picks the parameter set; a slider sets the years each sweep leg takes (slower
    sweeps let slow hurdles keep up and narrow the loop: the memory is rate-dependent).
    """
    choices = dict(choices or HYSTERESIS_MODELS)
    leg_g = slider_grid(legs, "legs")
    rows, readouts = [], []
    for code, (_, params) in choices.items():
        for L in leg_g.astype(int):
            sc = models.up_down(low, high, int(L), plateau)
            C = models.simulate(params, sc).C
            loop = models.hysteresis_loop(
                params, low=low, high=high, years_up=int(L), plateau=plateau
            )
            T = len(sc.S)
            for part, lo, hi in (
                ("rising", 0, L),
                ("held at peak", L - 1, L + plateau),
                ("falling", L + plateau - 1, T),
            ):
                rows.append(
                    {
                        "m": code,
                        "L": int(L),
                        "part": part,
                        "t": list(range(int(lo), int(hi))),
                        "S": _r(sc.S[lo:hi]),
                        "C": _r(C[lo + 1 : hi + 1]),
                    }
                )
            readouts.append({"m": code, "L": int(L), "w": round(loop.width, 3)})
    codes = list(choices)
    model_p = alt.param(
        name="model",
        value=codes[0],
        bind=alt.binding_select(
            options=codes, labels=[choices[c][0] for c in codes], name="parameter set "
        ),
    )
    leg_p = slider_param("legYears", "years per sweep leg", leg_g, leg_value)
    match = f"datum.m == model && {match_sliders(L='legYears')}"
    parts = ["rising", "held at peak", "falling"]
    path = (
        alt.Chart(alt.Data(values=rows))
        .transform_filter(match)
        .transform_flatten(["t", "S", "C"])
        .mark_line(point=alt.OverlayMarkDef(size=14))
        .encode(
            x=alt.X("S:Q", title="systemic pressure S", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("C:Q", title="cooperation C", scale=alt.Scale(domain=[0, 1])),
            order="t:Q",
            color=alt.Color(
                "part:N",
                title="pressure",
                scale=alt.Scale(domain=parts, range=[PALETTE[1], MUTED, PALETTE[0]]),
            ),
            tooltip=[
                alt.Tooltip("part:N", title="pressure"),
                alt.Tooltip("t:Q", title="year"),
                alt.Tooltip("S:Q", format=".3f"),
                alt.Tooltip("C:Q", format=".3f"),
            ],
        )
    )
    readout = (
        alt.Chart(alt.Data(values=readouts))
        .transform_filter(match)
        .transform_calculate(text="'widest gap between the two paths: ' + format(datum.w, '.2f')")
        .mark_text(align="left", fontSize=12, fontWeight=600)
        .encode(x=alt.value(4), y=alt.value(12), text="text:N")
    )
    first = next(iter(choices.values()))[1]
    chart = alt.layer(threshold_rules(first), path, readout).add_params(model_p, leg_p)
    return finish(
        chart,
        title="Hysteresis: the way down is not the way up",
        description=(
            f"Connected scatter of cooperation C against pressure S as S rises from {low} to "
            f"{high}, holds for {plateau} years and falls back, for a parameter set chosen "
            "from a menu and a sweep speed set with a slider. With slow hurdles the falling "
            "path stays above the rising one (a loop); the static model only lags by its "
            "adjustment speed. A text line gives the widest vertical gap."
        ),
        source="Model: this book's reconstruction (domain §3b), presets as labelled",
    )


# ---- the two-player alliance quadrant ---------------------------------------------


def alliance_quadrant_explorer(
    game: models.AllianceGame | None = None,
    *,
    entrapment: Sequence[float] = tuple(np.arange(0.0, 1.5001, 0.1)),
    abandonment: Sequence[float] = tuple(np.arange(0.0, 1.0001, 0.1)),
    entrapment_value: float = 0.4,
    abandonment_value: float = 0.3,
) -> alt.LayerChart:
    """Regions of the (S_CN, S_RU) square as the weights of entrapment (epsilon) and
    abandonment (phi) fear change for both states. Default game: the illustrative
    post-2022 setting (Russia at war, China keeping a realignment option)."""
    g0 = game or models.POST_2022_GAME
    eps_g = slider_grid(entrapment, "entrapment")
    phi_g = slider_grid(abandonment, "abandonment")
    names = [
        "both would accept an alliance, but no entente",
        "entente, alliance refused: reluctant allies",
        "alliance: entente and both accept",
    ]
    rects, rules, texts = [], [], []
    for e in eps_g:
        for f in phi_g:
            g = models.AllianceGame(
                china=g0.china.replace(epsilon=float(e), phi=float(f)),
                russia=g0.russia.replace(epsilon=float(e), phi=float(f)),
                model=g0.model,
            )
            q = models.alliance_quadrant(g)
            key = {"e": float(e), "f": float(f)}
            for name, r in zip(names, (q.acceptance, q.entente, q.alliance), strict=True):
                if r is not None and r.area > 0:
                    corners = dict(
                        zip(("x0", "x1", "y0", "y1"), _r([r.x0, r.x1, r.y0, r.y1]), strict=True)
                    )
                    rects.append({**key, "region": name, **corners})
            if 0 <= q.S_cn_star <= 1:
                rules.append({**key, "axis": "x", "v": round(q.S_cn_star, 4)})
            if 0 <= q.S_ru_star <= 1:
                rules.append({**key, "axis": "y", "v": round(q.S_ru_star, 4)})
            never = " (never accepts)"
            texts.append(
                {
                    **key,
                    "text": "\n".join(
                        [
                            f"China's threshold S_CN* = {q.S_cn_star:.2f}"
                            + (never if q.S_cn_star > 1 else ""),
                            f"Russia's threshold S_RU* = {q.S_ru_star:.2f}"
                            + (never if q.S_ru_star > 1 else ""),
                            f"reluctant-allies share of the square: {q.reluctant_area:.2f}",
                        ]
                    ),
                }
            )
    eps_p = slider_param("eps", "entrapment weight ε (both)", eps_g, entrapment_value)
    phi_p = slider_param("phi", "abandonment weight φ (both)", phi_g, abandonment_value)
    match = match_sliders(e="eps", f="phi")
    xs = alt.Scale(domain=[0, 1])
    region = (
        alt.Chart(alt.Data(values=rects))
        .transform_filter(match)
        .mark_rect()
        .encode(
            x=alt.X("x0:Q", title="pressure on China S_CN", scale=xs),
            x2="x1:Q",
            y=alt.Y("y0:Q", title="pressure on Russia S_RU", scale=xs),
            y2="y1:Q",
            color=alt.Color(
                "region:N",
                title=None,
                scale=alt.Scale(domain=names, range=["#cfe6f5", PALETTE[4], PALETTE[0]]),
                legend=alt.Legend(direction="vertical"),
            ),
            tooltip=[alt.Tooltip("region:N")],
        )
    )
    rule_data = alt.Chart(alt.Data(values=rules)).transform_filter(match)
    vrule, hrule = star_rules(rule_data)
    readout = (
        alt.Chart(alt.Data(values=texts))
        .transform_filter(match)
        .mark_text(align="left", baseline="top", fontSize=12, lineBreak="\n", lineHeight=18)
        .encode(x=alt.value(400), y=alt.value(4), text="text:N")
    )
    vlabel = vrule.mark_text(align="right", dx=-3, baseline="top", fontSize=11).encode(
        y=alt.value(2), text=alt.value("S_CN*")
    )
    hlabel = hrule.mark_text(align="right", dy=-6, fontSize=11).encode(
        x=alt.value(376), text=alt.value("S_RU*")
    )
    chart = (
        alt.layer(region, vrule, hrule, vlabel, hlabel, readout)
        .add_params(eps_p, phi_p)
        .properties(width=380, height=380)
    )
    return finish(
        chart,
        title="Two reluctant allies: where would both sign?",
        description=(
            "Square chart of pressure on China (horizontal) against pressure on Russia "
            "(vertical), both from 0 to 1. Coloured rectangles show where both states would "
            "accept a formal alliance, where they are at entente level but at least one refuses "
            "(reluctant allies), and where an alliance forms. Dashed lines are each state's "
            "acceptance threshold. Sliders set how much both states weigh entrapment in the "
            "partner's conflicts and fear of being abandoned; with Russia at war, China's "
            "threshold rises with entrapment and the reluctant-allies region grows."
        ),
        source=(
            "Model: this book's reconstruction (domain §3c); illustrative post-2022 exposures "
            "[inference], other parameters default"
        ),
    )
