"""Command line: `qa-dashboard init-db | load-sample | ensure-sample | run | ...`."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

from dashboard import cli_import, cli_pack, cli_users
from data_access import migrate
from data_access.config import settings
from data_access.db import engine_for, session_scope
from data_access.reference import sync_catalogue

ROOT = Path(__file__).resolve().parent.parent
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


def cmd_load_sample(args: argparse.Namespace) -> int:
    """Replace the store's contents with the fictional sample partnership."""
    from sample_data.generator import build_sample

    cmd_init_db(args)
    summary = build_sample(_engine(args), scale=args.scale, seed=args.seed)
    print(summary)
    return 0


def cmd_ensure_sample(args: argparse.Namespace) -> int:
    """Initialise the store, and load the sample partnership only if the store holds no figures."""
    from sample_data.generator import build_sample, store_has_data

    cmd_init_db(args)
    engine = _engine(args)
    if store_has_data(engine):
        print("The store already holds data; the sample was not loaded.")
        return 0
    print(build_sample(engine, scale=1.0, seed=args.seed))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Start the dashboard (Streamlit) on localhost."""
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
    return subprocess.call(command, cwd=ROOT, env=os.environ.copy())


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
    sample.set_defaults(func=cmd_load_sample)

    ensure = sub.add_parser("ensure-sample", help=cmd_ensure_sample.__doc__)
    ensure.add_argument("--seed", type=int, default=2019)
    ensure.set_defaults(func=cmd_ensure_sample)

    run = sub.add_parser("run", help=cmd_run.__doc__)
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--address", default="localhost")
    run.set_defaults(func=cmd_run)

    audit = sub.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", required=True)
    audit.add_parser("verify", help=cmd_audit_verify.__doc__).set_defaults(func=cmd_audit_verify)

    for register in (cli_users.register, cli_import.register, cli_pack.register):
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
