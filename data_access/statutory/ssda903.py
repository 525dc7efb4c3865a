"""The SSDA903 children looked after return, as its CSV tables in one zip: the year's figures.

Column names follow the DfE's SSDA903 specification and the open-source validator
(data-to-insight/csc-validator-be-903): ``episodes`` (CHILD, DECOM, RNE, LS, CIN, PLACE, ...,
DEC, REC), ``header`` (CHILD, SEX, DOB, ...), ``oc2`` (HEALTH_CHECK, ...), ``oc3`` (IN_TOUCH,
ACTIV, ...). Dates are dd/mm/yyyy (yyyy-mm-dd is accepted too).

The tables carry no year: the census year is the financial year of the latest date in the
episodes table (an episode start or end), its reference date that year's 31 March, and the
preview says so. The tables are read row by row from the zip in memory; only counts are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from data_access.periods import FinancialYear
from data_access.statutory.figures import (
    ComputedFigure,
    census_period,
    count,
    percentage,
    rate,
)
from data_access.statutory.problems import ProblemList, StatutoryFileProblem

TABLES = ("episodes", "header", "oc2", "oc3", "reviews", "missing", "uasc")
EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "DEC", "REC")
RESPITE = {"V3", "V4"}
NEW_PLACEMENT = {"S", "P", "B", "T", "U"}
NEET = {"G4", "G5", "G6"}
# A 903 zip larger than this, unpacked, is refused before reading (a zip bomb otherwise).
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_MEMBERS = 50


def _table_name(member: str) -> str | None:
    stem = PurePosixPath(member).stem.lower()
    for table in TABLES:
        if stem == table or stem.startswith(table + "_") or stem.endswith("_" + table):
            return table
    return None


def looks_like_903(names: list[str]) -> bool:
    """A zip holding an episodes CSV is taken for a 903 set."""
    return any(_table_name(n) == "episodes" for n in names if n.lower().endswith(".csv"))


@dataclass
class Episode:
    decom: dt.date
    rne: str
    ls: str
    dec: dt.date | None
    rec: str


@dataclass
class Ssda903Result:
    reference_date: dt.date
    year_code: str
    children: int
    figures: list[ComputedFigure]
    notes: list[str] = field(default_factory=list)
    storable_problem: str | None = None


def _date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(text)


def _rows(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[int, dict[str, str]]]:
    with archive.open(member) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(text)
        fields = {(name or "").strip().upper() for name in reader.fieldnames or []}
        missing = (
            [c for c in EPISODE_COLUMNS if c not in fields]
            if _table_name(member) == "episodes"
            else []
        )
        if missing:
            raise StatutoryFileProblem(
                [
                    f"The episodes table ({member}) has no column {', '.join(missing)}; the "
                    "903 episodes table has CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER, "
                    "DEC, REC, REASON_PLACE_CHANGE, HOME_POST, PL_POST and URN. Export it again."
                ]
            )
        for number, row in enumerate(reader, start=2):
            yield number, {(k or "").strip().upper(): (v or "") for k, v in row.items()}


def _open(data: bytes) -> tuple[zipfile.ZipFile, dict[str, str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise StatutoryFileProblem(
            ["This is not a zip file; put the 903 tables (episodes.csv, header.csv...) in one zip."]
        ) from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise StatutoryFileProblem(
            [
                "The zip unpacks to more than any 903 return holds; it was refused before being "
                "read. Zip only the 903 tables' CSV files."
            ]
        )
    members: dict[str, str] = {}
    for info in infos:
        table = _table_name(info.filename)
        if table and info.filename.lower().endswith(".csv") and table not in members:
            members[table] = info.filename
    if "episodes" not in members:
        raise StatutoryFileProblem(
            ["The zip holds no episodes table (episodes.csv); a 903 set needs it."]
        )
    return archive, members


def read_903(data: bytes, *, population: float | None = None) -> Ssda903Result:
    """Compute the children looked after figures from a zip of 903 tables; raise if bad."""
    archive, members = _open(data)
    problems = ProblemList()
    by_child: dict[str, list[Episode]] = defaultdict(list)
    latest: dt.date | None = None
    for number, row in _rows(archive, members["episodes"]):
        child = row.get("CHILD", "").strip()
        where = f"episodes row {number} (CHILD {child[:20]})"
        if not child:
            problems.add(f"episodes row {number}: CHILD is blank; every episode names its child.")
            continue
        try:
            decom = _date(row["DECOM"])
            dec = _date(row["DEC"])
        except ValueError as exc:
            problems.add(f"{where}: '{str(exc)[:20]}' is not a date; write dates as dd/mm/yyyy.")
            continue
        if decom is None:
            problems.add(f"{where}: DECOM (the episode's start) is blank; the 903 requires it.")
            continue
        if dec is not None and dec < decom:
            problems.add(f"{where}: DEC is before DECOM, an impossible episode. Correct the dates.")
            continue
        rne = row["RNE"].strip().upper()
        if rne not in NEW_PLACEMENT | {"L"}:
            problems.add(f"{where}: RNE '{rne[:10]}' is not a 903 code (S, L, P, T, U or B).")
            continue
        episode = Episode(decom, rne, row["LS"].strip().upper(), dec, row["REC"].strip().upper())
        by_child[child].append(episode)
        for day in (decom, dec):
            if day is not None and (latest is None or day > latest):
                latest = day
    problems.raise_if_any()
    if latest is None:
        raise StatutoryFileProblem(["The episodes table has no episode: nothing to count."])
    year = FinancialYear(latest.year if latest.month >= 4 else latest.year - 1)
    reference = dt.date(year.fy_start_year + 1, 3, 31)
    start, end = census_period(reference)
    looked_after = 0
    three_plus = 0
    started = 0
    ceased = 0
    for episodes in by_child.values():
        episodes.sort(key=lambda e: e.decom)
        for e in episodes:
            if e.rne == "S" and start <= e.decom <= end:
                started += 1
            if e.dec is not None and start <= e.dec <= end and e.rec != "X1":
                ceased += 1
        open_now = [
            e
            for e in episodes
            if e.decom <= reference and (e.dec is None or e.dec > reference) and e.ls not in RESPITE
        ]
        if not open_now:
            continue
        looked_after += 1
        in_year = [e for e in episodes if e.decom <= end and (e.dec is None or e.dec >= start)]
        placements = 1 + sum(1 for e in in_year[1:] if e.rne in NEW_PLACEMENT)
        if placements >= 3:
            three_plus += 1
    code = year.code
    figures = [
        count("cla_at_31_march", code, looked_after),
        rate("cla_rate", code, looked_after, population),
        count("cla_started", code, started),
        count("cla_ceased", code, ceased),
        percentage("cla_3_placements", code, three_plus, looked_after),
    ]
    if "oc2" in members:
        cohort = checked = 0
        for _number, row in _rows(archive, members["oc2"]):
            cohort += 1
            checked += row.get("HEALTH_CHECK", "").strip() == "1"
        figures.append(percentage("cla_health_assessment", code, checked, cohort))
    if "oc3" in members:
        leavers = in_touch = neet = 0
        for _number, row in _rows(archive, members["oc3"]):
            touch = row.get("IN_TOUCH", "").strip().upper()
            if touch == "DIED":
                continue
            leavers += 1
            in_touch += touch == "YES"
            neet += row.get("ACTIV", "").strip().upper() in NEET
        figures.append(percentage("care_leavers_in_touch", code, in_touch, leavers))
        figures.append(percentage("care_leavers_neet", code, neet, leavers))
    notes = [
        f"The 903 tables carry no year: the latest date in the episodes table "
        f"({latest:%d %B %Y}) makes this the {code} return, reference date "
        f"{reference:%d %B %Y}."
    ]
    return Ssda903Result(reference, code, len(by_child), figures, notes)
