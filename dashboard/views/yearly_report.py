"""The Yearly report page: make a draft of the partnership's yearly report (Working Together
2023) for a financial year, as a tagged PDF or a Word document, kept in the store with its
checksum; download any report made before."""

from __future__ import annotations

import streamlit as st

from dashboard import cache
from dashboard.components.plain import escape_inline
from dashboard.components.tables import show_table
from dashboard.exports import logged_download
from dashboard.session import CurrentUser
from dashboard.yearly_report import content
from dashboard.yearly_report import render as report_render
from data_access import yearly_reports
from data_access.db import get_engine
from data_access.indicators import periods_with_data

FLASH_KEY = "yearly_report_flash"
MADE_KEY = "yearly_report_made"
MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _years() -> list[str]:
    periods = cache.frame(periods_with_data)
    starts = sorted({int(str(code)[:4]) for code in periods["code"]}, reverse=True)
    return [f"{y}-{(y + 1) % 100:02d}" for y in starts]


def render(user: CurrentUser) -> None:
    """Render the Yearly report page for `user` (call after the page's guard)."""
    st.title("Yearly report")
    st.caption(
        "A draft of the partnership's yearly report, as Working Together 2023 asks: priorities "
        "and progress, the year's figures against England and neighbours, audits, training, "
        "Section 11, practice reviews and their actions, feedback from children and families, "
        "the scrutineer's view and the risk register, with spaces for the partners' own words "
        "and a summary for young people. Each draft made is kept with its checksum."
    )
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))
    years = _years()
    if not years:
        st.info("There are no figures in the store yet, so there is no year to report on.")
        return
    with st.form("yearly_report_form"):
        left, right = st.columns(2)
        year = left.selectbox("Financial year", years, key="yearly_year")
        file_format = right.radio(
            "Format",
            ("pdf", "docx"),
            format_func=lambda f: {"pdf": "PDF (tagged)", "docx": "Word document"}[f],
            horizontal=True,
            key="yearly_format",
        )
        made = st.form_submit_button("Make the report", type="primary", key="yearly_make")
    if made:
        try:
            with st.spinner("Making the report..."):
                report = content.build(
                    engine=get_engine(), year_code=str(year), generated_by=user.username
                )
                data = report_render.build(report, str(file_format))
                name = report_render.file_name(report, str(file_format))
                report_id = yearly_reports.record_report(
                    engine=get_engine(),
                    year_code=str(year),
                    file_format=str(file_format),
                    file_name=name,
                    content=data,
                    generated_by=user.username,
                )
        except yearly_reports.ReportError as exc:
            st.error(f"The report was not made. {escape_inline(exc)}")
        else:
            cache.clear()
            st.session_state[MADE_KEY] = report_id
            st.session_state[FLASH_KEY] = (
                f"Yearly report {report_id} made and kept ({len(data):,} bytes)."
            )
            st.rerun()

    st.header("Reports made")
    kept = cache.frame(yearly_reports.list_reports)
    if kept.empty:
        st.caption("No yearly report has been made yet.")
        return
    table = kept.rename(
        columns={
            "id": "Number",
            "year_code": "Year",
            "file_format": "Format",
            "file_name": "File",
            "size_bytes": "Bytes",
            "checksum": "SHA-256",
            "generated_by": "Made by",
            "generated_at": "Made at",
        }
    )
    show_table(table, key="yearly_reports_table")
    labels = {int(r["id"]): f"{int(r['id'])}: {r['file_name']}" for _, r in kept.iterrows()}
    options = list(labels)
    last_made = st.session_state.get(MADE_KEY)
    chosen = st.selectbox(
        "Report to download",
        options,
        index=options.index(last_made) if last_made in labels else 0,
        format_func=lambda o: str(labels.get(o, o)),
        key="yearly_pick",
    )
    row = kept.set_index("id").loc[int(str(chosen))]
    st.download_button(
        f"Download {row['file_name']}",
        data=logged_download(
            lambda: yearly_reports.report_bytes(engine=get_engine(), report_id=int(str(chosen))),
            what=f"yearly report {int(str(chosen))}: {row['file_name']}",
        ),
        file_name=str(row["file_name"]),
        mime=MEDIA[str(row["file_format"])],
        key="yearly_download",
        icon=":material/download:",
        on_click="ignore",
    )
