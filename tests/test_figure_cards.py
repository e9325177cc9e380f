"""The figure cards and explorable permalinks on the built site (``make book`` first).

* every numbered figure has its card under it and its card's files on disk;
* the CSVs hold exactly the data inside the chart spec the page ships;
* every link of every card resolves: a file of the site (and its #anchor), or the
  repository's copy of a file that exists here;
* a card costs nothing but its closed ``<details>`` line until it is opened (the files
  load on demand), reported per page;
* permalinks: a moved slider is in the address and a reload restores it; a version-1 link
  migrates (renamed keys, a value off the grid snapped); "cite this view" gives the values.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from reluctant_allies import ROOT, cards, replication
from tests.site import HTML, PageWatch

sys.path.insert(0, str(ROOT / "_ext"))
from static_charts import chart_spec  # noqa: E402

REPO = replication.citation(ROOT)["repository-code"].rstrip("/") + "/blob/main/"
EXHIBITS = [e for e in replication.exhibits(ROOT) if e.kind == "Figure"]
_SCRIPT = re.compile(
    r'<script type="application/vnd\.book-chart\+javascript" data-chart="[^"]+"'
    r'(?: data-src="([^"]+)")?>(.*?)</script>',
    re.S,
)
_CARD = re.compile(r'<details class="figure-card" id="card-([^"]+)">.*?</details>', re.S)


def _page(ex) -> str:
    path = HTML / f"{ex.chapter}.html"
    if not path.exists():
        pytest.fail(f"no built site at {HTML}: run `make book` first (make test does)")
    return path.read_text(encoding="utf-8")


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _parse(text: str) -> _Anchors:
    parser = _Anchors()
    parser.feed(text)
    return parser


def _figure_html(page: str, label: str) -> str:
    start = page.index(f'id="{label}"')
    end = page.index("</figure>", start)
    return page[start:end]


@pytest.mark.parametrize("ex", EXHIBITS, ids=[e.label for e in EXHIBITS])
def test_every_figure_has_its_card_and_files(ex):
    page = _page(ex)
    found = {m.group(1): m.group(0) for m in _CARD.finditer(page)}
    assert ex.label in found, f"{ex.chapter}: no card under {ex.label}"
    card = found[ex.label]
    assert f"Figure {ex.number}<" in card
    folder = HTML / "_static" / "figures" / Path(ex.chapter).name
    stem = "figure-" + ex.number.replace(".", "-")
    for suffix in ("-README.md", ".bib", ".svg", ".png"):
        assert (folder / f"{stem}{suffix}").stat().st_size > 0, f"{stem}{suffix}"
    assert (folder / f"{Path(ex.chapter).name}-figures.zip").exists()


@pytest.mark.parametrize("ex", EXHIBITS, ids=[e.label for e in EXHIBITS])
def test_card_csvs_equal_the_data_inside_the_page_spec(ex):
    chart = _SCRIPT.search(_figure_html(_page(ex), ex.label))
    assert chart, f"{ex.label}: no chart script in the figure"
    # a heavy chart's script is a file of its own (static_charts.external_script)
    src, body = chart.groups()
    if src is not None:
        assert not body.strip(), f"{ex.label}: a script with data-src has a body too"
        body = (HTML / Path(ex.chapter).parent / src).read_text(encoding="utf-8")
    spec = chart_spec(body)
    tables = cards.plotted_tables(spec)
    folder = HTML / "_static" / "figures" / Path(ex.chapter).name
    stem = "figure-" + ex.number.replace(".", "-")
    files = sorted(folder.glob(f"{stem}.csv")) + sorted(
        folder.glob(f"{stem}-data-*.csv"), key=lambda p: int(p.stem.rsplit("-", 1)[1])
    )
    assert len(files) == len(tables)
    for path, table in zip(files, tables, strict=True):
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
        rows = list(reader)
        assert tuple(reader.fieldnames or ()) == table.columns, path.name
        assert [{c: r.get(c, "") for c in table.columns} for r in rows] == [
            {c: cards._cell(r.get(c)) for c in table.columns} for r in table.rows
        ], path.name


def _resolves(page_path: Path, href: str) -> str | None:
    """None if ``href`` (from a card on ``page_path``) resolves, else why not."""
    if href.startswith(("http://", "https://")):
        if not href.startswith(REPO):
            return f"{href}: outside the repository"
        local = ROOT / href.removeprefix(REPO)
        return None if local.exists() else f"{href}: no such file in the repository"
    parts = urlsplit(href)
    target = (page_path.parent / unquote(parts.path)).resolve() if parts.path else page_path
    if not target.is_file():
        return f"{href}: no file {target}"
    if parts.fragment:
        ids = _parse(target.read_text(encoding="utf-8")).ids
        if parts.fragment not in ids:
            return f"{href}: no #{parts.fragment} in {target.name}"
    return None


def test_every_link_in_every_card_resolves():
    broken, checked = [], 0
    for chapter in sorted({ex.chapter for ex in EXHIBITS}):
        path = HTML / f"{chapter}.html"
        for card in _CARD.finditer(path.read_text(encoding="utf-8")):
            for href in _parse(card.group(0)).hrefs:
                checked += 1
                problem = _resolves(path, href)
                if problem:
                    broken.append(f"{chapter} card {card.group(1)}: {problem}")
    assert checked > 53 * 8
    assert broken == []


def test_a_closed_card_adds_about_a_kilobyte_gzipped_at_most(capsys):
    lines, worst = [], 0.0
    for chapter in sorted({ex.chapter for ex in EXHIBITS}):
        page = (HTML / f"{chapter}.html").read_text(encoding="utf-8")
        found = [m.group(0) for m in _CARD.finditer(page)]
        raw = sum(len(c.encode()) for c in found)
        gz = len(gzip.compress(page.encode(), 9)) - len(
            gzip.compress(_CARD.sub("", page).encode(), 9)
        )
        worst = max(worst, gz / len(found))
        lines.append(f"{chapter}: {len(found)} cards, {raw} B raw, {gz} B gzipped in the page")
    with capsys.disabled():
        print("\nfigure cards before they are opened (their files load on demand):")
        print("\n".join(lines))
    assert worst < 1200  # an inline table or image would cost tens of kilobytes


# --- permalinks in the browser --------------------------------------------------------------

VIEW = "fig-policy-explorable"
REAL = f"#{VIEW} .vega-bindings [name='{{}}']:not([data-param])"


def _values(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        f"#{VIEW} .vega-bindings input:not([data-param])",
        "els => Object.fromEntries(els.map(e => [e.name, e.value]))",
    )


def test_a_moved_slider_is_in_the_address_and_a_reload_restores_it(page, site_url):
    watch = PageWatch(page)
    page.goto(f"{site_url}/book/policy.html")
    page.hover(f"#{VIEW} .chart-deferred")
    page.wait_for_selector(f"#{VIEW} .chart-deferred[data-chart-state='interactive']")
    page.eval_on_selector(
        REAL.format("m"),
        "e => { e.value = '2.5'; e.dispatchEvent(new Event('input', {bubbles: true})); }",
    )
    page.wait_for_function("() => location.search.includes('effect=2.5')")
    assert "view=fig-policy-explorable" in page.url and "v=2" in page.url
    page.reload()
    page.wait_for_selector(f"#{VIEW}[data-view-restored]")
    assert _values(page) == {"m": "2.5", "s0_sel": "0.3"}
    assert watch.page_errors == [] and watch.console_errors == [] and watch.external == []


def test_an_old_link_migrates_and_snaps_to_the_grid(page, site_url):
    watch = PageWatch(page)
    # version 1 used the chart's parameter names; 0.55 is off today's 0.1 grid
    page.goto(f"{site_url}/book/policy.html?view={VIEW}&v=1&m=2&s0_sel=0.55#{VIEW}")
    page.wait_for_selector(f"#{VIEW}[data-view-restored]")
    assert _values(page) == {"m": "2", "s0_sel": "0.6"}
    query = dict(p.split("=") for p in urlsplit(page.url).query.split("&"))
    assert query == {"view": VIEW, "v": "2", "effect": "2", "start": "0.6"}
    page.click(f"#{VIEW} button[data-act='cite']")
    cite = page.text_content(f"#{VIEW} .explorable-links output")
    assert cite.startswith("Figure 7.4, explorable set to policy effectiveness")
    assert "= 2;" in cite and "= 0.6." in cite and "effect=2" in cite
    assert watch.page_errors == [] and watch.external == []


def test_a_radio_and_a_checkbox_round_trip(page, site_url):
    page.goto(f"{site_url}/book/falsifiers.html?view=fig-falsifiers-explorable&v=2&shape=pulse")
    page.wait_for_selector("#fig-falsifiers-explorable[data-view-restored]")
    assert (
        page.eval_on_selector(
            "#fig-falsifiers-explorable input[name='shape']:checked", "e => e.value"
        )
        == "pulse"
    )
    page.goto(f"{site_url}/book/system.html?view=fig-system-explorer&v=2&weak=true&half_life=5")
    page.wait_for_selector("#fig-system-explorer[data-view-restored]")
    state = page.eval_on_selector_all(
        "#fig-system-explorer .vega-bindings input:not([data-param])",
        "els => els.map(e => [e.name, e.type === 'checkbox' ? String(e.checked) : e.value])",
    )
    assert dict(state) == {"doc": "0.5", "half": "5", "weak": "true"}
