"""Migration 0013: the missing-returns check seeks each agency's submission for a quarter, the
late-returns check reads the files received after a quarter's cut-off, and the Section 11
counts read a return's ratings from an index alone; the migration goes up and down on both
stores."""

from __future__ import annotations

from data_access import migrate
from data_access.db import engine_for
from tests.data_access.index_plans import indexes as _indexes
from tests.data_access.index_plans import plan as _plan

# The lookups as data_access.data_quality._has_submitted and data_access.section11's counts
# send them, and the index each should use.
LOOKUPS = {
    "ix_submission_agency_period": (
        "submission",
        # (On an empty table PostgreSQL picks either index when the quarter is given too.)
        "SELECT period_id, status, submitted_at FROM submission WHERE agency_id = 7"),
    "ix_submission_period_received": (
        "submission",
        "SELECT agency_id FROM submission WHERE period_id = 3 AND status = 'loaded' "
        "AND submitted_at >= '2026-02-15'"),
    "ix_s11_rating_return_rating": (
        "s11_rating",
        "SELECT standard_id, rating FROM s11_rating WHERE return_id = 7 "
        "ORDER BY standard_id, rating"),
}


def test_migration_0013_seeks_returns_and_ratings_and_downgrades(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine, "0012")
    for index, (table, query) in LOOKUPS.items():
        assert index not in _indexes(engine, table)
        assert index not in _plan(engine, query)
    migrate.upgrade(engine, "0013")
    for index, (table, query) in LOOKUPS.items():
        assert index in _indexes(engine, table)
        assert index in _plan(engine, query), (index, _plan(engine, query))
    migrate.downgrade(engine, "0012")
    for index, (table, _query) in LOOKUPS.items():
        assert index not in _indexes(engine, table)
    migrate.upgrade(engine, "0013")
    assert migrate.current_revision(engine) == "0013"
