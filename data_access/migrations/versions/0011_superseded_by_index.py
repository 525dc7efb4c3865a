"""index on indicator_value.superseded_by_id, for rolling a submission back

Rolling back a submission looks up the figures its figures replaced (`superseded_by_id IN ...`,
in chunks). Without an index each chunk scanned the whole of indicator_value: 1.29 million rows
at the benchmark's largest size. Only replaced figures have a value, so the index is partial.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_indicator_value_superseded_by",
        "indicator_value",
        ["superseded_by_id"],
        sqlite_where=sa.text("superseded_by_id IS NOT NULL"),
        postgresql_where=sa.text("superseded_by_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_indicator_value_superseded_by", table_name="indicator_value")
