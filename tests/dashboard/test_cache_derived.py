"""Results worked out once per data version (`cache.derived`: a theme page's brief, scorecard
table and year's figures) are replaced as soon as the data change, even in another process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import sqlalchemy as sa

from dashboard import cache
from data_access import agency_choice, catalogue
from tests.support.paths import ROOT
from tests.support.theme_apptest import app_for, table_with, texts
from tests.support.theme_seed import LATEST, seed_themes

ADD_AGENCY = textwrap.dedent(
    """
    import sys
    from data_access.db import engine_for, session_scope
    from data_access.models import Agency
    with session_scope(engine_for(sys.argv[1])) as session:
        session.add(Agency(code="OTHER", name="Added by another process", sector="health",
                           agency_type="relevant_agency", section_175=False, active=True))
    """
)

# The partnership's figure for contacts decided within one working day in the latest quarter,
# changed by another process (as an import on the command line would).
CHANGE_DECISIONS = textwrap.dedent(
    """
    import sys
    import sqlalchemy as sa
    from data_access.db import engine_for
    from data_access.models import Indicator, IndicatorValue, ReportingPeriod
    with engine_for(sys.argv[1]).begin() as connection:
        indicator = connection.execute(
            sa.select(Indicator.id).where(Indicator.code == "MASH_DECISION_1WD")
        ).scalar_one()
        period = connection.execute(
            sa.select(ReportingPeriod.id).where(ReportingPeriod.code == sys.argv[2])
        ).scalar_one()
        connection.execute(
            sa.update(IndicatorValue)
            .where(
                IndicatorValue.indicator_id == indicator,
                IndicatorValue.period_id == period,
                IndicatorValue.agency_id.is_(None),
                IndicatorValue.locality_id.is_(None),
                IndicatorValue.is_current.is_(True),
            )
            .values(value=95.0, numerator=950.0, denominator=1000.0)
        )
    """
)


def _agency_codes() -> set[str]:
    return set(cache.frame(agency_choice.find_agencies)["code"])


def test_a_derived_result_is_kept_until_another_process_changes_the_data(
    store: sa.Engine, use_store
) -> None:
    use_store(store)
    builds: list[set[str]] = []

    def build() -> set[str]:
        builds.append(_agency_codes())
        return builds[-1]

    first = cache.derived("agency codes", build, "scope")
    assert cache.derived("agency codes", build, "scope") is first
    assert len(builds) == 1  # worked out once, then shared
    assert "OTHER" not in first

    url = store.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", ADD_AGENCY, url], check=True, cwd=ROOT)
    after = cache.derived("agency codes", build, "scope")
    assert len(builds) == 2 and "OTHER" in after  # the new version's result, worked out again
    assert cache.derived_count(url) == 1  # the old version's result is gone
    cache.clear()
    assert cache.derived_count(url) == 0


def test_a_theme_page_shows_a_figure_changed_by_another_process_at_once(
    sqlite_store: sa.Engine, use_store
) -> None:
    seed_themes(sqlite_store)
    use_store(sqlite_store)
    before = app_for("mash", "qa_officer").run()
    assert not before.exception, [e.value for e in before.exception]
    card = table_with(before, "Indicator", "Value")
    assert card is not None
    name = catalogue.indicator("MASH_DECISION_1WD").name
    decisions = card[card["Indicator"] == name]
    assert list(decisions["Value"]) == ["78.0%"]
    assert "fell to 78.0%" in texts(before)
    again = app_for("mash", "executive").run()  # another session: the kept brief, same figure
    assert "fell to 78.0%" in texts(again)

    url = sqlite_store.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", CHANGE_DECISIONS, url, LATEST], check=True, cwd=ROOT)

    # No cache.clear(): the data version moved, so the brief and its table are worked out again.
    after = app_for("mash", "qa_officer").run()
    assert not after.exception, [e.value for e in after.exception]
    card = table_with(after, "Indicator", "Value")
    decisions = card[card["Indicator"] == name]
    assert list(decisions["Value"]) == ["95.0%"]
    assert "fell to 78.0%" not in texts(after)
    cache.clear()


def test_warming_after_a_change_works_the_derived_results_out_again(
    store: sa.Engine, use_store
) -> None:
    use_store(store)
    builds: list[set[str]] = []

    def build() -> set[str]:
        builds.append(_agency_codes())
        return builds[-1]

    cache.derived("agency codes", build, "warmed")
    url = store.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", ADD_AGENCY, url], check=True, cwd=ROOT)
    cache.warm()
    assert len(builds) == 2 and "OTHER" in builds[-1]  # worked out for the new version
    assert "OTHER" in cache.derived("agency codes", build, "warmed")
    assert len(builds) == 2  # the first visitor after the change finds it ready
    cache.clear()
