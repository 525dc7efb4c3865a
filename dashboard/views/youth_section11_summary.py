"""The youth Section 11 page's one-page summary of a round: accessible HTML and a PDF.

Built from the same youth view as the page (agencies' own ratings, approved plain-words
texts); nothing written for staff is used. The HTML is the accessible version (language,
headings, a table with a caption and header scopes); the PDF is the same HTML made into a tagged
PDF by the board pack's renderer.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from data_access.config import settings

COUNT_COLUMNS: list[tuple[str, str]] = [
    ("standard", "Standard"),
    ("green", "✔ Doing well"),
    ("amber", "◐ Partly"),
    ("red", "✖ Need to improve"),
]


def cycle_words(opens_on: object) -> str:
    """A Section 11 round in words: 'The round from September 2024' (short enough for a
    phone's select box)."""
    if opens_on is None or pd.isna(opens_on):
        return "A round of self-checks"
    return f"The round from {pd.Timestamp(opens_on):%B %Y}"


def counts_by_standard(view: pd.DataFrame) -> pd.DataFrame:
    """How many organisations gave each rating, per standard, from the youth view.

    Organisations are not people, so these counts are never suppressed.
    Columns: standard_number, standard ("1. Senior lead"), green, amber, red.
    """
    if view.empty:
        return counts_from_groups(pd.DataFrame())
    groups = (
        view.groupby(["standard_number", "standard", "rating"], sort=True)
        .size()
        .rename("organisations_rating")
        .reset_index()
    )
    return counts_from_groups(groups)


def counts_from_groups(groups: pd.DataFrame) -> pd.DataFrame:
    """The counts table from rating groups (`data_access.section11.youth_rating_groups`, or the
    youth view grouped): one rule for the page and the one-page summary."""
    columns = ["standard_number", "standard", "green", "amber", "red"]
    if groups.empty:
        return pd.DataFrame(columns=columns)
    counts = (
        groups.pivot_table(
            index=["standard_number", "standard"],
            columns="rating",
            values="organisations_rating",
            aggfunc="sum",
            fill_value=0,
        )
        .reindex(columns=["green", "amber", "red"], fill_value=0)
        .astype(int)
    )
    counts = counts.reset_index()
    counts["standard"] = [
        f"{n}. {t}" for n, t in zip(counts["standard_number"], counts["standard"], strict=True)
    ]
    return counts[columns]


@dataclass
class YouthSummary:
    """Everything the one-page summary says."""

    partnership: str
    cycle: str
    made_on: dt.date
    organisations: int
    counts: pd.DataFrame
    promises: list[tuple[str, int]] = field(default_factory=list)  # (approved text, how many)
    most_to_improve: list[str] = field(default_factory=list)
    challenges_sent: int = 0
    challenges_answered: int = 0
    challenges_waiting: int = 0


def build_summary(
    view: pd.DataFrame, *, cycle_name: str, challenges: pd.DataFrame, made_on: dt.date | None = None
) -> YouthSummary:
    """The summary of one round from the youth view and the challenge list."""
    counts = counts_by_standard(view)
    # How many organisations made each promise (one organisation may make it on several
    # standards), most often made first.
    promised = view.dropna(subset=["will_do"]) if "will_do" in view else view.iloc[0:0]
    promises = (
        promised.groupby("will_do")["agency"].nunique().sort_values(ascending=False).head(3)
        if not promised.empty
        else pd.Series(dtype=int)
    )
    worst = counts.sort_values(["red", "amber"], ascending=False)
    worst = worst[worst["red"] > 0].head(3)
    return YouthSummary(
        partnership=settings().partnership_name,
        cycle=cycle_name,
        made_on=made_on or dt.date.today(),
        organisations=int(view["agency"].nunique()) if not view.empty else 0,
        counts=counts,
        promises=[(str(text), int(n)) for text, n in promises.items()],
        most_to_improve=list(worst["standard"]),
        challenges_sent=len(challenges),
        challenges_answered=int(challenges["answered"].sum()) if len(challenges) else 0,
        challenges_waiting=int((~challenges["answered"]).sum()) if len(challenges) else 0,
    )


def _sentences(summary: YouthSummary) -> dict[str, str]:
    """The summary's fixed sentences, shared by the HTML and the PDF."""
    improve = (
        "These are the standards where the most said they need to improve: "
        + "; ".join(summary.most_to_improve)
        + "."
        if summary.most_to_improve
        else "No organisation said it needs to improve on any standard."
    )
    return {
        "intro": (
            f"Every organisation that works with children checks how well it keeps them safe. "
            f"{summary.organisations} organisations sent in a self-check for this round. "
            "These are organisations, not children, so every number is shown."
        ),
        "improve": improve,
        "challenges": (
            f"The youth council sent {summary.challenges_sent} challenges to organisations. "
            f"{summary.challenges_answered} have been answered and "
            f"{summary.challenges_waiting} are waiting for an answer."
        ),
        "footer": (
            f"Made on {summary.made_on.day} {summary.made_on:%B %Y} by {summary.partnership}. "
            "The words about each organisation were checked and approved for young people."
        ),
    }


def summary_html(summary: YouthSummary) -> bytes:
    """The summary as a standalone, accessible HTML page (UTF-8 bytes)."""
    words = {k: html.escape(v) for k, v in _sentences(summary).items()}
    e = html.escape
    head = "".join(f'<th scope="col">{e(title)}</th>' for _, title in COUNT_COLUMNS)
    head = head.replace("</th>", "</th>", 1)
    rows = "".join(
        f'<tr><th scope="row">{e(str(r["standard"]))}</th>'
        + "".join(f"<td>{int(r[k])}</td>" for k, _ in COUNT_COLUMNS[1:])
        + "</tr>"
        for r in summary.counts.to_dict("records")
    )
    promises = (
        "".join(
            f"<li>{e(text)} ({n} {'organisation' if n == 1 else 'organisations'})</li>"
            for text, n in summary.promises
        )
        or "<li>No organisation has said yet what it will do.</li>"
    )
    title = f"Section 11 self-checks: {summary.cycle}"
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>
body {{ font-family: Arial, Helvetica, sans-serif; font-size: 1.1rem; line-height: 1.5;
  color: #0b0c0c; background: #fff; max-width: 46rem; margin: 1rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #b1b4b6; padding: 0.3rem; text-align: left;
  vertical-align: top; }}
td {{ text-align: right; }}
caption {{ text-align: left; font-weight: 700; padding-bottom: 0.3rem; }}
@page {{ size: A4; margin: 14mm 16mm; }}
@media print {{ body {{ font-size: 10.5pt; line-height: 1.35; margin: 0; max-width: none; }} }}
</style>
</head>
<body>
<main>
<h1>{e(title)}</h1>
<p>{words["intro"]}</p>
<h2>What organisations said</h2>
<table>
<caption>How many organisations said each thing, for each standard</caption>
<thead><tr>{head}</tr></thead>
<tbody>{rows}</tbody>
</table>
<p>{words["improve"]}</p>
<h2>What organisations say they will do</h2>
<ul>{promises}</ul>
<h2>Challenges from the youth council</h2>
<p>{words["challenges"]}</p>
<p>{words["footer"]}</p>
</main>
</body>
</html>
"""
    return page.encode("utf-8")


def summary_pdf(summary: YouthSummary) -> bytes:
    """The same page as a tagged, one-page A4 PDF: the accessible HTML is its source, so the PDF
    carries the same headings, table header cells, language and title."""
    from dashboard.board_pack.pdf import tagged_pdf

    return tagged_pdf(summary_html(summary).decode("utf-8"))


def lazy_summary(
    view_of: Callable[[], pd.DataFrame], cycle_name: str, challenges: pd.DataFrame
) -> Callable[[], YouthSummary]:
    """A function building the round's one-page summary once, when a download first needs it
    (only then is every organisation's rating read: `view_of` fetches the youth view)."""
    built: list[YouthSummary] = []

    def summary() -> YouthSummary:
        if not built:
            built.append(build_summary(view_of(), cycle_name=cycle_name, challenges=challenges))
        return built[0]

    return summary
