"""Neglect in detail: neglect plans, Graded Care Profile use and assessments by agency."""

from __future__ import annotations

import streamlit as st

from dashboard.views.theme.context import ThemeContext
from dashboard.views.theme.details.common import agency_breakdown, indicator_lines


def neglect_section(ctx: ThemeContext) -> None:
    st.subheader("Neglect on child protection plans and Graded Care Profile use")
    indicator_lines(
        ctx,
        ["NEG_CP_NEGLECT_PCT", "NEG_GCP2_ON_PLANS_PCT"],
        "Neglect plans and Graded Care Profile use",
        "percentage",
        "neg_share",
        "Two lines by quarter, the axis fitted to them: the share of child protection plans under "
        "neglect, and the share of those plans with a Graded Care Profile (GCP2).",
    )
    st.subheader("Graded Care Profile assessments by agency")
    agency_breakdown(
        ctx,
        "NEG_GCP2_COMPLETED",
        f"GCP2 assessments completed by agency, {ctx.period_code}",
        "neg_gcp2_agency",
    )
