"""Data quality: missing and late returns, implausible movements, unusual figures, completeness of
each theme."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.data_quality import render

user = require_page("data_quality")
render(user)
