"""The narrative templates: fixed sentences from the figures."""

from __future__ import annotations

import pandas as pd

from dashboard.metrics import narrative, spc
from dashboard.metrics.scorecard import build_scorecard


def test_fell_below_target_for_the_third_quarter_running() -> None:
    sentence = narrative.indicator_sentence(
        "Contacts decided within one working day",
        "percentage",
        [92, 85, 80, 78],
        target=90,
        polarity="higher_is_better",
    )
    assert sentence == (
        "Contacts decided within one working day fell to 78.0%, below the 90.0% target "
        "for the third quarter running."
    )


def test_rose_above_target_after_missing_it() -> None:
    sentence = narrative.indicator_sentence(
        "Learners", "count", [500, 650], target=600, polarity="higher_is_better"
    )
    assert sentence == "Learners rose to 650, above the 600 target after missing it last quarter."


def test_lower_is_better_run_counts_quarters_meeting_target() -> None:
    sentence = narrative.indicator_sentence(
        "Re-referrals", "percentage", [25, 19, 18, 18], target=20, polarity="lower_is_better"
    )
    assert (
        sentence
        == "Re-referrals stayed at 18.0%, below the 20.0% target for the third quarter running."
    )


def test_neutral_measure_compares_with_a_year_earlier() -> None:
    sentence = narrative.indicator_sentence(
        "Referral rate", "rate_per_10k", [400.0, 410.25], polarity="neutral", year_ago=380
    )
    assert sentence == (
        "Referral rate rose to 410.2 per 10,000 children, compared with 380.0 per 10,000 "
        "children a year earlier."
    )


def test_missing_latest_value_and_no_history() -> None:
    assert (
        narrative.indicator_sentence("Step-up", "count", [10, None])
        == "Step-up: no figure for this quarter."
    )
    assert narrative.indicator_sentence("Step-up", "count", [12]) == "Step-up was 12."


def test_target_run_and_ordinals() -> None:
    assert narrative.target_run([1, 2, 3], 2.5, "higher_is_better") == 1
    assert narrative.target_run([3, 3, 3, 1], 2, "higher_is_better") == 1
    assert narrative.target_run([3, 3, 3], 2, "higher_is_better") == 3
    assert narrative.target_run([None], 2, "higher_is_better") == 0
    # A quarter without a figure ends the run: quarters running are consecutive quarters.
    assert narrative.target_run([3, 3, None, 3, 3], 2, "higher_is_better") == 2
    assert narrative.target_run([3, 3, 3], None, "higher_is_better") == 0
    assert narrative.ordinal(3) == "third"
    assert narrative.ordinal(13) == "13th"
    assert narrative.ordinal(22) == "22nd"


def test_run_text_says_the_same_run_as_the_sentence() -> None:
    values = [95, 80, 85, 86, 88]
    assert narrative.run_text(values, 90, "higher_is_better") == (
        "Missing target 4 quarters running"
    )
    sentence = narrative.indicator_sentence(
        "X", "percentage", values, target=90, polarity="higher_is_better"
    )
    assert sentence.endswith("for the fourth quarter running.")
    assert narrative.run_text([80, 95], 90, "higher_is_better") == (
        "On target (missed last quarter)"
    )
    assert narrative.run_text([None, 95], 90, "higher_is_better") == "On target this quarter"
    assert narrative.run_text([95], None, "neutral") == ""


def test_spc_sentence_names_the_signal() -> None:
    result = spc.xmr(
        [16, 8, 16, 8, 16, 8, 16, 8, 13, 14, 13, 14, 13, 14, 13], polarity="lower_is_better"
    )
    assert narrative.spc_sentence("Missing episodes", result) == (
        "Missing episodes shows concerning special cause: seven quarters in a row above the "
        "average."
    )
    assert narrative.spc_sentence("Steady", spc.xmr([48, 52] * 4)) is None


def test_summary_sentence() -> None:
    assert narrative.summary_sentence(["green", "red", "amber", "no target"]) == (
        "Of three headline measures with a target, one on target, one close to it and one "
        "missing it."
    )
    assert narrative.summary_sentence(["no target"]) is None


def _history(values: dict[str, list[float]]) -> pd.DataFrame:
    quarters = ["2023-24 Q1", "2023-24 Q2", "2023-24 Q3", "2023-24 Q4"]
    rows = []
    specs = {
        "A": ("Decisions in a day", "percentage", "higher_is_better", 90.0, 5.0),
        "B": ("Contacts", "count", "neutral", None, 0.0),
        "C": ("Learners", "count", "higher_is_better", 600.0, 60.0),
    }
    for order, (code, series) in enumerate(values.items()):
        name, unit, polarity, target, tolerance = specs[code]
        for quarter, value in zip(quarters, series, strict=True):
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "theme_code": "mash",
                    "unit": unit,
                    "polarity": polarity,
                    "target": target,
                    "tolerance": tolerance,
                    "period_code": quarter,
                    "value": value,
                    "status_symbol": None,
                    "headline": True,
                    "sort_order": order,
                }
            )
    return pd.DataFrame(rows)


def test_theme_narrative_has_two_to_four_sentences_worst_first() -> None:
    history = _history(
        {"A": [92, 85, 80, 78], "B": [100, 110, 120, 130], "C": [610, 620, 630, 640]}
    )
    card = build_scorecard(history, pd.DataFrame(), "2023-24 Q4")
    sentences = narrative.theme_narrative(card)
    assert 2 <= len(sentences) <= 4
    assert (
        sentences[0] == "Of two headline measures with a target, one on target and one missing it."
    )
    assert sentences[1].startswith(
        "Needs attention most (red against target): Decisions in a day fell to 78.0%"
    )
    assert sentences[2].startswith("Going well: Learners rose to 640")


def test_a_measure_on_target_is_never_listed_as_a_problem() -> None:
    # Issue 14 item 10: nothing needs attention here (A is green, C green; B has no target),
    # so no measure may be introduced as needing attention, least of all one on target.
    history = _history(
        {"A": [92, 93, 94, 95], "B": [100, 110, 120, 130], "C": [610, 620, 630, 640]}
    )
    card = build_scorecard(history, pd.DataFrame(), "2023-24 Q4")
    assert not card["needs_attention"].any()
    sentences = narrative.theme_narrative(card)
    assert not any(s.startswith("Needs attention") for s in sentences)
    assert sentences[1].startswith("No measure needs attention")
    assert sentences[2] == (
        "Going well: Decisions in a day rose to 95.0%, above the 90.0% target for the fourth "
        "quarter running."
    )


def test_an_amber_measure_is_not_called_the_most_pressing_problem() -> None:
    # Amber (within tolerance) ranks above green by severity but is not on the attention list;
    # the old narrative named the top-severity row whatever its reasons.
    history = _history({"A": [92, 93, 94, 87], "C": [610, 620, 630, 640]})
    card = build_scorecard(history, pd.DataFrame(), "2023-24 Q4")
    assert card.set_index("code").loc["A", "rag"] == "amber"
    sentences = narrative.theme_narrative(card)
    assert not any("Decisions in a day" in s and "attention" in s for s in sentences)
    assert all(not s.startswith("Needs attention") for s in sentences), (
        "nothing is red, concerning or failing"
    )


def test_theme_narrative_on_no_data() -> None:
    empty = build_scorecard(pd.DataFrame(), pd.DataFrame(), "2023-24 Q4")
    sentences = narrative.theme_narrative(empty)
    assert len(sentences) == 2
    assert "No figures" in sentences[0]
