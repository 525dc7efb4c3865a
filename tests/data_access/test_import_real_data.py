"""A real partnership's data in: history loads, numbers never changed, unusual figures held,
rates from their parts, annual figures, qualifiers, and imports that queue instead of racing.

Every store test runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import annual_figures, catalogue, themes
from data_access.importer import check_file, load_checked
from data_access.importer.loading import ImportBusy, ImportRefused
from data_access.models import IndicatorValue, ReportingPeriod
from data_access.periods import FinancialYear, Quarter, quarters_between
from data_access.templates import template_frame
from tests.support.import_corpus import (
    HEADER,
    PERIOD,
    TODAY,
    csv_bytes,
    seed_reference,
    snapshot,
    xlsx_bytes,
)
from tests.support.import_corpus.history import POPULATION, history_rows


def _current_count(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            sa.select(sa.func.count())
            .select_from(IndicatorValue)
            .where(IndicatorValue.is_current.is_(True))
        )


# --- 1. history loads ---------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_four_years_of_history_for_every_indicator_load_into_an_empty_store(
    store: sa.Engine, file_format: str
) -> None:
    rows = history_rows()
    data = csv_bytes(rows) if file_format == "csv" else xlsx_bytes(rows)
    with store.connect() as connection:  # a fresh init-db store: no periods at all
        assert connection.scalar(sa.select(sa.func.count()).select_from(ReportingPeriod)) == 0
    checked = check_file(engine=store, file_name=f"history.{file_format}", data=data, today=TODAY)
    assert checked.can_load_all, checked.report.to_dict("records")[:5]
    assert checked.summary["new"] == len(rows) and checked.summary["held"] == 0
    assert checked.summary["periods"] == 16 + 4 + 4
    result = load_checked(engine=store, checked=checked, username="qa.history")
    assert result.new == len(rows)

    history = themes.indicator_history(engine=store)
    per_code = history.dropna(subset=["period_code"]).groupby("code")["period_code"].nunique()
    for spec in catalogue.indicators():
        assert per_code.get(spec.code) == (16 if spec.frequency == "quarterly" else 4), spec.code
    rate = history[(history["code"] == "STAT_CP_RATE")].iloc[-1]
    assert rate["period_code"] == "2024-25" and rate["period_kind"] == "financial_year"
    assert rate["value"] == pytest.approx(round(10_000 * rate["numerator"] / POPULATION, 1))
    # Loading the same file again changes nothing.
    again = check_file(engine=store, file_name=f"history.{file_format}", data=data, today=TODAY)
    assert again.summary["unchanged"] == len(rows)


def test_two_new_quarters_in_one_file_preview_without_error(store: sa.Engine) -> None:
    """The reported crash: one indicator in two quarters not yet in the store, --dry-run."""
    rows = [
        ["MASH_CONTACTS", "2024-25 Q1", "", "", 700, "", "", "", ""],
        ["MASH_CONTACTS", "2024-25 Q2", "", "", 710, "", "", "", ""],
    ]
    checked = check_file(engine=store, file_name="two.csv", data=csv_bytes(rows), today=TODAY)
    assert checked.can_load_all
    assert list(checked.preview["change"]) == ["new", "new"]


def test_a_history_load_with_one_bad_row_writes_nothing(store: sa.Engine) -> None:
    rows = history_rows()
    rows[40][4] = "17,5" if rows[40][4] != "" else rows[40][4]
    rows.append(["MASH_CONTACTS", "2019-20 Q1", "", "", "lots", "", "", "", ""])
    before = snapshot(store)
    checked = check_file(engine=store, file_name="h.csv", data=csv_bytes(rows), today=TODAY)
    assert not checked.can_load_all
    with pytest.raises(ImportRefused):
        load_checked(engine=store, checked=checked, username="qa")
    assert snapshot(store) == before


# --- 2. numbers are never changed ---------------------------------------------------------------

COUNT = dict(zip(HEADER, ["MASH_CONTACTS", PERIOD, "", "", 700, "", "", "", ""], strict=True))
PERCENT = {**COUNT, "indicator_code": "MASH_DECISION_1WD", "value": 90}


def _row(base: dict[str, object], **changes: object) -> list[object]:
    return [{**base, **changes}[c] for c in HEADER]


@pytest.fixture
def ready_store(store: sa.Engine) -> sa.Engine:
    seed_reference(store)
    return store


REFUSED_NUMBERS = [
    ("decimal comma", COUNT, "17,5", "could be a decimal point or a thousands separator"),
    ("decimal comma, two places", PERCENT, "31,25", "could be a decimal point"),
    ("decimal comma, quoted", PERCENT, "1,5", "could be a decimal point"),
    ("one thousands group on a percentage", PERCENT, "1,234", "could be a decimal point"),
    ("full stops for thousands", COUNT, "1.234,5", "full stops for thousands"),
    ("percent sign on a count", COUNT, "12%", "A % sign on a figure that is a count"),
    ("scientific notation", COUNT, "1e308", "scientific notation"),
    ("infinity", COUNT, "inf", "Not a number"),
    ("not a number", COUNT, "nan", "Not a number"),
    ("huge", COUNT, "1000000000000", "far beyond anything a partnership reports"),
]


@pytest.mark.parametrize(
    ("base", "written", "problem"),
    [c[1:] for c in REFUSED_NUMBERS],
    ids=[c[0] for c in REFUSED_NUMBERS],
)
def test_ambiguous_or_impossible_numbers_are_refused_and_never_changed(
    ready_store: sa.Engine, base: dict, written: str, problem: str
) -> None:
    before = snapshot(ready_store)
    checked = check_file(
        engine=ready_store,
        file_name="r.csv",
        data=csv_bytes([_row(base, value=written)]),
        today=TODAY,
    )
    errors = checked.report[checked.report["severity"] == "error"]
    line = errors[errors["problem"].str.contains(problem, regex=False)]
    assert not line.empty, errors.to_dict("records")
    assert int(line.iloc[0]["row"]) == 2 and line.iloc[0]["column"] == "value"
    assert line.iloc[0]["value"] == written and line.iloc[0]["what_to_do"]
    with pytest.raises(ImportRefused):
        load_checked(engine=ready_store, checked=checked, username="qa")
    assert snapshot(ready_store) == before


def test_a_huge_number_typed_into_excel_is_refused(ready_store: sa.Engine) -> None:
    checked = check_file(
        engine=ready_store,
        file_name="r.xlsx",
        data=xlsx_bytes([_row(COUNT, value=1e308)]),
        today=TODAY,
    )
    assert "far beyond" in " ".join(checked.validation.errors["problem"])


def test_unambiguous_thousands_and_bounds_are_read_exactly(ready_store: sa.Engine) -> None:
    rows = [
        _row(COUNT, value="1,234"),
        _row(COUNT, locality_code="NORTH", value="1,234,567"),
        _row(COUNT, locality_code="SOUTH", value="1 234"),
        _row(PERCENT, value="more than 40%", comment="published as more than 40%"),
        _row(COUNT, indicator_code="CS_CAWN_ISSUED", value=">40"),
    ]
    checked = check_file(engine=ready_store, file_name="r.csv", data=csv_bytes(rows), today=TODAY)
    assert checked.validation.errors.empty, checked.validation.errors.to_dict("records")
    read = checked.validation.rows
    assert list(read["value"]) == [1234.0, 1234567.0, 1234.0, 40.0, 40.0]
    assert list(read["qualifier"]) == [None, None, None, "more than", "more than"]
    load_checked(engine=ready_store, checked=checked, username="qa", confirm_outliers=True)
    drill = themes.drilldown_rows(
        engine=ready_store, indicator_code="MASH_DECISION_1WD", period_code=PERIOD
    )
    assert drill.iloc[0]["qualifier"] == "more than"
    assert drill.iloc[0]["comment"] == "published as more than 40%"


# --- held for confirmation ----------------------------------------------------------------------


def _load(engine: sa.Engine, rows: list[list[object]], **options: object):
    checked = check_file(engine=engine, file_name="r.csv", data=csv_bytes(rows), today=TODAY)
    assert checked.validation is not None and checked.validation.errors.empty, (
        checked.report.to_dict("records")
    )
    return checked, load_checked(engine=engine, checked=checked, username="qa", **options)


def test_a_figure_ten_times_its_history_is_held_until_confirmed(ready_store: sa.Engine) -> None:
    history = [
        _row(COUNT, period=q, value=700 + i)
        for i, q in enumerate(["2024-25 Q3", "2024-25 Q4", "2025-26 Q1"])
    ]
    _load(ready_store, history)
    before = snapshot(ready_store)
    # A slipped zero (7,020 for 702) is ten times the history of 700-702: held.
    rows = [_row(COUNT, value=7020), _row(PERCENT, value=91)]
    checked = check_file(engine=ready_store, file_name="q2.csv", data=csv_bytes(rows), today=TODAY)
    held = checked.held_rows
    assert list(held["row"]) == [2] and "10 times the usual level" in held.iloc[0]["hold_reason"]
    assert checked.summary["held"] == 1
    with pytest.raises(ImportRefused, match="held for you to confirm - row 2"):
        load_checked(engine=ready_store, checked=checked, username="qa")
    assert snapshot(ready_store) == before
    # Load only the rest: the held figure is left out.
    partial = load_checked(engine=ready_store, checked=checked, username="qa", valid_only=True)
    assert partial.new == 1 and "left out" in partial.message
    # Confirmed: loaded, and the audit log says who confirmed it.
    confirmed = load_checked(
        engine=ready_store, checked=checked, username="qa.lead", confirm_outliers=True
    )
    assert confirmed.new == 1 and "confirmed" in confirmed.message


def test_a_figure_outside_the_plausible_range_is_held(ready_store: sa.Engine) -> None:
    rows = [["CHILD_POPULATION", "2024-25", "", "", 50, "", "", "", ""]]
    checked = check_file(engine=ready_store, file_name="p.csv", data=csv_bytes(rows), today=TODAY)
    assert "outside the range expected" in checked.held_rows.iloc[0]["hold_reason"]


# --- 4. rates from their parts ------------------------------------------------------------------


def test_rates_are_worked_out_and_checked_against_their_parts(ready_store: sa.Engine) -> None:
    rate = {**COUNT, "indicator_code": "MASH_REFERRAL_RATE", "value": ""}
    rows = [
        _row(rate, numerator=210, denominator=50_000),  # worked out: 42.0
        _row(rate, locality_code="NORTH", value=4.2, numerator=210, denominator=50_000),
        _row(rate, locality_code="SOUTH", value=42.04, numerator=210, denominator=50_000),
    ]
    checked = check_file(engine=ready_store, file_name="r.csv", data=csv_bytes(rows), today=TODAY)
    read = checked.validation.rows.set_index("row")
    assert read.loc[2, "value"] == 42.0
    errors = checked.validation.errors
    assert list(errors["row"]) == [3]  # ten times too small; 42.04 is within rounding
    assert "which give 42.0 per 10,000" in errors.iloc[0]["problem"]


def test_a_rate_given_as_numerator_uses_the_child_population(ready_store: sa.Engine) -> None:
    rate = {**COUNT, "indicator_code": "MASH_REFERRAL_RATE", "value": ""}
    missing = check_file(
        engine=ready_store,
        file_name="r.csv",
        data=csv_bytes([_row(rate, numerator=210)]),
        today=TODAY,
    )
    assert list(missing.validation.errors["problem"]) == [
        "There is no child population for 2025-26 Q2 to work the rate out from."
    ]
    _load(
        ready_store,
        [
            ["CHILD_POPULATION", "2024-25", "", "", 48_000, "", "", "", ""],
            ["CHILD_POPULATION", "2024-25", "", "NORTH", 12_000, "", "", "", ""],
        ],
    )
    rows = [_row(rate, numerator=210), _row(rate, locality_code="NORTH", numerator=60)]
    checked = check_file(engine=ready_store, file_name="r.csv", data=csv_bytes(rows), today=TODAY)
    read = checked.validation.rows
    assert list(read["value"]) == [round(10_000 * 210 / 48_000, 1), 50.0]
    assert list(read["denominator"]) == [48_000, 12_000]
    assert "child population for 2024-25" in " ".join(checked.validation.warnings["problem"])


# --- 3. imports queue, not race -----------------------------------------------------------------


def test_two_imports_at_once_queue_and_never_show_a_traceback(ready_store: sa.Engine) -> None:
    quarters = [q.code for q in quarters_between(Quarter(2022, 1), Quarter(2025, 1))]
    first = [
        _row(COUNT, period=q, locality_code=loc, value=500 + i)
        for i, q in enumerate(quarters)
        for loc in ("", "NORTH", "SOUTH", "EAST")
    ]
    second = [
        _row(COUNT, period=q, locality_code=loc, value=510 + i)
        for i, q in enumerate(quarters)
        for loc in ("", "NORTH", "SOUTH", "EAST")
    ]
    checked = [
        check_file(engine=ready_store, file_name=f"{n}.csv", data=csv_bytes(rows), today=TODAY)
        for n, rows in (("a", first), ("b", second))
    ]
    assert all(c.can_load_all for c in checked)
    start = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def load(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = load_checked(engine=ready_store, checked=checked[i], username=f"qa.{i}")
        except ImportBusy as busy:
            outcomes[i] = busy
        except Exception as other:  # noqa: BLE001 - anything else is the failure under test
            outcomes[i] = other

    threads = [threading.Thread(target=load, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    loaded = [o for o in outcomes if not isinstance(o, Exception)]
    busy = [o for o in outcomes if isinstance(o, ImportBusy)]
    assert len(loaded) + len(busy) == 2, outcomes
    assert loaded, "at least one import gets through"
    for refusal in busy:
        assert "load the same file again" in str(refusal)
    # One current figure per key, and they are all from one whole file (never a mixture).
    with ready_store.connect() as connection:
        current = connection.execute(
            sa.select(
                IndicatorValue.period_id,
                IndicatorValue.locality_id,
                IndicatorValue.value,
                IndicatorValue.submission_id,
            ).where(IndicatorValue.is_current.is_(True))
        ).all()
    keys = [(r[0], r[1]) for r in current]
    assert len(keys) == len(set(keys)) == len(first)
    if len(loaded) == 2:  # the second waited for the first, then replaced its figures
        assert {r[3] for r in current} == {max(o.submission_id for o in loaded)}


# --- 9. a published year through the template ---------------------------------------------------

PUBLISHED = {  # two years of a partnership's published figures (counts; rates left to the product)
    "2023-24": {
        "CHILD_POPULATION": 51_230,
        "STAT_CONTACTS": 14_210,
        "STAT_REFERRALS": 3_639,
        "STAT_CP_COUNT": 212,
        "STAT_CLA_COUNT": 372,
        "STAT_CIN_COUNT": 1_655,
    },
    "2024-25": {
        "CHILD_POPULATION": 51_480,
        "STAT_CONTACTS": 13_020,
        "STAT_REFERRALS": 2_638,
        "STAT_CP_COUNT": 241,
        "STAT_CLA_COUNT": 355,
        "STAT_CIN_COUNT": 1_702,
    },
}
RATES = {
    "STAT_REFERRAL_RATE": "STAT_REFERRALS",
    "STAT_CONTACT_RATE": "STAT_CONTACTS",
    "STAT_CP_RATE": "STAT_CP_COUNT",
    "STAT_CLA_RATE": "STAT_CLA_COUNT",
    "STAT_CIN_RATE": "STAT_CIN_COUNT",
}


def test_a_published_year_through_the_template_gives_rates_and_year_on_year_change(
    ready_store: sa.Engine,
) -> None:
    for year, figures in PUBLISHED.items():
        template = template_frame(engine=ready_store, agency_code="LA", period_code=year)
        template = template[template["locality_code"] == ""].copy()
        assert set(figures) | set(RATES) <= set(template["indicator_code"])
        template = template[template["indicator_code"].isin(set(figures) | set(RATES))]
        template = template.astype(object)  # the template's cells are text until filled in
        for index, code in template["indicator_code"].items():
            if code in RATES:
                template.loc[index, "numerator"] = figures[RATES[code]]  # rate from its count
            else:
                template.loc[index, "value"] = figures[code]
        data = template.to_csv(index=False).encode("utf-8-sig")
        checked = check_file(
            engine=ready_store, file_name=f"annual-{year}.csv", data=data, today=TODAY
        )
        assert checked.can_load_all, checked.report.to_dict("records")
        load_checked(engine=ready_store, checked=checked, username="qa.annual")

    years = annual_figures.year_on_year(engine=ready_store, codes=[*RATES, *PUBLISHED["2024-25"]])
    latest = years[years["period_code"] == "2024-25"].set_index("code")
    for rate_code, count_code in RATES.items():
        expected = round(10_000 * PUBLISHED["2024-25"][count_code] / 51_480, 1)
        before = round(10_000 * PUBLISHED["2023-24"][count_code] / 51_230, 1)
        assert latest.loc[rate_code, "value"] == expected, rate_code
        assert latest.loc[rate_code, "previous_period_code"] == "2023-24"
        assert latest.loc[rate_code, "change"] == pytest.approx(expected - before)
    assert latest.loc["STAT_REFERRAL_RATE", "value"] == 512.4  # 2,638 / 51,480 x 10,000
    assert latest.loc["STAT_REFERRALS", "change"] == 2_638 - 3_639
    assert set(years["period_code"]) == {"2023-24", "2024-25"}
    first_year = years[years["period_code"] == "2023-24"]
    assert first_year["previous_value"].isna().all()


# --- 5. roll-up of quarters to a year -----------------------------------------------------------


def test_quarters_roll_up_to_a_year(ready_store: sa.Engine) -> None:
    year = FinancialYear(2024)
    rows = []
    for i, quarter in enumerate(year.quarters()):
        rows.append(_row(COUNT, period=quarter.code, value=600 + 10 * i))
        rows.append(
            _row(PERCENT, period=quarter.code, value="", numerator=80 + i, denominator=100 + i)
        )
    _load(ready_store, rows)
    counts = annual_figures.quarterly_rollup(
        engine=ready_store, code="MASH_CONTACTS", year_code="2024-25"
    )
    assert counts["value"] == 600 + 610 + 620 + 630 and counts["rule"] == "events"
    pct = annual_figures.quarterly_rollup(
        engine=ready_store, code="MASH_DECISION_1WD", year_code="2024-25"
    )
    assert pct["rule"] == "percentage"
    assert pct["value"] == round(100 * (80 + 81 + 82 + 83) / (100 + 101 + 102 + 103), 1)
    part = annual_figures.quarterly_rollup(
        engine=ready_store, code="MASH_CONTACTS", year_code="2025-26"
    )
    assert part["value"] is None
    # The page's batch (every quarterly measure of a theme, the year and the year before, in
    # one query) gives the same figures.
    batch = annual_figures.year_rollups(
        engine=ready_store, year_code="2024-25", theme_code="mash"
    ).set_index("code")
    assert batch.loc["MASH_CONTACTS", "value"] == counts["value"]
    assert batch.loc["MASH_DECISION_1WD", "value"] == pct["value"]
    assert batch.loc["MASH_CONTACTS", "previous_year_code"] == "2023-24"
    assert batch.loc["MASH_CONTACTS", "previous_value"] is None
    assert batch.loc["MASH_CONTACTS", "previous_quarters"] == 0
    assert "STAT_CIN_RATE" not in batch.index  # annual indicators are not rolled up


# --- 7. qualifiers kept and shown ----------------------------------------------------------------


def test_comments_and_low_reliability_stay_with_their_figure(ready_store: sa.Engine) -> None:
    rows = [
        _row(COUNT, value=700, status_symbol="u", comment="new case system, figures partial"),
        _row(COUNT, locality_code="NORTH", value=200),
    ]
    _load(ready_store, rows)
    history = themes.indicator_history(engine=ready_store)
    mine = history[(history["code"] == "MASH_CONTACTS")].iloc[-1]
    assert mine["status_symbol"] == "u" and mine["comment"] == "new case system, figures partial"
    note = annual_figures.figure_note(mine["status_symbol"], mine["qualifier"], mine["comment"])
    assert note == "u: low reliability; new case system, figures partial"
    drill = themes.drilldown_rows(
        engine=ready_store, indicator_code="MASH_CONTACTS", period_code=PERIOD
    )
    assert set(drill["comment"].dropna()) == {"new case system, figures partial"}
    # A changed comment alone is a change (a new version of the figure, history kept).
    rows[0][8] = "case system fixed; figure complete"
    checked, result = _load(ready_store, rows)
    assert result.changed == 1 and result.unchanged == 1


def test_annual_figures_need_annual_periods(ready_store: sa.Engine) -> None:
    rows = [
        ["STAT_CP_COUNT", PERIOD, "", "", 240, "", "", "", ""],
        ["MASH_CONTACTS", "2024-25", "", "", 2400, "", "", "", ""],
        ["STAT_SCHOOL_READINESS", "2024-25", "", "", 66, "", "", "", ""],
    ]
    checked = check_file(engine=ready_store, file_name="r.csv", data=csv_bytes(rows), today=TODAY)
    problems = checked.validation.errors.set_index("row")["problem"]
    assert "reported for each financial year, but '2025-26 Q2' is a quarter" in problems[2]
    assert "reported for each quarter, but '2024-25' is a financial year" in problems[3]
    assert "reported for each academic year" in problems[4]
    fine = check_file(
        engine=ready_store,
        file_name="r.csv",
        data=csv_bytes(
            [
                ["STAT_SCHOOL_READINESS", "AY 2024/25", "", "", 66, "", "", "", ""],
                ["STAT_CP_COUNT", "2024/25", "", "", 240, "", "", "", ""],
            ]
        ),
        today=TODAY,
    )
    assert list(fine.validation.rows["period_code"]) == ["AY 2024/25", "2024-25"]
    assert fine.validation.errors.empty
    # The year has to have ended.
    early = check_file(
        engine=ready_store,
        file_name="r.csv",
        data=csv_bytes([["STAT_CP_COUNT", "2026-27", "", "", 240, "", "", "", ""]]),
        today=TODAY,
    )
    assert "has not ended yet" in early.validation.errors.iloc[0]["problem"]


def test_numbers_are_parsed_once_per_distinct_spelling() -> None:
    """A sanity check of the parser used for 100,000-row returns (no per-cell surprises)."""
    from data_access.importer.checks.numbers import _numbers

    cells = pd.Series(["1,234"] * 5 + [12.5, None, "", "17,5"], dtype=object)
    values, problems, percent, bounds = _numbers(cells, np.array([True] * 9))
    assert list(values[:6]) == [1234.0] * 5 + [12.5]
    assert list(problems) == [None] * 8 + ["ambiguous_comma"]


# --- periods: quarters and years --------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "previous", "year_before", "kind"),
    [
        ("2025-26 Q1", "2024-25 Q4", "2024-25 Q1", "quarter"),
        ("2025/26", "2024-25", "2024-25", "financial_year"),
        ("AY 2025/26", "AY 2024/25", "AY 2024/25", "academic_year"),
    ],
)
def test_previous_period_and_year_earlier_for_quarters_and_years(
    code: str, previous: str, year_before: str, kind: str
) -> None:
    from data_access.periods import parse_period, previous_period, year_earlier

    assert previous_period(code) == previous and year_earlier(code) == year_before
    assert parse_period(code).kind == kind


def test_the_scorecard_compares_an_annual_figure_with_the_year_before() -> None:
    from dashboard.metrics.scorecard import build_scorecard

    base = {
        "code": "STAT_CP_RATE",
        "name": "CP rate",
        "theme_code": "neglect",
        "unit": "rate_per_10k",
        "polarity": "neutral",
        "target": None,
        "tolerance": 0,
        "status_symbol": None,
    }
    history = pd.DataFrame(
        [
            {**base, "period_code": "2023-24", "value": 41.4},
            {**base, "period_code": "2024-25 Q4", "value": 99.0},  # a stray quarter is ignored
            {**base, "period_code": "2024-25", "value": 46.8},
        ]
    )
    row = build_scorecard(history, pd.DataFrame(), "2024-25").iloc[0]
    assert row["value"] == 46.8 and row["previous"] == 41.4 and row["year_ago"] == 41.4
    assert row["change"] == pytest.approx(5.4)
