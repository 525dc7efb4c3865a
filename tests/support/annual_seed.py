"""Annual figures written straight into a store, with known answers (not a test module).

`seed_annual(engine)` writes the partnership figures in `FIGURES` for financial and academic
years, and `NOTED` qualifies one of them with a GSS symbol, a bound and a partner's comment.
"""

from __future__ import annotations

import sqlalchemy as sa

from data_access.db import session_scope
from data_access.models import Indicator, IndicatorValue, Locality
from data_access.periods import parse_period
from data_access.reference import ensure_periods

# {indicator: {year: value}}: percentages against annual targets, a rate, a count, a school year.
FIGURES: dict[str, dict[str, float]] = {
    # higher is better, target 85 (amber from 80): 80 -> 82 -> 88, green on the year.
    "STAT_ASSESSMENTS_45WD": {"2022-23": 80.0, "2023-24": 82.0, "2024-25": 88.0},
    # lower is better, target 22 (amber to 24): red in 2024-25, a year after being green.
    "STAT_REREFERRALS_12M": {"2022-23": 21.0, "2023-24": 20.5, "2024-25": 25.2},
    # a neutral rate per 10,000 children: 304.3 -> 312.4, up 8.1.
    "STAT_CIN_RATE": {"2023-24": 304.3, "2024-25": 312.4},
    # a count, only the latest year: nothing to compare with.
    "STAT_CLA_COUNT": {"2024-25": 355.0},
    # a school-year figure, higher is better, target 68.
    "STAT_SCHOOL_READINESS": {"AY 2023/24": 66.0, "AY 2024/25": 69.5},
}
# The figure a partner qualified: low reliability, a bound and a comment (with Markdown in it).
NOTED = ("STAT_CIN_RATE", "2024-25")
NOTE_COMMENT = "census return late: **provisional** [see](http://example.org)"
# Where the store has a locality "N", its own children in need rate for the latest year.
LOCALITY_RATE = ("N", "2024-25", 298.7)
NOTE_WORDS = "u: low reliability; a bound: the figure is more than the value shown; " + NOTE_COMMENT


def seed_annual(engine: sa.Engine) -> None:
    """Write `FIGURES` (partnership level) into a migrated store holding the catalogue."""
    years = sorted({y for by_year in FIGURES.values() for y in by_year})
    with session_scope(engine) as session:
        period_ids = ensure_periods(session, [parse_period(y) for y in years])
        ids = dict(session.execute(sa.select(Indicator.code, Indicator.id)).all())
        for code, by_year in FIGURES.items():
            for year, value in by_year.items():
                noted = (code, year) == NOTED
                session.add(
                    IndicatorValue(
                        indicator_id=ids[code],
                        period_id=period_ids[year],
                        value=value,
                        status_symbol="u" if noted else None,
                        qualifier="more than" if noted else None,
                        comment=NOTE_COMMENT if noted else None,
                    )
                )
        locality = session.scalar(sa.select(Locality.id).where(Locality.code == LOCALITY_RATE[0]))
        if locality is not None:
            session.add(
                IndicatorValue(
                    indicator_id=ids["STAT_CIN_RATE"],
                    period_id=period_ids[LOCALITY_RATE[1]],
                    locality_id=locality,
                    value=LOCALITY_RATE[2],
                )
            )
