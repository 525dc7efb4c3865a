"""Youth council challenges: the queue a quality assurance officer answers on the agencies' behalf.

Every challenge and every response is kept, with its date and author; nothing is deleted.
"""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.youth_challenges import render

user = require_page("youth_challenges")
render(user)
