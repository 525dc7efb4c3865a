"""Early help in detail: assessments by lead agency, step-up and step-down."""

from __future__ import annotations

import streamlit as st

from dashboard.views.theme.context import ThemeContext
from dashboard.views.theme.details.common import agency_breakdown, indicator_lines


def early_help_section(ctx: ThemeContext) -> None:
    st.subheader("Assessments started by lead agency")
    agency_breakdown(
        ctx,
        "EH_ASSESSMENTS_STARTED",
        f"Assessments started by lead agency, {ctx.period_code}",
        "eh_lead_agency",
    )
    st.subheader("Step-up and step-down")
    indicator_lines(
        ctx,
        ["EH_STEP_UP", "EH_STEP_DOWN"],
        "Step-up to and step-down from social care",
        "count",
        "eh_steps",
        "Two lines by quarter: early help episodes stepped up to social care, and "
        "social care cases stepped down to early help.",
    )
