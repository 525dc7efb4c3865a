"""The schools and colleges list import (issue 29): new codes added, changed ones updated, an
unknown locality or duty refused with its sentence and the store unchanged, audit logged with the
file's checksum."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import education_settings_import as imp
from data_access.models import AuditLogEntry, EducationSetting
from tests.support.education_seed import seed_education


def _csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows, columns=list(imp.COLUMNS)).fillna("").to_csv(index=False).encode()


def _settings(store: sa.Engine) -> dict[str, tuple]:
    with store.connect() as c:
        return {
            code: rest
            for code, *rest in c.execute(
                sa.select(
                    EducationSetting.code,
                    EducationSetting.name,
                    EducationSetting.phase,
                    EducationSetting.duty,
                    EducationSetting.active,
                )
            ).all()
        }


@pytest.fixture
def seeded(store: sa.Engine) -> sa.Engine:
    seed_education(store)
    return store


def test_adds_new_and_updates_changed_settings(seeded: sa.Engine) -> None:
    data = _csv(
        [
            {
                "Code": "2001",
                "Name": "Gorse Academy",
                "Phase": "Secondary school",
                "Duty": "157",
                "Locality code": "n",
                "Active": "yes",
            },
            {
                "Code": "1001",
                "Name": "Ash Primary School",
                "Phase": "primary",
                "Duty": "section 175",
                "Locality code": "N",
                "Active": "no",
            },
            {
                "Code": "1002",
                "Name": "Beech Academy",
                "Phase": "secondary",
                "Duty": "S157",
                "Locality code": "N",
                "Active": "",
            },
        ]
    )
    loaded = imp.load_settings(
        engine=seeded, data=data, file_name="settings.csv", loaded_by="admin", page="cli"
    )
    assert (loaded.added, loaded.updated, loaded.unchanged) == (1, 1, 1)
    settings = _settings(seeded)
    assert settings["2001"] == ["Gorse Academy", "secondary", "section_157", True]
    assert settings["1001"][3] is False
    with seeded.connect() as c:
        detail = c.scalar(
            sa.select(AuditLogEntry.detail).where(
                AuditLogEntry.event == "education_settings_loaded"
            )
        )
    assert hashlib.sha256(data).hexdigest() in str(detail)
    assert "1 added (2001), 1 updated (1001)" in str(detail)


def test_unknown_locality_duty_and_phase_are_refused_and_nothing_changes(seeded: sa.Engine) -> None:
    before = _settings(seeded)
    data = _csv(
        [
            {
                "Code": "2001",
                "Name": "Gorse Academy",
                "Phase": "Secondary school",
                "Duty": "11",
                "Locality code": "ZZ",
                "Active": "yes",
            },
            {
                "Code": "1001",
                "Name": "Ash Primary School",
                "Phase": "nursery",
                "Duty": "175",
                "Locality code": "",
                "Active": "no",
            },
        ]
    )
    with pytest.raises(imp.ImportProblem) as caught:
        imp.load_settings(engine=seeded, data=data, file_name="s.csv", loaded_by="a", page=None)
    assert caught.value.problems == [
        "Row 2: the duty is 175 (maintained schools and colleges) or 157 (academies and "
        "independent schools), not '11'.",
        "Row 2: there is no locality with the code 'ZZ'; use a code from the localities list "
        "or leave it blank.",
        "Row 3: the phase 'nursery' is not one of Primary school, Secondary school, All-through "
        "school, Special school, Alternative provision, College.",
    ]
    assert _settings(seeded) == before


def test_a_name_held_by_another_code_and_formulas_are_refused(seeded: sa.Engine) -> None:
    data = _csv(
        [
            {"Code": "2001", "Name": "Ash Primary School", "Phase": "primary", "Duty": "175"},
            {"Code": "2002", "Name": "=cmd|' /C calc'!A0", "Phase": "primary", "Duty": "175"},
        ]
    )
    with pytest.raises(imp.ImportProblem) as caught:
        imp.load_settings(engine=seeded, data=data, file_name="s.csv", loaded_by="a", page=None)
    assert caught.value.problems[0].startswith("Row 3: the 'Name' cell holds a formula")
    assert (
        "The name 'Ash Primary School' belongs to setting 1001; give 2001 its own name or use "
        "code 1001." in caught.value.problems
    )
    assert "2001" not in _settings(seeded)
