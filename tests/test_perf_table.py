"""`make perf`'s table flags each page against issue 14's goals (no browser needed)."""

from __future__ import annotations

from tests.perf import page_table


def _row(doc, charts, gz_kb, figure, interactive):
    return {"doc": doc, "charts": charts, "raw": gz_kb * 4000, "gz": gz_kb * 1000,
            "figure": figure, "interactive": interactive}  # fmt: skip


def test_pages_within_the_goals_are_not_flagged():
    table, over = page_table(
        [_row("book/a", 3, 290, 0.05, 0.8), _row("book/b", 0, 140, None, None)]
    )
    assert over == 0 and "<-" not in table
    assert "Pages missing a goal: 0 of 2" in table


def test_each_goal_is_checked_with_the_right_budget():
    rows = [
        _row("book/heavy-chapter", 2, 310, 0.1, 0.5),  # over 300 KB
        _row("book/heavy-text", 0, 160, None, None),  # a text page has 150 KB
        _row("book/slow-figure", 1, 200, 0.4, 0.5),
        _row("book/slow-chart", 1, 200, 0.1, 1.5),
    ]
    table, over = page_table(rows)
    lines = {line.split()[0]: line for line in table.splitlines()[1:-1]}
    assert "transfer > 300 KB" in lines["book/heavy-chapter"]
    assert "transfer > 150 KB" in lines["book/heavy-text"]
    assert "figure > 0.3 s" in lines["book/slow-figure"]
    assert "interactive > 1.0 s" in lines["book/slow-chart"]
    assert over == 4
