"""Time importing a 100,000-row return against a bare bulk insert of the same rows, per store.

    .venv/bin/python benchmarks/bench_import.py [--rows 100000] [--format csv|xlsx|both]
                                                [--rounds 3]

Builds an empty store (SQLite in a temporary file; also PostgreSQL when TEST_DATABASE_URL is set,
in a throw-away database) with enough agencies, localities and quarters for the file's figures to
be distinct and valid, and generates the file. Then, on each store, in the same run:

* **import**: the product's import of the file in a fresh child process (spawned, so its memory
  is its own): ``check_file`` (parse, validate, compare with the store, hold unusual figures)
  then ``load_checked`` (the write path: one transaction, the import lock, the comparison
  repeated, the submission, the rows, the audit-log line, the commit and the statistics
  refresh). The load is timed on its own and end to end.
* **bare insert**: the same rows, as ready-made tuples, into the same table in one transaction
  through the driver alone (SQLite ``executemany`` of one prepared INSERT, PostgreSQL
  ``COPY ... FROM STDIN``), then commit.
* the **ratio** load time / bare insert time, per round and of the medians. Rounds alternate
  which goes first, and the table is emptied between them (and vacuumed on PostgreSQL).
* **peak memory**: the import child's peak resident set size (VmHWM from /proc/self/status in
  the child process, which includes the interpreter and its libraries; the figure once they
  are imported, before the file is read, is shown beside it). Not ``ru_maxrss``, which Linux
  carries over from the parent into a spawned child.

Then, in this process: the same file again (must write nothing), a resubmission in which every
figure changed (the supersede path: history kept) and its rollback. The machine is usually
shared: read the ratio, which both sides of the same round share, before the rows per second.
"""

from __future__ import annotations

import argparse
import csv
import io
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from data_access import catalogue, clock, migrate  # noqa: E402
from data_access.db import engine_for, session_scope  # noqa: E402
from data_access.importer import load_checked, rollback_submission  # noqa: E402
from data_access.importer.format import COLUMN_NAMES  # noqa: E402
from data_access.importer.loading import (  # noqa: E402
    _WRITE_COLUMNS,
    _driver_value,
    _value_tuples,
)
from data_access.importer.preview import check_file  # noqa: E402
from data_access.models import SECTORS, Agency, IndicatorValue, Locality, ReportingPeriod  # noqa: E402
from data_access.periods import Quarter, latest_complete_quarter, quarters_between  # noqa: E402
from data_access.reference import ensure_periods, sync_catalogue  # noqa: E402

AGENCIES_PER_SECTOR = 9
LOCALITIES = 100


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _timed(label: str, fn: Callable[[], Any], rows: int | None = None) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    rate = f"{rows / elapsed:>10,.0f} rows/s" if rows and elapsed > 0 else ""
    print(f"  {label:<40} {elapsed:8.2f} s {rate}   peak RSS {_peak_rss_mb():,.0f} MB")
    return result, elapsed


def _seed(engine: sa.Engine, quarters: list[Quarter]) -> None:
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
        for sector in SECTORS:
            for n in range(AGENCIES_PER_SECTOR):
                code = f"{sector[:3].upper()}{n:02d}"
                session.add(
                    Agency(
                        code=code,
                        name=f"Bench {sector} agency {n}",
                        sector=sector,
                        agency_type="relevant_agency",
                    )
                )
        for n in range(LOCALITIES):
            session.add(Locality(code=f"L{n:03d}", name=f"Locality {n}", child_population=500))
        ensure_periods(session, quarters)


def generate_rows(quarters: list[Quarter], limit: int, seed: int = 7) -> list[list[object]]:
    """Valid, distinct figures: partnership, each locality and each reporting agency per quarter."""
    rng = np.random.default_rng(seed)
    agencies = {
        sector: [f"{sector[:3].upper()}{n:02d}" for n in range(AGENCIES_PER_SECTOR)]
        for sector in SECTORS
    }
    localities = [f"L{n:03d}" for n in range(LOCALITIES)]
    rows: list[list[object]] = []
    for quarter in reversed(quarters):
        for spec in catalogue.indicators():
            if spec.is_annual:  # reported for years, not quarters
                continue
            keys: list[tuple[str, str]] = [("", "")]
            if "locality" in spec.breakdowns:
                keys += [("", loc) for loc in localities]
            if "agency" in spec.breakdowns:
                keys += [(code, "") for sector in spec.reported_by for code in agencies[sector]]
            for agency, locality in keys:
                if spec.unit == "percentage":
                    denominator = int(rng.integers(20, 400))
                    numerator = int(rng.integers(0, denominator + 1))
                    value: object = round(100 * numerator / denominator, 1)
                    rows.append(
                        [
                            spec.code,
                            quarter.code,
                            agency,
                            locality,
                            value,
                            numerator,
                            denominator,
                            "",
                            "",
                        ]
                    )
                else:
                    value = (
                        int(rng.integers(0, 2000))
                        if spec.unit == "count"
                        else round(float(rng.uniform(1, 120)), 1)
                    )
                    rows.append([spec.code, quarter.code, agency, locality, value, "", "", "", ""])
                if len(rows) >= limit:
                    return rows
    return rows


def to_csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Return")
    sheet.append(list(COLUMN_NAMES))
    for row in rows:
        sheet.append([None if c == "" else c for c in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _stores() -> Iterator[tuple[str, sa.Engine]]:
    with tempfile.TemporaryDirectory() as workdir:
        engine = engine_for(f"sqlite:///{Path(workdir, 'bench.db').as_posix()}")
        yield "SQLite", engine
        engine.dispose()
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        print("\n(PostgreSQL skipped: TEST_DATABASE_URL is not set)")
        return
    name = f"qa_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(base).set(database=name).render_as_string(hide_password=False)
    engine = engine_for(url)
    try:
        yield "PostgreSQL", engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _peak_mb() -> float:
    """This process's own peak resident set size, MB: VmHWM, the high-water mark of its address
    space. (ru_maxrss is not used for the child: Linux carries it over from the parent through
    fork and exec, so a child would report the parent's peak.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_import(url: str, file_name: str, path: str, results: Any) -> None:
    """In a spawned child: the product's import of the file; timings and peak RSS to `results`."""
    engine = engine_for(url)
    data = Path(path).read_bytes()
    before_mb = _peak_mb()
    started = time.perf_counter()
    checked = check_file(engine=engine, file_name=file_name, data=data)
    checked_at = time.perf_counter()
    result = load_checked(
        engine=engine,
        checked=checked,
        username="bench",
        source="cli",
        confirm_outliers=True,
        page="bench",
    )
    loaded_at = time.perf_counter()
    results.put(
        {
            "rows": result.new,
            "check_s": checked_at - started,
            "load_s": loaded_at - checked_at,
            "before_mb": before_mb,
            "peak_mb": _peak_mb(),
        }
    )
    engine.dispose()


def _import_in_child(url: str, file_name: str, path: str) -> dict[str, float]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_child_import, args=(url, file_name, path, results))
    child.start()
    try:
        figures = results.get(timeout=1800)
    finally:
        child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"the import child failed (exit code {child.exitcode})")
    return figures


def _bare_insert(engine: sa.Engine, records: list[tuple[object, ...]]) -> float:
    """The same rows into indicator_value through the driver alone, one transaction; seconds."""
    names = ", ".join(_WRITE_COLUMNS)
    raw = engine.raw_connection()
    try:
        started = time.perf_counter()
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            with cursor.copy(f"COPY indicator_value ({names}) FROM STDIN") as copy:
                for record in records:
                    copy.write_row(record)
        else:
            marks = ", ".join("?" for _ in _WRITE_COLUMNS)
            cursor.executemany(f"INSERT INTO indicator_value ({names}) VALUES ({marks})", records)
        cursor.close()
        raw.commit()
        return time.perf_counter() - started
    finally:
        raw.close()


def _empty(engine: sa.Engine) -> None:
    """Remove every figure and submission, so the next round starts from the same store.

    Not a plain DELETE: each deleted row's check of indicator_value.superseded_by_id (which no
    index serves) would scan the table, n x n. PostgreSQL: TRUNCATE; SQLite: foreign keys off
    for this one statement (they can only be switched outside a transaction).
    """
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(sa.text("TRUNCATE indicator_value"))
            # Self-assessment returns name the file they came from: they stay, unlinked. (A
            # table another refers to cannot be truncated; its few rows are deleted instead.)
            connection.execute(sa.text("UPDATE s11_return SET submission_id = NULL"))
            connection.execute(sa.text("DELETE FROM submission"))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE indicator_value, submission"))
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            connection.exec_driver_sql("DELETE FROM indicator_value")
            connection.exec_driver_sql("UPDATE s11_return SET submission_id = NULL")
            connection.exec_driver_sql("DELETE FROM submission")
            connection.commit()
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def _bare_records(engine: sa.Engine, checked: Any) -> list[tuple[object, ...]]:
    """The rows the import writes, as the tuples a bare insert takes (no submission)."""
    table = IndicatorValue.__table__
    with engine.connect() as connection:
        periods = dict(
            connection.execute(sa.select(ReportingPeriod.code, ReportingPeriod.id)).all()
        )
        return _value_tuples(
            checked.preview,
            periods,
            None,
            created_at=_driver_value(connection, table.c.created_at, clock.utc_now()),
            current=_driver_value(connection, table.c.is_current, True),
        )


def _fmt_rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:>9,.0f} rows/s" if seconds > 0 else ""


def bench(
    label: str,
    engine: sa.Engine,
    file_name: str,
    data: bytes,
    quarters: list[Quarter],
    rounds: int = 3,
) -> dict[str, float]:
    print(
        f"\n{label}: {file_name}, {len(data) / 1024 / 1024:.1f} MB, {rounds} round(s)", flush=True
    )
    _seed(engine, quarters)
    url = engine.url.render_as_string(hide_password=False)
    checked = check_file(engine=engine, file_name=file_name, data=data)
    assert checked.validation is not None and checked.validation.errors.empty, checked.report
    n = len(checked.preview)
    records = _bare_records(engine, checked)
    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir, file_name)
        path.write_bytes(data)
        loads: list[float] = []
        bares: list[float] = []
        ratios: list[float] = []
        checks: list[float] = []
        peaks: list[float] = []
        print(
            f"  {'round':<6} {'bare insert':>22} {'import (load)':>22} {'ratio':>6} "
            f"{'check (parse+validate)':>24} {'import peak RSS':>16}"
        )
        for r in range(rounds):
            figures: dict[str, float] = {}
            bare_s = 0.0
            for step in ("bare", "import") if r % 2 == 0 else ("import", "bare"):
                if step == "bare":
                    bare_s = _bare_insert(engine, records)
                else:
                    figures = _import_in_child(url, file_name, str(path))
                    assert figures["rows"] == n, figures
                _empty(engine)
            loads.append(figures["load_s"])
            bares.append(bare_s)
            checks.append(figures["check_s"])
            peaks.append(figures["peak_mb"])
            ratios.append(figures["load_s"] / bare_s)
            print(
                f"  {r + 1:<6} {bare_s:6.2f} s {_fmt_rate(n, bare_s)} "
                f"{figures['load_s']:6.2f} s {_fmt_rate(n, figures['load_s'])} "
                f"{ratios[-1]:5.2f}x {figures['check_s']:7.2f} s "
                f"{_fmt_rate(n, figures['check_s'])}"
                f" {figures['peak_mb']:7,.0f} MB (from {figures['before_mb']:,.0f})",
                flush=True,
            )
    load = statistics.median(loads)
    bare = statistics.median(bares)
    check = statistics.median(checks)
    summary = {
        "rows": n,
        "load_rows_s": n / load,
        "bare_rows_s": n / bare,
        "ratio_of_medians": load / bare,
        "median_ratio": statistics.median(ratios),
        "best_ratio": min(ratios),
        "end_to_end_rows_s": n / (check + load),
        "peak_mb": max(peaks),
    }
    print(
        f"  {label} import (load): median {n / load:,.0f} rows/s, best {n / min(loads):,.0f}; "
        f"bare {label} {'COPY' if engine.dialect.name == 'postgresql' else 'executemany'}: "
        f"median {n / bare:,.0f} rows/s, best {n / min(bares):,.0f}"
    )
    print(
        f"  ratio import / bare insert: {summary['median_ratio']:.2f}x median of rounds, "
        f"{summary['best_ratio']:.2f}x best, {summary['ratio_of_medians']:.2f}x of medians"
    )
    print(
        f"  end to end (check + load): median {summary['end_to_end_rows_s']:,.0f} rows/s; "
        f"peak RSS of the import child {summary['peak_mb']:,.0f} MB (VmHWM)"
    )

    # In this process: the load again, then the same file (writes nothing), a resubmission in
    # which every figure changed, and its rollback.
    result, _ = _timed(
        "load (in this process)",
        lambda: load_checked(
            engine=engine,
            checked=checked,
            username="bench",
            source="cli",
            confirm_outliers=True,
            page="bench",
        ),
        n,
    )
    assert result.new == n, result

    def again():
        second = check_file(engine=engine, file_name=file_name, data=data)
        return load_checked(
            engine=engine, checked=second, username="bench", source="cli", confirm_outliers=True
        )

    repeat, _ = _timed("same file again: check + load (writes nothing)", again, n)
    assert repeat.submission_id is None and repeat.unchanged == n
    revised_name, revised_data = _revised(file_name, data)
    revised = check_file(engine=engine, file_name=revised_name, data=revised_data)
    changed, changed_s = _timed(
        "every figure changed: load (supersedes)",
        lambda: load_checked(
            engine=engine,
            checked=revised,
            username="bench",
            source="cli",
            confirm_outliers=True,
            page="bench",
        ),
        n,
    )
    assert changed.changed == n, changed
    with session_scope(engine) as session:
        kept = session.execute(
            sa.select(sa.func.count())
            .select_from(IndicatorValue)
            .where(
                IndicatorValue.is_current.is_(False), IndicatorValue.superseded_by_id.is_not(None)
            )
        ).scalar_one()
    assert kept == n, kept  # history kept: every replaced figure points at its replacement
    summary["changed_rows_s"] = n / changed_s
    _timed(
        "rollback of the resubmission",
        lambda: rollback_submission(
            engine=engine, submission_id=changed.submission_id, username="bench", page="bench"
        ),
        n,
    )
    return summary


def _revised(file_name: str, data: bytes) -> tuple[str, bytes]:
    """The same return with a comment on every figure: every figure counts as changed."""
    from data_access.importer import read_table

    cells = read_table(file_name, data).cells.copy()
    cells["comment"] = "revised"
    return "revised.csv", cells.to_csv(index=False, lineterminator="\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx", "both"), default="both")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="import and bare insert pairs per store and format (default 3)",
    )
    args = parser.parse_args(argv)

    print(f"machine: {_machine()}")
    last = latest_complete_quarter()
    quarters = quarters_between(Quarter(last.fy_start_year - 20, 1), last)
    rows, _ = _timed("generate the figures", lambda: generate_rows(quarters, args.rows))
    if len(rows) < args.rows:
        print(f"  only {len(rows):,} distinct figures could be generated")
    files = []
    if args.format in ("csv", "both"):
        data, _ = _timed("write CSV", lambda: to_csv(rows))
        files.append(("returns.csv", data))
    if args.format in ("xlsx", "both"):
        data, _ = _timed("write XLSX", lambda: to_xlsx(rows))
        files.append(("returns.xlsx", data))
    used = sorted({Quarter.parse(str(r[1])) for r in rows})
    summaries = []
    for file_name, data in files:
        for label, engine in _stores():
            summaries.append(
                (file_name, label, bench(label, engine, file_name, data, used, max(1, args.rounds)))
            )
    print("\nimport of a return against a bare bulk insert of the same rows (medians):")
    print(
        f"  {'file':<13} {'store':<11} {'import rows/s':>14} {'bare rows/s':>12} "
        f"{'ratio':>6} {'end to end':>11} {'all changed':>12} {'peak RSS':>9}"
    )
    for file_name, label, summary in summaries:
        print(
            f"  {file_name:<13} {label:<11} {summary['load_rows_s']:>14,.0f} "
            f"{summary['bare_rows_s']:>12,.0f} {summary['median_ratio']:>5.2f}x "
            f"{summary['end_to_end_rows_s']:>11,.0f} {summary['changed_rows_s']:>12,.0f} "
            f"{summary['peak_mb']:>6,.0f} MB"
        )
    return 0


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU(s), {model or 'unknown model'}"


if __name__ == "__main__":
    raise SystemExit(main())
