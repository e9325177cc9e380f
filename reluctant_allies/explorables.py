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


#: The three parts of a sweep, in the order they are drawn and coloured.
_SWEEP_PARTS = ("rising", "held at peak", "falling")


def _filtered(values: list[dict], match: str) -> alt.Chart:
    """A chart of the precomputed ``values`` rows, filtered by the slider expression ``match``."""
    return alt.Chart(alt.Data(values=values)).transform_filter(match)


def _sweep_rows(code: str, L: int, S: np.ndarray, C: np.ndarray, plateau: int) -> list[dict]:
    """One packed row per part of a sweep (rising, held, falling) of model ``code``."""
    bounds = ((0, L), (L - 1, L + plateau), (L + plateau - 1, len(S)))
    return [
        {
            "m": code,
            "L": int(L),
            "part": part,
            "t": list(range(int(lo), int(hi))),
            "S": _r(S[lo:hi]),
            "C": _r(C[lo + 1 : hi + 1]),
        }
        for part, (lo, hi) in zip(_SWEEP_PARTS, bounds, strict=True)
    ]


def _hysteresis_frame(
    choices: Mapping[str, tuple[str, models.StaticParams]],
    leg_g: np.ndarray,
    low: float,
    high: float,
    plateau: int,
) -> tuple[list[dict], list[dict]]:
    """The path rows (model, leg length, part) and the loop-width readout rows."""
    rows, readouts = [], []
    for code, (_, params) in choices.items():
        for L in leg_g.astype(int):
            sc = models.up_down(low, high, int(L), plateau)
            C = models.simulate(params, sc).C
            loop = models.hysteresis_loop(
                params, low=low, high=high, years_up=int(L), plateau=plateau
            )
            rows += _sweep_rows(code, L, sc.S, C, plateau)
            readouts.append({"m": code, "L": int(L), "w": round(loop.width, 3)})
    return rows, readouts


def _model_menu(choices: Mapping[str, tuple[str, models.StaticParams]]) -> alt.Parameter:
    """The ``model`` menu param over the choices' codes, shown with their labels."""
    codes = list(choices)
    return alt.param(
        name="model",
        value=codes[0],
        bind=alt.binding_select(
            options=codes, labels=[choices[c][0] for c in codes], name="parameter set "
        ),
    )


def _hysteresis_layers(
    rows: list[dict], readouts: list[dict], match: str
) -> tuple[alt.Chart, alt.Chart]:
    """The C-against-S path coloured by sweep part, and the loop-width text line."""
    path = (
        _filtered(rows, match)
        .transform_flatten(["t", "S", "C"])
        .mark_line(point=alt.OverlayMarkDef(size=14))
        .encode(
            x=alt.X("S:Q", title="systemic pressure S", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("C:Q", title="cooperation C", scale=alt.Scale(domain=[0, 1])),
            order="t:Q",
            color=alt.Color(
                "part:N",
                title="pressure",
                scale=alt.Scale(domain=list(_SWEEP_PARTS), range=[PALETTE[1], MUTED, PALETTE[0]]),
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
        _filtered(readouts, match)
        .transform_calculate(text="'widest gap between the two paths: ' + format(datum.w, '.2f')")
        .mark_text(align="left", fontSize=12, fontWeight=600)
        .encode(x=alt.value(4), y=alt.value(12), text="text:N")
    )
    return path, readout


def _hysteresis_description(low: float, high: float, plateau: int) -> str:
    """The hysteresis explorer's accessible description."""
    return (
        f"Connected scatter of cooperation C against pressure S as S rises from {low} to "
        f"{high}, holds for {plateau} years and falls back, for a parameter set chosen "
        "from a menu and a sweep speed set with a slider. With slow hurdles the falling "
        "path stays above the rising one (a loop); the static model only lags by its "
        "adjustment speed. A text line gives the widest vertical gap."
    )


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
    rows, readouts = _hysteresis_frame(choices, leg_g, low, high, plateau)
    model_p = _model_menu(choices)
    leg_p = slider_param("legYears", "years per sweep leg", leg_g, leg_value)
    match = f"datum.m == model && {match_sliders(L='legYears')}"
    path, readout = _hysteresis_layers(rows, readouts, match)
    first = next(iter(choices.values()))[1]
    chart = alt.layer(threshold_rules(first), path, readout).add_params(model_p, leg_p)
    return finish(
        chart,
        title="Hysteresis: the way down is not the way up",
        description=_hysteresis_description(low, high, plateau),
        source="Model: this book's reconstruction (domain §3b), presets as labelled",
    )


# ---- the two-player alliance quadrant ---------------------------------------------

#: The quadrant's regions, in the order of :class:`models.QuadrantGeometry`'s rectangles
#: (acceptance, entente, alliance).
_QUADRANT_REGIONS = (
    "both would accept an alliance, but no entente",
    "entente, alliance refused: reluctant allies",
    "alliance: entente and both accept",
)


def _quadrant_readout(q: models.QuadrantGeometry) -> str:
    """The readout text: both thresholds (flagged when never reached), reluctant share."""
    never = " (never accepts)"
    return "\n".join(
        [
            f"China's threshold S_CN* = {q.S_cn_star:.2f}" + (never if q.S_cn_star > 1 else ""),
            f"Russia's threshold S_RU* = {q.S_ru_star:.2f}" + (never if q.S_ru_star > 1 else ""),
            f"reluctant-allies share of the square: {q.reluctant_area:.2f}",
        ]
    )


def _quadrant_frame(
    g0: models.AllianceGame, eps_g: np.ndarray, phi_g: np.ndarray
) -> tuple[list[dict], list[dict], list[dict]]:
    """Region rectangles, threshold rules and readout texts for every (ε, φ) grid point."""
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
            regions = (q.acceptance, q.entente, q.alliance)
            for name, r in zip(_QUADRANT_REGIONS, regions, strict=True):
                if r is not None and r.area > 0:
                    corners = dict(
                        zip(("x0", "x1", "y0", "y1"), _r([r.x0, r.x1, r.y0, r.y1]), strict=True)
                    )
                    rects.append({**key, "region": name, **corners})
            for axis, star in (("x", q.S_cn_star), ("y", q.S_ru_star)):
                if 0 <= star <= 1:
                    rules.append({**key, "axis": axis, "v": round(star, 4)})
            texts.append({**key, "text": _quadrant_readout(q)})
    return rects, rules, texts


def _quadrant_layers(
    rects: list[dict], rules: list[dict], texts: list[dict], match: str
) -> list[alt.Chart]:
    """The region, threshold-rule, rule-label and readout layers, in drawing order."""
    xs = alt.Scale(domain=[0, 1])
    region = (
        _filtered(rects, match)
        .mark_rect()
        .encode(
            x=alt.X("x0:Q", title="pressure on China S_CN", scale=xs),
            x2="x1:Q",
            y=alt.Y("y0:Q", title="pressure on Russia S_RU", scale=xs),
            y2="y1:Q",
            color=alt.Color(
                "region:N",
                title=None,
                scale=alt.Scale(
                    domain=list(_QUADRANT_REGIONS), range=["#cfe6f5", PALETTE[4], PALETTE[0]]
                ),
                legend=alt.Legend(direction="vertical"),
            ),
            tooltip=[alt.Tooltip("region:N")],
        )
    )
    vrule, hrule = star_rules(_filtered(rules, match))
    readout = (
        _filtered(texts, match)
        .mark_text(align="left", baseline="top", fontSize=12, lineBreak="\n", lineHeight=18)
        .encode(x=alt.value(400), y=alt.value(4), text="text:N")
    )
    vlabel = vrule.mark_text(align="right", dx=-3, baseline="top", fontSize=11).encode(
        y=alt.value(2), text=alt.value("S_CN*")
    )
    hlabel = hrule.mark_text(align="right", dy=-6, fontSize=11).encode(
        x=alt.value(376), text=alt.value("S_RU*")
    )
    return [region, vrule, hrule, vlabel, hlabel, readout]


def _quadrant_description() -> str:
    """The alliance quadrant explorer's accessible description."""
    return (
        "Square chart of pressure on China (horizontal) against pressure on Russia "
        "(vertical), both from 0 to 1. Coloured rectangles show where both states would "
        "accept a formal alliance, where they are at entente level but at least one refuses "
        "(reluctant allies), and where an alliance forms. Dashed lines are each state's "
        "acceptance threshold. Sliders set how much both states weigh entrapment in the "
        "partner's conflicts and fear of being abandoned; with Russia at war, China's "
        "threshold rises with entrapment and the reluctant-allies region grows."
    )


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
    rects, rules, texts = _quadrant_frame(g0, eps_g, phi_g)
    eps_p = slider_param("eps", "entrapment weight ε (both)", eps_g, entrapment_value)
    phi_p = slider_param("phi", "abandonment weight φ (both)", phi_g, abandonment_value)
    layers = _quadrant_layers(rects, rules, texts, match_sliders(e="eps", f="phi"))
    chart = alt.layer(*layers).add_params(eps_p, phi_p).properties(width=380, height=380)
    return finish(
        chart,
        title="Two reluctant allies: where would both sign?",
        description=_quadrant_description(),
        source=(
            "Model: this book's reconstruction (domain §3c); illustrative post-2022 exposures "
            "[inference], other parameters default"
        ),
    )
