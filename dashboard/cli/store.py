"""`qa-dashboard init-db | load-sample | ensure-sample`: the schema and the fictional sample."""

from __future__ import annotations

import argparse
import sys

import sqlalchemy as sa

from dashboard.cli.common import engine_from
from data_access import learning_figures, migrate
from data_access.config import default_database_url, settings
from data_access.db import engine_for, session_scope
from data_access.reference import sync_catalogue

FORCE_HELP = (
    "overwrite the store even if it holds real data or is the one DATABASE_URL names "
    "(everything but the catalogue, users and audit log is deleted)"
)


def cmd_init_db(args: argparse.Namespace) -> int:
    """Create or upgrade the schema and load the indicator catalogue."""
    from dashboard.cli.published import set_up_councils

    engine = engine_from(args)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
        # The timeliness indicators of quarters ended since the records last changed.
        learning_figures.refresh(session)
    print(f"Database ready at {engine.url.render_as_string(hide_password=True)}")
    return set_up_councils(engine, getattr(args, "council", None) or [])


def _demo_engine(args: argparse.Namespace) -> sa.Engine:
    """The demo's own SQLite file, whatever DATABASE_URL says (unless --database-url is given)."""
    if args.database_url:
        return engine_for(args.database_url)
    data_dir = settings().data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    return engine_for(default_database_url(data_dir))


def cmd_load_sample(args: argparse.Namespace) -> int:
    """Replace the store's contents with the fictional sample partnership (refuses real data)."""
    from sample_data.generator import build_sample
    from sample_data.safety import StoreNotDisposable, check_disposable

    engine = engine_from(args)
    try:
        check_disposable(engine, force=args.force)
        cmd_init_db(args)
        summary = build_sample(engine, scale=args.scale, seed=args.seed, force=args.force)
    except StoreNotDisposable as refusal:
        print(f"Error: {refusal}", file=sys.stderr)
        return 3
    print(summary)
    return 0


def cmd_ensure_sample(args: argparse.Namespace) -> int:
    """Build the demo's SQLite file with the sample partnership unless it already holds it."""
    from sample_data.generator import build_sample, store_has_data
    from sample_data.safety import StoreNotDisposable, check_disposable

    engine = _demo_engine(args)
    try:
        check_disposable(engine, force=args.force)
    except StoreNotDisposable as refusal:
        print(f"Error: {refusal}", file=sys.stderr)
        return 3
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    where = engine.url.render_as_string(hide_password=True)
    if store_has_data(engine):
        print(f"The demo store {where} already holds data (the sample); it was not reloaded.")
        return 0
    print(build_sample(engine, scale=1.0, seed=args.seed, force=args.force))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add init-db, load-sample and ensure-sample to `qa-dashboard`."""
    init_db = sub.add_parser("init-db", help=cmd_init_db.__doc__)
    init_db.add_argument(
        "--council",
        action="append",
        metavar="CODE",
        help=(
            "a council the partnership covers: old LA code (356), new code (E08000007) or name; "
            "repeat for more than one. Loads ten years of its figures published by the DfE"
        ),
    )
    init_db.set_defaults(func=cmd_init_db)

    sample = sub.add_parser("load-sample", help=cmd_load_sample.__doc__)
    sample.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help=(
            "1 = the demo partnership; 60 builds the benchmark store "
            "(1.3M indicator values, 6.4M contacts)"
        ),
    )
    sample.add_argument("--seed", type=int, default=2019)
    sample.add_argument("--force", action="store_true", help=FORCE_HELP)
    sample.set_defaults(func=cmd_load_sample)

    ensure = sub.add_parser("ensure-sample", help=cmd_ensure_sample.__doc__)
    ensure.add_argument("--seed", type=int, default=2019)
    ensure.add_argument("--force", action="store_true", help=FORCE_HELP)
    ensure.set_defaults(func=cmd_ensure_sample)
