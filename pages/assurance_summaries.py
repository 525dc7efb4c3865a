"""Write assurance summaries: working well, not working well, next steps per quarter."""

from __future__ import annotations

from dashboard.assurance_form import render_assurance_form
from dashboard.guard import require_page

user = require_page("assurance_summaries")
render_assurance_form(user)
