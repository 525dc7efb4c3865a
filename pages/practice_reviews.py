"""Practice reviews: rapid reviews, local and national reviews, their actions and timeliness."""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.practice_reviews import render

user = require_page("practice_reviews")
render(user)
