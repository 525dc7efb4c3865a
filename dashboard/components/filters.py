"""Sidebar filters kept in the URL (`st.query_params`), so a copied link reproduces the view.

URL keys: ``from`` and ``to`` (period range), ``quarter`` (selected quarter), ``agency`` and
``locality`` (codes). Unknown or stale values in a link are ignored, not errors.

Which quarter a page opens on: the address's (a shared link, the back button), else the period the
user last chose on any page, else the latest quarter (and the twelve before it for the range).

A partnership can have thousands of agencies: the agency box lists at most
``MAX_AGENCY_OPTIONS`` of them, narrowed by a sector and a search on the name or code, so a
page does not send every agency to the browser on every run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from data_access.periods import period_label

ALL = ""
ALL_SECTORS = ""
# More than this many agencies in one select box is slow to send and useless to scroll.
MAX_AGENCY_OPTIONS = 200


@dataclass(frozen=True)
class Filters:
    """What the sidebar selected."""

    period_codes: tuple[str, ...]  # every quarter in the range, in date order
    from_period: str | None
    to_period: str | None
    period_code: str | None  # the selected quarter (None when the store has no figures)
    agency_code: str | None = None
    agency_name: str | None = None
    locality_code: str | None = None
    locality_name: str | None = None

    @property
    def scope_label(self) -> str:
        """'the partnership', 'Northfield Academy', 'North locality' or both."""
        parts = [p for p in (self.agency_name, self.locality_name) if p]
        return " in ".join(parts) if parts else "the partnership"


# The period choice (from, to, quarter) outlives the page that made it: Streamlit forgets a page's
# widget state and drops the address's query parameters when the sidebar switches pages, so the
# choice is also kept in a plain session-state entry, which no page switch clears.
CHOICE_KEY = "_period_choice"


def _choice() -> dict[str, str]:
    return st.session_state.setdefault(CHOICE_KEY, {})


def remembered_quarter(codes: list[str]) -> str | None:
    """The quarter the user last chose on any page, if `codes` holds it (else None)."""
    chosen = _choice().get("quarter")
    return chosen if chosen in codes else None


def remember_quarter(code: str) -> None:
    """Note a quarter chosen outside the sidebar filters (meeting mode), so the pages open on it."""
    _choice()["quarter"] = code


# What the user picked in this run's widget callbacks; it beats the address, which still holds the
# previous choice until the filters write it back.
PICKED_KEY = "_filters_picked"


def _resolve(param: str, options: list[str], default: str, *, remember: bool) -> str:
    """What a filter shows: the user's pick just now, else the address (a shared link, the back
    button), else the user's remembered choice, else the default."""
    picked = st.session_state.get(PICKED_KEY, {})
    if param in picked and picked[param] in options:
        return picked[param]
    wanted = st.query_params.get(param)
    if wanted in options:
        return wanted
    if remember and _choice().get(param) in options:
        return _choice()[param]
    return default


def _seed(key: str, param: str, options: list[str], default: str, *, remember: bool) -> None:
    """Set the widget's value before it is drawn, so every page opens on the same choice.

    Always assigned, even when the state already holds that value: a widget with the same key on
    another page is a different widget to Streamlit, and without a fresh assignment it opens on
    its first option (the earliest quarter) while the stale state still looks right.
    """
    st.session_state[key] = _resolve(param, options, default, remember=remember)


def _changed(key: str, param: str) -> None:
    """Widget callback: note the user's pick for this run."""
    st.session_state.setdefault(PICKED_KEY, {})[param] = st.session_state.get(key)


def _write_url(values: dict[str, str | None]) -> None:
    """Put the filters in the address in one go: each change of the address is a browser history
    entry, so writing parameters one by one would make the back button step through them."""
    wanted = {k: v for k, v in st.query_params.to_dict().items() if k not in values}
    wanted.update({k: v for k, v in values.items() if v})
    if wanted != st.query_params.to_dict():
        st.query_params.from_dict(wanted)


def _wanted(param: str) -> str:
    """The value a filter is asked to show before it is checked: the user's pick just now, else
    the address's."""
    picked = st.session_state.get(PICKED_KEY, {})
    if param in picked:
        return picked[param] or ALL
    return st.query_params.get(param) or ALL


def _agency_choice(sidebar: DeltaGenerator, key: str) -> dict[str, str]:
    """Sector and name search, then the agencies to offer (code: name), found in the store: at
    most MAX_AGENCY_OPTIONS, plus the agency already chosen or named in the link whatever the
    narrowing. A partnership has thousands of agencies; only those listed are fetched."""
    from dashboard import cache
    from data_access import agency_choice

    wanted = _wanted("agency")
    current = cache.query(agency_choice.agency_by_code, code=wanted) if wanted != ALL else None
    found = store_agency_options(
        sidebar, key=key, current=current["id"] if current else None, sector_choice=True
    )
    return dict(zip(found["code"], found["name"], strict=True))


def bounded_agency_options(
    container: DeltaGenerator,
    agencies: pd.DataFrame,
    *,
    key: str,
    value: str = "code",
    current: object = None,
    sector_choice: bool = True,
    sector_label: str = "Agency sector",
    search_label: str = "Find an agency",
    nouns: tuple[str, str] = ("agency", "agencies"),
) -> list:
    """The agencies to offer in a choice box: at most MAX_AGENCY_OPTIONS of them.

    `agencies` has columns name, code (searched too, if present), sector (for the sector box)
    and `value`, the column whose values are returned (code, or id). A sector box (when
    `sector_choice` and there is more than one sector) narrows first, then a search box on the
    name or code appears while more than MAX_AGENCY_OPTIONS remain; a caption says when the
    list is cut short. `current` (the agency already chosen) is kept in the list whatever the
    narrowing (in place of the last listed one), so a choice never jumps to another agency
    behind the user's back. Widget keys: ``{key}_agency_sector`` and
    ``{key}_agency_search``.
    """
    one, many = nouns
    sectors = (
        sorted(str(s) for s in agencies["sector"].dropna().unique())
        if sector_choice and "sector" in agencies.columns
        else []
    )
    sector = ALL_SECTORS
    candidates = agencies
    if len(sectors) > 1:
        sector = container.selectbox(
            sector_label,
            [ALL_SECTORS, *sectors],
            key=f"{key}_agency_sector",
            format_func=lambda s: "All sectors" if s == ALL_SECTORS else s.capitalize(),
        )
        if sector != ALL_SECTORS:
            candidates = candidates[candidates["sector"] == sector]
    search = ""
    if len(candidates) > MAX_AGENCY_OPTIONS:
        search = container.text_input(
            search_label,
            key=f"{key}_agency_search",
            placeholder="Part of its name or code",
            help=f"Lists at most {MAX_AGENCY_OPTIONS} {many}; type to narrow the list.",
        ).strip()
    if search:
        wanted = search.casefold()
        matches = candidates["name"].astype(str).str.casefold().str.contains(wanted, regex=False)
        if "code" in candidates.columns:
            matches |= (
                candidates["code"].astype(str).str.casefold().str.contains(wanted, regex=False)
            )
        candidates = candidates[matches]
    listed = list(candidates[value][:MAX_AGENCY_OPTIONS])
    if current is not None and current not in listed:
        listed = [current, *listed[: MAX_AGENCY_OPTIONS - 1]]
    if len(candidates) > MAX_AGENCY_OPTIONS:
        container.caption(
            f"{len(candidates):,} {many} match; the first {MAX_AGENCY_OPTIONS} are listed. "
            "Type more of the name to narrow the list."
        )
    elif search and candidates.empty:
        container.caption(f"No {one}{' in this sector' if sector else ''} matches that search.")
    return listed


def store_agency_options(
    container: DeltaGenerator,
    *,
    key: str,
    current: int | Iterable[int] | None = None,
    active_only: bool = True,
    sector_choice: bool | None = None,
    sector_label: str = "Agency sector",
    search_label: str = "Find an agency",
    nouns: tuple[str, str] = ("agency", "agencies"),
) -> pd.DataFrame:
    """Like `bounded_agency_options`, with the agencies found in the store: at most
    MAX_AGENCY_OPTIONS of them are fetched, never the whole list. Returns them (id, code, name,
    sector) in the order to offer (`current`, the agency or agencies already chosen, first
    when they no longer match).

    `sector_choice`: show the sector box (None: only when there are more agencies than can be
    listed). Widget keys as `bounded_agency_options`: ``{key}_agency_sector`` and
    ``{key}_agency_search``.
    """
    from dashboard import cache
    from data_access import agency_choice

    one, many = nouns
    total = cache.query(agency_choice.count_agencies, active_only=active_only)
    if sector_choice is None:
        sector_choice = total > MAX_AGENCY_OPTIONS
    sectors = (
        cache.query(agency_choice.agency_sectors, active_only=active_only) if sector_choice else []
    )
    sector = ALL_SECTORS
    if len(sectors) > 1:
        sector = container.selectbox(
            sector_label,
            [ALL_SECTORS, *sectors],
            key=f"{key}_agency_sector",
            format_func=lambda s: "All sectors" if s == ALL_SECTORS else s.capitalize(),
        )
    candidates = (
        total
        if sector == ALL_SECTORS
        else cache.query(agency_choice.count_agencies, sector=sector, active_only=active_only)
    )
    search = ""
    if candidates > MAX_AGENCY_OPTIONS:
        search = container.text_input(
            search_label,
            key=f"{key}_agency_search",
            placeholder="Part of its name or code",
            help=f"Lists at most {MAX_AGENCY_OPTIONS} {many}; type to narrow the list.",
        ).strip()
    if search:
        candidates = cache.query(
            agency_choice.count_agencies,
            sector=sector or None,
            search=search,
            active_only=active_only,
        )
    found = cache.frame(
        agency_choice.find_agencies,
        sector=sector or None,
        search=search,
        active_only=active_only,
        limit=MAX_AGENCY_OPTIONS,
        keep_ids=_chosen_ids(current),
    )
    if candidates > MAX_AGENCY_OPTIONS:
        container.caption(
            f"{candidates:,} {many} match; the first {MAX_AGENCY_OPTIONS} are listed. "
            "Type more of the name to narrow the list."
        )
    elif search and not candidates:
        container.caption(f"No {one}{' in this sector' if sector else ''} matches that search.")
    return found


def _chosen_ids(current: int | Iterable[int] | None) -> tuple[int, ...]:
    if current is None:
        return ()
    if isinstance(current, Iterable):
        return tuple(int(a) for a in current if a is not None)
    return (int(current),)


def sidebar_filters(
    period_codes: list[str],
    *,
    agencies: bool = False,
    localities: pd.DataFrame | None = None,
    key: str = "filters",
) -> Filters:
    """Draw the filters in the sidebar and return the selection; writes it back to the URL.

    `period_codes`: quarters holding data, in date order. `agencies`: offer the agency filter
    (its choices are found in the store). `localities`: code, name (omit to hide that filter).
    """
    sidebar = st.sidebar
    sidebar.header("Filters")
    if not period_codes:
        sidebar.caption("No quarters hold figures yet, so there is nothing to filter.")
        return Filters((), None, None, None)

    codes = list(period_codes)
    default_from = codes[max(0, len(codes) - 12)]

    def select(
        label: str, options: list[str], default: str, param: str, remember: bool, **kwargs
    ) -> str:
        widget_key = f"{key}_{param}"
        _seed(widget_key, param, options, default, remember=remember)
        # Quarters in words ("Q2 2025-26 (July to September 2025)"); the address keeps the code.
        kwargs.setdefault("format_func", period_label)
        return sidebar.selectbox(
            label,
            options,
            key=widget_key,
            on_change=_changed,
            args=(widget_key, param),
            **kwargs,
        )

    from_code = select("From quarter", codes, default_from, "from", True)
    to_options = codes[codes.index(from_code) :]
    to_code = select("To quarter", to_options, to_options[-1], "to", True)
    in_range = codes[codes.index(from_code) : codes.index(to_code) + 1]
    period_code = select(
        "Selected quarter",
        in_range,
        in_range[-1],
        "quarter",
        True,
        help="Tiles, breakdowns and summaries describe this quarter.",
    )
    choice = _choice()
    choice.update({"from": from_code, "to": to_code, "quarter": period_code})

    agency_code = agency_name = locality_code = locality_name = None
    # Agency and locality belong to the view being shared, not to the user: only the address
    # carries them, so another theme opens on the whole partnership.
    if agencies:
        names = _agency_choice(sidebar, key)
        chosen = select(
            "Agency",
            [ALL, *names],
            ALL,
            "agency",
            False,
            format_func=lambda c: "All agencies (partnership figures)" if c == ALL else names[c],
        )
        agency_code, agency_name = (chosen, names[chosen]) if chosen else (None, None)
    if localities is not None:
        names_l = dict(zip(localities["code"], localities["name"], strict=True))
        options_l = [ALL, *names_l]
        chosen_l = select(
            "Locality",
            options_l,
            ALL,
            "locality",
            False,
            format_func=lambda c: "All localities" if c == ALL else names_l[c],
        )
        locality_code, locality_name = (chosen_l, names_l[chosen_l]) if chosen_l else (None, None)

    st.session_state.pop(PICKED_KEY, None)
    _write_url(
        {
            "from": from_code,
            "to": to_code,
            "quarter": period_code,
            "agency": agency_code,
            "locality": locality_code,
        }
    )
    sidebar.caption("The address bar keeps these choices: copy the link to share this view.")
    return Filters(
        tuple(in_range),
        from_code,
        to_code,
        period_code,
        agency_code,
        agency_name,
        locality_code,
        locality_name,
    )
