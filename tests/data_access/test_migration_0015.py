"""Migration 0015: an audit finding's counts move from the end of its text into two integer
columns, on both stores, and back on a downgrade."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from data_access import migrate
from data_access.db import engine_for

FINDINGS = {
    1: "Police, health and social care attended nearly every discussion sampled "
    "(seen in 1 of 7 cases).",
    2: "Plans were reviewed on time (seen in 1 of 1 case).",
    3: "Minutes were shared within two days.",  # recorded without counts
}


def _findings(engine: sa.Engine) -> dict[int, tuple]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT id, text, cases_seen, cases_sampled FROM audit_finding ORDER BY id")
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def test_upgrade_moves_the_counts_into_columns_and_downgrade_puts_them_back(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine, "0014")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO theme (code, name, description, youth_description, sort_order) "
                "VALUES ('mash', 'MASH', 'd', 'y', 0)"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO audit (id, reference, title, theme_code, audit_type, audit_date, "
                "sample_size, status, created_by, created_at) VALUES (1, 'MACA-1', 'T', 'mash', "
                "'multi_agency', :day, 7, 'complete', 'qa', :now)"
            ),
            {"day": dt.date(2025, 5, 1), "now": dt.datetime(2025, 5, 2)},
        )
        for finding_id, text in FINDINGS.items():
            connection.execute(
                sa.text(
                    "INSERT INTO audit_finding (id, audit_id, kind, text) "
                    "VALUES (:id, 1, 'strength', :text)"
                ),
                {"id": finding_id, "text": text},
            )
    migrate.upgrade(engine, "0015")
    assert _findings(engine) == {
        1: ("Police, health and social care attended nearly every discussion sampled.", 1, 7),
        2: ("Plans were reviewed on time.", 1, 1),
        3: ("Minutes were shared within two days.", None, None),
    }
    migrate.downgrade(engine, "0014")
    with engine.connect() as connection:
        texts = dict(connection.execute(sa.text("SELECT id, text FROM audit_finding")).all())
    assert texts == FINDINGS
    migrate.upgrade(engine)
    assert _findings(engine)[1][1:] == (1, 7)
