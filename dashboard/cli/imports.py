"""`qa-dashboard import | template | submissions list | rollback`: quarterly returns from the shell.

qa-dashboard import FILE [--agency CODE] --as USER [--valid-only] [--dry-run]
    (a children in need census XML, an SSDA903 zip or an Annex A workbook is recognised by its
    content and read as a statutory return: [--population N] [--dry-run] [--confirm-outliers])
qa-dashboard template --agency CODE --period "2025-26 Q2" -o FILE.csv|FILE.xlsx [--format csv|xlsx]
qa-dashboard submissions list [--limit N]
qa-dashboard rollback SUBMISSION_ID --as USER
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from dashboard.cli.common import acting_user, engine_from, output_format
from data_access import submissions, user_agencies
from data_access.importer import check_file, load_checked, rollback_submission
from data_access.importer.loading import ImportRefused
from data_access.importer.rollback import RollbackError
from data_access.statutory import StatutoryFileProblem, importing
from data_access.templates import TemplateError, template_csv, template_xlsx

# The template's formats by the output file's extension (a file without one is XLSX).
TEMPLATE_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
# How many report lines to print before pointing at --report.
REPORT_LINES_SHOWN = 40


def _print_table(frame: pd.DataFrame) -> None:
    with pd.option_context(
        "display.max_columns", None, "display.width", 200, "display.max_colwidth", 70
    ):
        print(frame.to_string(index=False))


def cmd_import(args: argparse.Namespace) -> int:
    """Check a return (CSV or XLSX) and load it, unless it has errors or --dry-run is given."""
    path = Path(args.file)
    actor = acting_user(engine_from(args), args.as_user, "data_management")
    if actor is None:
        return 2
    args.as_user = actor
    if not path.is_file():
        print(f"No such file: {path}")
        return 2
    engine = engine_from(args)
    data = path.read_bytes()
    # An agency submitter's --as is checked against every row's agency.
    scope = user_agencies.scope_of(engine=engine, username=args.as_user)
    if importing.recognise(data) is not None:
        if scope is not None:
            print(
                "An agency submitter loads its own agencies' returns only: the council's "
                "statutory returns are loaded by a quality assurance officer. Nothing was loaded."
            )
            return 2
        return _import_statutory(args, engine, path.name, data)
    checked = check_file(
        engine=engine,
        file_name=path.name,
        data=data,
        submitting_agency=args.agency,
        scope=scope,
    )
    report = checked.report
    if args.report:
        report.to_csv(args.report, index=False)
    if not report.empty:
        print(f"Problems found ({len(report)}):")
        _print_table(report.head(REPORT_LINES_SHOWN))
        if len(report) > REPORT_LINES_SHOWN:
            print(
                f"... and {len(report) - REPORT_LINES_SHOWN} more"
                + (f" (all in {args.report})" if args.report else " (use --report FILE)")
            )
    if checked.file_problem is not None:
        print("Nothing was loaded.")
        return 1
    summary = checked.summary
    print("Summary: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in summary.items()))
    already = checked.already_loaded_message()
    if already:
        print(already)
        return 0
    held = checked.held_rows
    if not held.empty:
        print(f"Unusual figures held for confirmation ({len(held)}):")
        _print_table(
            held[
                [
                    "row",
                    "indicator_code",
                    "period_code",
                    "agency_code",
                    "locality_code",
                    "value",
                    "hold_reason",
                ]
            ].head(REPORT_LINES_SHOWN)
        )
        if not args.confirm_outliers:
            print("They are loaded only with --confirm-outliers (check them first).")
    if args.dry_run:
        print("Dry run: nothing was loaded.")
        return 0 if checked.can_load_all else 1
    try:
        result = load_checked(
            engine=engine,
            checked=checked,
            username=args.as_user,
            source="cli",
            valid_only=args.valid_only,
            confirm_outliers=args.confirm_outliers,
            page="cli",
        )
    except ImportRefused as refused:
        print(str(refused))
        return 1
    print(result.message)
    return 0


def _import_statutory(args: argparse.Namespace, engine: sa.Engine, name: str, data: bytes) -> int:
    """A census, 903 or Annex A: show each figure beside the stored one, then load the year's."""
    try:
        statutory = importing.check(
            engine=engine, file_name=name, data=data, population=args.population
        )
    except StatutoryFileProblem as problem:
        # On the terminal only: a problem may name a child's identifier; it is never stored.
        print("This statutory return cannot be read:")
        for line in problem.problems:
            print(f"- {line}")
        if problem.more:
            print(f"... and {problem.more} more.")
        print("Nothing was loaded.")
        return 1
    year = statutory.year_code or "no financial year"
    print(
        f"Read {name} as the {statutory.collection_name} for {year} "
        f"({statutory.children:,} children; nothing about any of them is kept)."
    )
    for note in statutory.notes:
        print(f"Note: {note}")
    table = statutory.comparison[
        ["figure", "period", "value", "stored", "difference", "stored_as", "note"]
    ]
    _print_table(table.fillna(""))
    print("Definitions:")
    for figure, definition in statutory.comparison.drop_duplicates("figure")[
        ["figure", "definition"]
    ].itertuples(index=False):
        print(f"- {figure}: {definition}")
    if statutory.problems:
        print(f"Problems found ({len(statutory.problems)}):")
        for line in statutory.problems:
            print(f"- {line}")
    report = statutory.checked.report
    if not report.empty and not statutory.problems:
        _print_table(report.head(REPORT_LINES_SHOWN))
    refusal = statutory.refusal()
    if refusal:
        print(refusal)
        print("Nothing was loaded.")
        return 1
    already = statutory.checked.already_loaded_message()
    if already:
        print(already)
        return 0
    if args.dry_run:
        print("Dry run: nothing was loaded.")
        return 0
    try:
        result = importing.load(
            engine=engine,
            statutory=statutory,
            username=args.as_user,
            source="cli",
            confirm_outliers=args.confirm_outliers,
            page="cli",
        )
    except ImportRefused as refused:
        print(str(refused))
        return 1
    print(result.message)
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """Write an agency's return template for a quarter (CSV or XLSX, as -o FILE's extension says)."""
    output = Path(args.output)
    chosen = output_format(output, args.format, TEMPLATE_FORMATS, default="xlsx")
    if chosen.problem:
        print(f"Error: {chosen.problem} Nothing was written.")
        return 2
    engine = engine_from(args)
    build = template_xlsx if chosen.format == "xlsx" else template_csv
    try:
        data = build(engine=engine, agency_code=args.agency, period_code=args.period)
    except TemplateError as exc:
        print(str(exc))
        return 2
    output.write_bytes(data)
    print(f"Template written to {args.output} ({chosen.format.upper()})")
    return 0


def cmd_submissions_list(args: argparse.Namespace) -> int:
    """List loaded files, newest first."""
    listing = submissions.list_submissions(engine=engine_from(args), limit=args.limit)
    if listing.empty:
        print("No submissions have been loaded.")
        return 0
    listing["checksum"] = listing["checksum"].str[:12]
    _print_table(listing.drop(columns=["rolled_back_at"]))
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """Withdraw a submission's figures and restore the figures they replaced."""
    actor = acting_user(engine_from(args), args.as_user, "data_management")
    if actor is None:
        return 2
    args.as_user = actor
    try:
        result = rollback_submission(
            engine=engine_from(args),
            submission_id=args.submission_id,
            username=args.as_user,
            page="cli",
        )
    except RollbackError as exc:
        print(str(exc))
        return 1
    print(result.message)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the import, template, submissions and rollback commands to `qa-dashboard`."""
    load = subparsers.add_parser("import", help=cmd_import.__doc__)
    load.add_argument("file", help="the return, .csv or .xlsx")
    load.add_argument("--agency", help="code of the agency whose return this is")
    load.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        required=True,
        help="required: the account loading the file (recorded); a QA officer or administrator, "
        "or an agency submitter for its own agencies' rows",
    )
    load.add_argument(
        "--valid-only",
        action="store_true",
        help="load the rows without errors even if other rows have errors",
    )
    load.add_argument("--dry-run", action="store_true", help="check and preview only")
    load.add_argument(
        "--confirm-outliers",
        action="store_true",
        help="load figures held as unusual (outside the indicator's plausible "
        "range, or ten times / a tenth of their history) after checking them",
    )
    load.add_argument("--report", help="write the full validation report to this CSV file")
    load.add_argument(
        "--population",
        type=float,
        help="statutory returns: the child population (0-17) for the rates per 10,000 "
        "(default: the CHILD_POPULATION loaded for the census year)",
    )
    load.set_defaults(func=cmd_import)

    template = subparsers.add_parser("template", help=cmd_template.__doc__)
    template.add_argument("--agency", required=True)
    template.add_argument("--period", required=True, help='e.g. "2025-26 Q2"')
    template.add_argument(
        "--format",
        choices=("csv", "xlsx"),
        help="csv or xlsx (default: from -o FILE's extension; xlsx for a file without one); "
        "a file whose extension says another format is refused",
    )
    template.add_argument(
        "-o", "--output", required=True, help="the file to write, ending .csv or .xlsx"
    )
    template.set_defaults(func=cmd_template)

    history = subparsers.add_parser("submissions", help="submission history")
    history_sub = history.add_subparsers(dest="submissions_command", required=True)
    listing = history_sub.add_parser("list", help=cmd_submissions_list.__doc__)
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(func=cmd_submissions_list)

    rollback = subparsers.add_parser("rollback", help=cmd_rollback.__doc__)
    rollback.add_argument("submission_id", type=int)
    rollback.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        required=True,
        help="required: the account withdrawing it (recorded); a QA officer or administrator",
    )
    rollback.set_defaults(func=cmd_rollback)
