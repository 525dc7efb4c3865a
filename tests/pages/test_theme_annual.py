"""The theme pages' Annual figures section under AppTest, on SQLite and PostgreSQL: what it says is
the year's brief in words, staff see each figure's note, an empty store says what to load, and a
published year entered through the template reads back on the page with its rates and change."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard.components import annual as annual_words
from dashboard.metrics import brief
from dashboard.metrics import rag as ragmod
from data_access import annual_figures, catalogue, themes
from data_access.importer import check_file, load_checked
from data_access.periods import parse_period
from data_access.templates import template_frame
from tests.support.annual_seed import NOTE_COMMENT, NOTE_WORDS, seed_annual
from tests.support.import_corpus import TODAY, seed_reference
from tests.support.theme_apptest import app_for, table_with, texts
from tests.support.theme_seed import seed_themes

ANNUAL_COLUMNS = ("Year before", "Target")  # only the Annual figures tables have both


def annual_table(at) -> pd.DataFrame:
    """The Annual figures tables of the page (one per heading, issue 26), as one frame."""
    frames = [f.value for f in at.dataframe if set(ANNUAL_COLUMNS) <= set(f.value.columns)]
    assert frames, "no Annual figures table on the page"
    return pd.concat(frames, ignore_index=True)


def run(page: str, role: str = "qa_officer", **query: str):
    at = app_for(page, role, **query).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def annual_pages(store: sa.Engine, use_store) -> sa.Engine:
    """Twelve quarters of every quarterly indicator (to 2024-25 Q4) and the annual seed."""
    seed_themes(store)
    seed_annual(store)
    return use_store(store)


@pytest.mark.parametrize("role", ["executive", "qa_officer"])
def test_the_annual_section_says_what_the_years_brief_says(
    annual_pages: sa.Engine, role: str
) -> None:
    at = run("mash", role)
    assert "Annual figures" in [h.value for h in at.header]
    assert at.selectbox(key="annual_year_financial_year").value == "2024-25"
    shown = annual_table(at)
    truth = brief.annual_brief(engine=annual_pages, year_code="2024-25", theme_code="mash")
    quarters = annual_figures.annual_against_quarters(
        engine=annual_pages, year_code="2024-25", theme_code="mash"
    )
    # One table per heading (children in care and care leavers apart from the front door).
    said = pd.concat(
        [
            annual_words.annual_table(part, with_notes=True, quarters=quarters)
            for _, part in annual_words.by_heading(truth)
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(shown.reset_index(drop=True).astype(str), said.astype(str))
    rows = shown.set_index("Indicator")
    rate = rows.loc[catalogue.indicator("STAT_CIN_RATE").name]
    # The figure carries its bound and symbol, as every surface words it.
    assert rate["Figure"] == "more than 312.4 per 10,000 children u"
    assert rate["Year before"] == "304.3 per 10,000 children in 2023-24"
    # A change from a bound cannot be given exactly (issue 26).
    assert rate["Change"] == "cannot be given exactly (a bound) on 2023-24"
    assert rate["RAG"] == "No target"
    # The note is plain text in the table: the comment's Markdown is not rendered.
    assert rate["Note"] == NOTE_WORDS
    rereferrals = rows.loc[catalogue.indicator("STAT_REREFERRALS_12M").name]
    assert rereferrals["RAG"] == "Red"
    assert rereferrals["Target"] == "20.0%"  # the quarterly measure's target (issue 26)
    assert rereferrals["Change"] == "+4.7 pp on 2023-24 (worse)"
    assert rows.loc[catalogue.indicator("STAT_CLA_COUNT").name, "Figure"] == "355"
    page = texts(at)
    assert "have no figure for 2024-25" in page  # the annual indicators not loaded for the year
    assert "Line chart of" in page and "by year, 2022-23 to 2024-25" in page
    # The rate's own locality figures for the year, under the chart of the rate.
    at.selectbox(key="annual_chart_financial_year").set_value("STAT_CIN_RATE").run()
    assert not at.exception
    localities = table_with(at, "Locality", "Figure")
    assert localities.to_dict("records")[0]["Figure"] == "298.7 per 10,000 children"
    assert "by year, 2023-24 to 2024-25" in texts(at)
    # The quarterly scorecard lists no annual indicator as a "no data" row.
    quarterly = table_with(at, "Indicator", "Quarters running")
    assert set(quarterly["Indicator"]) == {
        i.name for i in catalogue.indicators("mash") if not i.is_annual
    }


def test_the_year_follows_the_selected_quarter_and_can_be_chosen(annual_pages: sa.Engine) -> None:
    at = run("mash", quarter="2024-25 Q3")
    assert at.selectbox(key="annual_year_financial_year").value == "2023-24"
    assert annual_table(at)["Year before"].str.endswith("2022-23").all()
    at.selectbox(key="annual_year_financial_year").set_value("2022-23").run()
    assert not at.exception
    table = annual_table(at).set_index("Indicator")
    timely = table.loc[catalogue.indicator("STAT_ASSESSMENTS_45WD").name]
    assert timely["Figure"] == "80.0%" and timely["RAG"] == "Amber"
    assert timely["Change"] == "no comparison: no figure for 2021-22"
    # Another quarter chosen in the sidebar: the year follows it again.
    at.selectbox(key="theme_quarter").set_value("2024-25 Q4").run()
    assert not at.exception
    assert at.selectbox(key="annual_year_financial_year").value == "2024-25"
    assert annual_table(at)["Year before"].str.endswith("2023-24").all()


def test_annual_figures_are_the_partnerships_whatever_the_scope(annual_pages: sa.Engine) -> None:
    at = run("mash", locality="N")
    assert "Annual figures are the whole partnership's" in texts(at)
    rows = annual_table(at).set_index("Indicator")
    assert rows.loc[catalogue.indicator("STAT_CIN_RATE").name, "Figure"] == (
        "more than 312.4 per 10,000 children u"
    )


def test_school_years_have_their_own_picker(annual_pages: sa.Engine) -> None:
    at = run("early_help", "executive")
    subheaders = [s.value for s in at.subheader]
    assert "Financial years (April to March)" in subheaders
    assert "School years (September to August)" in subheaders
    # The selected quarter (2024-25 Q4, to March 2025) is before AY 2024/25 ended (August).
    assert at.selectbox(key="annual_year_academic_year").value == "AY 2023/24"

    school_name = catalogue.indicator("STAT_SCHOOL_READINESS").name

    def school_row(year_before: str) -> pd.Series:
        found = [
            f.value
            for f in at.dataframe
            if set(ANNUAL_COLUMNS) <= set(f.value.columns)
            and school_name in set(f.value["Indicator"])
        ]
        assert len(found) == 1
        row = found[0].set_index("Indicator").loc[school_name]
        assert row["Year before"].endswith(year_before)
        return row

    row = school_row("AY 2022/23")
    assert row["Figure"] == "66.0%" and row["RAG"] == "Amber"
    at.selectbox(key="annual_year_academic_year").set_value("AY 2024/25").run()
    row = school_row("AY 2023/24")
    assert row["Figure"] == "69.5%" and row["RAG"] == "Green"
    assert row["Change"] == "+3.5 pp on AY 2023/24 (better)"
    # No financial year has early help figures yet: the section says what to load.
    assert "No figures have been loaded for any financial year yet" in texts(at)


def test_the_youth_council_never_sees_a_partners_comment(annual_pages: sa.Engine) -> None:
    refused = run("mash", "youth_council")
    assert "does not have access" in refused.error[0].value
    assert table_with(refused, *ANNUAL_COLUMNS) is None
    youth = run("youth_themes", "youth_council")
    everything = texts(youth) + " ".join(str(f.value.to_dict()) for f in youth.dataframe)
    assert "provisional" not in everything and "low reliability" not in everything
    assert NOTE_COMMENT not in everything


def test_an_empty_store_says_what_to_load(store: sa.Engine, use_store) -> None:
    use_store(store)
    at = run("mash")
    assert "Annual figures" in [h.value for h in at.header]
    assert "No annual figures have been loaded for this theme yet" in texts(at)
    assert "loads the annual return on **Load quarterly returns**" in texts(at)
    assert table_with(at, *ANNUAL_COLUMNS) is None
    # A theme without annual indicators has no such section.
    assert "Annual figures" not in [h.value for h in run("complex_safeguarding").header]


# --- a published year through the template, read back on the page ---------------------------------

PUBLISHED = {  # two years of a partnership's published figures (counts; the rates are worked out)
    "2023-24": {
        "CHILD_POPULATION": 51_230,
        "STAT_CONTACTS": 14_210,
        "STAT_REFERRALS": 3_639,
        "STAT_CP_COUNT": 212,
        "STAT_CLA_COUNT": 372,
        "STAT_CIN_COUNT": 1_655,
    },
    "2024-25": {
        "CHILD_POPULATION": 51_480,
        "STAT_CONTACTS": 13_020,
        "STAT_REFERRALS": 2_638,
        "STAT_CP_COUNT": 241,
        "STAT_CLA_COUNT": 355,
        "STAT_CIN_COUNT": 1_702,
    },
}
RATES = {
    "STAT_REFERRAL_RATE": "STAT_REFERRALS",
    "STAT_CONTACT_RATE": "STAT_CONTACTS",
    "STAT_CP_RATE": "STAT_CP_COUNT",
    "STAT_CLA_RATE": "STAT_CLA_COUNT",
    "STAT_CIN_RATE": "STAT_CIN_COUNT",
}


def load_published(engine: sa.Engine) -> None:
    """Each year's figures typed into the product's own template (rates as their counts only)
    and loaded through the importer, as a QA officer would."""
    for year, figures in PUBLISHED.items():
        template = template_frame(engine=engine, agency_code="LA", period_code=year)
        template = template[template["locality_code"] == ""].copy()
        template = template[template["indicator_code"].isin(set(figures) | set(RATES))]
        template = template.astype(object)
        for index, code in template["indicator_code"].items():
            if code in RATES:
                template.loc[index, "numerator"] = figures[RATES[code]]
            else:
                template.loc[index, "value"] = figures[code]
        data = template.to_csv(index=False).encode("utf-8-sig")
        checked = check_file(engine=engine, file_name=f"annual-{year}.csv", data=data, today=TODAY)
        assert checked.can_load_all, checked.report.to_dict("records")
        load_checked(engine=engine, checked=checked, username="qa.annual")


def rate(count: int, population: int) -> float:
    return round(10_000 * count / population, 1)


def test_a_published_year_entered_through_the_template_reads_back_on_the_page(
    store: sa.Engine,
    use_store,
) -> None:
    seed_reference(store)
    load_published(store)
    use_store(store)
    pages = {}
    for code in [*RATES, *PUBLISHED["2024-25"]]:
        theme = catalogue.indicator(code).theme
        if theme not in pages:
            at = run(theme, "qa_officer")
            assert at.selectbox(key="annual_year_financial_year").value == "2024-25"
            pages[theme] = annual_table(at).set_index("Indicator")
    for rate_code, count_code in RATES.items():
        now = rate(PUBLISHED["2024-25"][count_code], 51_480)
        before = rate(PUBLISHED["2023-24"][count_code], 51_230)
        row = pages[catalogue.indicator(rate_code).theme].loc[catalogue.indicator(rate_code).name]
        assert row["Figure"] == f"{now:,.1f} per 10,000 children", rate_code
        assert row["Year before"] == f"{before:,.1f} per 10,000 children in 2023-24", rate_code
        assert row["Change"] == (f"{now - before:+,.1f} per 10,000 on 2023-24"), rate_code
    referral = pages["mash"].loc[catalogue.indicator("STAT_REFERRAL_RATE").name]
    assert referral["Figure"] == "512.4 per 10,000 children"  # 2,638 / 51,480 x 10,000
    assert referral["Change"] == "-197.9 per 10,000 on 2023-24"
    for code, value in PUBLISHED["2024-25"].items():
        row = pages[catalogue.indicator(code).theme].loc[catalogue.indicator(code).name]
        assert row["Figure"] == f"{value:,}"
        change = value - PUBLISHED["2023-24"][code]
        assert row["Change"] == f"{change:+,} on 2023-24"


def test_quarterly_measures_roll_up_to_the_chosen_year(annual_pages: sa.Engine) -> None:
    """Under the financial year: each quarterly measure as that year, from its four quarters in
    the store (counts added up), with the year before and the change on it."""
    at = run("mash")
    table = table_with(at, "How the year is made")
    assert table is not None, "no roll-up of the quarterly measures"
    rows = table.set_index("Indicator")
    history = themes.indicator_history(engine=annual_pages, theme_code="mash")
    contacts = history[history["code"] == "MASH_CONTACTS"].set_index("period_code")["value"]

    def year_total(year: str) -> float:
        return float(sum(contacts[q.code] for q in parse_period(year).quarters()))

    this_year, year_before = year_total("2024-25"), year_total("2023-24")
    name = catalogue.indicator("MASH_CONTACTS").name
    assert rows.loc[name, "Year"] == ragmod.format_value(this_year, "count")
    assert rows.loc[name, "Year before"] == ragmod.format_value(year_before, "count")
    assert rows.loc[name, "Change"].startswith(f"{this_year - year_before:+,.0f} on 2023-24")
    assert rows.loc[name, "How the year is made"] == "the four quarters added up"
    # Only quarterly measures: the annual indicators are in the Annual figures table.
    assert catalogue.indicator("STAT_CIN_RATE").name not in rows.index
    # Choosing an earlier year rolls up that year's quarters instead.
    at.selectbox(key="annual_year_financial_year").set_value("2023-24").run()
    rows = table_with(at, "How the year is made").set_index("Indicator")
    assert rows.loc[name, "Year"] == ragmod.format_value(year_before, "count")
    assert rows.loc[name, "Year before"] == ragmod.format_value(year_total("2022-23"), "count")
    # The store's figures start in 2022-23: the year before that has no quarters, so no change.
    at.selectbox(key="annual_year_financial_year").set_value("2022-23").run()
    rows = table_with(at, "How the year is made").set_index("Indicator")
    assert rows.loc[name, "Year before"] == "part-year (0 of 4 quarters)"
    assert rows.loc[name, "Change"] == "no comparison"
