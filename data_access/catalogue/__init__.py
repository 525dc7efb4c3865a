"""The indicator catalogue and the self-assessment standards (Section 11, and the schools' and
colleges' section 175/157 audit), declared once in YAML beside this module."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from data_access import rollup as rollupmod
from data_access.models import FREQUENCIES, POLARITIES, SECTION_11, THEMES, UNITS

CATALOGUE_DIR = Path(__file__).resolve().parent
BREAKDOWNS = ("agency", "locality")

DECIMALS = {"count": 0, "percentage": 1, "rate_per_10k": 1, "days": 1, "score": 1}
UNIT_LABELS = {
    "count": "number",
    "percentage": "%",
    "rate_per_10k": "per 10,000 children",
    "days": "working days",
    "score": "score",
}


@dataclass(frozen=True)
class ThemeSpec:
    code: str
    name: str
    description: str
    youth: str
    sort_order: int


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator as declared in indicators.yaml."""

    code: str
    name: str
    theme: str
    unit: str
    polarity: str
    definition: str
    source: str
    target: float | None = None
    tolerance: float = 0.0
    youth: str | None = None
    headline: bool = False
    scorecard: str | None = None
    breakdowns: tuple[str, ...] = ()
    reported_by: tuple[str, ...] = ("council",)
    sort_order: int = 0
    # quarterly | annual_financial (April-March) | annual_academic (September-August)
    frequency: str = "quarterly"
    # The range a real figure can fall in; a figure outside it is held for the officer to confirm.
    plausible_min: float | None = None
    plausible_max: float | None = None
    # For a percentage or rate: how its numerator and denominator are described to partners.
    numerator: str | None = None
    denominator: str | None = None
    # How the figure rolls up over time and across agencies and localities: one of
    # `data_access.rollup.KINDS` (required; the rule of each kind is in that module).
    aggregation: str = ""
    # For `not_rolled_up`: why, in words shown beside the figure.
    aggregation_note: str | None = None
    # Where the target comes from, or why it differs from the target of the same measure's
    # quarterly (or yearly) twin: required on both of a pair whose targets differ.
    target_note: str | None = None
    # For an annual indicator: the quarterly indicator measuring the same thing, whose quarters
    # rolled up to the year are shown beside it (and listed to reconcile when they differ).
    quarterly_measure: str | None = None
    # The heading the figure is listed under within its theme's page, when not the theme's own.
    heading: str | None = None
    # False for a context figure that is not a process (the child population, a denominator):
    # no control chart and no SPC verdict.
    spc: bool = True

    @property
    def is_annual(self) -> bool:
        return self.frequency != "quarterly"

    @property
    def rollup(self) -> str:
        """How this indicator rolls up (its declared aggregation kind)."""
        return self.aggregation

    @property
    def rollup_words(self) -> str:
        """How its year is made from its quarters, in words (`rollup.rule_words`)."""
        return rollupmod.rule_words(self.aggregation, rollupmod.OVER_TIME, self.aggregation_note)

    @property
    def across_words(self) -> str:
        """How its total across agencies or localities is made, in words."""
        return rollupmod.rule_words(self.aggregation, rollupmod.ACROSS, self.aggregation_note)

    @property
    def decimals(self) -> int:
        return DECIMALS[self.unit]

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]

    @property
    def has_target(self) -> bool:
        return self.target is not None and self.polarity != "neutral"


@dataclass(frozen=True)
class StandardSpec:
    number: int
    title: str
    description: str
    youth: str


class CatalogueError(ValueError):
    """The YAML catalogue breaks one of its own rules."""


def _validate(indicator: IndicatorSpec, theme_codes: set[str]) -> None:
    problems = []
    if indicator.theme not in theme_codes:
        problems.append(f"unknown theme {indicator.theme!r}")
    if indicator.unit not in UNITS:
        problems.append(f"unknown unit {indicator.unit!r}")
    if indicator.polarity not in POLARITIES:
        problems.append(f"unknown polarity {indicator.polarity!r}")
    if indicator.polarity != "neutral" and indicator.target is None:
        problems.append("a measure with a polarity needs a target")
    if (
        indicator.unit == "percentage"
        and indicator.target is not None
        and not (0 <= indicator.target <= 100)
    ):
        problems.append("percentage target outside 0-100")
    if not indicator.definition.strip():
        problems.append("empty definition")
    if indicator.frequency not in FREQUENCIES:
        problems.append(f"unknown frequency {indicator.frequency!r}")
    if (
        indicator.plausible_min is not None
        and indicator.plausible_max is not None
        and indicator.plausible_min >= indicator.plausible_max
    ):
        problems.append("plausible_min must be below plausible_max")
    if not indicator.aggregation:
        problems.append(
            "no aggregation declared: say how it rolls up over time and across agencies "
            f"(aggregation: one of {', '.join(rollupmod.KINDS)})"
        )
    elif (wrong := rollupmod.check_kind(indicator.aggregation, indicator.unit)) is not None:
        problems.append(wrong)
    if indicator.aggregation == rollupmod.NOT_ROLLED_UP and not indicator.aggregation_note:
        problems.append("a measure that is not rolled up needs an aggregation_note saying why")
    if any(b not in BREAKDOWNS for b in indicator.breakdowns):
        problems.append(f"unknown breakdown in {indicator.breakdowns}")
    if problems:
        raise CatalogueError(f"{indicator.code}: " + "; ".join(problems))


def _validate_links(indicators: list[IndicatorSpec]) -> None:
    """An annual indicator's quarterly_measure names a quarterly indicator of the same unit."""
    by_code = {i.code: i for i in indicators}
    for spec in indicators:
        if spec.quarterly_measure is None:
            continue
        other = by_code.get(spec.quarterly_measure)
        if not spec.is_annual:
            problem = "only an annual indicator names a quarterly_measure"
        elif other is None or other.is_annual:
            problem = f"quarterly_measure {spec.quarterly_measure!r} is not a quarterly indicator"
        elif other.unit != spec.unit:
            problem = f"quarterly_measure {other.code} is in {other.unit}, not {spec.unit}"
        elif target_of(spec) != target_of(other) and not (spec.target_note and other.target_note):
            problem = (
                f"its target ({_target_text(spec)}) differs from its quarterly_measure "
                f"{other.code}'s ({_target_text(other)}): give both a target_note saying why, "
                "or give them the same target"
            )
        else:
            continue
        raise CatalogueError(f"{spec.code}: {problem}")


def target_of(spec: IndicatorSpec) -> float | None:
    """The target a figure is judged against (None for a measure without one)."""
    return spec.target if spec.has_target else None


def _target_text(spec: IndicatorSpec) -> str:
    target = target_of(spec)
    return "none" if target is None else f"{target:g}"


def _float_or_none(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[ThemeSpec, ...], tuple[IndicatorSpec, ...]]:
    raw = yaml.safe_load((CATALOGUE_DIR / "indicators.yaml").read_text(encoding="utf-8"))
    themes = tuple(
        ThemeSpec(t["code"], t["name"], t["description"], t["youth"], i)
        for i, t in enumerate(raw["themes"])
    )
    theme_codes = {t.code for t in themes}
    if theme_codes != set(THEMES):
        raise CatalogueError(f"themes in YAML {sorted(theme_codes)} differ from {sorted(THEMES)}")
    indicators = []
    for position, item in enumerate(raw["indicators"]):
        spec = IndicatorSpec(
            code=item["code"],
            name=item["name"],
            theme=item["theme"],
            unit=item["unit"],
            polarity=item["polarity"],
            definition=item["definition"],
            source=item["source"],
            target=float(item["target"]) if item.get("target") is not None else None,
            tolerance=float(item.get("tolerance", 0.0)),
            youth=item.get("youth"),
            headline=bool(item.get("headline", False)),
            scorecard=str(item["scorecard"]) if item.get("scorecard") is not None else None,
            breakdowns=tuple(item.get("breakdowns", ())),
            reported_by=tuple(item.get("reported_by", ("council",))),
            sort_order=position,
            frequency=item.get("frequency", "quarterly"),
            plausible_min=_float_or_none(item.get("plausible_min")),
            plausible_max=_float_or_none(item.get("plausible_max")),
            numerator=item.get("numerator"),
            denominator=item.get("denominator"),
            aggregation=str(item.get("aggregation") or ""),
            aggregation_note=item.get("aggregation_note"),
            target_note=item.get("target_note"),
            quarterly_measure=item.get("quarterly_measure"),
            heading=item.get("heading"),
            spc=bool(item.get("spc", True)),
        )
        _validate(spec, theme_codes)
        indicators.append(spec)
    codes = [i.code for i in indicators]
    if len(codes) != len(set(codes)):
        raise CatalogueError("duplicate indicator codes")
    _validate_links(indicators)
    return themes, tuple(indicators)


def themes() -> tuple[ThemeSpec, ...]:
    """The five themes, in page order."""
    return _load()[0]


def theme(code: str) -> ThemeSpec:
    for spec in themes():
        if spec.code == code:
            return spec
    raise KeyError(code)


def indicators(theme: str | None = None) -> tuple[IndicatorSpec, ...]:
    """Every declared indicator, optionally only one theme's, in catalogue order."""
    all_indicators = _load()[1]
    if theme is None:
        return all_indicators
    return tuple(i for i in all_indicators if i.theme == theme)


def indicator(code: str) -> IndicatorSpec:
    for spec in _load()[1]:
        if spec.code == code:
            return spec
    raise KeyError(code)


# Each self-assessment framework's standards file, beside this module.
STANDARD_FILES = {"section_11": "section11.yaml", "education_175_157": "education_175_157.yaml"}


@cache
def standards(framework: str = SECTION_11) -> tuple[StandardSpec, ...]:
    """A framework's standards (Section 11 unless named), in number order."""
    raw = yaml.safe_load((CATALOGUE_DIR / STANDARD_FILES[framework]).read_text(encoding="utf-8"))
    return tuple(
        StandardSpec(s["number"], s["title"], s["description"], s["youth"])
        for s in sorted(raw["standards"], key=lambda s: s["number"])
    )
