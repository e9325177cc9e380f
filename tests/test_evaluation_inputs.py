"""evaluation's input checks: what each refuses, in words that name the table and field."""

from __future__ import annotations

import pandas as pd
import pytest

from reluctant_allies.analysis import evaluation as ev


def _proxies(tables, **years):
    t = tables
    return ev.proxy_table(t["unga"], t["trade"], t["power"], t["opinion"], **years)


def test_proxy_table_needs_only_china_and_russia_ideal_points(tables):
    unga = tables["unga"]
    ideal = unga["measure"] == "ideal point"
    only_two = unga.loc[~ideal | unga["subject"].isin(["China", "Russia"])]
    pd.testing.assert_frame_equal(
        _proxies({**tables, "unga": only_two}, last_year=2018),
        _proxies(tables, last_year=2018),
    )
    without_russia = unga.loc[~ideal | (unga["subject"] != "Russia")]
    with pytest.raises(ValueError, match="unga lacks 'ideal point' rows for China and Russia"):
        _proxies({**tables, "unga": without_russia})


@pytest.mark.parametrize("years", [{"first_year": 2010, "last_year": 2000}, {"last_year": 2018.0}])
def test_proxy_table_refuses_a_window_out_of_order_or_not_integer(tables, years):
    with pytest.raises(ValueError, match="proxy_table: need integer years first_year <= last_year"):
        _proxies(tables, **years)


def test_hurdle_tests_name_the_themed_years_table(tables):
    cal = _proxies(tables, last_year=2018)
    S = ev.calibration_pressure(tables["events"])
    with pytest.raises(ValueError, match="hurdle_tests: table 'themed_years' lacks column"):
        ev.hurdle_tests(
            cal, S, pd.DataFrame({"first_year": [2005]}), proxies=ev.FIRST_EDITION_PROXIES
        )
