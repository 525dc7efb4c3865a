"""Load declared reference data (themes, indicators, self-assessment standards, periods)
idempotently."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import catalogue
from data_access.models import (
    SELF_ASSESSMENT_FRAMEWORKS,
    Indicator,
    ReportingPeriod,
    S11Standard,
    Theme,
)
from data_access.periods import Period


def sync_catalogue(session: so.Session) -> None:
    """Insert or update themes, indicators and standards to match the YAML catalogue."""
    existing_themes = {t.code: t for t in session.scalars(sa.select(Theme))}
    for theme_spec in catalogue.themes():
        theme = existing_themes.get(theme_spec.code) or Theme(code=theme_spec.code)
        theme.name, theme.description = theme_spec.name, theme_spec.description
        theme.youth_description, theme.sort_order = theme_spec.youth, theme_spec.sort_order
        session.add(theme)
    session.flush()

    existing = {i.code: i for i in session.scalars(sa.select(Indicator))}
    for spec in catalogue.indicators():
        row = existing.get(spec.code) or Indicator(code=spec.code)
        row.name = spec.name
        row.theme_code = spec.theme
        row.unit = spec.unit
        row.polarity = spec.polarity
        row.target = spec.target
        row.rag_tolerance = spec.tolerance
        row.definition = spec.definition
        row.youth_description = spec.youth
        row.source = spec.source
        row.headline = spec.headline
        row.scorecard_ref = spec.scorecard
        row.reported_by = ",".join(spec.reported_by)
        row.sort_order = spec.sort_order
        row.frequency = spec.frequency
        session.add(row)

    standards = {(s.framework, s.number): s for s in session.scalars(sa.select(S11Standard))}
    for framework in SELF_ASSESSMENT_FRAMEWORKS:
        for std in catalogue.standards(framework):
            standard = standards.get((framework, std.number)) or S11Standard(
                framework=framework, number=std.number
            )
            standard.title, standard.description, standard.youth_description = (
                std.title,
                std.description,
                std.youth,
            )
            session.add(standard)
    session.flush()


def ensure_periods(session: so.Session, quarters: list[Period]) -> dict[str, int]:
    """Create any missing reporting periods (quarters or years); return {code: id} for them."""
    existing = {p.code: p for p in session.scalars(sa.select(ReportingPeriod))}
    for quarter in quarters:
        if quarter.code not in existing:
            row = ReportingPeriod(
                code=quarter.code,
                fy_start_year=quarter.fy_start_year,
                quarter=quarter.quarter,
                kind=quarter.kind,
                start_date=quarter.start_date,
                end_date=quarter.end_date,
            )
            session.add(row)
            existing[quarter.code] = row
    session.flush()
    return {q.code: existing[q.code].id for q in quarters}
