"""The audit chain keyed and anchored (issue 30), on SQLite and PostgreSQL: a log rewritten and
rechained, with or without the key, and a log with its newest entries deleted both fail
`qa-dashboard audit verify`; entries written before a key was set still verify, as unkeyed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard import cli
from data_access import audit_log
from data_access.audit_log import verify_chain
from data_access.models import AuditLogEntry

KEY = "audit-key-Vq8Zr3Nw5Kp1Xy7Lm2Bt9Hd4Gf6Jc0Qs"


@pytest.fixture
def keyed(store: sa.Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> sa.Engine:
    monkeypatch.setenv("AUDIT_KEY", KEY)
    monkeypatch.setenv("AUDIT_ANCHOR_FILE", str(tmp_path / "anchors" / "audit.anchor"))
    return store


def _log(engine: sa.Engine, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        audit_log.record_event(
            engine=engine, username="jo.qa", event="export", page="audits", detail=f"row {n}"
        )


def _rows(engine: sa.Engine) -> list[sa.Row]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(AuditLogEntry).order_by(AuditLogEntry.id)).all())


def _rewrite_and_rechain(engine: sa.Engine, index: int, detail: str, key: str | None) -> None:
    """What an attacker with write access does: change one entry, recompute every hash after."""
    rows = _rows(engine)
    prev = rows[index].prev_hash
    with engine.begin() as connection:
        for n, row in enumerate(rows[index:]):
            new_detail = detail if n == 0 else row.detail
            digest = audit_log.entry_hash(
                entry_id=row.id,
                occurred_at=row.occurred_at,
                username=row.username,
                event=row.event,
                page=row.page,
                detail=new_detail,
                prev_hash=prev,
                key=key,
            )
            connection.execute(
                sa.update(AuditLogEntry)
                .where(AuditLogEntry.id == row.id)
                .values(detail=new_detail, prev_hash=prev, entry_hash=digest)
            )
            prev = digest


def _verify(engine: sa.Engine, capsys) -> tuple[int, str]:
    url = engine.url.render_as_string(hide_password=False)
    code = cli.main(["--database-url", url, "audit", "verify"])
    return code, capsys.readouterr().out


def test_keyed_entries_are_hmacs_and_verify(keyed: sa.Engine, capsys) -> None:
    _log(keyed, 4)
    rows = _rows(keyed)
    plain = audit_log.entry_hash(
        entry_id=rows[0].id,
        occurred_at=rows[0].occurred_at,
        username=rows[0].username,
        event=rows[0].event,
        page=rows[0].page,
        detail=rows[0].detail,
        prev_hash=rows[0].prev_hash,
    )
    assert rows[0].entry_hash != plain  # not the unkeyed SHA-256
    report = verify_chain(engine=keyed)
    assert report.ok and report.keyed_from == rows[0].id and report.unkeyed == 0
    code, said = _verify(keyed, capsys)
    assert code == 0 and "every entry is keyed with AUDIT_KEY" in said


def test_a_rewritten_and_rechained_log_fails_without_the_key(keyed: sa.Engine, capsys) -> None:
    _log(keyed, 8)
    target = _rows(keyed)[4]
    _rewrite_and_rechain(keyed, 4, "row 4 (quietly edited)", key=None)
    code, said = _verify(keyed, capsys)
    assert code == 1
    assert said.startswith(f"BROKEN at entry {target.id}:")
    assert "without AUDIT_KEY" in said


def test_a_rewritten_and_rechained_log_fails_against_the_anchor_even_with_the_key(
    keyed: sa.Engine, capsys
) -> None:
    url = keyed.url.render_as_string(hide_password=False)
    _log(keyed, 8)
    assert cli.main(["--database-url", url, "audit", "anchor"]) == 0
    assert "Anchored in" in capsys.readouterr().out
    # Someone who also holds the key (or a log from before the key): the chain fits again...
    _rewrite_and_rechain(keyed, 4, "row 4 (quietly edited)", key=KEY)
    assert verify_chain(engine=keyed, anchor_file=Path("/nonexistent/none")).broken_id is None
    # ...but the anchor written outside the database does not.
    code, said = _verify(keyed, capsys)
    assert code == 1
    assert "no longer has the hash anchored" in said and "rewritten" in said


def test_a_truncated_tail_fails_against_the_anchor(keyed: sa.Engine, capsys) -> None:
    url = keyed.url.render_as_string(hide_password=False)
    _log(keyed, 6)
    assert cli.main(["--database-url", url, "audit", "anchor"]) == 0
    capsys.readouterr()
    newest = _rows(keyed)[-1].id  # the audit_anchored entry the anchor names
    with keyed.begin() as connection:
        connection.execute(sa.delete(AuditLogEntry).where(AuditLogEntry.id >= newest - 1))
    assert verify_chain(engine=keyed, anchor_file=Path("/nonexistent/none")).broken_id is None
    code, said = _verify(keyed, capsys)
    assert code == 1
    assert f"names entry {newest}" in said and "deleted from the end" in said


def test_the_anchor_file_holds_one_line_per_anchor(keyed: sa.Engine, tmp_path: Path) -> None:
    _log(keyed, 2)
    first = audit_log.write_anchor(engine=keyed, reason="test")
    _log(keyed, 1, start=2)
    second = audit_log.write_anchor(engine=keyed, reason="board pack 2025-26 Q2")
    lines = (tmp_path / "anchors" / "audit.anchor").read_text().splitlines()
    assert [json.loads(line)["entry"] for line in lines] == [first.entry_id, second.entry_id]
    assert json.loads(lines[1])["hash"] == _rows(keyed)[-1].entry_hash
    report = verify_chain(engine=keyed)
    assert report.ok and report.anchors_checked == 2


def test_entries_from_before_the_key_verify_as_unkeyed(
    store: sa.Engine, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.delenv("AUDIT_KEY", raising=False)
    monkeypatch.delenv("AUDIT_ANCHOR_FILE", raising=False)
    _log(store, 3)
    monkeypatch.setenv("AUDIT_KEY", KEY)
    _log(store, 2, start=3)
    rows = _rows(store)
    report = verify_chain(engine=store)
    assert report.ok and report.unkeyed == 3 and report.keyed_from == rows[3].id
    code, said = _verify(store, capsys)
    assert code == 0
    assert f"entries from {rows[3].id} on are keyed with AUDIT_KEY; the 3 before it" in said
    assert "no anchor file is configured" in said
    # Verified without the key, the keyed entries cannot be checked: said, not passed.
    monkeypatch.delenv("AUDIT_KEY")
    report = verify_chain(engine=store)
    assert report.broken_id == rows[3].id and "AUDIT_KEY is not set here" in (report.problem or "")


def test_anchor_refuses_without_a_file_or_on_a_broken_log(
    store: sa.Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    monkeypatch.delenv("AUDIT_ANCHOR_FILE", raising=False)
    monkeypatch.setenv("AUDIT_KEY", KEY)
    url = store.url.render_as_string(hide_password=False)
    _log(store, 3)
    assert cli.main(["--database-url", url, "audit", "anchor"]) == 2
    assert "AUDIT_ANCHOR_FILE" in capsys.readouterr().err
    with store.begin() as connection:
        connection.execute(sa.update(AuditLogEntry).values(detail="edited"))
    target = tmp_path / "anchor.jsonl"
    assert cli.main(["--database-url", url, "audit", "anchor", "--anchor-file", str(target)]) == 1
    assert "not anchored" in capsys.readouterr().err
    assert not target.exists()
