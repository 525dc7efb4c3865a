"""`qa-dashboard pack`: generate, list, fetch the exact bytes; an impossible pack is explained."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard import cli
from data_access import board_packs
from data_access.db import session_scope
from data_access.users import create_user


def _url(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_pack_generate_list_and_fetch(
    writable_sample_store: sa.Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from data_access.indicators import periods_with_data

    monkeypatch.setenv("DEMO_MODE", "1")  # qa.demo acts only in demo mode (issue 30)

    url = _url(writable_sample_store)
    quarter = str(periods_with_data(engine=writable_sample_store)["code"].iloc[-1])
    out = tmp_path / "pack.pptx"
    assert (
        cli.main(
            ["--database-url", url, "pack", "--period", quarter, "-o", str(out), "--as", "qa.demo"]
        )
        == 0
    )
    assert out.read_bytes()[:2] == b"PK"  # a PPTX is a zip
    packs = board_packs.list_packs(engine=writable_sample_store)
    assert len(packs) == 1 and packs.iloc[0]["file_format"] == "pptx"
    assert cli.main(["--database-url", url, "pack", "--list"]) == 0
    assert packs.iloc[0]["checksum"] in capsys.readouterr().out
    again = tmp_path / "again.pptx"
    assert (
        cli.main(
            [
                "--database-url",
                url,
                "pack",
                "--fetch",
                str(int(packs.iloc[0]["id"])),
                "-o",
                str(again),
            ]
        )
        == 0
    )
    assert again.read_bytes() == out.read_bytes()


def test_pack_on_an_empty_store_explains(
    store: sa.Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pack.pdf"
    with session_scope(store) as session:
        create_user(session, "qa.officer", "QA Officer", "qa_officer", "a long enough password")
    code = cli.main(
        [
            "--database-url",
            _url(store),
            "pack",
            "--period",
            "2025-26 Q2",
            "-o",
            str(out),
            "--as",
            "qa.officer",
        ]
    )
    assert code == 1 and not out.exists()
    assert "cannot be made yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("who", "why"), [("nobody.here", "no account"), ("young.one", "has the role youth_council")]
)
def test_pack_as_someone_who_may_not_is_refused(
    store: sa.Engine, tmp_path: Path, who: str, why: str, capsys
) -> None:
    with session_scope(store) as session:
        create_user(session, "young.one", "Young One", "youth_council", "a long enough password")
    out = tmp_path / "pack.pdf"
    code = cli.main(
        [
            "--database-url",
            _url(store),
            "pack",
            "--period",
            "2025-26 Q2",
            "-o",
            str(out),
            "--as",
            who,
        ]
    )
    assert code == 2 and not out.exists()
    assert why in capsys.readouterr().out


def test_pack_without_as_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The refusal comes before the store is opened or a pack is built (it took 29 s once)."""
    from dashboard.board_pack import generate
    from dashboard.cli import pack

    def no_work(*_: object, **__: object) -> None:
        raise AssertionError("work began before the command line was checked")

    monkeypatch.setattr(generate, "generate_packs", no_work)
    monkeypatch.setattr(pack, "engine_from", no_work)
    out = tmp_path / "pack.pdf"
    assert cli.main(["pack", "--period", "2025-26 Q2", "-o", str(out)]) == 2
    said = capsys.readouterr().out
    assert "give --as USER" in said and "the account generating it" in said
    assert not out.exists()
    # An extension that disagrees with --format, or that names no pack format: refused too.
    for name, extra in (("pack.pdf", ["--format", "pptx"]), ("pack.docx", [])):
        args = ["pack", "--period", "2025-26 Q2", "-o", str(tmp_path / name), "--as", "qa.demo"]
        assert cli.main([*args, *extra]) == 2
        assert "Error:" in capsys.readouterr().out
        assert not (tmp_path / name).exists()


def test_pack_help_says_as_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["pack", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--as USER" in text.split("options:")[0]  # in the usage line
    assert "required to generate: the account generating the pack" in text
