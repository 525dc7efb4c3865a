"""One truth on every surface: the theme pages, the overview, meeting mode, the PDF and the
PowerPoint give the same words for each indicator's value, RAG, change on last quarter, SPC
variation and assurance, and quarters running, for each of the sample's latest four quarters.

Each surface is read as a person reads it (AppTest elements, the PDF's text, the slides' text)
and compared with the quarter brief (`dashboard.metrics.brief`). `test_the_check_can_fail` shows
the comparison catches a screen that judges a figure from the chart's display window, which is
how the pages and the pack came to disagree (issue 14).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import pytest
import sqlalchemy as sa
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from dashboard.board_pack.content import assemble
from dashboard.board_pack.pdf import build_pdf
from dashboard.board_pack.pptx_builder import build_pptx
from dashboard.components.rag import SHORT_RAG
from dashboard.metrics import brief, glance, narrative
from dashboard.metrics import rag as ragmod
from dashboard.metrics.scorecard import build_scorecard
from dashboard.views import meeting_mode as meeting
from data_access import catalogue, themes
from data_access.db import engine_for
from data_access.indicators import periods_with_data
from tests.support.one_truth import pdf_text, run_page

QUARTERS_CHECKED = 4
# Symbols the screens put before a label (RAG and SPC badges); the words are what must agree.
SYMBOLS = "✖▲✔–?~!↑◆…"


@dataclass(frozen=True)
class Words:
    """What a surface says about one indicator in one quarter (None: the surface omits it)."""

    value: str
    rag: str | None = None
    change: str | None = None
    variation: str | None = None
    assurance: str | None = None
    run: str | None = None


def norm(text: object) -> str:
    """Lower case, badge symbols dropped, white space collapsed: the words, not their dress."""
    cleaned = "".join(ch for ch in str(text) if ch not in SYMBOLS)
    return re.sub(r"\s+", " ", cleaned).strip().lower()


def expected(row: pd.Series) -> Words:
    """The brief's words for one indicator."""
    return Words(
        value=str(row["display_value"]),
        rag=SHORT_RAG[str(row["rag"])],
        change=str(row["change_display"]),
        variation=str(row["spc_variation"]),
        assurance=str(row["spc_assurance"]),
        run=str(row["run_display"]),
    )


def assert_agrees(surface: str, said: dict[str, Words], truth: pd.DataFrame) -> None:
    """Every field `surface` states for an indicator equals the brief's words for it."""
    assert said, f"{surface}: no indicator found"
    by_name = truth.set_index("name")
    problems = []
    for name, words in said.items():
        want = expected(by_name.loc[name])
        for field in ("value", "rag", "change", "variation", "assurance", "run"):
            got = getattr(words, field)
            if got is not None and norm(got) != norm(getattr(want, field)):
                problems.append(f"{name}: {field} {got!r} != {getattr(want, field)!r}")
    assert not problems, f"{surface} disagrees with the brief:\n" + "\n".join(problems)


def assert_run_sentences_agree(surface: str, text: str, truth: pd.DataFrame) -> int:
    """Every "for the nth quarter running" on the surface belongs to an indicator's sentence and
    names the brief's run length; returns how many there are."""
    flat = re.sub(r"\s+", " ", text)
    found = 0
    for _, row in truth.iterrows():
        pattern = (
            re.escape(str(row["name"])) + r" (?:rose to|fell to|stayed at|was) (?:(?!\. ).)*?, "
            r"(?:above|below|at) the \S+ target for the (\w+) quarter running\."
        )
        for match in re.finditer(pattern, flat):
            assert match.group(1) == narrative.ordinal(int(row["run_length"])), (
                f"{surface}: {match.group(0)!r}, but the brief says {row['run_length']}"
            )
            found += 1
    total = len(re.findall(r"for the \w+ quarter running", flat))
    assert found == total, (
        f"{surface}: {total - found} run length(s) not from an indicator sentence"
    )
    return found


# --- fixtures -------------------------------------------------------------------------------------


def latest_quarters(url: str) -> list[str]:
    return list(periods_with_data(engine=engine_for(url))["code"])[-QUARTERS_CHECKED:]


@pytest.fixture(scope="module")
def truths(sample_db_url: str) -> dict[str, pd.DataFrame]:
    """The quarter brief of every indicator, per quarter checked."""
    engine = engine_for(sample_db_url)
    return {
        q: brief.quarter_brief(engine=engine, period_code=q) for q in latest_quarters(sample_db_url)
    }


@pytest.fixture
def app_store(sample_store: sa.Engine, use_store) -> Iterator[sa.Engine]:
    yield use_store(sample_store)


def quarter_params() -> list[int]:
    return list(range(QUARTERS_CHECKED))


# --- readers: what each surface says ------------------------------------------------------------


def table_words(frame: pd.DataFrame, columns: dict[str, str]) -> dict[str, Words]:
    """Words from a table with one row per indicator; `columns` maps Words fields to headers."""
    out = {}
    for _, row in frame.iterrows():
        out[str(row["Indicator"])] = Words(**{f: str(row[c]) for f, c in columns.items()})
    return out


def table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    for element in at.dataframe:
        if set(columns) <= set(element.value.columns):
            return element.value
    raise AssertionError(f"no table with {columns}")


PAGE_COLUMNS = {
    "value": "Value",
    "rag": "RAG",
    "change": "Change on last quarter",
    "variation": "SPC variation",
    "assurance": "SPC assurance",
    "run": "Quarters running",
}


def theme_page_words(at: AppTest) -> dict[str, Words]:
    return table_words(table_with(at, "Indicator", "Quarters running"), PAGE_COLUMNS)


def page_text(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in (*at.markdown, *at.caption))


def meeting_tile_words(at: AppTest) -> dict[str, Words]:
    """Meeting-mode tiles: name, value and badges in one block, then captions."""
    out = {}
    index = 0
    while True:
        tile = _block_with_key(at.main, f"meeting_tile_{index}")
        if tile is None:
            return out
        html = str(tile.markdown[0].value)
        name = re.search(r'meeting-tile-name">(.*?)</div>', html).group(1)
        value = re.search(r'meeting-tile-value">(.*?)</div>', html).group(1)
        rag_label, variation_label = re.findall(r'aria-label="(.*?)"', html)[:2]
        captions = [str(c.value) for c in tile.caption]
        # No assurance line where there is no target (or too few quarters) to be assured of.
        assurance = next(
            (c.removeprefix("Assurance: ") for c in captions if c.startswith("Assurance: ")),
            None,
        )
        detail = next((c for c in captions if not c.startswith("Assurance: ")), "")
        run = _run_in(detail)
        out[name] = Words(
            value=value,
            rag=rag_label.split(":")[0].replace(" (context measure)", ""),
            change=_change_in(detail),
            variation=_variation_from_badge(variation_label),
            assurance=assurance,
            run=run,
        )
        index += 1


def _block_with_key(node, key: str):
    if getattr(node, "key", None) == key:
        return node
    for child in (getattr(node, "children", None) or {}).values():
        found = _block_with_key(child, key)
        if found is not None:
            return found
    return None


def _change_in(detail: str) -> str | None:
    hit = re.search(r"(?:^| · )([^·]+?) on last quarter", detail)
    return hit.group(1) if hit else None


def _run_in(detail: str) -> str:
    hit = re.search(r"((?:On|Missing) target [^·]+?)(?: · |$)", detail)
    return hit.group(1).strip() if hit else ""


def _variation_from_badge(label: str) -> str:
    """The badge says "Common cause variation" / "Not enough data for SPC" for the two labels
    whose wording differs from the brief's; both map back to the brief's term."""
    return {
        "common cause variation": "common cause",
        "not enough data for spc": "not enough data",
    }.get(label.lower(), label)


def meeting_overview_words(at: AppTest) -> dict[str, Words]:
    """The meeting overview's needs-attention lines: a markdown line then its caption."""
    out = {}
    elements = [e for e in _leaves(at.main) if type(e).__name__ in ("Markdown", "Caption")]
    for first, second in zip(elements, elements[1:], strict=False):
        if type(first).__name__ != "Markdown" or "qa-badge" not in str(first.value):
            continue
        hit = re.search(r"\*\*(.+?)\*\* \(.+?\): (.+?)\. [A-Z]", str(first.value))
        if not hit:
            continue
        caption = str(second.value)
        change, run, spc = caption.split(" · ", 2)
        variation, assurance = spc.removeprefix("SPC: ").split("; ", 1)
        out[hit.group(1)] = Words(
            value=hit.group(2),
            change=change.removesuffix(" on last quarter"),
            run="" if run == "No target" else run,
            variation=variation,
            assurance=assurance,
        )
    return out


def _leaves(node) -> Iterator:
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _leaves(child)
    else:
        yield node


def pack_table_words(rows: list[list[str]]) -> dict[str, Words]:
    """The pack's overview scorecard rows (header row first)."""
    header, *body = rows
    col = {name: i for i, name in enumerate(header)}
    out = {}
    for row in body:
        variation, assurance = row[col["SPC signal"]].split("; ", 1)
        run = row[col["Quarters running"]]
        out[row[col["Indicator"]]] = Words(
            value=row[col["Value"]],
            rag=row[col["RAG"]],
            change=row[col["Change on last quarter"]],
            variation=variation,
            assurance=assurance,
            run="" if run == "No target" else run,
        )
    return out


def pptx_words(data: bytes) -> tuple[dict[str, Words], dict[str, Words], str]:
    """(scorecard table rows, tiles, all slide text) from the PowerPoint."""
    rows: list[list[str]] = []
    tiles: dict[str, Words] = {}
    texts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        for shape in slide.shapes:
            if shape.has_table and title.startswith("Overview scorecard"):
                table_rows = [[c.text for c in r.cells] for r in shape.table.rows]
                rows += table_rows if not rows else table_rows[1:]
            elif shape.has_text_frame:
                texts.append(shape.text_frame.text)
                lines = shape.text_frame.text.split("\n")
                if (
                    title.endswith("headline figures")
                    and len(lines) >= 3
                    and lines[2].startswith("SPC: ")
                ):
                    variation, assurance = lines[2].removeprefix("SPC: ").split("; ", 1)
                    detail = lines[3] if len(lines) > 3 else ""
                    tiles[lines[0]] = Words(
                        value=lines[1],
                        variation=variation,
                        assurance=assurance,
                        change=_change_in(detail),
                        run=_run_in(detail),
                    )
    return pack_table_words(rows), tiles, "\n".join(texts)


# --- the tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", quarter_params())
def test_theme_pages_say_what_the_brief_says(offset: int, truths, app_store) -> None:
    quarter = list(truths)[offset]
    truth = truths[quarter]
    sentences = 0
    for theme in catalogue.themes():
        at = run_page(theme.code, quarter=quarter)
        said = theme_page_words(at)
        # Every quarterly indicator; the annual ones are judged by year in their own section.
        assert set(said) == {i.name for i in catalogue.indicators(theme.code) if not i.is_annual}
        assert_agrees(f"{theme.code} page, {quarter}", said, truth)
        # Tiles: the same quarter-running and assurance words as the table.
        captions = "\n".join(str(c.value) for c in at.caption)
        for _, row in truth[(truth["theme"] == theme.code) & truth["headline"]].iterrows():
            if row["run_display"]:
                assert row["run_display"] in captions, (theme.code, row["name"])
        sentences += assert_run_sentences_agree(f"{theme.code} page", page_text(at), truth)
        # The control chart section judges its indicator (the first headline one) the same way.
        first = next(i for i in catalogue.indicators(theme.code) if i.headline)
        markdown = [str(m.value) for m in at.markdown]
        variation = next(m for m in markdown if m.startswith("**Variation:** "))
        assurance = next(m for m in markdown if m.startswith("**Assurance:** "))
        assert_agrees(
            f"{theme.code} control chart section, {quarter}",
            {
                first.name: Words(
                    value=str(truth.set_index("code").loc[first.code, "display_value"]),
                    variation=variation.removeprefix("**Variation:** "),
                    assurance=assurance.removeprefix("**Assurance:** "),
                )
            },
            truth,
        )
    assert sentences, "no narrative sentence gave a run length to check"


@pytest.mark.parametrize("offset", quarter_params())
def test_overview_says_what_the_brief_says(offset: int, truths, app_store) -> None:
    quarter = list(truths)[offset]
    at = run_page("overview", quarter=quarter)
    said = table_words(table_with(at, "Indicator", "Quarters running"), PAGE_COLUMNS)
    assert set(said) == {i.name for i in catalogue.indicators() if i.headline}
    assert_agrees(f"overview, {quarter}", said, truths[quarter])
    assert_run_sentences_agree("overview", page_text(at), truths[quarter])


@pytest.mark.parametrize("offset", quarter_params())
def test_meeting_mode_says_what_the_brief_says(offset: int, truths, app_store) -> None:
    quarter = list(truths)[offset]
    truth = truths[quarter]
    screens = meeting.screens()
    at = run_page("meeting_mode", quarter=quarter, screen="1")
    flagged = meeting_overview_words(at)
    assert_agrees(f"meeting overview, {quarter}", flagged, truth)
    assert set(flagged) == set(
        truth[truth["headline"] & truth["needs_attention"]]
        .sort_values(["severity", "sort_order"], ascending=[False, True])
        .head(glance.MAX_ATTENTION_ITEMS)["name"]
    )
    shown = set()
    for number in range(2, len(screens) + 1):
        at = run_page("meeting_mode", quarter=quarter, screen=str(number))
        tiles = meeting_tile_words(at)
        assert_agrees(f"meeting screen {number}, {quarter}", tiles, truth)
        by_name = truth.set_index("name")
        for name, words in tiles.items():
            if by_name.loc[name, "spc_assurance"] in (
                "consistently passing",
                "consistently failing",
                "hit and miss",
            ):
                assert words.assurance is not None, f"meeting tile {name} hides its assurance"
        assert_run_sentences_agree(f"meeting screen {number}", page_text(at), truth)
        shown |= set(tiles)
    headline = truth[truth["headline"]]
    # Each theme screen shows its first four headline measures.
    assert shown == set(headline.groupby("theme", sort=False).head(4)["name"])


@pytest.mark.parametrize("offset", quarter_params())
def test_pdf_and_powerpoint_say_what_the_brief_says(offset: int, truths, sample_store) -> None:
    quarter = list(truths)[offset]
    truth = truths[quarter]
    content = assemble(engine=sample_store, period_code=quarter, generated_by="qa.demo")
    # Charts are left undrawn (no PNG): they carry no verdict, and drawing them is slow.
    text = pdf_text(build_pdf(content))
    headline = truth[truth["headline"]]
    for _, row in headline.iterrows():
        want = expected(row)
        line = " ".join(
            [
                str(row["theme_name"]),
                row["name"],
                want.value,
                # The pack gives the target beside the figure, as the pages' Target column does.
                (
                    ragmod.format_value(float(row["target"]), str(row["unit"]))
                    if pd.notna(row["target"])
                    else "No target"
                ),
                str(want.rag),
                str(want.change),
                want.run or "No target",
                f"{str(want.variation).capitalize()}; {want.assurance}",
            ]
        )
        assert line in text, f"PDF scorecard row not found: {line!r}"
    for section in content.themes:
        for tile in section.tiles:
            row = truth.set_index("name").loc[tile.name]
            want = expected(row)
            line = (
                f"{tile.name} {want.value} RAG: {want.rag} SPC: "
                f"{str(want.variation).capitalize()}; {want.assurance}"
            )
            assert line in text, f"PDF tile not found: {line!r}"
            if want.run:
                assert want.run in tile.detail
    assert assert_run_sentences_agree("PDF", text, truth)

    table, tiles, slides_text = pptx_words(build_pptx(content))
    assert set(table) == set(headline["name"])
    assert_agrees(f"PowerPoint scorecard, {quarter}", table, truth)
    assert tiles
    assert_agrees(f"PowerPoint tiles, {quarter}", tiles, truth)
    assert_run_sentences_agree("PowerPoint", slides_text, truth)


def test_the_check_can_fail(sample_store: sa.Engine) -> None:
    """A screen judging from the display window (12 quarters, the sidebar's default) or from a
    one-quarter window says other words, and the comparison above catches it."""
    quarter = latest_quarters(str(sample_store.url))[-1]
    truth = brief.quarter_brief(engine=sample_store, period_code=quarter)
    codes = list(periods_with_data(engine=sample_store)["code"])
    comparators = themes.comparator_series(engine=sample_store)
    for first in (codes[-12], quarter):
        windowed = build_scorecard(
            themes.indicator_history(
                engine=sample_store, from_period=first, to_period=quarter, period_kind="quarter"
            ),
            comparators,
            quarter,
        )
        said = {str(r["name"]): expected(r) for _, r in windowed.iterrows()}
        with pytest.raises(AssertionError, match="disagrees with the brief"):
            assert_agrees(f"window from {first}", said, truth)


# --- Issue 29: learning and risk say the same on every surface -----------------------------------


def _slides_text(data: bytes) -> str:
    deck = Presentation(io.BytesIO(data))
    parts = [
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    parts += [
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    return re.sub(r"\s+", " ", " ".join(parts))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_learning_and_risk_figures_agree_everywhere(app_store: sa.Engine) -> None:
    """Overdue actions, risk reviews and escalated risks, and the timeliness figures: the pages,
    the overview, meeting mode, the PDF and the PowerPoint say the same, and the numbers are
    those of the rows the pages list."""
    from dashboard.metrics import learning_words
    from data_access import learning

    summary = learning.overdue_summary(engine=app_store, threshold=12)
    figures = learning.timeliness(engine=app_store)
    sentence = learning_words.overdue_sentence(summary, 12)
    assert summary["actions_overdue"] and summary["risk_reviews_overdue"]

    # The pages' own rows give the same counts.
    reviews = run_page("practice_reviews")
    scrutiny = run_page("scrutiny")
    flagged = sum(
        int(table_with(at, "State")["State"].str.contains("overdue").sum())
        for at in (reviews, scrutiny)
    )
    assert flagged == summary["actions_overdue"]
    late, still_open = figures["actions_overdue"]
    assert late == summary["actions_overdue"]
    assert {m.label: m.value for m in reviews.metric}["Open actions overdue"] == (
        f"{late} of {still_open}"
    )
    register = run_page("risk_register")
    metrics = {m.label: m.value for m in register.metric}
    assert int(metrics["Reviews overdue"]) == summary["risk_reviews_overdue"]
    assert int(metrics["Above 12: to the executive"]) == summary["risks_escalated"]
    rows = table_with(register, "Review")
    assert (
        int(rows["Review"].str.contains("review overdue").sum()) == summary["risk_reviews_overdue"]
    )

    # The overview and meeting mode say the sentence.
    overview = run_page("overview")
    assert sentence in [w.value for w in overview.warning]
    meeting_at = run_page("meeting_mode", screen="1")
    assert sentence in [w.value for w in meeting_at.warning]

    # The pack, both formats.
    quarter = list(periods_with_data(engine=app_store)["code"])[-1]
    content = assemble(engine=app_store, period_code=quarter, generated_by="qa.demo")
    text = _flat(pdf_text(build_pdf(content)))
    slides = _slides_text(build_pptx(content))
    for words in (sentence, *learning_words.timeliness_sentences(figures)):
        assert _flat(words) in text, words
        assert _flat(words) in slides, words


def test_timeliness_indicators_agree_everywhere(truths, app_store) -> None:
    """The three timeliness figures (rapid reviews within 15 working days, local reviews
    published within six months, actions overdue) are catalogue indicators: the Practice reviews
    page, the overview's scorecard, the scorecard export and the pack (PDF and PowerPoint) give
    the brief's words, and the value is the stored numerator over denominator."""
    from dashboard.metrics.scorecard_export import scorecard_export
    from data_access import learning_figures

    quarter = list(truths)[-1]
    truth = truths[quarter]
    rows = truth[truth["code"].isin(learning_figures.CODES)]
    names = set(rows["name"])
    assert len(names) == 3 and learning_figures.latest_quarter(engine=app_store) == quarter
    stored = learning_figures.stored(engine=app_store)
    stored = stored[stored["period_code"] == quarter].set_index("code")
    for _, row in rows.iterrows():
        parts = stored.loc[row["code"]]
        if parts["denominator"]:
            assert row["value"] == round(100 * parts["numerator"] / parts["denominator"], 1)

    page = table_words(
        table_with(run_page("practice_reviews"), "Indicator", "Quarters running"), PAGE_COLUMNS
    )
    assert set(page) == names
    assert_agrees(f"practice reviews page, {quarter}", page, truth)

    overview = run_page("overview", quarter=quarter)
    said = table_words(table_with(overview, "Indicator", "Quarters running"), PAGE_COLUMNS)
    assert names <= set(said)
    assert_agrees(f"overview, {quarter}", {n: said[n] for n in names}, truth)

    export = scorecard_export(engine=app_store, period_code=quarter).set_index("name")
    for _, row in rows.iterrows():
        line = export.loc[row["name"]]
        assert (line["value"], line["numerator"], line["denominator"]) == (
            row["value"],
            row["numerator"],
            row["denominator"],
        )
        assert norm(line["variation"]) == norm(row["spc_variation"])
        assert norm(line["assurance"]) == norm(row["spc_assurance"])
        assert norm(line["run"]) == norm(row["run_display"])

    content = assemble(engine=app_store, period_code=quarter, generated_by="qa.demo")
    text = pdf_text(build_pdf(content))
    for _, row in rows.iterrows():
        want = expected(row)
        assert f"{row['name']} {want.value}" in text, row["name"]
    table, _tiles, _text = pptx_words(build_pptx(content))
    assert names <= set(table)
    assert_agrees(f"PowerPoint scorecard, {quarter}", {n: table[n] for n in names}, truth)
