"""Migration 0022: a measure's figures for one quarter by agency or locality, and a year's
training follow-ups by level, are sought through their own indexes; board packs gain the data
version they were made from; the migration goes up and down on both stores."""

from __future__ import annotations

import sqlalchemy as sa

from data_access import migrate
from data_access.db import engine_for
from tests.support.index_plans import check_index_migration, indexes, plan

# The lookups as data_access.themes sends them (a breakdown of one measure for one quarter; the
# follow-ups of a year), and the index each should use.
LOOKUPS = {
    "ix_indicator_value_breakdown": (
        "indicator_value",
        "SELECT locality_id, value FROM indicator_value WHERE indicator_id = 7 AND period_id = 3 "
        "AND is_current = true AND agency_id IS NULL",
    ),
    "ix_training_follow_up_date_level": (
        "training_follow_up",
        "SELECT kirkpatrick_level, sum(respondents), sum(reporting_impact) FROM training_follow_up "
        "WHERE followed_up_on BETWEEN '2025-10-01' AND '2026-09-30' GROUP BY kirkpatrick_level",
    ),
}


def test_migration_0022_seeks_breakdowns_and_follow_ups_and_downgrades(db_url: str) -> None:
    engine = engine_for(db_url)
    if engine.dialect.name == "sqlite":
        check_index_migration(engine, "0020", "0022", LOOKUPS)
        return
    # PostgreSQL seeks a breakdown through the partial index on current figures already (it is
    # in the plan before and after), so only the follow-ups index is added there.
    table, breakdown = LOOKUPS["ix_indicator_value_breakdown"]
    follow_ups = {k: v for k, v in LOOKUPS.items() if k == "ix_training_follow_up_date_level"}
    check_index_migration(engine, "0020", "0022", follow_ups)
    assert "ix_indicator_value_breakdown" not in indexes(engine, table)
    assert "uq_indicator_value_current" in plan(engine, breakdown)


def test_migration_0022_keeps_the_data_version_a_pack_was_made_from(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine, "0022")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("board_pack")}
    assert "data_version" in columns
    migrate.downgrade(engine, "0020")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("board_pack")}
    assert "data_version" not in columns
