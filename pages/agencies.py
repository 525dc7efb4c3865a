"""Agencies and localities (administrators): load from a CSV file, add, rename, merge, retire."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.agencies import render

user = require_page("agencies")
render(user)
