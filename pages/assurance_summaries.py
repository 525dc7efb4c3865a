"""Write assurance summaries: a theme's working well / not working well / next steps for a quarter."""

from __future__ import annotations

from dashboard.assurance_form import render_assurance_form
from dashboard.guard import require_page

user = require_page("assurance_summaries")
render_assurance_form(user)
