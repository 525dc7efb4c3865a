"""Overview: every catalogue indicator with its latest partnership value."""

from __future__ import annotations

import streamlit as st

from dashboard import cache
from dashboard.guard import require_page
from data_access.indicators import latest_partnership_values

user = require_page("overview")

st.title("Overview")
values = cache.frame(latest_partnership_values)
if values.empty:
    st.info("The indicator catalogue is empty. Run `qa-dashboard init-db` to create it.")
    st.stop()
if values["value"].isna().all() and values["status_symbol"].isna().all():
    st.info(
        "No figures have been loaded yet. A quality assurance officer can load partners' "
        "quarterly returns on the **Load quarterly returns** page."
    )
st.dataframe(values, hide_index=True, use_container_width=True)
