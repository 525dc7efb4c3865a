"""Yearly report: make the partnership's yearly report (PDF or Word) from the store."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.yearly_report import render

user = require_page("yearly_report")
render(user)
