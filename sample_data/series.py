"""How each indicator moves over the quarters: trends, seasonality, noise and a few real shifts.

Movements follow seed 000 (Tameside 2019-20): open early help assessments rising from about 660 to
820+, referrals to social care falling from about 3,600 to 2,600 a year, neglect in about 40% of
child protection plans, Graded Care Profiles on neglect plans rising from under 1%, training uplift
about 29 points. Shifts a control chart should catch: contacts decided within one working day fall
to about 78% for the last four quarters; missing episodes step up for the last six quarters; a
sustained run of high re-referrals over the last eight.

Indicators not modelled here (a catalogue that has grown since) get a plausible series from their
unit and target, so the generator never leaves an indicator without values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from data_access.catalogue import IndicatorSpec
from sample_data.contacts import QuarterContacts
from sample_data.partnership import Partnership
from sample_data.timeline import Timeline, rng_for, stable_int
from sample_data.training import QuarterTraining


@dataclass(frozen=True)
class Figure:
    """One value with its numerator and denominator where it is a percentage or rate."""

    value: float
    numerator: float | None = None
    denominator: float | None = None


@dataclass
class IndicatorSeries:
    """An indicator's figures per quarter: partnership, and locality/agency where broken down."""

    partnership: list[Figure]
    localities: list[list[Figure]] | None = None  # [quarter][locality]
    agencies: list[dict[str, Figure]] | None = None  # [quarter]{agency code: figure}


@dataclass
class Counts:
    total: list[int]
    by_locality: list[list[int]] | None = None


@dataclass
class Context:
    """Everything a model may draw on, with memoised shared series."""

    seed: int
    timeline: Timeline
    partnership: Partnership
    contacts: list[QuarterContacts]
    training: list[QuarterTraining]
    _counts: dict[str, Counts] = field(default_factory=dict)
    _series: dict[str, IndicatorSeries] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.timeline.n

    @property
    def volume(self) -> float:
        return self.partnership.volume

    def rng(self, *parts: object) -> np.random.Generator:
        return rng_for(self.seed, "series", *parts)


# --- building blocks -----------------------------------------------------------------------------

ExpectedFn = Callable[[Timeline, int], float]


def _split(rng: np.random.Generator, total: int, weights: np.ndarray) -> list[int]:
    if total <= 0:
        return [0] * len(weights)
    return rng.multinomial(total, weights / weights.sum()).tolist()


def _count_values(
    ctx: Context,
    key: str,
    expected: ExpectedFn,
    cv: float | None,
    per_volume: bool,
    locality_split: bool,
    clip_sigma: float | None = None,
) -> Counts:
    if key in ctx._counts:
        return ctx._counts[key]
    rng = ctx.rng("count", key)
    scale = ctx.volume if per_volume else max(1.0, ctx.volume**0.5) if ctx.volume > 1 else 1.0
    totals = []
    for t in range(ctx.n):
        mean = max(0.0, expected(ctx.timeline, t) * scale)
        if cv is None:
            value = int(rng.poisson(mean))
        else:
            z = rng.standard_normal()
            if clip_sigma is not None:
                z = float(np.clip(z, -clip_sigma, clip_sigma))
            value = max(0, int(round(mean * (1 + cv * z))))
        totals.append(value)
    by_locality = None
    if locality_split:
        weights = ctx.partnership.locality_weights()
        by_locality = [_split(rng, total, weights) for total in totals]
    counts = Counts(totals, by_locality)
    ctx._counts[key] = counts
    return counts


@dataclass(frozen=True)
class CountModel:
    expected: ExpectedFn
    cv: float | None = None  # None: Poisson noise; else normal noise with this coefficient
    per_volume: bool = True

    def counts(self, ctx: Context, code: str, spec: IndicatorSpec | None) -> Counts:
        split = spec is not None and "locality" in spec.breakdowns
        return _count_values(ctx, code, self.expected, self.cv, self.per_volume, split)

    def build(self, ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
        counts = self.counts(ctx, spec.code, spec)
        series = IndicatorSeries([Figure(float(v)) for v in counts.total])
        if counts.by_locality is not None:
            series.localities = [[Figure(float(v)) for v in row] for row in counts.by_locality]
        return series


@dataclass(frozen=True)
class SharedCount:
    """A count that another indicator's numerator or denominator is drawn from."""

    key: str
    expected: ExpectedFn
    cv: float | None = None
    locality_split: bool = True
    clip_sigma: float | None = None  # keep a deliberate shift clear of the RAG boundary

    def counts(self, ctx: Context) -> Counts:
        return _count_values(
            ctx, self.key, self.expected, self.cv, True, self.locality_split, self.clip_sigma
        )


DenominatorSource = Callable[[Context], list[int]]


@dataclass(frozen=True)
class PercentModel:
    """A percentage: numerator out of a denominator, both stored."""

    probability: ExpectedFn  # 0-1
    denominator: DenominatorSource
    noise_points: float | None = None  # None: binomial; else normal noise in percentage points

    def build(self, ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
        rng = ctx.rng("pct", spec.code)
        dens = self.denominator(ctx)
        figures = []
        for t, den in enumerate(dens):
            p = float(np.clip(self.probability(ctx.timeline, t), 0.0, 1.0))
            den = max(1, int(den))
            if self.noise_points is None:
                num = int(rng.binomial(den, p))
            else:
                # Small percentages wobble less (a share under 1% stays under about 1%).
                sd = min(self.noise_points, 100 * p / 3) / 100
                noisy = p + sd * rng.standard_normal()
                num = int(round(np.clip(noisy, 0.0, 1.0) * den))
            figures.append(Figure(round(100 * num / den, 1), float(num), float(den)))
        return IndicatorSeries(figures)


@dataclass(frozen=True)
class RateModel:
    """A rate per 10,000 children from a count split by locality."""

    numerator: Callable[[Context], Counts]

    def build(self, ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
        counts = self.numerator(ctx)
        # Each quarter's denominator is its financial year's child population, the same figure
        # as the year's CHILD_POPULATION return (`Partnership.locality_populations`).
        pops = [
            ctx.partnership.locality_populations(q.fy_start_year) for q in ctx.timeline.quarters
        ]
        series = IndicatorSeries(
            [
                Figure(round(10_000 * v / sum(year), 1), float(v), float(sum(year)))
                for v, year in zip(counts.total, pops, strict=True)
            ]
        )
        if "locality" in spec.breakdowns and counts.by_locality is not None:
            series.localities = [
                [
                    Figure(round(10_000 * v / pop, 1), float(v), float(pop))
                    for v, pop in zip(row, year, strict=True)
                ]
                for row, year in zip(counts.by_locality, pops, strict=True)
            ]
        return series


@dataclass(frozen=True)
class MeasureModel:
    """A mean or average (days, caseload): a value with normal noise, no numerator/denominator."""

    expected: ExpectedFn
    sd: float
    decimals: int = 1

    def build(self, ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
        rng = ctx.rng("measure", spec.code)
        values = [
            round(
                max(0.0, self.expected(ctx.timeline, t) + self.sd * rng.standard_normal()),
                self.decimals,
            )
            for t in range(ctx.n)
        ]
        if self.decimals == 0:
            values = [float(int(v)) for v in values]
        return IndicatorSeries([Figure(v) for v in values])


@dataclass(frozen=True)
class DerivedModel:
    """Figures computed from events or training rows (see `derived_series`)."""

    build_fn: Callable[[Context, IndicatorSpec], IndicatorSeries]

    def build(self, ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
        return self.build_fn(ctx, spec)


# --- shared hidden series ------------------------------------------------------------------------

CP_CHILDREN = SharedCount(
    "_cp_children", lambda tl, t: tl.ramp(t, 242, 214) + 8 * np.sin(t / 2.3), cv=0.025
)
NEGLECT_SHARE = lambda tl, t: tl.ramp(t, 0.41, 0.435)  # noqa: E731
EH_OPEN = SharedCount(
    "_eh_open",
    lambda tl, t: tl.ramp(t, 662, 822, 0, 4) + tl.ramp(t, 0, 62, 4),
    cv=0.012,
)
EH_STARTED = SharedCount(
    "_eh_started",
    lambda tl, t: (
        tl.ramp(t, 255, 338)
        * (0.88 if tl.quarters[t].quarter == 2 else 1.0)
        * (0.7 if tl.is_lockdown(t) else 1.0)
    ),
)
MISSING = SharedCount(
    "_missing",
    lambda tl, t: (372 if tl.from_end(t) < 6 else 255) * (0.62 if tl.is_lockdown(t) else 1.0),
    cv=0.045,
    clip_sigma=2.0,
)
STRATEGY = SharedCount("_strategy", lambda tl, t: tl.ramp(t, 218, 176), locality_split=False)


def _neglect_plans(ctx: Context) -> list[int]:
    key = "_neglect_plans"
    if key not in ctx._counts:
        rng = ctx.rng("neglect_plans")
        cp = CP_CHILDREN.counts(ctx).total
        ctx._counts[key] = Counts(
            [int(rng.binomial(c, NEGLECT_SHARE(ctx.timeline, t))) for t, c in enumerate(cp)]
        )
    return ctx._counts[key].total


def _poisson_den(key: str, expected: ExpectedFn) -> DenominatorSource:
    def source(ctx: Context) -> list[int]:
        return [max(1, v) for v in _count_values(ctx, key, expected, None, True, False).total]

    return source


def _shared_den(shared: SharedCount) -> DenominatorSource:
    return lambda ctx: shared.counts(ctx).total


def _referrals(ctx: Context) -> Counts:
    return Counts(
        [c.referrals for c in ctx.contacts], [c.referrals_by_locality for c in ctx.contacts]
    )


def _school_readiness(tl: Timeline, t: int) -> float:
    by_year = {
        2019: 0.664,
        2020: 0.664,
        2021: 0.652,
        2022: 0.661,
        2023: 0.670,
        2024: 0.676,
        2025: 0.683,
    }
    return by_year.get(tl.quarters[t].fy_start_year, 0.686)


def _rhi_offered(tl: Timeline, t: int) -> float:
    # Seed 000: return interviews offered within 72 hours declined over six months, then recovered.
    if t <= 3:
        return 0.90 - 0.03 * t
    return tl.ramp(t, 0.81, 0.958, 3, 10)


def _rereferrals(tl: Timeline, t: int) -> float:
    back = tl.from_end(t)
    if back < 8:
        return 0.214 + 0.003 * (7 - back)  # a sustained run above the centre line
    return 0.188


# --- derived from events and training rows ------------------------------------------------------


def _contacts_series(ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
    series = IndicatorSeries([Figure(float(c.total)) for c in ctx.contacts])
    if "locality" in spec.breakdowns:
        series.localities = [[Figure(float(v)) for v in c.by_locality] for c in ctx.contacts]
    return series


def _referrals_series(ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
    series = IndicatorSeries([Figure(float(c.referrals)) for c in ctx.contacts])
    if "locality" in spec.breakdowns:
        series.localities = [
            [Figure(float(v)) for v in c.referrals_by_locality] for c in ctx.contacts
        ]
    return series


def _pct(num: int, den: int) -> Figure:
    den = max(den, 0)
    num = min(num, den)
    value = round(100 * num / den, 1) if den else 0.0
    return Figure(value, float(num), float(den))


def _ratio_series(num: Callable[[QuarterContacts], int]) -> Callable:
    def build(ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
        return IndicatorSeries([_pct(num(c), c.total) for c in ctx.contacts])

    return build


def _training_pct(
    num: Callable[[QuarterTraining], int],
    den: Callable[[QuarterTraining], int],
    fallback: ExpectedFn,
) -> Callable:
    def build(ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
        rng = ctx.rng("training_fallback", spec.code)
        figures = []
        for t, q in enumerate(ctx.training):
            if den(q) > 0:
                figures.append(_pct(num(q), den(q)))
            else:
                # No follow-ups fall in the first quarters: the provider's own survey figure.
                p = fallback(ctx.timeline, t)
                d = max(20, int(rng.poisson(180 * ctx.volume)))
                figures.append(_pct(int(rng.binomial(d, p)), d))
        return IndicatorSeries(figures)

    return build


def _uplift(ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
    figures = []
    for q in ctx.training:
        if q.respondents:
            figures.append(Figure(round(100 * (q.post_good - q.pre_good) / q.respondents, 1)))
        else:
            figures.append(Figure(29.0))
    return IndicatorSeries(figures)


def _learners(ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
    series = IndicatorSeries([Figure(float(q.learners)) for q in ctx.training])
    reporters = [a.code for a in ctx.partnership.agencies_in(spec.reported_by)]
    series.agencies = [
        {code: Figure(float(q.learners_by_agency.get(code, 0))) for code in reporters}
        for q in ctx.training
    ]
    return series


# --- the models ----------------------------------------------------------------------------------


# Children at the end of the Early Years Foundation Stage: about 6% of the 0-17 population.
EYFS_COHORT = 3_050


def _q2(tl: Timeline, t: int, factor: float) -> float:
    return factor if tl.quarters[t].quarter == 2 else 1.0


MODELS: dict[str, object] = {
    # Early help
    "EH_OPEN_ASSESSMENTS": DerivedModel(lambda ctx, spec: _from_shared(ctx, spec, EH_OPEN)),
    "EH_ASSESSMENTS_STARTED": DerivedModel(lambda ctx, spec: _from_shared(ctx, spec, EH_STARTED)),
    "EH_SCHOOL_LED_PCT": PercentModel(
        lambda tl, t: tl.ramp(t, 0.40, 0.445, 0, 4) + tl.ramp(t, 0, 0.028, 4),
        _shared_den(EH_OPEN),
        noise_points=0.6,
    ),
    "EH_TAF_TIMELY": PercentModel(lambda tl, t: tl.ramp(t, 0.78, 0.885), _shared_den(EH_STARTED)),
    "EH_OUTCOMES_ACHIEVED": PercentModel(
        lambda tl, t: tl.ramp(t, 0.705, 0.79), _poisson_den("_eh_closed", lambda tl, t: 232)
    ),
    "EH_STEP_UP": CountModel(lambda tl, t: tl.ramp(t, 61, 52)),
    "EH_STEP_DOWN": CountModel(lambda tl, t: tl.ramp(t, 84, 121)),
    "EH_SCHOOLS_TAS": CountModel(
        lambda tl, t: tl.ramp(t, 38, 66) * _q2(tl, t, 0.72) * (0.5 if tl.is_lockdown(t) else 1),
        cv=0.04,
    ),
    "EH_REOPENED_12M": PercentModel(
        lambda tl, t: tl.ramp(t, 0.138, 0.104), _shared_den(EH_STARTED)
    ),
    "EH_SCHOOL_READINESS": PercentModel(
        _school_readiness,
        lambda ctx: [max(1, round(EYFS_COHORT * ctx.volume))] * ctx.n,
        noise_points=0.0,
    ),
    # MASH / front door
    "MASH_CONTACTS": DerivedModel(_contacts_series),
    "MASH_DECISION_1WD": DerivedModel(_ratio_series(lambda c: c.decided_in_time)),
    "MASH_REFERRALS": DerivedModel(_referrals_series),
    "MASH_REFERRAL_RATE": RateModel(_referrals),
    "MASH_REREFERRALS": PercentModel(
        _rereferrals, lambda ctx: [c.referrals for c in ctx.contacts], noise_points=0.5
    ),
    "MASH_CONVERSION": DerivedModel(_ratio_series(lambda c: c.referrals)),
    "MASH_POLICE_CONTACTS_PCT": DerivedModel(_ratio_series(lambda c: c.police)),
    "MASH_STRATEGY_DISCUSSIONS": DerivedModel(lambda ctx, spec: _from_shared(ctx, spec, STRATEGY)),
    "MASH_STRATEGY_MINUTES_SHARED": PercentModel(
        lambda tl, t: tl.ramp(t, 0.62, 0.66, 0, 3) + tl.ramp(t, 0, 0.213, 3, tl.n - 3),
        _shared_den(STRATEGY),
        noise_points=0.7,
    ),
    "MASH_ASSESSMENTS_45WD": PercentModel(
        lambda tl, t: tl.ramp(t, 0.835, 0.895),
        lambda ctx: [max(1, int(c.referrals * 0.86)) for c in ctx.contacts],
    ),
    "MASH_ICPC_15WD": PercentModel(
        lambda tl, t: tl.ramp(t, 0.77, 0.875), _poisson_den("_icpc", lambda tl, t: 56)
    ),
    "MASH_DA_NOTIFICATIONS": CountModel(
        lambda tl, t: tl.ramp(t, 418, 522) * (1.1 if tl.quarters[t].quarter == 3 else 1.0)
    ),
    "MASH_SW_CASELOAD": MeasureModel(lambda tl, t: tl.ramp(t, 22.4, 16.6), 0.5, decimals=0),
    "MASH_DAYS_TO_ASSESSMENT": MeasureModel(lambda tl, t: tl.ramp(t, 34.5, 27.8), 0.9),
    # Neglect
    "NEG_CP_NEGLECT_PCT": DerivedModel(
        lambda ctx, spec: IndicatorSeries(
            [
                _pct(n, d)
                for n, d in zip(_neglect_plans(ctx), CP_CHILDREN.counts(ctx).total, strict=True)
            ]
        )
    ),
    "NEG_CP_RATE": RateModel(lambda ctx: CP_CHILDREN.counts(ctx)),
    # Graded Care Profile training rolled out from 2020 (seed 000).
    "NEG_GCP2_COMPLETED": CountModel(
        lambda tl, t: 4 + tl.ramp(t, 0, 64, 4, 12) + tl.ramp(t, 0, 4, 12)
    ),
    "NEG_GCP2_ON_PLANS_PCT": PercentModel(
        lambda tl, t: 0.007 if t < 4 else tl.ramp(t, 0.02, 0.465, 4),
        _neglect_plans,
        noise_points=0.8,
    ),
    "NEG_SCREENING_TOOL": CountModel(lambda tl, t: tl.ramp(t, 36, 168)),
    "NEG_CP_SECOND_TIME": PercentModel(
        lambda tl, t: tl.ramp(t, 0.212, 0.158), _poisson_den("_cp_starts", lambda tl, t: 66)
    ),
    "NEG_CP_REVIEWS_TIMELY": PercentModel(
        lambda tl, t: tl.ramp(t, 0.93, 0.975), _poisson_den("_cp_reviews", lambda tl, t: 148)
    ),
    "NEG_CP_TWO_YEARS": PercentModel(
        lambda tl, t: tl.ramp(t, 0.046, 0.022), _poisson_den("_cp_ended", lambda tl, t: 71)
    ),
    # Complex safeguarding
    "CS_RISK_HIGH": CountModel(lambda tl, t: tl.ramp(t, 16, 24)),
    "CS_RISK_MEDIUM": CountModel(lambda tl, t: tl.ramp(t, 41, 53)),
    "CS_RISK_LOW": CountModel(lambda tl, t: tl.ramp(t, 74, 96)),
    "CS_MISSING_EPISODES": DerivedModel(lambda ctx, spec: _from_shared(ctx, spec, MISSING)),
    "CS_RHI_OFFERED_72H": PercentModel(_rhi_offered, _shared_den(MISSING), noise_points=0.7),
    "CS_RHI_COMPLETED": DerivedModel(
        lambda ctx, spec: IndicatorSeries(
            [
                Figure(float(int(m * 0.61 + 6 * np.sin(t))))
                for t, m in enumerate(MISSING.counts(ctx).total)
            ]
        )
    ),
    "CS_CAWN_ISSUED": CountModel(lambda tl, t: tl.ramp(t, 6, 12)),
    "CS_NRM_REFERRALS": CountModel(lambda tl, t: tl.ramp(t, 3, 9)),
    "CS_COUNTY_LINES": CountModel(lambda tl, t: tl.ramp(t, 31, 21)),
    "CS_TRANSITION_PLANS": PercentModel(
        lambda tl, t: tl.ramp(t, 0.70, 0.92), _poisson_den("_turning_18", lambda tl, t: 9)
    ),
    # Training impact (from the training rows)
    "TR_LEARNERS": DerivedModel(_learners),
    "TR_KNOWLEDGE_UPLIFT": DerivedModel(_uplift),
    "TR_OBJECTIVES_MET": DerivedModel(
        _training_pct(lambda q: q.objectives_met, lambda q: q.respondents, lambda tl, t: 0.99)
    ),
    "TR_ELEARNING": CountModel(
        lambda tl, t: tl.ramp(t, 380, 505) * (1.45 if tl.is_lockdown(t) else 1.0)
    ),
    "TR_PRACTICE_CHANGED": DerivedModel(
        _training_pct(
            lambda q: q.follow_up_impact, lambda q: q.follow_up_respondents, lambda tl, t: 0.64
        )
    ),
    "TR_FOLLOWUP_RESPONSE": DerivedModel(
        _training_pct(
            lambda q: q.follow_up_respondents, lambda q: q.follow_up_contacted, lambda tl, t: 0.33
        )
    ),
    "TR_PLACES_FILLED": DerivedModel(
        _training_pct(lambda q: q.learners, lambda q: q.capacity, lambda tl, t: 0.86)
    ),
}


def _from_shared(ctx: Context, spec: IndicatorSpec, shared: SharedCount) -> IndicatorSeries:
    counts = shared.counts(ctx)
    series = IndicatorSeries([Figure(float(v)) for v in counts.total])
    if "locality" in spec.breakdowns and counts.by_locality is not None:
        series.localities = [[Figure(float(v)) for v in row] for row in counts.by_locality]
    return series


def _generic_model(spec: IndicatorSpec) -> object:
    """A plausible series for an indicator this module does not know, from its unit and target."""
    wobble = (stable_int(spec.code) % 1000) / 1000  # 0-1, fixed per code
    target = spec.target
    better_up = spec.polarity != "lower_is_better"
    if spec.unit == "percentage":
        centre = (target if target is not None else 40 + 40 * wobble) / 100
        drift = 0.04 if better_up else -0.04
        start = float(np.clip(centre - drift, 0.01, 0.99))
        end = float(np.clip(centre + drift / 2, 0.01, 0.99))
        return PercentModel(
            lambda tl, t: tl.ramp(t, start, end),
            _poisson_den(f"_den_{spec.code}", lambda tl, t: 150),
        )
    if spec.unit == "rate_per_10k":
        base = target if target is not None else 20 + 60 * wobble
        shared = SharedCount(f"_num_{spec.code}", lambda tl, t: base * 5)
        return RateModel(lambda ctx: shared.counts(ctx))
    if spec.unit in ("days", "score"):
        base = target if target is not None else 10 + 20 * wobble
        return MeasureModel(lambda tl, t: tl.ramp(t, base * 1.1, base * 0.95), base * 0.03)
    base = target if target is not None else 20 + 200 * wobble
    return CountModel(lambda tl, t: tl.ramp(t, base * 0.9, base * 1.05))


def model_for(spec: IndicatorSpec) -> object:
    return MODELS.get(spec.code) or _generic_model(spec)


def build_series(ctx: Context, spec: IndicatorSpec) -> IndicatorSeries:
    """The partnership, locality and agency figures for one indicator over every quarter."""
    if spec.code in ctx._series:
        return ctx._series[spec.code]
    series = model_for(spec).build(ctx, spec)  # type: ignore[attr-defined]
    if "locality" in spec.breakdowns and series.localities is None:
        series.localities = _locality_fallback(ctx, spec, series)
    if "agency" in spec.breakdowns and series.agencies is None:
        series.agencies = _agency_split(ctx, spec, series)
    ctx._series[spec.code] = series
    return series


def _locality_fallback(ctx: Context, spec: IndicatorSpec, series: IndicatorSeries) -> list:
    """Locality figures for a series generated without them (counts split; others varied)."""
    rng = ctx.rng("locality", spec.code)
    weights = ctx.partnership.locality_weights()
    pops = [loc.child_population for loc in ctx.partnership.localities]
    out = []
    for t, fig in enumerate(series.partnership):
        if spec.unit == "count":
            out.append([Figure(float(v)) for v in _split(rng, int(fig.value), weights)])
        elif fig.numerator is not None and fig.denominator is not None:
            dens = (
                # A rate's denominators are the localities' child populations that year.
                ctx.partnership.locality_populations(ctx.timeline.quarters[t].fy_start_year)
                if spec.unit == "rate_per_10k"
                else _split(rng, int(fig.denominator), weights)
            )
            p = fig.numerator / fig.denominator if fig.denominator else 0
            row = []
            for d in dens:
                n = int(rng.binomial(d, p)) if d else 0
                if spec.unit == "rate_per_10k":
                    row.append(Figure(round(10_000 * n / max(1, d), 1), float(n), float(d)))
                else:
                    row.append(_pct(n, d))
            out.append(row)
        else:
            out.append(
                [Figure(round(fig.value * (1 + 0.05 * rng.standard_normal()), 1)) for _ in pops]
            )
    return out


def _agency_split(ctx: Context, spec: IndicatorSpec, series: IndicatorSeries) -> list:
    """Agency figures that add up to the partnership count (agencies in the reporting sectors)."""
    rng = ctx.rng("agency", spec.code)
    reporters = ctx.partnership.agencies_in(spec.reported_by)
    if not reporters:
        return [{} for _ in series.partnership]
    weights = np.array([a.size for a in reporters], dtype=float)
    out = []
    for fig in series.partnership:
        if spec.unit == "count":
            values = _split(rng, int(fig.value), weights)
            out.append({a.code: Figure(float(v)) for a, v in zip(reporters, values, strict=True)})
        elif fig.numerator is not None and fig.denominator is not None:
            dens = _split(rng, int(fig.denominator), weights)
            p = fig.numerator / fig.denominator if fig.denominator else 0
            out.append(
                {
                    a.code: _pct(int(rng.binomial(d, p)) if d else 0, d)
                    for a, d in zip(reporters, dens, strict=True)
                }
            )
        else:
            out.append(
                {
                    a.code: Figure(round(fig.value * (1 + 0.05 * rng.standard_normal()), 1))
                    for a in reporters
                }
            )
    return out
