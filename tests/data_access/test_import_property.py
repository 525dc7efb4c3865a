"""Property-based: arbitrary tables never crash the validator, and loading never half-writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access import catalogue, migrate
from data_access.db import engine_for, session_scope
from data_access.importer import check_file, load_checked, read_table
from data_access.importer.checks.report import ISSUE_COLUMNS
from data_access.importer.format import ALIASES, COLUMN_NAMES
from data_access.importer.loading import ImportRefused
from data_access.importer.lookups import load_lookups
from data_access.importer.reading import FileProblem, RawTable
from data_access.importer.validation import validate_table
from data_access.models import IndicatorValue, Submission
from data_access.reference import sync_catalogue
from tests.support.import_corpus import (
    AGENCIES,
    EARLIER,
    LOCALITIES,
    PERIOD,
    TODAY,
    seed_reference,
)

# Module-scoped stores are deliberate: each example must leave them consistent for the next.
FIXTURE_OK = [HealthCheck.function_scoped_fixture]
CODES = [spec.code for spec in catalogue.indicators()][:12]
cells = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-(10**7), max_value=10**7),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        CODES
        + [a[0] for a in AGENCIES]
        + [loc[0] for loc in LOCALITIES]
        + [PERIOD, EARLIER, "2025/26 Q2", "2030-31 Q1", "c", "k", "x", "z", "1,234", "45%", "", " "]
    ),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 1, 1)),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 1, 1)),
    st.booleans(),
)
headings = st.one_of(
    st.sampled_from(list(COLUMN_NAMES) + list(ALIASES)), st.text(max_size=10), st.none()
)


@st.composite
def tables(draw: st.DrawFn) -> list[list[object]]:
    """A heading row (often with the required columns) and rows of arbitrary cells."""
    names = draw(st.lists(headings, min_size=0, max_size=11))
    if draw(st.booleans()):
        names = ["indicator_code", "period", "value", *names]
    width = max(len(names), 1)
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=width + 2), max_size=25))
    return [names, *rows]


@st.composite
def plausible_tables(draw: st.DrawFn) -> list[list[object]]:
    """Rows that are often valid, so that the commit path is exercised as well as refusal."""
    code = st.sampled_from(CODES + ["NOPE"])
    row = st.tuples(
        code,
        st.sampled_from([PERIOD, EARLIER, "2030-31 Q1", "junk"]),
        st.sampled_from(["", "", "LA", "POLICE", "ZZ"]),
        st.sampled_from(["", "", "NORTH", "SOUTH", "WEST"]),
        st.one_of(st.integers(-5, 500), st.floats(-5, 500), st.just(""), st.text(max_size=4)),
        st.one_of(st.just(""), st.integers(0, 50)),
        st.one_of(st.just(""), st.integers(0, 60)),
        st.sampled_from(["", "", "", "c", "k", "q"]),
        st.text(max_size=8),
    )
    return [list(COLUMN_NAMES), *[list(r) for r in draw(st.lists(row, max_size=30))]]


def _raw(table: list[list[object]]) -> RawTable:
    header, *rows = table
    width = max([len(header), *(len(r) for r in rows)]) if rows else len(header)
    data = {name: [] for name in COLUMN_NAMES}
    from data_access.importer.format import normalise_heading

    canonical = [normalise_heading(h) for h in header] + [""] * (width - len(header))
    for row in rows:
        padded = list(row) + [None] * (width - len(row))
        for name in COLUMN_NAMES:
            index = canonical.index(name) if name in canonical else None
            data[name].append(padded[index] if index is not None else None)
    cells_frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in data.items()})
    return RawTable(
        cells=cells_frame,
        row_numbers=list(range(2, 2 + len(rows))),
        headings={n: n for n in COLUMN_NAMES},
        file_kind="csv",
    )


def _csv(table: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in table:
        writer.writerow(["" if c is None else c for c in row])
    return out.getvalue().encode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def property_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    path: Path = tmp_path_factory.mktemp("property") / "store.db"
    engine = engine_for(f"sqlite:///{path.as_posix()}")
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    seed_reference(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def lookups(property_store: sa.Engine):
    with session_scope(property_store) as session:
        return load_lookups(session, today=TODAY)


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURE_OK)
@given(table=tables())
def test_validator_never_crashes_on_arbitrary_tables(lookups, table) -> None:
    raw = _raw(table)
    result = validate_table(raw, lookups)
    assert list(result.issues.columns) == ISSUE_COLUMNS
    # Every row is either checked or, with every figure cell blank, a figure "not given".
    assert len(result.rows) + len(result.not_given) == len(raw.cells)
    # Every row flagged as an error has at least one error line in the report, and vice versa.
    error_rows = set(result.errors["row"])
    assert error_rows == set(result.rows.loc[result.rows["has_error"], "row"])
    valid = result.valid_rows
    assert valid["indicator_id"].notna().all() and valid["period_code"].notna().all()
    assert (valid["value"].notna() | valid["status_symbol"].notna()).all()


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURE_OK)
@given(table=tables())
def test_reader_raises_only_file_problems(table) -> None:
    try:
        read_table("fuzz.csv", _csv(table))
    except FileProblem as problem:
        assert problem.problem and problem.what_to_do


def _counts(engine: sa.Engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        return (
            connection.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)),
            connection.scalar(
                sa.select(sa.func.count())
                .select_from(IndicatorValue)
                .where(IndicatorValue.is_current.is_(True))
            ),
            connection.scalar(sa.select(sa.func.count()).select_from(Submission)),
        )


@settings(max_examples=80, deadline=None, suppress_health_check=FIXTURE_OK)
@given(table=st.one_of(tables(), plausible_tables()), valid_only=st.booleans())
def test_loading_is_all_or_nothing(property_store: sa.Engine, table, valid_only: bool) -> None:
    before = _counts(property_store)
    checked = check_file(engine=property_store, file_name="fuzz.csv", data=_csv(table), today=TODAY)
    try:
        result = load_checked(
            engine=property_store, checked=checked, username="fuzz", valid_only=valid_only
        )
    except ImportRefused:
        assert _counts(property_store) == before
        assert not checked.can_load_all
        return
    values, current, submissions = _counts(property_store)
    assert values == before[0] + result.new + result.changed
    assert current == before[1] + result.new
    assert submissions == before[2] + (1 if result.submission_id else 0)
    assert result.new + result.changed + result.unchanged == len(checked.validation.valid_rows)


def test_plausible_tables_reach_the_commit_path(property_store: sa.Engine) -> None:
    """Guard against a fuzz test that only ever exercises refusal: one plausible table loads."""
    table = [list(COLUMN_NAMES), ["MASH_CONTACTS", PERIOD, "", "NORTH", 12, "", "", "", "fuzz"]]
    checked = check_file(engine=property_store, file_name="p.csv", data=_csv(table), today=TODAY)
    result = load_checked(engine=property_store, checked=checked, username="fuzz", valid_only=True)
    assert result.new + result.changed + result.unchanged == 1
