"""Who is in the fictional Brookvale partnership: its localities and agencies, at any scale.

At scale 1 (the demo) Brookvale has four localities and fifteen agencies. Below 1 the same
partnership shrinks its child population (volumes fall, rates stay). Above 1 the borough grows into
a benchmark-sized area: more localities (about 12,500 children each) and many more agencies
(schools, GP practices, voluntary groups), so indicator values and front-door contacts grow with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

PARTNERSHIP_NAME = "Brookvale Safeguarding Children Partnership"
BOROUGH = "Brookvale"

# Children aged 0-17 per locality at scale 1, and how much more (or less) front-door demand each
# locality generates per child than the borough average (deprivation).
CORE_LOCALITIES: tuple[tuple[str, str, int, float], ...] = (
    ("NORTH", "Brookvale North", 13_200, 1.00),
    ("SOUTH", "Brookvale South", 11_800, 0.82),
    ("EAST", "Brookvale East", 14_100, 1.28),
    ("WEST", "Brookvale West", 10_900, 0.86),
)

# Synthetic localities added above scale 1 hold about this many children each.
EXTRA_LOCALITY_CHILDREN = 12_500
# The child population grows by this share of its 2019-20 size each year (one rule, used by
# `Partnership.locality_populations`).
POPULATION_BASE_YEAR = 2019
POPULATION_GROWTH = 0.004
# Extra agencies per unit of scale above 1 (a large county has hundreds of schools and practices).
EXTRA_AGENCIES_PER_SCALE = 140


@dataclass(frozen=True)
class LocalitySpec:
    """One locality of the borough."""

    code: str
    name: str
    child_population: int
    demand: float  # contacts and referrals per child, relative to the borough

    @property
    def weight(self) -> float:
        return self.child_population * self.demand


@dataclass(frozen=True)
class AgencySpec:
    """One member agency of the partnership."""

    code: str
    name: str
    sector: str
    agency_type: str
    section_175: bool = False
    size: float = 1.0  # relative share of its sector's activity


CORE_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "BCS", "Brookvale Council Children's Services", "council", "statutory_partner", size=3.0
    ),
    AgencySpec(
        "ICB",
        "Brookvale and Midshire Integrated Care Board",
        "health",
        "statutory_partner",
        size=0.6,
    ),
    AgencySpec(
        "MPOL", "Midshire Police (Brookvale Division)", "police", "statutory_partner", size=1.0
    ),
    AgencySpec(
        "BHFT", "Brookvale Hospitals NHS Foundation Trust", "health", "relevant_agency", size=1.4
    ),
    AgencySpec(
        "BCHS",
        "Brookvale Community Health (health visiting and school nursing)",
        "health",
        "relevant_agency",
        size=1.6,
    ),
    AgencySpec(
        "MMHT", "Midshire Mental Health NHS Trust (CAMHS)", "health", "relevant_agency", size=0.7
    ),
    AgencySpec(
        "BPSP",
        "Brookvale Primary Schools Partnership",
        "education",
        "relevant_agency",
        section_175=True,
        size=1.8,
    ),
    AgencySpec(
        "BSAT",
        "Brookvale Secondary Academies Trust",
        "education",
        "relevant_agency",
        section_175=True,
        size=1.3,
    ),
    AgencySpec(
        "BCOL", "Brookvale College", "education", "relevant_agency", section_175=True, size=0.5
    ),
    AgencySpec("PROB", "Probation Service (Brookvale)", "justice", "relevant_agency", size=0.8),
    AgencySpec("BYJS", "Brookvale Youth Justice Service", "justice", "relevant_agency", size=1.0),
    AgencySpec("BHOM", "Brookvale Homes", "housing", "relevant_agency", size=1.0),
    AgencySpec(
        "BCVS", "Brookvale Council for Voluntary Service", "voluntary", "relevant_agency", size=1.0
    ),
    AgencySpec(
        "SRET",
        "Safe Return Brookvale (return home interviews)",
        "voluntary",
        "relevant_agency",
        size=0.6,
    ),
    AgencySpec(
        "BDAS", "Brookvale Domestic Abuse Service", "voluntary", "relevant_agency", size=0.8
    ),
)

# The agency that returns the partnership-level figure for indicators reported by each sector.
LEAD_AGENCY_BY_SECTOR = {
    "council": "BCS",
    "health": "ICB",
    "police": "MPOL",
    "education": "BSAT",
    "voluntary": "SRET",
    "justice": "BYJS",
    "housing": "BHOM",
}

# Agencies whose latest quarterly return is missing (the data-quality pages show them).
MISSING_LATEST_RETURN = ("BCOL", "BHOM")
# The agency that has not yet returned its Section 11 self-assessment in the latest cycle.
MISSING_LATEST_S11 = "BCOL"

# Extra agencies synthesised above scale 1: (sector, name pattern, section_175, share).
_EXTRA_KINDS: tuple[tuple[str, str, bool, float], ...] = (
    ("education", "Brookvale School {n:04d}", True, 0.55),
    ("health", "Brookvale GP Practice {n:04d}", False, 0.25),
    ("voluntary", "Brookvale Community Group {n:04d}", False, 0.20),
)


@dataclass(frozen=True)
class Partnership:
    """The borough's localities and agencies at one scale."""

    scale: float
    localities: tuple[LocalitySpec, ...]
    agencies: tuple[AgencySpec, ...]

    @property
    def child_population(self) -> int:
        return sum(loc.child_population for loc in self.localities)

    def locality_populations(self, fy_start_year: int) -> list[int]:
        """Each locality's child population in a financial year: the one figure the sample
        uses for that year everywhere (the localities table, the CHILD_POPULATION return and
        every rate's denominator). It grows 0.4% a year from 2019-20."""
        growth = 1 + POPULATION_GROWTH * (fy_start_year - POPULATION_BASE_YEAR)
        return [int(round(loc.child_population * growth)) for loc in self.localities]

    def population_in(self, fy_start_year: int) -> int:
        """The partnership's child population in a financial year (its localities' added up)."""
        return sum(self.locality_populations(fy_start_year))

    @property
    def volume(self) -> float:
        """Multiplier for every count relative to the 50,000-child demo borough."""
        return self.child_population / 50_000

    def agencies_in(self, sectors: tuple[str, ...] | list[str]) -> list[AgencySpec]:
        return [a for a in self.agencies if a.sector in sectors]

    def locality_weights(self) -> np.ndarray:
        weights = np.array([loc.weight for loc in self.localities], dtype=float)
        return weights / weights.sum()

    def population_weights(self) -> np.ndarray:
        weights = np.array([loc.child_population for loc in self.localities], dtype=float)
        return weights / weights.sum()


def build_partnership(scale: float, seed: int) -> Partnership:
    """The localities and agencies for `scale` (deterministic for a seed)."""
    if scale <= 0 or not math.isfinite(scale):
        raise ValueError(f"scale must be a positive number, not {scale}")
    rng = np.random.default_rng([seed, 101])
    if scale <= 1:
        core = tuple(
            LocalitySpec(code, name, max(1, round(children * scale)), demand)
            for code, name, children, demand in CORE_LOCALITIES
        )
        return Partnership(scale, core, CORE_AGENCIES)

    localities = [
        LocalitySpec(code, name, children, demand)
        for code, name, children, demand in CORE_LOCALITIES
    ]
    target_children = 50_000 * scale
    extra_localities = max(0, round((target_children - 50_000) / EXTRA_LOCALITY_CHILDREN))
    for n in range(1, extra_localities + 1):
        children = int(rng.integers(9_000, 16_000))
        demand = float(np.round(rng.uniform(0.75, 1.3), 2))
        localities.append(
            LocalitySpec(f"N{n:04d}", f"Brookvale Neighbourhood {n:04d}", children, demand)
        )

    agencies = list(CORE_AGENCIES)
    extra_agencies = round(EXTRA_AGENCIES_PER_SCALE * (scale - 1))
    counters = {kind[0]: 0 for kind in _EXTRA_KINDS}
    shares = np.array([kind[3] for kind in _EXTRA_KINDS])
    kinds = rng.choice(len(_EXTRA_KINDS), size=extra_agencies, p=shares / shares.sum())
    for kind_index in kinds:
        sector, pattern, s175, _share = _EXTRA_KINDS[int(kind_index)]
        counters[sector] += 1
        n = counters[sector]
        prefix = {"education": "SCH", "health": "GPP", "voluntary": "VCG"}[sector]
        agencies.append(
            AgencySpec(
                f"{prefix}{n:05d}",
                pattern.format(n=n),
                sector,
                "relevant_agency",
                section_175=s175,
                size=float(np.round(rng.uniform(0.3, 1.2), 2)),
            )
        )
    return Partnership(scale, tuple(localities), tuple(agencies))
