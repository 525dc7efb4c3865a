"""Write assurance summaries: working well, not working well, next steps per quarter."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.assurance_summaries import render

user = require_page("assurance_summaries")
render(user)
