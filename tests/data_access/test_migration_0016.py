"""Migration 0016: the partnership's councils and the DfE's published releases and figures; it
goes up and down on both stores, and a store holding published figures downgrades cleanly."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import migrate
from data_access.db import engine_for

TABLES = {"partnership_council", "published_release", "published_figure"}


def test_migration_0016_adds_the_published_tables_and_downgrades(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine, "0014")
    assert not TABLES & set(sa.inspect(engine).get_table_names())
    migrate.upgrade(engine, "0016")
    assert set(sa.inspect(engine).get_table_names()) >= TABLES
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO published_release (name, file_name, checksum, loaded_at, "
                "loaded_by, figure_count) VALUES ('r', 'f.csv', 'x', '2026-12-07', 'jo', 1)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO published_figure (measure_code, area_code, area_name, year, value, "
                "release_id, is_current) VALUES ('CIN', '356', 'Stockport', 2020, NULL, 1, "
                ":current)"
            ),
            {"current": True},
        )
        # One figure per measure, area, year and release.
        duplicate = sa.text(
            "INSERT INTO published_figure (measure_code, area_code, area_name, year, value, "
            "release_id, is_current) VALUES ('CIN', '356', 'Stockport', 2020, 1.0, 1, :current)"
        )
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(duplicate, {"current": True})
    migrate.downgrade(engine, "0014")
    assert not TABLES & set(sa.inspect(engine).get_table_names())
    assert migrate.current_revision(engine) == "0014"
