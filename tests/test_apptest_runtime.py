"""AppTests in one process share one component registry, as the sessions of one server do."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.support.apptest_runtime import share_component_registry


def _page() -> None:
    import streamlit as st

    st.write("hello")


def test_every_apptest_gets_the_registry_scanned_once() -> None:
    share_component_registry()  # already done by conftest; a second call changes nothing
    first = AppTest.from_function(_page).run()
    second = AppTest.from_function(_page).run()
    assert not first.exception and not second.exception
    assert first._bidi_component_manager is not None
    assert first._bidi_component_manager is second._bidi_component_manager
