"""The users page: admins add users, change roles, reset passwords, deactivate; all audit-logged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import users
from data_access.db import session_scope
from data_access.models import AuditLogEntry, User
from tests.support.signed_in import signed_in_app
from tests.support.visible_text import visible


@pytest.fixture
def admin_store(store, use_store):
    with session_scope(store) as session:
        users.create_user(session, "ann.admin", "Ann Admin", "admin", "a long enough password")
        users.create_user(session, "jo.bloggs", "Jo Bloggs", "qa_officer", "a long enough password")
    use_store(store)
    return store


def open_as(role: str = "admin") -> AppTest:
    return signed_in_app("users", role, username="ann.admin", name="Ann Admin", timeout=60).run()


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    return at


def account(engine, username):
    with session_scope(engine) as session:
        return session.scalars(sa.select(User).where(User.username == username)).one_or_none()


def last_event(engine) -> tuple[str | None, str, str | None]:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.event, AuditLogEntry.page)
            .order_by(AuditLogEntry.id.desc())
            .limit(1)
        ).one()
    return tuple(row)


def test_lists_users_without_hashes(admin_store):
    at = open_as()
    assert not at.exception
    listing = at.dataframe[0].value
    assert set(listing["User name"]) == {"ann.admin", "jo.bloggs"}
    assert not any("password" in c.lower() or "hash" in c.lower() for c in listing.columns)


def test_add_user(admin_store):
    at = open_as()
    at.text_input(key="add_username").input("new.person")
    at.text_input(key="add_display_name").input("New Person")
    at.selectbox(key="add_role").select("executive")
    at.text_input(key="add_password").input("a brand new password")
    at.text_input(key="add_password_repeat").input("a brand new password")
    click(at, "Add user")
    assert not at.exception
    assert [visible(s.value) for s in at.success] == ["Added new.person."]
    created = account(admin_store, "new.person")
    assert created.role == "executive"
    assert users.verify_password("a brand new password", created.password_hash)
    assert last_event(admin_store) == ("ann.admin", "user_created", "users")
    assert "new.person" in set(at.dataframe[0].value["User name"])


def test_add_user_with_bad_input_writes_nothing(admin_store):
    at = open_as()
    at.text_input(key="add_username").input("Bad Name")
    at.text_input(key="add_display_name").input("Bad")
    at.text_input(key="add_password").input("short")
    at.text_input(key="add_password_repeat").input("short")
    click(at, "Add user")
    assert [e.value for e in at.error][0].startswith("“Bad Name” is not a valid user name")
    at.text_input(key="add_username").input("ok.name")
    click(at, "Add user")
    assert "at least 12" in at.error[0].value
    at.text_input(key="add_password_repeat").input("different")
    click(at, "Add user")
    assert at.error[0].value == "The two passwords are not the same."
    assert account(admin_store, "ok.name") is None


def test_change_role_reset_password_and_deactivate(admin_store):
    at = open_as()
    at.selectbox(key="role_username").select("jo.bloggs")
    at.selectbox(key="role_role").select("youth_council")
    click(at, "Change role")
    assert account(admin_store, "jo.bloggs").role == "youth_council"
    assert last_event(admin_store)[1:] == ("role_changed", "users")

    at.selectbox(key="reset_username").select("jo.bloggs")
    at.text_input(key="reset_password").input("yet another password")
    at.text_input(key="reset_password_repeat").input("yet another password")
    click(at, "Reset password")
    assert users.verify_password(
        "yet another password", account(admin_store, "jo.bloggs").password_hash
    )
    assert last_event(admin_store)[1] == "password_reset"

    at.selectbox(key="status_username").select("jo.bloggs")
    click(at, "Deactivate")
    assert not account(admin_store, "jo.bloggs").active
    assert last_event(admin_store)[1] == "user_deactivated"
    at.selectbox(key="status_username").select("jo.bloggs")
    click(at, "Reactivate")
    assert account(admin_store, "jo.bloggs").active


def test_admin_cannot_deactivate_themselves(admin_store):
    at = open_as()
    at.selectbox(key="status_username").select("ann.admin")
    click(at, "Deactivate")
    assert visible(at.error[0].value) == "You cannot deactivate your own account."
    assert account(admin_store, "ann.admin").active


@pytest.mark.parametrize("role", ["executive", "qa_officer", "youth_council"])
def test_other_roles_are_refused(admin_store, role):
    at = open_as(role)
    assert "does not have access to" in at.error[0].value
    assert not at.dataframe


def test_the_last_admin_cannot_be_demoted_from_the_page(admin_store):
    at = open_as()
    at.selectbox(key="role_username").set_value("ann.admin")
    at.selectbox(key="role_role").set_value("qa_officer")
    click(at, "Change role")
    assert any("last active administrator" in e.value for e in at.error)
    assert account(admin_store, "ann.admin").role == "admin"


def test_an_sso_identity_is_linked_from_the_page_and_listed_with_its_provider(admin_store):
    from data_access import sso_identities

    issuer = "https://idp.example.org"
    at = open_as()
    at.selectbox(key="sso_username").set_value("jo.bloggs")
    at.text_input(key="sso_issuer").input(issuer)
    at.radio(key="sso_kind").set_value("email")
    at.text_input(key="sso_identity").input("Jo.Bloggs@Example.org")
    click(at, "Link identity")
    assert not at.exception
    links = sso_identities.list_identities(engine=admin_store)
    assert links[["username", "issuer", "kind", "identity"]].values.tolist() == [
        ["jo.bloggs", issuer, "email", "jo.bloggs@example.org"]
    ]
    assert last_event(admin_store) == ("ann.admin", "sso_identity_linked", "users")
    assert any(issuer in table.value.to_string() for table in at.dataframe)


def test_an_administrator_resets_a_second_factor_from_the_page(admin_store):
    import pyotp

    from data_access import second_factor

    secret = second_factor.new_secret()
    with session_scope(admin_store) as session:
        second_factor.enrol(session, "jo.bloggs", secret, pyotp.TOTP(secret).now())
    at = open_as()
    at.selectbox(key="factor_username").set_value("jo.bloggs")
    click(at, "Reset second factor")
    assert not at.exception
    assert not second_factor.status(admin_store, "jo.bloggs").enrolled
    assert last_event(admin_store) == ("ann.admin", "second_factor_reset", "users")
