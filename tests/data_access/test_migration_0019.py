"""Migration 0019 (issue 29): learning reviews, the actions' evidence and the full risk entry.

It goes up over existing rapid-review actions (a complete one gets a completion date, so the new
rule holds), keeps the older check constraints through the table rebuilds, and goes down again,
on both stores."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import migrate
from data_access.db import engine_for


def _seed_0014(engine: sa.Engine) -> None:
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO theme (code, name, description, youth_description, sort_order) VALUES ('mash', 'MASH', 'd', 'y', 1)"
            )
        )
        c.execute(
            sa.text(
                "INSERT INTO agency (id, code, name, sector, agency_type, section_175, active) "
                "VALUES (1, 'BCS', 'Council', 'council', 'statutory_partner', false, true)"
            )
        )
        c.execute(
            sa.text(
                "INSERT INTO rapid_review (id, reference, incident_on, notified_on, outcome) "
                "VALUES (1, 'RR-1', :d, :d, 'lcspr')"
            ),
            {"d": dt.date(2025, 5, 1)},
        )
        c.execute(
            sa.text(
                "INSERT INTO case_review_action "
                "(id, rapid_review_id, recommendation, owner_agency_id, due_date, status) "
                "VALUES (1, 1, 'Do it', 1, :d, 'complete')"
            ),
            {"d": dt.date(2025, 9, 1)},
        )


def test_migration_0019_up_and_down(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine, "0014")
    _seed_0014(engine)
    migrate.upgrade(engine, "0019")
    with engine.connect() as c:
        completed = c.scalar(sa.text("SELECT completed_on FROM case_review_action WHERE id = 1"))
        assert str(completed)[:10] == "2025-09-01"
    # The new rules and the old ones are enforced after the rebuild.
    for statement in (
        "UPDATE case_review_action SET rapid_review_id = NULL",  # no source
        "UPDATE case_review_action SET status = 'open', impact_evidence = 'x'",  # impact first
        "UPDATE case_review_action SET status = 'finished'",  # the older status rule
        "UPDATE risk SET likelihood_after = 6",
    ):
        if statement.startswith("UPDATE risk"):
            with engine.begin() as c:
                c.execute(
                    sa.text(
                        "INSERT INTO risk (id, reference, title, likelihood, impact, status) "
                        "VALUES (1, 'R1', 'A risk', 3, 3, 'open')"
                    )
                )
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as c:
            c.execute(sa.text(statement))
    migrate.downgrade(engine, "0014")
    with engine.connect() as c:
        columns = {col["name"] for col in sa.inspect(c).get_columns("case_review_action")}
        tables = set(sa.inspect(c).get_table_names())
    assert "impact_evidence" not in columns and "learning_review" not in tables
    migrate.upgrade(engine)
