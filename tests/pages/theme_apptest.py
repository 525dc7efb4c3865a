"""Shared AppTest helper for the theme pages, overview and summaries form (not a test module)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGES = Path(__file__).resolve().parents[2] / "pages"
THEME_PAGES = ["early_help", "mash", "neglect", "complex_safeguarding", "training"]
BOARD_ROLES = ["executive", "qa_officer", "admin"]


def app_for(page: str, role: str, **query: str) -> AppTest:
    """An AppTest of pages/<page>.py signed in as `role`, with optional URL query parameters."""
    at = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=180)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = f"{role}.test"
    at.session_state["name"] = f"Test {role}"
    at.session_state["roles"] = [role]
    for name, value in query.items():
        at.query_params[name] = value
    return at


def texts(at: AppTest) -> str:
    """Every markdown, caption, info, success, warning and error text on the page, joined."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.info, *at.success, *at.warning, *at.error)]
    return "\n".join(str(p) for p in parts)


def table_with(at: AppTest, *columns: str):  # type: ignore[no-untyped-def]
    """The first table on the page that has all of `columns` (None when there is none)."""
    for element in at.dataframe:
        frame = element.value
        if set(columns) <= set(frame.columns):
            return frame
    return None
