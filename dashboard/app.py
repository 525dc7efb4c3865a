"""Entrypoint: sign in, then route to the pages the user's role may open. Nothing else here."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import auth, navigation, upkeep  # noqa: E402
from dashboard.components.app_styles import inject_app_styles  # noqa: E402
from dashboard.components.site_nav import render_site_nav  # noqa: E402

st.set_page_config(
    page_title="Safeguarding partnership QA dashboard",
    page_icon=":material/shield_person:",
    layout="wide",
)
# The focus indicator every link and control shows, on every page (signed in or not).
inject_app_styles()

# Every page is routed at its own address, including pages the role may not open: a typed URL or a
# stale tab then reaches the page's own guard, which refuses it with a clear message (and logs it)
# before reading any data. The navigation drawn in the sidebar lists only the role's pages.
pages = {
    spec.key: st.Page(spec.path, title=spec.title, icon=spec.icon or None, url_path=spec.url_path)
    for spec in navigation.PAGES
}


def home() -> None:
    """`/` opens the role's first page at that page's own address (so /overview is bookmarkable)."""
    allowed = navigation.pages_for_role(user.role) if user else []
    if not allowed:
        st.title("No pages")
        st.warning("Your account has no role that can open a page. Ask an administrator.")
        return
    st.switch_page(pages[allowed[0].key], query_params=st.query_params.to_dict())


# Streamlit serves the default page at `/` and not at its url_path, so the default is this small
# router and every real page keeps its own address. Routing comes before the sign-in, so that an
# address opened cold (a bookmark, a shared link) is still the page shown once signed in.
router = st.Page(home, title="Home", url_path="home", default=True)
current = st.navigation([router, *pages.values()], position="hidden")

user = auth.authenticate()
if user is None:
    st.stop()

upkeep.run_daily()  # figures that change with the calendar, once a day per process
render_site_nav(navigation.pages_for_role(user.role), pages)
auth.render_account_panel(user)
current.run()
