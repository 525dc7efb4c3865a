"""Risk register: the partnership's risks, heat map, escalation and overdue reviews."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.risk_register import render

user = require_page("risk_register")
render(user)
