"""Migration 0020: old single sign-on links become subject or email links with their provider
(SSO_ISSUER, else "" which matches nothing); it goes up and down on both stores."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import migrate
from data_access.db import engine_for


@pytest.mark.parametrize("issuer", ["https://idp.example.org", None])
def test_migration_0020_backfills_links_and_downgrades(db_url, monkeypatch, issuer) -> None:
    if issuer:
        monkeypatch.setenv("SSO_ISSUER", issuer)
    else:
        monkeypatch.delenv("SSO_ISSUER", raising=False)
    engine = engine_for(db_url)
    migrate.upgrade(engine, "0014")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO app_user (username, display_name, password_hash, role, active, "
                "failed_attempts, is_demo, created_at) VALUES ('jo', 'Jo', 'x', 'qa_officer', "
                ":t, 0, :f, CURRENT_TIMESTAMP)"
            ),
            {"t": True, "f": False},
        )
        for identity in ("jo@example.org", "sub-123"):
            connection.execute(
                sa.text(
                    "INSERT INTO sso_identity (identity, user_id, created_at) "
                    "VALUES (:i, (SELECT id FROM app_user), CURRENT_TIMESTAMP)"
                ),
                {"i": identity},
            )
    migrate.upgrade(engine, "0020")
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT identity, issuer, kind FROM sso_identity ORDER BY identity")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("jo@example.org", issuer or "", "email"),
        ("sub-123", issuer or "", "subject"),
    ]
    migrate.downgrade(engine, "0014")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("sso_identity")}
    assert "issuer" not in columns and "kind" not in columns
    migrate.upgrade(engine)
