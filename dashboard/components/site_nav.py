"""The sidebar's page navigation: real headings per section, one link per page the role may open.

Streamlit's own sectioned navigation puts `<div>`s directly inside its `<ul>`, which screen readers
announce as a broken list (axe `list` / `listitem`, serious). So the app routes with
`st.navigation(position="hidden")` and draws this navigation itself.
"""

from __future__ import annotations

import streamlit as st

from dashboard.navigation import PageSpec

NAV_KEY = "site_nav"

# Headings as small as Streamlit's own section labels, but real <h2>s a screen reader can jump to.
_HEADING_STYLE = (
    "font-size:0.875rem;font-weight:600;margin:0.75rem 0 0.1rem 0;padding:0;"
    "color:inherit;line-height:1.4"
)

# Streamlit marks the current page's link only visually; this adds aria-current="page" to it, and
# keeps it right as pages switch (the links are re-rendered, so it watches the document). It also
# takes the sign-in cookie's empty helper frame out of the keyboard order.
_ARIA_CURRENT_JS = """
<script>
(() => {
  const mark = () => {
    // The sign-in cookie's helper (streamlit-authenticator's CookieManager) is an empty, invisible
    // frame that would otherwise be a stop in the keyboard order; screen readers skip it too.
    document.querySelectorAll('iframe[title*="CookieManager"]').forEach(f => {
      if (f.getAttribute("tabindex") !== "-1") {
        f.setAttribute("tabindex", "-1");
        f.setAttribute("aria-hidden", "true");
      }
    });
    const here = window.location.pathname.replace(/\\/+$/, "");
    document.querySelectorAll('.st-key-site_nav a[data-testid="stPageLink-NavLink"]')
      .forEach(a => {
        const path = new URL(a.href, window.location.href).pathname.replace(/\\/+$/, "");
        if (path === here) { if (a.getAttribute("aria-current") !== "page")
                               a.setAttribute("aria-current", "page"); }
        else if (a.hasAttribute("aria-current")) a.removeAttribute("aria-current");
      });
  };
  mark();
  if (!window.__siteNavObserver) {
    window.__siteNavObserver = new MutationObserver(mark);
    window.__siteNavObserver.observe(document.body, {subtree: true, childList: true});
    window.addEventListener("popstate", mark);
  }
})();
</script>
"""


def sections(specs: list[PageSpec]) -> dict[str, list[PageSpec]]:
    """The pages grouped by section, sections in first-appearance order."""
    grouped: dict[str, list[PageSpec]] = {}
    for spec in specs:
        grouped.setdefault(spec.section, []).append(spec)
    return grouped


def render_site_nav(specs: list[PageSpec], pages: dict[str, st.Page]) -> None:
    """Draw the role's pages in the sidebar, grouped under headings."""
    from html import escape

    with st.sidebar.container(key=NAV_KEY):
        for section, members in sections(specs).items():
            # Section names are the registry's own constants, escaped all the same.
            st.html(f'<h2 style="{_HEADING_STYLE}">{escape(section)}</h2>')
            for spec in members:
                st.page_link(pages[spec.key], label=spec.title, icon=spec.icon or None)
        st.html(_ARIA_CURRENT_JS, unsafe_allow_javascript=True)
