"""The Agencies and localities page (administrators): load them from a CSV file, add, rename,
merge, retire or bring back, and delete one that nothing in the store refers to."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components.plain import escape_markdown
from dashboard.components.tables import show_table
from dashboard.session import CurrentUser
from data_access import agencies
from data_access.db import get_engine
from data_access.models import SECTORS

PAGE = "agencies"
FLASH_KEY = "agencies_page_message"
KINDS = {"agency": "Agencies", "locality": "Localities"}


def render(user: CurrentUser) -> None:
    """Render the Agencies and localities page for `user` (call after the page's guard)."""
    engine = get_engine()

    def apply(change: Callable[[], object], success: str) -> None:
        """Run one change (a transaction with its audit-log line); say what happened."""
        try:
            outcome = change()
        except agencies.SetupFileRefused as refused:
            st.error(escape_markdown(refused))
            show_table(refused.frame(), key="agencies_problems")
            return
        except agencies.SetupError as problem:
            st.error(escape_markdown(problem))
            return
        cache.clear()
        st.session_state[FLASH_KEY] = outcome if isinstance(outcome, str) else success
        st.rerun()

    st.title("Agencies and localities")
    st.caption(
        "The partnership's agencies and localities: templates are made for the agencies listed "
        "here, and figures are broken down by these localities. Load them from a CSV file, or "
        "add them one at a time. An agency or locality that has figures is never deleted: "
        "retire it (its figures stay and no new template offers it) or merge it into another."
    )
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(escape_markdown(flash))

    agency_list = agencies.list_agencies(engine=engine)
    locality_list = agencies.list_localities(engine=engine)
    agency_tab, locality_tab = st.tabs(["Agencies", "Localities"])
    with agency_tab:
        _listing(agency_list, "agency")
        _load_file("agency", user, apply)
        _add_agency(user, locality_list, apply)
        _change("agency", agency_list, user, apply)
    with locality_tab:
        _listing(locality_list, "locality")
        _load_file("locality", user, apply)
        _add_locality(user, apply)
        _change("locality", locality_list, user, apply)


def _listing(listing: pd.DataFrame, kind: str) -> None:
    if listing.empty:
        st.info(
            f"No {KINDS[kind].lower()} yet. Load a CSV file or add one below"
            + (" (load the localities first if agencies name one)." if kind == "agency" else ".")
        )
        return
    shown = listing.assign(active=listing["active"].map({True: "in use", False: "retired"}))
    show_table(
        shown.rename(
            columns={
                "code": "Code",
                "name": "Name",
                "sector": "Sector",
                "locality_code": "Locality",
                "child_population": "Child population",
                "active": "Status",
            }
        ),
        key=f"agencies_{kind}_table",
    )


def _load_file(
    kind: str, user: CurrentUser, apply: Callable[[Callable[[], object], str], None]
) -> None:
    columns = (
        "code, name, sector (one of: " + ", ".join(SECTORS) + "), and optionally locality_code"
        if kind == "agency"
        else "code, name, and optionally child_population"
    )
    st.subheader(f"Load {KINDS[kind].lower()} from a CSV file")
    st.caption(
        f"One row each, under a heading row: {columns}. The whole file is checked first; one "
        "problem anywhere (a code twice, a name already used, an unknown sector or locality) "
        "loads none of it. Rows already in the store are left as they are."
    )
    upload = st.file_uploader(
        f"{KINDS[kind]} file (CSV)", type=["csv"], key=f"agencies_{kind}_upload"
    )
    if upload is not None and st.button(
        f"Load these {KINDS[kind].lower()}", key=f"agencies_{kind}_load", type="primary"
    ):
        load = agencies.load_agencies if kind == "agency" else agencies.load_localities

        def change() -> object:
            outcome = load(
                engine=get_engine(),
                data=upload.getvalue(),
                file_name=upload.name,
                username=user.username,
                page=PAGE,
            )
            return outcome.message(kind)

        apply(change, f"{KINDS[kind]} loaded from {upload.name}.")


def _add_agency(
    user: CurrentUser,
    locality_list: pd.DataFrame,
    apply: Callable[[Callable[[], object], str], None],
) -> None:
    with st.form("agencies_add_agency"):
        st.subheader("Add an agency")
        code = st.text_input("Code", key="agencies_new_code", help="e.g. POLICE, ICB, SCH-042")
        name = st.text_input("Name", key="agencies_new_name")
        sector = st.selectbox("Sector", SECTORS, key="agencies_new_sector")
        locality = st.selectbox(
            "Locality it serves (optional)",
            ["", *locality_list["code"]] if not locality_list.empty else [""],
            key="agencies_new_locality",
            format_func=lambda c: c or "The whole partnership",
        )
        if st.form_submit_button("Add agency", type="primary"):
            apply(
                lambda: agencies.add_agency(
                    engine=get_engine(),
                    code=code,
                    name=name,
                    sector=sector,
                    locality_code=locality or None,
                    username=user.username,
                    page=PAGE,
                ),
                f"Added agency {code.strip().upper()}.",
            )


def _add_locality(user: CurrentUser, apply: Callable[[Callable[[], object], str], None]) -> None:
    with st.form("agencies_add_locality"):
        st.subheader("Add a locality")
        code = st.text_input("Code", key="agencies_new_locality_code")
        name = st.text_input("Name", key="agencies_new_locality_name")
        population = st.number_input(
            "Child population (0-17)", min_value=0, step=1, key="agencies_new_population"
        )
        if st.form_submit_button("Add locality", type="primary"):
            apply(
                lambda: agencies.add_locality(
                    engine=get_engine(),
                    code=code,
                    name=name,
                    child_population=int(population),
                    username=user.username,
                    page=PAGE,
                ),
                f"Added locality {code.strip().upper()}.",
            )


def _change(
    kind: str,
    listing: pd.DataFrame,
    user: CurrentUser,
    apply: Callable[[Callable[[], object], str], None],
) -> None:
    if listing.empty:
        return
    labels = dict(zip(listing["code"], listing["code"] + " - " + listing["name"], strict=True))
    codes = list(labels)
    st.subheader(f"Change {'an agency' if kind == 'agency' else 'a locality'}")
    chosen: str = (
        st.selectbox(
            "Which one",
            codes,
            key=f"agencies_{kind}_chosen",
            format_func=lambda c: labels.get(c, c),
        )
        or codes[0]
    )
    active = bool(listing.set_index("code").loc[chosen, "active"])
    rename_col, merge_col = st.columns(2)
    with rename_col.form(f"agencies_{kind}_rename"):
        new_name = st.text_input("New name", key=f"agencies_{kind}_new_name")
        if st.form_submit_button("Rename"):
            apply(
                lambda: agencies.rename(
                    engine=get_engine(),
                    kind=kind,
                    code=chosen,
                    new_name=new_name,
                    username=user.username,
                    page=PAGE,
                ),
                f"{chosen} renamed.",
            )
    with merge_col.form(f"agencies_{kind}_merge"):
        into = st.selectbox(
            f"Merge {chosen} into",
            [c for c in codes if c != chosen] or [""],
            key=f"agencies_{kind}_into",
            format_func=lambda c: labels.get(c, c),
            help="Every figure and record of the first moves to the second; the first is "
            "then retired. Refused if both have a figure for the same indicator and period.",
        )
        sure = st.checkbox("Yes, merge them", key=f"agencies_{kind}_merge_sure")
        if st.form_submit_button("Merge") and into:
            if not sure:
                st.error("Tick 'Yes, merge them' first: a merge cannot be undone here.")
            else:
                apply(
                    lambda: agencies.merge(
                        engine=get_engine(),
                        kind=kind,
                        code=chosen,
                        into=into,
                        username=user.username,
                        page=PAGE,
                    ),
                    f"{chosen} merged into {into} and retired.",
                )
    retire_col, delete_col = st.columns(2)
    if retire_col.button(
        "Bring back into use" if not active else "Retire", key=f"agencies_{kind}_retire"
    ):
        apply(
            lambda: agencies.set_active(
                engine=get_engine(),
                kind=kind,
                code=chosen,
                active=not active,
                username=user.username,
                page=PAGE,
            ),
            f"{chosen} {'brought back into use' if not active else 'retired'}.",
        )
    if delete_col.button("Delete", key=f"agencies_{kind}_delete"):
        apply(
            lambda: agencies.delete(
                engine=get_engine(), kind=kind, code=chosen, username=user.username, page=PAGE
            ),
            f"{chosen} deleted.",
        )
