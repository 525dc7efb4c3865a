"""Issue 26: a yearly measure and its quarterly twin (the catalogue's `quarterly_measure`) either
have the same target or both say why not (`target_note`), and the theme page's annual table
shows the note beside both targets (re-referrals once had 20% a quarter and 22% a year, and
second child protection plans 18% and 22%, with nothing saying why)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.components import annual as annual_words
from data_access import catalogue

REAL_CATALOGUE = catalogue.CATALOGUE_DIR / "indicators.yaml"


def pairs() -> list[tuple[catalogue.IndicatorSpec, catalogue.IndicatorSpec]]:
    return [
        (spec, catalogue.indicator(spec.quarterly_measure))
        for spec in catalogue.indicators()
        if spec.quarterly_measure
    ]


def test_every_pair_has_the_same_target_or_both_say_why() -> None:
    assert len(pairs()) >= 5
    explained = 0
    for yearly, quarterly in pairs():
        if catalogue.target_of(yearly) == catalogue.target_of(quarterly):
            continue
        explained += 1
        assert yearly.target_note and quarterly.target_note, (yearly.code, quarterly.code)
    # Second or later child protection plans: 22% a year against 18% a quarter, now explained.
    assert explained >= 1
    assert "England's recent average" in str(catalogue.indicator("STAT_CP_SECOND_PLAN").target_note)


def test_the_catalogue_refuses_a_pair_whose_targets_differ_unexplained(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = REAL_CATALOGUE.read_text(encoding="utf-8")
    note = next(
        line for line in text.splitlines() if "target_note:" in line and "England's recent" in line
    )
    (tmp_path / "indicators.yaml").write_text(text.replace(note + "\n", "", 1), encoding="utf-8")
    monkeypatch.setattr(catalogue, "CATALOGUE_DIR", tmp_path)
    with pytest.raises(
        catalogue.CatalogueError,
        match=r"STAT_CP_SECOND_PLAN: its target \(22\) differs from its quarterly_measure "
        r"NEG_CP_SECOND_TIME's \(18\): give both a target_note",
    ):
        catalogue._load.__wrapped__()


def test_the_annual_table_shows_the_note_beside_both_targets() -> None:
    yearly = catalogue.indicator("STAT_CP_SECOND_PLAN")
    quarterly = catalogue.indicator("NEG_CP_SECOND_TIME")
    row = pd.Series(
        {"code": yearly.code, "target": 22.0, "polarity": "lower_is_better", "unit": "percentage"}
    )
    assert annual_words.target_words(row) == f"22.0% ({yearly.target_note})"
    against = pd.Series(
        {
            "code": yearly.code,
            "unit": "percentage",
            "quarterly_code": quarterly.code,
            "quarterly_name": quarterly.name,
            "quarters_value": 14.5,
            "quarters_numerator": 37,
            "quarters_denominator": 256,
            "quarters_reason": None,
            "rule_words": quarterly.rollup_words,
            "differs": False,
            "value": 14.5,
            "numerator": 37,
            "denominator": 256,
        }
    )
    said = annual_words.quarters_words(against)
    assert f"quarterly target 18.0% ({quarterly.target_note})" in said
    # A pair with the same target says nothing more.
    same = catalogue.indicator("STAT_REREFERRALS_12M")
    assert catalogue.target_of(same) == catalogue.target_of(
        catalogue.indicator(str(same.quarterly_measure))
    )
    plain = pd.Series(
        {"code": same.code, "target": 20.0, "polarity": "lower_is_better", "unit": "percentage"}
    )
    assert annual_words.target_words(plain) == "20.0%"
