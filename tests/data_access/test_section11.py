"""Section 11 queries: the matrix with change, agency detail, sector shares, non-returners."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data_access import section11
from tests.support.assurance_seed import seed


def test_cycles_newest_first_and_previous(store: sa.Engine) -> None:
    ids = seed(store)
    assert list(section11.list_cycles(engine=store)["name"]) == ["2023-25", "2021-23"]
    assert section11.previous_cycle_id(engine=store, cycle_id=ids.new_cycle) == ids.old_cycle
    assert section11.previous_cycle_id(engine=store, cycle_id=ids.old_cycle) is None


def test_matrix_change_since_previous_cycle(store: sa.Engine) -> None:
    ids = seed(store)
    matrix = section11.rating_matrix(engine=store, cycle_id=ids.new_cycle)
    cell = matrix.set_index(["agency", "standard_number"])
    assert cell.loc[("Borough Council", 1), "change"] == "improved"  # amber -> green
    assert cell.loc[("Borough Council", 2), "change"] == "declined"  # green -> amber
    assert cell.loc[("Borough Council", 3), "change"] == "same"  # red -> red
    assert cell.loc[("County Police", 3), "change"] == "improved"
    assert cell.loc[("Health Board", 1), "change"] == "new"
    assert cell.loc[("Health Board", 1), "rating_label"] == "Red"
    # The unsubmitted school return is not in the matrix.
    assert "Northfield School" not in set(matrix["agency"])
    first = section11.rating_matrix(engine=store, cycle_id=ids.old_cycle)
    assert set(first["change"]) == {"new"}


def test_agency_detail_has_evidence_and_actions(store: sa.Engine) -> None:
    ids = seed(store)
    detail = section11.agency_detail(engine=store, cycle_id=ids.new_cycle, agency_id=ids.council)
    assert list(detail["standard_number"]) == [1, 2, 3]
    assert detail.iloc[1]["evidence_summary"] == "Borough Council evidence for standard 2"
    assert detail.iloc[1]["improvement_action"] == "Borough Council will improve standard 2"
    assert list(detail["previous_rating"]) == ["amber", "green", "red"]


def test_green_share_by_sector_is_grouped(store: sa.Engine) -> None:
    ids = seed(store)
    shares = section11.green_share_by_sector(engine=store, cycle_id=ids.new_cycle).set_index(
        "sector"
    )
    assert shares.loc["police", "green_pct"] == 100.0
    assert shares.loc["council", "green"] == 1 and shares.loc["council", "ratings"] == 3
    assert shares.loc["council", "green_pct"] == 33.3
    assert shares.loc["health", "agencies"] == 1


def test_agencies_not_returned(store: sa.Engine) -> None:
    ids = seed(store)
    missing = section11.agencies_not_returned(engine=store, cycle_id=ids.new_cycle)
    # The school's return was never submitted; the closed charity is not expected to return.
    assert list(missing["name"]) == ["Northfield School"]
    old_missing = section11.agencies_not_returned(engine=store, cycle_id=ids.old_cycle)
    assert list(old_missing["name"]) == ["Health Board", "Northfield School"]


def test_counts_by_standard_and_youth_view(store: sa.Engine) -> None:
    ids = seed(store)
    counts = section11.rating_counts_by_standard(engine=store, cycle_id=ids.new_cycle)
    first = counts.set_index("standard_number").loc[1]
    assert (first["green"], first["amber"], first["red"], first["total"]) == (2, 0, 1, 3)
    youth = section11.youth_view(engine=store, cycle_id=ids.new_cycle)
    assert "signed_off_by_role" not in youth.columns
    row = youth[(youth["agency"] == "Health Board") & (youth["standard_number"] == 1)].iloc[0]
    assert row["youth_rating"] == "We think we need to improve"
    assert row["youth_description"].startswith("Someone at the top")
    # Staff evidence never reaches the youth view; without an approved version there is none.
    assert "evidence_summary" not in youth.columns and "improvement_action" not in youth.columns
    assert row["told_us"] is None and row["will_do"] is None
    assert set(youth["change_words"]) <= set(section11.YOUTH_CHANGE_WORDS.values())


def test_youth_view_shows_only_approved_youth_versions(store: sa.Engine) -> None:
    from data_access import youth_texts

    ids = seed(store)
    key = youth_texts.s11_key("2023-25", "ICB", 1)
    waiting = youth_texts.submit_text(
        engine=store,
        username="qa.demo",
        subject="s11_action",
        subject_key=key,
        purpose="What Health Board will do",
        text="They will choose a person to lead this.",
    )
    view = section11.youth_view(engine=store, cycle_id=ids.new_cycle)
    row = view[(view["agency_code"] == "ICB") & (view["standard_number"] == 1)].iloc[0]
    assert row["will_do"] is None  # written but not yet approved
    youth_texts.approve_text(engine=store, username="admin.demo", text_id=waiting)
    view = section11.youth_view(engine=store, cycle_id=ids.new_cycle)
    row = view[(view["agency_code"] == "ICB") & (view["standard_number"] == 1)].iloc[0]
    assert row["will_do"] == "They will choose a person to lead this."
    # The same key in the older round is a different text.
    old = section11.youth_view(engine=store, cycle_id=ids.old_cycle)
    assert old["will_do"].isna().all()


def test_empty_store(store: sa.Engine) -> None:
    assert section11.list_cycles(engine=store).empty
    assert section11.rating_matrix(engine=store, cycle_id=1).empty
    assert section11.green_share_by_sector(engine=store, cycle_id=1).empty
    assert section11.agencies_not_returned(engine=store, cycle_id=1).empty
    assert section11.youth_view(engine=store, cycle_id=1).empty
    assert len(section11.list_standards(engine=store)) == 11


def test_youth_counts_grouped_in_the_store_match_the_counts_of_every_row(store: sa.Engine) -> None:
    """The youth page counts from groups made in SQL (a few rows, whatever the number of
    organisations); the one-page summary counts from every row. Both say the same."""
    from dashboard.views import youth_section11_summary as youth_summary

    ids = seed(store)
    for cycle in (ids.new_cycle, ids.old_cycle):
        view = section11.youth_view(engine=store, cycle_id=cycle)
        groups = section11.youth_rating_groups(engine=store, cycle_id=cycle)
        # Grouped: each row counts the organisations giving one rating on one standard.
        assert groups["organisations_rating"].sum() == len(view)
        assert not groups.duplicated(["standard_number", "rating"]).any()
        pd.testing.assert_frame_equal(
            youth_summary.counts_from_groups(groups).reset_index(drop=True),
            youth_summary.counts_by_standard(view).reset_index(drop=True),
            check_dtype=False,
        )
        assert set(groups["organisations"]) == {view["agency"].nunique()}


def test_youth_view_of_one_standard_reads_only_its_rows(store: sa.Engine) -> None:
    from data_access import youth_texts

    ids = seed(store)
    words = {1: "their first standard", 2: "their second standard"}
    for number in (1, 2):  # an approved text on the standard shown and on another
        text_id = youth_texts.submit_text(
            engine=store,
            username="qa.demo",
            subject="s11_action",
            subject_key=youth_texts.s11_key("2023-25", "ICB", number),
            purpose="What Health Board will do",
            text=f"They will fix {words[number]}.",
        )
        youth_texts.approve_text(engine=store, username="admin.demo", text_id=text_id)
    every = section11.youth_view(engine=store, cycle_id=ids.new_cycle)
    assert set(every["will_do"].dropna()) == {
        "They will fix their first standard.",
        "They will fix their second standard.",
    }
    first = int(every["standard_id"].iloc[0])
    one = section11.youth_view(engine=store, cycle_id=ids.new_cycle, standard_id=first)
    assert set(one["standard_id"]) == {first}
    pd.testing.assert_frame_equal(
        one.reset_index(drop=True), every[every["standard_id"] == first].reset_index(drop=True)
    )


def test_matrix_pages_make_the_whole_matrix(store: sa.Engine) -> None:
    """The store pages the matrix by agency name: the pages, put together, are the whole matrix
    (none lost, none twice), and a sector, a search and a page narrow it in SQL."""
    from tests.support.many_agencies import add_clubs, club_name

    ids = seed(store)
    add_clubs(store, ids.new_cycle, count=23)
    whole = section11.rating_matrix(engine=store, cycle_id=ids.new_cycle)
    assert whole["agency_id"].nunique() == 23 + 3
    pages = [
        section11.rating_matrix(engine=store, cycle_id=ids.new_cycle, offset=o, limit=5)
        for o in range(0, 26, 5)
    ]
    assert [p["agency_id"].nunique() for p in pages] == [5, 5, 5, 5, 5, 1]
    together = pd.concat(pages, ignore_index=True)
    columns = ["agency_id", "standard_id", "rating", "change", "rating_label"]
    pd.testing.assert_frame_equal(together[columns], whole[columns], check_dtype=False)
    assert list(pages[0].drop_duplicates("agency")["agency"]) == [
        "Borough Council",
        "County Police",
        "Health Board",
        club_name(0),
        club_name(1),
    ]
    # Sector and search (name or code, any case) in the store, and counted there too.
    voluntary = section11.rating_matrix(engine=store, cycle_id=ids.new_cycle, sector="voluntary")
    assert voluntary["agency_id"].nunique() == 23
    assert section11.returned_agency_count(engine=store, cycle_id=ids.new_cycle) == 26
    assert (
        section11.returned_agency_count(engine=store, cycle_id=ids.new_cycle, sector="voluntary")
        == 23
    )
    found = section11.rating_matrix(engine=store, cycle_id=ids.new_cycle, search="CLUB 01")
    assert sorted(set(found["agency"])) == [club_name(n) for n in range(10, 20)]
    by_code = section11.rating_matrix(engine=store, cycle_id=ids.new_cycle, search="vc007")
    assert set(by_code["agency"]) == {club_name(7)}
    assert (
        section11.returned_agency_count(engine=store, cycle_id=ids.new_cycle, search="police") == 1
    )
    # A search's % and _ are characters, not wildcards.
    assert section11.rating_matrix(engine=store, cycle_id=ids.new_cycle, search="%").empty
    assert (
        section11.returned_agency_count(engine=store, cycle_id=ids.new_cycle, search="club_0") == 0
    )
    assert section11.returned_sectors(engine=store, cycle_id=ids.new_cycle) == [
        "council",
        "health",
        "police",
        "voluntary",
    ]


def test_youth_cards_come_a_page_at_a_time(store: sa.Engine) -> None:
    """The store numbers one standard's organisations A to Z and sends one page of them, with
    only that page's approved texts; the pages together are the whole standard."""
    from data_access import youth_texts
    from tests.support.many_agencies import add_clubs, club_name

    ids = seed(store)
    add_clubs(store, ids.new_cycle, count=12)
    standard = int(section11.list_standards(engine=store)["id"].iloc[0])
    whole = section11.youth_view(engine=store, cycle_id=ids.new_cycle, standard_id=standard)
    names = list(whole["agency"])
    assert len(names) == 12 + 3
    pages = section11.youth_card_pages(
        engine=store, cycle_id=ids.new_cycle, standard_id=standard, per_page=4
    )
    assert list(pages["page"]) == [1, 2, 3, 4]
    assert list(pages["first_row"]) == [1, 5, 9, 13]
    assert list(pages["last_row"]) == [4, 8, 12, 15]
    assert list(pages["first"]) == [names[0], names[4], names[8], names[12]]
    assert list(pages["last"]) == [names[3], names[7], names[11], names[14]]
    shown = [
        section11.youth_view(
            engine=store, cycle_id=ids.new_cycle, standard_id=standard, offset=start - 1, limit=4
        )
        for start in pages["first_row"]
    ]
    assert [name for page in shown for name in page["agency"]] == names
    # A page reads its own organisations' approved texts, the same as the whole view has.
    key = youth_texts.s11_key("2023-25", "VC005", 1)
    youth_texts.submit_text(
        engine=store,
        username="qa.demo",
        subject="s11_evidence",
        subject_key=key,
        purpose="test",
        text="We train every coach.",
        page="youth_texts",
    )
    waiting = youth_texts.list_texts(engine=store, status="waiting")
    youth_texts.approve_text(
        engine=store, username="admin.demo", text_id=int(waiting["id"].iloc[0]), page="youth_texts"
    )
    page = section11.youth_view(
        engine=store, cycle_id=ids.new_cycle, standard_id=standard, offset=8, limit=4
    )
    assert list(page["agency"]) == [club_name(n) for n in range(5, 9)]
    told = dict(zip(page["agency"], page["told_us"], strict=True))
    assert told[club_name(5)] == "We train every coach."
    assert sum(isinstance(t, str) for t in told.values()) == 1
    # No organisation rated itself: no pages.
    assert section11.youth_card_pages(
        engine=store, cycle_id=ids.new_cycle + 999, standard_id=standard, per_page=4
    ).empty
