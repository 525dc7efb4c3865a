"""The Section 11 matrix table: every cell in words, colour only on a table small enough."""

from __future__ import annotations

import itertools

import pandas as pd

from dashboard.views import section11 as views


def test_matrix_cells_say_what_cell_text_says() -> None:
    ratings = [None, "green", "amber", "red", "unknown"]
    changes = [None, "", "improved", "declined", "same", "new", "unknown"]
    rows = [
        (f"Agency {i}", 1, "Senior lead", rating, change)
        for i, (rating, change) in enumerate(itertools.product(ratings, changes))
    ]
    matrix = pd.DataFrame(
        rows, columns=["agency", "standard_number", "standard", "rating", "change"]
    )
    wide = views.matrix_table(matrix).set_index("Agency")
    for agency, _number, _title, rating, change in rows:
        assert wide.loc[agency, "S1 Senior lead"] == views.cell_text(rating, change)
    assert wide.loc["Agency 9", "S1 Senior lead"] == "✔ Green ↑"


def test_standards_in_number_order_and_gaps_not_rated() -> None:
    matrix = pd.DataFrame(
        {
            "agency": ["A", "A", "B"],
            "standard_number": [10, 2, 2],
            "standard": ["Ten", "Two", "Two"],
            "rating": ["red", "green", "amber"],
            "change": ["new", "same", "declined"],
        }
    )
    wide = views.matrix_table(matrix)
    assert list(wide.columns) == ["Agency", "S2 Two", "S10 Ten"]
    assert wide.set_index("Agency").loc["B", "S10 Ten"] == views.NOT_RATED
