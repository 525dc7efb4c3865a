"""The SSDA903 children looked after return (its CSV tables in one zip, or its XML): the year's
figures.

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

from lxml import etree

from data_access.periods import FinancialYear
from data_access.statutory.figures import (
    ComputedFigure,
    census_period,
    count,
    percentage,
    rate,
)
from data_access.statutory.problems import ProblemList, StatutoryFileProblem
from data_access.statutory.safe_xml import iter_end_elements, release

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


class _Tally:
    """What the 903 gives, fed row by row from the zip's tables or the XML's children."""

    def __init__(self) -> None:
        self.problems = ProblemList()
        self.by_child: dict[str, list[Episode]] = defaultdict(list)
        self.latest: dt.date | None = None
        self.oc2 = [0, 0]  # children in the OC2 cohort, with HEALTH_CHECK 1
        self.oc3 = [0, 0, 0]  # care leavers (not died), in touch, not in education or work
        self.has_oc2 = False
        self.has_oc3 = False

    def episode(self, where: str, child: str, row: dict[str, str]) -> None:
        if not child:
            self.problems.add(f"{where}: CHILD is blank; every episode names its child.")
            return
        try:
            decom = _date(row.get("DECOM", ""))
            dec = _date(row.get("DEC", ""))
        except ValueError as exc:
            self.problems.add(
                f"{where}: '{str(exc)[:20]}' is not a date; write dates as dd/mm/yyyy."
            )
            return
        if decom is None:
            self.problems.add(
                f"{where}: DECOM (the episode's start) is blank; the 903 requires it."
            )
            return
        if dec is not None and dec < decom:
            self.problems.add(
                f"{where}: DEC is before DECOM, an impossible episode. Correct the dates."
            )
            return
        rne = row.get("RNE", "").strip().upper()
        if rne not in NEW_PLACEMENT | {"L"}:
            self.problems.add(f"{where}: RNE '{rne[:10]}' is not a 903 code (S, L, P, T, U or B).")
            return
        ls = row.get("LS", "").strip().upper()
        self.by_child[child].append(
            Episode(decom, rne, ls, dec, row.get("REC", "").strip().upper())
        )
        for day in (decom, dec):
            if day is not None and (self.latest is None or day > self.latest):
                self.latest = day

    def health(self, row: dict[str, str]) -> None:
        self.has_oc2 = True
        self.oc2[0] += 1
        self.oc2[1] += row.get("HEALTH_CHECK", "").strip() == "1"

    def leaver(self, row: dict[str, str]) -> None:
        self.has_oc3 = True
        touch = row.get("IN_TOUCH", "").strip().upper()
        if touch == "DIED":
            return
        self.oc3[0] += 1
        self.oc3[1] += touch == "YES"
        self.oc3[2] += row.get("ACTIV", "").strip().upper() in NEET


def _from_zip(data: bytes, tally: _Tally) -> None:
    archive, members = _open(data)
    for number, row in _rows(archive, members["episodes"]):
        child = row.get("CHILD", "").strip()
        where = f"episodes row {number}" + (f" (CHILD {child[:20]})" if child else "")
        tally.episode(where, child, row)
    if "oc2" in members:
        for _number, row in _rows(archive, members["oc2"]):
            tally.health(row)
    if "oc3" in members:
        for _number, row in _rows(archive, members["oc3"]):
            tally.leaver(row)


def _texts(element: etree._Element) -> dict[str, str]:
    return {str(e.tag).upper(): (e.text or "") for e in element if isinstance(e.tag, str)}


def _from_xml(data: bytes, tally: _Tally) -> None:
    """The XML form: ``EXPSSDA903/CHILD`` with ``HEADER`` (CHILDID, IN_TOUCH, ACTIV, ``OC2``)
    and one ``EPISODE`` per episode, as written by the 903 validator's own generator."""
    position = 0
    for tag, element in iter_end_elements(data, ("CHILD",)):
        if tag.startswith("<root>"):
            if tag != "<root>EXPSSDA903":
                raise StatutoryFileProblem(
                    [
                        f"This is not an SSDA903 return: its first element is <{tag[6:]}>, not "
                        "<EXPSSDA903>. Choose the 903 XML, or the 903 tables in one zip."
                    ]
                )
            continue
        position += 1
        header = element.find("HEADER")
        fields = _texts(header) if header is not None else {}
        child = fields.get("CHILDID", "").strip()[:20]
        where = f"Child {position} in the file" + (f" (CHILDID {child})" if child else "")
        for number, node in enumerate(element.findall("EPISODE"), start=1):
            tally.episode(f"{where}, episode {number}", child, _texts(node))
        if header is not None:
            oc2 = header.find("OC2")
            if oc2 is not None:
                tally.health(_texts(oc2))
            if fields.get("IN_TOUCH", "").strip():
                tally.leaver(fields)
        release(element)


def read_903(data: bytes, *, population: float | None = None) -> Ssda903Result:
    """Compute the children looked after figures from the 903 (a zip of its CSV tables, or its
    XML); raise StatutoryFileProblem naming each bad row or child."""
    tally = _Tally()
    if data[:4] == b"PK\x03\x04":
        _from_zip(data, tally)
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        _from_xml(data, tally)
    else:
        raise StatutoryFileProblem(
            [
                "This is not an SSDA903 return: put the 903 tables (episodes.csv, header.csv...) "
                "in one zip, or choose the 903 XML."
            ]
        )
    tally.problems.raise_if_any()
    by_child = tally.by_child
    latest = tally.latest
    if latest is None:
        raise StatutoryFileProblem(["The 903 has no episode: nothing to count."])
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
    if tally.has_oc2:
        cohort, checked = tally.oc2
        figures.append(percentage("cla_health_assessment", code, checked, cohort))
    if tally.has_oc3:
        leavers, in_touch, neet = tally.oc3
        figures.append(percentage("care_leavers_in_touch", code, in_touch, leavers))
        figures.append(percentage("care_leavers_neet", code, neet, leavers))
    notes = [
        f"The 903 carries no year: the latest date in its episodes ({latest:%d %B %Y}) makes "
        f"this the {code} return, reference date {reference:%d %B %Y}."
    ]
    return Ssda903Result(reference, code, len(by_child), figures, notes)
