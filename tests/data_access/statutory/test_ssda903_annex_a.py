"""The SSDA903 tables (a zip of CSVs) and Ofsted's Annex A: figures from a hand-built 903 whose
answers are worked out below, the bad files, and the synthetic fixtures."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from data_access.statutory import importing
from data_access.statutory.annex_a import read_annex_a
from data_access.statutory.problems import StatutoryFileProblem
from data_access.statutory.ssda903 import read_903

FIXTURES = Path(__file__).parents[2] / "fixtures" / "statutory"
EPISODES_HEAD = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)


def _zip(tables: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in tables.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _episodes(*rows: str) -> str:
    return "\n".join([EPISODES_HEAD, *rows]) + "\n"


HAND_BUILT = {
    "episodes.csv": _episodes(
        # 1: looked after since February 2024; two placement moves in the year -> 3 placements.
        "1001,01/02/2024,S,C2,N1,U1,PR1,01/06/2024,X1,,,,1",
        "1001,01/06/2024,P,C2,N1,U1,PR1,01/10/2024,X1,,,,1",
        "1001,01/10/2024,T,C2,N1,U1,PR1,,,,,,1",
        # 2: started and ceased in the year.
        "1002,10/04/2024,S,C1,N1,U1,PR1,20/12/2024,E11,,,,1",
        # 3: short-break respite only (V3): started in the year, never counted as looked after.
        "1003,01/01/2025,S,V3,N1,U1,PR1,,,,,,1",
        # 4: looked after since 2020; a change of legal status only (L) is not a placement.
        "1004,05/05/2020,S,C2,N1,U1,PR1,15/03/2025,X1,,,,1",
        "1004,15/03/2025,L,C2,N1,U1,PR1,,,,,,1",
        # 5: started in March, ceased on 31 March itself (not looked after at 31 March).
        "1005,01/03/2025,S,C2,N1,U1,PR1,31/03/2025,E4A,,,,1",
    ),
    "oc2.csv": "CHILD,DOB,HEALTH_CHECK\n1004,01/01/2012,1\n2001,01/01/2013,1\n2002,01/01/2014,0\n",
    "oc3.csv": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n3001,01/01/2005,YES,F1,S\n"
    "3002,01/01/2005,YES,G4,S\n3003,01/01/2005,NO,G5,S\n3004,01/01/2005,DIED,,\n",
}


def test_a_hand_built_903() -> None:
    data = _zip(HAND_BUILT)
    assert importing.recognise(data) == "ssda903"
    result = read_903(data, population=10_000)
    assert result.year_code == "2024-25" and result.children == 5
    got = {f.key: (f.value, f.numerator, f.denominator) for f in result.figures}
    assert got == {
        "cla_at_31_march": (2.0, None, None),  # 1001, 1004
        "cla_rate": (2.0, 2.0, 10_000.0),
        "cla_started": (3.0, None, None),  # 1002, 1003, 1005
        "cla_ceased": (2.0, None, None),  # 1002, 1005 (X1 continues the period)
        "cla_3_placements": (50.0, 1.0, 2.0),  # 1001 of 1001, 1004
        "cla_health_assessment": (66.7, 2.0, 3.0),
        "care_leavers_in_touch": (66.7, 2.0, 3.0),  # the one who died is left out
        "care_leavers_neet": (66.7, 2.0, 3.0),
    }
    assert "latest date in its episodes (31 March 2025)" in result.notes[0]


def _xml_903() -> bytes:
    """The same 903 in its XML form (EXPSSDA903/CHILD/HEADER and EPISODE)."""
    episodes = [line.split(",") for line in HAND_BUILT["episodes.csv"].splitlines()[1:]]
    health = {"1004": "1", "2001": "1", "2002": "0"}
    leavers = {
        "3001": ("YES", "F1"),
        "3002": ("YES", "G4"),
        "3003": ("NO", "G5"),
        "3004": ("DIED", ""),
    }
    children = sorted({e[0] for e in episodes} | set(health) | set(leavers))
    parts = ['<?xml version="1.0" encoding="utf-8"?><EXPSSDA903>']
    for child in children:
        parts.append(f"<CHILD><HEADER><CHILDID>{child}</CHILDID><SEX>1</SEX>")
        if child in leavers:
            touch, activ = leavers[child]
            parts.append(f"<IN_TOUCH>{touch}</IN_TOUCH><ACTIV>{activ}</ACTIV>")
        if child in health:
            parts.append(f"<OC2><HEALTH_CHECK>{health[child]}</HEALTH_CHECK></OC2>")
        parts.append("</HEADER>")
        for e in (e for e in episodes if e[0] == child):
            parts.append(
                f"<EPISODE><DECOM>{e[1]}</DECOM><RNE>{e[2]}</RNE><LS>{e[3]}</LS>"
                f"<DEC>{e[7]}</DEC><REC>{e[8]}</REC></EPISODE>"
            )
        parts.append("</CHILD>")
    parts.append("</EXPSSDA903>")
    return "".join(parts).encode()


def test_the_903_xml_gives_the_same_figures_as_its_tables() -> None:
    data = _xml_903()
    assert importing.recognise(data) == "ssda903"
    from_xml = read_903(data, population=10_000)
    from_zip = read_903(_zip(HAND_BUILT), population=10_000)
    assert [(f.key, f.value, f.numerator, f.denominator) for f in from_xml.figures] == [
        (f.key, f.value, f.numerator, f.denominator) for f in from_zip.figures
    ]
    bad = data.replace(b"<DECOM>10/04/2024</DECOM>", b"<DECOM>31/02/2024</DECOM>")
    with pytest.raises(StatutoryFileProblem, match=r"CHILDID 1002\), episode 1: '31/02/2024'"):
        read_903(bad)
    with pytest.raises(StatutoryFileProblem, match="DTD"):
        read_903(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><EXPSSDA903/>')


@pytest.mark.parametrize(
    ("row", "said"),
    [
        ("9001,01/06/2024,S,C2,N1,U1,PR1,01/05/2024,E11,,,,1", "DEC is before DECOM"),
        ("9001,01/06/2024,Z,C2,N1,U1,PR1,,,,,,1", "RNE 'Z' is not a 903 code"),
        ("9001,2024/13/01,S,C2,N1,U1,PR1,,,,,,1", "'2024/13/01' is not a date"),
        ("9001,,S,C2,N1,U1,PR1,,,,,,1", "DECOM (the episode's start) is blank"),
    ],
)
def test_bad_903_rows_are_named(row: str, said: str) -> None:
    with pytest.raises(StatutoryFileProblem) as caught:
        read_903(_zip({"episodes.csv": _episodes(row)}))
    assert "episodes row 2 (CHILD 9001)" in str(caught.value) and said in str(caught.value)


def test_a_903_without_its_columns_is_refused() -> None:
    with pytest.raises(StatutoryFileProblem, match="has no column DECOM"):
        read_903(_zip({"episodes.csv": "CHILD,START\n1,01/01/2024\n"}))


def test_the_synthetic_903_tables_give_their_figures() -> None:
    tables = {p.name: p.read_text() for p in (FIXTURES / "ssda903").glob("*.csv")}
    result = read_903(_zip(tables))
    got = {f.key: f for f in result.figures}
    # The fixture's latest date is 1 April 2018, so it is read as the 2018-19 return.
    assert result.year_code == "2018-19"
    assert got["cla_at_31_march"].value is not None and got["cla_at_31_march"].value > 0


def test_annex_a_gives_the_rows_on_each_list() -> None:
    data = (FIXTURES / "Annex_A.xlsx").read_bytes()
    assert importing.recognise(data) == "annex_a"
    result = read_annex_a(data)
    # Rows under each heading with a first cell filled in, counted in the workbook by hand.
    assert [int(f.value or 0) for f in result.figures] == [5, 5, 6, 5, 5, 5, 7, 5, 6, 5, 5]
    assert "shown, not stored" in result.notes[0]


def test_a_quarterly_return_is_not_taken_for_a_statutory_return() -> None:
    assert importing.recognise(b"indicator_code,period,value\nMASH_CONTACTS,2025-26 Q1,1\n") is None
