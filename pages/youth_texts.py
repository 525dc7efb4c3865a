"""Texts for young people: write a plain-words version of a staff text; a second person approves.

The youth pages show only approved versions. The form says who will read the text and checks it
(small numbers, names, ages, "Child X", professional terms, reading ease) before it can be
saved or approved; the author cannot approve their own text.
"""

from __future__ import annotations

from dashboard.guard import require_page
from dashboard.views.youth_texts import render

user = require_page("youth_texts")
render(user)
