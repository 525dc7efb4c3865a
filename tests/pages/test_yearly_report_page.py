"""AppTest: the Yearly report page makes a Word report for a year, keeps it with its checksum
(audit-logged) and lists it; the youth council is refused."""

from __future__ import annotations

from data_access import yearly_reports
from data_access.audit_log import recent_entries
from tests.support.signed_in import signed_in_app


def test_executive_makes_the_word_report(writable_sample_store, use_store) -> None:
    engine = use_store(writable_sample_store)
    at = signed_in_app("yearly_report", "executive", timeout=240).run()
    assert not at.exception and at.title[0].value == "Yearly report"
    at.selectbox(key="yearly_year").set_value("2025-26")
    at.radio(key="yearly_format").set_value("docx")
    at.button(key="yearly_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    kept = yearly_reports.list_reports(engine=engine)
    assert len(kept) == 1 and kept.iloc[0]["file_name"] == "yearly-report-2025-26.docx"
    assert len(at.dataframe[0].value) == 1
    assert recent_entries(engine=engine, limit=1).iloc[0]["event"] == "yearly_report_generated"


def test_youth_member_is_refused(sample_store, use_store) -> None:
    use_store(sample_store)
    at = signed_in_app("yearly_report", "youth_council").run()
    assert at.error and "does not have access" in at.error[0].value
