"""The theme page's control chart (SPC): the chart, its text, and the recorded process changes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import charts
from dashboard.components.chart_display import show_chart
from dashboard.components.plain import escape_markdown
from dashboard.components.rag import variation_label
from dashboard.metrics import rag as ragmod
from dashboard.metrics import spc
from dashboard.views.theme.context import DRILL_DOWN_ROLES, ThemeContext
from data_access import catalogue

# The change form's confirmation is kept in the session across its st.rerun(), then shown once.
SPC_FLASH_KEY = "spc_flash"


def spc_section(ctx: ThemeContext) -> None:
    """The control chart of one indicator, judged on its whole history up to the selected quarter
    (never the display window), with its recorded changes in the process; QA officers and
    admins can record or withdraw a change (a rebase)."""
    settings = spc.DEFAULT_SETTINGS
    st.header("Statistical process control")
    st.caption(
        "XmR charts as NHS England's Making Data Count draws them (checked against the NHS-R "
        "community's reference package): average, process limits (average ± 2.66 × average "
        f"moving range) and signals. {settings.describe()}"
    )
    # Annual indicators have their own section, judged over years.
    specs = [i for i in catalogue.indicators(ctx.theme_code) if not i.is_annual]
    names = {i.code: i.name for i in specs}
    default = next((i.code for i in specs if i.headline), specs[0].code)
    code = st.selectbox(
        "Indicator for the control chart",
        list(names),
        index=list(names).index(default),
        format_func=lambda option: names.get(option, option),
        key="spc_indicator",
    )
    spec = catalogue.indicator(code)
    # The brief's own chart (whole history to the selected quarter, recorded rebases), so this
    # section and every tile, table, meeting screen and pack page show one verdict.
    result = ctx.control_chart(code)
    target = spec.target if spec.has_target else None
    flash = st.session_state.pop(SPC_FLASH_KEY, None)
    if flash:
        st.success(flash)
    if result is None or len(result.values) < spc.MIN_POINTS:
        st.info(
            f"Not enough figures for a control chart of **{spec.name}** up to "
            f"{ctx.period_code} (a chart needs a figure for this quarter and at least "
            f"{spc.MIN_POINTS} quarters)."
        )
    else:
        chart = charts.spc_chart(
            result, name=spec.name, unit=spec.unit, polarity=spec.polarity, target=target
        )
        show_chart(chart, _spc_description(result, spec.name, spec.unit), key="spc_chart")
        latest = result.latest_segment
        if result.short_warning and latest is not None:
            st.warning(
                f"Trial limits: the limits rest on {latest.size} quarter(s) "
                f"({result.labels[latest.start]} to {result.labels[-1]}), fewer than the "
                f"{settings.warning_points} Making Data Count advises, so they will move as "
                "quarters are added. Read the signals with care."
            )
        c1, c2 = st.columns(2)
        c1.markdown(f"**Variation:** {variation_label(result.variation)}")
        c2.markdown(f"**Assurance:** {result.assurance}")
    _spc_changes_list(code)
    if ctx.user.role in DRILL_DOWN_ROLES:
        _spc_change_form(ctx, code, spec.name, list(result.labels) if result else [])


def _spc_description(result: spc.XmRResult, name: str, unit: str) -> str:
    """The chart's text alternative: limits, where they come from, and the verdict."""
    latest = result.latest_segment
    assert latest is not None
    start, end = result.labels[latest.start], result.labels[latest.baseline_end - 1]
    where = (
        f"from a change in the process recorded at {start}; limits from {start} to {end}"
        if latest.rebased
        else f"limits from {start} to {end}"
    )
    steps = (
        f" The limits restart at {', '.join(result.rebase_labels)}." if result.rebase_labels else ""
    )
    if result.upper_limit is None:
        return (
            f"XmR control chart of {name} for {len(result.values)} quarters; the latest stretch "
            f"({where}) has no process limits yet.{steps} {spc.describe(result)}"
        )
    return (
        f"XmR control chart of {name} for {len(result.values)} quarters: average "
        f"{ragmod.format_value(result.mean, unit)}, process limits "
        f"{ragmod.format_value(result.lower_limit, unit)} to "
        f"{ragmod.format_value(result.upper_limit, unit)} ({where}).{steps} "
        f"{spc.describe(result)}"
    )


def _spc_changes_list(code: str) -> None:
    """The recorded changes in this indicator's process, as plain text (people typed them)."""
    from data_access import spc_changes

    changes = cache.frame(spc_changes.list_changes, indicator_code=code)
    if changes.empty:
        st.caption(
            "No change in this indicator's process has been recorded, so one set of "
            "limits covers its whole history."
        )
        return
    st.markdown("**Recorded changes in the process** (the limits restart at each):")
    for _, row in changes.iterrows():
        when = pd.Timestamp(row["recorded_at"]).strftime("%d %B %Y")
        st.text(
            f"From {row['period_code']}: {row['reason']} (recorded by {row['recorded_by']}, {when})"
        )


def _spc_change_form(ctx: ThemeContext, code: str, name: str, quarters: list[str]) -> None:
    """QA officers and admins record (or withdraw) a change in the process behind `code`."""
    from data_access import spc_changes
    from data_access.db import get_engine

    with st.expander("Record or withdraw a change in this indicator's process (rebase)"):
        st.caption(
            "Rebase only when the process itself changed (a new service model, a changed "
            "definition or recording system) and you understand the change, not to make a "
            "signal go away. The chart then takes new limits from the first quarter of the "
            "new process, on every page and in the board pack. Recording is audit-logged."
        )
        choices = quarters[1:]
        if not choices:
            st.caption("A change can be recorded once the indicator has two quarters of figures.")
        else:
            with st.form("spc_change_form", clear_on_submit=False):
                first = st.selectbox(
                    "First quarter of the new process *",
                    choices,
                    index=len(choices) - 1,
                    key="spc_change_quarter",
                )
                reason = st.text_area(
                    "What changed in the process *",
                    max_chars=spc_changes.MAX_REASON_CHARS,
                    key="spc_change_reason",
                    help="Plain words, e.g. 'Front door moved to a single multi-agency team'.",
                )
                submitted = st.form_submit_button(
                    "Record the change", type="primary", key="spc_change_save"
                )
            if submitted:
                try:
                    spc_changes.record_change(
                        engine=get_engine(),
                        indicator_code=code,
                        period_code=first,
                        reason=reason or "",
                        recorded_by=ctx.user.username,
                        page=ctx.theme_code,
                    )
                except spc_changes.ProcessChangeError as exc:
                    st.error(f"Nothing was saved. {escape_markdown(exc)}")
                else:
                    cache.clear()
                    st.session_state[SPC_FLASH_KEY] = (
                        f"Change in the process of {name} recorded from {first}: the control "
                        "chart now takes new limits from that quarter."
                    )
                    st.rerun()
        live = cache.frame(spc_changes.list_changes, indicator_code=code)
        if live.empty:
            return
        labels = {
            int(r["id"]): f"the change from {r['period_code']} (number {int(r['id'])})"
            for _, r in live.iterrows()
        }
        with st.form("spc_withdraw_form", clear_on_submit=False):
            change_id = st.selectbox(
                "Recorded change to withdraw",
                list(labels),
                format_func=lambda option: labels.get(option, option),
                key="spc_withdraw_id",
            )
            why = st.text_input(
                "Why it is withdrawn *",
                max_chars=spc_changes.MAX_REASON_CHARS,
                key="spc_withdraw_reason",
            )
            withdraw = st.form_submit_button("Withdraw the change", key="spc_withdraw_save")
        if withdraw:
            try:
                spc_changes.withdraw_change(
                    engine=get_engine(),
                    change_id=int(change_id),
                    withdrawn_by=ctx.user.username,
                    reason=why or "",
                    page=ctx.theme_code,
                )
            except spc_changes.ProcessChangeError as exc:
                st.error(f"Nothing was changed. {escape_markdown(exc)}")
            else:
                cache.clear()
                st.session_state[SPC_FLASH_KEY] = (
                    f"Withdrew {labels[int(change_id)]} for {name}; the limits no longer "
                    "restart there."
                )
                st.rerun()
