"""data version counter; indexes for partnership-level figures and front-door contacts

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_data_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 0)")
    # Theme pages and the overview read partnership-level rows (agency and locality empty) or one
    # agency's or locality's slice: this index finds them without scanning every value.
    op.create_index(
        "ix_indicator_value_scope",
        "indicator_value",
        ["agency_id", "locality_id", "is_current", "period_id", "indicator_id"],
    )
    # Contacts by source and outcome for a quarter, answered from the index alone.
    op.create_index(
        "ix_mash_contact_period_source",
        "mash_contact",
        ["period_id", "source", "outcome", "decision_within_one_working_day"],
    )


def downgrade() -> None:
    op.drop_index("ix_mash_contact_period_source", table_name="mash_contact")
    op.drop_index("ix_indicator_value_scope", table_name="indicator_value")
    op.drop_table("data_version")
