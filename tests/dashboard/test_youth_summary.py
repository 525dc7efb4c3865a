"""The youth council's one-page Section 11 summary: accessible HTML and a one-page PDF."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pypdf

from dashboard.views import youth_section11_summary as youth_summary


def view() -> pd.DataFrame:
    rows = []
    for agency, ratings in (
        ("County Police", ["green", "red"]),
        ("Health Board", ["amber", "red"]),
        ("Borough Council", ["green", "green"]),
    ):
        for number, rating in enumerate(ratings, start=1):
            rows.append(
                {
                    "standard_number": number,
                    "standard": f"Standard title {number}",
                    "agency": agency,
                    "rating": rating,
                    "change": "improved" if agency == "Health Board" else "same",
                    "will_do": None
                    if rating == "green"
                    else "They will check their rules and tell staff.",
                }
            )
    return pd.DataFrame(rows)


def summary() -> youth_summary.YouthSummary:
    challenges = pd.DataFrame({"answered": [True, False, True]})
    return youth_summary.build_summary(
        view(),
        cycle_name="The round that started in September 2024",
        challenges=challenges,
        made_on=dt.date(2026, 11, 30),
    )


def test_counts_are_organisations_and_never_suppressed() -> None:
    counts = youth_summary.counts_by_standard(view()).set_index("standard_number")
    assert (counts.at[1, "green"], counts.at[1, "amber"], counts.at[1, "red"]) == (2, 1, 0)
    assert (counts.at[2, "green"], counts.at[2, "amber"], counts.at[2, "red"]) == (1, 0, 2)


def test_html_is_accessible_and_built_from_approved_texts() -> None:
    page = youth_summary.summary_html(summary()).decode()
    assert '<html lang="en-GB">' in page and "<title>" in page and "<h1>" in page
    assert "<caption>" in page and 'scope="col"' in page and 'scope="row"' in page
    assert "They will check their rules and tell staff. (2 organisations)" in page
    assert "3 organisations sent in a self-check" in page
    assert "sent 3 challenges" in page and "2 have been answered and 1 are waiting" in page
    assert ">c<" not in page


def test_pdf_is_one_page_with_title() -> None:
    reader = pypdf.PdfReader(io.BytesIO(youth_summary.summary_pdf(summary())))
    assert len(reader.pages) == 1
    assert reader.metadata.title.startswith("Section 11 self-checks")
    text = reader.pages[0].extract_text()
    assert "What organisations say they will do" in text and "Standard title 2" in text


def test_pdf_is_tagged_in_english() -> None:
    reader = pypdf.PdfReader(io.BytesIO(youth_summary.summary_pdf(summary())))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).lower() == "en-gb"
    kinds = set()

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid)
        elif isinstance(node, list):
            for kid in node:
                walk(kid)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/TH"} <= kinds


def test_the_summary_reads_every_rating_only_when_a_download_asks_for_it() -> None:
    from dashboard.views.youth_section11_summary import lazy_summary

    reads: list[int] = []

    def view_of() -> pd.DataFrame:
        reads.append(1)
        return view()

    summary_of = lazy_summary(
        view_of, "The round that started in September 2024", pd.DataFrame({"answered": [True]})
    )
    assert reads == []  # drawing the page reads nothing
    first = summary_of()
    assert summary_of() is first and reads == [1]  # built once, on the first download
    assert first.organisations == 3
