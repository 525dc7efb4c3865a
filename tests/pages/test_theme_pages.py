"""The five theme pages under AppTest: every allowed role, the sample store, a hand-made store
with known answers, and an empty store."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import catalogue  # noqa: E402
from tests.support.theme_apptest import BOARD_ROLES, THEME_PAGES, app_for, table_with, texts
from tests.support.theme_seed import LATEST, QUARTERS, seed_themes


@pytest.fixture
def seeded(sqlite_store: sa.Engine, use_store) -> sa.Engine:
    seed_themes(sqlite_store)
    return use_store(sqlite_store)


@pytest.mark.parametrize("role", BOARD_ROLES)
@pytest.mark.parametrize("page", THEME_PAGES)
def test_renders_on_sample_store(page: str, role: str, sample_store: sa.Engine, use_store) -> None:
    use_store(sample_store)
    at = app_for(page, role).run()
    assert not at.exception, [e.value for e in at.exception]
    headline = [i for i in catalogue.indicators(page) if i.headline]
    assert len(at.metric) >= len(headline)  # one tile per headline indicator (+ action counts)
    assert "The quarter in brief" in texts(at)
    assert at.title[0].value == catalogue.theme(page).name
    headers = [h.value for h in at.header]
    for expected in (
        "Headline figures",
        "Trends",
        "Statistical process control",
        "Audit findings and open actions",
    ):
        assert expected in headers
    assert at.get("download_button"), "every table has a CSV download"
    assert "Decisions and actions from executive meetings" in texts(at)


@pytest.mark.parametrize("page", THEME_PAGES)
def test_renders_on_empty_store(page: str, sqlite_store: sa.Engine, use_store) -> None:
    use_store(sqlite_store)
    at = app_for(page, "qa_officer").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "No quarterly figures have been loaded yet" in texts(at)
    if any(i.is_annual for i in catalogue.indicators(page)):
        assert "No annual figures have been loaded for this theme yet" in texts(at)
    assert "No open actions" in texts(at)
    assert "has not recorded any decisions or actions for this theme" in texts(at)


def test_youth_council_is_refused(seeded: sa.Engine) -> None:
    at = app_for("mash", "youth_council").run()
    assert not at.exception
    assert "does not have access" in at.error[0].value
    assert not at.metric


def test_mash_known_answers(seeded: sa.Engine) -> None:
    at = app_for("mash", "qa_officer").run()
    assert not at.exception, [e.value for e in at.exception]
    page = texts(at)
    assert (
        "Contacts decided within one working day fell to 78.0%, below the 90.0% target for "
        "the third quarter running."
    ) in page
    assert "Red: missing target" in page
    assert "concerning special cause" in page.lower()
    # Assurance summary with group and meeting date.
    assert "MASH Steering Group" in page and "10 April 2025" in page
    assert "Add a second duty manager on Mondays." in page
    # Overdue actions first.
    actions = table_with(at, "Action", "When")
    assert actions.iloc[0]["Action"] == "Share minutes within 1 working day"
    assert "overdue" in actions.iloc[0]["When"]


def test_drill_down_only_for_qa_and_admin(seeded: sa.Engine) -> None:
    qa = app_for("mash", "qa_officer").run()
    rows = table_with(qa, "submission_file")
    assert {"submission_file", "numerator", "denominator", "agency", "locality"} <= set(
        rows.columns
    )
    assert "q4_return.xlsx" in set(rows["submission_file"])
    executive = app_for("mash", "executive").run()
    assert not executive.exception
    assert table_with(executive, "submission_file") is None
    assert "Quality assurance officers can open the individual returns" in texts(executive)


def test_drill_down_selector_filters_rows(seeded: sa.Engine) -> None:
    at = app_for("mash", "admin").run()
    at.selectbox(key="drilldown_group").select("POL").run()
    rows = table_with(at, "submission_file")
    assert set(rows["agency"]) == {"Shire Police"}


MANY = 122  # with the seed's two agencies: three pages of 50


def _add_many_agency_figures(engine: sa.Engine) -> None:
    """MANY more agencies with a MASH_CONTACTS figure for the latest quarter, the larger the
    later in the alphabet (so the chart's largest are on the table's last page)."""
    from data_access.db import session_scope
    from data_access.models import Indicator, IndicatorValue, ReportingPeriod, Submission
    from tests.support.many_agencies import add_agencies

    add_agencies(engine, MANY)
    with session_scope(engine) as session:
        indicator = session.scalar(sa.select(Indicator.id).where(Indicator.code == "MASH_CONTACTS"))
        period = session.scalar(sa.select(ReportingPeriod.id).where(ReportingPeriod.code == LATEST))
        submission = session.scalar(sa.select(Submission.id))
        agencies = session.execute(
            sa.text("SELECT id, code FROM agency WHERE code LIKE 'VC%' ORDER BY code")
        ).all()
        session.add_all(
            IndicatorValue(
                indicator_id=indicator,
                period_id=period,
                submission_id=submission,
                agency_id=agency_id,
                value=1000.0 + number,
            )
            for number, (agency_id, _) in enumerate(agencies)
        )


def test_a_breakdown_of_many_agencies_is_shown_a_page_at_a_time(
    seeded: sa.Engine, monkeypatch
) -> None:
    from dashboard.components import paging

    _add_many_agency_figures(seeded)
    downloads = {}
    real = paging.download_built

    def keep(build, **kwargs):
        downloads[kwargs["key"]] = (build, kwargs["rows"])
        real(build, **kwargs)

    monkeypatch.setattr(paging, "download_built", keep)
    at = app_for("mash", "qa_officer").run()
    at.selectbox(key="breakdown_indicator").select("MASH_CONTACTS").run()
    at.radio(key="breakdown_dimension").set_value("agency").run()
    assert not at.exception, [e.value for e in at.exception]
    first = table_with(at, "Agency", "Note on the figure")
    assert len(first) == paging.ROWS_PER_PAGE
    assert list(first["Agency"][:3]) == ["Borough Council", "Shire Police", "Village Club 000"]
    assert "Agencies 1 to 50 of 124, A to Z by name. The download has all of them." in texts(at)
    # The drill-down offers this page's agencies and the chart's (the 25 largest, on page 3).
    options = at.selectbox(key="drilldown_group").options
    assert len(options) == 1 + 50 + 25
    assert "Village Club 121" in options and "Village Club 060" not in options

    page_key = paging.page_key("breakdown_page", LATEST, "agency", "MASH_CONTACTS")
    at.selectbox(key=page_key).select(3).run()
    last = table_with(at, "Agency", "Note on the figure")
    assert list(last["Agency"]) == [f"Village Club {n:03d}" for n in range(98, MANY)]
    assert "Agencies 101 to 124 of 124" in texts(at)
    at.selectbox(key="drilldown_group").select("VC120").run()
    assert set(table_with(at, "submission_file")["agency"]) == {"Village Club 120"}

    build, rows = downloads["breakdown_csv"]
    whole = build()
    assert rows == len(whole) == MANY + 2
    assert whole["Agency"].iloc[-1] == "Village Club 121"


def test_learners_from_many_agencies_are_shown_a_page_at_a_time(
    seeded: sa.Engine, monkeypatch
) -> None:
    from dashboard.components import paging
    from data_access.db import session_scope
    from data_access.models import TrainingAttendance, TrainingSession
    from tests.support.many_agencies import add_agencies

    add_agencies(seeded, MANY)
    with session_scope(seeded) as session:
        latest = session.scalar(
            sa.select(TrainingSession.id).order_by(TrainingSession.session_date.desc()).limit(1)
        )
        clubs = (
            session.execute(sa.text("SELECT id FROM agency WHERE code LIKE 'VC%' ORDER BY code"))
            .scalars()
            .all()
        )
        # Club n sends n + 1 learners: the largest are the last clubs.
        session.add_all(
            TrainingAttendance(session_id=latest, agency_id=agency_id, learners=n + 1)
            for n, agency_id in enumerate(clubs)
        )
    downloads = {}
    real = paging.download_built

    def keep(build, **kwargs):
        downloads[kwargs["key"]] = (build, kwargs["rows"])
        real(build, **kwargs)

    monkeypatch.setattr(paging, "download_built", keep)
    at = app_for("training", "qa_officer").run()
    assert not at.exception, [e.value for e in at.exception]
    first = table_with(at, "Learners", "Sessions")
    assert len(first) == paging.ROWS_PER_PAGE
    assert list(first["Agency"][:2]) == ["Village Club 121", "Village Club 120"]
    assert "Agencies 1 to 50 of 124, most learners first. The download has all of them." in texts(
        at
    )
    learners = 20 + MANY * (MANY + 1) // 2
    assert f"Bar chart of {learners:,} learners from 124 agencies in {LATEST}." in texts(at)

    at.selectbox(key=paging.page_key("tr_learners_page", LATEST)).select(3).run()
    last = table_with(at, "Learners", "Sessions")
    assert len(last) == 24 and last["Agency"].iloc[-1] == "Village Club 000"

    build, rows = downloads["tr_learners_table_csv"]
    whole = build()
    assert rows == len(whole) == MANY + 2
    assert whole["Learners"].sum() == learners


def test_url_filters_reproduce_the_view(seeded: sa.Engine) -> None:
    quarter = QUARTERS[-5].code
    at = app_for("mash", "executive", quarter=quarter, agency="POL").run()
    assert not at.exception
    assert at.selectbox(key="theme_quarter").value == quarter
    assert at.selectbox(key="theme_agency").value == "POL"
    assert f"The quarter in brief ({quarter}, Shire Police)" in texts(at)
    # Changing a filter writes it back to the URL.
    at.selectbox(key="theme_quarter").select(LATEST).run()
    assert at.query_params["quarter"] in (LATEST, [LATEST])


def test_stale_url_values_are_ignored(seeded: sa.Engine) -> None:
    at = app_for("neglect", "executive", quarter="1999-00 Q1", agency="NOPE").run()
    assert not at.exception
    assert at.selectbox(key="theme_quarter").value == LATEST
    assert at.selectbox(key="theme_agency").value == ""


def test_training_specifics(seeded: sa.Engine) -> None:
    at = app_for("training", "qa_officer").run()
    assert not at.exception
    learners = table_with(at, "Learners", "Sessions")
    assert learners["Learners"].sum() == 20
    kirkpatrick = table_with(at, "level_name")
    assert list(kirkpatrick["level_name"]) == [
        "1 Reaction",
        "2 Learning",
        "3 Behaviour",
        "4 Results",
    ]


def _verdicts(at) -> tuple:
    """What the page judges: the scorecard table, the tiles and the quarter in brief."""
    table = table_with(at, "Indicator", "RAG", "SPC variation", "SPC assurance", "Quarters running")
    tiles = [(m.label, m.value, m.delta) for m in at.metric]
    brief = next(
        m.value
        for m in at.markdown
        if "target" in str(m.value) and "." in str(m.value) and not str(m.value).startswith("**")
    )
    return table, tiles, brief


@pytest.mark.parametrize("window", ["one quarter", "two years"])
def test_a_narrow_display_window_changes_no_verdict(
    window: str,
    sample_store: sa.Engine,
    use_store,
) -> None:
    """The sidebar's From/To only choose what the charts draw (issue 14): the sample's latest
    quarter reads the same with the default twelve-quarter window, a two-year window and a
    window of that quarter alone."""
    use_store(sample_store)
    default = app_for("early_help", "executive").run()
    assert not default.exception
    latest = default.selectbox(key="theme_quarter").value
    # The picker names quarters in words ("Q1 2024-25 (April to June 2024)"); the address takes
    # their codes ("2024-25 Q1").
    shown = default.selectbox(key="theme_from").options
    codes = [f"{label.split()[1]} {label.split()[0]}" for label in shown]
    first = latest if window == "one quarter" else codes[-8]
    narrow = app_for("early_help", "executive", **{"from": first, "to": latest}).run()
    assert not narrow.exception, [e.value for e in narrow.exception]
    assert narrow.selectbox(key="theme_from").value == first
    table, tiles, brief = _verdicts(default)
    narrow_table, narrow_tiles, narrow_brief = _verdicts(narrow)
    assert narrow_table.equals(table)
    assert narrow_tiles == tiles
    assert narrow_brief == brief
    # The page's "quarters running" goes back beyond any window (the sample has 30 quarters).
    assert table["Quarters running"].str.contains("2[0-9] quarters running").any()


def test_findings_say_their_counts_from_the_columns(sample_store: sa.Engine, use_store) -> None:
    """The theme page's findings carry the product's words for each finding's counts, made from
    its cases_seen / cases_sampled columns (the text itself holds no counts)."""
    from dashboard.metrics.quantity_words import quantity_phrase
    from data_access import themes

    use_store(sample_store)
    at = app_for("mash", "qa_officer").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = table_with(at, "Audit", "Finding")
    stored = themes.theme_findings(engine=sample_store, theme_code="mash")
    assert len(shown) == len(stored) > 0
    for said, (_, row) in zip(shown["Finding"], stored.iterrows(), strict=True):
        seen, of = int(row["cases_seen"]), int(row["cases_sampled"])
        assert "seen in" not in row["finding"]
        assert said == (
            f"{row['finding']} (seen in {seen} of {of} {'case' if of == 1 else 'cases'}: "
            f"{quantity_phrase(seen, of)})"
        )
