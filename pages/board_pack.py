"""Board pack: generate a quarter's pack as PDF and/or PowerPoint, and download past packs.

Every generated pack is kept byte for byte with its checksum ("as presented"), so the
partnership can show exactly what the board saw even after figures are resubmitted.
"""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.board_pack import render

user = require_page("board_pack")
render(user)
