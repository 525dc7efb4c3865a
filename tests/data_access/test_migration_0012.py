"""Migration 0012: the newest-first lists (loaded files, texts for young people) read an index
backwards instead of sorting every row; the migration goes up and down on both stores."""

from __future__ import annotations

from data_access.db import engine_for
from tests.support.index_plans import check_index_migration

# The lists' ORDER BY ... LIMIT, as data_access.submissions.list_submissions and
# data_access.youth_texts.list_texts send them, and the index each should use.
LISTS = {
    "ix_submission_submitted_at": (
        "submission",
        "SELECT id FROM submission ORDER BY submitted_at DESC, id DESC LIMIT 500",
    ),
    "ix_youth_text_created_at": (
        "youth_text",
        "SELECT id FROM youth_text ORDER BY created_at DESC, id DESC LIMIT 500",
    ),
    "ix_youth_text_status_created_at": (
        "youth_text",
        "SELECT id FROM youth_text WHERE status = 'waiting' "
        "ORDER BY created_at DESC, id DESC LIMIT 500",
    ),
}


def test_migration_0012_lists_newest_first_from_an_index_and_downgrades(db_url: str) -> None:
    check_index_migration(engine_for(db_url), "0011", "0012", LISTS)
