"""Theme page: Complex safeguarding (rendered by dashboard.theme_page from the catalogue and the store)."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.theme_page import render_theme_page

user = require_page("complex_safeguarding")
render_theme_page("complex_safeguarding", user)
