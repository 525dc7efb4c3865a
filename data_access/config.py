"""Settings from one place: the environment first, then `.streamlit/secrets.toml`, then defaults."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEFAULT_DB_FILENAME = "lscp_qa.db"


def _read_secrets(path: Path = SECRETS_FILE) -> dict[str, object]:
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _setting(name: str, secrets: dict[str, object]) -> str | None:
    value = os.environ.get(name)
    if value:
        return value
    secret = secrets.get(name)
    return str(secret) if secret else None


@dataclass(frozen=True)
class Settings:
    """Resolved configuration for one process."""

    database_url: str
    data_dir: Path
    cookie_key: str | None
    partnership_name: str
    uses_default_database: bool

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings() -> Settings:
    """Read settings afresh (tests change the environment between cases)."""
    secrets = _read_secrets()
    data_dir = Path(_setting("QA_DASHBOARD_DATA_DIR", secrets) or PROJECT_ROOT / "data")
    url = _setting("DATABASE_URL", secrets)
    uses_default = url is None
    if url is None:
        data_dir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{(data_dir / DEFAULT_DB_FILENAME).as_posix()}"
    return Settings(
        database_url=url,
        data_dir=data_dir,
        cookie_key=_setting("COOKIE_KEY", secrets),
        partnership_name=_setting("PARTNERSHIP_NAME", secrets)
        or "Brookvale Safeguarding Children Partnership",
        uses_default_database=uses_default,
    )


# The partnership's own deadline for answering a youth council challenge.
DEFAULT_CHALLENGE_DEADLINE_DAYS = 28


def challenge_deadline_days() -> int:
    """Days within which a youth challenge should be answered (`YOUTH_CHALLENGE_DEADLINE_DAYS`).

    A missing, non-numeric or non-positive setting falls back to the default of 28 days.
    """
    raw = _setting("YOUTH_CHALLENGE_DEADLINE_DAYS", _read_secrets())
    try:
        days = int(raw) if raw is not None else DEFAULT_CHALLENGE_DEADLINE_DAYS
    except ValueError:
        return DEFAULT_CHALLENGE_DEADLINE_DAYS
    return days if days > 0 else DEFAULT_CHALLENGE_DEADLINE_DAYS


def settings() -> Settings:
    """Current settings. Not cached: tests and the CLI change the environment between calls."""
    return load_settings()
