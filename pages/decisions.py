"""Decisions and actions: the executive meeting's log, by theme and meeting.

Everyone on the board reads it; quality assurance officers and administrators record decisions
and actions (with owner and due date) and update their status. Every change is audit-logged.
"""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.decisions import render

user = require_page("decisions")
render(user)
