"""The learning-and-risk figures in words, worded once: the overview, meeting mode, the pages and
the board pack all say them with these functions (issue 29)."""

from __future__ import annotations


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number:,} {singular if number == 1 else plural}"


def timeliness_sentences(figures: dict[str, tuple[int, int]]) -> list[str]:
    """From `data_access.learning.timeliness`: one sentence per figure."""
    rr_met, rr_all = figures["rapid_reviews_in_time"]
    pub_met, pub_all = figures["reviews_published_in_time"]
    late, open_all = figures["actions_overdue"]
    return [
        f"{rr_met:,} of {_count(rr_all, 'rapid review', 'rapid reviews')} completed within "
        "15 working days.",
        f"{pub_met:,} of {_count(pub_all, 'local review', 'local reviews')} published within "
        "six months of the decision.",
        f"{late:,} of {_count(open_all, 'open action', 'open actions')} from reviews, scrutiny "
        "and inspection overdue.",
    ]


def overdue_sentence(summary: dict[str, int], threshold: int) -> str:
    """From `data_access.learning.overdue_summary`: what needs the board's attention."""
    return (
        f"{_count(summary['actions_overdue'], 'action', 'actions')} from reviews, scrutiny and "
        f"inspection overdue; {_count(summary['risk_reviews_overdue'], 'risk', 'risks')} past "
        f"{'its' if summary['risk_reviews_overdue'] == 1 else 'their'} review date; "
        f"{_count(summary['risks_escalated'], 'risk', 'risks')} scoring above {threshold}, "
        "for the executive."
    )


def needs_attention(summary: dict[str, int]) -> bool:
    return any(summary.values())
