"""The children in need census (DfE, XML): read as a stream, turned into the year's figures.

Element names follow the DfE's CIN census specification and the open-source validator
(data-to-insight/csc-validator-be-cin): ``Message/Header/CollectionDetails`` (``Collection``
CIN, ``Year``, ``ReferenceDate``) and ``Message/Children/Child`` with ``ChildIdentifiers``
(``LAchildID``, ``PersonBirthDate``, ``GenderCurrent`` to 2023-24 / ``Sex`` from 2024-25) and
one ``CINdetails`` per episode (``CINreferralDate``, ``CINclosureDate``, ``ReferralNFA``,
``Assessments``, ``Section47``, ``ChildProtectionPlans`` with ``Reviews``, and from 2025-26
``PreProceedingsandFGDM``).

Each ``Child`` element is read into a few dates, added to running totals and freed before the
next is read: no child's record outlives its own element, and memory does not grow with the
file. Nothing here writes anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from data_access.periods import Quarter
from data_access.statutory.figures import (
    ComputedFigure,
    add_months,
    census_period,
    census_year_code,
    count,
    percentage,
    quarter_code,
    rate,
)
from data_access.statutory.problems import ProblemList, StatutoryFileProblem
from data_access.statutory.safe_xml import iter_end_elements, release
from data_access.statutory.working_days import working_days_between

COLLECTION = "CIN"
CATEGORIES = {
    "NEG": "cp_neglect",
    "EMO": "cp_emotional",
    "PHY": "cp_physical",
    "SAB": "cp_sexual",
    "MUL": "cp_multiple",
}
CLOSURE_REASONS = {f"RC{i}" for i in range(1, 10)}
_TRUE = {"true", "1", "y", "yes"}
_FALSE = {"false", "0", "n", "no"}
# Timescales (working days).
ASSESSMENT_WD = 45
ICPC_WD = 15
# The census shapes: the gender element a year's file carries, and whether it may carry the
# pre-proceedings block.
SEX_FROM = dt.date(2025, 3, 31)  # 2024-25 census: Sex replaces GenderCurrent
PRE_PROCEEDINGS_FROM = dt.date(2026, 3, 31)  # 2025-26 census: PreProceedingsandFGDM block


def shape_name(reference_date: dt.date) -> str:
    if reference_date >= PRE_PROCEEDINGS_FROM:
        return "2025-26 (Sex, PreProceedingsandFGDM)"
    if reference_date >= SEX_FROM:
        return "2024-25 (Sex)"
    return "2023-24 and earlier (GenderCurrent)"


@dataclass
class Plan:
    start: dt.date
    end: dt.date | None
    initial: str
    previous: int
    reviews: list[dt.date]


@dataclass
class Episode:
    referral: dt.date
    closure: dt.date | None
    nfa: bool
    assessments: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    s47: list[tuple[dt.date, dt.date | None, bool]] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    pre_proceedings: list[tuple[dt.date | None, bool | None]] = field(default_factory=list)


@dataclass
class CinResult:
    """What a census gives: its year, the figures, and why (if so) they cannot be stored."""

    collection: str
    reference_date: dt.date
    year_code: str | None
    shape: str
    children: int
    figures: list[ComputedFigure]
    quarterly: list[ComputedFigure]
    notes: list[str]
    storable_problem: str | None
    # What is wrong with the file (read with strict=False): nothing is stored while any remain.
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0


class _Child:
    """One Child element read into dates, with problems named by position and identifier."""

    def __init__(self, position: int, problems: ProblemList, reference: dt.date) -> None:
        self.position = position
        self.problems = problems
        self.reference = reference
        self.child_id = ""

    def where(self) -> str:
        ident = f" (LAchildID {self.child_id})" if self.child_id else ""
        return f"Child {self.position} in the file{ident}"

    def problem(self, text: str) -> None:
        self.problems.add(f"{self.where()}: {text}")

    def date(
        self, parent: etree._Element, name: str, *, required: bool, block: str
    ) -> dt.date | None:
        text = parent.findtext(name)
        if text is None or not text.strip():
            if required:
                self.problem(
                    f"<{block}> has no <{name}>, which the census requires. Add the date "
                    "(YYYY-MM-DD) in the case management system and export the census again."
                )
            return None
        try:
            day = dt.date.fromisoformat(text.strip())
            if len(text.strip()) != 10:
                raise ValueError
        except ValueError:
            self.problem(
                f"<{name}> '{text.strip()[:30]}' is not a date. Write dates as YYYY-MM-DD "
                "(e.g. 2025-03-31)."
            )
            return None
        if day > self.reference:
            self.problem(
                f"<{name}> {day:%d %B %Y} is after the census's reference date "
                f"({self.reference:%d %B %Y}): an impossible date for this census. Correct the "
                "date, or leave the record out until the census it belongs to."
            )
            return None
        return day

    def flag(self, parent: etree._Element, name: str, *, required: bool) -> bool | None:
        text = parent.findtext(name)
        if text is None or not text.strip():
            if required:
                self.problem(
                    f"<{name}> is missing; the census requires it (true or false). Record it and "
                    "export the census again."
                )
            return None
        value = text.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        self.problem(f"<{name}> '{text.strip()[:30]}' is not a known value; use true or false.")
        return None

    def order(self, first: dt.date | None, later: dt.date | None, names: str) -> bool:
        if first is not None and later is not None and later < first:
            self.problem(f"{names}: the second date is before the first. Correct the dates.")
            return False
        return True


def read_child(element: etree._Element, child: _Child) -> list[Episode]:
    ids = element.find("ChildIdentifiers")
    child.child_id = (ids.findtext("LAchildID") or "").strip()[:40] if ids is not None else ""
    if ids is None or not child.child_id:
        child.problem(
            "<ChildIdentifiers><LAchildID> is missing; every child needs the council's own "
            "identifier. Add it and export the census again."
        )
    episodes = []
    details = element.findall("CINdetails")
    if not details:
        child.problem("has no <CINdetails> episode; a child in the census has at least one.")
    for block in details:
        referral = child.date(block, "CINreferralDate", required=True, block="CINdetails")
        closure = child.date(block, "CINclosureDate", required=False, block="CINdetails")
        nfa = child.flag(block, "ReferralNFA", required=True)
        reason = (block.findtext("ReasonForClosure") or "").strip()
        if reason and reason.upper() not in CLOSURE_REASONS:
            child.problem(
                f"<ReasonForClosure> '{reason[:20]}' is not a census code; use RC1 to RC9."
            )
        if referral is None:
            continue
        child.order(referral, closure, "<CINreferralDate> and <CINclosureDate>")
        episode = Episode(referral, closure, bool(nfa))
        for item in block.findall("Assessments"):
            start = child.date(
                item, "AssessmentActualStartDate", required=True, block="Assessments"
            )
            done = child.date(
                item, "AssessmentAuthorisationDate", required=False, block="Assessments"
            )
            if start is not None and child.order(
                start, done, "<AssessmentActualStartDate> and <AssessmentAuthorisationDate>"
            ):
                episode.assessments.append((start, done))
        for item in block.findall("Section47"):
            start = child.date(item, "S47ActualStartDate", required=True, block="Section47")
            icpc = child.date(item, "DateOfInitialCPC", required=False, block="Section47")
            not_required = child.flag(item, "ICPCnotRequired", required=False)
            if start is not None and child.order(
                start, icpc, "<S47ActualStartDate> and <DateOfInitialCPC>"
            ):
                episode.s47.append((start, icpc, bool(not_required)))
        for item in block.findall("ChildProtectionPlans"):
            plan = _read_plan(item, child)
            if plan is not None:
                episode.plans.append(plan)
        for item in block.findall("PreProceedingsandFGDM"):
            sent = child.date(item, "LBPSentDate", required=False, block="PreProceedingsandFGDM")
            offered = child.flag(item, "FGDMMeetingOffer", required=False)
            episode.pre_proceedings.append((sent, offered))
        episodes.append(episode)
    return episodes


def _read_plan(item: etree._Element, child: _Child) -> Plan | None:
    start = child.date(item, "CPPstartDate", required=True, block="ChildProtectionPlans")
    end = child.date(item, "CPPendDate", required=False, block="ChildProtectionPlans")
    initial = (item.findtext("InitialCategoryOfAbuse") or "").strip().upper()
    if not initial:
        child.problem(
            "<ChildProtectionPlans> has no <InitialCategoryOfAbuse>, which the census requires "
            "(NEG, EMO, PHY, SAB or MUL)."
        )
    elif initial not in CATEGORIES:
        child.problem(
            f"<InitialCategoryOfAbuse> '{initial[:20]}' is not a census code; use NEG, EMO, PHY, "
            "SAB or MUL."
        )
    latest = (item.findtext("LatestCategoryOfAbuse") or "").strip().upper()
    if latest and latest not in CATEGORIES:
        child.problem(
            f"<LatestCategoryOfAbuse> '{latest[:20]}' is not a census code; use NEG, EMO, PHY, "
            "SAB or MUL."
        )
    previous_text = (item.findtext("NumberOfPreviousCPP") or "").strip()
    previous = 0
    if previous_text:
        if previous_text.isdigit():
            previous = int(previous_text)
        else:
            child.problem(
                f"<NumberOfPreviousCPP> '{previous_text[:20]}' is not a whole number of plans."
            )
    reviews = []
    for review_block in item.findall("Reviews"):
        for node in review_block.findall("CPPreviewDate"):
            holder = etree.Element("r")
            holder.append(etree.Element("CPPreviewDate"))
            holder[0].text = node.text
            day = child.date(holder, "CPPreviewDate", required=True, block="Reviews")
            if day is not None:
                if start is not None and day < start:
                    child.problem(
                        f"<CPPreviewDate> {day:%d %B %Y} is before the plan's <CPPstartDate> "
                        f"{start:%d %B %Y}. Correct the dates."
                    )
                reviews.append(day)
    if start is None or initial not in CATEGORIES:
        return None
    if not child.order(start, end, "<CPPstartDate> and <CPPendDate>"):
        return None
    return Plan(start, end, initial, previous, sorted(reviews))


class _Totals:
    """The year's running totals: every figure is a count of these."""

    def __init__(self, reference: dt.date) -> None:
        self.reference = reference
        self.start, self.end = census_period(reference)
        self.c: Counter[str] = Counter()
        self.q: dict[str, Counter[str]] = defaultdict(Counter)
        self.history = False  # the file holds episodes closed before the year began

    def within(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def add(self, episodes: list[Episode]) -> None:
        c = self.c
        referrals = sorted(e.referral for e in episodes)
        for episode in episodes:
            if episode.closure is not None and episode.closure < self.start:
                self.history = True
        in_need = False
        for episode in episodes:
            day = episode.referral
            if self.within(day):
                quarter = self.q[quarter_code(day)]
                c["referrals"] += 1
                quarter["referrals"] += 1
                floor = add_months(day, -12)
                if any(floor <= other < day for other in referrals):
                    c["rereferrals"] += 1
                    quarter["rereferrals"] += 1
            if (
                not episode.nfa
                and day <= self.reference
                and (episode.closure is None or episode.closure > self.reference)
            ):
                in_need = True
            for _start, done in episode.assessments:
                if self.within(done):
                    assert done is not None
                    quarter = self.q[quarter_code(done)]
                    c["assessments"] += 1
                    quarter["assessments"] += 1
                    if working_days_between(day, done) <= ASSESSMENT_WD:
                        c["assessments_45"] += 1
                        quarter["assessments_45"] += 1
            for s47_start, icpc, not_required in episode.s47:
                if self.within(s47_start):
                    c["s47"] += 1
                if self.within(icpc) and not not_required:
                    assert icpc is not None
                    quarter = self.q[quarter_code(icpc)]
                    c["icpc"] += 1
                    quarter["icpc"] += 1
                    if working_days_between(s47_start, icpc) <= ICPC_WD:
                        c["icpc_15"] += 1
                        quarter["icpc_15"] += 1
            for sent, offered in episode.pre_proceedings:
                if self.within(sent):
                    c["fgdm_letters"] += 1
                    if offered:
                        c["fgdm_offered"] += 1
        if in_need:
            c["cin"] += 1
        self._plans([p for e in episodes for p in e.plans])

    def _plans(self, plans: list[Plan]) -> None:
        c = self.c
        ref = self.reference
        open_plans = [p for p in plans if p.start <= ref and (p.end is None or p.end > ref)]
        if open_plans:
            plan = max(open_plans, key=lambda p: p.start)
            c["cp"] += 1
            c[CATEGORIES[plan.initial]] += 1
            if plan.start <= add_months(ref, -3):
                c["reviews_eligible"] += 1
                if _reviews_on_time(plan, ref):
                    c["reviews_on_time"] += 1
        for plan in plans:
            if self.within(plan.start):
                c["cp_started"] += 1
                earlier = any(other.start < plan.start for other in plans)
                if plan.previous > 0 or earlier:
                    c["cp_second"] += 1
            if self.within(plan.end):
                assert plan.end is not None
                c["cp_ended"] += 1
                if plan.end >= add_months(plan.start, 24):
                    c["cp_two_years"] += 1


def _reviews_on_time(plan: Plan, reference: dt.date) -> bool:
    due = add_months(plan.start, 3)
    for review in plan.reviews:
        if review > reference:
            break
        if review > due:
            return False
        due = add_months(review, 6)
    return due >= reference


def read_census(
    data: bytes | Path, *, population: float | None = None, strict: bool = True
) -> CinResult:
    """Read a children in need census and compute the year's figures; raise if it is bad.

    `population` is the child population (0-17) for the rates; without it the rates are left
    out with a note. Raises StatutoryFileProblem naming each child's position, element and fix;
    with `strict=False` a file that is a census but has bad records is returned with its
    problems listed (and figures counted without the dates that were refused), for a preview
    that shows both - such a result is never stored. A file that is not a census always raises.
    `data` may be a path: the file is then parsed from disk as it is read, never held whole.
    """
    problems = ProblemList()
    totals: _Totals | None = None
    reference: dt.date | None = None
    children = 0
    shape_counts: dict[str, list[object]] = {}
    for tag, element in iter_end_elements(data, ("Header", "Child")):
        if tag.startswith("<root>"):
            if tag != "<root>Message":
                raise StatutoryFileProblem(
                    [
                        f"This is not a children in need census: its first element is "
                        f"<{tag[6:]}>, not <Message>. Choose the census XML the case "
                        "management system exports for the DfE."
                    ]
                )
            continue
        if tag == "Header":
            reference = _read_header(element)
            totals = _Totals(reference)
            release(element)
        elif tag == "Child":
            children += 1
            if totals is None or reference is None:
                raise StatutoryFileProblem(
                    [
                        "The census has no <Header> with <CollectionDetails> before its "
                        "children, so its year is unknown. Export it again from the case "
                        "management system."
                    ]
                )
            child = _Child(children, problems, reference)
            episodes = read_child(element, child)
            _note_shape(element, child, reference, shape_counts)
            totals.add(episodes)
            release(element)
    if totals is None or reference is None:
        raise StatutoryFileProblem(
            [
                "This is not a children in need census: it has no <Header>. Choose the census "
                "XML the case management system exports for the DfE."
            ]
        )
    for message in _shape_messages(shape_counts, reference):
        problems.add(message)
    if strict:
        problems.raise_if_any()
    if children == 0:
        raise StatutoryFileProblem(
            ["The census lists no <Child>: there is nothing to count. Is this the right file?"]
        )
    result = _result(totals, reference, children, population)
    result.problems = problems.listed
    result.more_problems = problems.more
    return result


def _read_header(element: etree._Element) -> dt.date:
    details = element.find("CollectionDetails")
    collection = (details.findtext("Collection") if details is not None else None) or ""
    if collection.strip().upper() != COLLECTION:
        raise StatutoryFileProblem(
            [
                f"This is not a children in need census: <Header><CollectionDetails>"
                f"<Collection> is '{collection.strip()[:30]}', not CIN. Choose the census "
                "XML the case management system exports for the DfE."
            ]
        )
    text = ((details.findtext("ReferenceDate") if details is not None else None) or "").strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise StatutoryFileProblem(
            [
                f"<Header><CollectionDetails><ReferenceDate> '{text[:30]}' is not a date; the "
                "census's reference date is 31 March of the year it reports (YYYY-MM-DD)."
            ]
        ) from None


def _note_shape(
    element: etree._Element,
    child: _Child,
    reference: dt.date,
    counts: dict[str, list[object]],
) -> None:
    ids = element.find("ChildIdentifiers")
    kinds = []
    if ids is not None:
        if reference >= SEX_FROM and ids.find("GenderCurrent") is not None:
            kinds.append("GenderCurrent")
        if reference < SEX_FROM and ids.find("Sex") is not None:
            kinds.append("Sex")
    if (
        reference < PRE_PROCEEDINGS_FROM
        and element.find("CINdetails/PreProceedingsandFGDM") is not None
    ):
        kinds.append("PreProceedingsandFGDM")
    for kind in kinds:
        entry = counts.setdefault(kind, [child.where(), 0])
        entry[1] = int(str(entry[1])) + 1


def _shape_messages(counts: dict[str, list[object]], reference: dt.date) -> list[str]:
    expected = shape_name(reference)
    messages = []
    for kind, (first, number) in counts.items():
        others = f" and {int(str(number)) - 1} other(s)" if int(str(number)) > 1 else ""
        if kind == "GenderCurrent":
            said = "GenderCurrent, an element of the 2023-24 census and earlier"
        elif kind == "Sex":
            said = "Sex, an element of the 2024-25 census onwards"
        else:
            said = "PreProceedingsandFGDM, a block of the 2025-26 census onwards"
        messages.append(
            f"{first}{others}: the record has <{said}>, but the file's reference date "
            f"({reference:%d %B %Y}) makes it a census of shape {expected}. This is a census of "
            "another year's shape: export it again with the specification of the year its "
            "reference date belongs to, or correct the reference date."
        )
    return messages


def _result(
    totals: _Totals, reference: dt.date, children: int, population: float | None
) -> CinResult:
    c = totals.c
    year = census_year_code(reference)
    period = year or f"{totals.start:%d %b %Y} to {reference:%d %b %Y}"
    notes: list[str] = []
    figures = [
        count("referrals", period, c["referrals"]),
        rate("referral_rate", period, c["referrals"], population),
    ]
    needs_history = (
        "Not computed: re-referrals within 12 months need every referral of the 12 months "
        f"before {totals.start:%d %B %Y}, and this census holds only episodes open during the "
        "year. Load the figure from the DfE's published table C2, or import a file that also "
        "holds the episodes closed in the previous year."
    )
    if totals.history:
        figures.append(percentage("rereferrals", period, c["rereferrals"], c["referrals"]))
    else:
        figures.append(ComputedFigure("rereferrals", period, None, note=needs_history))
        notes.append(needs_history)
    figures += [
        count("cin_at_31_march", period, c["cin"]),
        rate("cin_rate", period, c["cin"], population),
        count("assessments_completed", period, c["assessments"]),
        percentage("assessments_45wd", period, c["assessments_45"], c["assessments"]),
        count("s47_enquiries", period, c["s47"]),
        rate("s47_rate", period, c["s47"], population),
        count("icpc", period, c["icpc"]),
        percentage("icpc_15wd", period, c["icpc_15"], c["icpc"]),
        count("cp_at_31_march", period, c["cp"]),
        rate("cp_rate", period, c["cp"], population),
        *(count(key, period, c[key]) for key in CATEGORIES.values()),
        percentage("cp_neglect_share", period, c["cp_neglect"], c["cp"]),
        count("cp_started", period, c["cp_started"]),
        percentage("cp_second_or_later", period, c["cp_second"], c["cp_started"]),
        count("cp_ended", period, c["cp_ended"]),
        percentage("cp_two_years", period, c["cp_two_years"], c["cp_ended"]),
        percentage("cp_reviews_on_time", period, c["reviews_on_time"], c["reviews_eligible"]),
    ]
    if reference >= PRE_PROCEEDINGS_FROM:
        figures += [
            count("fgdm_letters", period, c["fgdm_letters"]),
            percentage("fgdm_offered", period, c["fgdm_offered"], c["fgdm_letters"]),
        ]
    quarterly: list[ComputedFigure] = []
    if year is not None:
        # Every quarter of the year: a quarter without a referral had none (the census covers
        # the whole year), so its count is 0; a percentage needs something to divide by.
        first = Quarter.containing(totals.start)
        for code in (Quarter(first.fy_start_year, n).code for n in (1, 2, 3, 4)):
            q = totals.q[code]
            quarterly.append(count("referrals", code, q["referrals"]))
            if totals.history and q["referrals"]:
                quarterly.append(percentage("rereferrals", code, q["rereferrals"], q["referrals"]))
            if q["assessments"]:
                quarterly.append(
                    percentage("assessments_45wd", code, q["assessments_45"], q["assessments"])
                )
            if q["icpc"]:
                quarterly.append(percentage("icpc_15wd", code, q["icpc_15"], q["icpc"]))
    storable = None
    if year is None:
        storable = (
            f"The census's reference date is {reference:%d %B %Y}, not 31 March, so its figures "
            f"(counted from {totals.start:%d %B %Y}) are not a financial year's and are not "
            "stored. Export the census with the reference date 31 March."
        )
    return CinResult(
        collection="CIN census",
        reference_date=reference,
        year_code=year,
        shape=shape_name(reference),
        children=children,
        figures=figures,
        quarterly=quarterly,
        notes=notes,
        storable_problem=storable,
    )
