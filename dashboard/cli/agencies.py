"""`qa-dashboard agencies load|list` and `qa-dashboard localities load|list`: a partnership set
up without SQL.

qa-dashboard localities load FILE.csv --as USER     (code, name, optional child_population)
qa-dashboard agencies load FILE.csv --as USER       (code, name, sector, optional locality_code)
qa-dashboard agencies list | localities list

A file is all or nothing: each problem is printed with its row, and nothing is loaded.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from dashboard.cli.common import acting_user, engine_from
from data_access import agencies

# The administrator's page: --as must name an account that may open it.
PAGE_KEY = "agencies"


def _load(args: argparse.Namespace, kind: str) -> int:
    engine = engine_from(args)
    actor = acting_user(engine, args.as_user, PAGE_KEY)
    if actor is None:
        return 2
    path = Path(args.file)
    if not path.is_file():
        print(f"No such file: {path}")
        return 2
    load = agencies.load_agencies if kind == "agency" else agencies.load_localities
    try:
        outcome = load(
            engine=engine, data=path.read_bytes(), file_name=path.name, username=actor, page="cli"
        )
    except agencies.SetupFileRefused as refused:
        print(f"Nothing was loaded: {len(refused.problems)} problem(s) in {path.name}.")
        with pd.option_context("display.width", 200, "display.max_colwidth", 80):
            print(refused.frame().to_string(index=False))
        return 1
    print(outcome.message("agency" if kind == "agency" else "locality"))
    return 0


def cmd_agencies_load(args: argparse.Namespace) -> int:
    """Add the agencies in a CSV file (code, name, sector, optional locality_code, agency_type)."""
    return _load(args, "agency")


def cmd_localities_load(args: argparse.Namespace) -> int:
    """Add the localities in a CSV file (code, name, optional child_population)."""
    return _load(args, "locality")


def cmd_agencies_list(args: argparse.Namespace) -> int:
    """List the agencies, by code."""
    listing = agencies.list_agencies(engine=engine_from(args))
    print(listing.to_string(index=False) if not listing.empty else "No agencies yet.")
    return 0


def cmd_localities_list(args: argparse.Namespace) -> int:
    """List the localities, by code."""
    listing = agencies.list_localities(engine=engine_from(args))
    print(listing.to_string(index=False) if not listing.empty else "No localities yet.")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `agencies` and `localities` command groups to `qa-dashboard`."""
    for group, load, listing in (
        ("localities", cmd_localities_load, cmd_localities_list),
        ("agencies", cmd_agencies_load, cmd_agencies_list),
    ):
        parser = subparsers.add_parser(group, help=f"the partnership's {group}")
        sub = parser.add_subparsers(dest=f"{group}_command", required=True)
        loader = sub.add_parser("load", help=load.__doc__)
        loader.add_argument("file", help="a CSV file with a heading row")
        loader.add_argument(
            "--as",
            dest="as_user",
            metavar="USER",
            required=True,
            help="required: the administrator loading the file (recorded)",
        )
        loader.set_defaults(func=load)
        sub.add_parser("list", help=listing.__doc__).set_defaults(func=listing)
