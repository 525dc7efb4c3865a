"""Make AppTest pay Streamlit's start-up work once per process, as a real server does.

Each new `AppTest` builds its own component registry on its first run, and building it scans the
metadata of every installed distribution (about 100 here): 0.3-2 s depending on the machine's
load. A Streamlit server does that scan once, at start-up, so a page benchmark that paid it on
every render measured the test harness, not the page; the test suite paid it for every page test.
`share_component_registry()` scans once and gives every later AppTest the same registry, which
is what every session in one server shares.
"""

from __future__ import annotations

import functools
from typing import Any

_installed = False


def share_component_registry() -> None:
    """From now on, every AppTest in this process starts with one shared component registry."""
    global _installed
    if _installed:
        return
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.testing.v1 import AppTest

    if not hasattr(AppTest, "_run") or "_bidi_component_manager" not in vars(
        AppTest("x", default_timeout=1)
    ):
        return  # another Streamlit version: leave AppTest as it is
    shared = BidiComponentManager()
    shared.discover_and_register_components(start_file_watching=False)
    original_run = AppTest._run

    @functools.wraps(original_run)
    def _run_with_shared_registry(self: AppTest, *args: Any, **kwargs: Any) -> AppTest:
        if self._bidi_component_manager is None:
            self._bidi_component_manager = shared
        return original_run(self, *args, **kwargs)

    AppTest._run = _run_with_shared_registry
    _installed = True
