"""Time the board pack for the sample partnership: PDF and PPTX, by stage and end to end.

    python benchmarks/bench_pack.py [--scales 1 60] [--stores sqlite postgresql] [--repeat 3]
        [--period "2026-27 Q2"] [--keep DIR] [--database-prefix qa_bench]

Each store is a copy of the benchmark store `bench_pages` builds and keeps (a copied SQLite file;
a PostgreSQL database made from it as a template), so the packs this records do not change the
kept store. Then, `--repeat` times, it times the stages (assembling the content, drawing the
charts, writing each format) and each pack end to end as the page and the command line make it
(recorded in the store), and reports min and median. The goal is a PDF pack under 10 seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from benchmarks import bench_pages  # noqa: E402
from dashboard.board_pack.content import assemble  # noqa: E402
from dashboard.board_pack.generate import generate_packs, render_charts  # noqa: E402
from dashboard.board_pack.pdf import build_pdf  # noqa: E402
from dashboard.board_pack.pptx_builder import build_pptx  # noqa: E402
from data_access.db import engine_for  # noqa: E402
from data_access.indicators import periods_with_data  # noqa: E402

TARGET_PDF_SECONDS = 10.0


def _timed(fn: Callable[[], Any]) -> tuple[Any, tuple[float, float]]:
    """What `fn` returns, and its (wall, CPU) seconds: CPU counts every thread of this process,
    vl-convert's too, so it says what the work costs when other work shares the machine."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, (time.perf_counter() - started, time.process_time() - cpu)


@contextlib.contextmanager
def store_copy(store: str, scale: float, args: argparse.Namespace) -> Iterator[str]:
    """A throw-away copy of the benchmark store for `store` and `scale`; its URL."""
    if store == "sqlite":
        kept = sa.make_url(bench_pages.sqlite_store(args.directory, scale)).database or ""
        engine_for(f"sqlite:///{kept}").dispose()
        with tempfile.TemporaryDirectory(prefix="bench-pack-") as workdir:
            copy = Path(workdir, "pack.db")
            shutil.copyfile(kept, copy)
            url = f"sqlite:///{copy.as_posix()}"
            yield url
            engine_for(url).dispose()
        return
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or ""
    source = sa.make_url(bench_pages.postgresql_store(server, scale, args.database_prefix))
    engine_for(source.render_as_string(hide_password=False)).dispose()
    name = f"{source.database}_pack"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{source.database}"'))
    url = source.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        engine_for(url).dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bench_once(url: str, period: str | None, keep: str | None) -> dict[str, tuple[float, float]]:
    """One pass: every stage, then each pack end to end; (wall, CPU) seconds by name."""
    engine = engine_for(url)
    period = period or str(periods_with_data(engine=engine)["code"].iloc[-1])
    figures: dict[str, tuple[float, float]] = {}
    content, figures["assemble content"] = _timed(
        lambda: assemble(engine=engine, period_code=period, generated_by="bench")
    )
    drawn, figures["draw charts (vl-convert)"] = _timed(lambda: render_charts(content))
    _, figures["write PDF (WeasyPrint)"] = _timed(lambda: build_pdf(drawn))
    _, figures["write PPTX (python-pptx)"] = _timed(lambda: build_pptx(drawn))
    for file_format in ("pdf", "pptx"):
        packs, figures[f"{file_format.upper()} pack end to end"] = _timed(
            lambda f=file_format: generate_packs(
                engine=engine, period_code=period, generated_by="bench", formats=(f,)
            )
        )
        if keep and isinstance(packs, list):
            Path(keep).mkdir(parents=True, exist_ok=True)
            Path(keep, packs[0].file_name).write_bytes(packs[0].content)
    _, figures["PDF and PPTX together"] = _timed(
        lambda: generate_packs(engine=engine, period_code=period, generated_by="bench")
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 60.0])
    parser.add_argument(
        "--stores", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--period", help="quarter (default: the latest with figures)")
    parser.add_argument("--keep", help="directory to write the generated files to")
    parser.add_argument("--database-prefix", default="qa_bench")
    parser.add_argument("--directory", type=Path, default=bench_pages.DEFAULT_DIR)
    args = parser.parse_args(argv)
    print(f"Machine: {bench_pages.machine()}")
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    targets = [
        (scale, store)
        for scale in args.scales
        for store in args.stores
        if store == "sqlite" or server
    ]
    if "postgresql" in args.stores and not server:
        print("PostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL).")
    with contextlib.ExitStack() as stack:
        urls = {t: stack.enter_context(store_copy(t[1], t[0], args)) for t in targets}
        measured: dict[tuple[float, str], dict[str, list[tuple[float, float]]]] = {
            t: defaultdict(list) for t in targets
        }
        # Interleaved: each repeat makes every store's packs once.
        for _ in range(args.repeat):
            for target in targets:
                for name, seconds in bench_once(urls[target], args.period, args.keep).items():
                    measured[target][name].append(seconds)
    for (scale, store), figures in measured.items():
        print(f"\nBoard pack, scale {scale:g} on {store} (seconds: wall min/median, CPU min):")
        for name, values in figures.items():
            walls = [wall for wall, _ in values]
            print(
                f"  {name:<32}{min(walls):>8.2f}{statistics.median(walls):>8.2f}"
                f"{min(cpu for _, cpu in values):>8.2f}"
            )
        pdf = min(wall for wall, _ in figures["PDF pack end to end"])
        verdict = "within" if pdf < TARGET_PDF_SECONDS else "OVER"
        print(f"  PDF pack {pdf:.2f} s: {verdict} the {TARGET_PDF_SECONDS:.0f} s goal")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
