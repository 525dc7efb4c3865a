"""`python -m sample_data [--database-url URL] [--scale N] [--seed S] [--today DATE] [--force]`.

Migrates the store, loads the indicator catalogue, replaces its data with the Brookvale sample and
prints the rows written per table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from data_access import migrate
from data_access.config import settings
from data_access.db import engine_for, session_scope
from data_access.reference import sync_catalogue
from sample_data.generator import build_sample
from sample_data.safety import StoreNotDisposable, check_disposable


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from exc


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from exc
    if value <= 0:
        raise argparse.ArgumentTypeError("the scale must be more than 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sample_data",
        description="Replace the store's data with the fictional Brookvale partnership.",
    )
    parser.add_argument("--database-url", help="overrides DATABASE_URL for this command")
    parser.add_argument(
        "--scale",
        type=_positive,
        default=1.0,
        help="1 = the demo partnership (default); 60 builds the benchmark store "
        "(about 1.3 million indicator values and 6.4 million contacts)",
    )
    parser.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    parser.add_argument(
        "--today",
        type=_date,
        default=None,
        help="pretend today is this date (default: today); the data runs to the "
        "last complete quarter before it",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite a store that holds real data or that DATABASE_URL names "
        "(refused without it)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    engine = engine_for(args.database_url or settings().database_url)
    try:
        check_disposable(engine, force=args.force)
    except StoreNotDisposable as refusal:
        print(refusal, file=sys.stderr)
        return 3
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    try:
        summary = build_sample(
            engine, scale=args.scale, seed=args.seed, today=args.today, force=args.force
        )
    except ValueError as exc:
        print(f"Could not build the sample: {exc}", file=sys.stderr)
        return 2
    print(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
