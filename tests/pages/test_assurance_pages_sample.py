"""AppTest: every page of issue 5 on the demo sample partnership, for every role."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import navigation

PAGES = Path(__file__).resolve().parents[2] / "pages"
USERS = {"executive": "exec.demo", "qa_officer": "qa.demo", "youth_council": "youth.demo",
         "admin": "admin.demo"}
KEYS = ("audits", "section11", "youth_section11", "youth_challenges", "youth_themes")


@pytest.mark.parametrize("role", list(USERS))
@pytest.mark.parametrize("key", KEYS)
def test_page_on_sample_data(sample_store, use_store, key: str, role: str) -> None:
    use_store(sample_store)
    at = AppTest.from_file(str(PAGES / f"{key}.py"), default_timeout=90)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = USERS[role]
    at.session_state["name"] = USERS[role]
    at.session_state["roles"] = [role]
    at.run()
    assert not at.exception, at.exception
    allowed = role in navigation.page(key).roles
    refused = bool(at.error) and "does not have access" in at.error[0].value
    assert refused == (not allowed)
    if allowed:
        # The sample partnership has data for every section: no "nothing yet" placeholders
        # except the challenge queue filters and optional parts.
        assert at.header, f"{key} rendered no sections for {role}"


def test_sample_section11_latest_cycle_has_one_missing_agency(sample_store, use_store) -> None:
    use_store(sample_store)
    at = AppTest.from_file(str(PAGES / "section11.py"), default_timeout=90)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "qa.demo"
    at.session_state["roles"] = ["qa_officer"]
    at.run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "active agencies have not returned" in text
