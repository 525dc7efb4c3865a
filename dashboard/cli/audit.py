"""`qa-dashboard audit verify`: check the audit log's hash chain."""

from __future__ import annotations

import argparse

from dashboard.cli.common import engine_from


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Check the audit log's hash chain; exit 1 and name the first broken entry if it is broken."""
    from data_access.audit_log import verify_chain

    report = verify_chain(engine=engine_from(args))
    print(report.message())
    return 0 if report.ok else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the audit command group to `qa-dashboard`."""
    audit = sub.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", required=True
    )
    audit.add_parser("verify", help=cmd_audit_verify.__doc__).set_defaults(func=cmd_audit_verify)
