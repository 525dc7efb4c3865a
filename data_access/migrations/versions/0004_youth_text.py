"""texts for young people: separate, approved plain-words versions of staff texts

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "youth_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_key", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("approver", sa.String(length=100), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "subject IN ('theme_point', 's11_evidence', 's11_action')",
            name=op.f("ck_youth_text_known_subject"),
        ),
        sa.CheckConstraint(
            "status IN ('waiting', 'approved', 'returned', 'superseded')",
            name=op.f("ck_youth_text_known_status"),
        ),
        sa.CheckConstraint(
            "length(text) BETWEEN 1 AND 2000", name=op.f("ck_youth_text_text_length")
        ),
        sa.CheckConstraint(
            "approver IS NULL OR approver <> author", name=op.f("ck_youth_text_approver_not_author")
        ),
        sa.CheckConstraint(
            "status NOT IN ('approved', 'superseded') OR (approver IS NOT NULL AND approved_at IS NOT NULL)",
            name=op.f("ck_youth_text_approved_has_approver"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_youth_text")),
    )
    with op.batch_alter_table("youth_text", schema=None) as batch_op:
        batch_op.create_index("ix_youth_text_subject_key", ["subject", "subject_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("youth_text", schema=None) as batch_op:
        batch_op.drop_index("ix_youth_text_subject_key")
    op.drop_table("youth_text")
