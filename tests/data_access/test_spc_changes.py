"""Recorded changes in a process (SPC rebasing): validation, audit trail, withdrawal, and the
rebase periods every chart passes to spc.xmr — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from dashboard.metrics import spc
from data_access import migrate, spc_changes
from data_access.audit_log import recent_entries
from data_access.db import engine_for, session_scope
from data_access.models import SpcProcessChange
from data_access.periods import Quarter, quarters_between
from data_access.reference import ensure_periods
from data_access.spc_changes import ProcessChangeError

CODE = "MASH_CONTACTS"
OTHER = "MASH_REFERRAL_RATE"


@pytest.fixture
def periods_store(store: sa.Engine) -> sa.Engine:
    with session_scope(store) as session:
        ensure_periods(session, quarters_between(Quarter(2022, 1), Quarter(2024, 4)))
    return store


def _count(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count(SpcProcessChange.id))).scalar_one()


def test_catalogue_codes_used_here_exist(periods_store: sa.Engine) -> None:
    from data_access import catalogue

    assert {CODE, OTHER} <= {i.code for i in catalogue.indicators()}


def test_a_change_is_recorded_with_its_audit_line(periods_store: sa.Engine) -> None:
    new_id = spc_changes.record_change(
        engine=periods_store,
        indicator_code=CODE,
        period_code="2023-24 Q2",
        reason="  Front door moved to a single multi-agency team.  ",
        recorded_by="qa.demo",
    )
    log = recent_entries(engine=periods_store, event="spc_change_recorded")
    assert len(log) == 1 and log.iloc[0]["username"] == "qa.demo"
    assert f"process change {new_id}: {CODE} from 2023-24 Q2" == log.iloc[0]["detail"]
    rows = spc_changes.list_changes(engine=periods_store)
    assert list(rows.columns) == spc_changes.CHANGE_COLUMNS
    row = rows.iloc[0]
    assert row["id"] == new_id and row["indicator_code"] == CODE
    assert row["reason"] == "Front door moved to a single multi-agency team."
    assert row["indicator_name"] and row["recorded_by"] == "qa.demo"
    assert spc_changes.rebase_periods(engine=periods_store) == {CODE: ["2023-24 Q2"]}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": "   "}, "Say what changed"),
        ({"reason": "x" * 1001}, "1,000 or fewer"),
        ({"indicator_code": "NOT_AN_INDICATOR"}, "not an indicator in the catalogue"),
        ({"period_code": "2031-32 Q1"}, "not a quarter the store knows"),
        ({"recorded_by": " "}, "signed-in user"),
    ],
)
def test_invalid_changes_explain_and_write_nothing(
    periods_store: sa.Engine, overrides: dict[str, str], message: str
) -> None:
    fields = {
        "indicator_code": CODE,
        "period_code": "2023-24 Q2",
        "reason": "New recording system",
        "recorded_by": "qa.demo",
    }
    fields.update(overrides)
    with pytest.raises(ProcessChangeError, match=message):
        spc_changes.record_change(engine=periods_store, **fields)
    assert _count(periods_store) == 0
    assert recent_entries(engine=periods_store, event="spc_change_recorded").empty


def test_the_same_quarter_twice_is_refused_until_withdrawn(periods_store: sa.Engine) -> None:
    first = spc_changes.record_change(
        engine=periods_store,
        indicator_code=CODE,
        period_code="2023-24 Q2",
        reason="New team",
        recorded_by="qa.demo",
    )
    with pytest.raises(ProcessChangeError, match="already recorded"):
        spc_changes.record_change(
            engine=periods_store,
            indicator_code=CODE,
            period_code="2023-24 Q2",
            reason="Again",
            recorded_by="qa.demo",
        )
    spc_changes.withdraw_change(
        engine=periods_store, change_id=first, withdrawn_by="admin.demo", reason="Wrong quarter"
    )
    assert spc_changes.rebase_periods(engine=periods_store) == {}
    assert spc_changes.list_changes(engine=periods_store).empty
    history = spc_changes.list_changes(engine=periods_store, include_withdrawn=True)
    assert history.iloc[0]["withdrawn_by"] == "admin.demo"
    assert history.iloc[0]["withdrawal_reason"] == "Wrong quarter"
    log = recent_entries(engine=periods_store, event="spc_change_withdrawn")
    assert log.iloc[0]["username"] == "admin.demo"
    # Recorded again after the withdrawal: allowed.
    spc_changes.record_change(
        engine=periods_store,
        indicator_code=CODE,
        period_code="2023-24 Q2",
        reason="Recorded again",
        recorded_by="qa.demo",
    )
    assert _count(periods_store) == 2
    with pytest.raises(ProcessChangeError, match="already withdrawn"):
        spc_changes.withdraw_change(
            engine=periods_store, change_id=first, withdrawn_by="admin.demo", reason="Again"
        )
    with pytest.raises(ProcessChangeError, match="no recorded change number 999"):
        spc_changes.withdraw_change(
            engine=periods_store, change_id=999, withdrawn_by="admin.demo", reason="x"
        )
    with pytest.raises(ProcessChangeError, match="why the change is withdrawn"):
        spc_changes.withdraw_change(
            engine=periods_store, change_id=first, withdrawn_by="admin.demo", reason=""
        )


def test_the_database_refuses_a_second_live_change_and_an_empty_reason(
    periods_store: sa.Engine,
) -> None:
    with session_scope(periods_store) as session:
        session.add(
            SpcProcessChange(
                indicator_code=CODE, period_code="2022-23 Q1", reason="a", recorded_by="x"
            )
        )
    with pytest.raises(IntegrityError), session_scope(periods_store) as session:
        session.add(
            SpcProcessChange(
                indicator_code=CODE, period_code="2022-23 Q1", reason="b", recorded_by="x"
            )
        )
    with pytest.raises(IntegrityError), session_scope(periods_store) as session:
        session.add(
            SpcProcessChange(
                indicator_code=CODE, period_code="2022-23 Q2", reason="  ", recorded_by="x"
            )
        )


def test_rebase_periods_are_in_date_order_per_indicator(periods_store: sa.Engine) -> None:
    for code, period in ((CODE, "2024-25 Q1"), (CODE, "2022-23 Q3"), (OTHER, "2023-24 Q1")):
        spc_changes.record_change(
            engine=periods_store,
            indicator_code=code,
            period_code=period,
            reason="Changed",
            recorded_by="qa.demo",
        )
    found = spc_changes.rebase_periods(engine=periods_store)
    assert found == {CODE: ["2022-23 Q3", "2024-25 Q1"], OTHER: ["2023-24 Q1"]}
    assert spc_changes.rebase_periods(engine=periods_store, indicator_codes=[OTHER]) == {
        OTHER: ["2023-24 Q1"]
    }
    listed = spc_changes.list_changes(engine=periods_store, indicator_code=CODE)
    assert listed["period_code"].tolist() == ["2022-23 Q3", "2024-25 Q1"]
    # The dict feeds spc.xmr directly.
    labels = [q.code for q in quarters_between(Quarter(2022, 1), Quarter(2024, 4))]
    values = [10.0, 12.0] * 3 + [20.0, 22.0] * 3
    result = spc.xmr(values, labels=labels, rebase_at=found[CODE])
    assert result.rebase_labels == ["2022-23 Q3", "2024-25 Q1"]


def test_migration_0002_upgrades_and_downgrades(db_url: str) -> None:
    from alembic.script import ScriptDirectory

    # Whatever revision 0002 follows once migrations are chained, step to it and back.
    parent = ScriptDirectory.from_config(migrate.alembic_config()).get_revision("0002")
    assert isinstance(parent.down_revision, str)
    engine = engine_for(db_url)
    migrate.upgrade(engine, parent.down_revision)
    assert "spc_process_change" not in sa.inspect(engine).get_table_names()
    migrate.upgrade(engine, "0002")
    assert "spc_process_change" in sa.inspect(engine).get_table_names()
    indexes = {i["name"] for i in sa.inspect(engine).get_indexes("spc_process_change")}
    assert "uq_spc_process_change_live" in indexes
    migrate.downgrade(engine, parent.down_revision)
    assert "spc_process_change" not in sa.inspect(engine).get_table_names()
    assert migrate.current_revision(engine) == parent.down_revision
