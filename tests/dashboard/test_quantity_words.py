"""The one rule for quantity words: thresholds, the product's phrases, and the issue's sentences."""

from __future__ import annotations

import pytest

from dashboard.metrics import quantity_words as qw
from dashboard.views import audits_parts

# Issue 26, item 4: sentences the product showed whose words contradict their own counts.
QUOTED = (
    "Police, health and social care attended nearly every discussion sampled "
    "(seen in 1 of 7 cases).",
    "Notifications reached schools before the next school day in almost every case "
    "(seen in 4 of 8 cases).",
    "About three in four practitioners audited did not know the self-harm referral pathway "
    "(seen in 4 of 6 cases).",
)


@pytest.mark.parametrize("sentence", QUOTED)
def test_the_issues_sentences_fail_the_check(sentence: str) -> None:
    assert qw.sentence_problems(sentence), sentence


# The same findings as the store keeps them: the staff's words, and the counts in their own
# columns (audit_finding.cases_seen / cases_sampled), never read back from the text.
STORED = (
    ("Police, health and social care attended nearly every discussion sampled.", 1, 7),
    ("Notifications reached schools before the next school day in almost every case.", 4, 8),
    (
        "About three in four practitioners audited did not know the self-harm referral pathway.",
        4,
        6,
    ),
)


@pytest.mark.parametrize(("text", "part", "whole"), STORED)
def test_the_audit_page_flags_the_issues_findings(text: str, part: int, whole: int) -> None:
    body, counts, note = audits_parts.finding_parts(text, part, whole)
    assert body == text
    assert note.startswith("The words say")
    assert counts == f"seen in {part} of {whole} cases: {qw.quantity_phrase(part, whole)}"


def test_a_finding_whose_words_fit_has_no_note() -> None:
    text = "Police, health and social care attended nearly every discussion sampled."
    body, counts, note = audits_parts.finding_parts(text, 7, 7)
    assert note == ""
    assert counts == "seen in 7 of 7 cases: all"
    assert body == text


def test_counts_come_from_the_columns_not_the_text() -> None:
    # Text that still carries an old "(seen in ...)" is shown as written: no counts are read
    # out of it, and missing counts (None or a frame's NaN) mean no count words.
    old = "Most plans quoted the child (seen in 1 of 6 cases)."
    assert audits_parts.finding_parts(old, None, None) == (old, "", "")
    assert audits_parts.finding_parts("No counts here.", float("nan"), float("nan")) == (
        "No counts here.",
        "",
        "",
    )
    assert audits_parts.finding_parts("Most plans quoted the child.", 5, 6)[2] == ""
    assert audits_parts.finding_parts("Most plans quoted the child.", 1, 6)[2]


@pytest.mark.parametrize(
    ("part", "whole", "phrase"),
    [
        (0, 7, "none"),
        (7, 7, "all"),
        (6, 7, "nearly all"),
        (3, 4, "about three in four"),
        (4, 6, "about two in three"),
        (4, 8, "about half"),
        (1, 3, "about one in three"),
        (1, 4, "about one in four"),
        (1, 7, "a few"),
        (3, 0, ""),
    ],
)
def test_quantity_phrase_bands(part: int, whole: int, phrase: str) -> None:
    assert qw.quantity_phrase(part, whole) == phrase


def test_every_phrase_the_product_writes_fits_its_counts() -> None:
    for whole in range(1, 60):
        for part in range(whole + 1):
            phrase = qw.quantity_phrase(part, whole)
            assert qw.word_fits(phrase, part, whole), (phrase, part, whole)


@pytest.mark.parametrize(
    ("word", "part", "whole", "fits"),
    [
        ("nearly every", 1, 7, False),
        ("nearly every", 6, 7, True),
        ("almost every", 4, 8, False),
        ("almost every", 8, 8, True),
        ("about three in four", 4, 6, False),
        ("about three in four", 3, 4, True),
        ("most", 4, 8, False),
        ("most", 5, 8, True),
        ("a few", 0, 8, False),
        ("a few", 2, 8, True),
        ("a few", 5, 8, False),
        ("rarely", 1, 6, True),
        ("rarely", 3, 6, False),
        ("none", 0, 5, True),
        ("none", 1, 5, False),
        ("every", 5, 5, True),
        ("every", 4, 5, False),
        ("about half", 3, 6, True),
        ("about half", 5, 6, False),
        ("Most", 5, 6, True),
    ],
)
def test_word_fits(word: str, part: int, whole: int, fits: bool) -> None:
    assert qw.word_fits(word, part, whole) is fits


def test_nothing_to_describe_fits_no_word() -> None:
    assert not qw.word_fits("most", 0, 0)
    assert not qw.word_fits("most", 5, 4)
    with pytest.raises(KeyError):
        qw.word_fits("umpteen", 1, 2)


def test_finding_words_longest_first_and_everyday_words_skipped() -> None:
    text = "In almost every case, and in most of all five teams, every school was told."
    assert qw.find_quantity_words(text) == ["almost every", "most"]
    assert "every" in qw.find_quantity_words(text, strict=True)


def test_sentences_without_counts_or_with_fitting_words_pass() -> None:
    assert qw.sentence_problems("Most plans quoted the child.") == []
    assert qw.sentence_problems("Most plans quoted the child (seen in 5 of 6 cases).") == []
    assert qw.sentence_problems("The child's voice was evidenced in 245 of 394 cases.") == []
