"""`qa-dashboard report yearly`: make the partnership's yearly report from the shell.

    qa-dashboard report yearly --year 2025-26 --format pdf|docx -o FILE --as USER

The report is kept in the store with its checksum, exactly as from the Yearly report page.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from dashboard.cli.common import acting_user, engine_from, output_format
from data_access import yearly_reports

REPORT_FORMATS = {".pdf": "pdf", ".docx": "docx"}


def cmd_yearly(args: argparse.Namespace) -> int:
    """Make (and keep) the yearly report for a financial year."""
    try:
        yearly_reports.parse_year(args.year)
    except yearly_reports.ReportError as problem:
        print(f"Error: {problem}")
        return 2
    chosen = output_format(Path(args.output), args.format, REPORT_FORMATS, default="pdf")
    if chosen.problem:
        print(f"Error: {chosen.problem}")
        return 2
    engine = engine_from(args)
    actor = acting_user(engine, args.as_user, "yearly_report")
    if actor is None:
        return 2
    # Imported here: the builders load WeasyPrint and python-docx, which take a while.
    from dashboard.yearly_report import content, render

    started = time.perf_counter()
    report = content.build(engine=engine, year_code=args.year, generated_by=actor)
    data = render.build(report, chosen.format)
    report_id = yearly_reports.record_report(
        engine=engine,
        year_code=args.year,
        file_format=chosen.format,
        file_name=render.file_name(report, chosen.format),
        content=data,
        generated_by=actor,
        page=None,
    )
    Path(args.output).write_bytes(data)
    print(
        f"Wrote {args.output} ({len(data):,} bytes, {chosen.format}) in "
        f"{time.perf_counter() - started:.1f} s; sha256 "
        f"{yearly_reports.sha256_hex(data)}; kept as yearly report {report_id}."
    )
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `report yearly` to `qa-dashboard`."""
    report = subparsers.add_parser("report", help="Make the partnership's reports.")
    kinds = report.add_subparsers(dest="report_kind", required=True)
    yearly = kinds.add_parser(
        "yearly",
        help=cmd_yearly.__doc__,
        description="Make a draft of the partnership's yearly report (Working Together 2023) "
        "for a financial year, as a tagged PDF or a Word document, and keep it in the store.",
    )
    yearly.add_argument("--year", required=True, help="the financial year, e.g. 2025-26")
    yearly.add_argument("--format", choices=("pdf", "docx"), help="default: from -o's extension")
    yearly.add_argument("-o", "--output", required=True, help="the file to write")
    yearly.add_argument(
        "--as",
        dest="as_user",
        required=True,
        help="the account making it (an executive, QA officer or administrator)",
    )
    yearly.set_defaults(func=cmd_yearly)
