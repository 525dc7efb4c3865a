"""Sidebar filters kept in the URL (`st.query_params`), so a copied link reproduces the view.

URL keys: ``from`` and ``to`` (period range), ``quarter`` (selected quarter), ``agency`` and
``locality`` (codes). Unknown or stale values in a link are ignored, not errors.

A partnership can have thousands of agencies: the agency box lists at most
``MAX_AGENCY_OPTIONS`` of them, narrowed by a sector and a search on the name or code, so a
page does not send every agency to the browser on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

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


def _initial(key: str, param: str, options: list[str], default: str) -> None:
    """Seed a widget's state from the URL on first render, or reset it if no longer valid."""
    if key in st.session_state and st.session_state[key] in options:
        return
    wanted = st.query_params.get(param)
    st.session_state[key] = wanted if wanted in options else default


def _sync(param: str, value: str | None) -> None:
    if value:
        if st.query_params.get(param) != value:
            st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]


def _agency_choice(
    sidebar: DeltaGenerator, agencies: pd.DataFrame, key: str
) -> tuple[str | None, str | None]:
    """Sector, name search, then agency: (code, name) of the chosen agency or (None, None)."""
    names = dict(zip(agencies["code"], agencies["name"], strict=True))
    if "sector" in agencies.columns:
        sectors = sorted(str(s) for s in agencies["sector"].dropna().unique())
    else:
        sectors = []
    sector = ALL_SECTORS
    candidates = agencies
    if len(sectors) > 1:
        sector = sidebar.selectbox(
            "Agency sector",
            [ALL_SECTORS, *sectors],
            key=f"{key}_agency_sector",
            format_func=lambda s: "All sectors" if s == ALL_SECTORS else s.capitalize(),
        )
        if sector != ALL_SECTORS:
            candidates = candidates[candidates["sector"] == sector]
    search = ""
    if len(candidates) > MAX_AGENCY_OPTIONS:
        search = sidebar.text_input(
            "Find an agency",
            key=f"{key}_agency_search",
            placeholder="Part of its name or code",
            help=f"Lists at most {MAX_AGENCY_OPTIONS} agencies; type to narrow the list.",
        ).strip()
    if search:
        wanted = search.casefold()
        matches = candidates["name"].astype(str).str.casefold().str.contains(wanted, regex=False)
        matches |= candidates["code"].astype(str).str.casefold().str.contains(wanted, regex=False)
        candidates = candidates[matches]
    listed = list(candidates["code"][:MAX_AGENCY_OPTIONS])
    # The agency already chosen (or named in the link) stays selectable whatever the narrowing.
    current = st.session_state.get(f"{key}_agency")
    if current not in names:
        current = st.query_params.get("agency")
    if current in names and current not in listed:
        listed.insert(0, current)
    options = [ALL, *listed]
    if len(candidates) > MAX_AGENCY_OPTIONS:
        sidebar.caption(
            f"{len(candidates):,} agencies match; the first {MAX_AGENCY_OPTIONS} are listed. "
            "Type more of the name to narrow the list."
        )
    elif search and candidates.empty:
        sidebar.caption(f"No agency{' in this sector' if sector else ''} matches that search.")
    _initial(f"{key}_agency", "agency", options, ALL)
    chosen = sidebar.selectbox(
        "Agency",
        options,
        key=f"{key}_agency",
        format_func=lambda c: "All agencies (partnership figures)" if c == ALL else names[c],
    )
    return (chosen, names[chosen]) if chosen else (None, None)


def sidebar_filters(
    period_codes: list[str],
    *,
    agencies: pd.DataFrame | None = None,
    localities: pd.DataFrame | None = None,
    key: str = "filters",
) -> Filters:
    """Draw the filters in the sidebar and return the selection; writes it back to the URL.

    `period_codes`: quarters holding data, in date order. `agencies` / `localities`: code, name
    (omit to hide that filter).
    """
    sidebar = st.sidebar
    sidebar.header("Filters")
    if not period_codes:
        sidebar.caption("No quarters hold figures yet, so there is nothing to filter.")
        return Filters((), None, None, None)

    codes = list(period_codes)
    default_from = codes[max(0, len(codes) - 12)]
    _initial(f"{key}_from", "from", codes, default_from)
    from_code = sidebar.selectbox("From quarter", codes, key=f"{key}_from")
    to_options = codes[codes.index(from_code) :]
    _initial(f"{key}_to", "to", to_options, to_options[-1])
    to_code = sidebar.selectbox("To quarter", to_options, key=f"{key}_to")
    in_range = codes[codes.index(from_code) : codes.index(to_code) + 1]
    _initial(f"{key}_quarter", "quarter", in_range, in_range[-1])
    period_code = sidebar.selectbox(
        "Selected quarter",
        in_range,
        key=f"{key}_quarter",
        help="Tiles, breakdowns and summaries describe this quarter.",
    )

    agency_code = agency_name = locality_code = locality_name = None
    if agencies is not None:
        agency_code, agency_name = _agency_choice(sidebar, agencies, key)
    if localities is not None:
        names_l = dict(zip(localities["code"], localities["name"], strict=True))
        options_l = [ALL, *names_l]
        _initial(f"{key}_locality", "locality", options_l, ALL)
        chosen_l = sidebar.selectbox(
            "Locality",
            options_l,
            key=f"{key}_locality",
            format_func=lambda c: "All localities" if c == ALL else names_l[c],
        )
        locality_code, locality_name = (chosen_l, names_l[chosen_l]) if chosen_l else (None, None)

    for param, value in (
        ("from", from_code),
        ("to", to_code),
        ("quarter", period_code),
        ("agency", agency_code),
        ("locality", locality_code),
    ):
        _sync(param, value)
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
