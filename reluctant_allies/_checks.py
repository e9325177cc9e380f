"""Input checks shared by the chart modules (private: skipped by builder discovery).

Every builder validates the table it is given in the same way, so a reader who passes
the wrong frame gets the same kind of message from every chapter:

    >>> require_columns(pd.DataFrame({"year": [2000]}), ("year", "C"), "coded")
    Traceback (most recent call last):
    ...
    ValueError: coded: table lacks column(s) ['C']
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["NotADataFrameError", "require_columns"]


class NotADataFrameError(TypeError, ValueError):
    """A builder was given something other than a DataFrame.

    Both a ``TypeError`` and a ``ValueError`` (like :class:`numpy.exceptions.AxisError`),
    because the chart modules historically raised one or the other for this case.
    """


def require_columns(
    df: pd.DataFrame,
    columns: Iterable[str],
    who: str,
    *,
    what: str = "table",
    nonempty: bool = False,
) -> None:
    """Check that ``df`` is a DataFrame holding every name in ``columns``.

    ``who`` is the builder named in the message and ``what`` the table it describes
    (``"trade table"``, ``"forecasts"``). Raises :class:`NotADataFrameError` for a
    non-DataFrame, ``ValueError`` naming the missing column(s), and -- if ``nonempty`` --
    ``ValueError`` for a table with no rows.
    """
    if not isinstance(df, pd.DataFrame):
        raise NotADataFrameError(
            f"{who}: {what} must be a pandas DataFrame, got {type(df).__name__}"
        )
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{who}: {what} lacks column(s) {missing}")
    if nonempty and df.empty:
        raise ValueError(f"{who}: {what} is empty (no rows)")
