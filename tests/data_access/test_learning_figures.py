"""The timeliness indicators' rule (`data_access.learning_figures`), worked by hand: rapid reviews
by their 15-working-day deadline (England's bank holidays), local reviews by their six-month
deadline, actions overdue at the quarter's end; and the figures written as stored values by the
forms' writes, a changed figure superseding the old row."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access import learning, learning_figures
from data_access.db import session_scope
from data_access.learning_figures import OVERDUE, PUBLISHED, RAPID, Parts, Records, quarter_parts
from data_access.models import Indicator, IndicatorValue, ReportingPeriod

D = dt.date
Q1 = (D(2025, 4, 1), D(2025, 6, 30))
Q2 = (D(2025, 7, 1), D(2025, 9, 30))


def parts(records: Records, quarter: tuple[dt.date, dt.date]) -> dict[str, Parts]:
    return quarter_parts(records, *quarter)


def test_rapid_review_deadlines_skip_weekends_and_bank_holidays() -> None:
    # Notified Thursday 17 April 2025: Good Friday, Easter Monday and the early May bank holiday
    # fall in the next 15 working days, so the deadline is Tuesday 13 May.
    assert learning_figures.rapid_review_deadline(D(2025, 4, 17)) == D(2025, 5, 13)
    # Over Christmas: 25, 26 December and 1 January are left out (2 January is Scotland's only).
    assert learning_figures.rapid_review_deadline(D(2025, 12, 17)) == D(2026, 1, 12)
    records = Records(
        rapid=[
            (D(2025, 4, 17), D(2025, 5, 13)),  # on its deadline: in time
            (D(2025, 4, 17), D(2025, 5, 14)),  # a day late
            (D(2025, 4, 17), None),  # never completed: late once the deadline passed
            (D(2025, 6, 20), D(2025, 7, 1)),  # notified in Q1, deadline 11 July: a Q2 figure
        ],
        local=[],
        actions=[],
    )
    assert parts(records, Q1)[RAPID] == Parts(1, 3)
    assert parts(records, Q1)[RAPID].value == 33.3
    assert parts(records, Q2)[RAPID] == Parts(1, 1)


def test_local_reviews_are_judged_in_the_quarter_of_their_six_month_deadline() -> None:
    records = Records(
        rapid=[],
        local=[
            (D(2025, 1, 10), D(2025, 7, 10)),  # deadline 10 July: published on it
            (D(2025, 1, 10), D(2025, 7, 11)),  # a day late
            (D(2025, 1, 31), None),  # deadline 31 July, not published
            (D(2024, 8, 31), D(2025, 2, 28)),  # deadline 28 February (no 31st): in time, Q4
        ],
        actions=[],
    )
    assert parts(records, Q2)[PUBLISHED] == Parts(1, 3)
    assert parts(records, (D(2025, 1, 1), D(2025, 3, 31)))[PUBLISHED] == Parts(1, 1)
    assert parts(records, Q1)[PUBLISHED] == Parts(0, 0)
    assert parts(records, Q1)[PUBLISHED].value is None


def test_actions_overdue_at_the_quarters_end() -> None:
    records = Records(
        rapid=[],
        local=[],
        actions=[
            (D(2025, 5, 1), "open", None),  # overdue at 30 June
            (D(2025, 5, 1), "in_progress", None),  # overdue at 30 June
            (D(2025, 5, 1), "complete", D(2025, 6, 1)),  # done late but before the end
            (D(2025, 5, 1), "complete", D(2025, 7, 5)),  # still overdue at 30 June
            (D(2025, 3, 1), "complete", D(2025, 4, 10)),  # carried over, done in the quarter
            (D(2025, 3, 1), "complete", D(2025, 3, 20)),  # done before the quarter: left out
            (D(2025, 6, 30), "open", None),  # due on the last day: not yet overdue
            (D(2025, 5, 1), "cancelled", None),  # cancelled: left out
        ],
    )
    assert parts(records, Q1)[OVERDUE] == Parts(3, 5)
    assert parts(records, Q1)[OVERDUE].value == 60.0
    # Q2: the two still open, and the one due 30 June; the July completion is in the base only.
    assert parts(records, Q2)[OVERDUE] == Parts(3, 4)


def test_a_percentage_is_worked_out_from_its_parts() -> None:
    # Two quarters of 1 of 3 and 2 of 2: the series starts at the first quarter with a base,
    # and each value is its own numerator over denominator, never an average of others.
    records = Records(
        rapid=[
            (D(2025, 4, 17), D(2025, 5, 13)),
            (D(2025, 4, 17), None),
            (D(2025, 4, 17), None),
            (D(2025, 7, 1), D(2025, 7, 2)),
            (D(2025, 7, 2), D(2025, 7, 3)),
        ],
        local=[],
        actions=[],
    )
    quarters = [
        ("2025-26 Q1", *Q1),
        ("2025-26 Q2", *Q2),
        ("2025-26 Q3", D(2025, 10, 1), D(2025, 12, 31)),
    ]
    series = learning_figures.series(records, quarters)
    assert [(q, p.numerator, p.denominator, p.value) for q, p in series[RAPID]] == [
        ("2025-26 Q1", 1, 3, 33.3),
        ("2025-26 Q2", 2, 2, 100.0),
        ("2025-26 Q3", 0, 0, None),
    ]
    assert series[PUBLISHED] == [] and series[OVERDUE] == []


def _quarters(engine: sa.Engine) -> None:
    with engine.begin() as c:
        c.execute(
            sa.insert(ReportingPeriod),
            [
                {
                    "code": "2025-26 Q1",
                    "fy_start_year": 2025,
                    "quarter": 1,
                    "kind": "quarter",
                    "start_date": Q1[0],
                    "end_date": Q1[1],
                },
                {
                    "code": "2025-26 Q2",
                    "fy_start_year": 2025,
                    "quarter": 2,
                    "kind": "quarter",
                    "start_date": Q2[0],
                    "end_date": Q2[1],
                },
            ],
        )


def _agency(engine: sa.Engine) -> int:
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO agency (code, name, sector, agency_type, section_175, active) "
                "VALUES ('BCS', 'Brookvale Council', 'council', 'statutory_partner', false, true)"
            )
        )
        return int(c.scalar(sa.text("SELECT id FROM agency WHERE code = 'BCS'")))


def _stored(engine: sa.Engine) -> dict[tuple[str, str], tuple[object, ...]]:
    rows = learning_figures.stored(engine=engine)
    return {
        (r.period_code, r.code): (
            None if pd.isna(r.value) else r.value,
            int(r.numerator),
            int(r.denominator),
            r.status_symbol if isinstance(r.status_symbol, str) else None,
        )
        for r in rows.itertuples(index=False)
    }


def test_the_forms_write_the_figures_as_stored_values(store: sa.Engine) -> None:
    _quarters(store)
    agency = _agency(store)
    rr = learning.record_rapid_review(
        engine=store,
        entry=learning.NewRapidReview(
            "RR-A", D(2025, 4, 14), D(2025, 4, 17), None, D(2025, 5, 13), "lcspr"
        ),
        recorded_by="qa",
    )
    assert _stored(store)[("2025-26 Q1", RAPID)] == (100.0, 1, 1, None)
    ids = []
    for due in (D(2025, 5, 1), D(2025, 5, 1), D(2025, 8, 1)):
        ids.append(
            learning.record_action(
                engine=store,
                entry=learning.NewAction(f"rr:{rr}", "Do it", agency, due),
                recorded_by="qa",
                page="p",
            )
        )
    stored = _stored(store)
    assert stored[("2025-26 Q1", OVERDUE)] == (100.0, 2, 2, None)
    assert stored[("2025-26 Q2", OVERDUE)] == (100.0, 3, 3, None)
    # Nothing fell due in Q2 for rapid reviews once the series began: "z", not applicable.
    assert stored[("2025-26 Q2", RAPID)] == (None, 0, 0, "z")
    for action, done in ((ids[0], D(2025, 8, 1)), (ids[1], D(2025, 6, 1))):
        learning.update_action(
            engine=store,
            update=learning.ActionUpdate(action, "complete", None, done, "Done"),
            updated_by="qa",
            page="p",
        )
    stored = _stored(store)
    # Q1: the action finished in August was overdue on 30 June; the one finished in June was not.
    assert stored[("2025-26 Q1", OVERDUE)] == (50.0, 1, 2, None)
    # Q2: the August completion is in the base; only the open action due in August is overdue.
    assert stored[("2025-26 Q2", OVERDUE)] == (50.0, 1, 2, None)
    with store.connect() as c:
        overdue_id = c.scalar(sa.select(Indicator.id).where(Indicator.code == OVERDUE))
        history = c.execute(
            sa.select(IndicatorValue.is_current, IndicatorValue.superseded_by_id).where(
                IndicatorValue.indicator_id == overdue_id
            )
        ).all()
    # Every earlier figure is kept, superseded: Q1 went 1 of 1, 2 of 2, 1 of 2; Q2 went 1 of 1,
    # 2 of 2, 3 of 3, 2 of 3, 1 of 2.
    assert sum(1 for current, _ in history if current) == 2
    assert all(by is not None for current, by in history if not current)
    assert sum(1 for current, _ in history if not current) == 6
    # A refresh with nothing changed writes nothing.
    with session_scope(store) as session:
        assert learning_figures.refresh(session) == 0


def test_a_quarter_that_ends_without_a_record_changing_gets_its_figures_from_the_daily_check(
    store: sa.Engine,
) -> None:
    _quarters(store)
    learning.record_rapid_review(
        engine=store,
        entry=learning.NewRapidReview(
            "RR-B", D(2025, 4, 14), D(2025, 4, 17), None, D(2025, 5, 13), "lcspr"
        ),
        recorded_by="qa",
    )
    # A later quarter's period arrives (with a return, say) and nobody touches the records.
    with store.begin() as c:
        c.execute(
            sa.insert(ReportingPeriod).values(
                code="2025-26 Q3",
                fy_start_year=2025,
                quarter=3,
                kind="quarter",
                start_date=D(2025, 10, 1),
                end_date=D(2025, 12, 31),
            )
        )
    assert ("2025-26 Q3", RAPID) not in _stored(store)
    # Before the quarter ends there is nothing to do; after, its figures are written once.
    assert learning_figures.refresh_if_due(engine=store, today=D(2025, 12, 30)) == 0
    # One row: the rapid reviews' series has begun; no review or action has fallen due yet.
    assert learning_figures.refresh_if_due(engine=store, today=D(2026, 1, 5)) == 1
    stored = _stored(store)
    assert stored[("2025-26 Q3", RAPID)] == (None, 0, 0, "z")
    assert stored[("2025-26 Q1", RAPID)] == (100.0, 1, 1, None)
    assert learning_figures.refresh_if_due(engine=store, today=D(2026, 1, 6)) == 0


def test_the_daily_check_on_a_store_without_records_writes_nothing(store: sa.Engine) -> None:
    _quarters(store)
    assert learning_figures.refresh_if_due(engine=store, today=D(2026, 1, 5)) == 0
    assert _stored(store) == {}
