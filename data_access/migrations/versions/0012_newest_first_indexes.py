"""indexes for the newest-first lists: loaded files and texts for young people

The data management page lists the newest 500 files, the youth texts page the newest 500 texts
(and those waiting for approval). Without an index the store sorted every row to keep 500: at the
benchmark's scale 10, 38,268 files (223 ms on SQLite, because the count of each file's current
figures ran for every file before the sort) and 38,640 texts (117 ms); walking these indexes
backwards stops after 500 rows (3 ms and 0.4 ms).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_submission_submitted_at", "submission", ["submitted_at", "id"])
    op.create_index("ix_youth_text_created_at", "youth_text", ["created_at", "id"])
    op.create_index("ix_youth_text_status_created_at", "youth_text", ["status", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_youth_text_status_created_at", table_name="youth_text")
    op.drop_index("ix_youth_text_created_at", table_name="youth_text")
    op.drop_index("ix_submission_submitted_at", table_name="submission")
