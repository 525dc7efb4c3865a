"""Users and roles, tab Agencies: an administrator links a person to agencies (audit-logged)."""

from __future__ import annotations

import sqlalchemy as sa

from data_access import user_agencies, users
from data_access.db import session_scope
from data_access.models import AuditLogEntry
from tests.support.import_corpus import seed_reference
from tests.support.signed_in import signed_in_app
from tests.support.visible_text import visible

PASSWORD = "a long enough password"


def test_an_administrator_links_a_person_to_agencies(sqlite_store: sa.Engine, use_store) -> None:
    seed_reference(sqlite_store)
    with session_scope(sqlite_store) as session:
        users.create_user(session, "ann.admin", "Ann Admin", "admin", PASSWORD)
        users.create_user(session, "pat.police", "Pat", "agency_submitter", PASSWORD)
    use_store(sqlite_store)
    at = signed_in_app("users", "admin", username="ann.admin", name="Ann", timeout=60).run()
    at.selectbox(key="agencies_username").select("pat.police")
    at.run()
    at.multiselect(key="agencies_of_pat.police").select("POLICE").select("SCHOOLS")
    next(b for b in at.button if b.label == "Save agencies").click()
    at.run()
    assert not at.exception
    assert [visible(s.value) for s in at.success] == ["pat.police is linked to POLICE, SCHOOLS."]
    with session_scope(sqlite_store) as session:
        assert user_agencies.agency_codes(session, "pat.police") == ["POLICE", "SCHOOLS"]
    with sqlite_store.connect() as connection:
        entry = connection.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.page, AuditLogEntry.detail)
            .order_by(AuditLogEntry.id.desc())
            .limit(1)
        ).one()
    assert tuple(entry) == ("ann.admin", "users", "pat.police: none -> POLICE, SCHOOLS")
    links = next(f.value for f in at.dataframe if "Agency" in f.value.columns)
    assert list(links["Agency"]) == ["POLICE", "SCHOOLS"]
