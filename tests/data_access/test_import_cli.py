"""`qa-dashboard template | import | submissions list | rollback` against a store."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.cli import main
from data_access import audit_log
from data_access.db import session_scope
from data_access.users import create_user
from tests.support.import_corpus import csv_bytes, good_rows, seed_reference


@pytest.fixture
def cli_store(store: sa.Engine) -> str:
    seed_reference(store)
    # `--as` must name an active account that may load returns.
    with session_scope(store) as session:
        create_user(session, "jo.cli", "Jo", "qa_officer", "a long enough password")
        create_user(session, "exec.cli", "Exec", "executive", "a long enough password")
    return store.url.render_as_string(hide_password=False)


@pytest.mark.parametrize(
    ("who", "why"), [("ghost", "no account"), ("exec.cli", "has the role executive")]
)
def test_import_and_rollback_as_someone_who_may_not_are_refused(
    cli_store: str, tmp_path: Path, who: str, why: str, capsys
) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(good_rows()))
    assert run(cli_store, "import", str(good), "--as", who) == 2
    assert why in capsys.readouterr().out
    assert run(cli_store, "rollback", "1", "--as", who) == 2
    assert why in capsys.readouterr().out


def run(url: str, *args: str) -> int:
    return main(["--database-url", url, *args])


def test_template_import_list_rollback(cli_store: str, tmp_path: Path, capsys) -> None:
    template = tmp_path / "police.xlsx"
    assert (
        run(
            cli_store,
            "template",
            "--agency",
            "POLICE",
            "--period",
            "2025/26 Q2",
            "--format",
            "xlsx",
            "-o",
            str(template),
        )
        == 0
    )
    assert template.read_bytes().startswith(b"PK")

    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(good_rows()))
    assert run(cli_store, "import", str(good), "--as", "jo.cli", "--dry-run") == 0
    assert "Dry run: nothing was loaded." in capsys.readouterr().out

    assert run(cli_store, "import", str(good), "--agency", "POLICE", "--as", "jo.cli") == 0
    out = capsys.readouterr().out
    assert "Loaded submission 1: 5 new and 0 changed" in out
    assert run(cli_store, "import", str(good), "--as", "jo.cli") == 0
    assert "This file was already loaded on" in capsys.readouterr().out

    assert run(cli_store, "submissions", "list") == 0
    listing = capsys.readouterr().out
    assert "good.csv" in listing and "jo.cli" in listing and "POLICE" in listing

    assert run(cli_store, "rollback", "1", "--as", "jo.cli") == 0
    assert "Submission 1 was rolled back" in capsys.readouterr().out
    assert run(cli_store, "rollback", "1", "--as", "jo.cli") == 1
    assert "already rolled back" in capsys.readouterr().out
    from data_access.db import engine_for

    events = audit_log.recent_entries(engine=engine_for(cli_store))
    assert {"import", "rollback"} <= set(events["event"])
    assert set(events.loc[events["event"] == "import", "page"]) == {"cli"}


def test_import_with_errors_loads_nothing_unless_valid_only(
    cli_store: str, tmp_path: Path, capsys
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([*good_rows(), ["NOPE", "2025-26 Q2", "", "", 1, "", "", "", ""]]))
    report = tmp_path / "report.csv"
    assert run(cli_store, "import", str(bad), "--as", "jo.cli", "--report", str(report)) == 1
    out = capsys.readouterr().out
    assert "Unknown indicator code" in out and "Nothing was loaded" in out
    assert "Unknown indicator code" in report.read_text()
    assert run(cli_store, "import", str(bad), "--as", "jo.cli", "--valid-only") == 0
    assert "5 new" in capsys.readouterr().out


def test_unreadable_file_and_unknown_agency(cli_store: str, tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really")
    assert run(cli_store, "import", str(junk), "--as", "jo.cli") == 1
    assert "could not be opened" in capsys.readouterr().out
    assert run(cli_store, "import", str(tmp_path / "missing.csv"), "--as", "jo.cli") == 2
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(good_rows()))
    assert (
        run(cli_store, "import", str(good), "--agency", "NOPE", "--as", "jo.cli", "--dry-run") == 0
    )
    assert "There is no agency with code 'NOPE'" in capsys.readouterr().out
    assert (
        run(
            cli_store,
            "template",
            "--agency",
            "NOPE",
            "--period",
            "2025-26 Q2",
            "-o",
            str(tmp_path / "t.csv"),
        )
        == 2
    )
    assert "no agency" in capsys.readouterr().out


def test_unusual_figures_need_confirm_outliers(cli_store: str, tmp_path: Path, capsys) -> None:
    history = tmp_path / "history.csv"
    history.write_bytes(
        csv_bytes(
            [
                ["MASH_CONTACTS", q, "", "", 700, "", "", "", ""]
                for q in ("2024-25 Q3", "2024-25 Q4", "2025-26 Q1")
            ]
        )
    )
    assert run(cli_store, "import", str(history), "--as", "jo.cli") == 0
    capsys.readouterr()
    slipped = tmp_path / "slipped.csv"
    slipped.write_bytes(csv_bytes([["MASH_CONTACTS", "2025-26 Q2", "", "", 7000, "", "", "", ""]]))
    assert run(cli_store, "import", str(slipped), "--as", "jo.cli") == 1
    out = capsys.readouterr().out
    assert "Unusual figures held for confirmation (1)" in out
    assert "10 times the usual level" in out and "--confirm-outliers" in out
    assert "Nothing was loaded" in out
    assert run(cli_store, "import", str(slipped), "--as", "jo.cli", "--confirm-outliers") == 0
    assert "1 unusual figure(s) were confirmed and loaded" in capsys.readouterr().out


def test_the_template_file_extension_chooses_its_format(
    cli_store: str, tmp_path: Path, capsys
) -> None:
    base = ["template", "--agency", "POLICE", "--period", "2025-26 Q2"]
    as_csv = tmp_path / "x.csv"
    assert run(cli_store, *base, "-o", str(as_csv)) == 0
    assert not as_csv.read_bytes().startswith(b"PK")
    assert as_csv.read_text(encoding="utf-8-sig").startswith("indicator_code")
    as_xlsx = tmp_path / "x.xlsx"
    assert run(cli_store, *base, "-o", str(as_xlsx)) == 0
    assert as_xlsx.read_bytes().startswith(b"PK")  # an XLSX is a zip
    bare = tmp_path / "template"  # no extension: XLSX, as before
    assert run(cli_store, *base, "-o", str(bare)) == 0 and bare.read_bytes().startswith(b"PK")
    capsys.readouterr()
    # --format that disagrees with the extension, or an extension of neither: nothing written.
    for name, extra in (("y.csv", ["--format", "xlsx"]), ("y.xlsx", ["--format", "csv"])):
        assert run(cli_store, *base, "-o", str(tmp_path / name), *extra) == 2
        said = capsys.readouterr().out
        assert f"{name} ends" in said and "Nothing was written" in said
        assert not (tmp_path / name).exists()
    assert run(cli_store, *base, "-o", str(tmp_path / "y.txt")) == 2
    assert "only files ending .csv or .xlsx" in capsys.readouterr().out
    assert not (tmp_path / "y.txt").exists()
