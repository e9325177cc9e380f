"""The package's layers: who may import whom, what the public names are, and that importing
changes no global state.

The import direction itself (data/models <- pressure, indicators <- analysis <- charts <-
chapters) is enforced by import-linter in ``make lint`` (``[tool.importlinter]`` in
pyproject.toml); these tests check what a contract cannot: Altair is absent below the
charts, and the explicit re-exports list every topic module's public names.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reluctant_allies import ROOT, analysis, charts

PKG = ROOT / "reluctant_allies"


def _fresh(code: str) -> dict:
    """Run ``code`` in a new interpreter (nothing imported yet) and return its JSON output."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout)


def test_importing_the_package_leaves_altair_settings_alone():
    got = _fresh(
        "import json, altair as alt\n"
        "before = (alt.theme.active, dict(alt.renderers.options))\n"
        "import reluctant_allies.charts, reluctant_allies.explorables, reluctant_allies.analysis\n"
        "after = (alt.theme.active, dict(alt.renderers.options))\n"
        "reluctant_allies.charts.use_book_style()\n"
        "styled = (alt.theme.active, alt.renderers.options.get('embed_options'))\n"
        "print(json.dumps({'before': before, 'after': after, 'styled': styled}))\n"
    )
    assert got["after"] == got["before"]
    assert got["styled"] == [charts.THEME_NAME, {"actions": False}]


@pytest.mark.parametrize(
    "module",
    ["reluctant_allies.analysis", "reluctant_allies.indicators", "reluctant_allies.pressure"],
)
def test_no_altair_below_the_charts(module):
    got = _fresh(
        f"import json, sys; import {module}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'altair'"
        " or m.startswith('reluctant_allies.charts'))))\n"
    )
    assert got == [], f"importing {module} pulled in {got}"


def _module_all(path: Path) -> list[str]:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) == "__all__" for t in node.targets
        ):
            return [e.value for e in node.value.elts]
    raise AssertionError(f"{path} has no __all__")


@pytest.mark.parametrize(
    ("package", "skip", "extra"),
    [
        (
            charts,
            {"theme", "render"},
            {"PALETTE", "THEME_NAME", "finish", "source_note", "use_book_style"},
        ),
        (analysis, {"evaluation"}, {"evaluation"}),
    ],
    ids=["charts", "analysis"],
)
def test_explicit_reexports_cover_every_topic_module(package, skip, extra):
    folder = Path(package.__file__).parent
    expected = set(extra)
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_") or path.stem in skip:
            continue
        names = _module_all(path)
        clash = expected & set(names)
        assert not clash, f"{path.name} exports {sorted(clash)}, already exported by another module"
        expected |= set(names)
    assert set(package.__all__) == expected
    for name in package.__all__:
        assert getattr(package, name) is not None


def test_no_function_in_analysis_builds_a_chart():
    for path in sorted((PKG / "analysis").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "import altair" not in text and "from altair" not in text, path.name
