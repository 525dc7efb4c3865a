"""The DfE's published figures in the store: the partnership's councils, each release's figures,
the partnership's published history, and England, region and statistical neighbours beside it.

- `setup_councils` (``qa-dashboard init-db --council``) records the council(s) the partnership
  covers, loads the shipped tables as a release and the council's published figures as the
  partnership's own for the catalogue's statutory indicators (source "published by the DfE").
- `load_release` (``qa-dashboard published load``) adds a later release: only new figures are
  added, a figure the DfE revised is kept beside the earlier one (`revises_id`), and the
  partnership's figures follow the newest release - unless the partnership loaded its own figure
  for that year, which takes precedence on the pages (both stay stored; `differences` lists them).
- `comparison` is one indicator and year as LAIT shows it: the council, England, its region,
  each statistical neighbour by name and their average (LAIT's: the plain mean of the
  neighbours' published figures, skipping a neighbour with none), with the quartile band (A-D
  by polarity) and rank among councils LAIT gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log, catalogue
from data_access import published_tables as tables
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import (
    ComparatorValue,
    Indicator,
    IndicatorValue,
    PartnershipCouncil,
    PublishedFigure,
    PublishedRelease,
    ReportingPeriod,
    Submission,
)
from data_access.periods import FinancialYear
from data_access.reference import ensure_periods

SUBMISSION_SOURCE = "published"
COMPARISON_COLUMNS = ["area", "kind", "value", "area_code", "closeness"]
# Figures equal to this many decimal places are the same figure (the DfE publishes one).
SAME_TO = 6


@dataclass(frozen=True)
class ReleaseSummary:
    """What a release changed: figures added, revised and already held, and the partnership's
    figures added or revised from it (and those left because the partnership loaded its own)."""

    release: str
    added: int
    revised: int
    unchanged: int
    partnership_added: int
    partnership_revised: int
    partnership_own: int
    already_loaded: bool = False

    def sentence(self) -> str:
        if self.already_loaded:
            return f"The release {self.release} is already in the store; nothing was changed."
        years = (
            f" The partnership's figures: {self.partnership_added} added, "
            f"{self.partnership_revised} revised"
            + (
                f", {self.partnership_own} left as the partnership loaded them (its own "
                "figures take precedence; the data quality page lists any difference)"
                if self.partnership_own
                else ""
            )
            + "."
        )
        return (
            f"Loaded {self.release}: {self.added} new published figure(s), {self.revised} "
            f"revised (the earlier release's figure is kept), {self.unchanged} already held."
            + years
        )


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return round(a, SAME_TO) == round(b, SAME_TO)


def councils(*, engine: sa.Engine) -> pd.DataFrame:
    """The partnership's councils: old_la_code, new_la_code, name, region_name."""
    with engine.connect() as conn:
        return pd.read_sql(
            sa.select(
                PartnershipCouncil.old_la_code,
                PartnershipCouncil.new_la_code,
                PartnershipCouncil.name,
                PartnershipCouncil.region_name,
            ).order_by(PartnershipCouncil.id),
            conn,
        )


def _councils(session: so.Session) -> list[PartnershipCouncil]:
    return list(session.scalars(sa.select(PartnershipCouncil).order_by(PartnershipCouncil.id)))


def _add_release(
    session: so.Session,
    rows: list[tables.PublishedRow],
    *,
    name: str,
    file_name: str,
    checksum: str,
    username: str,
) -> tuple[PublishedRelease, int, int, int]:
    """Add the release's new and revised figures; (release, added, revised, unchanged)."""
    release = PublishedRelease(
        name=name[:200], file_name=file_name[:255], checksum=checksum, loaded_by=username[:100]
    )
    session.add(release)
    session.flush()
    current = {
        (r.measure_code, r.area_code, r.year): (r.id, r.value)
        for r in session.execute(
            sa.select(
                PublishedFigure.id,
                PublishedFigure.measure_code,
                PublishedFigure.area_code,
                PublishedFigure.year,
                PublishedFigure.value,
            ).where(PublishedFigure.is_current.is_(True))
        )
    }
    new: list[dict[str, object]] = []
    replaced: list[int] = []
    unchanged = 0
    for row in rows:
        held = current.get((row.measure_code, row.area_code, row.year))
        if held is not None and _same(held[1], row.value):
            unchanged += 1
            continue
        if held is not None:
            replaced.append(held[0])
        new.append(
            {
                "measure_code": row.measure_code,
                "area_code": row.area_code,
                "area_name": row.area_name[:100],
                "region_name": (row.region_name or None) and row.region_name[:60],
                "year": row.year,
                "value": row.value,
                "release_id": release.id,
                "is_current": True,
                "revises_id": held[0] if held is not None else None,
            }
        )
    for start in range(0, len(replaced), 500):
        session.execute(
            sa.update(PublishedFigure)
            .where(PublishedFigure.id.in_(replaced[start : start + 500]))
            .values(is_current=False)
        )
    if new:
        session.execute(sa.insert(PublishedFigure), new)
    release.figure_count = len(new)
    session.flush()
    return release, len(new) - len(replaced), len(replaced), unchanged


def _current_figures(
    session: so.Session, area_codes: list[str], measures: list[str] | None = None
) -> pd.DataFrame:
    stmt = sa.select(
        PublishedFigure.measure_code,
        PublishedFigure.area_code,
        PublishedFigure.area_name,
        PublishedFigure.year,
        PublishedFigure.value,
        PublishedRelease.name.label("release"),
    ).join(PublishedRelease, PublishedRelease.id == PublishedFigure.release_id)
    stmt = stmt.where(
        PublishedFigure.is_current.is_(True), PublishedFigure.area_code.in_(area_codes)
    )
    if measures is not None:
        stmt = stmt.where(PublishedFigure.measure_code.in_(measures))
    return pd.DataFrame(
        session.execute(stmt).all(),
        columns=["measure_code", "area_code", "area_name", "year", "value", "release"],
    )


def _sync_partnership(session: so.Session, *, username: str, release: str) -> tuple[int, int, int]:
    """The partnership's figures for the statutory indicators from the council's current
    published figures (one council only: rates of two councils cannot be combined without their
    populations). A figure the partnership loaded itself is left as it is. (added, revised,
    left because the partnership's own)."""
    found = _councils(session)
    if len(found) != 1:
        return 0, 0, 0
    council = found[0]
    figures = _current_figures(session, [council.old_la_code])
    figures = figures[figures["value"].notna() & figures["measure_code"].isin(tables.MEASURES)]
    if figures.empty:
        return 0, 0, 0
    years = sorted({int(y) for y in figures["year"]})
    period_ids = ensure_periods(session, [FinancialYear(y - 1) for y in years])
    indicator_ids = dict(
        session.execute(
            sa.select(Indicator.code, Indicator.id).where(
                Indicator.code.in_(list(tables.MEASURES.values()))
            )
        ).all()
    )
    held = {
        (r.indicator_id, r.period_id): r
        for r in session.execute(
            sa.select(
                IndicatorValue.id,
                IndicatorValue.indicator_id,
                IndicatorValue.period_id,
                IndicatorValue.value,
                Submission.source,
            )
            .outerjoin(Submission, Submission.id == IndicatorValue.submission_id)
            .where(
                IndicatorValue.is_current.is_(True),
                IndicatorValue.agency_id.is_(None),
                IndicatorValue.locality_id.is_(None),
                IndicatorValue.indicator_id.in_(list(indicator_ids.values())),
            )
        )
    }
    to_write: list[tuple[int, int, float, int | None, float | None]] = []
    own = 0
    for row in figures.itertuples():
        indicator_id = indicator_ids.get(tables.MEASURES[str(row.measure_code)])
        if indicator_id is None:
            continue
        period_id = period_ids[tables.period_of_year(int(row.year))]
        value = float(row.value)
        existing = held.get((indicator_id, period_id))
        if existing is None:
            to_write.append((indicator_id, period_id, value, None, None))
        elif existing.source != SUBMISSION_SOURCE:
            own += 1
        elif not _same(existing.value, value):
            to_write.append((indicator_id, period_id, value, int(existing.id), existing.value))
    if not to_write:
        return 0, 0, own
    submission = Submission(
        file_name=f"{tables.SOURCE_WORDS}: {release}"[:255],
        checksum=tables.checksum(release.encode()),
        submitted_by=username[:100],
        source=SUBMISSION_SOURCE,
        row_count=len(to_write),
        notes=f"{tables.SOURCE_WORDS} ({release}), {council.name} ({council.old_la_code})",
    )
    session.add(submission)
    session.flush()
    now = utc_now()
    revised = 0
    for indicator_id, period_id, value, replaces, was in to_write:
        # A revised figure says so beside it on every surface that shows the note.
        revision = f"; revised by the DfE, was {was:g} in an earlier release" if replaces else ""
        figure = IndicatorValue(
            indicator_id=indicator_id,
            period_id=period_id,
            value=value,
            submission_id=submission.id,
            is_current=True,
            created_at=now,
            comment=f"{tables.SOURCE_WORDS} ({release}){revision}"[:2000],
        )
        if replaces is not None:
            session.execute(
                sa.update(IndicatorValue)
                .where(IndicatorValue.id == replaces)
                .values(is_current=False)
            )
            revised += 1
        session.add(figure)
        session.flush()
        if replaces is not None:
            session.execute(
                sa.update(IndicatorValue)
                .where(IndicatorValue.id == replaces)
                .values(superseded_by_id=figure.id)
            )
    return len(to_write) - revised, revised, own


def _sync_comparators(session: so.Session, release: str) -> None:
    """England, the region and the neighbours' average as the catalogue's comparators of the
    statutory indicators for each financial year (the scorecard, tiles and charts read them)."""
    found = _councils(session)
    if not found:
        return
    council = tables.councils().get(found[0].old_la_code)
    if council is None:
        return
    sources = {
        "england": [tables.ENGLAND_CODE],
        "region": tables.region_codes(council),
        "statistical_neighbours": [n.old_la_code for n in tables.neighbours(council.old_la_code)],
    }
    codes = sorted({c for group in sources.values() for c in group})
    figures = _current_figures(session, codes)
    figures = figures[figures["measure_code"].isin(tables.MEASURES)]
    if figures.empty:
        return
    years = sorted({int(y) for y in figures["year"]})
    period_ids = ensure_periods(session, [FinancialYear(y - 1) for y in years])
    indicator_ids = dict(session.execute(sa.select(Indicator.code, Indicator.id)).all())
    mapped = [indicator_ids[c] for c in tables.MEASURES.values() if c in indicator_ids]
    existing = {
        (r.indicator_id, r.comparator_type, r.period_id): r
        for r in session.scalars(
            sa.select(ComparatorValue).where(ComparatorValue.indicator_id.in_(mapped))
        )
    }
    by_key = figures.set_index(["measure_code", "year", "area_code"])["value"].to_dict()
    for measure, code in tables.MEASURES.items():
        if code not in indicator_ids:
            continue
        for year in years:
            for kind, areas in sources.items():
                values = [by_key.get((measure, year, a)) for a in areas]
                present = [float(v) for v in values if v is not None and not pd.isna(v)]
                if kind == "statistical_neighbours":
                    value = float(np.mean(present)) if present else None
                else:
                    value = present[0] if present else None
                key = (indicator_ids[code], kind, period_ids[tables.period_of_year(year)])
                if value is None:
                    continue
                row = existing.get(key)
                if row is None:
                    row = ComparatorValue(
                        indicator_id=key[0], comparator_type=kind, period_id=key[2], value=value
                    )
                    session.add(row)
                row.value = value
                row.source = f"{tables.SOURCE_WORDS} ({release})"[:200]
    session.flush()


def setup_councils(
    *, engine: sa.Engine, council_codes: list[str], username: str = "init-db"
) -> tuple[list[tables.Council], ReleaseSummary | None]:
    """Record the partnership's council(s) and load the shipped tables (first time only) and the
    council's published history as the partnership's figures. UnknownCouncil names a code the
    tables do not know, before anything is written."""
    wanted = [tables.find_council(code) for code in council_codes]
    summary = None
    with session_scope(engine) as session:
        recorded = {c.old_la_code for c in _councils(session)}
        for council in wanted:
            if council.old_la_code in recorded:
                continue
            recorded.add(council.old_la_code)
            session.add(
                PartnershipCouncil(
                    old_la_code=council.old_la_code,
                    new_la_code=council.new_la_code,
                    name=council.name,
                    region_name=council.region_name,
                    added_by=username[:100],
                )
            )
        session.flush()
        loaded = session.scalar(
            sa.select(PublishedRelease.id).where(PublishedRelease.name == tables.SHIPPED_RELEASE)
        )
        added = revised = unchanged = 0
        if loaded is None:
            data = tables.lait_bytes()
            _, added, revised, unchanged = _add_release(
                session,
                list(tables.shipped_rows()),
                name=tables.SHIPPED_RELEASE,
                file_name=tables.LAIT_NAME,
                checksum=tables.checksum(data),
                username=username,
            )
        p_added, p_revised, p_own = _sync_partnership(
            session, username=username, release=tables.SHIPPED_RELEASE
        )
        _sync_comparators(session, tables.SHIPPED_RELEASE)
        summary = ReleaseSummary(
            tables.SHIPPED_RELEASE, added, revised, unchanged, p_added, p_revised, p_own
        )
        audit_log.record(
            session,
            username=username,
            event="published_councils_set",
            detail=(
                "councils: "
                + ", ".join(f"{c.name} ({c.old_la_code})" for c in wanted)
                + f"; {summary.sentence()}"
            ),
        )
    return wanted, summary


def load_release(
    *, engine: sa.Engine, data: bytes, file_name: str, username: str, name: str | None = None
) -> ReleaseSummary:
    """Add a later release from a tidy file (PublishedFileError, store unchanged, when any row
    is wrong): new figures added, revised ones kept beside the earlier, the partnership's
    figures following it unless the partnership loaded its own."""
    rows = tables.read_tidy(data, file_name=file_name)
    digest = tables.checksum(data)
    release_name = name or f"{file_name} (sha256 {digest[:12]})"
    with session_scope(engine) as session:
        if session.scalar(
            sa.select(PublishedRelease.id).where(
                sa.or_(PublishedRelease.checksum == digest, PublishedRelease.name == release_name)
            )
        ):
            return ReleaseSummary(release_name, 0, 0, len(rows), 0, 0, 0, already_loaded=True)
        _, added, revised, unchanged = _add_release(
            session,
            rows,
            name=release_name,
            file_name=file_name,
            checksum=digest,
            username=username,
        )
        p_added, p_revised, p_own = _sync_partnership(
            session, username=username, release=release_name
        )
        _sync_comparators(session, release_name)
        summary = ReleaseSummary(release_name, added, revised, unchanged, p_added, p_revised, p_own)
        audit_log.record(
            session, username=username, event="published_release_loaded", detail=summary.sentence()
        )
    return summary


def _polarity(code: str) -> str:
    """LAIT's polarity words: High, Low or '-' (no polarity, so no band and no rank)."""
    polarity = catalogue.indicator(code).polarity
    return {"higher_is_better": "High", "lower_is_better": "Low"}.get(polarity, "-")


def band_and_rank(values: pd.Series, value: float | None, polarity: str) -> tuple[str, str, int]:
    """LAIT's quartile band (A-D, A best by polarity) and rank (1 best, ties share the lowest)
    of `value` among the councils' `values` of the year: (band, rank, councils ranked). The
    quartiles are R's `quantile` (type 7, linear), as LAIT's `calculate_quartile_band`."""
    present = values.dropna().astype(float)
    if value is None or present.empty:
        return "", "", int(len(present))
    if polarity not in ("High", "Low"):
        return "-", "-", int(len(present))
    q0, q25, q50, q75, q100 = np.percentile(present.to_numpy(), [0, 25, 50, 75, 100])
    if value <= q25:
        quarter = 0
    elif value <= q50:
        quarter = 1
    elif value <= q75:
        quarter = 2
    else:
        quarter = 3
    band = "ABCD"[quarter] if polarity == "Low" else "DCBA"[quarter]
    better = (present > value).sum() if polarity == "High" else (present < value).sum()
    return band, str(int(better) + 1), int(len(present))


def comparison(*, engine: sa.Engine, code: str, period_code: str) -> pd.DataFrame:
    """One statutory indicator and financial year as LAIT shows it: rows (area, kind, value,
    area_code, closeness) of kind council (each of the partnership's councils), england, region,
    neighbour (each statistical neighbour of the first council, closest first) and neighbours
    (their average: the plain mean of the published figures, a neighbour with none left out).
    A figure the DfE did not publish is empty, never 0. Empty when the indicator is not
    published or no council is recorded."""
    measure = tables.MEASURE_OF.get(code)
    year = tables.year_of_period(period_code)
    with session_scope(engine) as session:
        found = _councils(session)
        if measure is None or not found:
            return pd.DataFrame(columns=COMPARISON_COLUMNS)
        first = tables.councils().get(found[0].old_la_code)
        neighbours = tables.neighbours(found[0].old_la_code)
        regions = tables.region_codes(first) if first else []
        codes = (
            [c.old_la_code for c in found]
            + [tables.ENGLAND_CODE]
            + regions
            + [n.old_la_code for n in neighbours]
        )
        figures = _current_figures(session, codes, [measure])
    figures = figures[figures["year"] == year]
    value_of = {str(a): v for a, v in zip(figures["area_code"], figures["value"], strict=True)}
    name_of = {
        str(a): str(n) for a, n in zip(figures["area_code"], figures["area_name"], strict=True)
    }

    def value(area: str) -> float | None:
        v = value_of.get(area)
        return None if v is None or pd.isna(v) else float(v)

    rows: list[dict[str, object]] = [
        {
            "area": c.name,
            "kind": "council",
            "value": value(c.old_la_code),
            "area_code": c.old_la_code,
            "closeness": "",
        }
        for c in found
    ]
    rows.append(
        {
            "area": "England",
            "kind": "england",
            "value": value(tables.ENGLAND_CODE),
            "area_code": tables.ENGLAND_CODE,
            "closeness": "",
        }
    )
    region = next((r for r in regions if value(r) is not None), regions[0] if regions else None)
    if region is not None:
        rows.append(
            {
                "area": name_of.get(region, first.region_name if first else region),
                "kind": "region",
                "value": value(region),
                "area_code": region,
                "closeness": "",
            }
        )
    present = []
    for n in neighbours:
        v = value(n.old_la_code)
        if v is not None:
            present.append(v)
        rows.append(
            {
                "area": n.name,
                "kind": "neighbour",
                "value": v,
                "area_code": n.old_la_code,
                "closeness": n.closeness,
            }
        )
    if neighbours:
        rows.append(
            {
                "area": "Statistical neighbours' average",
                "kind": "neighbours",
                "value": float(np.mean(present)) if present else None,
                "area_code": "",
                "closeness": f"{len(present)} of {len(neighbours)} neighbours published",
            }
        )
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def council_values(*, engine: sa.Engine, code: str, period_code: str) -> pd.Series:
    """Every council's current published figure of the indicator for the year (for bands)."""
    measure = tables.MEASURE_OF.get(code)
    if measure is None:
        return pd.Series(dtype=float)
    year = tables.year_of_period(period_code)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(PublishedFigure.area_code, PublishedFigure.value).where(
                PublishedFigure.measure_code == measure,
                PublishedFigure.year == year,
                PublishedFigure.is_current.is_(True),
            )
        ).all()
    return pd.Series(
        {str(a): v for a, v in rows if int(a) < tables.FIRST_AREA_OUTSIDE_COUNCILS}, dtype=float
    )


def revision_note(*, engine: sa.Engine, code: str, period_code: str, area_code: str) -> str:
    """'' unless the DfE revised the area's figure for the year: then what it was, in which
    release, and the release that revised it (a revision is never silent)."""
    measure = tables.MEASURE_OF.get(code)
    if measure is None:
        return ""
    earlier = so.aliased(PublishedFigure)
    earlier_release = so.aliased(PublishedRelease)
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(earlier.value, earlier_release.name, PublishedRelease.name)
            .select_from(PublishedFigure)
            .join(earlier, earlier.id == PublishedFigure.revises_id)
            .join(earlier_release, earlier_release.id == earlier.release_id)
            .join(PublishedRelease, PublishedRelease.id == PublishedFigure.release_id)
            .where(
                PublishedFigure.measure_code == measure,
                PublishedFigure.area_code == area_code,
                PublishedFigure.year == tables.year_of_period(period_code),
                PublishedFigure.is_current.is_(True),
            )
        ).first()
    if row is None:
        return ""
    was = "not published" if row[0] is None else f"{row[0]:g}"
    return f"revised in {row[2]}; was {was} in {row[1]}"


def _first(by_kind: dict[object, pd.DataFrame], kind: str, field: str = "value") -> object:
    part = by_kind.get(kind)
    return None if part is None or part.empty else part.iloc[0][field]


def theme_comparisons(*, engine: sa.Engine, theme_code: str, period_code: str) -> pd.DataFrame:
    """Every published statutory indicator of a theme for a financial year, one row each:
    code, name, unit, council, council_value, england, region, region_value, neighbours_average,
    band, rank, ranked (LAIT's quartile band and rank among the councils ranked), polarity and
    revised (`revision_note` of the council's figure). Empty when no council is recorded."""
    columns = [
        "code",
        "name",
        "unit",
        "council",
        "council_value",
        "england",
        "region",
        "region_value",
        "neighbours_average",
        "band",
        "rank",
        "ranked",
        "polarity",
        "revised",
    ]
    out = []
    for spec in catalogue.indicators(theme_code):
        if spec.code not in tables.MEASURE_OF:
            continue
        rows = comparison(engine=engine, code=spec.code, period_code=period_code)
        if rows.empty:
            continue
        by_kind = {k: part for k, part in rows.groupby("kind")}
        council = by_kind["council"].iloc[0]
        polarity = _polarity(spec.code)
        band, rank, ranked = band_and_rank(
            council_values(engine=engine, code=spec.code, period_code=period_code),
            None if pd.isna(council["value"]) else float(council["value"]),
            polarity,
        )

        out.append(
            {
                "code": spec.code,
                "name": spec.name,
                "unit": spec.unit,
                "council": council["area"],
                "council_value": council["value"],
                "england": _first(by_kind, "england"),
                "region": _first(by_kind, "region", "area"),
                "region_value": _first(by_kind, "region"),
                "neighbours_average": _first(by_kind, "neighbours"),
                "band": band,
                "rank": rank,
                "ranked": ranked,
                "polarity": polarity,
                "revised": revision_note(
                    engine=engine,
                    code=spec.code,
                    period_code=period_code,
                    area_code=str(council["area_code"]),
                ),
            }
        )
    return pd.DataFrame(out, columns=columns)


def theme_neighbours(*, engine: sa.Engine, theme_code: str, period_code: str) -> pd.DataFrame:
    """Each statistical neighbour's figure for every published indicator of a theme and year:
    indicator, unit, neighbour, closeness, value."""
    out = []
    for spec in catalogue.indicators(theme_code):
        if spec.code not in tables.MEASURE_OF:
            continue
        rows = comparison(engine=engine, code=spec.code, period_code=period_code)
        for row in rows[rows["kind"] == "neighbour"].itertuples():
            out.append(
                {
                    "indicator": spec.name,
                    "unit": spec.unit,
                    "neighbour": row.area,
                    "closeness": row.closeness,
                    "value": row.value,
                }
            )
    return pd.DataFrame(out, columns=["indicator", "unit", "neighbour", "closeness", "value"])


def differences(*, engine: sa.Engine) -> pd.DataFrame:
    """Years where the partnership's own figure (taking precedence on the pages) differs from
    the council's published figure: indicator, year, partnership_value, partnership_source,
    published_value, published_source."""
    columns = [
        "indicator",
        "year",
        "partnership_value",
        "partnership_source",
        "published_value",
        "published_source",
    ]
    with session_scope(engine) as session:
        found = _councils(session)
        if len(found) != 1:
            return pd.DataFrame(columns=columns)
        own = session.execute(
            sa.select(
                Indicator.code,
                Indicator.name,
                ReportingPeriod.code.label("period_code"),
                IndicatorValue.value,
                Submission.file_name,
                Submission.submitted_by,
                Submission.submitted_at,
            )
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
            .join(Submission, Submission.id == IndicatorValue.submission_id)
            .where(
                IndicatorValue.is_current.is_(True),
                IndicatorValue.agency_id.is_(None),
                IndicatorValue.locality_id.is_(None),
                Submission.source != SUBMISSION_SOURCE,
                Indicator.code.in_(list(tables.MEASURE_OF)),
                ReportingPeriod.kind == "financial_year",
            )
        ).all()
        published = _current_figures(session, [found[0].old_la_code])
    lookup = {
        (str(m), int(y)): (v, str(r))
        for m, y, v, r in zip(
            published["measure_code"],
            published["year"],
            published["value"],
            published["release"],
            strict=True,
        )
    }
    out = []
    for row in own:
        year = tables.year_of_period(row.period_code)
        held = lookup.get((tables.MEASURE_OF[row.code], year))
        if held is None or held[0] is None or pd.isna(held[0]) or row.value is None:
            continue
        if round(float(held[0]), 1) == round(float(row.value), 1):
            continue
        when = (
            row.submitted_at.date().isoformat() if isinstance(row.submitted_at, dt.datetime) else ""
        )
        out.append(
            {
                "indicator": row.name,
                "year": row.period_code,
                "partnership_value": float(row.value),
                "partnership_source": f"loaded by the partnership: {row.file_name} "
                f"({row.submitted_by}, {when})",
                "published_value": float(held[0]),
                "published_source": f"{tables.SOURCE_WORDS}: {held[1]}",
            }
        )
    return pd.DataFrame(out, columns=columns)


def published_years(*, engine: sa.Engine) -> list[str]:
    """The financial years the DfE published a figure of the partnership's first council for,
    oldest first ('2015-16' ... '2024-25'); empty when no council is recorded."""
    with session_scope(engine) as session:
        found = _councils(session)
        if not found:
            return []
        years = session.scalars(
            sa.select(PublishedFigure.year)
            .where(
                PublishedFigure.area_code == found[0].old_la_code,
                PublishedFigure.is_current.is_(True),
                PublishedFigure.value.is_not(None),
            )
            .distinct()
        ).all()
    return [tables.period_of_year(int(y)) for y in sorted(years)]


def all_comparisons(*, engine: sa.Engine, period_code: str) -> pd.DataFrame:
    """`theme_comparisons` for every theme, in catalogue order (the overview and the pack)."""
    frames = [
        theme_comparisons(engine=engine, theme_code=t.code, period_code=period_code)
        for t in catalogue.themes()
    ]
    frames = [f for f in frames if not f.empty]
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else theme_comparisons(engine=engine, theme_code="", period_code=period_code)
    )


def all_neighbours(*, engine: sa.Engine, period_code: str) -> pd.DataFrame:
    """`theme_neighbours` for every theme, in catalogue order (the overview and the pack)."""
    frames = [
        theme_neighbours(engine=engine, theme_code=t.code, period_code=period_code)
        for t in catalogue.themes()
    ]
    return pd.concat(frames, ignore_index=True)
