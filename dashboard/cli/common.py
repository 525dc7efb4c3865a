"""What every command group shares: the store a command works on, and who `--as` names."""

from __future__ import annotations

import argparse

import sqlalchemy as sa

from data_access.config import settings
from data_access.db import engine_for
from data_access.users import UserError, require_active


def engine_from(args: argparse.Namespace) -> sa.Engine:
    """The engine for `--database-url` if given, else for the configured DATABASE_URL."""
    return engine_for(getattr(args, "database_url", None) or settings().database_url)


def acting_user(engine: sa.Engine, username: str, page_key: str) -> str | None:
    """The account named by --as if it may use page `page_key` (its roles); else print why."""
    from dashboard.navigation import page

    try:
        return require_active(engine, username, page(page_key).roles)
    except UserError as problem:
        print(f"Error: --as {username}: {problem}")
        return None
