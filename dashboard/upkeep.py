"""What a server process brings up to date once a day: figures that change with the calendar
rather than with the data (a quarter ends while nobody changes a record).

Today that is the practice reviews' timeliness figures (`learning_figures.refresh_if_due`). The
check runs on the first signed-in page view of each day in each process and never stops a page:
a failure is logged and the page goes on with the figures already stored.
"""

from __future__ import annotations

import datetime as dt
import logging

import streamlit as st

from data_access import learning_figures
from data_access.config import settings
from data_access.db import engine_for

LOG = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False, max_entries=8)
def _brought_up_to_date(url: str, day: str) -> int:
    """Once per store and day in this process: the rows written (0 when nothing was due)."""
    try:
        return learning_figures.refresh_if_due(
            engine=engine_for(url), today=dt.date.fromisoformat(day)
        )
    except Exception:
        LOG.exception("bringing the timeliness figures up to date failed")
        return 0


def run_daily(today: dt.date | None = None) -> int:
    """Make today's checks for the configured store (at most once a day per process)."""
    day = (today or dt.date.today()).isoformat()
    return _brought_up_to_date(settings().database_url, day)
