"""Issue 26: a total across agencies or localities is made by the catalogue's one roll-up rule
(`rollup.roll_up(..., over=ACROSS)`), never by adding up whatever the figures are.

Per aggregation kind on hand-made rows, then every breakdown of the sample partnership's latest
quarter and year checked against the rule worked out independently here, then the theme page
saying the total beside its breakdown.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import catalogue, themes
from data_access.indicators import periods_with_data
from tests.support.theme_apptest import app_for, texts


def rows(*figures: tuple[float | None, float | None, float | None]) -> pd.DataFrame:
    return pd.DataFrame(figures, columns=["value", "numerator", "denominator"])


# Three localities: value, numerator, denominator.
PLACES = rows((50.0, 10, 20), (10.0, 10, 100), (20.0, 20, 100))


@pytest.mark.parametrize(
    ("kind", "unit", "expected"),
    [
        ("events", "count", 80.0),  # added up
        ("on_a_day", "count", 80.0),  # the same day everywhere: added up
        # Worked out again from the summed parts (40 of 220), not the mean of the percentages
        # (26.7) nor their sum (80).
        ("percentage", "percentage", 18.2),
        ("percentage_on_a_day", "percentage", 18.2),
        ("rate", "rate_per_10k", 1818.2),  # 10,000 x 40 / 220: the populations added up
        ("rate_on_a_day", "rate_per_10k", 1818.2),
        # Weighted by what each is a mean of: (50x20 + 10x100 + 20x100) / 220, not 26.7.
        ("mean", "days", 18.2),
        ("mean_on_a_day", "count", 18.2),
    ],
)
def test_each_kind_totals_by_its_rule(kind: str, unit: str, expected: float) -> None:
    total = themes.across_total(kind, unit, PLACES)
    assert total.value == pytest.approx(expected, abs=0.05), total
    assert total.reason is None


def test_a_total_that_cannot_be_made_honestly_has_none_and_says_why() -> None:
    assert themes.across_total("not_rolled_up", "percentage", PLACES).value is None
    missing_parts = rows((50.0, 10, 20), (10.0, None, None))
    pct = themes.across_total("percentage", "percentage", missing_parts)
    assert pct.value is None and "numerator or denominator is missing" in str(pct.reason)
    suppressed = rows((50.0, None, None), (None, None, None))
    count = themes.across_total("events", "count", suppressed)
    assert count.value is None and count.reason == "1 of 2 figures are missing"
    unweighted = themes.across_total("mean", "days", rows((30.0, None, None), (20.0, 5, 5)))
    assert unweighted.value is None


def _independent(kind: str, unit: str, frame: pd.DataFrame) -> float | None:
    """The rule worked out here without `rollup`: what the total should be."""
    values = pd.to_numeric(frame["value"], errors="coerce")
    if values.isna().any():
        return None
    if kind in ("events", "on_a_day"):
        return float(values.sum())
    numerators = pd.to_numeric(frame["numerator"], errors="coerce")
    denominators = pd.to_numeric(frame["denominator"], errors="coerce")
    if numerators.isna().any() or denominators.isna().any() or not denominators.sum():
        return None
    scale = 100.0 if unit == "percentage" else 10_000.0
    return round(scale * float(numerators.sum()) / float(denominators.sum()), 1)


def test_every_sample_breakdown_totals_by_its_rule(module_sample_store: sa.Engine) -> None:
    periods = periods_with_data(engine=module_sample_store)
    codes = [str(c) for c in periods["code"]]
    latest_quarter = [c for c in codes if " Q" in c][-1]
    years = [str(c) for c in themes.annual_periods(engine=module_sample_store)["code"]]
    kinds_seen: set[str] = set()
    for theme in catalogue.themes():
        for spec in catalogue.indicators(theme.code):
            for dimension in spec.breakdowns:
                period = latest_quarter
                if spec.is_annual:  # the latest year with this breakdown
                    period = next(
                        (
                            y
                            for y in reversed(years)
                            if themes.breakdown_counts(
                                engine=module_sample_store,
                                theme_code=theme.code,
                                period_code=y,
                                dimension=dimension,
                                indicator_code=spec.code,
                            )["rows"]
                        ),
                        years[-1],
                    )
                query = {
                    "theme_code": theme.code,
                    "period_code": period,
                    "dimension": dimension,
                    "indicator_code": spec.code,
                }
                frame = themes.breakdown(engine=module_sample_store, **query)
                if frame.empty:
                    continue
                total = themes.breakdown_total(engine=module_sample_store, **query)
                expected = _independent(spec.aggregation, spec.unit, frame)
                assert total["groups"] == len(frame)
                assert total["rule"] == spec.across_words
                if expected is None:
                    assert total["value"] is None and total["reason"], (spec.code, dimension)
                else:
                    assert total["value"] is not None and math.isclose(
                        total["value"], expected, abs_tol=0.05
                    ), (spec.code, dimension, total, expected)
                kinds_seen.add(spec.aggregation)
    # The sample's breakdowns cover these kinds; the others are checked on hand-made rows above.
    assert {"events", "on_a_day", "rate", "rate_on_a_day"} <= kinds_seen


def test_the_theme_page_says_the_total_beside_the_breakdown(
    module_sample_store: sa.Engine, use_store
) -> None:
    use_store(module_sample_store)
    at = app_for("early_help", "qa_officer").run()
    at.selectbox(key="breakdown_indicator").select("EH_OPEN_ASSESSMENTS").run()
    assert not at.exception, [e.value for e in at.exception]
    said = [t for t in texts(at).splitlines() if t.startswith("Total of the 4 localities: ")]
    assert said, texts(at)
    # Open early help assessments is a count on a day: the localities' figures of one day.
    assert said[0].endswith(", added up (the same day everywhere).")
