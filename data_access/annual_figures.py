"""Annual figures: each year compared with the year before, and quarters rolled up to a year.

An annual indicator (frequency annual_financial or annual_academic) is compared with the same
kind of period a year earlier, never with a quarter. A quarterly indicator rolls up to its
financial year by the rule the catalogue declares (`data_access.rollup`): counts of events are
summed, counts and rates on a day take the last quarter, percentages and rates of events are worked
out again from the summed numerators and denominators (never averaged), means are weighted.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data_access import catalogue, rollup
from data_access.models import Indicator, IndicatorValue, Locality, ReportingPeriod
from data_access.periods import FinancialYear, parse_period, year_earlier
from data_access.queries_common import frame

# What a GSS symbol beside a figure means, for staff views of a marked figure.
SYMBOL_MEANINGS = {
    "c": "suppressed to protect confidentiality",
    "k": "rounds to 0 but is not 0",
    "u": "low reliability",
    "x": "not available",
    "z": "not applicable",
}

YEAR_COLUMNS = [
    "code",
    "name",
    "unit",
    "frequency",
    "polarity",
    "target",
    "period_code",
    "value",
    "numerator",
    "denominator",
    "status_symbol",
    "qualifier",
    "comment",
    "previous_period_code",
    "previous_value",
    "change",
    "marked_as",
]


def figure_note(status_symbol: object, qualifier: object, comment: object) -> str:
    """One line saying what qualifies a figure: its symbol's meaning, its bound, its comment."""
    parts = []
    if isinstance(status_symbol, str) and status_symbol in SYMBOL_MEANINGS:
        parts.append(f"{status_symbol}: {SYMBOL_MEANINGS[status_symbol]}")
    if isinstance(qualifier, str) and qualifier:
        parts.append(f"a bound: the figure is {qualifier} the value shown")
    if isinstance(comment, str) and comment.strip():
        parts.append(comment.strip())
    return "; ".join(parts)


def year_on_year(
    *, engine: sa.Engine, codes: list[str] | None = None, locality_code: str | None = None
) -> pd.DataFrame:
    """Current annual figures (partnership, or one locality) with the year before and the change.

    Columns: YEAR_COLUMNS. `change` is value minus the previous year's value (NaN when either
    is missing); `marked_as` is figure_note() for the figure. Rates and percentages are as stored
    (worked out from unrounded counts on import), to be shown to one decimal place.
    """
    stmt = (
        sa.select(
            Indicator.code,
            Indicator.name,
            Indicator.unit,
            Indicator.frequency,
            Indicator.polarity,
            Indicator.target,
            ReportingPeriod.code.label("period_code"),
            ReportingPeriod.start_date,
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.status_symbol,
            IndicatorValue.qualifier,
            IndicatorValue.comment,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .outerjoin(Locality, Locality.id == IndicatorValue.locality_id)
        .where(
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            ReportingPeriod.kind != "quarter",
            Indicator.frequency != "quarterly",
            Locality.code == locality_code
            if locality_code
            else IndicatorValue.locality_id.is_(None),
        )
        .order_by(Indicator.sort_order, ReportingPeriod.start_date)
    )
    if codes:
        stmt = stmt.where(Indicator.code.in_(codes))
    figures = frame(engine, stmt)
    if figures.empty:
        return pd.DataFrame(columns=YEAR_COLUMNS)
    figures["previous_period_code"] = figures["period_code"].map(year_earlier)
    earlier = figures[["code", "period_code", "value"]].rename(
        columns={"period_code": "previous_period_code", "value": "previous_value"}
    )
    out = figures.merge(earlier, on=["code", "previous_period_code"], how="left")
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    out["previous_value"] = pd.to_numeric(out["previous_value"], errors="coerce")
    out["change"] = out["value"] - out["previous_value"]
    out["marked_as"] = [
        figure_note(s, q, c)
        for s, q, c in zip(out["status_symbol"], out["qualifier"], out["comment"], strict=True)
    ]
    return out[YEAR_COLUMNS].reset_index(drop=True)


def _roll_up(
    spec: catalogue.IndicatorSpec, rows: pd.DataFrame, quarter_codes: list[str]
) -> dict[str, object]:
    """One indicator's year from its quarters' rows (period_code, value, numerator,
    denominator) by the catalogue's rule (`rollup.roll_up`); value None unless all four quarters
    have a figure, with the reason in `reason` when the year cannot be worked out."""
    rows = rows.set_index("period_code").reindex(quarter_codes)
    quarters = int(pd.to_numeric(rows["value"], errors="coerce").notna().sum())
    parts = [
        rollup.part(v, n, d)
        for v, n, d in zip(rows["value"], rows["numerator"], rows["denominator"], strict=True)
    ]
    rolled = rollup.roll_up(spec.rollup, spec.unit, parts, over=rollup.OVER_TIME)
    reason = rolled.reason
    if spec.rollup == rollup.NOT_ROLLED_UP:
        reason = spec.rollup_words
    elif rolled.value is None and quarters < len(quarter_codes):
        reason = f"part-year ({quarters} of {len(quarter_codes)} quarters)"
    return {
        "value": rolled.value,
        "numerator": rolled.numerator,
        "denominator": rolled.denominator,
        "quarters": quarters,
        "rule": spec.rollup,
        "reason": reason,
    }


def _financial_year(year_code: str) -> FinancialYear:
    period = parse_period(year_code)
    if not isinstance(period, FinancialYear):
        raise ValueError(f"{year_code!r} is not a financial year; write it like 2025-26")
    return period


def _quarter_rows(engine: sa.Engine, codes: list[str], quarter_codes: list[str]) -> pd.DataFrame:
    """Current partnership figures of `codes` in `quarter_codes` (filtered in SQL)."""
    stmt = (
        sa.select(
            Indicator.code.label("indicator_code"),
            ReportingPeriod.code.label("period_code"),
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(
            Indicator.code.in_(codes),
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            IndicatorValue.locality_id.is_(None),
            ReportingPeriod.code.in_(quarter_codes),
        )
    )
    return frame(engine, stmt)


def quarterly_rollup(*, engine: sa.Engine, code: str, year_code: str) -> dict[str, object]:
    """A quarterly indicator's partnership figure for a financial year, from its quarters.

    Returns {"value", "numerator", "denominator", "quarters", "rule", "reason"}; value is None
    unless all four quarters have a figure (a part-year is not a year) and the rule allows a year
    (`reason` says why not).
    """
    spec = catalogue.indicator(code)
    quarter_codes = [q.code for q in _financial_year(year_code).quarters()]
    rows = _quarter_rows(engine, [code], quarter_codes)
    return _roll_up(spec, rows.drop(columns="indicator_code"), quarter_codes)


ROLLUP_COLUMNS = [
    "code",
    "name",
    "unit",
    "polarity",
    "rule",
    "rule_words",
    "year_code",
    "value",
    "numerator",
    "denominator",
    "quarters",
    "reason",
    "previous_year_code",
    "previous_value",
    "previous_quarters",
    "previous_reason",
]


def year_rollups(
    *, engine: sa.Engine, year_code: str, theme_code: str | None = None
) -> pd.DataFrame:
    """Every quarterly indicator (of a theme) as a financial year and the year before, from its
    quarters by the catalogue's rule (`rollup.roll_up`): one query for the eight quarters.

    Columns ROLLUP_COLUMNS, catalogue order; value / previous_value are None for a part-year or
    a measure that does not roll up, with `reason` / `previous_reason` saying why; `rule_words`
    says how the year is made (the catalogue's declaration in words); numerator / denominator
    are the year's parts where the value is worked out from them.
    """
    year = _financial_year(year_code)
    before = _financial_year(year_earlier(year.code))
    specs = [i for i in catalogue.indicators(theme_code) if not i.is_annual]
    if not specs:
        return pd.DataFrame(columns=ROLLUP_COLUMNS)
    this_quarters = [q.code for q in year.quarters()]
    earlier_quarters = [q.code for q in before.quarters()]
    rows = _quarter_rows(engine, [i.code for i in specs], this_quarters + earlier_quarters)
    by_code = {
        code: group.drop(columns="indicator_code") for code, group in rows.groupby("indicator_code")
    }
    empty = rows.drop(columns="indicator_code").iloc[0:0]
    out = []
    for spec in specs:
        own = by_code.get(spec.code, empty)
        now = _roll_up(spec, own, this_quarters)
        then = _roll_up(spec, own, earlier_quarters)
        out.append(
            {
                "code": spec.code,
                "name": spec.name,
                "unit": spec.unit,
                "polarity": spec.polarity,
                "rule": spec.rollup,
                "rule_words": spec.rollup_words,
                "year_code": year.code,
                "value": now["value"],
                "numerator": now["numerator"],
                "denominator": now["denominator"],
                "quarters": now["quarters"],
                "reason": now["reason"],
                "previous_year_code": before.code,
                "previous_value": then["value"],
                "previous_quarters": then["quarters"],
                "previous_reason": then["reason"],
            }
        )
    return pd.DataFrame(out, columns=ROLLUP_COLUMNS)


AGAINST_QUARTERS_COLUMNS = [
    "code",
    "name",
    "unit",
    "year_code",
    "value",
    "numerator",
    "denominator",
    "source",
    "quarterly_code",
    "quarterly_name",
    "quarterly_source",
    "quarters_value",
    "quarters_numerator",
    "quarters_denominator",
    "quarters",
    "quarters_reason",
    "rule_words",
    "difference",
    "differs",
]


def _as_float(value: object) -> float | None:
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else float(number)


def _shown_differently(value: object, other: object, unit: str) -> bool:
    """True when two figures differ as they are shown (one decimal place, counts whole)."""
    a, b = pd.to_numeric(value, errors="coerce"), pd.to_numeric(other, errors="coerce")
    if pd.isna(a) or pd.isna(b):
        return False
    places = catalogue.DECIMALS.get(unit, 1)
    return bool(round(float(a), places) != round(float(b), places))


def annual_against_quarters(
    *, engine: sa.Engine, year_code: str, theme_code: str | None = None
) -> pd.DataFrame:
    """Each annual indicator that names a `quarterly_measure`, for a financial year: the yearly
    figure (from the annual return) beside its quarterly measure's four quarters rolled up by
    that measure's rule. Columns AGAINST_QUARTERS_COLUMNS; `differs` when the two are shown as
    different figures (then they are to be reconciled, or their bases named).
    """
    year = _financial_year(year_code)
    specs = [
        i
        for i in catalogue.indicators(theme_code)
        if i.quarterly_measure and i.frequency == "annual_financial"
    ]
    if not specs:
        return pd.DataFrame(columns=AGAINST_QUARTERS_COLUMNS)
    yearly = year_on_year(engine=engine, codes=[i.code for i in specs])
    yearly = yearly[yearly["period_code"] == year.code].set_index("code")
    quarter_codes = [q.code for q in year.quarters()]
    linked = [str(i.quarterly_measure) for i in specs]
    rows = _quarter_rows(engine, linked, quarter_codes)
    empty = rows.drop(columns="indicator_code").iloc[0:0]
    by_code = {c: g.drop(columns="indicator_code") for c, g in rows.groupby("indicator_code")}
    out = []
    for spec in specs:
        quarterly = catalogue.indicator(str(spec.quarterly_measure))
        rolled = _roll_up(quarterly, by_code.get(quarterly.code, empty), quarter_codes)
        own = yearly.loc[spec.code] if spec.code in yearly.index else None
        value = _as_float(None if own is None else own["value"])
        from_quarters = _as_float(rolled["value"])
        difference = None if value is None or from_quarters is None else value - from_quarters
        out.append(
            {
                "code": spec.code,
                "name": spec.name,
                "unit": spec.unit,
                "year_code": year.code,
                "value": value,
                "numerator": None if own is None else own["numerator"],
                "denominator": None if own is None else own["denominator"],
                "source": spec.source,
                "quarterly_code": quarterly.code,
                "quarterly_name": quarterly.name,
                "quarterly_source": quarterly.source,
                "quarters_value": rolled["value"],
                "quarters_numerator": rolled["numerator"],
                "quarters_denominator": rolled["denominator"],
                "quarters": rolled["quarters"],
                "quarters_reason": rolled["reason"],
                "rule_words": quarterly.rollup_words,
                "difference": difference,
                "differs": _shown_differently(value, rolled["value"], spec.unit),
            }
        )
    return pd.DataFrame(out, columns=AGAINST_QUARTERS_COLUMNS)
