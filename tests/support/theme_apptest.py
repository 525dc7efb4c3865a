"""Shared AppTest helper for the theme pages, overview and summaries form (not a test module)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.support.signed_in import signed_in_app
from tests.support.visible_text import visible

THEME_PAGES = ["early_help", "mash", "neglect", "complex_safeguarding", "training"]
BOARD_ROLES = ["executive", "qa_officer", "admin"]


def app_for(page: str, role: str, **query: str) -> AppTest:
    """An AppTest of pages/<page>.py signed in as `role`, with optional URL query parameters."""
    return signed_in_app(
        page, role, username=f"{role}.test", name=f"Test {role}", query=query, timeout=180
    )


def texts(at: AppTest) -> str:
    """Every markdown, caption, info, success, warning and error text on the page, joined."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.info, *at.success, *at.warning, *at.error)]
    return visible("\n".join(str(p) for p in parts))  # as read: escapes undone


def table_with(at: AppTest, *columns: str):
    """The first table on the page that has all of `columns` (None when there is none)."""
    for element in at.dataframe:
        frame = element.value
        if set(columns) <= set(frame.columns):
            return frame
    return None
