"""`qa-dashboard scorecard`: the brief of a quarter or a year, one row per catalogue indicator,
in the words the pages show, on SQLite and PostgreSQL; and the overview's download of it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import cli
from dashboard.metrics import brief
from dashboard.metrics import rag as ragmod
from dashboard.metrics.scorecard_export import EXPORT_COLUMNS
from data_access import catalogue
from data_access.models import Indicator, IndicatorValue, ReportingPeriod
from data_access.periods import parse_period
from tests.support.annual_seed import NOTE_WORDS, seed_annual
from tests.support.theme_seed import LATEST, seed_themes

HEADER = (
    "code,name,period,value,numerator,denominator,derivation,rag,target,change_quarter,"
    "change_year,variation,assurance,run,note"
)
YEAR = parse_period(LATEST).fy_start_year
YEAR_CODE = f"{YEAR}-{(YEAR + 1) % 100:02d}"  # the seed's last financial year, 2024-25


def _url(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def seeded(store: sa.Engine) -> sa.Engine:
    """Twelve quarters of every indicator (theme_seed) and some annual figures (annual_seed)."""
    seed_themes(store)
    seed_annual(store)
    return store


def scorecard(engine: sa.Engine, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The command's printed output (it must succeed)."""
    capsys.readouterr()
    assert cli.main(["--database-url", _url(engine), "scorecard", *args]) == 0
    return capsys.readouterr().out


def read(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def stored_quarters(engine: sa.Engine, code: str, year_code: str) -> pd.DataFrame:
    """The partnership's current figures of `code` in the four quarters of `year_code`."""
    quarters = [q.code for q in parse_period(year_code).quarters()]
    stmt = (
        sa.select(
            ReportingPeriod.code,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.value,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(
            Indicator.code == code,
            ReportingPeriod.code.in_(quarters),
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            IndicatorValue.locality_id.is_(None),
        )
    )
    with engine.connect() as connection:
        rows = pd.DataFrame(
            connection.execute(stmt).all(), columns=["period", "num", "den", "value"]
        )
    assert len(rows) == 4
    return rows.set_index("period").loc[quarters].astype(float)


def test_a_quarter(seeded: sa.Engine, capsys: pytest.CaptureFixture[str]) -> None:
    text = scorecard(seeded, capsys, "--period", LATEST)
    assert text.splitlines()[0] == HEADER
    rows = read(text)
    assert list(rows.columns) == EXPORT_COLUMNS
    # One row per indicator of the catalogue, in catalogue order, every one for the quarter.
    assert list(rows["code"]) == [i.code for i in catalogue.indicators()]
    assert set(rows["period"]) == {LATEST}
    truth = brief.quarter_brief(engine=seeded, period_code=LATEST).set_index("code")
    by_code = rows.set_index("code")
    for code, want in truth.iterrows():
        got = by_code.loc[code]
        assert got["rag"] == ragmod.RAG_WORDS[want["rag"]], code
        assert got["variation"] == want["spc_variation"], code
        assert got["assurance"] == want["spc_assurance"], code
        assert got["run"] == want["run_display"], code
        assert got["change_quarter"].lstrip("'") == want["change_display"], code
        # The practice reviews' timeliness is worked out from the records, not returned.
        made = "reported" if catalogue.indicator(code).reported_by else "worked out from"
        assert got["derivation"].startswith(made) and got["derivation"].endswith("the quarter")
    decisions = by_code.loc["MASH_DECISION_1WD"]
    # 78.0% of 1,000 against 90%, lower three quarters running: the figure and its parts.
    assert (decisions["value"], decisions["numerator"], decisions["denominator"]) == (
        "78.0",
        "780",
        "1000",
    )
    assert (decisions["rag"], decisions["target"]) == ("Red", "90.0")
    assert decisions["run"] == "Missing target 3 quarters running"
    # An annual indicator has no quarterly figure, and says so.
    cin = by_code.loc["STAT_CIN_RATE"]
    assert cin["value"] == "" and cin["derivation"].startswith("reported once a year")


def test_a_year_rolls_quarterly_measures_up_by_their_rule(
    seeded: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = read(scorecard(seeded, capsys, "--period", YEAR_CODE)).set_index("code")
    assert list(rows.index) == [i.code for i in catalogue.indicators()]
    assert set(rows["period"]) == {YEAR_CODE}
    for spec in catalogue.indicators():
        row = rows.loc[spec.code]
        # Every kind is checked over every indicator in tests/data_access/test_rollups.py; here
        # the kinds whose rule needs nothing but the four stored quarters.
        kind = spec.aggregation
        if spec.is_annual or kind not in ("events", "percentage") and not kind.endswith("on_a_day"):
            continue
        if not row["value"]:
            continue
        # The year's figure worked out here from the stored quarters, by the unit's rule.
        quarters = stored_quarters(seeded, spec.code, YEAR_CODE)
        if kind == "events":
            want = quarters["value"].sum()
        elif kind.endswith("on_a_day"):
            want = quarters["value"].iloc[-1]
        else:
            # Python float, not numpy: numpy rounds 20.15 (really 20.1499...) up to 20.2.
            want = round(float(100 * quarters["num"].sum() / quarters["den"].sum()), 1)
            assert float(row["numerator"]) == quarters["num"].sum()
            assert float(row["denominator"]) == quarters["den"].sum()
        assert float(row["value"]) == pytest.approx(want), spec.code
        # A year made of quarters is not judged as a year.
        assert row["rag"] == row["variation"] == row["assurance"] == "", spec.code
    # The derivation is the catalogue's declaration in the annual table's words.
    for code in ("MASH_CONTACTS", "MASH_DECISION_1WD", "EH_OPEN_ASSESSMENTS"):
        assert rows.loc[code, "derivation"] == catalogue.indicator(code).rollup_words, code
    assert rows.loc["MASH_DAYS_TO_ASSESSMENT", "value"] == ""
    # Annual indicators: their own figure, judged for the year as the annual tables judge it.
    truth = brief.annual_brief(engine=seeded, year_code=YEAR_CODE).set_index("code")
    rereferrals = rows.loc["STAT_REREFERRALS_12M"]
    assert rereferrals["derivation"] == "reported for the year"
    assert rereferrals["value"] == "25.2"
    assert rereferrals["rag"] == ragmod.RAG_WORDS[truth.loc["STAT_REREFERRALS_12M", "rag"]]
    assert rereferrals["rag"] == "Red"
    assert rereferrals["change_year"].lstrip("'") == "+4.7 pp on 2023-24 (worse)"
    assert rereferrals["variation"] == truth.loc["STAT_REREFERRALS_12M", "spc_variation"]
    assert rows.loc["STAT_CIN_RATE", "note"] == NOTE_WORDS
    # A school-year figure is not a financial year's.
    assert rows.loc["STAT_SCHOOL_READINESS", "value"] == ""
    school = read(scorecard(seeded, capsys, "--period", "AY 2024/25")).set_index("code")
    assert school.loc["STAT_SCHOOL_READINESS", "value"] == "69.5"
    assert school.loc["STAT_SCHOOL_READINESS", "derivation"] == "reported for the school year"


def test_json_and_files(seeded: sa.Engine, tmp_path: Path, capsys) -> None:
    printed = read(scorecard(seeded, capsys, "--period", LATEST))
    records = json.loads(scorecard(seeded, capsys, "--period", LATEST, "--format", "json"))
    assert [r["code"] for r in records] == list(printed["code"])
    assert list(records[0]) == EXPORT_COLUMNS
    decisions = next(r for r in records if r["code"] == "MASH_DECISION_1WD")
    assert decisions["value"] == 78.0 and decisions["numerator"] == 780
    assert decisions["change_quarter"] == "-2.0 pp"  # JSON is not a spreadsheet: no apostrophe
    as_csv = tmp_path / "card.csv"
    scorecard(seeded, capsys, "--period", LATEST, "-o", str(as_csv))
    assert as_csv.read_bytes().decode("utf-8-sig").splitlines()[0] == HEADER
    as_json = tmp_path / "card.json"
    scorecard(seeded, capsys, "--period", LATEST, "-o", str(as_json))  # the extension decides
    assert json.loads(as_json.read_text()) == records
    # An extension the command does not write, or one that disagrees with --format: nothing.
    url = _url(seeded)
    for args in (
        ["-o", str(tmp_path / "card.xlsx")],
        ["-o", str(tmp_path / "x.csv"), "--format", "json"],
    ):
        assert cli.main(["--database-url", url, "scorecard", "--period", LATEST, *args]) == 2
        assert "Error:" in capsys.readouterr().out
    assert not (tmp_path / "card.xlsx").exists() and not (tmp_path / "x.csv").exists()
    assert cli.main(["--database-url", url, "scorecard", "--period", "Q4 2025"]) == 2
    assert 'give a quarter such as "2025-26 Q4"' in capsys.readouterr().out
