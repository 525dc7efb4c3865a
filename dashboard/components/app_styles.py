"""Styles the whole app shares, injected once by the shell (dashboard/app.py) on every page.

A keyboard focus indicator that can be seen on any background (WCAG 2.2 2.4.7 and 2.4.11; the
GOV.UK Design System's pattern): a 3 px near-black outline (#0b0c0c: 17:1 on the sidebar's grey
#f3f2f1, 19:1 on white) with a yellow (#ffdd00) ring inside it, so the indicator also stands out
where it meets a dark control. Streamlit's own focus styles are faint (the sidebar's page links
were grey on grey, about 1.1:1), so these rules override them with `!important`.

`:focus-visible` only: a mouse click does not draw the ring, a keyboard (or a screen reader)
moving focus does. Base Web's text inputs and select boxes clip anything drawn outside the inner
`<input>`, so their wrapper draws the ring (`:focus-within`) instead.

It also gives the parts of a date box (day, month) the 24 x 24 px a touch target needs.
"""

from __future__ import annotations

import streamlit as st

FOCUS_OUTLINE = "#0b0c0c"
FOCUS_HALO = "#ffdd00"

STYLES_KEY = "app_styles"

APP_CSS = f"""
<style>
/* The block that carries these styles takes no room on the page. */
.st-key-{STYLES_KEY} {{ display: none !important; }}
a[href]:focus-visible, button:focus-visible, summary:focus-visible, select:focus-visible,
[role="button"]:focus-visible, [role="tab"]:focus-visible, [role="link"]:focus-visible,
[role="option"]:focus-visible, [role="slider"]:focus-visible, [role="switch"]:focus-visible,
[role="menuitem"]:focus-visible, [tabindex="0"]:focus-visible, iframe:focus-visible {{
  outline: 3px solid {FOCUS_OUTLINE} !important;
  outline-offset: 0 !important;
  box-shadow: inset 0 0 0 3px {FOCUS_HALO} !important;
}}
/* Text boxes, number boxes, date boxes and select boxes: the wrapper draws the ring. */
[data-baseweb="input"]:focus-within, [data-baseweb="textarea"]:focus-within,
[data-baseweb="select"] > div:focus-within, [data-testid="stFileUploaderDropzone"]:focus-within {{
  outline: 3px solid {FOCUS_OUTLINE} !important;
  outline-offset: 0 !important;
}}
[data-baseweb="input"] input:focus-visible, [data-baseweb="textarea"] textarea:focus-visible,
[data-baseweb="select"] input:focus-visible {{
  outline: none !important;
  box-shadow: none !important;
}}
/* Radio buttons and checkboxes hide their <input>; the label around it draws the ring. */
label:has(> input[type="radio"]:focus-visible), label:has(> input[type="checkbox"]:focus-visible),
label:has(input[role="switch"]:focus-visible) {{
  outline: 3px solid {FOCUS_OUTLINE} !important;
  outline-offset: 2px !important;
  box-shadow: 0 0 0 2px {FOCUS_HALO} !important;
}}
/* Date boxes: the day and month of a date ("07", "12") are each a control of their own, about
   18 px wide; WCAG 2.2 (2.5.8, axe `target-size`) asks for at least 24 x 24 px. */
[data-testid="stDateInput"] [role="spinbutton"] {{
  display: inline-flex; align-items: center; justify-content: center;
  min-width: 24px; min-height: 24px;
}}
</style>
"""


def inject_app_styles() -> None:
    """Add the app-wide styles (call once per run, from the shell, before any page draws).

    Through Markdown in a hidden block: `st.html` sends a style-only block to Streamlit's event
    container, where it never reached the page (Streamlit 1.67).
    """
    with st.container(key=STYLES_KEY):
        st.markdown(APP_CSS, unsafe_allow_html=True)
