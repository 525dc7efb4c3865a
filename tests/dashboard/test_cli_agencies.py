"""`qa-dashboard localities load` and `agencies load`: a fresh store set up from two CSV files,
checked against --as, all or nothing, then a template made for a loaded agency."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from dashboard import cli
from data_access import agencies, users
from data_access.db import engine_for, session_scope
from data_access.models import AuditLogEntry


def test_a_fresh_store_is_set_up_from_the_command_line(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"
    assert cli.main(["--database-url", url, "init-db"]) == 0
    engine = engine_for(url)
    with session_scope(engine) as session:
        users.create_user(session, "ann.admin", "Ann Admin", "admin", "a long enough password")
        users.create_user(session, "quinn.qa", "Quinn", "qa_officer", "a long enough password")
    places = tmp_path / "localities.csv"
    places.write_text("code,name,child_population\nNORTH,North,12000\n", encoding="utf-8")
    bodies = tmp_path / "agencies.csv"
    bodies.write_text("code,name,sector,locality_code\nPOLICE,Police,police,\n", encoding="utf-8")
    capsys.readouterr()

    base = ["--database-url", url]
    # --as must name an administrator: a QA officer may not change the agency list.
    assert cli.main([*base, "agencies", "load", str(bodies), "--as", "quinn.qa"]) == 2
    assert "this needs one of: admin" in capsys.readouterr().out
    assert agencies.list_agencies(engine=engine).empty

    assert cli.main([*base, "localities", "load", str(places), "--as", "ann.admin"]) == 0
    assert cli.main([*base, "agencies", "load", str(bodies), "--as", "ann.admin"]) == 0
    assert "1 agency(s) added (POLICE)" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,sector\nHUB,Hub,fire service\nHUB,Hub 2,health\n", encoding="utf-8")
    assert cli.main([*base, "agencies", "load", str(bad), "--as", "ann.admin"]) == 1
    out = capsys.readouterr().out
    assert "Nothing was loaded: 2 problem(s) in bad.csv." in out
    assert "Not a sector." in out and "The code HUB is also on row 2." in out
    assert list(agencies.list_agencies(engine=engine)["code"]) == ["POLICE"]

    template = tmp_path / "police.csv"
    assert (
        cli.main(
            [*base, "template", "--agency", "POLICE", "--period", "2025-26 Q2", "-o", str(template)]
        )
        == 0
    )
    assert template.read_text(encoding="utf-8-sig").count(",POLICE,") >= 2
    with engine.connect() as connection:
        events = connection.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.event).where(
                AuditLogEntry.event.like("%loaded")
            )
        ).all()
    assert [tuple(e) for e in events] == [
        ("ann.admin", "localities_loaded"),
        ("ann.admin", "agencies_loaded"),
    ]
