"""The children in need census reader: every figure from hand-built files whose answers are
worked out below by hand, the fixtures, the bad files, and a generated file checked by an
independent count."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import holidays
import pytest

from data_access.statutory.cin import read_census
from data_access.statutory.problems import StatutoryFileProblem
from data_access.statutory.working_days import working_days_between
from sample_data.census import (
    ChildSpec,
    EpisodeSpec,
    PlanSpec,
    census_xml,
    random_children,
)
from tests.support.census_cases import hand_built

FIXTURES = Path(__file__).parents[2] / "fixtures" / "statutory"
D = dt.date
REF = D(2025, 3, 31)  # the 2024-25 census


def figures(result) -> dict[tuple[str, str], tuple[float | None, float | None, float | None]]:
    return {
        (f.key, f.period_code): (f.value, f.numerator, f.denominator)
        for f in result.figures + result.quarterly
    }


def test_every_figure_of_a_hand_built_census() -> None:
    result = read_census(census_xml(hand_built(), REF), population=8000)
    got = figures(result)
    y = "2024-25"
    assert result.year_code == y and result.children == 7 and not result.problems
    expected = {
        "referrals": (4, None, None),  # 001 (Jun), 002, 003 (Nov), 005 (May)
        "referral_rate": (5.0, 4, 8000),
        "rereferrals": (25.0, 1, 4),  # 001's June referral, 9 months after September's
        "cin_at_31_march": (4, None, None),  # 001, 003, 004, 007
        "cin_rate": (5.0, 4, 8000),
        "assessments_completed": (3, None, None),
        "assessments_45wd": (66.7, 2, 3),  # 001 and 002 (Christmas); not 003
        "s47_enquiries": (2, None, None),
        "s47_rate": (2.5, 2, 8000),
        "icpc": (2, None, None),
        "icpc_15wd": (50.0, 1, 2),
        "cp_at_31_march": (3, None, None),  # 003, 004, 007
        "cp_rate": (3.8, 3, 8000),
        "cp_neglect": (0, None, None),  # 003's latest category is neglect: not counted
        "cp_emotional": (1, None, None),
        "cp_physical": (1, None, None),
        "cp_sexual": (0, None, None),
        "cp_multiple": (1, None, None),
        "cp_neglect_share": (0.0, 0, 3),
        "cp_started": (3, None, None),  # 002, 003, 007's second
        "cp_second_or_later": (66.7, 2, 3),  # 003 (previous 1), 007 (earlier plan)
        "cp_ended": (2, None, None),  # 002, 006's second
        "cp_two_years": (50.0, 1, 2),  # 006
        "cp_reviews_on_time": (66.7, 2, 3),  # 003, 007 of 003, 004, 007
    }
    for key, want in expected.items():
        value, top, bottom = got[(key, y)]
        assert (value, top, bottom) == tuple(None if w is None else float(w) for w in want), key
    quarters = {
        ("referrals", "2024-25 Q1"): 2,
        ("referrals", "2024-25 Q3"): 2,
        ("rereferrals", "2024-25 Q1"): 50.0,
        ("rereferrals", "2024-25 Q3"): 0.0,
        ("assessments_45wd", "2024-25 Q2"): 100.0,
        ("assessments_45wd", "2024-25 Q4"): 50.0,
        ("icpc_15wd", "2024-25 Q3"): 50.0,
    }
    assert {k: got[k][0] for k in quarters} == quarters
    assert got[("referrals", "2024-25 Q2")][0] == 0  # no referral that quarter: none
    assert ("rereferrals", "2024-25 Q2") not in got  # nothing to divide by: no figure
    assert result.storable_problem is None


def test_christmas_bank_holidays_make_the_difference() -> None:
    # Worked out by hand: the weekdays after 15 November 2024 up to 22 January 2025, less the
    # three bank holidays among them (listed here, not taken from the package).
    start, end = D(2024, 11, 15), D(2025, 1, 22)
    days = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5]
    by_hand = len(
        [d for d in weekdays if d not in {D(2024, 12, 25), D(2024, 12, 26), D(2025, 1, 1)}]
    )
    assert (len(weekdays), by_hand) == (48, 45)
    assert working_days_between(start, end) == 45
    assert working_days_between(start, end + dt.timedelta(days=1)) == 46


def test_re_referrals_say_what_they_need_without_history() -> None:
    children = [c for c in hand_built() if c.child_id != "HANDA001"]
    result = read_census(census_xml(children, REF))
    rereferrals = next(f for f in result.figures if f.key == "rereferrals")
    assert rereferrals.value is None
    assert "need every referral of the 12 months before 01 April 2024" in rereferrals.note
    assert not any(f.key == "rereferrals" for f in result.quarterly)
    rate = next(f for f in result.figures if f.key == "referral_rate")
    assert rate.value is None and "child population" in rate.note


def test_family_group_decision_making_offers_in_a_2025_26_census() -> None:
    ref = D(2026, 3, 31)
    child = ChildSpec(
        "FGDM001",
        D(2015, 1, 1),
        [
            EpisodeSpec(
                D(2025, 5, 1),
                pre_proceedings=[(D(2025, 6, 1), True), (D(2025, 9, 1), False)],
            )
        ],
    )
    got = figures(read_census(census_xml([child], ref)))
    assert got[("fgdm_letters", "2025-26")][0] == 2
    assert got[("fgdm_offered", "2025-26")] == (50.0, 1.0, 2.0)


def _problem(data: bytes) -> str:
    with pytest.raises(StatutoryFileProblem) as caught:
        read_census(data)
    return str(caught.value)


def test_an_entity_bomb_is_refused_before_parsing() -> None:
    # "Billion laughs": ten entities, each ten of the one before.
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE Message [{entities}]><Message>&l9;</Message>'
    bomb_bytes = bomb.encode()
    message = _problem(bomb_bytes)
    assert "declares a document type (DTD) or entities" in message
    external = b'<?xml version="1.0"?><!DOCTYPE m SYSTEM "file:///etc/passwd"><Message/>'
    assert "refused before being read" in _problem(external)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            b"<Return><Row/></Return>",
            "not a children in need census: its first element is <Return>",
        ),
        (
            b"<Message><Header><CollectionDetails><Collection>SSDA903</Collection>"
            b"</CollectionDetails></Header></Message>",
            "<Collection> is 'SSDA903', not CIN",
        ),
        (b"<Message><Header>", "not well-formed XML"),
        (
            b"<Message><Header><CollectionDetails><Collection>CIN</Collection><ReferenceDate>"
            b"31/03/2025</ReferenceDate></CollectionDetails></Header></Message>",
            "'31/03/2025' is not a date",
        ),
    ],
)
def test_files_that_are_not_a_census_are_refused(data: bytes, said: str) -> None:
    assert said in _problem(data)


def _one(child: ChildSpec, ref: dt.date = REF) -> bytes:
    return census_xml([child], ref)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            _one(ChildSpec("BAD1", D(2015, 1, 1), [EpisodeSpec(D(2024, 6, 1), D(2024, 5, 1))])),
            "Child 1 in the file (LAchildID BAD1): <CINreferralDate> and <CINclosureDate>: the "
            "second date is before the first",
        ),
        (
            _one(ChildSpec("BAD2", D(2015, 1, 1), [EpisodeSpec(D(2025, 6, 1))])),
            "<CINreferralDate> 01 June 2025 is after the census's reference date",
        ),
        (
            _one(
                ChildSpec(
                    "BAD3",
                    D(2015, 1, 1),
                    [EpisodeSpec(D(2024, 6, 1), plans=[PlanSpec(D(2024, 7, 1), initial="XYZ")])],
                )
            ),
            "<InitialCategoryOfAbuse> 'XYZ' is not a census code; use NEG, EMO, PHY, SAB or MUL",
        ),
        (
            _one(ChildSpec("BAD4", D(2015, 1, 1), [EpisodeSpec(D(2024, 6, 1))])).replace(
                b"<CINreferralDate>2024-06-01</CINreferralDate>", b""
            ),
            "<CINdetails> has no <CINreferralDate>, which the census requires",
        ),
        (
            _one(ChildSpec("BAD5", D(2015, 1, 1), [EpisodeSpec(D(2024, 6, 1))])).replace(
                b"<LAchildID>BAD5</LAchildID>", b""
            ),
            "Child 1 in the file: <ChildIdentifiers><LAchildID> is missing",
        ),
        (
            _one(ChildSpec("BAD6", D(2015, 1, 1), [EpisodeSpec(D(2024, 6, 1))])).replace(
                b"<ReferralNFA>false", b"<ReferralNFA>maybe"
            ),
            "<ReferralNFA> 'maybe' is not a known value",
        ),
        (
            # A 2024-25 census (Sex) carrying the 2023-24 GenderCurrent.
            _one(ChildSpec("BAD7", D(2015, 1, 1), [EpisodeSpec(D(2024, 6, 1))])).replace(
                b"<Sex>M</Sex>", b"<GenderCurrent>1</GenderCurrent>"
            ),
            "census of another year's shape",
        ),
        (
            # The 2025-26 pre-proceedings block in a 2024-25 census.
            _one(
                ChildSpec(
                    "BAD8",
                    D(2015, 1, 1),
                    [EpisodeSpec(D(2024, 5, 1), pre_proceedings=[(D(2024, 6, 1), True)])],
                ),
                D(2026, 3, 31),
            ).replace(b"<ReferenceDate>2026-03-31", b"<ReferenceDate>2025-03-31"),
            "PreProceedingsandFGDM, a block of the 2025-26 census onwards",
        ),
    ],
)
def test_bad_records_are_named_with_their_position_element_and_fix(data: bytes, said: str) -> None:
    assert said in _problem(data)


def test_the_synthetic_fixtures_are_refused_with_reasons() -> None:
    for name, said in (
        ("CIN_Census_2024.xml", "census of another year's shape"),
        ("CIN_Census_2026.xml", "PreProceedingsandFGDM, a block of the 2025-26 census"),
        ("fake_CIN_data.xml", "is after the census's reference date (21 July 2022)"),
    ):
        assert said in _problem((FIXTURES / name).read_bytes()), name


def test_the_332_child_census_referral_count() -> None:
    data = (FIXTURES / "fake_CIN_data.xml").read_bytes()
    # Counted independently with the standard library: referral dates from 1 April 2021 to
    # the reference date, 21 July 2022.
    root = ET.fromstring(data)
    assert len(root.findall("Children/Child")) == 332
    dates = [D.fromisoformat(e.text or "") for e in root.iter("CINreferralDate")]
    expected = sum(1 for d in dates if D(2021, 4, 1) <= d <= D(2022, 7, 21))
    result = read_census(data, strict=False)
    assert result.children == 332
    referrals = next(f for f in result.figures if f.key == "referrals")
    assert referrals.value == expected == 92
    assert result.problems and result.storable_problem  # shown, never stored
    assert "not 31 March" in result.storable_problem


def _independent(children: list[ChildSpec], ref: dt.date) -> dict[str, int]:
    """The generated file's figures counted straight from the records, with a day-by-day walk
    for working days (the `holidays` package's dates, not the reader's calendar)."""
    start = D(ref.year - 1, 4, 1)
    england = holidays.country_holidays("GB", subdiv="ENG", years=range(ref.year - 3, ref.year + 1))

    def wd(a: dt.date, b: dt.date) -> int:
        return sum(
            1
            for i in range(1, (b - a).days + 1)
            if (a + dt.timedelta(days=i)).weekday() < 5
            and (a + dt.timedelta(days=i)) not in england
        )

    out = {"referrals": 0, "cin": 0, "assessments": 0, "a45": 0, "cp": 0, "started": 0, "second": 0}
    out.update({c: 0 for c in ("NEG", "EMO", "PHY", "SAB", "MUL")})
    for child in children:
        plans = [p for e in child.episodes for p in e.plans]
        open_episode = False
        for e in child.episodes:
            out["referrals"] += start <= e.referral <= ref
            open_episode |= not e.nfa and (e.closure is None or e.closure > ref)
            for _s, done in e.assessments:
                if done is not None and start <= done <= ref:
                    out["assessments"] += 1
                    out["a45"] += wd(e.referral, done) <= 45
        out["cin"] += open_episode
        current = [p for p in plans if p.end is None or p.end > ref]
        if current:
            out["cp"] += 1
            out[max(current, key=lambda p: p.start).initial] += 1
        for p in plans:
            if start <= p.start <= ref:
                out["started"] += 1
                out["second"] += p.previous > 0 or any(q.start < p.start for q in plans)
    return out


def test_a_generated_census_agrees_with_an_independent_count() -> None:
    ref = D(2025, 3, 31)
    children = list(random_children(1500, ref, seed=7))
    got = figures(read_census(census_xml(children, ref)))
    want = _independent(children, ref)
    y = "2024-25"
    assert got[("referrals", y)][0] == want["referrals"]
    assert got[("cin_at_31_march", y)][0] == want["cin"]
    assert got[("assessments_45wd", y)][1:] == (want["a45"], want["assessments"])
    assert got[("cp_at_31_march", y)][0] == want["cp"]
    for code, key in (
        ("NEG", "cp_neglect"),
        ("EMO", "cp_emotional"),
        ("PHY", "cp_physical"),
        ("SAB", "cp_sexual"),
        ("MUL", "cp_multiple"),
    ):
        assert got[(key, y)][0] == want[code] > 0, code
    assert got[("cp_second_or_later", y)][1:] == (want["second"], want["started"])
    assert want["second"] > 0 and want["a45"] < want["assessments"]
