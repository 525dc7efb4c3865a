"""`qa-dashboard published load | show`: the DfE's published figures (and init-db's --council)."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import sqlalchemy as sa

from dashboard.cli.common import acting_user, engine_from
from data_access import catalogue, published
from data_access import published_tables as tables


def set_up_councils(engine: sa.Engine, codes: list[str]) -> int:
    """init-db --council: record the council(s) and load their published history."""
    if not codes:
        return 0
    try:
        councils, summary = published.setup_councils(engine=engine, council_codes=codes)
    except tables.UnknownCouncil as problem:
        print(f"Error: --council: {problem}", file=sys.stderr)
        return 2
    names = ", ".join(
        f"{c.name} ({c.old_la_code}, {c.new_la_code or 'no new code'})" for c in councils
    )
    print(f"The partnership covers {names}.")
    if summary is not None:
        print(summary.sentence())
    if len(councils) > 1:
        print(
            "More than one council: each council's published figures are kept and shown, but "
            "not added into partnership figures (a rate needs each council's population); "
            "load the partnership's own figures with `qa-dashboard import`."
        )
    print(tables.ATTRIBUTION)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    """Add a later release of the DfE's published figures (the same tidy format)."""
    engine = engine_from(args)
    actor = acting_user(engine, args.as_user, "data_management")
    if actor is None:
        return 2
    path = Path(args.file)
    if not path.is_file():
        print(f"Error: no file {path}.", file=sys.stderr)
        return 2
    try:
        summary = published.load_release(
            engine=engine,
            data=path.read_bytes(),
            file_name=path.name,
            username=actor,
            name=args.release,
        )
    except tables.PublishedFileError as problem:
        print(f"Error: {problem}", file=sys.stderr)
        return 1
    print(summary.sentence())
    return 0


def _plain(value: object, kind: str) -> str:
    if value is None or value != value:  # a gap: the DfE published no figure
        return ""
    number = float(str(value))
    # The average to the one decimal place the DfE publishes (LAIT shows it so); a published
    # figure exactly as the DfE's table has it.
    return f"{number:.1f}" if kind == "neighbours" else f"{number:g}"


def cmd_show(args: argparse.Namespace) -> int:
    """Print each area's published figure of an indicator for a year as CSV: area,kind,value."""
    try:
        catalogue.indicator(args.indicator)
    except KeyError:
        print(f"Error: no indicator {args.indicator!r} in the catalogue.", file=sys.stderr)
        return 2
    if args.indicator not in tables.MEASURE_OF:
        print(
            f"Error: the DfE's shipped tables do not publish {args.indicator}; published "
            f"indicators: {', '.join(tables.MEASURE_OF)}.",
            file=sys.stderr,
        )
        return 2
    try:
        tables.year_of_period(args.period)
    except ValueError as problem:
        print(f"Error: --period: {problem}", file=sys.stderr)
        return 2
    rows = published.comparison(
        engine=engine_from(args), code=args.indicator, period_code=args.period
    )
    if rows.empty:
        print(
            "Error: no council is recorded for the partnership; run "
            "`qa-dashboard init-db --council CODE` first.",
            file=sys.stderr,
        )
        return 2
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["area", "kind", "value"])
    for row in rows.itertuples():
        writer.writerow([row.area, row.kind, _plain(row.value, str(row.kind))])
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `published load` and `published show` to `qa-dashboard`."""
    group = sub.add_parser("published", help="the DfE's published figures")
    commands = group.add_subparsers(dest="published_command", required=True)
    load = commands.add_parser("load", help=cmd_load.__doc__)
    load.add_argument(
        "file", help="a tidy CSV: Short Desc, Years, LA and Regions, Values, LA Number"
    )
    load.add_argument("--as", dest="as_user", required=True, metavar="USER")
    load.add_argument("--release", help="the release's name (default: the file's name)")
    load.set_defaults(func=cmd_load)
    show = commands.add_parser("show", help=cmd_show.__doc__)
    show.add_argument("--indicator", required=True, metavar="CODE")
    show.add_argument("--period", required=True, metavar="YEAR", help="a financial year: 2019-20")
    show.set_defaults(func=cmd_show)
