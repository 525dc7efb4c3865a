"""When the sample loader may overwrite a store, and the refusal when it may not."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import audit_log
from data_access.db import session_scope
from data_access.models import Submission
from data_access.users import create_user
from sample_data.safety import StoreNotDisposable, check_disposable, reasons_to_keep


@pytest.fixture
def fresh_sample_store(sqlite_store: sa.Engine) -> sa.Engine:
    """A sample store of this test's own: the shared one gathers other tests' audit entries
    (page tests that download or drill down write to the audit log, as a real user would)."""
    from sample_data.generator import build_sample

    build_sample(sqlite_store, scale=1.0, seed=2019)
    return sqlite_store


def test_an_empty_store_and_a_sample_store_may_be_overwritten(store, fresh_sample_store):
    assert reasons_to_keep(store) == []
    assert reasons_to_keep(fresh_sample_store) == []
    check_disposable(store)


def test_a_sample_store_someone_started_using_for_real_is_kept(fresh_sample_store):
    writable_sample_store = fresh_sample_store
    with session_scope(writable_sample_store) as session:
        session.add(
            Submission(
                file_name="q2.csv", checksum="0" * 64, submitted_by="jo.real", source="upload"
            )
        )
        audit_log.record(session, username="jo.real", event="import", detail="q2.csv")
    reasons = reasons_to_keep(writable_sample_store)
    assert any("submissions loaded by jo.real" in r for r in reasons)
    assert any("audit log records work by jo.real" in r for r in reasons)
    with pytest.raises(StoreNotDisposable, match="--force"):
        check_disposable(writable_sample_store)
    check_disposable(writable_sample_store, force=True)


def test_a_real_account_alone_is_enough_to_refuse(store):
    with session_scope(store) as session:
        create_user(session, "jo.admin", "Jo", "admin", "a long enough password")
    with pytest.raises(StoreNotDisposable, match="real \\(non-demo\\) accounts: jo.admin"):
        check_disposable(store)


def test_the_configured_store_is_refused(store, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    with pytest.raises(StoreNotDisposable, match="DATABASE_URL names"):
        check_disposable(store)
    with store.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(Submission)).scalar() == 0
