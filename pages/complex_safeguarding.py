"""Theme page 'complex_safeguarding', drawn by dashboard.views.theme from the catalogue and store."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.theme import render_theme_page

user = require_page("complex_safeguarding")
render_theme_page("complex_safeguarding", user)
