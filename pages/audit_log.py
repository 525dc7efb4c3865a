"""Audit log: sign-ins, failures, lockouts, sign-outs and every data change, filterable."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.audit_log import render

user = require_page("audit_log")
render(user)
