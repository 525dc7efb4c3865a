"""Time the overview and the five theme pages: cold and warm render, peak memory, bare SQL.

    .venv/bin/python benchmarks/bench_pages.py [--scales 1 10] [--role qa_officer]

For each scale it builds a SQLite store with `sample_data.generator.build_sample(engine,
scale=...)` (scale 1 is the demo partnership; the generator's docstring says scale 50 gives over a
million indicator values, which takes several minutes to build, so the default stops at 10), then
for every page:

* cold: the query cache is cleared, then the page runs once under AppTest;
* warm: the page runs again with the cache filled (what most visitors see);
* peak memory: tracemalloc's peak during the cold run (Python allocations only);
* SQL: the time of the bare data_access queries the page needs, run directly without the cache.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# Bare AppTest runs warn "missing ScriptRunContext" on every cached call; keep figures readable.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

import sqlalchemy as sa  # noqa: E402

from dashboard.metrics import brief  # noqa: E402
from data_access import assurance, migrate, themes  # noqa: E402
from data_access.db import engine_for, session_scope  # noqa: E402
from data_access.indicators import periods_with_data  # noqa: E402
from data_access.reference import sync_catalogue  # noqa: E402

PAGES = ["overview", "early_help", "mash", "neglect", "complex_safeguarding", "training"]
Query = tuple[Callable[..., Any], dict[str, Any]]


def page_queries(page: str, period: str, first: str) -> list[Query]:
    """The data_access calls a page makes for the default view (latest quarter, partnership)."""
    common: list[Query] = [(periods_with_data, {})]
    if page == "overview":
        return common + [
            (brief.quarter_brief, {"period_code": period, "headline_only": True}),
            (assurance.summaries, {"period_code": period}),
        ]
    queries = common + [
        (themes.agencies, {}),
        (themes.localities, {}),
        (themes.indicator_history, {"theme_code": page, "from_period": first, "to_period": period}),
        (themes.comparator_series, {"theme_code": page}),
        (brief.quarter_brief, {"period_code": period, "theme_code": page}),
        (themes.breakdown, {"theme_code": page, "period_code": period, "dimension": "agency"}),
        (themes.breakdown, {"theme_code": page, "period_code": period, "dimension": "locality"}),
        (assurance.summaries, {"period_code": period, "theme_code": page}),
        (themes.theme_actions, {"theme_code": page}),
        (themes.theme_findings, {"theme_code": page}),
    ]
    if page == "mash":
        queries.append((themes.mash_contacts_by_source, {"period_code": period}))
    if page == "training":
        queries += [
            (themes.training_learners_by_agency, {"period_code": period}),
            (themes.training_evaluation_by_quarter, {"from_period": first, "to_period": period}),
            (themes.kirkpatrick_levels, {"period_code": period}),
        ]
    return queries


def build_store(directory: Path, scale: float) -> tuple[sa.Engine, float, int, int]:
    from sample_data.generator import build_sample

    path = directory / f"bench-scale-{scale:g}.db"
    path.unlink(missing_ok=True)
    engine = engine_for(f"sqlite:///{path.as_posix()}")
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    started = time.perf_counter()
    build_sample(engine, scale=scale, seed=2019)
    seconds = time.perf_counter() - started
    with engine.connect() as connection:
        values = connection.execute(sa.text("SELECT count(*) FROM indicator_value")).scalar_one()
        contacts = connection.execute(sa.text("SELECT count(*) FROM mash_contact")).scalar_one()
    return engine, seconds, int(values), int(contacts)


def run_page(page: str, role: str) -> tuple[float, bool]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=600)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "bench"
    at.session_state["name"] = "Benchmark"
    at.session_state["roles"] = [role]
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started, bool(at.exception)


def bench_scale(directory: Path, scale: float, role: str) -> None:
    from dashboard import cache

    engine, build_seconds, values, contacts = build_store(directory, scale)
    os.environ["DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    periods = periods_with_data(engine=engine)
    period, first = periods["code"].iloc[-1], periods["code"].iloc[max(0, len(periods) - 12)]
    print(
        f"\nScale {scale:g}: {values:,} indicator values, {contacts:,} front-door contacts "
        f"(built in {build_seconds:.1f} s); quarter {period}, role {role}"
    )
    print(f"{'page':<22}{'cold s':>9}{'warm s':>9}{'peak MB':>9}{'SQL s':>9}{'queries':>9}  errors")
    for page in PAGES:
        cache.clear()
        tracemalloc.start()
        cold, cold_error = run_page(page, role)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        warm, warm_error = run_page(page, role)
        queries = page_queries(page, period, first)
        started = time.perf_counter()
        for fn, kwargs in queries:
            fn(engine=engine, **kwargs)
        sql = time.perf_counter() - started
        flag = "yes" if cold_error or warm_error else "no"
        print(
            f"{page:<22}{cold:>9.2f}{warm:>9.2f}{peak / 2**20:>9.1f}{sql:>9.3f}"
            f"{len(queries):>9}  {flag}"
        )
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--role", default="qa_officer")
    parser.add_argument(
        "--directory",
        type=Path,
        default=None,
        help="where to build the stores (default: a temporary directory)",
    )
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        directory = args.directory or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        for scale in args.scales:
            bench_scale(directory, scale, args.role)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
