"""The problem report the checks add to: one line per row and column, errors before warnings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import numpy as np
import pandas as pd

ISSUE_COLUMNS = ["row", "column", "value", "severity", "problem", "what_to_do"]

# What a report line's value, problem or advice may be given as: one text for every row, a
# value per row (Series or array), or a function of the row's position, called only for the
# rows that have the problem.
Cells: TypeAlias = pd.Series | np.ndarray | str | Callable[[int], str]


class Report:
    """The lines found so far, and which rows have an error (so are not loaded)."""

    def __init__(self, row_numbers: np.ndarray, headings: dict[str, str]) -> None:
        self.row_numbers = row_numbers
        self.headings = headings
        self.parts: list[pd.DataFrame] = []
        self.error_mask = np.zeros(len(row_numbers), dtype=bool)

    def add(
        self,
        mask: np.ndarray,
        column: str,
        values: Cells,
        problem: Cells,
        what_to_do: pd.Series | np.ndarray | str,
        severity: str = "error",
    ) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if severity == "error":
            self.error_mask |= mask

        def pick(x: Cells) -> object:
            if isinstance(x, str):
                return x
            if callable(x):  # built only for the rows that have the problem
                return [x(int(i)) for i in np.flatnonzero(mask)]
            return np.asarray(x, dtype=object)[mask]

        self.parts.append(
            pd.DataFrame(
                {
                    "row": self.row_numbers[mask],
                    "column": self.headings.get(column, column) or column,
                    "value": pick(values),
                    "severity": severity,
                    "problem": pick(problem),
                    "what_to_do": pick(what_to_do),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS})
        issues = pd.concat(self.parts, ignore_index=True)
        issues["value"] = issues["value"].map(lambda v: "" if v is None else str(v))
        issues["_order"] = issues["severity"].map({"error": 0, "warning": 1})
        issues = issues.sort_values(["row", "_order"], kind="stable").drop(columns="_order")
        return issues.reset_index(drop=True)[ISSUE_COLUMNS]
