"""Every text young people read is plain: Flesch reading ease of 60 or more, no professional
terms (each banned term has a plain alternative), and the sample's approved texts pass the same
check as the approval form (no small numbers, names, ages or "Child X").

Sources: the catalogue's youth wording (themes, indicators, Section 11 standards), the sample
data's approved youth texts, and the fixed strings of the youth pages, components and summary.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from dashboard.components import youth as youth_component
from dashboard.metrics.suppression import SYMBOL_SENTENCES
from dashboard.views import youth_section11_summary as youth_summary
from data_access import catalogue, challenges, section11
from data_access.youth_texts import (
    MIN_READING_EASE,
    PLAIN_WORDS,
    READING_EASE_MIN_WORDS,
    WHO_READS,
    banned_terms,
    check_text,
    reading_ease,
    word_count,
)
from sample_data import youth_texts as sample_youth
from sample_data.partnership import build_partnership

ROOT = Path(__file__).resolve().parents[2]
YOUTH_SOURCES = (
    "dashboard/views/youth_section11.py",
    "dashboard/views/youth_themes.py",
    "dashboard/components/youth.py",
)


def plain_problems(text: str) -> list[str]:
    """Why a fixed youth text is not plain: banned terms, or reading ease below 60."""
    problems = [f"uses '{t}' (say '{PLAIN_WORDS[t]}')" for t in banned_terms(text)]
    if word_count(text) >= READING_EASE_MIN_WORDS:
        score = reading_ease(text)
        if score < MIN_READING_EASE:
            problems.append(f"reading ease {score:.0f} < {MIN_READING_EASE:.0f}")
    return problems


def catalogue_texts() -> list[tuple[str, str]]:
    texts = [(f"theme {t.code}", t.youth) for t in catalogue.themes()]
    texts += [(f"indicator {i.code}", i.youth) for i in catalogue.indicators() if i.youth]
    texts += [(f"standard {s.number}", s.youth) for s in catalogue.standards()]
    return texts


def sample_texts() -> list[tuple[str, str]]:
    texts = [
        (f"sample {theme} {category}", text)
        for theme, categories in sample_youth.THEME_POINTS.items()
        for category, pool in categories.items()
        for text in pool
    ]
    texts += [("sample s11 evidence", t) for t in sample_youth.S11_EVIDENCE_YOUTH.values()]
    texts += [("sample s11 action", t) for t in sample_youth.S11_ACTIONS_YOUTH.values()]
    return texts


def _string_of(node: ast.AST) -> str | None:
    """A string literal, or an f-string with each placeholder read as the word 'it'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            else:
                parts.append("it")
        return "".join(parts)
    return None


def page_strings(path: Path) -> list[str]:
    """The words a youth page shows: string literals that read as prose (not CSS, HTML, keys,
    docstrings or code), joined where Python concatenates them."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        text = _string_of(node)
        if text is None or " " not in text.strip() or any(c in text for c in "<>{}[];#"):
            continue
        if isinstance(node, ast.Constant) and any(
            isinstance(parent, ast.JoinedStr) and node in parent.values for parent in ast.walk(tree)
        ):
            continue  # part of an f-string, checked as the whole
        found.append(text.replace("**", "").strip())
    return [t for t in found if word_count(t) >= 3]


def fixed_texts() -> list[tuple[str, str]]:
    texts = [(path, text) for path in YOUTH_SOURCES for text in page_strings(ROOT / path)]
    texts += [("suppression legend", t) for t in SYMBOL_SENTENCES.values()]
    texts += [("rating legend", t) for t in youth_component.RATING_SENTENCES.values()]
    texts += [("rating words", t) for t in section11.YOUTH_RATING_LABELS.values()]
    texts += [("change words", t) for t in section11.YOUTH_CHANGE_WORDS.values()]
    texts += [("challenge status", t) for t in challenges.STATUS_LABELS.values()]
    texts += [("challenge kind", t) for t in challenges.KIND_LABELS.values()]
    texts += [("approval form", WHO_READS)]
    summary = youth_summary.YouthSummary(
        partnership="Brookvale Safeguarding Children Partnership",
        cycle="The round that started in September 2024",
        made_on=dt.date(2026, 11, 30),
        organisations=14,
        counts=pd.DataFrame(),
        most_to_improve=["6. Information sharing"],
        challenges_sent=8,
        challenges_answered=5,
        challenges_waiting=3,
    )
    texts += [(f"summary {k}", v) for k, v in youth_summary._sentences(summary).items()]
    return texts


def test_the_sources_are_found() -> None:
    # A test that silently checked nothing would prove nothing.
    assert len(catalogue_texts()) >= 25
    assert len(sample_texts()) >= 40
    assert len(fixed_texts()) >= 40
    assert any("Section 11 self-check" in t for _, t in fixed_texts())


@pytest.mark.parametrize(("where", "text"), catalogue_texts() + fixed_texts())
def test_youth_text_is_plain(where: str, text: str) -> None:
    assert not plain_problems(text), f"{where}: {text!r}: {plain_problems(text)}"


def test_sample_youth_texts_pass_the_approval_check() -> None:
    partnership = build_partnership(1, 20260401)
    known = {w for a in partnership.agencies for w in a.name.split()}
    known |= {w for loc in partnership.localities for w in loc.name.split()}
    failures = {
        text: [f.message for f in check_text(text, known=known)]
        for _, text in sample_texts()
        if check_text(text, known=known)
    }
    assert not failures


@pytest.mark.parametrize(
    "sentence",
    [
        # The issue's own examples of professionals' text that reached young people.
        "Partners, not only children's services, are taking the lead practitioner role.",
        "Children stepped down from social care to early help, so support carried on when the "
        "statutory case closed.",
        "Review the repeat-missing cohort at panel.",
        "Disrupt county lines activity in the hotspot localities.",
        "Policy in place, reviewed this year, and checked at a dip sample of staff files.",
        # Plain terms but hard to read: long words in one long sentence.
        "Organisational accountability arrangements demonstrated considerable inconsistency "
        "regarding implementation of multidisciplinary information-sharing protocols.",
    ],
)
def test_the_check_fails_on_professional_sentences(sentence: str) -> None:
    assert plain_problems(sentence)
    assert check_text(sentence)


def test_every_banned_term_has_a_plain_alternative_that_is_itself_plain() -> None:
    for term, plain in PLAIN_WORDS.items():
        assert plain and plain.lower() != term
        assert not banned_terms(plain), f"{term} -> {plain}"
