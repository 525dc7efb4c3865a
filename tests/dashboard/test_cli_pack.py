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
    writable_sample_store: sa.Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from data_access.indicators import periods_with_data

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
) -> None:  # type: ignore[no-untyped-def]
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
