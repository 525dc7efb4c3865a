"""Single sign-on links bound to verified identities (issue 30), on SQLite and PostgreSQL.

A link names its provider and is a subject (compared exactly) or an email (matched only when the
provider says it is verified and is allowed to match emails); an email claim never matches a
subject link.
"""

from __future__ import annotations

import pytest

from data_access import sso_identities, users
from data_access.db import session_scope

IDP = "https://idp.example.org"
OTHER_IDP = "https://other.example.net"


@pytest.fixture
def linked(store, monkeypatch):
    monkeypatch.setenv("SSO_EMAIL_ISSUERS", IDP)
    monkeypatch.delenv("SSO_ISSUER", raising=False)
    with session_scope(store) as session:
        users.create_user(session, "ann.admin", "Ann", "admin", "a long enough password")
        users.create_user(session, "jo.qa", "Jo", "qa_officer", "a long enough password")
        session.flush()
        sso_identities.link_identity(session, "ann.admin", "admin-subject-123", issuer=IDP)
        sso_identities.link_identity(
            session, "jo.qa", "Jo.QA@example.org", issuer=IDP, kind="email"
        )
    return store


def test_a_subject_signs_in_only_exactly_and_only_at_its_provider(linked):
    assert sso_identities.match(linked, {"iss": IDP, "sub": "admin-subject-123"}).username == (
        "ann.admin"
    )
    for subject in ("Admin-Subject-123", "  admin-subject-123 ", "admin-subject-123 "):
        found = sso_identities.match(linked, {"iss": IDP, "sub": subject})
        assert found.username is None
        assert "no account is linked" in (found.refusal or "")
    elsewhere = {"iss": OTHER_IDP, "sub": "admin-subject-123"}
    assert sso_identities.match(linked, elsewhere).username is None


def test_an_email_equal_to_a_subject_link_is_refused(linked):
    claims = {"iss": IDP, "sub": "x-1", "email": "admin-subject-123", "email_verified": True}
    assert sso_identities.match(linked, claims).username is None


def test_a_verified_email_signs_in_an_unverified_one_does_not(linked):
    claims = {"iss": IDP, "sub": "jo-1", "email": "jo.qa@example.org", "email_verified": True}
    assert sso_identities.match(linked, claims).username == "jo.qa"
    assert sso_identities.match(linked, {**claims, "email_verified": "true"}).username == "jo.qa"
    for unverified in (False, None, "false", 1):
        found = sso_identities.match(linked, {**claims, "email_verified": unverified})
        assert found.username is None
        assert "verified" in (found.refusal or "")
    found = sso_identities.match(linked, {k: v for k, v in claims.items() if k != "email_verified"})
    assert found.username is None


def test_emails_match_only_for_providers_allowed_to(linked, monkeypatch):
    claims = {"iss": IDP, "sub": "jo-1", "email": "jo.qa@example.org", "email_verified": True}
    monkeypatch.setenv("SSO_EMAIL_ISSUERS", OTHER_IDP)
    found = sso_identities.match(linked, claims)
    assert found.username is None
    assert "SSO_EMAIL_ISSUERS" in (found.refusal or "")
    monkeypatch.setenv("SSO_EMAIL_ISSUERS", f"{OTHER_IDP},{IDP}")
    assert sso_identities.match(linked, claims).username == "jo.qa"
    assert sso_identities.match(linked, {**claims, "iss": OTHER_IDP}).username is None


def test_a_deactivated_account_is_not_matched(linked):
    with session_scope(linked) as session:
        users.deactivate(session, "jo.qa", actor="ann.admin")
    claims = {"iss": IDP, "sub": "jo-1", "email": "jo.qa@example.org", "email_verified": True}
    assert sso_identities.match(linked, claims).username is None


@pytest.mark.parametrize(
    ("identity", "kind", "issuer", "problem"),
    [
        (" sub-1", "subject", IDP, "no spaces"),
        ("sub-1\n", "subject", IDP, "no spaces"),
        ("", "subject", IDP, "subject identifier"),
        ("not an email", "email", IDP, "not an email"),
        ("sub-1", "subject", "", "issuer"),
        ("sub-1", "group", IDP, "subject or to an email"),
    ],
)
def test_bad_links_are_refused_in_words(linked, identity, kind, issuer, problem):
    with session_scope(linked) as session, pytest.raises(users.UserError, match=problem):
        sso_identities.link_identity(session, "jo.qa", identity, issuer=issuer, kind=kind)


def test_a_subject_and_an_email_with_the_same_text_are_separate_links(linked):
    with session_scope(linked) as session:
        sso_identities.link_identity(session, "jo.qa", "jo.qa@example.org", issuer=IDP)
    links = sso_identities.list_identities(engine=linked)
    assert sorted(links[links["username"] == "jo.qa"]["kind"]) == ["email", "subject"]
    assert set(links["issuer"]) == {IDP}
