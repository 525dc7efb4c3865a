"""The DfE's published tables shipped with the product: reading and checking them (no store).

`published_data/` holds the tidy table the DfE's Local Authority Interactive Tool (LAIT) reads
(12 children's social care measures for every council, region and England, 2016-2025), the
statistical neighbour model (2025) and each council's codes and region; `SOURCES.md` beside them
says where each came from and under which licence. A later release in the same tidy format is
read by `read_tidy` with the same checks, each refusal naming the row and the fix.
"""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "published_data"
# Shipped gzipped (2.3 MB as text); its name, checksum and rows are those of the CSV inside.
LAIT_FILE = DATA_DIR / "lait_csc_subset_2016_2025.csv.gz"
LAIT_NAME = "lait_csc_subset_2016_2025.csv"
NEIGHBOURS_FILE = DATA_DIR / "sn_model_2025_wide.csv"
CODES_FILE = DATA_DIR / "la_codes.csv"

SHIPPED_RELEASE = "DfE LAIT 2e30e39 (children in need and children looked after, 2025)"
SOURCE_WORDS = "published by the DfE"
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(Department for Education, Characteristics of children in need; Children looked after in "
    "England)."
)
NOT_SHIPPED = (
    "The neglect share of child protection plans (the DfE's 'D4' table of the children in need "
    "release) is not shipped: it is in neither repository the product's tables come from, so "
    "it has no England, regional or neighbour figure here."
)

# LAIT's short name of each measure -> the catalogue indicator it is published for.
MEASURES: dict[str, str] = {
    "CIN": "STAT_CIN_RATE",
    "CPP_rate": "STAT_CP_RATE",
    "LAC": "STAT_CLA_RATE",
    "CPP_Total_Rateper10,000": "STAT_REFERRAL_RATE",
    "ReReferral": "STAT_REREFERRALS_12M",
    "PrevRegCPR": "STAT_CP_SECOND_PLAN",
    "CPPlans2yrs": "STAT_CP_ENDED_2Y",
    "CPPlans2yrsActive": "STAT_CP_OPEN_2Y",
    "Continue_Assess_Comp": "STAT_ASSESSMENTS_45WD",
    "Section_47": "STAT_S47_RATE",
    "CP_conf_15days": "STAT_ICPC_15WD",
    "ISCP_Conf": "STAT_ICPC_RATE",
}
MEASURE_OF: dict[str, str] = {code: measure for measure, code in MEASURES.items()}
PERCENT_MEASURES = {
    "ReReferral",
    "PrevRegCPR",
    "CPPlans2yrs",
    "CPPlans2yrsActive",
    "Continue_Assess_Comp",
    "CP_conf_15days",
}
COLUMNS = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
ENGLAND_CODE = "970"
FIRST_AREA_OUTSIDE_COUNCILS = 970  # LAIT: codes 970 and above are England and the regions
# LAIT lists a London borough under inner or outer London; its regional figure is that part of
# London's, or London's when that part has none (LAIT's clean_ldn_region).
LONDON_PARTS = {"inner london": "London (Inner)", "outer london": "London (Outer)"}


class PublishedFileError(ValueError):
    """A published file that cannot be loaded: the sentence says which row and how to fix it."""


class UnknownCouncil(ValueError):
    """A council code or name the DfE's tables do not know."""


@dataclass(frozen=True)
class PublishedRow:
    """One figure of a tidy published file; `value` None where the DfE published none."""

    line: int
    measure_code: str
    area_code: str
    area_name: str
    region_name: str | None
    year: int
    value: float | None


@dataclass(frozen=True)
class Council:
    old_la_code: str
    new_la_code: str | None
    name: str
    region_name: str  # as LAIT lists it: "North West", "Inner London"


@dataclass(frozen=True)
class Neighbour:
    rank: int
    old_la_code: str
    name: str
    closeness: str


def period_of_year(year: int) -> str:
    """The DfE's year (to 31 March) as the product's financial year: 2020 -> '2019-20'."""
    return f"{year - 1}-{year % 100:02d}"


def year_of_period(code: str) -> int:
    """The product's financial year as the DfE's year: '2019-20' -> 2020."""
    start = code.strip()[:4]
    if not start.isdigit() or len(code.strip()) != 7 or code.strip()[4] != "-":
        raise ValueError(f"{code!r} is not a financial year such as 2019-20.")
    return int(start) + 1


def _code(text: str) -> str:
    """LAIT's LA Number ('356.0') as a code ('356')."""
    number = float(text)
    if not number.is_integer():
        raise ValueError(text)
    return str(int(number))


def _number(text: str) -> float | None:
    cell = text.strip()
    if cell == "-":
        return None
    value = float(cell)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_tidy(data: bytes, *, file_name: str = "the file") -> list[PublishedRow]:
    """Every figure of a tidy published file (LAIT's long format), or PublishedFileError naming
    the first rows that are wrong and how to fix them (nothing is returned from a bad file)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PublishedFileError(
            f"{file_name} is not a UTF-8 CSV file. Save it as CSV (UTF-8) and load it again."
        ) from error
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PublishedFileError(
            f"{file_name} has no column {', '.join(repr(m) for m in missing)}. A published "
            f"file has a header row with the columns {', '.join(COLUMNS)} (and optionally "
            "'Data item' and 'Region'), one row per measure, area and year, as the DfE's "
            "Local Authority Interactive Tool's table."
        )
    problems: list[str] = []
    rows: list[PublishedRow] = []
    seen: dict[tuple[str, str, int], int] = {}
    for line, raw in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(cells.values()) and None not in raw:
            continue
        if None in raw:
            problems.append(
                f"Row {line} has more cells than the header row (a comma inside a number such "
                "as 1,234 or 33,3?). Fix: write numbers without thousands separators, with a "
                "full stop for decimals, and quote any name that holds a comma."
            )
            continue
        measure = cells["Short Desc"]
        if measure not in MEASURES:
            problems.append(
                f"Row {line}: measure {measure!r} is not one the product reads. Fix: use the "
                f"DfE's short name, one of {', '.join(MEASURES)}."
            )
            continue
        try:
            year = int(cells["Years"])
            if not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            problems.append(
                f"Row {line}: year {cells['Years']!r} is not a year. Fix: write the year to "
                "31 March as four digits (2026 for 2025-26)."
            )
            continue
        try:
            area_code = _code(cells["LA Number"])
        except ValueError:
            problems.append(
                f"Row {line}: LA Number {cells['LA Number']!r} is not a code. Fix: write the "
                "old LA code (356 for Stockport, 970 for England, 981 for the North West)."
            )
            continue
        if not cells["LA and Regions"]:
            problems.append(f"Row {line}: the area has no name. Fix: fill in 'LA and Regions'.")
            continue
        try:
            value = _number(cells["Values"])
        except ValueError:
            problems.append(
                f"Row {line}: value {cells['Values']!r} is not a number. Fix: write the "
                "figure with a full stop for decimals and no % sign, or '-' where the DfE "
                "published none."
            )
            continue
        if value is not None and (value < 0 or (measure in PERCENT_MEASURES and value > 100)):
            problems.append(
                f"Row {line}: value {cells['Values']} is impossible for {measure} "
                f"({'a percentage, 0 to 100' if measure in PERCENT_MEASURES else 'not negative'}"
                "). Fix: check the figure against the DfE's table."
            )
            continue
        key = (measure, area_code, year)
        if key in seen:
            problems.append(
                f"Row {line}: {measure} for {cells['LA and Regions']} in {year} repeats row "
                f"{seen[key]}. Fix: keep one row for each measure, area and year."
            )
            continue
        seen[key] = line
        region = cells.get("Region", "")
        rows.append(
            PublishedRow(
                line=line,
                measure_code=measure,
                area_code=area_code,
                area_name=cells["LA and Regions"],
                region_name=None if region in ("", "NA") else region,
                year=year,
                value=value,
            )
        )
    if problems:
        shown = problems[:10]
        more = f" ...and {len(problems) - 10} more." if len(problems) > 10 else ""
        raise PublishedFileError(
            f"{file_name} was not loaded ({len(problems)} row(s) are wrong; nothing was "
            "changed): " + " ".join(shown) + more
        )
    if not rows:
        raise PublishedFileError(
            f"{file_name} has no figures. Fix: one row per measure, area and year under the "
            "header row."
        )
    return rows


@functools.cache
def shipped_rows() -> tuple[PublishedRow, ...]:
    """The figures of the shipped LAIT table."""
    return tuple(read_tidy(lait_bytes(), file_name=LAIT_NAME))


@functools.cache
def lait_bytes() -> bytes:
    """The shipped LAIT table's CSV bytes."""
    return gzip.decompress(LAIT_FILE.read_bytes())


@functools.cache
def councils() -> dict[str, Council]:
    """Every council the tables know, by old LA code (its region as LAIT lists it)."""
    codes: dict[str, dict[str, str]] = {}
    with CODES_FILE.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            codes[row["old_la_code"]] = row
    found: dict[str, Council] = {}
    for figure in shipped_rows():
        if int(figure.area_code) >= FIRST_AREA_OUTSIDE_COUNCILS or figure.area_code in found:
            continue
        known = codes.get(figure.area_code, {})
        found[figure.area_code] = Council(
            old_la_code=figure.area_code,
            new_la_code=known.get("new_la_code") or None,
            name=figure.area_name,
            region_name=figure.region_name or known.get("region_name", ""),
        )
    return found


@functools.cache
def areas_outside_councils() -> dict[str, str]:
    """England and the regions: {name in lower case: code}."""
    return {
        row.area_name.casefold(): row.area_code
        for row in shipped_rows()
        if int(row.area_code) >= FIRST_AREA_OUTSIDE_COUNCILS
    }


def region_codes(council: Council) -> list[str]:
    """The codes of the council's regional comparators, first choice first (an inner or outer
    London borough: that part of London, then London)."""
    areas = areas_outside_councils()
    name = council.region_name.casefold()
    if name in LONDON_PARTS:
        return [areas[LONDON_PARTS[name].casefold()], areas["london"]]
    return [areas[name]] if name in areas else []


def find_council(text: str) -> Council:
    """A council by old LA code (356), new code (E08000007) or name (Stockport)."""
    wanted = text.strip()
    known = councils()
    if wanted in known:
        return known[wanted]
    for council in known.values():
        if council.new_la_code and council.new_la_code.casefold() == wanted.casefold():
            return council
    by_name = [c for c in known.values() if c.name.casefold() == wanted.casefold()]
    if len(by_name) == 1:
        return by_name[0]
    close = sorted(c.name for c in known.values() if wanted.casefold() in c.name.casefold())
    hint = f" Did you mean {', '.join(close[:5])}?" if close else ""
    raise UnknownCouncil(
        f"No council {wanted!r} in the DfE's tables.{hint} Give the old LA code (356), the new "
        "code (E08000007) or the name as the DfE writes it (Stockport)."
    )


@functools.cache
def neighbour_model() -> dict[str, tuple[Neighbour, ...]]:
    """Each council's ten statistical neighbours (2025 model), closest first."""
    names = {code: c.name for code, c in councils().items()}
    model: dict[str, tuple[Neighbour, ...]] = {}
    with NEIGHBOURS_FILE.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["old_la_code"].strip()
            model[code] = tuple(
                Neighbour(
                    rank=n,
                    old_la_code=row[f"SN_{n}"].strip(),
                    name=names.get(row[f"SN_{n}"].strip(), row[f"SN_{n}"].strip()),
                    closeness=row[f"SN_{n}P"].strip(),
                )
                for n in range(1, 11)
                if row.get(f"SN_{n}", "").strip()
            )
    return model


def neighbours(old_la_code: str) -> tuple[Neighbour, ...]:
    """The council's ten statistical neighbours, closest first (none for a council the 2025
    model does not list, such as one that no longer exists)."""
    return neighbour_model().get(old_la_code, ())
