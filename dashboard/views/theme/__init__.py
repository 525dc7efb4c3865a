"""The five theme pages, drawn by one renderer from the catalogue and the store.

A page file is just::

    user = require_page("mash")
    render_theme_page("mash", user)

The page (`page.py`) runs the sections in order, each a module here: the quarter in brief, tiles
and trends (`headline`), the control chart (`control_chart`), the scorecard, annual figures, the
theme's own section (`details`, keyed by theme code), the breakdown and the rows behind it, then
summaries and audits (`assurance`). Every section reads one `ThemeContext` (`context`).
"""

from __future__ import annotations

from dashboard.views.theme.page import render_theme_page, theme_link

__all__ = ["render_theme_page", "theme_link"]
