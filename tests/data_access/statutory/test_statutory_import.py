"""Loading a statutory return into the store, on SQLite and PostgreSQL: the census year's annual
and quarterly figures, the submission's collection, year and checksum, the comparison with the
stored figure, rollback, bad files leaving the store unchanged, the command line, and no child
identifier anywhere the product writes."""

from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.cli import main
from data_access.db import session_scope
from data_access.importer import check_file, load_checked, rollback_submission
from data_access.importer.loading import ImportRefused
from data_access.models import (
    AuditLogEntry,
    Base,
    Indicator,
    IndicatorValue,
    ReportingPeriod,
    StatutoryReturn,
    Submission,
)
from data_access.statutory import StatutoryFileProblem, importing
from data_access.users import create_user
from sample_data.census import census_xml, random_children
from tests.support.census_cases import hand_built

FIXTURES = Path(__file__).parents[2] / "fixtures" / "statutory"
REF = dt.date(2025, 3, 31)
TODAY = dt.date(2026, 11, 23)


def _hand_built() -> bytes:
    return census_xml(hand_built(), REF)


def current(engine: sa.Engine) -> dict[tuple[str, str], float]:
    with session_scope(engine) as session:
        rows = session.execute(
            sa.select(Indicator.code, ReportingPeriod.code, IndicatorValue.value)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
            .where(IndicatorValue.is_current.is_(True))
        ).all()
    return {(code, period): float(value) for code, period, value in rows}


def counts(engine: sa.Engine) -> tuple[int, ...]:
    with session_scope(engine) as session:
        return tuple(
            session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
            for table in (IndicatorValue, Submission, StatutoryReturn, AuditLogEntry)
        )


def test_a_census_loads_the_years_figures_and_rolls_back(store: sa.Engine) -> None:
    data = _hand_built()
    checked = importing.check(
        engine=store, file_name="cin.xml", data=data, population=8000, today=TODAY
    )
    assert checked.collection == "cin" and checked.year_code == "2024-25" and checked.can_load
    result = importing.load(
        engine=store, statutory=checked, username="qa.officer", confirm_outliers=True
    )
    stored = current(store)
    y = "2024-25"
    assert stored[("STAT_REFERRALS", y)] == 4
    assert stored[("STAT_REFERRAL_RATE", y)] == 5.0
    assert stored[("STAT_REREFERRALS_12M", y)] == 25.0
    assert stored[("STAT_CIN_COUNT", y)] == 4
    assert stored[("STAT_ASSESSMENTS_45WD", y)] == 66.7
    assert stored[("STAT_CP_COUNT", y)] == 3
    assert stored[("STAT_CP_EMOTIONAL", y)] == 1 and stored[("STAT_CP_NEGLECT", y)] == 0
    assert stored[("STAT_CP_SECOND_PLAN", y)] == 66.7
    assert stored[("MASH_REFERRALS", "2024-25 Q1")] == 2
    assert stored[("MASH_REFERRALS", "2024-25 Q4")] == 0
    assert stored[("MASH_ASSESSMENTS_45WD", "2024-25 Q4")] == 50.0
    assert stored[("MASH_ICPC_15WD", "2024-25 Q3")] == 50.0
    with session_scope(store) as session:
        record = session.scalars(sa.select(StatutoryReturn)).one()
        submission = session.get(Submission, result.submission_id)
        assert submission is not None
        assert (record.submission_id, record.collection, record.year_code) == (
            result.submission_id,
            "cin",
            y,
        )
        assert record.reference_date == REF and record.children == 7
        assert record.checksum == submission.checksum == checked.checksum
    listing = importing.statutory_returns(engine=store)
    assert listing.loc[0, "year"] == y and listing.loc[0, "status"] == "loaded"
    # The same file again changes nothing, and says so.
    again = importing.check(engine=store, file_name="cin.xml", data=data, population=8000)
    assert "already loaded" in (again.checked.already_loaded_message() or "")
    assert result.submission_id is not None
    rollback_submission(engine=store, submission_id=result.submission_id, username="qa.officer")
    assert current(store) == {}


def test_the_preview_shows_the_stored_figure_and_the_difference(store: sa.Engine) -> None:
    typed = b"indicator_code,period,value\nSTAT_REFERRALS,2024-25,10\nSTAT_CP_COUNT,2024-25,3\n"
    load_checked(
        engine=store,
        checked=check_file(engine=store, file_name="typed.csv", data=typed, today=TODAY),
        username="qa.officer",
    )
    checked = importing.check(engine=store, file_name="cin.xml", data=_hand_built(), today=TODAY)
    rows = checked.comparison.set_index(["figure", "period"])
    referrals = rows.loc[("Referrals received", "2024-25")]
    assert (referrals["value"], referrals["stored"], referrals["difference"]) == (4.0, 10.0, -6.0)
    plans = rows.loc[("Children on a child protection plan at 31 March", "2024-25")]
    assert (plans["stored"], plans["difference"]) == (3.0, 0.0)
    assert "CPPstartDate" in plans["definition"]
    # Without a population, the rates say what they need and are not loaded.
    rate = rows.loc[("Referral rate per 10,000 children", "2024-25")]
    assert pd_isna(rate["value"]) and "child population" in rate["note"]
    assert "STAT_REFERRAL_RATE" not in set(checked.checked.preview["indicator_code"])


def pd_isna(value: object) -> bool:
    return value is None or value != value


def test_a_bad_census_leaves_the_store_unchanged(store: sa.Engine) -> None:
    before = counts(store)
    bad = _hand_built().replace(b"<InitialCategoryOfAbuse>PHY", b"<InitialCategoryOfAbuse>HIT")
    checked = importing.check(engine=store, file_name="bad.xml", data=bad)
    assert not checked.can_load
    assert any(
        "Child 4 in the file (LAchildID HANDA004): <InitialCategoryOfAbuse> 'HIT'" in p
        for p in checked.problems
    )
    with pytest.raises(ImportRefused, match="problem"):
        importing.load(engine=store, statutory=checked, username="qa.officer")
    with pytest.raises(StatutoryFileProblem, match="DTD"):
        importing.check(engine=store, file_name="x.xml", data=b"<!DOCTYPE x []><Message/>")
    assert counts(store) == before


def _zip_903() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((FIXTURES / "ssda903").glob("*.csv")):
            archive.write(path, path.name)
    return buffer.getvalue()


@pytest.fixture
def cli_url(store: sa.Engine) -> str:
    with session_scope(store) as session:
        create_user(session, "jo.cli", "Jo", "qa_officer", "a long enough password")
    return store.url.render_as_string(hide_password=False)


def test_every_fixture_imports_or_is_refused_clearly_from_the_command_line(
    cli_url: str, tmp_path: Path, capsys
) -> None:
    (tmp_path / "903.zip").write_bytes(_zip_903())
    outcomes = {}
    for path in [*sorted(FIXTURES.glob("*.xml")), FIXTURES / "Annex_A.xlsx", tmp_path / "903.zip"]:
        code = main(["--database-url", cli_url, "import", str(path), "--as", "jo.cli"])
        out = capsys.readouterr().out
        assert "Traceback" not in out
        outcomes[path.name] = (code, out)
    assert outcomes["903.zip"][0] == 0 and "Loaded submission" in outcomes["903.zip"][1]
    assert "Children looked after at 31 March" in outcomes["903.zip"][1]
    code, out = outcomes["Annex_A.xlsx"]
    assert code == 1 and "Annex A list 1: contacts" in out and "Nothing was loaded" in out
    for name in ("CIN_Census_2024.xml", "CIN_Census_2026.xml", "fake_CIN_data.xml"):
        code, out = outcomes[name]
        assert code == 1 and ("Child 1 in the file" in out or "Child 92" in out), name
        assert "Nothing was loaded." in out


def _dump(engine: sa.Engine, data_dir: Path) -> str:
    """Everything the store holds, as text: every row of every table (and the SQLite file)."""
    parts = []
    with session_scope(engine) as session:
        for table in Base.metadata.sorted_tables:
            parts += [repr(row) for row in session.execute(sa.select(table)).all()]
    for path in data_dir.rglob("*"):
        if path.is_file():
            parts.append(path.read_bytes().decode("latin-1"))
    return "\n".join(parts)


def test_no_child_identifier_reaches_the_store_logs_data_folder_or_temp_files(
    cli_url: str, store: sa.Engine, tmp_path: Path, monkeypatch, capsys
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir()
    log_file = tmp_path / "app.log"
    monkeypatch.setenv("QA_DASHBOARD_DATA_DIR", str(data_dir))
    monkeypatch.setattr(tempfile, "tempdir", str(temp_dir))
    handler = logging.FileHandler(log_file)
    root = logging.getLogger()
    root.addHandler(handler)
    monkeypatch.setattr(root, "level", logging.DEBUG)
    children = list(random_children(400, REF, seed=11))
    # The council's own file, named after a child in it (a council may): removed before the
    # grep, and its name must be nowhere but on the screen.
    named = f"cin_census_{children[6].child_id}_JohnSmith"
    census = data_dir / f"{named}.xml"
    census.write_bytes(census_xml(children, REF))
    try:
        code = main(
            [
                "--database-url",
                cli_url,
                "import",
                str(census),
                "--as",
                "jo.cli",
                "--population",
                "40000",
                "--confirm-outliers",
            ]
        )
        shown = capsys.readouterr().out
        # A bad census too: its messages name children on the screen, and nowhere else.
        bad = census.read_bytes().replace(
            b"<InitialCategoryOfAbuse>NEG", b"<InitialCategoryOfAbuse>BAD"
        )
        census.write_bytes(bad)
        assert main(["--database-url", cli_url, "import", str(census), "--as", "jo.cli"]) == 1
        refused = capsys.readouterr().out
    finally:
        root.removeHandler(handler)
        handler.close()
    assert code == 0, shown
    assert "LAchildID SYN" in refused  # the screen may name the child, so the council can fix it
    assert census.name in shown  # and the file's name, while it is read
    census.unlink()
    if store.dialect.name == "sqlite":
        # The store's own file, byte by byte, besides its rows.
        db_file = Path(str(store.url.database))
        extra = db_file.read_bytes().decode("latin-1")
    else:
        extra = ""
    haystack = (
        _dump(store, data_dir)
        + extra
        + log_file.read_text()
        + "".join(p.read_bytes().decode("latin-1") for p in temp_dir.rglob("*") if p.is_file())
    )
    assert current(store)[("STAT_REFERRALS", "2024-25")] > 0  # the figures are there
    # The submission and the audit log name the return by collection, year and checksum.
    with session_scope(store) as session:
        submission = session.scalars(sa.select(Submission)).one()
        audit = session.scalars(
            sa.select(AuditLogEntry.detail).where(AuditLogEntry.event == "import")
        ).one()
    label = f"children in need census 2024-25, sha256 {submission.checksum[:12]}"
    assert submission.file_name == label and label in audit
    for part in (named, "JohnSmith", children[6].child_id):
        assert part not in haystack
    identifiers = {c.child_id for c in children} | {c.upn for c in children if c.upn}
    assert len(identifiers) == 800
    leaked = sorted(i for i in identifiers if i in haystack)
    assert leaked == []


def test_the_rates_use_the_stored_child_population(store: sa.Engine) -> None:
    typed = b"indicator_code,period,value\nCHILD_POPULATION,2023-24,8000\n"
    load_checked(
        engine=store,
        checked=check_file(engine=store, file_name="population.csv", data=typed, today=TODAY),
        username="qa.officer",
    )
    checked = importing.check(engine=store, file_name="cin.xml", data=_hand_built(), today=TODAY)
    rows = checked.comparison.set_index(["figure", "period"])
    rate = rows.loc[("Referral rate per 10,000 children", "2024-25")]
    assert (rate["value"], rate["numerator"], rate["denominator"]) == (5.0, 4.0, 8000.0)
    assert any("No child population is loaded for 2024-25" in note for note in checked.notes)
    assert "STAT_REFERRAL_RATE" in set(checked.checked.preview["indicator_code"])


_GOOD = census_xml(hand_built(), REF)
_BOMB_ENTITIES = '<!ENTITY l0 "lol">' + "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
)
BAD_FILES = {
    "entity bomb": (
        f'<?xml version="1.0"?><!DOCTYPE Message [{_BOMB_ENTITIES}]><Message>&l9;</Message>'
    ).encode(),
    "not a census": b"<Return><Row>1</Row></Return>",
    "another year's shape": _GOOD.replace(b"<Sex>M</Sex>", b"<GenderCurrent>1</GenderCurrent>"),
    "impossible date": _GOOD.replace(b"<CPPendDate>2025-01-31", b"<CPPendDate>2024-01-31"),
    "unknown code": _GOOD.replace(b"<ReasonForClosure>RC8", b"<ReasonForClosure>RC99"),
    "missing element": _GOOD.replace(b"<CINreferralDate>2024-05-05</CINreferralDate>", b""),
}
SAID = {
    "entity bomb": "declares a document type (DTD) or entities",
    "not a census": "not a children in need census",
    "another year's shape": "census of another year's shape",
    "impossible date": "<CPPstartDate> and <CPPendDate>: the second date is before the first",
    "unknown code": "<ReasonForClosure> 'RC99' is not a census code",
    "missing element": "<CINdetails> has no <CINreferralDate>",
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_each_bad_file_is_refused_with_its_sentence_and_the_store_unchanged(
    store: sa.Engine, kind: str
) -> None:
    before = counts(store)
    try:
        checked = importing.check(engine=store, file_name="bad.xml", data=BAD_FILES[kind])
    except StatutoryFileProblem as refused:
        said = str(refused)
    else:
        said = " ".join(checked.problems)
        assert not checked.can_load
        with pytest.raises(ImportRefused):
            importing.load(engine=store, statutory=checked, username="qa.officer")
    assert SAID[kind] in said
    if kind not in ("entity bomb", "not a census"):
        assert "Child " in said and "in the file (LAchildID HANDA" in said
    assert counts(store) == before and current(store) == {}
