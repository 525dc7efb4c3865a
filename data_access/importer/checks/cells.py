"""Cell helpers the checks share: cells as text, code case-folding, and lookups by code."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd


def text_cells(series: pd.Series) -> pd.Series:
    """Cells as stripped text ('' for empty); whole floats from Excel lose their '.0'."""

    def one(cell: object) -> str:
        if cell is None:
            return ""
        if isinstance(cell, float):
            if math.isnan(cell):
                return ""
            return str(int(cell)) if cell.is_integer() else repr(cell)
        if isinstance(cell, dt.datetime):
            return cell.isoformat(sep=" ")
        return str(cell).strip()

    return pd.Series([one(c) for c in series], index=series.index, dtype=object)


def objects(values: Sequence[object]) -> np.ndarray:
    """An object array holding these very objects (np.array could copy or reshape them)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def case(series: pd.Series, method: str) -> pd.Series:
    """`series.str.upper()` / `.str.lower()` of text cells, one object per distinct text.

    A return repeats the same few codes on every row: a new string for each cell would cost
    several MB a column at 100,000 rows.
    """
    done: dict[str, str] = {}
    changed = [done[t] if t in done else done.setdefault(t, getattr(t, method)()) for t in series]
    return pd.Series(objects(changed), index=series.index, dtype=object, copy=False)


def lookup(keys: pd.Series, mapping: Mapping[str, object]) -> pd.Series:
    """Map keys through a dict, leaving None (never NaN) where a key is unknown."""
    return pd.Series([mapping.get(k) for k in keys], index=keys.index, dtype=object)
