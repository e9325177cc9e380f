"""Prose parsed as maths fails the build (``_ext/stray_maths.py``), and the book has none."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.site import ROOT

sys.path.insert(0, str(ROOT / "_ext"))
import stray_maths  # noqa: E402

PROSE = [
    # chapter 5 before the fix: two US$ in one paragraph
    "95.4 bn in 2014 ([Xinhua](https://www.xinhuanet.com/x)). Then it fell to US",
    # Figure 3.1's caption before the fix
    ", 1992–2024) and GDP (World Bank, current US",
    "1 bn and the other side US",
    "see www.example.org",
]
FORMULAS = [
    r"C_t \ge \theta_E",
    r"\mathrm{AIC} = n\ln(\mathrm{RSS}/n) + 2p",
    r"S_A \le 1 \text{ requires the hurdle to be low }",
    r"\operatorname{logit}(0.85)/8 \approx 0.667",
    r"\lvert\theta_{CN}-\theta_{RU}\rvert",
    r"H_{e,t+1} = H_{e,t} - \delta_e P_t H_{e,t} + \rho_e (H_{e,0} - H_{e,t})",
]


@pytest.mark.parametrize("text", PROSE)
def test_prose_is_caught(text):
    assert stray_maths.prose_in_maths(text)


@pytest.mark.parametrize("text", FORMULAS)
def test_formulas_pass(text):
    assert stray_maths.prose_in_maths(text) is None


def _build(tmp_path, body: str) -> subprocess.CompletedProcess:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(ROOT / "_ext")!r})
            extensions = ["myst_parser", "stray_maths"]
            myst_enable_extensions = ["dollarmath"]
            """
        ),
        encoding="utf-8",
    )
    (src / "index.md").write_text(f"# Trade\n\n{body}\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )


def test_a_reintroduced_dollar_pair_fails_the_build(tmp_path):
    done = _build(tmp_path, "Trade reached US$95.4 bn in 2014 and fell to US$64.2 bn in 2015.")
    assert done.returncode != 0
    assert "prose parsed as maths on page index" in done.stderr
    assert "bn in 2014" in done.stderr


def test_escaped_dollars_build_clean(tmp_path):
    done = _build(
        tmp_path, r"Trade reached US\$95.4 bn in 2014 and fell to US\$64.2 bn; $C_t \ge \theta_E$."
    )
    assert done.returncode == 0, done.stderr
