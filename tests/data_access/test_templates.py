"""Return templates: the right rows per agency, guidance in the workbook, clean imports."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from data_access import catalogue
from data_access.importer import check_file
from data_access.templates import (
    TemplateError,
    template_csv,
    template_file_name,
    template_frame,
    template_xlsx,
)
from tests.support.import_corpus import LOCALITIES, PERIOD, TODAY, seed_reference


@pytest.fixture
def ref_store(sqlite_store: sa.Engine) -> sa.Engine:
    seed_reference(sqlite_store)
    return sqlite_store


def test_rows_follow_the_catalogue(ref_store: sa.Engine) -> None:
    police = template_frame(engine=ref_store, agency_code="police", period_code="2025/26 Q2")
    assert set(police["period"]) == {PERIOD}
    expected = {
        s.code
        for s in catalogue.indicators()
        if "police" in s.reported_by
        and ("agency" in s.breakdowns or s.reported_by[0] == "police")
        and s.frequency == "quarterly"
    }
    assert set(police["indicator_code"]) == expected
    # Agency breakdown: the police row carries its code; police is not the lead sector for it.
    learners = police[police["indicator_code"] == "TR_LEARNERS"]
    assert list(learners["agency_code"]) == ["POLICE"]
    # Police lead on missing episodes: partnership row plus one per locality.
    missing = police[police["indicator_code"] == "CS_MISSING_EPISODES"]
    assert sorted(missing["locality_code"]) == sorted(["", *[loc[0] for loc in LOCALITIES]])
    assert set(missing["agency_code"]) == {""}
    # Council leads strategy discussions, so the police template leaves them out.
    assert "MASH_STRATEGY_DISCUSSIONS" not in set(police["indicator_code"])
    council = template_frame(engine=ref_store, agency_code="LA", period_code=PERIOD)
    assert "MASH_STRATEGY_DISCUSSIONS" in set(council["indicator_code"])
    council_learners = council[council["indicator_code"] == "TR_LEARNERS"]
    assert sorted(council_learners["agency_code"]) == ["", "LA"]
    # No figure appears twice in one template.
    key = ["indicator_code", "agency_code", "locality_code"]
    assert not council.duplicated(key).any() and not police.duplicated(key).any()
    assert (council["definition"].str.len() > 0).all() and (council["unit"] != "").all()


def test_unknown_agency_or_period_is_refused(ref_store: sa.Engine) -> None:
    with pytest.raises(TemplateError, match="no agency"):
        template_frame(engine=ref_store, agency_code="NOPE", period_code=PERIOD)
    with pytest.raises(TemplateError, match="not a reporting period"):
        template_frame(engine=ref_store, agency_code="LA", period_code="Q2 2025")


def test_xlsx_has_return_and_guidance_sheets(ref_store: sa.Engine) -> None:
    workbook = load_workbook(
        io.BytesIO(template_xlsx(engine=ref_store, agency_code="VCS", period_code=PERIOD))
    )
    assert workbook.sheetnames == ["Return", "Guidance"]
    header = [c.value for c in workbook["Return"][1]]
    assert header[:9] == [
        "indicator_code",
        "period",
        "agency_code",
        "locality_code",
        "value",
        "numerator",
        "denominator",
        "status_symbol",
        "comment",
    ]
    guidance = "\n".join(
        str(c.value) for row in workbook["Guidance"].iter_rows() for c in row if c.value is not None
    )
    assert "Brookvale Voluntary Sector (VCS)" in guidance
    assert "Not applicable" in guidance and "status_symbol" in guidance
    rhi = catalogue.indicator("CS_RHI_OFFERED_72H")
    assert rhi.definition in guidance and rhi.unit_label in guidance


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_filled_template_imports_without_errors(ref_store: sa.Engine, file_format: str) -> None:
    if file_format == "csv":
        frame = template_frame(engine=ref_store, agency_code="LA", period_code=PERIOD)
        frame["value"] = 1
        data = frame.to_csv(index=False).encode("utf-8-sig")
    else:
        workbook = load_workbook(
            io.BytesIO(template_xlsx(engine=ref_store, agency_code="LA", period_code=PERIOD))
        )
        sheet = workbook["Return"]
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row=row, column=5).value = 1
        out = io.BytesIO()
        workbook.save(out)
        data = out.getvalue()
    checked = check_file(engine=ref_store, file_name=f"t.{file_format}", data=data, today=TODAY)
    assert checked.report.empty, checked.report.to_dict("records")
    assert checked.summary["new"] == checked.summary["rows"] > 40


def test_an_unfilled_template_says_no_figures_were_given(ref_store: sa.Engine) -> None:
    data = template_csv(engine=ref_store, agency_code="ICB", period_code=PERIOD)
    checked = check_file(engine=ref_store, file_name="t.csv", data=data, today=TODAY)
    assert checked.file_problem is not None
    assert checked.file_problem.problem.startswith("No figures were given")
    assert template_file_name("icb", PERIOD, "csv") == "return-ICB-2025-26-Q2.csv"


def test_a_year_gives_the_annual_indicators_of_that_kind_of_year(ref_store: sa.Engine) -> None:
    financial = template_frame(engine=ref_store, agency_code="LA", period_code="2024/25")
    assert set(financial["period"]) == {"2024-25"}
    codes = set(financial["indicator_code"])
    assert {"CHILD_POPULATION", "STAT_CP_COUNT", "STAT_CIN_RATE"} <= codes
    assert all(catalogue.indicator(c).frequency == "annual_financial" for c in codes)
    academic = template_frame(engine=ref_store, agency_code="LA", period_code="AY 2024/25")
    assert set(academic["indicator_code"]) == {
        s.code
        for s in catalogue.indicators()
        if s.frequency == "annual_academic" and "council" in s.reported_by
    }
    quarter = template_frame(engine=ref_store, agency_code="LA", period_code=PERIOD)
    assert "CHILD_POPULATION" not in set(quarter["indicator_code"])
    assert template_file_name("LA", "AY 2024/25", "csv") == "return-LA-AY-2024-25.csv"
