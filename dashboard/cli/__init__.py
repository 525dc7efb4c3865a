"""Command line: `qa-dashboard init-db | load-sample | ensure-sample | run | ...`."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

from dashboard.cli import imports, pack, users
from data_access import migrate
from data_access.config import COOKIE_KEY_HOWTO, cookie_key_problem, default_database_url, settings
from data_access.db import engine_for, session_scope
from data_access.reference import sync_catalogue

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger("qa_dashboard")


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return engine_for(args.database_url or settings().database_url)


def cmd_init_db(args: argparse.Namespace) -> int:
    """Create or upgrade the schema and load the indicator catalogue."""
    engine = _engine(args)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    print(f"Database ready at {engine.url.render_as_string(hide_password=True)}")
    return 0


def _demo_engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
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

    engine = _engine(args)
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


DEMO_KEY_NOTE = "Demo mode: fictional data and public demo passwords; never enter real information."


def cmd_run(args: argparse.Namespace) -> int:
    """Start the dashboard (Streamlit) on localhost; --demo for the sample with demo accounts."""
    env = os.environ.copy()
    if args.demo:
        env["DEMO_MODE"] = "1"
        # The demo never touches the configured (production) store.
        env["DATABASE_URL"] = args.database_url or default_database_url(settings().data_dir)
        print(DEMO_KEY_NOTE)
    else:
        if settings().demo_mode:
            print("DEMO_MODE is set: the dashboard runs in demo mode.")
        else:
            problem = cookie_key_problem(settings().cookie_key)
            if problem:
                print(
                    f"Error: the dashboard cannot start: {problem} {COOKIE_KEY_HOWTO}",
                    file=sys.stderr,
                )
                return 2
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "dashboard" / "app.py"),
        "--server.port",
        str(args.port),
        "--server.address",
        args.address,
    ]
    return subprocess.call(command, cwd=ROOT, env=env)


FORCE_HELP = (
    "overwrite the store even if it holds real data or is the one DATABASE_URL names "
    "(everything but the catalogue, users and audit log is deleted)"
)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Check the audit log's hash chain; exit 1 and name the first broken entry if it is broken."""
    from data_access.audit_log import verify_chain

    report = verify_chain(engine=_engine(args))
    print(report.message())
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa-dashboard", description=__doc__)
    parser.add_argument("--database-url", help="overrides DATABASE_URL for this command")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("init-db", help=cmd_init_db.__doc__).set_defaults(func=cmd_init_db)

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

    run = sub.add_parser("run", help=cmd_run.__doc__)
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--address", default="localhost")
    run.add_argument(
        "--demo",
        action="store_true",
        help="demo mode: the sample's own SQLite file, demo accounts shown on the "
        "sign-in page, a one-off cookie key",
    )
    run.set_defaults(func=cmd_run)

    audit = sub.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", required=True
    )
    audit.add_parser("verify", help=cmd_audit_verify.__doc__).set_defaults(func=cmd_audit_verify)

    for register in (users.register, imports.register, pack.register):
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)

