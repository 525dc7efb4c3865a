"""Every page x every role: allowed pages render, denied ones are refused before any query runs.

Pages are discovered from the registry at collection time, so pages added later are covered.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import navigation
from data_access.db import engine_for
from data_access.models import ROLES

REFUSAL = "does not have access to"
BUILT_PAGES = list(navigation.PAGES)
CASES = [
    pytest.param(spec, role, id=f"{spec.key}-{role}") for spec in BUILT_PAGES for role in ROLES
]


@pytest.fixture(scope="module")
def matrix_store(
    sample_db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[sa.Engine]:
    """A private copy of the sample store (refusals write audit lines; the shared one is not)."""
    source = Path(sa.make_url(sample_db_url).database or "")
    engine_for(sample_db_url).dispose()
    target = tmp_path_factory.mktemp("matrix") / "matrix.db"
    shutil.copyfile(source, target)
    engine = engine_for(f"sqlite:///{target.as_posix()}")
    yield engine
    engine.dispose()


@pytest.fixture
def statements(matrix_store: sa.Engine) -> Iterator[list[str]]:
    """Every SQL statement the app sends to the store during the test."""
    seen: list[str] = []

    def _record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    sa.event.listen(matrix_store, "before_cursor_execute", _record)
    yield seen
    sa.event.remove(matrix_store, "before_cursor_execute", _record)


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
def test_page_for_role(spec, role, matrix_store, use_store, statements):
    use_store(matrix_store)
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
