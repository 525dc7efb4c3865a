"""Audit findings: audits, case grades, child's voice, findings, action tracker, re-audit impact.

Quality assurance officers and administrators also get the forms to add an audit and to update
an action's status with evidence.
"""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.audits import render

user = require_page("audits")
render(user)
