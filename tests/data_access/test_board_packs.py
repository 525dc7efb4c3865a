"""Frozen board packs: data cut-off, recording with checksum, listing, fetching the same bytes."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import board_packs
from data_access.audit_log import recent_entries
from data_access.board_packs import PackRecordError
from data_access.db import session_scope
from data_access.models import Indicator, IndicatorValue, Submission
from data_access.periods import Quarter
from data_access.reference import ensure_periods

Q1, Q2, Q3 = Quarter(2025, 1), Quarter(2025, 2), Quarter(2025, 3)


def _load(store: sa.Engine) -> dict[str, int]:
    """Three submissions: Q1 (id a), Q2 (id b), and a Q2 resubmission (id c) superseding b's value,
    plus a Q3 submission that a Q2 pack must not draw on."""
    with session_scope(store) as session:
        periods = ensure_periods(session, [Q1, Q2, Q3])
        indicator = session.scalar(
            sa.select(Indicator).where(Indicator.code == "EH_OPEN_ASSESSMENTS")
        )
        assert indicator is not None
        subs = {}
        for key, when in [
            ("a", dt.datetime(2025, 7, 20, 9)),
            ("b", dt.datetime(2025, 10, 20, 9)),
            ("c", dt.datetime(2025, 11, 2, 14, 30)),
            ("d", dt.datetime(2026, 1, 25)),
        ]:
            sub = Submission(
                file_name=f"{key}.xlsx",
                checksum=key * 64,
                submitted_by="qa.demo",
                submitted_at=when,
            )
            session.add(sub)
            session.flush()
            subs[key] = sub.id
        session.add(
            IndicatorValue(
                indicator_id=indicator.id,
                period_id=periods[Q1.code],
                value=700,
                submission_id=subs["a"],
            )
        )
        old = IndicatorValue(
            indicator_id=indicator.id,
            period_id=periods[Q2.code],
            value=710,
            submission_id=subs["b"],
            is_current=False,
        )
        session.add(old)
        session.flush()
        new = IndicatorValue(
            indicator_id=indicator.id,
            period_id=periods[Q2.code],
            value=720,
            submission_id=subs["c"],
        )
        session.add(new)
        session.flush()
        old.superseded_by_id = new.id
        session.add(
            IndicatorValue(
                indicator_id=indicator.id,
                period_id=periods[Q3.code],
                value=730,
                submission_id=subs["d"],
            )
        )
    return subs


def test_id_ranges_round_trip() -> None:
    assert board_packs.format_id_ranges([3, 1, 2, 7, 9, 10]) == "1-3, 7, 9-10"
    assert board_packs.format_id_ranges([]) == ""
    assert board_packs.parse_id_ranges("1-3, 7, 9-10") == (1, 2, 3, 7, 9, 10)


def test_cutoff_uses_current_values_up_to_the_quarter(store: sa.Engine) -> None:
    subs = _load(store)
    cutoff = board_packs.data_cutoff(engine=store, period_code=Q2.code)
    assert cutoff.has_data and cutoff.value_count == 2
    # b was superseded by c; d belongs to a later quarter.
    assert cutoff.submission_ids == (subs["a"], subs["c"])
    assert cutoff.cutoff == dt.datetime(2025, 11, 2, 14, 30)


def test_cutoff_on_an_empty_store_has_no_data(store: sa.Engine) -> None:
    with session_scope(store) as session:
        ensure_periods(session, [Q2])
    cutoff = board_packs.data_cutoff(engine=store, period_code=Q2.code)
    assert not cutoff.has_data and cutoff.cutoff is None and cutoff.submission_ids == ()


def test_recorded_pack_returns_the_same_bytes_and_checksum(store: sa.Engine) -> None:
    _load(store)
    cutoff = board_packs.data_cutoff(engine=store, period_code=Q2.code)
    content = b"%PDF-1.4 pretend pack \x00\xff" * 1000
    pack_id = board_packs.record_pack(
        engine=store,
        period_code=Q2.code,
        file_format="pdf",
        file_name="pack.pdf",
        content=content,
        cutoff=cutoff,
        generated_by="qa.demo",
    )
    stored = board_packs.fetch_pack(engine=store, pack_id=pack_id)
    assert stored is not None
    assert stored.content == content
    assert (
        stored.checksum == board_packs.sha256_hex(content) == board_packs.sha256_hex(stored.content)
    )
    assert stored.size_bytes == len(content)
    assert stored.data_cutoff == cutoff.cutoff
    assert board_packs.parse_id_ranges(stored.submission_ids) == cutoff.submission_ids
    assert board_packs.pack_bytes(engine=store, pack_id=pack_id) == content
    log = recent_entries(engine=store, event="board_pack_generated")
    assert stored.checksum in log.iloc[0]["detail"]


def test_packs_are_listed_newest_first_without_bytes(store: sa.Engine) -> None:
    _load(store)
    cutoff = board_packs.data_cutoff(engine=store, period_code=Q2.code)
    first = board_packs.record_pack(
        engine=store,
        period_code=Q2.code,
        file_format="pdf",
        file_name="a.pdf",
        content=b"a",
        cutoff=cutoff,
        generated_by="qa.demo",
        generated_at=dt.datetime(2025, 11, 10, 9),
    )
    second = board_packs.record_pack(
        engine=store,
        period_code=Q1.code,
        file_format="pptx",
        file_name="b.pptx",
        content=b"bb",
        cutoff=cutoff,
        generated_by="exec.demo",
        generated_at=dt.datetime(2025, 11, 11, 9),
    )
    listed = board_packs.list_packs(engine=store)
    assert listed["id"].tolist() == [second, first]
    assert "content" not in listed.columns
    assert board_packs.list_packs(engine=store, period_code=Q2.code)["id"].tolist() == [first]


def test_resubmitted_data_does_not_change_a_recorded_pack(store: sa.Engine) -> None:
    _load(store)
    cutoff = board_packs.data_cutoff(engine=store, period_code=Q2.code)
    pack_id = board_packs.record_pack(
        engine=store,
        period_code=Q2.code,
        file_format="pdf",
        file_name="a.pdf",
        content=b"as presented",
        cutoff=cutoff,
        generated_by="qa.demo",
    )
    with session_scope(store) as session:
        sub = Submission(file_name="late.xlsx", checksum="e" * 64, submitted_by="qa.demo")
        session.add(sub)
    stored = board_packs.fetch_pack(engine=store, pack_id=pack_id)
    assert stored is not None and stored.content == b"as presented"
    assert stored.submission_ids == cutoff.id_ranges


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"file_format": "docx"}, "not a pack format"),
        ({"content": b""}, "empty"),
        ({"period_code": "1999-00 Q1"}, "no reporting period"),
    ],
)
def test_bad_packs_are_refused_and_nothing_is_kept(
    store: sa.Engine, kwargs: dict[str, object], message: str
) -> None:
    _load(store)
    cutoff = board_packs.data_cutoff(engine=store, period_code=Q2.code)
    args: dict[str, object] = dict(
        engine=store,
        period_code=Q2.code,
        file_format="pdf",
        file_name="x.pdf",
        content=b"x",
        cutoff=cutoff,
        generated_by="qa.demo",
    )
    args.update(kwargs)
    with pytest.raises(PackRecordError, match=message):
        board_packs.record_pack(**args)
    assert board_packs.list_packs(engine=store).empty
    assert board_packs.fetch_pack(engine=store, pack_id=1) is None
