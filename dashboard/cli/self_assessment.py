"""`qa-dashboard self-assessment load|template` and `qa-dashboard education-settings
load|template`: self-assessment returns and the schools and colleges list from spreadsheets.

qa-dashboard self-assessment open-cycle --framework education_175_157 --name 2026-27 \
    --opens 2026-09-01 --due 2027-01-29 --as USER
qa-dashboard self-assessment load FILE --framework section_11 --cycle 2023-25 --as USER
qa-dashboard self-assessment template FILE --framework education_175_157
qa-dashboard education-settings load FILE --as USER
qa-dashboard education-settings template FILE

A file is all or nothing: each problem is printed as a sentence naming its row, and nothing is
loaded. Only QA officers and administrators may load (the pages' import is theirs too).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from dashboard.cli.common import acting_user, engine_from, output_format
from dashboard.navigation import STAFF
from data_access import education_settings_import, self_assessment_cycles, self_assessment_import
from data_access.models import EDUCATION_175_157, SECTION_11, SELF_ASSESSMENT_FRAMEWORKS
from data_access.sheet_rows import ImportProblem

PAGE_KEY = {SECTION_11: "section11", EDUCATION_175_157: "education_audit"}
FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


def _refused(problem: ImportProblem, file_name: str) -> int:
    print(f"Nothing was loaded: {len(problem.problems)} problem(s) in {file_name}.")
    for sentence in problem.problems:
        print(f"- {sentence}")
    return 1


def _file(args: argparse.Namespace) -> Path | None:
    path = Path(args.file)
    if not path.is_file():
        print(f"No such file: {path}")
        return None
    return path


def cmd_returns_load(args: argparse.Namespace) -> int:
    """Load self-assessment returns (one row per respondent and standard) into a cycle."""
    engine = engine_from(args)
    actor = acting_user(engine, args.as_user, PAGE_KEY[args.framework], STAFF)
    path = _file(args)
    if actor is None or path is None:
        return 2
    try:
        checked = self_assessment_import.check_returns(
            engine=engine,
            data=path.read_bytes(),
            file_name=path.name,
            framework=args.framework,
            cycle_name=args.cycle,
        )
        loaded = self_assessment_import.load_returns(
            engine=engine, checked=checked, loaded_by=actor, page="cli"
        )
    except ImportProblem as problem:
        return _refused(problem, path.name)
    print(loaded.message(args.framework))
    return 0


def cmd_open_cycle(args: argparse.Namespace) -> int:
    """Open a cycle (a Section 11 round or a year's schools' audit) to load returns into."""
    engine = engine_from(args)
    actor = acting_user(engine, args.as_user, PAGE_KEY[args.framework], STAFF)
    if actor is None:
        return 2
    try:
        opens_on, due_on = dt.date.fromisoformat(args.opens), dt.date.fromisoformat(args.due)
    except ValueError:
        print(f"Give the dates as YYYY-MM-DD, not '{args.opens}' and '{args.due}'.")
        return 2
    cycle = self_assessment_cycles.NewCycle(args.framework, args.name, opens_on, due_on)
    try:
        self_assessment_cycles.open_cycle(engine=engine, cycle=cycle, opened_by=actor, page="cli")
    except self_assessment_cycles.CycleProblem as problem:
        print("The cycle was not opened:")
        for sentence in problem.problems:
            print(f"- {sentence}")
        return 1
    print(
        f"Opened {self_assessment_cycles.FRAMEWORK_NAMES[args.framework]} {args.name.strip()}: "
        f"returns due {due_on:%d %B %Y}."
    )
    return 0


def cmd_returns_template(args: argparse.Namespace) -> int:
    """Write the framework's returns template (CSV or Excel, by the file's extension)."""
    path = Path(args.file)
    chosen = output_format(path, None, FORMATS)
    if chosen.problem:
        print(chosen.problem)
        return 2
    path.write_bytes(
        self_assessment_import.template_bytes(
            engine=engine_from(args), framework=args.framework, file_format=chosen.format
        )
    )
    print(f"Wrote {path}.")
    return 0


def cmd_settings_load(args: argparse.Namespace) -> int:
    """Add new schools and colleges and update changed ones from a file."""
    engine = engine_from(args)
    actor = acting_user(engine, args.as_user, "education_audit", STAFF)
    path = _file(args)
    if actor is None or path is None:
        return 2
    try:
        loaded = education_settings_import.load_settings(
            engine=engine, data=path.read_bytes(), file_name=path.name, loaded_by=actor, page="cli"
        )
    except ImportProblem as problem:
        return _refused(problem, path.name)
    print(loaded.message())
    return 0


def cmd_settings_template(args: argparse.Namespace) -> int:
    """Write the schools and colleges template (CSV or Excel, by the file's extension)."""
    path = Path(args.file)
    chosen = output_format(path, None, FORMATS)
    if chosen.problem:
        print(chosen.problem)
        return 2
    path.write_bytes(education_settings_import.template_bytes(chosen.format))
    print(f"Wrote {path}.")
    return 0


def _as_user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        required=True,
        help="required: the QA officer or administrator loading the file (recorded)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `self-assessment` and `education-settings` command groups to `qa-dashboard`."""
    returns = subparsers.add_parser("self-assessment", help="self-assessment returns")
    sub = returns.add_subparsers(dest="self_assessment_command", required=True)
    opening = sub.add_parser("open-cycle", help=cmd_open_cycle.__doc__)
    opening.add_argument("--framework", choices=SELF_ASSESSMENT_FRAMEWORKS, required=True)
    opening.add_argument("--name", required=True, help="the years it covers, e.g. 2026-27")
    opening.add_argument("--opens", required=True, help="the day it opens, YYYY-MM-DD")
    opening.add_argument("--due", required=True, help="the day returns are due, YYYY-MM-DD")
    _as_user(opening)
    opening.set_defaults(func=cmd_open_cycle)
    load = sub.add_parser("load", help=cmd_returns_load.__doc__)
    load.add_argument("file", help="a CSV or XLSX file made from the template")
    load.add_argument("--framework", choices=SELF_ASSESSMENT_FRAMEWORKS, required=True)
    load.add_argument(
        "--cycle", help="the cycle, e.g. 2023-25 (else each row's Cycle column names it)"
    )
    _as_user(load)
    load.set_defaults(func=cmd_returns_load)
    template = sub.add_parser("template", help=cmd_returns_template.__doc__)
    template.add_argument("file", help="where to write it: .csv or .xlsx")
    template.add_argument("--framework", choices=SELF_ASSESSMENT_FRAMEWORKS, required=True)
    template.set_defaults(func=cmd_returns_template)

    settings = subparsers.add_parser("education-settings", help="the schools and colleges list")
    sub = settings.add_subparsers(dest="education_settings_command", required=True)
    load = sub.add_parser("load", help=cmd_settings_load.__doc__)
    load.add_argument("file", help="a CSV or XLSX file made from the template")
    _as_user(load)
    load.set_defaults(func=cmd_settings_load)
    template = sub.add_parser("template", help=cmd_settings_template.__doc__)
    template.add_argument("file", help="where to write it: .csv or .xlsx")
    template.set_defaults(func=cmd_settings_template)
