"""Theme page 'mash', drawn by dashboard.views.theme from the catalogue and store."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.theme import render_theme_page

user = require_page("mash")
render_theme_page("mash", user)
