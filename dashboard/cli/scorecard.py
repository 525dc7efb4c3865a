"""`qa-dashboard scorecard`: the brief of a quarter or a year as CSV or JSON, for other tools.

    qa-dashboard scorecard --period "2025-26 Q4" [--format csv|json] [-o FILE]
    qa-dashboard scorecard --period 2025-26

One row per indicator of the catalogue, columns code, name, period, value, numerator,
denominator, derivation, rag, target, change_quarter, change_year, variation, assurance, run,
note: the same rows as the overview's "Download the scorecard (CSV)"
(`dashboard.metrics.scorecard_export`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.cli.common import engine_from, output_format

FORMATS = {".csv": "csv", ".json": "json"}


def cmd_scorecard(args: argparse.Namespace) -> int:
    """Print (or write) the scorecard of a quarter or a year: one row per indicator."""
    from data_access.periods import parse_period

    try:
        period = parse_period(args.period)
    except ValueError:
        print(
            f"Error: --period {args.period!r} is not a period: give a quarter such as "
            '"2025-26 Q4", a financial year such as 2025-26 or a school year such as '
            '"AY 2025/26".'
        )
        return 2
    file_format = args.format or "csv"
    if args.output:
        chosen = output_format(Path(args.output), args.format, FORMATS)
        if chosen.problem:
            print(f"Error: {chosen.problem}")
            return 2
        file_format = chosen.format
    # Heavy imports only once the command line is known to be good.
    from dashboard.exports import to_csv_bytes
    from dashboard.metrics.scorecard_export import scorecard_export

    table = scorecard_export(engine=engine_from(args), period_code=period.code)
    if file_format == "json":
        data = (table.to_json(orient="records", force_ascii=False, indent=2) + "\n").encode()
    else:
        data = to_csv_bytes(table)  # the overview download's bytes: spreadsheet-safe, with a BOM
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"Wrote the scorecard of {period.code} ({len(table)} indicators) to {args.output}")
    else:
        text = data.decode("utf-8-sig")
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the scorecard command to `qa-dashboard`."""
    scorecard = subparsers.add_parser(
        "scorecard",
        help=cmd_scorecard.__doc__,
        description="The brief of a quarter or a year, one row per indicator of the catalogue: "
        "code, name, period, value, numerator, denominator, derivation, rag, target, "
        "change_quarter, change_year, variation, assurance, run, note, in the words the pages "
        "show. For a financial year, quarterly measures are made into the year by their "
        "catalogue rule (derivation says how).",
    )
    scorecard.add_argument(
        "--period",
        required=True,
        help='a quarter ("2025-26 Q4"), a financial year (2025-26) or a school year ("AY 2025/26")',
    )
    scorecard.add_argument(
        "--format",
        choices=sorted(set(FORMATS.values())),
        help="csv or json (default: from -o FILE's extension, else csv)",
    )
    scorecard.add_argument("-o", "--output", help="write to this file (default: print it)")
    scorecard.set_defaults(func=cmd_scorecard)
