"""The benchmark command runs and prints its figures (tiny sizes; no timing assertions)."""

from __future__ import annotations

from reluctant_allies import bench


def test_bench_prints_the_expected_lines(capsys):
    bench.main(["--params", "300", "--years", "5", "--loop-sample", "30", "--repeats", "1"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    for start in (
        "vectorised: 300 parameter sets x 5 years",
        "plain-Python loop: timed 30 of 300",
        "ratio vectorised / loop:",
        "check: max |vectorised - loop|",
        "goals:",
    ):
        assert any(line.startswith(start) for line in lines), (start, out)
    assert "scaled linearly to the full sweep" in out
    assert "model-years/s" in out


def test_vectorised_and_loop_agree_in_the_bench():
    r = bench.run(n_params=200, years=8, loop_sample=20, repeats=1)
    assert r["max_abs_diff"] <= 1e-12
