"""What the partnership is doing: each theme in plain words for the youth council.

Each theme's youth text, the headline figures that have a youth description (partnership level
only; small counts, and percentages or rates built on them, shown as `c`), and what is going
well, not so well and what happens next - the approved plain-words versions only, never the
staff's own summaries. Staff see a read-only preview.
"""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.youth_themes import render

user = require_page("youth_themes")
render(user)
