"""Issue 26 item 8: the audit findings are shown a page at a time, newest audit first.

The page was 25-27k px long (every finding since 2019). Now each column (strengths, areas for
improvement) shows `FINDINGS_PER_PAGE` findings with a caption saying which, the store fetches only
that page (a LIMIT in the SQL that reads findings' text), and the download keeps every finding.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard.views.audits import FINDINGS_PER_PAGE
from data_access import audits
from tests.support.signed_in import signed_in_app

HEADINGS = {"strength": "Strengths", "area_for_improvement": "Areas for improvement"}


def finding_lines(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("- ") and m.value.endswith(")*")]


class Statements:
    """Every SQL statement any engine runs while the context is open."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.seen.append(statement)

    def __enter__(self) -> Statements:
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", self._record)


def test_findings_are_shown_a_page_at_a_time_and_fetched_a_page_at_a_time(
    sample_store: sa.Engine, use_store
) -> None:
    use_store(sample_store)
    counts = audits.finding_counts(engine=sample_store)
    # The sample has findings since 2019: many pages of each kind.
    assert all(n > 2 * FINDINGS_PER_PAGE for n in counts.values()), counts
    with Statements() as sql:
        at = signed_in_app("audits", "executive", timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    lines = finding_lines(at)
    assert len(lines) == 2 * FINDINGS_PER_PAGE
    captions = [c.value for c in at.caption]
    for kind, heading in HEADINGS.items():
        assert (
            f"{heading} 1 to {FINDINGS_PER_PAGE} of {counts[kind]:,}, newest audit first. "
            "The download below has all of them." in captions
        ), captions
    # The findings' text is read only with a LIMIT: never every finding on a page view.
    reads = [s for s in sql.seen if re.search(r"audit_finding\.text", s)]
    assert reads and all("LIMIT" in s.upper() for s in reads), reads

    # Newest audit first: the first page's findings are from the latest audits.
    newest = audits.findings_page(
        engine=sample_store, kind="strength", offset=0, limit=FINDINGS_PER_PAGE
    )
    every = audits.findings(engine=sample_store)
    strengths = every[every["kind"] == "strength"]
    latest = sa.text(
        "SELECT max(a.audit_date) FROM audit a JOIN audit_finding f ON f.audit_id = a.id "
        "WHERE f.kind = 'strength'"
    )
    with sample_store.connect() as connection:
        latest_date = connection.execute(latest).scalar_one()
    assert str(newest["audit_date"].iloc[0])[:10] == str(latest_date)[:10]
    dates = [str(d) for d in newest["audit_date"]]
    assert dates == sorted(dates, reverse=True)
    assert len(strengths) == counts["strength"]

    # The second page: the next findings, none repeated.
    box = at.selectbox(key=next(s.key for s in at.selectbox if "strength" in (s.key or "")))
    box.set_value(2).run()
    assert not at.exception
    second = finding_lines(at)
    assert len(second) == 2 * FINDINGS_PER_PAGE
    assert f"Strengths {FINDINGS_PER_PAGE + 1} to {2 * FINDINGS_PER_PAGE} of" in "\n".join(
        c.value for c in at.caption
    )
    assert set(second[:FINDINGS_PER_PAGE]).isdisjoint(lines[:FINDINGS_PER_PAGE])


def test_pages_cover_every_finding_once(sample_store: sa.Engine) -> None:
    counts = audits.finding_counts(engine=sample_store)
    every = audits.findings(engine=sample_store)
    for kind, total in counts.items():
        ids: list[int] = []
        for offset in range(0, total, 50):
            ids += list(
                audits.findings_page(engine=sample_store, kind=kind, offset=offset, limit=50)["id"]
            )
        assert sorted(ids) == sorted(every[every["kind"] == kind]["id"])
        assert len(ids) == len(set(ids)) == total
