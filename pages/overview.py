"""Overview: the executive's first screen - every headline indicator, what needs attention,
the quarter's assurance summaries, and one click into each theme."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.overview import render

user = require_page("overview")
render(user)
