"""Setting up a partnership without SQL: its agencies and localities, from a CSV file or one at a
time, renamed, merged, retired - never deleted while anything in the store refers to them.

Every change is one transaction with its audit-log line. A file is all or nothing: every row is
checked first, and one problem anywhere loads none of it (`SetupFileRefused` lists each problem
with its row, like the returns importer). A row identical to what the store holds is unchanged,
so loading the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log
from data_access.db import session_scope
from data_access.models import (
    AGENCY_TYPES,
    SECTORS,
    Agency,
    Base,
    Indicator,
    IndicatorValue,
    Locality,
    ReportingPeriod,
)
from data_access.queries_common import frame

_NON_WORD = re.compile(r"[^a-z0-9]+")
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")
MAX_SETUP_ROWS = 20_000
MAX_SETUP_BYTES = 2 * 1024 * 1024
# Sectors whose agencies are statutory safeguarding partners (Working Together 2023); the rest
# are relevant agencies, unless the file says otherwise.
STATUTORY_SECTORS = ("council", "health", "police")
AGENCY_FILE_COLUMNS = ("code", "name", "sector", "locality_code", "agency_type")
LOCALITY_FILE_COLUMNS = ("code", "name", "child_population")
# Headings accepted for a column besides its own name.
_HEADING_ALIASES = {"agency_code": "code", "locality": "locality_code", "type": "agency_type"}
_LOCALITY_ALIASES = {"locality_code": "code", "population": "child_population"}


class SetupError(ValueError):
    """A change to the agencies or localities that cannot be made, in one sentence."""


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet row (heading row = 1); None for the file as a whole
    column: str
    value: str
    problem: str
    what_to_do: str


class SetupFileRefused(SetupError):
    """A file of agencies or localities with problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        where = f"row {first.row}: " if first.row is not None else ""
        more = f" ({len(problems) - 1} more problem(s) listed)" if len(problems) > 1 else ""
        super().__init__(
            f"Nothing was loaded. {where}{first.problem} {first.what_to_do}{more}".strip()
        )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [vars(p) for p in self.problems],
            columns=["row", "column", "value", "problem", "what_to_do"],
        ).astype({"row": "Int64"})


@dataclass(frozen=True)
class SetupLoad:
    added: list[str]
    unchanged: int

    def message(self, kind: str) -> str:
        if not self.added:
            return f"Every {kind} in the file is already in the store; nothing changed."
        return (
            f"{len(self.added):,} {kind}(s) added ({', '.join(self.added[:10])}"
            f"{'…' if len(self.added) > 10 else ''}); {self.unchanged:,} already there."
        )


# --- Reading a file -------------------------------------------------------------------------------


def _rows(
    data: bytes, columns: tuple[str, ...], aliases: dict[str, str], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's data rows as {column: text}, with their spreadsheet row numbers."""
    if len(data) > MAX_SETUP_BYTES:
        raise SetupFileRefused(
            [Problem(None, "", "", "The file is larger than 2 MB.", "Split it into parts.")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise SetupFileRefused(
                [
                    Problem(
                        None,
                        "",
                        "",
                        "The file is not a CSV file this can read.",
                        "Save it from Excel as 'CSV UTF-8 (Comma delimited)'.",
                    )
                ]
            ) from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise SetupFileRefused(
            [Problem(None, "", "", "The file is empty.", "Add a heading row and one row each.")]
        )
    names = [_NON_WORD.sub("_", h.strip().lower()).strip("_") for h in header]
    names = [aliases.get(n, n) for n in names]
    missing = [c for c in required if c not in names]
    if missing:
        raise SetupFileRefused(
            [
                Problem(
                    None,
                    "",
                    ", ".join(header),
                    f"The heading row has no column {', '.join(missing)}.",
                    f"Use the headings {', '.join(columns)} (the last ones may be left out).",
                )
            ]
        )
    for number, cells in enumerate(reader, start=2):
        if number - 1 > MAX_SETUP_ROWS:
            raise SetupFileRefused(
                [Problem(None, "", "", "The file has too many rows.", "Split it into parts.")]
            )
        if not any(c.strip() for c in cells):
            continue
        row = {c: "" for c in columns}
        for name, cell in zip(names, cells, strict=False):
            if name in columns:
                row[name] = cell.strip()
        yield number, row


def _code_problem(number: int, code: str) -> Problem | None:
    if not code:
        return Problem(number, "code", "", "No code.", "Give each row a short code, e.g. POLICE.")
    if not CODE_PATTERN.match(code.upper()):
        return Problem(
            number,
            "code",
            code,
            "A code is 1 to 20 letters, digits, '-' or '_', starting with a letter or digit.",
            "Shorten the code or take out spaces and other characters.",
        )
    return None


def _name_problem(number: int, name: str, limit: int) -> Problem | None:
    if not name or len(name) > limit:
        return Problem(
            number, "name", name, f"A name is 1 to {limit} characters.", "Give the full name."
        )
    return None


# --- Loading files ----------------------------------------------------------------------------------


def load_localities(
    *, engine: sa.Engine, data: bytes, file_name: str, username: str, page: str | None = None
) -> SetupLoad:
    """Add the localities of a CSV file (code, name, optional child_population): all or none."""
    problems: list[Problem] = []
    rows = list(_rows(data, LOCALITY_FILE_COLUMNS, _LOCALITY_ALIASES, ("code", "name")))
    with session_scope(engine) as session:
        stored = {loc.code.upper(): loc for loc in session.scalars(sa.select(Locality))}
        names = {loc.name.casefold(): loc.code for loc in stored.values()}
        seen_codes: dict[str, int] = {}
        seen_names: dict[str, int] = {}
        new: list[Locality] = []
        unchanged = 0
        for number, row in rows:
            code, name, population_text = row["code"].upper(), row["name"], row["child_population"]
            found = [_code_problem(number, row["code"]), _name_problem(number, name, 100)]
            population = 0
            if population_text:
                cleaned = population_text.replace(",", "").replace(" ", "")
                if not cleaned.isdigit() or int(cleaned) > 10_000_000:
                    found.append(
                        Problem(
                            number,
                            "child_population",
                            population_text,
                            "The child population is not a whole number of children.",
                            "Give the number of children aged 0-17, e.g. 12000, or leave it blank.",
                        )
                    )
                else:
                    population = int(cleaned)
            found += _duplicates(number, code, name, seen_codes, seen_names)
            if code in stored:
                old = stored[code]
                if old.name != name or (population_text and old.child_population != population):
                    found.append(_already_there(number, "locality", code, old.name))
                else:
                    unchanged += 1
            elif name.casefold() in names:
                found.append(_name_taken(number, name, names[name.casefold()]))
            else:
                new.append(Locality(code=code, name=name, child_population=population, active=True))
            problems += [p for p in found if p is not None]
        if problems:
            raise SetupFileRefused(problems)
        session.add_all(new)
        _log_load(session, username, page, "localities_loaded", file_name, new, unchanged)
        return SetupLoad([loc.code for loc in new], unchanged)


def load_agencies(
    *, engine: sa.Engine, data: bytes, file_name: str, username: str, page: str | None = None
) -> SetupLoad:
    """Add the agencies of a CSV file (code, name, sector, optional locality_code and
    agency_type): all or none."""
    problems: list[Problem] = []
    rows = list(_rows(data, AGENCY_FILE_COLUMNS, _HEADING_ALIASES, ("code", "name", "sector")))
    with session_scope(engine) as session:
        stored = {a.code.upper(): a for a in session.scalars(sa.select(Agency))}
        names = {a.name.casefold(): a.code for a in stored.values()}
        localities = {loc.code.upper(): loc for loc in session.scalars(sa.select(Locality))}
        seen_codes: dict[str, int] = {}
        seen_names: dict[str, int] = {}
        new: list[Agency] = []
        unchanged = 0
        for number, row in rows:
            code, name = row["code"].upper(), row["name"]
            sector = row["sector"].lower()
            kind = row["agency_type"].lower().replace(" ", "_")
            found = [_code_problem(number, row["code"]), _name_problem(number, name, 200)]
            found.append(_sector_problem(number, row["sector"]))
            if kind and kind not in AGENCY_TYPES:
                found.append(
                    Problem(
                        number,
                        "agency_type",
                        row["agency_type"],
                        "Not an agency type.",
                        f"Use one of: {', '.join(AGENCY_TYPES)}, or leave it blank.",
                    )
                )
            locality = None
            if row["locality_code"]:
                locality = localities.get(row["locality_code"].upper())
                if locality is None:
                    found.append(_unknown_locality(number, row["locality_code"]))
            found += _duplicates(number, code, name, seen_codes, seen_names)
            if code in stored:
                old = stored[code]
                same = (
                    old.name == name
                    and old.sector == sector
                    and old.locality_id == (locality.id if locality else None)
                )
                if same:
                    unchanged += 1
                else:
                    found.append(_already_there(number, "agency", code, old.name))
            elif name.casefold() in names:
                found.append(_name_taken(number, name, names[name.casefold()]))
            elif all(p is None for p in found):
                new.append(
                    Agency(
                        code=code,
                        name=name,
                        sector=sector,
                        agency_type=kind or _default_type(sector),
                        section_175=sector == "education",
                        active=True,
                        locality_id=locality.id if locality else None,
                    )
                )
            problems += [p for p in found if p is not None]
        if problems:
            raise SetupFileRefused(problems)
        session.add_all(new)
        _log_load(session, username, page, "agencies_loaded", file_name, new, unchanged)
        return SetupLoad([a.code for a in new], unchanged)


def _default_type(sector: str) -> str:
    return "statutory_partner" if sector in STATUTORY_SECTORS else "relevant_agency"


def _sector_problem(number: int | None, sector: str) -> Problem | None:
    if sector.lower() in SECTORS:
        return None
    return Problem(
        number,
        "sector",
        sector,
        "Not a sector." if sector else "No sector.",
        f"Use one of: {', '.join(SECTORS)}.",
    )


def _unknown_locality(number: int | None, code: str) -> Problem:
    return Problem(
        number,
        "locality_code",
        code,
        f"There is no locality with code '{code}'.",
        "Load the localities first (qa-dashboard localities load), or leave it blank.",
    )


def _duplicates(
    number: int, code: str, name: str, codes: dict[str, int], names: dict[str, int]
) -> list[Problem | None]:
    found: list[Problem | None] = []
    if code and code in codes:
        found.append(
            Problem(
                number,
                "code",
                code,
                f"The code {code} is also on row {codes[code]}.",
                "Give each agency or locality its own code, once.",
            )
        )
    if name and name.casefold() in names:
        found.append(
            Problem(
                number,
                "name",
                name,
                f"The name is also on row {names[name.casefold()]}.",
                "Give each its own name, once.",
            )
        )
    codes.setdefault(code, number)
    names.setdefault(name.casefold(), number)
    return found


def _already_there(number: int, kind: str, code: str, old_name: str) -> Problem:
    return Problem(
        number,
        "code",
        code,
        f"There is already a {kind} {code} ({old_name}), with different details.",
        f"Use a new code, or change the {kind} on the Agencies and localities page.",
    )


def _name_taken(number: int, name: str, by: str) -> Problem:
    return Problem(
        number, "name", name, f"The name is already used by {by}.", "Give a name not yet used."
    )


def _log_load(
    session: so.Session,
    username: str,
    page: str | None,
    event: str,
    file_name: str,
    new: list[Agency] | list[Locality],
    unchanged: int,
) -> None:
    if not new:  # nothing changed, so nothing to record
        return
    codes = ", ".join(x.code for x in new)
    audit_log.record(
        session,
        username=username,
        event=event,
        page=page,
        detail=f"{file_name}: {len(new)} added ({codes or 'none'}); {unchanged} unchanged",
    )


# --- One at a time: add, rename, retire, merge, delete -------------------------------------------


def _agency(session: so.Session, code: str) -> Agency:
    found = session.scalar(
        sa.select(Agency).where(sa.func.upper(Agency.code) == code.strip().upper())
    )
    if found is None:
        raise SetupError(f"There is no agency with code '{code}'.")
    return found


def _locality(session: so.Session, code: str) -> Locality:
    found = session.scalar(
        sa.select(Locality).where(sa.func.upper(Locality.code) == code.strip().upper())
    )
    if found is None:
        raise SetupError(f"There is no locality with code '{code}'.")
    return found


def _one_problem(problem: Problem | None) -> None:
    if problem is not None:
        raise SetupError(f"{problem.problem} {problem.what_to_do}")


def add_agency(
    *,
    engine: sa.Engine,
    code: str,
    name: str,
    sector: str,
    username: str,
    locality_code: str | None = None,
    page: str | None = None,
) -> None:
    """Add one agency, with the same checks as a file's row."""
    code, name, sector = code.strip().upper(), name.strip(), sector.strip().lower()
    _one_problem(_code_problem(0, code))
    _one_problem(_name_problem(0, name, 200))
    _one_problem(_sector_problem(None, sector))
    with session_scope(engine) as session:
        if session.scalar(sa.select(Agency.id).where(sa.func.upper(Agency.code) == code)):
            raise SetupError(f"There is already an agency with code {code}.")
        _name_free(session, Agency, name)
        locality = _locality(session, locality_code) if locality_code else None
        session.add(
            Agency(
                code=code,
                name=name,
                sector=sector,
                agency_type=_default_type(sector),
                section_175=sector == "education",
                active=True,
                locality_id=locality.id if locality else None,
            )
        )
        audit_log.record(
            session,
            username=username,
            event="agency_added",
            page=page,
            detail=f"{code}: {name} ({sector})",
        )


def add_locality(
    *,
    engine: sa.Engine,
    code: str,
    name: str,
    username: str,
    child_population: int = 0,
    page: str | None = None,
) -> None:
    """Add one locality."""
    code, name = code.strip().upper(), name.strip()
    _one_problem(_code_problem(0, code))
    _one_problem(_name_problem(0, name, 100))
    if child_population < 0:
        raise SetupError("The child population cannot be below 0.")
    with session_scope(engine) as session:
        if session.scalar(sa.select(Locality.id).where(sa.func.upper(Locality.code) == code)):
            raise SetupError(f"There is already a locality with code {code}.")
        _name_free(session, Locality, name)
        session.add(Locality(code=code, name=name, child_population=child_population, active=True))
        audit_log.record(
            session, username=username, event="locality_added", page=page, detail=f"{code}: {name}"
        )


def _name_free(session: so.Session, model: type[Agency] | type[Locality], name: str) -> None:
    holder = session.scalar(
        sa.select(model.code).where(sa.func.lower(model.name) == name.casefold())
    )
    if holder is not None:
        raise SetupError(f"The name '{name}' is already used by {holder}.")


def rename(
    *,
    engine: sa.Engine,
    kind: str,
    code: str,
    new_name: str,
    username: str,
    page: str | None = None,
) -> None:
    """Give an agency or locality (`kind`) a new name; its code and figures stay."""
    new_name = new_name.strip()
    _one_problem(_name_problem(0, new_name, 200 if kind == "agency" else 100))
    with session_scope(engine) as session:
        item = _agency(session, code) if kind == "agency" else _locality(session, code)
        if item.name == new_name:
            raise SetupError(f"{item.code} is already called '{new_name}'.")
        _name_free(session, type(item), new_name)
        old = item.name
        item.name = new_name
        audit_log.record(
            session,
            username=username,
            event=f"{kind}_renamed",
            page=page,
            detail=f"{item.code}: {old} -> {new_name}",
        )


def set_active(
    *, engine: sa.Engine, kind: str, code: str, active: bool, username: str, page: str | None = None
) -> None:
    """Retire (or bring back) an agency or locality: its figures stay, no new template offers it."""
    with session_scope(engine) as session:
        item = _agency(session, code) if kind == "agency" else _locality(session, code)
        if item.active == active:
            raise SetupError(f"{item.code} is already {'in use' if active else 'retired'}.")
        item.active = active
        audit_log.record(
            session,
            username=username,
            event=f"{kind}_{'reactivated' if active else 'retired'}",
            page=page,
            detail=f"{item.code}: {item.name}",
        )


def _references(table_name: str) -> list[sa.Column[int]]:
    """Every column of the store that refers to a row of `table_name`."""
    return [
        fk.parent
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == table_name
    ]


def _figure_count(session: so.Session, kind: str, item_id: int) -> tuple[int, int]:
    """(figures, other records) in the store that refer to this agency or locality."""
    figures = 0
    others = 0
    for column in _references(kind):
        count = int(
            session.scalar(
                sa.select(sa.func.count()).select_from(column.table).where(column == item_id)
            )
            or 0
        )
        if column.table.name == "indicator_value":
            figures += count
        else:
            others += count
    return figures, others


def delete(
    *, engine: sa.Engine, kind: str, code: str, username: str, page: str | None = None
) -> None:
    """Delete an agency or locality that nothing in the store refers to; refuse otherwise."""
    with session_scope(engine) as session:
        item = _agency(session, code) if kind == "agency" else _locality(session, code)
        figures, others = _figure_count(session, kind, item.id)
        if figures or others:
            what = (
                f"{figures:,} figure(s)" + (f" and {others:,} other record(s)" if others else "")
                if figures
                else f"{others:,} record(s) (Section 11 returns, audits, accounts or agencies)"
            )
            raise SetupError(
                f"{item.code} cannot be deleted: the store holds {what} for it. Retire it "
                "instead (its figures stay), or merge it into another."
            )
        session.delete(item)
        audit_log.record(
            session,
            username=username,
            event=f"{kind}_deleted",
            page=page,
            detail=f"{item.code}: {item.name}",
        )


def merge(
    *, engine: sa.Engine, kind: str, code: str, into: str, username: str, page: str | None = None
) -> int:
    """Move everything that refers to agency/locality `code` to `into`, then retire `code`.

    Refused (nothing changed) when both hold a current figure for the same indicator, period and
    breakdown: which one is right is a question for a person, not this function. Returns how
    many figures moved.
    """
    try:
        with session_scope(engine) as session:
            return _merge(session, kind, code, into, username, page)
    except sa.exc.IntegrityError:
        raise SetupError(
            f"{code} and {into} both hold records that cannot be combined (for example a "
            "Section 11 return for the same cycle); nothing was changed. Remove one of them "
            "first, or retire instead of merging."
        ) from None


def _merge(
    session: so.Session, kind: str, code: str, into: str, username: str, page: str | None
) -> int:
    get = _agency if kind == "agency" else _locality
    source, target = get(session, code), get(session, into)
    if source.id == target.id:
        raise SetupError("Choose two different ones to merge.")
    column = IndicatorValue.agency_id if kind == "agency" else IndicatorValue.locality_id
    other_column = IndicatorValue.locality_id if kind == "agency" else IndicatorValue.agency_id
    mine = sa.orm.aliased(IndicatorValue)
    theirs = sa.orm.aliased(IndicatorValue)
    mine_col = getattr(mine, column.key)
    theirs_col = getattr(theirs, column.key)
    mine_other = getattr(mine, other_column.key)
    theirs_other = getattr(theirs, other_column.key)
    clash = session.execute(
        sa.select(Indicator.code, ReportingPeriod.code)
        .select_from(mine)
        .join(
            theirs,
            sa.and_(
                theirs.indicator_id == mine.indicator_id,
                theirs.period_id == mine.period_id,
                sa.func.coalesce(theirs_other, 0) == sa.func.coalesce(mine_other, 0),
                theirs_col == target.id,
                theirs.is_current.is_(True),
            ),
        )
        .join(Indicator, Indicator.id == mine.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == mine.period_id)
        .where(mine_col == source.id, mine.is_current.is_(True))
        .limit(1)
    ).first()
    if clash is not None:
        raise SetupError(
            f"{source.code} and {target.code} both have a figure for {clash[0]} in {clash[1]}; "
            "nothing was changed. Roll back or correct one of them first, then merge."
        )
    moved = 0
    for ref in _references(kind):
        if ref.table.name == "user_agency":
            # An account linked to both keeps one link.
            both = sa.select(ref.table.c.user_id).where(ref == target.id)
            session.execute(
                sa.delete(ref.table).where(ref == source.id, ref.table.c.user_id.in_(both))
            )
        result = session.execute(
            sa.update(ref.table).where(ref == source.id).values({ref.key: target.id})
        )
        if ref.table.name == "indicator_value":
            moved += int(result.rowcount or 0)  # type: ignore[attr-defined]
    session.flush()
    if isinstance(source, Locality) and isinstance(target, Locality):
        target.child_population += source.child_population
        source.child_population = 0
    source.active = False
    audit_log.record(
        session,
        username=username,
        event=f"{kind}_merged",
        page=page,
        detail=f"{source.code} into {target.code}: {moved} figure(s) moved; {source.code} retired",
    )
    return moved


# --- Lists for the page and the CLI ---------------------------------------------------------------


def list_agencies(*, engine: sa.Engine) -> pd.DataFrame:
    """Every agency with its locality and whether it is in use, by code."""
    stmt = (
        sa.select(
            Agency.code,
            Agency.name,
            Agency.sector,
            Locality.code.label("locality_code"),
            Agency.active,
        )
        .outerjoin(Locality, Locality.id == Agency.locality_id)
        .order_by(Agency.code)
    )
    return frame(engine, stmt)


def list_localities(*, engine: sa.Engine) -> pd.DataFrame:
    """Every locality with its child population and whether it is in use, by code."""
    stmt = sa.select(
        Locality.code, Locality.name, Locality.child_population, Locality.active
    ).order_by(Locality.code)
    return frame(engine, stmt)
