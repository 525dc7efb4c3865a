"""Each board pack anchors the audit log (issue 30): the newest entry's id and hash are appended
to AUDIT_ANCHOR_FILE and printed on the pack's last page (PDF) and last slide (PPTX), and
`audit verify` holds the log to them."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from pptx import Presentation
from pypdf import PdfReader

from dashboard.board_pack.generate import GeneratedPack, generate_packs
from data_access import audit_log
from data_access.audit_log import verify_chain
from data_access.models import AuditLogEntry
from tests.support.pack_seed import PERIOD, TODAY, seed_pack_store

KEY = "audit-key-Vq8Zr3Nw5Kp1Xy7Lm2Bt9Hd4Gf6Jc0Qs"


@pytest.fixture(scope="module")
def anchored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sa.Engine, Path, dict]]:
    from data_access import migrate
    from data_access.db import engine_for, session_scope
    from data_access.reference import sync_catalogue

    folder = tmp_path_factory.mktemp("anchor")
    engine = engine_for(f"sqlite:///{(folder / 'pack.db').as_posix()}")
    migrate.upgrade(engine)
    anchor_file = folder / "audit.anchor"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUDIT_KEY", KEY)
        patch.setenv("AUDIT_ANCHOR_FILE", str(anchor_file))
        with session_scope(engine) as session:
            sync_catalogue(session)
        seed_pack_store(engine)
        for n in range(3):
            audit_log.record_event(engine=engine, username="jo.qa", event="export", detail=str(n))
        result = generate_packs(
            engine=engine, period_code=PERIOD, generated_by="qa.demo", today=TODAY
        )
        assert isinstance(result, list), result
        packs: dict[str, GeneratedPack] = {pack.file_format: pack for pack in result}
        yield engine, anchor_file, packs
    engine.dispose()


def test_the_pack_appends_an_anchor_and_prints_it_last(anchored) -> None:
    engine, anchor_file, packs = anchored
    lines = anchor_file.read_text().splitlines()
    assert len(lines) == 1
    anchor = json.loads(lines[0])
    assert anchor["reason"] == f"board pack {PERIOD}"
    with engine.connect() as connection:
        stored = connection.scalar(
            sa.select(AuditLogEntry.entry_hash).where(AuditLogEntry.id == anchor["entry"])
        )
    assert stored == anchor["hash"]

    pdf = PdfReader(io.BytesIO(packs["pdf"].content))
    last_page = re.sub(r"\s+", "", pdf.pages[-1].extract_text() or "")
    assert f"newestaudit-logentry{anchor['entry']},hash{anchor['hash']}" in last_page

    deck = Presentation(io.BytesIO(packs["pptx"].content))
    last_slide = " ".join(
        shape.text_frame.text if shape.has_text_frame else "" for shape in deck.slides[-1].shapes
    ) + " ".join(
        cell.text
        for shape in deck.slides[-1].shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    )
    assert f"newest audit-log entry {anchor['entry']}, hash {anchor['hash']}" in last_slide


def test_verify_holds_the_log_to_the_packs_anchor(anchored, monkeypatch) -> None:
    engine, anchor_file, _ = anchored
    monkeypatch.setenv("AUDIT_KEY", KEY)
    assert verify_chain(engine=engine, anchor_file=anchor_file).ok
    entry = json.loads(anchor_file.read_text().splitlines()[0])["entry"]
    with engine.begin() as connection:
        connection.execute(sa.delete(AuditLogEntry).where(AuditLogEntry.id >= entry))
    report = verify_chain(engine=engine, anchor_file=anchor_file)
    assert not report.ok and "deleted from the end" in report.message()
