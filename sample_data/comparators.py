"""Comparator figures: England, statistical neighbours and (for some) the region.

Illustrative values in the range national publications report, moving slowly over the quarters.
They are part of the fictional sample, not official statistics.
"""

from __future__ import annotations

import numpy as np

from data_access.catalogue import IndicatorSpec
from sample_data.series import IndicatorSeries
from sample_data.timeline import Timeline, rng_for

SOURCE = "Illustrative sample comparator (not an official statistic)"

# code: (England at the start, England at the end, neighbour offset, region offset or None)
ENGLAND: dict[str, tuple[float, float, float, float | None]] = {
    "EH_SCHOOL_READINESS": (71.8, 67.9, -1.4, -1.9),
    "MASH_REFERRAL_RATE": (136.0, 131.5, 14.0, 9.0),
    "MASH_REREFERRALS": (22.6, 22.1, 1.1, 0.6),
    "MASH_CONVERSION": (24.0, 22.5, 1.5, None),
    "MASH_ASSESSMENTS_45WD": (83.8, 82.9, -1.2, -0.4),
    "MASH_ICPC_15WD": (78.7, 78.0, 2.1, 1.0),
    "MASH_DECISION_1WD": (88.0, 87.0, 1.5, None),
    "MASH_SW_CASELOAD": (17.0, 16.0, 0.8, None),
    "NEG_CP_NEGLECT_PCT": (48.5, 50.2, -2.5, -1.0),
    "NEG_CP_RATE": (43.7, 40.4, 6.5, 4.2),
    "NEG_CP_SECOND_TIME": (21.9, 23.8, 0.9, 0.4),
    "NEG_CP_REVIEWS_TIMELY": (91.4, 92.0, -0.8, None),
    "NEG_CP_TWO_YEARS": (3.6, 3.2, 0.3, 0.2),
    "EH_REOPENED_12M": (14.0, 13.0, 0.5, None),
    "CS_RHI_OFFERED_72H": (85.0, 88.0, -1.0, None),
}


def _generic(spec: IndicatorSpec, series: IndicatorSeries) -> tuple[float, float, float, None]:
    values = [f.value for f in series.partnership]
    centre = float(np.mean(values)) if values else 0.0
    return (centre * 1.03, centre * 0.99, centre * 0.02, None)


def build_comparators(
    seed: int,
    timeline: Timeline,
    specs: list[IndicatorSpec],
    series: dict[str, IndicatorSeries],
    indicator_ids: dict[str, int],
    period_ids: list[int],
) -> list[dict]:
    """Comparator rows for every quarter, for indicators with a national figure."""
    rows = []
    row_id = 0
    for spec in specs:
        if spec.code in ENGLAND:
            start, end, neighbour, region = ENGLAND[spec.code]
        elif spec.unit in ("percentage", "rate_per_10k") and "census" in spec.source.lower():
            start, end, neighbour, region = _generic(spec, series[spec.code])
        else:
            continue
        rng = rng_for(seed, "comparators", spec.code)
        noise = 0.002 * max(abs(start), 1.0)
        for t in range(timeline.n):
            england = timeline.ramp(t, start, end) + noise * rng.standard_normal()
            figures = {
                "england": england,
                "statistical_neighbours": england + neighbour + noise * rng.standard_normal(),
            }
            if region is not None:
                figures["region"] = england + region + noise * rng.standard_normal()
            for kind, value in figures.items():
                if spec.unit == "percentage":
                    value = float(np.clip(value, 0, 100))
                row_id += 1
                rows.append(
                    {
                        "id": row_id,
                        "indicator_id": indicator_ids[spec.code],
                        "comparator_type": kind,
                        "period_id": period_ids[t],
                        "value": round(max(0.0, value), 1),
                        "source": SOURCE,
                    }
                )
    return rows
