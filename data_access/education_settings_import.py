"""Load the list of schools and colleges that return the safeguarding audit (section 175/157)
from a spreadsheet (issue 29): new codes are added, known codes updated where anything changed.

Columns: code (the DfE URN or the partnership's own), name, phase, duty (175 or 157), locality
code, active. Every row is checked and each problem said in a sentence naming its row and the
fix; nothing is written unless the whole file is right. One transaction, with an audit line
naming the file's checksum and the codes added and changed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from data_access import audit_log
from data_access.db import session_scope
from data_access.models import SETTING_PHASES, EducationSetting, Locality
from data_access.self_assessment import DUTY_WORDS, PHASE_WORDS
from data_access.sheet_rows import ImportProblem, read_rows

COLUMNS = ("Code", "Name", "Phase", "Duty", "Locality code", "Active")
REQUIRED = ("Code", "Name", "Phase", "Duty")
EXAMPLE = {
    "Code": "100001",
    "Name": "Ash Primary School",
    "Phase": "Primary school",
    "Duty": "175",
    "Locality code": "N",
    "Active": "yes",
}
_PHASES = {p.replace("_", " "): p for p in SETTING_PHASES} | {
    words.casefold(): p for p, words in PHASE_WORDS.items()
}
_DUTIES = {"175": "section_175", "157": "section_157"} | {
    words: duty
    for duty in DUTY_WORDS
    for words in (duty, duty.replace("_", " "), DUTY_WORDS[duty].casefold())
}
_YES = {"", "yes", "y", "true", "1", "open", "active"}
_NO = {"no", "n", "false", "0", "closed", "inactive"}

__all__ = ["ImportProblem", "SettingsLoaded", "load_settings", "template_bytes"]


def template_bytes(file_format: str) -> bytes:
    """The settings template with one example row: "csv" or "xlsx"."""
    table = pd.DataFrame([EXAMPLE], columns=list(COLUMNS))
    if file_format == "csv":
        return str(table.to_csv(index=False)).encode("utf-8")
    buffer = io.BytesIO()
    table.to_excel(buffer, index=False, sheet_name="Settings")
    return buffer.getvalue()


@dataclass(frozen=True)
class SettingsLoaded:
    added: int
    updated: int
    unchanged: int

    def message(self) -> str:
        return (
            f"Schools and colleges: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )


@dataclass(frozen=True)
class _Setting:
    code: str
    name: str
    phase: str
    duty: str
    locality_id: int | None
    active: bool


def _check(
    rows: list[tuple[int, dict[str, str]]], localities: dict[str, int]
) -> tuple[list[_Setting], list[str]]:
    settings: list[_Setting] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for row, cells in rows:
        here: list[str] = []
        code = cells["Code"].upper()
        if not code or len(code) > 20:
            here.append(f"Row {row}: give the setting's code (its URN), at most 20 characters.")
        elif code in seen:
            here.append(f"Row {row}: the code {code} is also on row {seen[code]}; keep one row.")
        seen.setdefault(code, row)
        name = cells["Name"]
        if not name or len(name) > 200:
            here.append(f"Row {row}: give the setting's name, at most 200 characters.")
        phase = _PHASES.get(cells["Phase"].casefold().replace("_", " "))
        if phase is None:
            here.append(
                f"Row {row}: the phase '{cells['Phase']}' is not one of "
                f"{', '.join(PHASE_WORDS.values())}."
            )
        duty_text = cells["Duty"].casefold()
        if duty_text[:1] == "s" and duty_text[1:].isdigit():
            duty_text = duty_text[1:]
        duty = _DUTIES.get(duty_text)
        if duty is None:
            here.append(
                f"Row {row}: the duty is 175 (maintained schools and colleges) or 157 "
                f"(academies and independent schools), not '{cells['Duty']}'."
            )
        locality_code = cells["Locality code"].upper()
        locality_id = localities.get(locality_code) if locality_code else None
        if locality_code and locality_id is None:
            here.append(
                f"Row {row}: there is no locality with the code '{cells['Locality code']}'; "
                "use a code from the localities list or leave it blank."
            )
        active_text = cells["Active"].casefold()
        if active_text not in _YES | _NO:
            here.append(f"Row {row}: Active is yes or no, not '{cells['Active']}'.")
        problems += here
        if not here and phase is not None and duty is not None:
            settings.append(_Setting(code, name, phase, duty, locality_id, active_text not in _NO))
    return settings, problems


def load_settings(
    *, engine: sa.Engine, data: bytes, file_name: str, loaded_by: str, page: str | None
) -> SettingsLoaded:
    """Add and update the schools and colleges of a file; ImportProblem (nothing written) if
    any row is wrong."""
    sheet = read_rows(data, file_name, COLUMNS, REQUIRED)
    with session_scope(engine) as session:
        localities = {
            str(code).upper(): int(i)
            for code, i in session.execute(sa.select(Locality.code, Locality.id)).all()
        }
        settings, problems = _check(sheet.rows, localities)
        problems = sheet.problems + problems
        stored = {s.code.upper(): s for s in session.scalars(sa.select(EducationSetting))}
        names = {s.name.casefold(): code for code, s in stored.items()}
        in_file: dict[str, str] = {}
        for item in settings:
            first = in_file.setdefault(item.name.casefold(), item.code)
            if first != item.code:
                problems.append(
                    f"The name '{item.name}' is given to both {first} and {item.code}; each "
                    "school or college has its own name."
                )
            holder = names.get(item.name.casefold())
            if holder is not None and holder != item.code:
                problems.append(
                    f"The name '{item.name}' belongs to setting {holder}; give {item.code} "
                    "its own name or use code " + holder + "."
                )
        if problems:
            raise ImportProblem(problems)
        if not settings:
            raise ImportProblem(["The file has no schools or colleges in it."])
        added: list[str] = []
        updated: list[str] = []
        for item in settings:
            old = stored.get(item.code)
            values = {
                "name": item.name,
                "phase": item.phase,
                "duty": item.duty,
                "locality_id": item.locality_id,
                "active": item.active,
            }
            if old is None:
                session.add(EducationSetting(code=item.code, **values))
                added.append(item.code)
            elif any(getattr(old, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(old, key, value)
                updated.append(item.code)
        session.flush()
        audit_log.record(
            session,
            username=loaded_by,
            event="education_settings_loaded",
            page=page,
            detail=(
                f"{file_name} (sha256 {sheet.checksum}): {len(added)} added "
                f"({', '.join(added) or 'none'}), {len(updated)} updated "
                f"({', '.join(updated) or 'none'})"
            ),
        )
    return SettingsLoaded(len(added), len(updated), len(settings) - len(added) - len(updated))
