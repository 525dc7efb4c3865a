"""Setting up a partnership without SQL: agencies and localities from a CSV file, with the
importer's refusals, all or nothing and audit-logged; rename, merge, retire, never delete one
with figures; a template for a loaded agency."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import agencies
from data_access.db import session_scope
from data_access.importer import check_file, load_checked
from data_access.models import Agency, AuditLogEntry, IndicatorValue, Locality
from data_access.templates import template_frame
from tests.support.import_corpus import PERIOD, TODAY, csv_bytes, snapshot

LOCALITIES = b"code,name,child_population\nNORTH,North,12000\nSOUTH,South,15 000\n"
AGENCIES = (
    b"Code,Name,Sector,Locality\n"
    b"POLICE,Brookvale Police,police,\n"
    b"LA,Brookvale Council Children's Services,council,\n"
    b"FH-N,North Family Hub,voluntary,north\n"
)


def _load(engine: sa.Engine, kind: str, data: bytes) -> agencies.SetupLoad:
    load = agencies.load_agencies if kind == "agency" else agencies.load_localities
    return load(engine=engine, data=data, file_name=f"{kind}.csv", username="ann.admin")


def _events(engine: sa.Engine) -> list[tuple[str | None, str, str | None]]:
    with engine.connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(
                sa.select(
                    AuditLogEntry.username, AuditLogEntry.event, AuditLogEntry.detail
                ).order_by(AuditLogEntry.id)
            )
        ]


@pytest.fixture
def set_up(store: sa.Engine) -> sa.Engine:
    _load(store, "locality", LOCALITIES)
    _load(store, "agency", AGENCIES)
    return store


def test_a_fresh_store_is_set_up_from_two_files_and_a_template_is_made(set_up: sa.Engine) -> None:
    listing = agencies.list_agencies(engine=set_up)
    assert list(listing["code"]) == ["FH-N", "LA", "POLICE"]
    hub = listing.set_index("code").loc["FH-N"]
    assert (hub["sector"], hub["locality_code"], hub["active"]) == ("voluntary", "NORTH", True)
    populations = agencies.list_localities(engine=set_up).set_index("code")["child_population"]
    assert populations.to_dict() == {"NORTH": 12000, "SOUTH": 15000}
    with session_scope(set_up) as session:
        police = session.scalars(sa.select(Agency).where(Agency.code == "POLICE")).one()
        assert police.agency_type == "statutory_partner"
    events = _events(set_up)
    assert [e[:2] for e in events] == [
        ("ann.admin", "localities_loaded"),
        ("ann.admin", "agencies_loaded"),
    ]
    assert "3 added (POLICE, LA, FH-N)" in (events[1][2] or "")
    # A template is made for a loaded agency, and a return from it loads.
    frame = template_frame(engine=set_up, agency_code="police", period_code=PERIOD)
    assert len(frame) > 10 and set(frame["agency_code"]) <= {"POLICE", ""}
    frame["value"] = [5 if i == 0 else None for i in range(len(frame))]
    data = frame.to_csv(index=False).encode()
    checked = check_file(engine=set_up, file_name="p.csv", data=data, today=TODAY)
    assert checked.can_load_all, checked.report.to_dict("records")


def test_loading_the_same_file_again_changes_nothing(set_up: sa.Engine) -> None:
    before = snapshot(set_up)
    outcome = _load(set_up, "agency", AGENCIES)
    assert (outcome.added, outcome.unchanged) == ([], 3)
    assert "nothing changed" in outcome.message("agency")
    assert snapshot(set_up) == before


@pytest.mark.parametrize(
    ("rows", "row", "problem"),
    [
        (b"A1,One,police,\nA1,Two,police,\n", 3, "The code A1 is also on row 3."),
        (b"A1,One,police,\nA2,one,police,\n", 3, "The name is also on row 3."),
        (b"A1,One,fire service,\n", 2, "Not a sector."),
        (b"A1,One,police,WEST\n", 2, "There is no locality with code 'WEST'."),
        (b"A1,Brookvale Police,police,\n", 2, "The name is already used by POLICE."),
        (b"POLICE,Another Police,police,\n", 2, "There is already a agency POLICE"),
        (b"A 1,One,police,\n", 2, "A code is 1 to 20 letters"),
        (b",One,police,\n", 2, "No code."),
    ],
)
def test_a_bad_agency_file_is_refused_naming_the_row_and_loads_nothing(
    set_up: sa.Engine, rows: bytes, row: int, problem: str
) -> None:
    before = snapshot(set_up)
    data = b"code,name,sector,locality_code\nGOOD,A Good New Agency,health,\n" + rows
    with pytest.raises(agencies.SetupFileRefused) as refused:
        _load(set_up, "agency", data)
    found = refused.value.frame()
    assert ((found["row"] == row + 1) & found["problem"].str.startswith(problem)).any(), found
    assert str(refused.value).startswith("Nothing was loaded.")
    assert snapshot(set_up) == before
    with set_up.connect() as connection:
        assert connection.scalar(sa.select(Agency.id).where(Agency.code == "GOOD")) is None


def test_a_file_without_the_needed_headings_is_refused(set_up: sa.Engine) -> None:
    with pytest.raises(agencies.SetupFileRefused, match="no column sector"):
        _load(set_up, "agency", b"code,name\nX,Y\n")
    with pytest.raises(agencies.SetupFileRefused, match="not a whole number"):
        _load(set_up, "locality", b"code,name,child_population\nEAST,East,lots\n")


def _figure(engine: sa.Engine, agency: str, value: float, period: str = PERIOD) -> None:
    rows = [["TR_LEARNERS", period, agency, "", value, "", "", "", ""]]
    checked = check_file(engine=engine, file_name="f.csv", data=csv_bytes(rows), today=TODAY)
    assert checked.can_load_all, checked.report.to_dict("records")
    load_checked(engine=engine, checked=checked, username="qa.one")


def test_an_agency_with_figures_is_never_deleted_but_can_be_retired(set_up: sa.Engine) -> None:
    _figure(set_up, "POLICE", 45)
    before = snapshot(set_up)
    with pytest.raises(agencies.SetupError, match="POLICE cannot be deleted: the store holds 1"):
        agencies.delete(engine=set_up, kind="agency", code="police", username="ann.admin")
    assert snapshot(set_up) == before
    agencies.set_active(
        engine=set_up, kind="agency", code="POLICE", active=False, username="ann.admin"
    )
    assert not agencies.list_agencies(engine=set_up).set_index("code").loc["POLICE", "active"]
    # One with nothing in the store is deleted; a locality an agency names is not.
    agencies.delete(engine=set_up, kind="agency", code="LA", username="ann.admin")
    with pytest.raises(agencies.SetupError, match="NORTH cannot be deleted"):
        agencies.delete(engine=set_up, kind="locality", code="NORTH", username="ann.admin")
    assert [e[1] for e in _events(set_up)][-2:] == ["agency_retired", "agency_deleted"]


def test_rename_keeps_the_code_and_refuses_a_name_in_use(set_up: sa.Engine) -> None:
    agencies.rename(
        engine=set_up, kind="agency", code="LA", new_name="Brookvale Council", username="ann.admin"
    )
    assert agencies.list_agencies(engine=set_up).set_index("code").loc["LA", "name"] == (
        "Brookvale Council"
    )
    with pytest.raises(agencies.SetupError, match="already used by POLICE"):
        agencies.rename(
            engine=set_up,
            kind="agency",
            code="LA",
            new_name="brookvale police",
            username="ann.admin",
        )


def test_merge_moves_the_figures_and_retires_the_first(set_up: sa.Engine) -> None:
    agencies.add_agency(
        engine=set_up,
        code="POL2",
        name="Brookvale Police (old name)",
        sector="police",
        username="ann.admin",
    )
    _figure(set_up, "POL2", 30)
    moved = agencies.merge(
        engine=set_up, kind="agency", code="POL2", into="POLICE", username="ann.admin"
    )
    assert moved == 1
    with session_scope(set_up) as session:
        police_id = session.scalar(sa.select(Agency.id).where(Agency.code == "POLICE"))
        owners = set(session.scalars(sa.select(IndicatorValue.agency_id)))
        assert owners == {police_id}
        assert not session.scalars(sa.select(Agency).where(Agency.code == "POL2")).one().active
    assert _events(set_up)[-1][1:] == (
        "agency_merged",
        "POL2 into POLICE: 1 figure(s) moved; POL2 retired",
    )


def test_merge_is_refused_when_both_have_the_same_figure(set_up: sa.Engine) -> None:
    agencies.add_agency(
        engine=set_up, code="POL2", name="Other Police", sector="police", username="ann.admin"
    )
    _figure(set_up, "POL2", 30)
    _figure(set_up, "POLICE", 45)
    before = snapshot(set_up)
    with pytest.raises(agencies.SetupError, match="both have a figure for TR_LEARNERS in"):
        agencies.merge(
            engine=set_up, kind="agency", code="POL2", into="POLICE", username="ann.admin"
        )
    assert snapshot(set_up) == before


def test_localities_merge_adds_their_populations(set_up: sa.Engine) -> None:
    agencies.merge(engine=set_up, kind="locality", code="NORTH", into="SOUTH", username="ann.admin")
    with session_scope(set_up) as session:
        south = session.scalars(sa.select(Locality).where(Locality.code == "SOUTH")).one()
        assert south.child_population == 27000
        hub = session.scalars(sa.select(Agency).where(Agency.code == "FH-N")).one()
        assert hub.locality_id == south.id
