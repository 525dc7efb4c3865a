"""Time every page's render against the bare SQL that render ran, at several data sizes.

    python benchmarks/bench_pages.py [--scales 1 10 60] [--stores sqlite postgresql] [--repeat 5]
        [--fresh-pages overview mash ...] [--database-prefix qa_bench]

For each store (SQLite file, and PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL names a
server) and each scale, the sample partnership is built once and kept (`data/bench/` for SQLite,
a database `qa_bench_scale_N` on the server) and reused on later runs while the generator and the
schema are unchanged. Then, `--repeat` times, every page in the registry is rendered in turn
(interleaved, so a slow moment of a shared machine touches every page alike) under AppTest,
signed in with a role that may open it:

* cold: the query cache is emptied, then the page renders (charts and figures this process
  built earlier for the same data are still held, so this is only partly cold);
* new process: the page renders as the first thing a new Python process does, so nothing is
  imported or cached yet (the pages of `--fresh-pages`, the theme pages by default: a process
  start costs seconds of its own, reported apart as "imports");
* after import: the store's data version moves, as any import, edit or rollback moves it, and the
  page renders: every process's cached figures are stale now, and nothing warmed them again
  (AppTest is not a server, so `dashboard.cache`'s background warming does not start);
* warm: the page renders again at once (every query answered from the cache);
* SQL: every SELECT the cold render sent to the store is captured from the engine (not a
  hand-written list) and replayed alone, in order, on one connection, fetching every row;
* rows: how many rows that SQL returned (what the page fetched).

The report gives min and median of each, the cold/SQL ratio, and the machine it ran on.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# Bare AppTest runs warn "missing ScriptRunContext" on every cached call; keep figures readable.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

import sqlalchemy as sa  # noqa: E402

from dashboard import navigation  # noqa: E402
from data_access import migrate  # noqa: E402
from data_access.db import engine_for, session_scope  # noqa: E402
from data_access.reference import sync_catalogue  # noqa: E402
from tests.support.apptest_runtime import share_component_registry  # noqa: E402

SEED = 2019
DEFAULT_DIR = ROOT / "data" / "bench"
# The pages rendered in a new process by default: the ones a meeting opens.
FRESH_PAGES = ("overview", "early_help", "mash", "neglect", "complex_safeguarding", "training")
# The role each page is rendered as: the widest view a page has (drill-down for staff).
ROLE_PREFERENCE = ("qa_officer", "admin", "executive", "youth_council")
USERNAMES = {
    "executive": "exec.demo",
    "qa_officer": "qa.demo",
    "youth_council": "youth.demo",
    "admin": "admin.demo",
}


def machine() -> str:
    """A line naming the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB"
    return (
        f"{platform.node()}: {os.cpu_count()} cores ({cpu}){memory}, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )


def role_for(spec: navigation.PageSpec) -> str:
    return next(role for role in ROLE_PREFERENCE if role in spec.roles)


# --- Stores, built once and reused -------------------------------------------------------------


def _store_signature(scale: float) -> str:
    """What the built store depends on: scale, seed, generator and schema revision."""
    import hashlib

    digest = hashlib.sha256()
    for folder in ("sample_data", "data_access/migrations/versions"):
        for path in sorted((ROOT / folder).glob("*.py")):
            digest.update(path.read_bytes())
    digest.update((ROOT / "data_access" / "catalogue" / "indicators.yaml").read_bytes())
    return f"scale={scale:g};seed={SEED};code={digest.hexdigest()[:16]}"


def _marker_matches(engine: sa.Engine, signature: str) -> bool:
    try:
        with engine.connect() as connection:
            found = connection.execute(sa.text("SELECT signature FROM bench_marker")).scalar()
    except sa.exc.DBAPIError:
        return False
    return found == signature


def _build(engine: sa.Engine, scale: float, signature: str) -> float:
    from sample_data.generator import build_sample

    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    started = time.perf_counter()
    build_sample(engine, scale=scale, seed=SEED)
    seconds = time.perf_counter() - started
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE bench_marker (signature VARCHAR(200))"))
        connection.execute(sa.text("INSERT INTO bench_marker VALUES (:s)"), {"s": signature})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("ANALYZE"))
    return seconds


def sqlite_store(directory: Path, scale: float) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"bench-scale-{scale:g}.db"
    url = f"sqlite:///{path.as_posix()}"
    signature = _store_signature(scale)
    if path.exists() and _marker_matches(engine_for(url), signature):
        print(f"  reusing {path}")
        return url
    engine_for(url).dispose()
    path.unlink(missing_ok=True)
    seconds = _build(engine_for(url), scale, signature)
    print(f"  built {path} in {seconds:.1f} s")
    return url


def postgresql_store(server_url: str, scale: float, prefix: str = "qa_bench") -> str:
    name = f"{prefix}_scale_{scale:g}".replace(".", "_")
    url = sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    signature = _store_signature(scale)
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).scalar()
    if exists and _marker_matches(engine_for(url), signature):
        print(f"  reusing database {name}")
        admin.dispose()
        return url
    engine_for(url).dispose()
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    seconds = _build(engine_for(url), scale, signature)
    print(f"  built database {name} in {seconds:.1f} s")
    return url


# --- Rendering, capturing and replaying --------------------------------------------------------


@contextlib.contextmanager
def captured_sql(engine: sa.Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every SELECT sent to `engine` while the block runs, with its parameters.

    SQLAlchemy's own look-ups in the catalogue (does a table exist?) are left out: they are not
    the page's data, and their parameters are not all values a cursor takes again.
    """
    statements: list[tuple[str, Any]] = []

    def _capture(conn, cursor, statement, parameters, context, executemany):
        catalogue = "pg_catalog." in statement or "sqlite_master" in statement
        if statement.lstrip().upper().startswith(("SELECT", "WITH")) and not catalogue:
            statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", _capture)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", _capture)


def replay(engine: sa.Engine, statements: list[tuple[str, Any]]) -> tuple[float, int]:
    """Run the captured statements alone, in order, fetching every row: seconds, rows."""
    rows = 0
    with engine.connect() as connection:
        cursor_connection = connection.connection.dbapi_connection
        started = time.perf_counter()
        for statement, parameters in statements:
            cursor = cursor_connection.cursor()
            cursor.execute(statement, parameters)
            rows += len(cursor.fetchall())
            cursor.close()
        seconds = time.perf_counter() - started
        connection.rollback()
    return seconds, rows


def render(key: str, role: str) -> tuple[float, str | None]:
    from streamlit.testing.v1 import AppTest

    # A server scans installed components once at start-up; so does this process.
    share_component_registry()

    at = AppTest.from_file(str(navigation.page(key).path), default_timeout=900)
    username = USERNAMES[role]
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = username
    at.session_state["roles"] = [role]
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    error = at.exception[0].message if at.exception else None
    return seconds, error


def quiet_streamlit() -> None:
    """Keep the figures readable: bare AppTest runs warn on every cached call."""
    import streamlit  # noqa: F401  (its loggers exist once it is imported)

    # Streamlit resets its loggers' levels when AppTest loads its config; a filter stays.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )


def render_in_new_process(url: str, key: str, role: str) -> tuple[float, float, str | None]:
    """Render page `key` in a new Python process: (import seconds, render seconds, error)."""
    import json
    import subprocess

    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.fresh_render", "--url", url, "--page", key]
        + ["--role", role],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        return 0.0, 0.0, f"new process failed: {completed.stderr.strip()[-300:]}"
    found = json.loads(lines[-1])
    return float(found["import_s"]), float(found["render_s"]), found["error"]


def move_data_version(engine: sa.Engine) -> None:
    """Move the store's data version once, as an import's transaction does (no data changes)."""
    from data_access import data_version

    with engine.begin() as connection:
        data_version.mark_changed(connection)


@dataclass
class PageFigures:
    cold: list[float] = field(default_factory=list)
    fresh: list[float] = field(default_factory=list)
    imports: list[float] = field(default_factory=list)
    moved: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    queries: int = 0
    rows: int = 0
    errors: set[str] = field(default_factory=set)


def bench_store(
    label: str, url: str, repeat: int, pages: list[str], fresh_pages: list[str]
) -> dict[str, PageFigures]:
    from dashboard import cache

    os.environ["DATABASE_URL"] = url
    engine = engine_for(url)
    figures = {key: PageFigures() for key in pages}
    for _ in range(repeat):
        for key in pages:
            role = role_for(navigation.page(key))
            page = figures[key]
            errors: list[str | None] = []
            if key in fresh_pages:
                imports, fresh, fresh_error = render_in_new_process(url, key, role)
                page.imports.append(imports)
                page.fresh.append(fresh)
                errors.append(fresh_error)
            cache.clear()
            with captured_sql(engine) as statements:
                cold, cold_error = render(key, role)
            move_data_version(engine)
            moved, moved_error = render(key, role)
            warm, warm_error = render(key, role)
            sql, rows = replay(engine, statements)
            page.cold.append(cold)
            page.moved.append(moved)
            page.warm.append(warm)
            page.sql.append(sql)
            page.queries, page.rows = len(statements), rows
            errors += [cold_error, moved_error, warm_error]
            page.errors |= {e for e in errors if e}
    report(label, figures)
    return figures


def _mm(values: list[float], digits: int = 2) -> str:
    if not values:
        return "-"
    return f"{min(values):.{digits}f}/{statistics.median(values):.{digits}f}"


def report(label: str, figures: dict[str, PageFigures]) -> None:
    print(f"\n{label}  (seconds, min/median)")
    print(
        f"{'page':<22}{'new process':>12}{'imports':>12}{'after import':>13}{'cold':>12}"
        f"{'warm':>12}{'bare SQL':>14}{'cold/SQL':>10}{'queries':>9}{'rows':>11}  errors"
    )
    for key, page in figures.items():
        ratio = min(page.cold) / min(page.sql) if min(page.sql) > 0 else float("inf")
        print(
            f"{key:<22}{_mm(page.fresh):>12}{_mm(page.imports, 1):>12}{_mm(page.moved):>13}"
            f"{_mm(page.cold):>12}{_mm(page.warm):>12}{_mm(page.sql, 3):>14}"
            f"{ratio:>10.1f}{page.queries:>9}{page.rows:>11,}  "
            f"{'; '.join(sorted(page.errors)) or 'none'}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 60.0])
    parser.add_argument(
        "--stores", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", nargs="+", default=[p.key for p in navigation.PAGES])
    parser.add_argument(
        "--fresh-pages",
        nargs="*",
        default=list(FRESH_PAGES),
        help="pages also rendered in a new process (none: give the option alone)",
    )
    parser.add_argument(
        "--database-prefix",
        default="qa_bench",
        help="PostgreSQL stores are databases named PREFIX_scale_N",
    )
    parser.add_argument(
        "--directory", type=Path, default=DEFAULT_DIR, help="where SQLite stores are built and kept"
    )
    args = parser.parse_args(argv)
    quiet_streamlit()
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    print(f"Machine: {machine()}")
    failed = False
    measured: dict[tuple[str, float], dict[str, PageFigures]] = {}
    for scale in args.scales:
        for store in args.stores:
            if store == "postgresql" and not server:
                print("PostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL).")
                continue
            print(f"\nScale {scale:g} on {store}:")
            url = (
                sqlite_store(args.directory, scale)
                if store == "sqlite"
                else postgresql_store(server or "", scale, args.database_prefix)
            )
            fresh = [key for key in args.fresh_pages if key in args.pages]
            figures = bench_store(f"Scale {scale:g}, {store}", url, args.repeat, args.pages, fresh)
            measured[(store, scale)] = figures
            failed |= any(page.errors for page in figures.values())
            engine_for(url).dispose()
    report_growth(measured)
    return 1 if failed else 0


def report_growth(measured: dict[tuple[str, float], dict[str, PageFigures]]) -> None:
    """Each page's cold render (goal: at most 3x) and bare SQL (goal: at most 2x) at the largest
    scale against the smallest."""
    for store in ("sqlite", "postgresql"):
        scales = sorted(scale for kind, scale in measured if kind == store)
        if len(scales) < 2:
            continue
        small, large = measured[(store, scales[0])], measured[(store, scales[-1])]
        print(
            f"\nGrowth on {store}, cold render (min) at scale {scales[-1]:g} / scale {scales[0]:g}:"
        )
        print(f"  {'page':<22}{'cold':>8}{'bare SQL':>10}")
        for key in large:
            if key in small and min(small[key].cold) > 0:
                growth = min(large[key].cold) / min(small[key].cold)
                # A floor of a millisecond: a page whose SQL takes less has nothing that grows.
                sql = max(min(large[key].sql), 1e-3) / max(min(small[key].sql), 1e-3)
                notes = ("  cold above 3x" if growth > 3 else "") + (
                    "  SQL above 2x" if sql > 2 else ""
                )
                print(f"  {key:<22}{growth:>7.2f}x{sql:>9.2f}x{notes}")


if __name__ == "__main__":
    raise SystemExit(main())
