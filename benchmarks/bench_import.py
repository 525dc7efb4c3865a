"""Time importing a 100,000-row quarterly-return file: parse, validate, commit, rows per second.

    .venv/bin/python benchmarks/bench_import.py [--rows 100000] [--format csv|xlsx|both]

Builds an empty store (SQLite in a temporary file; also PostgreSQL when TEST_DATABASE_URL is set,
in a throw-away database) with enough agencies, localities and quarters for the file's figures to
be distinct and valid, generates the file, then times each stage of the import, a second import of
the same file (which must write nothing) and a rollback. Peak memory is the process's peak
resident set size.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
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

from data_access import catalogue, migrate  # noqa: E402
from data_access.db import engine_for, session_scope  # noqa: E402
from data_access.importer import load_checked, read_table, rollback_submission  # noqa: E402
from data_access.importer.format import COLUMN_NAMES  # noqa: E402
from data_access.importer.loading import CheckedFile, compare_with_store, sha256_hex  # noqa: E402
from data_access.importer.lookups import load_lookups  # noqa: E402
from data_access.importer.validation import validate_table  # noqa: E402
from data_access.models import SECTORS, Agency, Locality  # noqa: E402
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
                session.add(Agency(code=code, name=f"Bench {sector} agency {n}", sector=sector,
                                   agency_type="relevant_agency"))
        for n in range(LOCALITIES):
            session.add(Locality(code=f"L{n:03d}", name=f"Locality {n}", child_population=500))
        ensure_periods(session, quarters)


def generate_rows(quarters: list[Quarter], limit: int, seed: int = 7) -> list[list[object]]:
    """Valid, distinct figures: partnership, each locality and each reporting agency per quarter."""
    rng = np.random.default_rng(seed)
    agencies = {sector: [f"{sector[:3].upper()}{n:02d}" for n in range(AGENCIES_PER_SECTOR)]
                for sector in SECTORS}
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
                    rows.append([spec.code, quarter.code, agency, locality, value, numerator,
                                 denominator, "", ""])
                else:
                    value = int(rng.integers(0, 2000)) if spec.unit == "count" else round(
                        float(rng.uniform(1, 120)), 1)
                    rows.append([spec.code, quarter.code, agency, locality, value, "", "", "",
                                 ""])
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


def bench(label: str, engine: sa.Engine, file_name: str, data: bytes,
          quarters: list[Quarter]) -> None:
    print(f"\n{label}: {file_name}, {len(data) / 1024 / 1024:.1f} MB")
    _seed(engine, quarters)
    table, parse_s = _timed("parse", lambda: read_table(file_name, data))
    n = len(table.cells)

    def validate():  # type: ignore[no-untyped-def]
        with session_scope(engine) as session:
            lookups = load_lookups(session)
            result = validate_table(table, lookups)
            preview = compare_with_store(session, result.valid_rows, lookups)
        return result, preview

    (validation, preview), validate_s = _timed("validate + preview", validate, n)
    assert validation.errors.empty, validation.errors.head()
    checked = CheckedFile(file_name, sha256_hex(data), len(data), None, validation, None, preview)
    result, commit_s = _timed("commit", lambda: load_checked(
        engine=engine, checked=checked, username="bench", source="cli", page="bench"), n)
    assert result.new == n, result
    total = parse_s + validate_s + commit_s
    print(f"  {'total (parse + validate + commit)':<40} {total:8.2f} s {n / total:>10,.0f} rows/s")

    def again():  # type: ignore[no-untyped-def]
        with session_scope(engine) as session:
            lookups = load_lookups(session)
            preview = compare_with_store(session, validation.valid_rows, lookups)
        second = CheckedFile(file_name, checked.checksum, len(data), None, validation, None,
                             preview)
        return load_checked(engine=engine, checked=second, username="bench", source="cli")

    repeat, _ = _timed("same file again (writes nothing)", again, n)
    assert repeat.submission_id is None and repeat.unchanged == n
    _timed("rollback", lambda: rollback_submission(engine=engine,
                                                   submission_id=result.submission_id,
                                                   username="bench", page="bench"), n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx", "both"), default="both")
    args = parser.parse_args(argv)

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
    for file_name, data in files:
        for label, engine in _stores():
            bench(label, engine, file_name, data, used)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
