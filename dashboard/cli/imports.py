"""`qa-dashboard import | template | submissions list | rollback`: quarterly returns from the shell.

qa-dashboard import FILE [--agency CODE] --as USER [--valid-only] [--dry-run]
qa-dashboard template --agency CODE --period "2025-26 Q2" -o FILE.csv|FILE.xlsx [--format csv|xlsx]
qa-dashboard submissions list [--limit N]
qa-dashboard rollback SUBMISSION_ID --as USER
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from dashboard.cli.common import acting_user, engine_from, output_format
from data_access import submissions, user_agencies
from data_access.importer import check_file, load_checked, rollback_submission
from data_access.importer.loading import ImportRefused
from data_access.importer.rollback import RollbackError
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
    checked = check_file(
        engine=engine,
        file_name=path.name,
        data=path.read_bytes(),
        submitting_agency=args.agency,
        # An agency submitter's --as is checked against every row's agency.
        scope=user_agencies.scope_of(engine=engine, username=args.as_user),
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
