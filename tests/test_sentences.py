"""Every sentence the product writes is checked against the numbers it states (issue 26, item 4).

Across the sample partnership's quarters the test generates the theme narratives (from the quarter
brief, for every theme and quarter), every indicator's sentence and control-chart sentence, the
audit findings' lines as the audit page writes them, the youth themes page's points and
verdicts, and every sentence of the board pack, finds each quantity word ("nearly every", "most",
"about three in four", "a few") and checks it against the counts the sentence states with
`quantity_words.word_fits`. `tests/dashboard/test_quantity_words.py` shows the check fails on the
sentences the issue quotes. Also: one child's-voice figure across the audit page and the pack,
and the youth page's "going well" following the staff pages' verdicts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard.board_pack.content import assemble
from dashboard.metrics import brief, narrative, quantity_words, youth_verdicts
from dashboard.metrics import rag as ragmod
from dashboard.views import audits_parts
from dashboard.views.youth_themes import verdict_lines
from data_access import audits, catalogue, themes, youth_texts
from data_access.indicators import periods_with_data
from data_access.periods import parse_period
from sample_data.youth_texts import MEASURE_POINTS


@pytest.fixture(scope="module")
def quarters(module_sample_store: sa.Engine) -> list[str]:
    periods = periods_with_data(engine=module_sample_store)
    return [str(c) for c in periods["code"] if " Q" in str(c)]


@pytest.fixture(scope="module")
def briefs(module_sample_store: sa.Engine, quarters: list[str]) -> dict[str, pd.DataFrame]:
    return {q: brief.quarter_brief(engine=module_sample_store, period_code=q) for q in quarters}


def _strings(value: object) -> Iterator[str]:
    """Every string inside a (nested) dataclass, tuple, list or dict."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _check(sentences: list[str]) -> list[str]:
    return [p for s in sentences for p in quantity_words.sentence_problems(s)]


def _summary_counts_add_up(sentence: str, rows: pd.DataFrame) -> list[str]:
    """The narrative's opening ("Of seven headline measures with a target, four on target ...")
    and its "none is red" state counts: check them against the brief's RAGs."""
    words = {w: n for n, w in narrative.NUMBER_WORDS.items()}

    def number(text: str) -> int:
        return words[text] if text in words else int(text)

    rags = list(rows["rag"])
    problems = []
    match = re.match(r"Of (\w+) headline measures? with a target, (.*)\.$", sentence)
    if match:
        total = number(match.group(1))
        said = dict(
            (label, number(n))
            for n, label in re.findall(r"(\w+) (on target|close to it|missing it)", sentence)
        )
        actual = {
            "on target": rags.count(ragmod.GREEN),
            "close to it": rags.count(ragmod.AMBER),
            "missing it": rags.count(ragmod.RED),
        }
        if total != sum(actual.values()) or any(said[k] != actual[k] for k in said):
            problems.append(f"{sentence} (brief: {actual})")
    if "none is red" in sentence and ragmod.RED in rags:
        problems.append(f"{sentence} (brief has red measures)")
    return problems


def test_narratives_for_every_theme_and_quarter(briefs: dict[str, pd.DataFrame]) -> None:
    problems: list[str] = []
    checked = 0
    for quarter, rows in briefs.items():
        for theme in catalogue.themes():
            theme_rows = rows[rows["theme"] == theme.code]
            sentences = narrative.theme_narrative(theme_rows)
            sentences += [s for s in theme_rows["sentence"] if isinstance(s, str)]
            sentences += [s for s in theme_rows["spc_sentence"] if isinstance(s, str)]
            checked += len(sentences)
            problems += [f"{quarter}: {p}" for p in _check(sentences)]
            for sentence in sentences:
                problems += [
                    f"{quarter} {theme.code}: {p}"
                    for p in _summary_counts_add_up(sentence, theme_rows)
                ]
    assert checked > 100
    assert problems == []


def test_audit_findings_lines(module_sample_store: sa.Engine) -> None:
    found = audits.findings(engine=module_sample_store)
    assert len(found) > 20
    lines, notes = [], []
    for row in found.itertuples(index=False):
        # The counts are the finding's own columns; its text carries none.
        assert quantity_words.stated_counts(row.text) == [], row.text
        body, counts, note = audits_parts.finding_parts(row.text, row.cases_seen, row.cases_sampled)
        assert counts, row.text  # every sample finding has its counts
        lines.append(f"{body} ({counts})")
        notes.append(note)
        # The sample's own wording fits its counts (the generator draws fitting counts).
        assert quantity_words.contradictions(row.text, row.cases_seen, row.cases_sampled) == []
    assert _check(lines) == []
    assert [n for n in notes if n] == []


def test_youth_texts_and_verdicts(
    module_sample_store: sa.Engine, briefs: dict[str, pd.DataFrame]
) -> None:
    approved = youth_texts.approved_texts(engine=module_sample_store, subject="theme_point")
    texts = dict(zip(approved["subject_key"], approved["text"], strict=True))
    sentences = [line for text in texts.values() for line in text.splitlines()]
    for rows in briefs.values():
        headline = rows[rows["headline"].astype(bool)]
        for theme in catalogue.themes():
            specs = [i for i in catalogue.indicators(theme.code) if i.headline and i.youth]
            for lines in verdict_lines(headline, specs).values():
                sentences += lines
    assert _check(sentences) == []


def test_youth_going_well_follows_the_staff_verdicts(
    module_sample_store: sa.Engine, briefs: dict[str, pd.DataFrame]
) -> None:
    approved = youth_texts.approved_texts(engine=module_sample_store, subject="theme_point")
    texts = dict(zip(approved["subject_key"], approved["text"], strict=True))
    checked = 0
    for quarter, rows in briefs.items():
        for theme, measures in MEASURE_POINTS.items():
            for code, (going_well, not_yet) in measures.items():
                row = rows[rows["code"] == code].iloc[0]
                well = texts.get(f"{theme}|{quarter}|working_well", "")
                not_well = texts.get(f"{theme}|{quarter}|not_working_well", "")
                if not (well or not_well):
                    continue  # quarters before the youth texts were written
                checked += 1
                assert (going_well in well) == youth_verdicts.is_going_well(row), (quarter, code)
                assert (not_yet in not_well) == youth_verdicts.is_not_going_well(row), (
                    quarter,
                    code,
                )
                # The page's verdict lines agree with the staff pages' brief.
                specs = [catalogue.indicator(code)]
                lines = verdict_lines(rows, specs)
                if row["rag"] == ragmod.RED:
                    assert lines[youth_verdicts.GOING_WELL] == []
                    assert len(lines[youth_verdicts.NOT_GOING_WELL]) == 1
    assert checked >= 8


def test_a_red_measure_is_never_going_well() -> None:
    rows = pd.DataFrame(
        [
            {"code": "MASH_DECISION_1WD", "value": 79.1, "rag": "red", "needs_attention": True},
            {"code": "MASH_CONTACTS", "value": 900.0, "rag": "green", "needs_attention": False},
            {"code": "X", "value": 50.0, "rag": "amber", "needs_attention": False},
        ]
    )
    chosen = youth_verdicts.sections(rows)
    assert chosen == {
        youth_verdicts.GOING_WELL: ["MASH_CONTACTS"],
        youth_verdicts.NOT_GOING_WELL: ["MASH_DECISION_1WD"],
    }


def test_one_childs_voice_figure_on_the_page_the_return_and_the_pack(
    module_sample_store: sa.Engine, quarters: list[str]
) -> None:
    annual = themes.annual_periods(engine=module_sample_store)
    years = [str(c) for c in annual[annual["kind"] == "financial_year"]["code"]]
    assert years
    for year in years:
        period = parse_period(year)
        page = audits.child_voice(
            engine=module_sample_store, start=period.start_date, end=period.end_date
        )
        if not page["cases"]:
            continue
        rows = brief.annual_brief(engine=module_sample_store, year_code=year)
        voice = rows[rows["code"] == audits.CHILD_VOICE_CODE]
        assert len(voice) == 1, year
        assert float(voice.iloc[0]["value"]) == page["share_pct"], year
    pack = assemble(engine=module_sample_store, period_code=quarters[-1], generated_by="qa.demo")
    said = [s for s in _strings(pack) if "Audit records for" in s]
    assert said, "the pack names the child's voice figure's base"
    for sentence in said:
        assert "different base" not in sentence


def test_the_pack_sentences_for_every_quarter(
    module_sample_store: sa.Engine, quarters: list[str]
) -> None:
    """Every quarter of the sample, not only the latest: a wrong word in an older quarter's pack
    (a quarter a board can still ask for) is as wrong as one in this quarter's."""
    assert len(quarters) >= 8
    problems: list[str] = []
    for quarter in quarters:
        pack = assemble(engine=module_sample_store, period_code=quarter, generated_by="qa.demo")
        sentences = list(_strings(pack))
        assert len(sentences) > 100, quarter
        problems += [f"{quarter}: {p}" for p in _check(sentences)]
    assert problems == []


def test_a_loaded_childs_voice_figure_on_another_base_is_named(
    writable_sample_store: sa.Engine,
) -> None:
    """A partnership's annual return counted differently (95.3%, as the issue saw in the pack)
    is shown with the audit records' count and said to be on a different base."""
    annual = themes.annual_periods(engine=writable_sample_store)
    year = str(annual[annual["kind"] == "financial_year"]["code"].iloc[-1])
    with writable_sample_store.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE indicator_value SET value = 95.3 WHERE indicator_id = "
                "(SELECT id FROM indicator WHERE code = :code) AND period_id = "
                "(SELECT id FROM reporting_period WHERE code = :year)"
            ),
            {"code": audits.CHILD_VOICE_CODE, "year": year},
        )
    rows = brief.annual_brief(engine=writable_sample_store, year_code=year)
    note = str(rows[rows["code"] == audits.CHILD_VOICE_CODE].iloc[0]["note"])
    period = parse_period(year)
    page = audits.child_voice(
        engine=writable_sample_store, start=period.start_date, end=period.end_date
    )
    assert f"{page['evidenced']} of {page['cases']} audited cases" in note
    assert "different base" in note
