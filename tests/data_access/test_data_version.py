"""The data version moves with every change to the data, on both stores, and only then."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import audit_log, data_version
from data_access.db import session_scope
from data_access.models import Agency


def test_written_table_reads_dml_only() -> None:
    assert data_version.written_table('INSERT INTO "agency" (code) VALUES (?)') == "agency"
    assert data_version.written_table("UPDATE indicator_value SET x = 1") == "indicator_value"
    assert data_version.written_table("  delete from mash_contact where 1") == "mash_contact"
    assert data_version.written_table("INSERT OR REPLACE INTO theme VALUES (1)") == "theme"
    assert data_version.written_table("SELECT * FROM agency") is None
    assert data_version.written_table("CREATE TABLE agency (id int)") is None


def _agency(code: str) -> Agency:
    return Agency(
        code=code,
        name=f"Agency {code}",
        sector="health",
        agency_type="relevant_agency",
        section_175=False,
        active=True,
    )


def test_a_committed_change_moves_the_version(store: sa.Engine) -> None:
    before = data_version.current(store)
    with session_scope(store) as session:
        session.add(_agency("DV1"))
    after = data_version.current(store)
    assert after == before + 1
    # Core writes outside the ORM count too.
    with store.begin() as connection:
        connection.execute(sa.update(Agency).where(Agency.code == "DV1").values(name="Renamed"))
    assert data_version.current(store) == after + 1


def test_a_rolled_back_change_and_reads_leave_it_alone(store: sa.Engine) -> None:
    before = data_version.current(store)
    with pytest.raises(RuntimeError), session_scope(store) as session:
        session.add(_agency("DV2"))
        session.flush()
        raise RuntimeError("abandon")
    with store.connect() as connection:
        connection.execute(sa.select(Agency)).all()
    assert data_version.current(store) == before


def test_audit_log_entries_do_not_move_it(store: sa.Engine) -> None:
    before = data_version.current(store)
    audit_log.record_event(engine=store, username="someone", event="sign_in")
    assert data_version.current(store) == before


def test_a_store_without_the_counter_reads_zero(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    assert data_version.current(engine) == 0
    engine.dispose()


def test_a_store_that_lost_the_counter_row_gets_it_back(store: sa.Engine) -> None:
    # Sample builds before issue 31 deleted the row, so the version stood still for good.
    with store.begin() as connection:
        connection.execute(sa.text("DELETE FROM data_version"))
    assert data_version.current(store) == 0
    with session_scope(store) as session:
        session.add(_agency("HEAL"))
    assert data_version.current(store) == 1
    with session_scope(store) as session:
        session.add(_agency("HEAL2"))
    assert data_version.current(store) == 2


def test_a_sample_build_keeps_the_counter_moving(sample_store: sa.Engine) -> None:
    assert data_version.current(sample_store) > 0
