"""The statutory figures partnerships publish once a year, for every complete year of the sample.

Annual indicators (frequency annual_financial / annual_academic in the catalogue) get one figure
per financial or academic year that has ended, built to agree with the quarterly series where they
overlap: a year's contacts and referrals are the sum of its quarters, the child population is the
sum of the localities' populations (growing slowly), rates are worked out from their counts, and
the categories of abuse add up to the children on a plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from data_access.catalogue import IndicatorSpec
from data_access.periods import AcademicYear, FinancialYear
from sample_data.partnership import Partnership
from sample_data.series import Figure, IndicatorSeries
from sample_data.timeline import Timeline, rng_for, stable_int

# Shares of children on a plan by initial category of abuse (neglect is set from the quarterly
# neglect share; these split the rest).
_OTHER_CATEGORIES = {
    "STAT_CP_EMOTIONAL": 0.62,
    "STAT_CP_PHYSICAL": 0.14,
    "STAT_CP_SEXUAL": 0.06,
    "STAT_CP_MULTIPLE": 0.18,
}
# Children in need, in care and contacts per child, roughly the English level.
_PER_CHILD = {"STAT_CIN_COUNT": 0.033, "STAT_CLA_COUNT": 0.007}
_OWN_STREAM = {"STAT_ICPC_15WD", "STAT_CP_ENDED_2Y", "STAT_CP_OPEN_2Y"}
# Annual percentages that measure the same events as a quarterly measure: the year's figure is
# the quarters' summed numerator over their summed denominator, so the year and its quarters
# (and the census the sample writes, issue 28) tell one story.
_FROM_QUARTERS = {
    "STAT_REREFERRALS_12M": "MASH_REREFERRALS",
    "STAT_ASSESSMENTS_45WD": "MASH_ASSESSMENTS_45WD",
    "STAT_ICPC_15WD": "MASH_ICPC_15WD",
}
# The year's section 47 enquiries, a count behind STAT_S47_RATE (not an indicator of its own).
_S47_ENQUIRIES = "_S47_ENQUIRIES"
# Annual counts that are the quarters' denominators added up (conferences held in the year).
_COUNT_OF_QUARTERS = {"STAT_ICPC_COUNT": "MASH_ICPC_15WD"}


@dataclass
class AnnualFigures:
    """{(indicator code, period code): (partnership figure, locality figures or None)} and
    {(indicator code, period code): {agency code: figure}} for indicators broken down by agency."""

    partnership: dict[tuple[str, str], tuple[Figure, list[Figure] | None]]
    agencies: dict[tuple[str, str], dict[str, Figure]]


def complete_years(timeline: Timeline, kind: str) -> list[FinancialYear | AcademicYear]:
    """The years wholly inside the sample that have ended by its 'today'."""
    first = timeline.quarters[0].start_date
    years: list[FinancialYear | AcademicYear] = []
    year: FinancialYear | AcademicYear = (
        FinancialYear.containing(first)
        if kind == "annual_financial"
        else AcademicYear.containing(first)
    )
    if year.start_date < first:
        year = year.next()
    while year.end_date < timeline.today and year.end_date <= timeline.latest.end_date:
        years.append(year)
        year = year.next()
    return years


def _year_quarters(timeline: Timeline, year: FinancialYear) -> list[int]:
    return [t for t, q in enumerate(timeline.quarters) if q.fy_start_year == year.fy_start_year]


def _binomial_figure(rng: np.random.Generator, denominator: int, p: float, scale: float) -> Figure:
    numerator = int(rng.binomial(max(denominator, 0), min(max(p, 0.0), 1.0))) if denominator else 0
    value = round(scale * numerator / denominator, 1) if denominator else 0.0
    return Figure(value, float(numerator), float(denominator))


def _from_quarters(series: IndicatorSeries | None, quarters: list[int]) -> Figure:
    """A year's percentage from its quarters' summed parts (never an average of percentages)."""
    if series is None:
        return Figure(0.0, 0.0, 0.0)
    numerator = sum(series.partnership[t].numerator or 0 for t in quarters)
    denominator = sum(series.partnership[t].denominator or 0 for t in quarters)
    value = round(100 * numerator / denominator, 1) if denominator else 0.0
    return Figure(value, float(numerator), float(denominator))


def build_annual(
    *,
    seed: int,
    timeline: Timeline,
    partnership: Partnership,
    specs: list[IndicatorSpec],
    quarterly: dict[str, IndicatorSeries],
) -> AnnualFigures:
    """Every annual figure: partnership and locality, and by agency where declared."""
    rng = rng_for(seed, "annual")
    pops = np.array([loc.child_population for loc in partnership.localities], dtype=float)
    out: dict[tuple[str, str], tuple[Figure, list[Figure] | None]] = {}
    agencies: dict[tuple[str, str], dict[str, Figure]] = {}
    codes = {s.code for s in specs}
    for year in complete_years(timeline, "annual_financial"):
        loc_pop = partnership.locality_populations(year.fy_start_year)
        population = sum(loc_pop)
        quarters = _year_quarters(timeline, year)  # type: ignore[arg-type]
        counts: dict[str, tuple[int, list[int] | None]] = {}

        def summed(code: str, quarters: list[int] = quarters) -> tuple[int, list[int] | None]:
            series = quarterly.get(code)
            if series is None:
                return 0, None
            total = int(sum(series.partnership[t].value for t in quarters))
            locs = None
            if series.localities:
                locs = [
                    int(sum(series.localities[t][i].value for t in quarters))
                    for i in range(len(pops))
                ]
            return total, locs

        def split(
            total: int, loc_pop: list[int] = loc_pop, population: int = population
        ) -> list[int]:
            shares = np.array(loc_pop, dtype=float) / population
            parts = np.floor(shares * total).astype(int)
            parts[-1] += total - int(parts.sum())
            return [int(p) for p in parts]

        eha = quarterly.get("EH_ASSESSMENTS_STARTED")
        if eha is not None and eha.agencies and "STAT_EHA_STARTED" in codes:
            by_agency: dict[str, int] = {}
            for t in quarters:
                for agency_code, fig in eha.agencies[t].items():
                    by_agency[agency_code] = by_agency.get(agency_code, 0) + int(fig.value)
            agencies[("STAT_EHA_STARTED", year.code)] = {
                agency_code: Figure(float(n)) for agency_code, n in by_agency.items()
            }
            counts["STAT_EHA_STARTED"] = (sum(by_agency.values()), None)
        counts["CHILD_POPULATION"] = (population, loc_pop)
        counts["STAT_CONTACTS"] = summed("MASH_CONTACTS")
        counts["STAT_REFERRALS"] = summed("MASH_REFERRALS")
        # Section 47 enquiries: about 2.3 for every initial conference, as in England's published
        # figures (roughly 166,000 enquiries and 73,000 conferences a year), so the enquiries
        # always outnumber the conferences they lead to.
        conferences = quarterly.get("MASH_ICPC_15WD")
        if conferences is not None:
            held = sum(conferences.partnership[t].denominator or 0 for t in quarters)
            counts[_S47_ENQUIRIES] = (int(round(2.3 * held)), None)
        for code, per_child in _PER_CHILD.items():
            total = int(population * per_child * (1 + 0.03 * rng.standard_normal()))
            counts[code] = (total, split(total))
        last_quarter = quarters[-1]
        cp_rate = quarterly.get("NEG_CP_RATE")
        cp_total = (
            int(round(cp_rate.partnership[last_quarter].value * population / 10_000))
            if cp_rate
            else int(population * 0.004)
        )
        counts["STAT_CP_COUNT"] = (cp_total, split(cp_total))
        neglect_pct = quarterly.get("NEG_CP_NEGLECT_PCT")
        neglect_share = neglect_pct.partnership[last_quarter].value / 100 if neglect_pct else 0.45
        neglect = int(round(cp_total * neglect_share))
        counts["STAT_CP_NEGLECT"] = (neglect, None)
        rest = cp_total - neglect
        allotted = 0
        for i, (code, share) in enumerate(_OTHER_CATEGORIES.items()):
            n = rest - allotted if i == len(_OTHER_CATEGORIES) - 1 else int(rest * share)
            allotted += n
            counts[code] = (n, None)

        for spec in specs:
            if spec.frequency != "annual_financial":
                continue
            key = (spec.code, year.code)
            if spec.code in counts:
                total, locs = counts[spec.code]
                figure = Figure(float(total))
                localities = (
                    [Figure(float(v)) for v in locs]
                    if locs is not None and "locality" in spec.breakdowns
                    else None
                )
                out[key] = (figure, localities)
            elif spec.unit == "rate_per_10k":
                base_code = {
                    "STAT_REFERRAL_RATE": "STAT_REFERRALS",
                    "STAT_CONTACT_RATE": "STAT_CONTACTS",
                    "STAT_CIN_RATE": "STAT_CIN_COUNT",
                    "STAT_CP_RATE": "STAT_CP_COUNT",
                    "STAT_CLA_RATE": "STAT_CLA_COUNT",
                    "STAT_S47_RATE": _S47_ENQUIRIES,
                }.get(spec.code)
                total, locs = counts.get(base_code or "", (int(population * 0.004), None))
                figure = Figure(
                    round(10_000 * total / population, 1), float(total), float(population)
                )
                localities = None
                if locs is not None and "locality" in spec.breakdowns:
                    localities = [
                        Figure(round(10_000 * n / p, 1), float(n), float(p))
                        for n, p in zip(locs, loc_pop, strict=True)
                    ]
                out[key] = (figure, localities)
            elif spec.code == "STAT_CP_NEGLECT_SHARE":
                out[key] = (
                    Figure(
                        round(100 * neglect / cp_total, 1) if cp_total else 0.0,
                        float(neglect),
                        float(cp_total),
                    ),
                    None,
                )
            elif spec.code in _FROM_QUARTERS and spec.code in codes:
                if spec.code not in _OWN_STREAM:
                    # The draws this figure used to take, so every other sample figure stays
                    # as it was (a binomial's draws depend on its parameters).
                    wobble = (stable_int(spec.code) % 1000) / 1000
                    centre = (spec.target if spec.target is not None else 30 + 40 * wobble) / 100
                    denominator = max(20, int(population * 0.002 * (0.5 + wobble)))
                    _binomial_figure(rng, denominator, centre + 0.03 * rng.standard_normal(), 100.0)
                out[key] = (
                    _from_quarters(quarterly.get(_FROM_QUARTERS[spec.code]), quarters),
                    None,
                )
            elif spec.code in _COUNT_OF_QUARTERS:
                rng.standard_normal()  # as the steady-level draw below, to keep the stream
                series = quarterly.get(_COUNT_OF_QUARTERS[spec.code])
                held = (
                    sum(series.partnership[t].denominator or 0 for t in quarters) if series else 0
                )
                out[key] = (Figure(float(held)), None)
            elif spec.unit == "percentage":
                # The measures added for the DfE's published figures (issue 27) draw from their
                # own stream, so the earlier indicators' sample figures stay as they were.
                draws = rng_for(seed, "annual", spec.code) if spec.code in _OWN_STREAM else rng
                wobble = (stable_int(spec.code) % 1000) / 1000
                centre = (spec.target if spec.target is not None else 30 + 40 * wobble) / 100
                denominator = max(20, int(population * 0.002 * (0.5 + wobble)))
                out[key] = (
                    _binomial_figure(
                        draws, denominator, centre + 0.03 * draws.standard_normal(), 100.0
                    ),
                    None,
                )
            else:  # counts not modelled above: a steady level with noise
                wobble = (stable_int(spec.code) % 1000) / 1000
                level = population * (0.002 + 0.01 * wobble)
                out[key] = (
                    Figure(float(max(0, int(level * (1 + 0.05 * rng.standard_normal()))))),
                    None,
                )
    for year in complete_years(timeline, "annual_academic"):
        for spec in specs:
            if spec.frequency != "annual_academic":
                continue
            wobble = (stable_int(spec.code) % 1000) / 1000
            centre = (spec.target if spec.target is not None else 40 + 40 * wobble) / 100
            denominator = int(sum(pops) / 18)  # about one year-group of children
            out[(spec.code, year.code)] = (
                _binomial_figure(rng, denominator, centre + 0.02 * rng.standard_normal(), 100.0),
                None,
            )
    return AnnualFigures(out, agencies)


def annual_periods(timeline: Timeline) -> list[FinancialYear | AcademicYear]:
    """Every annual period the sample writes figures for, in date order."""
    years = complete_years(timeline, "annual_financial") + complete_years(
        timeline, "annual_academic"
    )
    return sorted(years, key=lambda y: (y.start_date, y.kind))


def value_rows(
    figures: AnnualFigures,
    *,
    indicator_ids: dict[str, int],
    period_ids: dict[str, int],
    locality_ids: list[int],
    agency_ids: dict[str, int],
    submission_of: dict[str, tuple[int, dt.datetime]],
    first_id: int,
) -> Iterable[dict]:
    """Indicator value rows for the annual figures, ids from `first_id`."""
    next_id = first_id
    for (code, period_code), (figure, localities) in figures.partnership.items():
        submission_id, when = submission_of[period_code]
        rows: list[tuple[int | None, int | None, Figure]] = [(None, None, figure)]
        if localities:
            rows += [(loc, None, fig) for loc, fig in zip(locality_ids, localities, strict=True)]
        for agency_code, fig in figures.agencies.get((code, period_code), {}).items():
            rows.append((None, agency_ids[agency_code], fig))
        for locality_id, agency_id, fig in rows:
            yield {
                "id": next_id,
                "indicator_id": indicator_ids[code],
                "period_id": period_ids[period_code],
                "agency_id": agency_id,
                "locality_id": locality_id,
                "value": fig.value,
                "numerator": fig.numerator,
                "denominator": fig.denominator,
                "status_symbol": None,
                "submission_id": submission_id,
                "is_current": True,
                "superseded_by_id": None,
                "created_at": when,
                "comment": None,
                "qualifier": None,
            }
            next_id += 1
