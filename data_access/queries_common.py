"""Small query helpers shared by the data_access modules."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa


def frame(
    engine: sa.Engine, statement: sa.Executable, columns: list[str] | None = None
) -> pd.DataFrame:
    """Run a select() and return its rows as a DataFrame (empty frames keep their columns)."""
    with engine.connect() as connection:
        result = connection.execute(statement)
        names = columns or list(result.keys())
        # pandas builds a frame from plain tuples several times faster than from Row objects.
        rows = [tuple(row) for row in result.fetchall()]
    return pd.DataFrame(rows, columns=names)
