"""Issue 26: the sample's child population is one figure per year from one place
(`Partnership.locality_populations`): the localities table, the CHILD_POPULATION return and every
rate's denominator agree (they once said 50,000 in one place and 51,200 in another)."""

from __future__ import annotations

import sqlalchemy as sa

from data_access.periods import FinancialYear, parse_period


def _figures(engine: sa.Engine, code: str) -> dict[tuple[str, str | None], float]:
    """(period code, locality code or None) -> the current denominator (or value) of `code`'s
    partnership and locality figures."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT p.code, l.code, v.value, v.denominator FROM indicator_value v "
                "JOIN indicator i ON i.id = v.indicator_id "
                "JOIN reporting_period p ON p.id = v.period_id "
                "LEFT JOIN locality l ON l.id = v.locality_id "
                "WHERE i.code = :code AND v.is_current AND v.agency_id IS NULL"
            ),
            {"code": code},
        ).all()
    return {(p, loc): (den if code != "CHILD_POPULATION" else value) for p, loc, value, den in rows}


def test_one_child_population_per_year_everywhere(module_sample_store: sa.Engine) -> None:
    population = _figures(module_sample_store, "CHILD_POPULATION")
    assert population
    checked = 0
    for code in ("MASH_REFERRAL_RATE", "NEG_CP_RATE"):
        for (period, locality), denominator in _figures(module_sample_store, code).items():
            year = FinancialYear(parse_period(period).fy_start_year).code
            if (year, locality) not in population:
                continue  # a year whose return is not out yet
            assert denominator == population[(year, locality)], (code, period, locality)
            checked += 1
    assert checked > 50
    # The localities table holds the latest quarter's populations, its rates' denominators.
    with module_sample_store.connect() as connection:
        table = dict(
            connection.execute(sa.text("SELECT code, child_population FROM locality")).all()
        )
    rates = _figures(module_sample_store, "MASH_REFERRAL_RATE")
    latest_with_rate = max((p for p, _ in rates), key=lambda p: parse_period(p).start_date)
    for locality, children in table.items():
        assert rates[(latest_with_rate, locality)] == children, locality
    assert rates[(latest_with_rate, None)] == sum(table.values())
