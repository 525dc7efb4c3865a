"""Every page x every role: allowed pages render, denied ones are refused before any query runs.

Pages are discovered from the registry at collection time, so pages added later are covered.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import navigation
from data_access.models import ROLES

REFUSAL = "does not have access to"
BUILT_PAGES = list(navigation.PAGES)
CASES = [
    pytest.param(spec, role, id=f"{spec.key}-{role}") for spec in BUILT_PAGES for role in ROLES
]


@pytest.fixture
def statements(module_sample_store: sa.Engine) -> Iterator[list[str]]:
    """Every SQL statement the app sends to the store during the test."""
    seen: list[str] = []

    def _record(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    sa.event.listen(module_sample_store, "before_cursor_execute", _record)
    yield seen
    sa.event.remove(module_sample_store, "before_cursor_execute", _record)


def run_page(spec: navigation.PageSpec, role: str) -> AppTest:
    at = AppTest.from_file(str(spec.path), default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = f"{role}.matrix"
    at.session_state["name"] = f"Matrix {role}"
    at.session_state["roles"] = [role]
    at.run()
    return at


def refusals(at: AppTest) -> list[str]:
    return [e.value for e in at.error if REFUSAL in e.value]


def test_the_registry_covers_the_pages_folder():
    declared = {spec.path.name for spec in navigation.PAGES}
    on_disk = {p.name for p in navigation.PAGES_DIR.glob("*.py") if p.name != "__init__.py"}
    assert on_disk == declared, (
        f"pages without a registry entry: {sorted(on_disk - declared)}; "
        f"registry entries without a page: {sorted(declared - on_disk)}"
    )


# Appending one chained audit-log entry (data_access.audit_log.record): lock, insert, read the
# previous entry's hash, store the hashes.
AUDIT_APPEND = (
    "INSERT INTO AUDIT_LOG",
    "SELECT AUDIT_LOG.ENTRY_HASH",
    "UPDATE AUDIT_LOG SET",
    "SELECT PG_ADVISORY_XACT_LOCK",
)


@pytest.mark.parametrize(("spec", "role"), CASES)
def test_page_for_role(spec, role, module_sample_store, use_store, statements):
    use_store(module_sample_store)
    at = run_page(spec, role)
    if role in spec.roles:
        assert not at.exception, f"{spec.key} failed for {role}: {at.exception}"
        assert refusals(at) == [], f"{spec.key} refused an allowed role {role}"
        assert at.title or at.header, f"{spec.key} rendered no heading for {role}"
        return
    assert not at.exception
    assert len(refusals(at)) == 1, f"{spec.key} was not refused for {role}"
    assert at.title[0].value == spec.title
    # Nothing but the refusal's own audit line may reach the store: no query of the page ran.
    assert statements, "the refusal was not logged"
    assert all(s.upper().startswith(AUDIT_APPEND) for s in statements), statements
    assert not at.dataframe and not at.table
