"""People belong to agencies: an agency submitter loads its own agencies' rows (and the
partnership-wide rows its template carries), is refused any other row naming it - in the
preview, on the server and from the command line - rolls back only its own submissions, and the
audit log names who loaded what for whom. A QA officer still loads for anyone."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard import cli
from data_access import submissions, user_agencies, users
from data_access.db import session_scope
from data_access.importer import check_file, load_checked, rollback_submission
from data_access.importer.loading import ImportRefused
from data_access.importer.rollback import RollbackError
from data_access.models import AuditLogEntry
from tests.support.import_corpus import PERIOD, TODAY, csv_bytes, seed_reference, snapshot

PASSWORD = "a long enough password"
OWN = ["TR_LEARNERS", PERIOD, "POLICE", "", 45, "", "", "", ""]
LEAD = ["CS_CAWN_ISSUED", PERIOD, "", "", 12, "", "", "", ""]  # police lead the partnership figure
OTHER = ["TR_LEARNERS", PERIOD, "ICB", "", 30, "", "", "", ""]
NOT_THEIRS = ["MASH_CONTACTS", PERIOD, "", "", 2400, "", "", "", ""]  # the council's figure


@pytest.fixture
def people(store: sa.Engine) -> sa.Engine:
    seed_reference(store)
    with session_scope(store) as session:
        users.create_user(session, "pat.police", "Pat", "agency_submitter", PASSWORD)
        users.create_user(session, "quinn.qa", "Quinn", "qa_officer", PASSWORD)
        user_agencies.set_agencies(session, "pat.police", ["police"], actor="ann.admin")
    return store


def _check(engine: sa.Engine, rows: list[list[object]], user: str = "pat.police"):
    with session_scope(engine) as session:
        scope = user_agencies.scope_for(session, user)
    return check_file(
        engine=engine, file_name="r.csv", data=csv_bytes(rows), today=TODAY, scope=scope
    )


def test_links_are_kept_and_logged(people: sa.Engine) -> None:
    with session_scope(people) as session:
        assert user_agencies.agency_codes(session, "pat.police") == ["POLICE"]
        with pytest.raises(users.UserError, match="no agency with code NOPE"):
            user_agencies.set_agencies(session, "pat.police", ["NOPE"])
    with people.connect() as connection:
        entry = connection.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.detail).where(
                AuditLogEntry.event == "user_agencies_changed"
            )
        ).one()
    assert tuple(entry) == ("ann.admin", "pat.police: none -> POLICE")


def test_a_submitter_loads_its_own_rows_and_the_audit_log_names_whom_for(
    people: sa.Engine,
) -> None:
    checked = _check(people, [OWN, LEAD])
    assert checked.can_load_all, checked.report.to_dict("records")
    result = load_checked(engine=people, checked=checked, username="pat.police")
    assert result.new == 2
    with people.connect() as connection:
        user, detail = connection.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.detail).where(
                AuditLogEntry.event == "import"
            )
        ).one()
    assert user == "pat.police"
    assert detail.endswith("2 new, 0 changed, 0 unchanged; for POLICE, the partnership")


@pytest.mark.parametrize(
    ("row", "says"),
    [
        (OTHER, "This row is for ICB, and pat.police is linked only to POLICE"),
        (NOT_THEIRS, "This row is a partnership-wide figure that POLICE does not return"),
    ],
)
def test_a_row_for_another_agency_is_refused_naming_the_row(
    people: sa.Engine, row: list[object], says: str
) -> None:
    checked = _check(people, [OWN, row])
    errors = checked.report[checked.report["severity"] == "error"]
    assert list(errors["row"]) == [3]
    assert errors["problem"].iat[0].startswith(says)
    assert not checked.can_load_all
    before = snapshot(people)
    with pytest.raises(ImportRefused):
        load_checked(engine=people, checked=checked, username="pat.police")
    assert snapshot(people) == before


def test_the_server_refuses_a_file_checked_without_the_scope(people: sa.Engine) -> None:
    # A preview made for someone else (or before the links changed) is checked again on loading.
    checked = check_file(
        engine=people, file_name="r.csv", data=csv_bytes([OWN, OTHER]), today=TODAY
    )
    assert checked.can_load_all
    before = snapshot(people)
    with pytest.raises(ImportRefused, match="row 3 is for ICB, and pat.police may load"):
        load_checked(engine=people, checked=checked, username="pat.police")
    assert snapshot(people) == before


def test_a_qa_officer_still_loads_for_anyone(people: sa.Engine) -> None:
    checked = _check(people, [OWN, OTHER, NOT_THEIRS], user="quinn.qa")
    assert checked.can_load_all
    assert load_checked(engine=people, checked=checked, username="quinn.qa").new == 3


def test_a_submitter_rolls_back_only_its_own(people: sa.Engine) -> None:
    theirs = _check(people, [OTHER], user="quinn.qa")
    other_id = load_checked(engine=people, checked=theirs, username="quinn.qa").submission_id
    mine = _check(people, [OWN])
    own_id = load_checked(engine=people, checked=mine, username="pat.police").submission_id
    assert other_id is not None and own_id is not None
    with pytest.raises(RollbackError, match="loaded by quinn.qa; an agency submitter may roll"):
        rollback_submission(engine=people, submission_id=other_id, username="pat.police")
    rollback_submission(engine=people, submission_id=own_id, username="pat.police")
    listing = submissions.list_submissions(engine=people, submitted_by="pat.police")
    assert list(listing["status"]) == ["rolled_back"]


def test_a_submitter_with_no_agency_may_load_nothing(people: sa.Engine) -> None:
    with session_scope(people) as session:
        user_agencies.set_agencies(session, "pat.police", [])
    checked = _check(people, [OWN])
    assert not checked.can_load_all
    assert "linked only to no agency" in checked.report["problem"].iat[0]


def test_the_command_line_checks_import_as_against_the_file(
    people: sa.Engine, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = people.url.render_as_string(hide_password=False)
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(csv_bytes([OWN, OTHER]))
    base = ["--database-url", url]
    assert cli.main([*base, "import", str(mixed), "--as", "pat.police"]) == 1
    out = capsys.readouterr().out
    assert "This row is for ICB, and pat.police is linked only to POLICE" in out
    own = tmp_path / "own.csv"
    own.write_bytes(csv_bytes([OWN]))
    assert cli.main([*base, "import", str(own), "--as", "pat.police"]) == 0
    # user add --agency links the new account.
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        cli.main(
            [
                *base,
                "user",
                "add",
                "sam.icb",
                "--name",
                "Sam",
                "--role",
                "agency_submitter",
                "--agency",
                "ICB",
                "--agency",
                "schools",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert "linked to ICB, SCHOOLS" in capsys.readouterr().out
    with session_scope(people) as session:
        assert user_agencies.agency_codes(session, "sam.icb") == ["ICB", "SCHOOLS"]
    assert cli.main([*base, "user", "list"]) == 0
    listed = capsys.readouterr().out
    assert "ICB, SCHOOLS" in listed and "agencies" in listed


def test_the_migrated_store_takes_the_new_role_and_still_refuses_others(people: sa.Engine) -> None:
    insert = sa.text(
        "INSERT INTO app_user (username, display_name, password_hash, role, active, "
        "failed_attempts, is_demo, created_at) VALUES "
        "(:u, 'X', 'x', :role, true, 0, false, CURRENT_TIMESTAMP)"
    )
    with people.begin() as connection:
        connection.execute(insert, {"u": "new.one", "role": "agency_submitter"})
    with pytest.raises(sa.exc.IntegrityError), people.begin() as connection:
        connection.execute(insert, {"u": "odd.one", "role": "nobody"})
