"""Load quarterly returns: templates, upload with checks and preview, history and rollback."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.data_management import render

user = require_page("data_management")
render(user)
