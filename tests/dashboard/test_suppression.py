"""The official-statistics suppression rule used on the youth council's pages."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.metrics import suppression as sup


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (1, "c"),
        (5, "c"),
        (6, "6"),
        (1234, "1,234"),
        (None, "x"),
        (float("nan"), "x"),
        ("c", "c"),
        ("X", "x"),
        ("z", "z"),
        ("k", "k"),
        ("u", "u"),
        (5.0, "c"),
        (5.4, "c"),
    ],
)
def test_format_count(value: object, shown: str) -> None:
    assert sup.format_count(value) == shown


def test_format_rate_one_decimal_and_symbols() -> None:
    assert sup.format_rate(12.345) == "12.3"
    assert sup.format_rate(0) == "0.0"
    assert sup.format_rate(0.04) == "k"  # rounds to 0 but is not 0
    assert sup.format_rate(48.2, numerator=3) == "c"  # the count behind it is small
    assert sup.format_rate(48.2, numerator=30) == "48.2"
    assert sup.format_rate(None) == "x"
    assert sup.format_rate("u") == "u"
    assert sup.format_rate(10.0, numerator="c") == "c"


def test_symbols_are_never_numbers() -> None:
    table = pd.DataFrame({"a": ["x", 10, 12], "b": [20, "z", 30]}, dtype=object)
    shown = sup.suppress_table(table, rows_add_up=False)
    assert shown.at[0, "a"] == "x" and shown.at[1, "b"] == "z"
    assert all(isinstance(v, str) for v in shown.to_numpy().ravel())
    assert not any(v.startswith("-") for v in shown.to_numpy().ravel())


def test_single_small_cell_in_a_column_with_total_hides_the_next_smallest() -> None:
    # green/amber/red counts for one standard and their total: 3 would be 20 - 9 - 8.
    shown = sup.suppress_counts([9, 3, 8, 20], has_total=True)
    assert shown == ["9", "c", "c", "20"]


def test_total_itself_is_hidden_when_every_other_cell_is_zero() -> None:
    # 4 of 4: the total equals the hidden cell, so it must go too.
    shown = sup.suppress_counts([0, 4, 0, 4], has_total=True)
    assert shown == ["0", "c", "0", "c"]


def test_two_small_cells_need_no_secondary_suppression() -> None:
    assert sup.suppress_counts([2, 3, 10, 15], has_total=True) == ["c", "c", "10", "15"]


def test_zero_stays_zero_and_no_small_cells_means_nothing_hidden() -> None:
    assert sup.suppress_counts([0, 12, 7, 19], has_total=True) == ["0", "12", "7", "19"]


def test_two_way_table_with_totals_cannot_be_back_calculated() -> None:
    table = pd.DataFrame(
        {
            "green": [10, 2, 7, 19],
            "amber": [6, 9, 8, 23],
            "red": [7, 6, 11, 24],
            "total": [23, 17, 26, 66],
        },
        index=["health", "police", "council", "total"],
        dtype=object,
    )
    mask = sup.suppression_mask(table, total_row="total", total_column="total")
    assert mask.at["police", "green"]
    # Every row and every column now hides none or at least two cells.
    for _, row in mask.iterrows():
        assert row.sum() != 1
    for column in mask.columns:
        assert mask[column].sum() != 1
    # The totals that would reveal 2 cannot: police's row and green's column each hide 2+.
    shown = sup.suppress_table(table, total_row="total", total_column="total")
    assert shown.at["police", "green"] == "c"
    assert (shown.loc["police"] == "c").sum() >= 2
    assert (shown["green"] == "c").sum() >= 2


def test_secondary_suppression_cascades_across_rows_and_columns() -> None:
    # Hiding the next smallest in a row can leave a column with one hidden cell; that is fixed too.
    table = pd.DataFrame({"a": [3, 40], "b": [20, 50], "c": [30, 60]}, dtype=object)
    mask = sup.suppression_mask(table)
    for _, row in mask.iterrows():
        assert row.sum() != 1
    for column in mask.columns:
        assert mask[column].sum() != 1


def test_source_c_symbol_is_protected_like_a_small_count() -> None:
    assert sup.suppress_counts(["c", 12, 30, 50], has_total=True) == ["c", "c", "30", "50"]


def test_not_available_cell_does_not_trigger_secondary_suppression() -> None:
    assert sup.suppress_counts(["x", 12, 30, 50], has_total=True) == ["x", "12", "30", "50"]


def test_explanation_mentions_the_symbol() -> None:
    sentence = sup.SYMBOL_SENTENCES["c"]
    assert sentence.startswith("c means") and "1 and 5" in sentence
    assert "c means" in sup.SUPPRESSION_EXPLANATION


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=3, max_size=3),
        min_size=2,
        max_size=5,
    )
)
def test_no_row_or_column_with_totals_hides_exactly_one_cell(rows: list[list[int]]) -> None:
    body = pd.DataFrame(rows, columns=["a", "b", "c"])
    body["total"] = body.sum(axis=1)
    table = pd.concat([body, body.sum().to_frame("total").T]).astype(object)
    mask = sup.suppression_mask(table, total_row="total", total_column="total")
    numbers = table.astype(int)
    # Every small count is hidden.
    assert (mask | ~((numbers >= 1) & (numbers <= 5))).all().all()
    # No group with a hidden cell leaves exactly one hidden, unless all its others are zero.
    for frame_axis in (mask, mask.T):
        values = numbers if frame_axis is mask else numbers.T
        for label, row in frame_axis.iterrows():
            if row.sum() == 1:
                others = values.loc[label][~row]
                assert (others == 0).all()


# DfE-style cases for percentages and rates: numerator, denominator and the complement (the
# children the figure is *not* about) are each counts of children.
@pytest.mark.parametrize(
    ("value", "numerator", "denominator", "shown"),
    [
        (92.3, 12, 13, "c"),  # the case: 1 young person without a transition plan
        (7.7, 1, 13, "c"),  # 1 of 13: small numerator
        (60.0, 3, 5, "c"),  # small numerator and denominator
        (100.0, 4, 4, "c"),  # all of a small group
        (100.0, 40, 40, "100.0"),  # nobody left out: the complement is 0, which is safe
        (0.0, 0, 40, "0.0"),  # none of 40
        (87.5, 35, 40, "c"),  # 5 of 40 did not
        (85.0, 34, 40, "85.0"),  # 6 of 40 did not: every count is above 5
        (48.2, 40, None, "48.2"),  # denominator unknown: judged on the numerator alone
        (31.4, 157, 50000, "31.4"),  # a rate per 10,000 children with a population denominator
        (0.6, 3, 50000, "c"),  # a rate built on 3 children
        (50.0, 10, "c", "c"),  # a suppressed denominator hides the percentage
        (50.0, 10, "x", "x"),
    ],
)
def test_rate_suppressed_when_any_count_behind_it_is_small(
    value: float, numerator: object, denominator: object, shown: str
) -> None:
    assert sup.format_rate(value, numerator=numerator, denominator=denominator) == shown


def test_rate_needs_suppression_rule() -> None:
    assert sup.rate_needs_suppression(12, 13)
    assert not sup.rate_needs_suppression(12, 30)
    assert not sup.rate_needs_suppression(None, None)
    assert sup.rate_needs_suppression("c", 100)


def test_symbols_in_lists_only_symbols_shown_in_legend_order() -> None:
    table = pd.DataFrame({"a": ["12", "c", "0"], "b": ["x", "7", "9"]})
    assert sup.symbols_in(table) == ["c", "0", "x"]
    assert sup.symbols_in(["14", "1,200"]) == []
    # A word that merely contains a letter is not a symbol.
    assert sup.symbols_in("cats and dogs") == []
    assert set(sup.SYMBOL_SENTENCES) == {"c", "0", "k", "u", "x", "z"}
