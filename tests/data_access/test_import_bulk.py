"""The import's bulk insert (the driver's executemany / COPY) keeps the store's guarantees: the
one-current-figure index refuses a duplicate, and a clash reaches the officer as ImportBusy with
nothing written (both stores)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import data_version
from data_access.db import session_scope
from data_access.importer import ImportBusy, check_file, load_checked, loading

QUARTERS = ("2023-24 Q1", "2023-24 Q2")


def _return(values: list[int]) -> bytes:
    lines = ["indicator_code,period,agency_code,locality_code,value"]
    lines += [f"MASH_CONTACTS,{q},,,{v}" for q, v in zip(QUARTERS, values, strict=True)]
    return ("\n".join(lines) + "\n").encode()


def _load(engine: sa.Engine, data: bytes):
    checked = check_file(engine=engine, file_name="r.csv", data=data)
    assert checked.can_load_all, checked.report
    return load_checked(engine=engine, checked=checked, username="officer", source="cli")


def _current(engine: sa.Engine) -> list[tuple]:
    with engine.connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(
                sa.text(
                    "SELECT indicator_id, period_id, value, submission_id FROM indicator_value "
                    "WHERE is_current = :yes ORDER BY period_id"
                ),
                {"yes": True},
            )
        ]


def test_the_bulk_insert_cannot_add_a_second_current_figure(store: sa.Engine) -> None:
    _load(store, _return([5, 6]))
    indicator, period, _, _ = _current(store)[0]
    with pytest.raises(sa.exc.IntegrityError), session_scope(store) as session:
        connection = session.connection()
        table = loading.IndicatorValue.__table__
        loading._bulk_insert(
            connection,
            "indicator_value",
            loading._WRITE_COLUMNS,
            [
                (
                    indicator,
                    period,
                    None,
                    None,
                    7.0,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    loading._driver_value(connection, table.c.is_current, True),
                    None,
                    loading._driver_value(
                        connection, table.c.created_at, loading.dt.datetime(2025, 1, 1)
                    ),
                )
            ],
        )
    assert [row[2] for row in _current(store)] == [5, 6]


def test_a_clash_with_a_figure_written_behind_the_importers_back_is_import_busy(
    store: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(store, _return([5, 6]))
    before = _current(store)
    version = data_version.current(store)
    # The comparison inside the load misses the stored figures (as if another writer had added
    # them after it looked): the insert then clashes with the one-current-figure index.
    real = loading.compare_with_store

    def blind(session, rows, lookups):
        compared = real(session, rows, lookups)
        compared["change"] = "new"
        return compared

    monkeypatch.setattr(loading, "compare_with_store", blind)
    checked = check_file(engine=store, file_name="r.csv", data=_return([8, 9]))
    with pytest.raises(ImportBusy):
        load_checked(engine=store, checked=checked, username="officer", source="cli")
    assert _current(store) == before
    assert data_version.current(store) == version
    with store.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM submission")) == 1


def test_a_resubmission_failing_mid_write_leaves_history_and_the_next_one_supersedes(
    store: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(store, _return([5, 6]))
    before = _current(store)
    real = loading._bulk_insert

    def fail_on_values(connection, table, columns, records):
        if table == "indicator_value":  # after the replaced rows left the current set
            raise RuntimeError("disk full")
        real(connection, table, columns, records)

    monkeypatch.setattr(loading, "_bulk_insert", fail_on_values)
    with pytest.raises(RuntimeError, match="disk full"):
        _load(store, _return([7, 8]))
    assert _current(store) == before
    monkeypatch.setattr(loading, "_bulk_insert", real)
    # The temporary table went with the rolled-back transaction: the same pooled connection
    # supersedes again.
    result = _load(store, _return([7, 8]))
    assert result.changed == 2
    assert [row[2] for row in _current(store)] == [7, 8]
    with store.connect() as connection:
        links = connection.execute(
            sa.text(
                "SELECT old.value, new.value FROM indicator_value AS old "
                "JOIN indicator_value AS new ON new.id = old.superseded_by_id "
                "ORDER BY old.value"
            )
        ).all()
    assert [tuple(link) for link in links] == [(5, 7), (6, 8)]
