"""statutory returns read directly: which collection and year a loaded census or 903 was

The children in need census, the SSDA903 and Annex A are read in memory and only their figures
are stored (as a submission's indicator values); this table records, per such submission, the
collection, the census year, its reference date, the file's checksum and how many children it
held - nothing about any child (issue 28).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statutory_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("collection", sa.String(length=20), nullable=False),
        sa.Column("year_code", sa.String(length=10), nullable=False),
        sa.Column("reference_date", sa.Date(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "collection IN ('cin', 'ssda903', 'annex_a')",
            name=op.f("ck_statutory_return_known_collection"),
        ),
        sa.CheckConstraint("children >= 0", name=op.f("ck_statutory_return_children_non_negative")),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_statutory_return_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statutory_return")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_statutory_return_submission_id")),
    )


def downgrade() -> None:
    op.drop_table("statutory_return")
