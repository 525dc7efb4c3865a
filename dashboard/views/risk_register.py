"""The Risk register page: the partnership's risks with owner, cause and consequence, scores
before and after the controls, a 5x5 heat map, overdue reviews and the escalation rule."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import learning as parts
from dashboard.components.plain import escape_inline
from dashboard.components.tables import highlight_overdue, show_table
from dashboard.exports import download_table
from dashboard.navigation import STAFF
from dashboard.session import CurrentUser
from data_access import catalogue, config, learning
from data_access.db import get_engine
from data_access.models import RISK_TRENDS

FLASH_KEY = "risk_register_flash"
NEW = 0
NO_THEME = "none"
NO_AGENCY = 0


def render(user: CurrentUser) -> None:
    """Render the Risk register page for `user` (call after the page's guard)."""
    threshold = config.risk_escalation_threshold()
    st.title("Risk register")
    st.caption(
        f"The partnership's risks, scored 1 to 5 for likelihood and impact. The partnership's "
        f"rule: a risk scoring above {threshold} after its controls goes to the executive."
    )
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))

    register = cache.frame(learning.risks, threshold=threshold)
    if register.empty:
        st.info("No open risks are recorded.")
    else:
        a, b, c = st.columns(3)
        a.metric("Open risks", len(register))
        b.metric(f"Above {threshold}: to the executive", int(register["escalated"].sum()))
        c.metric("Reviews overdue", int(register["review_overdue"].sum()))

        st.header("Heat map")
        st.markdown(
            parts.heat_map_html(learning.heat_map(register), threshold), unsafe_allow_html=True
        )

        st.header("The register")
        table = _register_table(register, threshold)
        show_table(highlight_overdue(table, "Review"), data=table, key="risk_table")
        download_table(table, label="risk register", file_stem="risk-register", key="risk_csv")

    if user.role not in STAFF:
        st.caption("Quality assurance officers and administrators record and update risks.")
        return
    _risk_form(user)
    parts.import_form(user, parts.RISK_IMPORT, flash_key=FLASH_KEY)


def _register_table(register: pd.DataFrame, threshold: int) -> pd.DataFrame:
    def review(row: pd.Series) -> str:
        when = parts.date_words(row["review_on"])
        return f"⚠ review overdue (due {when})" if bool(row["review_overdue"]) else when

    def after(row: pd.Series) -> str:
        if pd.isna(row["score_after"]):
            return "Not scored"
        return f"{int(row['score_after'])} ({row['likelihood_after']} x {row['impact_after']})"

    return pd.DataFrame(
        {
            "Risk": register["reference"],
            "What could happen": register["title"],
            "Theme": register["theme_name"].map(parts.text),
            "Owner": [
                ", ".join(p for p in (parts.text(o), parts.text(a)) if p)
                for o, a in zip(register["owner"], register["owner_agency"], strict=True)
            ],
            "Cause": register["cause"].map(parts.text),
            "Consequence": register["consequence"].map(parts.text),
            "Score before controls": [
                f"{int(s)} ({li} x {im})"
                for s, li, im in zip(
                    register["score_before"],
                    register["likelihood"],
                    register["impact"],
                    strict=True,
                )
            ],
            "Controls": register["controls"].map(parts.text),
            "Score after controls": [after(row) for _, row in register.iterrows()],
            "To the executive": register["escalated"].map(
                lambda e: f"Yes, above {threshold}" if e else "No"
            ),
            "Further actions": register["further_actions"].map(parts.text),
            "Trend": register["trend"].map(lambda t: parts.text(t).capitalize()),
            "Review": [review(row) for _, row in register.iterrows()],
        }
    )


def _risk_form(user: CurrentUser) -> None:
    everything = cache.frame(learning.risks, threshold=0, include_closed=True)
    theme_names = {t.code: t.name for t in catalogue.themes()}
    agencies = cache.query(learning.agency_choices)
    st.header("Record or update a risk")
    labels = {NEW: "A new risk"} | {
        int(r["id"]): f"{r['reference']}: {str(r['title'])[:70]}" for _, r in everything.iterrows()
    }
    chosen = int(
        str(
            st.selectbox(
                "Risk", list(labels), format_func=lambda o: str(labels.get(o, o)), key="risk_pick"
            )
        )
    )
    current = everything.set_index("id").loc[chosen] if chosen != NEW else None

    def value(column: str, default: object = None) -> object:
        if current is None or pd.isna(current[column]):
            return default
        return current[column]

    score = list(range(1, 6))
    with st.form(f"risk_form_{chosen}"):
        left, right = st.columns([1, 3])
        reference = left.text_input(
            "Reference *", value=str(value("reference", "")), max_chars=20, key="risk_ref"
        )
        title = right.text_input(
            "What could happen *", value=str(value("title", "")), max_chars=300, key="risk_title"
        )
        left, right = st.columns(2)
        owner = left.text_input(
            "Owner (person or role)", value=str(value("owner", "")), max_chars=200, key="risk_owner"
        )
        agency_names = {NO_AGENCY: "No agency", **agencies}
        current_agency = next(
            (i for i, n in agencies.items() if n == value("owner_agency")), NO_AGENCY
        )
        agency = right.selectbox(
            "Owner agency",
            list(agency_names),
            index=list(agency_names).index(current_agency),
            format_func=lambda o: str(agency_names.get(o, o)),
            key="risk_agency",
        )
        theme_keys = [NO_THEME, *theme_names]
        current_theme = next(
            (c for c, n in theme_names.items() if n == value("theme_name")), NO_THEME
        )
        theme = st.selectbox(
            "Theme",
            theme_keys,
            index=theme_keys.index(current_theme),
            format_func=lambda c: "Not about one theme" if c == NO_THEME else theme_names[c],
            key="risk_theme",
        )
        cause = st.text_area("Cause", value=str(value("cause", "")), key="risk_cause")
        consequence = st.text_area(
            "Consequence", value=str(value("consequence", "")), key="risk_consequence"
        )
        a, b, c, d = st.columns(4)
        likelihood = a.selectbox(
            "Likelihood before *",
            score,
            index=int(str(value("likelihood", 3))) - 1,
            key="risk_l",
        )
        impact = b.selectbox(
            "Impact before *",
            score,
            index=int(str(value("impact", 3))) - 1,
            key="risk_i",
        )
        after_options: list[int | None] = [None, *score]
        likelihood_after = c.selectbox(
            "Likelihood after controls",
            after_options,
            index=after_options.index(_int(value("likelihood_after"))),
            format_func=lambda v: "Not scored" if v is None else str(v),
            key="risk_la",
        )
        impact_after = d.selectbox(
            "Impact after controls",
            after_options,
            index=after_options.index(_int(value("impact_after"))),
            format_func=lambda v: "Not scored" if v is None else str(v),
            key="risk_ia",
        )
        controls = st.text_area("Controls in place", value=str(value("controls", "")), key="risk_c")
        further = st.text_area(
            "Further actions", value=str(value("further_actions", "")), key="risk_f"
        )
        a, b, c = st.columns(3)
        review_value = value("review_on")
        review_on = a.date_input(
            "Review date (needed while open)",
            value=learning.as_date(review_value) if review_value is not None else None,
            key="risk_review",
            format="DD/MM/YYYY",
        )
        trend_options: list[str | None] = [None, *RISK_TRENDS]
        trend = b.selectbox(
            "Trend",
            trend_options,
            index=trend_options.index(None if value("trend") is None else str(value("trend"))),
            format_func=lambda t: "Not said" if t is None else str(t).capitalize(),
            key="risk_trend",
        )
        status = c.selectbox(
            "Status",
            ["open", "closed"],
            index=["open", "closed"].index(str(value("status", "open"))),
            format_func=str.capitalize,
            key="risk_status",
        )
        saved = st.form_submit_button("Save the risk", type="primary", key="risk_save")
    if saved:
        parts.save_and_rerun(
            lambda: learning.save_risk(
                engine=get_engine(),
                entry=learning.RiskEntry(
                    reference=reference or "",
                    title=title or "",
                    likelihood=int(str(likelihood)),
                    impact=int(str(impact)),
                    owner_agency_id=None if agency == NO_AGENCY else int(agency),
                    owner=owner,
                    theme_code=None if theme == NO_THEME else str(theme),
                    cause=cause,
                    consequence=consequence,
                    controls=controls,
                    likelihood_after=likelihood_after,
                    impact_after=impact_after,
                    further_actions=further,
                    review_on=review_on if isinstance(review_on, dt.date) else None,
                    trend=trend,
                    status=str(status),
                ),
                saved_by=user.username,
                risk_id=None if chosen == NEW else chosen,
            ),
            flash_key=FLASH_KEY,
            done=lambda _: f"Risk {escape_inline(reference.strip())} saved.",
        )


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))
