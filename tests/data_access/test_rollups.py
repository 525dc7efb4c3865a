"""Issue 26: every figure rolls up by the rule its unit declares, written once.

The rule (`data_access.rollup`) on its own; the catalogue refusing an indicator without a declared
kind; and, on SQLite and PostgreSQL, every quarterly indicator of the catalogue rolled up to a year
(`year_rollups`, `quarterly_rollup` and the table the page shows) checked against the rule worked
out independently here from the stored quarters. Then a yearly figure beside its quarters, and a
child population of 0 refused at import.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard.components import annual as annual_words
from dashboard.metrics import rag as ragmod
from dashboard.metrics.scorecard_export import scorecard_export
from data_access import annual_figures, catalogue, data_quality, rollup
from data_access.db import session_scope
from data_access.importer import check_file
from data_access.models import Indicator, IndicatorValue
from data_access.periods import FinancialYear
from data_access.reference import ensure_periods
from tests.support.import_corpus import TODAY, csv_bytes, seed_reference

P = rollup.part
REAL_CATALOGUE = catalogue.CATALOGUE_DIR / "indicators.yaml"


# --- the rule ------------------------------------------------------------------------------------


def test_events_add_up_and_counts_on_a_day_take_the_last_quarter() -> None:
    quarters = [P(868), P(870), P(880), P(888)]
    assert rollup.roll_up("events", "count", quarters).value == 3506
    # Open early help assessments: the year is the last quarter's 888, not 3,506.
    assert rollup.roll_up("on_a_day", "count", quarters).value == 888
    # Across localities on the same day, a count on a day adds up.
    assert rollup.roll_up("on_a_day", "count", quarters, over=rollup.ACROSS).value == 3506


def test_a_percentage_is_worked_out_again_from_summed_parts() -> None:
    # CP plans for a second time: 12.9%, 14.3%, 11.8%, 19.6% a quarter are 37 of 256 together.
    quarters = [P(12.9, 8, 62), P(14.3, 10, 70), P(11.8, 8, 68), P(19.6, 11, 56)]
    rolled = rollup.roll_up("percentage", "percentage", quarters)
    assert (rolled.numerator, rolled.denominator, rolled.value) == (37, 256, 14.5)
    # Not the mean of the percentages (14.65) nor their sum.
    assert rolled.value != round(sum(q.value for q in quarters if q.value) / 4, 1)
    on_day = rollup.roll_up("percentage_on_a_day", "percentage", quarters)
    assert (on_day.value, on_day.numerator, on_day.denominator) == (19.6, 11, 56)
    missing = rollup.roll_up("percentage", "percentage", [P(12.9), P(14.3), P(11.8), P(19.6)])
    assert missing.value is None and "numerator or denominator" in str(missing.reason)


def test_rates_use_the_population_once_and_rates_on_a_day_are_not_summed() -> None:
    quarters = [
        P(44.4, 222, 50_000),
        P(44.0, 220, 50_000),
        P(45.0, 225, 50_000),
        P(44.4, 222, 50_000),
    ]
    referrals = rollup.roll_up("rate", "rate_per_10k", quarters)
    assert referrals.value == 177.8 and referrals.denominator == 50_000
    # Children on a plan per 10,000 at the year end: the last quarter's 44.4, never 177.8.
    assert rollup.roll_up("rate_on_a_day", "rate_per_10k", quarters).value == 44.4
    # Across localities the populations add up.
    places = [P(40.0, 80, 20_000), P(50.0, 75, 15_000)]
    across = rollup.roll_up("rate_on_a_day", "rate_per_10k", places, over=rollup.ACROSS)
    assert (across.numerator, across.denominator, across.value) == (155, 35_000, 44.3)
    zero = rollup.roll_up("rate", "rate_per_10k", [P(1.0, 5, 0)])
    assert zero.value is None and zero.reason == "the denominator is 0"


def test_means_are_weighted_and_not_rolled_up_without_their_weights() -> None:
    days = [P(30.0, None, 100), P(20.0, None, 300)]
    assert rollup.roll_up("mean", "days", days).value == 22.5  # not 25.0
    unweighted = rollup.roll_up("mean", "days", [P(30.0), P(20.0)])
    assert unweighted.value is None and "weighted" in str(unweighted.reason)
    # A caseload on the last day: the last quarter's 18, never 72.
    caseload = [P(18), P(18), P(18), P(18)]
    assert rollup.roll_up("mean_on_a_day", "count", caseload).value == 18


def test_a_missing_quarter_or_a_measure_that_does_not_roll_up_has_no_figure() -> None:
    part_year = rollup.roll_up("events", "count", [P(1), P(None), P(3), P(4)])
    assert part_year.value is None and part_year.reason == "1 of 4 figures are missing"
    assert rollup.roll_up("not_rolled_up", "percentage", [P(25.0)] * 4).value is None


def test_every_kind_has_words_and_the_units_it_may_describe() -> None:
    for kind in rollup.KINDS:
        assert rollup.rule_words(kind) and rollup.rule_words(kind, rollup.ACROSS)
    assert rollup.check_kind("events", "percentage") is not None
    assert rollup.check_kind("sum", "count") == (
        "unknown aggregation 'sum' (one of events, on_a_day, percentage, percentage_on_a_day, "
        "rate, rate_on_a_day, mean, mean_on_a_day, not_rolled_up)"
    )
    assert rollup.check_kind("rate_on_a_day", "rate_per_10k") is None


# --- the catalogue -------------------------------------------------------------------------------


def _load_changed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, old: str, new: str) -> None:
    text = REAL_CATALOGUE.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "indicators.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setattr(catalogue, "CATALOGUE_DIR", tmp_path)
    catalogue._load.__wrapped__()


def test_the_catalogue_refuses_an_indicator_without_a_declared_kind(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(
        catalogue.CatalogueError, match="EH_OPEN_ASSESSMENTS: no aggregation declared"
    ):
        _load_changed(monkeypatch, tmp_path, "    aggregation: on_a_day\n", "")
    with pytest.raises(catalogue.CatalogueError, match="cannot describe a figure in 'count'"):
        _load_changed(
            monkeypatch, tmp_path, "    aggregation: on_a_day\n", "    aggregation: rate\n"
        )
    with pytest.raises(catalogue.CatalogueError, match="needs an aggregation_note"):
        _load_changed(
            monkeypatch, tmp_path, "    aggregation: on_a_day\n", "    aggregation: not_rolled_up\n"
        )


def test_every_indicator_declares_a_kind_that_fits_its_unit() -> None:
    for spec in catalogue.indicators():
        assert rollup.check_kind(spec.aggregation, spec.unit) is None, spec.code
    kinds = {i.code: i.aggregation for i in catalogue.indicators()}
    assert kinds["EH_OPEN_ASSESSMENTS"] == "on_a_day"
    assert kinds["MASH_SW_CASELOAD"] == "mean_on_a_day"
    assert kinds["NEG_CP_RATE"] == "rate_on_a_day"
    assert kinds["MASH_REFERRAL_RATE"] == "rate"
    assert kinds["NEG_CP_SECOND_TIME"] == "percentage"
    assert kinds["STAT_CP_COUNT"] == "on_a_day"


# --- every indicator on each store ---------------------------------------------------------------

YEAR, BEFORE = FinancialYear(2024), FinancialYear(2023)
QUARTERS = [*BEFORE.quarters(), *YEAR.quarters()]
POPULATION = 50_000.0


def _stored(spec: catalogue.IndicatorSpec, index: int) -> tuple[float, float | None, float | None]:
    """A quarter's (value, numerator, denominator) for `spec`, differing quarter to quarter."""
    step = index * 7 + spec.sort_order
    if spec.unit == "percentage":
        denominator = 200.0 + step % 50
        numerator = float(40 + step % 37)
        return round(100 * numerator / denominator, 1), numerator, denominator
    if spec.unit == "rate_per_10k":
        numerator = float(200 + step % 40)
        return round(10_000 * numerator / POPULATION, 1), numerator, POPULATION
    if spec.aggregation in ("mean", "mean_on_a_day"):
        return float(15 + step % 9), None, float(80 + step % 30)
    return float(800 + step % 97), None, None


def _expected(
    spec: catalogue.IndicatorSpec, quarters: list[tuple[float, float | None, float | None]]
) -> float | None:
    """The year by the unit's rule, worked out here without `rollup` (issue 26's "done when")."""
    values = [q[0] for q in quarters]
    kind = spec.aggregation
    if kind == "events":
        return sum(values)
    if kind in ("on_a_day", "percentage_on_a_day", "rate_on_a_day", "mean_on_a_day"):
        return values[-1]
    if kind == "percentage":
        return round(100 * sum(q[1] or 0 for q in quarters) / sum(q[2] or 0 for q in quarters), 1)
    if kind == "rate":
        return round(10_000 * sum(q[1] or 0 for q in quarters) / POPULATION, 1)
    if kind == "mean":
        weights = [q[2] or 0 for q in quarters]
        return round(sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights), 1)
    assert kind == "not_rolled_up", kind
    return None


@pytest.fixture
def quarters_store(store: sa.Engine) -> dict[str, list[tuple[float, float | None, float | None]]]:
    """Eight quarters (2023-24, 2024-25) of every quarterly indicator with its parts."""
    stored: dict[str, list[tuple[float, float | None, float | None]]] = {}
    with session_scope(store) as session:
        period_ids = ensure_periods(session, QUARTERS)
        ids = dict(session.execute(sa.select(Indicator.code, Indicator.id)).all())
        for spec in catalogue.indicators():
            if spec.is_annual:
                continue
            stored[spec.code] = [_stored(spec, i) for i in range(len(QUARTERS))]
            for quarter, (value, numerator, denominator) in zip(
                QUARTERS, stored[spec.code], strict=True
            ):
                session.add(
                    IndicatorValue(
                        indicator_id=ids[spec.code],
                        period_id=period_ids[quarter.code],
                        value=value,
                        numerator=numerator,
                        denominator=denominator,
                    )
                )
    return stored


def test_every_indicator_rolls_up_to_the_year_by_its_units_rule(
    store: sa.Engine, quarters_store: dict[str, list[tuple[float, float | None, float | None]]]
) -> None:
    rows = annual_figures.year_rollups(engine=store, year_code=YEAR.code).set_index("code")
    table = annual_words.rollup_table(rows.reset_index()).set_index("Indicator")
    # The machine-readable scorecard of the year (`qa-dashboard scorecard`) gives the same.
    export = scorecard_export(engine=store, period_code=YEAR.code).set_index("code")
    quarterly = [i for i in catalogue.indicators() if not i.is_annual]
    assert set(rows.index) == {i.code for i in quarterly}  # every one, not only those that add up
    for spec in quarterly:
        this_year = quarters_store[spec.code][4:]
        year_before = quarters_store[spec.code][:4]
        expected = _expected(spec, this_year)
        row = rows.loc[spec.code]
        single = annual_figures.quarterly_rollup(engine=store, code=spec.code, year_code=YEAR.code)
        shown = table.loc[spec.name]
        assert shown["How the year is made"] == spec.rollup_words, spec.code
        exported = export.loc[spec.code, "value"]
        if expected is None:
            assert pd.isna(row["value"]) and single["value"] is None, spec.code
            assert exported is None, spec.code
            assert shown["Year"] == "not rolled up", spec.code
            assert spec.aggregation_note and spec.aggregation_note in str(row["reason"])
            continue
        assert row["value"] == pytest.approx(expected), spec.code
        assert single["value"] == pytest.approx(expected), spec.code
        assert float(exported) == pytest.approx(expected), spec.code
        assert row["previous_value"] == pytest.approx(_expected(spec, year_before)), spec.code
        assert shown["Year"] == ragmod.format_value(expected, spec.unit), spec.code


# --- a yearly figure beside its quarters ---------------------------------------------------------


def test_a_yearly_figure_that_differs_from_its_quarters_is_shown_with_both_and_listed(
    store: sa.Engine,
) -> None:
    """CP plans for a second time: 35 of 99 in the annual return, 37 of 256 from the quarters."""
    parts = [(8, 62), (10, 70), (8, 68), (11, 56)]
    with session_scope(store) as session:
        period_ids = ensure_periods(session, [*YEAR.quarters(), YEAR])
        ids = dict(session.execute(sa.select(Indicator.code, Indicator.id)).all())
        for quarter, (numerator, denominator) in zip(YEAR.quarters(), parts, strict=True):
            session.add(
                IndicatorValue(
                    indicator_id=ids["NEG_CP_SECOND_TIME"],
                    period_id=period_ids[quarter.code],
                    value=round(100 * numerator / denominator, 1),
                    numerator=numerator,
                    denominator=denominator,
                )
            )
        session.add(
            IndicatorValue(
                indicator_id=ids["STAT_CP_SECOND_PLAN"],
                period_id=period_ids[YEAR.code],
                value=35.4,
                numerator=35,
                denominator=99,
            )
        )
    pairs = annual_figures.annual_against_quarters(engine=store, year_code=YEAR.code)
    pair = pairs.set_index("code").loc["STAT_CP_SECOND_PLAN"]
    assert pair["quarters_value"] == 14.5 and pair["value"] == 35.4 and bool(pair["differs"])
    words = annual_words.quarters_words(
        pair.rename(None).to_frame().T.assign(code="STAT_CP_SECOND_PLAN").iloc[0]
    )
    assert words.startswith("14.5% (37 of 256) from the quarterly returns")
    assert words.endswith("; differs from the yearly 35.4% (35 of 99): to reconcile (Data quality)")
    listed = data_quality.annual_quarter_differences(engine=store)
    assert list(listed["code"]) == ["STAT_CP_SECOND_PLAN"]
    assert listed.iloc[0]["quarters_value"] == 14.5


# --- a child population of 0 ---------------------------------------------------------------------


def test_a_child_population_of_zero_is_refused_at_import(store: sa.Engine) -> None:
    seed_reference(store)
    rows = [["CHILD_POPULATION", "2024-25", "", "", 0, "", "", "", ""]]
    checked = check_file(engine=store, file_name="p.csv", data=csv_bytes(rows), today=TODAY)
    errors = checked.validation.errors
    assert len(errors) == 1
    assert "The child population is 0 or less" in errors.iloc[0]["problem"]
    assert "swapped" not in " ".join(errors["what_to_do"])
