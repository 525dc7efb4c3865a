"""Section 11 / Section 175 self-assessments: the agencies x standards matrix for a cycle, with
the change since the previous cycle, an agency's return, green share by sector, and non-returners.
"""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.section11 import render

user = require_page("section11")
render(user)
