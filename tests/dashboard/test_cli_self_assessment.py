"""`qa-dashboard education-settings load` and `self-assessment load`: a school added, its audit
loaded from the template into the chosen cycle, refused for an executive and when a return is
already held, and withdrawn with `rollback` so a corrected file can take its place."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from dashboard import cli
from data_access import self_assessment, users
from data_access.db import engine_for, session_scope
from data_access.models import EducationSetting, S11Cycle, Submission
from tests.support.education_seed import seed_education


def test_settings_and_returns_are_loaded_from_the_command_line(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"
    assert cli.main(["--database-url", url, "init-db"]) == 0
    engine = engine_for(url)
    seeded = seed_education(engine)
    with session_scope(engine) as session:
        users.create_user(session, "quinn.qa", "Quinn", "qa_officer", "a long enough password")
        users.create_user(session, "eve.exec", "Eve", "executive", "a long enough password")
    base = ["--database-url", url]
    capsys.readouterr()

    settings = tmp_path / "settings.csv"
    settings.write_text(
        "Code,Name,Phase,Duty,Locality code,Active\n"
        "2001,Gorse Academy,Secondary school,157,N,yes\n",
        encoding="utf-8",
    )
    assert cli.main([*base, "education-settings", "load", str(settings), "--as", "eve.exec"]) == 2
    assert cli.main([*base, "education-settings", "load", str(settings), "--as", "quinn.qa"]) == 0
    assert "Schools and colleges: 1 added, 0 updated, 0 unchanged." in capsys.readouterr().out
    with engine.connect() as c:
        assert c.scalar(sa.select(EducationSetting.name).where(EducationSetting.code == "2001"))

    template = tmp_path / "template.csv"
    framework = ["--framework", "education_175_157"]
    assert cli.main([*base, "self-assessment", "template", str(template), *framework]) == 0
    returns = tmp_path / "returns.csv"
    returns.write_text(
        template.read_text(encoding="utf-8").replace("100001", "2001"), encoding="utf-8"
    )
    load = [*base, "self-assessment", "load", str(returns), *framework, "--cycle", "2025-26"]
    before = self_assessment.return_counts(engine=engine, cycle_id=seeded.cycle)
    assert cli.main([*load, "--as", "quinn.qa"]) == 0
    assert "Loaded 1 return(s) (13 ratings) as submission" in capsys.readouterr().out
    after = self_assessment.return_counts(engine=engine, cycle_id=seeded.cycle)
    assert (after.on_time, after.not_returned) == (before.on_time + 1, before.not_returned - 1)

    assert cli.main([*load, "--as", "quinn.qa"]) == 1
    out = capsys.readouterr().out
    assert "Nothing was loaded: 1 problem(s) in returns.csv." in out
    assert "A 2025-26 return from Gorse Academy is already held (submitted on 15 Nov 2025)" in out
    with engine.connect() as c:
        submission_id = c.scalar(sa.select(Submission.id))
    assert f"roll back submission {submission_id}" in out

    assert cli.main([*base, "rollback", str(submission_id), "--as", "quinn.qa"]) == 0
    assert "1 self-assessment return(s) withdrawn" in capsys.readouterr().out
    assert cli.main([*load, "--as", "quinn.qa"]) == 0


def test_a_new_partnership_opens_its_first_audit_and_loads_returns(tmp_path: Path, capsys) -> None:
    """Day one from the command line: an empty store, the schools list, a cycle, the returns."""
    url = f"sqlite:///{(tmp_path / 'new.db').as_posix()}"
    assert cli.main(["--database-url", url, "init-db"]) == 0
    engine = engine_for(url)
    with session_scope(engine) as session:
        users.create_user(session, "quinn.qa", "Quinn", "qa_officer", "a long enough password")
    base = ["--database-url", url]
    framework = ["--framework", "education_175_157"]
    opening = [*base, "self-assessment", "open-cycle", *framework, "--name", "2026-27"]
    opening += ["--opens", "2026-09-01", "--due", "2027-01-29", "--as", "quinn.qa"]
    capsys.readouterr()
    assert cli.main(opening) == 0
    assert "Opened schools' and colleges' safeguarding audit 2026-27" in capsys.readouterr().out
    assert cli.main(opening) == 1
    assert "already has a cycle called 2026-27" in capsys.readouterr().out
    wrong = [*opening[:-6], "--opens", "2026-09-01", "--due", "1 Sept", "--as", "quinn.qa"]
    assert cli.main(wrong) == 2
    assert "Give the dates as YYYY-MM-DD" in capsys.readouterr().out
    with engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(S11Cycle)) == 1

    settings = tmp_path / "settings.csv"
    settings.write_text(
        "Code,Name,Phase,Duty,Locality code,Active\n2001,Gorse Academy,Secondary school,157,,yes\n",
        encoding="utf-8",
    )
    assert cli.main([*base, "education-settings", "load", str(settings), "--as", "quinn.qa"]) == 0
    template = tmp_path / "template.csv"
    assert cli.main([*base, "self-assessment", "template", str(template), *framework]) == 0
    returns = tmp_path / "returns.csv"
    text = template.read_text(encoding="utf-8").replace("100001", "2001")
    returns.write_text(text.replace("15/11/2025", "15/11/2026"), encoding="utf-8")
    capsys.readouterr()
    load = [*base, "self-assessment", "load", str(returns), *framework, "--cycle", "2026-27"]
    assert cli.main([*load, "--as", "quinn.qa"]) == 0, capsys.readouterr().out
    assert "Loaded 1 return(s) (13 ratings)" in capsys.readouterr().out
