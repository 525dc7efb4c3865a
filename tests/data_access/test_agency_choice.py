"""Agencies for a choice box, found in the store: counted, narrowed by sector and by part of a name
or code (any case, % and _ as plain characters), at most `limit` of them, the chosen one kept."""

from __future__ import annotations

import sqlalchemy as sa

from data_access import agency_choice
from data_access.db import session_scope
from data_access.models import Agency
from tests.support.assurance_seed import seed
from tests.support.many_agencies import add_clubs, club_name


def test_find_count_and_sectors(store: sa.Engine) -> None:
    ids = seed(store)
    add_clubs(store, ids.new_cycle, count=30)
    # Seeded: council, police, health, school active; a closed charity.
    assert agency_choice.count_agencies(engine=store) == 34
    assert agency_choice.count_agencies(engine=store, active_only=False) == 35
    assert agency_choice.agency_sectors(engine=store) == [
        "council",
        "education",
        "health",
        "police",
        "voluntary",
    ]
    found = agency_choice.find_agencies(engine=store, limit=5)
    assert list(found["name"]) == [
        "Borough Council",
        "County Police",
        "Health Board",
        "Northfield School",
        club_name(0),
    ]
    assert list(found.columns) == ["id", "code", "name", "sector"]
    voluntary = agency_choice.find_agencies(engine=store, sector="voluntary", limit=100)
    assert len(voluntary) == 30  # the closed charity is left out
    assert (
        len(
            agency_choice.find_agencies(
                engine=store, sector="voluntary", limit=100, active_only=False
            )
        )
        == 31
    )
    assert list(agency_choice.find_agencies(engine=store, search="CLUB 02")["name"]) == [
        club_name(n) for n in range(20, 30)
    ]
    assert list(agency_choice.find_agencies(engine=store, search="vc007")["name"]) == [club_name(7)]
    assert agency_choice.count_agencies(engine=store, search="club_0") == 0
    assert agency_choice.find_agencies(engine=store, search="%").empty


def test_the_chosen_agency_is_kept_first_even_when_closed(store: sa.Engine) -> None:
    ids = seed(store)
    add_clubs(store, ids.new_cycle, count=10)
    kept = agency_choice.find_agencies(engine=store, search="club", limit=3, keep_ids=[ids.police])
    assert list(kept["name"]) == ["County Police", club_name(0), club_name(1)]
    with session_scope(store) as session:
        session.get(Agency, ids.police).active = False
    kept = agency_choice.find_agencies(engine=store, search="club", limit=3, keep_ids=[ids.police])
    assert list(kept["name"])[0] == "County Police"
    # Already listed: not twice.
    listed = agency_choice.find_agencies(engine=store, limit=3, keep_ids=[ids.council])
    assert list(listed["name"]) == ["Borough Council", "Health Board", "Northfield School"]
    # Several chosen agencies are all kept, in the order chosen, and the list stays `limit` long.
    several = agency_choice.find_agencies(
        engine=store, search="club", limit=3, keep_ids=[ids.council, ids.police]
    )
    assert list(several["name"]) == ["Borough Council", "County Police", club_name(0)]
