"""Meeting mode: for a shared screen in the meeting room, one large screen at a time.

No sidebar and no QA controls; Previous / Next step through the overview and the five themes.
The quarter and the screen are kept in the URL, so a link opens the same screen.
"""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.meeting_mode import render

user = require_page("meeting_mode")
render(user)
