"""Meeting mode: for a shared screen in the meeting room, one large screen at a time.

No sidebar and no QA controls; Previous / Next step through the overview and the five themes.
The quarter and the screen are kept in the URL, so a link opens the same screen.
"""

from __future__ import annotations

import streamlit as st

from dashboard import cache
from dashboard.board_pack import content
from dashboard.components import meeting
from dashboard.guard import require_page
from dashboard.metrics import brief
from data_access.indicators import periods_with_data
from data_access.periods import Quarter

user = require_page("meeting_mode")
meeting.apply_meeting_style()


def leave_link() -> None:
    try:
        st.page_link("pages/overview.py", label="Leave meeting mode", icon=":material/close:")
    except Exception:  # noqa: BLE001 - outside st.navigation (AppTest) a plain link will do
        st.markdown("[Leave meeting mode](/overview)")


periods = cache.frame(periods_with_data)
if periods.empty:
    st.title("Meeting mode")
    st.info(
        "There are no figures in the store yet, so there is nothing to present. Once "
        "partners' quarterly returns are loaded, meeting mode steps through the overview "
        "and each theme, one screen at a time."
    )
    leave_link()
    st.stop()

codes = list(periods["code"])
quarter = meeting.current_quarter(codes)
all_screens = meeting.screens()
index = meeting.current_screen(len(all_screens))
screen = all_screens[index]

meeting.nav_bar(index, all_screens, key="top")
if screen.is_overview:
    # The quarter brief, as the overview page shows it: one verdict per indicator everywhere.
    meeting.render_overview(
        cache.frame(brief.quarter_brief, period_code=quarter, headline_only=True),
        Quarter.parse(quarter).label,
    )
else:
    meeting.render_theme(
        cache.query(content.theme_section, theme_code=screen.key, period_code=quarter)
    )
st.divider()
meeting.nav_bar(index, all_screens, key="bottom")

with st.expander("Meeting settings"):
    labels = {code: Quarter.parse(code).label for code in codes}
    chosen = st.selectbox(
        "Quarter to present",
        codes[::-1],
        index=codes[::-1].index(quarter),
        key="meeting_quarter",
        format_func=labels.get,
    )
    if chosen != quarter:
        st.query_params[meeting.QUARTER_PARAM] = chosen
        st.rerun()
    leave_link()
