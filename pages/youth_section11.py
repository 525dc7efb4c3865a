"""How agencies keep you safe: Section 11 for the youth council, in plain words, with challenges.

Agencies are named with their own ratings: disclosure control protects children, not
organisations, so counts of organisations are shown as they are. Only approved plain-words texts
appear (data_access.youth_texts); staff evidence never does. Staff see a read-only preview.
"""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.youth_section11 import render

user = require_page("youth_section11")
render(user)
