"""What every command group shares: the store a command works on, who `--as` names, and the
format a file is written in."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from data_access import audit_log
from data_access.config import settings
from data_access.db import engine_for
from data_access.users import DemoAccountRefused, UserError, require_active


def engine_from(args: argparse.Namespace) -> sa.Engine:
    """The engine for `--database-url` if given, else for the configured DATABASE_URL."""
    return engine_for(getattr(args, "database_url", None) or settings().database_url)


def acting_user(
    engine: sa.Engine, username: str, page_key: str, roles: tuple[str, ...] | None = None
) -> str | None:
    """The account named by --as if it may use page `page_key` (its roles, or only `roles`
    when the command does more than the page lets every reader do); else print why."""
    from dashboard.navigation import page

    try:
        return require_active(engine, username, roles or page(page_key).roles)
    except DemoAccountRefused as problem:
        # Someone tried to record work under a public identity on a real store: on the record.
        audit_log.record_event(
            engine=engine,
            username=None,
            event="demo_account_refused",
            page="cli",
            detail=f"--as {username} on the {page_key} command, outside demo mode",
        )
        print(f"Error: --as {username}: {problem}")
        return None
    except UserError as problem:
        print(f"Error: --as {username}: {problem}")
        return None


@dataclass(frozen=True)
class OutputFormat:
    """The format to write a file in, or why the command line does not say one (`problem`)."""

    format: str
    problem: str | None = None


def output_format(
    path: Path, given: str | None, formats: Mapping[str, str], default: str | None = None
) -> OutputFormat:
    """The format of `path`: `given` (--format) if any, else the one its extension names.

    `formats`: {extension: format}, e.g. {".csv": "csv", ".xlsx": "xlsx"}. A file without an
    extension takes `given`, else `default`. A problem (nothing is to be written) when the
    extension is not one of `formats`, when it names another format than --format, or when
    neither the extension nor --format nor a default says a format.
    """
    suffix = path.suffix.lower()
    endings = " or ".join(formats)
    named = formats.get(suffix)
    if suffix and named is None:
        return OutputFormat(
            "",
            f"{path.name}: this command writes only files ending {endings}, not {suffix}; "
            "rename the file (the extension chooses the format).",
        )
    if given and named and given != named:
        return OutputFormat(
            "",
            f"{path.name} ends {suffix}, which would be {named}, but --format {given} was "
            f"given: name the file ...{_ending(formats, given)} or leave out --format.",
        )
    chosen = given or named or default
    if not chosen:
        return OutputFormat(
            "", f"{path.name} has no extension: end it {endings}, or give --format."
        )
    return OutputFormat(chosen)


def _ending(formats: Mapping[str, str], file_format: str) -> str:
    """The extension of `file_format` in `formats` (".pdf")."""
    return next((ext for ext, fmt in formats.items() if fmt == file_format), f".{file_format}")
