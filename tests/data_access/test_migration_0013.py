"""Migration 0013: the missing-returns check seeks each agency's submission for a quarter, the
late-returns check reads the files received after a quarter's cut-off, and the Section 11
counts read a return's ratings from an index alone; the migration goes up and down on both
stores."""

from __future__ import annotations

from data_access.db import engine_for
from tests.support.index_plans import check_index_migration

# The lookups as data_access.data_quality._has_submitted and data_access.section11's counts
# send them, and the index each should use.
LOOKUPS = {
    "ix_submission_agency_period": (
        "submission",
        # (On an empty table PostgreSQL picks either index when the quarter is given too.)
        "SELECT period_id, status, submitted_at FROM submission WHERE agency_id = 7",
    ),
    "ix_submission_period_received": (
        "submission",
        "SELECT agency_id FROM submission WHERE period_id = 3 AND status = 'loaded' "
        "AND submitted_at >= '2026-02-15'",
    ),
    "ix_s11_rating_return_rating": (
        "s11_rating",
        "SELECT standard_id, rating FROM s11_rating WHERE return_id = 7 "
        "ORDER BY standard_id, rating",
    ),
}


def test_migration_0013_seeks_returns_and_ratings_and_downgrades(db_url: str) -> None:
    check_index_migration(engine_for(db_url), "0012", "0013", LOOKUPS)
