"""Migration 0021: the Section 11 standards and cycles already kept become framework
"section_11", their returns keep their agencies; it goes up and down on both stores."""

from __future__ import annotations

import sqlalchemy as sa

from data_access import migrate
from data_access.db import engine_for


def test_migration_0021_marks_existing_rows_section_11_and_downgrades(db_url) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine, "0020")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO agency (id, code, name, sector, agency_type, section_175, active) "
                "VALUES (1, 'LA', 'Council', 'council', 'statutory_partner', :f, :t)"
            ),
            {"t": True, "f": False},
        )
        connection.execute(
            sa.text(
                "INSERT INTO s11_standard (id, number, title, description, youth_description) "
                "VALUES (1, 1, 'Senior lead', 'd', 'y')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO s11_cycle (id, name, opens_on, due_on) "
                "VALUES (1, '2024-26', '2024-09-02', '2024-12-13')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO s11_return (id, agency_id, cycle_id, submitted_on) "
                "VALUES (1, 1, 1, '2024-12-01')"
            )
        )
    migrate.upgrade(engine, "0021")
    with engine.begin() as connection:
        assert connection.execute(sa.text("SELECT framework FROM s11_standard")).scalar_one() == (
            "section_11"
        )
        assert connection.execute(sa.text("SELECT framework FROM s11_cycle")).scalar_one() == (
            "section_11"
        )
        assert connection.execute(
            sa.text("SELECT agency_id, setting_id FROM s11_return")
        ).one() == (1, None)
        # The schools' audit may now reuse a standard number and a cycle name.
        connection.execute(
            sa.text(
                "INSERT INTO s11_standard (id, framework, number, title, description, "
                "youth_description) VALUES (2, 'education_175_157', 1, 'Governance', 'd', 'y')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO s11_cycle (id, framework, name, opens_on, due_on) VALUES "
                "(2, 'education_175_157', '2024-26', '2024-10-01', '2025-01-30')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO education_setting (id, code, name, phase, duty) "
                "VALUES (1, '1001', 'Ash Primary School', 'primary', 'section_175')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO s11_return (id, setting_id, cycle_id, submitted_on) "
                "VALUES (2, 1, 2, '2025-01-10')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO s11_rating (id, return_id, standard_id, rating, evidence_summary) "
                "VALUES (1, 2, 2, 'amber', 'e')"
            )
        )
    migrate.downgrade(engine, "0020")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM s11_standard")).scalar() == 1
        assert connection.execute(sa.text("SELECT count(*) FROM s11_cycle")).scalar() == 1
        assert connection.execute(sa.text("SELECT agency_id FROM s11_return")).scalar_one() == 1
    inspector = sa.inspect(engine)
    assert "education_setting" not in inspector.get_table_names()
    assert "framework" not in {c["name"] for c in inspector.get_columns("s11_cycle")}
    migrate.upgrade(engine)
