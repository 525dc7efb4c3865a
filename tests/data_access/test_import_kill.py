"""An import killed (SIGKILL) in the middle of its write leaves the store as it was, and the next
import runs: the bulk insert goes through the driver, inside the import's one transaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from data_access.importer import check_file, load_checked
from tests.support.paths import ROOT

QUARTERS = ("2023-24 Q1", "2023-24 Q2", "2023-24 Q3")

_CHILD = """
import sys, time
from pathlib import Path
from data_access.db import engine_for
from data_access.importer import check_file, load_checked, loading

url, data_file, marker = sys.argv[1:4]
engine = engine_for(url)
checked = check_file(engine=engine, file_name="r.csv", data=Path(data_file).read_bytes())
original = loading._bulk_insert

def insert_then_stall(connection, table, columns, records):
    original(connection, table, columns, records)
    if table == "indicator_value":
        Path(marker).write_text("written, not committed")
        time.sleep(3600)  # killed here, inside the transaction

loading._bulk_insert = insert_then_stall
load_checked(engine=engine, checked=checked, username="killed", source="cli")
"""


def _return(values: list[int]) -> bytes:
    lines = ["indicator_code,period,agency_code,locality_code,value"]
    lines += [f"MASH_CONTACTS,{q},,,{v}" for q, v in zip(QUARTERS, values, strict=True)]
    return ("\n".join(lines) + "\n").encode()


def _state(engine: sa.Engine) -> tuple[list[tuple], int]:
    with engine.connect() as connection:
        values = connection.execute(
            sa.text(
                "SELECT value, is_current, superseded_by_id IS NULL FROM indicator_value "
                "ORDER BY id"
            )
        ).all()
        submissions = connection.scalar(sa.text("SELECT count(*) FROM submission"))
    return [tuple(v) for v in values], submissions


def _load(engine: sa.Engine, data: bytes):
    checked = check_file(engine=engine, file_name="r.csv", data=data)
    assert checked.can_load_all, checked.report
    return load_checked(engine=engine, checked=checked, username="officer", source="cli")


def test_an_import_killed_mid_write_changes_nothing_and_the_next_one_loads(
    store: sa.Engine, tmp_path: Path
) -> None:
    assert _load(store, _return([100, 110, 120])).new == 3
    before = _state(store)
    revised = _return([101, 111, 121])
    data_file, marker = tmp_path / "revised.csv", tmp_path / "marker"
    data_file.write_bytes(revised)
    url = store.url.render_as_string(hide_password=False)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, url, str(data_file), str(marker)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # Wait (generously: the machine may be busy) until the child has superseded the old
        # figures and inserted the new ones, uncommitted; fail if it ended instead.
        for _ in range(1200):
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.25)
        assert marker.exists(), child.communicate()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    assert _state(store) == before  # the old figures current, nothing new, no submission
    result = _load(store, revised)  # the import lock and the store are free again
    assert (result.new, result.changed) == (0, 3)
    values, submissions = _state(store)
    assert submissions == 2
    assert sorted(values) == [
        (100, False, False),
        (101, True, True),
        (110, False, False),
        (111, True, True),
        (120, False, False),
        (121, True, True),
    ]
