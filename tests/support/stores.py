"""Private copies of a SQLite store file (the shared sample store is built once and never changed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa

from data_access.db import engine_for


def sqlite_file(url: str) -> Path:
    """The file behind a SQLite URL."""
    return Path(sa.make_url(url).database or "")


def copy_sqlite_store(url: str, target: Path) -> str:
    """Copy the SQLite store at `url` to the file `target`; return the copy's URL.

    The source's pooled connections are closed first, so the copy is a settled file.
    """
    engine_for(url).dispose()
    shutil.copyfile(sqlite_file(url), target)
    return f"sqlite:///{target.as_posix()}"
