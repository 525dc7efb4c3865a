"""Issue 26: no surface claims assurance from limits set before a change in the process.

A measure that drops below its target with special cause (79% against 90%, missing four quarters
running, after a long stable history above it) must not be "consistently passing" on the
overview, its theme tile and table, the control chart's caption, meeting mode, the PDF or the
PowerPoint; one that rises above its target with special cause must not be "consistently
failing". Both say the brief's "no assurance: process has changed".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from dashboard.board_pack.content import assemble
from dashboard.board_pack.pdf import build_pdf
from dashboard.board_pack.pptx_builder import build_pptx
from dashboard.metrics import brief, spc
from dashboard.views import meeting_mode as meeting
from data_access import catalogue
from data_access.db import session_scope
from data_access.indicators import periods_with_data
from data_access.models import Indicator, IndicatorValue, ReportingPeriod, SpcProcessChange
from tests.support.one_truth import pdf_text, run_page
from tests.support.visible_text import visible
from tests.test_one_truth import (
    PAGE_COLUMNS,
    _block_with_key,
    meeting_tile_words,
    pptx_words,
    table_with,
    table_words,
)

DROP = "MASH_DECISION_1WD"  # higher is better, target 90
STABLE_HIGH = [95.2, 94.8, 95.6, 94.9, 95.1, 95.4, 94.7, 95.3, 95.0, 95.5]
# Small ups and downs around a level, for the other measure's stable history.
WIGGLE = [0.2, -0.2, 0.6, -0.1, 0.1, 0.4, -0.3, 0.3, 0.0, 0.5]


def rising_indicator() -> catalogue.IndicatorSpec:
    """A headline percentage, higher is better, with a target, shown on its meeting screen."""
    for theme in catalogue.themes():
        shown = [i for i in catalogue.indicators(theme.code) if i.headline and not i.is_annual][:4]
        for spec in shown:
            if (
                spec.code != DROP
                and spec.unit == "percentage"
                and spec.polarity == "higher_is_better"
                and spec.has_target
                and spec.target is not None
                and 50 <= spec.target <= 85
            ):
                return spec
    raise AssertionError("no indicator to rise above its target")


def set_series(engine: sa.Engine, code: str, quarters: list[str], values: list[float]) -> None:
    """The partnership's current figures of `code` for the latest quarters, oldest first."""
    with session_scope(engine) as session:
        indicator_id = session.scalar(sa.select(Indicator.id).where(Indicator.code == code))
        session.execute(sa.delete(SpcProcessChange).where(SpcProcessChange.indicator_code == code))
        for quarter, value in zip(quarters, values, strict=True):
            period_id = session.scalar(
                sa.select(ReportingPeriod.id).where(ReportingPeriod.code == quarter)
            )
            session.execute(
                sa.update(IndicatorValue)
                .where(
                    IndicatorValue.indicator_id == indicator_id,
                    IndicatorValue.period_id == period_id,
                    IndicatorValue.agency_id.is_(None),
                    IndicatorValue.locality_id.is_(None),
                    IndicatorValue.is_current.is_(True),
                )
                .values(value=value, numerator=None, denominator=None, status_symbol=None)
            )


@pytest.fixture(scope="module")
def changed_store(
    module_sample_store: sa.Engine,
) -> Iterator[tuple[sa.Engine, str, catalogue.IndicatorSpec]]:
    quarters = list(periods_with_data(engine=module_sample_store)["code"])
    recent = quarters[-(len(STABLE_HIGH) + 4) :]
    set_series(module_sample_store, DROP, recent, [*STABLE_HIGH, 79.4, 78.8, 79.6, 79.1])
    rising = rising_indicator()
    assert rising.target is not None
    low = [round(rising.target - 15 + w, 1) for w in WIGGLE]
    high = [round(rising.target + 10 + w, 1) for w in (0.1, -0.2, 0.4, 0.0)]
    set_series(module_sample_store, rising.code, recent, [*low, *high])
    yield module_sample_store, quarters[-1], rising


@pytest.fixture
def cases(changed_store, use_store) -> dict[str, str]:
    """{indicator name: the verdict it must never be given}, with the store in use."""
    engine, quarter, rising = changed_store
    use_store(engine)
    truth = brief.quarter_brief(engine=engine, period_code=quarter).set_index("code")
    # The store says what the issue saw: red for a year, concerning special cause; and the
    # limits alone (the reference package's assurance_type) still claim the old verdict.
    drop = truth.loc[DROP]
    assert drop["rag"] == "red" and drop["run_length"] >= 4
    assert drop["spc_variation"] == spc.CONCERNING
    assert drop["spc_chart"].limits_assurance == spc.PASSING
    assert truth.loc[rising.code, "spc_variation"] == spc.IMPROVING
    assert truth.loc[rising.code, "spc_chart"].limits_assurance == spc.FAILING
    for code in (DROP, rising.code):
        assert truth.loc[code, "spc_assurance"] == spc.CHANGED
    return {str(drop["name"]): spc.PASSING, rising.name: spc.FAILING}


def check(surface: str, said: dict[str, str | None], cases: dict[str, str]) -> None:
    """Each case's assurance, as `surface` states it, is the new verdict, never the old one."""
    for name, never in cases.items():
        assert name in said, f"{surface} does not show {name}"
        got = (said[name] or "").lower()
        assert never not in got, f"{surface}: {name} is {got!r}"
        assert spc.CHANGED in got, f"{surface}: {name} is {got!r}"


def test_overview(changed_store, cases) -> None:
    at = run_page("overview", quarter=changed_store[1])
    said = table_words(table_with(at, "Indicator", "Quarters running"), PAGE_COLUMNS)
    check("overview", {n: w.assurance for n, w in said.items()}, cases)
    page = "\n".join(str(m.value) for m in (*at.markdown, *at.caption))
    assert "met consistently" not in page


def test_theme_tile_table_and_control_chart(changed_store, cases) -> None:
    _, quarter, rising = changed_store
    for spec in (catalogue.indicator(DROP), rising):
        case = {spec.name: cases[spec.name]}
        at = run_page(spec.theme, quarter=quarter)
        said = table_words(table_with(at, "Indicator", "Quarters running"), PAGE_COLUMNS)
        check(f"{spec.theme} table", {spec.name: said[spec.name].assurance}, case)
        tile = _tile_caption(at, spec.code)
        check(f"{spec.theme} tile", {spec.name: tile.split("Assurance: ")[-1]}, case)
        at.selectbox(key="spc_indicator").select(spec.code).run()
        assurance = next(
            str(m.value) for m in at.markdown if str(m.value).startswith("**Assurance:** ")
        )
        check(
            f"{spec.theme} control chart",
            {spec.name: assurance.removeprefix("**Assurance:** ")},
            case,
        )
        caption = next(
            visible(str(c.value))
            for c in at.caption
            if visible(str(c.value)).startswith(f"XmR control chart of {spec.name}")
        )
        assert "will be met consistently" not in caption
        assert "will not be met without a change" not in caption
        assert "The process has changed" in caption and "record the change" in caption


def _tile_caption(at, code: str) -> str:
    """The caption line of the headline tile of `code` that gives its assurance."""
    tile = _block_with_key(at.main, f"tile_{code}")
    assert tile is not None, f"no tile for {code}"
    return next(str(c.value) for c in tile.caption if "Assurance: " in str(c.value))


def test_meeting_mode(changed_store, cases) -> None:
    quarter = changed_store[1]
    said: dict[str, str | None] = {}
    at = run_page("meeting_mode", quarter=quarter, screen="1")
    overview_text = "\n".join(str(m.value) for m in (*at.markdown, *at.caption))
    for number in range(2, len(meeting.screens()) + 1):
        at = run_page("meeting_mode", quarter=quarter, screen=str(number))
        said |= {n: w.assurance for n, w in meeting_tile_words(at).items()}
    check("meeting mode tiles", said, cases)
    assert "met consistently" not in overview_text


def test_pdf_and_powerpoint(changed_store, cases) -> None:
    engine, quarter, _ = changed_store
    content = assemble(engine=engine, period_code=quarter, generated_by="qa.demo")
    text = pdf_text(build_pdf(content))
    # Every place the PDF names the measure with an SPC verdict (scorecard row, tile): the
    # verdict after its variation is the new one.
    verdicts = "|".join(
        re.escape(v)
        for v in (spc.PASSING, spc.FAILING, spc.HIT_AND_MISS, spc.CHANGED, spc.NO_TARGET)
    )
    said_in_pdf: dict[str, list[str]] = {}
    for name in cases:
        pattern = re.escape(name) + r" [^;]{0,200}?(?:cause|not enough data); (" + verdicts + ")"
        said_in_pdf[name] = re.findall(pattern, text, flags=re.IGNORECASE)
        assert len(said_in_pdf[name]) >= 2, (name, said_in_pdf[name])  # scorecard and tile
        for verdict in said_in_pdf[name]:
            check("PDF", {name: verdict}, {name: cases[name]})
    assert "met consistently" not in text
    table, tiles, slides = pptx_words(build_pptx(content))
    check("PowerPoint scorecard", {n: w.assurance for n, w in table.items()}, cases)
    check("PowerPoint tiles", {n: w.assurance for n, w in tiles.items() if n in cases}, cases)
    assert "met consistently" not in slides


def test_scorecard_export(changed_store, cases) -> None:
    """`qa-dashboard scorecard` (and the overview's download) says the same as the pages."""
    from dashboard.metrics.scorecard_export import scorecard_export

    engine, quarter, _ = changed_store
    export = scorecard_export(engine=engine, period_code=quarter)
    check("scorecard export", dict(zip(export["name"], export["assurance"], strict=True)), cases)
