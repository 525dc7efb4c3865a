"""Entrypoint: sign in, then route to the pages the user's role may open. Nothing else lives here."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import auth, navigation  # noqa: E402

st.set_page_config(
    page_title="Safeguarding partnership QA dashboard",
    page_icon=":material/shield_person:",
    layout="wide",
)

user = auth.authenticate()
if user is None:
    st.stop()

sections: dict[str, list[st.Page]] = {}
for spec in navigation.pages_for_role(user.role):
    sections.setdefault(spec.section, []).append(
        st.Page(spec.path, title=spec.title, icon=spec.icon or None, url_path=spec.url_path)
    )
auth.render_account_panel(user)
st.navigation(sections).run()
