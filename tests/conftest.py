"""Shared fixtures: the data-package tables the chapter tests read, and the browser
fixtures (which start only when a browser test runs)."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from reluctant_allies import charts, data
from tests.site import CHROMIUM, CHROMIUM_ARGS, HTML, SiteServer


def pytest_terminal_summary(terminalreporter):
    """The reader's-view summary (one line per width and mode), so a run reports it."""
    from tests import test_site

    if test_site.LAYOUT_SUMMARY:
        terminalreporter.section("charts and pages at each width and mode")
        for line in test_site.LAYOUT_SUMMARY:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session", autouse=True)
def book_style():
    """The chapters call ``charts.use_book_style()``; so do the tests that read their specs.
    (``tests/test_layers.py`` checks, in a fresh interpreter, that importing does not.)"""
    charts.use_book_style()


def shared_scope(fixture_name: str, config) -> str:
    """A fixture shared by a module's tests, except in `make mutation`.

    mutmut's stats pass maps each test to the functions it calls, and a module fixture's
    calls count only for the first test that builds it: a mutant of a function the fixture
    calls was run against that one test and survived the tests that check it (the
    hysteresis read-out's loop width, for one). Unit-only runs give each test its own."""
    return "function" if os.environ.get("RELUCTANT_ALLIES_UNIT_ONLY") else "module"


@pytest.fixture(scope="session")
def site_url():
    if os.environ.get("RELUCTANT_ALLIES_UNIT_ONLY"):
        # `make mutation` runs the unit tests in mutants/, which has no built site
        pytest.skip("unit-only run (RELUCTANT_ALLIES_UNIT_ONLY): no built site")
    if not (HTML / "index.html").exists():
        pytest.fail(f"no built site at {HTML}: run `make book` first (make test does)")
    with SiteServer(HTML) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    yield page
    context.close()


# Data tables, loaded once per test module (as each module used to do itself) so a test
# that alters its copy cannot leak into another module.


@pytest.fixture(scope=shared_scope)
def events() -> pd.DataFrame:
    return data.load("events")


@pytest.fixture(scope=shared_scope)
def unga() -> pd.DataFrame:
    return data.load("unga")


@pytest.fixture(scope=shared_scope)
def opinion() -> pd.DataFrame:
    return data.load("opinion")


@pytest.fixture(scope=shared_scope)
def themed() -> pd.DataFrame:
    return data.load("themed_years")


@pytest.fixture(scope=shared_scope)
def power() -> pd.DataFrame:
    return data.load("power")


@pytest.fixture(scope=shared_scope)
def exercises() -> pd.DataFrame:
    return data.load("exercises")


@pytest.fixture(scope=shared_scope)
def trade() -> pd.DataFrame:
    return data.load("trade")


@pytest.fixture(scope=shared_scope)
def reported() -> pd.DataFrame:
    return data.load("trade_reported")


# Chapter 11's real run (calibration fit, forecasts, errors), shared by test_evaluation,
# test_chapter_out_of_sample and test_fit_bounds; module-scoped like the tables above.


@pytest.fixture(scope="module")
def tables():
    return {n: data.load(n) for n in ("unga", "trade", "power", "opinion", "events", "exercises")}


@pytest.fixture(scope="module")
def run(tables):
    from reluctant_allies.analysis import evaluation as ev  # scipy and the charts: only when asked

    t = tables
    cal = ev.proxy_table(t["unga"], t["trade"], t["power"], t["opinion"], last_year=2018)
    S = ev.calibration_pressure(t["events"])
    frozen = ev.freeze(cal, S, proxies=ev.FIRST_EDITION_PROXIES)
    paths = ev.pressure_scenarios(S, t["events"])
    fc = ev.forecast(frozen, paths)
    obs = ev.proxy_table(t["unga"], t["trade"], t["power"], t["opinion"])
    err = ev.holdout_errors(fc, obs, frozen)
    producers = ev.proxy_producers(t["trade"], t["power"])
    return dict(
        cal=cal, S=S, frozen=frozen, paths=paths, fc=fc, obs=obs, err=err, producers=producers
    )


@pytest.fixture(scope="module")
def run2(tables):
    """Chapter 11 as the second edition runs it: the pressure record, the share proxy."""
    from reluctant_allies import pressure
    from reluctant_allies.analysis import evaluation as ev

    t = tables
    extra = {
        "shares": data.load("trade_shares"),
        "composition": data.load("trade_composition"),
        "arms": data.load("arms_transfers"),
    }
    base = (t["unga"], t["trade"], t["power"], t["opinion"])
    cal = ev.proxy_table(*base, last_year=2018, **extra)
    obs = ev.proxy_table(*base, **extra)
    actions = pressure.load_record()
    S = ev.record_pressure(actions)
    paths = ev.record_scenarios(actions)
    frozen = ev.freeze(cal, S, fixed={"delta_m": ev.DELTA_M_RANGE[1]})  # as the chapter
    fc = ev.forecast(frozen, paths)
    err = ev.holdout_errors(fc, obs, frozen)
    return dict(cal=cal, obs=obs, actions=actions, S=S, paths=paths, frozen=frozen, fc=fc, err=err)
