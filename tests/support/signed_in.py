"""One way to open a page under AppTest as a signed-in user, shared by the page tests."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from dashboard import navigation
from sample_data.demo_accounts import DEMO_ACCOUNTS

# Role -> the demo account's user name, in the order the demo accounts are declared.
DEMO_USERNAMES = {account.role: account.username for account in DEMO_ACCOUNTS}


def signed_in_app(
    key: str,
    role: str,
    *,
    username: str | None = None,
    name: str | None = None,
    query: dict[str, str] | None = None,
    state: dict[str, Any] | None = None,
    timeout: float = 120,
) -> AppTest:
    """An AppTest of page `key`, signed in as `role` the way the sign-in leaves session state.

    Not yet run, so a test can add widget state first. `query` sets URL parameters; `state`
    pre-seeds further session-state keys.
    """
    at = AppTest.from_file(str(navigation.page(key).path), default_timeout=timeout)
    username = username or DEMO_USERNAMES[role]
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = name or username
    at.session_state["roles"] = [role]
    for param, value in (query or {}).items():
        at.query_params[param] = value
    for state_key, value in (state or {}).items():
        at.session_state[state_key] = value
    return at
