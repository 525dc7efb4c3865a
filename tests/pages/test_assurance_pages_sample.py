"""AppTest: every page of issue 5 on the demo sample partnership, for every role."""

from __future__ import annotations

import pytest

from dashboard import navigation
from tests.support.signed_in import DEMO_USERNAMES, signed_in_app

KEYS = ("audits", "section11", "youth_section11", "youth_challenges", "youth_themes")


@pytest.mark.parametrize("role", list(DEMO_USERNAMES))
@pytest.mark.parametrize("key", KEYS)
def test_page_on_sample_data(sample_store, use_store, key: str, role: str) -> None:
    use_store(sample_store)
    at = signed_in_app(key, role, timeout=90).run()
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
    at = signed_in_app("section11", "qa_officer", timeout=90).run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    # One agency, in words that agree with the count ("1 active agency has not returned").
    assert "1 active agency** has not returned" in text or "active agency has not returned" in text
