"""Pseudonymised front-door (MASH) contacts, generated a quarter at a time with numpy.

The counts the MASH indicators report (contacts, referrals, decisions within one working day,
police share) are taken from these events, so the dashboard's figures and its drill-down agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from data_access.models import CONTACT_OUTCOMES, CONTACT_SOURCES
from sample_data.partnership import Partnership
from sample_data.timeline import Timeline, rng_for

CONTACTS_PER_QUARTER = 3_600  # at scale 1 (50,000 children)
BATCH_SIZE = 50_000

# Share of contacts by source in a term-time quarter (police is the biggest source nationally).
SOURCE_SHARE = {
    "police": 0.37,
    "schools": 0.19,
    "health": 0.14,
    "local_authority": 0.10,
    "individual": 0.09,
    "voluntary": 0.05,
    "other": 0.06,
}
# How likely a contact from each source is to become a referral, relative to the average.
REFERRAL_PROPENSITY = {
    "police": 0.78,
    "schools": 1.15,
    "health": 1.12,
    "local_authority": 1.35,
    "individual": 0.9,
    "voluntary": 1.0,
    "other": 0.8,
}
_SECONDS_PER_DAY = 86_400
_EPOCH = np.datetime64("1970-01-01T00:00:00", "s")


@dataclass
class QuarterContacts:
    """What the indicators need from one quarter's contacts."""

    total: int = 0
    referrals: int = 0
    police: int = 0
    decided_in_time: int = 0
    by_locality: list[int] = field(default_factory=list)
    referrals_by_locality: list[int] = field(default_factory=list)


def expected_contacts(timeline: Timeline, t: int, volume: float) -> dict[str, float]:
    """Expected contacts by source in quarter t: schools dip in the summer and in lockdowns."""
    quarter = timeline.quarters[t]
    base = CONTACTS_PER_QUARTER * volume * timeline.ramp(t, 0.97, 1.04)
    out = {}
    for source, share in SOURCE_SHARE.items():
        factor = 1.0
        if source == "schools":
            if quarter.quarter == 2:
                factor = 0.55  # summer holidays
            if timeline.is_lockdown(t):
                factor = 0.4 if quarter.quarter == 1 else 0.7
        if source == "police" and quarter.quarter == 3:
            factor = 1.06  # Christmas domestic abuse notifications
        out[source] = base * share * factor
    return out


def referral_rate(timeline: Timeline, t: int) -> float:
    """Share of contacts becoming referrals: falls as thresholds and early help bed in."""
    return timeline.ramp(t, 0.285, 0.19, 0, 6) - timeline.ramp(t, 0.0, 0.005, 6)


def decision_in_time_rate(timeline: Timeline, t: int) -> float:
    """Contacts decided within one working day: good, then a drop in the last 4 quarters."""
    if timeline.from_end(t) < 4:
        return 0.78
    return timeline.ramp(t, 0.91, 0.95, 0, 8)


def _splitmix64(values: np.ndarray) -> np.ndarray:
    z = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def child_refs(seed: int, child_numbers: np.ndarray) -> list[str]:
    """Pseudonyms "C" + 8 hex digits from a seeded hash of a child number (no real identity)."""
    with np.errstate(over="ignore"):
        hashed = _splitmix64(child_numbers.astype(np.uint64) ^ np.uint64(seed * 2_654_435_761))
    return [f"C{value:08X}" for value in (hashed >> np.uint64(32)).tolist()]


def _weekday(seconds: np.ndarray) -> np.ndarray:
    """Monday = 0 for seconds since 1970-01-01 (a Thursday)."""
    return ((seconds // _SECONDS_PER_DAY) + 3) % 7


def generate_contacts(
    *,
    seed: int,
    timeline: Timeline,
    partnership: Partnership,
    period_ids: list[int],
    locality_ids: list[int],
    first_id: int,
) -> Iterator[tuple[int, QuarterContacts, list[dict]]]:
    """Yield (quarter index, that quarter's aggregates, rows) in batches of BATCH_SIZE rows."""
    next_id = first_id
    volume = partnership.volume
    locality_weights = partnership.locality_weights()
    sources = list(CONTACT_SOURCES)
    child_pool = max(100, int(partnership.child_population * 0.3))
    for t, quarter in enumerate(timeline.quarters):
        rng = rng_for(seed, "contacts", quarter.code)
        expected = expected_contacts(timeline, t, volume)
        counts = {s: int(rng.poisson(expected.get(s, 0.0))) for s in sources}
        n = sum(counts.values())
        source_arr = np.repeat(np.arange(len(sources)), [counts[s] for s in sources])
        rng.shuffle(source_arr)
        locality_arr = rng.choice(len(locality_ids), size=n, p=locality_weights)

        # Outcomes: referral probability by source, scaled so the quarter hits the trend line.
        propensity = np.array([REFERRAL_PROPENSITY[s] for s in sources])[source_arr]
        p_ref = np.clip(referral_rate(timeline, t) * propensity / propensity.mean(), 0, 0.95)
        is_referral = rng.random(n) < p_ref
        early_help_share = timeline.ramp(t, 0.24, 0.32)
        other_probs = np.array([early_help_share, 0.34 - early_help_share / 4, 0.22, 0.0])
        other_probs[3] = 1.0 - other_probs[:3].sum()
        non_ref_outcome = rng.choice(4, size=n, p=other_probs) + 1
        outcome_arr = np.where(is_referral, 0, non_ref_outcome)

        # Received: weekdays busier than weekends, mostly office hours.
        start = np.datetime64(quarter.start_date.isoformat(), "s")
        days = (quarter.end_date - quarter.start_date).days + 1
        day_offsets = np.arange(days)
        day_weekday = _weekday((start - _EPOCH).astype(np.int64) + day_offsets * _SECONDS_PER_DAY)
        day_weights = np.where(day_weekday < 5, 1.0, np.where(day_weekday == 5, 0.3, 0.25))
        day_arr = rng.choice(days, size=n, p=day_weights / day_weights.sum())
        office = rng.random(n) < 0.85
        secs = np.where(
            office,
            rng.integers(8 * 3600, 18 * 3600, size=n),
            rng.integers(0, _SECONDS_PER_DAY, size=n),
        )
        received = (start - _EPOCH).astype(np.int64) + day_arr * _SECONDS_PER_DAY + secs

        # One working day later: the same time on the next weekday after a calendar day.
        deadline = received + _SECONDS_PER_DAY
        wd = _weekday(deadline)
        deadline = deadline + np.where(wd == 5, 2, np.where(wd == 6, 1, 0)) * _SECONDS_PER_DAY
        in_time = rng.random(n) < decision_in_time_rate(timeline, t)
        decided = np.where(
            in_time,
            received + rng.integers(600, 22 * 3600, size=n),
            deadline + rng.integers(3600, 3 * _SECONDS_PER_DAY, size=n),
        )

        children = rng.integers(0, child_pool, size=n)
        refs = child_refs(seed, children)
        received_dt = (received.astype("datetime64[s]")).astype(object).tolist()
        decided_dt = (decided.astype("datetime64[s]")).astype(object).tolist()

        aggregates = QuarterContacts(
            total=n,
            referrals=int(is_referral.sum()),
            police=int(counts["police"]),
            decided_in_time=int(in_time.sum()),
            by_locality=np.bincount(locality_arr, minlength=len(locality_ids)).tolist(),
            referrals_by_locality=np.bincount(
                locality_arr[is_referral], minlength=len(locality_ids)
            ).tolist(),
        )
        src_list = source_arr.tolist()
        out_list = outcome_arr.tolist()
        loc_list = locality_arr.tolist()
        in_time_list = in_time.tolist()
        period_id = period_ids[t]
        for lo in range(0, n, BATCH_SIZE):
            hi = min(n, lo + BATCH_SIZE)
            rows = [
                {
                    "id": next_id + i - lo,
                    "child_ref": refs[i],
                    "received_at": received_dt[i],
                    "decided_at": decided_dt[i],
                    "period_id": period_id,
                    "locality_id": locality_ids[loc_list[i]],
                    "source": sources[src_list[i]],
                    "outcome": CONTACT_OUTCOMES[out_list[i]],
                    "decision_within_one_working_day": in_time_list[i],
                }
                for i in range(lo, hi)
            ]
            next_id += hi - lo
            yield t, aggregates, rows
        if n == 0:
            yield t, aggregates, []
