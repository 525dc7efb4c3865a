"""Settings from one place: the environment first, then `.streamlit/secrets.toml`, then defaults."""

from __future__ import annotations

import math
import os
import threading
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEFAULT_DB_FILENAME = "lscp_qa.db"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
# Sessions: idle and absolute limits, overridable with SESSION_IDLE_MINUTES / SESSION_MAX_HOURS.
DEFAULT_SESSION_IDLE_MINUTES = 30
DEFAULT_SESSION_MAX_HOURS = 12


def _read_secrets(path: Path = SECRETS_FILE) -> dict[str, object]:
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


# While `settings()` works its result out again, the names it read (its memo's environment key).
_names_read: set[str] | None = None


def _setting(name: str, secrets: dict[str, object]) -> str | None:
    if _names_read is not None:
        _names_read.add(name)
    value = os.environ.get(name)
    if value:
        return value
    secret = secrets.get(name)
    return str(secret) if secret else None


def setting(name: str) -> str | None:
    """One setting from the environment, else `.streamlit/secrets.toml` (None if unset)."""
    return _setting(name, _read_secrets())


def _flag(name: str, secrets: dict[str, object]) -> bool:
    return (_setting(name, secrets) or "").strip().lower() in TRUE_WORDS


def _number(name: str, secrets: dict[str, object], default: float) -> float:
    text = _setting(name, secrets)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, not {text!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be more than 0")
    return value


def _path_setting(name: str, secrets: dict[str, object]) -> Path | None:
    text = (_setting(name, secrets) or "").strip()
    return Path(text).expanduser() if text else None


def default_database_url(data_dir: Path) -> str:
    """The SQLite file the demo uses: `<data dir>/lscp_qa.db`."""
    return f"sqlite:///{(data_dir / DEFAULT_DB_FILENAME).as_posix()}"


@dataclass(frozen=True)
class Settings:
    """Resolved configuration for one process."""

    database_url: str
    data_dir: Path
    cookie_key: str | None
    partnership_name: str
    uses_default_database: bool
    # Demo mode is chosen (DEMO_MODE=1 or `qa-dashboard run --demo`), never inferred from data.
    demo_mode: bool = False
    session_idle_minutes: float = DEFAULT_SESSION_IDLE_MINUTES
    session_max_hours: float = DEFAULT_SESSION_MAX_HOURS
    # Mark the sign-in cookie Secure (HTTPS only); on by default outside demo mode.
    cookie_secure: bool = True
    # Single sign-on (issue 30): the issuer a new link belongs to unless another is given, and
    # the issuers whose verified email claims may sign in someone linked by email.
    sso_issuer: str | None = None
    sso_email_issuers: tuple[str, ...] = ()
    # The audit log (issue 30): the key its entries' hashes are keyed with (HMAC), kept outside
    # the database, and the file each anchor (newest entry and hash) is appended to.
    audit_key: str | None = None
    # Administrators and QA officers must give a second factor after their password.
    require_second_factor: bool = False
    audit_anchor_file: Path | None = None

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
        url = default_database_url(data_dir)
    demo = _flag("DEMO_MODE", secrets)
    secure_text = _setting("COOKIE_SECURE", secrets)
    return Settings(
        database_url=url,
        data_dir=data_dir,
        cookie_key=_setting("COOKIE_KEY", secrets),
        partnership_name=_setting("PARTNERSHIP_NAME", secrets)
        or "Brookvale Safeguarding Children Partnership",
        uses_default_database=uses_default,
        demo_mode=demo,
        session_idle_minutes=_number("SESSION_IDLE_MINUTES", secrets, DEFAULT_SESSION_IDLE_MINUTES),
        session_max_hours=_number("SESSION_MAX_HOURS", secrets, DEFAULT_SESSION_MAX_HOURS),
        cookie_secure=(secure_text.strip().lower() in TRUE_WORDS) if secure_text else not demo,
        sso_issuer=(_setting("SSO_ISSUER", secrets) or "").strip() or None,
        audit_key=_setting("AUDIT_KEY", secrets),
        require_second_factor=_flag("REQUIRE_SECOND_FACTOR", secrets),
        audit_anchor_file=_path_setting("AUDIT_ANCHOR_FILE", secrets),
        sso_email_issuers=tuple(
            issuer.strip()
            for issuer in (_setting("SSO_EMAIL_ISSUERS", secrets) or "").split(",")
            if issuer.strip()
        ),
    )


# Keys that appear in documentation (ours and streamlit-authenticator's): anyone can sign with them.
MIN_COOKIE_KEY_BYTES = 32
EXAMPLE_COOKIE_KEYS = frozenset(
    {
        "change_me",
        "changeme",
        "change-me",
        "change me",
        "your-secret-key",
        "secret",
        "some_signature_key",
        "random_signature_key",
        "abcdef",
        "cookie_key",
        "xxx",
    }
)
# A key must also look random (issue 30): 32 spaces or 32 x "a" passed the length check. These
# thresholds refuse keys of one or a few repeated characters and typed phrases, and accept what
# `secrets.token_urlsafe(48)` (64 characters, about 370 bits by this estimate) or `openssl rand
# -hex 32` (64 hex digits) make. 12, not 16, distinct characters: a random hex key of 64 digits
# lacks one of the 16 a quarter of the time.
MIN_COOKIE_KEY_DISTINCT = 12
MIN_COOKIE_KEY_BITS = 100
KEY_COMMAND = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
COOKIE_KEY_HOWTO = (
    f"Generate one with `{KEY_COMMAND}` and set it "
    "as the COOKIE_KEY environment variable (or in .streamlit/secrets.toml)."
)


def key_entropy_bits(key: str) -> float:
    """An estimate of a key's entropy: its length times the Shannon entropy of its characters."""
    if not key:
        return 0.0
    counts = Counter(key)
    total = len(key)
    per_character = -sum(n / total * math.log2(n / total) for n in counts.values())
    return per_character * total


def weak_key_problem(name: str, key: str) -> str | None:
    """Why `key` is too predictable to be a secret (None if it is not): few distinct characters
    or a low entropy estimate."""
    distinct = len(set(key))
    if distinct < MIN_COOKIE_KEY_DISTINCT:
        return (
            f"{name} is too predictable: it uses only {distinct} different character"
            f"{'s' if distinct != 1 else ''} (at least {MIN_COOKIE_KEY_DISTINCT} are needed)."
        )
    bits = key_entropy_bits(key)
    if bits < MIN_COOKIE_KEY_BITS:
        return (
            f"{name} is too predictable: about {bits:.0f} bits of entropy by its characters' "
            f"frequencies (at least {MIN_COOKIE_KEY_BITS} are needed)."
        )
    return None


def cookie_key_problem(key: str | None) -> str | None:
    """Why `key` may not sign sign-in cookies (None if it may): missing, short, documented or
    too predictable."""
    if not key:
        return "no cookie key is configured (COOKIE_KEY)."
    lowered = key.strip().lower()
    if lowered in EXAMPLE_COOKIE_KEYS or "change_me" in lowered or "changeme" in lowered:
        return "COOKIE_KEY is an example value from the documentation, which anyone can read."
    if len(key.encode("utf-8")) < MIN_COOKIE_KEY_BYTES:
        return (
            f"COOKIE_KEY is too short ({len(key.encode('utf-8'))} bytes; at least "
            f"{MIN_COOKIE_KEY_BYTES} are needed)."
        )
    return weak_key_problem("COOKIE_KEY", key)


AUDIT_KEY_HOWTO = (
    f"Generate one with `{KEY_COMMAND}` (a different value from COOKIE_KEY) and set it as the "
    "AUDIT_KEY environment variable; keep a copy outside the server, since without it the audit "
    "log cannot be verified."
)


def audit_key_problem(key: str | None) -> str | None:
    """Why `key` may not key the audit log's hashes (None if it may)."""
    if not key:
        return "no audit key is configured (AUDIT_KEY)."
    if len(key.encode("utf-8")) < MIN_COOKIE_KEY_BYTES:
        return (
            f"AUDIT_KEY is too short ({len(key.encode('utf-8'))} bytes; at least "
            f"{MIN_COOKIE_KEY_BYTES} are needed)."
        )
    return weak_key_problem("AUDIT_KEY", key)


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


_settings_memo: tuple[tuple[object, ...], tuple[str, ...], Settings] | None = None
_settings_lock = threading.Lock()
# The secrets file is looked at (a stat, slow on some file systems) at most this often: a page
# run asks for the settings dozens of times. The environment is compared on every call.
SECRETS_RECHECK_SECONDS = 1.0
_secrets_checked: tuple[float, tuple[int, int] | None] = (-math.inf, None)


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _secrets_stamp() -> tuple[int, int] | None:
    """The secrets file's time and size, looked at again after `SECRETS_RECHECK_SECONDS`."""
    global _secrets_checked
    now = time.monotonic()
    checked_at, stamp = _secrets_checked
    if now - checked_at >= SECRETS_RECHECK_SECONDS:
        stamp = _file_stamp(SECRETS_FILE)
        _secrets_checked = (now, stamp)
    return stamp


def _environment(names: tuple[str, ...]) -> tuple[object, ...]:
    """The values of environment variables `names`, to compare with earlier ones. From the
    mapping behind `os.environ` where there is one: `os.environ.get` encodes each name, and a
    dozen of those cost as much as reading the settings afresh."""
    data = getattr(os.environ, "_data", None)
    encode = getattr(os.environ, "encodekey", None)
    if isinstance(data, dict) and encode is not None:
        return tuple(data.get(encode(name)) for name in names)
    return tuple(map(os.environ.get, names))


def settings() -> Settings:
    """Current settings, read once per process and again whenever they may have changed: the
    secrets file changed (time or size, looked at once a second), one of the environment
    variables read changed (tests and the CLI change them between calls), or the secrets
    reader was replaced (tests). Every cached query asks for the store's address, and reading
    them afresh each time was 4% of a warm page."""
    global _names_read, _settings_memo
    memo = _settings_memo
    if memo is not None:
        key, names, kept = memo
        if key == (_read_secrets, SECRETS_FILE, _secrets_stamp(), _environment(names)):
            if kept.uses_default_database:
                kept.data_dir.mkdir(parents=True, exist_ok=True)  # as load_settings does
            return kept
    with _settings_lock:
        path, reader = SECRETS_FILE, _read_secrets
        stamp = _file_stamp(path)
        _names_read = set()
        try:
            fresh = load_settings()
            names = tuple(sorted(_names_read))
        finally:
            _names_read = None
        global _secrets_checked
        _secrets_checked = (time.monotonic(), stamp)
        _settings_memo = ((reader, path, stamp, _environment(names)), names, fresh)
    return fresh


# The partnership's escalation rule for its risk register (Stockport's: "risks above 12 to the
# Executive for inclusion in the partnership risk register").
DEFAULT_RISK_ESCALATION_THRESHOLD = 12


def risk_escalation_threshold() -> int:
    """Risks scoring above this go to the executive (`RISK_ESCALATION_THRESHOLD`, default 12).

    A missing, non-numeric or out-of-range (not 1 to 24) setting falls back to the default.
    """
    raw = _setting("RISK_ESCALATION_THRESHOLD", _read_secrets())
    try:
        value = int(raw) if raw is not None else DEFAULT_RISK_ESCALATION_THRESHOLD
    except ValueError:
        return DEFAULT_RISK_ESCALATION_THRESHOLD
    return value if 1 <= value <= 24 else DEFAULT_RISK_ESCALATION_THRESHOLD
