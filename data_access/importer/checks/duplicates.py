"""The check that no figure appears twice in a return."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.importer.checks.codes import AgencyCodes, IndicatorCodes, LocalityCodes
from data_access.importer.checks.periods import Periods
from data_access.importer.checks.report import Report


def check_duplicates(
    indicators: IndicatorCodes,
    periods: Periods,
    agencies: AgencyCodes,
    localities: LocalityCodes,
    row_numbers: np.ndarray,
    report: Report,
) -> None:
    """The same indicator, period, agency and locality on more than one row (each row listed)."""
    n = len(row_numbers)
    keys = pd.DataFrame(
        {
            "indicator": indicators.key.to_numpy(),
            # A period that could not be read is compared as written.
            "period": np.where(pd.isna(periods.code), periods.shown.to_numpy(), periods.code),
            "agency": agencies.key.to_numpy(),
            "locality": localities.key.to_numpy(),
        }
    )
    duplicated = keys.duplicated(keep=False).to_numpy() & ~indicators.blank
    if duplicated.any():
        groups = keys[duplicated].groupby(list(keys.columns), sort=False).ngroup()
        rows_of_group = (
            pd.Series(row_numbers[duplicated])
            .groupby(groups.to_numpy())
            .agg(lambda rows: ", ".join(str(r) for r in rows))
        )
        listing = groups.map(rows_of_group).to_numpy()
        message = np.empty(n, dtype=object)
        message.fill("")
        message[duplicated] = [
            f"The same indicator, period, agency and locality appear in rows {rows}."
            for rows in listing
        ]
        report.add(
            duplicated,
            "indicator_code",
            indicators.text,
            message,
            "Keep one row for each figure and delete the others.",
        )
