"""Migration 0006 (figure qualifiers, annual periods, indicator frequency) on a store with data."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from data_access import migrate
from data_access.db import engine_for

# The revision 0006 follows (main's head when the branch last merged it).
BEFORE = "0003"


def _count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608


def test_upgrade_keeps_figures_and_downgrade_drops_only_annual_periods(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine, BEFORE)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO theme (code, name, description, youth_description, sort_order) "
                "VALUES ('mash', 'MASH', 'd', 'y', 0)"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO indicator (id, code, name, theme_code, unit, polarity, rag_tolerance, "
                "definition, source, headline, reported_by, sort_order) VALUES (1, 'X', 'X', "
                "'mash', 'count', 'neutral', 0, 'd', 's', false, 'council', 0)"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO reporting_period (id, code, fy_start_year, quarter, start_date, "
                "end_date) VALUES (1, '2024-25 Q1', 2024, 1, :s, :e)"
            ),
            {"s": dt.date(2024, 4, 1), "e": dt.date(2024, 6, 30)},
        )
        connection.execute(
            sa.text(
                "INSERT INTO indicator_value (indicator_id, period_id, value, is_current, "
                "created_at) VALUES (1, 1, 7, true, :now)"
            ),
            {"now": dt.datetime(2025, 1, 1)},
        )
    migrate.upgrade(engine, "0006")  # rebuilds reporting_period while a figure points at it
    assert migrate.current_revision(engine) == "0006"
    with engine.begin() as connection:
        kind = connection.scalar(sa.text("SELECT kind FROM reporting_period WHERE id = 1"))
        assert kind == "quarter"
        connection.execute(
            sa.text(
                "INSERT INTO reporting_period (id, code, fy_start_year, quarter, kind, start_date, "
                "end_date) VALUES (2, '2024-25', 2024, 0, 'financial_year', :s, :e)"
            ),
            {"s": dt.date(2024, 4, 1), "e": dt.date(2025, 3, 31)},
        )
        connection.execute(
            sa.text(
                "INSERT INTO indicator_value (indicator_id, period_id, value, is_current, "
                "created_at, comment, qualifier) VALUES (1, 2, 40, true, :now, 'note', "
                "'more than')"
            ),
            {"now": dt.datetime(2025, 5, 1)},
        )
    assert _count(engine, "indicator_value") == 2
    migrate.downgrade(engine, BEFORE)
    assert _count(engine, "indicator_value") == 1 and _count(engine, "reporting_period") == 1
    with engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("indicator_value")}
        indexes = {i["name"] for i in sa.inspect(connection).get_indexes("indicator_value")}
    assert "comment" not in columns and "ix_indicator_value_scope" in indexes
    migrate.upgrade(engine)
    assert _count(engine, "indicator_value") == 1
