"""`qa-dashboard audit verify|anchor`: check the audit log's keyed hash chain against its anchors,
and append the newest entry's id and hash to the anchor file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.cli.common import engine_from


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Check the audit log's hash chain and anchors; exit 1 and say what is wrong if broken."""
    from data_access.audit_log import verify_chain

    report = verify_chain(engine=engine_from(args), anchor_file=args.anchor_file)
    print(report.message())
    return 0 if report.ok else 1


def cmd_audit_anchor(args: argparse.Namespace) -> int:
    """Append the newest entry's id and hash to the anchor file (after checking the chain)."""
    from data_access import audit_log

    path: Path | None = args.anchor_file or audit_log.anchor_path()
    if path is None:
        print(
            "Error: no anchor file: set AUDIT_ANCHOR_FILE (a file on another disk or machine, "
            "append-only if you can) or give --anchor-file.",
            file=sys.stderr,
        )
        return 2
    engine = engine_from(args)
    report = audit_log.verify_chain(engine=engine, anchor_file=path)
    if not report.ok:
        # Anchoring a log that no longer verifies would vouch for the tampering.
        print(f"Error: not anchored, the log does not verify. {report.message()}", file=sys.stderr)
        return 1
    audit_log.record_event(
        engine=engine, username=None, event="audit_anchored", page="cli", detail=str(path)
    )
    try:
        anchor = audit_log.write_anchor(engine=engine, reason="audit anchor", path=path)
    except audit_log.AnchorError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    print(f"Anchored in {path}: {anchor.sentence()}.")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the audit command group to `qa-dashboard`."""
    audit = sub.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", required=True
    )
    for name, func in (("verify", cmd_audit_verify), ("anchor", cmd_audit_anchor)):
        parser = audit.add_parser(name, help=func.__doc__)
        parser.add_argument(
            "--anchor-file", type=Path, help="the anchor file (default: AUDIT_ANCHOR_FILE)"
        )
        parser.set_defaults(func=func)
