"""`settings()` is read once per process and again as soon as anything it reads changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_access import config


def test_settings_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "_read_secrets", lambda *a, **k: {})
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/first.db")
    first = config.settings()
    assert config.settings() is first  # nothing changed: the same result, not read again
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/second.db")
    assert config.settings().database_url == "sqlite:////tmp/second.db"
    monkeypatch.setenv("PARTNERSHIP_NAME", "Elsewhere Partnership")
    assert config.settings().partnership_name == "Elsewhere Partnership"
    monkeypatch.delenv("PARTNERSHIP_NAME")
    assert config.settings().partnership_name == "Brookvale Safeguarding Children Partnership"


def test_settings_follow_the_secrets_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    monkeypatch.setattr(config, "SECRETS_FILE", secrets)
    monkeypatch.setattr(config, "SECRETS_RECHECK_SECONDS", 0.0)  # no waiting for the next look
    monkeypatch.setattr(
        config,
        "_read_secrets",
        lambda *a, **k: config.tomllib.loads(secrets.read_text() if secrets.is_file() else ""),
    )
    monkeypatch.delenv("PARTNERSHIP_NAME", raising=False)
    assert config.settings().partnership_name == "Brookvale Safeguarding Children Partnership"
    secrets.write_text('PARTNERSHIP_NAME = "Filed Partnership"\n')
    assert config.settings().partnership_name == "Filed Partnership"
    secrets.write_text('PARTNERSHIP_NAME = "Refiled Partnership, longer"\n')
    assert config.settings().partnership_name == "Refiled Partnership, longer"
    secrets.unlink()
    assert config.settings().partnership_name == "Brookvale Safeguarding Children Partnership"


def test_a_replaced_secrets_reader_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARTNERSHIP_NAME", raising=False)
    monkeypatch.setattr(config, "_read_secrets", lambda *a, **k: {"PARTNERSHIP_NAME": "One"})
    assert config.settings().partnership_name == "One"
    monkeypatch.setattr(config, "_read_secrets", lambda *a, **k: {"PARTNERSHIP_NAME": "Two"})
    assert config.settings().partnership_name == "Two"
