"""Scrutiny: the scrutineer's judgements, inspection recommendations and the improvement plan."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.scrutiny import render

user = require_page("scrutiny")
render(user)
