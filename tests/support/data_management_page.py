"""The data management page under AppTest, shared by its page tests."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.support.signed_in import signed_in_app
from tests.support.visible_text import visible


def open_as(role: str, state: dict | None = None) -> AppTest:
    """The page, run, signed in as `role` with `state` in session state."""
    return signed_in_app(
        "data_management",
        role,
        username=f"{role}.tester",
        name="Tester",
        state=state,
        timeout=60,
    ).run()


def texts(at: AppTest) -> str:
    """Every text element on the page, joined, as read."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "success", "error", "warning")
        for e in at.get(kind)
    ]
    return visible("\n".join(str(p) for p in parts))  # as read: escapes undone
