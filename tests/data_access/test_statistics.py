"""Planner statistics (issue 12): migration 0010 analyses an existing store, each import refreshes
the statistics of indicator_value, and the sample build analyses every table."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import catalogue, migrate, statistics
from data_access.db import engine_for
from data_access.importer import check_file, load_checked


def _statistics_rows(engine: sa.Engine, table: str) -> int | None:
    """What the planner believes `table` holds: None when it has no statistics for it.

    SQLite: the row count sqlite_stat1 records for the table (its first number). PostgreSQL:
    pg_class.reltuples when pg_stats holds column statistics for the table (ANALYZE writes
    both in its transaction; a table never analysed has neither).
    """
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            if not connection.scalar(
                sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            ):
                return None
            stat = connection.scalar(
                sa.text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t ORDER BY idx LIMIT 1"),
                {"t": table},
            )
            return None if stat is None else int(str(stat).split()[0])
        analysed = connection.scalar(
            sa.text(
                "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() "
                "AND tablename = :t"
            ),
            {"t": table},
        )
        if not analysed:
            return None
        return int(
            connection.scalar(
                sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:t)"), {"t": table}
            )
        )


def _catalogue_at_an_old_revision(engine: sa.Engine) -> None:
    """The first theme and one of its indicators, written through the tables as they are at an
    old revision: `sync_catalogue` uses the models, which describe the head (0021 added the
    standards' framework, for one)."""
    tables = sa.MetaData()
    tables.reflect(engine, only=["theme", "indicator"])
    theme = catalogue.themes()[0]
    spec = next(i for i in catalogue.indicators() if i.theme == theme.code)
    rows = {
        "theme": {
            "code": theme.code,
            "name": theme.name,
            "description": theme.description,
            "youth_description": theme.youth,
            "sort_order": theme.sort_order,
        },
        "indicator": {
            "code": spec.code,
            "name": spec.name,
            "theme_code": spec.theme,
            "unit": spec.unit,
            "polarity": spec.polarity,
            "target": spec.target,
            "rag_tolerance": spec.tolerance,
            "definition": spec.definition,
            "youth_description": spec.youth,
            "source": spec.source,
            "headline": spec.headline,
            "scorecard_ref": spec.scorecard,
            "reported_by": ",".join(spec.reported_by),
            "sort_order": spec.sort_order,
            "frequency": spec.frequency,
        },
    }
    with engine.begin() as connection:
        for name, values in rows.items():
            table = tables.tables[name]
            connection.execute(
                table.insert().values({k: v for k, v in values.items() if k in table.c})
            )


def _add_figures(engine: sa.Engine, count: int) -> None:
    with engine.begin() as connection:
        indicator = connection.scalar(sa.text("SELECT min(id) FROM indicator"))
        for n in range(count):
            connection.execute(
                sa.text(
                    "INSERT INTO reporting_period (code, kind, fy_start_year, quarter, start_date, "
                    "end_date) VALUES (:code, 'quarter', :y, 1, :s, :e)"
                ),
                {
                    "code": f"{2000 + n}-{(n + 1) % 100:02d} Q1",
                    "y": 2000 + n,
                    "s": dt.date(2000 + n, 4, 1),
                    "e": dt.date(2000 + n, 6, 30),
                },
            )
            connection.execute(
                sa.text(
                    "INSERT INTO indicator_value (indicator_id, period_id, value, is_current, "
                    "created_at) SELECT :i, id, :v, :current, :now FROM reporting_period "
                    "WHERE code = :code"
                ),
                {
                    "i": indicator,
                    "v": n,
                    "current": True,
                    "now": dt.datetime(2025, 1, 1),
                    "code": f"{2000 + n}-{(n + 1) % 100:02d} Q1",
                },
            )


def test_migration_0010_analyses_an_existing_store_and_downgrades_to_0005(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine, "0005")
    _catalogue_at_an_old_revision(engine)
    _add_figures(engine, 7)
    assert _statistics_rows(engine, "indicator_value") is None  # never analysed
    migrate.upgrade(engine, "0010")
    assert migrate.current_revision(engine) == "0010"
    assert _statistics_rows(engine, "indicator_value") == 7
    assert _statistics_rows(engine, "indicator") == len(
        engine.connect().execute(sa.text("SELECT id FROM indicator")).all()
    )
    migrate.downgrade(engine, "0005")
    assert migrate.current_revision(engine) == "0005"
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM indicator_value")) == 7
    migrate.upgrade(engine)  # and up again to the head


def _return(rows: list[tuple[str, str, str]]) -> bytes:
    lines = ["indicator_code,period,agency_code,locality_code,value"]
    lines += [f"{code},{period},,,{value}" for code, period, value in rows]
    return ("\n".join(lines) + "\n").encode()


def test_each_import_refreshes_the_statistics_of_indicator_value(store: sa.Engine) -> None:
    assert not _statistics_rows(store, "indicator_value")  # empty when the store was migrated
    data = _return(
        [
            ("MASH_CONTACTS", q, str(100 + i))
            for i, q in enumerate(("2023-24 Q1", "2023-24 Q2", "2023-24 Q3"))
        ]
    )
    checked = check_file(engine=store, file_name="r.csv", data=data)
    assert checked.can_load_all, checked.report
    result = load_checked(engine=store, checked=checked, username="officer", source="cli")
    assert result.new == 3
    assert _statistics_rows(store, "indicator_value") == 3


def test_a_busy_store_keeps_its_statistics_and_the_caller_is_not_failed(
    sqlite_store: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*_args, **_kwargs):
        raise sa.exc.OperationalError("ANALYZE", {}, Exception("database is locked"))

    monkeypatch.setattr(statistics, "analyze", locked)
    assert statistics.analyze_after_write(sqlite_store, ["indicator_value"]) is False


def test_the_quick_refresh_bounds_sqlites_sample_and_resets_it() -> None:
    assert statistics.analyze_statements("sqlite", ["indicator_value"], quick=True) == [
        f"PRAGMA analysis_limit = {statistics.QUICK_ROWS_PER_INDEX}",
        "ANALYZE indicator_value",
        "PRAGMA analysis_limit = 0",
    ]
    assert statistics.analyze_statements("postgresql", ["indicator_value"], quick=True) == [
        "ANALYZE indicator_value"
    ]
    assert statistics.analyze_statements("postgresql") == ["ANALYZE"]


def test_the_sample_build_leaves_statistics_for_every_table(sample_db_url: str) -> None:
    engine = engine_for(sample_db_url)
    with engine.connect() as connection:
        values = connection.scalar(sa.text("SELECT count(*) FROM indicator_value"))
        contacts = connection.scalar(sa.text("SELECT count(*) FROM mash_contact"))
    assert _statistics_rows(engine, "indicator_value") == values
    assert _statistics_rows(engine, "mash_contact") == contacts
