"""Command line: `qa-dashboard init-db | load-sample | ensure-sample | run | ...`."""

from __future__ import annotations

import argparse
import logging

from dashboard.cli import (
    agencies,
    audit,
    imports,
    pack,
    published,
    report,
    scorecard,
    self_assessment,
    serve,
    store,
    users,
)


def build_parser() -> argparse.ArgumentParser:
    """The `qa-dashboard` parser with every command group, in the order `--help` lists them."""
    parser = argparse.ArgumentParser(prog="qa-dashboard", description=__doc__)
    parser.add_argument("--database-url", help="overrides DATABASE_URL for this command")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in (
        store,
        serve,
        audit,
        users,
        agencies,
        self_assessment,
        imports,
        pack,
        scorecard,
        published,
        report,
    ):
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one `qa-dashboard` command; its exit status."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)
