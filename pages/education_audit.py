"""Schools' and colleges' annual safeguarding audit (section 175/157): ratings per standard,
themes and the settings with no return by the due date, beside Section 11."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.education_audit import render

user = require_page("education_audit")
render(user)
