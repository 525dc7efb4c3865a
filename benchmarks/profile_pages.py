"""Where a page render's time goes: profile pages under AppTest, warm, cold and truly cold.

    python benchmarks/profile_pages.py --database-url sqlite:////tmp/bench-scale-60.db \
        [--pages overview mash] [--modes warm cold truly_cold] [--repeat 3] [--top 25]

The store must exist (build one with `bench_pages.sqlite_store`, or `python -m sample_data`).
Each page is first rendered once, so the process has imported everything a server has imported
by the time a visitor arrives. Then, `--repeat` times per mode:

* warm: rendered again at once (every cached query and chart in place);
* cold: the query cache is emptied first (what `bench_pages` calls cold: charts and other
  process memos already built stay);
* truly_cold: the store's data version moves and every process memo (charts, figures) is
  emptied, as after an import in another process that changed the data.

For each mode it prints the median and least render time, wall clock and this process's CPU
time (steadier on a shared machine), and, from one cProfile run, the share of time
spent in each library (self time by the file's package), and the slowest project functions by
cumulative time. Profiling inflates times; compare shares, and take times from the plain runs.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import logging
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

import sqlalchemy as sa  # noqa: E402

from benchmarks.bench_pages import render, role_for  # noqa: E402
from dashboard import navigation  # noqa: E402
from data_access.db import engine_for  # noqa: E402

THEME_PAGES = ["overview", "early_help", "mash", "neglect", "complex_safeguarding", "training"]
PACKAGES = (
    "pandas",
    "numpy",
    "altair",
    "jsonschema",
    "narwhals",
    "pyarrow",
    "streamlit",
    "sqlalchemy",
    "sqlite3",
    "psycopg",
    "google/protobuf",
    "dashboard",
    "data_access",
)


def package_of(filename: str) -> str:
    """The library a profiled function's file belongs to ("builtins" for C functions)."""
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins"
    for name in PACKAGES:
        if f"/{name}/" in filename:
            return name
    return "other"


def shares(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Self time per library, largest first."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        totals[package_of(filename)] += row[2]
    return sorted(totals.items(), key=lambda item: -item[1])


def project_functions(stats: pstats.Stats, top: int) -> list[tuple[str, float]]:
    """The project's functions with the largest cumulative time."""
    rows = []
    for (filename, line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if str(ROOT) in filename and "/benchmarks/" not in filename and "/pages/" not in filename:
            rows.append((f"{Path(filename).relative_to(ROOT)}:{line} {name}", row[3]))
    return sorted(rows, key=lambda item: -item[1])[:top]


@contextlib.contextmanager
def profiled_scripts() -> Iterator[cProfile.Profile]:
    """Profile every page script run started inside (AppTest runs a script on its own thread,
    which a profiler enabled on this one does not see)."""
    from streamlit.runtime.scriptrunner import script_runner

    profiler = cProfile.Profile()
    original = script_runner.ScriptRunner._run_script

    def run_profiled(self: Any, rerun_data: Any) -> None:
        profiler.enable()
        try:
            original(self, rerun_data)
        finally:
            profiler.disable()

    script_runner.ScriptRunner._run_script = run_profiled  # type: ignore[method-assign]
    try:
        yield profiler
    finally:
        script_runner.ScriptRunner._run_script = original  # type: ignore[method-assign]


def make_cold(mode: str, url: str) -> None:
    """Empty what `mode` empties before a render."""
    from dashboard import cache

    if mode == "warm":
        return
    if mode == "truly_cold":
        with engine_for(url).begin() as connection:
            connection.execute(sa.text("UPDATE data_version SET version = version + 1"))
        # Charts and table plans are kept by content: new data (what an import brings) means
        # new ones, so the truly cold render builds them again.
        from dashboard.components import charts, tables

        charts._BUILT.clear()
        getattr(tables, "_PLANS", {}).clear()  # older code kept none
    cache.clear()  # outside a server: forgets, and warms nothing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pages", nargs="+", default=THEME_PAGES)
    parser.add_argument(
        "--modes",
        nargs="+",
        default=["warm", "cold", "truly_cold"],
        choices=["warm", "cold", "truly_cold"],
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-profile", action="store_true", help="times only")
    parser.add_argument(
        "--dump", type=Path, help="also write each profile here (PAGE-MODE.prof, for pstats)"
    )
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    import streamlit  # noqa: F401

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )
    for key in args.pages:
        role = role_for(navigation.page(key))
        render(key, role)  # imports, first-run work a running server has already done
        for mode in args.modes:
            times, cpu = [], []
            for _ in range(args.repeat):
                make_cold(mode, args.database_url)
                started = time.process_time()
                seconds, error = render(key, role)
                cpu.append(time.process_time() - started)
                if error:
                    print(f"{key} {mode}: {error}")
                times.append(seconds)
            # CPU seconds of this process: on a shared machine they move far less than the
            # wall clock, which counts the time other processes held the cores.
            print(
                f"\n== {key} {mode}: median {statistics.median(times):.3f} s, "
                f"min {min(times):.3f} s; CPU median {statistics.median(cpu):.3f} s, "
                f"min {min(cpu):.3f} s ({args.repeat} runs)"
            )
            if args.no_profile:
                continue
            make_cold(mode, args.database_url)
            with profiled_scripts() as profiler:
                started = time.perf_counter()
                render(key, role)
                total = time.perf_counter() - started
            stats = pstats.Stats(profiler)
            if args.dump:
                args.dump.mkdir(parents=True, exist_ok=True)
                stats.dump_stats(args.dump / f"{key}-{mode}.prof")
            print(f"   profiled render {total:.3f} s; self time by library:")
            for name, seconds in shares(stats)[:10]:
                print(f"     {name:<16}{seconds:7.3f} s {100 * seconds / total:5.1f}%")
            print("   project functions by cumulative time:")
            for name, seconds in project_functions(stats, args.top):
                print(f"     {seconds:7.3f} s  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
