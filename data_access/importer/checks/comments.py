"""The check of each figure's free-text comment."""

from __future__ import annotations

import pandas as pd

from data_access.importer.checks.report import Report

MAX_COMMENT_CHARS = 2000


def check_comment_length(comment_text: pd.Series, report: Report) -> None:
    """A comment longer than MAX_COMMENT_CHARS."""
    comment_length = comment_text.str.len().to_numpy()
    report.add(
        comment_length > MAX_COMMENT_CHARS,
        "comment",
        lambda i: comment_text.iat[i][:60] + "...",
        lambda i: (
            f"The comment is {comment_length[i]:,} characters long; a comment on "
            f"one figure can be at most {MAX_COMMENT_CHARS:,}."
        ),
        "Shorten the comment to a sentence or two about this figure; send longer notes "
        "to the partnership separately.",
    )
