"""`qa-dashboard run`: start the dashboard (Streamlit) on this machine."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from data_access.config import (
    AUDIT_KEY_HOWTO,
    COOKIE_KEY_HOWTO,
    audit_key_problem,
    cookie_key_problem,
    default_database_url,
    settings,
)

ROOT = Path(__file__).resolve().parents[2]


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
            problem = audit_key_problem(settings().audit_key)
            if problem:
                print(
                    f"Error: the dashboard cannot start: {problem} {AUDIT_KEY_HOWTO}",
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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the run command to `qa-dashboard`."""
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
